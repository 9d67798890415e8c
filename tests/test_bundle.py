"""The PyInstaller bundle, built from build.spec into a temporary folder and run headless.

Its console program runs init, demo, export return, import and report on workbooks in a folder
whose path has Cyrillic letters and spaces; its windowed program opens the main window offscreen
for a second (`--smoke`). A step whose feature has not landed yet is skipped, saying which module
it waits for. Needs PyInstaller (`pip install -e '.[bundle]'`).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
GUI_NAME, CLI_NAME = "PlanMonitor", "planmonitor-cli"
EXE_SUFFIX = ".exe" if sys.platform.startswith("win") else ""
REGION, PERIOD = "KZ-75", "2026-Q3"
BUILD_TIMEOUT, RUN_TIMEOUT = 900, 120


def landed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def needs(module: str) -> None:
    if not landed(module):
        pytest.skip(f"waits for {module} (not landed yet)")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/PlanMonitor, built once for this module."""
    pytest.importorskip("PyInstaller", reason="PyInstaller not installed: pip install -e '.[bundle]'")
    work = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"), "build.spec"],
        cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    assert result.returncode == 0, result.stderr[-4000:]
    return work / "dist" / GUI_NAME


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose path has Cyrillic letters and spaces, like a user's documents."""
    folder = tmp_path_factory.mktemp("bundle_run") / "Мои документы" / "Өңірлік есеп 2026"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture(scope="module")
