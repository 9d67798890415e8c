"""The layers hold: the import-linter contracts in pyproject.toml ([tool.importlinter]) pass, and
db/ and exports/ stay headless at run time too (importing them, and building the CLI's parser,
loads no Qt)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint_imports is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    result = subprocess.run([lint_imports, "--no-cache"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


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
