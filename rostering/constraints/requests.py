"""Requests: a person asks to work, or not to work, a shift on a date (值班意愿); each unmet one costs its weight."""
from __future__ import annotations

from dataclasses import dataclass

from ..problem import Problem
from ..rules import Person
from .base import PersonalRule, Requirement


@dataclass
class ShiftRequests(PersonalRule):
    family = "requests"

    def requirements_of(self, problem: Problem, person: Person):
        for req in person.requests:
            shifts = [req.shift] if req.shift is not None else [s.id for s in problem.shifts if not s.leader]
            terms = tuple(((person.name, req.date, sid), 1) for sid in shifts if (req.date, sid) in problem.slot_at)
            bounds = {"lo": 1} if req.want == "on" else {"hi": 0}
            yield Requirement(self.family, terms, weight=req.weight, date=req.date, shift=req.shift,
                              people=(person.name,), message=f"v_request_{req.want}", fix="v_request_fix",
                              params=(("person", person.name), ("date", req.date.isoformat()),
                                      ("shift", req.shift or "—")), **bounds)
