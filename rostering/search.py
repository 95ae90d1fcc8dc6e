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
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from operator import itemgetter
from typing import Callable

from .constraints import Fairness, Requirement, rules_for
from .constraints.base import AnyCount, PersonalRule
from .gc_paused import gc_paused
from .model import RosterModel, build_model
from .problem import Key, Problem
from .roster import Roster
from .solve import Result, Status, _parameters, solve


def feasible_roster(problem: Problem, time_limit: float, workers: int = 1, seed: int = 0,
                    parameters: dict | None = None) -> Roster | None:
    """Any roster keeping every hard rule (soft rules and fairness ignored), or None if none found in time."""
    from ortools.sat.python import cp_model
    model = build_model(problem, rules_for(problem), None)
    solver = _parameters(max(0.5, time_limit), workers, seed, parameters)
    if solver.solve(model.cp) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return problem.roster_of(model.assigned(solver))


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


PERSON_PARAMETERS = {"max_presolve_iterations": 1, "symmetry_level": 0, "cp_model_probing_level": 0,
                     "find_big_linear_overlap": False}
"""One person's model is solved in a fraction of a second, and a full presolve took most of it
(Curtois & Qu Instance24: 1.2 s of 1.3 s per person; with one light presolve pass 0.5 s, of
which 0.21 s went to finding overlaps of long sums with cliques, 0.25 s without it;
Instance23: 0.17 s; priced schedules as good within the same time)."""
LOCAL_SEARCH_PARAMETERS = dict(PERSON_PARAMETERS, use_ls_only=True)
"""When a person's share of the time is short: local search alone, on one core, while the next
person's model is built on the other. It found a valid schedule of an Instance23 person in
0.15 s where the complete search on one worker found none in 6 s, and priced ones as good as
two workers' search in the same time; person by person went from 65 s to 55 s there."""
ANY_SCHEDULE_PARAMETERS = dict(LOCAL_SEARCH_PARAMETERS, feasibility_jump_decay=1.0,
                               feasibility_jump_var_randomization_probability=0.0)
"""Local search for any valid schedule (no prices): feasibility jumps without weight decay or random
moves. Mean CPU a person over two seeds (Curtois & Qu): Instance22 104 ms against 108–136 in
three rounds, slowest 0.37 s against 0.40–0.59 s; Instance24 204–215 ms against 207–234 in two,
slowest 0.49–0.53 s against 0.84–0.93 s. A lighter presolve on top (no clique merging, inclusion
detection or SAT presolve) saved Instance24 a further fifth, but made Instance22 eight times slower,
two people finding no schedule in 10 s."""
LIGHT_PRESOLVE_PARAMETERS = dict(ANY_SCHEDULE_PARAMETERS, presolve_inclusion_work_limit=0)
"""The same search without CP-SAT's inclusion detection in presolve. Mean seconds a person over 12–16
people (Curtois & Qu): Instance24 0.27 against 0.44–0.48, Instance23 0.21 against 0.23, Instance21 0.06
against 0.07; but Instance20 0.08 against 0.04, and Instance22 0.4–2.4 s or nothing in 3 s against
0.26. So `FasterSettings` picks between the two by what they measured on the people before."""


