"""Options and helpers shared by every command, defined once."""
from __future__ import annotations

import functools
import os
import sys
from datetime import date
from pathlib import Path

import click

from ..errors import Diagnostic, RosterError, RulesError
from ..i18n import t
from ..loading import load_rules
from ..rules import RosterRules

EXIT_BAD_INPUT = 2

rules_argument = click.argument("rules_file", metavar="RULES", type=click.Path(dir_okay=False, path_type=Path))
format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                             show_default=True, help="Output format.")
force_option = click.option("--force", is_flag=True, help="Overwrite existing output files.")
def solver_options(seconds: float, per: str = ""):
    """--time-limit, --seed and --workers, the same for every command that solves."""
    def apply(func):
        func = click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
                            help="Solver threads. 1 gives the same roster on every run; more can be faster on "
                                 "large offices, but equally good rosters may then differ between runs.")(func)
        func = click.option("--seed", type=int, default=0, show_default=True,
                            help="Random seed (same inputs, seed and one worker: same roster).")(func)
        return click.option("--time-limit", type=click.FloatRange(min=0.1), default=seconds, show_default=True,
                            help=f"Seconds the solver may use{per}.")(func)
    return apply


db_option = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                         help="Ledger database (default: next to the rules file).")


def handle_errors(func):
    """Turn domain errors into a plain message and exit code 2: never a traceback for bad input."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except RosterError as err:
            if err.problems:
                for p in err.problems:
                    click.echo(p.render(), err=True)
            else:
                click.echo(str(err), err=True)
            sys.exit(err.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # click reports usage errors itself (exit 2)
        except BrokenPipeError:  # output piped into `head` and closed early: not an error
            sys.stderr.close()
            sys.exit(0)
        except KeyboardInterrupt:
            click.echo("已中断 / interrupted", err=True)
            sys.stdout.flush()
            sys.stderr.flush()
            # Leave at once: files are written atomically and the ledger in transactions, so nothing
            # is half-done, while OR-Tools' threads may not survive a normal interpreter shutdown.
            os._exit(130)
        except Exception as exc:  # a bug, not bad input: say so briefly, keep the traceback for debugging
            if os.environ.get("ROSTER_DEBUG"):
                raise
            click.echo(f"内部错误 / internal error: {type(exc).__name__}: {exc} "
                       "(set ROSTER_DEBUG=1 for details and report it)", err=True)
            sys.exit(3)
    return wrapper


def read_rules(path: Path, to_solve: bool = False) -> RosterRules:
    """The validated rules; `to_solve` also asks for a staff list (a calendar-only file may have none)."""
    rules = load_rules(path)
    if to_solve and not rules.staff:
        raise RulesError(problems=[Diagnostic(t("staff_empty", rules.locale), str(path),
                                              hint=t("staff_empty_hint", rules.locale))])
    return rules


def parse_month(text: str) -> tuple[date, date]:
    try:
        year, month = (int(x) for x in text.split("-"))
        start = date(year, month, 1)
    except ValueError:
        raise click.BadParameter(f"'{text}' is not a month like 2026-12")
    end = date(year + (month == 12), month % 12 + 1, 1)
    from datetime import timedelta
    return start, end - timedelta(days=1)


def date_range(month: str | None, start: str | None, end: str | None) -> tuple[date, date]:
    """--month YYYY-MM or --from/--to dates, checked."""
    if month:
        return parse_month(month)
    if not (start and end):
        raise click.UsageError("give --month YYYY-MM, or both --from and --to")
    try:
        a, b = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as exc:
        raise click.BadParameter(str(exc))
    if b < a:
        raise click.BadParameter(f"--to {b} is before --from {a}")
    return a, b


def period_options(func):
    func = click.option("--to", "end", help="Last date, YYYY-MM-DD.")(func)
    func = click.option("--from", "start", help="First date, YYYY-MM-DD.")(func)
    return click.option("--month", help="A month, YYYY-MM.")(func)
