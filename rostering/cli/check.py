"""`roster check`: every rule violation of a roster file, in plain words. Never imports ortools."""
from __future__ import annotations

import json
import sys

import click

from ..checking import check_roster
from ..io import load_roster
from . import main
from .options import format_option, handle_errors, read_rules, rules_argument


def report_violations(report, locale: str, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps({"ok": report.ok, "violations": [v.as_dict() for v in report.violations],
                               "fairness_spread": report.fairness_spread}, ensure_ascii=False, indent=1))
        return
    if not report.violations:
        click.echo("排班符合全部规则" if locale == "zh" else "the roster keeps every rule")
        return
    for v in report.violations:
        tag = "" if v.hard else ("（软约束）" if locale == "zh" else " (soft)")
        click.echo(f"[{v.rule}{tag}] {v.message}")
    n = len(report.hard)
    click.echo(f"共 {n} 处违反硬性规则" if locale == "zh" else f"{n} hard-rule violations")


@main.command()
@rules_argument
@click.argument("roster_file", metavar="ROSTER", type=click.Path(dir_okay=False))
@format_option
@handle_errors
def check(rules_file, roster_file, fmt):
    """Check a roster (.xlsx/.csv/.json) against every rule; exit 1 when a rule is broken."""
    rules = read_rules(rules_file)
    roster = load_roster(roster_file, rules)
    report = check_roster(rules, roster)
    report_violations(report, rules.locale, fmt)
    sys.exit(0 if report.ok else 1)
