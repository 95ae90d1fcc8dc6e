"""The rule registry holds every rule family module, and every message exists in both languages."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import string

import rostering.constraints as constraints
from rostering.constraints import FAMILIES
from rostering.constraints.base import Rule
from tests.conftest import REPO
from rostering.i18n import MESSAGES, t

INFRASTRUCTURE = {"base", "fairness"}  # fairness is the objective, registered but not a Rule subclass


def family_modules():
    for info in pkgutil.iter_modules(constraints.__path__):
        if info.name not in INFRASTRUCTURE:
            yield info.name, importlib.import_module(f"rostering.constraints.{info.name}")


def test_every_rule_module_is_registered():
    registered = set(FAMILIES.values())
    for name, module in family_modules():
        rules = [obj for _, obj in inspect.getmembers(module, inspect.isclass)
                 if issubclass(obj, Rule) and obj is not Rule and obj.__module__ == module.__name__]
        assert rules, f"constraints/{name}.py defines no Rule"
        for rule in rules:
            assert rule in registered, f"{rule.__name__} in constraints/{name}.py is missing from FAMILIES"


def test_every_family_has_a_name_in_both_languages():
    for family in FAMILIES:
        zh, en = t(f"rule_{family}", "zh"), t(f"rule_{family}", "en")
        assert zh and en and zh != en
        assert re.search(r"[\u4e00-\u9fff]", zh), f"rule_{family} has no Chinese name"


def test_messages_have_the_same_placeholders_in_both_languages():
    def fields(text):
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}
    worded_differently = {"xl_span_month"}  # 2026年12月 vs December 2026: month number vs month name
    for key, (zh, en) in MESSAGES.items():
        assert zh.strip() and en.strip(), key
        assert key in worded_differently or fields(zh) == fields(en), f"{key}: {fields(zh)} != {fields(en)}"


def test_a_personal_rule_lists_for_one_person_only_what_names_that_person():
    """`PersonalRule`s are listed person by person when a first roster is built one person at a
    time (`search._PersonModels`): a requirement naming anyone else would be lost there."""
    from datetime import date

    from conftest import SMALL_OFFICE, rules_from
    from rostering.constraints import rules_for
    from rostering.constraints.base import PersonalRule
    from rostering.loading import load_rules
    from rostering.problem import Problem
    from test_search import RULES

    overlapping = """
    organization: overlap
    shifts:
      - {id: day, windows: "08:00-18:00"}
      - {id: long, windows: "12:00-24:00", groups: [b]}
    staff: [{name: A, group: a}, {name: B, group: b}, {name: C, group: b}]
    """
    rule_sets = [rules_from(SMALL_OFFICE), rules_from(RULES), rules_from(overlapping)]
    rule_sets += [load_rules(path) for path in sorted((REPO / "examples").glob("*.yaml"))]
    listed = set()
    for rules in rule_sets:
        problem = Problem(rules, date(2026, 12, 1), date(2026, 12, 31))
        for rule in rules_for(problem):
            if not isinstance(rule, PersonalRule):
                continue
            for person in problem.people:
                for req in rule.requirements_of(problem, person):
                    assert req.people == (person.name,), (rule.family, req)
                    assert {key[0] for key in req.keys()} <= {person.name}, (rule.family, req)
                    listed.add(rule.family)
    assert {"eligibility", "unavailable", "overlap", "runs", "workload", "weekends", "requests",
            "succession"} <= listed
