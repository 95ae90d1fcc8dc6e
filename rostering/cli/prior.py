"""Prior load (history) given by hand as CSV or JSON: name -> load carried into fairness."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import RosterFileError
from ..rules import RosterRules

prior_option = click.option("--prior", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                            help="Prior load per person (CSV name,load or JSON {name: load}).")


def read_prior_load(path: Path, rules: RosterRules) -> dict[str, float]:
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            values = {str(k): float(v) for k, v in data.items()}
        else:
            import csv
            with path.open(encoding="utf-8-sig") as fh:
                values = {row[0].strip(): float(row[1]) for row in csv.reader(fh)
                          if len(row) >= 2 and row[0].strip() and row[1].strip().replace(".", "", 1).isdigit()}
    except (OSError, ValueError, AttributeError) as exc:
        raise RosterFileError(f"{path}: prior load must be CSV 'name,load' rows or JSON {{name: load}} ({exc})")
    known = {p.name for p in rules.staff}
    unknown = sorted(set(values) - known)
    if unknown:
        raise RosterFileError(f"{path}: unknown people: {', '.join(unknown)}")
    return values
