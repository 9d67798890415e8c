"""Making a plan: read and check the whole file and work out the change it would make, writing
nothing. Every file is read and compared, whatever its `package_id`: a file's content decides."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from python_calamine import CalamineError

from db.errors import PlanMonitorError, UnreadableFile
from db.office import Office
from exports import xlsx_safety
from exports.importer.plan import ImportPlan, PlanContext, kind_handler
from exports.importer.reading import SheetPrefetch, file_sha256, open_book, state_token
from exports.xlsx_common import Cancelled, Progress


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
    except Exception as exc:  # noqa: BLE001 - whatever a file holds ends in its message
        plan.refused = UnreadableFile("xlsx.unexpected", file=path.name,
                                      detail=f"{type(exc).__name__}: {exc}"[:200])
    finally:
        if batch is not None:
            batch.read_ahead()
    return plan


def _plan(conn: sqlite3.Connection, plan: ImportPlan, office: Office, progress: Progress | None,
          sheets: SheetPrefetch | None, catalog: Callable[[sqlite3.Connection], Any] | None
          ) -> None:
    path = plan.path
    if sheets is None:
        xlsx_safety.check_container(path)
        sheets = SheetPrefetch(path)
    titles, meta, formulas = open_book(path)
    plan.sha256 = file_sha256(path)
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
    handler.plan(PlanContext(conn, office, plan, progress, titles, sheets.rows, formulas,
                             catalog_cache=catalog(conn) if catalog is not None else None))


def _check_source(conn: sqlite3.Connection, plan: ImportPlan) -> None:
    """The sender is the center or a region this workbook knows (the contract's `source`)."""
    source = str(plan.source)
    if source != "center" and not conn.execute("SELECT 1 FROM region WHERE code = ?",
                                               (source,)).fetchone():
        raise PlanMonitorError("xlsx.bad_meta", file=plan.file_name, key="source",
                               value=source[:80])
