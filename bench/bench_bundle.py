"""The PyInstaller bundle: its size on disk, and how fast it starts next to running from source.

Builds the bundle from build.spec into a temporary folder (needs PyInstaller: `make bundle` once,
or `pip install -e '.[bundle]'`), then times, as medians over several runs after one warm-up:
- the command line: `planmonitor-cli status --json` on a demo workbook vs `python -m planmonitor`;
- the windowed app: start, main window shown, quit (`PlanMonitor --smoke ... --smoke-seconds 0`)
  vs the same entry script run by the venv's Python.
The first run of each bundle program right after the build is reported too (the closest to a cold
start this can measure without dropping the machine's file cache).
Run: `python -m bench bundle`.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUI, CLI = "PlanMonitor", "planmonitor-cli"
EXE = ".exe" if sys.platform.startswith("win") else ""
RUNS = 9
GOAL_MB = 120


def build(target: Path) -> Path:
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(target / "dist"), "--workpath", str(target / "build"),
                    "build.spec"], cwd=ROOT, check=True, capture_output=True)
    return target / "dist" / GUI


def disk_usage(folder: Path) -> tuple[int, int]:
    """(bytes allocated on disk, apparent bytes) of every file under `folder`."""
    allocated = apparent = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            info = path.stat()
            apparent += info.st_size
            allocated += getattr(info, "st_blocks", 0) * 512 or info.st_size
    return allocated, apparent


def largest_parts(folder: Path, count: int = 6) -> list[tuple[str, int]]:
    internal = folder / "_internal"
    sizes: dict[str, int] = {}
    for path in internal.rglob("*"):
        if path.is_file() and not path.is_symlink():
            top = path.relative_to(internal).parts[0]
            sizes[top] = sizes.get(top, 0) + path.stat().st_size
    return sorted(sizes.items(), key=lambda kv: -kv[1])[:count]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def medians_side_by_side(first: list[str], second: list[str],
                         env: dict[str, str]) -> tuple[float, float]:
    """Medians of both commands, runs interleaved so a busy machine slows both alike."""
    timed(first, env), timed(second, env)
    a, b = [], []
    for _ in range(RUNS):
        a.append(timed(first, env))
        b.append(timed(second, env))
    return statistics.median(a), statistics.median(b)


def prepare_workbook(folder: Path, env: dict[str, str]) -> Path:
    db = folder / "Рабочая книга.sqlite3"
    for args in (["init", "--region", "KZ-75", "--db", str(db)], ["demo", "--db", str(db)]):
        subprocess.run([sys.executable, "-m", "planmonitor", *args], env=env, check=True,
                       capture_output=True, cwd=ROOT)
    return db


def main() -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        print("skipped: PyInstaller is not installed (pip install -e '.[bundle]')")
        return
    with tempfile.TemporaryDirectory(prefix="bench bundle ") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
               "PLANMONITOR_HOME": str(folder / "home")}
        started = time.perf_counter()
        bundle = build(folder)
        print(f"{'build (pyinstaller build.spec)':<48} {time.perf_counter() - started:9.1f} s")
        allocated, apparent = disk_usage(bundle)
        verdict = "met" if allocated <= GOAL_MB * 10**6 else "NOT met"
        print(f"{'bundle size on disk':<48} {allocated / 10**6:9.1f} MB "
              f"({allocated / 2**20:.1f} MiB; files {apparent / 10**6:.1f} MB)"
              f"  (goal <= {GOAL_MB} MB: {verdict})")
        for name, size in largest_parts(bundle):
            print(f"  {name:<46} {size / 10**6:9.1f} MB")

        db = prepare_workbook(folder, env)
        smoke = ["--smoke", str(folder / "smoke.json"), "--db", str(db), "--smoke-seconds", "0"]
        status = ["status", "--db", str(db), "--json"]
        cases = [
            ("app start to main window", [str(bundle / f"{GUI}{EXE}"), *smoke],
             [sys.executable, str(ROOT / "packaging" / "planmonitor_gui.py"), *smoke]),
            ("command line: status --json", [str(bundle / f"{CLI}{EXE}"), *status],
             [sys.executable, "-m", "planmonitor", *status]),
        ]
        for label, frozen_cmd, source_cmd in cases:
            first = timed(frozen_cmd, env)
            frozen, source = medians_side_by_side(frozen_cmd, source_cmd, env)
            print(f"{label + ', bundle':<48} {frozen * 1000:9.1f} ms   "
                  f"(first run after build {first * 1000:.0f} ms)")
            print(f"{label + ', from source':<48} {source * 1000:9.1f} ms   "
                  f"{frozen / source:5.2f}x source")


if __name__ == "__main__":
    main()
