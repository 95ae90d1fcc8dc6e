"""One person's best schedule at given prices, by dynamic programming over their days.

Column generation (`columns.py`) asks every round for each person's schedule of least cost at the
LP's prices. Where a person holds at most one duty a day, a dynamic program over the days finds it
several times faster than a CP-SAT search (`benchmarks/pricing_by_days.py`, mean a person: Curtois &
Qu Instance12 4–7 ms against 22–34 ms of CPU, Instance16 5–9 ms against 68–134 ms). Its state after
a day: the last day's shift (or off), the length of the current run of work or rest, whether that
run began on the range's first day, and what the person has used of each bounded total (duty
minutes, weekends, duties of a capped shift). Shifts alike in every rule it keeps share one state.

The program keeps the usual hard rules of one person, read from the same settings as the rule
classes: forbidden successions, the longest and shortest runs of work, the shortest rest, duty
minutes, the most duties of a shift, and weekends. Every other rule it leaves out, so it is a
relaxation: its least cost is a lower bound on every valid schedule's, and where its schedule keeps
every rule and costs what the program says, that schedule is the best one (the caller checks both,
and searches with CP-SAT otherwise).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .constraints.runs import one_duty_a_day, personal
from .constraints.weekends import weekend_days
from .problem import Key, Problem
from .rules import rule_value

INF = math.inf
MAX_STATES = 100_000
"""The most states a day the program may have (else CP-SAT prices the person): its work per day
grows with them, and a CP-SAT search does not."""


@dataclass
class _Total:
    """One bounded total a state counts, on one array axis: its size (the most + 1) and what each
    (day, shift) adds to it; for the duty minutes, how many minutes one step on it stands for."""

    size: int
    adds: np.ndarray  # [day, shift] -> increment
    minutes: int = 0  # minutes a step (the minutes' own axis, or a capped shift longer than the rest)
    caps: int | None = None  # the shift whose duties it caps
    looseness: float = 0.0  # the cap over the duties of that shift the person could hold


@dataclass
class _Totals:
    """The totals a state counts, and the duty minutes' bounds, checked on the last day's totals."""

    axes: list[_Total]
    least: int | None
    most: int | None
    weekend_axis: int | None  # the axis counting weekends, if any

    @property
    def sizes(self) -> list[int]:
        return [axis.size for axis in self.axes]

    def allowed_ends(self) -> np.ndarray | None:
        """Which last-day totals keep the duty minutes within their bounds (None: all do)."""
        if not any(axis.minutes for axis in self.axes) or (self.least is None and self.most is None):
            return None
        minutes = sum(np.arange(axis.size).reshape([-1 if i == j else 1 for j in range(len(self.axes))]) * axis.minutes
                      for i, axis in enumerate(self.axes) if axis.minutes)
        ok = np.broadcast_to(minutes >= (self.least or 0), self.sizes)
        return ok & (minutes <= self.most) if self.most is not None else ok


class DayProgram:
    """The dynamic program of one person's days (see the module's docstring).

    `best(costs)` gives the schedule of least total cost, a cost for each of the person's candidate
    duties (`keys`, in `Problem.keys` order); costs may be negative. `of()` builds the program, or
    says it does not apply (None)."""

    def __init__(self, keys: list[Key], day_of_key: np.ndarray, kind_of_key: np.ndarray, days: int,
                 classes: list[list[int]], follows: np.ndarray, longest: int | None, shortest: int, rest: int,
                 totals: _Totals, weekend_opens: np.ndarray, weekend_second: np.ndarray):
        self.keys, self.day_of_key, self.kind_of_key = keys, day_of_key, kind_of_key
        # shifts alike in every rule the program keeps share one state: each day, the cheapest of them
        self.classes = [np.array(members) for members in classes]
        self.days, self.kinds = days, len(classes)
        self.follows = follows  # [s, t]: class t may follow class s on the next day
        self.longest, self.shortest, self.rest = longest, shortest, rest
        self.runs = max(longest or 1, shortest, rest)  # run-length axis: length − 1, capped where no longest
        self.totals = totals
        self.weekend_opens = weekend_opens  # [day]: a duty that day opens a weekend (a Saturday, or a lone day)
        self.weekend_second = weekend_second  # [day]: a Sunday after a Saturday in range: opens one after a day off
        self.shifts = sum(len(members) for members in classes)
        self.key_at = np.full((days, self.shifts), -1)
        self.key_at[day_of_key, kind_of_key] = np.arange(len(keys))
        self.shape = (self.kinds + 1, self.runs, 2, *totals.sizes)
        self.allowed_ends = totals.allowed_ends()
        self.moves = [[(self._moves(day, t, bool(weekend_opens[day] or weekend_second[day])),
                        self._moves(day, t, bool(weekend_opens[day]))) for t in range(self.kinds)]
                      for day in range(days)]

    @classmethod
    def of(cls, problem: Problem, name: str, keys: list[Key]) -> DayProgram | None:
        """The program for `name`'s candidate duties `keys`; None where a person may hold two duties a day,
        holds a leader's duty, or the states would be too many."""
        if not keys or not one_duty_a_day(problem):
            return None
        person, settings = problem.person_by_name[name], problem.rules.rules
        slots = [problem.slot_at[(k[1], k[2])] for k in keys]
        if any(slot.shift.leader for slot in slots):
            return None
        index = {d.date: i for i, d in enumerate(problem.days)}
        shift_ids = sorted({k[2] for k in keys}, key=[s.id for s in problem.shifts].index)
        kind = {sid: i for i, sid in enumerate(shift_ids)}
        day_of_key = np.array([index[k[1]] for k in keys])
        kind_of_key = np.array([kind[k[2]] for k in keys])
        days, kinds = len(problem.days), len(shift_ids)
        follows = np.ones((kinds, kinds), bool)
        for rule in settings.forbidden_successions:
            if rule.weight is None and rule.shift in kind:
                for then in rule.next:
                    if then in kind:
                        follows[kind[rule.shift], kind[then]] = False
        longest = personal(person, "max_consecutive_days", None)
        longest = longest[0] if longest[1] is None else None
        limit, weight = rule_value(settings.max_consecutive_days)  # `MaxConsecutive`: no limit+1 duties in a row
        if limit is not None and weight is None:
            longest = int(limit) if longest is None else min(longest, int(limit))
        if longest is not None and longest < 1:
            return None
        shortest, rest = (max(1, value or 1) if weight is None else 1 for value, weight in (
            personal(person, "min_consecutive_days", settings.min_consecutive_days),
            personal(person, "min_consecutive_days_off", settings.min_consecutive_days_off)))
        totals = _totals(problem, person, slots, day_of_key, kind_of_key, days, kinds, shift_ids)
        opens, second = np.zeros(days, bool), np.zeros(days, bool)
        for group in weekend_days(problem):
            opens[group[0]] = True
            second[group[1:]] = True
        while True:  # past the most states, the loosest cap not counting minutes is left to the check
            classes = _alike(follows, [axis.adds for axis in totals.axes])
            states = (len(classes) + 1) * max(longest or 1, shortest, rest) * 2 * math.prod(totals.sizes)
            loose = [axis for axis in totals.axes if axis.caps is not None and not axis.minutes]
            if states <= MAX_STATES:
                break
            if not loose:
                return None
            totals.axes.remove(max(loose, key=lambda axis: axis.looseness))  # the weekends' axis stays first
        firsts = [members[0] for members in classes]
        for axis in totals.axes:
            axis.adds = axis.adds[:, firsts]
        return cls(keys, day_of_key, kind_of_key, days, classes, follows[np.ix_(firsts, firsts)], longest,
                   shortest, rest, totals, opens, second)

    def best(self, costs: np.ndarray) -> tuple[float, list[Key]] | None:
        """The least total cost of a schedule keeping the program's rules, and its duties; None if none does."""
        by_shift = np.full((self.days, self.shifts), INF)
        by_shift[self.day_of_key, self.kind_of_key] = costs
        cost = np.empty((self.days, self.kinds))
        picked = np.empty((self.days, self.kinds), int)  # the cheapest shift of each class each day
        every_day = np.arange(self.days)
        for t, members in enumerate(self.classes):
            cheapest = by_shift[:, members].argmin(axis=1)
            picked[:, t] = members[cheapest]
            cost[:, t] = by_shift[every_day, members[cheapest]]
        state = np.full(self.shape, INF)
        state[(0, self.runs - 1, 1) + (0,) * len(self.totals.sizes)] = 0.0  # before the first day: resting
        history = [state]
        for day in range(self.days):
            state = self._step(state, day, cost[day])
            history.append(state)
        final = state
        if self.allowed_ends is not None:
            final = np.where(self.allowed_ends, state, INF)
        at = np.unravel_index(int(np.argmin(final)), final.shape)
        value = float(final[at])
        if value == INF:
            return None
        return value, self._trace(history, tuple(int(i) for i in at), picked)

    # -- one day ----------------------------------------------------------
    def _step(self, before: np.ndarray, day: int, cost: np.ndarray) -> np.ndarray:
        after = np.full_like(before, INF)
        last = self.runs - 1
        off, work = before[0], before[1:]
        # a day off: after one (the rest grows, capped), or ending a run of work long enough (or begun on day 0)
        after[0, 1:] = off[:-1]
        after[0, last] = np.minimum(after[0, last], off[last])
        ended = np.minimum(work[:, self.shortest - 1:, 0].min(axis=(0, 1)), work[:, :, 1].min(axis=(0, 1)))
        after[0, 0, 0] = np.minimum(after[0, 0, 0], ended)
        rested = np.minimum(off[self.rest - 1:, 0].min(axis=0), off[:, 1].min(axis=0))  # may start work
        growable = work if self.longest is None else work[:, :self.longest - 1]
        grown: dict[bytes, np.ndarray] = {}  # the best run to go on from, by the shifts it may follow
        began = int(day == 0)
        for t in range(self.kinds):
            if cost[t] == INF:
                continue
            row = after[1 + t]
            begin, grow = self.moves[day][t]
            # a run of work begins (length 1; begun on day 0 only on day 0), or one goes on: each total
            # moves up by what the duty adds, and states past a total's size drop out
            if begin is not None:
                row[(0, began) + begin[0]] = rested[begin[1]] + cost[t]
            if grow is None or not growable.shape[1]:
                continue
            allowed = self.follows[:, t]
            goes_on = grown.get(allowed.tobytes())
            if goes_on is None:
                if not allowed.any():
                    continue
                goes_on = grown[allowed.tobytes()] = growable[allowed].min(axis=0)
            into, source = (slice(None), slice(None)) + grow[0], (slice(None), slice(None)) + grow[1]
            if self.longest is None:  # capped: the longest runs stay on the last length
                row[1:][into] = goes_on[:-1][source] + cost[t]
                row[last][grow[0]] = np.minimum(row[last][grow[0]], goes_on[last][grow[1]] + cost[t])
            else:
                row[1:goes_on.shape[0] + 1][into] = goes_on[source] + cost[t]
        return after

    def _moves(self, day: int, t: int, weekend: bool) -> tuple[tuple, tuple] | None:
        """Where a duty of shift t on `day` takes the totals' axes: (target slices, source slices);
        None if it overruns one."""
        into, source = [], []
        for by, size in zip(self._adds(day, t, weekend), self.totals.sizes):
            if by >= size:
                return None
            into.append(slice(by, None))
            source.append(slice(0, size - by))
        return tuple(into), tuple(source)

    def _adds(self, day: int, t: int, weekend: bool) -> list[int]:
        totals = self.totals
        return [int(total.adds[day, t]) + int(axis == totals.weekend_axis and weekend)
                for axis, total in enumerate(totals.axes)]

    # -- the schedule ------------------------------------------------------
    def _trace(self, history: list[np.ndarray], at: tuple, picked: np.ndarray) -> list[Key]:
        """The duties of the least-cost schedule ending in state `at`, read back day by day."""
        chosen = []
        for day in range(self.days - 1, -1, -1):
            before = history[day]
            if at[0]:
                chosen.append(self.keys[self.key_at[day, picked[day, at[0] - 1]]])
            at = min(self._before(at, day), key=lambda state: before[state])
        return chosen[::-1]

    def _before(self, at: tuple, day: int):
        """The states the day before that can lead to state `at` after `day`."""
        kind, run, began, *totals = at
        last = self.runs - 1
        if kind == 0:
            if run >= 1:
                yield (0, run - 1, began, *totals)
            if run == last:
                yield (0, last, began, *totals)
            if run == 0 and began == 0:  # a run of work ended the day before
                for s in range(1, self.kinds + 1):
                    for length in range(self.runs):
                        for first in (0, 1):
                            if first or length + 1 >= self.shortest:
                                yield (s, length, first, *totals)
            return
        t = kind - 1
        if run == 0 and began == int(day == 0):  # a run of work began
            back = self._minus(totals, day, t, bool(self.weekend_opens[day] or self.weekend_second[day]))
            if back is not None:
                for length in range(self.runs):
                    for first in (0, 1):
                        if first or length + 1 >= self.rest:
                            yield (0, length, first, *back)
        back = self._minus(totals, day, t, bool(self.weekend_opens[day]))
        if back is None:
            return
        lengths = ([run - 1] if run >= 1 else []) + ([last] if run == last and self.longest is None else [])
        for s in np.flatnonzero(self.follows[:, t]):
            for length in lengths:
                yield (int(s) + 1, length, began, *back)

    def _minus(self, totals: list[int], day: int, t: int, weekend: bool) -> tuple | None:
        back = tuple(v - by for v, by in zip(totals, self._adds(day, t, weekend)))
        return None if any(v < 0 for v in back) else back


