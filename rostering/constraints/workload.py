"""Workload per person over the whole range: duty minutes between bounds, and a most per shift (工作量).

Minutes are the shift's window lengths on that date (a split shift counts both parts),
so a night 20:30–08:30 counts 720 minutes.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..problem import Problem
from ..rules import Person, rule_value
from .base import PersonalRule, Requirement


@dataclass
class Workload(PersonalRule):
    family = "workload"

    def requirements_of(self, problem: Problem, person: Person):
        name = person.name
        if person.max_minutes is None and person.min_minutes is None and not person.max_shifts:
            return
        slots = problem.slots_by_person[name]
        terms = tuple(((name, slot.date, slot.shift.id), slot.minutes) for slot in slots)
        for field, side, message in (("max_minutes", "hi", "v_minutes_max"), ("min_minutes", "lo", "v_minutes_min")):
            bound, weight = rule_value(getattr(person, field))
            if bound is None:
                continue
            yield Requirement(self.family, terms, weight=weight, date=problem.start, people=(name,),
                              message=message, fix="v_limit_fix", **{side: int(bound)},
                              params=(("person", name), ("bound", int(bound)), ("span", problem.start.isoformat())))
        by_shift: dict[str, list] = {sid: [] for sid in person.max_shifts}
        for key, _ in terms:
            if key[2] in by_shift:
                by_shift[key[2]].append((key, 1))
        for sid, most in person.max_shifts.items():
            yield Requirement(self.family, tuple(by_shift[sid]), hi=most,
                              date=problem.start, shift=sid, people=(name,), message="v_shift_max",
                              fix="v_limit_fix", params=(("person", name), ("shift", sid), ("bound", most)))
