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
    """The per-person table for the terminal; shifts and day kinds nobody served that period are left out."""
    loc = problem.locale
    shifts = [s for s in problem.shifts if any(r["shifts"][s.id] for r in rows)]
    kinds = [k for k in ("workday", "adjusted_workday", "weekend", "holiday") if any(r["kinds"][k] for r in rows)]
    header = [t("summary_person", loc), t("summary_group", loc), *[s.display for s in shifts],
              *[day_kind_label(k, loc) for k in kinds], t("summary_total", loc), t("summary_load", loc)]
    body = [[r["person"], r["group"], *[r["shifts"][s.id] or "" for s in shifts], *[r["kinds"][k] or "" for k in kinds],
             r["total"], r["load"]] for r in rows]
    return render_table(header, body)


def render_table(header: list[str], body: list[list], text_columns: int = 2) -> str:
    """A terminal table at its natural width, headers never cut short (rich measures Chinese characters);
    the first `text_columns` align left, the numbers right."""
    from rich.console import Console
    from rich.table import Table
    table = Table()
    for i, name in enumerate(header):
        table.add_column(name, justify="left" if i < text_columns else "right", no_wrap=True)
    for row in body:
        table.add_row(*[f"{v:g}" if isinstance(v, float) else str(v) for v in row])
    console = Console(width=100_000, record=True, force_terminal=False)  # the table's own width, not the screen's
    with console.capture() as cap:
        console.print(table)
    return "\n".join(line.rstrip() for line in cap.get().splitlines()) + "\n"
