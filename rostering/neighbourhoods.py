"""Large-neighbourhood search whose neighbourhoods are shaped like rosters: a few people, a run of days,
or the same weekdays of every week.

CP-SAT's own neighbourhood workers free variables without knowing what a person or a
week is. In a roster most rules tie one person's days together (runs, rest, totals,
weekends) and the only ties between people are the slots they share, so freeing some
people's whole range, or everyone's days in a window, leaves CP-SAT a small problem it
solves exactly in a fraction of a second; repeating that from the best roster so far
improves it much faster than one search over the whole range (measured on the Curtois &
Qu benchmark, benchmarks/results/curtois_qu.md). The model is built once; each step only
narrows the domains of the held assignments. Each thread (one per core) has its own copy
of the model and works on the shared best roster.
"""
from __future__ import annotations

import random
from collections import deque
import threading
import time
from dataclasses import dataclass
from typing import Callable

from ortools.sat.python import cp_model

from .constraints import Fairness, rules_for
from .model import build_model
from .problem import Problem
from .roster import Roster
from .solve import _parameters

STEP_PARAMETERS = {"linearization_level": 2}  # the LP proves small neighbourhoods optimal several times faster
EVERYONE_MOST_KEYS = 8000  # the everyone step only where three weekdays of the range hold at most this many choices
EVERYONE_STEPS = 8  # its time, in ordinary steps
SLOW_ROUNDS = 20  # the everyone step waits this many rounds after the last one,
SLOW_GAIN = 0.005  # and until those rounds gained less than this share of the objective


@dataclass
class Shape:
    """One kind of neighbourhood and its adaptive size (people freed, days freed).

    A weekly shape frees `days` weekdays in a row (Friday to Sunday, say) in every week of the range."""

    name: str
    people: float
    days: float
    weekly: bool = False
    aimed: float = 0.5  # how often it is placed on a penalty the roster pays
    tried: int = 0
    improved: int = 0

    def adapt(self, grow: float, most_people: int, most_days: int) -> None:
        """Grow after a quick proof, shrink after a step that ran out of time.

        A weekly shape keeps its weekdays and changes only how many people it frees: one weekday
        more or less is a whole column of the roster."""
        if self.weekly:
            self.people = min(most_people, max(1.0, self.people * grow))
            return
        if self.people < most_people:
            self.people = min(most_people, max(1.0, self.people * grow))
        if self.days < most_days or self.people >= most_people:
            self.days = min(most_days, max(1.0, self.days * grow))


class _ModelCopy:
    """One thread's copy of the model and the domains it currently holds."""

    def __init__(self, search: "NeighbourhoodSearch", proto_source):
        self.cp = proto_source.clone() if search.threads > 1 else proto_source
        self.free: set[int] = set(range(len(search.keys)))  # every domain is [0, 1] as built
        self.held = list(search.values)
        self.seen = 0  # the search's version `held` was taken from
        self.dirty: set[int] = set()  # held values that may differ from the search's at `seen`
        self.search = search

    def hold(self, values: list[int], free: set[int], version: int) -> None:
        """Narrow each held assignment's domain to its value in `values` (the search's at `version`).

        Only what changed is touched: domains freed or held anew, and values changed by moves
        accepted since the last call (or set here by a merge that was then turned down)."""
        variables = self.cp.proto.variables
        index = self.search.index
        recheck = self.search.changed_since(self.seen, version) | self.dirty
        self.dirty = set()
        for i in self.free - free:
            domain = variables[index[i]].domain
            domain[0] = domain[1] = self.held[i] = values[i]
        for i in free - self.free:
            domain = variables[index[i]].domain
            domain[0], domain[1] = 0, 1
        for i in recheck:
            if i not in free and i not in self.free and self.held[i] != values[i]:
                domain = variables[index[i]].domain
                domain[0] = domain[1] = self.held[i] = values[i]
        self.free = free
        self.seen = version
        hint = self.cp.proto.solution_hint
        hint.vars.clear()
        hint.values.clear()
        ordered = sorted(free)
        hint.vars.extend(index[i] for i in ordered)
        hint.values.extend(values[i] for i in ordered)

    def solve(self, values: list[int], free: set[int], seconds: float, seed: int, version: int):
        """(CP-SAT status, objective, new values of `free`) with every other assignment held.

        `values` are the search's at `version`, or a merge of them with a move (then see `dirty`)."""
        self.hold(values, free, version)
        solver = _parameters(seconds, 1, seed, STEP_PARAMETERS)
        code = solver.solve(self.cp)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return code, None, {}
        x = self.search.model.x
        keys = self.search.keys
        return code, solver.objective_value, {i: int(solver.boolean_value(x[keys[i]])) for i in free}