class FasterSettings:
    """Two parameter sets for the same search, and which of them has been faster.

    The first `trials` searches of each alternate (first, second, first, …); after that each
    search takes the one with the lower mean time. A search with the second that finds nothing
    within twice the first's mean time is repeated with the first, and the second is charged
    both times, so a setting that stops working loses its turn."""

    def __init__(self, first: dict, second: dict, trials: int = 3):
        self.settings = (first, second)
        self.times: tuple[list[float], list[float]] = ([], [])
        self.trials = trials

    def choice(self) -> int:
        """0 for the first setting, 1 for the second."""
        first, second = self.times
        if len(second) < self.trials:
            return int(len(first) > len(second))
        if len(first) < self.trials:
            return 0
        return int(sum(second) / len(second) < sum(first) / len(first))

    def solve(self, cp, time_limit: float, seed: int, choose: bool = True):
        """(solver, whether it found a solution) for the model `cp`, on one worker; with `choose`
        False, by the first setting alone, and not counted."""
        from ortools.sat.python import cp_model
        found = (cp_model.OPTIMAL, cp_model.FEASIBLE)
        wasted = 0.0
        if choose and self.choice() == 1:
            usual = self.times[0]
            limit = min(time_limit, max(0.5, 2 * sum(usual) / len(usual))) if usual else time_limit
            solver = _parameters(limit, 1, seed, self.settings[1])
            if solver.solve(cp) in found:
                self.times[1].append(solver.wall_time)
                return solver, True
            wasted = solver.wall_time
        solver = _parameters(time_limit, 1, seed, self.settings[0])
        ok = solver.solve(cp) in found
        if choose:
            self.times[0].append(solver.wall_time)
        if wasted:
            self.times[1].append(wasted + solver.wall_time)
        return solver, ok


CHOOSE_PRESOLVE_PEOPLE = 20
"""`FasterSettings` tries the light presolve only with at least this many people left: its trials must
pay back. On Curtois & Qu Instance22 they fell on the last few people, and the second or so they lost
cost those people their priced search: a start of 110 855–141 328 in nine runs against 91 908–122 584
in five (each unpriced schedule there costs thousands in cover)."""
MODEL_SECONDS_PER_VARIABLE = 70e-6  # building a whole model: 61–78 µs a variable on Curtois & Qu Instance20–23
MIN_PRICED_SECONDS = 0.25  # below this, a priced search from nothing rarely finds a schedule (Instance23)


def person_by_person(problem: Problem, time_limit: float, workers: int = 1, seed: int = 0
                     ) -> tuple[Roster, int] | None:
    """A first roster built one person at a time, each person's best given the people placed before;
    with its objective.

    Only when every hard rule binds a single person (the rules tying people together — cover
    targets, requests — are soft): then any choice per person keeps the roster valid, and each
    person's model is small however long the range. Soft rules shared with others count the
    people already placed as constants, so later people fill what earlier ones left open.
    While one person is solved (CP-SAT lets go of Python meanwhile), the next person's own
    rules are posted in a second thread: on Curtois & Qu Instance23 that was a third of the time.
    None when some hard rule ties several people, or a person has no valid schedule in time."""
    with gc_paused():  # the models are freed before the collector wakes: else its first pass scans them all
        return _place_one_by_one(problem, time_limit, workers, seed)  # (Instance24: 5.5 s)


