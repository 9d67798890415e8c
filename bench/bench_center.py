"""Center consolidation speed: 20 generated regional returns that together are of national size
(by default 500 indicators x 10 breakdowns = 5,000 values per region, 100,000 in all, plus the
27 actions and 10 gender bodies each), imported into one center database.

Prints medians over several runs of:
- read alone: python-calamine reading every sheet of the same 20 files to Python rows;
- consolidation: `import_many` of the 20 files (one backup for the batch, copied on a thread
  while the first file is read; then per file the safety check, read, validate, diff, apply in
  one transaction, exchange log, with the next files read ahead on a second thread) into a center
  database that has none of them yet;
- consolidation followed by the completeness matrix for the period;
- the completeness matrix alone, and the consolidated workbook of all regions.

Goal from the issue: consolidation <= 1.5x reading the same files alone.
Run: `python -m bench center` (or `make bench`).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from bench.bench_exchange import add_synthetic_indicators, read_alone
from bench.util import fresh_copy, interleaved, report
from db import consolidation
from db.audit import OpInfo
from db.connection import transaction
from db.demo import fill_demo
from db.office import load_office, set_identity
from db.ops import RowWrite, apply_writes
from db.workbook import init_database, open_workbook

PERIOD = "2026-Q3"
RUNS = 5


def _region_codes(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT code FROM region ORDER BY code")]


def _fill_region(conn: sqlite3.Connection, region: str, indicators: int, breakdowns: int) -> None:
    from datetime import date

    fill_demo(conn, load_office(conn), today=date(2026, 9, 30))
    writes = [RowWrite("indicator_value", (region, PERIOD, f"SYN-{n:05d}", f"b{d}"),
                       {"value": float((n * breakdowns + d) % 997), "note": f"регион {region}"})
              for n in range(indicators) for d in range(breakdowns)]
    apply_writes(conn, writes, OpInfo(user="bench", source="cli"))


def make_returns(folder: Path, indicators: int, breakdowns: int = 10) -> tuple[list[Path], Path]:
    """20 region databases (one seeded template copied, then made each region's own) and their
    returns for PERIOD; and an empty center database with the same catalog."""
    from exports.xlsx_export import export_return

    template, center = folder / "template.sqlite3", folder / "center.sqlite3"
    init_database(template, mode="region", region_code="KZ-10", user_name="bench")
    init_database(center, mode="center", region_code=None, user_name="bench")
    for path in (template, center):
        conn = open_workbook(path)
        add_synthetic_indicators(conn, indicators, breakdowns)
        conn.close()
    conn = open_workbook(center)
    regions = _region_codes(conn)
    conn.close()
    files = []
    (folder / "returns").mkdir()
    for region in regions:
        path = folder / f"{region}.sqlite3"
        shutil.copy(template, path)
        conn = open_workbook(path)
        with transaction(conn):
            set_identity(conn, mode="region", region_code=region, user_name="bench",
                         language="ru")
        _fill_region(conn, region, indicators, breakdowns)
        files.append(export_return(conn, region, PERIOD, "ru",
                                   folder / "returns" / f"{region}.xlsx"))
        conn.close()
    return files, center


def main(indicators: int = 500, breakdowns: int = 10) -> None:
    from exports.importer import import_many
    from exports.xlsx_consolidated import export_consolidated

    with tempfile.TemporaryDirectory(prefix="bench-center-") as tmp:
        folder = Path(tmp)
        files, center = make_returns(folder, indicators, breakdowns)
        rows = sum(read_alone(f) for f in files)
        size = sum(f.stat().st_size for f in files) / 1e6
        print(f"20 returns: {size:.1f} MB, {rows} rows in all sheets "
              f"({indicators * breakdowns} indicator values per region)")

        work = folder / "work.sqlite3"

        def fresh_center() -> None:
            fresh_copy(center, work)

        def consolidate(with_matrix: bool = False) -> None:
            conn = open_workbook(work)
            office = load_office(conn)
            results = [o.result for o in import_many(conn, files, office)]
            assert results == ["applied"] * len(files), results
            if with_matrix:
                matrix = consolidation.section_matrix(conn, PERIOD, "ru")
                assert not matrix.missing
            conn.close()

        times = interleaved(
            {"read": lambda: [read_alone(f) for f in files],
             "import": consolidate, "import+matrix": lambda: consolidate(True)},
            {"import": fresh_center, "import+matrix": fresh_center}, runs=RUNS)
        report("read alone, 20 files (python-calamine)", times["read"])
        report("consolidation: import 20 returns (center)", times["import"], times["read"], 1.5)
        report("consolidation + completeness matrix", times["import+matrix"], times["read"], 1.5)

        conn = open_workbook(work)
        out = folder / "consolidated.xlsx"
        times = interleaved(
            {"matrix": lambda: consolidation.section_matrix(conn, PERIOD, "ru"),
             "workbook": lambda: export_consolidated(conn, PERIOD, "ru", out)}, runs=RUNS)
        report("completeness matrix alone (20 regions x sections)", times["matrix"])
        report("consolidated workbook of all regions", times["workbook"])
        print(f"consolidated workbook: {out.stat().st_size / 1e6:.1f} MB")
        conn.close()


if __name__ == "__main__":
    main()
