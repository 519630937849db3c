"""Deadline grammar of the plans: turns "Quý II/2026", "Tháng 3", "Thường xuyên" ... into a due date.

Kinds:
- ``date``: a due date (and, for windows such as "Quý III-IV/2026", a start date);
- ``recurring``: no due date, judged by the monthly reports ("Thường xuyên");
- ``conditional``: no due date until a trigger happens ("Theo hướng dẫn của Bộ ...");
- ``unknown``: the text could not be read (or is empty); the importer reports it, never guesses.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from dashboard.messages import Message, msg
from dashboard.text import clean, fold

DATE = "date"
RECURRING = "recurring"
CONDITIONAL = "conditional"
UNKNOWN = "unknown"
KINDS = (DATE, RECURRING, CONDITIONAL, UNKNOWN)


@dataclass(frozen=True)
class Deadline:
    """A parsed deadline. ``problem`` explains an ``unknown`` kind."""

    kind: str
    due: date | None = None
    start: date | None = None
    problem: Message | None = None  # why it could not be read


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

_RECURRING = re.compile(r"^(thuong xuyen|hang (thang|quy|nam|tuan)|dinh ky|lien tuc)\b")
_CONDITIONAL = re.compile(
    r"(theo huong dan|khi (co|trung uong|bo|nen tang|duoc)|sau khi|theo yeu cau|theo chi dao|"
    r"theo (van ban|ke hoach|lo trinh) (giao|cua)|thoi han trinh theo|cham nhat .* (sau|ke tu) khi|"
    r"khi co (van ban|huong dan|yeu cau))"
)
_QUARTER = r"\b(?:quy|q)\s*(iv|iii|ii|i|[1-4])\b"
_YEAR = r"(?:\s*/\s*|\s+nam\s+|\s+)(\d{4})"
_QUARTER_RANGE = re.compile(_QUARTER + r"(?:\s*[-–—]\s*(iv|iii|ii|i|[1-4]))?(?:" + _YEAR + r")?")
_MONTH_RANGE = re.compile(r"thang\s*(\d{1,2})(?:\s*[-–—]\s*(\d{1,2}))?(?:" + _YEAR + r")?")
_FULL_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})(?!\d)")
_YEAR_ONLY = re.compile(r"(?:trong |het |cuoi |den )?nam\s+(\d{4})")
_UNTIL_END_OF_YEAR = re.compile(r"(den )?het nam(\s+(\d{4}))?")


def _quarter_no(token: str) -> int:
    return _ROMAN.get(token) or int(token)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), _month_end(year, first + 2)


def quarter_of(day: date) -> int:
    """Quarter number (1-4) of a date."""
    return (day.month - 1) // 3 + 1


def parse_deadline(text: str | None, plan_year: int) -> Deadline:
    """Read a deadline text as written in a plan; ``plan_year`` fills a missing year."""
    raw = clean(text)
    if not raw:
        return Deadline(UNKNOWN, problem=msg("dl.none"))
    f = fold(raw).strip(" .;,")
    try:
        return _parse(f, plan_year) or Deadline(UNKNOWN, problem=msg("dl.unreadable", text=raw))
    except ValueError as exc:  # impossible calendar dates such as 31/2/2026
        return Deadline(UNKNOWN, problem=msg("dl.bad_date", text=raw, cause=str(exc)))


def _parse(f: str, plan_year: int) -> Deadline | None:
    if _RECURRING.search(f):
        return Deadline(RECURRING)
    if _CONDITIONAL.search(f):
        return Deadline(CONDITIONAL)

    dates = [date(int(y), int(m), int(d)) for d, m, y in _FULL_DATE.findall(f)]
    if dates:
        start = min(dates) if len(dates) > 1 else None
        return Deadline(DATE, due=max(dates), start=start)

    quarters: list[tuple[int, int, int | None]] = []
    for m in _QUARTER_RANGE.finditer(f):
        year = int(m.group(3)) if m.group(3) else None
        quarters.append((_quarter_no(m.group(1)), _quarter_no(m.group(2) or m.group(1)), year))
    if quarters:
        # "Q3/2025 – Q2/2026": each part may carry its own year; a missing one takes the next given
        # year, else the plan year.
        resolved = []
        next_year = plan_year
        for first, last, year in reversed(quarters):
            y = year or next_year
            next_year = y
            resolved.append((_quarter_bounds(y, first)[0], _quarter_bounds(y, last)[1], first != last))
        resolved.reverse()
        start, due = resolved[0][0], resolved[-1][1]
        is_window = len(resolved) > 1 or resolved[0][2]
        return Deadline(DATE, due=due, start=start if is_window else None)

    months = list(_MONTH_RANGE.finditer(f))
    if months:
        m = months[0]
        first = int(m.group(1))
        last = int(m.group(2) or m.group(1))
        year = int(m.group(3)) if m.group(3) else plan_year
        if not (1 <= first <= 12 and 1 <= last <= 12):
            raise ValueError(f"month {first if not 1 <= first <= 12 else last} out of range")
        start = date(year, first, 1)
        end_of_year = _UNTIL_END_OF_YEAR.search(f, m.end())
        if end_of_year:  # "Tháng 02 đến hết năm 2026"
            y = int(end_of_year.group(3)) if end_of_year.group(3) else year
            return Deadline(DATE, due=date(y, 12, 31), start=start)
        if len(months) > 1:  # "từ tháng 3 đến tháng 6/2026"
            m2 = months[-1]
            y2 = int(m2.group(3)) if m2.group(3) else year
            due = _month_end(y2, int(m2.group(2) or m2.group(1)))
            if not m.group(3):
                start = date(y2, first, 1)
            return Deadline(DATE, due=due, start=start)
        due = _month_end(year, last)
        return Deadline(DATE, due=due, start=start if last != first else None)

    if re.search(r"6 thang dau nam", f):
        return Deadline(DATE, due=date(plan_year, 6, 30))
    m = _YEAR_ONLY.search(f)
    if m:
        return Deadline(DATE, due=date(int(m.group(1)), 12, 31))
    if re.fullmatch(r"(trong |den )?(het |cuoi )?nam( nay)?", f):
        return Deadline(DATE, due=date(plan_year, 12, 31))
    return None
