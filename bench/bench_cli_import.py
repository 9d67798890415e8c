"""One return imported through the command line, as an officer or the ministry's script runs it:
`planmonitor import FILE` in a fresh process, against a fresh process that only reads the same
file with python-calamine (`python -c ...`). Both pay Python's start; the import also pays what
its command loads, the checks, the merge and the write.

Goal (issue 16): the import <= 3x the bare read. Run: `python -m bench cli_import`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from bench.util import fresh_copy, interleaved, report

RUNS = 7
READ = ("from python_calamine import CalamineWorkbook; import sys; "
        "book = CalamineWorkbook.from_path(sys.argv[1]); "
        "[book.get_sheet_by_name(n).to_python() for n in book.sheet_names]")


def planmonitor(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "planmonitor", *args], check=True,
                   capture_output=True)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        folder = Path(tmp)
        region, center, file = folder / "region.sqlite3", folder / "center.sqlite3", folder / "r.xlsx"
        planmonitor("init", "--region", "KZ-75", "--user", "bench", "--db", str(region))
        planmonitor("demo", "--db", str(region))
        planmonitor("init", "--center", "--user", "bench", "--db", str(center))
        planmonitor("export", "return", "--period", "2026-Q3", "--db", str(region),
                    "-o", str(file))
        work = folder / "work.sqlite3"

        def fresh() -> None:
            fresh_copy(center, work)

        size = file.stat().st_size
        times = interleaved({
            "read": lambda: subprocess.run([sys.executable, "-c", READ, str(file)], check=True),
            "import": lambda: planmonitor("import", "--db", str(work), str(file)),
        }, before={"import": fresh}, runs=RUNS)
    print(f"one return ({size / 1e3:.0f} kB) in a fresh process; medians of {RUNS}")
    report("python -c: read it with python-calamine", times["read"])
    report("planmonitor import FILE (center)", times["import"], times["read"], 3.0)


if __name__ == "__main__":
    main()
