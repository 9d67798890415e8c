"""Numbers and dates for people, the same way in the PDFs, the workbooks' texts, the command line
and the desktop's headless models: one thousands separator, one decimal mark per language.

Russian and Kazakh group thousands with a no-break space and write a decimal comma (CLDR's
`ru` and `kk`: 1 234,5); English groups with a comma and writes a decimal point (1,234.5).
Dates are written day.month.year in every language, as they are in Kazakhstan. Qt widgets may
use QLocale instead; this module has no Qt so that db/, exports/ and the CLI can use it."""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime

GROUP = {"ru": "\u00a0", "kk": "\u00a0", "en": ","}
DECIMAL = {"ru": ",", "kk": ",", "en": "."}


def number(value: float | int | None, lang: str, decimals: int = 1, empty: str = "") -> str:
    """`value` rounded to at most `decimals` places (no trailing zeros; whole numbers without
    any), thousands grouped: 1234.5 -> "1 234,5" (ru, kk) or "1,234.5" (en). None -> `empty`."""
    if value is None:
        return empty
    text = f"{value:,.{decimals}f}" if decimals else f"{value:,.0f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.translate(str.maketrans({",": GROUP.get(lang, ","),
                                         ".": DECIMAL.get(lang, ".")}))


# One rounding rule for every share and progress figure, on every screen and in every report:
# the Overview must not say 14 % where the PDF says 13,5 %.
PERCENT_DECIMALS = 1


def percent_number(value: float, lang: str) -> str:
    """A percentage's number without the sign (for a sentence that writes its own «%»):
    13.54 -> "13,5" (ru, kk), "13.5" (en), by the one rule `PERCENT_DECIMALS`."""
    return number(value, lang, PERCENT_DECIMALS)


def percent(value: float | None, lang: str, decimals: int = PERCENT_DECIMALS,
            empty: str = "") -> str:
    """12.5 -> "12,5 %" (ru, kk) or "12.5%" (en); None -> `empty`."""
    if value is None:
        return empty
    shown = number(value, lang, decimals)
    return f"{shown}%" if lang == "en" else f"{shown}\u00a0%"


def date(value: str | Date | datetime | None, lang: str = "ru", empty: str = "") -> str:
    """A day as 28.11.2026 (any language); an ISO text is read first. None or "" -> `empty`."""
    if not value:
        return empty
    day = value if isinstance(value, Date) else datetime.fromisoformat(str(value))
    return day.strftime("%d.%m.%Y")


def date_time(value: str | datetime | None, lang: str = "ru", empty: str = "") -> str:
    """A moment as 28.11.2026 10:05 (any language); text that is not ISO is shown as it is."""
    if not value:
        return empty
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if isinstance(value, str) and "T" not in value and " " not in value.strip():
        return moment.strftime("%d.%m.%Y")
    if moment.tzinfo is not None:  # a file's moment in UTC: said in the reader's own time
        moment = moment.astimezone()
    return moment.strftime("%d.%m.%Y %H:%M")
