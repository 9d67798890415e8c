"""The center's review of a region's return for one period: accepted, returned with remarks, or
reopened. An accepted period is locked (db.ops refuses edits to it) until the center reopens it.

The center changes a review with `accept`, `return_with_remarks` and `reopen`; a region receives
the center's decision as a file and stores it with `receive_review`. Every change is one
transaction, audited (source "review"), and bumps the review's `revision`, which the review file
carries so a region can tell a newer decision from an older one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from db import rules, validation
from db.audit import Change, OpChanges, OpInfo, begin_operation, now_iso, record
from db.connection import transaction
from db.errors import PlanMonitorError, ValidationFailed
from db.periods import ensure_period, parse_period
from db.queries import col
from resources.words import tr

STATES = ("submitted", "accepted", "returned", "reopened")
ITEM_KINDS = ("action", "gender", "indicator")
# Which states each decision may start from (None: never reviewed).
ALLOWED_FROM: dict[str, tuple[str | None, ...]] = {
    "accepted": (None, "submitted", "returned", "reopened", "accepted"),
    "returned": (None, "submitted", "returned", "reopened"),
    "reopened": ("accepted", "reopened"),
}

ItemRef = tuple[str, str]  # (item_kind, item_key): ("action", "5"), ("indicator", "IND-01|total")


@dataclass
class Review:
    region: str
    period: str
    state: str | None = None
    remark: str = ""
    revision: int = 0
    updated_at: str | None = None
    updated_by: str = ""
    remarks: dict[ItemRef, str] = field(default_factory=dict)

    @property
    def locked(self) -> bool:
        return self.state == "accepted"


def get_review(conn: sqlite3.Connection, region: str, period: str) -> Review:
    """The review of a region's period; state None when the center has not decided anything."""
    row = conn.execute("SELECT state, remark, revision, updated_at, updated_by FROM review "
                       "WHERE region_code = ? AND period_code = ?", (region, period)).fetchone()
    if row is None:
        return Review(region, period)
    remarks = {(k, key): text for k, key, text in conn.execute(
        "SELECT item_kind, item_key, remark FROM review_remark WHERE region_code = ? AND "
        "period_code = ? ORDER BY item_kind, item_key", (region, period))}
    return Review(region, period, row[0], row[1], row[2], row[3], row[4], remarks)


def reviews(conn: sqlite3.Connection, period: str | None = None) -> dict[tuple[str, str], Review]:
    """Every stored review (of one period when given), keyed by (region, period); no remarks."""
    sql = "SELECT region_code, period_code, state, remark, revision, updated_at, updated_by FROM review"
    args: tuple = ()
    if period:
        sql, args = sql + " WHERE period_code = ?", (period,)
    return {(r[0], r[1]): Review(*r) for r in conn.execute(sql, args)}


def is_locked(conn: sqlite3.Connection, region: str, period: str) -> bool:
    row = conn.execute("SELECT state FROM review WHERE region_code = ? AND period_code = ?",
                       (region, period)).fetchone()
    return bool(row) and row[0] == "accepted"


def item_label(conn: sqlite3.Connection, item: ItemRef, lang: str) -> str:
    """A person's name for a reviewed item: "5. Name", a body's or an indicator's name."""
    kind, key = item
    if kind == "action":
        row = conn.execute(f"SELECT {col('name', lang)} FROM action WHERE no = ?",
                           (int(key) if key.isdigit() else -1,)).fetchone()
        return f"{key}. {row[0]}" if row else key
    if kind == "gender":
        row = conn.execute(f"SELECT {col('name', lang)} FROM gender_body WHERE code = ?",
                           (key,)).fetchone()
        return row[0] if row else key
    code, _, disaggregation = key.partition("|")
    row = conn.execute(
        f"SELECT i.{col('name', lang)}, d.{col('name', lang)} FROM indicator i, "
        "disaggregation d WHERE i.code = ? AND d.code = ?", (code, disaggregation)).fetchone()
    return f"{code} {row[0]} ({row[1]})" if row else key


def reviewable_items(conn: sqlite3.Connection, lang: str) -> list[tuple[ItemRef, str]]:
    """Every item a remark can be made on, in catalog order, with its label."""
    items: list[tuple[ItemRef, str]] = [
        (("action", str(no)), f"{no}. {name}") for no, name in conn.execute(
            f"SELECT no, {col('name', lang)} FROM action ORDER BY no")]
    items += [(("gender", code), name) for code, name in conn.execute(
        f"SELECT code, {col('name', lang)} FROM gender_body ORDER BY ord")]
    items += [(("indicator", f"{code}|{dis}"), f"{code} {name} ({dis_name})")
              for code, dis, name, dis_name in conn.execute(
                  f"SELECT i.code, d.code, i.{col('name', lang)}, d.{col('name', lang)} "
                  "FROM indicator i JOIN indicator_disaggregation x ON x.indicator_code = i.code "
                  "JOIN disaggregation d ON d.code = x.disaggregation_code ORDER BY i.ord, x.ord")]
    return items


