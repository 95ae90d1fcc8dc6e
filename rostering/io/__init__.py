"""Roster files in and out; the format follows the file extension."""
from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from ..errors import RosterFileError
from ..i18n import t
from ..roster import Roster
from ..rules import RosterRules
from .safe import check_target, write_atomically

# suffix -> (module, function); modules load on first use, so reading JSON never loads openpyxl
WRITERS = {".json": ("json_io", "write_json"), ".xlsx": ("excel", "write_excel"),
           ".csv": ("csv_io", "write_csv"), ".ics": ("ics", "write_ics")}
READERS = {".json": ("json_io", "read_json"), ".xlsx": ("excel", "read_excel"), ".csv": ("csv_io", "read_csv")}


def _entry(table: dict, path: Path, locale: str) -> tuple[str, str]:
    entry = table.get(path.suffix.lower())
    if entry is None:
        raise RosterFileError(t("unsupported_format", locale, path=path, formats=", ".join(sorted(table))))
    return entry


def _function(table: dict, path: Path, locale: str = "zh"):
    entry = _entry(table, path, locale)
    module = importlib.import_module(f".{entry[0]}", __name__)
    return getattr(module, entry[1])


def check_output(path: str | Path, force: bool = False, locale: str = "zh") -> None:
    """Fail early, before any solving, on an output we could not write."""
    _entry(WRITERS, Path(path), locale)
    check_target(path, force, locale)


def save_roster(path: str | Path, roster: Roster, rules: RosterRules, force: bool = False, **options) -> Path:
    """Write one file; options a format does not know (log_sheets for .json, say) are left out for it."""
    path = Path(path)
    writer = _function(WRITERS, path, rules.locale)
    known = inspect.signature(writer).parameters
    options = {k: v for k, v in options.items() if k in known}
    return write_atomically(path, lambda tmp: writer(tmp, roster, rules, **options), force=force,
                            locale=rules.locale)


def save_roster_files(path: str | Path, roster: Roster, rules: RosterRules, force: bool = False,
                      per_person: bool = False, **options) -> list[Path]:
    """Like save_roster, but `per_person` on an .ics path writes one calendar per person (roster-张三.ics …)."""
    if per_person and Path(path).suffix.lower() == ".ics":
        from .ics import save_per_person
        return save_per_person(path, roster, rules, force=force)
    return [save_roster(path, roster, rules, force=force, **options)]


MAX_ROSTER_DAYS = 800  # a year's holiday plan is the longest real roster; more is a mistyped date


def load_roster(path: str | Path, rules: RosterRules | None = None) -> Roster:
    """Read a roster file; with `rules`, refuse one that belongs to another rules file."""
    path = Path(path)
    locale = rules.locale if rules else "zh"
    reader = _function(READERS, path, locale)
    if not path.is_file():
        raise RosterFileError(t("path_missing", locale, path=path))
    roster = reader(path, rules)
    if (roster.end - roster.start).days > MAX_ROSTER_DAYS:
        raise RosterFileError(t("roster_span_absurd", locale, path=path, start=roster.start.isoformat(),
                                end=roster.end.isoformat(), days=(roster.end - roster.start).days + 1))
    if rules is not None:
        check_belongs(path, roster, rules)
    return roster


def check_belongs(path: Path, roster: Roster, rules: RosterRules) -> None:
    """A roster none of whose duties names a known shift and person was made for another rules file:
    say so once, rather than list every line as a broken rule (a hand-edited typo still gets checked)."""
    shifts, people = {s.id for s in rules.all_shifts}, {p.name for p in rules.staff}
    if roster.assignments and not any(a.shift in shifts and a.person in people for a in roster.assignments):
        raise RosterFileError(t("roster_other_rules", rules.locale, path=path, rules=rules.organization or "—"))
