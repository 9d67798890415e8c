"""Center mode end to end, with real files from separate region databases: returns in, the matrix,
re-sent and stale returns, the review file back to the region, and the national outputs holding
exactly the returns' figures."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from db import consolidation, queries, review
from db.audit import OpInfo
from db.demo import fill_demo
from db.errors import PeriodLocked
from db.keys import key_file
from db.office import load_office
from db.ops import update_action, update_gender
from db.workbook import init_database, open_workbook
from exports import xlsx_review  # noqa: F401 - registers the review kind
from exports.importer import import_many, import_one
from exports.pdf_layout import fmt_number
from exports.xlsx_consolidated import export_consolidated
from exports.xlsx_export import export_return
from exports.xlsx_review import export_review
from planmonitor.cli import main
from tests.conftest import dump, trust_center

PERIOD = "2026-Q3"
TODAY = date(2026, 11, 28)
REGIONS = ("KZ-11", "KZ-71", "KZ-75")
CENTER_INFO = OpInfo(user="Министерство", source="review")


def _region_db(folder: Path, code: str) -> Path:
    path = folder / f"{code}.sqlite3"
    init_database(path, mode="region", region_code=code, user_name=f"Офицер {code}",
                  language="ru")
    with closing(open_workbook(path)) as conn:
        fill_demo(conn, load_office(conn), today=TODAY)
    return path


@pytest.fixture(scope="module")
def regions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three region databases with figures, created once (read-only in the tests)."""
    folder = tmp_path_factory.mktemp("regions")
    return {code: _region_db(folder, code) for code in REGIONS}


