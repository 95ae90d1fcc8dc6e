"""What a clerk trips over: bad files, wrong paths, foreign rosters and ledgers, Ctrl-C — each a clear message
in the rules' language, the right exit code, and no file lost or half written."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from click.testing import CliRunner

from conftest import SMALL_OFFICE
from rostering.cli import main
from rostering.io import save_roster
from rostering.loading import parse_rules
from rostering.roster import Assignment, Roster

TINY = """
organization: 小办公室
shifts: [{id: d, name: 值班, windows: "08:30-17:30"}]
staff: [{name: 甲}, {name: 乙}]
"""
ENGLISH = "locale: en\n" + TINY


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def office(tmp_path, monkeypatch):
    """A folder with small rules files in Chinese and English and a one-day roster of each."""
    monkeypatch.chdir(tmp_path)
    for name, text in (("zh.yaml", TINY), ("en.yaml", ENGLISH), ("small.yaml", SMALL_OFFICE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    roster = {"period": {"from": "2026-12-01", "to": "2026-12-01"},
              "assignments": [{"date": "2026-12-01", "shift": "d", "person": "甲"}]}
    (tmp_path / "r.json").write_text(json.dumps(roster, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def one_day() -> Roster:
    return Roster(date(2026, 12, 1), date(2026, 12, 1), [Assignment(date(2026, 12, 1), "d", "甲")])


# -- writing files ---------------------------------------------------------------------------------------------
def test_new_files_get_the_usual_permissions_and_overwritten_ones_keep_theirs(office):
    rules = parse_rules(TINY)
    old_umask = os.umask(0o022)
    try:
        written = save_roster(office / "new.json", one_day(), rules)
        assert written.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600: colleagues must read it
        written.chmod(0o640)
        save_roster(written, one_day(), rules, force=True)
        assert written.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old_umask)


CTRL_C_WHILE_WRITING = """
import os, signal, sys
from pathlib import Path
from rostering.io.safe import write_atomically
signal.signal(signal.SIGINT, signal.SIG_DFL)  # as OR-Tools leaves it after solving

def write(tmp):
    tmp.write_text("half")
    os.kill(os.getpid(), signal.SIGINT)

try:
    write_atomically(Path(sys.argv[1]) / "roster.json", write)
except KeyboardInterrupt:
    sys.exit(130)
