"""Search strategies around `solve()` for large ranges where the first roster is the hard part.

With many people over months, whole-range hard rules (minute windows, minimum runs, days
off, weekends) make any roster hard to find, and CP-SAT searching with the objective spends
its time on bounds instead. Finding a roster that keeps every hard rule first (no
objective: every soft penalty is free) is often several times faster; that roster is then
the hint of the full search, whose large-neighbourhood workers improve it from the start.
Measured on the Curtois & Qu benchmark (benchmarks/results/curtois_qu.md).
"""
from __future__ import annotations

import time
from typing import Callable

from .constraints import rules_for
from .model import build_model
from .problem import Problem
from .roster import Assignment, Roster
from .solve import Result, _parameters, solve


def feasible_roster(problem: Problem, time_limit: float, workers: int = 1, seed: int = 0,
                    parameters: dict | None = None) -> Roster | None:
    """Any roster keeping every hard rule (soft rules and fairness ignored), or None if none found in time."""
    from ortools.sat.python import cp_model
    model = build_model(problem, rules_for(problem), None)
    solver = _parameters(max(0.5, time_limit), workers, seed, parameters)
    if solver.solve(model.cp) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = [Assignment(d, s, p) for (p, d, s), var in model.x.items() if solver.boolean_value(var)]
    return Roster(problem.start, problem.end, chosen, {"organization": problem.rules.organization})


def solve_feasible_first(problem: Problem, time_limit: float = 30.0, workers: int = 1, seed: int = 0,
                         share: float = 0.5, min_keys: int = 20_000, parameters: dict | None = None,
                         feasibility_parameters: dict | None = None,
                         progress: Callable[[str], None] | None = None, **options) -> Result:
    """`solve()` hinted with a hard-rules-only roster found in at most `share` of the time.

    Problems with fewer than `min_keys` decision variables skip the first phase: they find a
    roster on their own within a second, and a hard-rules-only hint then steers the search to
    worse rosters (Curtois & Qu Instance7: 1281 instead of 1091 at 60 s).
    When no such roster turns up in time, the full search still gets what is left (it may
    find one itself); when the full search finds nothing better, `solve()` returns the start. `options` go to `solve()` (e.g. `rolling=False`)."""
    started = time.monotonic()
    start = None
    if len(problem.keys) >= min_keys:
        start = feasible_roster(problem, time_limit * share, workers, seed, feasibility_parameters)
    left = max(0.5, time_limit - (time.monotonic() - started))
    result = solve(problem, time_limit=left, workers=workers, seed=seed, parameters=parameters,
                   progress=progress, hint=start, **options)
    result.seconds = time.monotonic() - started
    return result
