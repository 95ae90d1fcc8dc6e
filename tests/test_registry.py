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
