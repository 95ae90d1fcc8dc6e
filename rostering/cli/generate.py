"""`roster generate`: rules + dates -> solved roster written to one or more files."""
from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

import click

from ..errors import RosterFileError
from ..i18n import t
from ..changes import roster_diff
from ..io import check_output, load_roster, save_roster_files
from ..problem import Problem
from ..roster import Roster
from ..summary import person_counts, render_counts
from . import main
from .holidays import plan_option, with_rotation
from .ledger import ledger_lead_in, ledger_prior_load
from .options import (date_range, db_option, force_option, format_option, handle_errors, period_options, read_rules,
                      rules_argument, solver_options)
from .prior import prior_option, read_prior_load


@main.command()
@rules_argument
@period_options
@click.option("-o", "--output", "outputs", multiple=True, required=True,
              help="Output file; the extension picks the format (.xlsx, .json, .csv, .ics). Repeatable.")
@solver_options(30.0)
@click.option("--progress/--no-progress", default=None, help="Show solver progress on stderr (default: when interactive).")
@prior_option
@db_option
@plan_option
@click.option("--keep", type=click.Path(dir_okay=False), metavar="ROSTER",
              help="Re-plan: keep as much of this roster as the rules allow, and print what changed.")
@click.option("--log-sheets", is_flag=True,
              help="Excel: add a printable 值班记录/交接班记录 (duty log and handover) page per day.")
@click.option("--per-person", is_flag=True, help="ICS: one calendar file per person (roster-张三.ics …).")
@format_option
@force_option
@handle_errors
def generate(rules_file, month, start, end, outputs, time_limit, seed, workers, progress, prior, db, plan, keep,
             log_sheets, per_person, fmt, force):
    """Solve a roster for a month or date range and write it."""
    from ..solve import print_progress, solve  # ortools loads only for commands that solve
    rules = read_rules(rules_file, to_solve=True)
    first, last = date_range(month, start, end)
    unique: dict[Path, str] = {}
    for out in outputs:  # `-o a.json -o ./a.json` is one file, written once (not refused as existing the second time)
        unique.setdefault(Path(out).resolve(), out)
    outputs = list(unique.values())
    for out in outputs:
        check_output(out, force, rules.locale)
    lead_in = ledger_lead_in(rules_file, db, rules, first)  # served days just before, pinned
    begin = min((a.date for a in lead_in), default=first)
    kept = load_roster(keep, rules) if keep else None
    show = sys.stderr.isatty() if progress is None else progress
    loc = rules.locale
    if kept is not None and (kept.end < first or kept.start > last):  # the wrong month's file: nothing to keep
        raise RosterFileError(t("keep_no_overlap", loc, path=keep, start=kept.start.isoformat(),
                                end=kept.end.isoformat(), first=first.isoformat(), last=last.isoformat()))

    def run(since):
        prior_load = read_prior_load(prior, rules) if prior else {}
        for name, value in (ledger_prior_load(rules_file, db, rules, since) or {}).items():
            prior_load[name] = prior_load.get(name, 0) + value  # --prior and the ledger's served load add up
        problem = with_rotation(Problem(rules, since, last, prior_load=prior_load or None), rules_file, db, plan)
        served = Roster(since, first - timedelta(days=1), lead_in) if since < first else None
        return problem, solve(problem, time_limit=time_limit, workers=workers, seed=seed,
                              progress=print_progress if show else None, keep=kept, fixed=served)

    problem, result = run(begin)
    if begin < first and not result.found:  # the served days themselves break a rule: plan without them
        click.echo(t("lead_in_ignored", loc, start=begin.isoformat()), err=True)
        problem, result = run(first)
    if result.found and begin < first:
        result.roster = Roster(first, last, [a for a in result.roster.assignments if a.date >= first],
                               result.roster.meta)
    summary = {"status": result.status.value, "objective": result.objective, "bound": result.bound,
               "seconds": round(result.seconds, 3), "assignments": len(result.roster.assignments) if result.roster else 0,
               "outputs": [], "conflicts": result.conflicts}
    if not result.found:
        if fmt == "json":
            click.echo(json.dumps(summary, ensure_ascii=False, indent=1))
        else:
            click.echo(t("infeasible_head", loc) if result.conflicts else t("infeasible_unknown", loc), err=True)
            for line in result.conflicts:
                click.echo(f"  - {line}", err=True)
        sys.exit(1)
    for out in outputs:
        paths = save_roster_files(out, result.roster, rules, force=force, per_person=per_person, log_sheets=log_sheets)
        summary["outputs"] += [str(path) for path in paths]
    if kept is not None:
        summary["changes"] = roster_diff(rules, kept, result.roster)
    if fmt == "json":
        click.echo(json.dumps(summary, ensure_ascii=False, indent=1))
        return
    click.echo(render_counts(person_counts(result.roster, problem), problem), nl=False)
    click.echo(f"{t('status_' + result.status.value, loc)}  objective={result.objective:g}  "
               f"bound={result.bound:g}  {result.seconds:.2f}s")
    for path in summary["outputs"]:
        click.echo(t("wrote", loc, path=path))
    if kept is not None:  # re-plan: say what moved
        diff = summary["changes"]
        click.echo(t("keep_diff", loc, path=keep, kept=diff["kept"], removed=len(diff["removed"]),
                     added=len(diff["added"])) if diff["removed"] or diff["added"] else t("keep_same", loc, path=keep))
        for sign, rows in (("-", diff["removed"]), ("+", diff["added"])):
            for r in rows:
                click.echo(f"  {sign} {r['date']} {r['shift_name']} {r['person']}")
