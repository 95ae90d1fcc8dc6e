"""`roster plan-holidays` and `roster rotation-seed`: the year's holiday plan, and past holidays into the ledger.

The holiday plan is made ahead and approved (seed 001: 节假日值班安排由值班室事先作出计划，报秘书长批准);
`roster generate --plan PLAN.xlsx` then keeps it for the months that contain its holidays.
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ..calendar import Day, DutyCalendar
from ..errors import RosterFileError
from ..i18n import join_names, t
from ..io import check_output, load_roster
from ..io.safe import write_atomically
from ..ledger import default_path
from ..problem import LOAD_SCALE, Problem
from ..roster import HOLIDAY_PLAN, Roster
from ..rotation import (Turn, attach, ledger_turns, occurrence_label, occurrence_of, read_seed, roster_turns,
                        split_by_occurrence)
from ..rules import RosterRules
from . import main
from .ledger import open_ledger
from .options import db_option, force_option, handle_errors, read_rules, rules_argument, solver_options

plan_option = click.option("--plan", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                           help="Approved holiday plan (.xlsx from plan-holidays): its holidays are kept as planned.")


def ledger_history(rules_file: Path, db: Path | None, rules: RosterRules) -> list[Turn]:
    """Served holiday duties from the ledger (--db, else the one beside the rules file when present)."""
    path = db or default_path(rules_file)
    if db is None and not path.exists():
        return []
    with open_ledger(rules_file, db, rules, create=False) as ledger:
        return ledger_turns(ledger)


def read_plan(path: Path, rules: RosterRules) -> Roster:
    """A holiday plan read back (hand edits included); every date in it must lie in a holiday period."""
    plan = load_roster(path, rules)
    days = {d.date: d for d in DutyCalendar(rules).days(plan.start, plan.end)}
    outside = sorted(a.date for a in plan.assignments if not days[a.date].period)
    if outside:
        raise RosterFileError(t("plan_not_plan", rules.locale, path=path, date=outside[0].isoformat()))
    return plan


def with_rotation(problem: Problem, rules_file: Path, db: Path | None, plan: Path | None) -> Problem:
    """The problem with its rotation history from the ledger and, when given, the approved plan."""
    history = ledger_history(rules_file, db, problem.rules) if problem.rules.holiday_rotation else []
    kept = read_plan(plan, problem.rules) if plan else None
    if kept is not None:
        n = sum(1 for a in kept.assignments if problem.start <= a.date <= problem.end)
        click.echo(t("plan_kept", problem.locale, path=plan, n=n), err=True)
    return attach(problem, history, kept)


def holidays_of(rules: RosterRules, year: int) -> list[list[Day]]:
    """The holiday runs belonging to `year` (a 元旦 run starting in late December included), in date order."""
    first, last = date(year - 1, 12, 1), date(year, 12, 31)
    runs: dict[tuple, list[Day]] = {}
    for day in DutyCalendar(rules).days(first, last):
        if day.period and occurrence_of(day.date, day.period)[1] == year:
            runs.setdefault(occurrence_of(day.date, day.period), []).append(day)
    return sorted(runs.values(), key=lambda days: days[0].date)


def plan_year(rules: RosterRules, year: int, history: list[Turn], prior: dict[str, float] | None = None,
              time_limit: float = 10.0, workers: int = 1, seed: int = 0) -> tuple[Roster, list[Day], list[str]]:
    """Solve the year's holidays one after another, each continuing the rotation and load of those before.

    Returns (plan, its days, conflicts); conflicts name the first holiday that cannot be planned."""
    from ..solve import solve
    chosen, all_days, planned = [], [], []
    load = dict(prior or {})
    for days in holidays_of(rules, year):
        problem = Problem(rules, days[0].date, days[-1].date, prior_load=load, days=days)
        attach(problem, list(history) + planned)
        if not problem.slots:
            continue
        result = solve(problem, time_limit=time_limit, workers=workers, seed=seed)
        if not result.found:
            label = occurrence_label(occurrence_of(days[0].date, days[0].period), rules.locale)
            return Roster(date(year, 1, 1), date(year, 12, 31), chosen), all_days, \
                [t("plan_failed", rules.locale, holiday=label)] + result.conflicts
        for a in result.roster.assignments:
            load[a.person] = load.get(a.person, 0) + problem.load(problem.slot_at[(a.date, a.shift)]) / LOAD_SCALE
        chosen += result.roster.assignments
        planned += roster_turns(result.roster, problem)
        all_days += days
    if not all_days:
        return Roster(date(year, 1, 1), date(year, 12, 31), []), [], []
    return Roster(all_days[0].date, all_days[-1].date, chosen, {"kind": HOLIDAY_PLAN}), all_days, []


def write_plan(path: Path, plan: Roster, rules: RosterRules, days: list[Day], year: int) -> None:
    """The plan as a workbook like the monthly roster (值班表 and 统计), listing only the holiday days.

    No 个人日历: its columns name days of the month only, which repeat across the year's holidays."""
    from openpyxl import Workbook
    from ..io.excel import DATA_SHEET, put_title, sheet_width, write_data_sheet, write_roster_sheet, write_stats_sheet
    loc = rules.locale
    problem = Problem(rules, plan.start, plan.end, days=days)
    span = t("plan_span", loc, year=year)
    book = Workbook()
    sheets = [(book.active, write_roster_sheet, "xl_title", 18),
              (book.create_sheet(), write_stats_sheet, "xl_stats_title", 16)]
    for ws, writer, title, size in sheets:
        writer(ws, plan, problem)
        put_title(ws, 1, t(title, loc, org=rules.organization, span=span), sheet_width(ws, ws.max_column), loc,
                  size=size)  # the year's holidays, not the date range from 元旦 to 国庆
    write_data_sheet(book.create_sheet(DATA_SHEET), plan, rules)
    book.active = 0
    book.save(path)


