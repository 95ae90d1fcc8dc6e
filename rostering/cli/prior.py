"""Prior load (history) given by hand as CSV or JSON: name -> load carried into fairness."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click

from ..errors import RosterFileError
from ..i18n import t
from ..io.text import read_user_text
from ..rules import RosterRules

prior_option = click.option("--prior", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                            help="Prior load per person (CSV name,load or JSON {name: load}).")


def _csv_loads(text: str, path: Path, locale: str) -> dict[str, float]:
    """name,load rows; a first row whose load is not a number is a header, any later one is a mistake."""
    values = {}
    for line, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        if not any(cell.strip() for cell in row):
            continue
        load = row[1].strip() if len(row) > 1 else ""
        try:
            values[row[0].strip()] = float(load)
        except ValueError:
            if line > 1:
                raise RosterFileError(t("csv_bad_row", locale, path=path, line=line,
                                        detail=t("prior_bad_load", locale, value=load)))
    return values


def read_prior_load(path: Path, rules: RosterRules) -> dict[str, float]:
    loc = rules.locale
    text = read_user_text(path, loc)
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
            values = {str(k): float(v) for k, v in data.items()}
        else:
            values = _csv_loads(text, path, loc)
    except (ValueError, TypeError, AttributeError):
        raise RosterFileError(t("prior_bad", loc, path=path))
    unknown = sorted(set(values) - {p.name for p in rules.staff})
    if unknown:
        raise RosterFileError(t("prior_unknown", loc, path=path, names=", ".join(unknown)))
    return values
