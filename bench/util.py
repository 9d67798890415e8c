"""Timing helpers shared by the benchmarks: medians of whole runs, peak memory where useful."""

from __future__ import annotations

import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def median_seconds(fn: Callable[[], object], runs: int = 5, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(steps: dict[str, Callable[[], object]],
                before: dict[str, Callable[[], object]] | None = None,
                runs: int = 5) -> dict[str, float]:
    """Median seconds of each step, the steps taking turns in every run so that they share the
    load of the (shared) machine alike; `before[name]` runs untimed ahead of that step."""
    before = before or {}
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(runs):
        for name, fn in steps.items():
            if name in before:
                before[name]()
            times[name].append(seconds(fn))
    return {name: statistics.median(values) for name, values in times.items()}


def report(name: str, seconds: float, baseline: float | None = None, goal: float | None = None) -> str:
    line = f"{name:<48} {seconds * 1000:9.1f} ms"
    if baseline:
        ratio = seconds / baseline
        line += f"   {ratio:5.2f}x baseline"
        if goal is not None:
            line += f"  (goal <= {goal}x: {'met' if ratio <= goal else 'NOT met'})"
    print(line)
    return line


def fresh_copy(source: Path, work: Path) -> None:
    """Make `work` a fresh copy of the workbook `source` (no WAL left over, no backups beside
    it), so each timed import starts from the same state."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copy(source, work)
    shutil.rmtree(work.parent / "backups", ignore_errors=True)
