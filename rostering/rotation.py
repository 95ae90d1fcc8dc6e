"""滚动排班 state: who served each tracked holiday, and so who is next in line.

The state is not stored anywhere of its own: it is read from the duty ledger (what was
actually served, after covers and swaps), so it continues across months and years by
itself. An office that starts using the tool seeds the ledger from a CSV of past years.

A *track* is one order of its own: each holiday named in a rotation's `separate` (春节,
国庆节) keeps its own; all other holidays share one. An *occurrence* is one holiday run
(2027年春节). First in line is the unit that served the track longest ago — never first;
among equals, the one that served fewer times before. Units that served in the same
occurrence with the same past stay tied, and the solver picks among them by fairness.
Whoever is in line but cannot come keeps the oldest record and so is first next time.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable

from .calendar import period_label
from .errors import RosterFileError
from .i18n import did_you_mean, t
from .problem import Problem, may_take
from .roster import Roster
from .rules import HolidayRotation, Person, RosterRules

OTHERS = ""  # the track shared by the holidays without an order of their own
EARLIEST = date(1, 1, 1)


@dataclass(frozen=True)
class Turn:
    """One served holiday duty, as the ledger keeps it."""

    date: date
    shift: str
    person: str
    group: str
    period: str


Occurrence = tuple[str, int]  # (holiday period, the year the holiday belongs to)


def period_parts(period: str) -> set[str]:
    """'中秋节、国庆节' -> {'中秋节', '国庆节', '中秋节、国庆节'}."""
    return {period} | {p.strip() for p in re.split(r"[、;；,，]", period) if p.strip()}


def track_of(rotation: HolidayRotation, period: str) -> str:
    """The order a holiday belongs to: the first of `separate` it contains, else the shared one."""
    parts = period_parts(period)
    return next((name for name in rotation.separate if name in parts), OTHERS)


def occurrence_of(day: date, period: str) -> Occurrence:
    """The holiday run a date belongs to; late-December days of a 元旦 run count to the next year."""
    year = day.year + 1 if day.month == 12 and "元旦" in period_parts(period) else day.year
    return (period, year)


def occurrence_label(occurrence: Occurrence, locale: str) -> str:
    period, year = occurrence
    return t("xl_span_period", locale, year=year, period=period_label(period, locale))


def track_label(track: str, locale: str) -> str:
    return period_label(track, locale) if track else t("rotation_others", locale)


def tracks(rotation: HolidayRotation) -> list[str]:
    return list(rotation.separate) + [OTHERS]


# -- who rotates ---------------------------------------------------------------------------
def in_pool(rotation: HolidayRotation, person: Person) -> bool:
    """The rotation's own filter (groups/roles/people); none given means everyone."""
    if person.name in rotation.people:
        return True
    if not (rotation.groups or rotation.roles):
        return not rotation.people
    group_ok = not rotation.groups or person.group in rotation.groups
    role_ok = not rotation.roles or any(r in rotation.roles for r in person.roles)
    return group_ok and role_ok


def units(rotation: HolidayRotation, rules: RosterRules) -> dict[str, tuple[str, ...]]:
    """Rotating units in staff-list order -> their members: each person, or each group with its people."""
    shifts = [s for s in rules.all_shifts if s.id in rotation.shifts]
    members = [p for p in rules.staff if in_pool(rotation, p) and any(may_take(p, s) for s in shifts)]
    if rotation.unit == "person":
        return {p.name: (p.name,) for p in members}
    out: dict[str, list[str]] = {}
    for p in members:
        out.setdefault(p.group or p.name, []).append(p.name)
    return {g: tuple(names) for g, names in out.items()}


def unit_index(rotation: HolidayRotation, rules: RosterRules) -> dict[str, str]:
    """person -> the unit they rotate in."""
    return {name: unit for unit, names in units(rotation, rules).items() for name in names}


