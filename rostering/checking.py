"""`check` face of all rules together: every violation of a roster, in pure Python (no ortools)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .constraints import Fairness, Violation, rules_for
from .problem import Problem
from .roster import Roster
from .rules import RosterRules


@dataclass
class CheckReport:
    violations: list[Violation] = field(default_factory=list)
    fairness_spread: dict[str, int] = field(default_factory=dict)

    @property
    def hard(self) -> list[Violation]:
        return [v for v in self.violations if v.hard]

    @property
    def ok(self) -> bool:
        return not self.hard

    @property
    def penalty(self) -> int:
        return sum(v.penalty for v in self.violations if not v.hard)


def problem_for(rules: RosterRules, roster: Roster, prior_load: dict[str, float] | None = None) -> Problem:
    return Problem.for_roster(rules, roster, prior_load=prior_load)


def check_roster(rules: RosterRules, roster: Roster, problem: Problem | None = None) -> CheckReport:
    problem = problem or problem_for(rules, roster)
    report = CheckReport()
    for rule in rules_for(problem):
        report.violations.extend(rule.check(roster, problem))
    report.violations.sort(key=lambda v: (v.date or roster.start, v.shift or "", v.rule_id, v.people))
    report.fairness_spread = Fairness(rules.fairness.weight).measure(roster, problem)
    return report