def _place_one_by_one(problem: Problem, time_limit: float, workers: int, seed: int) -> tuple[Roster, int] | None:
    from ortools.sat.python import cp_model
    started = time.monotonic()
    with ThreadPoolExecutor(1) as builder:
        parts = _PersonModels(problem)
        if parts.own is None:
            return None
        chosen: list[Key] = []
        names = [p.name for p in problem.people]  # everyone: a personal rule may bind someone who can take nothing
        misses = 0  # people in a row whose priced search found nothing in their share of the time
        overhead = 0.0  # time a person takes outside priced search, a running mean weighing recent people most
        find_any = FasterSettings(ANY_SCHEDULE_PARAMETERS, LIGHT_PRESOLVE_PARAMETERS)  # when no price helps
        upcoming = builder.submit(parts.own_part, names[0]) if names else None
        for i, name in enumerate(names):
            began = time.monotonic()
            model, priced, prices, listed = upcoming.result()
            # this person's share of the time for priced search: what is left, less the time each
            # person takes besides it (building, finding any valid schedule), shared evenly
            remaining = len(names) - i
            share = (time_limit - (began - started) - overhead * remaining) / remaining
            price: list = []
            if share > 0.1:  # else no search below reads the prices: any valid schedule will do
                prices = prices + parts.add_shared(name, model)
                price = [cp_model.LinearExpr.weighted_sum(priced, prices)] if priced else []
                model.finish(price)
            priced_search = misses < 2 and share >= MIN_PRICED_SECONDS  # else twice running in vain, or no time
            if i + 1 < len(names):  # after this person's Python work, which would otherwise wait on it
                # the next person's share will be about this one's: a model for any schedule if none is priced
                upcoming = builder.submit(parts.own_part, names[i + 1], not priced_search)
            searched = 0.0
            found = False
            seed_i = seed + i  # one random stream per person: no one unlucky seed for everyone
            if priced_search:
                solver = _parameters(share, workers, seed_i, PERSON_PARAMETERS)
                found = solver.solve(model.cp) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
                searched = solver.wall_time
                misses = 0 if found else misses + 1  # twice running in vain: stop trying
            if not found:  # any valid schedule, then priced from there with what is left of the share
                model.cp.clear_objective()
                # whichever presolve has been faster only where any valid schedule is all this person gets
                choose = not price and remaining >= CHOOSE_PRESOLVE_PEOPLE
                solver, any_found = find_any.solve(model.cp, max(10.0, share * 3), seed_i, choose)
                if not any_found:
                    solver = _parameters(max(10.0, share * 3), workers, seed_i, PERSON_PARAMETERS)  # complete search
                    if solver.solve(model.cp) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                        return None  # no valid schedule for this person (or none found in time)
                rest = share - searched  # finding a valid schedule is part of the overhead the share leaves out
                if rest > 0.1:
                    for var in model.x.values():
                        model.cp.add_hint(var, solver.boolean_value(var))
                    model.finish(price)
                    repriced = _parameters(rest, 1, seed_i, LOCAL_SEARCH_PARAMETERS)
                    if repriced.solve(model.cp) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                        solver = repriced
                    searched += repriced.wall_time
            taken = set(model.assigned(solver))
            chosen += taken
            parts.place(name, taken, listed)
            besides = time.monotonic() - began - min(searched, max(share, 0.0))  # overrun counts as overhead
            overhead = besides if i == 0 else 0.7 * overhead + 0.3 * besides
        roster = problem.roster_of(chosen)
        cost = parts.cost(roster)
    return None if cost is None else (roster, cost)


