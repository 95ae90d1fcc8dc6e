"""Rolling holiday rotation (滚动排班) and the approved holiday plan, stated as requirements.

For one rotation and one track (春节, 国庆节, the other holidays), the holidays in the range
are taken in date order. With the line from `rotation.line` (tiers of tied units, first in
line first) and M_j the turns the first j holidays need, a unit whose whole tier lies in the
first M_j places is *due*: it should have served by holiday j, else a cost (it was skipped
and, keeping the oldest record, is first next time). A unit whose tier starts at or after
place M_j is *not yet due*: serving by holiday j costs more the further back it stands, so
a gap goes to the next in line. A tier cut by M_j is free: fairness picks among its units.
The line repeats when a holiday needs more turns than there are units (few leaders, long
春节). Groups take whole days: on each holiday day at most `per_day` groups are on duty.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import t
from ..problem import Key, Problem, Slot
from ..rotation import (Occurrence, Turn, history_of, last_served, line, occurrence_label, occurrence_of, plan_of,
                        roster_turns, track_label, track_of, units)
from ..rules import HolidayRotation
from .base import AnyCount, Requirement, Rule

PLAN_WEIGHT = 10000  # leaving the approved plan costs more than any rotation or fairness gain


def due_turns(start: int, end: int, size: int, needed: int) -> int:
    """Turns a unit at places [start, end) of a line of `size` units surely gets when `needed` are taken."""
    return 0 if needed < end else (needed - end) // size + 1


def possible_turns(start: int, size: int, needed: int) -> int:
    """Turns a unit whose places begin at `start` may get when `needed` are taken from the repeating line."""
    return 0 if needed <= start else (needed - start - 1) // size + 1


def places_in(tiers: list[list[str]]) -> tuple[dict[str, tuple[int, int]], int]:
    """Each unit's places [start, end) in the line (a tie shares its tier's places), and the line's length."""
    places, start = {}, 0
    for tier in tiers:
        for unit in tier:
            places[unit] = (start, start + len(tier))
        start += len(tier)
    return places, start