# -- the order -----------------------------------------------------------------------------
def service_record(rotation: HolidayRotation, rules: RosterRules, track: str,
                   history: Iterable[Turn]) -> dict[str, list[tuple[Occurrence, date]]]:
    """Per unit, its turns in the track: (occurrence, first date of that occurrence), one per turn.

    A person's turn is one duty; a group's turn is one day on which any of its people served."""
    of_unit = unit_index(rotation, rules)
    first: dict[Occurrence, date] = {}
    turns: dict[str, set] = defaultdict(set)
    for turn in history:
        if turn.shift not in rotation.shifts or not turn.period or track_of(rotation, turn.period) != track:
            continue
        unit = of_unit.get(turn.person)
        if unit is None:
            continue
        occ = occurrence_of(turn.date, turn.period)
        first[occ] = min(first.get(occ, turn.date), turn.date)
        turns[unit].add((occ, turn.date) if rotation.unit == "group" else (occ, turn.date, turn.shift, turn.person))
    return {unit: sorted(((item[0], first[item[0]]) for item in items), key=lambda x: x[1], reverse=True)
            for unit, items in turns.items()}


def line(rotation: HolidayRotation, rules: RosterRules, track: str, history: Iterable[Turn]) -> list[list[str]]:
    """The order of the track as tiers of units, first in line first; units in one tier are tied.

    Sorted by the dates of their turns, most recent first: never served comes first, then
    whoever served longest ago; when the latest turns tie, the earlier ones decide, and then
    fewer turns in the rotation's other tracks (so the holidays add up evenly too)."""
    history = list(history)
    record = service_record(rotation, rules, track, history)
    others = {u: sum(len(service_record(rotation, rules, other, history).get(u, []))
                     for other in tracks(rotation) if other != track) for u in units(rotation, rules)}
    keyed = [(tuple(d.toordinal() for _, d in record.get(u, [])) + (-1, others[u]), u)
             for u in units(rotation, rules)]
    order = sorted(range(len(keyed)), key=lambda i: (keyed[i][0], i))
    tiers: list[list[str]] = []
    last_key = None
    for i in order:
        key, unit = keyed[i]
        if tiers and key == last_key:
            tiers[-1].append(unit)
        else:
            tiers.append([unit])
        last_key = key
    return tiers


def last_served(rotation: HolidayRotation, rules: RosterRules, track: str,
                history: Iterable[Turn]) -> dict[str, Occurrence]:
    """unit -> the latest occurrence of the track it served in."""
    return {unit: turns[0][0] for unit, turns in service_record(rotation, rules, track, history).items() if turns}


def last_dates(rules: RosterRules, history: Iterable[Turn]) -> dict[str, dict[str, date]]:
    """person -> {track: last date served}, over every rotation of the rules (for `roster stats`)."""
    out: dict[str, dict[str, date]] = defaultdict(dict)
    history = list(history)
    for rotation in rules.holiday_rotation:
        for turn in history:
            if turn.shift in rotation.shifts and turn.period:
                track = track_of(rotation, turn.period)
                seen = out[turn.person].get(track)
                if seen is None or turn.date > seen:
                    out[turn.person][track] = turn.date
    return dict(out)


def add_last_served(rows: list[dict], rules: RosterRules, history: Iterable[Turn], until: date) -> None:
    """Give each `roster stats` row `last_served`: {track label: date of the last turn up to `until`}."""
    last = last_dates(rules, [turn for turn in history if turn.date <= until])
    order = list(dict.fromkeys(track for rotation in rules.holiday_rotation for track in tracks(rotation)))
    for row in rows:
        mine = last.get(row["person"], {})
        row["last_served"] = {track_label(track, rules.locale): mine[track].isoformat()
                              for track in order if track in mine}


# -- the state a problem is solved or checked against -------------------------------------
def attach(problem: Problem, history: Iterable[Turn] = (), plan: Roster | None = None) -> Problem:
    """Give a problem its rotation history (and an approved holiday plan to keep); returns it."""
    problem.holiday_history = tuple(history)
    problem.holiday_plan = plan
    return problem


def history_of(problem: Problem) -> tuple[Turn, ...]:
    return problem.holiday_history


def plan_of(problem: Problem) -> Roster | None:
    return problem.holiday_plan


def ledger_turns(ledger) -> list[Turn]:
    """Every holiday duty of the ledger's current versions, after covers and swaps."""
    return [Turn(r.date, r.shift, r.person, r.group, r.period) for r in ledger.served(EARLIEST, date.max)
            if r.period]


def roster_turns(roster: Roster, problem: Problem) -> list[Turn]:
    """The holiday duties of a roster, as turns (to carry a plan's earlier holidays into later ones)."""
    group = {p.name: p.group for p in problem.people}
    out = []
    for a in roster.assignments:
        day = problem.day_of.get(a.date)
        if day is not None and day.period:
            out.append(Turn(a.date, a.shift, a.person, group.get(a.person, ""), day.period))
    return out


