"""Pricing by dynamic programming over a person's days: the least cost over every valid schedule, found
by enumerating them all on tiny ranges; a relaxation where the person has rules it leaves out."""
from __future__ import annotations

import itertools
import math
import random
from datetime import date

import numpy as np
import pytest

from conftest import rules_from
from rostering.columns import _Person
from rostering.constraints import rules_for
from rostering.day_program import DayProgram
from rostering.problem import Problem
from rostering.search import _PersonModels

# every shift overlaps the others (one duty a day); N is longer (minutes count in units of 120)
ONE_PERSON = """
organization: test
locale: en
shifts:
  - {id: E, windows: "08:00-16:00"}
  - {id: L, windows: "10:00-18:00"}
  - {id: N, windows: "08:00-18:00"}
staff:
  - {name: A, max_consecutive_days: 3, min_consecutive_days: 2, min_consecutive_days_off: 2,
     max_minutes: 2880, min_minutes: 960, max_shifts: {N: 1}, max_weekends: 1,
     unavailable: [{from: 2024-01-09, to: 2024-01-10}]}
rules:
  forbidden_successions: [{shift: L, next: [E]}, {shift: N, next: [E, L]}]
  cover: [{shift: E, need: 1, under: 10, over: 1}, {shift: L, need: 1, under: 8, over: 1},
          {shift: N, need: 1, under: 1, over: 2}]
fairness: {weight: 0}
"""
FIRST, LAST = date(2024, 1, 6), date(2024, 1, 14)  # Saturday to Sunday: two weekends


def _valid_schedules(problem: Problem, name: str) -> list[frozenset]:
    """Every schedule of `name` (at most one duty a day) that keeps every hard rule, by enumeration."""
    keys = problem.keys_by_person[name]
    by_day: dict[date, list] = {}
    for key in keys:
        by_day.setdefault(key[1], []).append(key)
    hard = [r for rule in rules_for(problem) for r in rule.requirements(problem) if r.weight is None]
    out = []
    for picks in itertools.product(*([None] + options for options in by_day.values())):
        chosen = frozenset(k for k in picks if k is not None)
        if all(not r.excess(r.value(chosen)) for r in hard):
            out.append(chosen)
    return out


@pytest.mark.parametrize("caps", ["{N: 1}", "{E: 2}"])  # minutes by duties and N's cap; by steps of 120
def test_the_program_finds_the_least_cost_over_every_valid_schedule(caps):
    problem = Problem(rules_from(ONE_PERSON.replace("max_shifts: {N: 1}", f"max_shifts: {caps}")), FIRST, LAST)
    keys = problem.keys_by_person["A"]
    program = DayProgram.of(problem, "A", keys)
    assert program is not None
    valid = _valid_schedules(problem, "A")
    assert 1 < len(valid) < 4 ** len(problem.days)  # the rules leave some schedules, not all
    draw = random.Random(7)
    for _ in range(25):
        costs = np.array([draw.uniform(-10, 10) for _ in keys])
        price = dict(zip(keys, costs))
        least = min(sum(price[k] for k in schedule) for schedule in valid)
        value, chosen = program.best(costs)
        assert value == pytest.approx(least)
        assert frozenset(chosen) in valid and sum(price[k] for k in chosen) == pytest.approx(value)


def test_without_a_valid_schedule_there_is_no_best():
    problem = Problem(rules_from(ONE_PERSON.replace("min_minutes: 960", "min_minutes: 4000")),
                      FIRST, LAST)
    keys = problem.keys_by_person["A"]
    assert DayProgram.of(problem, "A", keys).best(np.zeros(len(keys))) is None


def test_a_rule_the_program_leaves_out_makes_pricing_fall_back_on_the_search():
    """A minimum rest of 17 hours forbids E after E here (16:00 to 08:00) and L after L, which the program
    does not know: its best schedules break it, so the person's pricing gives the search's (proven) best."""
    rested = ONE_PERSON.replace("  forbidden_successions:", "  min_rest_hours: 17\n  forbidden_successions:")
    problem = Problem(rules_from(rested), FIRST, LAST)
    parts = _PersonModels(problem)
    person = _Person(parts, "A")
    assert person.by_days is not None
    valid = _valid_schedules(problem, "A")
    for pay in (0.0, 5.0, 10.0):
        duals = {n: pay for n in parts.tying}
        keys, floor, proven = person.price(duals, 10.0, 0)
        least = min(person.reduced(s, duals) for s in valid)
        assert proven and keys in valid and person.reduced(keys, duals) == pytest.approx(least)
        assert floor <= least + 1e-6
    assert person.by_days is None  # it stopped asking the program after its schedules kept breaking the rest rule


def test_pricing_by_days_and_by_search_agree():
    """Two people share the cover (a tying rule with duals); each one's pricing by the program gives the
    search's best value at the same prices."""
    two = ONE_PERSON.replace("rules:", "  - {name: B, max_consecutive_days: 2, requests: "
                             "[{date: 2024-01-06, shift: L, want: 'on', weight: 3}]}\nrules:")
    problem = Problem(rules_from(two), FIRST, LAST)
    parts = _PersonModels(problem)
    draw = random.Random(3)
    for name in ("A", "B"):
        by_days, by_search = _Person(parts, name), _Person(parts, name)
        by_search.by_days = None
        assert by_days.by_days is not None
        for _ in range(5):
            duals = {n: draw.uniform(0, 10) for n in parts.tying}
            keys, value, proven = by_days.price(duals, 10.0, 0)
            best, _, optimal = by_search.price(duals, 10.0, 0)
            assert proven and optimal and by_days.by_days is not None
            assert value == pytest.approx(by_search.reduced(best, duals))


def test_the_program_does_not_apply_where_a_person_may_hold_two_duties_a_day():
    apart = ONE_PERSON.replace('"10:00-18:00"', '"18:00-22:00"')
    problem = Problem(rules_from(apart), FIRST, LAST)
    assert DayProgram.of(problem, "A", problem.keys_by_person["A"]) is None


def test_past_the_most_states_a_loose_cap_is_left_to_the_check(monkeypatch):
    """With too many states the program drops the loosest cap on a shift: it is then a relaxation (never
    above the best valid schedule), and pricing still gives the best valid schedule."""
    import rostering.day_program as day_program
    capped = ONE_PERSON.replace("max_shifts: {N: 1}", "max_shifts: {N: 1, E: 2}")
    problem = Problem(rules_from(capped), FIRST, LAST)
    keys = problem.keys_by_person["A"]
    whole = DayProgram.of(problem, "A", keys)
    monkeypatch.setattr(day_program, "MAX_STATES", math.prod(whole.shape) - 1)
    relaxed = DayProgram.of(problem, "A", keys)
    assert relaxed is not None and len(relaxed.totals.axes) == len(whole.totals.axes) - 1
    parts = _PersonModels(problem)
    person = _Person(parts, "A")
    valid = _valid_schedules(problem, "A")
    draw = random.Random(5)
    for _ in range(10):
        duals = {n: draw.uniform(0, 10) for n in parts.tying}
        least = min(person.reduced(s, duals) for s in valid)
        costs = person.by_days.unit - person.by_days.counts @ np.array([duals[n] for n in person.by_days.tying]) \
            if person.by_days is not None else None
        if costs is not None:
            assert relaxed.best(costs)[0] + person.by_days.empty <= least + 1e-6
        keys_found, _, proven = person.price(duals, 10.0, 0)
        assert proven and keys_found in valid and person.reduced(keys_found, duals) == pytest.approx(least)
