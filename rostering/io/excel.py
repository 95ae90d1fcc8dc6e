"""Excel roster: the printable 值班表, plus 个人日历, 统计 and optional 值班记录 sheets; reads the 值班表 back.

The visible 值班表 is the source of truth when reading: people edit names there in Excel, WPS or
LibreOffice. A hidden sheet keeps the assignments as generated, so hand edits can be reported.
"""
from __future__ import annotations

import calendar as std_calendar
import re
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.pagebreak import Break

from ..calendar import Day, period_label
from ..errors import RosterFileError
from ..i18n import day_kind_label, join_names, t
from ..problem import Problem, Slot
from ..roster import Assignment, Roster
from ..rules import RosterRules, Shift
from ..summary import person_counts

DATA_SHEET = "_roster_data"  # hidden: the assignments as generated
DATA_FORMAT = "roster-excel/1"

BODY_FONT = {"zh": "宋体", "en": "Arial"}
TITLE_FONT = {"zh": "黑体", "en": "Arial"}
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
DAY_FILLS = {"weekend": PatternFill("solid", fgColor="EDEDED"), "holiday": PatternFill("solid", fgColor="FCE4D6")}
SHIFT_COLOURS = ("BDD7EE", "FFE699", "C6E0B4", "F8CBAD", "D9C3E9", "B4C6E7", "FFD966", "A9D08E")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
NO_DUTY = "—"
MAX_COLUMN_WIDTH = 30  # wider cells wrap
PORTRAIT_MAX_WIDTH = 120  # column-width units that still print legibly (scaled ≥ ~80%) on portrait A4

_ONE_WINDOW = r"\d{1,2}:\d{2}\s*[–—\-~～至]\s*(?:次日)?\d{1,2}:\d{2}(?:\s*next day)?"
_WINDOW_LINE = re.compile(rf"^\s*{_ONE_WINDOW}(\s*[、,，;；\s]\s*{_ONE_WINDOW})*\s*$")
_NAME_SEPARATORS = re.compile(r"[\n\r、，,;；]+")
_PHONE_TAIL = re.compile(r"^(?P<name>.*?\S)(?:\s+|\s*[（(])\+?\d[\d \-]{5,}\d\s*[)）]?\s*$")
_PHONE = re.compile(r"^[(（]?\+?\d[\d\-]{5,}\d[)）]?$")
_ONLY_DASHES = re.compile(r"^[\s—–\-/／]*$")


# -- shared helpers ------------------------------------------------------------------------
def text_width(text: str) -> int:
    """Width of the longest line in column units; Chinese characters count double."""
    lines = str(text).split("\n") or [""]
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines)


def cell_font(locale: str, size: float = 11, bold: bool = False, color: str | None = None, title: bool = False) -> Font:
    """宋体 for text, 黑体 for titles; charset GB2312 tells office suites lacking them to fall back to a Chinese font."""
    name = (TITLE_FONT if title else BODY_FONT)[locale]
    return Font(name=name, size=size, bold=bold, color=color, charset=134 if locale == "zh" else None)


