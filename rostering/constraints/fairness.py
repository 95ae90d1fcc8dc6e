"""Fairness: level the weighted load inside each pool of interchangeable people (轮流值班, 公平).

Not a constraint but the objective: minimise Σ over pools of (max load − min load),
with each person's prior load (history from the ledger) carried in. `measure` gives the
same numbers for any roster, so a report can show how fair a hand-edited roster is.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..problem import Problem
from ..roster import Roster

if TYPE_CHECKING:
    from ..model import RosterModel


def loads(roster: Roster, problem: Problem) -> dict[str, int]:
    """Each person's weighted load in tenths, prior load included."""
    out = {p.name: round(problem.prior_load.get(p.name, 0) * 10) for p in problem.people}
    for a in roster.assignments:
        slot = problem.slot_at.get((a.date, a.shift))
        if slot is not None and a.person in out:
            out[a.person] += problem.load(slot)
    return out


@dataclass
class Fairness:
    weight: int
    family = "fairness"

    def measure(self, roster: Roster, problem: Problem) -> dict[str, int]:
        """Spread (max − min load, tenths) per pool."""
        load = loads(roster, problem)
        return {pool: max(load[n] for n in names) - min(load[n] for n in names)
                for pool, names in problem.pools.items() if len(names) > 1}

    def cost(self, roster: Roster, problem: Problem) -> int:
        return self.weight * sum(self.measure(roster, problem).values()) if self.weight else 0

    def post(self, model: "RosterModel") -> None:
        model.add_fairness(self.weight)