@pytest.fixture
def returns(regions: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    out = {}
    (tmp_path / "in").mkdir()
    for code, path in regions.items():
        conn = open_workbook(path)
        try:
            out[code] = export_return(conn, code, PERIOD, "ru", tmp_path / "in" / f"{code}.xlsx")
        finally:
            conn.close()
    return out


@pytest.fixture
def center(center_db: sqlite3.Connection) -> sqlite3.Connection:
    return center_db


@pytest.fixture
def center_path(tmp_path: Path, center_db: sqlite3.Connection) -> Path:
    return tmp_path / "center" / "center.sqlite3"


def _import(conn: sqlite3.Connection, path: Path) -> str:
    return import_one(conn, path, load_office(conn)).result


def _copy_db(path: Path, dest: Path) -> Path:
    """A private copy of a region database, for a test that changes it."""
    source = sqlite3.connect(path)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    key = key_file(path)  # the copy is the same office: it signs with the same key
    if key.exists():
        shutil.copy(key, key_file(dest))
    return dest


@pytest.fixture
def region_copy(regions: dict[str, Path], tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_workbook(_copy_db(regions["KZ-75"], tmp_path / "KZ-75-copy.sqlite3"))
    yield conn
    conn.close()


def test_center_imports_three_returns_and_a_broken_file(
        returns: dict[str, Path], center_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = returns["KZ-11"].parent
    (folder / "KZ-99 broken.xlsx").write_text("region;period\nKZ-99;2026-Q3\n", encoding="utf-8")

    code = main(["import", "--db", str(center_path), "--json", str(folder)])
    results = json.loads(capsys.readouterr().out)
    assert code == 1  # one file was refused
    by_result: dict[str, list[str]] = {}
    for item in results:
        by_result.setdefault(item["result"], []).append(Path(item["file"]).name)
    assert sorted(by_result["applied"]) == ["KZ-11.xlsx", "KZ-71.xlsx", "KZ-75.xlsx"]
    assert by_result["refused"] == ["KZ-99 broken.xlsx"]
    assert set(by_result) == {"applied", "refused"}
    # one automatic backup for the whole batch, not one per file
    assert len(list((center_path.parent / "backups").glob("*_before-import.sqlite3"))) == 1

    assert main(["matrix", "--db", str(center_path), "--period", PERIOD, "--json"]) == 0
    matrix = json.loads(capsys.readouterr().out)
    assert matrix["reported"] == 3
    assert len(matrix["missing"]) == 17
    assert not set(REGIONS) & set(matrix["missing"])
    rows = {r["code"]: r for r in matrix["regions"]}
    assert rows["KZ-71"]["file"] == "KZ-71.xlsx" and rows["KZ-71"]["result"] == "applied"
    assert rows["KZ-71"]["received_at"]
    assert rows["KZ-10"]["reported"] is False and rows["KZ-10"]["file"] is None

    assert main(["matrix", "--db", str(center_path), "--period", PERIOD]) == 0
    text = capsys.readouterr().out
    assert "представили 3 из 20, не представили — 17" in text
    assert "KZ-71.xlsx" in text


def test_a_batch_takes_one_backup_before_its_first_apply(
        returns: dict[str, Path], center_path: Path, center: sqlite3.Connection) -> None:
    files = [returns[code] for code in REGIONS]
    backups = center_path.parent / "backups"
    before = dump(center)
    dry = import_many(center, files, load_office(center), dry_run=True)
    assert [o.result for o in dry] == ["previewed"] * 3
    assert not list(backups.glob("*.sqlite3")) and dump(center) == before

    outcomes = import_many(center, [*files, files[0]], load_office(center))
    assert [o.result for o in outcomes] == ["applied"] * 3 + ["unchanged"]
    taken = list(backups.glob("*_before-import.sqlite3"))
    assert len(taken) == 1
    with closing(sqlite3.connect(taken[0])) as copy:  # the state before the batch
        assert list(copy.iterdump()) == before


def test_imported_figures_equal_the_regions(returns: dict[str, Path], regions: dict[str, Path],
                                            center: sqlite3.Connection) -> None:
    for code in REGIONS:
        assert _import(center, returns[code]) == "applied"
    for code, path in regions.items():
        with closing(open_workbook(path)) as region:
            assert _figures(center, code) == _figures(region, code)
    cell = consolidation.section_matrix(center, PERIOD, "ru").cells["KZ-75"]
    expected = queries.completeness(center, "KZ-75", PERIOD, "ru")
    assert (cell.reported, cell.percent) == (True, expected.percent)


def _figures(conn: sqlite3.Connection, region: str) -> dict[str, list[tuple]]:
    return {
        "actions": [(a.no, a.status, a.progress_note, a.evidence)
                    for a in queries.action_rows(conn, region, PERIOD, "ru")],
        "gender": [(g.body_code, g.women, g.total)
                   for g in queries.gender_rows(conn, region, PERIOD, "ru")],
        "indicators": [(i.code, i.disaggregation_code, i.value)
                       for i in queries.indicator_rows(conn, region, PERIOD, "ru")],
    }


def test_a_return_sent_again_with_changes_is_an_update(
        returns: dict[str, Path], region_copy: sqlite3.Connection, center: sqlite3.Connection,
        tmp_path: Path) -> None:
    assert _import(center, returns["KZ-75"]) == "applied"
    body = region_copy.execute("SELECT code FROM gender_body ORDER BY ord LIMIT 1").fetchone()[0]
    update_gender(region_copy, "KZ-75", PERIOD, body, OpInfo("Офицер", "ui"), women=7, total=20)
    (tmp_path / "again").mkdir()
    again = export_return(region_copy, "KZ-75", PERIOD, "ru", tmp_path / "again" / "KZ-75.xlsx")

    outcome = import_one(center, again, load_office(center))
    assert outcome.result == "applied"
    assert {(c.field, c.new) for c in outcome.plan.changed} >= {("women", 7), ("total", 20)}
    assert not outcome.plan.added_count
    row = center.execute("SELECT women, total, revision FROM gender_figure WHERE region_code = "
                         "'KZ-75' AND period_code = ? AND body_code = ?", (PERIOD, body)).fetchone()
    assert (row[0], row[1]) == (7, 20) and row[2] >= 2
    receipt = consolidation.latest_receipts(center, PERIOD)[("KZ-75", PERIOD)]
    assert receipt.file_name == "KZ-75.xlsx" and receipt.result == "applied"


def test_an_older_return_after_a_newer_one_is_stale(
        returns: dict[str, Path], region_copy: sqlite3.Connection, center: sqlite3.Connection,
        tmp_path: Path) -> None:
    older = returns["KZ-75"]
    update_action(region_copy, "KZ-75", PERIOD, 2, OpInfo("Офицер", "ui"),
                  progress_note="Уточнённые сведения")
    newer = export_return(region_copy, "KZ-75", PERIOD, "ru", tmp_path / "newer.xlsx")
    assert _import(center, newer) == "applied"
    before = dump(center)
    outcome = import_one(center, older, load_office(center))
    # stale is a warning; the old value over the newer one is a conflict, never applied unseen
    assert outcome.result == "conflicts" and outcome.plan.stale and outcome.warning
    assert [(c.key[2], c.field, c.local) for c in outcome.plan.conflicts] == [
        (2, "progress_note", "Уточнённые сведения")]
    assert dump(center) == before
    note = center.execute("SELECT progress_note FROM action_report WHERE region_code = 'KZ-75' "
                          "AND period_code = ? AND action_no = 2", (PERIOD,)).fetchone()[0]
    assert note == "Уточнённые сведения"


def test_review_remarks_reach_the_region_and_acceptance_locks_it(
        returns: dict[str, Path], region_copy: sqlite3.Connection, center: sqlite3.Connection,
        tmp_path: Path) -> None:
    assert _import(center, returns["KZ-75"]) == "applied"
    remarks = {("action", "3"): "Приложите протокол заседания",
               ("gender", region_copy.execute("SELECT code FROM gender_body ORDER BY ord")
                .fetchone()[0]): "Проверьте общее число"}
    review.return_with_remarks(center, "KZ-75", PERIOD, CENTER_INFO, "Доработать", remarks)
    never_imported = export_review(center, "KZ-75", PERIOD, "ru", tmp_path / "review-0.xlsx")
    returned = export_review(center, "KZ-75", PERIOD, "kk", tmp_path / "review-1.xlsx")
    trust_center(region_copy, center)

    assert _import(region_copy, returned) == "applied"
    got = review.get_review(region_copy, "KZ-75", PERIOD)
    assert (got.state, got.remark, got.remarks) == ("returned", "Доработать", remarks)
    assert got.updated_by == "Министерство"
    assert _import(region_copy, returned) == "unchanged"  # the same file twice

    # the region corrects and re-sends; the center sees it resubmitted, then accepts
    update_action(region_copy, "KZ-75", PERIOD, 3, OpInfo("Офицер", "ui"),
                  evidence="Протокол № 12 от 01.10.2026")
    resent = export_return(region_copy, "KZ-75", PERIOD, "ru", tmp_path / "resent.xlsx")
    assert _import(center, resent) == "applied"
    assert consolidation.section_matrix(center, PERIOD, "ru").cells["KZ-75"].resubmitted
    review.accept(center, "KZ-75", PERIOD, CENTER_INFO, "Принято")
    accepted = export_review(center, "KZ-75", PERIOD, "ru", tmp_path / "review-2.xlsx")

    assert _import(region_copy, accepted) == "applied"
    assert review.is_locked(region_copy, "KZ-75", PERIOD)
    assert review.get_review(region_copy, "KZ-75", PERIOD).remarks == {}
    with pytest.raises(PeriodLocked):
        update_action(region_copy, "KZ-75", PERIOD, 1, OpInfo("Офицер", "ui"),
                      progress_note="Поздняя правка")
    before = dump(region_copy)
    assert _import(region_copy, never_imported) == "unchanged"  # an older decision cannot unlock
    assert _import(region_copy, returned) == "unchanged"  # a file already applied
    assert dump(region_copy) == before
    assert review.is_locked(region_copy, "KZ-75", PERIOD)
    # and the center refuses a return for the accepted period
    assert _import(center, resent) == "refused"


def test_a_region_cannot_import_another_regions_review(
        returns: dict[str, Path], regions: dict[str, Path], region_copy: sqlite3.Connection,
        center: sqlite3.Connection, tmp_path: Path) -> None:
    assert _import(center, returns["KZ-71"]) == "applied"
    review.accept(center, "KZ-71", PERIOD, CENTER_INFO)
    other = export_review(center, "KZ-71", PERIOD, "ru", tmp_path / "review-71.xlsx")
    before = dump(region_copy)
    outcome = import_one(region_copy, other, load_office(region_copy), lang="ru")
    assert outcome.result == "refused"
    assert "KZ-71" in outcome.message and "KZ-75" in outcome.message
    assert dump(region_copy) == before
    assert not review.is_locked(region_copy, "KZ-71", PERIOD)
    # nor does the center import its own decision
    assert _import(center, other) == "refused"


def test_consolidated_workbook_holds_exactly_the_returns(
        returns: dict[str, Path], regions: dict[str, Path], center: sqlite3.Connection,
        tmp_path: Path) -> None:
    for code in REGIONS:
        assert _import(center, returns[code]) == "applied"
    path = export_consolidated(center, PERIOD, "en", tmp_path / "national.xlsx")
    book = CalamineWorkbook.from_path(str(path))
    meta = dict(book.get_sheet_by_name("_meta").to_python())
    sheets = {key[6:]: title for key, title in meta.items() if key.startswith("sheet.")}
    assert meta["kind"] == "consolidated" and meta["period"] == PERIOD

    def rows(key: str) -> list[dict]:
        data = book.get_sheet_by_name(sheets[key]).to_python()
        return [dict(zip(data[0], r, strict=True)) for r in data[2:]]

    summary = {r["region"]: r for r in rows("summary")}
    assert len(summary) == 20
    assert sorted(c for c, r in summary.items() if r["reported"] == "yes") == list(REGIONS)
    assert summary["KZ-71"]["file_name"] == "KZ-71.xlsx"

    for code, db in regions.items():
        with closing(open_workbook(db)) as region:
            expected = _figures(region, code)
        actions = [(int(r["action_no"]), r["status_key"], r["progress_note"], r["evidence"])
                   for r in rows("actions") if r["region"] == code]
        gender = [(r["body"], _int(r["women"]), _int(r["total"])) for r in rows("gender")
                  if r["region"] == code]
        indicators = {(r["indicator"], r["disaggregation"]): r["value"]
                      for r in rows("indicators") if r["region"] == code}
        assert actions == expected["actions"]
        assert gender == expected["gender"]
        for code_, disaggregation, value in expected["indicators"]:
            if value is not None:
                assert indicators[(code_, disaggregation)] == pytest.approx(value)
    national = {r["body"]: r for r in rows("national_gender")}
    gender_rows = rows("gender")
    for body, entry in national.items():
        given = [(_int(r["women"]), _int(r["total"])) for r in gender_rows if r["body"] == body
                 and _int(r["women"]) is not None and (_int(r["total"]) or 0) > 0]
        assert _int(entry["regions"]) == len(given)
        assert _int(entry["women"]) == sum(w for w, _ in given)
        assert _int(entry["total"]) == sum(t for _, t in given)
    indicator_rows = rows("indicators")
    for entry in rows("national_indicators"):
        values = sorted(r["value"] for r in indicator_rows if r["indicator"] == entry["indicator"]
                        and r["disaggregation"] == entry["disaggregation"] and r["value"] != "")
        assert _int(entry["regions"]) == len(values)
        assert (entry["minimum"], entry["maximum"]) == (values[0], values[-1])


def _int(value: object) -> int | None:
    return None if value in ("", None) else int(value)  # type: ignore[arg-type]


def test_national_pdf_holds_the_returns(returns: dict[str, Path], regions: dict[str, Path],
                                        center: sqlite3.Connection, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    from exports.pdf_national import build_national_report

    for code in REGIONS:
        assert _import(center, returns[code]) == "applied"
    path = build_national_report(center, PERIOD, "ru", tmp_path / "national.pdf", today=TODAY)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)
    text = " ".join(text.split())
    for region in queries.regions(center, "ru"):
        assert region.name in text  # reported in the matrix, or listed as not reported
    women = total = 0
    for code, db in regions.items():
        with closing(open_workbook(db)) as region:
            w, t = queries.gender_totals(queries.gender_rows(region, code, PERIOD, "ru"))
        women, total = women + w, total + t
    share = f"{100 * women / total:.1f}".replace(".", ",")
    assert share in text
    for code, db in regions.items():  # each region's row of the section matrix, as it reported
        with closing(open_workbook(db)) as region:
            parts = queries.section_progress(region, code, PERIOD, "ru")
            name = queries.region_name(region, code, "ru")
        overall = queries.overall_progress(parts)
        row = " ".join([name, *(fmt_number(p.progress.percent, "ru") for p in parts),
                        fmt_number(overall.percent, "ru")])
        assert row in text, row
