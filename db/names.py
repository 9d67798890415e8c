"""Periods and regions as people name them («1 квартал 2025 г.», «область Абай»), never by the
codes the workbook keeps (`2025-Q1`, `KZ-10`): every screen, message, report and preview names
them through this one module, so a code cannot slip through one place that formats it by hand.

Here in db/ and not in resources/ because a region's name lives in the workbook's catalog and a
period's in db.periods; the words themselves are in resources/i18n."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from db.errors import PlanMonitorError
from db.periods import parse_period
from db.queries import region_name
from resources.words import current_language, tr

__all__ = ["STYLES", "period_name", "region_name", "region_names"]  # region_name: db.queries'

# How long a name may be: "short" for screens («1 квартал 2025 г.»), "long" for documents
# («1-й квартал 2025 года»), "brief" for column headers of a table of many periods («1 кв. 2025»).
STYLES = {"short": "ui.period", "long": "report.period", "brief": "screens.period_brief"}


def period_name(code: str | None, lang: str | None = None, style: str = "short") -> str:
    """The period `code` named in `lang` (the current language when None); text that is not a
    period code is returned as it is, so a caller need not check first."""
    if not code:
        return ""
    try:
        period = parse_period(code)
    except PlanMonitorError:
        return str(code)
    return tr(f"{STYLES[style]}.{period.kind}", lang or current_language(), n=period.index,
              year=period.year)


def region_names(conn: sqlite3.Connection, codes: Iterable[str], lang: str | None = None) -> str:
    """Several regions named, in the order given, separated by commas."""
    lang = lang or current_language()
    return ", ".join(region_name(conn, code, lang) for code in codes)
