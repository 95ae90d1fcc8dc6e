"""The duty ledger: versions and --replace, approved changes, crash safety, history into the solver,
yearly statistics, and re-planning with --keep.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import rules_from
from test_changes import DUTY_ROOM

from rostering.changes import parse_cover
from rostering.cli import main
from rostering.cli.options import parse_month
from rostering.errors import ChangeError, RosterFileError
from rostering.ledger import Ledger, default_path
from rostering.problem import Problem
from rostering.roster import Assignment, Roster

REPO = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def rules():
    return rules_from(DUTY_ROOM)


def october(rows) -> Roster:
    return Roster(date(2026, 10, 1), date(2026, 10, 31), [Assignment(date.fromisoformat(d), s, p) for d, s, p in rows])


def test_default_ledger_sits_next_to_the_rules_file():
    assert default_path(Path("/x/office.yaml")) == Path("/x/office.roster.db")


def test_republishing_needs_replace_and_keeps_the_old_version(tmp_path, rules):
    first = october([("2026-10-08", "night", "甲"), ("2026-10-09", "night", "乙")])
    second = october([("2026-10-08", "night", "丙")])
    with Ledger(tmp_path / "l.db") as ledger:
        v1, _ = ledger.publish(rules, first)
        with pytest.raises(RosterFileError, match="--replace"):
            ledger.publish(rules, second)
        assert [v.id for v in ledger.versions()] == [v1]  # the refused publish left nothing behind
        v2, replaced = ledger.publish(rules, second, replace=True)
        assert replaced == [v1]
        versions = {v.id: v for v in ledger.versions()}
        assert versions[v1].replaced_by == v2 and versions[v2].replaced_by is None
        assert versions[v1].assignment_count == 2  # the old version is still there, whole
        assert [(r.date.day, r.person) for r in ledger.served(date(2026, 10, 1), date(2026, 10, 31))] == [(8, "丙")]


def test_replacing_part_of_a_period_carries_the_rest(tmp_path, rules):
    month = october([("2026-10-08", "night", "甲"), ("2026-10-20", "night", "乙")])
    half = Roster(date(2026, 10, 16), date(2026, 10, 31), [Assignment(date(2026, 10, 20), "night", "丙")])
    with Ledger(tmp_path / "l.db") as ledger:
        ledger.publish(rules, month)
        new, _ = ledger.publish(rules, half, replace=True)
        served = {(r.date.day, r.person) for r in ledger.served(date(2026, 10, 1), date(2026, 10, 31))}
        assert served == {(8, "甲"), (20, "丙")}
        current = ledger.versions(current_only=True)
        assert [(v.id, v.first, v.last) for v in current] == [(new, date(2026, 10, 1), date(2026, 10, 31))]


def test_approved_cover_moves_served_load_and_a_failed_one_changes_nothing(tmp_path, rules):
    roster = Roster(date(2026, 12, 1), date(2026, 12, 31),
                    [Assignment(date(2026, 12, 7), "night", "甲"), Assignment(date(2026, 12, 8), "night", "乙")])
    with Ledger(tmp_path / "l.db") as ledger:
        ledger.publish(rules, roster)
        dec = (date(2026, 12, 1), date(2026, 12, 31))
        assert ledger.served_load(*dec) == {"甲": 1.0, "乙": 1.0}
        with ledger.transaction():
            ledger.record_change(parse_cover("2026-12-07 夜班 甲 -> 丙", rules), "王领导", rules)
        assert ledger.served_load(*dec) == {"丙": 1.0, "乙": 1.0}
        with pytest.raises(ChangeError, match="replace"):
            with ledger.transaction():  # the first move fits, the second does not: neither is kept
                ledger.record_change(parse_cover("2026-12-08 夜班 乙 -> 丁", rules), "王领导", rules)
                ledger.record_change(parse_cover("2026-12-07 夜班 甲 -> 戊", rules), "王领导", rules)
        assert ledger.served_load(*dec) == {"丙": 1.0, "乙": 1.0}
        assert ledger.moves(*dec) == [("cover", "甲", "丙")]
        with pytest.raises(ChangeError, match="roster publish"):
            with ledger.transaction():
                ledger.record_change(parse_cover("2027-01-04 夜班 甲 -> 丙", rules), "王领导", rules)


def test_publish_refuses_a_roster_that_breaks_rules(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("room.yaml").write_text(DUTY_ROOM, encoding="utf-8")
    Path("bad.json").write_text(json.dumps({"period": {"from": "2026-12-01", "to": "2026-12-31"}, "assignments": [
        {"date": "2026-12-07", "shift": "night", "person": "孙"}]}, ensure_ascii=False), encoding="utf-8")
    refused = run("publish", "room.yaml", "bad.json")
    assert refused.exit_code == 1 and "--ignore-violations" in refused.output
    assert not Path("room.roster.db").exists()
    forced = run("publish", "room.yaml", "bad.json", "--ignore-violations", "--by", "值班室")
    assert forced.exit_code == 0 and "版本 1" in forced.output
    again = run("publish", "room.yaml", "bad.json", "--ignore-violations")
    assert again.exit_code == 2 and "--replace" in again.output


def test_something_else_is_not_taken_for_a_ledger(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("room.yaml").write_text(DUTY_ROOM, encoding="utf-8")
    Path("notes.db").write_text("not a database at all, just some text" * 100, encoding="utf-8")
    other = sqlite3.connect("other.db")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    for db in ("notes.db", "other.db"):
        result = run("stats", "room.yaml", "--year", "2026", "--db", db)
        assert result.exit_code == 2 and db in result.output and "Traceback" not in result.output
    missing = run("stats", "room.yaml", "--year", "2026")
    assert missing.exit_code == 2 and "roster publish" in missing.output
    assert not Path("room.roster.db").exists()  # reading never creates a ledger


WRITER = """
import sys
from datetime import date, timedelta
from rostering.ledger import Ledger, Served
rows = [Served(date(2026, 1, 1) + timedelta(days=i % 365), f"s{i // 365}", "班", f"p{i % 37}", "组", "workday",
               None, False, False, 1.0) for i in range(int(sys.argv[2]))]
