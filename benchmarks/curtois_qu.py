"""Curtois & Qu shift-scheduling instances (Instance1–24) read into the project's own rules and solved.

Each instance becomes a `RosterRules` (shifts, staff with personal limits, requests) and a
`Problem` starting on a Monday; the project's solver solves it (by default a first roster in
a tenth of the time, `search.FIRST_SHARE`, then roster-shaped neighbourhood search:
`search.solve_in_neighbourhoods`) and the project's `check_roster` prices the roster. The benchmark objective is the sum of soft penalties
(cover under/over, unmet on/off requests); every other rule is hard. See
../shared/benchmarks/curtois-qu/SOURCE.md for the format.

    python benchmarks/curtois_qu.py FILE… [--time-limit S] [--workers N] [--neighbourhoods SHARE]

prints one JSON line per instance: instance, objective, bound, status, seconds.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from rostering.checking import check_roster
from rostering.problem import Problem
from rostering.rules import (CoverTarget, Fairness, Person, RosterRules, RuleSettings, Shift, ShiftRequest,
                             Succession, Unavailability)
from rostering.search import FIRST_SHARE, solve_feasible_first, solve_in_neighbourhoods
from rostering.solve import Result, Status, solve

START = date(2024, 1, 1)  # a Monday: the format's day 0


class FormatError(ValueError):
    """The file is not in the Curtois & Qu text format; the message names file and line."""


@dataclass
class Instance:
    name: str
    horizon: int = 0
    shifts: list[tuple[str, int, list[str]]] = field(default_factory=list)  # id, minutes, forbidden next
    staff: list[dict] = field(default_factory=list)
    days_off: dict[str, list[int]] = field(default_factory=dict)
    on_requests: list[tuple[str, int, str, int]] = field(default_factory=list)
    off_requests: list[tuple[str, int, str, int]] = field(default_factory=list)
    cover: list[tuple[int, str, int, int, int]] = field(default_factory=list)  # day, shift, need, under, over


def _sections(path: Path) -> dict[str, list[tuple[int, list[str]]]]:
    """Section name -> its data lines as (line number, comma-separated fields)."""
    out: dict[str, list[tuple[int, list[str]]]] = {}
    current = None
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if line.startswith("#"):
            continue
        if not line:
            current = None
        elif line.startswith("SECTION_"):
            current = line
            out[current] = []
        elif current is None:
            raise FormatError(f"{path}:{number}: data outside a section: {line!r}")
        else:
            out[current].append((number, [f.strip() for f in line.split(",")]))
    return out


def read_instance(path: Path) -> Instance:
    sections = _sections(path)
    inst = Instance(path.stem)
    missing = [s for s in ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF", "SECTION_COVER") if s not in sections]
    if missing:
        raise FormatError(f"{path}: missing {', '.join(missing)}")
    number = 0
    try:
        number, fields = sections["SECTION_HORIZON"][0]
        inst.horizon = int(fields[0])
        for number, f in sections["SECTION_SHIFTS"]:
            inst.shifts.append((f[0], int(f[1]), [s for s in f[2].split("|") if s] if len(f) > 2 else []))
        for number, f in sections["SECTION_STAFF"]:
            maxima = dict(item.split("=") for item in f[1].split("|") if item)
            inst.staff.append(dict(id=f[0], max_shifts={k: int(v) for k, v in maxima.items()},
                                   max_minutes=int(f[2]), min_minutes=int(f[3]), max_run=int(f[4]),
                                   min_run=int(f[5]), min_off=int(f[6]), max_weekends=int(f[7])))
        for number, f in sections.get("SECTION_DAYS_OFF", []):
            inst.days_off.setdefault(f[0], []).extend(int(d) for d in f[1:] if d)
        for key, target in (("SECTION_SHIFT_ON_REQUESTS", inst.on_requests),
                            ("SECTION_SHIFT_OFF_REQUESTS", inst.off_requests)):
            for number, f in sections.get(key, []):
                target.append((f[0], int(f[1]), f[2], int(f[3])))
        for number, f in sections["SECTION_COVER"]:
            inst.cover.append((int(f[0]), f[1], int(f[2]), int(f[3]), int(f[4])))
    except (ValueError, IndexError) as exc:
        raise FormatError(f"{path}:{number}: cannot read this line ({exc})") from None
    return inst


def _window(minutes: int) -> str:
    """Every shift starts at midnight and lasts its length, so a person's shifts on one date overlap."""
    if not 0 < minutes <= 24 * 60:
        raise FormatError(f"a shift of {minutes} minutes does not fit in one day")
    return f"00:00-{minutes // 60:02d}:{minutes % 60:02d}"


