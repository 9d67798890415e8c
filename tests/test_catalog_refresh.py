"""A release that corrects catalog names bumps the seed's version; workbooks made with the older
catalog get the corrections when they are opened, audited as a catalog change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.catalog_version import seed_version, version_key
from db.connection import transaction
from db.office import set_meta
from db.workbook import init_database, open_workbook


def _make_old_workbook(path: Path) -> None:
    """A workbook as the 2026.1 catalog left it: the two names before their correction."""
    init_database(path, mode="region", region_code="KZ-75", user_name="u", language="ru")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE region SET name_ru = 'Абайская область' WHERE code = 'KZ-10'")
        conn.execute("UPDATE section SET name_en = 'Equal rights and opportunities for men and "
                     "women' WHERE no = 2")
        conn.execute("UPDATE meta SET value = '2026.1' WHERE key = 'catalog_version'")
    conn.close()


def test_seed_version_is_read_from_the_catalog() -> None:
    assert version_key(seed_version()) >= (2026, 2)
    assert version_key("2026.10") > version_key("2026.9")
    assert version_key("draft") is None


def test_old_workbook_gets_corrected_names_audited(db_path: Path) -> None:
    _make_old_workbook(db_path)
    conn = open_workbook(db_path)
    try:
        assert conn.execute("SELECT name_ru FROM region WHERE code = 'KZ-10'").fetchone()[0] \
            == "область Абай"
        assert conn.execute("SELECT name_en FROM section WHERE no = 2").fetchone()[0] \
            == "Promoting equal rights and opportunities for men and women"
        assert conn.execute("SELECT value FROM meta WHERE key = 'catalog_version'").fetchone()[0] \
            == seed_version()
        op = conn.execute("SELECT id, source, description FROM operation "
                          "ORDER BY id DESC LIMIT 1").fetchone()
        assert op["source"] == "catalog" and seed_version() in op["description"]
        audited = {(r["tbl"], r["field"], r["old_value"], r["new_value"]) for r in conn.execute(
            "SELECT tbl, field, old_value, new_value FROM audit WHERE op_id = ?", (op["id"],))}
        assert ("region", "name_ru", "Абайская область", "область Абай") in audited
        assert ("meta", "value", "2026.1", seed_version()) in audited
    finally:
        conn.close()
    conn = open_workbook(db_path)  # the second opening has nothing left to apply
    try:
        assert conn.execute("SELECT COUNT(*) FROM operation WHERE source = 'catalog'"
                            ).fetchone()[0] == 1
    finally:
        conn.close()


def test_newer_catalog_from_the_ministry_is_kept(region_db: sqlite3.Connection,
                                                 db_path: Path) -> None:
    with transaction(region_db):
        set_meta(region_db, "catalog_version", "2099.1")
        region_db.execute("UPDATE region SET name_ru = 'Официальное имя' WHERE code = 'KZ-10'")
    conn = open_workbook(db_path)
    try:
        assert conn.execute("SELECT name_ru FROM region WHERE code = 'KZ-10'").fetchone()[0] \
            == "Официальное имя"
    finally:
        conn.close()
