"""Weekends worked: at most `max_weekends` weekends with any duty in the range (周末值班次数).

A weekend is a Saturday and the Sunday after it (calendar days, whatever the day kind);
it counts as worked when the person holds a duty on either day. A weekend cut by the
range's edge counts by the days inside the range.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ..problem import Problem
from ..rules import Person
from .base import AnyCount, PersonalRule
from .runs import duty_days, personal


@dataclass
class MaxWeekends(PersonalRule):
    family = "weekends"

    def requirements_of(self, problem: Problem, person: Person):
        most, weight = personal(person, "max_weekends", problem.rules.rules.max_weekends)
        if most is None:
            return
        worked = duty_days(problem, person.name)
        groups = tuple(g for g in (tuple(k for i in idx for k, _ in worked[i]) for idx in weekend_days(problem)) if g)
        if len(groups) > most:
            yield AnyCount(self.family, (), hi=most, weight=weight, date=problem.start, people=(person.name,),
                           message="v_weekends", fix="v_weekends_fix", groups=groups,
                           params=(("person", person.name), ("bound", most)))


def weekend_days(problem: Problem) -> list[list[int]]:
    """Indexes of the range's days, one list per weekend (Saturday and Sunday) it touches."""
    weekends: dict = {}
    for i, day in enumerate(problem.days):
        if day.date.weekday() >= 5:
            saturday = day.date - timedelta(days=day.date.weekday() - 5)
            weekends.setdefault(saturday, []).append(i)
    return list(weekends.values())
