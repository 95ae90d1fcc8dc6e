"""The rostering problem in pure Python: rules + calendar -> slots, candidates and loads.

Both faces of every rule read this object, so the solver and `roster check` see the
same slots, the same eligibility and the same time windows.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Callable, Iterable, TypeVar

from .calendar import Day, DutyCalendar
from .roster import Assignment, Roster
from .rules import Person, RosterRules, Shift, Window

Key = tuple[str, date, str]  # (person, date, shift id)
T = TypeVar("T")
LOAD_SCALE = 10  # loads are integers in tenths, so weights like 1.5 stay exact


def may_take(person: Person, shift: Shift) -> bool:
    """Whether a person's group and roles allow a shift at all (ignoring dates and leave)."""
    if person.group and person.group in shift.exclude_groups:
        return False
    if person.name in shift.people:
        return True
    if not shift.groups and not shift.roles:
        return not shift.people
    group_ok = not shift.groups or person.group in shift.groups
    role_ok = not shift.roles or any(r in shift.roles for r in person.roles)
    return group_ok and role_ok


@dataclass(frozen=True)
class Slot:
    """One shift on one date, needing `need` people."""

    day: Day
    shift: Shift
    need: int
    windows: tuple[Window, ...]

    @property
    def date(self) -> date:
        return self.day.date

    @cached_property
    def id(self) -> tuple[date, str]:
        return (self.day.date, self.shift.id)

    def intervals(self) -> list[tuple[datetime, datetime]]:
        """Absolute (start, end) times; a night window ends on the next date."""
        midnight = datetime.combine(self.day.date, datetime.min.time())
        return [(midnight + timedelta(minutes=w.start), midnight + timedelta(minutes=w.end)) for w in self.windows]

    @cached_property
    def minutes(self) -> int:
        """Duty minutes: the windows' lengths (a split shift counts both parts)."""
        return sum(w.minutes for w in self.windows)

    @property
    def begins(self) -> datetime:
        return self.intervals()[0][0]

    @property
    def ends(self) -> datetime:
        return self.intervals()[-1][1]


def runs_on(shift: Shift, day: Day) -> bool:
    if day.kind not in shift.days or shift.headcount_on(day.kind) <= 0:
        return False
    if set(shift.exclude_periods) & day.periods:
        return False
    return shift.periods is None or bool(set(shift.periods) & day.periods)