def put_text(cell, value: str) -> None:
    """Write user data as text: a name like '=SUM(A1)' or '+86…' must never become a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value[:1] in "=+-@":
            cell.quotePrefix = True


def labelled(label: str, names: list[str], locale: str) -> str:
    """'带班领导：王一、王二' / 'Leader on duty: A, B'."""
    return label + ("：" if locale == "zh" else ": ") + join_names(names, locale)


def weekday_label(day: date, locale: str) -> str:
    return t("xl_weekdays", locale).split(",")[day.weekday()]


def long_date(day: date, locale: str) -> str:
    if locale == "en":
        return f"{std_calendar.month_name[day.month]} {day.day}, {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def day_fill(day: Day) -> PatternFill | None:
    """Holiday shading for every day of a holiday run (its weekend days too), grey for ordinary weekends."""
    return DAY_FILLS["holiday"] if day.period or day.kind == "holiday" else DAY_FILLS.get(day.kind)


def day_label(day: Day, locale: str) -> str:
    """Holiday period name on the days of a holiday run, otherwise the day kind."""
    return day.period_label(locale) if day.period else day_kind_label(day.kind, locale)


def span_label(problem: Problem) -> str:
    """'2026年12月', '2026年国庆节' (a range that is one holiday period) or a date range."""
    loc, start, end = problem.locale, problem.start, problem.end
    periods = {d.period for d in problem.days}
    if len(periods) == 1 and None not in periods:
        name = period_label(periods.pop(), loc)
        return t("xl_span_period", loc, year=start.year, period=name)
    last_of_month = date(end.year, end.month, std_calendar.monthrange(end.year, end.month)[1])
    if start.day == 1 and end == last_of_month and (start.year, start.month) == (end.year, end.month):
        return t("xl_span_month", loc, year=start.year, month=start.month,
                 month_name=std_calendar.month_name[start.month])
    return t("xl_span_range", loc, start=long_date(start, loc), end=long_date(end, loc))


def roster_title(problem: Problem) -> str:
    return t("xl_title", problem.locale, org=problem.rules.organization, span=span_label(problem))


def person_label(name: str, phones: dict[str, str]) -> str:
    phone = phones.get(name, "")
    return f"{name} {phone}" if phone else name


def short_labels(shifts: list[Shift]) -> dict[str, str]:
    """One or two characters per shift for the calendar grid, unique where possible."""
    for size in (1, 2):
        labels = {s.id: s.display[:size] for s in shifts}
        if len(set(labels.values())) == len(labels):
            return labels
    return {s.id: s.display for s in shifts}


def style_cells(ws, rows: range, cols: range, *, border=GRID, fill=None, font=None, align=None) -> None:
    for r in rows:
        for c in cols:
            cell = ws.cell(r, c)
            if border is not None:
                cell.border = border
            if fill is not None:
                cell.fill = fill
            if font is not None:
                cell.font = font
            if align is not None:
                cell.alignment = align


def set_print(ws, *, landscape: bool, title_rows: str | None, last_col: int, last_row: int, locale: str,
              one_page: bool = False) -> None:
    """A4, fit to one page wide, any number of pages tall (one with `one_page`), centred, numbered pages."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    if title_rows:
        ws.print_title_rows = title_rows
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    ws.oddFooter.center.text = t("xl_page_footer", locale)
    ws.oddFooter.center.size = 9


def put_title(ws, row: int, title: str, table_width: float, locale: str, size: int) -> None:
    """A centred bold title over a merged row, wrapped onto more lines when the table is narrower than it."""
    put_text(ws.cell(row, 1), title)
    ws.cell(row, 1).font = cell_font(locale, size=size, bold=True, title=True)
    ws.cell(row, 1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    lines = -(-text_width(title) * size * 1.15 // (11 * max(table_width, 1)))
    ws.row_dimensions[row].height = (size + 8) * max(1, lines) + 14


def sheet_width(ws, ncol: int) -> float:
    return sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ncol + 1))


# -- the 值班表 layout -----------------------------------------------------------------------
@dataclass
class Column:
    """One column of the 值班表: a fixed column (date, weekday, kind) or the shifts shown in it."""

    header: str
    shifts: list[Shift] = field(default_factory=list)
    leader: bool = False
    varying: bool = False  # windows differ between dates (seasons): each cell shows its own
    width: float = 10


class RosterLayout:
    """Columns of the 值班表: date, weekday, kind, ONE 带班领导 column for every leader tier, one per duty shift.

    Tiers sharing a display name (one per day kind, say) are told apart by the date when reading; where
    tiers with different names meet on one date, each line in the cell starts with the tier's name.
    """

    def __init__(self, problem: Problem, roster: Roster | None = None):
        self.problem = problem
        loc = problem.locale
        used = {s.shift.id for s in problem.slots} | ({a.shift for a in roster.assignments} if roster else set())
        self.columns = [Column(t("xl_date", loc), width=11), Column(t("xl_weekday", loc), width=8),
                        Column(t("xl_kind", loc), width=10)]
        leaders = [s for s in problem.shifts if s.leader and s.id in used]
        if leaders:
            names = {s.display for s in leaders}
            header = names.pop() if len(names) == 1 else t("xl_leader", loc)
            self.columns.append(Column(header, leaders, leader=True))
        for s in problem.rules.shifts:
            if s.id in used:
                self.columns.append(self._shift_column(s))

    def _shift_column(self, shift: Shift) -> Column:
        windows = []
        for slot in self.problem.slots:
            if slot.shift.id == shift.id and slot.windows not in windows:
                windows.append(slot.windows)
        if len(windows) == 1:
            return Column(f"{shift.display}\n{windows_label(windows[0], self.problem.locale)}", [shift])
        return Column(shift.display, [shift], varying=len(windows) > 1)

    def cell_text(self, column: Column, day: Day, by_slot: dict, phones: dict[str, str]) -> str:
        names = [n for s in column.shifts for n in by_slot.get((day.date, s.id), [])]
        slots = [self.problem.slot_at.get((day.date, s.id)) for s in column.shifts]
        slots = [s for s in slots if s is not None]
        if not names:
            return "" if slots else NO_DUTY
        tiers: dict[str, list[str]] = {}  # display name -> people, for the tiers on duty this date
        for s in column.shifts:
            held = by_slot.get((day.date, s.id), [])
            if held or (day.date, s.id) in self.problem.slot_at:
                tiers.setdefault(s.display, []).extend(held)
        if column.leader and len(tiers) > 1:  # each tier's name on a line of its own, its people below
            return "\n".join(labelled(name, [], self.problem.locale) + "".join(f"\n{person_label(n, phones)}"
                                                                              for n in held)
                             for name, held in tiers.items())
        lines = [person_label(n, phones) for n in names]
        if column.varying and slots:
            lines.insert(0, windows_label(slots[0].windows, self.problem.locale))
        return "\n".join(lines)


