"""The example rules files: each duty system of the regulations validates, solves, checks and prints.

Every example is generated for 2026-10 (National Day holiday) and 2026-12 (a plain month); the
assertions per example are the clauses of its regulation that a roster must show.
"""
from __future__ import annotations

import calendar as std_calendar
from collections import defaultdict
from datetime import date, time
from functools import lru_cache

import pytest
from click.testing import CliRunner

from rostering.checking import check_roster
from rostering.cli import main
from rostering.loading import load_rules
from rostering.problem import Problem
from rostering.rules import parse_windows
from tests.conftest import REPO

EXAMPLES = REPO / "examples"
NAMES = ["city-office", "duty-room", "evening-duty", "street-office", "weekend-duty"]
MONTHS = ["2026-10", "2026-12"]
TIME_LIMIT = 20


def month_range(month: str) -> tuple[date, date]:
    y, m = map(int, month.split("-"))
    return date(y, m, 1), date(y, m, std_calendar.monthrange(y, m)[1])


@lru_cache(maxsize=None)
def rules_of(name: str):
    return load_rules(EXAMPLES / f"{name}.yaml")


@lru_cache(maxsize=None)
def solved(name: str, month: str):
    """(problem, roster) for one example and month, solved once per test session."""
    from rostering.solve import solve
    rules = rules_of(name)
    problem = Problem(rules, *month_range(month))
    result = solve(problem, time_limit=TIME_LIMIT)
    assert result.found, f"{name} {month}: no roster ({result.status.value}): {result.conflicts}"
    return problem, result.roster


def holders(problem: Problem, roster) -> list:
    """(slot, people on it) for every slot."""
    by_slot = roster.by_slot()
    return [(slot, by_slot.get(slot.id, [])) for slot in problem.slots]


def windows(text: str):
    return parse_windows(text)


# -- every example ---------------------------------------------------------------------------

def test_every_example_is_listed():
    assert sorted(p.stem for p in EXAMPLES.glob("*.yaml")) == NAMES
    guide = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"{name}.yaml" in guide


