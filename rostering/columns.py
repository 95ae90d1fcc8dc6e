"""Column generation over people's schedules: a lower bound as strong as the published ones, and a start.

When every hard rule binds one person (see `search.person_by_person`), a roster is one valid
schedule per person, and only soft rules (cover targets, …) tie the schedules together. The
LP over whole schedules (Dantzig–Wolfe: choose a mix of schedules per person, pay for what the
mix leaves uncovered) bounds the objective far better than the LP of the model's variables, where
a person can work a fraction of every day: Curtois & Qu Instance5 1140.6 (optimum 1143) against
15.7 for that LP and 722 at CP-SAT's root after its cuts. Schedules are generated as they are
needed: each person's schedule of least cost, with the LP's duals as the prices of what they cover,
comes from a dynamic program over their days where their rules fit it (`day_program.py`), else from
a CP-SAT search of their own model.

The chosen schedules, combined by a MIP solver (CBC, shipped with OR-Tools) into one schedule per
person, also give a first roster (Instance5: 1143, the optimum, in 2 s); and the LP's share of
each assignment tells a search which ones it has settled (`search._around_lp`). All are used by
`search.solve_in_neighbourhoods`.
"""
from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .constraints.base import AnyCount
from .day_program import DayProgram
from .gc_paused import gc_paused
from .problem import Key, Problem
from .roster import Roster
from .solve import _parameters

PRICE_SCALE = 100_000
"""Duals are fractional and CP-SAT's objective integral: prices are rounded to 1/PRICE_SCALE, and
every bound taken from a pricing search is lowered by what that rounding could hide."""

PRICING_PARAMETERS = {"max_presolve_iterations": 1, "linearization_level": 2}
"""CP-SAT's settings for one person's pricing search. Its LP with every cut (level 2) proves the best
schedule sooner where the horizon is long: CPU per pricing search, 20 people at the same duals,
Curtois & Qu Instance14 0.087 s against 0.303 s at level 1, Instance16 0.198 s against 0.810 s,
Instance12 0.039 s against 0.060 s, Instance7 and Instance9 the same (level 0: Instance9 3.9 s)."""


@dataclass
class Columns:
    """What column generation found: a proven lower bound on the objective (the best Lagrangian
    bound, which meets the LP's value once it has settled), the LP value,
    and a roster made of generated schedules with its cost (None if none was combined in time);
    each assignment's share in the LP's mix of schedules (absent: none)."""

    bound: float
    lp: float
    roster: Roster | None
    cost: int | None
    schedules: int
    converged: bool
    seconds: float
    fractions: dict[Key, float]

    @property
    def floor(self) -> int:
        """The least objective a roster can have by the bound (objectives are integral)."""
        return math.ceil(self.bound - 1e-6)


def priced_by_days(problem: Problem) -> bool:
    """Whether every person's pricing can be by `DayProgram` (it still falls back on CP-SAT for a
    person whose schedules break a rule the program leaves out)."""
    return all(_day_program(problem, p.name) is not None for p in problem.people)


