"""Rolling holiday rotation (滚动排班): the order, three years of monthly generate + publish, skipped
people first next time, groups by day, seeding from past years, the year's holiday plan, and stats.
"""
from __future__ import annotations

import json
import textwrap
from collections import Counter, defaultdict
from datetime import date

import pytest
from click.testing import CliRunner
from conftest import rules_from

from rostering.calendar import DutyCalendar
from rostering.checking import check_roster
from rostering.cli import main
from rostering.constraints.holiday_rotation import due_turns, possible_turns
from rostering.errors import RulesError
from rostering.io import load_roster
from rostering.ledger import Ledger, default_path
from rostering.loading import load_rules
from rostering.problem import Problem
from rostering.roster import Assignment, Roster
from rostering.rotation import Turn, attach, ledger_turns, line, occurrence_of, track_of, units

HOLIDAYS = "[元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节]"

# A small office: 18 department staff take one holiday duty a day, 4 leaders rotate at home.
OFFICE = f"""
organization: 测试办公厅
duty_phone: "0716-8000000"
shifts:
  - {{id: holiday, name: 节假日值班, windows: "08:00-08:00", days: [weekend, holiday], periods: {HOLIDAYS},
     groups: [一科, 二科, 三科]}}
leaders:
  - {{id: home, name: 领导在家值班, days: [weekend, holiday], periods: {HOLIDAYS}, roles: [秘书长], mode: at_home}}
holiday_rotation:
  - {{name: 科室人员节假日轮流值班, shifts: [holiday], separate: [春节, 国庆节]}}
  - {{name: 领导在家值班, shifts: [home]}}
staff:
""" + "".join(f"  - {{name: {g}{i:02d}, group: {d}}}\n" for g, d in (("甲", "一科"), ("乙", "二科"), ("丙", "三科"))
              for i in range(1, 7)) + "".join(f"  - {{name: 领{n}, group: 领导, roles: [秘书长]}}\n" for n in "一二三四")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def write(tmp_path, text: str, name: str = "office.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def holiday_months(rules, years) -> list[str]:
    days = DutyCalendar(rules).days(date(years[0], 1, 1), date(years[-1], 12, 31))
    return sorted({d.date.strftime("%Y-%m") for d in days if d.period})


def generate_and_publish(rules_file, month: str, tmp_path, *extra) -> None:
    out = tmp_path / f"{month}.json"
    result = run("generate", rules_file, "--month", month, "-o", out, "--force", "--time-limit", 5, *extra)
    assert result.exit_code == 0, result.output
    result = run("publish", rules_file, out)
    assert result.exit_code == 0, result.output


def served(rules_file):
    with Ledger(default_path(rules_file)) as ledger:
        return ledger.served(date(2000, 1, 1), date(2100, 1, 1))


# -- the order ---------------------------------------------------------------------------------

def test_turns_from_a_repeating_line():
    # places [0, 2) of a line of 5: due once when 2 are taken, not before; again from the 7th turn
    assert [due_turns(0, 2, 5, n) for n in (1, 2, 6, 7)] == [0, 1, 1, 2]
    # a unit at place 3 may serve once from the 4th turn on, twice from the 9th
    assert [possible_turns(3, 5, n) for n in (3, 4, 8, 9)] == [0, 1, 1, 2]


def test_the_line_puts_never_first_then_longest_ago_and_skipped_people_stay_first():
    rules = rules_from(OFFICE)
    staff = rules.holiday_rotation[0]
    history = [Turn(date(2026, 2, 15), "holiday", "甲01", "一科", "春节"),
               Turn(date(2026, 2, 16), "holiday", "甲02", "一科", "春节"),
               Turn(date(2025, 1, 29), "holiday", "甲03", "一科", "春节"),
               Turn(date(2026, 10, 1), "holiday", "甲04", "一科", "国庆节")]
    tiers = line(staff, rules, "春节", history)
    never = [n for n in (p.name for p in rules.staff[:18]) if n not in ("甲01", "甲02", "甲03", "甲04")]
    assert sorted(tiers[0]) == sorted(never)
    assert tiers[1] == ["甲04"]  # never served 春节 either (国庆节 has its own order), but did serve a holiday
    assert tiers[2:] == [["甲03"], ["甲01", "甲02"]]  # 2025 before 2026; one 春节 together: tied


def test_holidays_belong_to_tracks_and_new_year_runs_to_their_year():
    rules = rules_from(OFFICE)
    staff = rules.holiday_rotation[0]
    assert track_of(staff, "中秋节、国庆节") == "国庆节"
    assert track_of(staff, "清明节") == ""  # the shared order of the other holidays
    assert occurrence_of(date(2027, 12, 31), "元旦") == ("元旦", 2028)
    assert occurrence_of(date(2027, 10, 3), "国庆节") == ("国庆节", 2027)


@pytest.mark.parametrize("entry, message", [
    ("{name: x, shifts: [holliday]}", "未知的班次 holliday"),
    ("{name: x, shifts: [holiday], separate: [春结]}", "未知的时段 春结"),
    ("{name: x, shifts: [holiday], per_day: 2}", "per_day 只用于 unit: group"),
    ("{name: x, shifts: [holiday]}\n  - {name: y, shifts: [holiday]}", "已归入轮换“x”"),
])
def test_bad_rotation_entries_are_named_with_their_line(entry, message):
    text = OFFICE.split("holiday_rotation:")[0] + "holiday_rotation:\n  - " + entry + "\nstaff:" + \
        OFFICE.split("staff:")[1]
    with pytest.raises(RulesError) as err:
        rules_from(text)
    rendered = "\n".join(p.render() for p in err.value.problems)
    assert message in rendered
    assert "rules.yaml:" in rendered


def test_a_misspelt_rotation_shift_gets_a_suggestion_in_english():
    text = "locale: en\n" + OFFICE.replace("shifts: [holiday], separate", "shifts: [holliday], separate")
    with pytest.raises(RulesError) as err:
        rules_from(text)
    rendered = "\n".join(p.render() for p in err.value.problems)
    assert "unknown shift holliday" in rendered and "did you mean holiday?" in rendered


# -- three years, month by month -----------------------------------------------------------------

@pytest.fixture(scope="module")
def three_years(tmp_path_factory):
    """Every month with a holiday in 2027–2029, generated with the ledger and published into it."""
    tmp_path = tmp_path_factory.mktemp("years")
    rules_file = write(tmp_path, OFFICE)
    rules = load_rules(rules_file)
    for month in holiday_months(rules, [2027, 2028, 2029]):
        generate_and_publish(rules_file, month, tmp_path)
    return rules_file, rules, served(rules_file)


def test_three_years_holiday_counts_differ_by_at_most_one(three_years):
    _, rules, rows = three_years
    for rotation in rules.holiday_rotation:
        pool = list(units(rotation, rules))
        counts = Counter({name: 0 for name in pool})
        by_track: dict[str, Counter] = defaultdict(lambda: Counter({name: 0 for name in pool}))
        for r in rows:
            if r.shift in rotation.shifts:
                counts[r.person] += 1
                by_track[track_of(rotation, r.period)][r.person] += 1
        assert set(counts) == set(pool)
        assert max(counts.values()) - min(counts.values()) <= 1, (rotation.name, counts)
        for track, per in by_track.items():
            assert max(per.values()) - min(per.values()) <= 1, (rotation.name, track, per)


def test_three_years_nobody_serves_spring_festival_twice(three_years):
    _, rules, rows = three_years
    spring = [r for r in rows if r.shift == "holiday" and "春节" in r.period]
    assert len(spring) * 3 <= 18 * 3  # the pool (18) is at least three times the need of each 春节
    years = defaultdict(set)
    for r in spring:
        years[r.person].add(r.date.year)
    assert len(years) == len(spring)  # every 春节 duty by a different person: nobody twice in three years
    assert {y for ys in years.values() for y in ys} == {2027, 2028, 2029}


def test_three_years_each_holiday_goes_to_whoever_served_its_order_longest_ago(three_years):
    """At every holiday, nobody on duty served that order more recently than anyone left off — across years."""
    _, rules, rows = three_years
    rotation = rules.holiday_rotation[0]
    pool = [p.name for p in rules.staff if not p.roles]
    holidays: dict = defaultdict(list)
    for r in rows:
        if r.shift == "holiday":
            holidays[(track_of(rotation, r.period), occurrence_of(r.date, r.period))].append(r)
    crossed = []
    for (track, occurrence), duty in sorted(holidays.items(), key=lambda kv: min(r.date for r in kv[1])):
        start = min(r.date for r in duty)
        last: dict[str, date] = {}  # when each person last served this order: the first day of that holiday
        for r in rows:
            if r.shift == "holiday" and r.date < start and track_of(rotation, r.period) == track:
                began = min(d.date for d in holidays[(track, occurrence_of(r.date, r.period))])
                last[r.person] = max(last.get(r.person, began), began)
        on_duty = {r.person for r in duty}
        latest_on = max((last.get(n, date.min) for n in on_duty), default=date.min)
        earliest_off = min((last.get(n, date.min) for n in pool if n not in on_duty), default=date.max)
        assert latest_on <= earliest_off, (occurrence, on_duty)
        if occurrence[0] == "元旦" and occurrence[1] > 2027:  # the year boundary
            autumn = {r.person for r in rows if r.shift == "holiday" and r.period == "中秋节"
                      and r.date.year == occurrence[1] - 1}
            assert on_duty and not on_duty & autumn  # the order goes on from 中秋节, it does not restart
            crossed.append(occurrence)
    assert crossed == [("元旦", 2028), ("元旦", 2029)]


def test_three_years_leaders_rotate_at_home_separately(three_years):
    _, rules, rows = three_years
    at_home = [r for r in rows if r.shift == "home"]
    assert at_home and all(r.leader and r.person.startswith("领") for r in at_home)
    assert not any(r.person.startswith("领") for r in rows if r.shift == "holiday")


# -- skipped this time, first in line next time ----------------------------------------------

SIX = """
organization: 六人科室
shifts:
  - {id: holiday, name: 节假日值班, windows: "08:00-08:00", days: [weekend, holiday], periods: [元旦, 清明节, 端午节, 中秋节],
     groups: [科室]}
leaders:
  - {id: home, name: 在家带班, days: [weekend, holiday], periods: [元旦, 清明节, 端午节, 中秋节], people: [领导]}
holiday_rotation:
  - {name: 节假日轮流值班, shifts: [holiday], groups: [科室]}
staff:
  - {name: 张甲, group: 科室, unavailable: [{from: 2027-01-01, to: 2027-01-03, reason: 探亲}]}
  - {name: 李乙, group: 科室}
  - {name: 王丙, group: 科室}
  - {name: 赵丁, group: 科室}
  - {name: 钱戊, group: 科室}
  - {name: 孙己, group: 科室}
  - {name: 领导, group: 领导}
"""
SEED = "日期,姓名,班次\n2026-06-19,张甲,holiday\n2026-06-20,李乙,节假日值班\n2026-06-21,王丙,holiday\n" \
       "2026-09-25,赵丁,holiday\n2026-09-26,钱戊,holiday\n2026-09-27,孙己,holiday\n"


def test_the_unavailable_next_in_line_is_skipped_and_served_first_next_holiday(tmp_path):
    rules_file = write(tmp_path, SIX)
    seed = tmp_path / "past.csv"
    seed.write_text(SEED, encoding="utf-8")
    result = run("rotation-seed", rules_file, seed)
    assert result.exit_code == 0, result.output
    assert "6 条" in result.output and "2 个假期" in result.output
    # 元旦 2027 needs 3: 张甲、李乙、王丙 (端午 2026) are next, but 张甲 is away
    generate_and_publish(rules_file, "2027-01", tmp_path)
    new_year = {r.person for r in served(rules_file) if r.date.year == 2027 and r.shift == "holiday"}
    assert "张甲" not in new_year and {"李乙", "王丙"} <= new_year
    assert len(new_year & {"赵丁", "钱戊", "孙己"}) == 1  # the gap goes to the next in line
    # `check` says in plain words who should have served
    rules = load_rules(rules_file)
    roster = load_roster(tmp_path / "2027-01.json", rules)
    with Ledger(default_path(rules_file)) as ledger:
        problem = attach(Problem(rules, roster.start, roster.end), ledger_turns(ledger))
    report = check_roster(rules, roster, problem)
    skipped = [v for v in report.violations if v.rule_id == "holiday_rotation"]
    assert len(skipped) == 1 and not skipped[0].hard
    assert "按滚动排班，2027年元旦轮到 张甲 值班 1 次，实际 0 次" in skipped[0].message
    assert "上次其他节假日：2026年端午节" in skipped[0].message and "下次排在最前" in skipped[0].message
    # at 清明节 (3 days) 张甲 is first in line, with the two who waited since 中秋节
    generate_and_publish(rules_file, "2027-04", tmp_path)
    qingming = {r.person for r in served(rules_file) if r.date.month == 4 and r.shift == "holiday"}
    assert "张甲" in qingming
    assert qingming - {"张甲"} == {"赵丁", "钱戊", "孙己"} - new_year


def test_serving_out_of_turn_is_reported_with_who_was_due_in_english(tmp_path):
    rules_file = write(tmp_path, "locale: en\n" + SIX)
    seed = tmp_path / "past.csv"
    seed.write_text(SEED, encoding="utf-8")
    assert run("rotation-seed", rules_file, seed).exit_code == 0
    rules = load_rules(rules_file)
    days = [date(2027, 4, 3), date(2027, 4, 4), date(2027, 4, 5)]  # 清明节: 张甲、李乙、王丙 (端午 2026) are due
    roster = Roster(date(2027, 4, 1), date(2027, 4, 30),
                    [Assignment(d, "holiday", n) for d, n in zip(days, ["张甲", "李乙", "赵丁"])]
                    + [Assignment(d, "home", "领导") for d in days])
    with Ledger(default_path(rules_file)) as ledger:
        problem = attach(Problem(rules, roster.start, roster.end), ledger_turns(ledger))
    messages = sorted(v.message for v in check_roster(rules, roster, problem).violations
                      if v.rule_id == "holiday_rotation")
    assert len(messages) == 2, messages
    assert messages[0].startswith("by the holiday rotation 王丙 is due 1 time(s) in Qingming Festival 2027, served 0 "
                                  "(last other holidays: Dragon Boat Festival 2026)")
    assert messages[1].startswith("by the holiday rotation 赵丁 is not yet due in Qingming Festival 2027 "
                                  "(last other holidays: Mid-Autumn Festival 2026): at most 0, served 1; "
                                  "due now: 张甲, 李乙, 王丙")


# -- groups take whole days --------------------------------------------------------------------

GROUPS = """
organization: 四科轮值
shifts:
  - {id: day, name: 白班, windows: "08:00-17:30", days: [weekend, holiday], periods: [国庆节], exclude_groups: [办公室]}
  - {id: night, name: 夜班, windows: "17:30-08:00", days: [weekend, holiday], periods: [国庆节], exclude_groups: [办公室]}
leaders:
  - {id: lead, name: 带班, days: [weekend, holiday], periods: [国庆节], people: [主任]}
holiday_rotation:
  - {name: 各科轮流, shifts: [day, night], unit: group, per_day: 1}
rules:
  limits:
    - {per: period, max: 1, shifts: [day, night]}
staff:
""" + "".join(f"  - {{name: {k}{i}, group: {k}科}}\n" for k in "东南西北" for i in range(1, 5)) + \
    "  - {name: 主任, group: 办公室}\n"


def test_groups_take_whole_days_in_turn_across_years(tmp_path):
    rules_file = write(tmp_path, GROUPS)
    for month in ("2027-10", "2028-09", "2028-10"):  # 国庆节 2028 starts on 09-30: it spans two months
        generate_and_publish(rules_file, month, tmp_path)
    rows = [r for r in served(rules_file) if r.shift in ("day", "night")]
    group_days = defaultdict(set)
    for r in rows:
        group_days[r.date].add(r.group)
    assert all(len(groups) == 1 for groups in group_days.values()), group_days
    by_year = {y: Counter(next(iter(g)) for d, g in group_days.items() if occurrence_of(d, "国庆节")[1] == y)
               for y in (2027, 2028)}
    assert sum(by_year[2027].values()) == sum(by_year[2028].values()) == 5  # 2028: 09-30 and 10-01..04
    assert len(by_year[2027]) == len(by_year[2028]) == 4  # all four groups each year
    twice = next(g for g, n in by_year[2027].items() if n == 2)
    assert by_year[2028][twice] == 1  # who did two days in 2027 is last in line in 2028: one day only
    overall = by_year[2027] + by_year[2028]
    assert max(overall.values()) - min(overall.values()) <= 1, overall


# -- the year's holiday plan ---------------------------------------------------------------------

def test_holiday_plan_for_2027_prints_like_the_monthly_roster_and_generate_keeps_it(tmp_path):
    rules_file = write(tmp_path, OFFICE)
    plan = tmp_path / "plan-2027.xlsx"
    result = run("plan-holidays", rules_file, "--year", 2027, "-o", plan, "--time-limit", 3)
    assert result.exit_code == 0, result.output
    assert "2027年春节：" in result.output and "2027年国庆节：" in result.output
    from openpyxl import load_workbook
    book = load_workbook(plan)
    sheet = book["值班表"]
    assert sheet["A1"].value == "测试办公厅2027年节假日值班表"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) and int(sheet.page_setup.fitToWidth) == 1
    rules = load_rules(rules_file)
    planned = load_roster(plan, rules)
    holiday_days = [d.date for d in DutyCalendar(rules).days(date(2027, 1, 1), date(2027, 12, 31)) if d.period]
    assert sorted({a.date for a in planned.assignments}) == holiday_days  # every holiday day, nothing else
    spring = [a.person for a in planned.assignments if a.shift == "holiday" and a.date.month == 2]
    assert len(spring) == len(set(spring))
    # the approved plan is edited by hand: 丙06 takes 10-02 instead; generate keeps the edited plan
    oct_2 = next(a.person for a in planned.assignments if a.date == date(2027, 10, 2) and a.shift == "holiday")
    substitute = next(n for n in ("丙06", "丙05") if n != oct_2)
    for row in sheet.iter_rows(min_row=3):
        if row[0].value is not None and getattr(row[0].value, "date", lambda: None)() == date(2027, 10, 2):
            for cell in row[3:]:
                if cell.value and str(cell.value).startswith(oct_2):
                    cell.value = substitute
    book.save(plan)
    out = tmp_path / "2027-10.json"
    result = run("generate", rules_file, "--month", "2027-10", "--plan", plan, "-o", out, "--time-limit", 5)
    assert result.exit_code == 0, result.output
    assert "按节假日计划" in result.output
    month = load_roster(out, rules)
    edited = load_roster(plan, rules)
    assert {a for a in month.assignments} == {a for a in edited.assignments if a.date.month == 10}
    assert any(a.person == substitute and a.date == date(2027, 10, 2) for a in month.assignments)


