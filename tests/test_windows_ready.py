"""Windows readiness, checked from Linux as far as it can be.

Our code makes no POSIX-only calls, joins no paths with a hard-coded '/', finds resources only
through resources.paths, generates file names Windows accepts, ships the fonts it draws with,
and gives the bundle's programs a proper Windows version resource.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import queries
from db.backup import automatic_backup
from planmonitor.frozen import LOG_FILE_NAME
from resources.paths import DB_FILE_NAME, resource_path
from resources.words import LANGS, keys_with_prefix, tr

ROOT = Path(__file__).resolve().parents[1]
CODE_FOLDERS = ("db", "exports", "planmonitor", "desktop", "bench", "packaging")

POSIX_ONLY_MODULES = {"fcntl", "pwd", "grp", "termios", "tty", "pty", "resource", "posix",
                      "crypt", "spwd", "syslog", "curses", "readline"}
POSIX_ONLY_ATTRS = {
    "os": {"fork", "forkpty", "getuid", "geteuid", "getgid", "getegid", "setsid", "setpgrp",
           "getpgid", "killpg", "chown", "lchown", "fchown", "uname", "mkfifo", "nice", "wait3",
           "wait4", "WNOHANG", "sync", "getloadavg"},
    "signal": {"SIGKILL", "SIGHUP", "SIGALRM", "SIGUSR1", "SIGUSR2", "SIGCHLD", "SIGQUIT",
               "SIGSTOP", "alarm", "pause", "setitimer", "siginterrupt"},
}
# Calls whose string arguments are paths: a '/' joined into them by hand breaks on Windows.
PATH_CALLS = {"Path", "PurePath", "open", "joinpath", "resource_path", "connect", "copy",
              "copyfile", "copy2", "move", "rename", "replace", "unlink", "exists", "isfile",
              "isdir", "makedirs", "mkdir", "rmtree", "write_text", "write_bytes", "with_name"}
FILE_SUFFIXES = (".xlsx", ".xlsm", ".pdf", ".sqlite3", ".toml", ".json", ".log", ".svg", ".png",
                 ".ico", ".ttf", ".txt", ".csv")
POSIX_ROOTS = ("/tmp", "/home", "/usr", "/etc", "/var", "/opt", "~/")
WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
                    *(f"LPT{n}" for n in range(1, 10))}


def code_files() -> Iterator[Path]:
    for folder in CODE_FOLDERS:
        yield from sorted((ROOT / folder).rglob("*.py"))


def parsed() -> Iterator[tuple[Path, ast.Module]]:
    for path in code_files():
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT).as_posix()}:{getattr(node, 'lineno', 0)}"


def windows_problem(name: str) -> str | None:
    """Why Windows would refuse `name` as a file name, or None."""
    if WINDOWS_FORBIDDEN.search(name):
        return "reserved character"
    if name != name.rstrip(" ."):
        return "ends with a space or dot"
    if name.split(".")[0].upper() in WINDOWS_RESERVED:
        return "reserved device name"
    if len(name) > 255:
        return "longer than 255"
    return None


# --- the rule checkers themselves, on known good and bad code -------------------------------------

def posix_only_uses(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in POSIX_ONLY_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in POSIX_ONLY_MODULES:
                found.append(node.module)
            found += [f"{node.module}.{a.name}" for a in node.names
                      if a.name in POSIX_ONLY_ATTRS.get(node.module, ())]
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.attr in POSIX_ONLY_ATTRS.get(node.value.id, ())):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def _slash_joined(node: ast.AST) -> bool:
    """An f-string or `+` that glues a '/' to a computed value: a hand-made path."""
    if isinstance(node, ast.JoinedStr):
        parts = node.values
        for i, part in enumerate(parts):
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                continue
            text = part.value
            after_value = i > 0 and isinstance(parts[i - 1], ast.FormattedValue)
            before_value = i + 1 < len(parts) and isinstance(parts[i + 1], ast.FormattedValue)
            if (after_value and text.startswith("/")) or (before_value and text.endswith("/")):
                return "://" not in text
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        leaves = _added(node)
        texts = [leaf.value for leaf in leaves
                 if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str)]
        computed = len(texts) < len(leaves)
        return computed and any(t.startswith("/") or t.endswith("/") for t in texts)
    return False


def _added(node: ast.AST) -> list[ast.AST]:
    """The operands of a chain of `+`."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _added(node.left) + _added(node.right)
    return [node]


