"""The two faces of every rule agree: `check` passes a roster exactly when CP-SAT accepts it.

Random small rule sets are solved (the solution must pass `check`), then rosters are
mutated one assignment at a time; for each, `check` and the model with every
assignment fixed must give the same verdict.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from ortools.sat.python import cp_model

from rostering.checking import check_roster
from rostering.constraints import Fairness, rules_for
from rostering.model import build_model
from rostering.problem import Problem
from rostering.roster import Assignment, Roster
from rostering.rules import RosterRules
from rostering.solve import solve

WINDOWS = ["08:00-16:00", "16:00-24:00", "00:00-08:00", "08:30-18:00", "18:00-20:30", "20:30-08:30",
           "08:30-12:00, 13:30-17:30", "09:00-09:00"]


def random_rules(rng: random.Random) -> RosterRules:
    groups = ["甲组", "乙组"]
    staff = []
    for i in range(rng.randint(6, 10)):
        person = {"name": f"员工{i}", "group": rng.choice(groups)}
        if rng.random() < 0.3:
            day = date(2026, 12, 1) + timedelta(days=rng.randint(0, 9))
            person["unavailable"] = [{"from": day.isoformat(), "to": (day + timedelta(days=rng.randint(0, 2))).isoformat(),
                                      "reason": "年假"}]
        staff.append(person)
    staff.append({"name": "领导甲", "group": "领导", "roles": ["leader"]})
    staff.append({"name": "领导乙", "group": "领导", "roles": ["leader"]})
    shifts = []
    for j in range(rng.randint(1, 3)):
        shift = {"id": f"s{j}", "windows": rng.choice(WINDOWS), "headcount": rng.choice([1, 1, 2])}
        if rng.random() < 0.5:
            shift["groups"] = [rng.choice(groups)]
        if rng.random() < 0.3:
            shift["days"] = ["workday", "weekend", "holiday", "adjusted_workday"][: rng.randint(1, 4)]
        shifts.append(shift)
    settings: dict = {}
    if rng.random() < 0.6:
        settings["min_rest_hours"] = rng.choice([8, 11, 12])
    if rng.random() < 0.5:
        settings["max_consecutive_days"] = rng.choice([2, 3, 5])
    if rng.random() < 0.4:
        settings["max_consecutive_nights"] = rng.choice([1, 2])
    if rng.random() < 0.5:
        settings["limits"] = [{"per": rng.choice(["week", "month"]), "max": rng.randint(2, 6)}]
    if rng.random() < 0.2:
        settings["rotation"] = [{"shifts": ["s0"], "cycle": "week"}]
    return RosterRules.model_validate({
        "organization": "随机", "shifts": shifts, "staff": staff, "rules": settings,
        "leaders": [{"roles": ["leader"]}]})


def model_accepts(problem: Problem, roster: Roster) -> bool:
    """CP-SAT's verdict on a fixed roster: every candidate variable pinned to the roster."""
    model = build_model(problem, rules_for(problem), Fairness(0))
    chosen = roster.keys
    if any(key not in model.x for key in chosen):
        return False  # no variable: the model cannot place that person there
    for key, var in model.x.items():
        model.cp.add(var == int(key in chosen))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.solve(model.cp) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def mutations(rng: random.Random, problem: Problem, roster: Roster, n: int):
    names = [p.name for p in problem.people]
    slots = problem.slots
    for _ in range(n):
        kind = rng.random()
        items = list(roster.assignments)
        if kind < 0.4 and items:  # give one duty to somebody else
            a = rng.choice(items)
            yield roster.changed([a], [Assignment(a.date, a.shift, rng.choice(names))])
        elif kind < 0.6 and items:  # drop one
            yield roster.changed([rng.choice(items)])
        elif kind < 0.8 and slots:  # add one
            s = rng.choice(slots)
            yield roster.changed([], [Assignment(s.date, s.shift.id, rng.choice(names))])
        elif len(items) > 1:  # swap two people's duties
            a, b = rng.sample(items, 2)
            yield roster.changed([a, b], [Assignment(a.date, a.shift, b.person), Assignment(b.date, b.shift, a.person)])


@pytest.mark.parametrize("seed", range(20))
def test_solution_passes_check_and_faces_agree_on_mutations(seed):
    rng = random.Random(seed)
    rules = random_rules(rng)
    start = date(2026, 12, 1) + timedelta(days=rng.randint(0, 10))
    problem = Problem(rules, start, start + timedelta(days=rng.randint(6, 13)))
    result = solve(problem, time_limit=10, workers=1, explain=False)
    if result.found:
        report = check_roster(rules, result.roster, problem)
        assert report.ok, [v.message for v in report.hard]
        base = result.roster
    else:
        base = Roster(problem.start, problem.end, [])
        assert not check_roster(rules, base, problem).ok or not problem.slots
    for mutated in mutations(rng, problem, base, 15):
        verdict = check_roster(rules, mutated, problem).ok
        assert verdict == model_accepts(problem, mutated), (seed, base.diff(mutated))


def test_a_single_broken_rule_is_caught_by_both(small_rules):
    problem = Problem(small_rules, date(2026, 12, 7), date(2026, 12, 13))
    result = solve(problem, time_limit=10, workers=1)
    assert result.found and check_roster(small_rules, result.roster, problem).ok
    # the same person on the day shift and that evening's night shift breaks the 12 h rest
    day = next(a for a in result.roster.assignments if a.shift == "day" and a.date == date(2026, 12, 8))
    night = next(a for a in result.roster.assignments if a.shift == "night" and a.date == date(2026, 12, 8))
    broken = result.roster.changed([night], [Assignment(night.date, "night", day.person)])
    report = check_roster(small_rules, broken, problem)
    assert [v.rule_id for v in report.hard] == ["rest"]
    assert day.person in report.hard[0].message and "12" in report.hard[0].message
    assert not model_accepts(problem, broken)


@pytest.mark.parametrize("seed", range(6))
def test_eligibility_reads_only_the_rosters_own_assignments_yet_finds_every_breach(seed):
    from rostering.constraints.base import evaluate
    from rostering.constraints.eligibility import Eligibility
    rng = random.Random(seed)
    rules = random_rules(rng)
    problem = Problem(rules, date(2026, 12, 1), date(2026, 12, 10))
    names = [p.name for p in problem.people]
    rule = Eligibility()
    breaches = 0
    for _ in range(10):
        picked = rng.sample(problem.slots, min(len(problem.slots), 8))
        roster = Roster(problem.start, problem.end, [Assignment(s.date, s.shift.id, rng.choice(names)) for s in picked])
        every = evaluate(rule.requirements(problem), roster.keys, problem, rule.name(problem.locale))
        assert sorted(v.message for v in rule.check(roster, problem)) == sorted(v.message for v in every)
        breaches += len(every)
    assert breaches or all(len(problem.eligible[s.id]) == len(names) for s in problem.slots)
