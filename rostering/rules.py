"""The rules file's data model: what an office writes in YAML, validated by pydantic.

These classes describe *what* the office wants; `problem.py` turns them plus a
calendar into slots and candidates, and `constraints/` turns them into rules.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .i18n import MESSAGES

DayKind = Literal["workday", "weekend", "holiday", "adjusted_workday"]
DAY_KINDS: tuple[str, ...] = ("workday", "adjusted_workday", "weekend", "holiday")

_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_DASHES = re.compile(r"\s*[-–—~～至到]\s*")


def invalid(message: str, **context: object) -> PydanticCustomError:
    """A ValueError whose type is the i18n key `message`, so the loader words it in the rules' language."""
    return PydanticCustomError(message, MESSAGES[message][1], context)


class Strict(BaseModel):
    """Base model: unknown keys are errors, so a misspelt key never passes silently."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False)


def parse_clock(text: str) -> int:
    """'08:30' -> minutes after midnight; '24:00' allowed as end of day."""
    m = _TIME.match(text)
    if not m:
        raise invalid("r_time", text=text)
    h, mi = int(m.group(1)), int(m.group(2))
    if h > 24 or mi > 59 or (h == 24 and mi):
        raise invalid("r_time_of_day", text=text)
    return h * 60 + mi


class Window(BaseModel):
    """One continuous stretch of duty, in minutes from the duty date's midnight.

    `end` may pass 1440: a night shift 20:30–08:30 ends the next morning."""

    model_config = ConfigDict(frozen=True)
    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> "Window":
        parts = _DASHES.split(text.strip())
        if len(parts) != 2:
            raise invalid("r_window", text=text)
        start, end = parse_clock(parts[0]), parse_clock(parts[1])
        if end <= start:  # crosses midnight; equal ends mean a 24-hour duty
            end += 24 * 60
        return cls(start=start, end=end)

    def label(self) -> str:
        def fmt(m: int) -> str:
            m_day = m % (24 * 60) if m != 24 * 60 else m
            return f"{m_day // 60:02d}:{m_day % 60:02d}"
        return f"{fmt(self.start)}–{fmt(self.end)}"

    @property
    def minutes(self) -> int:
        return self.end - self.start


def parse_windows(value: str | list[str]) -> tuple[Window, ...]:
    """The windows a text (or list of texts) names, in order; parsed once per text, for rosters
    ask a shift's windows for every slot (an 80-person year: 170 000 times)."""
    return _parse_windows(value if isinstance(value, str) else tuple(value))


@lru_cache(maxsize=1024)
def _parse_windows(value: str | tuple[str, ...]) -> tuple[Window, ...]:
    items = value if isinstance(value, tuple) else re.split(r"[,，;；+]", value)
    windows = tuple(Window.parse(v) for v in items if str(v).strip())
    if not windows:
        raise invalid("r_no_window")
    ordered = sorted(windows, key=lambda w: w.start)
    for a, b in zip(ordered, ordered[1:]):
        if b.start < a.end:
            raise invalid("r_windows_overlap", first=a.label(), second=b.label())
    return tuple(ordered)


WindowSpec = Union[str, list[str], dict[str, Union[str, list[str]]]]


class Soft(Strict):
    """A bound that may be broken at a cost per unit (`weight`); without weight it is hard."""

    value: float
    weight: int | None = Field(default=None, ge=1)


RuleValue = Union[float, Soft]


def rule_value(v: RuleValue | None) -> tuple[float | None, int | None]:
    """(value, weight) of a hard-or-soft setting; weight None means hard."""
    if v is None:
        return None, None
    if isinstance(v, Soft):
        return v.value, v.weight
    return float(v), None