def test_a_monthly_roster_is_not_a_holiday_plan(tmp_path):
    rules_file = write(tmp_path, SIX)
    from rostering.io import save_roster
    not_a_plan = save_roster(tmp_path / "april.json", Roster(date(2027, 4, 1), date(2027, 4, 30), [
        Assignment(date(2027, 4, 3), "holiday", "张甲"), Assignment(date(2027, 4, 6), "holiday", "李乙")]),
        load_rules(rules_file))
    result = run("generate", rules_file, "--month", "2027-05", "--plan", not_a_plan, "-o", tmp_path / "may.json")
    assert result.exit_code == 2
    assert "不是节假日值班计划" in result.output


def test_plan_output_must_be_excel(tmp_path):
    rules_file = write(tmp_path, OFFICE)
    result = run("plan-holidays", rules_file, "--year", 2027, "-o", tmp_path / "plan.json")
    assert result.exit_code == 2 and "只能输出 .xlsx" in result.output


# -- seeding and stats --------------------------------------------------------------------------

def test_seed_rows_are_checked_before_anything_is_written(tmp_path):
    rules_file = write(tmp_path, SIX)
    bad = tmp_path / "bad.csv"
    for text, message in (("日期,姓名\n2026-06-19,张甲\n2026-06-20,李已\n", "第 3 行：未知的人员 李已 是否想写 李乙？"),
                          ("日期,姓名\n2026-06-24,张甲\n", "2026-06-24 不在节假日期间"),
                          ("日期,姓名\n06/19/2026,张甲\n", "应写成 2025-10-01"),
                          ("date;person\n", "需要“日期”和“姓名”两列")):
        bad.write_text(text, encoding="utf-8")
        result = run("rotation-seed", rules_file, bad)
        assert result.exit_code == 2, result.output
        assert message in result.output
    assert not default_path(rules_file).exists() or not served(rules_file)