"""


def test_ctrl_c_while_writing_leaves_no_temporary_file(tmp_path):
    done = subprocess.run([sys.executable, "-c", CTRL_C_WHILE_WRITING, str(tmp_path)], capture_output=True)
    assert done.returncode == 130, done.stderr.decode()
    assert list(tmp_path.iterdir()) == []


def test_generate_refuses_a_missing_folder_or_a_folder_before_solving(office, monkeypatch):
    import rostering.solve

    def never(*args, **kwargs):
        raise AssertionError("solved before checking the outputs")
    monkeypatch.setattr(rostering.solve, "solve", never)
    missing = run("generate", "zh.yaml", "--month", "2026-12", "-o", "no/such/folder/r.xlsx")
    assert missing.exit_code == 2 and "no/such/folder" in missing.stderr and "不存在" in missing.stderr
    (office / "out.json").mkdir()
    folder = run("generate", "en.yaml", "--month", "2026-12", "-o", "out.json", "--force")
    assert folder.exit_code == 2 and "out.json is a folder" in folder.stderr


def test_unsupported_and_missing_roster_files_speak_the_rules_language(office):
    pdf = run("generate", "en.yaml", "--month", "2026-12", "-o", "r.pdf")
    assert pdf.exit_code == 2 and "r.pdf: unsupported format; use one of .csv, .ics, .json, .xlsx" in pdf.stderr
    ics = run("check", "zh.yaml", "r.ics")
    assert ics.exit_code == 2 and "r.ics：不支持的文件格式" in ics.stderr
    missing = run("check", "zh.yaml", "gone.json")
    assert missing.exit_code == 2 and "gone.json：找不到文件" in missing.stderr


def test_a_roster_made_for_another_rules_file_is_named_as_such(office):
    result = run("check", "small.yaml", "r.json")
    assert result.exit_code == 2
    assert "r.json" in result.stderr and "另一个规则文件" in result.stderr
    assert result.stdout == ""  # not dozens of "not on the staff list" lines
    ok = run("check", "zh.yaml", "r.json")
    assert ok.exit_code == 0, ok.output


# -- reading roster and history files ----------------------------------------------------------------------------
@pytest.mark.parametrize("content, expected", [
    ("", "r.json：文件是空的"),
    ("[]", "r.json：不是值班表 JSON 文件"),
    ('{"assignments": {"date": "2026-12-01"}}', "r.json：不是值班表 JSON 文件"),
    ('{"assignments": []}', "r.json：没有值班安排"),
    ('{"assignments": [{"date": "2026-12-01", "shift": "d", "person": "甲"}, {"date": "2026-12-01", "shift": "d"}]}',
     "r.json：assignments 第 2 项无法识别"),
    ('{"assignments": [\n{"date": "2026-12-01",}]}', "r.json：第 2 行第 23 列 JSON 格式错误"),
    ('{"period": {"from": "2026-12-01", "to": "31.12."}, "assignments": []}', "r.json：period 的 from、to 应为"),
    ('{"meta": [1], "assignments": [{"date": "2026-12-01", "shift": "d", "person": "乙"}]}', "排班符合全部规则"),
])
def test_a_broken_json_roster_says_what_and_where(office, content, expected):
    (office / "r.json").write_text(content, encoding="utf-8")
    result = run("check", "zh.yaml", "r.json")
    assert expected in result.output and result.exit_code == (0 if "排班" in expected else 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_csv_rows_are_explained_in_english_too(office):
    (office / "r.csv").write_text("date,shift,person\n2026-12-01,d,\n", encoding="utf-8")
    assert "r.csv: line 2: shift or person is empty" in run("check", "en.yaml", "r.csv").stderr
    (office / "r.csv").write_text("date,shift,person\n01.12.2026,d,甲\n", encoding="utf-8")
    assert "r.csv: line 2: the date '01.12.2026' should read like" in run("check", "en.yaml", "r.csv").stderr
    (office / "r.csv").write_text("", encoding="utf-8")
    assert "r.csv: the file is empty" in run("check", "en.yaml", "r.csv").stderr


def test_files_saved_as_gbk_by_excel_or_notepad_are_read(office):
    """Excel/WPS "CSV (逗号分隔)" and Notepad's ANSI save GBK on Chinese Windows."""
    (office / "gbk.yaml").write_bytes(TINY.encode("gbk"))
    (office / "r.csv").write_bytes("date,shift,person\n2026-12-01,值班,甲\n".encode("gbk"))
    result = run("check", "gbk.yaml", "r.csv")
    assert result.exit_code == 0, result.output
    (office / "bin.yaml").write_bytes(b"\xff\xfe\x81organization")
    broken = run("validate", "bin.yaml")
    assert broken.exit_code == 2 and "bin.yaml：不是文本文件，或编码无法识别" in broken.stderr


def test_prior_load_rows_that_are_not_numbers_are_not_dropped_silently(office, monkeypatch):
    import rostering.solve
    monkeypatch.setattr(rostering.solve, "solve", lambda *a, **k: pytest.fail("solved with a bad prior file"))
    (office / "prior.csv").write_text("姓名,负荷\n甲,3\n乙,三\n", encoding="utf-8")
    bad = run("generate", "zh.yaml", "--month", "2026-12", "-o", "x.json", "--prior", "prior.csv")
    assert bad.exit_code == 2 and "prior.csv：第 3 行：负荷“三”不是数字" in bad.stderr
    (office / "prior.json").write_text("[1, 2]", encoding="utf-8")
    wrong = run("generate", "en.yaml", "--month", "2026-12", "-o", "x.json", "--prior", "prior.json")
    assert wrong.exit_code == 2 and "prior.json: prior load must be CSV rows" in wrong.stderr
    (office / "prior.json").write_text('{"丙": 2}', encoding="utf-8")
    unknown = run("generate", "en.yaml", "--month", "2026-12", "-o", "x.json", "--prior", "prior.json")
    assert unknown.exit_code == 2 and "prior.json: not on the staff list: 丙" in unknown.stderr


