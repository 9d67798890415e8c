"""Signed exchange files (issue 20): each scenario of the issue's "Why" with real workbooks and
real .xlsx files. A refused file leaves the database byte for byte as it was (`dump`)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from db import review
from db.audit import OpInfo
from db.catalog import catalog_version
from db.keys import fingerprint, normalize_fingerprint, trusted_key
from db.office import load_office
from db.ops import update_action
from db.workbook import init_database, open_workbook
from exports.importer import import_one, plan_import
from exports.xlsx_export import export_catalog, export_return
from exports.xlsx_review import export_review
from planmonitor.cli import main
from resources.words import tr
from tests.conftest import PERIOD, REGION, dump, trust_center

CENTER = OpInfo(user="Министерство", source="review")


def office_db(tmp_path: Path, name: str, region: str | None) -> sqlite3.Connection:
    path = tmp_path / name / "workbook.sqlite3"
    init_database(path, mode="region" if region else "center", region_code=region,
                  user_name=f"user {name}", language="ru")
    return open_workbook(path)


def set_meta(path: Path, values: dict[str, str], out: Path | None = None) -> Path:
    book = openpyxl.load_workbook(path)
    sheet = book["_meta"]
    rows = {row[0].value: row for row in sheet.iter_rows()}
    for key, value in values.items():
        if key in rows:
            rows[key][1].value = value
        else:
            sheet.append([key, value])
    book.save(out or path)
    return out or path


def plan_of(conn: sqlite3.Connection, path: Path):
    return plan_import(conn, path, load_office(conn))


def decision_file(center: sqlite3.Connection, tmp_path: Path, name: str) -> Path:
    review.return_with_remarks(center, REGION, PERIOD, CENTER, "Доработать",
                               {("action", "1"): "Приложите протокол"})
    return export_review(center, REGION, PERIOD, "ru", tmp_path / name)


# --- At a region: center files only under the ministry's key -------------------------------------

def test_a_forged_review_made_of_the_regions_own_return_is_refused(
        region_db: sqlite3.Connection, center_db: sqlite3.Connection, tmp_path: Path) -> None:
    trust_center(region_db, center_db)
    own = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "return.xlsx")
    forged = set_meta(own, {"kind": "review", "source": "center", "review_state": "accepted",
                            "review_revision": "1000000", "review_remark": "Принято",
                            "reviewed_by": "Подделка", "sheet.remarks": "remarks"},
                      tmp_path / "forged.xlsx")
    book = openpyxl.load_workbook(forged)
    book.create_sheet("remarks").append(["item_kind", "item_key", "remark"])
    book.save(forged)
    before = dump(region_db)
    outcome = import_one(region_db, forged, load_office(region_db), lang="en")
    assert outcome.result == "refused"
    assert "was not written by the ministry's workbook you trust" in outcome.message \
        or "changed after the ministry wrote it" in outcome.message
    assert dump(region_db) == before
    assert not review.is_locked(region_db, REGION, PERIOD)
    # the ministry's real decision (revision 1) still lands
    real = decision_file(center_db, tmp_path, "review.xlsx")
    assert import_one(region_db, real, load_office(region_db)).result == "applied"
    assert review.get_review(region_db, REGION, PERIOD).state == "returned"


def test_files_of_a_second_center_are_refused(region_db: sqlite3.Connection,
                                              center_db: sqlite3.Connection,
                                              tmp_path: Path) -> None:
    """`planmonitor init --center` on somebody's own PC: its files carry another key."""
    trust_center(region_db, center_db)
    rogue = office_db(tmp_path, "rogue", None)
    files = [decision_file(rogue, tmp_path, "rogue-review.xlsx"),
             export_catalog(rogue, "ru", tmp_path / "rogue-catalog.xlsx")]
    before = dump(region_db)
    for path in files:
        outcome = import_one(region_db, path, load_office(region_db), lang="ru")
        assert outcome.result == "refused", outcome.message
        assert outcome.plan.signature.verdict == "not_ministry"
        assert "создан не той рабочей книгой министерства" in outcome.message
        assert "Ed25519" not in outcome.message and "signature" not in outcome.message
    assert dump(region_db) == before