def windows_label(windows, locale: str) -> str:
    """'08:30–12:00、13:30–17:30'; a window past midnight says so: '20:30–次日08:30' / '20:30–08:30 next day'."""
    parts = []
    for w in windows:
        start, end = w.label().split("–")
        overnight = w.end > 24 * 60
        parts.append(f"{start}–次日{end}" if overnight and locale == "zh"
                     else f"{start}–{end} next day" if overnight else f"{start}–{end}")
    return join_names(parts, locale)


# -- writing ------------------------------------------------------------------------------
def write_excel(path: Path, roster: Roster, rules: RosterRules, log_sheets: bool = False) -> None:
    """The whole workbook; `log_sheets` adds a printable 值班记录/交接班记录 page per day."""
    problem = Problem.for_roster(rules, roster)
    wb = Workbook()
    write_roster_sheet(wb.active, roster, problem)
    write_calendar_sheet(wb.create_sheet(), roster, problem)
    write_stats_sheet(wb.create_sheet(), roster, problem)
    if log_sheets:
        write_log_sheet(wb.create_sheet(), roster, problem)
    write_data_sheet(wb.create_sheet(DATA_SHEET), roster, rules)
    wb.active = 0
    wb.save(path)


def write_roster_sheet(ws, roster: Roster, problem: Problem) -> None:
    loc = problem.locale
    rules = problem.rules
    ws.title = t("xl_sheet_roster", loc)
    layout = RosterLayout(problem, roster)
    columns = layout.columns
    phones = {p.name: p.phone for p in rules.staff}
    by_slot = roster.by_slot()
    body = cell_font(loc, size=11)
    ncol = len(columns)

    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)

    header_row = 2
    table = []  # (day, texts of the columns after date/weekday/kind)
    for day in problem.days:
        texts = [layout.cell_text(column, day, by_slot, phones) for column in columns[3:]]
        table.append((day, texts))
        for column, text in zip(columns, ["", weekday_label(day.date, loc), day_label(day, loc)] + texts):
            column.width = max(column.width, min(text_width(text) + 3, MAX_COLUMN_WIDTH))
    for c, column in enumerate(columns, 1):
        column.width = max(column.width, min(text_width(column.header) + 3, MAX_COLUMN_WIDTH))
        ws.column_dimensions[get_column_letter(c)].width = column.width

    for c, column in enumerate(columns, 1):
        put_text(ws.cell(header_row, c), column.header)
    style_cells(ws, range(header_row, header_row + 1), range(1, ncol + 1), fill=HEADER_FILL,
                font=cell_font(loc, size=11, bold=True), align=CENTER)
    ws.row_dimensions[header_row].height = 16 * max(wrapped_lines(c.header, c.width) for c in columns) + 8

    row = header_row
    for day, texts in table:
        row += 1
        date_cell = ws.cell(row, 1, day.date)
        date_cell.number_format = t("xl_date_format", loc)
        ws.cell(row, 2, weekday_label(day.date, loc))
        put_text(ws.cell(row, 3), day_label(day, loc))
        for c, text in enumerate(texts, 4):
            put_text(ws.cell(row, c), text)
        style_cells(ws, range(row, row + 1), range(1, ncol + 1), fill=day_fill(day), font=body,
                    align=CENTER)
        for c, text in enumerate(texts, 4):
            if text == NO_DUTY:
                ws.cell(row, c).font = cell_font(loc, size=11, color="808080")
        if day.kind == "adjusted_workday" or day.holiday:
            ws.cell(row, 3).font = cell_font(loc, size=11, bold=True)
        lines = [wrapped_lines(text, column.width) for column, text in zip(columns[3:], texts)]
        ws.row_dimensions[row].height = 16 * max([1] + lines) + 8
    last_table_row = row
    total_width = sum(c.width for c in columns)
    put_title(ws, 1, roster_title(problem), total_width, loc, size=18)

    row = last_table_row + 2
    ws.row_dimensions[last_table_row + 1].height = 8
    footer_font = cell_font(loc, size=11)
    if rules.duty_phone:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        put_text(ws.cell(row, 1), t("xl_duty_phone", loc, phone=rules.duty_phone))
        ws.cell(row, 1).font, ws.cell(row, 1).alignment = footer_font, LEFT
        row += 1
    ws.row_dimensions[row].height = 30
    first_third = split_column(columns, 1 / 3)
    thirds = [1, first_third, max(split_column(columns, 2 / 3), first_third + 1), ncol + 1]
    for key, first, after in zip(("xl_made_by", "xl_checked_by", "xl_approved_by"), thirds, thirds[1:]):
        if after - 1 > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=after - 1)
        cell = ws.cell(row, first, t(key, loc) + "________________")
        cell.font, cell.alignment = footer_font, Alignment(horizontal="left", vertical="bottom")
    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
    cell = ws.cell(row, 1, t("xl_print_date", loc, date=long_date(date.today(), loc)))
    cell.font, cell.alignment = footer_font, Alignment(horizontal="right", vertical="center")
    ws.row_dimensions[row].height = 22

    ws.freeze_panes = ws.cell(header_row + 1, 2)
    set_print(ws, landscape=total_width > PORTRAIT_MAX_WIDTH, title_rows=f"{header_row}:{header_row}",
              last_col=ncol, last_row=row, locale=loc, one_page=len(problem.days) <= 31)  # a month is posted as one sheet