# -- covers and substitutes --------------------------------------------------------------------------------------
def test_substitutes_for_a_misspelt_holder_a_date_outside_or_a_wrong_shift(office):
    roster = {"period": {"from": "2026-12-01", "to": "2026-12-02"},
              "assignments": [{"date": "2026-12-01", "shift": "d", "person": "甲"},
                              {"date": "2026-12-02", "shift": "d", "person": "甲乙"}]}  # typed by hand
    (office / "r.json").write_text(json.dumps(roster, ensure_ascii=False), encoding="utf-8")
    typo = run("substitutes", "zh.yaml", "r.json", "--date", "2026-12-02", "--shift", "值班")
    assert typo.exit_code == 2 and "2026-12-02 值班 的 甲乙 不在人员名单中" in typo.stderr, typo.output
    outside = run("substitutes", "en.yaml", "r.json", "--date", "2027-01-05", "--shift", "d")
    assert outside.exit_code == 2 and "2027-01-05 is outside the roster period 2026-12-01~2026-12-02" in outside.stderr
    shift = run("substitutes", "zh.yaml", "r.json", "--date", "2026-12-01", "--shift", "早班")
    assert shift.exit_code == 2 and "“--shift 早班”中没有班次“早班”" in shift.stderr
    person = run("substitutes", "zh.yaml", "r.json", "--date", "2026-12-01", "--shift", "d", "--person", "丙")
    assert person.exit_code == 2 and "“--person 丙”中的“丙”不在人员名单中" in person.stderr
    fine = run("substitutes", "zh.yaml", "r.json", "--date", "2026-12-01", "--shift", "d")
    assert fine.exit_code == 0 and "乙" in fine.stdout


# -- the ledger ----------------------------------------------------------------------------------------------------
def test_another_offices_ledger_is_refused_but_a_renamed_office_keeps_its_own(office):
    assert run("publish", "zh.yaml", "r.json", "--db", "ours.db").exit_code == 0
    theirs = run("stats", "small.yaml", "--year", "2026", "--db", "ours.db")
    assert theirs.exit_code == 2 and "ours.db 是“小办公室”的值班台账，不是“测试办公室”的" in theirs.stderr
    assert theirs.stdout == ""
    (office / "renamed.yaml").write_text(TINY.replace("小办公室", "小办公室（新）"), encoding="utf-8")
    renamed = run("stats", "renamed.yaml", "--year", "2026", "--db", "ours.db", "--format", "json")
    assert renamed.exit_code == 0 and json.loads(renamed.stdout)["people"][0]["person"] == "甲"


def test_a_file_that_is_not_a_ledger_is_named(office):
    (office / "notes.db").write_text("not sqlite", encoding="utf-8")
    result = run("publish", "en.yaml", "r.json", "--db", "notes.db")
    assert result.exit_code == 2 and "notes.db is not a roster ledger" in result.stderr
    assert (office / "notes.db").read_text(encoding="utf-8") == "not sqlite"
    missing = run("publish", "en.yaml", "r.json", "--db", "no/folder/ledger.db")
    assert missing.exit_code == 2 and "the folder no/folder does not exist" in missing.stderr


# -- rules files ---------------------------------------------------------------------------------------------------
BAD_VALUES = """organization: 测试
{locale}shifts:
  - {{id: d, name: 白班, windows: "08:30-25:00", days: [workday, sunday]}}
  - {{id: n, name: 夜班, windows: "08:00-12:00, 11:00-13:00", headcount: -1}}
staff:
  - {{name: 甲, unavailable: [{{from: 2026-12-10, to: 2026-12-01}}]}}
rules:
  limits: [{{per: month, min: 3, max: 1}}]
"""


