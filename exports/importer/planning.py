"""Making a plan: read and check the whole file and work out the change it would make, writing
nothing. Every file is read and compared, whatever its `package_id`: a file's content decides."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from python_calamine import CalamineError

from db.errors import InternalError, PlanMonitorError, UnreadableFile
from db.office import Office
from exports import xlsx_safety
from exports.importer.kinds import kind_handler
from exports.importer.plan import ImportPlan, PlanContext
from exports.importer.reading import SheetPrefetch, open_book, state_token, stray_errors
from exports.importer.trust import judge_trust
from exports.xlsx_common import Cancelled, Progress
from resources.files import sha256_file
from resources.logs import log_unexpected

log = logging.getLogger(__name__)


def plan_import(conn: sqlite3.Connection, path: Path, office: Office,
                progress: Progress | None = None, batch: Any = None) -> ImportPlan:
    """Read and validate the whole file and compute the change; writes nothing. A file that
    cannot be taken at all comes back with `refused` set, never an exception (but a cancel).
    `batch` (an ImportBatch) hands over the file's sheets when its reader read them ahead."""
    path = Path(path)
    plan = ImportPlan(path=path)
    try:
        sheets = batch.prefetched(path) if batch is not None else None
        _plan(conn, plan, office, progress, sheets,
              batch.catalog if batch is not None else None)
    except Cancelled:
        raise
    except CalamineError as exc:
        plan.refused = UnreadableFile("xlsx.damaged", file=path.name, detail=str(exc)[:200])
    except PlanMonitorError as exc:
        plan.refused = exc
    except OSError as exc:
        plan.refused = UnreadableFile("xlsx.unreadable", file=path.name,
                                      detail=exc.strerror or str(exc))
    except Exception as exc:  # noqa: BLE001 - the app's fault: logged, told as such
        log_unexpected(log, f"planning the import of {path.name}", exc)
        plan.refused = InternalError(path.name)
    finally:
        if batch is not None:
            batch.read_ahead(path)
    _log_plan(plan)
    return plan


def _log_plan(plan: ImportPlan) -> None:
    """The check's outcome, by the file's name and counts (a refusal by its key): never the
    values, which the log must not hold."""
    if plan.refused is not None:
        log.info("import of %s refused: %s", plan.file_name, plan.refused.key)
    else:
        log.info("import of %s checked: %s, %d errors, %d conflicts, changes: %s",
                 plan.file_name, plan.kind, len(plan.errors) + plan.more_errors,
                 len(plan.conflicts), "yes" if plan.has_changes else "no")


def _plan(conn: sqlite3.Connection, plan: ImportPlan, office: Office, progress: Progress | None,
          sheets: SheetPrefetch | None, catalog: Callable[[sqlite3.Connection], Any] | None
          ) -> None:
    path = plan.path
    if sheets is None:
        xlsx_safety.check_container(path)
        sheets = SheetPrefetch(path)
    try:  # judged before any sheet is parsed; a refusal stops the file's reader
        judged = sheets.judge()
        titles, meta = open_book(path)
        strays = stray_errors(path, judged)
    except BaseException:
        sheets.stop()
        raise
    if strays:
        sheets.stop()
    formulas = judged.formulas
    plan.sha256 = sha256_file(path)
    plan.meta = meta
    plan.kind = meta["kind"]
    plan.package_id = meta.get("package_id") or None
    plan.source = meta["source"]
    plan.exported_at = meta.get("exported_at") or None
    _check_source(conn, plan)
    handler = kind_handler(plan.kind)
    if handler is None:
        raise PlanMonitorError("xlsx.unknown_kind", file=path.name, kind=plan.kind)
    plan.state_token = state_token(conn)
    for error in strays:  # values outside the form: the file's errors, nothing else read
        plan.add_error(error)
    if strays:
        return
    ctx = PlanContext(conn, office, plan, progress, titles, sheets.rows, formulas,
                      catalog_cache=catalog(conn) if catalog is not None else None)
    handler.plan(ctx)
    judge_trust(ctx)


def _check_source(conn: sqlite3.Connection, plan: ImportPlan) -> None:
    """The sender is the center or a region this workbook knows (the contract's `source`)."""
    source = str(plan.source)
    if source != "center" and not conn.execute("SELECT 1 FROM region WHERE code = ?",
                                               (source,)).fetchone():
        raise PlanMonitorError("xlsx.bad_meta", file=plan.file_name, key="source",
                               value=source[:80])