class NeighbourhoodSearch:
    """The whole problem's model, the best roster so far, and moves that free a part of it."""

    def __init__(self, problem: Problem, start: Roster, seed: int = 0, threads: int = 1):
        self.problem = problem
        self.threads = max(1, threads)
        self.model = build_model(problem, rules_for(problem), Fairness(problem.rules.fairness.weight))
        self.model.finish()
        self.keys = list(self.model.x)
        self.index = [self.model.x[k].index for k in self.keys]
        chosen = start.keys
        self.values = [int(k in chosen) for k in self.keys]
        self.people = sorted({k[0] for k in self.keys})
        self.dates = sorted({k[1] for k in self.keys})
        self.date_index = {d: i for i, d in enumerate(self.dates)}
        self.of_person: dict[str, list[int]] = {}
        self.of_date: dict = {}
        for i, (person, day, _) in enumerate(self.keys):
            self.of_person.setdefault(person, []).append(i)
            self.of_date.setdefault(day, []).append(i)
        self.rng = random.Random(seed)
        self.seed = seed
        self.objective: float | None = None
        self.version = 0
        self.changes: list[set[int]] = []  # indexes changed by each accepted move, by version
        self.lock = threading.Lock()
        many = len(self.people)
        self.shapes = [Shape("people", people=max(2.0, many * 0.15), days=len(self.dates)),
                       Shape("window", people=many, days=min(len(self.dates), 7.0)),
                       Shape("block", people=max(2.0, many * 0.4), days=min(len(self.dates), 14.0))]
        if len(self.dates) >= 14:
            # Weekend limits and totals tie one week's weekend to the others': moving a weekend worked
            # from one person to another needs the same days of several weeks free at once. On a
            # Curtois & Qu Instance12 roster stuck at 4392, freeing everyone's Fridays to Sundays
            # gave 4295 in 1.3 s, Fridays to Tuesdays 4093 in 19 s; seven-day windows found neither.
            weeks = len(self.dates) / 7  # fewer people over many weeks: a step solved within its second
            self.shapes.append(Shape("weekly", people=max(2.0, many * min(0.5, 4 / weeks)), days=4.0, weekly=True))
        # Everyone on three weekdays of every week, taken only when the others stall. On Curtois & Qu
        # Instance12 the rotation stalls at 41 shifts short: weekends need more shifts than the staff
        # may work, and each half-worked weekend loses one more; pairing them up moves many people's
        # weekends at once. From a stuck 4187, everyone's Saturdays to Mondays gave 4090 in 1.3 s.
        self.everyone: Shape | None = None
        if len(self.dates) >= 14 and len(self.keys) * 3 / 7 <= EVERYONE_MOST_KEYS:
            self.everyone = Shape("everyone", people=many, days=3.0, weekly=True, aimed=1.0)
        self.everyone_busy = False
        self.everyone_ended = 0  # the round the last everyone step ended
        self.history: deque[float] = deque(maxlen=SLOW_ROUNDS + 1)  # the objective at the start of the last rounds
        self.rounds = 0
        self.last_improved = 0  # the round of the last improvement

    def changed_since(self, seen: int, version: int) -> set[int]:
        """Indexes changed by the moves accepted after version `seen` up to `version`."""
        with self.lock:
            return set().union(*self.changes[seen:version])

    # -- moves -------------------------------------------------------------
    def _everyone_due(self) -> bool:
        """Whether this round takes the everyone step (call under the lock, once a round): when no
        other thread is on it, and the last `SLOW_ROUNDS` rounds, all after the last one ended,
        gained less than `SLOW_GAIN` of the objective."""
        self.history.append(self.objective)
        if self.everyone is None or self.everyone_busy or self.rounds - self.everyone_ended < SLOW_ROUNDS:
            return False
        if len(self.history) < self.history.maxlen:
            return False
        before, now = self.history[0], self.history[-1]
        if before - now >= SLOW_GAIN * abs(before):
            return False
        self.everyone_busy = True
        return True

    def _costs(self) -> list[tuple[object, list[str]]]:
        """The soft rules the current roster pays for (cover short, requests unmet): each one's
        date and the people whose change could repair it (those it names, and for a count over
        several people's assignments, those who could take or leave one of them)."""
        assigned = {k for k, v in zip(self.keys, self.values) if v}
        due = []
        for _, _, req in self.model.penalties:
            value = req.value(assigned)
            if not req.excess(value):
                continue
            short = req.lo is not None and value < req.lo  # else over its upper bound
            # a positive term helps when short by being taken, when over by being left (negative: reversed)
            repairers = {k[0] for k, c in req.terms if ((c > 0) == short) != (k in assigned)}
            people = [p for p in sorted(repairers | set(req.people)) if p in self.of_person]
            due.append((req.date, people))
        return due

    def _pick(self, shape: Shape) -> set[int]:
        """A neighbourhood of `shape`'s size; half the time it is placed on a penalty the roster
        pays: on its date (or weekday), with the people who could repair it among those freed."""
        count = max(1, round(shape.people))
        span = max(1, min(len(self.dates), round(shape.days)))
        due = self._costs() if self.rng.random() < shape.aimed else []
        day, repairers = self.rng.choice(due) if due else (None, [])
        if shape.people >= len(self.people):
            people = self.people
        else:
            seeds = self.rng.sample(repairers, min(len(repairers), max(1, count // 2)))
            rest = [p for p in self.people if p not in seeds]
            people = seeds + self.rng.sample(rest, max(0, min(len(rest), count - len(seeds))))
        if shape.weekly:  # a run of weekdays holding the penalty's weekday, in every week
            span = min(7, span)
            anchor = day.weekday() if day in self.date_index else self.rng.randrange(7)
            first = anchor - self.rng.randrange(span)
            weekdays = {(first + k) % 7 for k in range(span)}
            dates = {d for d in self.dates if d.weekday() in weekdays}
        else:
            first = self.rng.randrange(len(self.dates) - span + 1)
            if day in self.date_index:  # a window holding a date the roster pays for
                first = min(max(0, self.date_index[day] - self.rng.randrange(span)), len(self.dates) - span)
            dates = set(self.dates[first:first + span])
        if span == len(self.dates):
            return {i for p in people for i in self.of_person[p]}
        if len(people) == len(self.people):
            return {i for d in dates for i in self.of_date[d]}
        return {i for p in people for i in self.of_person[p] if self.keys[i][1] in dates}

    def _work(self, worker: _ModelCopy, deadline: float, step_seconds: float, floor: float | None,
              started: float, progress: Callable[[str], None] | None) -> None:
        while time.monotonic() < deadline - 0.05:
            with self.lock:
                if floor is not None and self.objective is not None and self.objective <= floor + 1e-9:
                    return
                everyone = self._everyone_due()
                shape = self.everyone if everyone else self.shapes[self.rounds % len(self.shapes)]
                self.rounds += 1
                seed = self.seed + self.rounds
                free = self._pick(shape)
                values, version, objective = list(self.values), self.version, self.objective
                stalled = self.rounds - self.last_improved
            # the longer nothing improves, the larger the neighbourhoods (and the time each may take)
            budget = step_seconds * (EVERYONE_STEPS if everyone else min(4.0, 1.0 + stalled / 60))
            cap = min(budget, deadline - time.monotonic())
            began = time.monotonic()
            code, value, new = worker.solve(values, free, max(0.05, cap), seed, version)
            took = time.monotonic() - began
            proven = code == cp_model.OPTIMAL
            worth = objective - 1e-9 if everyone else objective + 1e-9  # the everyone step only to improve
            if value is not None and objective is not None and value <= worth:
                with self.lock:
                    current = self.version
                    merged = list(self.values) if current != version else None
                if merged is None:
                    self._accept(new, value, version, shape, progress, started)
                elif value < objective - 1e-9:
                    self._merge(worker, values, version, new, value, merged, current, cap, seed, shape,
                                progress, started)
            with self.lock:
                shape.tried += 1
                if everyone:
                    self.everyone_busy, self.everyone_ended = False, self.rounds
                else:
                    shape.adapt(1.1 if proven and took < 0.3 * budget else (1.0 if proven else 0.85),
                                len(self.people), len(self.dates))

    def _merge(self, worker: _ModelCopy, values: list[int], version: int, new: dict[int, int], value: float,
               merged: list[int], current: int, cap: float, seed: int, shape: Shape,
               progress: Callable[[str], None] | None, started: float) -> None:
        """Another thread moved on while this step ran: price the move on top of its roster. If the two
        clash (the merge breaks a hard rule or costs more than the step's own roster), take the step's
        own roster instead, undoing the other moves where they differ, when it is still the better."""
        for i, v in new.items():
            merged[i] = v
        _, priced, _ = worker.solve(merged, set(), cap, seed, current)
        worker.dirty |= set(new)
        if priced is not None and priced <= value + 1e-9:
            self._accept(new, priced, current, shape, progress, started)
            return
        own = {i: values[i] for i in self.changed_since(version, current)}
        own.update(new)
        self._accept(own, value, current, shape, progress, started)

    def _accept(self, new: dict[int, int], value: float | None, base: int, shape: Shape,
                progress: Callable[[str], None] | None, started: float) -> None:
        """Take a move made from version `base` if nothing moved since and it is no worse.

        Moves of equal cost are taken too: they let the search drift along plateaus."""
        with self.lock:
            if value is None or base != self.version or value > self.objective + 1e-9:
                return
            changed = {i for i, v in new.items() if self.values[i] != v}
            if not changed:
                return
            better = value < self.objective - 1e-9
            for i in changed:
                self.values[i] = new[i]
            self.objective = value
            self.version += 1
            self.changes.append(changed)
            shape.improved += better
            if better:
                self.last_improved = self.rounds
        if progress and better:
            progress(f"{time.monotonic() - started:6.2f}s  {shape.name:<6} objective={value:g}")

    def run(self, seconds: float, step_seconds: float = 1.0, floor: float | None = None,
            progress: Callable[[str], None] | None = None, objective: float | None = None) -> Roster:
        """Improve the roster until the time is up or the objective meets `floor` (a proven bound).

        `objective`: the start's exact cost where it is known (priced by the check faces); else a
        first CP-SAT search prices it, which on a year-long roster can take the last seconds left
        (Curtois & Qu Instance22 on a slow machine: no price within 2 s, so no step at all)."""
        started = time.monotonic()
        deadline = started + seconds
        workers = [_ModelCopy(self, self.model.cp) for _ in range(self.threads)]
        if objective is not None:
            value = objective
        else:
            _, value, _ = workers[0].solve(self.values, set(), max(0.5, min(step_seconds * 5, seconds)), self.seed, 0)
        if value is None:
            return self.roster()  # the start breaks a hard rule (or could not be priced in time)
        self.objective = value
        threads = [threading.Thread(target=self._work, args=(w, deadline, step_seconds, floor, started, progress),
                                    daemon=True) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)
        return self.roster()

    def roster(self) -> Roster:
        return self.problem.roster_of(key for key, v in zip(self.keys, self.values) if v)