class _PersonModels:
    """The rules split by person, and each person's model with what the people placed before add.

    Rules stated person by person (`PersonalRule`) are listed for one person at a time, when
    their model is built; the others are listed once and split by person."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.rules = rules_for(problem)
        self.personal = [rule for rule in self.rules if isinstance(rule, PersonalRule)]
        self.requirements = [req for rule in self.rules if not isinstance(rule, PersonalRule)
                             for req in rule.model_requirements(problem)]
        self.own, self.tying = _split_by_person(problem, self.requirements)
        self.placed = [0] * len(self.requirements)  # what the people placed so far add to each requirement
        # sorted by `own_part` (in the builder thread, while the person before is solved):
        self.priced: dict[str, list[tuple[int, tuple]]] = {}  # shared, soft, on one assignment of the person
        self.shared: dict[str, list[tuple[int, tuple]]] = {}  # other shared requirements
        self.prices: dict[int, dict[int, int]] = {}  # requirement -> coefficient -> price of one assignment
        self.personal_cost = 0  # what the placed people's soft personal requirements cost

    def _on_one(self, n: int, terms: tuple) -> bool:
        return self.requirements[n].weight is not None and len(terms) == 1 \
            and not isinstance(self.requirements[n], AnyCount)

    def own_part(self, name: str, any_schedule: bool = False) -> tuple[RosterModel, list, list[int], list[Requirement]]:
        """The person's model with the rules no one else's choice changes; the assignments
        priced by soft rules (first those naming the person alone, then the shared ones), and
        the prices of the first; the person's requirements of personal rules.

        `any_schedule`: the model is for a local search for any valid schedule. It then leaves out
        the rules' redundant constraints, which help a priced search's LP but slow that search
        (Curtois & Qu Instance24: 0.40 s a person with them, 0.26 s without), and posts hard
        "at most one" counts in CP-SAT's own form (faster to post; see `RosterModel`)."""
        model = RosterModel(self.problem, people={name}, at_most_one_form=any_schedule)
        priced, prices = [], []
        person = self.problem.person_by_name[name]
        listed = [req for rule in self.personal for req in rule.model_requirements_of(self.problem, person)]
        for req in listed:
            if req.weight is not None and not isinstance(req, AnyCount):
                present = [(key, coef) for key, coef in req.terms if key in model.x]
                if len(present) == 1:
                    (key, coef), = present
                    priced.append(model.x[key])
                    prices.append(req.price_of_one(req.const, coef))
                    continue
            model.add(req)
        shared_priced, shared = self.priced.setdefault(name, []), self.shared.setdefault(name, [])
        for n, terms in (self.own or {}).get(name, ()):
            if n in self.tying:
                (shared_priced if self._on_one(n, terms) else shared).append((n, terms))
            elif self._on_one(n, terms):
                (key, coef), = terms
                priced.append(model.x[key])
                prices.append(self._price(n, coef))
            else:
                model.add(self.requirements[n], terms)
        priced += [model.x[key] for _, ((key, _),) in shared_priced]
        if not any_schedule:
            for rule in self.rules:
                rule.tighten(model)
        return model, priced, prices, listed

    def add_shared(self, name: str, model: RosterModel) -> list[int]:
        """The rules shared with others, counting what the people placed so far add; the
        prices of the person's shared priced assignments, in `own_part`'s order."""
        for n, terms in self.shared.get(name, ()):
            model.add(self.requirements[n], terms, self.requirements[n].const + self.placed[n])
        return [self._price(n, coef) for n, ((_, coef),) in self.priced.get(name, ())]

    def _price(self, n: int, coef: int) -> int:
        """What one assignment of `coef` adds to soft requirement n's cost, given what is placed."""
        known = self.prices.get(n)
        if known is None:
            known = self.prices[n] = {}
        price = known.get(coef)
        if price is None:
            price = known[coef] = self.requirements[n].price_of_one(self.requirements[n].const + self.placed[n], coef)
        return price

    def cost(self, roster: Roster) -> int | None:
        """The roster's objective (None if a hard rule breaks), from the requirements already listed.

        They are those `check` reads, less eligibility and hard leave, which no model variable
        can break; listing them all again for `roster_cost` took Curtois & Qu Instance24 16 s.
        A requirement tying people is priced from what `place` counted, not read again."""
        assigned = roster.keys
        total = self.personal_cost
        for n, req in enumerate(self.requirements):
            miss = req.excess(req.const + self.placed[n] if n in self.tying else req.value(assigned))
            if miss and req.weight is None:
                return None
            total += (req.weight or 0) * miss
        return total + Fairness(self.problem.rules.fairness.weight).cost(roster, self.problem)

    def place(self, name: str, taken: set, listed: list[Requirement]) -> None:
        """Count what `name`'s assignments `taken` add to the shared requirements, and what
        their soft personal requirements in `listed` cost.

        The hard ones hold: `taken` is a solution of the person's model, which posts them all
        (reading them again took Curtois & Qu Instance24 9 s)."""
        for req in listed:
            if req.weight is not None:
                self.personal_cost += req.weight * req.excess(req.value(taken))
        for n, ((key, coef),) in self.priced.get(name, ()):
            if key in taken:
                self.placed[n] += coef
                self.prices.pop(n, None)
        for n, terms in self.shared.get(name, ()):
            added = sum(coef for key, coef in terms if key in taken)
            if added:
                self.placed[n] += added
                self.prices.pop(n, None)