def _day_program(problem: Problem, name: str) -> DayProgram | None:
    """`name`'s program over all their candidate duties, built once for `priced_by_days` and the pricing."""
    return problem.shared(("day program", name),
                          lambda: DayProgram.of(problem, name, problem.keys_by_person.get(name, [])))


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
        self.met: list[frozenset] = []  # other schedules the last pricing search met
        self.by_days = _ByDays.of(parts, name, listed, self.own_rules, self.shared)

    def cost(self, keys: frozenset) -> int:
        return sum(r.weight * r.excess(r.value(keys)) for r in self.own_rules)

    def counts(self, keys: frozenset) -> dict[int, int]:
        out = {}
        for n, terms in self.shared.items():
            total = sum(c for k, c in terms if k in keys)
            if total:
                out[n] = total
        return out

    def price(self, duals: dict[int, float], seconds: float, seed: int) -> tuple[frozenset, float, bool] | None:
        """The schedule of least cost less what `duals` pay for it: (keys, a lower bound on that least
        cost, proven). By dynamic programming over the person's days where it finds the best schedule
        (`_ByDays`), else by a CP-SAT search."""
        if self.by_days is not None:
            found = self.by_days.price(self, duals)
            if found is not None:
                self.met = []
                return found
            if self.by_days.misses >= _ByDays.MISSES:
                self.by_days = None
        model = self.model
        paid = [(model.x[k], round(PRICE_SCALE * c * duals[n]))
                for n, terms in self.shared.items() if abs(duals.get(n, 0.0)) > 1e-9 for k, c in terms]
        model.cp.clear_objective()
        model.cp.minimize(PRICE_SCALE * self.own_cost - cp_model.LinearExpr.weighted_sum(
            [v for v, _ in paid], [p for _, p in paid]))
        solver = _parameters(seconds, 1, seed, PRICING_PARAMETERS)
        met = _Solutions(model)
        code = solver.solve(model.cp, met)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        keys = frozenset(model.assigned(solver))
        self.met = [k for k in met.found if k != keys]
        offset = self.cost(keys) - solver.value(self.own_cost)  # the constant the model leaves out
        rounding = len(paid) / PRICE_SCALE  # each price off by at most half a unit, on both sides of the bound
        floor = solver.best_objective_bound / PRICE_SCALE + offset - rounding
        return keys, min(floor, self.reduced(keys, duals)), code == cp_model.OPTIMAL

    def reduced(self, keys: frozenset, duals: dict[int, float], convexity: float = 0.0) -> float:
        """The schedule's cost less what the LP's duals pay for it."""
        return self.cost(keys) - sum(c * duals.get(n, 0.0) for n, c in self.counts(keys).items()) - convexity

    def add(self, keys: frozenset) -> bool:
        if keys in self.seen:
            return False
        self.seen.add(keys)
        self.schedules.append((keys, self.cost(keys), self.counts(keys)))
        return True


class _ByDays:
    """A person's pricing by `DayProgram`: each duty's own price (the person's soft rules on one duty),
    what each tying rule counts of it, and the person's hard rules to check the program's schedule
    against (the program keeps only the usual ones)."""

    MISSES = 2
    """After this many schedules in a row that break a rule the program leaves out (or cost more than it
    says), the person is priced by CP-SAT alone."""

    def __init__(self, program: DayProgram, unit: np.ndarray, empty: int, tying: list[int], counts: np.ndarray,
                 hard: list):
        self.program, self.unit, self.empty, self.hard = program, unit, empty, hard
        self.tying, self.counts = tying, counts  # counts[key, j]: what the key adds to tying rule tying[j]
        self.misses = 0

    @classmethod
    def of(cls, parts, name: str, listed: list, own_rules: list, shared: dict[int, list]) -> _ByDays | None:
        program = _day_program(parts.problem, name)
        if program is None:
            return None
        position = {key: i for i, key in enumerate(program.keys)}  # the person's model has the same keys
        unit, empty = np.zeros(len(position)), 0
        for rule in own_rules:  # soft; those on one duty are priced exactly, the rest cost ≥ 0 and are left out
            present = [(key, c) for key, c in rule.terms if key in position]
            if len(present) == 1 and not isinstance(rule, AnyCount):
                (key, c), = present
                without, with_one = rule.costs_of_one(rule.const, c)
                unit[position[key]] += with_one - without
                empty += without
        tying = sorted(shared)
        counts = np.zeros((len(position), len(tying)))
        for j, n in enumerate(tying):
            for key, c in shared[n]:
                counts[position[key], j] += c
        reqs = parts.requirements
        hard = [r for r in listed if r.weight is None] + [
            reqs[n] for n, _ in parts.own.get(name, ()) if n not in parts.tying and reqs[n].weight is None]
        return cls(program, unit, empty, tying, counts, hard)

    def price(self, person: _Person, duals: dict[int, float]) -> tuple[frozenset, float, bool] | None:
        """The program's best schedule, when it keeps every rule of the person and costs what the
        program says: then it is the best one (the program is a relaxation)."""
        prices = np.array([duals.get(n, 0.0) for n in self.tying])
        found = self.program.best(self.unit - self.counts @ prices if len(prices) else self.unit)
        if found is None:  # no schedule keeps the program's rules: CP-SAT says why
            self.misses = self.MISSES
            return None
        value, chosen = found
        keys = frozenset(chosen)
        value += self.empty
        keeps = all(not r.excess(r.value(keys)) for r in self.hard)
        if keeps and abs(person.reduced(keys, duals) - value) <= 1e-6 * max(1.0, abs(value)):
            self.misses = 0
            return keys, value, True
        self.misses += 1
        return None


