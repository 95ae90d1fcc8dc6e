"""Covers (代班/顶班) and swaps (换班) on a roster: parsing, the substitution policy, and finding substitutes.

A change is a set of `Move`s (one person hands a slot to another): a cover is one move,
a swap two. The roster rules themselves are checked by `check_roster`; this module adds
what only changes have: who may cover whom (`rules.substitution.cover`) and who approves
(the day's leader on duty). `substitutes` screens every possible cover and swap with the
rules' own requirements, re-evaluating only those a move touches, so it stays fast on
large offices and agrees with `check_roster` by construction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .constraints import Requirement, Violation, rules_for
from .constraints.fairness import loads
from .errors import ChangeError
from .i18n import did_you_mean, join_names, t
from .problem import LOAD_SCALE, Key, Problem
from .roster import Assignment, Roster
from .rules import CoverRule, RosterRules, Shift

_COVER_ARROW = re.compile(r"\s*(?:->|→|=>)\s*")
_SWAP_ARROW = re.compile(r"\s*(?:<->|↔|<=>)\s*")


@dataclass(frozen=True)
class Move:
    """`person` hands the shift on `date` to `taker`."""

    date: date
    shift: str
    person: str
    taker: str

    @property
    def removed(self) -> Assignment:
        return Assignment(self.date, self.shift, self.person)

    @property
    def added(self) -> Assignment:
        return Assignment(self.date, self.shift, self.taker)


@dataclass(frozen=True)
class Change:
    kind: str  # "cover" | "swap"
    moves: tuple[Move, ...]
    text: str = ""

    @property
    def dates(self) -> list[date]:
        return sorted({m.date for m in self.moves})

    def describe(self, rules: RosterRules) -> str:
        loc = rules.locale
        if self.kind == "cover":
            m = self.moves[0]
            return t("change_cover", loc, date=m.date.isoformat(), shift=shift_label(rules, m.shift),
                     person=m.person, taker=m.taker)
        a, b = self.moves
        return t("change_swap", loc, date1=a.date.isoformat(), shift1=shift_label(rules, a.shift), person1=a.person,
                 date2=b.date.isoformat(), shift2=shift_label(rules, b.shift), person2=b.person)


def shift_label(rules: RosterRules, shift_id: str) -> str:
    try:
        return rules.shift(shift_id).display
    except KeyError:
        return shift_id


# -- parsing ---------------------------------------------------------------
def _parse_date(text: str, source: str, locale: str) -> date:
    """2026-12-05, 2026/12/5 or 2026.12.05."""
    try:
        y, m, d = (int(x) for x in re.split(r"[-/.]", text))
        return date(y, m, d)
    except ValueError:
        raise ChangeError(t("change_bad_date", locale, text=text, change=source))


def _parse_holding(text: str, source: str, rules: RosterRules, example: str) -> tuple[date, Shift, str]:
    """'2026-12-05 夜班 张三' -> (date, shift, person); the shift by id or display name."""
    parts = text.split()
    if len(parts) < 3:
        raise ChangeError(t("change_bad_form", rules.locale, change=source, example=example))
    day = _parse_date(parts[0], source, rules.locale)
    shift_name = " ".join(parts[1:-1])
    try:
        shift = rules.shift(shift_name)
    except KeyError:
        known = join_names((s.display for s in rules.all_shifts), rules.locale)
        raise ChangeError(t("change_bad_shift", rules.locale, shift=shift_name, change=source, known=known))
    return day, shift, _known_person(parts[-1], source, rules)


def _known_person(name: str, source: str, rules: RosterRules) -> str:
    try:
        return rules.person(name).name
    except KeyError:
        hint = did_you_mean(name, [p.name for p in rules.staff], rules.locale)
        raise ChangeError(t("change_bad_person", rules.locale, person=name, change=source) + (f" — {hint}" if hint else ""))


def parse_cover(text: str, rules: RosterRules) -> Change:
    """'2026-12-05 夜班 张三 -> 王五': 王五 takes 张三's night shift."""
    example = "2026-12-05 夜班 张三 -> 王五"
    sides = _COVER_ARROW.split(text.strip())
    if len(sides) != 2 or _SWAP_ARROW.search(text):
        raise ChangeError(t("change_bad_form", rules.locale, change=text, example=example))
    day, shift, person = _parse_holding(sides[0], text, rules, example)
    if len(sides[1].split()) != 1:
        raise ChangeError(t("change_bad_form", rules.locale, change=text, example=example))
    taker = _known_person(sides[1], text, rules)
    return Change("cover", (Move(day, shift.id, person, taker),), text.strip())