def _split_by_person(problem: Problem, requirements: list[Requirement]
                     ) -> tuple[dict[str, list[tuple[int, tuple]]] | None, set[int]]:
    """Per person, (requirement index, that person's terms) for every requirement naming them;
    and the indexes of requirements naming several people.

    Only candidate assignments count (a shared requirement's terms are cut to them; a single
    person's are kept whole, for the model drops the rest): a requirement on none of them that holds as it stands
    (eligibility, hard leave: the model has no variable there) is left out. None when a hard
    requirement ties several people, a count of groups spans people (its constant cannot
    carry what others placed), or a hard requirement is broken whatever anyone does."""
    candidate = problem.key_order
    own: dict[str, list[tuple[int, tuple]]] = {}
    shared: set[int] = set()
    first = itemgetter(0)  # (key, coef) -> key, and key -> person; map() runs it in C
    last: tuple = ((), {})  # the terms split last, and their split
    for n, req in enumerate(requirements):
        terms = req.terms
        if terms and not isinstance(req, AnyCount) and len(set(map(first, map(first, terms)))) == 1:
            # one person's rule (most are): kept whole, the model drops keys it has no variable for
            if not candidate.keys().isdisjoint(map(first, terms)):
                own.setdefault(terms[0][0][0], []).append((n, terms))
            elif req.weight is None and req.excess(req.const):
                return None, shared
            continue
        if terms is not last[0]:  # a cover target's two bounds share one terms tuple: split it once
            parts: dict[str, list] = {}
            for term in terms:
                if term[0] in candidate:
                    parts.setdefault(term[0][0], []).append(term)
            last = (terms, {name: tuple(part) for name, part in parts.items()})
        split = last[1]
        people = set(split)
        if isinstance(req, AnyCount):
            people |= {key[0] for key in req.keys() if key in candidate}
        if not people:
            if req.weight is None and req.excess(req.const):
                return None, shared
            continue
        if len(people) > 1:
            if req.weight is None or isinstance(req, AnyCount):
                return None, shared
            shared.add(n)
        for name in people:
            own.setdefault(name, []).append((n, split.get(name, ())))
    return own, shared


WHOLE_SEARCH_KEYS = 2000
"""Below this many decision variables, one CP-SAT search gets the whole time (`WHOLE_SEARCH_PARAMETERS`).

Its own neighbourhood workers do as well as roster-shaped ones on a small model, and its LP
worker proves more. Curtois & Qu, 60 s, single runs: Instance4 (468 variables) and Instance6
(1040) proven optimal in 57 s and 32 s, Instance5 (676) 1143–1148 in four runs against
1234–1237 with the neighbourhoods, Instance7 (1248) 1060 as with them. From Instance8 (2158)
on the neighbourhoods were better: 1366 against 1522, Instance16 (2250) 3445 against 4044."""
WHOLE_SEARCH_PARAMETERS = {"subsolvers": ["max_lp"]}
"""The full-problem worker of that search. `lb_tree_search` (the benchmark's choice for the first
roster and its bound) found worse rosters there: Instance5 1241, Instance7 1378."""
COLUMNS_SHARE = 0.25
"""Of a small model's time, the share column generation (`columns.py`) may take first: for a
lower bound near the published ones and a start for the whole search."""
COLUMNS_HINT_GAP = 0.10
"""Their roster is the search's hint only within this gap of their bound (or LP, when column generation
did not converge and the bound is weak): a poor hint steers the
search to poor rosters (Curtois & Qu Instance6, a combination at 2676 against the bound 1949:
1971 against 1951 without it, seed 2). Combined by CBC, a roster within 10 % leads the search out
of CP-SAT's own basin: Instance5 1249 hinted gave 1145 (about 1240 unhinted), Instance6 2055 and
2044 gave 1951 and 1950 (about 2045 unhinted)."""