class _Solutions(cp_model.CpSolverSolutionCallback):
    """Every solution a pricing search meets on its way to the best."""

    def __init__(self, model):
        super().__init__()
        self.keys, self.found = list(model.x), []
        self.variables = list(model.x.values())

    def on_solution_callback(self) -> None:
        self.found.append(frozenset(k for k, v in zip(self.keys, self.variables) if self.boolean_value(v)))


class _Program:
    """The master program over the schedules added so far: one mix per person, each tying rule's
    shortfall priced; continuous (the LP) or with one whole schedule per person (a roster)."""

    def __init__(self, solver, requirements, tying: list[int], people: list[_Person], whole: bool):
        self.solver, self.whole, self.people = solver, whole, people
        inf = solver.infinity()
        self.objective = objective = solver.Objective()
        self.low, self.high = {}, {}
        for n in tying:
            req = requirements[n]
            if req.lo is not None:
                short = solver.NumVar(0, inf, "")
                objective.SetCoefficient(short, req.weight)
                self.low[n] = solver.Constraint(req.lo - req.const, inf)
                self.low[n].SetCoefficient(short, 1)
            if req.hi is not None:
                over = solver.NumVar(0, inf, "")
                objective.SetCoefficient(over, req.weight)
                self.high[n] = solver.Constraint(-inf, req.hi - req.const)
                self.high[n].SetCoefficient(over, -1)
        objective.SetMinimization()
        self.convexity = {person.name: solver.Constraint(1, 1) for person in people}
        self.mixes: list[list] = [[] for _ in people]  # each person's schedule variables, in their order
        self.grow()

    def grow(self) -> None:
        """Add the schedules generated since the last call (the LP solver starts again from its last basis)."""
        for person, mine in zip(self.people, self.mixes):
            row = self.convexity[person.name]
            for _, cost, counts in person.schedules[len(mine):]:
                mix = self.solver.BoolVar("") if self.whole else self.solver.NumVar(0, self.solver.infinity(), "")
                mine.append(mix)
                self.objective.SetCoefficient(mix, cost)
                row.SetCoefficient(mix, 1)
                for n, c in counts.items():
                    for rows in (self.low, self.high):
                        if n in rows:
                            rows[n].SetCoefficient(mix, c)


@dataclass
class _Duals:
    """Prices of the tying rows' lower bounds (≥ 0) and upper bounds (≤ 0); from the LP, also its value
    and each person's convexity dual."""

    low: dict[int, float]
    high: dict[int, float]
    lp: float = math.nan
    convexity: dict[str, float] | None = None

    @property
    def prices(self) -> dict[int, float]:
        out = dict(self.low)
        for n, v in self.high.items():
            out[n] = out.get(n, 0.0) + v
        return out

    def towards(self, other: _Duals, share: float) -> _Duals:
        """`share` of the way from these prices to `other`'s (Wentges' smoothing)."""
        mix = lambda a, b: {n: (1 - share) * a.get(n, 0.0) + share * b.get(n, 0.0) for n in a.keys() | b.keys()}
        return _Duals(mix(self.low, other.low), mix(self.high, other.high))


