"""Words for things every page shows: periods, statuses (with their colours)."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QColor

from db.periods import parse_period, period_containing
from resources import formatting
from resources.words import current_language, tr

# Calm colours readable on white, each paired with a word (colour is never the only signal).
STATUS_COLOURS: dict[str, str] = {
    "not_started": "#8a8f98",
    "in_progress": "#c98a00",
    "completed": "#2e7d32",
    "not_applicable": "#5c6bc0",
}
OVERDUE_COLOUR = "#c62828"
ACCENT_COLOUR = "#1f5f99"


_ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def roman(number: int) -> str:
    """Sections of the plan are numbered I, II, III..."""
    return _ROMAN[number] if 0 < number < len(_ROMAN) else str(number)


def status_colour(status: str) -> QColor:
    return QColor(STATUS_COLOURS.get(status, "#8a8f98"))


def period_label(code: str, lang: str | None = None) -> str:
    """'3 квартал 2026 г.' / '2026 ж. 3-тоқсан' / 'Q3 2026'."""
    p = parse_period(code)
    return tr(f"ui.period.{p.kind}", lang, n=p.index, year=p.year)


def period_choices(codes: list[str], today: date | None = None) -> list[str]:
    """The periods to offer: those with data plus the current quarter, newest first."""
    current = period_containing(today or date.today())
    found = set(codes) | {current}
    return sorted(found, key=lambda c: (parse_period(c).end, parse_period(c).kind), reverse=True)


def format_when(iso: str | None) -> str:
    """'2026-11-28T10:05:00' -> '28.11.2026 10:05' (the way dates are written in Kazakhstan)."""
    return formatting.date_time(iso)


def format_number(value: float, lang: str | None = None, decimals: int = 1) -> str:
    """12.5 -> '12,5' in Russian and Kazakh, '12.5' in English: see resources.formatting."""
    return formatting.number(value, lang or current_language(), decimals)


def format_percent(value: float | None, lang: str | None = None) -> str:
    return formatting.percent(value, lang or current_language(), empty="—")