@pytest.mark.parametrize("locale, expected", [
    ("", ["r.yaml:3:", "“25:00”不是一天中的时刻", "应为以下之一：'workday'、'weekend'", "r.yaml:4:",
          "时间段 08:00–12:00 与 11:00–13:00 重叠", "人数不能为负数", "r.yaml:6:", "请假结束日 2026-12-01 早于开始日 2026-12-10",
          "r.yaml:8:", "min 3 大于 max 1"]),
    ("locale: en\n", ["'25:00' is not a valid time of day", "windows 08:00–12:00 and 11:00–13:00 overlap",
                      "headcount cannot be negative", "leave ends (2026-12-01) before it starts (2026-12-10)",
                      "min 3 is larger than max 1"]),
])
def test_wrong_values_in_a_rules_file_are_explained_in_its_language(office, locale, expected):
    (office / "r.yaml").write_text(BAD_VALUES.format(locale=locale), encoding="utf-8")
    result = run("validate", "r.yaml")
    assert result.exit_code == 2
    for fragment in expected:
        assert fragment in result.stderr, (fragment, result.stderr)
    if not locale:
        assert " or " not in result.stderr and "before" not in result.stderr


# -- reading the output like a user --------------------------------------------------------------------------------
def test_generate_summary_keeps_long_headers_whole_and_drops_empty_columns(office):
    long_name = "节假日带班领导（在家值班）兼应急值守"
    rules = TINY.replace("name: 值班", f"name: {long_name}")
    (office / "long.yaml").write_text(rules, encoding="utf-8")
    result = run("generate", "long.yaml", "--month", "2026-12", "-o", "x.json", "--time-limit", "5")
    assert result.exit_code == 0, result.output
    assert long_name in result.stdout
    assert "工作日" in result.stdout and "休息日" in result.stdout
    assert "调休上班" not in result.stdout and "节假日 " not in result.stdout  # none in December 2026
    assert all(line == line.rstrip() for line in result.stdout.splitlines())


def test_validate_speaks_the_rules_language(office):
    assert run("validate", "zh.yaml").stdout == "zh.yaml：规则文件有效（2 人，1 个班次）\n"
    assert run("validate", "en.yaml").stdout == "en.yaml: rules file is valid (2 staff, 1 shifts)\n"


def test_the_same_output_twice_is_written_once(office):
    result = run("generate", "zh.yaml", "--month", "2026-12", "-o", "x.json", "-o", "./x.json", "--time-limit", "5")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("已写入") == 1


def test_stats_for_a_year_without_duties_prints_no_empty_table(office):
    assert run("publish", "zh.yaml", "r.json").exit_code == 0
    result = run("stats", "zh.yaml", "--year", "2025")
    assert result.exit_code == 0 and result.stdout == "" and "台账中没有 2025 年的排班" in result.stderr


def test_two_names_typed_with_a_space_in_excel_are_two_people(office):
    from openpyxl import load_workbook
    from rostering.io import load_roster
    rules = parse_rules(TINY)
    days = [date(2026, 12, 1), date(2026, 12, 2)]
    path = save_roster(office / "r.xlsx", Roster(days[0], days[1], [Assignment(d, "d", "甲") for d in days]), rules)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "甲")
    cell.value = "甲　乙"  # full-width space, as typed with a Chinese input method
    book.save(path)
    assert sorted(a.person for a in load_roster(path, rules).assignments) == ["乙", "甲", "甲"]
    cell.value = "甲 丙"  # 丙 is not on the staff list: kept as typed, so check names it
    book.save(path)
    assert sorted(a.person for a in load_roster(path, rules).assignments) == ["甲", "甲 丙"]


def test_solving_without_a_staff_list_is_a_message_not_an_internal_error(office):
    (office / "nobody.yaml").write_text("organization: x\nshifts: [{id: d, windows: '08:00-17:00'}]\n", encoding="utf-8")
    assert run("calendar", "nobody.yaml", "--month", "2026-12").exit_code == 0  # a calendar needs no staff
    for command in (["generate", "nobody.yaml", "--month", "2026-12", "-o", "x.json"],
                    ["plan-holidays", "nobody.yaml", "--year", "2027", "-o", "plan.xlsx"]):
        result = run(*command)
        assert result.exit_code == 2, result.output
        assert "nobody.yaml: 人员名单为空，无法排班 — 在 staff 下列出人员" in result.stderr
    assert not (office / "x.json").exists() and not (office / "plan.xlsx").exists()