class Shift(Strict):
    id: str
    name: str | None = None
    windows: WindowSpec = Field(description="08:30-18:00, a list, or {season: windows}")
    days: list[DayKind] = Field(default_factory=lambda: list(DAY_KINDS))
    periods: list[str] | None = Field(default=None, description="only inside these named periods")
    exclude_periods: list[str] = Field(default_factory=list, description="never inside these named periods")
    headcount: int | dict[DayKind, int] = 1
    groups: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)
    exclude_groups: list[str] = Field(default_factory=list)
    weight: float = Field(default=1.0, ge=0)
    night: bool | None = None
    leader: bool = False
    at_home: bool = False

    @field_validator("id")
    @classmethod
    def _id_ok(cls, v: str) -> str:
        if not v.strip():
            raise invalid("r_empty_id")
        return v.strip()

    @field_validator("windows")
    @classmethod
    def _windows_ok(cls, v: WindowSpec) -> WindowSpec:
        if isinstance(v, dict):
            if not v:
                raise invalid("r_no_season_windows")
            for item in v.values():
                parse_windows(item)
        else:
            parse_windows(v)
        return v

    @field_validator("headcount")
    @classmethod
    def _headcount_ok(cls, v):
        values = v.values() if isinstance(v, dict) else [v]
        if any(n < 0 for n in values):
            raise invalid("r_negative_headcount")
        return v

    @property
    def display(self) -> str:
        return self.name or self.id

    def windows_for(self, season: str | None) -> tuple[Window, ...]:
        """The shift's windows in a season ('default' or the first listed when the season is not named)."""
        if isinstance(self.windows, dict):
            if season in self.windows:
                return parse_windows(self.windows[season])
            fallback = self.windows.get("default", next(iter(self.windows.values())))
            return parse_windows(fallback)
        return parse_windows(self.windows)

    def headcount_on(self, kind: str) -> int:
        if isinstance(self.headcount, dict):
            return self.headcount.get(kind, 0)
        return self.headcount

    def is_night(self) -> bool:
        if self.night is not None:
            return self.night
        if isinstance(self.windows, dict):
            return any(w.end > 24 * 60 for s in self.windows for w in self.windows_for(s))
        return any(w.end > 24 * 60 for w in self.windows_for(None))


class LeaderTier(Strict):
    """带班领导: one leader slot per day of the given kinds (a shift flagged `leader`)."""

    id: str = "leader"
    name: str | None = None
    days: list[DayKind] = Field(default_factory=lambda: list(DAY_KINDS))
    periods: list[str] | None = None
    exclude_periods: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)
    mode: Literal["on_site", "at_home"] = "on_site"
    headcount: int = Field(default=1, ge=0)
    weight: float = Field(default=1.0, ge=0)

    def as_shift(self, locale: str) -> Shift:
        default_name = "带班领导" if locale == "zh" else "Leader on duty"
        return Shift(id=self.id, name=self.name or default_name, windows="00:00-24:00", days=self.days,
                     periods=self.periods, exclude_periods=self.exclude_periods, headcount=self.headcount,
                     groups=self.groups, roles=self.roles, people=self.people, weight=self.weight, leader=True,
                     at_home=self.mode == "at_home")


class Unavailability(Strict):
    start: date = Field(alias="from")
    end: date | None = Field(default=None, alias="to")
    reason: str = ""
    shifts: list[str] | None = None
    weight: int | None = Field(default=None, ge=1, description="soft request: cost if rostered anyway")

    @model_validator(mode="after")
    def _order(self):
        if self.end is None:
            self.end = self.start
        if self.end < self.start:
            raise invalid("r_leave_order", start=self.start.isoformat(), end=self.end.isoformat())
        return self

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end  # type: ignore[operator]


class ShiftRequest(Strict):
    """A wish to work (`want: on`) or not to work (`want: off`) a shift on a date; `weight` per unmet request."""

    date: date
    shift: str | None = Field(default=None, description="shift id; none means any duty that day")
    want: Literal["on", "off"] = "off"
    weight: int = Field(default=1, ge=1)


class Person(Strict):
    name: str
    group: str = ""
    roles: list[str] = Field(default_factory=list)
    phone: str = ""
    unavailable: list[Unavailability] = Field(default_factory=list)
    prior_load: float = Field(default=0, description="load carried in from earlier periods")
    # personal workload and run limits (override the rules-section defaults for this person)
    max_minutes: RuleValue | None = Field(default=None, description="most duty minutes over the roster range")
    min_minutes: RuleValue | None = Field(default=None, description="fewest duty minutes over the roster range")
    max_shifts: dict[str, int] = Field(default_factory=dict, description="shift id -> most duties of it in the range")
    max_consecutive_days: RuleValue | None = None
    min_consecutive_days: RuleValue | None = None
    min_consecutive_days_off: RuleValue | None = None
    max_weekends: RuleValue | None = None
    requests: list[ShiftRequest] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name_ok(cls, v: str) -> str:
        if not v.strip():
            raise invalid("r_no_name")
        return v.strip()

    @field_validator("roles", mode="before")
    @classmethod
    def _roles_list(cls, v):
        if isinstance(v, str):
            return [r for r in re.split(r"[,，;；、\s]+", v) if r]
        return v

    @field_validator("phone", mode="before")
    @classmethod
    def _phone_text(cls, v):
        return "" if v is None else str(v)