class Problem:
    """Slots over a date range and who may fill each; built once, shared by model and check."""

    def __init__(self, rules: RosterRules, start: date, end: date,
                 prior_load: dict[str, float] | None = None, days: list[Day] | None = None):
        self.rules = rules
        self.locale = rules.locale
        self.start, self.end = start, end
        self.calendar = DutyCalendar(rules)
        self.days: list[Day] = days if days is not None else self.calendar.days(start, end)
        self.day_of = {d.date: d for d in self.days}
        self.shifts: list[Shift] = rules.all_shifts
        self.shift_by_id = {s.id: s for s in self.shifts}
        self.people: list[Person] = list(rules.staff)
        self.person_by_name = {p.name: p for p in self.people}
        self.prior_load = {p.name: p.prior_load for p in self.people}
        for name, value in (prior_load or {}).items():
            self.prior_load[name] = self.prior_load.get(name, 0) + value
        self.slots: list[Slot] = [
            Slot(day, s, s.headcount_on(day.kind), s.windows_for(day.season))
            for day in self.days for s in self.shifts if runs_on(s, day)]
        self.slot_at = {slot.id: slot for slot in self.slots}
        # Rolling holiday rotation: who served which holiday before, and an approved plan to keep
        # (`rotation.attach` fills them from the ledger / a plan file).
        self.holiday_history: tuple = ()
        self.holiday_plan = None
        self._shared: dict = {}

    def shared(self, key, build: Callable[[], T]) -> T:
        """What `build()` derives from this problem alone, built once per `key`.

        Rules stated person by person reuse what they derive from the whole calendar
        (which slots overlap, each day's duties) instead of deriving it for every person."""
        if key not in self._shared:
            self._shared[key] = build()
        return self._shared[key]

    @classmethod
    def for_roster(cls, rules: RosterRules, roster, prior_load: dict[str, float] | None = None) -> "Problem":
        """The problem a roster answers: its dates, or only the holiday days for a holiday plan."""
        days = None
        if roster.is_holiday_plan:
            days = [d for d in DutyCalendar(rules).days(roster.start, roster.end) if d.period]
        return cls(rules, roster.start, roster.end, prior_load=prior_load, days=days)

    # -- who may take what -------------------------------------------------
    @cached_property
    def _leave_by_day(self) -> dict[tuple[str, date], list]:
        """Leave entries per (person, date) inside the range: a lookup, not a scan per slot."""
        out: dict[tuple[str, date], list] = {}
        for p in self.people:
            for u in p.unavailable:
                day = max(u.start, self.start)
                while day <= min(u.end, self.end):  # type: ignore[type-var]
                    out.setdefault((p.name, day), []).append(u)
                    day += timedelta(days=1)
        return out

    def unavailability(self, person: Person, slot: Slot):
        """The leave entry that keeps `person` from `slot`, if any."""
        for u in self._leave_by_day.get((person.name, slot.date), ()):
            if u.shifts is None or slot.shift.id in u.shifts:
                return u
        return None

    @cached_property
    def eligible(self) -> dict[tuple[date, str], list[str]]:
        """Per slot, the people whose group/role allow it (leave not considered)."""
        by_shift = {s.id: [p.name for p in self.people if s.id in self.shifts_of[p.name]] for s in self.shifts}
        return {slot.id: by_shift[slot.shift.id] for slot in self.slots}

    @cached_property
    def shifts_of(self) -> dict[str, frozenset[str]]:
        """Per person, the shifts their group and roles allow."""
        return {p.name: frozenset(s.id for s in self.shifts if may_take(p, s)) for p in self.people}

    @cached_property
    def slots_by_person(self) -> dict[str, list[Slot]]:
        """Per person, the slots their group and roles allow (leave not considered), in slot order."""
        out: dict[str, list[Slot]] = {p.name: [] for p in self.people}
        for slot in self.slots:
            for name in self.eligible[slot.id]:
                out[name].append(slot)
        return out

    @cached_property
    def candidates(self) -> dict[tuple[date, str], list[str]]:
        """Per slot, the people who may be assigned in a solution: eligible and not on hard leave."""
        out = {}
        for slot in self.slots:
            names = []
            for name in self.eligible[slot.id]:
                u = self.unavailability(self.person_by_name[name], slot)
                if u is None or u.weight is not None:
                    names.append(name)
            out[slot.id] = names
        return out

    @cached_property
    def keys(self) -> list[Key]:
        return [(name, slot.date, slot.shift.id) for slot in self.slots for name in self.candidates[slot.id]]

    @cached_property
    def keys_by_person(self) -> dict[str, list[Key]]:
        """Each person's candidate keys, in the order of `keys` (a part's model need not scan them all)."""
        out: dict[str, list[Key]] = {p.name: [] for p in self.people}
        for key in self.keys:
            out[key[0]].append(key)
        return out

    @cached_property
    def key_order(self) -> dict[Key, int]:
        return {key: i for i, key in enumerate(self.keys)}

    def slot_of(self, key: Key) -> Slot | None:
        return self.slot_at.get((key[1], key[2]))

    def roster_of(self, keys: Iterable[Key]) -> Roster:
        """The roster over this problem's range making these assignments (as a solver's keys name them)."""
        chosen = [Assignment(d, s, p) for (p, d, s) in keys]
        return Roster(self.start, self.end, chosen, {"organization": self.rules.organization})

    # -- load, for fairness -----------------------------------------------
    def load(self, slot: Slot) -> int:
        """Weighted load of one assignment in integer tenths: shift weight × day-kind weight × night factor."""
        fair = self.rules.fairness
        value = slot.shift.weight * fair.day_weights.get(slot.day.kind, 1.0)
        if slot.shift.is_night():
            value *= fair.night_weight
        return round(value * LOAD_SCALE)

    @cached_property
    def pools(self) -> dict[str, list[str]]:
        """Groups of interchangeable people whose loads are levelled; leaders form their own pools."""
        takers: dict[str, set[str]] = {}
        for slot in self.slots:
            for name in self.eligible[slot.id]:
                takers.setdefault(name, set()).add(slot.shift.id)
        mode = self.rules.fairness.pools
        pools: dict[str, list[str]] = {}
        for p in self.people:
            shifts = takers.get(p.name)
            if not shifts:
                continue
            leader_only = all(self.shift_by_id[s].leader for s in shifts)
            if mode == "eligibility":
                base = "+".join(self.shift_by_id[s].display for s in sorted(shifts))
            else:
                base = (p.group or "*") if mode == "group" else "*"
                base += "/leader" if leader_only else ""
            pools.setdefault(base, []).append(p.name)
        return pools

    def weeks(self) -> list[list[Day]]:
        """Calendar weeks (Monday first) overlapping the range, each clipped to it."""
        out: dict[date, list[Day]] = {}
        for d in self.days:
            out.setdefault(d.date - timedelta(days=d.date.weekday()), []).append(d)
        return list(out.values())