LP_SEARCH_SHARE = 0.15
"""Of a small model's time, the most the search around the columns' LP (`_around_lp`) may take."""
LP_SETTLED = 0.01
"""An assignment the LP takes with a share at most this far from 0 or 1 is held there by `_around_lp`."""


def _around_lp(problem: Problem, fractions: dict, time_limit: float, workers: int, seed: int,
               parameters: dict | None) -> tuple[Roster, int] | None:
    """The best roster (and its cost) where the columns' LP has settled every assignment it takes
    wholly or not at all, and only the others are free: a relaxation-induced neighbourhood.

    The LP over whole schedules is close to the optimum (Curtois & Qu Instance7: 1054.1 against 1056),
    and where it has settled, good rosters mostly agree with it. Instance7, 326 of 1 248 assignments
    left free: 1058 proven best there in 6.7 s, where the whole search ends at 1063–1081 in the minute;
    Instance6, 353 of 1 040 free: 1955 in 4.9 s, where CBC combined 2259 from the same columns.
    The search runs with the whole search's worker (`WHOLE_SEARCH_PARAMETERS`)."""
    from ortools.sat.python import cp_model
    model = build_model(problem, rules_for(problem), Fairness(problem.rules.fairness.weight))
    model.finish()
    for key, var in model.x.items():
        share = fractions.get(key, 0.0)
        if share <= LP_SETTLED or share >= 1 - LP_SETTLED:
            model.cp.add(var == int(share >= 1 - LP_SETTLED))
    solver = _parameters(max(0.5, time_limit), workers, seed, dict(parameters or {}, **WHOLE_SEARCH_PARAMETERS))
    if solver.solve(model.cp) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return problem.roster_of(model.assigned(solver)), round(solver.objective_value)


def _whole_search(problem: Problem, time_limit: float, workers: int, seed: int, parameters: dict | None,
                  progress: Callable[[str], None] | None, columns_share: float, **options) -> Result:
    """One CP-SAT search of the whole model, after column generation where it applies.

    The columns' bound proves rosters optimal that CP-SAT's own bound cannot (its LP lets a person
    work a fraction of every day). The better of their roster and the best one around their LP
    (`_around_lp`) is the search's hint when close to their bound or LP, and the answer if the
    search finds nothing better."""
    from .columns import generate_columns
    started = time.monotonic()
    columns = generate_columns(problem, time_limit * columns_share, max(1, workers), seed) \
        if columns_share > 0 else None
    floor = columns.floor if columns is not None else None
    parameters = dict(parameters or {}, **WHOLE_SEARCH_PARAMETERS)
    starts = []  # (cost, roster)
    if columns is not None:
        if columns.cost is not None:
            starts.append((columns.cost, columns.roster))
        if columns.fractions and LP_SEARCH_SHARE > 0 and (columns.cost is None or columns.cost > floor):
            around = _around_lp(problem, columns.fractions, time_limit * LP_SEARCH_SHARE, workers, seed, parameters)
            if around is not None:
                starts.append((around[1], around[0]))
    best = min(starts, key=itemgetter(0)) if starts else None
    hint = None  # solve() prices the hint again with `check` before it may return it
    if best is not None and best[0] <= max(floor, columns.lp) * (1 + COLUMNS_HINT_GAP):
        hint = best[1]
    left = max(0.5, time_limit - (time.monotonic() - started))
    result = solve(problem, time_limit=left, workers=workers, seed=seed, progress=progress, explain=False,
                   parameters=parameters, hint=hint, floor=floor, **options)
    if best is not None and (result.objective is None or best[0] < result.objective):  # not hinted, and better
        from .long_ranges import roster_cost
        cost = roster_cost(problem, best[1])
        if cost is not None and (result.objective is None or cost < result.objective):
            status = Status.OPTIMAL if cost <= floor else Status.FEASIBLE
            result = Result(status, best[1], float(cost), max(float(floor), result.bound or 0.0), 0.0, 1)
    result.seconds = time.monotonic() - started
    return result


