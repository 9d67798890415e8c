"""Which catalog a workbook holds, and whether the seed shipped with this program is newer.

A workbook keeps the version of the catalog it was last given (`meta.catalog_version`). When a new
release corrects a name in `resources/catalog/`, it bumps the seed's `version`; opening an older
workbook then applies the seed once, audited, so existing workbooks get the correction too. A
catalog the ministry sent later (a higher version) is never overwritten by an older seed.

This module is read at every start, so it reads only the seed's version line, not the catalog.
"""

from __future__ import annotations

import re
import sqlite3

from db.office import get_meta
from resources.paths import resource_path

_VERSION_LINE = re.compile(r'^version\s*=\s*"([^"]*)"\s*(#.*)?$')


def seed_version() -> str:
    """The `version` of the seed catalog (a top-level key, before the first table)."""
    with resource_path("catalog", "catalog.toml").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("["):
                break
            found = _VERSION_LINE.match(line.strip())
            if found:
                return found.group(1)
    return ""


def version_key(version: str | None) -> tuple[int, ...] | None:
    """`2026.2` -> (2026, 2); None for a version that is not dot-separated numbers."""
    parts = (version or "").strip().split(".")
    if not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def seed_is_newer(conn: sqlite3.Connection) -> bool:
    """True when the shipped seed's version is above the workbook's (both must be numeric: an
    unreadable version never triggers a rewrite of the catalog)."""
    seed = version_key(seed_version())
    held = version_key(get_meta(conn, "catalog_version"))
    return seed is not None and held is not None and seed > held


def is_newer(version: str | None, held: str | None) -> bool:
    """Whether a catalog file's `version` is newer than the one a workbook holds: compared as
    numbers when both are dot-separated numbers, else newer only when different (the version of
    a catalog the ministry named by hand)."""
    mine, theirs = version_key(version), version_key(held)
    if mine is not None and theirs is not None:
        return mine > theirs
    return (version or "") != (held or "")


def next_version(held: str | None) -> str:
    """The version after `held`: its last number plus one (`2026.2` -> `2026.3`), or `.1`
    added to a version that is not numbers."""
    key = version_key(held)
    if key is None:
        return f"{held or '0'}.1"
    return ".".join(str(n) for n in (*key[:-1], key[-1] + 1))
