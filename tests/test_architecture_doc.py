"""docs/ARCHITECTURE.md matches the code: every dotted name of the app it cites in backticks
(`db.ops.apply_writes`) imports, and every file or folder of the tree it names exists. A
page that names a function moved elsewhere misleads the next reader more than no page."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "ARCHITECTURE.md"
PACKAGES = ("planmonitor", "desktop", "exports", "db", "resources")
FOLDERS = (*PACKAGES, "tests", "bench", "docs", "packaging")
DOTTED = re.compile(rf"^(?:{'|'.join(PACKAGES)})(?:\.[A-Za-z_]\w*)+")
PATH = re.compile(rf"^(?:{'|'.join(FOLDERS)})/[\w./*-]*$")


def cited() -> list[str]:
    return re.findall(r"`([^`\n]+)`", DOC.read_text(encoding="utf-8"))


def resolves(dotted: str) -> bool:
    """Imports the longest module prefix of `dotted`, then finds the rest as attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def test_every_dotted_name_the_doc_cites_imports() -> None:
    names = sorted({m.group(0) for text in cited() if (m := DOTTED.match(text))})
    assert len(names) >= 10  # the doc names the core API
    missing = [name for name in names if not resolves(name)]
    assert not missing, f"docs/ARCHITECTURE.md names what the code does not have: {missing}"


def test_every_file_the_doc_names_exists() -> None:
    paths = sorted({text for text in cited() if PATH.match(text) and "<" not in text})
    assert paths
    missing = [p for p in paths if not any(ROOT.glob(p.rstrip("/")))]
    assert not missing, f"docs/ARCHITECTURE.md names files that are not there: {missing}"


def test_every_module_the_doc_names_by_file_name_exists() -> None:
    """The folder table names modules by file name (`bulk.py`, `importer/plan.py`)."""
    names = sorted({text for text in cited() if re.fullmatch(r"[\w*]+(?:/[\w*]+)*\.py", text)
                    and not PATH.match(text)})
    assert "bulk.py" in names
    missing = [name for name in names
               if not (ROOT / name).exists()
               and not any(any(ROOT.glob(f"{folder}/**/{name}")) for folder in PACKAGES)]
    assert not missing, f"docs/ARCHITECTURE.md names modules that are not there: {missing}"


def test_a_name_that_is_gone_is_found() -> None:
    assert resolves("db.ops.apply_writes")
    assert not resolves("db.ops.no_such_function")
    assert not resolves("db.no_such_module.anything")
