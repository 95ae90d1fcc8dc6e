"""China's calendar: day kinds, 调休, holiday periods, overrides."""
from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from rostering.calendar import DutyCalendar
from rostering.cli import main
from tests.conftest import rules_from

PLAIN = """
organization: 测试
shifts: [{id: d, windows: "08:30-18:00"}]
"""


def kinds(text, start, end):
    cal = DutyCalendar(rules_from(text))
    return {d.date: d for d in cal.days(start, end)}


def period_span(days, name):
    dates = sorted(d for d, info in days.items() if info.period == name)
    return dates[0], dates[-1]


def test_spring_festival_2026():
    days = kinds(PLAIN, date(2026, 1, 1), date(2026, 12, 31))
    assert period_span(days, "春节") == (date(2026, 2, 15), date(2026, 2, 23))
    assert days[date(2026, 2, 14)].kind == "adjusted_workday"
    assert days[date(2026, 2, 28)].kind == "adjusted_workday"
    assert days[date(2026, 2, 17)].kind == "holiday"
    assert days[date(2026, 2, 21)].kind == "weekend"  # an ordinary Saturday inside the period


def test_national_day_2026():
    days = kinds(PLAIN, date(2026, 9, 1), date(2026, 10, 31))
    assert period_span(days, "国庆节") == (date(2026, 10, 1), date(2026, 10, 7))
    assert days[date(2026, 9, 20)].kind == "adjusted_workday"
    assert days[date(2026, 10, 10)].kind == "adjusted_workday"
    assert days[date(2026, 10, 8)].kind == "workday"


def test_2025_national_day_joins_mid_autumn():
    days = kinds(PLAIN, date(2025, 9, 25), date(2025, 10, 12))
    assert days[date(2025, 10, 1)].period == "国庆节、中秋节"
    assert period_span(days, "国庆节、中秋节") == (date(2025, 10, 1), date(2025, 10, 8))
    assert days[date(2025, 9, 28)].kind == "adjusted_workday"


def test_new_year_2026_and_a_plain_weekend():
    days = kinds(PLAIN, date(2025, 12, 27), date(2026, 1, 10))
    assert period_span(days, "元旦") == (date(2026, 1, 1), date(2026, 1, 3))
    assert days[date(2026, 1, 4)].kind == "adjusted_workday"
    assert days[date(2025, 12, 27)].kind == "weekend" and days[date(2025, 12, 27)].period is None


def test_period_cut_by_range_keeps_its_name():
    days = kinds(PLAIN, date(2026, 10, 5), date(2026, 10, 6))
    assert {d.period for d in days.values()} == {"国庆节"}


def test_overrides_apply():
    text = PLAIN + """
calendar:
  extra_holidays: [{date: 2026-12-25, name: 单位庆典}]
  extra_workdays: [2026-12-26]
  periods: [{name: 汛期, from: 06-01, to: 09-30}]
  seasons:
    - {name: summer, from: 05-01, to: 09-30}
    - {name: winter, from: 10-01, to: 04-30}
"""
    days = kinds(text, date(2026, 12, 20), date(2026, 12, 31))
    assert days[date(2026, 12, 25)].kind == "holiday" and days[date(2026, 12, 25)].period == "单位庆典"
    assert days[date(2026, 12, 26)].kind == "adjusted_workday"
    assert days[date(2026, 12, 27)].kind == "weekend"
    assert days[date(2026, 12, 27)].season == "winter"
    summer = kinds(text, date(2026, 7, 1), date(2026, 7, 1))[date(2026, 7, 1)]
    assert summer.season == "summer" and "汛期" in summer.periods


def test_missing_adjusted_schedule_is_detected_and_overridable():
    cal = DutyCalendar(rules_from(PLAIN))
    assert 2026 not in cal.missing_adjusted_years([2026])
    far = 2031
    assert far in cal.missing_adjusted_years([far])
    fixed = DutyCalendar(rules_from(PLAIN + f"calendar:\n  extra_workdays: [{far}-01-04]\n"))
    assert far not in fixed.missing_adjusted_years([far])


def test_cli_calendar_json_and_warning(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(PLAIN, encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(main, ["calendar", str(path), "--year", "2026", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = {r["date"]: r for r in json.loads(out.stdout)}
    assert len(rows) == 365
    assert rows["2026-02-14"]["kind"] == "adjusted_workday"
    assert rows["2026-02-17"] == {**rows["2026-02-17"], "kind": "holiday", "period": "春节"}
    assert rows["2026-03-03"]["period"] is None
    later = runner.invoke(main, ["calendar", str(path), "--year", "2031"])
    assert later.exit_code == 0 and "调休" in later.stderr


def test_cli_calendar_english(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("locale: en\n" + PLAIN, encoding="utf-8")
    out = CliRunner().invoke(main, ["calendar", str(path), "--month", "2026-10", "--format", "json"])
    rows = {r["date"]: r for r in json.loads(out.stdout)}
    assert rows["2026-10-01"]["period"] == "National Day"
    text = CliRunner().invoke(main, ["calendar", str(path), "--month", "2026-10"])
    assert "Holiday" in text.output and "National Day" in text.output


def test_two_holidays_on_one_date_give_one_clean_period_name():
    days = kinds(PLAIN, date(2028, 9, 28), date(2028, 10, 8))
    assert days[date(2028, 10, 3)].period == "国庆节、中秋节"
    assert days[date(2028, 10, 3)].holiday in ("中秋节", "国庆节")
    assert {d.period for d in days.values() if d.kind == "holiday"} == {"国庆节、中秋节"}
