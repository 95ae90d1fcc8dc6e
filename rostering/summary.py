"""Per-person counts by shift and day kind, after solving or for any roster."""
from __future__ import annotations

from collections import Counter

from .constraints.fairness import loads
from .i18n import day_kind_label, t
from .problem import Problem
from .roster import Roster


def person_counts(roster: Roster, problem: Problem) -> list[dict]:
    """One row per person with any duty: counts per shift id, per day kind, total and load."""
    load = loads(roster, problem)
    rows = []
    by_person: dict[str, Counter] = {}
    for a in roster.assignments:
        c = by_person.setdefault(a.person, Counter())
        c[("shift", a.shift)] += 1
        day = problem.day_of.get(a.date)
        if day:
            c[("kind", day.kind)] += 1
    for p in problem.people:
        c = by_person.get(p.name)
        if not c:
            continue
        rows.append({"person": p.name, "group": p.group,
                     "shifts": {s.id: c[("shift", s.id)] for s in problem.shifts},
                     "kinds": {k: c[("kind", k)] for k in ("workday", "adjusted_workday", "weekend", "holiday")},
                     "total": sum(v for (kind, _), v in c.items() if kind == "shift"),
                     "load": load.get(p.name, 0) / 10})
    return rows


def render_counts(rows: list[dict], problem: Problem) -> str:
    """A terminal table (rich handles the width of Chinese characters)."""
    from rich.console import Console
    from rich.table import Table
    loc = problem.locale
    table = Table(show_lines=False)
    table.add_column(t("summary_person", loc))
    table.add_column(t("summary_group", loc))
    for s in problem.shifts:
        table.add_column(s.display, justify="right")
    kinds = ("workday", "adjusted_workday", "weekend", "holiday")
    for k in kinds:
        table.add_column(day_kind_label(k, loc), justify="right")
    table.add_column(t("summary_total", loc), justify="right")
    table.add_column(t("summary_load", loc), justify="right")
    for r in rows:
        table.add_row(r["person"], r["group"], *[str(r["shifts"][s.id] or "") for s in problem.shifts],
                      *[str(r["kinds"][k] or "") for k in kinds], str(r["total"]), f"{r['load']:g}")
    console = Console(width=200, record=True, force_terminal=False)
    with console.capture() as cap:
        console.print(table)
    return cap.get()
