"""Runs of duty: at most N duties in any N+1 consecutive days (连续值班), or N nights in a row.

Counting duties rather than worked days keeps the rule a plain count, which is exact
whenever a person holds at most one duty a day (the rest rule usually ensures that).
Windows lie wholly inside the roster's range; history before it is not known here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ..problem import Problem
from .base import Requirement, Rule


@dataclass
class MaxConsecutive(Rule):
    limit: int
    weight: int | None = None
    nights_only: bool = False

    @property
    def family(self) -> str:  # type: ignore[override]
        return "consecutive_nights" if self.nights_only else "consecutive_days"

    def requirements(self, problem: Problem):
        span = self.limit + 1
        slots_on: dict = {}
        for slot in problem.slots:
            if slot.shift.leader or (self.nights_only and not slot.shift.is_night()):
                continue
            slots_on.setdefault(slot.date, []).append(slot)
        message = "v_consecutive_nights" if self.nights_only else "v_consecutive"
        for first in problem.days:
            window = [first.date + timedelta(days=i) for i in range(span)]
            if window[-1] > problem.end:
                break
            slots = [s for d in window for s in slots_on.get(d, [])]
            if len(slots) <= self.limit:
                continue
            for p in problem.people:
                terms = tuple(((p.name, s.date, s.shift.id), 1) for s in slots if p.name in problem.eligible[s.id])
                if len(terms) <= self.limit:
                    continue
                yield Requirement(self.family, terms, hi=self.limit, weight=self.weight, date=first.date,
                                  people=(p.name,), message=message, fix="v_consecutive_fix",
                                  params=(("person", p.name), ("date", first.date.isoformat()),
                                          ("limit", self.limit)))