def test_a_ministry_catalog_edited_in_excel_is_refused_by_the_region(
        region_db: sqlite3.Connection, center_db: sqlite3.Connection, tmp_path: Path) -> None:
    trust_center(region_db, center_db)
    path = export_catalog(center_db, "ru", tmp_path / "catalog.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book[tr("xlsx.sheet.action", "ru")]
    keys = [c.value for c in sheet[1]]
    sheet.cell(3, keys.index("name_ru") + 1).value = "Переименовано"
    sheet.cell(3, keys.index("due_date") + 1).value = "2030-12-31"
    book.save(path)
    set_meta(path, {"catalog_version": "2099.1"})
    before = dump(region_db)
    outcome = import_one(region_db, path, load_office(region_db), lang="en")
    assert outcome.result == "refused"
    assert "changed after the ministry wrote it" in outcome.message
    assert outcome.plan.signature.state == "altered"
    assert dump(region_db) == before


def test_an_older_ministry_catalog_changes_nothing_and_says_so(
        region_db: sqlite3.Connection, center_db: sqlite3.Connection, tmp_path: Path) -> None:
    trust_center(region_db, center_db)
    older = export_catalog(center_db, "ru", tmp_path / "older.xlsx")
    center_db.execute("UPDATE action SET name_ru = 'Новое имя' WHERE no = 3")
    center_db.execute("UPDATE meta SET value = '2099.1' WHERE key = 'catalog_version'")
    center_db.commit()
    newer = export_catalog(center_db, "ru", tmp_path / "newer.xlsx")
    assert import_one(region_db, newer, load_office(region_db)).result == "applied"
    assert catalog_version(region_db) == "2099.1"
    before = dump(region_db)
    outcome = import_one(region_db, older, load_office(region_db), lang="en")
    assert outcome.result == "unchanged"
    assert "not newer than the version 2099.1" in outcome.warning
    assert "shown as a conflict" not in outcome.warning
    assert dump(region_db) == before
    assert region_db.execute("SELECT name_ru FROM action WHERE no = 3").fetchone()[0] == \
        "Новое имя"


def test_a_decision_not_newer_than_the_stored_one_changes_nothing(
        region_db: sqlite3.Connection, center_db: sqlite3.Connection, tmp_path: Path) -> None:
    trust_center(region_db, center_db)
    first = decision_file(center_db, tmp_path, "review-1.xlsx")
    assert import_one(region_db, first, load_office(region_db)).result == "applied"
    review.return_with_remarks(center_db, REGION, PERIOD, CENTER, "Ещё раз",
                               {("action", "2"): "Нет подтверждения"})
    second = export_review(center_db, REGION, PERIOD, "ru", tmp_path / "review-2.xlsx")
    assert import_one(region_db, second, load_office(region_db)).result == "applied"
    before = dump(region_db)
    outcome = import_one(region_db, first, load_office(region_db), lang="en")
    assert outcome.result == "unchanged" and "not newer" in outcome.warning
    assert dump(region_db) == before
    assert review.get_review(region_db, REGION, PERIOD).remark == "Ещё раз"


@pytest.mark.parametrize("revision", ["1e400", "-5", "99999999999999999999", "abc"])
def test_an_out_of_range_decision_number_is_the_files_error(
        region_db: sqlite3.Connection, center_db: sqlite3.Connection, tmp_path: Path,
        revision: str) -> None:
    trust_center(region_db, center_db)
    path = set_meta(decision_file(center_db, tmp_path, "review.xlsx"),
                    {"review_revision": revision})
    plan = plan_of(region_db, path)
    assert plan.refused is not None and plan.refused.key == "xlsx.bad_meta"


def test_the_first_ministry_file_waits_for_its_code_on_the_command_line(
        region_db: sqlite3.Connection, center_db: sqlite3.Connection, db_path: Path,
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = decision_file(center_db, tmp_path, "review.xlsx")
    assert trusted_key(region_db, "center") is None  # no ministry file was taken here yet
    before = dump(region_db)
    assert main(["import", "--db", str(db_path), "--lang", "en", str(path)]) == 1
    out = capsys.readouterr().out
    ministry = plan_of(region_db, path).signature.fingerprint
    assert ministry in out and "--trust" in out
    assert dump(region_db) == before
    wrong = "0000 0000 0000 0000 0000 0000 0000 0000"
    assert main(["import", "--db", str(db_path), "--trust", wrong, str(path)]) == 1
    capsys.readouterr()
    assert dump(region_db) == before
    typed = normalize_fingerprint(ministry).lower()  # without spaces, in any case
    assert main(["import", "--db", str(db_path), "--trust", typed, str(path)]) == 0
    capsys.readouterr()
    assert trusted_key(region_db, "center").fingerprint == ministry
    assert review.get_review(region_db, REGION, PERIOD).state == "returned"
    audit = region_db.execute("SELECT new_value FROM audit WHERE tbl = 'trusted_key'").fetchall()
    assert [tuple(row) for row in audit] == [(ministry,)]
    assert main(["keys", "--db", str(db_path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["fingerprint"] == region_db.execute(
        "SELECT value FROM meta WHERE key = 'office_fingerprint'").fetchone()[0]
    assert [t["fingerprint"] for t in shown["trusted"]] == [ministry]


# --- At the center: returns under the key trusted for their region -------------------------------

def test_a_regions_first_signed_return_makes_its_key_trusted(
        region_db: sqlite3.Connection, center_db: sqlite3.Connection, tmp_path: Path) -> None:
    update_action(region_db, REGION, PERIOD, 1, OpInfo("Офицер", "ui"), status="in_progress")
    path = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "return.xlsx")
    plan = plan_of(center_db, path)
    assert plan.ok and plan.signature.verdict == "first_return"
    assert plan.signature.fingerprint in plan.signature.describe("ru")
    assert import_one(center_db, path, load_office(center_db)).result == "applied"
    key = trusted_key(center_db, REGION)
    assert key is not None and key.how == "first_return"
    assert key.fingerprint == fingerprint(__import__("base64").b64decode(key.public_key))


def test_a_return_for_another_region_written_by_a_known_workbook_is_refused(
        center_db: sqlite3.Connection, tmp_path: Path) -> None:
    kz10, kz11 = office_db(tmp_path, "kz10", "KZ-10"), office_db(tmp_path, "kz11", "KZ-11")
    for conn, region in ((kz10, "KZ-10"), (kz11, "KZ-11")):
        update_action(conn, region, PERIOD, 1, OpInfo("Офицер", "ui"), status="in_progress")
        own = export_return(conn, region, PERIOD, "ru", tmp_path / f"{region}.xlsx")
        assert import_one(center_db, own, load_office(center_db)).result == "applied"
    # KZ-10's workbook writes a return "of KZ-11", its revisions as they are
    forged = export_return(kz10, "KZ-11", PERIOD, "ru", tmp_path / "forged.xlsx")
    before = dump(center_db)
    outcome = import_one(center_db, forged, load_office(center_db), lang="en",
                         accept_unsigned=True)
    assert outcome.result == "refused", outcome.message
    assert outcome.plan.signature.verdict == "other_region"
    assert "written by the workbook of KZ-10" in outcome.message
    assert dump(center_db) == before
    # the same file with `source` and `region` both set to KZ-11: no longer signed at all
    edited = set_meta(forged, {"source": "KZ-11"}, tmp_path / "forged-edited.xlsx")
    outcome = import_one(center_db, edited, load_office(center_db), lang="en")
    assert outcome.result == "refused" and outcome.plan.signature.state == "altered"
    assert dump(center_db) == before
    # a new workbook for KZ-11 (a reinstall, or anyone's): another key, refused until re-trusted
    other = office_db(tmp_path, "kz11-new", "KZ-11")
    update_action(other, "KZ-11", PERIOD, 1, OpInfo("Офицер", "ui"), status="completed")
    again = export_return(other, "KZ-11", PERIOD, "ru", tmp_path / "kz11-new.xlsx")
    outcome = import_one(center_db, again, load_office(center_db), lang="en")
    assert outcome.result == "refused" and outcome.plan.signature.verdict == "other_key"
    assert dump(center_db) == before
    new_code = outcome.plan.signature.fingerprint
    done = import_one(center_db, again, load_office(center_db), trust=new_code)
    assert done.result == "applied", done.message
    assert trusted_key(center_db, "KZ-11").fingerprint == new_code
    for conn in (kz10, kz11, other):
        conn.close()


def test_an_unsigned_return_needs_a_person_and_is_marked(
        region_db: sqlite3.Connection, center_db: sqlite3.Connection, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    from tests.exchange_editing import edit

    path = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "return.xlsx")
    edit(path, "ru", {"actions": [(2, "progress_note", "Заполнено в отделе")]})
    center_path = Path(center_db.execute("PRAGMA database_list").fetchone()[2])
    before = dump(center_db)
    assert main(["import", "--db", str(center_path), "--lang", "en", str(path)]) == 1
    assert "--accept-unsigned" in capsys.readouterr().out
    assert dump(center_db) == before
    assert main(["import", "--db", str(center_path), "--accept-unsigned", str(path)]) == 0
    capsys.readouterr()
    assert center_db.execute("SELECT progress_note FROM action_report WHERE region_code = ? "
                             "AND action_no = 2", (REGION,)).fetchone()[0] == "Заполнено в отделе"
    assert trusted_key(center_db, REGION) is None  # an unsigned file trusts no key
    assert center_db.execute("SELECT COUNT(*) FROM audit WHERE tbl = 'exchange_file' AND "
                             "new_value LIKE 'altered accepted%'").fetchone()[0] == 1
    assert main(["matrix", "--db", str(center_path), "--period", PERIOD, "--json"]) == 0
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)["regions"]}
    assert rows[REGION]["unsigned"] is True
    assert main(["matrix", "--db", str(center_path), "--period", PERIOD, "--lang", "ru"]) == 0
    assert "без подписи" in capsys.readouterr().out


def test_a_region_keeps_taking_its_own_edited_returns(region_db: sqlite3.Connection,
                                                      tmp_path: Path) -> None:
    from tests.exchange_editing import edit

    path = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "return.xlsx")
    edit(path, "ru", {"actions": [(2, "progress_note", "Заполнено в отделе")]})
    outcome = import_one(region_db, path, load_office(region_db))
    assert outcome.result == "applied", outcome.message
    assert outcome.plan.signature.verdict == "round_trip"


def test_the_centers_own_catalog_edit_round_trip(center_db: sqlite3.Connection,
                                                 region_db: sqlite3.Connection,
                                                 tmp_path: Path) -> None:
    held = catalog_version(center_db)
    path = export_catalog(center_db, "ru", tmp_path / "catalog.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book[tr("xlsx.sheet.action", "ru")]
    keys = [c.value for c in sheet[1]]
    sheet.cell(3, keys.index("name_ru") + 1).value = "Уточнённая формулировка"
    book.save(path)
    before = dump(center_db)
    refused = import_one(center_db, path, load_office(center_db), lang="en")
    assert refused.result == "refused" and "edited here" in refused.message
    assert dump(center_db) == before
    done = import_one(center_db, path, load_office(center_db), accept_unsigned=True)
    assert done.result == "applied", done.message
    assert catalog_version(center_db) != held  # the next version, so regions take it
    trust_center(region_db, center_db)
    sent = export_catalog(center_db, "ru", tmp_path / "sent.xlsx")
    outcome = import_one(region_db, sent, load_office(region_db))
    assert outcome.result == "applied" and outcome.plan.signature.verdict == "trusted"
    assert region_db.execute("SELECT name_ru FROM action WHERE no = 1").fetchone()[0] == \
        "Уточнённая формулировка"


def test_an_older_workbook_gets_its_key_at_the_upgrade(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Schema v5 on a workbook made before it: a backup first, then the key file (0600 on POSIX)
    beside the workbook and its public key and code in the database, never the private key."""
    import os
    import stat

    from db import schema
    from db.keys import key_file

    path = tmp_path / "old" / "workbook.sqlite3"  # a workbook of schema v4, before keys
    monkeypatch.setattr(schema, "MIGRATIONS", tuple(m for m in schema.MIGRATIONS
                                                    if m.version < 5))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 4)
    init_database(path, mode="region", region_code=REGION, user_name="u")
    monkeypatch.undo()
    key_file(path).unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM meta WHERE key LIKE 'office_%'")
    conn.commit()
    conn.close()
    upgraded = open_workbook(path)
    try:
        assert list((path.parent / "backups").glob("*before-migration-v4*"))
        code = upgraded.execute("SELECT value FROM meta WHERE key = 'office_fingerprint'"
                                ).fetchone()[0]
        assert len(normalize_fingerprint(code)) == 32 and normalize_fingerprint(code).isdigit()
        assert key_file(path).exists()
        if os.name == "posix":
            assert stat.S_IMODE(key_file(path).stat().st_mode) == 0o600
        secret = key_file(path).read_bytes().split(b"\n")[1]
        assert secret not in path.read_bytes()
        written = export_return(upgraded, REGION, PERIOD, "ru", tmp_path / "r.xlsx")
        assert secret not in written.read_bytes()
        assert plan_of(upgraded, written).signature.verdict == "own"
    finally:
        upgraded.close()
