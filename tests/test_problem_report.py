"""The problem report: the log, the versions, check and the schema, and nothing of the data. A
workbook with known notes, figures and a person's name goes through a day's work on the command
line (an import, an export, a backup, a report); then none of them is in the zip, nor in the log."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from db.audit import OpInfo
from db.ops import update_action, update_gender, update_indicator
from exports.xlsx_export import export_return
from planmonitor.cli import main
from resources.logs import log_file
from tests.conftest import PERIOD, REGION
from tests.exchange_editing import edit

PERSON = "Айгерім Сәрсенова"  # the region_db fixture's user
NOTES = ["Совещание с НКО «Жария» 4711", "Приказ акима № 5582-Қ", "Источник: Қарағанды стат 93",
         "Файлдан келген жазба 6620", "Зейнеткерлер туралы ескерту 3391"]
FIGURE = 987654.321


@pytest.fixture
def worked(region_db: sqlite3.Connection, db_path: Path, tmp_path: Path,
           capsys: pytest.CaptureFixture[str]) -> Path:
    """A workbook holding NOTES and FIGURE, after a day's work on the command line."""
    info = OpInfo(user=PERSON, source="ui")
    update_action(region_db, REGION, PERIOD, 1, info, progress_note=NOTES[0], evidence=NOTES[1])
    update_indicator(region_db, REGION, PERIOD, "IND-01", "total", info, value=FIGURE,
                     source=NOTES[2])
    update_gender(region_db, REGION, PERIOD, "akim_deputies", info, women=3, total=8,
                  note=NOTES[4])
    path = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "Есеп KZ-75.xlsx")
    edit(path, "ru", {"actions": [(2, "progress_note", NOTES[3])]})
    db = str(db_path)
    assert main(["import", "--db", db, str(path)]) == 0
    assert main(["export", "return", "--db", db, "--period", PERIOD,
                 "-o", str(tmp_path / "out.xlsx")]) == 0
    assert main(["backup", "--db", db]) == 0
    assert main(["import", "--db", db, str(tmp_path / "missing.xlsx")]) != 0
    capsys.readouterr()
    return db_path


def secrets() -> list[str]:
    return [*NOTES, PERSON, "987654", "987 654", "987\u00a0654"]


def test_the_report_holds_the_log_versions_check_and_schema_and_no_data(
        worked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.zip"
    assert main(["doctor", "--db", str(worked), "-o", str(out), "--lang", "en"]) == 0
    assert str(out) in capsys.readouterr().out
    with zipfile.ZipFile(out) as book:
        texts = {name: book.read(name).decode("utf-8") for name in book.namelist()}
    assert {"report.json", "check.json", "schema.sql", "office.json",
            "log/planmonitor.log"} <= set(texts)
    report = json.loads(texts["report.json"])
    assert set(report["versions"]) >= {"app", "python", "sqlite", "qt", "os"}
    assert report["versions"]["qt"].startswith("PySide6 ")
    assert report["workbook_file"] == worked.name
    check = json.loads(texts["check.json"])
    assert check["integrity"] == "ok" and check["search_orphans"] == 0
    assert check["counts"]["action_report"] > 0
    assert "CREATE TABLE action_report" in texts["schema.sql"]
    assert json.loads(texts["office.json"]) == {"mode": "region", "region_code": REGION,
                                                "language": "ru"}
    logged = texts["log/planmonitor.log"]
    assert "import of Есеп KZ-75.xlsx applied" in logged
    assert "command export wrote out.xlsx" in logged
    assert "backup made:" in logged and "start command doctor" in logged
    for name, text in texts.items():
        for secret in secrets():
            assert secret not in text, f"{secret!r} in {name}"
    if os.name == "posix":
        assert out.stat().st_mode & 0o777 == 0o600


def test_the_log_itself_holds_no_data(worked: Path) -> None:
    text = log_file().read_text(encoding="utf-8")
    assert "import of Есеп KZ-75.xlsx" in text
    assert not [secret for secret in secrets() if secret in text]


def test_the_command_line_report_loads_no_qt(worked: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.zip"
    code = ("import sys; from planmonitor.cli import main; "
            f"status = main(['doctor', '--db', {str(worked)!r}, '-o', {str(out)!r}]); "
            "print(status, 'PySide6' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120, env={**os.environ})
    assert done.stdout.split()[-2:] == ["0", "False"]
    assert zipfile.ZipFile(out).namelist()


def test_a_workbook_that_cannot_be_opened_is_still_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database at all" * 100)
    out = tmp_path / "report.zip"
    assert main(["doctor", "--db", str(broken), "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as book:
        assert "error" in json.loads(book.read("check.json"))
        assert "versions" in json.loads(book.read("report.json"))


def test_help_menu_saves_a_problem_report(window, tmp_path: Path) -> None:
    action = window.report_action
    assert action in window.help_menu.actions()
    assert action.text() == "Сохранить отчёт о проблеме…"
    window.ctx.save_preferences(language="kk")
    assert action.text() == "Мәселе туралы есепті сақтау…"
    messages: list[str] = []
    window.ctx.status_message.connect(messages.append)
    written = action.save(tmp_path / "отчёт.zip")
    assert written is not None and written.exists()
    with zipfile.ZipFile(written) as book:
        versions = json.loads(book.read("report.json"))["versions"]
    assert versions["qt"].startswith("Qt 6.")
    assert messages and str(written) in messages[-1]


def test_an_uncaught_exception_is_logged_and_told_as_the_apps_fault(qapp) -> None:
    from db.errors import InternalError
    from desktop.support import report_fault
    from resources.logs import setup_logging

    setup_logging("test")
    try:
        raise KeyError(NOTES[0])
    except KeyError as exc:
        box = report_fault(type(exc), exc, exc.__traceback__)
    assert box is not None and box.isVisible()
    assert box.text() == InternalError().message()
    box.close()
    text = log_file().read_text(encoding="utf-8")
    assert "unexpected error in the app" in text and "Traceback" in text and "KeyError" in text
    assert NOTES[0] not in text