class RecurringRange(Strict):
    """A named range, either dated (2026-06-01) or yearly (06-01); yearly ranges may wrap the new year."""

    name: str
    start: str = Field(alias="from")
    end: str = Field(alias="to")

    @field_validator("start", "end", mode="before")
    @classmethod
    def _text(cls, v):
        return v.isoformat() if isinstance(v, date) else str(v)

    @model_validator(mode="after")
    def _parse(self):
        self.bounds_for(2000)
        return self

    def bounds_for(self, year: int) -> tuple[date, date]:
        def to_date(text: str, y: int) -> date:
            parts = text.split("-")
            try:
                if len(parts) == 3:
                    return date.fromisoformat(text)
                if len(parts) == 2:
                    return date(y, int(parts[0]), int(parts[1]))
            except ValueError:
                pass
            raise invalid("r_recurring_date", text=text)
        return to_date(self.start, year), to_date(self.end, year)

    def contains(self, day: date) -> bool:
        if len(self.start.split("-")) == 3:
            a, b = self.bounds_for(day.year)
            return a <= day <= b
        a, b = self.bounds_for(day.year if day.month != 2 or day.day != 29 else 2000)
        a, b = a.replace(year=2000), b.replace(year=2000)
        d = day.replace(year=2000)
        return a <= d <= b if a <= b else (d >= a or d <= b)


class ExtraHoliday(Strict):
    date: date
    name: str = ""


class CalendarRules(Strict):
    country: Literal["CN"] = "CN"
    extra_holidays: list[Union[date, ExtraHoliday]] = Field(default_factory=list)
    extra_workdays: list[date] = Field(default_factory=list)
    periods: list[RecurringRange] = Field(default_factory=list)
    seasons: list[RecurringRange] = Field(default_factory=list)


class Limit(Strict):
    """At most / at least `max`/`min` assignments per week, month, holiday period or the whole horizon."""

    per: Literal["week", "month", "period", "horizon"] = "month"
    max: int | None = Field(default=None, ge=0)
    min: int | None = Field(default=None, ge=0)
    shifts: list[str] | None = None
    days: list[DayKind] | None = None
    groups: list[str] | None = None
    people: list[str] | None = None
    weight: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _some_bound(self):
        if self.max is None and self.min is None:
            raise invalid("r_limit_bound")
        if self.max is not None and self.min is not None and self.min > self.max:
            raise invalid("r_limit_order", min=self.min, max=self.max)
        return self


class RotationCycle(Strict):
    """One person holds the given shifts for a whole cycle (seed 003: one week per person)."""

    shifts: list[str]
    cycle: Literal["week"] = "week"
    weight: int | None = Field(default=None, ge=1)


class Succession(Strict):
    """After `shift` on one date, none of `next` on the following date (e.g. no day shift after a night)."""

    shift: str
    next: list[str]
    weight: int | None = Field(default=None, ge=1)


class CoverTarget(Strict):
    """A preferred headcount for a shift on some dates, with a cost per person short (`under`) or extra (`over`).

    It replaces the shift's exact headcount on those dates; a missing weight makes that side hard."""

    shift: str
    dates: list[date] | None = Field(default=None, description="the dates; none means every date")
    need: int = Field(ge=0)
    under: int | None = Field(default=None, ge=1)
    over: int | None = Field(default=None, ge=1)


class RuleSettings(Strict):
    min_rest_hours: RuleValue | None = None
    max_consecutive_days: RuleValue | None = None
    max_consecutive_nights: RuleValue | None = None
    limits: list[Limit] = Field(default_factory=list)
    rotation: list[RotationCycle] = Field(default_factory=list)
    # defaults for everyone; a person's own value replaces them (runs of days, weekends)
    min_consecutive_days: RuleValue | None = None
    min_consecutive_days_off: RuleValue | None = None
    max_weekends: RuleValue | None = None
    cover: list[CoverTarget] = Field(default_factory=list)
    forbidden_successions: list[Succession] = Field(default_factory=list)

    @field_validator("min_rest_hours", "max_consecutive_days", "max_consecutive_nights", "min_consecutive_days",
                     "min_consecutive_days_off", "max_weekends")
    @classmethod
    def _not_negative(cls, v: RuleValue | None) -> RuleValue | None:
        if rule_value(v)[0] is not None and rule_value(v)[0] < 0:
            raise invalid("r_negative", value=f"{rule_value(v)[0]:g}")
        return v


