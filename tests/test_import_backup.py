"""The automatic backup before an import is made on a thread while the file is read
(db.backup.BackgroundBackup via ImportBatch.start_backup): it still holds exactly the state
before the first apply, and none is left when nothing was applied."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from db.audit import OpInfo
from db.backup import backups_folder
from db.office import load_office
from db.ops import update_action, update_indicator
from exports.importer import ImportBatch, database_path, import_many, import_one
from exports.xlsx_export import export_return
from tests.conftest import PERIOD, REGION, dump


def _backups(conn: sqlite3.Connection) -> list[Path]:
    path = database_path(conn)
    assert path is not None
    return sorted(backups_folder(path).glob("*_before-import.sqlite3"))


def _dump_of(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as copy:
        return list(copy.iterdump())


def _return(region_db: sqlite3.Connection, tmp_path: Path, value: float) -> Path:
    update_indicator(region_db, REGION, PERIOD, "IND-01", "total", OpInfo("u"), value=value)
    return export_return(region_db, REGION, PERIOD, "ru", tmp_path / f"return {value}.xlsx")


def test_one_file_backup_is_the_state_before_it(region_db: sqlite3.Connection,
                                                center_db: sqlite3.Connection,
                                                tmp_path: Path) -> None:
    path = _return(region_db, tmp_path, 5.0)
    before = dump(center_db)
    assert import_one(center_db, path, load_office(center_db)).result == "applied"
    taken = _backups(center_db)
    assert len(taken) == 1 and _dump_of(taken[0]) == before
    assert dump(center_db) != before

    # the same file again changes nothing: the backup begun for it is removed
    assert import_one(center_db, path, load_office(center_db)).result == "unchanged"
    assert _backups(center_db) == taken


def test_a_batch_that_applies_nothing_leaves_no_backup(center_db: sqlite3.Connection,
                                                       tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook", encoding="utf-8")
    outcomes = import_many(center_db, [broken, broken], load_office(center_db))
    assert [o.result for o in outcomes] == ["refused", "refused"]
    assert _backups(center_db) == []


def test_a_write_after_the_snapshot_gets_a_fresh_backup(region_db: sqlite3.Connection) -> None:
    """The copy begun before a write is not the state before the import: it is dropped and the
    backup taken again, with the write."""
    batch = ImportBatch()
    batch.start_backup(region_db)
    update_action(region_db, REGION, PERIOD, 3, OpInfo("u"), status="completed")
    taken = batch.take_backup(region_db, database_path(region_db))
    assert _backups(region_db) == [taken]
    assert _dump_of(taken) == dump(region_db)
    batch.close()
    assert _backups(region_db) == [taken]
