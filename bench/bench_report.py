"""PDF summaries: time to build the regional summary from a full demo database (median of runs),
next to a bare reportlab document with the same tables (same texts, wrapped the same way) and no
charts, header, colours, or page x of y. Goal: <= 2x the bare document. Also the national summary
over 20 regions, and the size of each file."""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from bench.util import report
from db.demo import fill_demo
from db.office import load_office
from db.workbook import init_database, open_workbook
from exports.pdf_fonts import register_fonts
from exports.pdf_layout import MARGIN, styles
from exports.pdf_national import build_national_report
from exports.pdf_report import (
    ACTION_WIDTHS,
    GENDER_WIDTHS,
    INDICATOR_WIDTHS,
    build_region_report,
    collect_region,
)

REGION, PERIOD, LANG = "KZ-75", "2026-Q4", "ru"
TODAY = date(2026, 11, 28)


def demo_db(folder: Path, mode: str) -> Path:
    path = folder / f"{mode}.sqlite3"
    init_database(path, mode=mode, region_code=REGION if mode == "region" else None,
                  user_name="bench", language=LANG)
    conn = open_workbook(path)
    fill_demo(conn, load_office(conn), today=TODAY)
    conn.close()
    return path


def bare_document(conn: sqlite3.Connection, path: Path) -> None:
    """The same three tables in the same font, text columns wrapped as paragraphs and figures as
    plain strings (as the summary does), without charts, colours, header or footer."""
    data = collect_region(conn, REGION, PERIOD, LANG, TODAY)
    cell = styles().cell
    font, _ = register_fonts()

    def table(rows: list[list[str]], widths: tuple, wrapped: set[int]) -> Table:
        cells = [[Paragraph(text, cell) if n in wrapped else text for n, text in enumerate(row)]
                 for row in rows]
        result = Table(cells, colWidths=list(widths), repeatRows=1)
        result.setStyle([("FONT", (0, 0), (-1, -1), font, cell.fontSize, cell.leading)])
        return result

    actions = [[str(a.no), a.name, a.deadline, a.status, a.progress_note, a.agencies]
               for a in data.actions]
    gender = [[g.body_code, g.name, str(g.women), str(g.total), str(g.share), str(g.prev_share)]
              for g in data.gender]
    indicators = [[i.code, i.name, i.unit, str(i.baseline_value), str(i.target_value),
                   str(i.prev_value), str(i.value), i.trend] for i in data.indicators]
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN)
    doc.build([table(actions, ACTION_WIDTHS, {1, 2, 3, 4, 5}),
               table(gender, GENDER_WIDTHS, {1, 4}), table(indicators, INDICATOR_WIDTHS, {1, 2})])


def interleaved_medians(jobs: dict[str, Callable[[], object]], runs: int = 9) -> dict[str, float]:
    """Median seconds of each job, the jobs taking turns so that a busy machine slows them alike."""
    for job in jobs.values():
        job()
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(runs):
        for name, job in jobs.items():
            start = time.perf_counter()
            job()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        region_conn = open_workbook(demo_db(folder, "region"))
        center_conn = open_workbook(demo_db(folder, "center"))
        jobs: dict[str, Callable[[], object]] = {
            "bare": lambda: bare_document(region_conn, folder / "bare.pdf")}
        for lang in ("ru", "kk", "en"):
            jobs[lang] = lambda lang=lang: build_region_report(
                region_conn, REGION, PERIOD, lang, folder / f"{lang}.pdf", today=TODAY)
        jobs["national"] = lambda: build_national_report(
            center_conn, PERIOD, LANG, folder / "national.pdf", today=TODAY)
        medians = interleaved_medians(jobs)
        size = {name: (folder / f"{name}.pdf").stat().st_size // 1024 for name in jobs}
        report(f"bare reportlab document, same tables, {size['bare']} KiB", medians["bare"])
        for lang in ("ru", "kk", "en"):
            report(f"regional summary ({lang}), {size[lang]} KiB", medians[lang],
                   medians["bare"], goal=2.0)
        report(f"national summary (20 regions, ru), {size['national']} KiB", medians["national"])
        region_conn.close()
        center_conn.close()


if __name__ == "__main__":
    main()
