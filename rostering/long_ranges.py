"""Long ranges (a quarter, a year): solved month by month, then levelled, then proven by the demand floor.

One model over a year is too large to search well; what an office does by hand — one
month after another, each carrying the load served so far — gives a good roster fast,
and levelling each pool's loads towards its mean closes the rest. A roster that meets
the sum of the pools' floors needs no further search: it is optimal.
"""
from __future__ import annotations

import time
from datetime import date, timedelta

from ortools.sat.python import cp_model

from .constraints import Fairness, rules_for
from .gc_paused import gc_paused
from .model import build_model
from .problem import Problem
from .roster import Assignment, Roster
from .solve import _parameters, independent_parts, run_interruptibly, solve


def counts_whole_range(rules) -> bool:
    """Rules that total over the whole range (minutes, weekends, per-range limits) cannot be split into months."""
    settings = rules.rules
    if settings.max_weekends is not None or any(lim.per == "horizon" for lim in settings.limits):
        return True
    return any(p.max_minutes is not None or p.min_minutes is not None or p.max_shifts or p.max_weekends is not None
               for p in rules.staff)


def months_of(problem: Problem) -> list[tuple]:
    out, first = [], problem.start
    while first <= problem.end:
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        out.append((first, min(problem.end, nxt - timedelta(days=1))))
        first = nxt
    return out


def floor_cost(problem: Problem, fixed: Roster | None) -> int | None:
    """A lower bound on the objective: soft penalties are ≥ 0 and each pool's spread is at least
    its floor from total demand (None where that floor does not hold: pinned days, soft coverage)."""
    from .constraints.coverage import Coverage
    from .model import pool_spread_floor
    if fixed is not None or not any(isinstance(r, Coverage) for r in rules_for(problem)):
        return None
    return problem.rules.fairness.weight * sum(
        pool_spread_floor(problem, names) for names in problem.pools.values() if len(names) > 1)


def proven_cost(problem: Problem, roster: Roster, floor: int | None) -> float | None:
    """The roster's objective when it keeps every hard rule and meets the lower bound, else None."""
    cost = roster_cost(problem, roster)
    return float(cost) if floor is not None and cost == floor else None


def reoptimise_block(problem: Problem, current: list[Assignment], first: date, last: date, seconds: float,
                      workers: int, seed: int, fixed: Roster | None, margin: int = 6) -> list[Assignment] | None:
    """Solve the dates first..last again with every other assignment held as it is.

    The days just around the block are pinned, so rules spanning the block's edges (rest,
    runs, weekly limits) still hold; everything further away enters as prior load, so
    the block levels the whole range's load, not its own."""
    lo = max(problem.start, first - timedelta(days=margin))
    later = any(a.date > last for a in current)
    hi = min(problem.end, last + timedelta(days=margin)) if later else last
    prior: dict[str, float] = {}
    for a in current:
        slot = problem.slot_at.get((a.date, a.shift))
        if slot is not None and not lo <= a.date <= hi:
            prior[a.person] = prior.get(a.person, 0) + problem.load(slot) / 10
    sub = Problem(problem.rules, lo, hi, prior_load=prior, days=[d for d in problem.days if lo <= d.date <= hi])
    sub.holiday_history, sub.holiday_plan = problem.holiday_history, problem.holiday_plan
    edges = {d.date for d in sub.days if not first <= d.date <= last}
    pinned = [a for a in current if a.date in edges]
    if fixed is not None:
        edges |= {d.date for d in sub.days if fixed.start <= d.date <= fixed.end}
        pinned += [a for a in fixed.assignments if first <= a.date <= last]
    result = solve(sub, time_limit=seconds, workers=workers, seed=seed, explain=False,
                   fixed=Roster(lo, hi, pinned) if edges else None, pin_dates=edges, rolling=False)
    if not result.found:
        return None
    return [a for a in current if not first <= a.date <= last] + [
        a for a in result.roster.assignments if first <= a.date <= last]


