"""Column generation over people's schedules: a lower bound as strong as the published ones, and a start.

When every hard rule binds one person (see `search.person_by_person`), a roster is one valid
schedule per person, and only soft rules (cover targets, …) tie the schedules together. The
LP over whole schedules (Dantzig–Wolfe: choose a mix of schedules per person, pay for what the
mix leaves uncovered) bounds the objective far better than the LP of the model's variables, where
a person can work a fraction of every day: Curtois & Qu Instance5 1140.6 (optimum 1143) against
15.7 for that LP and 722 at CP-SAT's root after its cuts. Schedules are generated as they are
needed: each person's own model is solved with the LP's duals as the prices of what they cover.

The chosen schedules, combined by a small CP-SAT search (one schedule per person), also give a
first roster (Instance5: 1143–1150 in most runs, 1442 once). Both are used by
`search.solve_in_neighbourhoods`.
"""
from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .gc_paused import gc_paused
from .problem import Key, Problem
from .roster import Assignment, Roster
from .solve import _parameters

PRICE_SCALE = 100_000
"""Duals are fractional and CP-SAT's objective integral: prices are rounded to 1/PRICE_SCALE, and
every bound taken from a pricing search is lowered by what that rounding could hide."""


@dataclass
class Columns:
    """What column generation found: a proven lower bound on the objective (the LP's, when every
    person's pricing was solved to optimality; else the best Lagrangian bound), the LP value,
    and a roster made of generated schedules with its cost (None if none was combined in time)."""

    bound: float
    lp: float
    roster: Roster | None
    cost: int | None
    schedules: int
    converged: bool
    seconds: float


class _Person:
    """One person's model with the rules only they are bound by, and their generated schedules."""

    def __init__(self, parts, name: str):
        model, priced, prices, listed = parts.own_part(name)
        self.name, self.model = name, model
        # the model's objective terms price the person's own soft rules, less a constant per person;
        # `prices` are those of the first `priced` (the rest are shared, priced by the master's duals)
        self.own_cost = sum(model.objective_terms()) + sum(p * v for v, p in zip(priced, prices))
        reqs = parts.requirements
        self.own_rules = [r for r in listed if r.weight is not None] + [
            reqs[n] for n, _ in parts.own.get(name, ()) if n not in parts.tying and reqs[n].weight is not None]
        self.shared: dict[int, list[tuple[Key, int]]] = {}  # tying requirement -> this person's terms
        for n, terms in parts.own.get(name, ()):
            if n in parts.tying:
                self.shared.setdefault(n, []).extend((k, c) for k, c in terms if k in model.x)
        self.schedules: list[tuple[frozenset, int, dict[int, int]]] = []  # keys, own cost, shared counts
        self.seen: set[frozenset] = set()

    def cost(self, keys: frozenset) -> int:
        return sum(r.weight * r.excess(r.value(keys)) for r in self.own_rules)

    def counts(self, keys: frozenset) -> dict[int, int]:
        out = {}
        for n, terms in self.shared.items():
            total = sum(c for k, c in terms if k in keys)
            if total:
                out[n] = total
        return out

    def price(self, duals: dict[int, float], convexity: float, seconds: float, seed: int
              ) -> tuple[frozenset, float, float, bool] | None:
        """The schedule of least reduced cost: (keys, reduced cost, a lower bound on it, proven)."""
        model = self.model
        paid = [(model.x[k], round(PRICE_SCALE * c * duals[n]))
                for n, terms in self.shared.items() if abs(duals.get(n, 0.0)) > 1e-9 for k, c in terms]
        model.cp.clear_objective()
        model.cp.minimize(PRICE_SCALE * self.own_cost - cp_model.LinearExpr.weighted_sum(
            [v for v, _ in paid], [p for _, p in paid]))
        solver = _parameters(seconds, 1, seed, {"max_presolve_iterations": 1})
        code = solver.solve(model.cp)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        keys = frozenset(model.assigned(solver))
        cost = self.cost(keys)
        offset = cost - solver.value(self.own_cost)  # the constant the model leaves out
        reduced = cost - sum(c * duals.get(n, 0.0) for n, c in self.counts(keys).items()) - convexity
        rounding = len(paid) / PRICE_SCALE  # each price off by at most half a unit, on both sides of the bound
        floor = solver.best_objective_bound / PRICE_SCALE + offset - convexity - rounding
        return keys, reduced, min(floor, reduced), code == cp_model.OPTIMAL

    def add(self, keys: frozenset) -> bool:
        if keys in self.seen:
            return False
        self.seen.add(keys)
        self.schedules.append((keys, self.cost(keys), self.counts(keys)))
        return True


