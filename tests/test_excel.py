"""The Excel roster: print settings, title, text-only names, round trip, hand edits, bad files."""
from __future__ import annotations

import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from conftest import SMALL_OFFICE, rules_from
from rostering.errors import RosterFileError
from rostering.io import load_roster, save_roster
from rostering.io.excel import DATA_SHEET, changes_since_generation, read_excel
from rostering.problem import Problem
from rostering.roster import Assignment, Roster
from rostering.summary import person_counts

OFFICE = SMALL_OFFICE + 'duty_phone: "0771-1234567"\n'


def filled_roster(rules, start: date, end: date) -> Roster:
    """Every slot filled from its candidates in turn, one duty a day each where possible: no solver needed."""
    problem = Problem(rules, start, end)
    turn: dict[str, int] = {}
    items = []
    for slot in problem.slots:
        names = problem.candidates[slot.id]
        for _ in range(slot.need):
            busy = {a.person for a in items if a.date == slot.date}
            k = turn.get(slot.shift.id, 0)
            k = next((i for i in range(k, k + len(names)) if names[i % len(names)] not in busy), k)
            turn[slot.shift.id] = k + 1
            items.append(Assignment(slot.date, slot.shift.id, names[k % len(names)]))
    return Roster(start, end, items, {"seed": 0})


@pytest.fixture
def rules():
    return rules_from(OFFICE)


@pytest.fixture
def december(rules):
    return filled_roster(rules, date(2026, 12, 1), date(2026, 12, 31))


def roster_sheet(path):
    return load_workbook(path)["值班表"]


def header_row(ws) -> list[str]:
    return [c.value for c in ws[2]]


def test_month_sheet_is_print_ready(tmp_path, rules, december):
    path = save_roster(tmp_path / "r.xlsx", december, rules)
    ws = roster_sheet(path)
    assert ws["A1"].value == "测试办公室2026年12月值班表"
    assert ws["A1"].font.bold and ws["A1"].alignment.horizontal == "center"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "portrait"  # nine columns still fit portrait A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 1  # a month prints on one sheet
    assert ws.print_title_rows == "$2:$2"
    assert ws.freeze_panes == "B3"
    assert header_row(ws)[:4] == ["日期", "星期", "类别", "带班领导"]
    assert "白班\n08:30–18:00" in header_row(ws) and "夜班\n20:30–次日08:30" in header_row(ws)
    assert ws["A3"].value.date() == date(2026, 12, 1) and ws["B3"].value == "星期二"
    assert ws["D3"].border.left.style == "thin" and ws["D3"].font.name == "宋体"
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert "值班室电话：0771-1234567" in texts
    assert any(x.startswith("制表：") for x in texts) and any(x.startswith("批准：") for x in texts)
    assert any(x.startswith("打印日期：") for x in texts)


def test_weekends_and_holidays_are_shaded(tmp_path, rules):
    roster = filled_roster(rules, date(2026, 9, 28), date(2026, 10, 4))
    ws = roster_sheet(save_roster(tmp_path / "r.xlsx", roster, rules))
    by_date = {ws.cell(r, 1).value.date(): r for r in range(3, 10)}
    workday, national_day = by_date[date(2026, 9, 28)], by_date[date(2026, 10, 1)]
    assert ws.cell(workday, 4).fill.fill_type is None
    assert ws.cell(national_day, 4).fill.fill_type == "solid"
    assert ws.cell(national_day, 3).value == "国庆节"


def test_orientation_follows_the_number_of_columns(tmp_path):
    shifts = "\n".join(f'  - {{id: s{i}, name: 第{i}岗位值班, windows: "{8 + i:02d}:00-{9 + i:02d}:00"}}'
                       for i in range(9))
    wide = rules_from(f"organization: 某办\nshifts:\n{shifts}\nstaff:\n  - {{name: 甲甲甲 13900000000}}\n")
    roster = filled_roster(wide, date(2026, 12, 1), date(2026, 12, 3))
    ws = roster_sheet(save_roster(tmp_path / "w.xlsx", roster, wide))
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1


def test_holiday_period_title(tmp_path, rules):
    roster = filled_roster(rules, date(2026, 10, 1), date(2026, 10, 7))
    ws = roster_sheet(save_roster(tmp_path / "nd.xlsx", roster, rules))
    assert ws["A1"].value == "测试办公室2026年国庆节值班表"
    assert header_row(ws) == ["日期", "星期", "类别", "带班领导", "节假日班\n08:30–次日08:30"]  # idle shifts left out


def test_round_trip_is_identical(tmp_path, rules, december):
    path = save_roster(tmp_path / "r.xlsx", december, rules)
    back = load_roster(path, rules)
    assert back == december
    assert back.meta["seed"] == 0


