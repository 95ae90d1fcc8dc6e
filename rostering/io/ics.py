"""iCalendar export: duty shifts as events people import into their phone calendars.

Events carry real start and end times in the rules' time zone (a night shift ends the next
morning; split windows give one event per window); leader-on-duty days are all-day events.
UIDs hash organization, date, shift and person, so importing a revised roster updates events
instead of duplicating them.
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from icalendar import Calendar, Event

from ..errors import RosterFileError
from ..i18n import join_names, t
from ..problem import Problem
from ..roster import Roster
from ..rules import RosterRules
from .csv_io import assignment_slot, time_zone, zoned
from .excel import labelled
from .safe import write_atomically

_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')


def event_uid(organization: str, day, shift: str, person: str, part: int = 0) -> str:
    """Stable across runs: the same duty gets the same UID, so a re-import updates it."""
    key = f"{organization}|{day.isoformat()}|{shift}|{person}" + (f"|{part}" if part else "")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@roster"


def build_calendar(roster: Roster, rules: RosterRules, person: str | None = None) -> Calendar:
    """All assignments, or only `person`'s."""
    loc = rules.locale
    problem = Problem.for_roster(rules, roster)
    zone = time_zone(rules)
    by_slot = roster.by_slot()
    leaders_on: dict = {}  # date -> [(person, "带班领导：王领导")]
    for a in roster.assignments:
        shift = problem.shift_by_id.get(a.shift)
        if shift and shift.leader:
            leaders_on.setdefault(a.date, []).append((a.person, labelled(shift.display, [a.person], loc)))
    cal = Calendar()
    cal.add("prodid", "-//roster//duty roster//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", t("ics_calendar_name", loc, org=rules.organization) + (f" · {person}" if person else ""))
    cal.add("x-wr-timezone", rules.timezone)
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for a in roster.assignments:
        if person is not None and a.person != person:
            continue
        slot = assignment_slot(problem, a)
        if slot is None:
            continue
        shift = slot.shift
        notes = [rules.organization]
        others = [n for n in by_slot.get((a.date, a.shift), []) if n != a.person]
        if others:
            notes.append(t("ics_with", loc, names=join_names(others, loc)))
        if not shift.leader:
            notes += [label for name, label in leaders_on.get(a.date, []) if name != a.person]
        if rules.duty_phone:
            notes.append(t("ics_phone", loc, phone=rules.duty_phone))
        if shift.leader:
            spans = [(a.date, a.date + timedelta(days=1))]
        else:
            spans = [(zoned(begin, zone), zoned(end, zone)) for begin, end in slot.intervals()]
        for part, (begin, end) in enumerate(spans):
            event = Event()
            event.add("uid", event_uid(rules.organization, a.date, a.shift, a.person, part))
            event.add("dtstamp", stamp)
            event.add("dtstart", begin)
            event.add("dtend", end)
            event.add("summary", t("ics_summary", loc, shift=shift.display, person=a.person))
            event.add("description", "\n".join(notes))
            event.add("categories", ["leader" if shift.leader else "duty"])
            event.add("transp", "OPAQUE")
            cal.add_component(event)
    cal.add_missing_timezones(first_date=roster.start - timedelta(days=1), last_date=roster.end + timedelta(days=2))
    return cal


def write_ics(path: Path, roster: Roster, rules: RosterRules) -> None:
    path.write_bytes(build_calendar(roster, rules).to_ical())


def person_path(path: Path, person: str) -> Path:
    """roster.ics -> roster-张三.ics, with characters no file system likes replaced."""
    safe = _UNSAFE_IN_FILENAME.sub("_", person).lstrip(".") or "_"
    return path.with_name(f"{path.stem}-{safe}{path.suffix}")


def save_per_person(path: str | Path, roster: Roster, rules: RosterRules, force: bool = False) -> list[Path]:
    """One calendar file per person; every file written atomically, none written if any would be refused."""
    path = Path(path)
    calendars = {person_path(path, name): build_calendar(roster, rules, name) for name in roster.people}
    existing = [str(target) for target in calendars if target.exists()]
    if existing and not force:  # refuse before writing anything, so no half set is left behind
        raise RosterFileError(t("exists", rules.locale, path=", ".join(existing)))
    written = []
    for target, cal in calendars.items():
        data = cal.to_ical()
        written.append(write_atomically(target, lambda tmp, data=data: tmp.write_bytes(data), force=force,
                                        locale=rules.locale))
    return written