def test_an_unquoted_phone_number_gets_a_hint(office):
    (office / "phone.yaml").write_text(TINY + "duty_phone: 12345678\n", encoding="utf-8")
    result = run("validate", "phone.yaml")
    assert result.exit_code == 2 and "phone.yaml:5:13: [duty_phone]" in result.stderr and "加引号" in result.stderr


def test_an_unknown_time_zone_is_found_by_validate_not_after_solving(office):
    (office / "tz.yaml").write_text("locale: en\ntimezone: Asia/Beijing\n" + TINY, encoding="utf-8")
    result = run("generate", "tz.yaml", "--month", "2026-12", "-o", "x.json", "-o", "x.csv")
    assert result.exit_code == 2
    assert "tz.yaml:2:11: [timezone] wrong value: unknown time zone 'Asia/Beijing'" in result.stderr
    assert not (office / "x.json").exists()


def test_english_messages_list_names_with_commas_and_a_refused_change_is_described(office):
    (office / "pair.yaml").write_text("locale: en\norganization: x\nshifts: [{id: d, name: Desk, windows: "
                                      "'08:00-17:00', headcount: 2}]\nstaff: [{name: Ann}, {name: Bo}, {name: Cy, "
                                      "unavailable: [{from: 2026-12-01, reason: course}]}]\n", encoding="utf-8")
    roster = {"assignments": [{"date": "2026-12-01", "shift": "d", "person": "Ann"},
                              {"date": "2026-12-01", "shift": "d", "person": "Bo"}]}
    (office / "pair.json").write_text(json.dumps(roster), encoding="utf-8")
    held = run("check", "pair.yaml", "pair.json", "--cover", "2026-12-01 Desk Cy -> Ann")
    assert held.exit_code == 2 and "(it is held by Ann, Bo)" in held.stderr, held.stderr
    assert run("publish", "pair.yaml", "pair.json").exit_code == 0
    refused = run("check", "pair.yaml", "pair.json", "--cover", "2026-12-01 Desk Ann -> Cy", "--apply")
    assert refused.exit_code == 1
    assert refused.stdout.startswith("cover: 2026-12-01 Desk Ann → Cy")  # what was refused, then why
    assert "Cy is unavailable on 2026-12-01 (course)" in refused.stdout
    assert "nothing was recorded or rewritten" in refused.stderr


def test_substitutes_without_approval_ends_without_a_blank_line(office):
    (office / "free.yaml").write_text(TINY + "substitution: {approval: none}\n", encoding="utf-8")
    result = run("substitutes", "free.yaml", "r.json", "--date", "2026-12-01", "--shift", "d")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].strip() and not result.stdout.endswith("\n\n")


def test_only_soft_rules_broken_reads_as_such(office):
    (office / "soft.yaml").write_text(TINY + "rules:\n  limits: [{per: month, max: 0, weight: 5, people: [甲]}]\n",
                                      encoding="utf-8")
    result = run("check", "soft.yaml", "r.json")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "排班符合全部硬性规则；另有 1 处软约束未满足"


@pytest.mark.parametrize("period, expected", [
    ({"from": "2026-12-31", "to": "2026-12-01"}, "from 不晚于 to"),
    ({"from": "2026-12-01", "to": "2026-12-02"}, "assignments 第 2 项的日期 2026-12-09 不在 period 2026-12-01~2026-12-02 内"),
])
def test_a_json_period_that_does_not_hold_its_duties_is_refused(office, period, expected):
    roster = {"period": period, "assignments": [{"date": "2026-12-01", "shift": "d", "person": "甲"},
                                                {"date": "2026-12-09", "shift": "d", "person": "乙"}]}
    if period["from"] > period["to"]:
        roster["assignments"].pop()
    (office / "r.json").write_text(json.dumps(roster, ensure_ascii=False), encoding="utf-8")
    for command in ("check", "publish"):  # was: check passed over it, publish recorded it
        result = run(command, "zh.yaml", "r.json")
        assert result.exit_code == 2 and expected in result.stderr, result.stderr
    assert not (office / "zh.roster.db").exists()


