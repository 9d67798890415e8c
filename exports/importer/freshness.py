"""Whether a file is older than one already applied: a warning shown with its plan, never a
reason to skip it (its fields still go through the merge, where an old value over a newer one is
a conflict)."""

from __future__ import annotations

import sqlite3

from exports.importer.plan import ImportPlan
from exports.importer.reading import parse_when


def check_freshness(conn: sqlite3.Connection, plan: ImportPlan) -> None:
    """Mark the plan stale when a file of the same kind, sender, region and period written
    later was applied here already; say which."""
    mine = parse_when(plan.exported_at)
    if mine is None:
        return
    newest = None
    for text, name in conn.execute(
            "SELECT exported_at, file_name FROM exchange_log WHERE direction = 'import' "
            "AND kind = ? AND result IN ('applied', 'unchanged') AND source IS ? "
            "AND region_code IS ? AND period_code IS ?",
            (plan.kind, plan.source, plan.region, plan.period)):
        when = parse_when(text)
        if when is not None and when > mine and (newest is None or when > newest[0]):
            newest = (when, text, name)
    if newest is not None:
        plan.stale, plan.newer_exported_at, plan.newer_file = True, newest[1], newest[2]
