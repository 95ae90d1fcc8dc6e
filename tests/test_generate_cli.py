"""`roster generate` as a user runs it: outputs, summary, exit codes, explanations, determinism."""
from __future__ import annotations

import json
import time

from click.testing import CliRunner

from rostering.cli import main
from tests.conftest import SMALL_OFFICE, in_temp_dir

INFEASIBLE = """
organization: 测试
shifts:
  - {id: day, name: 白班, windows: "08:30-18:00", groups: [总值班科]}
  - {id: night, name: 夜班, windows: "20:30-08:30", groups: [总值班科]}
leaders:
  - {roles: [leader]}
staff:
  - {name: 张一, group: 总值班科}
  - {name: 张二, group: 总值班科}
  - {name: 王领导, roles: [leader]}
rules:
  min_rest_hours: 12
  max_consecutive_nights: 1
"""

NOBODY_LEFT = """
organization: 测试
shifts:
  - {id: night, name: 夜班, windows: "20:30-08:30", groups: [总值班科]}
leaders:
  - {roles: [leader]}
staff:
  - {name: 张一, group: 总值班科, unavailable: [{from: 2026-12-03, to: 2026-12-04, reason: 出差}]}
  - {name: 张二, group: 总值班科, unavailable: [{from: 2026-12-03, reason: 病假}]}
  - {name: 王领导, roles: [leader]}
"""


def run(args, files: dict[str, str]):
    runner = CliRunner()
    with in_temp_dir():
        for name, text in files.items():
            with open(name, "w", encoding="utf-8") as fh:
                fh.write(text)
        result = runner.invoke(main, args)
        outputs = {}
        for name in ("out.json", "again.json"):
            try:
                with open(name, encoding="utf-8") as fh:
                    outputs[name] = json.load(fh)
            except FileNotFoundError:
                pass
        return result, outputs


def test_generate_writes_json_and_reports_a_proven_optimum():
    result, out = run(["generate", "r.yaml", "--month", "2026-12", "-o", "out.json", "--format", "json"],
                      {"r.yaml": SMALL_OFFICE})
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["status"] == "optimal" and summary["objective"] == summary["bound"]
    assignments = out["out.json"]["assignments"]
    assert summary["assignments"] == len(assignments)
    leaders = [a for a in assignments if a["leader"]]
    assert len(leaders) == 31 and {a["person"] for a in leaders} <= {"王领导", "赵领导"}
    assert all({"date", "shift", "person", "leader"} <= set(a) for a in assignments)


def test_text_summary_has_a_row_per_person_and_the_status():
    result, _ = run(["generate", "r.yaml", "--month", "2026-12", "-o", "out.json"], {"r.yaml": SMALL_OFFICE})
    assert result.exit_code == 0, result.output
    for name in ("张一", "李五", "王领导"):
        assert name in result.stdout
    assert "夜班" in result.stdout and "最优" in result.stdout and "已写入 out.json" in result.stdout


def test_same_seed_same_roster():
    files = {"r.yaml": SMALL_OFFICE}
    runner = CliRunner()
    with in_temp_dir():
        for name, text in files.items():
            open(name, "w", encoding="utf-8").write(text)
        runner.invoke(main, ["generate", "r.yaml", "--month", "2026-12", "-o", "a.json", "--seed", "3"])
        runner.invoke(main, ["generate", "r.yaml", "--month", "2026-12", "-o", "b.json", "--seed", "3"])
        a = json.load(open("a.json", encoding="utf-8"))["assignments"]
        b = json.load(open("b.json", encoding="utf-8"))["assignments"]
    assert a == b


def test_refuses_to_overwrite_without_force():
    runner = CliRunner()
    with in_temp_dir():
        open("r.yaml", "w", encoding="utf-8").write(SMALL_OFFICE)
        first = runner.invoke(main, ["generate", "r.yaml", "--month", "2026-12", "-o", "out.json"])
        again = runner.invoke(main, ["generate", "r.yaml", "--month", "2026-12", "-o", "out.json"])
        forced = runner.invoke(main, ["generate", "r.yaml", "--month", "2026-12", "-o", "out.json", "--force"])
    assert first.exit_code == 0 and again.exit_code == 2 and "--force" in again.output
    assert forced.exit_code == 0


def test_infeasible_rules_are_explained_in_rule_names_quickly():
    started = time.monotonic()
    result, out = run(["generate", "r.yaml", "--month", "2026-12", "-o", "out.json"], {"r.yaml": INFEASIBLE})
    assert time.monotonic() - started < 5
    assert result.exit_code == 1 and not out
    text = result.stderr
    assert "规则无法同时满足" in text
    assert "最短休息时间" in text and "人数要求" in text and "最多连续夜班" in text


def test_capacity_shortfall_names_the_slot_and_the_leave():
    result, _ = run(["generate", "r.yaml", "--month", "2026-12", "-o", "out.json", "--format", "json"],
                    {"r.yaml": NOBODY_LEFT})
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["status"] == "infeasible"
    assert summary["conflicts"] == ["2026-12-03 夜班 需要 1 人，但可排的只有 0 人（2 名符合条件的人员不可值班）"]


def test_english_explanation():
    result, _ = run(["generate", "r.yaml", "--month", "2026-12", "-o", "out.json"],
                    {"r.yaml": "locale: en\n" + NOBODY_LEFT})
    assert result.exit_code == 1
    assert "2026-12-03 夜班 needs 1 but only 0 can take it (2 eligible people are unavailable)" in result.stderr


def test_progress_on_request():
    result, _ = run(["generate", "r.yaml", "--month", "2026-12", "-o", "out.json", "--progress"],
                    {"r.yaml": SMALL_OFFICE})
    assert result.exit_code == 0
    assert "objective=" in result.stderr and "bound=" in result.stderr and "#1" in result.stderr


def test_bad_input_exit_code_two():
    result, _ = run(["generate", "r.yaml", "--month", "2026-13", "-o", "out.json"], {"r.yaml": SMALL_OFFICE})
    assert result.exit_code == 2
    result, _ = run(["generate", "r.yaml", "--month", "2026-12", "-o", "out.txt"], {"r.yaml": SMALL_OFFICE})
    assert result.exit_code == 2 and "out.txt" in result.output