class _Master:
    """The LP over the schedules generated so far, kept between rounds and grown by the new ones; and
    the same program with one whole schedule per person, for a roster."""

    def __init__(self, requirements, tying: list[int], people: list[_Person]):
        self.requirements, self.tying, self.people = requirements, tying, people
        self.lp: _Program | None = None

    def _program(self, backend: str, whole: bool) -> _Program | None:
        """The program over every schedule so far; None if this OR-Tools build lacks `backend`."""
        solver = pywraplp.Solver.CreateSolver(backend)
        return None if solver is None else _Program(solver, self.requirements, self.tying, self.people, whole)

    def solve(self) -> _Duals | None:
        if self.lp is None:
            self.lp = self._program("GLOP", whole=False)  # GLOP is OR-Tools' own
        else:
            self.lp.grow()
        lp = self.lp
        if lp.solver.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        # clipped to where the shortfall's and the excess's weights keep the Lagrangian finite
        weights = {n: self.requirements[n].weight for n in self.tying}
        low = {n: min(weights[n], max(0.0, row.dual_value())) for n, row in lp.low.items()}
        high = {n: max(-weights[n], min(0.0, row.dual_value())) for n, row in lp.high.items()}
        return _Duals(low, high, lp.objective.Value(), {name: row.dual_value() for name, row in lp.convexity.items()})

    def paid(self, duals: _Duals) -> float:
        """The tying rows' part of the Lagrangian at `duals`: what the prices pay for the rows' bounds."""
        reqs = self.requirements
        return (sum(v * (reqs[n].lo - reqs[n].const) for n, v in duals.low.items())
                + sum(v * (reqs[n].hi - reqs[n].const) for n, v in duals.high.items()))

    def fractions(self) -> dict[Key, float]:
        """Each assignment's share in the last LP solution's mix of schedules."""
        shares: dict[Key, float] = {}
        if self.lp is not None:
            for person, mine in zip(self.people, self.lp.mixes):
                for (keys, _, _), mix in zip(person.schedules, mine):
                    value = mix.solution_value()
                    if value > 1e-9:
                        for key in keys:
                            shares[key] = shares.get(key, 0.0) + value
        return shares

    def combine(self, seconds: float) -> tuple[list[frozenset], int] | None:
        """One generated schedule per person, the combination of least cost found in `seconds`, and its cost.

        A MIP solver's branch and cut (CBC) finds far better combinations than CP-SAT: Curtois & Qu
        Instance5 1143 (the optimum) in 2 s against 1249–1847 in 4.5–15 s; Instance6 1961 in 4.5 s
        against 2648 (both LPs 1949)."""
        program = self._program("CBC", whole=True)
        if program is None:  # an OR-Tools build without CBC: no roster from the columns
            return None
        program.solver.SetTimeLimit(max(1, int(seconds * 1000)))
        if program.solver.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            return None
        chosen = [max(zip(mine, person.schedules), key=lambda pick: pick[0].solution_value())[1]
                  for mine, person in zip(program.mixes, self.people)]
        return [keys for keys, _, _ in chosen], self.cost(chosen)

    def cost(self, chosen: list[tuple[frozenset, int, dict[int, int]]]) -> int:
        """Every chosen schedule's own cost plus the tying rules' penalties: the roster's objective."""
        totals = dict.fromkeys(self.tying, 0)
        for _, _, counts in chosen:
            for n, c in counts.items():
                totals[n] += c
        penalties = sum(self.requirements[n].weight * self.requirements[n].excess(self.requirements[n].const + total)
                        for n, total in totals.items())
        return sum(cost for _, cost, _ in chosen) + penalties


SMOOTHING = 0.5
"""Pricing asks at this share of the best bound's prices and the rest of the LP's (Wentges' smoothing):
the LP's duals swing from round to round, and columns priced at them alone settle the LP more slowly.
Curtois & Qu, at 0.5 against 0 (the LP's duals alone): Instance9 settled in 21 s (not in 24 s),
Instance10 in 25 s against 28 s; after 60 s, Instance12's LP 4055 against 4078 (optimum 4040),
Instance14's 1280 against 1301 (optimum 1278), Lagrangian bounds 3889 against 3763, 1229 against 1131.
A hint from the person's last best schedule made pricing slower (Instance10: not settled in 30 s)."""

QUICK_ROUND_SHARE = 0.15
"""With `only_if_quick`, the most of column generation's time one round may take. The LP needs about
fifteen rounds to settle (Curtois & Qu Instance9: 16 rounds, 19 s); where the second round alone
takes more, pricing is too slow for it to settle in time (Instance14 with CP-SAT's default LP in
pricing: 4.6 s of 24 s), and a person who gets no schedule within their share of a round makes it
give up (Instance16)."""