MEDIUM_COLUMNS_SHARE = 0.4
"""Of a mid-sized roster's time, the most column generation may take before the search around its LP
(`_columns_start`); it gives up early where pricing is slow (`columns.QUICK_ROUND_SHARE`)."""
MEDIUM_COLUMNS_CHOICES = 100
"""Column generation is tried for a mid-sized roster where people have at most this many choices
(slots) each on average, or, whatever the size, where everyone is priced by dynamic programming over
their days (`day_program.py`) and has at most `DAY_PRICED_CHOICES`. A CP-SAT pricing search takes
longer and the LP needs more rounds as the choices grow: Curtois & Qu Instance8–10 (72–87 a person)
settled in 15–25 s; Instance14 and Instance16 (112 each) had not after 60 s (LP 1280 and 3257; optima
1278 and 3225). Priced by days, Instance16 settles in 7–8 s, Instance14 in 27 s, and Instance12 (174
each, 10 452 variables) in 22 s (benchmarks/results/curtois_qu.md, round 20)."""
DAY_PRICED_CHOICES = 200
"""Priced by days, the LP still needs more rounds as people's choices grow: Curtois & Qu Instance18
(187 choices a person) has not settled after 24 s, but the search around its LP still starts better
than the first CP-SAT search (4880 against 5187–5707 at 60 s); Instance20 (705) had not after 24 s
either (LP 25 519, bound 77), far from any roster."""


def _columns_fit(problem: Problem, min_keys: int) -> bool:
    """Whether column generation may be quick enough to give the start (see `MEDIUM_COLUMNS_CHOICES`)."""
    from .columns import priced_by_days
    choices = len(problem.keys) / max(1, len(problem.people))
    if len(problem.keys) < min_keys and choices <= MEDIUM_COLUMNS_CHOICES:
        return True
    return choices <= DAY_PRICED_CHOICES and priced_by_days(problem)


def _columns_start(problem: Problem, time_limit: float, workers: int, seed: int, parameters: dict | None
                   ) -> tuple[Roster, int, float] | None:
    """The best roster around the columns' LP (`_around_lp`), its cost and the columns' bound; None
    where column generation does not apply or is too slow.

    Above `WHOLE_SEARCH_KEYS` the columns' LP is still close to the optimum where it settles within
    `MEDIUM_COLUMNS_SHARE` of the time, and a search around it beats the neighbourhoods from a
    first CP-SAT roster: Curtois & Qu Instance9 439 in eight runs of nine (440 in the other), where
    the neighbourhoods end at 444–462 or 545 and more; Instance10 4631 proven optimal in 25 s, or
    4632, against 4662–4961 (benchmarks/results/curtois_qu.md, round 18)."""
    from .columns import generate_columns
    columns = generate_columns(problem, time_limit * MEDIUM_COLUMNS_SHARE, max(1, workers), seed,
                               combine_share=0, only_if_quick=True)
    if columns is None or not columns.fractions:
        return None
    around = _around_lp(problem, columns.fractions, time_limit * LP_SEARCH_SHARE, workers, seed, parameters)
    if around is None:
        return None
    return around[0], around[1], float(columns.floor)


FIRST_SHARE = 0.1
"""Of the time, the share `solve_in_neighbourhoods` gives one CP-SAT search for a first roster (and a bound).

Once there is a roster the neighbourhoods improve it faster than that search does, so a longer first
search mostly buys the bound (measured at 0.2 and 0.05: benchmarks/results/curtois_qu.md, round 10)."""


