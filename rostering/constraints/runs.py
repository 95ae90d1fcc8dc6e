"""Runs of working days and days off, per person (连续上班天数、连续休息天数).

- at most `max_consecutive_days` working days in a row;
- at least `min_consecutive_days` working days in a row, and at least
  `min_consecutive_days_off` days off in a row, for every run that lies inside the range.

A run that touches the first or last date may be shorter than the minimum: what happens
outside the range is not known here (this is also how the published Curtois & Qu bounds
are computed). A day counts as worked when the person holds a duty that day (leader tiers
aside): a plain count of duties where every date's duties overlap (at most one a day), else
whether any is held (`AnyCount`), so two duties on one date are one working day.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import chain

from ..problem import Key, Problem, Slot
from ..rules import Person, RuleValue, rule_value
from .base import AnyCount, DayCount, PersonalRule, Requirement
from .successions import pairwise_overlapping

DayTerms = tuple[tuple[Key, int], ...]


def one_duty_a_day(problem: Problem) -> bool:
    """Whether every date's duties overlap in time, so nobody can hold two on one date."""
    def build() -> bool:
        by_date: dict[date, list[Slot]] = {}
        for slot in problem.slots:
            if not slot.shift.leader:
                by_date.setdefault(slot.date, []).append(slot)
        return all(pairwise_overlapping(day) for day in by_date.values())
    return problem.shared("one duty a day", build)


def duty_days(problem: Problem, name: str) -> list[DayTerms]:
    """Per day of the range (in order), the keys of the duties `name` may hold that day."""
    def build() -> list[DayTerms]:
        index = problem.shared("day index", lambda: {d.date: i for i, d in enumerate(problem.days)})
        out: list[list] = [[] for _ in problem.days]
        for slot in problem.slots_by_person[name]:
            if not slot.shift.leader:
                out[index[slot.date]].append(((name, slot.date, slot.shift.id), 1))
        return [tuple(d) for d in out]
    return problem.shared(("duty days", name), build)


def personal(person: Person, field: str, default: RuleValue | None) -> tuple[int | None, int | None]:
    """(bound, weight) of a run or weekend setting: the person's own value, else the office default."""
    value, weight = rule_value(getattr(person, field) if getattr(person, field) is not None else default)
    return (None if value is None else int(value)), weight


