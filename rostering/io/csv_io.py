"""CSV roster: one row per assignment, for the duty-pay clerk's spreadsheet; reads back to a Roster.

Times are ISO 8601 with the rules' time zone (+08:00): a night shift ends the next morning; a
shift with split windows runs from the start of the first window to the end of the last.
Text that would start with = + - @ gets a leading apostrophe so a spreadsheet never runs it as a
formula; reading strips it again.
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..errors import RosterFileError
from ..i18n import t
from ..problem import Problem, Slot
from ..roster import Assignment, Roster
from ..rules import RosterRules
from .excel import weekday_label
from .text import read_user_text

FIELDS = ["date", "weekday", "day_kind", "holiday", "shift", "shift_name", "start", "end", "person", "group", "role"]
REQUIRED = ("date", "shift", "person")
FORMULA_START = ("=", "+", "-", "@")


def time_zone(rules: RosterRules) -> ZoneInfo:
    return ZoneInfo(rules.timezone)  # a known zone: rules.py checks it when the rules file is read


def assignment_slot(problem: Problem, item: Assignment) -> Slot | None:
    """The slot an assignment fills; for a hand-edited one on a day the shift does not run, its would-be slot."""
    slot = problem.slot_at.get((item.date, item.shift))
    if slot is not None:
        return slot
    day, shift = problem.day_of.get(item.date), problem.shift_by_id.get(item.shift)
    if day is None or shift is None:
        return None
    return Slot(day, shift, 0, shift.windows_for(day.season))


def zoned(moment: datetime, zone: ZoneInfo) -> datetime:
    """Wall-clock time in the duty room's zone."""
    return moment.replace(tzinfo=zone)


def guard(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def unguard(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def csv_rows(roster: Roster, rules: RosterRules) -> list[dict]:
    problem = Problem.for_roster(rules, roster)
    zone = time_zone(rules)
    groups = {p.name: p.group for p in rules.staff}
    rows = []
    for item in roster.assignments:
        slot = assignment_slot(problem, item)
        shift = problem.shift_by_id.get(item.shift)
        day = problem.day_of.get(item.date)
        rows.append({
            "date": item.date.isoformat(),
            "weekday": weekday_label(item.date, rules.locale),
            "day_kind": day.kind if day else "",
            "holiday": guard(day.period_label(rules.locale) or "") if day else "",
            "shift": guard(item.shift),
            "shift_name": guard(shift.display if shift else item.shift),
            "start": zoned(slot.begins, zone).isoformat() if slot else "",
            "end": zoned(slot.ends, zone).isoformat() if slot else "",
            "person": guard(item.person),
            "group": guard(groups.get(item.person, "")),
            "role": "leader" if shift and shift.leader else "duty",
        })
    return rows


def write_csv(path: Path, roster: Roster, rules: RosterRules) -> None:
    """UTF-8 with a byte-order mark, so Excel and WPS show the Chinese text correctly."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(csv_rows(roster, rules))


def read_csv(path: Path, rules: RosterRules | None = None) -> Roster:
    """date, shift (id or name) and person per row; the period is the first to the last date."""
    loc = rules.locale if rules else "zh"
    text = read_user_text(path, loc)
    try:
        with io.StringIO(text, newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None:
                raise RosterFileError(t("file_empty", loc, path=path))
            columns = [c.strip() for c in reader.fieldnames]
            missing = [c for c in REQUIRED if c not in columns]
            if missing:
                raise RosterFileError(t("csv_missing_columns", loc, path=path, columns=", ".join(missing)))
            records = [(reader.line_num, {(k or "").strip(): (v or "").strip() for k, v in row.items()
                                          if k is not None})  # cells beyond the header (trailing commas) ignored
                       for row in reader]
    except csv.Error as exc:
        raise RosterFileError(t("csv_not_text", loc, path=path, detail=exc))
    by_name = {s.display: s.id for s in rules.all_shifts} if rules else {}
    by_id = {s.id for s in rules.all_shifts} if rules else set()
    items = []
    for line, row in records:
        if not any(row.values()):
            continue
        try:
            day = date.fromisoformat(row["date"])
        except ValueError:
            raise RosterFileError(t("csv_bad_row", loc, path=path, line=line,
                                    detail=t("seed_bad_date", loc, value=row["date"])))
        shift, person = unguard(row["shift"]), unguard(row["person"])
        if not shift or not person:
            raise RosterFileError(t("csv_bad_row", loc, path=path, line=line, detail=t("csv_missing_cells", loc)))
        items.append(Assignment(day, shift if shift in by_id else by_name.get(shift, shift), person))
    if not items:
        raise RosterFileError(t("seed_empty", loc, path=path))
    dates = [a.date for a in items]
    return Roster(min(dates), max(dates), items)
