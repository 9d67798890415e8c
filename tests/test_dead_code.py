"""No dead code: vulture, configured in pyproject.toml ([tool.vulture]), finds nothing unused in the
app's packages, and the whitelist (vulture_whitelist.py) names only what is still in the code."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["vulture"]


def vulture(*extra: str) -> subprocess.CompletedProcess[str]:
    program = shutil.which("vulture", path=str(Path(sys.executable).parent))
    if program is None:
        pytest.skip("vulture is not installed (pip install -e '.[test]')")
    return subprocess.run([program, *extra], cwd=ROOT, capture_output=True, text=True)


def test_vulture_finds_no_dead_code() -> None:
    result = vulture()
    assert result.returncode == 0 and not result.stdout, result.stdout + result.stderr


def test_vulture_reports_a_function_nobody_calls(tmp_path: Path) -> None:
    dead = tmp_path / "dead.py"
    dead.write_text("def forgotten_helper():\n    return 1\n", encoding="utf-8")
    result = vulture(*CONFIG["paths"], str(dead), "--min-confidence", str(CONFIG["min_confidence"]))
    assert result.returncode != 0 and "forgotten_helper" in result.stdout, result.stdout


def test_every_whitelisted_name_is_still_in_the_code() -> None:
    names = re.findall(r"^_\.(\w+)$", (ROOT / "vulture_whitelist.py").read_text(encoding="utf-8"),
                       re.MULTILINE)
    assert names
    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in CONFIG["paths"] if (ROOT / folder).is_dir()
        for path in (ROOT / folder).rglob("*.py"))
    stale = [name for name in names if not re.search(rf"\b{name}\b", sources)]
    assert not stale, f"listed in vulture_whitelist.py but gone from the code: {stale}"
