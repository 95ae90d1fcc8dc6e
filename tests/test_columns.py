"""Column generation over people's schedules: its bound holds, is exact where the LP is, and its roster is valid."""
from __future__ import annotations

import math
from datetime import date
from types import SimpleNamespace

from conftest import rules_from
from rostering.checking import check_roster
from rostering.columns import _Master, generate_columns
from rostering.constraints.base import Requirement
from rostering.long_ranges import roster_cost
from rostering.problem import Problem
from rostering.roster import Assignment, Roster
from rostering.search import _around_lp, _whole_search
from rostering.solve import Result, Status, solve
from test_search import END, RULES, START

SMALL = RULES  # three people, a fortnight, soft cover: the search tests' small roster

PAIR = """
organization: test
locale: en
shifts:
  - {id: D, windows: "08:00-16:00"}
staff:
  - {name: A, max_consecutive_days: 2}
  - {name: B, max_consecutive_days: 2}
rules:
  cover: [{shift: D, need: 2, under: 100, over: 1}]
fairness: {weight: 0}
"""


def test_the_bound_never_exceeds_the_optimum_and_the_roster_keeps_every_hard_rule():
    p = Problem(rules_from(SMALL), START, END)
    optimum = solve(p, time_limit=20, workers=2, explain=False, rolling=False)
    assert optimum.status.value == "optimal"
    columns = generate_columns(p, time_limit=10, workers=2)
    assert columns is not None and columns.converged and columns.schedules >= 3
    assert columns.bound <= optimum.objective + 1e-6
    report = check_roster(p.rules, columns.roster, p)
    assert report.ok and report.penalty >= math.ceil(columns.bound - 1e-6)
    assert columns.cost == report.penalty  # the combination prices its roster as check does


def test_the_bound_counts_what_no_mix_of_schedules_can_cover():
    """Two people, three days, two needed a day, at most two days in a row each: every schedule leaves
    a day open, and so does every mix of them (each day short by two thirds at best: 200 in all)."""
    p = Problem(rules_from(PAIR), date(2024, 1, 1), date(2024, 1, 3))
    columns = generate_columns(p, time_limit=5, workers=1)
    assert columns.converged and 199.99 < columns.bound <= 200 and math.ceil(columns.bound - 1e-6) == 200
    assert columns.schedules >= 3  # the cover rows' duals asked for other schedules than the first
    assert check_roster(p.rules, columns.roster, p).penalty == 200


def test_smoothed_prices_settle_the_same_lp_as_the_lps_own_and_its_bound_meets_it(monkeypatch):
    """Pricing between the best bound's prices and the LP's (smoothing) only changes the way, not where
    column generation ends: the LP's optimum, which the Lagrangian bound then meets."""
    import rostering.columns as columns_module
    p = Problem(rules_from(SMALL), START, END)
    ends = []
    for smoothing in (0.0, 0.5, 0.9):
        monkeypatch.setattr(columns_module, "SMOOTHING", smoothing)
        columns = generate_columns(p, time_limit=10, workers=2, combine_share=0)
        assert columns.converged and abs(columns.bound - columns.lp) < 1e-3
        ends.append(columns.lp)
    assert max(ends) - min(ends) < 1e-6


def test_smoothed_prices_lie_between_the_centres_and_the_lps():
    from rostering.columns import _Duals
    centre, lp = _Duals({0: 10.0}, {1: -4.0}), _Duals({0: 2.0, 2: 6.0}, {}, lp=7.0)
    half = centre.towards(lp, 0.5)
    assert half.low == {0: 6.0, 2: 3.0} and half.high == {1: -2.0}
    assert half.prices == {0: 6.0, 1: -2.0, 2: 3.0}


def test_column_generation_declines_fairness_and_hard_rules_tying_people():
    fair = SMALL.replace("fairness: {weight: 0}", "fairness: {weight: 1}")
    assert generate_columns(Problem(rules_from(fair), START, END), time_limit=5) is None
    hard_cover = SMALL.replace(
        "cover: [{shift: E, need: 1, under: 100, over: 1}, {shift: L, need: 1, under: 50, over: 1}]",
        "min_rest_hours: 8")  # every slot's headcount is then a hard rule tying people
    assert generate_columns(Problem(rules_from(hard_cover), START, END), time_limit=5) is None


def test_a_search_given_a_floor_stops_at_the_first_roster_that_meets_it():
    p = Problem(rules_from(SMALL), START, END)
    stopped = solve(p, time_limit=20, workers=1, explain=False, rolling=False, floor=10**9)
    assert stopped.found and stopped.solutions == 1


def test_the_combination_takes_the_cheapest_whole_schedules_together_not_each_persons_cheapest():
    """Three days each need exactly one person (100 a person short or over); everyone's cheapest
    schedule is the first day, which leaves two over there and two days open (400). Together: 0 + 3 + 1."""
    days = [Requirement("cover_target", (), lo=1, hi=1, weight=100) for _ in range(3)]
    people = [SimpleNamespace(name=name, schedules=[(frozenset({(name, 0)}), 0, {0: 1}), (keys, cost, counts)])
              for name, keys, cost, counts in [("A", frozenset({("A", 0), ("A", 1)}), 5, {0: 1, 1: 1}),
                                               ("B", frozenset({("B", 1)}), 3, {1: 1}),
                                               ("C", frozenset({("C", 2)}), 1, {2: 1})]]
    master = _Master(days, [0, 1, 2], people)
    chosen, cost = master.combine(5)
    assert cost == 4 and chosen == [frozenset({("A", 0)}), frozenset({("B", 1)}), frozenset({("C", 2)})]
    assert master.cost([p.schedules[0] for p in people]) == 400
    lp = master.solve().lp  # the LP takes the same schedules wholly: each of their days has share 1
    assert lp == 4 and {k: round(v, 6) for k, v in master.fractions().items()} == {("A", 0): 1, ("B", 1): 1, ("C", 2): 1}