def _names_a_file(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):
        last = node.values[-1] if node.values else None
        return isinstance(last, ast.Constant) and str(last.value).lower().endswith(FILE_SUFFIXES)
    return False


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def slash_path_joins(tree: ast.Module) -> list[ast.AST]:
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "join" and isinstance(node.func.value, ast.Constant)
                and node.func.value.value in ("/", "\\")):
            found.append(node)
        elif isinstance(node, ast.Call) and _call_name(node) in PATH_CALLS:
            found += [a for a in node.args if _slash_joined(a)]
        elif _slash_joined(node) and _names_a_file(node):
            found.append(node)
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and node.value.startswith(POSIX_ROOTS)):
            found.append(node)
    return found


def resource_lookups_outside_paths(path: Path, tree: ast.Module) -> list[str]:
    """`__file__` or a 'resources' folder name used to find files anywhere but resources.paths
    (development tools that never ship, packaging/ and bench/, aside). Importing the `resources`
    package's modules is how every layer reads words and paths, so imports are not counted."""
    if (path == ROOT / "resources" / "paths.py"
            or path.relative_to(ROOT).parts[0] in ("packaging", "bench")):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "__file__":
            found.append(where(path, node))
        elif isinstance(node, ast.Constant) and node.value == "resources":
            found.append(where(path, node))
    return found


def test_checkers_catch_what_they_look_for() -> None:
    bad = ast.parse(
        "import fcntl\nimport os, signal\nfrom pwd import getpwnam\nos.fork()\n"
        "os.kill(1, signal.SIGKILL)\n")
    assert posix_only_uses(bad) == ["fcntl", "pwd", "os.fork", "signal.SIGKILL"]
    assert posix_only_uses(ast.parse("import os\nos.replace('a', 'b')\nos.kill(1, 15)\n")) == []
    joins = ast.parse(
        "open(folder + '/' + name)\nPath(f'{home}/data')\nname = f'{folder}/{region}.xlsx'\n"
        "'/'.join(parts)\nx = '/tmp/x'\n")
    assert len(slash_path_joins(joins)) == 5
    fine = ast.parse("share = f'{women}/{total}'\nurl = f'https://{host}/x'\n"
                     "p = folder / f'{region}.xlsx'\nmember = 'xl/' + target\n")
    assert slash_path_joins(fine) == []
    assert windows_problem("Отчёт KZ-75 2026-Q3.xlsx") is None
    assert windows_problem("backup 12:30.sqlite3") == "reserved character"
    assert windows_problem("CON.pdf") == "reserved device name"
    assert windows_problem("report. ") == "ends with a space or dot"


# --- our code ----------------------------------------------------------------------------------

def test_no_posix_only_calls_in_our_code() -> None:
    found = [f"{path.relative_to(ROOT).as_posix()}: {use}"
             for path, tree in parsed() for use in posix_only_uses(tree)]
    assert found == []


def test_no_hand_made_slash_paths_in_our_code() -> None:
    found = [where(path, node) for path, tree in parsed() for node in slash_path_joins(tree)]
    assert found == []


def test_resources_are_found_only_through_resources_paths() -> None:
    found = [hit for path, tree in parsed() for hit in resource_lookups_outside_paths(path, tree)]
    assert found == []


# --- names we generate -------------------------------------------------------------------------

def test_fixed_file_names_are_windows_safe() -> None:
    assert windows_problem(DB_FILE_NAME) is None
    assert windows_problem(LOG_FILE_NAME) is None


def test_automatic_backup_names_are_windows_safe(region_db: sqlite3.Connection,
                                                 db_path: Path) -> None:
    backup = automatic_backup(region_db, db_path, reason="before-import")
    assert backup.is_file()
    assert windows_problem(backup.name) is None


def test_suggested_export_names_are_windows_safe(region_db: sqlite3.Connection) -> None:
    if importlib.util.find_spec("desktop.pages.exchange") is None:
        pytest.skip("waits for desktop.pages.exchange (not landed yet)")
    from desktop.pages.exchange import suggested_name

    kinds = sorted({k.split(".")[-1] for k in keys_with_prefix("uib.exchange.file.")})
    assert kinds, "no file-name words under uib.exchange.file"
    problems = {}
    for lang in LANGS:
        for region in queries.regions(region_db, lang):
            for kind in kinds:
                name = suggested_name(kind, lang, region=region.code, period="2026-Q3")
                if windows_problem(name):
                    problems[name] = windows_problem(name)
    assert problems == {}


