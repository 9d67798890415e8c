"""Applying a plan: one transaction (the changes and the exchange log), a backup first, audited
with the file's name and SHA-256; refused if anything was written since the plan was made."""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from db.audit import OpChanges, OpInfo, now_iso
from db.backup import automatic_backup
from db.connection import large_cache, transaction
from db.errors import InternalError, PlanMonitorError, ValidationFailed
from exports.importer.plan import KIND_HANDLERS, ImportPlan
from exports.importer.reading import state_token
from resources.logs import log_unexpected
from resources.words import tr

log = logging.getLogger(__name__)
Apply = TypeVar("Apply", bound=Callable[..., Any])


class BrokenAfterMerge(PlanMonitorError):
    """The rows as the chosen values would leave them break a rule (the file's women over the
    database's total, say): nothing was written; the message names the file and each rule."""

    def __init__(self, file: str, problems: list) -> None:
        super().__init__("xlsx.broken_after_merge", file=file, count=len(problems))
        self.file, self.problems = file, problems

    def message(self, lang: str | None = None) -> str:
        reasons = "; ".join(problem.message(lang) for problem in self.problems[:5])
        return tr(self.key, lang, file=self.file, reasons=reasons)


def chosen_from_file(plan: ImportPlan, take: str | None,
                     choices: dict[str, str] | None) -> set[str]:
    """The conflicts resolved for the file's value; raises while any is unresolved."""
    choices = dict(choices or {})
    if take in ("file", "local"):
        for conflict in plan.conflicts:
            choices.setdefault(conflict.id, take)
    unresolved = [c for c in plan.conflicts if choices.get(c.id) not in ("file", "local")]
    if unresolved:
        raise PlanMonitorError("xlsx.unresolved_conflicts", count=len(unresolved))
    return {c.id for c in plan.conflicts if choices[c.id] == "file"}


def database_path(conn: sqlite3.Connection) -> Path | None:
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


def logged_apply(apply: Apply) -> Apply:
    """Each apply's outcome goes to the log with the file's name (counts, never values). An
    unexpected exception while a plan (the second argument) is applied is the app's fault, not
    the file's: logged with its traceback and raised as InternalError. The transaction has
    rolled back, so nothing was changed; a refusal (PlanMonitorError) passes as it is."""

    @functools.wraps(apply)
    def guarded(conn: sqlite3.Connection, plan: ImportPlan, *args: Any, **kwargs: Any) -> Any:
        try:
            result = apply(conn, plan, *args, **kwargs)
        except PlanMonitorError as exc:
            log.info("import of %s not applied: %s", plan.file_name, exc.key)
            raise
        except Exception as exc:
            log_unexpected(log, f"applying the import of {plan.file_name}", exc)
            raise InternalError(plan.file_name) from exc
        log.info("import of %s applied: %d changes (operation %s)", plan.file_name,
                 len(result.changes), result.op_id)
        return result

    return guarded  # type: ignore[return-value]


@logged_apply
def apply_import(conn: sqlite3.Connection, plan: ImportPlan, user: str, take: str | None = None,
                 choices: dict[str, str] | None = None, batch: Any = None) -> OpChanges:
    """Apply a plan. Raises while anything is refused or a conflict unresolved. The backup is
    this apply's own unless `batch` (an ImportBatch) is given: then the batch's one backup."""
    if plan.refused is not None:
        raise plan.refused
    if plan.errors:
        raise PlanMonitorError("xlsx.has_errors", file=plan.file_name,
                               count=len(plan.errors) + plan.more_errors)
    take_file = chosen_from_file(plan, take, choices)
    info = OpInfo(user=user, source="import", file_name=plan.file_name,
                  file_sha256=plan.sha256,
                  description=f"{plan.kind} {plan.region or ''} {plan.period or ''}".strip())
    db_path = database_path(conn)
    if db_path is not None and (plan.has_changes or take_file):
        if batch is not None:
            batch.take_backup(conn, db_path)
        else:
            automatic_backup(conn, db_path, reason="before-import")
    with large_cache(conn), transaction(conn):
        if state_token(conn) != plan.state_token:  # checked under the write lock
            raise PlanMonitorError("xlsx.changed_since_preview", file=plan.file_name)
        try:
            result = KIND_HANDLERS[plan.kind].apply(conn, plan, info, take_file)
        except ValidationFailed as failed:  # a conflict taken from the file broke a rule
            raise BrokenAfterMerge(plan.file_name, failed.problems) from None
        if result or not (plan.stale or _logged_before(conn, plan)):
            _log_import(conn, plan, "applied" if result else "unchanged", result.op_id)
    return result


def _logged_before(conn: sqlite3.Connection, plan: ImportPlan) -> bool:
    """The very same file (by content) is in the log already. A file that changes nothing
    leaves no trace when it is such a repeat, or older than one applied (stale)."""
    return conn.execute("SELECT 1 FROM exchange_log WHERE direction = 'import' "
                        "AND file_sha256 = ?", (plan.sha256,)).fetchone() is not None


def _log_import(conn: sqlite3.Connection, plan: ImportPlan, result: str,
                op_id: int | None) -> None:
    conn.execute(
        "INSERT INTO exchange_log(direction, kind, package_id, source, region_code, period_code, "
        "exported_at, file_name, file_sha256, at, result, op_id) "
        "VALUES ('import', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (plan.kind, plan.package_id, plan.source, plan.region, plan.period, plan.exported_at,
         plan.file_name, plan.sha256, now_iso(), result, op_id))
