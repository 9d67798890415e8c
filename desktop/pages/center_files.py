"""The center page's files: the returns it imports (many at once, each on its own, a line per
file in the summary) and the decision and consolidated workbooks it writes. A mixin of
desktop.pages.center.CenterPage, which holds the widgets these methods report into."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QLabel, QScrollArea

from db.audit import Change, OpChanges
from db.errors import PlanMonitorError
from db.office import load_office
from desktop.context import AppContext
from desktop.widgets.labels import OVERDUE_COLOUR
from desktop.workers import Job, start_job
from resources.words import tr


class CenterFiles:
    """Importing returns and writing workbooks, from the center page (see the module)."""

    ctx: AppContext
    job: Job | None
    import_result: QLabel
    import_scroll: QScrollArea
    accept_unsigned_box: Any  # a QCheckBox of the page

    def _ask_path(self, title_key: str, name: str) -> Path | None:
        from exports.xlsx_common import safe_file_name

        start = str(self.ctx.db_path.parent / safe_file_name(name))
        chosen, _ = QFileDialog.getSaveFileName(self, self.ctx.tr(title_key), start,
                                                "Excel (*.xlsx)")
        return Path(chosen) if chosen else None

    def export_decision_to(self, path: Path | None) -> Path | None:
        region, period = self.ctx.selection.region, self.ctx.selection.period
        path = path or self._ask_path("center.ui.export_decision",
                                      f"review_{region}_{period}.xlsx")
        def write(p: Path) -> Path:
            from exports.xlsx_review import export_review

            return export_review(self.ctx.conn, region, period, self.ctx.language, p)

        return self._write(path, write)

    def export_consolidated_to(self, path: Path | None) -> Job | None:
        """Write the consolidated workbook in a worker (a national one takes seconds)."""
        period, lang = self.ctx.selection.period, self.ctx.language
        path = path or self._ask_path("center.ui.export_consolidated",
                                      f"consolidated_{period}.xlsx")
        if path is None:
            return None

        def work(conn: sqlite3.Connection, progress: Callable[[int, int], bool]) -> Path:
            from exports.xlsx_consolidated import export_consolidated

            return export_consolidated(conn, period, lang, path, progress=progress)

        self.job = start_job(self.ctx, self.ctx.tr("center.ui.writing", file=path.name), work,
                             self)
        self.job.succeeded.connect(self._written)
        self.job.failed.connect(self._failed)
        return self.job

    def import_files(self, paths: list[Path] | None) -> Job | None:
        """Consolidation: check and apply many return files at once, each on its own; one bad
        file does not stop the others. The summary lists every file with its result. Unsigned
        or edited returns are taken only while the person's tick is set (issue 20)."""
        if paths is None:
            chosen, _ = QFileDialog.getOpenFileNames(self, self.ctx.tr("center.ui.import_returns"),
                                                     str(self.ctx.db_path.parent),
                                                     "Excel (*.xlsx)")
            paths = [Path(p) for p in chosen]
        if not paths:
            return None
        lang = self.ctx.language
        accept_unsigned = self.accept_unsigned_box.isChecked()

        def work(conn: sqlite3.Connection,
                 progress: Callable[[int, int], bool]) -> tuple[list[Outcome], OpChanges,
                                                                list[tuple[str, OpChanges]]]:
            from exports.importer import import_many

            changed = OpChanges()
            results = import_many(conn, paths, load_office(conn), lang=lang, progress=progress,
                                  accept_unsigned=accept_unsigned)
            for result in results:
                if result.changes:
                    changed.extend(result.changes)
            outcomes = [outcome_of(path, r, lang) for path, r in zip(paths, results, strict=True)]
            applied = [(path.name, r.changes) for path, r in zip(paths, results, strict=True)
                       if r.changes]
            return outcomes, changed, applied

        self.import_result.clear()
        self.import_scroll.hide()
        self.job = start_job(self.ctx, self.ctx.tr("center.ui.importing", count=len(paths)),
                             work, self)
        self.job.succeeded.connect(self._imported)
        self.job.failed.connect(self._failed)
        return self.job

    def _imported(self, result: tuple[list[Outcome], OpChanges,
                                      list[tuple[str, OpChanges]]]) -> None:
        outcomes, changed, applied = result
        self.last_import = outcomes
        for name, changes in applied:  # each applied file one step of the undo history
            self.ctx.record_import(changes, name)
        self.import_result.setText(import_summary_html(self.ctx, outcomes))
        self.import_scroll.show()
        changed.changes += [Change("exchange_log", (o.file,), "result", None, o.result)
                            for o in outcomes]
        self.ctx.notify(changed)

    def _written(self, path: Path) -> None:
        self.last_export = Path(path)
        message = self.ctx.tr("center.cli.exported", file=str(path))
        self.feedback.setText(message)
        self.ctx.status_message.emit(message)

    def _failed(self, message: str) -> None:
        self.feedback.setText(f"<span style='color:{OVERDUE_COLOUR}'>{escape(message)}</span>")

    def _write(self, path: Path | None, writer: Callable[[Path], Path]) -> Path | None:
        if path is None:
            return None
        try:
            written = writer(path)
        except PlanMonitorError as exc:
            self._failed(exc.message(self.ctx.language))
            return None
        self._written(written)
        return written


@dataclass(frozen=True)
class Outcome:
    """One imported file: its name, the import's result word and message."""

    file: str
    result: str  # applied | unchanged | refused | conflicts
    message: str
    stale: bool = False  # older than a file already applied (a warning; still merged)


def outcome_of(path: Path, result: Any, lang: str) -> Outcome:
    """A file's line in the summary: conflicts are resolved in the import wizard, not here."""
    message = result.message
    if result.result == "conflicts":
        message = tr("xlsx.conflicts_in_wizard", lang, count=len(result.plan.conflicts))
    return Outcome(path.name, result.result, " ".join(filter(None, (message, result.warning))),
                   bool(result.plan and result.plan.stale))


def import_summary_html(ctx: AppContext, outcomes: list[Outcome]) -> str:
    counts = Counter(o.result for o in outcomes)
    head = ctx.tr("center.ui.import_summary", files=len(outcomes),
                  applied=counts["applied"], unchanged=counts["unchanged"],
                  refused=counts["refused"], stale=sum(o.stale for o in outcomes),
                  conflicts=counts["conflicts"])
    lines = [f"<b>{escape(head)}</b>"]
    for o in outcomes:
        colour = OVERDUE_COLOUR if o.result in ("refused", "conflicts") else "#2e7d32"
        word = ctx.tr(f"xlsx.result.{o.result}")
        detail = f" — {escape(o.message)}" if o.message else ""
        lines.append(f"{escape(o.file)}: <span style='color:{colour}'>{escape(word)}</span>"
                     f"{detail}")
    return "<br>".join(lines)
