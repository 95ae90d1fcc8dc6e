"""Shifts held by one person must not overlap, and must leave the minimum rest between them.

Both are read from the real windows, so a 20:30–08:30 night overlaps the next morning's
day shift and a 18:00–20:30 evening leaves no rest before 20:30. Leader tiers are a
separate duty (on call) and are left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ..problem import Problem, Slot
from .base import Requirement, Rule


def _overlaps(a: Slot, b: Slot) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a.intervals() for s2, e2 in b.intervals())


def _nearby_pairs(problem: Problem, reach: timedelta):
    """Pairs of duty slots (a before b) with b beginning before a ends + reach."""
    slots = sorted((s for s in problem.slots if not s.shift.leader), key=lambda s: (s.begins, s.shift.id))
    for i, a in enumerate(slots):
        for b in slots[i + 1:]:
            if b.begins >= a.ends + reach:
                break
            yield a, b


def _pair_requirements(family, problem: Problem, pairs, message, fix, extra=()):
    for a, b in pairs:
        both = set(problem.eligible[a.id]) & set(problem.eligible[b.id])
        for name in sorted(both):
            ka, kb = (name, a.date, a.shift.id), (name, b.date, b.shift.id)
            labels = f"{a.date.isoformat()} {a.shift.display} / {b.date.isoformat()} {b.shift.display}"
            yield Requirement(family, ((ka, 1), (kb, 1)), hi=1, date=a.date, shift=a.shift.id,
                              people=(name,), message=message, fix=fix,
                              params=(("person", name), ("date", a.date.isoformat()), ("shifts", labels)) + extra)


@dataclass
class NoOverlap(Rule):
    family = "overlap"

    def requirements(self, problem: Problem):
        pairs = ((a, b) for a, b in _nearby_pairs(problem, timedelta(0)) if _overlaps(a, b))
        yield from _pair_requirements(self.family, problem, pairs, "v_overlap", "v_overlap_fix")


@dataclass
class MinRest(Rule):
    hours: float
    weight: int | None = None
    family = "rest"

    def requirements(self, problem: Problem):
        rest = timedelta(hours=self.hours)
        pairs = ((a, b) for a, b in _nearby_pairs(problem, rest)
                 if not _overlaps(a, b) and b.begins < a.ends + rest and a.begins <= b.begins)
        for req in _pair_requirements(self.family, problem, pairs, "v_rest", "v_rest_fix",
                                      (("hours", f"{self.hours:g}"),)):
            yield Requirement(**{**req.__dict__, "weight": self.weight})
