"""Rotation cycles: one person holds a shift for a whole week (seed 003: 一周为一个轮值周期)."""
from __future__ import annotations

from dataclasses import dataclass

from ..problem import Problem
from ..rules import RotationCycle
from .base import Requirement, Rule


@dataclass
class WeeklyRotation(Rule):
    cycle: RotationCycle
    family = "rotation"

    def requirements(self, problem: Problem):
        for week in problem.weeks():
            dates = {d.date for d in week}
            span = f"{week[0].date.isoformat()}~{week[-1].date.isoformat()}"
            for shift_id in self.cycle.shifts:
                slots = [s for s in problem.slots if s.shift.id == shift_id and s.date in dates]
                for a, b in zip(slots, slots[1:]):
                    for name in sorted(set(problem.eligible[a.id]) | set(problem.eligible[b.id])):
                        ka, kb = (name, a.date, shift_id), (name, b.date, shift_id)
                        yield Requirement(self.family, ((ka, 1), (kb, -1)), lo=0, hi=0, weight=self.cycle.weight,
                                          date=b.date, shift=shift_id, people=(name,), message="v_rotation",
                                          fix="v_rotation_fix",
                                          params=(("span", span), ("shift", shift_id), ("people", name)))
