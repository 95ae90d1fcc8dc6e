"""`roster substitutes`, `roster publish` and `roster stats`: finding cover, and the duty ledger."""
from __future__ import annotations

import csv
import json
import sys
from datetime import date, timedelta
from pathlib import Path

import click

from ..calendar import period_label
from ..changes import approval_note, substitutes as find_substitutes
from ..checking import check_roster
from ..errors import ChangeError, RosterFileError
from ..i18n import t
from ..io import load_roster
from ..io.safe import write_atomically
from ..ledger import Ledger, default_path
from ..rotation import add_last_served, ledger_turns
from ..roster import Assignment
from ..rules import RosterRules
from ..summary import render_table
from . import main
from .options import db_option, force_option, format_option, handle_errors, read_rules, rules_argument

roster_argument = click.argument("roster_file", metavar="ROSTER", type=click.Path(dir_okay=False, path_type=Path))


def open_ledger(rules_file: Path, db: Path | None, rules: RosterRules, create: bool) -> Ledger:
    """The ledger named by --db, else the one beside the rules file; never another office's."""
    ledger = Ledger(db or default_path(rules_file), create=create, locale=rules.locale)
    try:
        ledger.check_office(rules)
    except BaseException:
        ledger.close()
        raise
    return ledger


def ledger_prior_load(rules_file: Path, db: Path | None, rules: RosterRules, start: date) -> dict[str, float] | None:
    """Served load before `start` from the ledger: --db must exist; the default one is used when present."""
    path = db or default_path(rules_file)
    if db is None and not path.exists():
        return None
    with open_ledger(rules_file, db, rules, create=False) as ledger:
        load, first, last = ledger.prior_load(start)
    click.echo(t("prior_from_ledger", rules.locale, db=path, start=first.isoformat(), end=last.isoformat()), err=True)
    return load


def ledger_lead_in(rules_file: Path, db: Path | None, rules: RosterRules, start: date,
                   days: int = 7) -> list[Assignment]:
    """What was served on the days just before `start` (back to the first day without records).

    Rules that span a month's edge (rest after a night, runs of days, a week held by one
    person) need those days; an empty list when there is no ledger or no record."""
    path = db or default_path(rules_file)
    if not path.exists():
        return []
    with open_ledger(rules_file, db, rules, create=False) as ledger:
        rows = ledger.served(start - timedelta(days=days), start - timedelta(days=1))
    dated = {r.date for r in rows}
    first = start
    while first - timedelta(days=1) in dated:
        first -= timedelta(days=1)
    return [Assignment(r.date, r.shift, r.person) for r in rows if r.date >= first]


@main.command()
@rules_argument
@roster_argument
@click.option("--date", "day", required=True, help="Date of the shift, YYYY-MM-DD.")
@click.option("--shift", required=True, help="Shift id or name.")
@click.option("--person", help="Who needs cover (needed when several people hold the shift).")
@click.option("--limit", type=click.IntRange(min=0), default=10, show_default=True,
              help="Swaps listed in text output (0: all); JSON lists all.")
@db_option
@format_option
@handle_errors
def substitutes(rules_file, roster_file, day, shift, person, limit, db, fmt):
    """Who could take a shift without breaking a rule, fairest first, and valid swap partners."""
    rules = read_rules(rules_file)
    loc = rules.locale
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise ChangeError(t("change_bad_date", loc, text=day, change="--date"))
    roster = load_roster(roster_file, rules)
    prior = ledger_prior_load(rules_file, db, rules, roster.start)
    found = find_substitutes(rules, roster, when, shift, person, prior_load=prior)
    shift_name = rules.shift(found.shift).display
    if fmt == "json":
        click.echo(json.dumps({"date": found.date.isoformat(), "shift": found.shift, "shift_name": shift_name,
                               "person": found.person, "approvers": found.approvers,
                               "candidates": [o.as_dict(rules) for o in found.candidates],
                               "swaps": [o.as_dict(rules) for o in found.swaps]}, ensure_ascii=False, indent=1))
        return
    if found.person:
        click.echo(t("subs_head", loc, date=found.date.isoformat(), shift=shift_name, person=" " + found.person))
    else:
        click.echo(t("subs_gap", loc, date=found.date.isoformat(), shift=shift_name))
    for o in found.candidates:
        click.echo("  " + t("subs_line", loc, person=o.taker, group=o.group or "—", load=o.load, after=o.load_after,
                            cost=o.cost))
    if not found.candidates:
        click.echo("  " + t("subs_none", loc))
    if found.person:
        click.echo(t("subs_swaps", loc) if found.swaps else t("subs_no_swaps", loc))
        shown = found.swaps[:limit] if limit else found.swaps
        for o in shown:
            click.echo("  " + t("subs_swap_line", loc, person=o.taker, date=o.date.isoformat(),
                                shift=rules.shift(o.shift).display, cost=o.cost))
        if len(shown) < len(found.swaps):
            click.echo("  " + t("subs_more_swaps", loc, n=len(found.swaps) - len(shown)))
    note = approval_note(rules, found.approvers)
    if note:
        click.echo(note)