def parse_swap(text: str, rules: RosterRules) -> Change:
    """'2026-12-05 夜班 张三 <-> 2026-12-09 夜班 李四': the two exchange their shifts."""
    example = "2026-12-05 夜班 张三 <-> 2026-12-09 夜班 李四"
    sides = _SWAP_ARROW.split(text.strip())
    if len(sides) != 2:
        raise ChangeError(t("change_bad_form", rules.locale, change=text, example=example))
    d1, s1, p1 = _parse_holding(sides[0], text, rules, example)
    d2, s2, p2 = _parse_holding(sides[1], text, rules, example)
    return Change("swap", (Move(d1, s1.id, p1, p2), Move(d2, s2.id, p2, p1)), text.strip())


# -- applying --------------------------------------------------------------
def apply_change(roster: Roster, change: Change, rules: RosterRules) -> Roster:
    """The roster after `change`; refuses moves that do not fit the roster as it stands."""
    loc = rules.locale
    held = roster.keys
    for m in change.moves:
        shift = shift_label(rules, m.shift)
        if m.person == m.taker:
            raise ChangeError(t("change_same_person", loc, change=change.text, person=m.person))
        if not roster.start <= m.date <= roster.end:
            raise ChangeError(t("change_outside", loc, change=change.text, date=m.date.isoformat(),
                                start=roster.start.isoformat(), end=roster.end.isoformat()))
        if m.removed.key not in held:
            on = join_names(roster.on(m.date, m.shift), loc) or "—"
            raise ChangeError(t("change_not_held", loc, change=change.text, person=m.person,
                                date=m.date.isoformat(), shift=shift, holders=on))
        if m.added.key in held:
            raise ChangeError(t("change_already", loc, change=change.text, person=m.taker,
                                date=m.date.isoformat(), shift=shift))
    return roster.changed(remove=[m.removed for m in change.moves], add=[m.added for m in change.moves])


def apply_changes(roster: Roster, changes: list[Change], rules: RosterRules) -> Roster:
    for change in changes:
        roster = apply_change(roster, change, rules)
    return roster


# -- substitution policy ---------------------------------------------------
def cover_rule_for(rules: RosterRules, shift_id: str) -> CoverRule | None:
    """The cover rule for a shift: one naming the shift wins over a general one (no `shifts`)."""
    general = None
    for rule in rules.substitution.cover:
        if rule.shifts is None:
            general = general or rule
        elif shift_id in rule.shifts:
            return rule
    return general


def move_allowed(rules: RosterRules, move: Move) -> str | None:
    """Why the substitution policy forbids `move` (a message), or None when it allows it.

    `same_group` asks the taker to be in the giver's group; `groups` lists the groups that
    may cover. When only `groups` is written, `same_group` (true by default) is not applied."""
    rule = cover_rule_for(rules, move.shift)
    if rule is None:
        return None
    loc = rules.locale
    giver, taker = rules.person(move.person), rules.person(move.taker)
    shift = shift_label(rules, move.shift)
    same_group = rule.same_group and (rule.groups is None or "same_group" in rule.model_fields_set)
    if rule.groups is not None and taker.group not in rule.groups:
        return t("v_cover_groups", loc, shift=shift, groups=join_names(rule.groups, loc), taker=taker.name,
                 group=taker.group or "—")
    if same_group and taker.group != giver.group:
        return t("v_cover_same_group", loc, shift=shift, taker=taker.name, person=giver.name,
                 group=giver.group or "—")
    return None


def policy_violations(rules: RosterRules, change: Change) -> list[Violation]:
    loc = rules.locale
    out = []
    for m in change.moves:
        why = move_allowed(rules, m)
        if why:
            out.append(Violation(t("rule_substitution", loc), "substitution", m.date, m.shift, (m.person, m.taker),
                                 why + ("；" if loc == "zh" else "; ") + t("v_cover_fix", loc)))
    return out


def leaders_on_duty(rules: RosterRules, roster: Roster, day: date) -> list[str]:
    leader_ids = {s.id for s in rules.all_shifts if s.leader}
    return sorted({a.person for a in roster.assignments if a.date == day and a.shift in leader_ids})


