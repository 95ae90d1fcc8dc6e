"""`roster check`: every kind of violation on hand-made rosters, none on generated ones; proposed covers
and swaps; --apply; exit codes 0/1/2; both languages; and no ortools on the way.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_changes import DUTY_ROOM

from rostering.cli import main

# One week, 2026-12-07 (Mon) .. 12-13 (Sun). The night ends after the next day shift begins,
# so night -> next day overlaps; day -> same night leaves no rest.
WEEK_RULES = """
organization: 街道办事处
shifts:
  - {id: desk, name: 白班, windows: "08:00-18:00", groups: [值班组]}
  - {id: night, name: 夜班, windows: "18:00-08:30", groups: [值班组]}
leaders:
  - {roles: [leader]}
staff:
  - {name: a1, group: 值班组}
  - {name: a2, group: 值班组}
  - {name: a3, group: 值班组}
  - {name: a4, group: 值班组, unavailable: [{from: 2026-12-09, reason: 年假}]}
  - {name: b1, group: 机关}
  - {name: 王, group: 领导, roles: [leader]}
  - {name: 陈, group: 领导, roles: [leader]}
rules:
  min_rest_hours: 9
  max_consecutive_days: 3
  max_consecutive_nights: 2
  limits: [{per: week, max: 3, shifts: [night]}]
  rotation: [{shifts: [leader]}]
