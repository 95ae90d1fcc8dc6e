"""China's duty calendar: every date's kind (workday, weekend, holiday, adjusted workday) and holiday period.

A holiday period is the maximal run of non-working days that contains a statutory
holiday, so 春节 2026 is 02-15..02-23 including the weekend and the 调休 days off.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

from .rules import RosterRules

# Canonical statutory holiday names, zh -> en.
HOLIDAY_NAMES = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Qingming Festival",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-Autumn Festival",
    "国庆节": "National Day",
}
_ALIASES = {"农历除夕": "春节", "除夕": "春节"}
_MARGIN = timedelta(days=16)  # longer than any holiday run, so runs at the range edges are whole


def holiday_period_names() -> list[str]:
    return list(HOLIDAY_NAMES) + list(HOLIDAY_NAMES.values())


def _canonical(name: str) -> str | None:
    """'春节（补假）' -> '春节'; substituted rest days ('休息日（由…调休）') are no statutory holiday."""
    if name.startswith("休息日"):
        return None
    base = re.sub(r"[（(].*?[）)]", "", name).strip()
    return _ALIASES.get(base, base) or None


@dataclass(frozen=True)
class Day:
    date: date
    kind: str  # workday | adjusted_workday | weekend | holiday
    holiday: str | None = None  # statutory holiday on this very date (canonical zh)
    period: str | None = None  # holiday period name, canonical zh (春节) or None
    periods: frozenset[str] = field(default_factory=frozenset)  # holiday period + special periods (汛期)
    season: str | None = None

    @property
    def is_rest(self) -> bool:
        return self.kind in ("weekend", "holiday")

    def period_label(self, locale: str) -> str | None:
        return period_label(self.period, locale) if self.period else None


def period_label(name: str, locale: str) -> str:
    if locale == "en":
        return "/".join(HOLIDAY_NAMES.get(part, part) for part in name.split("、"))
    return name


@lru_cache(maxsize=64)
def _china(years: tuple[int, ...]) -> holidays.HolidayBase:
    return holidays.China(years=years, language="zh_CN")


class DutyCalendar:
    """Day kinds for a rules file, with its overrides applied."""

    def __init__(self, rules: RosterRules):
        self.rules = rules
        cal = rules.calendar
        self.extra_holidays = {}
        for item in cal.extra_holidays:
            if isinstance(item, date):
                self.extra_holidays[item] = ""
            else:
                self.extra_holidays[item.date] = item.name
        self.extra_workdays = set(cal.extra_workdays)

    def _base(self, years: range):
        cn = _china(tuple(years))
        return cn, set(cn.weekend_workdays)

    def kind_of(self, day: date, cn=None, weekend_workdays=None) -> tuple[str, str | None]:
        if cn is None:
            cn, weekend_workdays = self._base(range(day.year, day.year + 1))
        weekend = day.weekday() >= 5
        if day in self.extra_workdays or day in weekend_workdays:
            return ("adjusted_workday" if weekend else "workday"), None
        if day in self.extra_holidays:
            return "holiday", self.extra_holidays[day] or None
        if day in cn:  # two holidays on one date come as "中秋节; 国庆节": the first names the day
            names = [n for n in (_canonical(part) for part in re.split(r"[;；]\s*", cn[day])) if n]
            return "holiday", names[0] if names else None
        return ("weekend" if weekend else "workday"), None

    def days(self, start: date, end: date) -> list[Day]:
        """Every date from start to end inclusive, with kind, holiday period, special periods and season."""
        lo, hi = start - _MARGIN, end + _MARGIN
        cn, wk = self._base(range(lo.year, hi.year + 1))
        span = [lo + timedelta(n) for n in range((hi - lo).days + 1)]
        kinds = {d: self.kind_of(d, cn, wk) for d in span}
        period_of: dict[date, str] = {}
        run: list[date] = []
        for d in span + [None]:  # type: ignore[list-item]
            if d is not None and kinds[d][0] in ("weekend", "holiday"):
                run.append(d)
                continue
            names: list[str] = []
            for r in run:
                n = kinds[r][1]
                whole = cn.get(r, "") if r not in self.extra_holidays else (n or "")
                for part in [n] + [_canonical(x) for x in re.split(r"[;；]\s*", whole)]:
                    if part and part not in names:
                        names.append(part)
            if names:
                for r in run:
                    period_of[r] = "、".join(names)
            run = []
        out = []
        for d in span:
            if not start <= d <= end:
                continue
            kind, holiday_name = kinds[d]
            special = {p.name for p in self.rules.calendar.periods if p.contains(d)}
            if d in period_of:
                special |= {period_of[d]} | set(period_of[d].split("、"))
            season = next((s.name for s in self.rules.calendar.seasons if s.contains(d)), None)
            out.append(Day(d, kind, holiday_name, period_of.get(d), frozenset(special), season))
        return out

    def missing_adjusted_years(self, years) -> list[int]:
        """Years for which neither the installed data nor the overrides give any 调休 schedule."""
        missing = []
        for y in years:
            cn, wk = self._base(range(y, y + 1))
            has_data = any(d.year == y for d in wk) or any(
                v.startswith("休息日") for d, v in cn.items() if d.year == y)
            has_override = any(d.year == y for d in self.extra_workdays)
            if not has_data and not has_override:
                missing.append(y)
        return missing
