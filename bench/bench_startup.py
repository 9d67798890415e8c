"""Cold start of the desktop app: a fresh Python process to an interactive main window, on a center
workbook with demo data for all 20 regions and 8 quarters, against a bare PySide6 window started
the same way (a fresh process that imports PySide6 and shows a QMainWindow). Medians of several
runs; the goal is at most 2.0x the bare window (issue 16: with no start-speed tricks). Then the
first show of each page, alone after a start (goal: at most 100 ms, so that a page opens at once).

"Interactive" means the window is shown and the event loop has processed its first events (a
zero-timer fires after show()), which is when a click or key press would be handled.

Both run with compiled bytecode, as any installed copy does (pip and PyInstaller compile it, a
source checkout writes __pycache__ on its first run): the children get PYTHONPYCACHEPREFIX in a
temporary folder, filled by the warm-up runs, and never PYTHONDONTWRITEBYTECODE. Without that, an
environment that sets PYTHONDONTWRITEBYTECODE would charge the app for compiling its own modules
at every start, which the bare window (all in precompiled site-packages) never pays."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.util import report

RUNS = 7
GOAL = 2.0
READY = "READY"

BARE = f"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1200, 780)
window.show()
QTimer.singleShot(0, lambda: (print("{READY}", time.process_time(), flush=True), app.quit()))
app.exec()
"""

APP = f"""
import sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from desktop.app import create_main_window, make_application
app = make_application(sys.argv)
window = create_main_window(Path(sys.argv[1]))
window.show()
QTimer.singleShot(0, lambda: (print("{READY}", time.process_time(), flush=True), app.quit()))
app.exec()
"""

# The way a user starts it: the `planmonitor` command with no subcommand (the first-start check,
# then the main window). The timer is queued before, so it fires once the window is shown and
# the event loop runs.
ENTRY = f"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
QTimer.singleShot(0, lambda: (print("{READY}", time.process_time(), flush=True), app.quit()))
sys.argv = ["planmonitor", "--db", sys.argv[1]]
from planmonitor.cli import main
main(sys.argv[1:])
"""


PHASES = """
import sys, time
marks = [("start", time.perf_counter())]
def mark(name):
    marks.append((name, time.perf_counter()))
import PySide6.QtWidgets
mark("import PySide6.QtWidgets")
import desktop
mark("import desktop")
from resources.words import messages
messages()
mark("words: resources.words and its cache")
import db.queries, db.workbook
mark("import db.queries, db.workbook")
import desktop.app
mark("import desktop.app (context, main window)")
from pathlib import Path
app = desktop.app.make_application(sys.argv)
window = desktop.app.create_main_window(Path(sys.argv[1]))
mark("create the main window (start page: " + window.current_page_key() + ")")
window.show()
mark("show")
app.processEvents()
mark("first events, the first frame painted with them")
ready = len(marks)
for key in window.page_keys():
    if key not in window.pages:
        window.show_page(key)
        app.processEvents()
        mark("later: first show of page " + key)
for index, ((_, before), (name, after)) in enumerate(zip(marks, marks[1:])):
    if index + 1 == ready:
        print("-- interactive (the timed runs stop before the first frame's paint, on both sides);"
              " what follows is paid when a page is first shown")
    print(f"{name:<48} {(after - before) * 1000:9.1f} ms")
heavy = ("openpyxl", "xlsxwriter", "python_calamine", "reportlab")
print("heavy modules loaded by then:", [m for m in heavy if m in sys.modules])
"""


def child_env(pycache: Path) -> dict[str, str]:
    """The environment of every timed child: offscreen Qt, bytecode cached in `pycache`."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "PYTHONPYCACHEPREFIX": str(pycache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def print_phases(db_path: Path, env: dict[str, str], runs: int = 3) -> None:
    """Where a start spends its time (medians over fresh processes; for finding what to make
    lazy), then what each other page costs when first shown."""
    table: dict[str, list[float]] = {}
    notes: list[str] = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", PHASES, str(db_path)], capture_output=True,
                             text=True, env=env, timeout=120)
        for line in out.stdout.splitlines():
            name, _, value = line.rpartition(" ")
            if value == "ms":
                name, _, value = name.rpartition(" ")
                table.setdefault(name.strip(), []).append(float(value))
            elif line.startswith("--"):
                table.setdefault(line, [])
            elif line and line not in notes:
                notes.append(line)
    print(f"phases of a start (medians of {runs}):")
    for name, values in table.items():
        print(f"  {name:<48} {statistics.median(values):9.1f} ms" if values else f"  {name}")
    for line in notes:
        print(f"  {line}")