def _runs(days: list[int]) -> list[tuple[int, int]]:
    """Sorted day indexes grouped into (first, last) runs of consecutive days."""
    out: list[list[int]] = []
    for d in sorted(set(days)):
        if out and d == out[-1][1] + 1:
            out[-1][1] = d
        else:
            out.append([d, d])
    return [(a, b) for a, b in out]


def to_rules(inst: Instance) -> RosterRules:
    """The instance in the project's own rules model: every rule but cover and requests is hard."""
    day = lambda i: START + timedelta(days=i)  # noqa: E731
    weekends = inst.horizon // 7
    shifts = []
    for sid, minutes, _ in inst.shifts:
        takers = [s["id"] for s in inst.staff if s["max_shifts"].get(sid, inst.horizon) > 0]
        everyone = len(takers) == len(inst.staff)
        shifts.append(Shift(id=sid, windows=_window(minutes), headcount=1, people=[] if everyone else takers))
    requests: dict[str, list[ShiftRequest]] = {}
    for want, rows in (("on", inst.on_requests), ("off", inst.off_requests)):
        for who, i, sid, weight in rows:
            requests.setdefault(who, []).append(ShiftRequest(date=day(i), shift=sid, want=want, weight=weight))
    staff = []
    for s in inst.staff:
        pid = s["id"]
        staff.append(Person(
            name=pid,
            unavailable=[Unavailability(start=day(a), end=day(b), reason="day off")
                         for a, b in _runs(inst.days_off.get(pid, []))],
            max_minutes=s["max_minutes"], min_minutes=s["min_minutes"] or None,
            max_shifts={k: v for k, v in s["max_shifts"].items() if 0 < v < inst.horizon},
            max_consecutive_days=s["max_run"] if s["max_run"] < inst.horizon else None,
            min_consecutive_days=s["min_run"] if s["min_run"] > 1 else None,
            min_consecutive_days_off=s["min_off"] if s["min_off"] > 1 else None,
            max_weekends=s["max_weekends"] if s["max_weekends"] < weekends else None,
            requests=requests.get(pid, [])))
    settings = RuleSettings(
        forbidden_successions=[Succession(shift=sid, next=nexts) for sid, _, nexts in inst.shifts if nexts],
        cover=[CoverTarget(shift=sid, dates=[day(i)], need=need, under=under or None, over=over or None)
               for i, sid, need, under, over in inst.cover])
    return RosterRules(organization=inst.name, locale="en", shifts=shifts, staff=staff, rules=settings,
                       fairness=Fairness(weight=0))


def to_problem(inst: Instance, rules: RosterRules) -> Problem:
    return Problem(rules, START, START + timedelta(days=inst.horizon - 1))


def run(path: Path, time_limit: float, workers: int, feasible_first: float = 0.0, first_share: float = 0.0,
        **options) -> dict:
    """Solve one instance and price the roster with `check`; the two objectives must agree.

    `first_share` > 0: a first roster in that share of the time, then the roster-shaped
    neighbourhood search (`search.solve_in_neighbourhoods`) for the rest.
    `feasible_first` > 0: that share of the time first looks for any roster keeping the hard
    rules (`search.solve_feasible_first`), the hint of the full search. The reported objective is
    `check`'s price of the roster. In a roster that is not proven optimal the solver's own figure
    may be higher (a soft slack need not be tight before the search ends), never lower."""
    started = time.monotonic()
    inst = read_instance(path)
    rules = to_rules(inst)
    problem = to_problem(inst, rules)
    # the limit covers reading the instance too (Instance24: 1.4 s), as the reported seconds do
    left = max(1.0, time_limit - (time.monotonic() - started))
    common = dict(time_limit=left, workers=workers, rolling=False, parameters=options or None)
    if first_share > 0:
        result: Result = solve_in_neighbourhoods(problem, first_share=first_share, **common)
    elif feasible_first > 0:
        result = solve_feasible_first(problem, share=feasible_first, explain=False, **common)
    else:
        result = solve(problem, explain=False, **common)
    row = {"instance": inst.name, "objective": None, "solver_objective": result.objective, "bound": result.bound,
           "status": result.status.value, "seconds": round(time.monotonic() - started, 2),
           "solve_seconds": round(result.seconds, 2)}
    if result.roster is not None:
        report = check_roster(rules, result.roster, problem)
        row["objective"] = report.penalty
        row["hard_violations"] = len(report.hard)
        claimed = round(result.objective or 0)
        if report.hard or report.penalty > claimed or (result.status is Status.OPTIMAL and report.penalty != claimed):
            row["mismatch"] = True
    return row