def test_the_search_around_the_lp_holds_what_the_lp_settled_and_frees_the_rest():
    """The LP settled the first week as an optimal roster has it and left the second open (share 0.5):
    the best roster there is an optimal one with the same first week. Everything settled off: B's
    minimum minutes break, so there is no roster."""
    p = Problem(rules_from(SMALL), START, END)
    optimum = solve(p, time_limit=20, workers=2, explain=False, rolling=False)
    first_week = {k for k in p.keys if (k[1] - START).days < 7}
    fractions = {k: 1.0 for k in optimum.roster.keys & first_week}
    fractions.update({k: 0.5 for k in p.keys if k not in first_week})
    roster, cost = _around_lp(p, fractions, 20, 2, 0, None)
    assert cost == optimum.objective == roster_cost(p, roster)
    assert roster.keys & first_week == optimum.roster.keys & first_week
    assert _around_lp(p, {}, 5, 1, 0, None) is None


def test_the_whole_search_answers_with_the_columns_roster_when_it_finds_nothing_better(monkeypatch):
    """However the search after column generation ends, the better roster the columns gave is not lost."""
    import rostering.search as search_module
    p = Problem(rules_from(SMALL), START, END)
    poor = Roster(p.start, p.end, [Assignment(date(2024, 1, d), "E", "B") for d in range(1, 5)], {"organization": "test"})
    worse = roster_cost(p, poor)  # B's four days keep every hard rule; the cover is short on the others
    assert worse is not None
    monkeypatch.setattr(search_module, "solve", lambda problem, **options: Result(
        Status.FEASIBLE, poor, float(worse), 0.0, 0.1, 1))
    result = _whole_search(p, 10, 1, 0, None, None, 0.5)
    assert result.found and result.objective == roster_cost(p, result.roster) < worse


def test_a_pricing_search_that_finds_nothing_late_keeps_the_pool_and_its_roster(monkeypatch):
    """Near the deadline a pricing search gets little time and may find nothing: the schedules and
    bound found before still give a roster; only a person with no schedule at all ends it."""
    import rostering.columns as columns_module
    price = columns_module._Person.price
    calls = []

    def first_round_only(self, *args):
        calls.append(self.name)
        return price(self, *args) if len(calls) <= 3 else None  # three people: round 1 only

    monkeypatch.setattr(columns_module._Person, "price", first_round_only)
    p = Problem(rules_from(SMALL), START, END)
    columns = generate_columns(p, time_limit=5, workers=1)
    assert columns is not None and not columns.converged and columns.schedules == 3
    assert check_roster(p.rules, columns.roster, p).penalty == columns.cost
    monkeypatch.setattr(columns_module._Person, "price", lambda self, *args: None)
    assert generate_columns(p, time_limit=5, workers=1) is None


def test_column_generation_asked_to_be_quick_gives_up_when_pricing_is_slow(monkeypatch):
    """Where one of the first rounds alone takes more than its share of the time, the LP would not
    settle in time: column generation gives up, and the caller's time is not spent on it."""
    import time as time_module

    import rostering.columns as columns_module
    price = columns_module._Person.price
    calls = []

    def slow_second_round(self, *args):
        calls.append(self.name)
        if len(calls) > 3:  # three people: round 2 on
            time_module.sleep(0.4)
        return price(self, *args)

    monkeypatch.setattr(columns_module._Person, "price", slow_second_round)
    p = Problem(rules_from(SMALL), START, END)
    started = time_module.monotonic()
    assert generate_columns(p, time_limit=5, workers=1, combine_share=0, only_if_quick=True) is None
    assert time_module.monotonic() - started < 3  # round 2 (1.2 s of pricing against 0.75 s) ends it
    patient = generate_columns(p, time_limit=5, workers=1, combine_share=0)
    assert patient is not None and patient.fractions and patient.roster is None  # no combination asked


def test_a_mid_sized_roster_starts_around_the_columns_lp_and_else_from_a_first_search(monkeypatch):
    """Above the whole search's size, a roster whose columns settle in time starts from the best roster
    around their LP (no first CP-SAT search); where people have too many choices each, or column
    generation gives up, the first search runs."""
    import rostering.columns as columns_module
    import rostering.search as search_module
    p = Problem(rules_from(SMALL), START, END)
    optimum = solve(p, time_limit=20, workers=2, explain=False, rolling=False)
    first_searches = []
    real_solve = search_module.solve

    def counted_solve(problem, **options):
        first_searches.append(options["time_limit"])
        return real_solve(problem, **options)

    monkeypatch.setattr(search_module, "solve", counted_solve)
    result = search_module.solve_in_neighbourhoods(p, time_limit=10, workers=2, whole_below=0, rolling=False)
    assert not first_searches
    assert result.objective == optimum.objective == roster_cost(p, result.roster)
    assert result.bound <= optimum.objective

    monkeypatch.setattr(search_module, "MEDIUM_COLUMNS_CHOICES", 5)  # people have 28 choices each
    result = search_module.solve_in_neighbourhoods(p, time_limit=10, workers=2, whole_below=0, rolling=False)
    assert len(first_searches) == 1 and result.found
    monkeypatch.undo()
    monkeypatch.setattr(search_module, "solve", counted_solve)
    monkeypatch.setattr(columns_module, "generate_columns", lambda *args, **options: None)
    result = search_module.solve_in_neighbourhoods(p, time_limit=10, workers=2, whole_below=0, rolling=False)
    assert len(first_searches) == 2 and result.found
