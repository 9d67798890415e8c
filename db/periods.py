"""Reporting periods: `2026-Q3` (quarter), `2026-H1` (half-year), `2026` (year)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from db.errors import PlanMonitorError

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<kind>[QH])(?P<n>\d))?$")
# Every period ends in March, June, September or December, whose lengths never vary.
_LAST_DAY = {3: 31, 6: 30, 9: 30, 12: 31}


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: its code, kind, year and first and last days."""
    code: str
    kind: str  # quarter | half | year
    year: int
    start: date
    end: date

    @property
    def index(self) -> int:
        """The quarter (1-4) or half (1-2); 1 for a year."""
        return {"quarter": (self.start.month - 1) // 3 + 1,
                "half": 1 if self.start.month == 1 else 2, "year": 1}[self.kind]


def parse_period(code: str) -> Period:
    text = (code or "").strip().upper()
    match = _PATTERN.match(text)
    if not match:
        raise PlanMonitorError("error.bad_period", period=code)
    year = int(match["year"])
    kind_letter, n = match["kind"], int(match["n"] or 1)
    if not 2000 <= year <= 2100:
        raise PlanMonitorError("error.bad_period", period=code)
    if kind_letter == "Q":
        if not 1 <= n <= 4:
            raise PlanMonitorError("error.bad_period", period=code)
        first, last, kind = 3 * n - 2, 3 * n, "quarter"
    elif kind_letter == "H":
        if not 1 <= n <= 2:
            raise PlanMonitorError("error.bad_period", period=code)
        first, last, kind = 6 * n - 5, 6 * n, "half"
    else:
        first, last, kind = 1, 12, "year"
    end = date(year, last, _LAST_DAY[last])
    return Period(text, kind, year, date(year, first, 1), end)


def sort_periods(codes: Iterable[str], newest_first: bool = False) -> list[str]:
    """The distinct periods in time order, the one order every list and column of periods uses:
    by last day, and periods ending on the same day (2026-Q2, 2026-H1) by kind, so a list never
    reorders itself between two readings."""
    def order(code: str) -> tuple[date, str]:
        period = parse_period(code)
        return period.end, period.kind

    return sorted(set(codes), key=order, reverse=newest_first)


def period_code(kind: str, year: int, n: int = 1) -> str:
    return {"quarter": f"{year}-Q{n}", "half": f"{year}-H{n}", "year": f"{year}"}[kind]


def previous_period(code: str) -> str:
    p = parse_period(code)
    if p.kind == "year":
        return period_code("year", p.year - 1)
    count = 4 if p.kind == "quarter" else 2
    if p.index == 1:
        return period_code(p.kind, p.year - 1, count)
    return period_code(p.kind, p.year, p.index - 1)


def period_containing(day: date, kind: str = "quarter") -> str:
    if kind == "quarter":
        return period_code(kind, day.year, (day.month - 1) // 3 + 1)
    if kind == "half":
        return period_code(kind, day.year, 1 if day.month <= 6 else 2)
    return period_code("year", day.year)


def ensure_period(conn: sqlite3.Connection, code: str) -> Period:
    """Parse and register a period (idempotent); returns it."""
    p = parse_period(code)
    conn.execute(
        "INSERT OR IGNORE INTO period(code, kind, year, start_date, end_date) VALUES (?,?,?,?,?)",
        (p.code, p.kind, p.year, p.start.isoformat(), p.end.isoformat()),
    )
    return p
