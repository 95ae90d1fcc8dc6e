"""Shifts held by one person must not overlap, and must leave the minimum rest between them.

Both are read from the real windows, so a 20:30–08:30 night overlaps the next morning's
day shift and a 18:00–20:30 evening leaves no rest before 20:30. Leader tiers are a
separate duty (on call) and are left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ..problem import Problem, Slot
from ..rules import Person
from .base import PersonalRule, Requirement, Rule


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


def _simultaneous(problem: Problem) -> list[list[Slot]]:
    """The duty slots on at each moment a window starts, keeping sets that another does not contain.

    Two slots overlap exactly when both are on at the later of their start times, so
    "at most one of each such set" forbids every overlapping pair, with far fewer and
    tighter constraints than one per pair."""
    windows = sorted(((start, end, i) for i, s in enumerate(problem.slots) if not s.shift.leader
                      for start, end in s.intervals()), key=lambda w: (w[0], w[2]))
    sets: list[frozenset[int]] = []
    active: list[tuple] = []
    k = 0
    while k < len(windows):
        moment = windows[k][0]
        while k < len(windows) and windows[k][0] == moment:
            active.append(windows[k])
            k += 1
        active = [w for w in active if w[1] > moment]
        current = frozenset(w[2] for w in active)
        if sets and sets[-1] <= current:
            sets[-1] = current  # the last set only grew: keep the larger one
        elif len(current) > 1 and not (sets and current <= sets[-1]):
            sets.append(current)
    return [[problem.slots[i] for i in sorted(found)] for found in sets if len(found) > 1]


@dataclass
class NoOverlap(PersonalRule):
    family = "overlap"

    def requirements_of(self, problem: Problem, person: Person):
        name, allowed = person.name, problem.shifts_of[person.name]
        label = problem.shared("slot labels", lambda: {s.id: f"{s.date.isoformat()} {s.shift.display}"
                                                         for s in problem.slots})
        for group in problem.shared("simultaneous slots", lambda: _simultaneous(problem)):
            slots = [slot for slot in group if slot.shift.id in allowed]
            if len(slots) > 1:
                labels = " / ".join(label[s.id] for s in slots)
                yield Requirement(self.family, tuple(((name, s.date, s.shift.id), 1) for s in slots), hi=1,
                                  date=slots[0].date, shift=slots[0].shift.id, people=(name,), message="v_overlap",
                                  fix="v_overlap_fix", params=(("person", name), ("date", slots[0].date.isoformat()),
                                                               ("shifts", labels)))


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
