"""The Curtois & Qu benchmark reader and the general rule forms it needs (runs, weekends, workload, …).

The three small instances have proven optima; they are read from ../shared/benchmarks/curtois-qu.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date, timedelta

import pytest

from conftest import REPO, SHARED, rules_from
from rostering.checking import check_roster
from rostering.i18n import MESSAGES, t
from rostering.problem import Problem
from rostering.roster import Assignment, Roster

_spec = importlib.util.spec_from_file_location("curtois_qu", REPO / "benchmarks" / "curtois_qu.py")
cq = importlib.util.module_from_spec(_spec)
sys.modules["curtois_qu"] = cq
_spec.loader.exec_module(cq)

DATA = SHARED / "benchmarks" / "curtois-qu"
MON = date(2024, 1, 1)

RULES = """
organization: test
locale: en
shifts:
  - {id: E, windows: "06:00-14:00"}
  - {id: L, windows: "14:00-22:00"}
staff:
  - name: A
    max_consecutive_days: 3
    min_consecutive_days: 2
    min_consecutive_days_off: 2
    max_weekends: 1
    max_minutes: 1440
    max_shifts: {L: 1}
    requests:
      - {date: 2024-01-03, shift: E, want: "on", weight: 4}
      - {date: 2024-01-04, shift: L, want: "off", weight: 5}
  - {name: B}
rules:
  forbidden_successions: [{shift: L, next: [E]}]
  cover: [{shift: E, need: 1, under: 100, over: 1}, {shift: L, need: 0, over: 1}]
fairness: {weight: 0}
"""


def roster_of(*work: tuple[int, str, str], days: int = 14) -> Roster:
    return Roster(MON, MON + timedelta(days=days - 1), [Assignment(MON + timedelta(days=d), s, p) for d, s, p in work])


def violations(rules, roster, family: str):
    return [v for v in check_roster(rules, roster).violations if v.rule_id == family]


@pytest.fixture
def rules():
    return rules_from(RULES)


def test_runs_inside_the_range_respect_minimum_lengths_but_border_runs_may_be_short(rules):
    border = roster_of((0, "E", "A"), (13, "E", "A"))  # one-day runs touching the first and last date
    assert violations(rules, border, "runs") == []
    inner = roster_of((0, "E", "A"), (2, "E", "A"), (3, "E", "A"))  # 1 day off between runs
    [short_rest] = violations(rules, inner, "runs")
    assert "1 days off" in short_rest.message and short_rest.hard
    lonely = roster_of((4, "E", "A"))
    [short_run] = violations(rules, lonely, "runs")
    assert "only 1 days in a row" in short_run.message


def test_longest_run_of_working_days(rules):
    long = roster_of(*((d, "E", "A") for d in range(1, 5)))
    assert [v.message for v in violations(rules, long, "runs")] == [
        "A works more than 3 days in a row from 2024-01-02; put a rest day in between"]


def test_a_weekend_counts_once_whether_one_or_both_days_are_worked(rules):
    one = roster_of((5, "E", "A"), (6, "E", "A"))
    assert violations(rules, one, "weekends") == []
    two = roster_of((5, "E", "A"), (13, "E", "A"))
    [v] = violations(rules, two, "weekends")
    assert "2 weekends" in v.message


def test_forbidden_succession_and_workload(rules):
    late_then_early = roster_of((1, "L", "A"), (2, "E", "A"))
    assert len(violations(rules, late_then_early, "succession")) == 1
    assert violations(rules, roster_of((1, "E", "A"), (2, "L", "A")), "succession") == []
    too_much = roster_of((1, "E", "A"), (2, "E", "A"), (3, "E", "A"), (5, "L", "A"), (6, "L", "A"))
    messages = [v.message for v in violations(rules, too_much, "workload")]
    assert any("2400 minutes" in m for m in messages) and any("holds L 2 times" in m for m in messages)


def test_requests_and_cover_targets_are_priced_by_their_weights(rules):
    roster = roster_of((3, "L", "A"), *((d, "E", "B") for d in range(14) if d != 3))
    soft = [v for v in check_roster(rules, roster).violations if not v.hard]
    by_rule = {}
    for v in soft:
        by_rule[v.rule_id] = by_rule.get(v.rule_id, 0) + v.penalty
    assert by_rule == {"requests": 4 + 5, "cover_target": 100 + 1}  # E short on day 3; L over by one


def test_solver_and_check_agree_on_a_small_instance(tmp_path):
    instance = tmp_path / "Tiny.txt"
    instance.write_text(TINY)
    row = cq.run(instance, time_limit=10, workers=2)
    assert row["status"] == "optimal"
    assert row["solver_objective"] == row["objective"] and row["hard_violations"] == 0
    assert "mismatch" not in row


def test_reader_names_file_and_line_of_a_bad_row(tmp_path):
    bad = tmp_path / "Bad.txt"
    bad.write_text(TINY.replace("A,D=14", "A,D=x"))
    with pytest.raises(cq.FormatError, match=r"Bad.txt:\d+: cannot read"):
        cq.read_instance(bad)


def test_cli_prints_one_json_line_per_instance(tmp_path, capsys):
    instance = tmp_path / "Tiny.txt"
    instance.write_text(TINY)
    table = tmp_path / "results.md"
    assert cq.main([str(instance), "--time-limit", "5", "--workers", "1", "--markdown", str(table)]) == 0
    row = json.loads(capsys.readouterr().out.strip())
    assert set(row) >= {"instance", "objective", "bound", "status", "seconds"}
    assert f"| Tiny | {row['objective']:g} | – | – |" in table.read_text()  # no best known for a made-up instance


def test_new_messages_exist_in_both_languages():
    keys = ["rule_runs", "rule_workload", "rule_weekends", "rule_requests", "rule_succession", "rule_cover_target",
            "v_runs_min", "v_runs_off", "v_runs_max", "v_minutes_max", "v_minutes_min", "v_shift_max",
            "v_weekends", "v_request_on", "v_request_off", "v_succession"]
    for key in keys:
        zh, en = MESSAGES[key]
        assert zh != en and t(key, "en") == en


TINY = """SECTION_HORIZON
7

