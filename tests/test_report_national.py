"""The national PDF summary (center mode) on a real 20-region demo database, read back with pypdf."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from db import queries, rules
from db.demo import LATE_REGIONS
from db.errors import PlanMonitorError
from exports.pdf_layout import fmt_number, period_label
from exports.pdf_national import build_national_report
from planmonitor.cli import main
from resources.words import LANGS, tr
from tests.conftest import TODAY
from tests.national_helpers import center_fixture, center_template_fixture  # noqa: F401

PERIOD = "2026-Q4"


def build(conn: sqlite3.Connection, tmp_path: Path, lang: str, **kw: object) -> list[str]:
    path = build_national_report(conn, PERIOD, lang, tmp_path / f"n-{lang}.pdf", today=TODAY,
                                 **kw)
    return [page.extract_text() for page in PdfReader(path).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", LANGS)
def test_every_region_in_the_matrix_and_the_late_ones_listed(center: sqlite3.Connection,
                                                             tmp_path: Path, lang: str) -> None:
    pages = build(center, tmp_path, lang)
    text = flat("\n".join(pages))
    assert tr("report.national_name", lang) in text
    assert tr("report.kind.national", lang) in text
    for region in queries.regions(center, lang):
        assert region.name in text
    missing = text.split(tr("report.national.missing_title", lang))[-1]
    last = tr("report.national.last_reported", lang, period=period_label("2026-Q3", lang))
    for code in LATE_REGIONS:
        name = queries.region_name(center, code, lang)
        assert f"{name} ({code}) — {last}" in missing
    for number, page in enumerate(pages, 1):
        assert tr("report.footer.page", lang, page=number, pages=len(pages)) in page


def matrix_row(text: str, name: str) -> list[str]:
    after = text.split(tr("report.national.matrix_title", "ru"))[1]
    row = re.search(re.escape(name) + r" ((?:\S+ ){9})", after)
    return row.group(1).split()


def test_matrix_cells_are_each_regions_progress(center: sqlite3.Connection,
                                                tmp_path: Path) -> None:
    text = flat("\n".join(build(center, tmp_path, "ru")))
    for code in ("KZ-75", "KZ-11"):
        parts = queries.section_progress(center, code, PERIOD, "ru")
        expected = [fmt_number(p.progress.percent, "ru") for p in parts]
        expected.append(fmt_number(queries.overall_progress(parts).percent, "ru"))
        assert matrix_row(text, queries.region_name(center, code, "ru")) == expected
    late = matrix_row(text, queries.region_name(center, LATE_REGIONS[0], "ru"))
    assert late == [tr("report.none", "ru")] * 9


def test_key_figures_regions_reported_and_womens_share(center: sqlite3.Connection,
                                                       tmp_path: Path) -> None:
    text = flat(build(center, tmp_path, "en")[0])
    regions = queries.regions(center, "en")
    assert tr("report.figures.of_total", "en", count=len(regions) - len(LATE_REGIONS),
              total=len(regions)) in text
    women = total = 0
    for region in regions:
        w, t = queries.gender_totals(queries.gender_rows(center, region.code, PERIOD, "en"))
        women, total = women + w, total + t
    share = rules.share_percent(women, total)
    assert tr("report.figures.percent", "en", value=fmt_number(share, "en")) in text


def test_most_overdue_actions_and_kazakh_text(center: sqlite3.Connection, tmp_path: Path) -> None:
    text = flat("\n".join(build(center, tmp_path, "kk")))
    overdue = text.split(tr("report.national.overdue_title", "kk"))[1]
    abai = queries.action_rows(center, "KZ-10", PERIOD, "kk", TODAY)
    longest = min((a for a in abai if a.overdue), key=lambda a: (a.due_date, a.no))
    assert queries.region_name(center, "KZ-10", "kk") in overdue
    assert " ".join(longest.name.split()[:3]) in overdue
    assert set("әғқңөұүі") <= set(text)


def test_chosen_sections_only(center: sqlite3.Connection, tmp_path: Path) -> None:
    text = flat("\n".join(build(center, tmp_path, "ru", sections={"missing"})))
    assert tr("report.national.missing_title", "ru") in text
    assert tr("report.national.matrix_title", "ru") not in text
    assert tr("report.national.gender_title", "ru") not in text
    with pytest.raises(PlanMonitorError):
        build(center, tmp_path, "ru", sections={"actions"})


def test_region_mode_cannot_build_the_national_summary(region_db: sqlite3.Connection,
                                                        tmp_path: Path) -> None:
    with pytest.raises(PlanMonitorError) as err:
        build_national_report(region_db, PERIOD, "kk", tmp_path / "n.pdf")
    assert err.value.key == "report.error.national_needs_center"
    assert not (tmp_path / "n.pdf").exists()


def test_cli_center_national_without_region_and_regional_with_it(
        center: sqlite3.Connection, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = str(tmp_path / "center" / "center.sqlite3")
    out = tmp_path / "national.pdf"
    assert main(["report", "--db", db, "--period", PERIOD, "--lang", "en", "-o", str(out)]) == 0
    text = flat("\n".join(p.extract_text() for p in PdfReader(out).pages))
    assert tr("report.kind.national", "en") in text
    regional = tmp_path / "kz11.pdf"
    assert main(["report", "--db", db, "--period", PERIOD, "--lang", "en", "--region", "kz-11",
                 "-o", str(regional)]) == 0
    text = flat("\n".join(p.extract_text() for p in PdfReader(regional).pages))
    assert tr("report.kind.region", "en") in text
    assert queries.region_name(center, "KZ-11", "en") in text