def rolling_hint(problem: Problem, budget: float, workers: int, seed: int,
                 fixed: Roster | None = None) -> Roster | None:
    """A long range solved month by month, then improved month by month until no month helps.

    The first pass is what an office does by hand (each month carrying the load served so
    far); later passes re-solve each month against all the others (a large-neighbourhood
    search whose neighbourhoods are months). The result is a fair starting point for the
    whole-range model, or already provably optimal (see `proven_cost`)."""
    deadline = time.monotonic() + budget
    months = months_of(problem)
    first_pass = max(2.0, 0.6 * budget / max(1, len(months)))
    per_month = max(1.0, 0.4 * budget / max(1, len(months)))
    chosen: list[Assignment] = []
    for first, last in months:
        blocked = reoptimise_block(problem, chosen, first, last, first_pass, workers, seed, fixed)
        if blocked is None:  # slow to find any roster for this month: once more with all that is left
            left = max(first_pass, deadline - time.monotonic())
            blocked = reoptimise_block(problem, chosen, first, last, left, workers, seed, fixed)
        if blocked is None:
            return None
        chosen = blocked
    best = Roster(problem.start, problem.end, chosen)
    floor = floor_cost(problem, fixed)
    cost = roster_cost(problem, best)
    if len(months) < 2 or (floor is not None and cost == floor):
        return best
    while time.monotonic() + per_month < deadline:
        improved = False
        for first, last in months:
            if time.monotonic() + per_month >= deadline:
                break
            again = reoptimise_block(problem, best.assignments, first, last, per_month, workers, seed, fixed)
            if again is None:
                continue
            candidate = Roster(problem.start, problem.end, again)
            new_cost = roster_cost(problem, candidate)
            if new_cost is not None and (cost is None or new_cost < cost):
                best, cost, improved = candidate, new_cost, True
                if cost == floor:
                    return best
        if not improved:
            break
    return best


def level_loads(problem: Problem, roster: Roster, seconds: float, workers: int, seed: int) -> Roster:
    """Bring every pool's loads into the band around its mean, starting from `roster`.

    The spread (max − min) gives a search nothing to follow until the extremes move
    together; the sum of each person's distance from the band [mean rounded down,
    mean rounded up] to the step of the load values falls with every single good move,
    so CP-SAT's neighbourhood search levels a year's loads where it cannot shrink the
    spread directly. The result is only kept when it scores better."""
    from math import gcd
    from .constraints.coverage import Coverage
    from .model import pool_spread_floor
    rules = rules_for(problem)
    spreads = Fairness(problem.rules.fairness.weight).measure(roster, problem)
    behind = {pool for pool, names in problem.pools.items()
              if len(names) > 1 and spreads.get(pool, 0) > pool_spread_floor(problem, names)}
    if not behind:
        return roster
    if not any(isinstance(r, Coverage) for r in rules):
        return roster
    with gc_paused():
        requirements = [req for rule in rules for req in rule.model_requirements(problem)]
    chosen_keys, kept = roster.keys, []
    deadline = time.monotonic() + seconds
    parts = independent_parts(problem, requirements)
    for i, (people, reqs) in enumerate(parts):
        model = build_model(problem, rules, None, people=people, requirements=reqs)
        terms = []
        for pool, names in problem.pools.items():
            if pool not in behind or not set(names) <= people:
                continue
            loads = {n: round(problem.prior_load.get(n, 0) * 10) for n in names}
            parts_of: dict[str, list] = {n: [] for n in names}
            step = 0
            for key, var in model.x.items():
                if key[0] in parts_of:
                    weight = problem.load(problem.slot_of(key))
                    parts_of[key[0]].append((var, weight))
                    step = gcd(step, weight)
            demand = sum(slot.need * problem.load(slot) for slot in problem.slots
                         if set(problem.candidates[slot.id]) & set(names))
            total = demand + sum(loads.values())
            step = max(1, gcd(step, *loads.values()))
            low = total // (len(names) * step) * step  # the mean, rounded to the step of the loads
            high = -(-total // (len(names) * step)) * step
            for n in names:
                load = loads[n] + sum(w * v for v, w in parts_of[n])
                dev = model.cp.new_int_var(0, 10**7, f"level[{n}]")
                model.cp.add(dev >= load - high)
                model.cp.add(dev >= low - load)
                terms.append(dev)
        if not terms:
            kept += [a for a in roster.assignments if a.person in people]
            continue
        for key, var in model.x.items():
            model.cp.add_hint(var, int(key in chosen_keys))
        model.finish(terms)
        share = max(0.5, (deadline - time.monotonic()) / (len(parts) - i))
        solver = _parameters(share, workers, seed)
        if run_interruptibly(solver, model.cp) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            kept += [Assignment(d, s, p) for (p, d, s) in model.assigned(solver)]
        else:
            kept += [a for a in roster.assignments if a.person in people]
    levelled = Roster(problem.start, problem.end, kept)
    before, after = roster_cost(problem, roster), roster_cost(problem, levelled)
    return levelled if after is not None and (before is None or after < before) else roster


def roster_cost(problem: Problem, roster: Roster) -> int | None:
    """The objective a roster scores, from the check faces (None if a hard rule breaks)."""
    from .checking import check_roster
    report = check_roster(problem.rules, roster, problem)
    if not report.ok:
        return None
    return report.penalty + problem.rules.fairness.weight * sum(report.fairness_spread.values())