SECTION_SHIFTS
D,480,
N,600,D

SECTION_STAFF
A,D=14|N=2,3360,960,4,2,2,1
B,D=14|N=0,2880,480,5,1,1,1
C,D=14|N=3,2880,0,5,1,2,1

SECTION_DAYS_OFF
A,3
B,0

SECTION_SHIFT_ON_REQUESTS
A,0,N,3
B,2,D,2

SECTION_SHIFT_OFF_REQUESTS
C,5,D,4

SECTION_COVER
0,D,1,100,1
0,N,1,100,1
1,D,2,100,1
1,N,1,100,1
2,D,1,100,1
2,N,1,100,1
3,D,2,100,1
3,N,0,100,1
4,D,1,100,1
4,N,1,100,1
5,D,1,100,1
5,N,1,100,1
6,D,2,100,1
6,N,1,100,1
"""

OPTIMA = {"Instance1": (607, 10), "Instance2": (828, 60), "Instance3": (1001, 60)}


@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_published_optimum(name):
    path = DATA / f"{name}.txt"
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared benchmark folder holds the instances)")
    optimum, limit = OPTIMA[name]
    row = cq.run(path, time_limit=limit, workers=2, subsolvers=["max_lp"])
    assert row["objective"] == optimum and row["solver_objective"] == optimum and row["hard_violations"] == 0


def test_model_prices_fixed_rosters_as_check_does(rules):
    """Soft rules on one assignment (requests) are priced without slack variables: the price must still
    equal check's, whichever way each request goes."""
    from ortools.sat.python import cp_model
    from rostering.constraints import Fairness, rules_for
    from rostering.model import build_model
    problem = Problem(rules, MON, MON + timedelta(days=13))
    base = [(d, "E", "B") for d in range(14) if d not in (2, 3)]
    priced = set()
    for extra in ([], [(2, "E", "A"), (3, "E", "A")], [(3, "L", "A"), (2, "E", "B")], [(2, "E", "A"), (3, "E", "B")]):
        roster = roster_of(*base, *extra)
        model = build_model(problem, rules_for(problem), Fairness(0))
        model.finish()
        for key, var in model.x.items():
            model.cp.add(var == int(key in roster.keys))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        report = check_roster(rules, roster, problem)
        if solver.solve(model.cp) == cp_model.OPTIMAL:
            assert round(solver.objective_value) == report.penalty, extra
            priced.add(report.penalty)
        else:
            assert report.hard, extra
    assert len(priced) >= 2  # different prices, so the requests really count


@pytest.mark.parametrize("name", ["Instance3", "Instance8"])  # a cap that binds; three caps, one left to the check
def test_pricing_by_days_gives_the_searchs_best_on_published_instances(name):
    import random

    from rostering.columns import _Person
    from rostering.search import _PersonModels
    path = DATA / f"{name}.txt"
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared benchmark folder holds the instances)")
    inst = cq.read_instance(path)
    problem = cq.to_problem(inst, cq.to_rules(inst))
    parts = _PersonModels(problem)
    draw = random.Random(1)
    duals = {n: draw.uniform(0, parts.requirements[n].weight) * (draw.random() < 0.5) for n in parts.tying}
    for p in problem.people[:6]:
        by_days, by_search = _Person(parts, p.name), _Person(parts, p.name)
        by_search.by_days = None
        assert by_days.by_days is not None
        keys, value, proven = by_days.price(duals, 30.0, 0)
        best, _, optimal = by_search.price(duals, 30.0, 0)
        assert by_days.by_days.misses == 0  # the program's own schedule, not the search's
        assert proven and optimal and value == pytest.approx(by_search.reduced(best, duals))
