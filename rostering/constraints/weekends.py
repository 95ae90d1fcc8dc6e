"""Weekends worked: at most `max_weekends` weekends with any duty in the range (周末值班次数).

A weekend is a Saturday and the Sunday after it (calendar days, whatever the day kind);
it counts as worked when the person holds a duty on either day. A weekend cut by the
range's edge counts by the days inside the range.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ..problem import Problem
from .base import AnyCount, Rule
from .runs import duty_days, personal


@dataclass
class MaxWeekends(Rule):
    family = "weekends"

    def requirements(self, problem: Problem):
        weekends: dict = {}
        for i, day in enumerate(problem.days):
            if day.date.weekday() >= 5:
                saturday = day.date - timedelta(days=day.date.weekday() - 5)
                weekends.setdefault(saturday, []).append(i)
        by_day = duty_days(problem)
        default = problem.rules.rules.max_weekends
        for person in problem.people:
            most, weight = personal(person, "max_weekends", default)
            if most is None:
                continue
            worked = by_day[person.name]
            groups = tuple(g for g in (tuple(k for i in idx for k, _ in worked[i]) for idx in weekends.values()) if g)
            if len(groups) <= most:
                continue
            yield AnyCount(self.family, (), hi=most, weight=weight, date=problem.start, people=(person.name,),
                           message="v_weekends", fix="v_weekends_fix", groups=groups,
                           params=(("person", person.name), ("bound", most)))
