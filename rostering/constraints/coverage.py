"""Coverage: every slot gets exactly its headcount (人数要求)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..problem import Problem, Slot
from .base import Requirement, Rule


@dataclass
class Coverage(Rule):
    family = "coverage"

    def requirements(self, problem: Problem, slots: Iterable[Slot] | None = None):
        """Every slot's exact headcount, or only that of `slots`."""
        names = [p.name for p in problem.people]
        for slot in problem.slots if slots is None else slots:
            params = (("date", slot.date.isoformat()), ("shift", slot.shift.id), ("need", slot.need))
            terms = tuple(((n, slot.date, slot.shift.id), 1) for n in names)
            yield Requirement(self.family, terms, lo=slot.need, date=slot.date, shift=slot.shift.id,
                              message="v_coverage_under", params=params, fix="v_coverage_fix")
            yield Requirement(self.family, terms, hi=slot.need, date=slot.date, shift=slot.shift.id,
                              message="v_coverage_over", params=params, fix="v_coverage_fix")
