"""Timing helpers shared by the benchmarks: medians of whole runs, peak memory where useful."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], runs: int = 5, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(name: str, seconds: float, baseline: float | None = None, goal: float | None = None) -> str:
    line = f"{name:<48} {seconds * 1000:9.1f} ms"
    if baseline:
        ratio = seconds / baseline
        line += f"   {ratio:5.2f}x baseline"
        if goal is not None:
            line += f"  (goal <= {goal}x: {'met' if ratio <= goal else 'NOT met'})"
    print(line)
    return line
