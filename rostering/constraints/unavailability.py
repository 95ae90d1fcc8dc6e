"""Unavailability: leave, business trips and other absences (请假/出差). Soft when the entry has a weight."""
from __future__ import annotations

from dataclasses import dataclass

from ..problem import Problem
from .base import Requirement, Rule


@dataclass
class Unavailable(Rule):
    family = "unavailable"

    def requirements(self, problem: Problem):
        for slot in problem.slots:
            for name in problem.eligible[slot.id]:
                u = problem.unavailability(problem.person_by_name[name], slot)
                if u is None:
                    continue
                key = (name, slot.date, slot.shift.id)
                yield Requirement(self.family, ((key, 1),), hi=0, weight=u.weight, date=slot.date,
                                  shift=slot.shift.id, people=(name,), message="v_unavailable",
                                  fix="v_unavailable_fix",
                                  params=(("person", name), ("date", slot.date.isoformat()),
                                          ("reason", u.reason or "—")))

    def model_requirements(self, problem: Problem):
        """Soft leave only: the model has no variable where hard leave keeps a person away (`Problem.candidates`)."""
        return (req for req in self.requirements(problem) if req.weight is not None)
