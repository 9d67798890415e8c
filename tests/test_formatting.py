"""resources.formatting: one way to write numbers and dates for people, per language."""

from datetime import date, datetime

import pytest

from resources import formatting

NBSP = "\u00a0"


@pytest.mark.parametrize(("value", "lang", "decimals", "expected"), [
    (1234.5, "ru", 1, f"1{NBSP}234,5"), (1234.5, "kk", 1, f"1{NBSP}234,5"),
    (1234.5, "en", 1, "1,234.5"), (1234, "ru", 1, f"1{NBSP}234"), (12.0, "en", 2, "12"),
    (12.25, "en", 2, "12.25"), (12.6, "ru", 0, "13"), (0.04, "ru", 1, "0"), (-0.04, "en", 1, "0"),
    (1_000_000, "ru", 1, f"1{NBSP}000{NBSP}000"), (-1234.56, "en", 1, "-1,234.6"),
])
def test_number(value: float, lang: str, decimals: int, expected: str) -> None:
    assert formatting.number(value, lang, decimals) == expected


def test_missing_values_and_percent() -> None:
    assert formatting.number(None, "ru") == ""
    assert formatting.number(None, "ru", empty="—") == "—"
    assert formatting.percent(12.5, "ru") == f"12,5{NBSP}%"
    assert formatting.percent(12.5, "en") == "12.5%"
    assert formatting.percent(None, "kk", empty="—") == "—"


def test_dates() -> None:
    assert formatting.date(date(2026, 11, 28), "en") == "28.11.2026"
    assert formatting.date("2026-11-28", "ru") == "28.11.2026"
    assert formatting.date(None, "ru", empty="—") == "—"
    assert formatting.date_time("2026-11-28T10:05:00") == "28.11.2026 10:05"
    assert formatting.date_time(datetime(2026, 1, 2, 3, 4)) == "02.01.2026 03:04"
    assert formatting.date_time("2026-11-28") == "28.11.2026"
    assert formatting.date_time("not a date") == "not a date"


def test_one_percent_rule_for_screens_and_reports(qtbot) -> None:
    """13.5 % is 13,5 on the Overview's words and in the PDF's, never 14 beside 13,5."""
    from desktop.widgets.labels import percent_number
    from exports.pdf_layout import fmt_percent

    assert percent_number(13.5, "ru") == formatting.percent_number(13.5, "ru") == "13,5"
    assert fmt_percent(13.5, "ru").startswith("13,5")
    assert percent_number(100 * 27 / 200, "kk") == "13,5"
    assert formatting.percent_number(14.0, "en") == "14"