@main.command("plan-holidays")
@rules_argument
@click.option("--year", type=int, required=True, help="Calendar year of the holidays.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The plan workbook (.xlsx), printable like the monthly roster.")
@solver_options(10.0, per=" per holiday")
@db_option
@force_option
@handle_errors
def plan_holidays(rules_file, year, output, time_limit, seed, workers, db, force):
    """All holiday periods of a year at once, continuing the rotation from the ledger, for approval ahead."""
    rules = read_rules(rules_file, to_solve=True)
    loc = rules.locale
    if output.suffix.lower() != ".xlsx":
        raise RosterFileError(t("plan_bad_output", loc, path=output))
    check_output(output, force, loc)
    history = ledger_history(rules_file, db, rules)
    prior = None
    path = db or default_path(rules_file)
    if db is not None or path.exists():
        with open_ledger(rules_file, db, rules, create=False) as ledger:
            prior, _, _ = ledger.prior_load(date(year, 1, 1))
    plan, days, conflicts = plan_year(rules, year, history, prior, time_limit, workers, seed)
    if conflicts:
        click.echo(conflicts[0], err=True)
        for line in conflicts[1:]:
            click.echo(f"  - {line}", err=True)
        sys.exit(1)
    if not days:
        raise RosterFileError(t("plan_no_holidays", loc, year=year))
    write_atomically(output, lambda tmp: write_plan(tmp, plan, rules, days, year), force=force, locale=loc)
    by_holiday: dict[str, list[str]] = {}
    period_of = {d.date: occurrence_label(occurrence_of(d.date, d.period), loc) for d in days}
    for a in sorted(plan.assignments, key=lambda a: (a.date, a.shift)):
        names = by_holiday.setdefault(period_of[a.date], [])
        if a.person not in names:
            names.append(a.person)
    for holiday, names in by_holiday.items():
        click.echo(t("plan_line", loc, holiday=holiday, people=join_names(names, loc)))
    click.echo(t("wrote", loc, path=output))


@main.command("rotation-seed")
@rules_argument
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace holidays already in the ledger.")
@db_option
@handle_errors
def rotation_seed(rules_file, csv_file, replace, db):
    """Record past years' holiday duties (CSV 日期,姓名[,班次]) in the ledger, so the rotation continues from them."""
    rules = read_rules(rules_file)
    loc = rules.locale
    parts = split_by_occurrence(read_seed(csv_file, rules), rules)
    with open_ledger(rules_file, db, rules, create=True) as ledger:
        if not replace:  # refuse before writing anything, not halfway through
            for part in parts:
                old = ledger.current_overlapping(part.start, part.end)
                if old:
                    raise RosterFileError(t("publish_exists", loc, start=part.start.isoformat(),
                                            end=part.end.isoformat(), versions=", ".join(str(v.id) for v in old)))
        for part in parts:
            ledger.publish(rules, part, replace=replace, source=f"seed:{csv_file}")
        click.echo(t("seed_done", loc, n=sum(len(p.assignments) for p in parts), holidays=len(parts),
                     db=ledger.path))