def test_seeding_twice_needs_replace(tmp_path):
    rules_file = write(tmp_path, SIX)
    seed = tmp_path / "past.csv"
    seed.write_text(SEED, encoding="utf-8")
    assert run("rotation-seed", rules_file, seed).exit_code == 0
    again = run("rotation-seed", rules_file, seed)
    assert again.exit_code == 2 and "--replace" in again.output
    assert run("rotation-seed", rules_file, seed, "--replace").exit_code == 0
    assert len(served(rules_file)) == 6


def test_stats_show_when_each_person_last_served_each_order(tmp_path):
    rules_file = write(tmp_path, SIX)
    seed = tmp_path / "past.csv"
    seed.write_text(SEED + "2025-01-01,张甲,holiday\n", encoding="utf-8")
    assert run("rotation-seed", rules_file, seed).exit_code == 0
    result = run("stats", rules_file, "--year", 2026, "--format", "json")
    assert result.exit_code == 0, result.output
    people = {row["person"]: row for row in json.loads(result.output)["people"]}
    assert people["张甲"]["last_served"] == {"其他节假日": "2026-06-19"}
    table = run("stats", rules_file, "--year", 2026)
    assert "上次其他节假日" in table.output and "2026-09-27" in table.output


def test_a_holiday_plan_is_checked_on_its_holiday_days_only(tmp_path):
    from rostering.checking import check_roster
    from rostering.io import load_roster, save_roster
    from rostering.loading import load_rules
    from rostering.roster import HOLIDAY_PLAN, Roster
    from conftest import REPO
    rules = load_rules(REPO / "examples" / "duty-room.yaml")
    plan = Roster(date(2027, 10, 1), date(2027, 10, 7), [], {"kind": HOLIDAY_PLAN})
    saved = load_roster(save_roster(tmp_path / "plan.xlsx", plan, rules), rules)
    assert saved.is_holiday_plan
    report = check_roster(rules, saved)
    assert report.hard and {v.date for v in report.hard} <= {date(2027, 10, d) for d in range(1, 8)}
    plain = check_roster(rules, Roster(date(2027, 9, 28), date(2027, 10, 7), []))
    assert any(v.date == date(2027, 9, 28) for v in plain.hard)