def solve_in_neighbourhoods(problem: Problem, time_limit: float = 60.0, workers: int = 1, seed: int = 0,
                            first_share: float = FIRST_SHARE, min_keys: int = 10_000, step_seconds: float = 1.0,
                            parameters: dict | None = None, progress: Callable[[str], None] | None = None,
                            whole_below: int = WHOLE_SEARCH_KEYS, columns_share: float = COLUMNS_SHARE,
                            **options) -> Result:
    """A first roster, then `neighbourhoods.NeighbourhoodSearch` for the rest of the time.

    The first roster comes from `solve()` over `first_share` of the time (which also gives
    the lower bound), or, from `min_keys` decision variables on, from `person_by_person`
    (one whole-range search finds nothing there in a minute, or a far worse roster: Curtois &
    Qu Instance12, 16 800 variables, 15 370 after 12 s of CP-SAT against 8 515 person by
    person in 5 s). Where column generation may settle quickly enough (`_columns_fit`), the best
    roster around its LP is the start instead of either (`_columns_start`). When the first search
    finds no roster in its time, without proving there is none, a roster built person by person is
    the start instead. The result is proven optimal
    when the search meets the bound. Below `whole_below` decision variables, one `solve()`
    takes the whole time instead (see `WHOLE_SEARCH_KEYS`); `columns_share` 0 turns column generation
    off. `options` go to `solve()` (e.g. `rolling=False`)."""
    from .neighbourhoods import NeighbourhoodSearch
    started = time.monotonic()
    if len(problem.keys) < whole_below:
        return _whole_search(problem, time_limit, workers, seed, parameters, progress, columns_share, **options)
    start, bound, start_cost = None, None, None
    built = None  # a start built person by person, with its cost from the check faces
    improve = True  # the neighbourhoods get time after the first roster
    if columns_share > 0 and _columns_fit(problem, min_keys):  # a start around the columns' LP
        around = _columns_start(problem, time_limit, workers, seed, parameters)
        if around is not None:
            start, start_cost, bound = around
    if start is None and len(problem.keys) >= min_keys:  # a valid roster first: most of the time may go to it
        # the neighbourhoods need the whole model built: not worth it when that takes most of the time
        # left after the start; without them, the start gets nearly all of it, less what freeing its
        # models and waking the garbage collector take after it (Curtois & Qu Instance24: 2 s)
        improve = len(problem.keys) * MODEL_SECONDS_PER_VARIABLE < 0.15 * time_limit
        share = 0.8 if improve else 0.9
        built = person_by_person(problem, (time_limit - (time.monotonic() - started)) * share, max(2, workers), seed)
    if built is None and start is None:
        first = solve(problem, time_limit=max(0.5, time_limit * first_share), workers=workers, seed=seed, parameters=parameters,
                      progress=progress, explain=False, **options)
        if first.status is Status.OPTIMAL:
            return first
        if first.found:
            start, bound, start_cost = first.roster, first.bound, first.objective
        elif first.status is Status.UNKNOWN and len(problem.keys) < min_keys:  # else none exists, or already tried
            # no roster in the first search's time (Curtois & Qu Instance14 and 18 on a slow machine,
            # 6 s): one built person by person still gives the neighbourhoods a start
            built = person_by_person(problem, time_limit * first_share, max(2, workers), seed)
        if start is None and built is None:
            first.seconds = time.monotonic() - started
            return first
    if built is not None:
        start, start_cost = built
    exact_cost = start_cost if built is not None else None  # then not a solver's figure: no need to price it again
    if bound is None and (not improve or time.monotonic() - started > time_limit * 0.95):  # no time to improve
        return Result(Status.FEASIBLE, start, float(start_cost or 0), 0.0,
                      time.monotonic() - started, 1)
    search = NeighbourhoodSearch(problem, start, seed=seed, threads=max(1, workers))
    left = time_limit - (time.monotonic() - started)
    roster = search.run(max(0.5, left), step_seconds=step_seconds, floor=bound, progress=progress,
                        objective=exact_cost)
    objective = search.objective if search.objective is not None else start_cost  # no time to price the start
    proven = bound is not None and objective is not None and objective <= bound + 1e-9
    return Result(Status.OPTIMAL if proven else Status.FEASIBLE, roster, objective,
                  bound if bound is not None else 0.0, time.monotonic() - started, search.version + 1)