def reported_value(conn: sqlite3.Connection, region: str, period: str, item: ItemRef,
                   lang: str) -> str:
    """What the center holds for the item, in a few words, so the region sees what was meant."""
    kind, key = item
    if kind == "action":
        row = conn.execute("SELECT status, progress_note FROM action_report WHERE region_code = ? "
                           "AND period_code = ? AND action_no = ?",
                           (region, period, int(key))).fetchone()
        if row is None:
            return tr("center.not_reported", lang)
        note = f"; {row['progress_note'][:200]}" if row["progress_note"] else ""
        return f"{rules.status_label(row['status'], lang)}{note}"
    if kind == "gender":
        row = conn.execute("SELECT women, total FROM gender_figure WHERE region_code = ? AND "
                           "period_code = ? AND body_code = ?", (region, period, key)).fetchone()
        if row is None:
            return tr("center.not_reported", lang)
        return f"{_figure_text(row['women'])} / {_figure_text(row['total'])}"
    code, _, disaggregation = key.partition("|")
    row = conn.execute("SELECT value FROM indicator_value WHERE region_code = ? AND period_code = ? "
                       "AND indicator_code = ? AND disaggregation_code = ?",
                       (region, period, code, disaggregation)).fetchone()
    return tr("center.not_reported", lang) if row is None or row[0] is None else _figure_text(row[0])


def _figure_text(value: Any) -> str:
    """A stored figure as people write it: 12, not 12.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def has_figures(conn: sqlite3.Connection, region: str, period: str) -> bool:
    """Whether the region reported anything for the period (rows left empty do not count)."""
    return any(conn.execute(f"SELECT 1 FROM {table} WHERE region_code = ? AND period_code = ? "
                            f"AND {rules.holds_values_sql(table)} LIMIT 1",
                            (region, period)).fetchone()
               for table in ("action_report", "gender_figure", "indicator_value"))


# --- Checks --------------------------------------------------------------------------------------

def _check_region(conn: sqlite3.Connection, region: str) -> None:
    if not conn.execute("SELECT 1 FROM region WHERE code = ?", (region,)).fetchone():
        raise PlanMonitorError("error.unknown_region", region=region)


def item_exists(conn: sqlite3.Connection, item: ItemRef) -> bool:
    kind, key = item
    if kind == "action":
        return key.isdigit() and bool(conn.execute(
            "SELECT 1 FROM action WHERE no = ?", (int(key),)).fetchone())
    if kind == "gender":
        return bool(conn.execute("SELECT 1 FROM gender_body WHERE code = ?", (key,)).fetchone())
    if kind == "indicator":
        code, _, disaggregation = key.partition("|")
        return bool(conn.execute(
            "SELECT 1 FROM indicator_disaggregation WHERE indicator_code = ? AND "
            "disaggregation_code = ?", (code, disaggregation)).fetchone())
    return False


def _check_remarks(conn: sqlite3.Connection, remark: str,
                   remarks: Mapping[ItemRef, str]) -> dict[ItemRef, str]:
    problems = validation.text_problems("remark", remark)
    clean: dict[ItemRef, str] = {}
    for item, text in remarks.items():
        problems += validation.text_problems("remark", text)
        if item[0] not in ITEM_KINDS or not item_exists(conn, item):
            raise PlanMonitorError("center.review.unknown_item", kind=item[0], item=item[1])
        if isinstance(text, str) and text.strip():
            clean[(item[0], str(item[1]))] = text.strip()
    if problems:
        raise ValidationFailed(problems)
    return clean


def _check_transition(current: str | None, new: str, region: str, period: str) -> None:
    if current not in ALLOWED_FROM[new]:
        raise PlanMonitorError(f"center.review.cannot_{new}", region=region, period=period)


# --- Writing -------------------------------------------------------------------------------------

def _review_changes(old: Review, state: str, remark: str) -> list[Change]:
    key = (old.region, old.period)
    before_remark = old.remark if old.state else ""
    return [Change("review", key, name, before, after) for name, before, after in
            (("state", old.state, state), ("remark", before_remark, remark)) if before != after]


def _upsert_review(conn: sqlite3.Connection, region: str, period: str, state: str, remark: str,
                   revision: int, user: str) -> None:
    ensure_period(conn, period)
    conn.execute(
        "INSERT INTO review(region_code, period_code, state, remark, revision, updated_at, "
        "updated_by) VALUES (?,?,?,?,?,?,?) ON CONFLICT(region_code, period_code) DO UPDATE SET "
        "state = excluded.state, remark = excluded.remark, revision = excluded.revision, "
        "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        (region, period, state, remark, revision, now_iso(), user))


def _write_remarks(conn: sqlite3.Connection, old: Review,
                   remarks: Mapping[ItemRef, str]) -> list[Change]:
    changes = []
    for item in sorted(set(old.remarks) | set(remarks)):
        before, after = old.remarks.get(item), remarks.get(item)
        if before == after:
            continue
        key = (old.region, old.period, *item)
        if after is None:
            conn.execute("DELETE FROM review_remark WHERE region_code = ? AND period_code = ? "
                         "AND item_kind = ? AND item_key = ?", key)
        else:
            conn.execute("INSERT INTO review_remark(region_code, period_code, item_kind, item_key, "
                         "remark) VALUES (?,?,?,?,?) ON CONFLICT DO UPDATE SET "
                         "remark = excluded.remark", (*key, after))
        changes.append(Change("review_remark", key, "remark", before, after))
    return changes


def _set_review(conn: sqlite3.Connection, region: str, period: str, state: str, remark: str,
                remarks: Mapping[ItemRef, str], info: OpInfo,
                revision: int | None = None, decided_by: str | None = None) -> OpChanges:
    """Store a decision in one audited transaction; `revision` None means "the next one". The
    same decision again records nothing."""
    result = OpChanges()
    with transaction(conn):
        old = get_review(conn, region, period)
        if state != "returned":
            remarks = {}
        changes = _review_changes(old, state, remark)
        if revision is None and not changes and dict(remarks) == old.remarks:
            return result
        _upsert_review(conn, region, period, state, remark,
                       old.revision + 1 if revision is None else revision,
                       info.user if decided_by is None else decided_by)
        if revision is not None and revision != old.revision:
            changes.append(Change("review", (region, period), "revision", old.revision, revision))
        changes += _write_remarks(conn, old, remarks)
        op_id = begin_operation(conn, info)
        record(conn, op_id, changes)
        result.op_id, result.changes = op_id, changes
    return result


def _decide(conn: sqlite3.Connection, region: str, period: str, state: str, info: OpInfo,
            remark: str = "", remarks: Mapping[ItemRef, str] | None = None) -> OpChanges:
    period = parse_period(period).code
    _check_region(conn, region)
    clean = _check_remarks(conn, remark or "", remarks or {})
    with transaction(conn):
        _check_transition(get_review(conn, region, period).state, state, region, period)
        if state == "accepted" and not has_figures(conn, region, period):
            raise PlanMonitorError("center.review.nothing_reported", region=region, period=period)
        return _set_review(conn, region, period, state, (remark or "").strip(), clean, info)


def accept(conn: sqlite3.Connection, region: str, period: str, info: OpInfo,
           remark: str = "") -> OpChanges:
    """Accept a region's return: the period locks; remarks on items are cleared."""
    return _decide(conn, region, period, "accepted", info, remark)


