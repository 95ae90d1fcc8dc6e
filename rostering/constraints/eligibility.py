"""Eligibility: only people whose group and role allow a shift may hold it (值班资格).

Besides the per-slot requirements, `check` also catches what a solver can never
produce: names not on the staff list and shifts written on days they do not run.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..i18n import day_kind_label, t
from ..problem import Problem
from ..roster import Roster
from .base import Requirement, Rule, Violation


@dataclass
class Eligibility(Rule):
    family = "eligibility"

    def requirements(self, problem: Problem):
        loc = problem.locale
        for slot in problem.slots:
            allowed = set(problem.eligible[slot.id])
            shift = slot.shift
            why = t("why_group", loc, allowed="、".join(shift.groups + shift.roles + shift.people) or "—")
            for p in problem.people:
                if p.name in allowed:
                    continue
                key = (p.name, slot.date, shift.id)
                yield Requirement(self.family, ((key, 1),), hi=0, date=slot.date, shift=shift.id,
                                  people=(p.name,), message="v_eligibility", fix="v_eligibility_fix",
                                  params=(("person", p.name), ("date", slot.date.isoformat()),
                                          ("shift", shift.id), ("why", why)))

    def model_requirements(self, problem: Problem):
        """None: the model has a variable only where a person is eligible (`Problem.candidates`).

        (Listing them cost Curtois & Qu Instance24 half a million requirements the model drops.)"""
        return iter(())

    def check(self, roster: Roster, problem: Problem) -> list[Violation]:
        out = super().check(roster, problem)
        loc, name = problem.locale, self.name(problem.locale)
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