"""
DAYS = ["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-12", "2026-12-13"]
DESK = ["a1", "a2", "a3", "a1", "a2", "a3", "a1"]
NIGHT = ["a4", "a1", "a2", "a4", "a1", "a4", "a3"]
VALID_WEEK = ([(d, "desk", p) for d, p in zip(DAYS, DESK)] + [(d, "night", p) for d, p in zip(DAYS, NIGHT)]
              + [(d, "leader", "王") for d in DAYS])


def write_roster(path: Path, rows, start="2026-12-07", end="2026-12-13") -> Path:
    path.write_text(json.dumps({"period": {"from": start, "to": end},
                                "assignments": [{"date": d, "shift": s, "person": p} for d, s, p in rows]},
                               ensure_ascii=False), encoding="utf-8")
    return path


def replaced(rows, day, shift, person, by):
    assert (day, shift, person) in rows
    return [(d, s, by if (d, s, p) == (day, shift, person) else p) for d, s, p in rows]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def week(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("week.yaml").write_text(WEEK_RULES, encoding="utf-8")
    return Path("week.yaml")


def test_the_hand_made_week_keeps_every_rule(week):
    result = run("check", week, write_roster(Path("ok.json"), VALID_WEEK), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"ok": True, "violations": [], "fairness_spread": json.loads(
        result.stdout)["fairness_spread"]}
    assert "符合全部规则" in run("check", week, "ok.json").stdout


MUTATIONS = {
    "coverage under": ("coverage", [r for r in VALID_WEEK if r != ("2026-12-07", "desk", "a1")]),
    "coverage over": ("coverage", VALID_WEEK + [("2026-12-08", "desk", "a3")]),
    "not eligible": ("eligibility", replaced(VALID_WEEK, "2026-12-07", "desk", "a1", "b1")),
    "not on staff": ("eligibility", replaced(VALID_WEEK, "2026-12-07", "desk", "a1", "无名氏")),
    "on leave": ("unavailable", replaced(VALID_WEEK, "2026-12-09", "night", "a2", "a4")),
    "overlap": ("overlap", replaced(VALID_WEEK, "2026-12-09", "desk", "a3", "a1")),
    "rest": ("rest", replaced(VALID_WEEK, "2026-12-07", "night", "a4", "a1")),
    "consecutive days": ("consecutive_days", replaced(replaced(VALID_WEEK, "2026-12-10", "desk", "a1", "a3"),
                                                      "2026-12-11", "desk", "a2", "a3")),
    "consecutive nights": ("consecutive_nights", replaced(VALID_WEEK, "2026-12-11", "night", "a1", "a4")),
    "weekly limit": ("limit", replaced(VALID_WEEK, "2026-12-08", "night", "a1", "a4")),
    "rotation": ("rotation", replaced(VALID_WEEK, "2026-12-10", "leader", "王", "陈")),
}


@pytest.mark.parametrize("case", MUTATIONS)
def test_check_finds_each_kind_of_violation(week, case):
    rule_id, rows = MUTATIONS[case]
    result = run("check", week, write_roster(Path("bad.json"), rows), "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is False
    found = [v for v in report["violations"] if v["rule_id"] == rule_id]
    assert found, report["violations"]
    for v in report["violations"]:
        assert {"rule", "date", "shift", "people", "message"} <= set(v)
        assert v["rule"] and v["message"]
    text = run("check", week, "bad.json")
    assert text.exit_code == 1 and found[0]["message"] in text.stdout and "违反硬性规则" in text.stdout


def test_messages_name_person_date_and_what_to_do(week):
    rows = replaced(VALID_WEEK, "2026-12-09", "night", "a2", "a4")
    report = json.loads(run("check", week, write_roster(Path("bad.json"), rows), "--format", "json").stdout)
    [leave] = [v for v in report["violations"] if v["rule_id"] == "unavailable"]
    assert leave["date"] == "2026-12-09" and leave["shift"] == "night" and leave["people"] == ["a4"]
    assert "a4" in leave["message"] and "年假" in leave["message"] and "代班" in leave["message"]


def test_generated_rosters_have_no_violations(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("room.yaml").write_text(DUTY_ROOM, encoding="utf-8")
    Path("week.yaml").write_text(WEEK_RULES, encoding="utf-8")
    for rules, period in (("room.yaml", ["--month", "2026-12"]), ("week.yaml", ["--from", DAYS[0], "--to", DAYS[-1]])):
        made = run("generate", rules, *period, "-o", "made.json", "--time-limit", "4", "--force")
        assert made.exit_code == 0, made.output
        checked = run("check", rules, "made.json", "--format", "json")
        assert checked.exit_code == 0, checked.stdout
        assert json.loads(checked.stdout)["violations"] == []


@pytest.mark.parametrize("args, words", [
    (["missing.json"], ["missing.json"]),
    (["broken.json"], ["broken.json"]),
    (["ok.json", "--cover", "2026-12-07 白班 a1 a2"], ["2026-12-05 夜班 张三 -> 王五"]),
    (["ok.json", "--cover", "2026-12-07 白班 a2 -> a3"], ["a2", "没有 2026-12-07 白班"]),
    (["ok.json", "--swap", "2026-12-07 白班 a1 -> a2"], ["<->"]),
    (["ok.json", "--apply"], ["--cover"]),
])
def test_bad_input_exits_2_with_a_message(week, args, words):
    write_roster(Path("ok.json"), VALID_WEEK)
    Path("broken.json").write_text("{not json", encoding="utf-8")
    result = run("check", week, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output


@pytest.fixture
def room(tmp_path, monkeypatch):
    """The seed-001 duty room with a hand-made first week: 甲 on the night of 12-07, 王领导 leading."""
    monkeypatch.chdir(tmp_path)
    Path("room.yaml").write_text(DUTY_ROOM, encoding="utf-8")
    made = run("generate", "room.yaml", "--month", "2026-12", "-o", "room.json", "--time-limit", "4")
    assert made.exit_code == 0, made.output
    data = json.loads(Path("room.json").read_text(encoding="utf-8"))
    return {(a["date"], a["shift"]): a["person"] for a in data["assignments"]}


def night_with_cover(room) -> dict:
    """The first December night someone can cover, as `roster substitutes` finds it."""
    for n in range(7, 32):
        day = f"2026-12-{n:02d}"
        found = json.loads(run("substitutes", "room.yaml", "room.json", "--date", day, "--shift", "夜班",
                               "--format", "json").stdout)
        if found["candidates"] and found["swaps"]:
            return dict(found, date=day, leader=room[(day, "leader")])
    raise AssertionError("no December night has a valid cover and swap")


def test_cover_within_the_duty_room_is_accepted_and_names_the_approver(room):
    case = night_with_cover(room)
    night, taker = case["person"], case["candidates"][0]["person"]
    assert case["approvers"] == [case["leader"]]
    result = run("check", "room.yaml", "room.json", "--cover", f"{case['date']} 夜班 {night} -> {taker}")
    assert result.exit_code == 0, result.output
    assert f"{night} → {taker}" in result.stdout and f"带班领导 {case['leader']}" in result.stdout
    assert "符合全部规则" in result.stdout


def test_cover_from_outside_the_duty_room_is_refused(room):
    night = room[("2026-12-07", "night")]
    result = run("check", "room.yaml", "room.json", "--cover", f"2026-12-07 夜班 {night} -> 孙", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    kinds = {v["rule_id"] for v in report["violations"] if v["new"]}
    assert {"substitution", "eligibility"} <= kinds
    [policy] = [v for v in report["violations"] if v["rule_id"] == "substitution"]
    assert "同组" in policy["message"] and policy["people"] == [night, "孙"]
    assert report["changes"][0]["approvers"] == [room[("2026-12-07", "leader")]]


def test_policy_alone_refuses_an_eligible_cover(room):
    evening = room[("2026-12-07", "evening")]
    outsider = "孙" if evening != "孙" else "李"  # 秘书科 may hold the evening, but only 综合科 may cover it
    result = run("check", "room.yaml", "room.json", "--cover", f"2026-12-07 晚班 {evening} -> {outsider}",
                 "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert {v["rule_id"] for v in report["violations"]} == {"substitution"}
    assert "综合科" in report["violations"][0]["message"]


def test_swap_accepted_when_substitutes_proposes_it_and_rejected_when_it_breaks_rest(room):
    case = night_with_cover(room)
    night, partner = case["person"], case["swaps"][0]
    swap = f"{case['date']} 夜班 {night} <-> {partner['date']} {partner['shift']} {partner['person']}"
    ok = run("check", "room.yaml", "room.json", "--swap", swap)
    assert ok.exit_code == 0, ok.output
    assert "换班" in ok.stdout
    listed = run("substitutes", "room.yaml", "room.json", "--date", case["date"], "--shift", "night", "--limit", "1")
    assert listed.stdout.count(" 换 ") == 1
    assert (f"另有 {len(case['swaps']) - 1} 个换班方案" in listed.stdout) == (len(case["swaps"]) > 1)
    night = room[("2026-12-07", "night")]
    day_holder = room[("2026-12-08", "day")]
    later = next((d, s) for (d, s), p in sorted(room.items()) if p == night and d >= "2026-12-12" and s != "leader")
    # the night-holder gives a later shift for the next morning's: no rest after the night
    bad = run("check", "room.yaml", "room.json", "--swap",
              f"{later[0]} {later[1]} {night} <-> 2026-12-08 白班 {day_holder}", "--format", "json")
    assert bad.exit_code == 1
    assert any(v["new"] and v["rule_id"] in ("rest", "overlap") for v in json.loads(bad.stdout)["violations"])


def test_apply_records_in_the_ledger_and_rewrites_the_roster(room):
    case = night_with_cover(room)
    day, night, leader, taker = case["date"], case["person"], case["leader"], case["candidates"][0]["person"]
    cover = ["--cover", f"{day} 夜班 {night} -> {taker}"]
    missing = run("check", "room.yaml", "room.json", *cover, "--apply", "--approved-by", leader)
    assert missing.exit_code == 2 and "roster publish" in missing.output
    assert run("publish", "room.yaml", "room.json").exit_code == 0
    assert Path("room.roster.db").exists()
    before = Path("room.json").read_text(encoding="utf-8")
    no_approver = run("check", "room.yaml", "room.json", *cover, "--apply")
    assert no_approver.exit_code == 2 and "--approved-by" in no_approver.output
    wrong = run("check", "room.yaml", "room.json", *cover, "--apply", "--approved-by", "孙")
    assert wrong.exit_code == 2 and leader in wrong.output
    refused = run("check", "room.yaml", "room.json", "--cover", f"{day} 夜班 {night} -> 孙", "--apply",
                  "--approved-by", leader)
    assert refused.exit_code == 1 and "未记录" in refused.output
    assert Path("room.json").read_text(encoding="utf-8") == before
    done = run("check", "room.yaml", "room.json", *cover, "--apply", "--approved-by", leader)
    assert done.exit_code == 0, done.output
    rewritten = json.loads(Path("room.json").read_text(encoding="utf-8"))
    assert [a["person"] for a in rewritten["assignments"]
            if (a["date"], a["shift"]) == (day, "night")] == [taker]
    assert run("check", "room.yaml", "room.json").exit_code == 0
    again = run("check", "room.yaml", "room.json", *cover, "--apply", "--approved-by", leader)
    assert again.exit_code == 2  # the cover is already done: the night is no longer the original holder's
    stats = json.loads(run("stats", "room.yaml", "--year", "2026", "--format", "json").stdout)
    people = {r["person"]: r for r in stats["people"]}
    assert people[taker]["covers_given"] == 1 and people[night]["covers_received"] == 1


def test_english_rules_give_english_messages(room):
    Path("room_en.yaml").write_text(DUTY_ROOM.replace("organization: 市政府办公室", "organization: City Office\nlocale: en"),
                                    encoding="utf-8")
    night = room[("2026-12-07", "night")]
    result = run("check", "room_en.yaml", "room.json", "--cover", f"2026-12-07 夜班 {night} -> 孙")
    assert result.exit_code == 1
    assert "may only be covered within the group" in result.stdout
    assert "to be approved by the leader on duty" in result.stdout
    bad = run("check", "room_en.yaml", "room.json", "--cover", "2026-12-07 夜班 无名氏 -> 孙")
    assert bad.exit_code == 2 and "is not on the staff list" in bad.output


CHECK_WITHOUT_ORTOOLS = """
import sys, time
from click.testing import CliRunner
from rostering.cli import main
start = time.perf_counter()
result = CliRunner().invoke(main, sys.argv[1:])
print(result.exit_code, round(time.perf_counter() - start, 3), 'ortools' in sys.modules)
"""


def test_check_never_imports_ortools_and_answers_a_month_quickly(room):
    night = room[("2026-12-07", "night")]
    for args in (["check", "room.yaml", "room.json"],
                 ["check", "room.yaml", "room.json", "--cover", f"2026-12-07 夜班 {night} -> 孙"],
                 ["substitutes", "room.yaml", "room.json", "--date", "2026-12-07", "--shift", "night"]):
        out = subprocess.run([sys.executable, "-c", CHECK_WITHOUT_ORTOOLS, *args], capture_output=True, text=True,
                             check=True).stdout.split()
        assert out[2] == "False", args
        assert float(out[1]) < 1.0, f"{args} took {out[1]}s"
    start = time.perf_counter()
    assert run("check", "room.yaml", "room.json").exit_code == 0
    assert time.perf_counter() - start < 0.5


def test_check_reports_hand_edits_in_an_excel_roster(tmp_path):
    import openpyxl

    from rostering.io import save_roster
    from rostering.loading import parse_rules
    from rostering.roster import Assignment, Roster
    from datetime import date
    rules = parse_rules(WEEK_RULES, "r.yaml")
    roster = Roster(date(2026, 12, 7), date(2026, 12, 13),
                    [Assignment(date.fromisoformat(d), s, p) for d, s, p in VALID_WEEK])
    (tmp_path / "r.yaml").write_text(WEEK_RULES, encoding="utf-8")
    path = save_roster(tmp_path / "week.xlsx", roster, rules)
    runner = CliRunner()
    clean = runner.invoke(main, ["check", str(tmp_path / "r.yaml"), str(path), "--format", "json"])
    assert clean.exit_code == 0, clean.output
    assert json.loads(clean.stdout)["hand_edits"] == {"removed": [], "added": []}
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    cell = next(c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("a2"))
    cell.value = "a3"
    book.save(path)
    edited = runner.invoke(main, ["check", str(tmp_path / "r.yaml"), str(path)])
    assert "手工修改" in edited.stdout and "- 2026-12-08 白班 a2" in edited.stdout and "+ 2026-12-08 白班 a3" in edited.stdout