class Fairness(Strict):
    """Spread of weighted load inside each pool of interchangeable people is minimised."""

    day_weights: dict[DayKind, float] = Field(
        default_factory=lambda: {"workday": 1.0, "adjusted_workday": 1.0, "weekend": 1.5, "holiday": 2.0})
    night_weight: float = Field(default=1.0, ge=0, description="extra factor for night shifts")
    pools: Literal["eligibility", "group", "all"] = Field(
        default="eligibility", description="who is compared: same eligible shifts, same group, or everyone")
    weight: int = Field(default=10, ge=0)


class CoverRule(Strict):
    shifts: list[str] | None = None
    same_group: bool = True
    groups: list[str] | None = None


class Substitution(Strict):
    """代班/顶班/换班 policy: who may cover which shifts, and who approves."""

    cover: list[CoverRule] = Field(default_factory=list)
    approval: Literal["leader_on_duty", "none"] = "leader_on_duty"


class HolidayRotation(Strict):
    """滚动排班: holiday duty of some shifts goes to whoever served longest ago, across holidays and years.

    Each holiday in `separate` keeps its own order (who did 春节 last); all other holidays share
    one order. The order comes from the duty ledger (what was served, after covers and swaps).
    Whoever is next in line but cannot come is skipped this time and stays first in line."""

    name: str
    shifts: list[str] = Field(description="the holiday shifts or leader tiers this rotation fills")
    unit: Literal["person", "group"] = Field(default="person",
                                             description="who takes turns: people, or whole groups (科室) by day")
    groups: list[str] = Field(default_factory=list, description="who rotates; empty: all eligible for the shifts")
    roles: list[str] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)
    separate: list[str] = Field(default_factory=lambda: ["春节", "国庆节"],
                                description="holiday periods with an order of their own; the rest share one")
    per_day: int | None = Field(default=None, ge=1, description="unit group: groups on duty per holiday day (1)")
    weight: int = Field(default=1000, ge=1, description="cost of one turn out of order")

    @model_validator(mode="after")
    def _per_day_for_groups(self):
        if self.per_day is not None and self.unit != "group":
            raise invalid("r_per_day")
        return self


class RosterRules(Strict):
    organization: str
    locale: Literal["zh", "en"] = "zh"
    timezone: str = "Asia/Shanghai"
    duty_phone: str = ""
    calendar: CalendarRules = Field(default_factory=CalendarRules)
    groups: list[str] = Field(default_factory=list, description="declared groups (optional)")
    roles: list[str] = Field(default_factory=list, description="declared roles (optional)")
    shifts: list[Shift]
    leaders: list[LeaderTier] = Field(default_factory=list)
    staff: list[Person] = Field(default_factory=list)
    staff_file: str | None = None
    rules: RuleSettings = Field(default_factory=RuleSettings)
    fairness: Fairness = Field(default_factory=Fairness)
    substitution: Substitution = Field(default_factory=Substitution)
    holiday_rotation: list[HolidayRotation] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        """Checked here, not when the CSV/ICS export needs it after solving."""
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise invalid("r_timezone", zone=v)
        return v

    @property
    def all_shifts(self) -> list[Shift]:
        """Duty shifts followed by the leader tiers, each as a shift flagged `leader`."""
        return list(self.shifts) + [t.as_shift(self.locale) for t in self.leaders]

    def shift(self, key: str) -> Shift:
        for s in self.all_shifts:
            if s.id == key:
                return s
        for s in self.all_shifts:
            if s.display == key:
                return s
        raise KeyError(key)

    def person(self, name: str) -> Person:
        for p in self.staff:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def known_groups(self) -> list[str]:
        return sorted(set(self.groups) | {p.group for p in self.staff if p.group})

    @property
    def known_roles(self) -> list[str]:
        return sorted(set(self.roles) | {r for p in self.staff for r in p.roles})
