"""Roster files in and out; the format follows the file extension."""
from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from ..errors import RosterFileError
from ..roster import Roster
from ..rules import RosterRules
from .safe import write_atomically

# suffix -> (module, function); modules load on first use, so reading JSON never loads openpyxl
WRITERS = {".json": ("json_io", "write_json"), ".xlsx": ("excel", "write_excel"),
           ".csv": ("csv_io", "write_csv"), ".ics": ("ics", "write_ics")}
READERS = {".json": ("json_io", "read_json"), ".xlsx": ("excel", "read_excel"), ".csv": ("csv_io", "read_csv")}


def _function(table: dict, path: Path):
    entry = table.get(path.suffix.lower())
    if entry is None:
        raise RosterFileError(f"{path}: unsupported format; use one of {', '.join(sorted(table))}")
    module = importlib.import_module(f".{entry[0]}", __name__)
    return getattr(module, entry[1])


def check_output(path: str | Path, force: bool = False, locale: str = "zh") -> None:
    """Fail early, before any solving, on an output we could not write."""
    from ..i18n import t
    path = Path(path)
    if path.suffix.lower() not in WRITERS:
        raise RosterFileError(f"{path}: unsupported format; use one of {', '.join(sorted(WRITERS))}")
    if path.exists() and not force:
        raise RosterFileError(t("exists", locale, path=path))


def save_roster(path: str | Path, roster: Roster, rules: RosterRules, force: bool = False, **options) -> Path:
    """Write one file; options a format does not know (log_sheets for .json, say) are left out for it."""
    path = Path(path)
    writer = _function(WRITERS, path)
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


def load_roster(path: str | Path, rules: RosterRules | None = None) -> Roster:
    path = Path(path)
    reader = _function(READERS, path)
    if not path.exists():
        raise RosterFileError(f"{path}: file not found")
    return reader(path, rules)
