"""Comparisons over eight periods (db.comparisons) on the 20-region demo: the status heat map and
the women's share lines, checked against the database, and their page of the national PDF."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pypdf import PdfReader

from db import rules
from db.comparisons import last_periods, status_history, women_share_history
from exports.pdf_national import build_national_report
from tests.conftest import PERIOD, TODAY
from tests.national_helpers import center_fixture, center_template_fixture  # noqa: F401


def test_last_periods_run_back_eight_quarters() -> None:
    assert last_periods("2026-Q3") == ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4",
                                       "2026-Q1", "2026-Q2", "2026-Q3"]


def test_status_history_matches_the_returns(center: sqlite3.Connection) -> None:
    history = status_history(center, PERIOD, "ru")
    assert len(history.regions) == 20 and len(history.actions) == 27
    for region, code, no, status in center.execute(
            "SELECT region_code, period_code, action_no, status FROM action_report "
            "WHERE period_code IN ('2026-Q1', '2026-Q3') AND action_no IN (1, 14, 27)"):
        assert history.status(no, region, code) == status
    reported = {r[0] for r in center.execute(
        "SELECT DISTINCT region_code FROM action_report WHERE period_code = ?", (PERIOD,))}
    late = [r.code for r in history.regions if r.code not in reported]
    assert all(history.status(1, code, PERIOD) is None for code in late)
    counts = history.counts(5, PERIOD)
    assert counts.total == len(reported)


def test_women_share_history_sums_the_regions(center: sqlite3.Connection) -> None:
    periods, series = women_share_history(center, PERIOD, "ru")
    body = series[0].body
    for index, code in enumerate(periods):
        women, total = center.execute(
            "SELECT sum(women), sum(total) FROM gender_figure WHERE body_code = ? AND "
            "period_code = ? AND women IS NOT NULL AND total > 0", (body, code)).fetchone()
        assert series[0].shares[index] == (rules.share_percent(women, total) if total else None)


def test_national_pdf_has_the_comparisons_pages(center: sqlite3.Connection,
                                                tmp_path: Path) -> None:
    path = build_national_report(center, PERIOD, "kk", tmp_path / "n.pdf", today=TODAY,
                                 sections=["comparisons"])
    text = " ".join(" ".join((p.extract_text() or "") for p in PdfReader(path).pages).split())
    assert "Іс-шаралардың өңірлер мен кезеңдер бойынша мәртебесі" in text
    assert "Сегіз кезеңдегі органдар бойынша әйелдер үлесі" in text