@pytest.mark.parametrize("name", NAMES)
def test_example_is_a_realistic_office(name):
    rules = rules_of(name)
    assert rules.organization and rules.duty_phone
    assert 20 <= len(rules.staff) <= 60
    assert all(p.group and p.phone.startswith("138") and len(p.phone) == 11 for p in rules.staff)
    assert rules.leaders and any(p.roles for p in rules.staff)
    leave_months = {u.start.strftime("%Y-%m") for p in rules.staff for u in p.unavailable}
    assert {"2026-10", "2026-12"} <= leave_months
    text = (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")
    assert "seeds/00" in text  # cites the regulation it follows


@pytest.mark.parametrize("name", NAMES)
def test_validate_from_the_command_line(name):
    result = CliRunner().invoke(main, ["validate", str(EXAMPLES / f"{name}.yaml")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("month", MONTHS)
@pytest.mark.parametrize("name", NAMES)
def test_generated_roster_keeps_every_rule(name, month):
    problem, roster = solved(name, month)
    report = check_roster(rules_of(name), roster)
    assert report.ok, [v.message for v in report.hard]
    assert report.penalty == 0
    for slot, people in holders(problem, roster):
        assert len(people) == slot.need
        assert all(problem.unavailability(problem.person_by_name[n], slot) is None for n in people)


@pytest.mark.parametrize("name", NAMES)
def test_december_roster_prints_to_excel(name, tmp_path):
    pytest.importorskip("rostering.io.excel", reason="the Excel writer (rostering/io/excel.py) is not on main yet")
    from rostering.io import load_roster, save_roster
    _, roster = solved(name, "2026-12")
    path = save_roster(tmp_path / f"{name}-2026-12.xlsx", roster, rules_of(name))
    assert path.stat().st_size > 0
    assert load_roster(path, rules_of(name)).assignments == roster.assignments


# -- city-office (seed 000) ------------------------------------------------------------------

@pytest.mark.parametrize("month", MONTHS)
def test_city_office_evening_goes_to_other_staff_and_night_to_duty_section(month):
    problem, roster = solved("city-office", month)
    group = {p.name: p.group for p in problem.people}
    evening, night = windows("18:00-20:30"), windows("20:30-08:30")
    seen = defaultdict(int)
    for slot, people in holders(problem, roster):
        if slot.shift.leader:
            continue
        groups = {group[n] for n in people}
        if slot.day.kind in ("workday", "adjusted_workday"):
            if slot.windows == evening:
                assert "总值班科" not in groups, (slot.id, people)
                seen["evening"] += 1
            elif slot.windows == night:
                assert groups == {"总值班科"}, (slot.id, people)
                seen["night"] += 1
            else:
                assert groups == {"总值班科"}  # the day shift
        else:  # 节假日由办公室其他工作人员轮流值班
            assert "总值班科" not in groups, (slot.id, people)
    workdays = [d for d in problem.days if d.kind in ("workday", "adjusted_workday")]
    assert seen == {"evening": len(workdays), "night": len(workdays)}
    leader_days = {s.date for s in problem.slots if s.shift.leader}
    assert leader_days == {d.date for d in problem.days}  # a leader on duty every day


# -- duty-room (seed 001) --------------------------------------------------------------------

@pytest.mark.parametrize("month", MONTHS)
def test_duty_room_staff_hold_workdays_and_weekends_departments_hold_holidays(month):
    problem, roster = solved("duty-room", month)
    person = problem.person_by_name
    for slot, people in holders(problem, roster):
        in_holiday = slot.day.period is not None
        if slot.shift.leader:
            if in_holiday:
                assert slot.shift.at_home, slot.id  # 秘书长、副秘书长……轮流在家值班
                assert all(set(person[n].roles) & {"秘书长", "副秘书长", "办公厅领导", "市长", "副市长"}
                           for n in people)
            else:
                assert not slot.shift.at_home
                assert all("值班室负责人" in person[n].roles for n in people)
            continue
        # handover at 08:00 and at the end of the working day (17:30)
        assert {w.start % 1440 for w in slot.windows} | {w.end % 1440 for w in slot.windows} <= {480, 1050}
        if in_holiday:
            assert all(person[n].group != "值班室" for n in people), (slot.id, people)
        else:
            assert all(person[n].group == "值班室" and "值班员" in person[n].roles for n in people), (slot.id, people)


def test_duty_room_national_day_sunday_belongs_to_the_holiday():
    problem, roster = solved("duty-room", "2026-10")
    sunday = date(2026, 10, 4)  # an ordinary weekend day inside the 国庆节 period
    assert {s for d, s in roster.by_slot() if d == sunday} == {
        "holiday_day", "holiday_night", "holiday_leader", "city_leader"}


# -- evening-duty (seed 002) -----------------------------------------------------------------

@pytest.mark.parametrize("month", MONTHS)
def test_evening_duty_runs_19_30_to_21_30_every_evening(month):
    problem, roster = solved("evening-duty", month)
    evenings = [s for s in problem.slots if s.shift.id == "evening"]
    assert {s.date for s in evenings} == {d.date for d in problem.days}
    assert all(s.windows == windows("19:30-21:30") for s in evenings)
    day_duty = {s.date for s in problem.slots if s.shift.id == "rest_day"}
    assert day_duty == {d.date for d in problem.days if d.kind in ("weekend", "holiday")}
    # whoever holds weekend day duty is not also given that evening
    by_slot = roster.by_slot()
    for d in day_duty:
        assert not set(by_slot[(d, "rest_day")]) & set(by_slot[(d, "evening")])


# -- street-office (seed 003) ----------------------------------------------------------------

@pytest.mark.parametrize("month", MONTHS)
def test_street_office_one_person_holds_each_whole_week(month):
    problem, roster = solved("street-office", month)
    by_slot = roster.by_slot()
    duty_people = set()
    for week in problem.weeks():
        for shift in ("duty", "leader"):
            people = {n for d in week for n in by_slot[(d.date, shift)]}
            assert len(people) == 1, (shift, week[0].date, people)
        duty_people |= {n for d in week for n in by_slot[(d.date, "duty")]}
    assert len(duty_people) == len(problem.weeks())  # all staff in turn: a new person each week
    duty = [s for s in problem.slots if s.shift.id == "duty"]
    assert len(duty) == len(problem.days)
    assert all((s.ends - s.begins).total_seconds() == 24 * 3600 and s.begins.time() == time(8, 30) for s in duty)


def test_street_office_weeks_stay_whole_across_months_when_generated_by_whole_weeks():
    from rostering.solve import solve
    problem = Problem(rules_of("street-office"), date(2026, 11, 30), date(2027, 1, 3))  # Monday to Sunday
    result = solve(problem, time_limit=TIME_LIMIT)
    assert result.found
    by_slot = result.roster.by_slot()
    for week in problem.weeks():
        assert len(week) == 7
        assert len({n for d in week for n in by_slot[(d.date, "duty")]}) == 1


# -- weekend-duty (seed 004) -----------------------------------------------------------------

SUMMER = windows("08:30-12:00, 13:30-17:30")
WINTER = windows("08:30-12:00, 13:30-17:00")


@pytest.mark.parametrize("month", MONTHS)
def test_weekend_duty_only_on_rest_days_with_one_leader_and_one_staff_member(month):
    problem, roster = solved("weekend-duty", month)
    rest_days = {d.date for d in problem.days if d.kind in ("weekend", "holiday")}
    by_slot = roster.by_slot()
    assert {s.date for s in problem.slots} == rest_days  # no duty on workdays outside the flood season
    for d in rest_days:
        assert len(by_slot[(d, "rest_day")]) == 1 and len(by_slot[(d, "leader")]) == 1
    assert all(s.windows == WINTER for s in problem.slots if not s.shift.leader)  # October and December: winter


def test_weekend_duty_summer_hours_and_flood_season_in_june():
    start, end = month_range("2026-06")
    rules = rules_of("weekend-duty")
    problem = Problem(rules, start, end)
    day_slots = [s for s in problem.slots if s.shift.id == "rest_day"]
    assert day_slots and all(s.windows == SUMMER for s in day_slots)
    flood = [s for s in problem.slots if s.shift.id == "flood_night"]
    assert {s.date for s in flood} == {d.date for d in problem.days}  # 汛期 duty every night, workdays too
    flood_leaders = {s.date for s in problem.slots if s.shift.id == "flood_leader"}
    assert flood_leaders == {d.date for d in problem.days if d.kind in ("workday", "adjusted_workday")}
    from rostering.solve import solve
    result = solve(problem, time_limit=TIME_LIMIT)
    assert result.found
    assert check_roster(rules, result.roster).ok


# -- the command line, as a user runs it -----------------------------------------------------

def test_generate_and_check_from_the_command_line(tmp_path):
    rules_file = str(EXAMPLES / "street-office.yaml")
    out = tmp_path / "street-2026-12.json"
    runner = CliRunner()
    result = runner.invoke(main, ["generate", rules_file, "--month", "2026-12", "-o", str(out), "--no-progress",
                                  "--time-limit", str(TIME_LIMIT)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["check", rules_file, str(out)])
    assert result.exit_code == 0, result.output
