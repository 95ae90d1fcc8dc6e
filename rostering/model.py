"""CP-SAT face of the rules: variables, requirements as linear constraints, penalties and objective.

Only this module and `solve.py` import ortools; `roster check` never does.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from ortools.sat.python import cp_model

from .constraints import Fairness, Requirement, Rule
from .constraints.base import AnyCount, DayCount
from .constraints.coverage import Coverage
from .gc_paused import gc_paused
from .problem import Key, Problem

GroupKey = tuple


def group_of(req: Requirement) -> GroupKey:
    """Requirements explained together when the rules conflict: one rule, one date/shift, same people."""
    return (req.rule, req.date, req.shift, req.people)


class RosterModel:
    """x[person, date, shift] booleans for every candidate key, plus the rules posted on them."""

    def __init__(self, problem: Problem, explain: bool = False, people: set[str] | None = None,
                 at_most_one_form: bool = False):
        self.problem = problem
        self.at_most_one_form = at_most_one_form  # see `_add_at_most_one`
        self.cp = cp_model.CpModel()
        self.people = people if people is not None else {p.name for p in problem.people}
        if people is None or len(people) * 4 > len(problem.people):
            keys = problem.keys
        elif len(people) == 1:
            keys = problem.keys_by_person.get(next(iter(people)), [])  # already in key order
        else:
            keys = sorted((k for name in people for k in problem.keys_by_person.get(name, ())),
                          key=problem.key_order.__getitem__)
        self.x: dict[Key, cp_model.IntVar] = {
            key: self.cp.new_bool_var(f"x[{key[0]}|{key[1].isoformat()}|{key[2]}]")
            for key in keys if key[0] in self.people}
        assert not self.x or next(reversed(self.x.values())).index == len(self.x) - 1  # `assigned` reads them so
        self.day_vars: dict[tuple[str, object], list[cp_model.IntVar]] = defaultdict(list)  # (person, date) -> duties
        self.var_and_day: dict[Key, tuple] = {}  # key -> (its variable, its (person, date)), for `_terms`
        for key, var in self.x.items():
            day = (key[0], key[1])
            self.day_vars[day].append(var)
            self.var_and_day[key] = (var, day)
        self.day_sums: dict[tuple[str, object], cp_model.IntVar] = {}
        self.day_forms: dict[int, tuple] = {}  # id of a day's duties -> (the duties, their variables)
        self.any_flags: dict[tuple, cp_model.IntVar] = {}  # key group -> whether any of it is assigned
        self.penalties: list[tuple[int, cp_model.LinearExprT, Requirement]] = []  # weight × expression
        self.fairness_terms: list[tuple[int, cp_model.IntVar]] = []
        self.explain = explain
        self.assumptions: dict[GroupKey, cp_model.IntVar] = {}

    def assigned(self, solver: cp_model.CpSolver) -> list[Key]:
        """The keys the solver's solution assigns, read from its response at once: the x variables are
        the model's first, in order (half the time of asking per variable: 3 ms for a person of
        Curtois & Qu Instance24)."""
        return [key for key, value in zip(self.x, solver.response_proto.solution) if value]

    # -- requirements ------------------------------------------------------
    def add(self, req: Requirement, terms=None, const: int | None = None) -> None:
        """Post a requirement; `terms`/`const` replace the requirement's own (a part of it, the rest fixed)."""
        if isinstance(req, AnyCount):
            self.add_any_count(req)
            return
        terms = req.terms if terms is None else terms
        const = req.const if const is None else const
        if self.at_most_one_form and req.weight is None and req.hi == 1 and const == 0 and (req.lo or 0) <= 0 \
                and not self.explain and all(c == 1 for _, c in terms):
            self._add_at_most_one(terms)
        elif terms is req.terms and isinstance(req, DayCount):
            self._post(req, self._day_terms(req.days), const)
        else:
            self._post(req, self._terms(terms), const)

    def _post(self, req: Requirement, terms: list[tuple[cp_model.IntVar, int]], const: int) -> None:
        """`lo <= const + Σ coef·var <= hi`, hard or priced; nothing when no choice can break it."""
        low = const + sum(c for _, c in terms if c < 0)
        high = const + sum(c for _, c in terms if c > 0)
        if (req.lo is None or low >= req.lo) and (req.hi is None or high <= req.hi):
            return  # cannot be broken: nothing to post
        if req.weight is not None and len(terms) == 1:
            self._add_soft_single(req, terms[0], const)
            return
        expr = cp_model.LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms]) + const \
            if terms else const  # weighted_sum builds long sums far faster than operator chains
        if req.weight is None:
            self._add_hard(req, expr, low, high)
        else:
            self._add_soft(req, expr, low, high)

    def _terms(self, keyed: list[tuple[Key, int]]) -> list[tuple[cp_model.IntVar, int]]:
        """Variables and coefficients, with every whole day of one person summed into one variable.

        Rules over working days (runs, weekends, day-long windows) name every duty of a day;
        one `day_sum` per person and date replaces those terms, so a week-long window over 32
        shift types holds 7 terms instead of 224 and CP-SAT's presolve and LP stay small.
        Keys without a variable (someone else's, or not allowed) are left out."""
        x = self.x
        if len(keyed) < 4:
            return [(x[k], c) for k, c in keyed if k in x]
        var_and_day = self.var_and_day
        groups: dict[tuple[str, object], list[tuple[cp_model.IntVar, int]]] = {}
        for k, c in keyed:
            found = var_and_day.get(k)
            if found is not None:
                members = groups.get(found[1])
                if members is None:
                    groups[found[1]] = [(found[0], c)]
                else:
                    members.append((found[0], c))
        if len(groups) <= 1:  # one day alone (at most one duty a day, …) stays a plain clique
            return next(iter(groups.values()), [])
        out = []
        for day, members in groups.items():
            coef = members[0][1]
            if self._whole_day(day, len(members)) and all(c == coef for _, c in members):
                out.append((self.day_sum(*day), coef))
            else:
                out += members
        return out

    def _whole_day(self, day: tuple[str, object], count: int) -> bool:
        """Whether `count` of a person's duties on `day` (person, date) are all of them, and more than one."""
        return count > 1 and count == len(self.day_vars.get(day, ()))

    def day_sum(self, name: str, day) -> cp_model.IntVar:
        """The number of duties `name` holds on `day`, as one variable."""
        if (name, day) not in self.day_sums:
            duties = self.day_vars[name, day]
            total = self.cp.new_int_var(0, len(duties), f"day[{name}|{day.isoformat()}]")  # presolve narrows it
            self.cp.add(total == cp_model.LinearExpr.sum(duties))
            self.day_sums[name, day] = total
        return self.day_sums[name, day]

    def _add_at_most_one(self, terms) -> None:
        """A hard "at most one of these assignments", in CP-SAT's own form (`at_most_one_form`).

        A third of a linear constraint's time to post (Curtois & Qu Instance24 posts 2 400 a
        person for successions alone), for models searched for any valid schedule by local search.
        Not for models an LP-based search solves: on Curtois & Qu Instance7 the whole search's bound
        fell from 1049 to 1043–1046 and it found 1177 and 1068 where the linear form found 1067 and
        1062 (seeds 2, 3)."""
        x = self.x
        literals = [x[k] for k, _ in terms if k in x]
        if len(literals) > 1:
            self.cp.add_at_most_one(literals)

    def _day_terms(self, days) -> list[tuple[cp_model.IntVar, int]]:
        """Variables and coefficients of a `DayCount`: each whole day of duties as its day sum.

        Each day's form is found once per model (a year of run rules names every day dozens of
        times: Curtois & Qu Instance24, 82 000 terms a person), by the identity of the day's tuple,
        which the form keeps alive."""
        out = []
        forms = self.day_forms
        for duties, sign in days:
            if not duties:
                continue
            form = forms.get(id(duties))
            if form is None:
                x = self.x
                present = [x[k] for k, _ in duties if k in x]
                day = duties[0][0][:2]  # one person's duties on one date
                if self._whole_day(day, len(present)):
                    present = [self.day_sum(*day)]
                form = forms[id(duties)] = (duties, present)
            out += [(var, sign) for var in form[1]]
        return out

    def _add_soft_single(self, req: Requirement, term, const: int) -> None:
        """A soft requirement on one assignment costs f(0) + (f(1) − f(0))·x: no slack variable needed.

        (An on/off request, or a slot with one possible person left: the same LP as a slack, with
        fewer variables.)"""
        var, coef = term
        without, with_one = req.costs_of_one(const, coef)
        self.penalties.append((1, without + (with_one - without) * var, req))

    def add_any_count(self, req) -> None:
        """A requirement counting key groups with any assignment (`AnyCount`: weekends worked, …).

        Each group gets a boolean equal to the OR of its keys (one per group, shared by every
        requirement naming it); the weighted count is then posted like any other requirement."""
        terms = []
        for group, coef in zip(req.groups, req.coefficients()):
            present = [self.x[k] for k in group if k in self.x]
            if len(present) == 1:
                terms.append((present[0], coef))
            elif present:
                if group not in self.any_flags:
                    flag = self.cp.new_bool_var(f"any[{req.rule}|{'/'.join(req.people)}|{group[0][1]}]")
                    self.cp.add_max_equality(flag, present)
                    self.any_flags[group] = flag
                terms.append((self.any_flags[group], coef))
        self._post(req, terms, req.const)

    def _add_hard(self, req: Requirement, expr, low: int, high: int) -> None:
        lit = None
        if self.explain:
            group = group_of(req)
            if group not in self.assumptions:
                self.assumptions[group] = self.cp.new_bool_var(f"assume[{req.rule}|{req.date}|{req.shift}|{req.people}]")
            lit = self.assumptions[group]
        lo = req.lo if req.lo is not None else min(low, req.hi or 0)
        hi = req.hi if req.hi is not None else max(high, req.lo or 0)
        if isinstance(expr, int):
            ct = self.cp.add_bool_or([])  # a constant that breaks the bound: infeasible as stated
        else:
            ct = self.cp.add_linear_constraint(expr, lo, hi)
        if lit is not None:
            ct.only_enforce_if(lit)

    def _add_soft(self, req: Requirement, expr, low: int, high: int) -> None:
        name = f"{req.rule}|{req.date}|{req.shift}|{'/'.join(req.people)}"
        if req.hi is not None and high > req.hi:
            over = self.cp.new_int_var(0, high - req.hi, f"over[{name}]")
            self.cp.add(expr - over <= req.hi)
            self.penalties.append((req.weight, over, req))  # type: ignore[arg-type]
        if req.lo is not None and low < req.lo:
            under = self.cp.new_int_var(0, req.lo - low, f"under[{name}]")
            self.cp.add(expr + under >= req.lo)
            self.penalties.append((req.weight, under, req))  # type: ignore[arg-type]

    # -- fairness ----------------------------------------------------------
    def add_fairness(self, weight: int, demand_is_fixed: bool = True) -> None:
        """Per pool: max and min weighted load, with averaging cuts and the floor from total demand.

        (Load-ordering symmetry breaking was measured and dropped: with the floor in place it
        slowed the search for an optimal roster about 1.5x on the scale benchmark.)

        `demand_is_fixed`: every slot must get exactly its headcount (hard coverage), which
        makes the spread floor from total demand valid."""
        if weight <= 0:
            return
        p = self.problem
        by_person: dict[str, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
        for key, var in self.x.items():
            slot = p.slot_of(key)
            by_person[key[0]].append((var, p.load(slot)))  # type: ignore[arg-type]
        for pool, names in p.pools.items():
            if len(names) < 2 or not set(names) <= self.people:
                continue
            loads, bounds = {}, []
            for n in names:
                prior = round(p.prior_load.get(n, 0) * 10)
                ub = prior + sum(w for _, w in by_person[n])
                load = self.cp.new_int_var(prior, ub, f"load[{n}]")
                self.cp.add(load == prior + sum(w * v for v, w in by_person[n]))
                loads[n] = load
                bounds.append((prior, ub))
            lo_all, hi_all = min(b[0] for b in bounds), max(b[1] for b in bounds)
            top = self.cp.new_int_var(lo_all, hi_all, f"fair_max[{pool}]")
            bottom = self.cp.new_int_var(lo_all, hi_all, f"fair_min[{pool}]")
            self.cp.add_max_equality(top, list(loads.values()))
            self.cp.add_min_equality(bottom, list(loads.values()))
            total = sum(loads.values())
            self.cp.add(len(names) * top >= total)  # the max is at least the average
            self.cp.add(len(names) * bottom <= total)
            floor = pool_spread_floor(p, names) if demand_is_fixed else 0
            spread = self.cp.new_int_var(min(floor, hi_all - lo_all), hi_all - lo_all, f"fair_spread[{pool}]")
            self.cp.add(spread == top - bottom)
            self.fairness_terms.append((weight, spread))

    def objective_terms(self) -> list:
        return [w * v for w, v, _ in self.penalties] + [w * v for w, v in self.fairness_terms]

    def finish(self, extra_terms: Iterable = ()) -> None:
        terms = self.objective_terms() + list(extra_terms)
        if terms:
            self.cp.minimize(sum(terms))


def pool_spread_floor(problem: Problem, names: list[str], seconds: float = 1.0) -> int:
    """A proven lower bound on a pool's load spread, from its total demand alone.

    When every slot the pool can take is filled only from the pool, the pool's total
    load is fixed; splitting those duties as evenly as the load values allow (ignoring
    every other rule) gives a spread no roster can beat. Handing that bound to the main
    model lets CP-SAT prove optimality instead of searching for a proof."""
    members = set(names)
    demand: dict[int, int] = defaultdict(int)
    for slot in problem.slots:
        takers = set(problem.candidates[slot.id])
        if not takers & members:
            continue
        if not takers <= members:
            return 0  # shared with another pool: the pool's total is not fixed
        demand[problem.load(slot)] += slot.need
    priors = sorted((round(problem.prior_load.get(n, 0) * 10) for n in names), reverse=True)
    if not demand:
        return priors[0] - priors[-1] if priors else 0
    relaxed = cp_model.CpModel()
    loads = []
    for i, prior in enumerate(priors):
        parts = [relaxed.new_int_var(0, count, "") for count in demand.values()]
        loads.append(prior + sum(w * v for w, v in zip(demand, parts)))
        if i == 0:
            columns = [[v] for v in parts]
        else:
            for col, v in zip(columns, parts):
                col.append(v)
    for col, count in zip(columns, demand.values()):
        relaxed.add(sum(col) == count)
    for a, b in zip(loads, loads[1:]):
        if priors[0] == priors[-1]:
            relaxed.add(a >= b)  # interchangeable in the relaxation: order them
    top, bottom = relaxed.new_int_var(0, 10**9, ""), relaxed.new_int_var(0, 10**9, "")
    relaxed.add_max_equality(top, loads)
    relaxed.add_min_equality(bottom, loads)
    relaxed.minimize(top - bottom)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    solver.parameters.catch_sigint_signal = False  # keep Ctrl-C with Python
    status = solver.solve(relaxed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 0
    return max(0, int(solver.best_objective_bound))


def build_model(problem: Problem, rules: list[Rule], fairness: Fairness | None, explain: bool = False,
                people: set[str] | None = None, requirements: list[Requirement] | None = None) -> RosterModel:
    """The model of `rules`; with `people` and their `requirements`, of one independent part."""
    with gc_paused():
        model = RosterModel(problem, explain=explain, people=people)
        if requirements is None:
            for rule in rules:
                rule.post(model)
        else:
            for req in requirements:
                model.add(req)
        for rule in rules:
            rule.tighten(model)
        if fairness is not None and fairness.weight > 0:
            model.add_fairness(fairness.weight, demand_is_fixed=any(isinstance(r, Coverage) for r in rules))
    return model