@dataclass
class Runs(PersonalRule):
    family = "runs"

    def requirements_of(self, problem: Problem, person: Person):
        days = [d.date for d in problem.days]
        settings = problem.rules.rules
        by_date = not one_duty_a_day(problem)  # two duties on one date are still one working day
        longest = personal(person, "max_consecutive_days", None)
        shortest = personal(person, "min_consecutive_days", settings.min_consecutive_days)
        rest = personal(person, "min_consecutive_days_off", settings.min_consecutive_days_off)
        if longest[0] is None and (shortest[0] or 0) < 2 and (rest[0] or 0) < 2:
            return
        worked = _PersonDays(self.family, duty_days(problem, person.name), by_date)
        if longest[0] is not None:
            yield from self._at_most(person.name, days, worked, *longest)
        if shortest[0] is not None and shortest[0] > 1:
            yield from self._no_short_runs(person.name, days, worked, *shortest, working=True)
        if rest[0] is not None and rest[0] > 1:
            yield from self._no_short_runs(person.name, days, worked, *rest, working=False)

    def tighten(self, model) -> None:
        """Hard minimum runs also in the start/end form of unit commitment's minimum up/down times.

        With s[d] − e[d] = on[d] − on[d−1] (a run of work starts / ends on d), a run begun on d
        must still be on for the minimum: Σ s[d−k+1..d] ≤ on[d], and likewise for days off.
        These describe the convex hull of valid on/off sequences, where the forbidden-pattern
        requirements leave the LP much room. Posted only when a person holds at most one duty
        a day (every day's duties overlap), so on[d] is the day's sum; runs touching the
        range's edges stay free, as in the requirements."""
        problem = model.problem
        if not one_duty_a_day(problem):
            return
        settings = problem.rules.rules
        for person in problem.people:
            if person.name not in model.people:
                continue
            up, up_weight = personal(person, "min_consecutive_days", settings.min_consecutive_days)
            down, down_weight = personal(person, "min_consecutive_days_off", settings.min_consecutive_days_off)
            up = up if up is not None and up > 1 and up_weight is None else 0
            down = down if down is not None and down > 1 and down_weight is None else 0
            if not up and not down:
                continue
            on = [sum(model.x[k] for k, _ in day if k in model.x) for day in duty_days(problem, person.name)]
            starts, ends = [None], [None]
            for d in range(1, len(on)):
                s = model.cp.new_bool_var(f"run_start[{person.name}|{d}]")
                e = model.cp.new_bool_var(f"run_end[{person.name}|{d}]")
                model.cp.add(s - e == on[d] - on[d - 1])
                model.cp.add(s + e <= 1)
                starts.append(s)
                ends.append(e)
            for d in range(1, len(on)):
                if up:
                    model.cp.add(sum(starts[max(1, d - up + 1):d + 1]) <= on[d])
                if down:
                    model.cp.add(sum(ends[max(1, d - down + 1):d + 1]) <= 1 - on[d])

    def _at_most(self, name: str, days: list[date], worked: "_PersonDays", limit: int, weight: int | None):
        """No limit+1 consecutive days all worked."""
        for i in range(len(days) - limit):
            window = [j for j in range(i, i + limit + 1) if worked.days[j]]
            if len(window) <= limit if worked.by_date else sum(len(worked.days[j]) for j in window) <= limit:
                continue
            yield worked.count([(j, 1) for j in window], hi=limit, weight=weight, date=days[i],
                               people=(name,), message="v_runs_max", fix="v_consecutive_fix",
                               params=(("person", name), ("date", days[i].isoformat()), ("limit", limit)))

    def _no_short_runs(self, name: str, days: list[date], worked: "_PersonDays", least: int,
                       weight: int | None, working: bool):
        """Forbid each run of k < least days (worked, or off) that has a day of the other kind on both sides.

        For working runs: off(i) ∧ on(i+1..i+k) ∧ off(i+k+1) is ruled out by
        on(i) + Σ(1 − on(mid)) + on(i+k+1) ≥ 1; for runs off, the roles swap."""
        message, fix = ("v_runs_min", "v_runs_min_fix") if working else ("v_runs_off", "v_runs_off_fix")
        on = worked.days
        for k in range(1, least):
            for i in range(len(days) - k - 1):
                inside = [j for j in range(i + 1, i + k + 1) if on[j]]
                sides = [j for j in (i, i + k + 1) if on[j]]
                if (working and not inside) or (not working and len(sides) < 2):
                    continue  # such a run cannot happen
                side, middle = (1, -1) if working else (-1, 1)
                yield worked.count([(j, side) for j in sides] + [(j, middle) for j in inside],
                                   lo=1, const=k if working else 2, weight=weight, date=days[i + 1],
                                   people=(name,), message=message, fix=fix,
                                   params=(("person", name), ("date", days[i + 1].isoformat()),
                                           ("days", k), ("least", least)))


class _PersonDays:
    """One person's duties day by day, and the count of days worked over some of them.

    on(day) is the day's duty count when a person holds at most one a day (a plain linear
    count), else whether they hold any (an `AnyCount` over the days). Each day's terms, negated
    terms and keys are built once: a year of run rules names every day dozens of times
    (Curtois & Qu Instance24: 14 million terms, 2.8 s → 1 s)."""

    def __init__(self, family: str, days: list[DayTerms], by_date: bool):
        self.family, self.days, self.by_date = family, days, by_date
        self.negated = [] if by_date else [tuple((k, -c) for k, c in d) for d in days]
        self.keys = [tuple(k for k, _ in d) for d in days] if by_date else []

    def count(self, days: list[tuple[int, int]], **fields) -> Requirement:
        """Σ sign·on(day) over (day index, sign ±1) pairs, as a requirement with `fields`."""
        if self.by_date:
            return AnyCount(self.family, (), groups=tuple(self.keys[j] for j, _ in days),
                            signs=tuple(sign for _, sign in days), **fields)
        return DayCount(self.family, tuple(chain.from_iterable(
            self.days[j] if sign > 0 else self.negated[j] for j, sign in days)),
            days=tuple((self.days[j], sign) for j, sign in days), **fields)
