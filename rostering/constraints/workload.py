"""Workload per person over the whole range: duty minutes between bounds, and a most per shift (工作量).

Minutes are the shift's window lengths on that date (a split shift counts both parts),
so a night 20:30–08:30 counts 720 minutes.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..problem import Problem
from ..rules import rule_value
from .base import Requirement, Rule


@dataclass
class Workload(Rule):
    family = "workload"

    def requirements(self, problem: Problem):
        minutes_terms: dict[str, list] = {p.name: [] for p in problem.people}
        shift_terms: dict[tuple[str, str], list] = {}
        capped = {(p.name, s) for p in problem.people for s in p.max_shifts}
        for slot in problem.slots:
            minutes = sum(w.minutes for w in slot.windows)
            sid = slot.shift.id
            for name in problem.eligible[slot.id]:
                key = (name, slot.date, sid)
                minutes_terms[name].append((key, minutes))
                if (name, sid) in capped:
                    shift_terms.setdefault((name, sid), []).append((key, 1))
        start = problem.start.isoformat()
        for person in problem.people:
            name = person.name
            terms = tuple(minutes_terms[name])
            for field, side, message in (("max_minutes", "hi", "v_minutes_max"), ("min_minutes", "lo", "v_minutes_min")):
                bound, weight = rule_value(getattr(person, field))
                if bound is None:
                    continue
                yield Requirement(self.family, terms, weight=weight, date=problem.start, people=(name,),
                                  message=message, fix="v_limit_fix", **{side: int(bound)},
                                  params=(("person", name), ("bound", int(bound)), ("span", start)))
            for sid, most in person.max_shifts.items():
                yield Requirement(self.family, tuple(shift_terms.get((name, sid), ())), hi=most,
                                  date=problem.start, shift=sid, people=(name,), message="v_shift_max",
                                  fix="v_limit_fix", params=(("person", name), ("shift", sid), ("bound", most)))
