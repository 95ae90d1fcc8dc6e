"""Unavailability: leave, business trips and other absences (请假/出差). Soft when the entry has a weight."""
from __future__ import annotations

from dataclasses import dataclass

from ..problem import Problem
from ..rules import Person
from .base import PersonalRule, Requirement


@dataclass
class Unavailable(PersonalRule):
    family = "unavailable"

    def requirements_of(self, problem: Problem, person: Person):
        if not person.unavailable:
            return
        name = person.name
        for slot in problem.slots_by_person[name]:
            u = problem.unavailability(person, slot)
            if u is None:
                continue
            key = (name, slot.date, slot.shift.id)
            yield Requirement(self.family, ((key, 1),), hi=0, weight=u.weight, date=slot.date,
                              shift=slot.shift.id, people=(name,), message="v_unavailable",
                              fix="v_unavailable_fix",
                              params=(("person", name), ("date", slot.date.isoformat()),
                                      ("reason", u.reason or "—")))

    def model_requirements_of(self, problem: Problem, person: Person):
        """Soft leave only: the model has no variable where hard leave keeps a person away (`Problem.candidates`)."""
        if all(u.weight is None for u in person.unavailable):
            return iter(())  # nothing to list (a year of hard days off: 7 ms a person on Curtois & Qu Instance24)
        return (req for req in self.requirements_of(problem, person) if req.weight is not None)
