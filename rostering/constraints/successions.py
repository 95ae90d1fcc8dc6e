"""Forbidden successions: after shift s on one date, none of its `next` shifts on the following date (班次衔接).

Shifts with the same forbidden followers are stated together, as one count
`Σ x[first day, s in G] + Σ x[next day, t in F] <= 1`, when the shifts of G pairwise
overlap in time (as do those of F): a person then holds at most one of each anyway, so
the single count says exactly "no s followed by t", with a far smaller and tighter model
than one pair at a time. Otherwise each pair is stated alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ..problem import Problem, Slot
from ..rules import Succession
from .base import Requirement, Rule


def pairwise_overlapping(slots: list[Slot]) -> bool:
    spans = [s.intervals() for s in slots]
    return all(any(a0 < b1 and b0 < a1 for a0, a1 in x for b0, b1 in y)
               for i, x in enumerate(spans) for y in spans[i + 1:])


@dataclass
class ForbiddenSuccessions(Rule):
    successions: list[Succession]
    family = "succession"

    def groups(self) -> list[tuple[tuple[str, ...], tuple[str, ...], int | None]]:
        """(first shifts, next shifts, weight), first shifts with equal followers and weight merged."""
        merged: dict[tuple, list[str]] = {}
        for rule in self.successions:
            merged.setdefault((tuple(sorted(set(rule.next))), rule.weight), []).append(rule.shift)
        return [(tuple(firsts), nexts, weight) for (nexts, weight), firsts in merged.items()]

    def requirements(self, problem: Problem):
        one_day = timedelta(days=1)
        self._eligible = {slot.id: set(names) for slot, names in
                          ((slot, problem.eligible[slot.id]) for slot in problem.slots)}
        self._terms: dict[tuple, dict[str, tuple]] = {}  # slot -> person -> term, built once per slot
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
                    yield from self._block(first, then, weight)

    def _slot_terms(self, slot: Slot) -> dict[str, tuple]:
        """Each eligible person's term for `slot` (a slot is named by the blocks of two days,
        and of every group: on Curtois & Qu Instance24, building terms anew was most of the time)."""
        terms = self._terms.get(slot.id)
        if terms is None:
            terms = self._terms[slot.id] = {name: ((name, slot.date, slot.shift.id), 1)
                                            for name in self._eligible[slot.id]}
        return terms

    def _block(self, first: list[Slot], then: list[Slot], weight: int | None):
        eligible = self._eligible
        takers = set().union(*(eligible[s.id] for s in first)) & set().union(*(eligible[s.id] for s in then))
        labels = f"{'/'.join(s.shift.display for s in first)} → {'/'.join(s.shift.display for s in then)}"
        day = first[0].date
        slot_terms = [self._slot_terms(s) for s in first + then]
        for name in sorted(takers):
            terms = tuple(by_name[name] for by_name in slot_terms if name in by_name)
            yield Requirement(self.family, terms, hi=1, weight=weight, date=day, people=(name,),
                              message="v_succession", fix="v_succession_fix",
                              params=(("person", name), ("date", day.isoformat()), ("shifts", labels)))
