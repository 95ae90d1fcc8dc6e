"""Long ranges: month by month, then loads levelled towards each pool's mean, proven by the demand floor."""
from __future__ import annotations

from datetime import date

from rostering.checking import check_roster
from rostering.problem import Problem
from rostering.long_ranges import floor_cost, level_loads, roster_cost
from rostering.solve import Status, solve
from tests.conftest import SMALL_OFFICE, rules_from


def test_levelling_an_unfair_roster_keeps_every_rule_and_reaches_the_floor():
    unfair_rules = rules_from(SMALL_OFFICE + "fairness: {weight: 0}\n")
    problem = Problem(unfair_rules, date(2026, 12, 1), date(2026, 12, 31))
    unfair = solve(problem, time_limit=10).roster  # any roster: fairness switched off
    rules = rules_from(SMALL_OFFICE)
    fair_problem = Problem(rules, date(2026, 12, 1), date(2026, 12, 31))
    before = roster_cost(fair_problem, unfair)
    floor = floor_cost(fair_problem, None)
    assert before > floor  # the test needs an unfair start
    levelled = level_loads(fair_problem, unfair, 10, 1, 0)
    assert check_roster(rules, levelled, fair_problem).ok
    assert roster_cost(fair_problem, levelled) == floor


def test_a_quarter_is_proven_optimal():
    rules = rules_from(SMALL_OFFICE)
    problem = Problem(rules, date(2026, 10, 1), date(2026, 12, 31))
    result = solve(problem, time_limit=30)
    assert result.status is Status.OPTIMAL and result.objective == result.bound
    assert check_roster(rules, result.roster, problem).ok