def test_keep_a_roster_of_another_month_is_refused_and_the_diff_stays_within_the_dates(office, monkeypatch):
    nov = {"assignments": [{"date": "2026-11-30", "shift": "d", "person": "甲"}]}
    (office / "nov.json").write_text(json.dumps(nov, ensure_ascii=False), encoding="utf-8")
    wrong = run("generate", "zh.yaml", "--month", "2026-12", "-o", "x.json", "--keep", "nov.json")
    assert wrong.exit_code == 2 and "与本次排班期 2026-12-01~2026-12-31 没有重叠" in wrong.stderr
    both = {"assignments": nov["assignments"] + [{"date": "2026-12-01", "shift": "d", "person": "甲"}]}
    (office / "both.json").write_text(json.dumps(both, ensure_ascii=False), encoding="utf-8")
    result = run("generate", "zh.yaml", "--month", "2026-12", "-o", "x.json", "--keep", "both.json",
                 "--time-limit", "5", "--format", "json")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)["changes"]
    assert changes["kept"] == 1 and not any(r["date"] == "2026-11-30" for r in changes["removed"])


def test_csv_rows_with_more_cells_than_the_header_are_read(office):
    """Excel leaves trailing commas when a column right of the table was ever used."""
    (office / "r.csv").write_text("date,shift,person\n2026-12-01,d,甲,,\n", encoding="utf-8")
    result = run("check", "zh.yaml", "r.csv")
    assert result.exit_code == 0 and "排班符合全部规则" in result.stdout, result.output


def test_a_staff_list_with_trailing_commas_keeps_every_name(office):
    """pandas took the names for an index when one row had more cells than the header: 0 staff, 'valid'."""
    (office / "staff.yaml").write_text("organization: x\nstaff_file: staff.csv\nshifts: [{id: d, windows: "
                                       "'08:00-17:00'}]\n", encoding="utf-8")
    (office / "staff.csv").write_text("姓名,部门\n张三,办公室,,\n李四,办公室\n", encoding="utf-8")
    result = run("validate", "staff.yaml")
    assert result.exit_code == 0 and "（2 人，1 个班次）" in result.stdout, result.output
    (office / "staff.csv").write_text("姓名,部门\n", encoding="utf-8")
    empty = run("validate", "staff.yaml")
    assert empty.exit_code == 2 and "staff.csv: 人员表中没有人员" in empty.stderr


def test_ctrl_c_while_solving_stops_without_writing(tmp_path):
    """SIGINT during the search ends the run with exit 130 and no roster file, not a half-searched roster."""
    import os
    import signal
    import subprocess
    import sys as _sys
    import time as _time
    from datetime import date as _date
    _sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from benchmarks.scale import synthetic_rules
    rules = synthetic_rules(80, _date(2026, 1, 1), _date(2026, 12, 31))
    (tmp_path / "big.yaml").write_text(rules.model_dump_json(by_alias=True, exclude_none=True), encoding="utf-8")
    command = "from rostering.cli import main; main()"
    proc = subprocess.Popen([_sys.executable, "-c", command, "generate", "big.yaml", "--from", "2026-01-01",
                             "--to", "2026-12-31", "-o", "out.json", "--time-limit", "60"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _time.sleep(6)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert not (tmp_path / "out.json").exists()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp.json")]


def test_a_mistyped_year_in_a_roster_is_refused_at_once(office):
    (office / "r.json").write_text(json.dumps({"assignments": [
        {"date": "2026-12-01", "shift": "day", "person": "张一"},
        {"date": "1926-12-02", "shift": "day", "person": "张二"}]}, ensure_ascii=False), encoding="utf-8")
    result = run("check", "small.yaml", "r.json")
    assert result.exit_code == 2 and "1926-12-02" in result.stderr and "年份" in result.stderr


def test_negative_rest_is_a_validation_error(office):
    (office / "neg.yaml").write_text(SMALL_OFFICE.replace("min_rest_hours: 12", "min_rest_hours: -3"), encoding="utf-8")
    result = run("validate", "neg.yaml")
    assert result.exit_code == 2 and "不能为负数" in result.stderr
