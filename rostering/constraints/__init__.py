"""Rule families, one module each. `rules_for` turns a rules file into rule instances.

`FAMILIES` is the registry: a test holds it against the modules in this package.
"""
from __future__ import annotations

from ..problem import Problem
from ..rules import rule_value
from .base import Requirement, Rule, Violation, evaluate
from .coverage import Coverage
from .eligibility import Eligibility
from .fairness import Fairness
from .limits import CountLimit
from .rotation import WeeklyRotation
from .sequences import MaxConsecutive
from .spacing import MinRest, NoOverlap
from .unavailability import Unavailable

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
}


def rules_for(problem: Problem) -> list[Rule]:
    """Every rule instance the rules file asks for, hard and soft."""
    settings = problem.rules.rules
    out: list[Rule] = [Coverage(), Eligibility(), Unavailable(), NoOverlap()]
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
    return out


__all__ = ["FAMILIES", "Requirement", "Rule", "Violation", "evaluate", "rules_for", "Fairness"]