def approvers(rules: RosterRules, roster: Roster, dates, involved=()) -> list[str]:
    """Who approves a change on `dates`: the leaders on duty those days, not counting the people it moves."""
    if rules.substitution.approval == "none":
        return []
    names: list[str] = []
    for day in sorted(set(dates)):
        names += [n for n in leaders_on_duty(rules, roster, day) if n not in involved and n not in names]
    return names


def change_approvers(rules: RosterRules, roster: Roster, change: Change) -> list[str]:
    return approvers(rules, roster, change.dates, {n for m in change.moves for n in (m.person, m.taker)})


def approval_note(rules: RosterRules, names: list[str]) -> str:
    """Who must approve, in words; empty when the rules ask for no approval."""
    if names:
        return t("change_approver", rules.locale, names=join_names(names, rules.locale))
    return t("change_no_leader", rules.locale) if rules.substitution.approval != "none" else ""


# -- screening moves fast --------------------------------------------------
@dataclass
class MoveScreen:
    """Every rule requirement of a problem, indexed by the assignments it counts.

    `delta(moves)` re-evaluates only the requirements a set of moves touches: it says
    whether a hard rule gets worse and how much the objective (soft penalties plus
    weighted fairness spread) changes — the solver's own measure of a roster."""

    problem: Problem
    roster: Roster
    reqs: list = field(init=False)
    by_key: dict[Key, list[int]] = field(init=False)
    always: list[int] = field(init=False)
    assigned: set[Key] = field(init=False)
    base_excess: list[int] = field(init=False)
    base_load: dict[str, int] = field(init=False)
    pool_of: dict[str, list[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.reqs = [req for rule in rules_for(self.problem) for req in rule.requirements(self.problem)]
        self.by_key, self.always = {}, []
        for i, req in enumerate(self.reqs):
            if type(req).value is not Requirement.value or not req.terms:
                self.always.append(i)  # counts keys its own way (weekends worked): re-evaluate every time
                continue
            for key, _ in req.terms:
                self.by_key.setdefault(key, []).append(i)
        self.assigned = self.roster.keys
        self.base_excess = [req.excess(req.value(self.assigned)) for req in self.reqs]
        self.base_load = loads(self.roster, self.problem)
        self.pool_of = {n: names for names in self.problem.pools.values() for n in names}

    def delta(self, moves: list[Move]) -> tuple[bool, int, int]:
        """(keeps every hard rule, soft-penalty change, fairness-spread change in tenths).

        A move from "" adds a person to a slot short of people."""
        removed = {m.removed.key for m in moves if m.person}
        added = {m.added.key for m in moves if m.taker}
        after = (self.assigned - removed) | added
        touched = {i for key in removed | added for i in self.by_key.get(key, ())} | set(self.always)
        penalty = 0
        for i in touched:
            req = self.reqs[i]
            change = req.excess(req.value(after)) - self.base_excess[i]
            if req.weight is None:
                if change > 0:
                    return False, 0, 0
            else:
                penalty += req.weight * change
        load = dict(self.base_load)
        for m in moves:
            slot = self.problem.slot_at.get((m.date, m.shift))
            if slot is None:
                return False, 0, 0
            if m.person:
                load[m.person] -= self.problem.load(slot)
            if m.taker:
                load[m.taker] += self.problem.load(slot)
        spread = 0
        pools = {tuple(self.pool_of[n]) for m in moves for n in (m.person, m.taker) if n in self.pool_of}
        for names in pools:
            if len(names) > 1:
                spread += (max(load[n] for n in names) - min(load[n] for n in names)
                           - max(self.base_load[n] for n in names) + min(self.base_load[n] for n in names))
        return True, penalty, spread


@dataclass
class Option:
    """One way to free `person` from the slot: a cover by `taker`, or a swap for `taker`'s slot."""

    taker: str
    group: str
    load: float  # taker's load before, in load units (prior load included)
    load_after: float
    penalty: int  # change in soft-rule penalty
    spread: float  # change in the pool's load spread
    cost: float  # change in the solver's objective: penalty + fairness weight × spread
    date: date | None = None  # for a swap: the taker's slot given in exchange
    shift: str | None = None

    def as_dict(self, rules: RosterRules) -> dict:
        out = {"person": self.taker, "group": self.group, "load": self.load, "load_after": self.load_after,
               "penalty": self.penalty, "spread_change": self.spread, "cost": self.cost}
        if self.date is not None:
            out.update(date=self.date.isoformat(), shift=self.shift, shift_name=shift_label(rules, self.shift or ""))
        return out


@dataclass
class Substitutes:
    date: date
    shift: str
    person: str | None
    approvers: list[str]
    candidates: list[Option]
    swaps: list[Option]


def substitutes(rules: RosterRules, roster: Roster, day: date, shift_key: str, person: str | None = None,
                prior_load: dict[str, float] | None = None, problem: Problem | None = None) -> Substitutes:
    """Everyone who could take the slot (or swap for it) without breaking a rule, best for fairness first.

    With `person` (or when one person holds the slot) the options replace that person;
    for a slot short of people, candidates are those who could be added."""
    loc = rules.locale
    try:
        shift = rules.shift(shift_key)
    except KeyError:
        known = join_names((s.display for s in rules.all_shifts), loc)
        raise ChangeError(t("change_bad_shift", loc, shift=shift_key, change=f"--shift {shift_key}", known=known))
    if not roster.start <= day <= roster.end:
        raise ChangeError(t("change_outside", loc, change=f"--date {day.isoformat()}", date=day.isoformat(),
                            start=roster.start.isoformat(), end=roster.end.isoformat()))
    problem = problem or Problem.for_roster(rules, roster, prior_load=prior_load)
    slot = problem.slot_at.get((day, shift.id))
    if slot is None:
        raise ChangeError(t("subs_no_slot", loc, date=day.isoformat(), shift=shift.display))
    holders = roster.on(day, shift.id)
    if person is not None:
        person = _known_person(person, f"--person {person}", rules)
        if person not in holders:
            raise ChangeError(t("change_not_held", loc, change=f"--person {person}", person=person,
                                date=day.isoformat(), shift=shift.display, holders=join_names(holders, loc) or "—"))
    elif len(holders) == 1:
        person = holders[0]
    elif len(holders) > 1 and len(holders) >= slot.need:
        raise ChangeError(t("subs_which", loc, people=join_names(holders, loc)))
    if person is not None and person not in problem.person_by_name:  # a misspelt name in the roster file
        raise ChangeError(t("subs_unknown_holder", loc, date=day.isoformat(), shift=shift.display, person=person))
    screen = MoveScreen(problem, roster)
    weight = rules.fairness.weight

    def option(moves: list[Move], taker: str, **where) -> Option | None:
        ok, penalty, spread = screen.delta(moves)
        if not ok:
            return None
        gained = sum(problem.load(problem.slot_at[(m.date, m.shift)]) * ((m.taker == taker) - (m.person == taker))
                     for m in moves)
        before = screen.base_load.get(taker, 0)
        return Option(taker, rules.person(taker).group, before / LOAD_SCALE, (before + gained) / LOAD_SCALE,
                      penalty, spread / LOAD_SCALE, penalty + weight * spread / LOAD_SCALE, **where)

    candidates = []
    for name in problem.eligible[slot.id]:
        if name in holders:
            continue
        move = Move(day, shift.id, person or "", name)  # no person: filling a gap, nobody leaves
        found = None if person and move_allowed(rules, move) else option([move], name)
        if found:
            candidates.append(found)
    swaps = []
    if person is not None:
        for a in roster.assignments:
            if a.person in (person, *holders) or (a.date, a.shift) == (day, shift.id):
                continue
            if (a.date, a.shift) not in problem.slot_at or a.person not in problem.eligible[slot.id]:
                continue
            if person not in problem.eligible[(a.date, a.shift)] or person in roster.on(a.date, a.shift):
                continue
            moves = [Move(day, shift.id, person, a.person), Move(a.date, a.shift, a.person, person)]
            if any(move_allowed(rules, m) for m in moves):
                continue
            found = option(moves, a.person, date=a.date, shift=a.shift)
            if found:
                swaps.append(found)
    order = lambda o: (o.cost, o.load, o.taker, o.date or day)  # noqa: E731
    return Substitutes(day, shift.id, person, approvers(rules, roster, [day], {person}),
                       sorted(candidates, key=order), sorted(swaps, key=order))


def roster_diff(rules: RosterRules, old: Roster, new: Roster) -> dict:
    """What re-planning changed within the new roster's dates: counts kept, and the assignments removed and added."""
    old = Roster(new.start, new.end, [a for a in old.assignments if new.start <= a.date <= new.end])
    removed, added = old.diff(new)

    def rows(items: list[Assignment]) -> list[dict]:
        return [{"date": a.date.isoformat(), "shift": a.shift, "shift_name": shift_label(rules, a.shift), "person": a.person}
                for a in items]
    return {"kept": len(set(old.assignments) & set(new.assignments)), "removed": rows(removed), "added": rows(added)}
