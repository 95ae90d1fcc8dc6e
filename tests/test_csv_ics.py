"""CSV and ICS exports: real times with the time zone, night shifts ending next morning, stable UIDs."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import icalendar
import pandas as pd
import pytest

from conftest import rules_from
from rostering.errors import RosterFileError
from rostering.io import load_roster, save_roster, save_roster_files
from rostering.roster import Assignment, Roster

RULES = """
organization: 某街道办事处
duty_phone: "0771-5550100"
calendar:
  seasons: [{name: 冬季, from: "10-01", to: "04-30"}, {name: 夏季, from: "05-01", to: "09-30"}]
shifts:
  - {id: night, name: 夜班, windows: "20:30-08:30", days: [workday]}
  - id: split
    name: 值班
    windows: {冬季: ["08:30-12:00", "13:30-17:00"], 夏季: ["08:30-12:00", "13:30-17:30"]}
    days: [weekend, holiday]
leaders:
  - {id: lead, roles: [leader]}
staff:
  - {name: 张三, group: 综合科}
  - {name: "=李四", group: 秘书科}
  - {name: 王领导, group: 领导, roles: [leader]}
"""
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def rules():
    return rules_from(RULES)


@pytest.fixture
def roster():
    tue, sat = date(2026, 12, 1), date(2026, 12, 5)
    return Roster(tue, sat, [Assignment(tue, "night", "张三"), Assignment(tue, "lead", "王领导"),
                             Assignment(sat, "split", "=李四"), Assignment(sat, "split", "张三"),
                             Assignment(sat, "lead", "王领导")])


def test_csv_parses_with_pandas_and_night_ends_next_morning(tmp_path, rules, roster):
    path = save_roster(tmp_path / "r.csv", roster, rules)
    df = pd.read_csv(path, encoding="utf-8-sig")
    assert list(df.columns) == ["date", "weekday", "day_kind", "holiday", "shift", "shift_name", "start", "end",
                                "person", "group", "role"]
    night = df[df["shift"] == "night"].iloc[0]
    assert night["weekday"] == "星期二" and night["day_kind"] == "workday" and night["role"] == "duty"
    assert datetime.fromisoformat(night["start"]) == datetime(2026, 12, 1, 20, 30, tzinfo=SHANGHAI)
    assert datetime.fromisoformat(night["end"]) == datetime(2026, 12, 2, 8, 30, tzinfo=SHANGHAI)
    assert night["end"].endswith("+08:00")
    split = df[(df["shift"] == "split") & (df["person"] == "张三")].iloc[0]
    assert (split["start"], split["end"]) == ("2026-12-05T08:30:00+08:00", "2026-12-05T17:00:00+08:00")
    assert set(df[df["role"] == "leader"]["person"]) == {"王领导"}
    assert "'=李四" in set(df["person"])  # a spreadsheet shows it as text, never runs it


def test_csv_reads_back(tmp_path, rules, roster):
    path = save_roster(tmp_path / "r.csv", roster, rules)
    assert load_roster(path, rules) == roster


def test_csv_accepts_shift_names_and_reports_bad_rows(tmp_path, rules):
    path = tmp_path / "hand.csv"
    path.write_text("date,shift,person\n2026-12-01,夜班,张三\n", encoding="utf-8")
    assert load_roster(path, rules).assignments == [Assignment(date(2026, 12, 1), "night", "张三")]
    path.write_text("date,shift,person\n2026-12-01,夜班,张三\n12/02,夜班,张三\n", encoding="utf-8")
    with pytest.raises(RosterFileError, match="第 3 行"):
        load_roster(path, rules)
    path.write_text("date,who\n2026-12-01,张三\n", encoding="utf-8")
    with pytest.raises(RosterFileError, match="缺少列 shift, person"):
        load_roster(path, rules)
    path.write_bytes("date,shift,person\n2026-12-01,夜班,张三\n".encode("gbk"))  # saved by Excel/WPS in China
    assert load_roster(path, rules).assignments == [Assignment(date(2026, 12, 1), "night", "张三")]
    path.write_bytes(b"date,shift,person\n\xff\xfe\x81\n")
    with pytest.raises(RosterFileError, match="UTF-8"):
        load_roster(path, rules)


def events(path) -> list:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return [c for c in cal.walk("VEVENT")]


def test_ics_has_real_times_in_shanghai(tmp_path, rules, roster):
    path = save_roster(tmp_path / "r.ics", roster, rules)
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    found = events(path)
    night = next(e for e in found if str(e["SUMMARY"]) == "夜班：张三")
    start, end = night.decoded("DTSTART"), night.decoded("DTEND")
    assert start == datetime(2026, 12, 1, 20, 30, tzinfo=SHANGHAI) and str(start.tzinfo) == "Asia/Shanghai"
    assert end == datetime(2026, 12, 2, 8, 30, tzinfo=SHANGHAI)  # the next morning
    split = sorted((e.decoded("DTSTART"), e.decoded("DTEND")) for e in found if str(e["SUMMARY"]) == "值班：张三")
    assert [(a.hour, a.minute, b.hour, b.minute) for a, b in split] == [(8, 30, 12, 0), (13, 30, 17, 0)]
    leader = next(e for e in found if str(e["SUMMARY"]) == "带班领导：王领导" and e.decoded("DTSTART") == date(2026, 12, 1))
    assert leader.decoded("DTEND") == date(2026, 12, 2)  # an all-day event
    assert "带班领导：王领导" in str(night["DESCRIPTION"]) and "0771-5550100" in str(night["DESCRIPTION"])
    assert len(found) == 7  # night, two leader days, two people × two windows


def test_ics_uids_are_stable_and_distinct(tmp_path, rules, roster):
    first = {str(e["SUMMARY"]) + str(e.decoded("DTSTART")): str(e["UID"])
             for e in events(save_roster(tmp_path / "a.ics", roster, rules))}
    moved = roster.changed(remove=[Assignment(date(2026, 12, 1), "night", "张三")],
                           add=[Assignment(date(2026, 12, 2), "night", "张三")])
    second = {str(e["SUMMARY"]) + str(e.decoded("DTSTART")): str(e["UID"])
              for e in events(save_roster(tmp_path / "b.ics", moved, rules))}
    assert len(set(first.values())) == len(first)
    kept = set(first) & set(second)
    assert len(kept) == len(first) - 1 and all(first[k] == second[k] for k in kept)


def test_ics_per_person_files(tmp_path, rules, roster):
    paths = save_roster_files(tmp_path / "duty.ics", roster, rules, per_person=True)
    assert sorted(p.name for p in paths) == ["duty-=李四.ics", "duty-张三.ics", "duty-王领导.ics"]
    zhang = events(tmp_path / "duty-张三.ics")
    assert {str(e["SUMMARY"]) for e in zhang} == {"夜班：张三", "值班：张三"}
    (tmp_path / "duty-张三.ics").write_text("mine")
    (tmp_path / "duty-王领导.ics").unlink()
    with pytest.raises(RosterFileError, match="duty-张三.ics 已存在"):
        save_roster_files(tmp_path / "duty.ics", roster, rules, per_person=True)
    assert not (tmp_path / "duty-王领导.ics").exists()  # refused before writing any
    save_roster_files(tmp_path / "duty.ics", roster, rules, per_person=True, force=True)
    assert len(events(tmp_path / "duty-张三.ics")) == 3