def env(place: Path) -> dict[str, str]:
    """No PLANMONITOR_* overrides: the per-user data folder comes from XDG/HOME under `place`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PLANMONITOR_")}
    home = place / "домашняя папка"
    clean.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"),
                 XDG_CONFIG_HOME=str(home / ".config"), QT_QPA_PLATFORM="offscreen",
                 LC_ALL="C.UTF-8", LANG="C.UTF-8")
    return clean


def run(bundle: Path, program: str, *args: str | Path, env: dict[str, str],
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    exe = bundle / f"{program}{EXE_SUFFIX}"
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=cwd or bundle.parent,
                          timeout=RUN_TIMEOUT)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def region_db(bundle: Path, place: Path, env: dict[str, str]) -> Path:
    db = place / "база данных KZ-75.sqlite3"
    out = ok(run(bundle, CLI_NAME, "init", "--region", REGION, "--user", "Айгерім Сәрсенова",
                 "--db", db, "--lang", "kk", env=env))
    assert str(db) in out and "өңір" in out
    ok(run(bundle, CLI_NAME, "demo", "--db", db, env=env))
    return db


@pytest.fixture(scope="module")
def exported_return(bundle: Path, place: Path, env: dict[str, str], region_db: Path) -> Path:
    needs("exports.xlsx_export")
    target = place / f"Отчёт {REGION} {PERIOD}.xlsx"
    ok(run(bundle, CLI_NAME, "export", "return", "--db", region_db, "--period", PERIOD,
           "-o", target, env=env))
    return target


def status(bundle: Path, db: Path, env: dict[str, str], *extra: str) -> dict:
    return json.loads(ok(run(bundle, CLI_NAME, "status", "--db", db, "--period", PERIOD,
                             "--json", *extra, env=env)))


def test_init_and_demo_in_cyrillic_folder(bundle: Path, region_db: Path,
                                          env: dict[str, str]) -> None:
    report = status(bundle, region_db, env)
    with sqlite3.connect(region_db) as conn:
        actions = conn.execute("SELECT count(*) FROM action").fetchone()[0]
    assert report["region"] == REGION
    counts = report["overall"]
    assert sum(counts[s] for s in ("not_started", "in_progress", "completed",
                                   "not_applicable")) == actions
    assert counts["completed"] > 0


def test_export_return(exported_return: Path) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(exported_return, read_only=True)
    assert workbook.sheetnames
    workbook.close()


def test_import_return_at_center(bundle: Path, place: Path, env: dict[str, str],
                                 region_db: Path, exported_return: Path) -> None:
    needs("exports.importer")
    center = place / "центр министерства.sqlite3"
    ok(run(bundle, CLI_NAME, "init", "--center", "--db", center, env=env))
    before = status(bundle, center, env, "--region", REGION)["overall"]["completed"]
    ok(run(bundle, CLI_NAME, "import", "--db", center, exported_return, env=env))
    after = status(bundle, center, env, "--region", REGION)["overall"]
    sent = status(bundle, region_db, env)["overall"]
    assert before == 0 and after == sent


def test_report_pdf(bundle: Path, place: Path, env: dict[str, str], region_db: Path) -> None:
    needs("exports.pdf_report")
    from pypdf import PdfReader

    pdf = place / f"Сводка {REGION} {PERIOD}.pdf"
    ok(run(bundle, CLI_NAME, "report", "--db", region_db, "--period", PERIOD, "--lang", "kk",
           "-o", pdf, env=env))
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    region_name = status(bundle, region_db, env, "--lang", "kk")["region_name"]
    assert region_name in text


def test_windowed_app_opens_offscreen(bundle: Path, place: Path, env: dict[str, str],
                                      region_db: Path) -> None:
    needs("desktop.app")
    seen_file = place / "smoke.json"
    ok(run(bundle, GUI_NAME, "--smoke", seen_file, "--db", region_db, env=env))
    seen = json.loads(seen_file.read_text(encoding="utf-8"))
    internal = bundle / "_internal"
    assert seen["visible"] and seen["title"] and seen["frozen"]
    assert seen["utf8_mode"] == 1  # set by build.spec, whatever the locale
    assert seen["platform"] == "offscreen"
    assert Path(seen["resource_root"]) == internal / "resources"
    assert seen["qt_translation_loaded"] == {"ru": True, "kk": True}
    assert "svg" in seen["image_formats"]
    # The bundle's (trimmed, on Linux) ICU sorts Kazakh, Russian and English as the full one does.
    from planmonitor.frozen import region_names_sorted

    assert seen["collation"] == region_names_sorted(region_db)


def test_data_lives_in_the_user_folder_not_the_bundle(bundle: Path, place: Path,
                                                      env: dict[str, str]) -> None:
    """Without --db the workbook goes to the per-user local data folder (XDG on Linux)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the expected folder below is the Linux (XDG) one")
    ok(run(bundle, CLI_NAME, "init", "--region", REGION, env=env))
    expected = Path(env["XDG_DATA_HOME"]) / "PlanMonitor" / "planmonitor.sqlite3"
    assert expected.is_file()
    ok(run(bundle, CLI_NAME, "backup", "-o", place / "копия.sqlite3", env=env))
    assert not [p.name for p in bundle.rglob("*") if p.suffix in (".sqlite3", ".log", ".pdf",
                                                                  ".xlsx")]


def test_bundle_keeps_only_what_the_app_uses(bundle: Path) -> None:
    internal = bundle / "_internal"
    names = {p.relative_to(internal).as_posix() for p in internal.rglob("*") if p.is_file()}
    assert {f"resources/{p.relative_to(ROOT / 'resources').as_posix()}"
            for p in (ROOT / "resources").rglob("*")
            if p.is_file() and p.suffix in (".toml", ".ttf", ".svg", ".png", ".ico")} <= names
    qt = internal / "PySide6"
    translations = sorted(p.name for p in qt.rglob("translations/*.qm"))
    assert translations == ["qtbase_kk.qm", "qtbase_ru.qm"]
    plugin_folders = {p.parent.name for p in qt.rglob("plugins/*/*")}
    assert plugin_folders <= {"platforms", "imageformats", "iconengines", "styles",
                              "platforminputcontexts", "xcbglintegrations", "printsupport"}
    unwanted = ("numpy", "pandas", "tkinter", "_tkinter", "libtk", "libtcl", "QtQml", "QtQuick",
                "QtNetwork", "Qt6Qml", "Qt6Quick", "Qt6Network", "Qt6Pdf", "wayland")
    assert not [n for n in names if any(u in n for u in unwanted)]
