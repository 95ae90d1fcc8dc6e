"""Roster files in and out; the format follows the file extension."""
from __future__ import annotations

from pathlib import Path

from ..errors import RosterFileError
from ..roster import Roster
from ..rules import RosterRules
from .json_io import read_json, write_json
from .safe import write_atomically

WRITERS = {".json": write_json}
READERS = {".json": read_json}


def _register_optional() -> None:
    """Exporters that live in their own modules register here when present."""
    try:
        from . import excel  # noqa: F401
        WRITERS[".xlsx"] = excel.write_excel
        READERS[".xlsx"] = excel.read_excel
    except ImportError:
        pass
    try:
        from . import csv_io  # noqa: F401
        WRITERS[".csv"] = csv_io.write_csv
        READERS[".csv"] = csv_io.read_csv
    except ImportError:
        pass
    try:
        from . import ics  # noqa: F401
        WRITERS[".ics"] = ics.write_ics
    except ImportError:
        pass


_register_optional()


def save_roster(path: str | Path, roster: Roster, rules: RosterRules, force: bool = False, **options) -> Path:
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise RosterFileError(f"{path}: unsupported format; use one of {', '.join(sorted(WRITERS))}")
    return write_atomically(path, lambda tmp: writer(tmp, roster, rules, **options), force=force,
                            locale=rules.locale)


def load_roster(path: str | Path, rules: RosterRules | None = None) -> Roster:
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise RosterFileError(f"{path}: unsupported format; use one of {', '.join(sorted(READERS))}")
    if not path.exists():
        raise RosterFileError(f"{path}: file not found")
    return reader(path, rules)
