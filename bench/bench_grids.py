"""How the indicators grid copes with a catalog of 100,000 indicator values: time to open the
page (first rows shown), to fetch each further page while scrolling, and to scroll to the end.

    QT_QPA_PLATFORM=offscreen python -m bench.bench_grids
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from db.connection import transaction
from db.periods import ensure_period

REGION, PERIOD = "KZ-75", "2026-Q3"


def add_synthetic_indicators(conn: sqlite3.Connection, indicators: int, per_indicator: int = 5,
                             region: str = REGION, period: str = PERIOD) -> int:
    """Add `indicators` made-up indicators with `per_indicator` disaggregations each, and a value
    for every one in `region`/`period`. Test and benchmark data only. Returns the values added."""
    codes = [r[0] for r in conn.execute("SELECT code FROM disaggregation ORDER BY ord")]
    codes = codes[:per_indicator]
    with transaction(conn):
        ensure_period(conn, period)
        conn.executemany(
            "INSERT INTO indicator(code, ord, kind, name_ru, name_kk, name_en, definition_ru, "
            "definition_kk, definition_en, source_ru, source_kk, source_en, unit, direction) "
            "VALUES (?, ?, 'process', ?, ?, ?, '', '', '', '', '', '', 'count', 'higher')",
            [(f"S{n:06d}", 10_000 + n, f"Показатель {n}", f"Көрсеткіш {n}", f"Indicator {n}")
             for n in range(indicators)])
        conn.executemany(
            "INSERT INTO indicator_disaggregation(indicator_code, disaggregation_code, ord) "
            "VALUES (?, ?, ?)",
            [(f"S{n:06d}", d, k) for n in range(indicators) for k, d in enumerate(codes)])
        conn.executemany(
            "INSERT INTO indicator_value(region_code, period_code, indicator_code, "
            "disaggregation_code, value, revision, updated_at) VALUES (?, ?, ?, ?, ?, 1, "
            "'2026-10-01T09:00:00')",
            [(region, period, f"S{n:06d}", d, n % 997) for n in range(indicators) for d in codes])
    return indicators * len(codes)


def scroll_steps(view: object, steps: int) -> list[float]:
    """Seconds per step of scrolling one screen down and painting it (what a person feels)."""
    bar = view.verticalScrollBar()
    times = []
    for step in range(steps):
        start = time.perf_counter()
        bar.setValue(min(bar.maximum(), (step + 1) * bar.pageStep() * 50))
        view.viewport().repaint()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from db.workbook import init_database, open_workbook
    from desktop.context import AppContext, Selection
    from desktop.pages.indicators import IndicatorsPage

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.sqlite3"
        init_database(path, mode="region", region_code=REGION, user_name="bench")
        conn = open_workbook(path)
        added = add_synthetic_indicators(conn, 20_000)
        ctx = AppContext(conn, path, Selection(REGION, PERIOD))
        opens, fetches, to_end, scrolls = [], [], [], []
        for _ in range(5):
            start = time.perf_counter()
            page = IndicatorsPage(ctx)
            page.resize(1200, 800)
            page.show()
            app.processEvents()
            opens.append(time.perf_counter() - start)
            model = page.model
            start = time.perf_counter()
            while model.canFetchMore():
                t0 = time.perf_counter()
                model.fetchMore()
                fetches.append(time.perf_counter() - t0)
            page.view.scrollToBottom()
            app.processEvents()
            to_end.append(time.perf_counter() - start)
            scrolls.extend(scroll_steps(page.view, steps=40))
            rows = model.rowCount()
            page.close()
            page.deleteLater()
            app.processEvents()
        print(f"indicator values in the grid: {added + 0} synthetic (+ catalog), rows {rows}")
        print(f"open page, first rows shown      median {statistics.median(opens) * 1000:8.1f} ms")
        print(f"fetch one more page (~500 rows)  median {statistics.median(fetches) * 1000:8.1f} ms"
              f"   max {max(fetches) * 1000:.1f} ms")
        print(f"scroll one screen and repaint     median {statistics.median(scrolls) * 1000:8.1f} ms"
              f"   max {max(scrolls) * 1000:.1f} ms")
        print(f"load everything and scroll to end median {statistics.median(to_end) * 1000:8.1f} ms")
        conn.close()


if __name__ == "__main__":
    main()