with Ledger(sys.argv[1]) as ledger:
    n = 0
    while True:
        ledger.publish_rows(date(2026, 1, 1), date(2026, 12, 31), rows, replace=True)
        n += 1
        print(n, flush=True)
"""


def test_the_ledger_survives_a_process_killed_mid_write(tmp_path):
    """A writer publishing big versions in a loop is killed at random moments; every committed version stays whole."""
    db, rows = tmp_path / "l.db", 20000
    rng = random.Random(5)
    committed, killed_mid_write = 0, 0
    env = dict(os.environ, PYTHONPATH=str(REPO))
    for _ in range(8):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(rows)], stdout=subprocess.PIPE,
                                 text=True, env=env)
        for _ in range(2):
            assert child.stdout.readline().strip(), "the writer died before committing"
            committed += 1
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait()
        committed += sum(1 for line in child.stdout.read().split() if line)
        journal = Path(f"{db}-journal")
        killed_mid_write += journal.exists() and journal.stat().st_size > 0
        if killed_mid_write >= 2:
            break
    assert killed_mid_write, "no kill landed inside a transaction; the test proved nothing"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = dict(conn.execute("SELECT version_id, count(*) FROM assignments GROUP BY version_id").fetchall())
    versions = conn.execute("SELECT id, assignment_count, replaced_by FROM versions").fetchall()
    conn.close()
    assert len(versions) == committed  # every reported commit is there, nothing half-written is
    assert all(count == rows and counts[vid] == rows for vid, count, _ in versions)
    assert sum(1 for *_, replaced_by in versions if replaced_by is None) == 1
    with Ledger(db, create=False) as ledger:
        assert ledger.served_load(date(2026, 1, 1), date(2026, 12, 31)) == {
            f"p{i}": float(len(range(i, rows, 37))) for i in range(37)}


def spreads(load: dict[str, float], pools: dict[str, list[str]]) -> dict[str, float]:
    return {pool: round(max(load.get(n, 0) for n in names) - min(load.get(n, 0) for n in names), 1)
            for pool, names in pools.items() if len(names) > 1}


def test_three_months_with_the_ledger_are_as_fair_as_one_month(tmp_path, monkeypatch):
    """Generate and publish Oct, Nov, Dec in turn, each from the load served before it: the three months
    together are no less even than a single month made alone, and more even than three months made blind."""
    monkeypatch.chdir(tmp_path)
    Path("room.yaml").write_text(DUTY_ROOM, encoding="utf-8")
    months = ["2026-10", "2026-11", "2026-12"]
    for i, month in enumerate(months):
        made = run("generate", "room.yaml", "--month", month, "-o", f"{month}.json", "--time-limit", "4",
                   *(["--db", "with.db"] if i else []))
        assert made.exit_code == 0, made.output
        assert ("台账" in made.output) == bool(i)  # the first month has no ledger yet
        assert run("publish", "room.yaml", f"{month}.json", "--db", "with.db").exit_code == 0
        if i:  # the same month without history, published to a ledger of its own
            blind = run("generate", "room.yaml", "--month", month, "-o", f"{month}-blind.json", "--time-limit", "4")
            assert blind.exit_code == 0, blind.output
        assert run("publish", "room.yaml", f"{month}-blind.json" if i else f"{month}.json",
                   "--db", "blind.db").exit_code == 0
    rules = rules_from(DUTY_ROOM)
    pools = Problem(rules, date(2026, 10, 1), date(2026, 12, 31)).pools
    quarter = (date(2026, 10, 1), date(2026, 12, 31))
    with Ledger("with.db", create=False) as ledger:
        three = spreads(ledger.served_load(*quarter), pools)
    with Ledger("blind.db", create=False) as ledger:
        blind_three = spreads(ledger.served_load(*quarter), pools)
        alone = [spreads(ledger.served_load(*parse_month(month)), pools) for month in months]
    assert set(three) == set(alone[0]) and three
    for pool in three:
        assert three[pool] <= max(month[pool] for month in alone), (pool, alone, three)
        assert three[pool] <= blind_three[pool], (pool, blind_three, three)


def test_generate_reads_an_explicit_ledger_only_when_it_exists(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("room.yaml").write_text(DUTY_ROOM, encoding="utf-8")
    result = run("generate", "room.yaml", "--month", "2026-12", "-o", "x.json", "--db", "nowhere.db")
    assert result.exit_code == 2 and "nowhere.db" in result.output and "roster publish" in result.output


def test_yearly_stats_count_what_was_served(tmp_path, monkeypatch, rules):
    monkeypatch.chdir(tmp_path)
    Path("room.yaml").write_text(DUTY_ROOM, encoding="utf-8")
    roster = october([("2026-10-01", "night", "甲"),  # 国庆节, a statutory holiday
                      ("2026-10-04", "day", "甲"),  # Sunday inside the 国庆节 period: counts as 国庆节
                      ("2026-10-08", "night", "乙"),  # Thursday night, later covered by 丙
                      ("2026-10-10", "night", "乙"),  # Saturday made a workday (调休): a weekday night
                      ("2026-10-11", "day", "丙"),  # an ordinary Sunday
                      ("2026-10-12", "day", "甲")])  # a weekday day shift: only in the total
    with Ledger(default_path("room.yaml")) as ledger:
        ledger.publish(rules, roster)
        with ledger.transaction():
            ledger.record_change(parse_cover("2026-10-08 夜班 乙 -> 丙", rules), "王领导", rules)
    result = run("stats", "room.yaml", "--year", "2026", "--format", "json")
    assert result.exit_code == 0, result.output
    people = {r["person"]: r for r in json.loads(result.stdout)["people"]}
    assert list(people) == ["甲", "乙", "丙"]  # in the staff list's order
    assert people["甲"]["holidays"] == {"国庆节": 2} and people["甲"]["total"] == 3
    assert (people["乙"]["weekday_nights"], people["乙"]["covers_received"], people["乙"]["total"]) == (1, 1, 1)
    assert (people["丙"]["weekday_nights"], people["丙"]["weekends"], people["丙"]["covers_given"]) == (1, 1, 1)
    assert run("stats", "room.yaml", "--year", "2025", "--format", "json").stdout.count("person") == 0
    text = run("stats", "room.yaml", "--year", "2026")
    assert "国庆节" in text.stdout and "工作日夜班" in text.stdout
    assert run("stats", "room.yaml", "--year", "2026", "-o", "pay.csv").exit_code == 0
    csv_text = Path("pay.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv_text[0].split(",")[:5] == ["姓名", "组", "工作日夜班", "双休日", "国庆节"]
    assert csv_text[1].startswith("甲,值班室,0,0,2")
    assert run("stats", "room.yaml", "--year", "2026", "-o", "pay.csv").exit_code == 2  # exists: needs --force
    assert run("stats", "room.yaml", "--year", "2026", "-o", "pay.xlsx").exit_code == 0
    from openpyxl import load_workbook
    sheet = load_workbook("pay.xlsx").active
    assert [c.value for c in sheet[1]][:5] == ["姓名", "组", "工作日夜班", "双休日", "国庆节"]
    assert [c.value for c in sheet[2]][:5] == ["甲", "值班室", 0, 0, 2]
    assert run("stats", "room.yaml", "--year", "2026", "-o", "pay.pdf").exit_code == 2
    Path("room_en.yaml").write_text(DUTY_ROOM.replace("organization: 市政府办公室", "organization: City\nlocale: en"),
                                    encoding="utf-8")
    english = run("stats", "room_en.yaml", "--year", "2026", "--db", "room.roster.db")
    assert "Weekday nights" in english.stdout and "National Day" in english.stdout


def test_replanning_keeps_what_it_can_and_prints_the_diff(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("room.yaml").write_text(DUTY_ROOM, encoding="utf-8")
    assert run("generate", "room.yaml", "--month", "2026-12", "-o", "plan.json", "--time-limit", "4").exit_code == 0
    plan = json.loads(Path("plan.json").read_text(encoding="utf-8"))["assignments"]
    lost = [(a["date"], a["shift"]) for a in plan if a["person"] == "甲" and "2026-12-14" <= a["date"] <= "2026-12-18"]
    assert lost
    Path("room2.yaml").write_text(DUTY_ROOM.replace(
        "{name: 甲, group: 值班室}", "{name: 甲, group: 值班室, unavailable: [{from: 2026-12-14, to: 2026-12-18}]}"),
        encoding="utf-8")
    result = run("generate", "room2.yaml", "--month", "2026-12", "-o", "replan.json", "--keep", "plan.json",
                 "--time-limit", "4", "--format", "json")
    assert result.exit_code == 0, result.output
    diff = json.loads(result.stdout)["changes"]
    removed = {(r["date"], r["shift"]) for r in diff["removed"] if r["person"] == "甲"}
    assert removed == set(lost)
    assert len(diff["removed"]) == len(diff["added"]) <= 3 * len(lost)
    assert diff["kept"] == len(plan) - len(diff["removed"])
    assert run("check", "room2.yaml", "replan.json").exit_code == 0
    text = run("generate", "room2.yaml", "--month", "2026-12", "-o", "replan.json", "--keep", "plan.json",
               "--time-limit", "4", "--force")
    assert "与 plan.json 相比" in text.stdout
    assert f"- {lost[0][0]}" in text.stdout and "甲" in text.stdout