def return_with_remarks(conn: sqlite3.Connection, region: str, period: str, info: OpInfo,
                        remark: str = "", remarks: Mapping[ItemRef, str] | None = None) -> OpChanges:
    """Return a region's return for correction, with a general remark and remarks per item
    (the given set replaces the previous one). A return needs at least one remark."""
    if not (remark or "").strip() and not any((t or "").strip() for t in (remarks or {}).values()):
        raise PlanMonitorError("center.review.return_needs_remark", region=region, period=period)
    return _decide(conn, region, period, "returned", info, remark, remarks)


def reopen(conn: sqlite3.Connection, region: str, period: str, info: OpInfo,
           remark: str = "") -> OpChanges:
    """Unlock an accepted period so the region can correct it."""
    return _decide(conn, region, period, "reopened", info, remark)


def receive_review(conn: sqlite3.Connection, decision: Review, info: OpInfo) -> OpChanges:
    """A region stores the center's decision from a review file exactly as the center made it
    (same state, remarks and revision). A decision older than the stored one is refused as stale;
    the same decision again changes nothing."""
    if decision.state not in STATES:
        raise PlanMonitorError("center.review.bad_state", state=decision.state or "-")
    period = parse_period(decision.period).code
    _check_region(conn, decision.region)
    clean = _check_remarks(conn, decision.remark, decision.remarks)
    with transaction(conn):
        stored = get_review(conn, decision.region, period)
        if decision.revision < stored.revision:
            raise PlanMonitorError("center.review.stale", region=decision.region, period=period,
                                   revision=decision.revision, stored=stored.revision)
        if (decision.revision == stored.revision and decision.state == stored.state
                and decision.remark == stored.remark and clean == stored.remarks):
            return OpChanges()
        return _set_review(conn, decision.region, period, decision.state, decision.remark, clean,
                           info, revision=max(decision.revision, 1),
                           decided_by=decision.updated_by or info.user)


def review_history(conn: sqlite3.Connection, region: str, period: str) -> list[dict[str, Any]]:
    """Every audited review change of a region's period, newest first."""
    rows = conn.execute(
        "SELECT o.at, o.user, o.file_name, a.tbl, a.key, a.field, a.old_value, a.new_value "
        "FROM audit a JOIN operation o ON o.id = a.op_id WHERE a.tbl IN ('review', "
        "'review_remark') AND (a.key = ? OR a.key LIKE ?) ORDER BY a.id DESC",
        (f"{region}|{period}", f"{region}|{period}|%")).fetchall()
    names = ("at", "user", "file_name", "table", "key", "field", "old", "new")
    return [dict(zip(names, r, strict=True)) for r in rows]
