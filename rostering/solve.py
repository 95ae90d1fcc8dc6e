"""Solve a `Problem` with CP-SAT and return a `Result`; explain infeasibility in rule names."""
from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Callable

from ortools.sat.python import cp_model

from .constraints import Fairness, rules_for
from .gc_paused import gc_paused
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
    """Reports each roster found; stops the search at one scoring `floor` (a bound proven elsewhere)."""

    def __init__(self, report: Callable[[str], None] | None, floor: int | None = None):
        super().__init__()
        self.report = report
        self.floor = floor
        self.count = 0
        self.start = time.monotonic()

    def on_solution_callback(self) -> None:
        self.count += 1
        if self.report:
            self.report(f"{time.monotonic() - self.start:6.2f}s  #{self.count}  "
                        f"objective={self.objective_value:g}  bound={self.best_objective_bound:g}")
        if self.floor is not None and self.objective_value <= self.floor + 1e-9:
            self.stop_search()


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
          hint: Roster | None = None, floor: int | None = None) -> Result:
    """Build the model from every rule, solve it, and read the roster back.

    With `keep`, assignments of that roster are kept where the rules allow (re-planning),
    each change costing more than any fairness gain. With `fixed`, the assignments on
    the dates `fixed` spans (or `pin_dates`) are pinned exactly (e.g. days already served). `rolling=False`
    skips the month-by-month hint; `parameters` overrides CP-SAT parameters by name. `hint` is a
    starting roster (e.g. from `search.feasible_roster`) used instead of the month-by-month one.
    `floor`: a proven lower bound on the objective found elsewhere (`columns.py`): the search stops
    at a roster that meets it, proven optimal."""
    from .long_ranges import counts_whole_range, floor_cost, level_loads, proven_cost, rolling_hint, roster_cost
    started = time.monotonic()
    if hint is None and rolling and keep is None and (problem.end - problem.start).days + 1 > ROLLING_DAYS \
            and not counts_whole_range(problem.rules):
        hint = rolling_hint(problem, budget=time_limit * 0.35, workers=workers, seed=seed, fixed=fixed)
        if hint is not None and fixed is None:
            hint = level_loads(problem, hint, time_limit * 0.9 - (time.monotonic() - started), workers, seed)
        proven = proven_cost(problem, hint, floor_cost(problem, fixed)) if hint is not None else None
        if proven is not None:
            return Result(Status.OPTIMAL, hint, proven, proven, time.monotonic() - started, 1)
    fairness = Fairness(problem.rules.fairness.weight)
    rules = rules_for(problem)
    with gc_paused():
        requirements = [req for rule in rules for req in rule.model_requirements(problem)]
        parts = independent_parts(problem, requirements)
    status, chosen, objective, bound, solutions, has_objective = Status.OPTIMAL, [], 0.0, 0.0, 0, False
    stop_at = None
    for i, (people, reqs) in enumerate(parts):
        model = build_model(problem, rules, fairness, people=people, requirements=reqs)
        extra = _pin_hint_keep(model, problem, fixed, pin_dates, hint, keep)
        model.finish(extra)
        has_objective |= bool(model.objective_terms() or extra)
        share = (time_limit - (time.monotonic() - started)) / (len(parts) - i)  # what is left, shared
        solver = _parameters(max(0.5, share), workers, seed, parameters)
        label = f"[{i + 1}/{len(parts)}] " if len(parts) > 1 else ""
        stop_at = floor if len(parts) == 1 and not extra else None  # a bound on this part's whole objective
        callback = _Progress((lambda line, label=label: progress(label + line)) if progress else None, stop_at) \
            if progress or stop_at is not None else None
        code = run_interruptibly(solver, model.cp, callback)
        part_status = _STATUS.get(code, Status.UNKNOWN)
        if part_status not in (Status.OPTIMAL, Status.FEASIBLE):
            status = part_status
            break
        if part_status is Status.FEASIBLE:
            status = Status.FEASIBLE
        chosen += [Assignment(d, s, p) for (p, d, s) in model.assigned(solver)]
        if model.objective_terms() or extra:
            objective += solver.objective_value
            bound += solver.best_objective_bound
        solutions += callback.count if callback else 1
    seconds = time.monotonic() - started
    if status in (Status.OPTIMAL, Status.FEASIBLE):
        roster = Roster(problem.start, problem.end, chosen,
                        {"organization": problem.rules.organization, "status": status.value})
        hint_cost = roster_cost(problem, hint) if hint is not None and keep is None else None
        if hint_cost is not None and hint_cost < objective:  # the search ran out of time below its hint
            roster, objective, status = hint, float(hint_cost), Status.FEASIBLE
        if stop_at is not None:
            bound = max(bound, float(stop_at))
            if objective <= bound + 1e-9:
                status = Status.OPTIMAL
        return Result(status, roster, objective if has_objective else 0, bound if has_objective else 0,
                      seconds, solutions)
    if status is Status.UNKNOWN and hint is not None and keep is None:
        hint_cost = roster_cost(problem, hint)
        if hint_cost is not None:  # no time left for the whole-range search: the hint is the answer
            floor = floor_cost(problem, fixed)
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
        if any(k not in problem.key_order for k in pinned
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
