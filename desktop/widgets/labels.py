"""Words for things every page shows: periods, statuses (with their colours)."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QColor

from db.periods import parse_period, period_containing
from planmonitor.i18n import tr

# Calm colours readable on white, each paired with a word (colour is never the only signal).
STATUS_COLOURS: dict[str, str] = {
    "not_started": "#8a8f98",
    "in_progress": "#c98a00",
    "completed": "#2e7d32",
    "not_applicable": "#5c6bc0",
}
OVERDUE_COLOUR = "#c62828"
ACCENT_COLOUR = "#1f5f99"


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