def test_generated_roster_round_trips(tmp_path, rules):
    from rostering.solve import solve
    result = solve(Problem(rules, date(2026, 12, 1), date(2026, 12, 7)), time_limit=5, workers=1, seed=1)
    assert result.found
    path = save_roster(tmp_path / "g.xlsx", result.roster, rules)
    assert read_excel(path, rules) == result.roster
    assert changes_since_generation(path, rules) == ([], [])


def test_phone_numbers_are_shown_and_stripped(tmp_path, rules, december):
    path = save_roster(tmp_path / "r.xlsx", december, rules)
    cells = [c.value for row in roster_sheet(path).iter_rows(min_row=3) for c in row]
    assert "张一 13800000001" in cells
    assert "张一" in {a.person for a in read_excel(path, rules).assignments}


def test_names_that_look_like_formulas_stay_text(tmp_path):
    rules = rules_from("""
        organization: 某办
        shifts: [{id: d, name: 值班, windows: "08:30-17:30", headcount: 2}]
        staff:
          - {name: "=SUM(A1:A2)"}
          - {name: "+8613800000000"}
          - {name: "-1"}
          - {name: "@eve", phone: "13800000009"}
        """)
    roster = Roster(date(2026, 12, 1), date(2026, 12, 2), [
        Assignment(date(2026, 12, 1), "d", "=SUM(A1:A2)"), Assignment(date(2026, 12, 1), "d", "+8613800000000"),
        Assignment(date(2026, 12, 2), "d", "-1"), Assignment(date(2026, 12, 2), "d", "@eve")])
    path = save_roster(tmp_path / "f.xlsx", roster, rules)
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml
    ws = roster_sheet(path)
    cell = ws["D3"]
    assert cell.data_type == "s" and cell.value == "+8613800000000\n=SUM(A1:A2)" and cell.quotePrefix
    assert ws["D4"].value == "-1\n@eve 13800000009"
    assert read_excel(path, rules) == roster


def test_hand_edit_is_read_and_reported(tmp_path, rules, december):
    path = save_roster(tmp_path / "r.xlsx", december, rules)
    wb = load_workbook(path)
    ws = wb["值班表"]
    header = header_row(ws)
    night = header.index("夜班\n20:30–次日08:30") + 1
    row = next(r for r in range(3, 40) if ws.cell(r, 1).value.date() == date(2026, 12, 1))
    before = december.on(date(2026, 12, 1), "night")
    newcomer = next(n for n in ("张一", "张二", "张三") if n not in before)
    ws.cell(row, night).value = f"{newcomer} 13912345678"  # typed by hand, with some phone number
    wb.save(path)
    back = read_excel(path, rules)
    assert back.on(date(2026, 12, 1), "night") == [newcomer]
    removed, added = changes_since_generation(path, rules)
    assert removed == [Assignment(date(2026, 12, 1), "night", n) for n in before]
    assert added == [Assignment(date(2026, 12, 1), "night", newcomer)]


def test_a_cell_may_hold_several_names(tmp_path, rules, december):
    path = save_roster(tmp_path / "r.xlsx", december, rules)
    wb = load_workbook(path)
    ws = wb["值班表"]
    col = header_row(ws).index("晚班\n18:00–20:30") + 1
    ws.cell(3, col).value = "李一、李二"
    ws.cell(4, col).value = "李三 13900000003\n李四（13900000004）"
    wb.save(path)
    back = read_excel(path, rules)
    assert back.on(date(2026, 12, 1), "evening") == ["李一", "李二"]
    assert back.on(date(2026, 12, 2), "evening") == ["李三", "李四"]


def test_leader_tiers_share_one_column(tmp_path):
    rules = rules_from("""
        organization: 某办
        shifts: [{id: d, name: 值班, windows: "08:30-17:30"}]
        leaders:
          - {id: head, name: 带班领导, roles: [head], days: [workday, adjusted_workday]}
          - {id: chief, name: 带班领导, roles: [chief], days: [weekend, holiday]}
        staff:
          - {name: 甲}
          - {name: 科长, roles: [head]}
          - {name: 秘书长, roles: [chief]}
        """)
    roster = filled_roster(rules, date(2026, 12, 4), date(2026, 12, 7))  # Fri..Mon
    path = save_roster(tmp_path / "l.xlsx", roster, rules)
    assert header_row(roster_sheet(path)).count("带班领导") == 1
    back = read_excel(path, rules)
    assert back == roster
    assert back.on(date(2026, 12, 5), "chief") == ["秘书长"] and back.on(date(2026, 12, 4), "head") == ["科长"]