def best_known(folder: Path) -> dict[str, tuple[int | None, int | None]]:
    """Instance -> (best known UB, Gurobi 10-minute result) from the folder's BEST_KNOWN.md tables, if present."""
    out: dict[str, list] = {}
    path = folder / "BEST_KNOWN.md"
    if not path.exists():
        return {}
    table = 0
    for line in path.read_text().splitlines():
        if line.startswith("## Table"):
            table += 1
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not cells[0].startswith("Instance") or not cells[0][8:].isdigit():
            continue
        entry = out.setdefault(cells[0], [None, None])
        number = lambda text: int(text) if text.isdigit() else None  # noqa: E731
        if table == 1 and len(cells) > 5:
            entry[0] = number(cells[5])
        elif table == 2 and len(cells) > 3:
            entry[1] = number(cells[3])
    return {k: (v[0], v[1]) for k, v in out.items()}


def markdown(rows: list[dict], known: dict, note: str) -> str:
    """The results table: objective, best known, gap, bound, time, and the Gurobi 10-minute column."""
    lines = [note, "", "| Instance | Objective | Best known | Gap % | Bound | Status | Seconds | Gurobi 10 min |",
             "|---|---:|---:|---:|---:|---|---:|---:|"]
    for row in rows:
        ub, gurobi = known.get(row["instance"], (None, None))
        objective = row.get("objective")
        gap = f"{100 * (objective - ub) / ub:.2f}" if objective is not None and ub else "–"
        fmt = lambda v: "–" if v is None else f"{v:.0f}" if float(v).is_integer() else f"{v:g}"  # noqa: E731
        lines.append(f"| {row['instance']} | {fmt(objective)} | {fmt(ub)} | {gap} | {fmt(row.get('bound'))} | "
                     f"{row['status']} | {row['seconds']:.1f} | {fmt(gurobi)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--subsolvers", default="lb_tree_search",
                        help="CP-SAT full-problem subsolvers, comma-separated ('' = CP-SAT's default portfolio)")
    parser.add_argument("--feasible-first", type=float, default=0.0, metavar="SHARE",
                        help="share of the time spent first on any roster keeping the hard rules (0 = off)")
    parser.add_argument("--neighbourhoods", type=float, default=FIRST_SHARE, metavar="SHARE",
                        help="share of the time for a first roster, the rest for roster-shaped neighbourhood "
                             f"search (default {FIRST_SHARE:g}; 0 = one CP-SAT search)")
    parser.add_argument("--markdown", type=Path, help="also write a results table here (best known from BEST_KNOWN.md)")
    args = parser.parse_args(argv)
    options = {"subsolvers": args.subsolvers.split(",")} if args.subsolvers else {}
    rows = []
    failed = 0
    for path in args.files:
        try:
            row = run(path, args.time_limit, args.workers, args.feasible_first, args.neighbourhoods, **options)
        except (OSError, FormatError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
            continue
        failed += bool(row.get("mismatch"))
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.markdown and rows:
        note = (f"Time limit {args.time_limit:g} s, {args.workers} workers, subsolvers "
                f"{args.subsolvers or 'default'}, feasible first {args.feasible_first:g}, "
                f"neighbourhoods {args.neighbourhoods:g}; "
                "seconds include reading and model building.")
        args.markdown.write_text(markdown(rows, best_known(args.files[0].parent), note))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
