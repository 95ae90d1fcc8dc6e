"""Whole days in a rule become one variable per person and date (`RosterModel.day_sum`, or an
"any duty that day" flag where two duties fit one date).

The model is smaller, and it must still accept exactly the rosters `check` accepts: checked on
every way one person can work a short range, with duties that overlap in time (one a day) and
with duties that do not (two a day possible)."""
from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import pytest

from conftest import rules_from
from rostering.checking import check_roster
from rostering.constraints import rules_for
from rostering.model import build_model
from rostering.problem import Problem
from rostering.roster import Assignment, Roster
from test_agreement import model_accepts

START = date(2024, 1, 1)
DAYS = 5


def rules(windows: tuple[str, str], runs: str):
    return rules_from(f"""
organization: test
locale: en
shifts: [{{id: D, windows: "{windows[0]}"}}, {{id: E, windows: "{windows[1]}"}}]
staff:
  - {{name: A, {runs}}}
rules:
  cover: [{{shift: D, need: 1, under: 1}}, {{shift: E, need: 1, under: 1}}]
fairness: {{weight: 0}}
""")


@pytest.mark.parametrize("windows", [("08:00-16:00", "12:00-20:00"), ("08:00-12:00", "13:00-17:00")],
                         ids=["one-duty-a-day", "two-duties-a-day"])
@pytest.mark.parametrize("runs", ["max_consecutive_days: 2", "max_consecutive_days: 3, min_consecutive_days_off: 2"])
def test_day_sums_keep_the_same_valid_rosters(windows, runs):
    r = rules(windows, runs)
    problem = Problem(r, START, START + timedelta(days=DAYS - 1))
    model = build_model(problem, rules_for(problem), None)
    one_a_day = windows[0] == "08:00-16:00"
    # the run windows were posted over day variables: duty counts, or "any duty" flags when two fit a day
    assert (model.day_sums if one_a_day else model.any_flags)
    choices = [(), ("D",), ("E",), ("D", "E")]
    verdicts = set()
    for pattern in product(range(len(choices)), repeat=DAYS):
        assignments = [Assignment(START + timedelta(days=d), s, "A")
                       for d, c in enumerate(pattern) for s in choices[c]]
        roster = Roster(problem.start, problem.end, assignments)
        valid = check_roster(r, roster, problem).ok
        assert model_accepts(problem, roster) == valid, pattern
        verdicts.add(valid)
    assert verdicts == {True, False}


def test_two_duties_on_one_date_count_as_one_working_day():
    """Runs count days worked, not duties: a morning and an afternoon duty make one working day,
    in `check` and in the model alike."""
    r = rules(("08:00-12:00", "13:00-17:00"), "max_consecutive_days: 2, min_consecutive_days_off: 2")
    problem = Problem(r, START, START + timedelta(days=DAYS - 1))
    both_then_rest = Roster(problem.start, problem.end, [Assignment(START, "D", "A"), Assignment(START, "E", "A")])
    assert check_roster(r, both_then_rest, problem).ok and model_accepts(problem, both_then_rest)
    two_full_days = Roster(problem.start, problem.end, [Assignment(START + timedelta(days=d), s, "A")
                                                        for d in (0, 1) for s in ("D", "E")])
    assert check_roster(r, two_full_days, problem).ok and model_accepts(problem, two_full_days)
    three_days = Roster(problem.start, problem.end, [Assignment(START + timedelta(days=d), "D", "A") for d in (0, 1, 2)])
    assert not check_roster(r, three_days, problem).ok and not model_accepts(problem, three_days)
