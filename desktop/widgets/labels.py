"""Words for things every page shows: periods, statuses (with their colours)."""

from __future__ import annotations

from datetime import date
from functools import cache

from PySide6.QtCore import QLocale
from PySide6.QtGui import QColor

from db.periods import period_containing, sort_periods
from resources import formatting
from resources.words import current_language

# Calm colours readable on white, each paired with a word (colour is never the only signal).
STATUS_COLOURS: dict[str, str] = {
    "not_started": "#8a8f98",
    "in_progress": "#c98a00",
    "completed": "#2e7d32",
    "not_applicable": "#5c6bc0",
    "no_answer": "#c9ced6",  # rules.NO_ANSWER_KEY: nobody reported; light, apart from amber
}
OVERDUE_COLOUR = "#c62828"
ACCENT_COLOUR = "#1f5f99"
REFUSED_BACKGROUND = QColor("#f8d7da")  # a cell whose value the rules refused


_ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def roman(number: int) -> str:
    """Sections of the plan are numbered I, II, III..."""
    return _ROMAN[number] if 0 < number < len(_ROMAN) else str(number)


def status_colour(status: str) -> QColor:
    return QColor(STATUS_COLOURS.get(status, "#8a8f98"))


def period_choices(codes: list[str], today: date | None = None) -> list[str]:
    """The periods to offer: those with data plus the current quarter, newest first."""
    current = period_containing(today or date.today())
    found = set(codes) | {current}
    return sort_periods(found, newest_first=True)


def format_when(iso: str | None, lang: str | None = None) -> str:
    """'2026-11-28T10:05:00' -> '28.11.2026 10:05' in Russian and Kazakh, '11/28/2026 10:05 AM'
    in English: the language locale's short forms, the year always in full (an audit trail
    spans years)."""
    if not iso:
        return ""
    from PySide6.QtCore import QDate, QDateTime, QTime  # a start that shows no date: not loaded

    day, _, time = str(iso).partition("T")
    try:  # read by hand: QDateTime.fromString parses its format string at every call
        when = QDateTime(QDate(*map(int, day.split("-"))),
                         QTime(*map(int, (time[:8] or "0:0").split(":"))))
    except (TypeError, ValueError):
        return str(iso)
    if not when.isValid():
        return str(iso)
    loc, date_format, time_format = _when_formats(lang or current_language())
    text = loc.toString(when.date(), date_format)
    return f"{text} {loc.toString(when.time(), time_format)}" if time else text


@cache  # a history page formats a hundred dates at once
def _when_formats(lang: str) -> tuple[QLocale, str, str]:
    loc = locale_of(lang)
    date_format = loc.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in date_format:
        date_format = date_format.replace("yy", "yyyy")
    return loc, date_format, loc.timeFormat(QLocale.FormatType.ShortFormat)


def locale_of(lang: str | None = None) -> QLocale:
    """The locale of the interface's language: decimal comma and a non-breaking space between
    thousands in Russian and Kazakh."""
    return QLocale({"ru": "ru_RU", "kk": "kk_KZ"}.get(lang or current_language(), "en_US"))


def locale_number(value: float, lang: str | None = None, decimals: int = 1,
                  grouped: bool = False) -> str:
    """`value` written by the language's locale with at most `decimals` decimals (none shown for
    a whole number), grouped in thousands or not."""
    loc = locale_of(lang)
    if not grouped:
        loc.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    if float(value).is_integer() or not decimals:
        return loc.toString(round(float(value)))
    text = loc.toString(float(value), "f", decimals)
    return text.rstrip("0").rstrip(loc.decimalPoint())


def format_number(value: float, lang: str | None = None, decimals: int = 1) -> str:
    """12.5 -> '12,5' in Russian and Kazakh, '12.5' in English; whole numbers without decimals."""
    return locale_number(value, lang, decimals)


def percent_number(value: float, lang: str | None = None) -> str:
    """A percentage's number by resources.formatting's one rule (13,5 as the PDF writes it)."""
    return formatting.percent_number(value, lang or current_language())


def format_percent(value: float | None, lang: str | None = None) -> str:
    return formatting.percent(value, lang or current_language(), empty="—")
