"""A new month continues the last one: the served days just before it (from the ledger) are pinned,
so rules that span the month's edge hold — a week held by one person, rest after a night."""
from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from rostering.cli import main
from tests.conftest import REPO, SMALL_OFFICE, in_temp_dir


def generate_and_publish(runner, rules, month, out):
    made = runner.invoke(main, ["generate", rules, "--month", month, "-o", out])
    assert made.exit_code == 0, made.output
    published = runner.invoke(main, ["publish", rules, out])
    assert published.exit_code == 0, published.output
    return json.load(open(out, encoding="utf-8"))["assignments"]


def test_a_week_held_by_one_person_runs_on_into_the_next_month():
    runner = CliRunner()
    with in_temp_dir():
        shutil.copy(REPO / "examples" / "street-office.yaml", "rules.yaml")
        november = generate_and_publish(runner, "rules.yaml", "2026-11", "nov.json")
        december = generate_and_publish(runner, "rules.yaml", "2026-12", "dec.json")
    holder = {a["person"] for a in november if a["date"] == "2026-11-30" and not a["leader"]}
    first_week = {a["person"] for a in december if a["date"] <= "2026-12-06" and not a["leader"]}
    assert len(holder) == 1 and first_week == holder  # Mon 11-30 .. Sun 12-06 is one week
    assert {a["date"] for a in december} >= {"2026-12-01", "2026-12-31"}
    assert min(a["date"] for a in december) == "2026-12-01"  # the pinned days are not written again


def test_the_two_months_together_keep_every_rule():
    from datetime import date

    from rostering.checking import check_roster
    from rostering.loading import parse_rules
    from rostering.roster import Assignment, Roster
    runner = CliRunner()
    with in_temp_dir():
        open("rules.yaml", "w", encoding="utf-8").write(SMALL_OFFICE)
        november = generate_and_publish(runner, "rules.yaml", "2026-11", "nov.json")
        december = generate_and_publish(runner, "rules.yaml", "2026-12", "dec.json")
    rules = parse_rules(SMALL_OFFICE)
    both = Roster(date(2026, 11, 1), date(2026, 12, 31),
                  [Assignment(date.fromisoformat(a["date"]), a["shift"], a["person"]) for a in november + december])
    report = check_roster(rules, both)
    assert report.ok, [v.message for v in report.hard]
