"""Solve a `Problem` with CP-SAT and return a `Result`; explain infeasibility in rule names."""
from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from typing import Callable

from ortools.sat.python import cp_model

from .constraints import Fairness, rules_for
from .i18n import t
from .model import RosterModel, build_model
from .problem import Problem
from .roster import Assignment, Roster


class Status(str, Enum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


_STATUS = {cp_model.OPTIMAL: Status.OPTIMAL, cp_model.FEASIBLE: Status.FEASIBLE,
           cp_model.INFEASIBLE: Status.INFEASIBLE, cp_model.MODEL_INVALID: Status.UNKNOWN,
           cp_model.UNKNOWN: Status.UNKNOWN}


@dataclass
class Result:
    status: Status
    roster: Roster | None
    objective: float | None
    bound: float | None
    seconds: float
    solutions: int = 0
    conflicts: list[str] = field(default_factory=list)  # plain-language explanation when infeasible

    @property
    def found(self) -> bool:
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[str], None]):
        super().__init__()
        self.report = report
        self.count = 0
        self.start = time.monotonic()

    def on_solution_callback(self) -> None:
        self.count += 1
        self.report(f"{time.monotonic() - self.start:6.2f}s  #{self.count}  "
                    f"objective={self.objective_value:g}  bound={self.best_objective_bound:g}")


