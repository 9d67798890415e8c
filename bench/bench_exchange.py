"""Exchange speed on a national-size workbook: 100,000 indicator values in one return.

Prints medians over several runs of:
- read alone with the fastest reader (python-calamine, every sheet to Python rows);
- full import (check, read, validate, diff, backup, apply in one transaction) of that file into a
  center database that does not have the values yet (100,000 rows added), as `planmonitor import`
  does it (exports.importer.import_one);
- a repeated import of an unchanged file (check, read, validate, diff: nothing to apply);
- export of the same return, against xlsxwriter (the fastest writer) writing the same cells bare.

Goals from the issue: full import <= 1.5x read alone; export <= 1.3x the bare writer.
Run: `python -m bench exchange` (or `make bench`).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

from bench.util import fresh_copy, interleaved, report
from db.audit import OpInfo
from db.catalog import apply_catalog, load_seed
from db.office import load_office
from db.ops import RowWrite, apply_writes
from db.workbook import init_database, open_workbook

REGION, PERIOD = "KZ-75", "2026-Q3"
RUNS = 5


def add_synthetic_indicators(conn, indicators: int, breakdowns: int = 10) -> None:
    """Grow the catalog to `indicators` x `breakdowns` indicator rows (a national-size return)."""
    data = load_seed()
    data.rows["disaggregation"] += [
        {"code": f"b{n}", "ord": 100 + n, "name_ru": f"Разрез {n}", "name_kk": f"Бөлініс {n}",
         "name_en": f"Breakdown {n}"} for n in range(breakdowns)]
    for n in range(indicators):
        code = f"SYN-{n:05d}"
        data.rows["indicator"].append({
            "code": code, "ord": 1000 + n, "kind": "outcome", "section_no": 1, "action_no": None,
            "name_ru": f"Показатель {n}", "name_kk": f"Көрсеткіш {n}", "name_en": f"Indicator {n}",
            "definition_ru": "", "definition_kk": "", "definition_en": "", "source_ru": "",
            "source_kk": "", "source_en": "", "unit": "count", "direction": "higher",
            "baseline_value": 10.0, "baseline_year": 2021, "target_value": 20.0,
            "target_year": 2026, "periodicity": "quarterly", "provenance": "reconstructed"})
        data.rows["indicator_disaggregation"] += [
            {"indicator_code": code, "disaggregation_code": f"b{d}", "ord": d}
            for d in range(breakdowns)]
    apply_catalog(conn, data, OpInfo(user="bench", source="catalog"))


def fill_values(conn, indicators: int, breakdowns: int = 10) -> None:
    """A value in every row and a note in one row of ten, as a national return has."""
    writes = [RowWrite("indicator_value", (REGION, PERIOD, f"SYN-{n:05d}", f"b{d}"),
                       {"value": float(n * breakdowns + d),
                        "note": f"примечание {n}" if d == 0 else ""})
              for n in range(indicators) for d in range(breakdowns)]
    apply_writes(conn, writes, OpInfo(user="bench", source="cli"))


def make_databases(folder: Path, indicators: int) -> tuple[Path, Path]:
    region = folder / "region.sqlite3"
    center = folder / "center.sqlite3"
    init_database(region, mode="region", region_code=REGION, user_name="bench")
    init_database(center, mode="center", region_code=None, user_name="bench")
    for path in (region, center):
        conn = open_workbook(path)
        add_synthetic_indicators(conn, indicators)
        conn.close()
    conn = open_workbook(region)
    fill_values(conn, indicators)
    conn.close()
    return region, center


def read_alone(path: Path) -> int:
    book = CalamineWorkbook.from_path(str(path))
    return sum(len(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
               for name in book.sheet_names)


def bare_write(rows: list[list], path: Path) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()


def main(indicators: int = 10_000) -> None:
    from exports.importer import import_one, plan_import
    from exports.xlsx_export import export_return

    with tempfile.TemporaryDirectory(prefix="bench-exchange-") as tmp:
        folder = Path(tmp)
        region_db, center_db = make_databases(folder, indicators)
        region = open_workbook(region_db)
        file = folder / "national return.xlsx"
        export_return(region, REGION, PERIOD, "ru", file)
        print(f"workbook: {file.stat().st_size / 1e6:.1f} MB, {read_alone(file)} rows in all "
              f"sheets, {indicators * 10} indicator values; medians of {RUNS} runs")
        work = folder / "work.sqlite3"

        def fresh_center() -> None:
            fresh_copy(center_db, work)

        def full_import() -> None:  # as `planmonitor import FILE` does it
            conn = open_workbook(work)
            outcome = import_one(conn, file, load_office(conn))
            assert outcome.result == "applied", outcome.message
            assert outcome.plan and outcome.plan.added_count >= indicators * 10
            conn.close()

        def unchanged_import() -> None:
            plan = plan_import(region, file, load_office(region))
            assert plan.ok and plan.nothing_to_change

        cells = CalamineWorkbook.from_path(str(file)).get_sheet_by_name(
            "Индикаторы").to_python()
        medians = interleaved({
            "read": lambda: read_alone(file),
            "full": full_import,
            "unchanged": unchanged_import,
            "bare": lambda: bare_write(cells, folder / "bare.xlsx"),
            "export": lambda: export_return(region, REGION, PERIOD, "ru", folder / "again.xlsx"),
        }, before={"full": fresh_center}, runs=RUNS)
        region.close()
    report("read alone (python-calamine, all sheets)", medians["read"])
    report("full import, 100k values added (center)", medians["full"], medians["read"], 1.5)
    report("import of the unchanged file (region)", medians["unchanged"], medians["read"], 1.5)
    report("bare xlsxwriter writing the same cells", medians["bare"])
    report("export return (formats, validation, protection)", medians["export"], medians["bare"],
           1.3)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
