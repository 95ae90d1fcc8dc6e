"""Forbidden successions: after shift s on one date, none of its `next` shifts on the following date (班次衔接).

Shifts with the same forbidden followers are stated together, as one count
`Σ x[first day, s in G] + Σ x[next day, t in F] <= 1`, when the shifts of G pairwise
overlap in time (as do those of F): a person then holds at most one of each anyway, so
the single count says exactly "no s followed by t", with a far smaller and tighter model
than one pair at a time. Otherwise each pair is stated alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..problem import Problem, Slot
from ..rules import Person, Succession
from .base import PersonalRule, Requirement


def pairwise_overlapping(slots: list[Slot]) -> bool:
    spans = [s.intervals() for s in slots]
    return all(any(a0 < b1 and b0 < a1 for a0, a1 in x for b0, b1 in y)
               for i, x in enumerate(spans) for y in spans[i + 1:])


@dataclass
class ForbiddenSuccessions(PersonalRule):
    successions: list[Succession]
    family = "succession"

    def groups(self) -> list[tuple[tuple[str, ...], tuple[str, ...], int | None]]:
        """(first shifts, next shifts, weight), first shifts with equal followers and weight merged."""
        merged: dict[tuple, list[str]] = {}
        for rule in self.successions:
            merged.setdefault((tuple(sorted(set(rule.next))), rule.weight), []).append(rule.shift)
        return [(tuple(firsts), nexts, weight) for (nexts, weight), firsts in merged.items()]

    def requirements_of(self, problem: Problem, person: Person):
        name, allowed = person.name, problem.shifts_of[person.name]
        blocks = problem.shared(("succession blocks", tuple(self.groups())), lambda: self._blocks(problem))
        mine: dict[tuple, tuple] = {}  # a block's shifts -> those the person may take (few distinct a year)
        for day, following, first, then, weight, labels in blocks:
            taken = mine.get((first, then))
            if taken is None:
                taken = mine[first, then] = (tuple(s for s in first if s in allowed),
                                             tuple(s for s in then if s in allowed))
            if not taken[0] or not taken[1]:
                continue
            terms = tuple([((name, day, s), 1) for s in taken[0]] + [((name, following, s), 1) for s in taken[1]])
            yield Requirement(self.family, terms, hi=1, weight=weight, date=day, people=(name,),
                              message="v_succession", fix="v_succession_fix",
                              params=(("person", name), ("date", day.isoformat()), ("shifts", labels)))

    def _blocks(self, problem: Problem) -> list[tuple[date, date, tuple[str, ...], tuple[str, ...], int | None, str]]:
        """(date, next date, first shifts, next shifts, weight, label) of every count, for whoever may take both."""
        one_day = timedelta(days=1)
        out = []
        for day in problem.days:
            following = day.date + one_day
            for firsts, nexts, weight in self.groups():
                before = [problem.slot_at[(day.date, s)] for s in firsts if (day.date, s) in problem.slot_at]
                after = [problem.slot_at[(following, s)] for s in nexts if (following, s) in problem.slot_at]
                if not before or not after:
                    continue
                if pairwise_overlapping(before) and pairwise_overlapping(after):
                    blocks = [(before, after)]
                else:
                    blocks = [([a], [b]) for a in before for b in after]
                for first, then in blocks:
                    labels = f"{'/'.join(s.shift.display for s in first)} → {'/'.join(s.shift.display for s in then)}"
                    out.append((day.date, following, tuple(s.shift.id for s in first),
                                tuple(s.shift.id for s in then), weight, labels))
        return out