class _Master:
    """The LP over the schedules generated so far: one mix per person, each tying rule's shortfall priced."""

    def __init__(self, requirements, tying: list[int], people: list[_Person]):
        self.requirements, self.tying, self.people = requirements, tying, people
        self.mix: list[list[float]] = []  # the last LP's weight of each person's schedules

    def solve(self) -> tuple[float, dict[int, float], dict[str, float]] | None:
        lp = pywraplp.Solver.CreateSolver("GLOP")
        inf = lp.infinity()
        objective = lp.Objective()
        low, high = {}, {}
        for n in self.tying:
            req = self.requirements[n]
            if req.lo is not None:
                short = lp.NumVar(0, inf, "")
                objective.SetCoefficient(short, req.weight)
                low[n] = lp.Constraint(req.lo - req.const, inf)
                low[n].SetCoefficient(short, 1)
            if req.hi is not None:
                over = lp.NumVar(0, inf, "")
                objective.SetCoefficient(over, req.weight)
                high[n] = lp.Constraint(-inf, req.hi - req.const)
                high[n].SetCoefficient(over, -1)
        convexity, mixes = {}, []
        for person in self.people:
            row = convexity[person.name] = lp.Constraint(1, 1)
            mixes.append([])
            for _, cost, counts in person.schedules:
                mix = lp.NumVar(0, inf, "")
                mixes[-1].append(mix)
                objective.SetCoefficient(mix, cost)
                row.SetCoefficient(mix, 1)
                for n, c in counts.items():
                    for rows in (low, high):
                        if n in rows:
                            rows[n].SetCoefficient(mix, c)
        objective.SetMinimization()
        if lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        self.mix = [[mix.solution_value() for mix in mine] for mine in mixes]
        duals = {n: (low[n].dual_value() if n in low else 0.0) + (high[n].dual_value() if n in high else 0.0)
                 for n in self.tying}
        return objective.Value(), duals, {name: row.dual_value() for name, row in convexity.items()}

    def combine(self, seconds: float, workers: int, seed: int) -> tuple[list[frozenset], int] | None:
        """One generated schedule per person, the combination of least cost found in `seconds`."""
        ip = cp_model.CpModel()
        terms: dict[int, list] = {n: [] for n in self.tying}
        most = dict.fromkeys(self.tying, 0)  # the most and least the schedules can add to each tying rule
        least = dict.fromkeys(self.tying, 0)
        costs, picks = [], []
        for person in self.people:
            mine = [ip.new_bool_var("") for _ in person.schedules]
            ip.add_exactly_one(mine)
            picks.append(mine)
            weights = self.mix[len(picks) - 1] if len(self.mix) >= len(picks) else []
            if weights:  # start from each person's heaviest schedule in the LP
                heaviest = max(range(len(weights)), key=weights.__getitem__)
                for j, var in enumerate(mine):
                    ip.add_hint(var, int(j == heaviest))
            for var, (_, cost, counts) in zip(mine, person.schedules):
                costs.append(cost * var)
                for n, c in counts.items():
                    terms[n].append(c * var)
            for n in person.shared:
                added = [counts.get(n, 0) for _, _, counts in person.schedules]
                most[n] += max(added)
                least[n] += min(added)
        for n in self.tying:
            req = self.requirements[n]
            value = sum(terms[n]) + req.const
            if req.lo is not None:
                short = ip.new_int_var(0, max(0, req.lo - req.const - least[n]), "")
                ip.add(value + short >= req.lo)
                costs.append(req.weight * short)
            if req.hi is not None:
                over = ip.new_int_var(0, max(0, req.const + most[n] - req.hi), "")
                ip.add(value - over <= req.hi)
                costs.append(req.weight * over)
        ip.minimize(sum(costs))
        solver = _parameters(seconds, workers, seed, {"subsolvers": ["max_lp"]})
        if solver.solve(ip) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        chosen = [next(keys for var, (keys, _, _) in zip(mine, person.schedules) if solver.boolean_value(var))
                  for mine, person in zip(picks, self.people)]
        return chosen, round(solver.objective_value)


def generate_columns(problem: Problem, time_limit: float, workers: int = 1, seed: int = 0,
                     combine_share: float = 0.3) -> Columns | None:
    """Column generation for at most `time_limit` seconds, of which the roster's combination takes at
    most `combine_share` (the time it leaves unused is the caller's).

    None when it does not apply: a hard rule or a count of groups ties several people, or the
    fairness spread (not a sum over people) is priced."""
    from .search import _PersonModels
    started = time.monotonic()
    if problem.rules.fairness.weight:
        return None
    with gc_paused():
        parts = _PersonModels(problem)
        if parts.own is None:
            return None
        people = [_Person(parts, p.name) for p in problem.people]
    master = _Master(parts.requirements, sorted(parts.tying), people)
    deadline = started + time_limit * (1 - combine_share)
    lp, bound, converged, rounds = math.inf, -math.inf, False, 0
    with ThreadPoolExecutor(max(1, workers)) as pool:
        duals: dict[int, float] = {}
        convexity = {p.name: 0.0 for p in people}
        while time.monotonic() < deadline:
            rounds += 1
            # each person's share of what is left, so that one round ends by the deadline
            seconds = max(0.05, min(2.0, (deadline - time.monotonic()) * max(1, workers) / max(1, len(people))))
            priced = list(pool.map(lambda p: p.price(duals, convexity[p.name], seconds, seed + rounds), people))
            if any(result is None for result in priced):
                return None  # someone has no valid schedule (or none found in time)
            added = sum(person.add(keys) for person, (keys, reduced, _, _) in zip(people, priced)
                        if reduced < -1e-6 or not person.schedules)  # everyone needs a first schedule
            if rounds > 1:
                proven = all(optimal for *_, optimal in priced)
                if proven:  # Lagrangian bound: the LP plus every person's best gain (the LP's own value when none)
                    bound = max(bound, lp + sum(min(0.0, floor) for _, _, floor, _ in priced))
                if not added:
                    converged = proven  # else a pricing search ran out of time: the LP may not be the bound
                    break
            solved = master.solve()
            if solved is None:
                return None
            lp, duals, convexity = solved
        left = time_limit - (time.monotonic() - started)
        combined = master.combine(max(0.5, min(left, time_limit * combine_share)), workers, seed)
    roster, cost = None, None
    if combined is not None:
        chosen = [Assignment(d, s, p) for keys in combined[0] for (p, d, s) in keys]
        roster = Roster(problem.start, problem.end, chosen, {"organization": problem.rules.organization})
        cost = combined[1]  # every schedule's own cost plus the tying rules' penalties: the roster's objective
    return Columns(max(bound, 0.0) if bound > -math.inf else 0.0, lp, roster, cost,
                   sum(len(p.schedules) for p in people), converged, time.monotonic() - started)
