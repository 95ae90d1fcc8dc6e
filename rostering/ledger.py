"""The duty ledger (值班台账): published rosters, approved covers and swaps, and who actually served.

An SQLite file (stdlib `sqlite3`), by default next to the rules file. Every write runs in
one `BEGIN IMMEDIATE … COMMIT` transaction, so a crash or a killed process leaves the
ledger as it was before the write. Republishing a period keeps the earlier version
(marked `replaced_by`) as an audit trail; approved changes update the current version's
assignments and are logged with approver and time. Each stored assignment carries its
day kind, holiday period and weighted load as of publishing, so history and duty-pay
statistics do not shift when the rules file changes later.
"""
from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Iterator

from .changes import Change
from .errors import ChangeError, RosterFileError
from .i18n import join_names, t
from .problem import LOAD_SCALE, Problem
from .roster import Roster
from .rules import RosterRules

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    first_date TEXT NOT NULL,
    last_date TEXT NOT NULL,
    organization TEXT NOT NULL,
    source TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL,
    assignment_count INTEGER NOT NULL,      -- lets a reader verify a version is whole
    replaced_by INTEGER REFERENCES versions(id)  -- NULL: the current version of its dates
);
CREATE TABLE assignments (
    version_id INTEGER NOT NULL REFERENCES versions(id),
    date TEXT NOT NULL,
    shift TEXT NOT NULL,
    shift_name TEXT NOT NULL,
    person TEXT NOT NULL,
    grp TEXT NOT NULL,
    day_kind TEXT NOT NULL,
    period TEXT,                            -- holiday period (春节 …) or NULL
    night INTEGER NOT NULL,
    leader INTEGER NOT NULL,
    load REAL NOT NULL,
    PRIMARY KEY (version_id, date, shift, person)
);
CREATE INDEX assignments_by_date ON assignments(date);
CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('cover', 'swap')),
    text TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE TABLE moves (
    change_id INTEGER NOT NULL REFERENCES changes(id),
    version_id INTEGER NOT NULL REFERENCES versions(id),
    date TEXT NOT NULL,
    shift TEXT NOT NULL,
    person TEXT NOT NULL,                   -- who handed the shift over
    taken_by TEXT NOT NULL                  -- who served it
);
CREATE INDEX moves_by_date ON moves(date);
"""
WEEKDAY_KINDS = ("workday", "adjusted_workday")
HISTORY_DAYS = 365  # served load this far back counts as prior load for fairness


@dataclass(frozen=True)
class Served:
    """One assignment as stored: enough to count duties and loads without the rules file."""

    date: date
    shift: str
    shift_name: str
    person: str
    group: str
    day_kind: str
    period: str | None
    night: bool
    leader: bool
    load: float


@dataclass(frozen=True)
class Version:
    id: int
    first: date
    last: date
    published_at: str
    assignment_count: int
    replaced_by: int | None


def default_path(rules_file: str | Path) -> Path:
    """`office.yaml` -> `office.roster.db` beside it."""
    rules_file = Path(rules_file)
    return rules_file.with_name(f"{rules_file.stem}.roster.db")


def served_rows(rules: RosterRules, roster: Roster) -> list[Served]:
    """The roster's assignments with day kind, holiday period and load, as the ledger stores them."""
    dates = [a.date for a in roster.assignments]
    first, last = min([roster.start, *dates]), max([roster.end, *dates])
    problem = Problem(rules, first, last)
    groups = {p.name: p.group for p in rules.staff}
    rows = []
    for a in roster.assignments:
        day = problem.day_of[a.date]
        shift = problem.shift_by_id.get(a.shift)
        slot = problem.slot_at.get((a.date, a.shift))
        rows.append(Served(a.date, a.shift, shift.display if shift else a.shift, a.person, groups.get(a.person, ""),
                           day.kind, day.period, bool(shift and shift.is_night()), bool(shift and shift.leader),
                           problem.load(slot) / LOAD_SCALE if slot else 0.0))
    return rows


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class Ledger:
    """One open ledger file. Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path, create: bool = True, locale: str = "zh"):
        self.path = Path(path)
        self.locale = locale
        if not self.path.exists() and not create:
            raise RosterFileError(t("ledger_missing", locale, path=self.path))
        if not self.path.parent.is_dir():
            raise RosterFileError(t("safe_no_folder", locale, path=self.path, folder=self.path.parent))
        with self._errors():
            self.conn = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        try:
            with self._errors():
                self.conn.execute("PRAGMA foreign_keys = ON")
                self.conn.execute("PRAGMA synchronous = FULL")
            self._ensure_schema()
        except BaseException:
            self.conn.close()
            raise

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # -- plumbing ----------------------------------------------------------
    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite errors as plain messages naming the file."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise RosterFileError(t("ledger_busy", self.locale, path=self.path))
            raise RosterFileError(t("ledger_bad", self.locale, path=self.path, detail=exc))
        except sqlite3.DatabaseError as exc:
            raise RosterFileError(t("ledger_bad", self.locale, path=self.path, detail=exc))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: the body's writes commit together or not at all."""
        with self._errors():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def _ensure_schema(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        tables = self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version or tables:
            raise RosterFileError(t("ledger_bad", self.locale, path=self.path,
                                    detail=f"schema {version}, expected {SCHEMA_VERSION}"))
        with self.transaction() as db:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def check_office(self, rules: RosterRules) -> None:
        """Refuse another office's ledger: published under another organization, and none of its people
        on our staff list (an office that renamed itself keeps its people, so its ledger still opens)."""
        with self._errors():
            offices = {r[0] for r in self.conn.execute("SELECT DISTINCT organization FROM versions")}
            if not offices or rules.organization in offices:
                return
            people = {r[0] for r in self.conn.execute("SELECT DISTINCT person FROM assignments")}
        if not people & {p.name for p in rules.staff}:
            raise RosterFileError(t("ledger_other_office", self.locale, path=self.path,
                                    other=join_names(sorted(offices), self.locale), office=rules.organization))

    # -- versions ----------------------------------------------------------
    def versions(self, current_only: bool = False) -> list[Version]:
        sql = ("SELECT id, first_date, last_date, published_at, assignment_count, replaced_by FROM versions"
               + (" WHERE replaced_by IS NULL" if current_only else "") + " ORDER BY id")
        with self._errors():
            return [Version(r[0], date.fromisoformat(r[1]), date.fromisoformat(r[2]), r[3], r[4], r[5])
                    for r in self.conn.execute(sql)]

    def current_overlapping(self, first: date, last: date) -> list[Version]:
        return [v for v in self.versions(current_only=True) if v.first <= last and first <= v.last]

    def publish(self, rules: RosterRules, roster: Roster, replace: bool = False, source: str = "",
                published_by: str = "") -> tuple[int, list[int]]:
        """Record a final roster; returns (new version id, ids of the versions it replaced)."""
        return self.publish_rows(roster.start, roster.end, served_rows(rules, roster), rules.organization,
                                 replace=replace, source=source, published_by=published_by)

    def publish_rows(self, first: date, last: date, rows: list[Served], organization: str = "",
                     replace: bool = False, source: str = "", published_by: str = "") -> tuple[int, list[int]]:
        """Store `rows` as the current version of first..last, in one transaction.

        Overlapping current versions need `replace`; they stay in the ledger, marked replaced,
        and their assignments outside first..last are carried into the new version."""
        with self.transaction() as db:
            old = self.current_overlapping(first, last)
            if old and not replace:
                raise RosterFileError(t("publish_exists", self.locale, start=first.isoformat(), end=last.isoformat(),
                                        versions=", ".join(str(v.id) for v in old)))
            lo, hi = min([first, *(v.first for v in old)]), max([last, *(v.last for v in old)])
            new_id = db.execute(
                "INSERT INTO versions (first_date, last_date, organization, source, published_by, published_at,"
                " assignment_count) VALUES (?, ?, ?, ?, ?, ?, 0)",
                (lo.isoformat(), hi.isoformat(), organization, source, published_by, _now())).lastrowid
            db.executemany(
                "INSERT INTO assignments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(new_id, r.date.isoformat(), r.shift, r.shift_name, r.person, r.group, r.day_kind, r.period,
                  int(r.night), int(r.leader), r.load) for r in rows])
            for v in old:
                db.execute(
                    "INSERT INTO assignments SELECT ?, date, shift, shift_name, person, grp, day_kind, period,"
                    " night, leader, load FROM assignments WHERE version_id = ? AND (date < ? OR date > ?)",
                    (new_id, v.id, first.isoformat(), last.isoformat()))
                db.execute("UPDATE versions SET replaced_by = ? WHERE id = ?", (new_id, v.id))
            db.execute("UPDATE versions SET assignment_count = (SELECT count(*) FROM assignments"
                       " WHERE version_id = ?) WHERE id = ?", (new_id, new_id))
        return new_id, [v.id for v in old]

    # -- approved changes --------------------------------------------------
    def record_change(self, change: Change, approved_by: str, rules: RosterRules) -> int:
        """Log an approved cover or swap and move the assignments of the current version.

        Must run inside `transaction()`, so that several changes (and the rewrite of the
        roster file) commit together."""
        if not self.conn.in_transaction:
            raise RuntimeError("record_change must run inside Ledger.transaction()")
        db, loc = self.conn, self.locale
        groups = {p.name: p.group for p in rules.staff}
        change_id = db.execute("INSERT INTO changes (kind, text, approved_by, recorded_at) VALUES (?, ?, ?, ?)",
                               (change.kind, change.describe(rules), approved_by, _now())).lastrowid
        for m in change.moves:
            row = db.execute("SELECT id FROM versions WHERE replaced_by IS NULL AND first_date <= ? AND last_date >= ?",
                             (m.date.isoformat(), m.date.isoformat())).fetchone()
            if row is None:
                raise ChangeError(t("ledger_no_version", loc, date=m.date.isoformat()))
            mismatch = ChangeError(t("ledger_mismatch", loc, person=m.person, date=m.date.isoformat(),
                                     shift=rules.shift(m.shift).display))
            try:
                updated = db.execute(
                    "UPDATE assignments SET person = ?, grp = ? WHERE version_id = ? AND date = ? AND shift = ?"
                    " AND person = ?", (m.taker, groups.get(m.taker, ""), row[0], m.date.isoformat(), m.shift,
                                        m.person)).rowcount
            except sqlite3.IntegrityError:
                raise mismatch
            if updated != 1:
                raise mismatch
            db.execute("INSERT INTO moves VALUES (?, ?, ?, ?, ?, ?)",
                       (change_id, row[0], m.date.isoformat(), m.shift, m.person, m.taker))
        return change_id

    # -- history -----------------------------------------------------------
    def served(self, first: date, last: date) -> list[Served]:
        """Assignments of the current versions between first and last, after covers and swaps."""
        with self._errors():
            rows = self.conn.execute(
                "SELECT a.date, a.shift, a.shift_name, a.person, a.grp, a.day_kind, a.period, a.night, a.leader,"
                " a.load FROM assignments a JOIN versions v ON v.id = a.version_id"
                " WHERE v.replaced_by IS NULL AND a.date BETWEEN ? AND ? ORDER BY a.date, a.shift, a.person",
                (first.isoformat(), last.isoformat())).fetchall()
        return [Served(date.fromisoformat(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), bool(r[8]), r[9])
                for r in rows]

    def served_load(self, first: date, last: date) -> dict[str, float]:
        """Weighted load each person served between first and last: the prior load for fairness."""
        out: dict[str, float] = defaultdict(float)
        for r in self.served(first, last):
            out[r.person] += r.load
        return {name: round(value, 1) for name, value in out.items()}

    def prior_load(self, start: date) -> tuple[dict[str, float], date, date]:
        """Served load over the HISTORY_DAYS before `start`, with the range it covers."""
        first, last = start - timedelta(days=HISTORY_DAYS), start - timedelta(days=1)
        return self.served_load(first, last), first, last

    def moves(self, first: date, last: date) -> list[tuple[str, str, str]]:
        """(kind, person, taken_by) of every approved move dated between first and last."""
        with self._errors():
            return self.conn.execute(
                "SELECT c.kind, m.person, m.taken_by FROM moves m JOIN changes c ON c.id = m.change_id"
                " WHERE m.date BETWEEN ? AND ? ORDER BY c.id", (first.isoformat(), last.isoformat())).fetchall()

    def year_stats(self, year: int, rules: RosterRules | None = None) -> list[dict]:
        """Per person for the duty-pay clerk: weekday nights, weekends, holidays by period, covers, load.

        Weekends inside a holiday period count under the holiday."""
        first, last = date(year, 1, 1), date(year, 12, 31)
        counts: dict[str, Counter] = defaultdict(Counter)
        holidays: dict[str, Counter] = defaultdict(Counter)
        load: dict[str, float] = defaultdict(float)
        group: dict[str, str] = {}
        for r in self.served(first, last):
            c = counts[r.person]
            group[r.person] = r.group
            c["total"] += 1
            load[r.person] += r.load
            if r.period:
                holidays[r.person][r.period] += 1
            elif r.day_kind == "weekend":
                c["weekends"] += 1
            elif r.night and r.day_kind in WEEKDAY_KINDS:
                c["weekday_nights"] += 1
        for kind, person, taker in self.moves(first, last):
            if kind == "cover":
                counts[taker]["covers_given"] += 1
                counts[person]["covers_received"] += 1
            else:
                counts[person]["swaps"] += 1
        order = [p.name for p in rules.staff] if rules else []
        names = [n for n in order if n in counts] + sorted(n for n in counts if n not in order)
        staff_group = {p.name: p.group for p in rules.staff} if rules else {}
        return [{"person": n, "group": group.get(n) or staff_group.get(n, ""),
                 "weekday_nights": counts[n]["weekday_nights"], "weekends": counts[n]["weekends"],
                 "holidays": dict(sorted(holidays[n].items())), "holiday_total": sum(holidays[n].values()),
                 "covers_given": counts[n]["covers_given"], "covers_received": counts[n]["covers_received"],
                 "swaps": counts[n]["swaps"], "total": counts[n]["total"], "load": round(load[n], 1)}
                for n in names]
