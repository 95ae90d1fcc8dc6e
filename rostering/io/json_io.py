"""JSON roster: {"period": {...}, "assignments": [{"date", "shift", "person", "leader", ...}]}."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ..errors import RosterFileError
from ..roster import Assignment, Roster
from ..rules import RosterRules


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
    """Read the JSON shape back; shift may be given by id or display name."""
    try:
        rows = data["assignments"]
        names = {s.display: s.id for s in rules.all_shifts} if rules else {}
        items = [Assignment(date.fromisoformat(r["date"]), names.get(r["shift"], r["shift"]), r["person"])
                 for r in rows]
        period = data.get("period") or {}
        dates = [a.date for a in items]
        start = date.fromisoformat(period["from"]) if "from" in period else min(dates)
        end = date.fromisoformat(period["to"]) if "to" in period else max(dates)
    except (KeyError, TypeError, ValueError) as exc:
        raise RosterFileError(f"{source}: not a roster JSON file (needs assignments with date, shift, person): {exc}")
    return Roster(start, end, items, dict(data.get("meta") or {}))


def read_json(path: Path, rules: RosterRules | None = None) -> Roster:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RosterFileError(f"{path}: {exc}")
    if not isinstance(data, dict):
        raise RosterFileError(f"{path}: not a roster JSON object")
    return roster_from_dict(data, str(path), rules)