def test_season_windows_are_shown_per_date(tmp_path):
    rules = rules_from("""
        organization: 某街道办
        calendar:
          seasons:
            - {name: 夏季, from: "05-01", to: "09-30"}
            - {name: 冬季, from: "10-01", to: "04-30"}
        shifts:
          - id: d
            name: 值班
            windows: {夏季: ["08:30-12:00", "13:30-17:30"], 冬季: ["08:30-12:00", "13:30-17:00"]}
        staff: [{name: 甲}, {name: 乙}]
        """)
    roster = filled_roster(rules, date(2026, 9, 29), date(2026, 10, 2))
    path = save_roster(tmp_path / "s.xlsx", roster, rules)
    ws = roster_sheet(path)
    assert ws["D3"].value.splitlines()[0] == "08:30–12:00、13:30–17:30"
    assert ws["D6"].value.splitlines()[0] == "08:30–12:00、13:30–17:00"
    assert read_excel(path, rules) == roster


def test_calendar_and_statistics_sheets(tmp_path, rules, december):
    path = save_roster(tmp_path / "r.xlsx", december, rules)
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["值班表", "个人日历", "统计"] and wb[DATA_SHEET].sheet_state == "hidden"
    assert "值班记录" not in wb.sheetnames
    stats = wb["统计"]
    header = [c.value for c in stats[2]]
    assert {"工作日夜班", "休息日", "节假日", "合计", "加权负荷"} <= set(header)
    counts = {r["person"]: r for r in person_counts(december, Problem(rules, december.start, december.end))}
    for row in stats.iter_rows(min_row=3, values_only=True):
        if row[0] in counts:
            assert row[header.index("合计")] == counts[row[0]]["total"]
            assert row[header.index("加权负荷")] == counts[row[0]]["load"]
    grid = wb["个人日历"]
    zhang = next(r for r in grid.iter_rows(min_row=3) if r[0].value == "张一")
    held = {}
    for a in december.of("张一"):
        held.setdefault(a.date.day, []).append(a.shift)
    night_only = next(day for day, shifts in held.items() if shifts == ["night"])
    free = next(day for day in range(1, 32) if day not in held and date(2026, 12, day).weekday() < 5)
    assert zhang[2 + night_only - 1].value == "夜" and zhang[2 + night_only - 1].fill.fill_type == "solid"
    assert zhang[2 + free - 1].value is None and zhang[2 + free - 1].fill.fill_type is None


def test_log_sheets_have_one_page_per_day(tmp_path, rules):
    roster = filled_roster(rules, date(2026, 12, 1), date(2026, 12, 3))
    path = save_roster(tmp_path / "r.xlsx", roster, rules, log_sheets=True)
    ws = load_workbook(path)["值班记录"]
    assert len(ws.row_breaks.brk) == 3
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert texts.count("测试办公室值班记录（交接班记录）") == 3
    assert "交接时间" in texts and "接班人" in texts
    assert read_excel(path, rules) == roster  # the log pages do not disturb reading


def test_english_headers(tmp_path):
    rules = rules_from(OFFICE.replace("organization: 测试办公室", "organization: Test Office\nlocale: en"))
    roster = filled_roster(rules, date(2026, 12, 1), date(2026, 12, 31))
    path = save_roster(tmp_path / "en.xlsx", roster, rules)
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["Roster", "Calendar", "Statistics"]
    ws = wb["Roster"]
    assert ws["A1"].value == "Test Office Duty Roster, December 2026"
    assert header_row(ws)[:4] == ["Date", "Day", "Type", "Leader on duty"] and ws["B3"].value == "Tue"
    assert read_excel(path, rules) == roster


def bad_file(tmp_path, build) -> str:
    path = tmp_path / "bad.xlsx"
    wb = Workbook()
    build(wb)
    wb.save(path)
    return path


def test_foreign_files_give_clear_errors(tmp_path, rules, december):
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    with pytest.raises(RosterFileError, match="不是可读取的 Excel 工作簿"):
        read_excel(junk, rules)

    path = bad_file(tmp_path, lambda wb: setattr(wb.active, "title", "Sheet1"))
    with pytest.raises(RosterFileError, match="缺少工作表“值班表”.*Sheet1"):
        read_excel(path, rules)

    path = save_roster(tmp_path / "r.xlsx", december, rules)
    wb = load_workbook(path)
    wb["值班表"]["E2"].value = "早班"
    wb["值班表"]["A5"].value = "十二月三日"
    wb.save(path)
    with pytest.raises(RosterFileError, match="E2 的列“早班”不是规则文件中的班次"):
        read_excel(path, rules)
    wb["值班表"]["E2"].value = "白班"
    wb.save(path)
    with pytest.raises(RosterFileError, match="值班表!A5 的日期“十二月三日”无法识别"):
        read_excel(path, rules)


