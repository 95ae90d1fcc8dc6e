"""Rule families, one module each. `rules_for` turns a rules file into rule instances.

`FAMILIES` is the registry: a test holds it against the modules in this package.
"""
from __future__ import annotations

from ..problem import Problem
from ..rules import rule_value
from .base import Requirement, Rule, Violation, evaluate
from .coverage import Coverage
from .cover_targets import CoverTargets
from .eligibility import Eligibility
from .fairness import Fairness
from .holiday_rotation import HolidayPlan, RollingRotation, holiday_rules
from .limits import CountLimit
from .rotation import WeeklyRotation
from .sequences import MaxConsecutive
from .spacing import MinRest, NoOverlap
from .requests import ShiftRequests
from .runs import Runs
from .successions import ForbiddenSuccessions
from .unavailability import Unavailable
from .weekends import MaxWeekends
from .workload import Workload

FAMILIES: dict[str, type] = {
    "coverage": Coverage,
    "eligibility": Eligibility,
    "unavailable": Unavailable,
    "overlap": NoOverlap,
    "rest": MinRest,
    "consecutive_days": MaxConsecutive,
    "consecutive_nights": MaxConsecutive,
    "limit": CountLimit,
    "rotation": WeeklyRotation,
    "fairness": Fairness,
    "holiday_rotation": RollingRotation,
    "holiday_plan": HolidayPlan,
    "cover_target": CoverTargets,
    "runs": Runs,
    "workload": Workload,
    "weekends": MaxWeekends,
    "requests": ShiftRequests,
    "succession": ForbiddenSuccessions,
}


def rules_for(problem: Problem) -> list[Rule]:
    """Every rule instance the rules file asks for, hard and soft."""
    settings = problem.rules.rules
    coverage: Rule = CoverTargets(settings.cover) if settings.cover else Coverage()
    out: list[Rule] = [coverage, Eligibility(), Unavailable(), NoOverlap()]
    hours, weight = rule_value(settings.min_rest_hours)
    if hours:
        out.append(MinRest(hours, weight))
    days, weight = rule_value(settings.max_consecutive_days)
    if days is not None:
        out.append(MaxConsecutive(int(days), weight))
    nights, weight = rule_value(settings.max_consecutive_nights)
    if nights is not None:
        out.append(MaxConsecutive(int(nights), weight, nights_only=True))
    out += [CountLimit(lim) for lim in settings.limits]
    out += [WeeklyRotation(cycle) for cycle in settings.rotation]
    out += holiday_rules(problem)
    out += _personal_rules(problem)
    return out


def _personal_rules(problem: Problem) -> list[Rule]:
    """Runs, workload, weekends and requests: only when the office or some person sets them."""
    settings, people = problem.rules.rules, problem.people
    out: list[Rule] = []
    if settings.forbidden_successions:
        out.append(ForbiddenSuccessions(settings.forbidden_successions))
    if settings.min_consecutive_days is not None or settings.min_consecutive_days_off is not None or any(
            p.max_consecutive_days is not None or p.min_consecutive_days is not None
            or p.min_consecutive_days_off is not None for p in people):
        out.append(Runs())
    if any(p.max_minutes is not None or p.min_minutes is not None or p.max_shifts for p in people):
        out.append(Workload())
    if settings.max_weekends is not None or any(p.max_weekends is not None for p in people):
        out.append(MaxWeekends())
    if any(p.requests for p in people):
        out.append(ShiftRequests())
    return out


__all__ = ["FAMILIES", "Requirement", "Rule", "Violation", "evaluate", "rules_for", "Fairness"]
