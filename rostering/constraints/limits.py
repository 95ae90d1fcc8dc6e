"""Count limits per week, month, holiday period or the whole range (每周/每月最多值班次数)."""
from __future__ import annotations

from dataclasses import dataclass

from ..problem import Problem
from ..rules import Limit
from .base import Requirement, Rule


def _bucket(limit: Limit, day) -> str | None:
    if limit.per == "week":
        iso = day.date.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if limit.per == "month":
        return day.date.strftime("%Y-%m")
    if limit.per == "period":
        return day.period
    return "all"


@dataclass
class CountLimit(Rule):
    limit: Limit
    family = "limit"

    def requirements(self, problem: Problem):
        lim = self.limit
        buckets: dict[str, list] = {}
        for slot in problem.slots:
            if lim.shifts is not None and slot.shift.id not in lim.shifts:
                continue
            if lim.shifts is None and slot.shift.leader:
                continue
            if lim.days is not None and slot.day.kind not in lim.days:
                continue
            b = _bucket(lim, slot.day)
            if b is not None:
                buckets.setdefault(b, []).append(slot)
        for p in problem.people:
            if lim.people is not None and p.name not in lim.people:
                continue
            if lim.groups is not None and p.group not in lim.groups:
                continue
            for span, slots in buckets.items():
                terms = tuple(((p.name, s.date, s.shift.id), 1) for s in slots if p.name in problem.eligible[s.id])
                if not terms:
                    continue
                first = slots[0].date
                base = dict(date=first, people=(p.name,), weight=lim.weight, fix="v_limit_fix")
                params = (("person", p.name), ("span", span))
                if lim.max is not None and len(terms) > lim.max:
                    yield Requirement(self.family, terms, hi=lim.max, message="v_limit_max",
                                      params=params + (("bound", lim.max),), **base)
                if lim.min:
                    yield Requirement(self.family, terms, lo=lim.min, message="v_limit_min",
                                      params=params + (("bound", lim.min),), **base)
