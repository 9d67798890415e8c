"""Backups that are there when needed, from any folder, owner-only: a year of imports thinned by
age with the pre-upgrade copy kept; backup and restore in folders whose names need escaping in
a URI; the modes of every file the app writes (POSIX)."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path, PureWindowsPath

import pytest

from db import backup
from db.audit import OpInfo
from db.office import load_office
from db.ops import update_gender
from db.workbook import init_database, open_workbook
from exports.importer import import_one
from exports.xlsx_export import export_return
from planmonitor.cli import main
from resources.logs import log_file, setup_logging
from tests.conftest import PERIOD, REGION
from tests.exchange_editing import edit

UI = OpInfo(user="u", source="ui")
START = datetime(2026, 1, 1)
IMPORT_HOURS = (9, 17)  # two imports a day, every day of a year


class Clock:
    """The time a test says it is."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def small_workbook(path: Path) -> sqlite3.Connection:
    """A tiny database to copy a thousand times (retention does not care what it holds)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    return conn


def test_a_year_of_imports_is_thinned_by_age_and_the_upgrade_copy_stays(tmp_path: Path) -> None:
    db_path = tmp_path / "office" / "workbook.sqlite3"
    conn = small_workbook(db_path)
    clock = Clock(START)
    upgrade = backup.automatic_backup(conn, db_path, "before-migration-v4", now=clock)
    by_hand = backup.automatic_backup(conn, db_path, backup.MANUAL, now=clock)
    restore = backup.automatic_backup(conn, db_path, "before-restore", now=clock)
    other = backup.automatic_backup(conn, tmp_path / "office" / "other.sqlite3",
                                    backup.BEFORE_IMPORT, now=clock)  # another workbook's
    made: list[datetime] = []
    for day in range(365):
        for hour in IMPORT_HOURS:
            clock.now = START + timedelta(days=day, hours=hour)
            if day < 362:  # the copy itself is SQLite's (slow to do a thousand times): named
                backup.new_copy_path(db_path, backup.BEFORE_IMPORT, now=clock)
                backup.thin_backups(db_path, now=clock)
            else:  # the last days' imports as an import makes its copy
                backup.automatic_backup(conn, db_path, backup.BEFORE_IMPORT, now=clock)
            made.append(clock.now)
        assert upgrade.exists() and by_hand.exists() and restore.exists()
    conn.close()

    now = clock.now
    expected = ({t for t in made if now - t < timedelta(days=2)}
                | {t for t in made if timedelta(days=2) <= now - t < timedelta(days=30)
                   and t.hour == IMPORT_HOURS[0]}
                | {t for t in made if now - t >= timedelta(days=30)
                   and t.day == 1 and t.hour == IMPORT_HOURS[0]})
    infos = backup.list_backups(db_path)
    kept = {i.made for i in infos if i.reason == backup.BEFORE_IMPORT}
    assert kept == expected
    # at 31 December 17:00: the 4 copies younger than 2 days (30 and 31 December), the first of
    # each of the 28 days from 2 to 29 December, and the first of each month from January to
    # December (1 December 09:00 is 30 days old)
    assert len(kept) == 4 + 28 + 12
    assert {i.path for i in infos if i.reason != backup.BEFORE_IMPORT} == {upgrade, by_hand,
                                                                          restore}
    assert other.exists() and other not in {i.path for i in infos}
    assert [i.made for i in infos] == sorted((i.made for i in infos), reverse=True)


def test_each_copy_says_why_it_was_made(tmp_path: Path) -> None:
    db_path = tmp_path / "workbook.sqlite3"
    conn = small_workbook(db_path)
    for reason in ("before-migration-v6", backup.MANUAL, "before-restore",
                   backup.BEFORE_IMPORT):
        backup.automatic_backup(conn, db_path, reason)
    conn.close()
    (backup.backups_folder(db_path) / "copied from a stick.sqlite3").write_bytes(b"")
    words = {i.reason: (i.reason_text("ru"), i.reason_text("kk"), i.reason_text("en"))
             for i in backup.list_backups(db_path)}
    assert words["before-migration-v6"][2] == \
        "before the database format was upgraded (version 6)"
    assert "6" in words["before-migration-v6"][0] and "6" in words["before-migration-v6"][1]
    assert words[""][2] == "a copy put in the folder by hand"
    assert len({texts for texts in words.values()}) == 5
    assert all(len(set(texts)) == 3 for texts in words.values())


def test_backup_list_on_the_command_line(region_db: sqlite3.Connection, db_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", "--db", str(db_path), "--lang", "kk"]) == 0
    assert main(["backup", "--list", "--db", str(db_path), "--lang", "kk"]) == 0
    out = capsys.readouterr().out
    info = backup.list_backups(db_path)[0]
    assert info.reason == backup.MANUAL
    assert f"{info.made:%d.%m.%Y %H:%M} — қолмен жасалған" in out
    assert info.path.name in out


FOLDERS = ["a #1", "100% готово", "что?", "Отчёт Қарағанды"]


@pytest.mark.parametrize("folder", FOLDERS)
def test_backup_and_restore_in_any_folder(tmp_path: Path, folder: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    if os.name == "nt" and "?" in folder:
        pytest.skip("Windows allows no '?' in a folder's name")
    db_path = tmp_path / folder / "Есеп #2 100%.sqlite3"
    init_database(db_path, mode="region", region_code=REGION, user_name="u")
    conn = open_workbook(db_path)
    body = "akim_deputies"
    update_gender(conn, REGION, PERIOD, body, UI, women=2, total=8)
    path = export_return(conn, REGION, PERIOD, "ru", tmp_path / folder / "return #1.xlsx")
    edit(path, "ru", {"gender": [(body, "women", "5")]})
    outcome = import_one(conn, path, load_office(conn))  # its copy is made on a thread (URI)
    assert outcome.result == "applied", outcome.message
    conn.close()
    made = backup.list_backups(db_path)
    assert [i.reason for i in made] == [backup.BEFORE_IMPORT]

    copy = tmp_path / folder / "копия?#%.sqlite3" if os.name != "nt" else \
        tmp_path / folder / "копия #%.sqlite3"
    assert main(["backup", "--db", str(db_path), "-o", str(copy)]) == 0
    assert main(["restore", str(made[0].path), "--db", str(db_path), "--lang", "en"]) == 0
    conn = open_workbook(db_path)
    women = conn.execute("SELECT women FROM gender_figure WHERE body_code = ?",
                         (body,)).fetchone()[0]
    conn.close()
    assert women == 2, "the copy from before the import is back"
    assert main(["restore", str(copy), "--db", str(db_path)]) == 0
    conn = open_workbook(db_path)
    assert conn.execute("SELECT women FROM gender_figure WHERE body_code = ?",
                        (body,)).fetchone()[0] == 5
    conn.close()
    assert {i.reason for i in backup.list_backups(db_path)} == {backup.BEFORE_IMPORT,
                                                                 "before-restore"}
    # the copy an import makes on a thread reads the file through a URI: taken, not replaced
    # by the fallback a failed one gets
    pending = backup.BackgroundBackup(db_path, backup.BEFORE_IMPORT)
    conn = open_workbook(db_path)
    token = conn.execute("SELECT COALESCE(MAX(id), 0) FROM operation").fetchone()[0]
    conn.close()
    kept = pending.keep(token)
    assert kept is not None and kept.exists()
    capsys.readouterr()


def test_uris_for_windows_drives_and_shares() -> None:
    drive = PureWindowsPath(r"C:\Отчёт Қарағанды\a #1\100% что.sqlite3")
    assert backup.sqlite_uri(drive) == (
        "file:///C:/%D0%9E%D1%82%D1%87%D1%91%D1%82%20%D2%9A%D0%B0%D1%80%D0%B0%D2%93%D0%B0"
        "%D0%BD%D0%B4%D1%8B/a%20%231/100%25%20%D1%87%D1%82%D0%BE.sqlite3?mode=ro")
    share = PureWindowsPath(r"\\server\akimat\a #1\w.sqlite3")
    assert backup.sqlite_uri(share) == "file:////server/akimat/a%20%231/w.sqlite3?mode=ro"


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")
def test_every_file_the_app_writes_is_owner_only(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    old_umask = os.umask(0o022)  # the usual one, which makes files 0644
    try:
        db_path = tmp_path / "office" / "workbook.sqlite3"
        assert main(["init", "--region", REGION, "--db", str(db_path)]) == 0
        assert mode_of(db_path.parent) == 0o700 and mode_of(db_path) == 0o600
        conn = open_workbook(db_path)
        journals = [db_path.with_name(db_path.name + s) for s in ("-wal", "-shm")]
        assert all(p.exists() and mode_of(p) == 0o600 for p in journals)
        update_gender(conn, REGION, PERIOD, "akim_deputies", UI, women=2, total=8)
        path = export_return(conn, REGION, PERIOD, "ru", tmp_path / "return.xlsx")
        edit(path, "ru", {"gender": [("akim_deputies", "women", "5")]})
        assert import_one(conn, path, load_office(conn)).result == "applied"
        conn.close()
        folder = backup.backups_folder(db_path)
        assert mode_of(folder) == 0o700
        assert main(["backup", "--db", str(db_path), "-o", str(tmp_path / "copy.sqlite3")]) == 0
        assert mode_of(tmp_path / "copy.sqlite3") == 0o600
        assert main(["restore", str(tmp_path / "copy.sqlite3"), "--db", str(db_path)]) == 0
        assert main(["backup", "--db", str(db_path)]) == 0
        copies = list(folder.iterdir())
        assert len(copies) == 3  # before the import, before the restore, by hand
        assert all(mode_of(p) == 0o600 for p in [db_path, *copies])
        assert mode_of(log_file()) == 0o600 and mode_of(log_file().parent) == 0o700

        older = tmp_path / "older" / "workbook.sqlite3"  # made 0644 by an earlier version
        older.parent.mkdir()
        older.write_bytes(db_path.read_bytes())
        older.chmod(0o644)
        open_workbook(older).close()
        assert mode_of(older) == 0o600
    finally:
        os.umask(old_umask)
    capsys.readouterr()


def test_backups_and_restores_are_logged(region_db: sqlite3.Connection, db_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("test")
    assert main(["backup", "--db", str(db_path)]) == 0
    made = backup.list_backups(db_path)[0].path
    assert main(["restore", str(made), "--db", str(db_path)]) == 0
    text = log_file().read_text(encoding="utf-8")
    assert f"backup made: {made.name} (manual)" in text
    assert f"restored {db_path.name} from {made.name}" in text
    capsys.readouterr()


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_settings_lists_each_copy_with_its_reason_and_date(
        qtbot, region_db: sqlite3.Connection, db_path: Path, lang: str) -> None:
    from desktop.context import AppContext, Selection
    from desktop.pages.settings import SettingsPage
    from desktop.widgets.labels import format_when

    backup.automatic_backup(region_db, db_path, "before-migration-v4")
    ctx = AppContext(region_db, db_path, Selection(REGION, PERIOD))
    ctx.language = lang
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.make_backup()
    shown = [page.backups.item(i).text() for i in range(page.backups.count())]
    infos = backup.list_backups(db_path)
    assert len(shown) == len(infos) == 2
    for text, info in zip(shown, infos, strict=True):
        assert info.reason_text(lang) in text
        assert format_when(info.made.isoformat(timespec="seconds"), lang) in text
    assert infos[0].reason == backup.MANUAL
