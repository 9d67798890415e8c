"""Run every benchmark: `python -m bench` (or `make bench`); `python -m bench exchange` runs one."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench


def main(argv: list[str]) -> int:
    wanted = set(argv)
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        feature = info.name.removeprefix("bench_")
        if wanted and feature not in wanted:
            continue
        print(f"== {feature}")
        importlib.import_module(f"bench.{info.name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
