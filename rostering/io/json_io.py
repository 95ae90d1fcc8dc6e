"""JSON roster: {"period": {...}, "assignments": [{"date", "shift", "person", "leader", ...}]}."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ..errors import RosterFileError
from ..i18n import t
from ..roster import Assignment, Roster
from ..rules import RosterRules
from .text import read_user_text


def roster_to_dict(roster: Roster, rules: RosterRules) -> dict:
    shifts = {s.id: s for s in rules.all_shifts}
    people = {p.name: p for p in rules.staff}
    rows = []
    for a in roster.assignments:
        shift = shifts.get(a.shift)
        person = people.get(a.person)
        rows.append({"date": a.date.isoformat(), "shift": a.shift, "shift_name": shift.display if shift else a.shift,
                     "person": a.person, "group": person.group if person else "",
                     "leader": bool(shift and shift.leader)})
    return {"organization": rules.organization,
            "period": {"from": roster.start.isoformat(), "to": roster.end.isoformat()},
            "meta": {k: v for k, v in roster.meta.items() if isinstance(v, (str, int, float, bool))},
            "assignments": rows}


def write_json(path: Path, roster: Roster, rules: RosterRules) -> None:
    path.write_text(json.dumps(roster_to_dict(roster, rules), ensure_ascii=False, indent=2), encoding="utf-8")


def roster_from_dict(data: dict, source: str, rules: RosterRules | None = None) -> Roster:
    """Read the JSON shape back; shift may be given by id or display name. Bad entries are named by number."""
    loc = rules.locale if rules else "zh"
    rows = data.get("assignments") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise RosterFileError(t("json_not_roster", loc, path=source))
    names = {s.display: s.id for s in rules.all_shifts} if rules else {}
    items = []
    for n, r in enumerate(rows, start=1):
        try:
            items.append(Assignment(date.fromisoformat(r["date"]), names.get(r["shift"], r["shift"]), str(r["person"])))
        except (KeyError, TypeError, ValueError):
            raise RosterFileError(t("json_bad_item", loc, path=source, n=n, item=json.dumps(r, ensure_ascii=False)))
    period = data.get("period") or {}
    dates = [a.date for a in items]
    try:
        start = date.fromisoformat(period["from"]) if "from" in period else min(dates)
        end = date.fromisoformat(period["to"]) if "to" in period else max(dates)
    except (TypeError, ValueError):
        raise RosterFileError(t("json_bad_period", loc, path=source) if period else t("json_empty", loc, path=source))
    if end < start:
        raise RosterFileError(t("json_bad_period", loc, path=source))
    outside = next((n for n, a in enumerate(items, start=1) if not start <= a.date <= end), None)
    if outside is not None:  # check would pass over it, publish would record it
        raise RosterFileError(t("json_outside", loc, path=source, n=outside, date=items[outside - 1].date.isoformat(),
                                start=start.isoformat(), end=end.isoformat()))
    meta = data.get("meta")
    return Roster(start, end, items, dict(meta) if isinstance(meta, dict) else {})


def read_json(path: Path, rules: RosterRules | None = None) -> Roster:
    loc = rules.locale if rules else "zh"
    text = read_user_text(path, loc)
    if not text.strip():
        raise RosterFileError(t("file_empty", loc, path=path))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RosterFileError(t("json_syntax", loc, path=path, line=exc.lineno, column=exc.colno, detail=exc.msg))
    return roster_from_dict(data, str(path), rules)