def _alike(follows: np.ndarray, adds: list[np.ndarray]) -> list[list[int]]:
    """The shifts grouped by what the program sees of them: what may follow and precede each, and what
    each adds to every total on every day."""
    groups: dict[bytes, list[int]] = {}
    for t in range(follows.shape[0]):
        seen = follows[t].tobytes() + follows[:, t].tobytes() + b"".join(a[:, t].tobytes() for a in adds)
        groups.setdefault(seen, []).append(t)
    return list(groups.values())


def _totals(problem: Problem, person, slots, day_of_key: np.ndarray, kind_of_key: np.ndarray, days: int, kinds: int,
            shift_ids: list[str]) -> _Totals:
    """The bounded totals of `person` the program counts: hard weekends, each capped shift whose cap can
    bind, and the hard duty minutes. Where the shifts longer than the shortest are all capped, the
    minutes are the shortest's times the duties plus what those caps count (Curtois & Qu Instance14:
    28 duty counts instead of 109 steps of 120 minutes); else they count in steps of the minutes'
    common divisor."""
    axes: list[_Total] = []
    weekend_axis = None
    most_weekends = personal(person, "max_weekends", problem.rules.rules.max_weekends)
    if most_weekends[0] is not None and most_weekends[1] is None and most_weekends[0] < len(weekend_days(problem)):
        weekend_axis = 0
        axes.append(_Total(most_weekends[0] + 1, np.zeros((days, kinds), int)))  # what it adds: see `_adds`
    for sid, most in person.max_shifts.items():
        if sid not in shift_ids:
            continue
        t = shift_ids.index(sid)
        possible = int((kind_of_key == t).sum())
        if most >= possible:
            continue  # cannot bind
        per_day = np.zeros((days, kinds), int)
        per_day[:, t] = 1
        axes.append(_Total(most + 1, per_day, caps=t, looseness=most / possible))
    most_minutes, weight_most = rule_value(person.max_minutes)
    least_minutes, weight_least = rule_value(person.min_minutes)
    most = int(most_minutes) if most_minutes is not None and weight_most is None else None
    least = int(math.ceil(least_minutes)) if least_minutes and weight_least is None else None
    minutes = np.array([slot.minutes for slot in slots])
    if (most is None and least is None) or not minutes.size or minutes.min() <= 0:
        return _Totals(axes, None, None, weekend_axis)
    of_shift = np.zeros((days, kinds), int)
    of_shift[day_of_key, kind_of_key] = minutes
    shortest = int(minutes.min())
    steady = all(len(set(minutes[kind_of_key == t])) == 1 for t in range(kinds))
    capped = {axis.caps: axis for axis in axes if axis.caps is not None}
    longer = {int(t) for t in kind_of_key[minutes > shortest]}
    if steady and longer <= capped.keys():
        for t in longer:
            capped[t].minutes = int(minutes[kind_of_key == t][0]) - shortest
        step, per_day = shortest, (of_shift > 0).astype(int)
    else:
        step = math.gcd(*(int(m) for m in minutes))
        per_day = of_shift // step
    size = int(per_day.max(axis=1).sum())
    if most is not None:
        size = min(size, most // step)
    axes.append(_Total(size + 1, per_day, minutes=step))
    return _Totals(axes, least, most, weekend_axis)