@dataclass
class RollingRotation(Rule):
    rotation: HolidayRotation
    family = "holiday_rotation"

    def requirements(self, problem: Problem):
        rot = self.rotation
        by_track: dict[str, dict[Occurrence, list[Slot]]] = {}
        for slot in problem.slots:
            if slot.shift.id in rot.shifts and slot.day.period:
                occurrence = occurrence_of(slot.date, slot.day.period)
                by_track.setdefault(track_of(rot, slot.day.period), {}).setdefault(occurrence, []).append(slot)
        if not by_track:
            return
        plan = plan_of(problem)
        planned_dates = {a.date for a in plan.assignments} if plan else set()
        in_range = {occ for per in by_track.values() for occ in per}
        planned = {occ for per in by_track.values() for occ, slots in per.items()
                   if all(s.date in planned_dates for s in slots)}
        history = [turn for turn in history_of(problem) if turn.date < problem.start or (
            turn.date > problem.end and occurrence_of(turn.date, turn.period) in in_range)]
        if plan is not None:  # a planned holiday is served as planned: it counts as done
            history += [turn for turn in roster_turns(plan, problem)
                        if occurrence_of(turn.date, turn.period) in planned]
        for track, per in by_track.items():
            holidays = sorted(((occ, slots) for occ, slots in per.items() if occ not in planned),
                              key=lambda item: min(s.date for s in item[1]))
            if holidays:
                yield from self._track(problem, track, holidays, history)
                if rot.unit == "group":
                    yield from self._one_group_a_day(problem, holidays)

    def _track(self, problem: Problem, track: str, holidays: list[tuple[Occurrence, list[Slot]]],
               history: list[Turn]):
        rot, rules, loc = self.rotation, problem.rules, problem.locale
        members = units(rot, rules)
        tiers = line(rot, rules, track, history)
        if not tiers:
            return
        turns = {u: [self._turn_groups(problem, names, slots) for _, slots in holidays] for u, names in members.items()}
        needed, total = [], 0
        for _, slots in holidays:
            total += (rot.per_day or 1) * len({s.date for s in slots}) if rot.unit == "group" \
                else sum(s.need for s in slots)
            needed.append(total)
        # A unit away for every holiday so far (hard leave) is skipped: the line moves up past it,
        # so whoever fills in is not out of turn; the skipped unit is still due (and reported).
        can = set(problem.keys)
        full = places_in(tiers)
        lines = []
        for j in range(len(holidays)):
            away = {u for u, parts in turns.items() if not any(k in can for part in parts[:j + 1] for g in part for k in g)}
            lines.append(places_in([[u for u in tier if u not in away] for tier in tiers]))
        last = last_served(rot, rules, track, history)
        labels = [occurrence_label(occ, loc) for occ, _ in holidays]
        sep = "、" if loc == "zh" else ", "
        due_now = [sep.join(u for u, (a, b) in places.items() if due_turns(a, b, size, n)) or "—"
                   for (places, size), n in zip(lines, needed)]
        for unit, names in members.items():
            before_due = 0
            for j in range(len(holidays)):
                groups = tuple(g for part in turns[unit][:j + 1] for g in part)
                if not groups:
                    continue
                places, size = lines[j] if unit in lines[j][0] else full
                a, b = places[unit]
                due, may = due_turns(a, b, size, needed[j]), possible_turns(a, size, needed[j])
                params = (("unit", unit), ("occasion", sep.join(labels[:j + 1])), ("track", track_label(track, loc)),
                          ("last", occurrence_label(last[unit], loc) if unit in last else t("rotation_never", loc)),
                          ("due", due_now[j]))
                first_day = min(s.date for s in holidays[j][1])
                if due > before_due:
                    yield self._count(groups, lo=due, weight=rot.weight, date=first_day, people=names,
                                      message="v_holiday_rotation_due", fix="v_holiday_rotation_due_fix",
                                      params=params + (("bound", due),))
                before_due = due
                later = None
                if j + 1 < len(holidays):
                    places_next, size_next = lines[j + 1] if unit in lines[j + 1][0] else full
                    later = possible_turns(places_next[unit][0], size_next, needed[j + 1])
                if may < len(groups) and later != may:
                    behind = may * size + a - needed[j]  # places between the end of the line and this unit
                    yield self._count(groups, hi=may, weight=rot.weight + rot.weight // 10 * max(0, behind),
                                      date=first_day, people=names, message="v_holiday_rotation_early",
                                      fix="v_holiday_rotation_early_fix", params=params + (("bound", may),))

    def _turn_groups(self, problem: Problem, names: tuple[str, ...], slots: list[Slot]) -> list[tuple[Key, ...]]:
        """The unit's possible turns: one key per duty for a person, one group of keys per day for a group."""
        keys = [(n, s.date, s.shift.id) for s in slots for n in names if n in problem.eligible[s.id]]
        if self.rotation.unit == "person":
            return [(k,) for k in keys]
        by_day: dict = {}
        for k in keys:
            by_day.setdefault(k[1], []).append(k)
        return [tuple(v) for _, v in sorted(by_day.items())]

    def _count(self, groups: tuple[tuple[Key, ...], ...], **kw) -> Requirement:
        """Turns served: a plain sum for people, days with any member on duty for groups."""
        kw["people"] = tuple(kw["people"])
        if self.rotation.unit == "person":
            return Requirement(self.family, tuple((g[0], 1) for g in groups), **kw)
        return AnyCount(self.family, (), groups=groups, **kw)

    def _one_group_a_day(self, problem: Problem, holidays: list[tuple[Occurrence, list[Slot]]]):
        """Groups take whole days: at most `per_day` groups on duty on each holiday day."""
        most = self.rotation.per_day or 1
        members = units(self.rotation, problem.rules)
        for _, slots in holidays:
            for day in sorted({s.date for s in slots}):
                todays = [s for s in slots if s.date == day]
                groups = tuple(g for names in members.values() for g in self._turn_groups(problem, names, todays))
                if len(groups) > most:
                    yield AnyCount(self.family, (), hi=most, weight=self.rotation.weight, date=day,
                                   message="v_holiday_rotation_groups", fix="v_holiday_rotation_groups_fix",
                                   groups=groups, params=(("date", day.isoformat()), ("bound", most)))


@dataclass
class HolidayPlan(Rule):
    """The approved holiday plan (节假日值班计划) is kept: each planned duty costs PLAN_WEIGHT if moved."""

    weight: int = field(default=PLAN_WEIGHT)
    family = "holiday_plan"

    def requirements(self, problem: Problem):
        plan = plan_of(problem)
        if plan is None:
            return
        for a in plan.assignments:
            if problem.start <= a.date <= problem.end and (a.date, a.shift) in problem.slot_at:
                yield Requirement(self.family, (((a.person, a.date, a.shift), 1),), lo=1, weight=self.weight,
                                  date=a.date, shift=a.shift, people=(a.person,), message="v_holiday_plan",
                                  fix="v_holiday_plan_fix",
                                  params=(("date", a.date.isoformat()), ("shift", a.shift), ("person", a.person)))


def holiday_rules(problem: Problem) -> list[Rule]:
    """One rule per rotation of the rules file, and the plan when one is attached to the problem."""
    out: list[Rule] = [RollingRotation(r) for r in problem.rules.holiday_rotation]
    if plan_of(problem) is not None:
        out.append(HolidayPlan())
    return out
