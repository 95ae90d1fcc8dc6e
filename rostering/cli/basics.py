"""`roster validate` and `roster calendar`."""
from __future__ import annotations

import json
from datetime import date

import click

from ..calendar import DutyCalendar
from ..i18n import day_kind_label, t
from . import main
from .options import format_option, handle_errors, read_rules, rules_argument


@main.command()
@rules_argument
@handle_errors
def validate(rules_file):
    """Check a rules file and list every problem with file:line:column."""
    rules = read_rules(rules_file)
    click.echo(t("rules_valid", rules.locale, path=rules_file, staff=len(rules.staff), shifts=len(rules.all_shifts)))


@main.command()
@rules_argument
@click.option("--year", type=int, help="A whole year.")
@click.option("--month", help="A month, YYYY-MM.")
@format_option
@handle_errors
def calendar(rules_file, year, month, fmt):
    """Day kinds (workday, weekend, holiday, adjusted workday) and holiday periods."""
    from .options import parse_month
    rules = read_rules(rules_file)
    if month:
        start, end = parse_month(month)
    elif year:
        start, end = date(year, 1, 1), date(year, 12, 31)
    else:
        raise click.UsageError("give --year YYYY or --month YYYY-MM")
    cal = DutyCalendar(rules)
    for y in cal.missing_adjusted_years(range(start.year, end.year + 1)):
        click.echo(t("no_adjusted_data", rules.locale, year=y), err=True)
    days = cal.days(start, end)
    loc = rules.locale
    if fmt == "json":
        click.echo(json.dumps([{"date": d.date.isoformat(), "kind": d.kind, "period": d.period_label(loc),
                                "holiday": d.holiday, "periods": sorted(d.periods), "season": d.season}
                               for d in days], ensure_ascii=False, indent=1))
        return
    weekdays = "一二三四五六日" if loc == "zh" else ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    for d in days:
        extra = " ".join(x for x in (d.period_label(loc) or "", d.season or "") if x)
        click.echo(f"{d.date.isoformat()} {weekdays[d.date.weekday()]:>3} {day_kind_label(d.kind, loc)} {extra}".rstrip())
