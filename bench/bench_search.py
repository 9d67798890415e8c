"""Search speed: `db.search.search` over the center's demo (20 regions x 8 quarters, every
region's measures and evidence in the index), and what the index costs a large write.

Prints medians of:
- a broad word (thousands of matches, the best 200 listed and grouped), two words, a word no
  text holds, and a word within one region and period;
- a note on every indicator value (20 regions x 8 quarters) written in one bulk operation, with
  the index's triggers and without them (the same write on a copy whose search triggers were
  dropped). Every note is a different text: the worst case, each one tokenized.

Goal from the issue: a search answers in <= 50 ms.
Run: `python -m bench search` (or `make bench`).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bench.util import interleaved, median_seconds, report
from db.audit import OpInfo
from db.demo import demo_periods, fill_demo
from db.office import load_office
from db.ops import RowWrite, apply_writes
from db.search import search
from db.workbook import init_database, open_workbook

TODAY = date(2026, 9, 30)
PERIOD = "2026-Q3"
GOAL_MS = 50
QUERIES: dict[str, dict] = {
    "broad word «акимат»": {"text": "акимат"},
    "two words «обучающ семинар»": {"text": "обучающ семинар"},
    "no match «зззз»": {"text": "зззз"},
    "look-alike letters «акімат» (і for и)": {"text": "акімат"},
    "one region and period «постанов»": {"text": "постанов", "region": "KZ-75",
                                          "period": PERIOD},
}


def demo_center(folder: Path) -> Path:
    path = folder / "center.sqlite3"
    init_database(path, mode="center", region_code=None, user_name="bench", language="ru")
    conn = open_workbook(path)
    try:
        fill_demo(conn, load_office(conn), today=TODAY)
    finally:
        conn.close()
    return path


def _note_writes(conn: sqlite3.Connection, tag: str) -> list[RowWrite]:
    """A note on every indicator value of every region and demo quarter (some rows new, most
    already holding a value): a national import's worth of texts."""
    pairs = conn.execute("SELECT indicator_code, disaggregation_code FROM "
                         "indicator_disaggregation").fetchall()
    regions = [r[0] for r in conn.execute("SELECT code FROM region ORDER BY code")]
    return [RowWrite("indicator_value", (region, period, code, dis),
                     {"note": f"примечание {tag} {region} {period} {code}"})
            for region in regions for period in demo_periods(TODAY) for code, dis in pairs]


def _without_triggers(path: Path) -> None:
    conn = sqlite3.connect(path)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                "name LIKE 'search_%'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.commit()
    conn.close()


def write_costs(folder: Path, source: Path) -> dict[str, float]:
    """Median seconds of the same bulk write of notes, indexed and not (fresh copies each run)."""
    copies = {"indexed": folder / "indexed.sqlite3", "plain": folder / "plain.sqlite3"}
    state: dict[str, sqlite3.Connection] = {}
    runs: dict[str, int] = {"indexed": 0, "plain": 0}

    def prepare(name: str) -> Callable[[], None]:
        def run() -> None:
            if name in state:
                state.pop(name).close()
            shutil.copy(source, copies[name])
            if name == "plain":
                _without_triggers(copies[name])
            state[name] = open_workbook(copies[name])
            runs[name] += 1
        return run

    def write(name: str) -> Callable[[], object]:
        return lambda: apply_writes(state[name], _note_writes(state[name], str(runs[name])),
                                    OpInfo(user="bench", source="cli"), check_lock=False)

    medians = interleaved({name: write(name) for name in copies},
                          before={name: prepare(name) for name in copies}, runs=3)
    for conn in state.values():
        conn.close()
    return medians


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = demo_center(folder)
        conn = open_workbook(path)
        docs = conn.execute("SELECT count(*) FROM search_doc").fetchone()[0]
        texts = conn.execute("SELECT count(*) FROM search_text").fetchone()[0]
        print(f"index of the demo center: {docs} texts in rows, {texts} distinct")
        for name, args in QUERIES.items():
            text = args["text"]
            found = search(conn, lang="ru", **args).total
            seconds = median_seconds(lambda args=args: search(conn, lang="ru", **args), runs=21)
            line = report(f"search {name} ({found} found)", seconds)
            print(f"{'':<48} goal <= {GOAL_MS} ms: "
                  f"{'met' if seconds * 1000 <= GOAL_MS else 'NOT met'}" if text else line)
        notes = len(_note_writes(conn, ""))
        conn.close()
        costs = write_costs(folder, path)
        report(f"{notes} indicator notes written, without the index", costs["plain"])
        report(f"{notes} indicator notes written, indexed", costs["indexed"], costs["plain"])


if __name__ == "__main__":
    main()
