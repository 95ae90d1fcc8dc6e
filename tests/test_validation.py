"""Broken rules files give every problem at once, located by line and column, with a fix."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from rostering.cli import main
from rostering.errors import RulesError
from rostering.loading import load_rules, parse_rules

BASE = """organization: 测试
{locale}shifts:
  - {{id: day, name: 白班, windows: "08:30-18:00", groups: [总值班科]}}
staff:
  - {{name: 张一, group: 总值班科}}
  - {{name: 王领导, group: 领导, roles: [leader]}}
leaders:
  - {{roles: [leader]}}
{extra}"""


def problems(text: str):
    with pytest.raises(RulesError) as info:
        parse_rules(text, "r.yaml")
    return info.value.problems


def rendered(text: str) -> str:
    return "\n".join(p.render() for p in problems(text))


def test_base_is_valid():
    rules = parse_rules(BASE.format(locale="", extra=""), "r.yaml")
    assert [s.id for s in rules.all_shifts] == ["day", "leader"]


CASES = [
    # (name, yaml text, expected fragments in the rendered messages)
    ("yaml syntax", "organization: x\nshifts:\n  - id: a\n   windows: 1\n", ["r.yaml:4:", "YAML"]),
    ("tab indentation", "organization: x\nshifts:\n\t- id: a\n", ["r.yaml:3:", "YAML"]),
    ("not a mapping", "- a\n- b\n", ["r.yaml:1:1", "顶层"]),
    ("missing organization", "shifts:\n  - {id: a, windows: '08:00-09:00'}\n", ["缺少必填项 organization"]),
    ("missing shifts", "organization: x\n", ["缺少必填项 shifts"]),
    ("misspelt key", BASE.format(locale="", extra="rulez: {}\n"), ["r.yaml:9:1", "未知的键 rulez", "rules"]),
    ("misspelt shift key", BASE.replace("groups:", "grups:").format(locale="", extra=""),
     ["r.yaml:3:", "未知的键 grups", "groups"]),
    ("unknown group with suggestion", BASE.replace("groups: [总值班科]", "groups: [总值班课]").format(locale="", extra=""),
     ["r.yaml:3:", "未知的组 总值班课", "总值班科"]),
    ("unknown role", BASE.replace("{{roles: [leader]}}", "{{roles: [leadr]}}").format(locale="", extra=""),
     ["r.yaml:8:", "未知的角色 leadr", "leader"]),
    ("bad time", BASE.replace("08:30-18:00", "08:30-25:00").format(locale="", extra=""),
     ["r.yaml:3:", "25:00"]),
    ("not a window", BASE.replace("08:30-18:00", "morning").format(locale="", extra=""), ["r.yaml:3:", "08:30-18:00"]),
    ("overlapping windows", BASE.replace("08:30-18:00", "08:30-12:00, 11:00-14:00").format(locale="", extra=""),
     ["重叠"]),
    ("wrong day kind", BASE.replace("groups: [总值班科]", "groups: [总值班科], days: [saturday]").format(locale="", extra=""),
     ["r.yaml:3:", "workday"]),
    ("negative headcount", BASE.replace("groups: [总值班科]", "groups: [总值班科], headcount: -1").format(locale="", extra=""),
     ["人数不能为负数"]),
    ("duplicate person", BASE.replace("  - {{name: 王领导", "  - {{name: 张一, group: 总值班科}}\n  - {{name: 王领导")
     .format(locale="", extra=""), ["r.yaml:6:", "张一 重复"]),
    ("leave ends before start", BASE.replace("{{name: 张一, group: 总值班科}}",
     "{{name: 张一, group: 总值班科, unavailable: [{{from: 2026-12-05, to: 2026-12-01}}]}}").format(locale="", extra=""),
     ["r.yaml:5:", "早于开始日"]),
    ("bad date", BASE.replace("{{name: 张一, group: 总值班科}}",
     "{{name: 张一, group: 总值班科, unavailable: [{{from: 2026-13-05}}]}}").format(locale="", extra=""),
     ["r.yaml:5:", "2026-12-01"]),
    ("limit without bound", BASE.format(locale="", extra="rules:\n  limits:\n    - {per: month}\n"),
     ["r.yaml:11:", "max 或 min"]),
    ("limit on unknown shift", BASE.format(locale="", extra="rules:\n  limits:\n    - {per: month, max: 2, shifts: [dya]}\n"),
     ["r.yaml:11:", "未知的班次 dya", "day"]),
    ("rest not a number", BASE.format(locale="", extra="rules:\n  min_rest_hours: abc\n"), ["r.yaml:10:", "应为数字"]),
    ("nobody may take a shift", BASE.replace("groups: [总值班科]", "groups: [总值班科], roles: [duty]")
     .format(locale="", extra="roles: [duty, leader]\n"), ["没有人能值 白班"]),
    ("leader tier missing for some days", BASE.replace("{{roles: [leader]}}", "{{roles: [leader], days: [workday]}}")
     .format(locale="", extra=""), ["带班领导", "休息日"]),
    ("unknown season in windows", BASE.replace('windows: "08:30-18:00"', 'windows: {{sumer: "08:30-18:00"}}')
     .format(locale="", extra=""), ["r.yaml:3:", "sumer"]),
    ("unknown period", BASE.replace("groups: [总值班科]", "groups: [总值班科], periods: [汛其]")
     .format(locale="", extra="calendar:\n  periods: [{name: 汛期, from: 06-01, to: 09-30}]\n"), ["汛其", "汛期"]),
]


@pytest.mark.parametrize("name,text,fragments", CASES, ids=[c[0] for c in CASES])
def test_bad_rules_are_explained(name, text, fragments):
    out = rendered(text)
    for fragment in fragments:
        assert fragment in out, f"{fragment!r} not in {out!r}"


def test_all_problems_reported_at_once():
    text = BASE.replace("groups: [总值班科]", "groups: [总值班课], headcont: 2").format(
        locale="", extra="rules:\n  min_rest_hours: abc\n")
    found = problems(text)
    assert len(found) >= 2
    assert [p.line for p in found] == sorted(p.line for p in found)


def test_messages_in_english():
    out = rendered(BASE.replace("groups: [总值班科]", "groups: [总值班课]").format(locale="locale: en\n", extra=""))
    assert "unknown group 总值班课" in out and "did you mean 总值班科?" in out


def test_cli_validate_exit_codes_and_no_traceback(tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(BASE.format(locale="", extra=""), encoding="utf-8")
    bad.write_text(BASE.replace("08:30-18:00", "8h").format(locale="", extra=""), encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", str(good)])
    assert ok.exit_code == 0, ok.output
    broken = runner.invoke(main, ["validate", str(bad)])
    assert broken.exit_code == 2
    assert "Traceback" not in broken.output and f"{bad}:3:" in broken.output
    missing = runner.invoke(main, ["validate", str(tmp_path / "nothere.yaml")])
    assert missing.exit_code == 2 and "找不到文件" in missing.output


def test_staff_from_csv(tmp_path):
    (tmp_path / "staff.csv").write_text("姓名,部门,角色,电话\n李雷,总值班科,,13800000000\n韩梅,领导,leader,\n",
                                        encoding="utf-8")
    text = BASE.format(locale="", extra="staff_file: staff.csv\n")
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    rules = load_rules(tmp_path / "r.yaml")
    assert rules.person("李雷").phone == "13800000000"
    assert rules.person("韩梅").roles == ["leader"]


def test_staff_file_without_name_column(tmp_path):
    (tmp_path / "staff.csv").write_text("who,dept\n李雷,总值班科\n", encoding="utf-8")
    (tmp_path / "r.yaml").write_text(BASE.format(locale="", extra="staff_file: staff.csv\n"), encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules(tmp_path / "r.yaml")
    assert "姓名" in str(info.value) and "staff.csv" in str(info.value)


@pytest.mark.parametrize("extra,fragment", [
    ("rules:\n  cover: [{shift: dya, need: 1}]\n", "dya"),
    ("rules:\n  forbidden_successions: [{shift: day, next: [nigth]}]\n", "nigth"),
])
def test_unknown_shift_in_general_rule_forms(extra, fragment):
    out = rendered(BASE.format(locale="", extra=extra))
    assert f"未知的班次 {fragment}" in out and "r.yaml:10:" in out


def test_unknown_shift_in_personal_limits():
    text = BASE.replace("{{name: 张一, group: 总值班科}}", "{{name: 张一, group: 总值班科, max_shifts: {{dya: 2}}}}")
    out = rendered(text.format(locale="", extra=""))
    assert "未知的班次 dya" in out and "r.yaml:5:" in out and "day" in out


def test_staff_sheet_with_a_title_row_above_the_header(tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某市人民政府办公室值班人员名单"])
    sheet.append([])
    sheet.append(["序号", "姓名", "部门", "电话"])
    sheet.append([1, "李雷", "总值班科", "13800000000"])
    sheet.append([2, "韩梅", "领导", None])
    book.save(tmp_path / "staff.xlsx")
    (tmp_path / "r.yaml").write_text(BASE.format(locale="", extra="staff_file: staff.xlsx\n"), encoding="utf-8")
    rules = load_rules(tmp_path / "r.yaml")
    assert rules.person("李雷").group == "总值班科" and rules.person("李雷").phone == "13800000000"
    assert rules.person("韩梅").group == "领导"