@main.command()
@rules_argument
@roster_argument
@click.option("--replace", is_flag=True, help="Replace an already published period (the old version is kept).")
@click.option("--ignore-violations", is_flag=True, help="Publish even if the roster breaks hard rules.")
@click.option("--by", "published_by", default="", help="Who publishes (recorded in the ledger).")
@db_option
@handle_errors
def publish(rules_file, roster_file, replace, ignore_violations, published_by, db):
    """Record a final roster in the ledger, as the basis of history, fairness and duty pay."""
    rules = read_rules(rules_file)
    loc = rules.locale
    roster = load_roster(roster_file, rules)
    report = check_roster(rules, roster)
    if report.hard and not ignore_violations:
        for v in report.hard:
            click.echo(f"[{v.rule}] {v.message}", err=True)
        click.echo(t("publish_violations", loc, n=len(report.hard)), err=True)
        sys.exit(1)
    with open_ledger(rules_file, db, rules, create=True) as ledger:
        version, replaced = ledger.publish(rules, roster, replace=replace, source=str(roster_file),
                                           published_by=published_by)
        count = next(v.assignment_count for v in ledger.versions() if v.id == version)
        click.echo(t("published", loc, start=roster.start.isoformat(), end=roster.end.isoformat(), version=version,
                     n=count, db=ledger.path))
    if replaced:
        click.echo(t("published_replaced", loc, old=", ".join(map(str, replaced))))


def stats_table(rows: list[dict], locale: str) -> tuple[list[str], list[list]]:
    """Header and rows of the yearly table; one column per holiday period that occurs."""
    periods = sorted({p for r in rows for p in r["holidays"]})
    header = [t(k, locale) for k in ("stats_person", "stats_group", "stats_weekday_nights", "stats_weekends")]
    header += [period_label(p, locale) for p in periods]
    header += [t(k, locale) for k in ("stats_holidays", "stats_covers_given", "stats_covers_received",
                                      "stats_swaps", "stats_total", "stats_load")]
    body = [[r["person"], r["group"], r["weekday_nights"], r["weekends"], *[r["holidays"].get(p, 0) for p in periods],
             r["holiday_total"], r["covers_given"], r["covers_received"], r["swaps"], r["total"], r["load"]]
            for r in rows]
    tracks = list(dict.fromkeys(track for r in rows for track in r.get("last_served", {})))
    header += [t("stats_last", locale, track=track) for track in tracks]
    for line, r in zip(body, rows):
        line += [r["last_served"].get(track, "") for track in tracks]
    return header, body


def _write_stats_csv(path: Path, header: list[str], body: list[list]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel/WPS open it as UTF-8
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(body)


def _write_stats_xlsx(path: Path, header: list[str], body: list[list], title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in body:
        sheet.append(row)
    for i, name in enumerate(header, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(8, 2 * len(str(name)) + 2)
    sheet.freeze_panes = "C2"
    book.save(path)


@main.command()
@rules_argument
@click.option("--year", type=int, required=True, help="Calendar year.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the table (.xlsx or .csv).")
@db_option
@format_option
@force_option
@handle_errors
def stats(rules_file, year, output, db, fmt, force):
    """Served duties per person in a year: weekday nights, weekends, holidays by name, covers — for duty pay."""
    rules = read_rules(rules_file)
    loc = rules.locale
    if output is not None and output.suffix.lower() not in (".xlsx", ".csv"):
        raise RosterFileError(t("stats_bad_output", loc, path=output))
    with open_ledger(rules_file, db, rules, create=False) as ledger:
        rows = ledger.year_stats(year, rules)
        add_last_served(rows, rules, ledger_turns(ledger), date(year, 12, 31))  # 滚动排班: last 春节, 国庆节 …
    if not rows:
        click.echo(t("stats_empty", loc, year=year), err=True)
    header, body = stats_table(rows, loc)
    if output is not None:
        if output.suffix.lower() == ".csv":
            write_atomically(output, lambda tmp: _write_stats_csv(tmp, header, body), force=force, locale=loc)
        else:
            write_atomically(output, lambda tmp: _write_stats_xlsx(tmp, header, body, str(year)), force=force,
                             locale=loc)
        click.echo(t("wrote", loc, path=output), err=fmt == "json")
    if fmt == "json":
        click.echo(json.dumps({"year": year, "people": rows}, ensure_ascii=False, indent=1))
        return
    if output is None and rows:
        click.echo(render_table(header, body), nl=False)