# -- seeding the ledger from past years ----------------------------------------------------
SEED_COLUMNS = {
    "date": ("date", "日期"),
    "person": ("person", "name", "姓名", "人员"),
    "shift": ("shift", "班次"),
}


def read_seed(path: Path, rules: RosterRules) -> Roster:
    """Past holiday duties from a CSV (日期, 姓名[, 班次]) as a roster, every row checked.

    Without a 班次 column, each person's duty is the first shift of the rotation they are in
    that runs on the date."""
    import csv
    import io
    from .io.text import read_user_text
    loc = rules.locale
    text = read_user_text(path, loc)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise RosterFileError(t("csv_not_text", loc, path=path, detail=exc))
    if not rows:
        raise RosterFileError(t("seed_columns", loc, path=path))
    header = [c.strip().lower() for c in rows[0]]
    col = {key: next((i for i, c in enumerate(header) if c in names), None) for key, names in SEED_COLUMNS.items()}
    if col["date"] is None or col["person"] is None:
        raise RosterFileError(t("seed_columns", loc, path=path))
    from .problem import runs_on
    from .calendar import DutyCalendar
    known = {p.name: p for p in rules.staff}
    shifts = {s.id: s for s in rules.all_shifts} | {s.display: s for s in rules.all_shifts}
    parsed = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cell = lambda key: row[col[key]].strip() if col[key] is not None and col[key] < len(row) else ""  # noqa: E731
        try:
            day = date.fromisoformat(cell("date").replace("/", "-"))
        except ValueError:
            raise RosterFileError(t("csv_bad_row", loc, path=path, line=line_no,
                                    detail=t("seed_bad_date", loc, value=cell("date"))))
        name = cell("person")
        if name not in known:
            hint = did_you_mean(name, known, loc)
            raise RosterFileError(t("csv_bad_row", loc, path=path, line=line_no,
                                    detail=t("unknown_person", loc, name=name) + (" " + hint if hint else "")))
        parsed.append((line_no, day, name, cell("shift")))
    if not parsed:
        raise RosterFileError(t("seed_empty", loc, path=path))
    days = {d.date: d for d in DutyCalendar(rules).days(min(p[1] for p in parsed), max(p[1] for p in parsed))}
    from .roster import Assignment
    items = []
    for line_no, day, name, shift_text in parsed:
        info = days[day]
        if not info.period:
            raise RosterFileError(t("csv_bad_row", loc, path=path, line=line_no,
                                    detail=t("seed_not_holiday", loc, date=day.isoformat())))
        if shift_text:
            shift = shifts.get(shift_text)
            if shift is None:
                raise RosterFileError(t("csv_bad_row", loc, path=path, line=line_no,
                                        detail=t("unknown_shift", loc, name=shift_text)))
        else:
            governed = [s for r in rules.holiday_rotation if in_pool(r, known[name])
                        for s in rules.all_shifts if s.id in r.shifts and may_take(known[name], s)
                        and runs_on(s, info)]
            if not governed:
                raise RosterFileError(t("csv_bad_row", loc, path=path, line=line_no,
                                        detail=t("seed_no_shift", loc, person=name, date=day.isoformat())))
            shift = governed[0]
        items.append(Assignment(day, shift.id, name))
    return Roster(min(a.date for a in items), max(a.date for a in items), items, {"source": str(path)})


def split_by_occurrence(roster: Roster, rules: RosterRules) -> list[Roster]:
    """One roster per holiday run of `roster`, spanning the whole run, so each can be published alone."""
    from .calendar import DutyCalendar
    margin = timedelta(days=16)  # longer than any holiday run, so runs at the edges are whole
    calendar_days = DutyCalendar(rules).days(roster.start - margin, roster.end + margin)
    runs: dict[Occurrence, list[date]] = {}
    for d in calendar_days:
        if d.period:
            runs.setdefault(occurrence_of(d.date, d.period), []).append(d.date)
    of_date = {day: occ for occ, days in runs.items() for day in days}
    parts: dict[Occurrence, list] = defaultdict(list)
    for a in roster.assignments:
        parts[of_date[a.date]].append(a)
    return [Roster(min(runs[occ]), max(runs[occ]), items, dict(roster.meta))
            for occ, items in sorted(parts.items(), key=lambda kv: min(runs[kv[0]]))]
