"""The shape every rule shares: a rule states itself once, as `Requirement`s, and both faces read them.

A requirement is a linear count over assignments, `lo <= const + Σ coef·x[key] <= hi`,
hard or soft (a cost per unit outside the bounds). `post` hands requirements to the
CP-SAT model; `check` evaluates them on a roster in plain Python. Because both faces
read the same requirements, a roster passes `check` exactly when the model accepts it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar, Iterable, Iterator

from ..i18n import t
from ..problem import Key, Problem
from ..roster import Roster
from ..rules import Person

if TYPE_CHECKING:  # the model lives behind ortools; `roster check` never imports it
    from ..model import RosterModel


@dataclass(frozen=True)
class Requirement:
    rule: str  # family id, e.g. "coverage"
    terms: tuple[tuple[Key, int], ...]
    lo: int | None = None
    hi: int | None = None
    const: int = 0
    weight: int | None = None  # None: hard; else cost per unit outside [lo, hi]
    date: date | None = None
    shift: str | None = None
    people: tuple[str, ...] = ()
    message: str = ""  # i18n key; formatted with `params` and `have`
    params: tuple[tuple[str, object], ...] = ()
    fix: str = ""  # i18n key of what to do about it

    def value(self, assigned: set[Key]) -> int:
        return self.const + sum(c for k, c in self.terms if k in assigned)

    def keys(self) -> Iterator[Key]:
        """Every assignment this requirement reads."""
        return (k for k, _ in self.terms)

    def excess(self, value: int) -> int:
        """How far `value` lies outside the bounds (0 when satisfied)."""
        if self.lo is not None and value < self.lo:
            return self.lo - value
        if self.hi is not None and value > self.hi:
            return value - self.hi
        return 0

    def costs_of_one(self, const: int, coef: int) -> tuple[int, int]:
        """A soft requirement's cost without and with one assignment of `coef`, the rest summing to `const`."""
        return self.weight * self.excess(const), self.weight * self.excess(const + coef)  # type: ignore[operator]

    def price_of_one(self, const: int, coef: int) -> int:
        """What one assignment of `coef` adds to a soft requirement's cost, the rest summing to `const`."""
        without, with_one = self.costs_of_one(const, coef)
        return with_one - without


@dataclass(frozen=True)
class AnyCount(Requirement):
    """A count of key groups in which at least one key is assigned (a weekend worked, a day worked),
    each group weighted by its coefficient in `signs` (all 1 when empty)."""

    groups: tuple[tuple[Key, ...], ...] = ()
    signs: tuple[int, ...] = ()

    def coefficients(self) -> tuple[int, ...]:
        return self.signs or (1,) * len(self.groups)

    def value(self, assigned: set[Key]) -> int:
        return self.const + sum(c for g, c in zip(self.groups, self.coefficients()) if any(k in assigned for k in g))

    def keys(self) -> Iterator[Key]:
        return (k for g in self.groups for k in g)


@dataclass(frozen=True)
class DayCount(Requirement):
    """A count of one person's duties over whole days, each day with a sign: `terms` as in any
    requirement, and `days` the same grouped by day (each day's duties, counting 1 each, and
    the day's sign). The model then sums a day it names whole into one variable without
    sorting the terms by day again; a day's duties tuple is shared by every count naming it."""

    days: tuple[tuple[tuple[tuple[Key, int], ...], int], ...] = ()


@dataclass(frozen=True)
class Violation:
    rule: str  # human name in the locale
    rule_id: str
    date: date | None
    shift: str | None
    people: tuple[str, ...]
    message: str
    hard: bool = True
    penalty: int = 0  # weight × amount for a soft rule

    def as_dict(self) -> dict:
        return {"rule": self.rule, "rule_id": self.rule_id,
                "date": self.date.isoformat() if self.date else None, "shift": self.shift,
                "people": list(self.people), "message": self.message, "hard": self.hard, "penalty": self.penalty}


@dataclass
class Rule:
    """One rule family instance. Subclasses only say which requirements they stand for."""

    family: ClassVar[str] = ""

    def requirements(self, problem: Problem) -> Iterator[Requirement]:
        raise NotImplementedError

    def name(self, locale: str) -> str:
        return t(f"rule_{self.family}", locale)

    def model_requirements(self, problem: Problem) -> Iterator[Requirement]:
        """The requirements the CP-SAT face needs: all of them, unless its variables already keep one."""
        return self.requirements(problem)

    def post(self, model: "RosterModel") -> None:
        for req in self.model_requirements(model.problem):
            model.add(req)

    def tighten(self, model: "RosterModel") -> None:
        """CP-SAT only: redundant constraints implied by the requirements, for a tighter LP.

        They must not change which rosters are valid (tests/test_agreement.py holds that)."""

    def check(self, roster: Roster, problem: Problem) -> list[Violation]:
        return evaluate(self.requirements(problem), roster.keys, problem, self.name(problem.locale))


class PersonalRule(Rule):
    """A rule each of whose requirements binds one person: stated person by person.

    A model of some people alone (`search.person_by_person`) then lists only their
    requirements, instead of listing everyone's and splitting them by person (Curtois & Qu
    Instance24: 610 000 requirements and 25 s before the first person could be placed)."""

    def requirements_of(self, problem: Problem, person: Person) -> Iterator[Requirement]:
        raise NotImplementedError

    def model_requirements_of(self, problem: Problem, person: Person) -> Iterator[Requirement]:
        """`person`'s requirements the CP-SAT face needs (see `model_requirements`)."""
        return self.requirements_of(problem, person)

    def requirements(self, problem: Problem) -> Iterator[Requirement]:
        for person in problem.people:
            yield from self.requirements_of(problem, person)

    def model_requirements(self, problem: Problem) -> Iterator[Requirement]:
        for person in problem.people:
            yield from self.model_requirements_of(problem, person)


def evaluate(reqs: Iterable[Requirement], assigned: set[Key], problem: Problem, rule_name: str) -> list[Violation]:
    out = []
    loc = problem.locale
    for req in reqs:
        value = req.value(assigned)
        miss = req.excess(value)
        if not miss:
            continue
        params = dict(req.params)
        if "shift" in params and params["shift"] in problem.shift_by_id:
            params["shift"] = problem.shift_by_id[params["shift"]].display  # type: ignore[index]
        params.setdefault("have", value)
        text = t(req.message, loc, **params) if req.message else rule_name
        if req.fix:
            text += ("；" if loc == "zh" else "; ") + t(req.fix, loc)
        shift = req.shift
        out.append(Violation(rule_name, req.rule, req.date, shift, req.people, text,
                             req.weight is None, (req.weight or 0) * miss))
    return out


def term(key: Key, coef: int = 1) -> tuple[Key, int]:
    return (key, coef)