def test_report_names_from_words_are_windows_safe(region_db: sqlite3.Connection) -> None:
    """Every file-name word, filled with every region name, survives safe_file_name()."""
    from exports.xlsx_common import safe_file_name

    keys = [k for k in keys_with_prefix("uib.") if ".file." in k]
    problems = {}
    for lang in LANGS:
        for region in queries.regions(region_db, lang):
            for key in keys:
                name = safe_file_name(tr(key, lang, region=region.name, period="2026-Q3")) + ".pdf"
                if windows_problem(name):
                    problems[name] = windows_problem(name)
    assert problems == {}


# --- fonts and the Windows version resource -------------------------------------------------------

def test_pdf_fonts_are_shipped_not_taken_from_the_system() -> None:
    from exports.pdf_fonts import FONT_FILES

    for file_name in FONT_FILES.values():
        font = resource_path("fonts", file_name)
        assert font.is_file() and font.read_bytes()[:4] in (b"\x00\x01\x00\x00", b"true")
    assert (resource_path("fonts") / "DejaVu-LICENSE.txt").is_file()


def load_packaging(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_windows_version_resource() -> None:
    from planmonitor import __version__

    wv = load_packaging("windows_version")
    assert wv.version_tuple("0.1.0") == (0, 1, 0, 0)
    assert wv.version_tuple("1.2.3.dev4+g1234") == (1, 2, 3, 4)
    assert wv.version_tuple("2.0rc1") == (2, 0, 1, 0)
    strings = wv.version_strings(__version__, "planmonitor-cli", "Plan Monitor command line")
    assert strings["OriginalFilename"] == "planmonitor-cli.exe"
    assert strings["ProductVersion"] == __version__
    if not sys.platform.startswith("win"):
        pytest.skip("PyInstaller's version-info module imports win32api: Windows only")
    from PyInstaller.utils.win32 import versioninfo

    raw = wv.version_info(__version__, "PlanMonitor", "Plan Monitor").toRaw()
    back = versioninfo.VSVersionInfo()
    back.fromRaw(raw)
    assert "PlanMonitor.exe" in str(back) and __version__ in str(back)


def test_qt_trim_keeps_the_windows_platform_and_drops_the_rest() -> None:
    qt_trim = load_packaging("qt_trim")
    keep = qt_trim.keep_qt_file
    assert keep("PySide6/plugins/platforms/qwindows.dll")
    assert keep("PySide6/plugins/styles/qmodernwindowsstyle.dll")
    assert keep("PySide6/plugins/imageformats/qsvg.dll")
    assert keep("PySide6/Qt/plugins/platforms/libqoffscreen.so")
    assert not keep("PySide6/plugins/platforms/qdirect2d.dll")
    assert not keep("PySide6/plugins/tls/qschannelbackend.dll")
    assert not keep("PySide6/plugins/imageformats/qjpeg.dll")
    assert keep("PySide6/translations/qtbase_kk.qm") and keep("PySide6/translations/qtbase_ru.qm")
    assert not keep("PySide6/translations/qtbase_de.qm")
    assert not keep("PySide6/translations/qt_help_ru.qm")
    assert not keep("PySide6/opengl32sw.dll")
    assert keep("PySide6/Qt6Core.dll") and keep("resources/i18n/core.toml")


def test_icu_trim_keeps_our_languages_and_drops_the_rest() -> None:
    """Linux bundles carry a trimmed copy of the ICU data PySide6's Qt links against."""
    import PySide6

    libraries = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not libraries:
        pytest.skip("this PySide6 ships no ICU data library (Windows, macOS)")
    icu_trim = load_packaging("icu_trim")
    found = icu_trim.data_symbol(libraries[0])
    if found is None:
        pytest.skip("binutils' nm is not installed")
    _, offset, size = found
    with libraries[0].open("rb") as fh:
        fh.seek(offset)
        package = fh.read(size)
    _, items = icu_trim.read_items(package)
    assert icu_trim.read_items(icu_trim.trim_package(package, lambda _: True))[1] == items
    trimmed = icu_trim.trim_package(package)
    names = {name.split("/", 1)[1] for name, _ in icu_trim.read_items(trimmed)[1]}
    assert {"coll/kk.res", "coll/ru.res", "coll/root.res", "coll/ucadata.icu", "kk.res", "ru.res",
            "en.res", "root.res", "res_index.res", "pool.res", "cnvalias.icu"} <= names
    assert not {"coll/de.res", "zh.res", "coll/zh.res", "brkitr/cjdict.dict"} & names
    assert not [n for n in names if n.startswith("translit/") or n.endswith(".cnv")]
    assert len(trimmed) < len(package) / 4