# A page's first show, alone after a start (so it pays for its own imports, whichever page the
# person opens first): from the click to the page painted with the events that follow.
FIRST_SHOW = """
import sys, time
from pathlib import Path
import desktop.app
app = desktop.app.make_application(sys.argv[:1])
window = desktop.app.create_main_window(Path(sys.argv[1]))
window.show()
app.processEvents()
start = time.perf_counter()
window.show_page(sys.argv[2])
app.processEvents()
print(f"{(time.perf_counter() - start) * 1000:.2f}")
"""
PAGE_GOAL_MS = 100.0
PAGE_RUNS = 5


def first_shows(db_path: Path, env: dict[str, str], runs: int = PAGE_RUNS) -> dict[str, float]:
    """Median first show (ms) of each page of the center workbook, each in fresh processes, the
    pages taking turns in every run so that a busy machine slows all alike."""
    from desktop.pages import PAGES

    times: dict[str, list[float]] = {info.key: [] for info in PAGES}
    for _ in range(runs):
        for key, seen in times.items():
            out = subprocess.run([sys.executable, "-c", FIRST_SHOW, str(db_path), key],
                                 capture_output=True, text=True, env=env, timeout=120, check=True)
            seen.append(float(out.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(seen) for key, seen in times.items()}


def print_first_shows(shows: dict[str, float]) -> None:
    for key, ms in shows.items():
        ratio = ms / PAGE_GOAL_MS
        verdict = "met" if ratio <= 1 else "NOT met"
        print(f"first show of page {key:<29} {ms:9.1f} ms   {ratio:5.2f}x the goal "
              f"(goal <= {PAGE_GOAL_MS:.0f} ms: {verdict})")


def make_center_demo(folder: Path) -> Path:
    from db.demo import fill_demo_file
    from db.workbook import init_database

    path = folder / "center.sqlite3"
    init_database(path, mode="center", region_code=None, user_name="Бенчмарк", language="ru")
    stats = fill_demo_file(path)
    print(f"demo workbook: {stats.regions} regions, {stats.periods} quarters, {stats.rows} rows, "
          f"{path.stat().st_size / 1e6:.1f} MB")
    return path


def time_to_ready(env: dict[str, str], script: str, *args: str) -> tuple[float, float]:
    """Seconds from launch to READY, and the CPU seconds the child had used by then (all its
    threads, as it reports them): on a shared machine the CPU time moves far less with the load
    than the wall time does."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        word, _, cpu = line.strip().partition(" ")
        if word == READY:
            elapsed = time.perf_counter() - start
            proc.wait(timeout=30)
            return elapsed, float(cpu)
    proc.wait(timeout=30)
    raise RuntimeError(f"the process ended without reaching {READY} (exit {proc.returncode})")


def medians(db_path: Path, env: dict[str, str],
            runs: int = RUNS) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Medians of the bare window, the app's main window and the `planmonitor` command (wall
    time, then CPU time), run in turn so that a busy machine slows all alike; one warm-up run
    each (warms the file cache and writes the bytecode cache)."""
    scripts = ((BARE,), (APP, str(db_path)), (ENTRY, str(db_path)))
    walls: list[list[float]] = [[] for _ in scripts]
    cpus: list[list[float]] = [[] for _ in scripts]
    for run in range(runs + 1):
        for script, wall, cpu in zip(scripts, walls, cpus, strict=True):
            elapsed, used = time_to_ready(env, *script)
            if run:
                wall.append(elapsed)
                cpu.append(used)
    return (tuple(statistics.median(seen) for seen in walls),
            tuple(statistics.median(seen) for seen in cpus))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="planmonitor-bench-") as tmp:
        db_path = make_center_demo(Path(tmp))
        env = child_env(Path(tmp) / "pycache")
        walls, cpus = medians(db_path, env)
        for kind, (bare, app, entry) in (("", walls), ("CPU time: ", cpus)):
            report(f"{kind}bare PySide6 window (fresh process)", bare)
            report(f"{kind}Plan Monitor main window, center demo (fresh process)", app,
                   baseline=bare, goal=GOAL)
            report(f"{kind}  the same through `planmonitor --db` (as users start it)", entry,
                   baseline=bare, goal=GOAL)
        print_first_shows(first_shows(db_path, env))
        print_phases(db_path, env)


if __name__ == "__main__":
    main()
