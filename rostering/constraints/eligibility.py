"""Eligibility: only people whose group and role allow a shift may hold it (值班资格).

Besides the per-slot requirements, `check` also catches what a solver can never
produce: names not on the staff list and shifts written on days they do not run.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..i18n import day_kind_label, t
from ..problem import Problem
from ..roster import Roster
from ..rules import Person
from .base import PersonalRule, Requirement, Violation, evaluate


@dataclass
class Eligibility(PersonalRule):
    family = "eligibility"

    def requirements_of(self, problem: Problem, person: Person):
        allowed = problem.shifts_of[person.name]
        for slot in problem.slots:
            if slot.shift.id not in allowed:
                yield self._requirement(problem, slot, person.name)

    def _requirement(self, problem: Problem, slot, name: str) -> Requirement:
        """`name` may not hold `slot`."""
        shift = slot.shift
        why = t("why_group", problem.locale, allowed="、".join(shift.groups + shift.roles + shift.people) or "—")
        return Requirement(self.family, (((name, slot.date, shift.id), 1),), hi=0, date=slot.date, shift=shift.id,
                           people=(name,), message="v_eligibility", fix="v_eligibility_fix",
                           params=(("person", name), ("date", slot.date.isoformat()),
                                   ("shift", shift.id), ("why", why)))

    def requirements_on(self, problem: Problem, assigned: set) -> list[Requirement]:
        """The requirements a roster holding `assigned` can break: those on its own assignments.

        Each names one assignment that must stay empty, so the others hold in any roster
        without it; a year of 80 people has 880 000 of them (0.55 s a check)."""
        out = []
        for name, day, shift in assigned:
            slot = problem.slot_at.get((day, shift))
            if slot is not None and name in problem.person_by_name and name not in problem.eligible[slot.id]:
                out.append(self._requirement(problem, slot, name))
        return out

    def model_requirements_of(self, problem: Problem, person: Person):
        """None: the model has a variable only where a person is eligible (`Problem.candidates`).

        (Listing them cost Curtois & Qu Instance24 half a million requirements the model drops.)"""
        return iter(())

    def check(self, roster: Roster, problem: Problem) -> list[Violation]:
        loc, name = problem.locale, self.name(problem.locale)
        out = evaluate(self.requirements_on(problem, roster.keys), roster.keys, problem, name)
        for a in roster.assignments:
            shift = problem.shift_by_id.get(a.shift)
            if a.person not in problem.person_by_name:
                why = t("why_unknown", loc)
            elif shift is None:
                why = t("unknown_shift", loc, name=a.shift)
            elif (a.date, a.shift) not in problem.slot_at and problem.start <= a.date <= problem.end:
                why = t("why_day", loc, kind=day_kind_label(problem.day_of[a.date].kind, loc))
            else:
                continue
            label = shift.display if shift else a.shift
            msg = t("v_eligibility", loc, person=a.person, date=a.date.isoformat(), shift=label, why=why)
            out.append(Violation(name, self.family, a.date, a.shift, (a.person,),
                                 msg + ("；" if loc == "zh" else "; ") + t("v_eligibility_fix", loc)))
        return out
