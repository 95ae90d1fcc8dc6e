"""`exclude_periods`: a shift or leader tier that gives way during named periods (seed 001: the duty room's
weekend shifts stop for the whole National Day holiday, Sunday 10-04 included)."""
from __future__ import annotations

from datetime import date

import pytest

from rostering.errors import RulesError
from rostering.loading import parse_rules
from rostering.problem import Problem
from tests.conftest import rules_from

HOLIDAY_SPLIT = """
organization: 测试
shifts:
  - {id: room, windows: "08:00-17:30", days: [weekend], exclude_periods: [国庆节], groups: [值班室]}
  - {id: holiday, windows: "08:00-17:30", days: [weekend, holiday], periods: [国庆节], groups: [科室]}
leaders:
  - {id: head, days: [weekend], exclude_periods: [国庆节], roles: [head]}
  - {id: at_home, days: [weekend, holiday], periods: [国庆节], roles: [boss], mode: at_home}
staff:
  - {name: 甲, group: 值班室}
  - {name: 乙, group: 科室}
  - {name: 丙, group: 领导, roles: [head]}
  - {name: 丁, group: 领导, roles: [boss]}
"""


def shifts_on(problem: Problem, day: date) -> set[str]:
    return {slot.shift.id for slot in problem.slots if slot.date == day}


def test_weekend_inside_holiday_period_goes_to_holiday_shifts_only():
    problem = Problem(rules_from(HOLIDAY_SPLIT), date(2026, 10, 1), date(2026, 10, 11))
    assert shifts_on(problem, date(2026, 10, 4)) == {"holiday", "at_home"}  # a Sunday in 国庆节
    assert shifts_on(problem, date(2026, 10, 11)) == {"room", "head"}  # an ordinary Sunday
    assert shifts_on(problem, date(2026, 10, 1)) == {"holiday", "at_home"}


def test_misspelt_excluded_period_is_reported_with_its_place():
    text = HOLIDAY_SPLIT.replace("exclude_periods: [国庆节], groups", "exclude_periods: [国庆], groups")
    with pytest.raises(RulesError) as info:
        parse_rules(text, "r.yaml")
    rendered = "\n".join(p.render() for p in info.value.problems)
    assert "r.yaml:4:" in rendered and "国庆" in rendered and "国庆节" in rendered