def wrapped_lines(text: str, width: float) -> int:
    """Lines a wrapped cell takes, for a row height that shows all of it (Excel does not grow rows on open)."""
    return sum(max(1, -(-text_width(line) // max(1, int(width) - 2))) for line in str(text).split("\n"))


def split_column(columns: list[Column], fraction: float) -> int:
    """The column (1-based) that starts nearest to `fraction` of the table's width, for the signature line."""
    total, edge, best = sum(c.width for c in columns), 0.0, (float("inf"), 1)
    for c, column in enumerate(columns, 1):
        best = min(best, (abs(edge - fraction * total), c))
        edge += column.width
    return best[1]


def write_calendar_sheet(ws, roster: Roster, problem: Problem) -> None:
    """Person × date grid, one colour per shift, to see the load at a glance."""
    loc = problem.locale
    ws.title = t("xl_sheet_calendar", loc)
    shifts = [s for s in problem.shifts if any(a.shift == s.id for a in roster.assignments)]
    labels = short_labels(shifts)
    fills = {s.id: PatternFill("solid", fgColor=SHIFT_COLOURS[i % len(SHIFT_COLOURS)]) for i, s in enumerate(shifts)}
    people = [p.name for p in problem.people if roster.of(p.name)]
    people += [n for n in roster.people if n not in people]
    group = {p.name: p.group for p in problem.people}
    totals = {r["person"]: r["total"] for r in person_counts(roster, problem)}
    held = defaultdict(list)
    for a in roster.assignments:
        held[(a.person, a.date)].append(a.shift)
    body = cell_font(loc, size=10)
    ndays = len(problem.days)
    ncol = ndays + 3

    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    header = [t("summary_person", loc), t("summary_group", loc)]
    header += [f"{d.date.day}\n{weekday_label(d.date, loc)[-1:] if loc == 'zh' else weekday_label(d.date, loc)[:2]}"
               for d in problem.days]
    header.append(t("summary_total", loc))
    for c, text in enumerate(header, 1):
        put_text(ws.cell(2, c), text)
    style_cells(ws, range(2, 3), range(1, ncol + 1), fill=HEADER_FILL, font=cell_font(loc, size=10,
                bold=True), align=CENTER)
    for i, d in enumerate(problem.days):
        if day_fill(d):
            ws.cell(2, 3 + i).fill = day_fill(d)
    ws.row_dimensions[2].height = 30
    for r, name in enumerate(people, 3):
        put_text(ws.cell(r, 1), name)
        put_text(ws.cell(r, 2), group.get(name, ""))
        for i, d in enumerate(problem.days):
            ids = held.get((name, d.date), [])
            cell = ws.cell(r, 3 + i)
            put_text(cell, "".join(labels.get(s, s) for s in ids) or None)
            if ids:
                cell.fill = fills.get(ids[0], PatternFill())
            elif day_fill(d):
                cell.fill = day_fill(d)
        ws.cell(r, ncol, totals.get(name))  # people missing from the staff list are left for `check` to flag
    last = 2 + len(people)
    style_cells(ws, range(3, last + 1), range(1, ncol + 1), font=body, align=CENTER)
    for r in range(3, last + 1):
        ws.cell(r, 1).alignment = LEFT
        ws.row_dimensions[r].height = 18
    row = last + 2
    put_text(ws.cell(row, 1), t("xl_legend", loc))
    ws.cell(row, 1).font = cell_font(loc, size=10, bold=True)
    col = 2
    for s in shifts:
        cell = ws.cell(row, col)
        put_text(cell, labels[s.id])
        cell.fill, cell.border, cell.alignment, cell.font = fills[s.id], GRID, CENTER, body
        ws.merge_cells(start_row=row, start_column=col + 1, end_row=row, end_column=col + 3)
        put_text(ws.cell(row, col + 1), s.display)
        ws.cell(row, col + 1).font = body
        col += 4
    ws.column_dimensions["A"].width = max([8] + [text_width(n) + 2 for n in people])
    ws.column_dimensions["B"].width = max([6] + [text_width(group.get(n, "")) + 2 for n in people])
    for c in range(3, ncol):
        ws.column_dimensions[get_column_letter(c)].width = 4.2 if max(map(len, labels.values()), default=1) == 1 else 6
    ws.column_dimensions[get_column_letter(ncol)].width = 6
    title = t("xl_calendar_title", loc, org=problem.rules.organization, span=span_label(problem))
    put_title(ws, 1, title, sheet_width(ws, ncol), loc, size=16)
    ws.freeze_panes = ws.cell(3, 3)
    set_print(ws, landscape=True, title_rows="2:2", last_col=max(ncol, col), last_row=row, locale=loc)


def write_stats_sheet(ws, roster: Roster, problem: Problem) -> None:
    """Counts per person by shift, weekday nights, weekends, holidays by name, total and weighted load."""
    loc = problem.locale
    ws.title = t("xl_sheet_stats", loc)
    rows = person_counts(roster, problem)
    periods = []
    for d in problem.days:
        if d.period and d.period not in periods:
            periods.append(d.period)
    nights: dict[str, int] = defaultdict(int)
    in_period: dict[tuple[str, str], int] = defaultdict(int)
    for a in roster.assignments:
        day, shift = problem.day_of.get(a.date), problem.shift_by_id.get(a.shift)
        if day is None or shift is None:
            continue
        if shift.is_night() and day.kind in ("workday", "adjusted_workday"):
            nights[a.person] += 1
        if day.period:
            in_period[(a.person, day.period)] += 1
    shifts = [s for s in problem.shifts if any(r["shifts"][s.id] for r in rows)]
    header = [t("summary_person", loc), t("summary_group", loc)] + [s.display for s in shifts]
    header += [t("xl_weekday_nights", loc), day_kind_label("weekend", loc), day_kind_label("holiday", loc)]
    header += [period_label(p, loc) for p in periods] + [t("summary_total", loc), t("summary_load", loc)]
    table = []
    for r in rows:
        name = r["person"]
        table.append([name, r["group"]] + [r["shifts"][s.id] for s in shifts]
                     + [nights[name], r["kinds"]["weekend"], r["kinds"]["holiday"]]
                     + [in_period[(name, p)] for p in periods] + [r["total"], r["load"]])
    ncol = len(header)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    for c, text in enumerate(header, 1):
        put_text(ws.cell(2, c), text)
    style_cells(ws, range(2, 3), range(1, ncol + 1), fill=HEADER_FILL,
                font=cell_font(loc, size=11, bold=True), align=CENTER)
    for r, values in enumerate(table, 3):
        for c, value in enumerate(values, 1):
            put_text(ws.cell(r, c), value if value != 0 or c > ncol - 2 else None)
    total_row = 3 + len(table)
    put_text(ws.cell(total_row, 1), t("summary_total", loc))
    for c in range(3, ncol):
        ws.cell(total_row, c, sum(values[c - 1] for values in table))
    style_cells(ws, range(3, total_row + 1), range(1, ncol + 1), font=cell_font(loc, size=11),
                align=CENTER)
    style_cells(ws, range(total_row, total_row + 1), range(1, ncol + 1),
                font=cell_font(loc, size=11, bold=True), fill=HEADER_FILL)
    for c, text in enumerate(header, 1):
        width = max([text_width(text)] + [text_width(str(v[c - 1])) for v in table])
        ws.column_dimensions[get_column_letter(c)].width = max(7, width + 3)
    ws.freeze_panes = ws.cell(3, 2)
    width = sheet_width(ws, ncol)
    put_title(ws, 1, t("xl_stats_title", loc, org=problem.rules.organization, span=span_label(problem)), width, loc,
              size=16)
    set_print(ws, landscape=width > PORTRAIT_MAX_WIDTH, title_rows="2:2", last_col=ncol, last_row=total_row,
              locale=loc)


def handover_to(slot: Slot, problem: Problem) -> Slot | None:
    """The duty slot that starts when this one ends (the one it hands over to), if any."""
    for other in problem.slots:
        if not other.shift.leader and other.begins == slot.ends:
            return other
    return None


def write_log_sheet(ws, roster: Roster, problem: Problem) -> None:
    """One printable 值班记录/交接班记录 page per day, as the regulations require handover in writing."""
    loc = problem.locale
    ws.title = t("xl_sheet_log", loc)
    by_slot = roster.by_slot()
    body = cell_font(loc, size=11)
    bold = cell_font(loc, size=11, bold=True)
    headers = [t(k, loc) for k in ("xl_log_shift", "xl_log_time", "xl_log_people", "xl_log_signed_in",
                                   "xl_log_handover_time", "xl_log_successor", "xl_log_signature")]
    widths = [12, 16, 18, 11, 11, 18, 14]
    ncol = len(headers)
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    row = 0
    for day in problem.days:
        slots = sorted((s for s in problem.slots if s.date == day.date), key=lambda s: (s.shift.leader, s.begins))
        leaders = [labelled(s.shift.display, by_slot.get(s.id, []), loc) for s in slots if s.shift.leader]
        duty = [s for s in slots if not s.shift.leader]
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        put_title(ws, row, t("xl_log_title", loc, org=problem.rules.organization), sum(widths), loc, size=16)
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        line = f"{long_date(day.date, loc)}  {weekday_label(day.date, loc)}  {day_label(day, loc)}"
        put_text(ws.cell(row, 1), "    ".join([line] + leaders))
        ws.cell(row, 1).font, ws.cell(row, 1).alignment = bold, LEFT
        ws.row_dimensions[row].height = 22
        row += 1
        for c, text in enumerate(headers, 1):
            ws.cell(row, c, text)
        style_cells(ws, range(row, row + 1), range(1, ncol + 1), fill=HEADER_FILL, font=bold, align=CENTER)
        for slot in duty:
            row += 1
            successor = handover_to(slot, problem)
            values = [slot.shift.display, windows_label(slot.windows, loc), "\n".join(by_slot.get(slot.id, [])), "",
                      slot.ends.strftime("%H:%M"), "\n".join(by_slot.get(successor.id, [])) if successor else "", ""]
            for c, value in enumerate(values, 1):
                put_text(ws.cell(row, c), value)
            style_cells(ws, range(row, row + 1), range(1, ncol + 1), font=body, align=CENTER)
            ws.row_dimensions[row].height = 16 * max(1, len(by_slot.get(slot.id, []))) + 14
        for key, lines in (("xl_log_events", 16), ("xl_log_pending", 8)):
            row += 1
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
            put_text(ws.cell(row, 1), t(key, loc))
            style_cells(ws, range(row, row + 1), range(1, ncol + 1), font=bold, fill=HEADER_FILL, align=LEFT)
            row += 1
            ws.merge_cells(start_row=row, start_column=1, end_row=row + lines - 1, end_column=ncol)
            style_cells(ws, range(row, row + lines), range(1, ncol + 1))
            for r in range(row, row + lines):
                ws.row_dimensions[r].height = 20
            row += lines - 1
        row += 2
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        put_text(ws.cell(row, 1), t("xl_log_signatures", loc))
        ws.cell(row, 1).font, ws.cell(row, 1).alignment = body, LEFT
        ws.row_dimensions[row].height = 28
        ws.row_breaks.append(Break(id=row))
    set_print(ws, landscape=False, title_rows=None, last_col=ncol, last_row=max(row, 1), locale=loc)


def write_data_sheet(ws, roster: Roster, rules: RosterRules) -> None:
    """Hidden record of the assignments as generated, to tell hand edits apart later."""
    ws.sheet_state = "hidden"
    rows = [["format", DATA_FORMAT], ["from", roster.start.isoformat()], ["to", roster.end.isoformat()],
            ["organization", rules.organization]]
    rows += [[f"meta.{k}", v] for k, v in roster.meta.items() if isinstance(v, (str, int, float, bool))]
    rows += [[], ["date", "shift", "person"]]
    rows += [[a.date.isoformat(), a.shift, a.person] for a in roster.assignments]
    for r, values in enumerate(rows, 1):
        for c, value in enumerate(values, 1):
            put_text(ws.cell(r, c), value)


# -- reading -------------------------------------------------------------------------------
def open_workbook(path: Path, locale: str):
    try:
        return load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise RosterFileError(t("xl_not_workbook", locale, path=path, detail=exc))


def sheet_named(wb, key: str, path: Path, locale: str):
    """A sheet by its Chinese or English name, so a file reads back whatever the locale it was written in."""
    for name in {t(key, "zh"), t(key, "en")}:
        if name in wb.sheetnames:
            return wb[name]
    raise RosterFileError(t("xl_no_sheet", locale, path=path, sheet=t(key, locale), have=join_names(wb.sheetnames, locale)))


def parse_date(value, where: str, path: Path, locale: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and 1 <= value < 2958466:  # a date cell re-formatted as a plain number
        return from_excel(value).date()
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?", text)
    if m:
        try:
            return date(*(int(g) for g in m.groups()))
        except ValueError:
            pass
    raise RosterFileError(t("xl_bad_date", locale, path=path, cell=where, value=text))


def person_names(text, phones: dict[str, str]) -> list[str]:
    """Names in a cell: several separated by 、/newline/comma; the phone numbers we appended are dropped."""
    return [name for _, name in cell_entries(text, phones, set())]


def cell_entries(text, phones: dict[str, str], tiers: set[str]) -> list[tuple[str | None, str]]:
    """(tier name or None, person) per name in a cell.

    A line may start with a tier's name ('带班领导：张三'); a tier's name alone on a line holds for the
    lines below it, up to the next tier's name.
    """
    if text is None:
        return []
    known = set(phones)
    out = []
    tier = None
    for line in str(text).splitlines():
        if _WINDOW_LINE.match(line):
            continue
        head, colon, rest = line.replace(":", "：", 1).partition("：")
        if colon and head.strip() in tiers:
            tier, line = head.strip(), rest
        for token in _NAME_SEPARATORS.split(line):
            token = token.strip()
            if _ONLY_DASHES.match(token):
                continue
            m = _PHONE_TAIL.match(token)
            if token not in known and m:
                token = m.group("name").strip()
            out += [(tier, name) for name in _spaced_names(token, known)]
    return out


def _spaced_names(token: str, known: set[str]) -> list[str]:
    """'陈建国 刘晓燕' typed with a space (phone numbers after each or not) is two people when both are
    on the staff list; anything else stays one token, so a name with a space in it is kept whole."""
    if token in known:
        return [token]
    parts = [part for part in token.split() if not _PHONE.match(part)]
    return parts if len(parts) > 1 and all(part in known for part in parts) else [token]


def find_header(ws, path: Path, locale: str) -> int:
    labels = {t("xl_date", "zh"), t("xl_date", "en")}
    for r in range(1, min(ws.max_row, 30) + 1):
        if str(ws.cell(r, 1).value or "").strip() in labels:
            return r
    raise RosterFileError(t("xl_no_header", locale, path=path, sheet=ws.title, label=t("xl_date", locale)))


def column_shifts(ws, header_row: int, rules: RosterRules, path: Path) -> dict[int, list[Shift]]:
    """Map each shift column to its shift(s) by the header text (display name on the first line)."""
    loc = rules.locale
    fixed = {t(k, lang) for k in ("xl_date", "xl_weekday", "xl_kind") for lang in ("zh", "en")}
    leader_headers = {t("xl_leader", lang) for lang in ("zh", "en")}
    shifts = rules.all_shifts
    out: dict[int, list[Shift]] = {}
    for c in range(1, ws.max_column + 1):
        raw = ws.cell(header_row, c).value
        if raw is None or not str(raw).strip():
            continue
        text = str(raw).strip()
        first = text.splitlines()[0].strip()
        if first in fixed:
            continue
        duty = [s for s in shifts if not s.leader and first in (s.display, s.id)]
        if first in leader_headers or any(s.leader and first in (s.display, s.id) for s in shifts):
            out[c] = [s for s in shifts if s.leader]  # the one leader column holds every tier
        elif len(duty) == 1:
            out[c] = duty
        elif duty:  # same display name twice: the windows in the header tell them apart
            exact = [s for s in duty if text in (f"{s.display}\n{windows_label(s.windows_for(None), lang)}"
                                                 for lang in ("zh", "en"))]
            out[c] = exact[:1] or duty[:1]
        else:
            known = join_names(dict.fromkeys(s.display for s in shifts), loc)
            raise RosterFileError(t("xl_unknown_column", loc, path=path,
                                    cell=f"{ws.title}!{get_column_letter(c)}{header_row}", name=first, known=known))
    return out


def is_footer(text: str) -> bool:
    prefixes = [t(k, lang).split("{")[0] for k in ("xl_duty_phone", "xl_print_date", "xl_made_by")
                for lang in ("zh", "en")]
    return any(text.startswith(p) for p in prefixes if p)


def read_roster_sheet(ws, rules: RosterRules, path: Path) -> tuple[date, date, list[tuple[date, list[Shift], str]]]:
    loc = rules.locale
    header_row = find_header(ws, path, loc)
    columns = column_shifts(ws, header_row, rules, path)
    phones = {p.name: p.phone for p in rules.staff}
    found: list[tuple[date, list[Shift], str]] = []
    dates = []
    for r in range(header_row + 1, ws.max_row + 1):
        first = ws.cell(r, 1).value
        if first is None or not str(first).strip() or is_footer(str(first).strip()):
            break
        day = parse_date(first, f"{ws.title}!A{r}", path, loc)
        dates.append(day)
        for c, shifts in columns.items():
            for tier, name in cell_entries(ws.cell(r, c).value, phones, {s.display for s in shifts}):
                found.append((day, [s for s in shifts if tier in (None, s.display)], name))
    if not dates:
        raise RosterFileError(t("xl_no_rows", loc, path=path, sheet=ws.title))
    return min(dates), max(dates), found


def read_meta(wb) -> tuple[dict, list[Assignment], tuple[date, date] | None]:
    """The hidden record: (meta, generated assignments, period), empty if the sheet is absent."""
    if DATA_SHEET not in wb.sheetnames:
        return {}, [], None
    meta, items, period, in_table = {}, [], {}, False
    for values in wb[DATA_SHEET].iter_rows(values_only=True):
        values = list(values) + [None, None, None]
        if in_table and values[0]:
            items.append(Assignment(date.fromisoformat(str(values[0])), str(values[1]), str(values[2])))
        elif values[:3] == ["date", "shift", "person"]:
            in_table = True
        elif values[0] in ("from", "to"):
            period[values[0]] = date.fromisoformat(str(values[1]))
        elif str(values[0] or "").startswith("meta."):
            meta[str(values[0])[5:]] = values[1]
    return meta, items, (period["from"], period["to"]) if len(period) == 2 else None


def read_excel(path: Path, rules: RosterRules | None) -> Roster:
    """The roster in the visible 值班表 (edits included); leader tiers sharing a column are told apart by date."""
    path = Path(path)
    if rules is None:
        raise RosterFileError(t("xl_rules_needed", "zh", path=path) + " / " + t("xl_rules_needed", "en", path=path))
    wb = open_workbook(path, rules.locale)
    ws = sheet_named(wb, "xl_sheet_roster", path, rules.locale)
    start, end, found = read_roster_sheet(ws, rules, path)
    try:
        meta, _, _ = read_meta(wb)
    except ValueError:
        meta = {}
    problem = Problem(rules, start, end)
    items = []
    for day, shifts, name in found:
        running = [s for s in shifts if (day, s.id) in problem.slot_at]
        if len(running) > 1:  # several tiers on one date: the one this person may take
            person = problem.person_by_name.get(name)
            running = [s for s in running if person and name in problem.eligible[(day, s.id)]] or running
        items.append(Assignment(day, (running or shifts)[0].id, name))
    return Roster(start, end, items, meta)


def generated_roster(path: Path, rules: RosterRules) -> Roster:
    """The roster as the tool wrote it, from the hidden sheet."""
    path = Path(path)
    wb = open_workbook(path, rules.locale)
    try:
        meta, items, period = read_meta(wb)
    except ValueError as exc:
        raise RosterFileError(t("xl_bad_record", rules.locale, path=path, sheet=DATA_SHEET, detail=exc))
    if period is None:
        raise RosterFileError(t("xl_no_record", rules.locale, path=path, sheet=DATA_SHEET))
    return Roster(period[0], period[1], items, meta)


def changes_since_generation(path: Path, rules: RosterRules) -> tuple[list[Assignment], list[Assignment]]:
    """(removed, added): what was changed by hand in the 值班表 since the tool wrote the file."""
    return generated_roster(path, rules).diff(read_excel(path, rules))
