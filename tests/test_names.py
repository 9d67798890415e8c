"""Periods and regions as people name them (db.names), the one place screens, messages and
documents take their names from."""

from __future__ import annotations

import sqlite3

from db.names import period_name, region_name, region_names


def test_a_period_in_each_language_and_length() -> None:
    assert period_name("2025-Q1", "ru") == "1 квартал 2025 г."
    assert period_name("2025-Q1", "kk") == "2025 ж. 1-тоқсан"
    assert period_name("2025-Q1", "en") == "Q1 2025"
    assert period_name("2025-Q1", "ru", "long") == "1-й квартал 2025 года"
    assert period_name("2025-Q1", "ru", "brief") == "1 кв. 2025"
    assert period_name("2026-H2", "kk", "brief") == "2026, 2-жартыжыл"
    assert period_name("2026", "ru") == "2026 год"


def test_text_that_is_not_a_period_is_kept_and_nothing_is_empty() -> None:
    assert period_name("не период", "ru") == "не период"
    assert period_name(None, "ru") == period_name("", "kk") == ""


def test_regions_by_their_names(center_db: sqlite3.Connection) -> None:
    assert region_name(center_db, "KZ-10", "ru") == "область Абай"
    assert region_name(center_db, "KZ-10", "kk") == "Абай облысы"
    assert region_name(center_db, "KZ-99", "ru") == "KZ-99"  # unknown: as it is
    assert region_names(center_db, ["KZ-10", "KZ-11"], "ru") == \
        "область Абай, Акмолинская область"
