"""Cover targets: a preferred headcount with a cost per person short or extra (软性人数要求).

A target replaces the shift's exact headcount on its dates: `under`/`over` weights make
each side soft; a side without a weight stays hard. Slots no target names keep the
exact headcount of `Coverage`.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..problem import Problem
from ..roster import Roster
from ..rules import CoverTarget
from .base import Requirement, Rule, Violation, evaluate
from .coverage import Coverage


def targets_by_slot(problem: Problem, targets: list[CoverTarget]) -> dict:
    """Slot id -> the target that governs it (a later target overrides an earlier one)."""
    out = {}
    for target in targets:
        dates = target.dates if target.dates is not None else [d.date for d in problem.days]
        for day in dates:
            if (day, target.shift) in problem.slot_at:
                out[(day, target.shift)] = target
    return out


@dataclass
class CoverTargets(Rule):
    """Soft (or hard) targets on the slots they govern, and `Coverage`'s exact headcount on all others."""

    targets: list[CoverTarget]
    family = "cover_target"

    def requirements(self, problem: Problem):
        yield from self.untargeted(problem)
        yield from self.targeted(problem)

    def untargeted(self, problem: Problem):
        governed = targets_by_slot(problem, self.targets)
        return Coverage().requirements(problem, [slot for slot in problem.slots if slot.id not in governed])

    def targeted(self, problem: Problem):
        names = [p.name for p in problem.people]
        for (day, shift_id), target in targets_by_slot(problem, self.targets).items():
            params = (("date", day.isoformat()), ("shift", shift_id), ("need", target.need))
            terms = tuple(((n, day, shift_id), 1) for n in names)
            base = dict(date=day, shift=shift_id, params=params, fix="v_coverage_fix")
            yield Requirement(self.family, terms, lo=target.need, weight=target.under,
                              message="v_coverage_under", **base)
            yield Requirement(self.family, terms, hi=target.need, weight=target.over,
                              message="v_coverage_over", **base)

    def check(self, roster: Roster, problem: Problem) -> list[Violation]:
        """Untargeted slots are reported under Coverage's name, targets under this rule's."""
        exact = evaluate(self.untargeted(problem), roster.keys, problem, Coverage().name(problem.locale))
        return exact + evaluate(self.targeted(problem), roster.keys, problem, self.name(problem.locale))
