"""Load a rules file: YAML -> validated `RosterRules`, or every problem at once with file:line:column.

Pydantic checks types; `cross_check` checks names against each other (groups, roles,
people, shifts), because a misspelt group is the commonest mistake an office makes.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from .errors import Diagnostic, RulesError
from .i18n import MESSAGES, did_you_mean, join_names, t
from .io.text import read_text
from .rules import DAY_KINDS, RosterRules

Loc = tuple[Any, ...]


def _marks(node: yaml.Node, path: Loc, out: dict[Loc, tuple[int, int, int, int]]) -> None:
    """Record (value line, col, key line, col) for every path in the YAML tree, 1-based."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = path + (key.value,)
            out[sub] = (value.start_mark.line + 1, value.start_mark.column + 1,
                        key.start_mark.line + 1, key.start_mark.column + 1)
            _marks(value, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[path + (i,)] = (item.start_mark.line + 1, item.start_mark.column + 1,
                                item.start_mark.line + 1, item.start_mark.column + 1)
            _marks(item, path + (i,), out)


class Located:
    """Maps a YAML path to its place in the file, for messages that point at a line."""

    def __init__(self, file: str, marks: dict[Loc, tuple[int, int, int, int]]):
        self.file = file
        self.marks = marks

    def diag(self, loc: Loc, message: str, hint: str = "", at_key: bool = False) -> Diagnostic:
        probe = tuple(loc)
        while probe and probe not in self.marks:
            probe = probe[:-1]
        line = col = None
        if probe in self.marks:
            vl, vc, kl, kc = self.marks[probe]
            line, col = (kl, kc) if (at_key or probe != tuple(loc)) else (vl, vc)
        path = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")
        return Diagnostic(message, self.file, line, col, path, hint)


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The pydantic model that owns the field at `loc`, to suggest correct key names."""
    model: Any = RosterRules
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(model, "model_fields", None)
        if not fields:
            return None
        field = fields.get(part) or next((f for f in fields.values() if f.alias == part), None)
        if field is None:
            return model
        model = _inner_model(field.annotation)
    return model


def _inner_model(annotation: Any) -> Any:
    import typing
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _field_names(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _pydantic_diagnostics(err: ValidationError, where: Located, locale: str) -> list[Diagnostic]:
    out = []
    for e in err.errors():
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and ("[" in p or p in (
            "function-after", "function-before", "str", "float", "int", "list[str]", "Soft", "ExtraHoliday",
            "date", "dict[str,union[str,list[str]]]", "union[str,list[str]]"))))
        kind = e["type"]
        if kind == "extra_forbidden":
            key = loc[-1]
            options = _field_names(_model_at(loc[:-1]))
            out.append(where.diag(loc, t("unknown_key", locale, key=key), did_you_mean(key, options, locale), at_key=True))
        elif kind == "missing":
            out.append(where.diag(loc, t("missing_key", locale, key=loc[-1]), at_key=True))
        else:
            out.append(where.diag(loc, t("wrong_value", locale, detail=_explain(e, locale))))
    # one message per place is enough: unions report each alternative
    seen, unique = set(), []
    for d in out:
        key = (d.line, d.column, d.path)
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


_EXPECTED = {  # pydantic error type -> (zh, en) of what was expected
    "literal_error": ("应为以下之一：{expected}", "expected one of {expected}"),
    "float_parsing": ("应为数字", "expected a number"),
    "float_type": ("应为数字", "expected a number"),
    "int_parsing": ("应为整数", "expected a whole number"),
    "int_type": ("应为整数", "expected a whole number"),
    "int_from_float": ("应为整数", "expected a whole number"),
    "list_type": ("应为列表，如 [a, b]", "expected a list like [a, b]"),
    "string_type": ("应为文字，数字要加引号，如 \"0716-8223110\"", 'expected text; put numbers in quotes, like "0716-8223110"'),
    "dict_type": ("应为键值对", "expected a mapping (key: value)"),
    "model_type": ("应为键值对", "expected a mapping (key: value)"),
    "model_attributes_type": ("应为键值对", "expected a mapping (key: value)"),
    "date_from_datetime_parsing": ("应为日期，如 2026-12-01", "expected a date like 2026-12-01"),
    "date_parsing": ("应为日期，如 2026-12-01", "expected a date like 2026-12-01"),
    "date_type": ("应为日期，如 2026-12-01", "expected a date like 2026-12-01"),
    "greater_than_equal": ("应不小于 {ge}", "must be at least {ge}"),
    "bool_parsing": ("应为 true 或 false", "expected true or false"),
}


def _explain(error: dict, locale: str) -> str:
    """Pydantic's message in the user's language where we know the error type."""
    if error["type"].startswith("r_") and error["type"] in MESSAGES:  # raised by rules.py with `invalid(key, ...)`
        return t(error["type"], locale, **(error.get("ctx") or {}))
    known = _EXPECTED.get(error["type"])
    if known:
        text = known[1] if locale == "en" else known[0]
        ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
        if locale == "zh":  # pydantic lists choices as "'a', 'b' or 'c'"
            ctx = {k: v.replace("' or '", "'、'").replace("', '", "'、'") for k, v in ctx.items()}
        try:
            return text.format(**ctx) + f"（{error.get('input')!r}）" if locale == "zh" else \
                text.format(**ctx) + f" (got {error.get('input')!r})"
        except (KeyError, IndexError):
            return text
    return error["msg"].removeprefix("Value error, ")


STAFF_COLUMNS = {
    "name": ("name", "姓名", "名字"),
    "group": ("group", "部门", "组", "科室", "处室"),
    "roles": ("roles", "role", "角色", "职务"),
    "phone": ("phone", "电话", "手机", "联系电话"),
}


def _below_header(frame):
    """The table under its header row: office sheets often carry a title line or two above it."""
    names = STAFF_COLUMNS["name"]
    for i in range(min(len(frame), 10)):
        if any(str(v).strip().lower() in names for v in frame.iloc[i].tolist()):
            body = frame.iloc[i + 1:].reset_index(drop=True)
            body.columns = [str(v).strip() if str(v).strip() not in ("", "nan", "None") else f"_{j}"
                            for j, v in enumerate(frame.iloc[i])]
            return body
    return frame.iloc[0:0]


def load_staff_file(path: Path, locale: str) -> list[dict]:
    """Read a staff list kept in CSV or Excel (columns 姓名, 部门, 角色, 电话 or their English names)."""
    import pandas as pd
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            frame = pd.read_excel(path, dtype=str, header=None)
        else:  # rows may be longer than the header (Excel's trailing commas): pad them all
            rows = list(csv.reader(io.StringIO(read_text(path))))
            width = max((len(r) for r in rows), default=0)
            frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)
        frame = _below_header(frame)
    except FileNotFoundError:
        raise RulesError(problems=[Diagnostic(t("file_missing", locale), str(path))])
    except UnicodeDecodeError:
        raise RulesError(problems=[Diagnostic(t("not_utf8", locale, path=path), "")])
    except Exception as exc:  # pandas raises many kinds for a malformed sheet
        raise RulesError(problems=[Diagnostic(t("staff_file_bad", locale, detail=exc), str(path))])
    rename = {}
    for col in frame.columns:
        for key, names in STAFF_COLUMNS.items():
            if str(col).strip().lower() in names:
                rename[col] = key
    frame = frame.rename(columns=rename)
    if "name" not in frame.columns:
        raise RulesError(problems=[Diagnostic(t("staff_file_column", locale), str(path), 1, 1)])
    frame = frame.fillna("")
    people = []
    for _, row in frame.iterrows():
        if not str(row["name"]).strip():
            continue
        people.append({k: str(row[k]).strip() for k in STAFF_COLUMNS if k in frame.columns})
    if not people:
        raise RulesError(problems=[Diagnostic(t("staff_file_empty", locale), str(path))])
    return people


def load_rules(path: str | Path) -> RosterRules:
    """Read, validate and cross-check a rules file; raise RulesError listing every problem."""
    path = Path(path)
    file = str(path)
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise RulesError(problems=[Diagnostic(t("file_missing", "zh") + " / file not found", file,
                                              hint="检查路径 / check the path")])
    except UnicodeDecodeError:
        raise RulesError(problems=[Diagnostic(t("not_utf8", "zh", path=file))])
    except OSError as exc:
        raise RulesError(problems=[Diagnostic(t("file_unreadable", "zh", path=file, detail=exc.strerror or exc))])
    return parse_rules(text, file, base_dir=path.parent)


class _TextDatesLoader(yaml.SafeLoader):
    """Leaves dates as text so pydantic validates them and a bad date points at its line."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def parse_rules(text: str, file: str = "<rules>", base_dir: Path | None = None) -> RosterRules:
    try:
        node = yaml.compose(text, Loader=_TextDatesLoader)
        data = yaml.load(text, Loader=_TextDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = getattr(exc, "problem", None) or str(exc)
        guess = "en" if re.search(r"^locale:\s*en\b", text, re.M) else "zh"
        raise RulesError(problems=[Diagnostic(
            t("yaml_syntax", guess, detail=detail), file,
            mark.line + 1 if mark else None, mark.column + 1 if mark else None, "",
            t("yaml_syntax_hint", guess))])
    locale = data.get("locale", "zh") if isinstance(data, dict) else "zh"
    locale = locale if locale in ("zh", "en") else "zh"
    if not isinstance(data, dict):
        raise RulesError(problems=[Diagnostic(t("not_mapping", locale), file, 1, 1)])
    marks: dict[Loc, tuple[int, int, int, int]] = {}
    if node is not None:
        _marks(node, (), marks)
    where = Located(file, marks)
    problems: list[Diagnostic] = []
    staff_file = data.get("staff_file")
    if isinstance(staff_file, str):
        staff_path = (base_dir or Path(".")) / staff_file
        try:
            extra = load_staff_file(staff_path, locale)
        except RulesError as err:
            problems.extend(err.problems)
            extra = []
        data = dict(data, staff=list(data.get("staff") or []) + extra)
    try:
        rules = RosterRules.model_validate(data)
    except ValidationError as err:
        problems.extend(_pydantic_diagnostics(err, where, locale))
        problems.sort(key=lambda d: (d.line or 0, d.column or 0))
        raise RulesError(problems=problems)
    problems.extend(cross_check(rules, where))
    if problems:
        problems.sort(key=lambda d: (d.line or 0, d.column or 0))
        raise RulesError(problems=problems)
    return rules


def cross_check(rules: RosterRules, where: Located) -> list[Diagnostic]:
    """Names that must refer to each other: groups, roles, people, shifts, periods, seasons."""
    loc = rules.locale
    out: list[Diagnostic] = []
    groups, roles = rules.known_groups, rules.known_roles
    names = [p.name for p in rules.staff]
    shift_ids = [s.id for s in rules.all_shifts]
    seasons = [s.name for s in rules.calendar.seasons] + ["default"]
    from .calendar import holiday_period_names
    periods = [p.name for p in rules.calendar.periods] + holiday_period_names()

    def unknown(kind: str, value: str, options: list[str], at: Loc) -> None:
        out.append(where.diag(at, t(f"unknown_{kind}", loc, name=value), did_you_mean(value, options, loc)))

    def check_names(values: Iterable[str] | None, options: list[str], kind: str, at: Loc) -> None:
        for i, value in enumerate(values or []):
            if value not in options:
                unknown(kind, value, options, at + (i,))

    seen: set[str] = set()
    for i, p in enumerate(rules.staff):
        if p.name in seen:
            out.append(where.diag(("staff", i, "name"), t("duplicate_person", loc, name=p.name)))
        seen.add(p.name)
        if rules.groups and p.group and p.group not in rules.groups:
            unknown("group", p.group, rules.groups, ("staff", i, "group"))
        if rules.roles:
            check_names(p.roles, rules.roles, "role", ("staff", i, "roles"))
        for j, u in enumerate(p.unavailable):
            check_names(u.shifts, shift_ids, "shift", ("staff", i, "unavailable", j, "shifts"))
    seen = set()
    for i, s in enumerate(rules.shifts):
        if s.id in seen:
            out.append(where.diag(("shifts", i, "id"), t("duplicate_shift", loc, name=s.id)))
        seen.add(s.id)
    for section, items in (("shifts", rules.shifts), ("leaders", rules.leaders)):
        for i, s in enumerate(items):
            at = (section, i)
            check_names(s.groups, groups, "group", at + ("groups",))
            check_names(getattr(s, "exclude_groups", []), groups, "group", at + ("exclude_groups",))
            check_names(s.roles, roles, "role", at + ("roles",))
            check_names(s.people, names, "person", at + ("people",))
            check_names(s.periods, periods, "period", at + ("periods",))
            check_names(s.exclude_periods, periods, "period", at + ("exclude_periods",))
            if isinstance(getattr(s, "windows", None), dict):
                for season in s.windows:
                    if season not in seasons:
                        out.append(where.diag(at + ("windows", season), t("unknown_period", loc, name=season),
                                              did_you_mean(season, seasons, loc), at_key=True))
    for i, lim in enumerate(rules.rules.limits):
        at = ("rules", "limits", i)
        check_names(lim.shifts, shift_ids, "shift", at + ("shifts",))
        check_names(lim.groups, groups, "group", at + ("groups",))
        check_names(lim.people, names, "person", at + ("people",))
    for i, rot in enumerate(rules.rules.rotation):
        check_names(rot.shifts, shift_ids, "shift", ("rules", "rotation", i, "shifts"))
    for i, target in enumerate(rules.rules.cover):
        check_names([target.shift], shift_ids, "shift", ("rules", "cover", i, "shift"))
    for i, succession in enumerate(rules.rules.forbidden_successions):
        check_names([succession.shift], shift_ids, "shift", ("rules", "forbidden_successions", i, "shift"))
        check_names(succession.next, shift_ids, "shift", ("rules", "forbidden_successions", i, "next"))
    for i, p in enumerate(rules.staff):
        for shift in p.max_shifts:
            if shift not in shift_ids:
                out.append(where.diag(("staff", i, "max_shifts", shift), t("unknown_shift", loc, name=shift),
                                      did_you_mean(shift, shift_ids, loc), at_key=True))
        for j, request in enumerate(p.requests):
            if request.shift is not None:
                check_names([request.shift], shift_ids, "shift", ("staff", i, "requests", j, "shift"))
    for i, cov in enumerate(rules.substitution.cover):
        check_names(cov.shifts, shift_ids, "shift", ("substitution", "cover", i, "shifts"))
        check_names(cov.groups, groups, "group", ("substitution", "cover", i, "groups"))
    governed: dict[str, str] = {}
    for i, rot in enumerate(rules.holiday_rotation):
        at = ("holiday_rotation", i)
        check_names(rot.shifts, shift_ids, "shift", at + ("shifts",))
        check_names(rot.groups, groups, "group", at + ("groups",))
        check_names(rot.roles, roles, "role", at + ("roles",))
        check_names(rot.people, names, "person", at + ("people",))
        check_names(rot.separate, periods, "period", at + ("separate",))
        for j, shift in enumerate(rot.shifts):
            if shift in governed:  # two orders for one shift cannot both hold
                out.append(where.diag(at + ("shifts", j), t("rotation_shift_twice", loc, shift=shift,
                                                            other=governed[shift])))
            governed.setdefault(shift, rot.name)
    if out:
        return out
    # Semantic checks only make sense once every name resolves.
    from .problem import may_take
    for section, items in (("shifts", rules.shifts), ("leaders", rules.leaders)):
        for i, s in enumerate(items):
            shift = s if section == "shifts" else s.as_shift(loc)
            if rules.staff and not any(may_take(p, shift) for p in rules.staff):
                out.append(where.diag((section, i), t("nobody_eligible", loc, shift=shift.display),
                                      t("nobody_eligible_hint", loc)))
    duty_kinds = {k for s in rules.shifts for k in s.days if s.headcount_on(k) > 0}
    leader_kinds = {k for tier in rules.leaders for k in tier.days}
    missing = [k for k in DAY_KINDS if k in duty_kinds and k not in leader_kinds]
    if rules.leaders and missing:
        from .i18n import day_kind_label
        out.append(where.diag(("leaders",), t("no_leader_for", loc, kinds=join_names(
            (day_kind_label(k, loc) for k in missing), loc)), t("no_leader_hint", loc), at_key=True))
    return out

