"""Search strategies around `solve()` for large ranges where the first roster is the hard part.

With many people over months, whole-range hard rules (minute windows, minimum runs, days
off, weekends) make any roster hard to find, and CP-SAT searching with the objective spends
its time on bounds instead. Finding a roster that keeps every hard rule first (no
objective: every soft penalty is free) is often several times faster; that roster is then
the hint of the full search, whose large-neighbourhood workers improve it from the start.
Measured on the Curtois & Qu benchmark (benchmarks/results/curtois_qu.md).

When every hard rule binds one person (cover is a soft target), a first roster is also
found person by person (`person_by_person`), and `solve_in_neighbourhoods` improves a first
roster by roster-shaped neighbourhoods (`neighbourhoods.py`) instead of one whole-range search.
"""
from __future__ import annotations

import time
from typing import Callable

from .constraints import rules_for
from .model import RosterModel, build_model
from .problem import Problem
from .roster import Assignment, Roster
from .long_ranges import roster_cost
from .solve import Result, Status, _parameters, solve


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


def person_by_person(problem: Problem, time_limit: float, workers: int = 1, seed: int = 0) -> Roster | None:
    """A first roster built one person at a time, each person's best given the people placed before.

    Only when every hard rule binds a single person (the rules tying people together — cover
    targets, requests — are soft): then any choice per person keeps the roster valid, and each
    person's model is small however long the range. Soft rules shared with others count the
    people already placed as constants, so later people fill what earlier ones left open.
    None when some hard rule ties several people, or a person has no valid schedule in time."""
    from ortools.sat.python import cp_model
    started = time.monotonic()
    rules = rules_for(problem)
    requirements = [req for rule in rules for req in rule.requirements(problem)]
    own: dict[str, list[tuple[int, tuple]]] = {}  # person -> (requirement index, that person's terms)
    for n, req in enumerate(requirements):
        split: dict[str, list] = {}
        for key, coef in req.terms:
            split.setdefault(key[0], []).append((key, coef))
        people = set(split) | {key[0] for key in req.keys()}
        if req.weight is None and len(people) > 1:
            return None
        for name in people:
            own.setdefault(name, []).append((n, tuple(split.get(name, ()))))
    placed = [0] * len(requirements)  # what the people placed so far add to each requirement
    chosen: list[Assignment] = []
    names = [p.name for p in problem.people if p.name in own]
    misses = 0  # people in a row whose priced search found nothing in their share of the time
    for i, name in enumerate(names):
        model = RosterModel(problem, people={name})
        for n, terms in own[name]:
            model.add(requirements[n], terms, requirements[n].const + placed[n])
        for rule in rules:
            rule.tighten(model)
        model.finish()
        share = max(0.2, (time_limit - (time.monotonic() - started)) / (len(names) - i))
        solver = _parameters(share, workers, seed)
        if misses >= 2 or solver.solve(model.cp) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # no priced schedule in time (twice running: stop trying): any valid one, then price it if time allows
            misses += 1
            began = time.monotonic()
            model.cp.clear_objective()
            solver = _parameters(max(10.0, share * 3), workers, seed)
            if solver.solve(model.cp) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return None
            rest = share - (time.monotonic() - began)  # pricing gets what is left of this person's share
            if rest > 0.1:
                for var in model.x.values():
                    model.cp.add_hint(var, solver.boolean_value(var))
                model.finish()
                priced = _parameters(rest, workers, seed)
                if priced.solve(model.cp) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    solver = priced
        else:
            misses = 0
        taken = {key for key, var in model.x.items() if solver.boolean_value(var)}
        chosen += [Assignment(d, s, p) for (p, d, s) in taken]
        for n, terms in own[name]:
            placed[n] += sum(coef for key, coef in terms if key in taken)
    return Roster(problem.start, problem.end, chosen, {"organization": problem.rules.organization})


def solve_in_neighbourhoods(problem: Problem, time_limit: float = 60.0, workers: int = 1, seed: int = 0,
                            first_share: float = 0.2, min_keys: int = 10_000, step_seconds: float = 1.0,
                            parameters: dict | None = None, progress: Callable[[str], None] | None = None,
                            **options) -> Result:
    """A first roster, then `neighbourhoods.NeighbourhoodSearch` for the rest of the time.

    The first roster comes from `solve()` over `first_share` of the time (which also gives
    the lower bound), or, from `min_keys` decision variables on, from `person_by_person`
    (one whole-range search finds nothing there in a minute, or a far worse roster: Curtois &
    Qu Instance12, 16 800 variables, 15 370 after 12 s of CP-SAT against 8 515 person by
    person in 5 s). The result is proven optimal
    when the search meets the bound. `options` go to `solve()` (e.g. `rolling=False`)."""
    from .neighbourhoods import NeighbourhoodSearch
    started = time.monotonic()
    start, bound = None, None
    if len(problem.keys) >= min_keys:  # a valid roster first: most of the time may go to it
        start = person_by_person(problem, time_limit * 0.8, max(2, workers), seed)
    if start is None:
        first = solve(problem, time_limit=max(0.5, time_limit * first_share), workers=workers, seed=seed, parameters=parameters,
                      progress=progress, explain=False, **options)
        if not first.found:
            first.seconds = time.monotonic() - started
            return first
        start, bound = first.roster, first.bound
        if first.status is Status.OPTIMAL:
            return first
    if bound is None and time.monotonic() - started > time_limit * 0.95:  # the first roster took all the time
        return Result(Status.FEASIBLE, start, float(roster_cost(problem, start) or 0), 0.0,
                      time.monotonic() - started, 1)
    search = NeighbourhoodSearch(problem, start, seed=seed, threads=max(1, workers))
    left = time_limit - (time.monotonic() - started)
    roster = search.run(max(0.5, left), step_seconds=step_seconds, floor=bound, progress=progress)
    objective = search.objective
    proven = bound is not None and objective is not None and objective <= bound + 1e-9
    return Result(Status.OPTIMAL if proven else Status.FEASIBLE, roster, objective,
                  bound if bound is not None else 0.0, time.monotonic() - started, search.version + 1)