def test_missing_generation_record_is_explained(tmp_path, rules, december):
    path = save_roster(tmp_path / "r.xlsx", december, rules)
    wb = load_workbook(path)
    del wb[DATA_SHEET]
    wb.save(path)
    assert read_excel(path, rules) == december
    with pytest.raises(RosterFileError, match="缺少生成记录"):
        changes_since_generation(path, rules)


def test_generate_command_writes_every_format(tmp_path, small_rules_file):
    from click.testing import CliRunner

    from rostering.cli import main
    out = tmp_path / "out"
    out.mkdir()
    args = ["generate", str(small_rules_file), "--from", "2026-12-01", "--to", "2026-12-04", "--time-limit", "5",
            "--workers", "1", "-o", str(out / "r.xlsx"), "-o", str(out / "r.ics"), "-o", str(out / "r.json"),
            "--log-sheets", "--per-person"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    rules = rules_from(SMALL_OFFICE)
    assert "值班记录" in load_workbook(out / "r.xlsx").sheetnames
    assert read_excel(out / "r.xlsx", rules) == load_roster(out / "r.json", rules)
    assert (out / "r-张一.ics").exists() and not (out / "r.ics").exists()
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 2 and "已存在；加 --force 覆盖" in again.output and "Traceback" not in again.output


@pytest.mark.parametrize("cell, names", [
    ("张三 13800000001", ["张三"]),
    ("张三（0771-1234567）\n李四", ["张三", "李四"]),
    ("08:30–12:00、13:30–17:30\n甲、乙", ["甲", "乙"]),
    ("20:30–次日08:30\nAlice Wang 13800000011", ["Alice Wang"]),
    ("—", []),
    ("=1+2", ["=1+2"]),
])
def test_names_are_read_from_a_cell(cell, names):
    from rostering.io.excel import person_names
    assert person_names(cell, {"张三": "13800000001"}) == names


@pytest.mark.parametrize("value", [46357, "2026-12-01", "2026/12/1", "2026年12月1日"])
def test_dates_are_read_in_the_forms_spreadsheets_leave(value):
    from rostering.io.excel import parse_date
    assert parse_date(value, "值班表!A3", "r.xlsx", "zh") == date(2026, 12, 1)


def test_leader_tiers_with_different_names_share_the_column_line_by_line(tmp_path):
    rules = rules_from("""
        organization: 某市政府办公室
        shifts: [{id: d, name: 值班, windows: "08:30-17:30"}]
        leaders:
          - {id: head, name: 带班（值班室负责人）, roles: [head], days: [workday, adjusted_workday, weekend]}
          - {id: holiday_lead, name: 节假日带班领导, roles: [chief], days: [holiday], mode: at_home}
          - {id: city, name: 市领导在家值班, roles: [city], days: [holiday], mode: at_home}
        staff:
          - {name: 甲}
          - {name: 科长, roles: [head]}
          - {name: 秘书长, roles: [chief]}
          - {name: 副秘书长, roles: [chief]}
          - {name: 市长, roles: [city], phone: "13700000000"}
        """)
    roster = filled_roster(rules, date(2026, 9, 29), date(2026, 10, 2))
    path = save_roster(tmp_path / "l.xlsx", roster, rules)
    ws = roster_sheet(path)
    assert header_row(ws)[3] == "带班领导" and header_row(ws).count("带班领导") == 1
    assert ws["D3"].value == "科长"  # a workday: one tier, no label
    [lead] = roster.on(date(2026, 10, 1), "holiday_lead")
    other = ({"秘书长", "副秘书长"} - {lead}).pop()
    assert ws["D5"].value == f"节假日带班领导：\n{lead}\n市领导在家值班：\n市长 13700000000"  # 10-01
    assert read_excel(path, rules) == roster
    wb = load_workbook(path)
    wb["值班表"]["D5"].value = f"节假日带班领导：{other}\n市领导在家值班：市长"
    wb.save(path)
    assert changes_since_generation(path, rules) == ([Assignment(date(2026, 10, 1), "holiday_lead", lead)],
                                                    [Assignment(date(2026, 10, 1), "holiday_lead", other)])


def test_errors_in_english(tmp_path):
    rules = rules_from(OFFICE.replace("organization: 测试办公室", "organization: Test Office\nlocale: en"))
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(RosterFileError, match="not a readable Excel workbook"):
        read_excel(junk, rules)
    path = bad_file(tmp_path, lambda wb: setattr(wb.active, "title", "Sheet1"))
    with pytest.raises(RosterFileError, match="no sheet 'Roster'"):
        read_excel(path, rules)
