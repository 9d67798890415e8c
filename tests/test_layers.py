"""db/ and exports/ stay headless: importing them loads no Qt."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_layers_import_no_qt() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import db, exports, planmonitor.cli\n"
        "for pkg in (db, exports):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "planmonitor.cli.build_parser()\n"
        "loaded = sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6', 'desktop')))\n"
        "print(loaded)\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout


def test_no_qt_import_statement_in_core_sources() -> None:
    offenders = []
    for folder in ("db", "exports", "planmonitor"):
        for path in (ROOT / folder).rglob("*.py"):
            for line in path.read_text(encoding="utf-8").splitlines():
                stripped = line.strip()
                if stripped.startswith(("import PySide6", "from PySide6", "import desktop",
                                        "from desktop")) and folder != "planmonitor":
                    offenders.append(f"{path}: {stripped}")
    assert offenders == []