def generate_columns(problem: Problem, time_limit: float, workers: int = 1, seed: int = 0,
                     combine_share: float = 0.3, only_if_quick: bool = False) -> Columns | None:
    """Column generation for at most `time_limit` seconds, of which the roster's combination takes at
    most `combine_share` (none at 0; the time it leaves unused is the caller's).

    None when it does not apply: a hard rule or a count of groups ties several people, or the
    fairness spread (not a sum over people) is priced; with `only_if_quick`, also when one of the
    first two rounds takes more than `QUICK_ROUND_SHARE` of the time (then it gives up early)."""
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
    bound, converged, rounds = -math.inf, False, 0
    lp: _Duals | None = None  # the last LP's duals
    centre: _Duals = _Duals({}, {})  # the prices of the best Lagrangian bound so far
    with ThreadPoolExecutor(max(1, workers)) as pool:
        round_limit = time_limit * QUICK_ROUND_SHARE if only_if_quick else math.inf
        smoothing = SMOOTHING
        while time.monotonic() < deadline:
            rounds += 1
            round_started = time.monotonic()
            # each person's share of what is left, so that one round ends by the deadline (the first
            # two, which `only_if_quick` times, within `round_limit`)
            limit = min(deadline - round_started, round_limit if rounds <= 2 else math.inf)
            seconds = max(0.05, min(2.0, limit * max(1, workers) / max(1, len(people))))
            asked = centre if lp is None else lp if smoothing == 0 else centre.towards(lp, 1 - smoothing)
            prices = asked.prices
            priced = list(pool.map(lambda p: p.price(prices, seconds, seed + rounds), people))
            if rounds <= 2 and time.monotonic() - round_started > round_limit:
                return None
            if any(result is None for result in priced):
                if rounds == 1:
                    return None  # someone has no valid schedule (or none found in time)
                # a search near the deadline found nothing in its short time (Curtois & Qu Instance7,
                # 3 runs in 4 on a slow machine): the pool and the bound so far still stand
                break
            proven = all(optimal for *_, optimal in priced)
            if proven:  # the Lagrangian bound at the prices asked: every person's least cost at them
                lagrangian = master.paid(asked) + sum(floor for _, floor, _ in priced)
                if lagrangian > bound:
                    bound, centre = lagrangian, asked
            if lp is None:  # everyone needs a first schedule
                added = sum(person.add(keys) for person, (keys, _, _) in zip(people, priced))
            else:  # the schedules the LP would take, and every other one a search met that it would
                lp_prices = lp.prices
                gains = lambda person, keys: person.reduced(keys, lp_prices, lp.convexity[person.name]) < -1e-6
                added = sum(person.add(keys) for person, (keys, _, _) in zip(people, priced) if gains(person, keys))
                added += sum(person.add(keys) for person in people for keys in person.met if gains(person, keys))
                if bound >= lp.lp - 1e-6:
                    converged = True  # the bound meets the LP: no schedule can lower it
                    break
            if lp is not None and not added:
                if asked is not lp:
                    smoothing = 0.0  # nothing the LP takes at the smoothed prices: ask at the LP's own
                    continue
                converged = proven  # else a pricing search ran out of time: the LP may not be the bound
                break
            smoothing = SMOOTHING
            lp = master.solve()
            if lp is None:
                return None
        fractions = master.fractions()  # before CBC: GLOP's last solution
        left = time_limit - (time.monotonic() - started)
        combined = master.combine(max(0.5, min(left, time_limit * combine_share))) if combine_share > 0 else None
    roster, cost = None, None
    if combined is not None:
        roster = problem.roster_of(key for keys in combined[0] for key in keys)
        cost = combined[1]
    return Columns(max(bound, 0.0) if bound > -math.inf else 0.0, lp.lp if lp is not None else math.inf, roster, cost,
                   sum(len(p.schedules) for p in people), converged, time.monotonic() - started, fractions)
