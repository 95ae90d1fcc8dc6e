"""The `Roster`: who holds which shift on which date. The same object whether solved or read back from a file."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable


HOLIDAY_PLAN = "holiday_plan"  # meta kind of a plan that covers only a year's holiday periods


@dataclass(frozen=True, order=True)
class Assignment:
    date: date
    shift: str  # shift id (leader tiers are shifts flagged `leader`)
    person: str

    @property
    def key(self) -> tuple[str, date, str]:
        return (self.person, self.date, self.shift)


@dataclass
class Roster:
    start: date
    end: date
    assignments: list[Assignment] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.assignments = sorted(set(self.assignments))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Roster) and (self.start, self.end) == (other.start, other.end)
                and self.assignments == other.assignments)

    @property
    def is_holiday_plan(self) -> bool:
        return self.meta.get("kind") == HOLIDAY_PLAN

    @property
    def keys(self) -> set[tuple[str, date, str]]:
        return {a.key for a in self.assignments}

    def on(self, day: date, shift: str) -> list[str]:
        return [a.person for a in self.assignments if a.date == day and a.shift == shift]

    def by_slot(self) -> dict[tuple[date, str], list[str]]:
        out: dict[tuple[date, str], list[str]] = defaultdict(list)
        for a in self.assignments:
            out[(a.date, a.shift)].append(a.person)
        return out

    def of(self, person: str) -> list[Assignment]:
        return [a for a in self.assignments if a.person == person]

    @property
    def people(self) -> list[str]:
        return sorted({a.person for a in self.assignments})

    def changed(self, remove: Iterable[Assignment] = (), add: Iterable[Assignment] = ()) -> "Roster":
        """A copy with some assignments taken away and others added (a cover or a swap)."""
        gone = set(remove)
        kept = [a for a in self.assignments if a not in gone]
        return Roster(self.start, self.end, kept + list(add), dict(self.meta))

    def diff(self, other: "Roster") -> tuple[list[Assignment], list[Assignment]]:
        """(removed, added) going from self to other."""
        mine, theirs = set(self.assignments), set(other.assignments)
        return sorted(mine - theirs), sorted(theirs - mine)