def run_interruptibly(solver: cp_model.CpSolver, model: cp_model.CpModel, callback=None) -> int:
    """Solve in a worker thread so Ctrl-C reaches Python: the search stops and KeyboardInterrupt is raised.

    CP-SAT's own SIGINT handler would end the search quietly and leave a half-searched
    roster to be written as if it were the answer."""
    solver.parameters.catch_sigint_signal = False
    outcome: dict[str, int] = {}
    worker = threading.Thread(target=lambda: outcome.setdefault(
        "code", solver.solve(model, callback) if callback else solver.solve(model)), daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:
        solver.stop_search()
        worker.join()
        raise
    return outcome["code"]


def capacity_shortfalls(problem: Problem) -> list[str]:
    """Slots with fewer possible people than needed, said plainly (fast, before any search)."""
    out = []
    loc = problem.locale
    for slot in problem.slots:
        have = len(problem.candidates[slot.id])
        if have < slot.need:
            away = len(problem.eligible[slot.id]) - have
            detail = t("capacity_unavailable", loc, n=away) if away else ""
            out.append(t("capacity_short", loc, date=slot.date.isoformat(), shift=slot.shift.display,
                         need=slot.need, have=have, detail=detail))
    return out


def _parameters(time_limit: float, workers: int, seed: int, overrides: dict | None = None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False  # Ctrl-C stays Python's (see run_interruptibly)
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    for name, value in (overrides or {}).items():  # e.g. {"subsolvers": ["max_lp"]}
        if isinstance(value, (list, tuple)):
            getattr(solver.parameters, name).extend(value)
        else:
            setattr(solver.parameters, name, value)
    return solver


ROLLING_DAYS = 45  # longer ranges get a month-by-month hint first


def solve(problem: Problem, time_limit: float = 30.0, workers: int = 1, seed: int = 0,
          progress: Callable[[str], None] | None = None, keep: Roster | None = None,
          explain: bool = True, fixed: Roster | None = None, rolling: bool = True,
          parameters: dict | None = None, pin_dates: set[date] | None = None,
          hint: Roster | None = None) -> Result:
    """Build the model from every rule, solve it, and read the roster back.

    With `keep`, assignments of that roster are kept where the rules allow (re-planning),
    each change costing more than any fairness gain. With `fixed`, the assignments on
    the dates `fixed` spans (or `pin_dates`) are pinned exactly (e.g. days already served). `rolling=False`
    skips the month-by-month hint; `parameters` overrides CP-SAT parameters by name. `hint` is a
    starting roster (e.g. from `search.feasible_roster`) used instead of the month-by-month one."""
    started = time.monotonic()
    if hint is None and rolling and keep is None and (problem.end - problem.start).days + 1 > ROLLING_DAYS \
            and not counts_whole_range(problem.rules):
        hint = rolling_hint(problem, budget=time_limit * 0.35, workers=workers, seed=seed, fixed=fixed)
        if hint is not None and fixed is None:
            hint = level_loads(problem, hint, time_limit * 0.9 - (time.monotonic() - started), workers, seed)
        proven = _proven(problem, hint, _floor_cost(problem, fixed)) if hint is not None else None
        if proven is not None:
            return Result(Status.OPTIMAL, hint, proven, proven, time.monotonic() - started, 1)
    fairness = Fairness(problem.rules.fairness.weight)
    rules = rules_for(problem)
    requirements = [req for rule in rules for req in rule.requirements(problem)]
    parts = independent_parts(problem, requirements)
    status, chosen, objective, bound, solutions, has_objective = Status.OPTIMAL, [], 0.0, 0.0, 0, False
    for i, (people, reqs) in enumerate(parts):
        model = build_model(problem, rules, fairness, people=people, requirements=reqs)
        extra = _pin_hint_keep(model, problem, fixed, pin_dates, hint, keep)
        model.finish(extra)
        has_objective |= bool(model.objective_terms() or extra)
        share = (time_limit - (time.monotonic() - started)) / (len(parts) - i)  # what is left, shared
        solver = _parameters(max(0.5, share), workers, seed, parameters)
        label = f"[{i + 1}/{len(parts)}] " if len(parts) > 1 else ""
        callback = _Progress(lambda line, label=label: progress(label + line)) if progress else None
        code = run_interruptibly(solver, model.cp, callback)
        part_status = _STATUS.get(code, Status.UNKNOWN)
        if part_status not in (Status.OPTIMAL, Status.FEASIBLE):
            status = part_status
            break
        if part_status is Status.FEASIBLE:
            status = Status.FEASIBLE
        chosen += [Assignment(d, s, p) for (p, d, s), var in model.x.items() if solver.boolean_value(var)]
        if model.objective_terms() or extra:
            objective += solver.objective_value
            bound += solver.best_objective_bound
        solutions += callback.count if callback else 1
    seconds = time.monotonic() - started
    if status in (Status.OPTIMAL, Status.FEASIBLE):
        roster = Roster(problem.start, problem.end, chosen,
                        {"organization": problem.rules.organization, "status": status.value})
        hint_cost = _cost(problem, hint) if hint is not None and keep is None else None
        if hint_cost is not None and hint_cost < objective:  # the search ran out of time below its hint
            roster, objective, status = hint, float(hint_cost), Status.FEASIBLE
        return Result(status, roster, objective if has_objective else 0, bound if has_objective else 0,
                      seconds, solutions)
    if status is Status.UNKNOWN and hint is not None and keep is None:
        hint_cost = _cost(problem, hint)
        if hint_cost is not None:  # no time left for the whole-range search: the hint is the answer
            floor = _floor_cost(problem, fixed)
            return Result(Status.FEASIBLE, hint, float(hint_cost), float(floor or 0), seconds, 1)
    conflicts: list[str] = []
    if status is Status.INFEASIBLE and explain:
        conflicts = explain_infeasible(problem, time_limit=min(10.0, max(2.0, time_limit)))
    elif status is Status.UNKNOWN:
        conflicts = [t("infeasible_unknown", problem.locale)]
    return Result(status, None, None, None, time.monotonic() - started, 0, conflicts)


def independent_parts(problem: Problem, requirements: list) -> list[tuple[set[str], list]]:
    """People who share no requirement and no fairness pool, with their requirements, smallest first.

    Leaders on call, the duty section and the other staff rarely interact; solving each
    part on its own gives every part both workers and a search of its own size, which
    proves optimality several times faster than one search over the whole office."""
    parent = {p.name: p.name for p in problem.people}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    def join(names) -> None:
        names = [n for n in names if n in parent]
        for other in names[1:]:
            parent[root(other)] = root(names[0])

    if not parent:
        return [(set(), requirements)]
    candidate = set(problem.keys)
    owners = []
    for req in requirements:
        people = list(dict.fromkeys(k[0] for k in req.keys() if k in candidate))
        join(people)
        owners.append(people[0] if people else None)
    for names in problem.pools.values():
        join(names)
    members: dict[str, set[str]] = {}
    for name in parent:
        members.setdefault(root(name), set()).add(name)
    reqs: dict[str, list] = {r: [] for r in members}
    first = next(iter(members), None)
    for req, owner in zip(requirements, owners):
        reqs[root(owner) if owner else first].append(req)  # constant requirements go to the first part
    order = sorted(members, key=lambda r: (len(members[r]), sorted(members[r])))
    return [(members[r], reqs[r]) for r in order if reqs[r] or members[r]] or [(set(), requirements)]


def _pin_hint_keep(model: RosterModel, problem: Problem, fixed: Roster | None, pin_dates: set[date] | None,
                   hint: Roster | None, keep: Roster | None) -> list:
    """Pinned days, the starting hint and, when re-planning, the cost of each change; returns extra objective terms."""
    if fixed is not None:
        pinned = fixed.keys
        for key, var in model.x.items():
            if (key[1] in pin_dates) if pin_dates is not None else (fixed.start <= key[1] <= fixed.end):
                model.cp.add(var == int(key in pinned))
        if any(k not in model.candidates for k in pinned
               if problem.start <= k[1] <= problem.end and k[0] in model.people):
            model.cp.add_bool_or([])  # a pinned assignment the rules forbid outright
    if hint is not None:
        chosen = hint.keys
        for key, var in model.x.items():
            model.cp.add_hint(var, int(key in chosen))
    extra = []
    if keep is not None:
        kept = keep.keys
        change_cost = 1000 * max(1, problem.rules.fairness.weight)
        for key, var in model.x.items():
            if key in kept:
                extra.append(change_cost * (1 - var))
                model.cp.add_hint(var, 1)
            else:
                model.cp.add_hint(var, 0)
    return extra


def counts_whole_range(rules) -> bool:
    """Rules that total over the whole range (minutes, weekends, per-range limits) cannot be split into months."""
    settings = rules.rules
    if settings.max_weekends is not None or any(lim.per == "horizon" for lim in settings.limits):
        return True
    return any(p.max_minutes is not None or p.min_minutes is not None or p.max_shifts or p.max_weekends is not None
               for p in rules.staff)


def _months(problem: Problem) -> list[tuple]:
    out, first = [], problem.start
    while first <= problem.end:
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        out.append((first, min(problem.end, nxt - timedelta(days=1))))
        first = nxt
    return out


def _floor_cost(problem: Problem, fixed: Roster | None) -> int | None:
    """A lower bound on the objective: soft penalties are ≥ 0 and each pool's spread is at least
    its floor from total demand (None where that floor does not hold: pinned days, soft coverage)."""
    from .constraints.coverage import Coverage
    from .model import pool_spread_floor
    if fixed is not None or not any(isinstance(r, Coverage) for r in rules_for(problem)):
        return None
    return problem.rules.fairness.weight * sum(
        pool_spread_floor(problem, names) for names in problem.pools.values() if len(names) > 1)


def _proven(problem: Problem, roster: Roster, floor: int | None) -> float | None:
    """The roster's objective when it keeps every hard rule and meets the lower bound, else None."""
    cost = _cost(problem, roster)
    return float(cost) if floor is not None and cost == floor else None


def _reoptimise_block(problem: Problem, current: list[Assignment], first: date, last: date, seconds: float,
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
    whole-range model, or already provably optimal (see `_proven`)."""
    deadline = time.monotonic() + budget
    months = _months(problem)
    first_pass = max(2.0, 0.6 * budget / max(1, len(months)))
    per_month = max(1.0, 0.4 * budget / max(1, len(months)))
    chosen: list[Assignment] = []
    for first, last in months:
        blocked = _reoptimise_block(problem, chosen, first, last, first_pass, workers, seed, fixed)
        if blocked is None:  # slow to find any roster for this month: once more with all that is left
            left = max(first_pass, deadline - time.monotonic())
            blocked = _reoptimise_block(problem, chosen, first, last, left, workers, seed, fixed)
        if blocked is None:
            return None
        chosen = blocked
    best = Roster(problem.start, problem.end, chosen)
    floor = _floor_cost(problem, fixed)
    cost = _cost(problem, best)
    if len(months) < 2 or (floor is not None and cost == floor):
        return best
    while time.monotonic() + per_month < deadline:
        improved = False
        for first, last in months:
            if time.monotonic() + per_month >= deadline:
                break
            again = _reoptimise_block(problem, best.assignments, first, last, per_month, workers, seed, fixed)
            if again is None:
                continue
            candidate = Roster(problem.start, problem.end, again)
            new_cost = _cost(problem, candidate)
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
    requirements = [req for rule in rules for req in rule.requirements(problem)]
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
            kept += [Assignment(d, s, p) for (p, d, s), var in model.x.items() if solver.boolean_value(var)]
        else:
            kept += [a for a in roster.assignments if a.person in people]
    levelled = Roster(problem.start, problem.end, kept)
    before, after = _cost(problem, roster), _cost(problem, levelled)
    return levelled if after is not None and (before is None or after < before) else roster


def _cost(problem: Problem, roster: Roster) -> int | None:
    """The objective a roster scores, from the check faces (None if a hard rule breaks)."""
    from .checking import check_roster
    report = check_roster(problem.rules, roster, problem)
    if not report.ok:
        return None
    return report.penalty + problem.rules.fairness.weight * sum(report.fairness_spread.values())


def explain_infeasible(problem: Problem, time_limit: float = 5.0) -> list[str]:
    """Why no roster exists: capacity first, then a core of rule instances from CP-SAT assumptions."""
    short = capacity_shortfalls(problem)
    if short:
        return short
    rules = rules_for(problem)
    model = build_model(problem, rules, None, explain=True)
    literals = list(model.assumptions.values())
    model.cp.add_assumptions(literals)
    solver = _parameters(time_limit, 1, 0)  # cores come from the single-thread search
    if run_interruptibly(solver, model.cp) != cp_model.INFEASIBLE:
        return [t("infeasible_unknown", problem.locale)]
    core = set(solver.sufficient_assumptions_for_infeasibility())
    names = {r.family: r.name(problem.locale) for r in rules}
    out = []
    for (rule, day, shift, people), lit in model.assumptions.items():
        if lit.index in core:
            label = problem.shift_by_id[shift].display if shift in problem.shift_by_id else ""
            bits = [names.get(rule, rule), day.isoformat() if day else "", label, "、".join(people)]
            out.append(" ".join(b for b in bits if b))
    return sorted(out)


def print_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
