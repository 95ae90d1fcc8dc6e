"""The start/end form of minimum runs (`Runs.tighten`) is only a tighter LP: it accepts exactly the
rosters the forbidden-pattern requirements accept. Checked on every on/off sequence of a short range."""
from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import pytest

from conftest import rules_from
from rostering.checking import check_roster
from rostering.problem import Problem
from rostering.roster import Assignment, Roster
from test_agreement import model_accepts

START = date(2024, 1, 1)
DAYS = 8


def rules(up: int, down: int, shifts: str):
    return rules_from(f"""
organization: test
locale: en
shifts: [{shifts}]
staff:
  - {{name: A, min_consecutive_days: {up}, min_consecutive_days_off: {down}}}
rules:
  cover: [{{shift: D, need: 1, under: 1}}]
fairness: {{weight: 0}}
""")


@pytest.mark.parametrize("up,down", [(2, 2), (3, 2), (2, 3)])
def test_tightened_model_accepts_exactly_what_check_accepts(up, down):
    r = rules(up, down, '{id: D, windows: "08:00-16:00"}')
    problem = Problem(r, START, START + timedelta(days=DAYS - 1))
    accepted = 0
    for pattern in product((0, 1), repeat=DAYS):
        roster = Roster(problem.start, problem.end,
                        [Assignment(START + timedelta(days=d), "D", "A") for d, on in enumerate(pattern) if on])
        valid = check_roster(r, roster, problem).ok
        assert model_accepts(problem, roster) == valid, pattern
        accepted += valid
    assert 0 < accepted < 2 ** DAYS  # both verdicts occur: the test can fail either way


def test_a_border_run_may_be_short_in_both_faces():
    r = rules(3, 2, '{id: D, windows: "08:00-16:00"}')
    problem = Problem(r, START, START + timedelta(days=DAYS - 1))
    edge = Roster(problem.start, problem.end, [Assignment(START, "D", "A"),
                                               Assignment(START + timedelta(days=DAYS - 1), "D", "A")])
    inner = Roster(problem.start, problem.end, [Assignment(START + timedelta(days=3), "D", "A")])
    assert check_roster(r, edge, problem).ok and model_accepts(problem, edge)
    assert not check_roster(r, inner, problem).ok and not model_accepts(problem, inner)
