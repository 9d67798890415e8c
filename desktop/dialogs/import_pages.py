"""The import wizard's pages after the file is chosen: what the file would change, its conflicts
side by side, and the apply with what happened. Reading and applying run off the UI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWizardPage,
)

from db.names import region_name
from desktop.context import AppContext
from desktop.dialogs.import_trust import TrustPanel
from desktop.dialogs.import_values import (
    CHOICE_KEYS,
    CHOICES,
    CONFLICTS_PAGE,
    FILE_COLUMN,
    KEPT_BACKGROUND,
    LOCAL_COLUMN,
    PREVIEW_ROWS,
    SUMMARY_PAGE,
    field_word,
    fill_table,
    fit_change_columns,
    fit_conflict_columns,
    read_only_table,
    shown_period,
    value_word,
)
from desktop.workers import Job, start_job
from exports.importer.batch import stale_warning
from resources.words import tr

# The pages' owner is desktop.dialogs.import_wizard.ImportWizard, which imports this module:
# it is not imported back (no cycle); the pages use its plan, path, names and choices.
ImportWizard = Any


# --- Page 2: what the file would change ----------------------------------------------------------

class PreviewPage(QWizardPage):
    def __init__(self, ctx: AppContext, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.ctx = ctx
        self.owner = wizard
        self.job: Job | None = None
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget(self)
        self.changes = read_only_table(self)
        self.conflicts = read_only_table(self)
        self.errors = read_only_table(self)
        for table in (self.changes, self.conflicts, self.errors):
            self.tabs.addTab(table, "")
        self.trust = TrustPanel(ctx, self)  # the trust step, when a person may vouch
        self.trust.changed.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.trust)
        layout.addWidget(self.tabs, 1)
        self.setCommitPage(False)

    def initializePage(self) -> None:
        self.owner.plan = None
        self.setTitle(self.ctx.tr("uib.import.preview_title"))
        self.setSubTitle(self.ctx.tr("uib.import.reading", file=self.owner.path().name))
        self.verdict.setText("")
        self.trust.show_for(None)
        for table in (self.changes, self.conflicts, self.errors):
            table.clear()
            table.setRowCount(0)
        self._name_tabs(None)
        path, office = self.owner.path(), self.ctx.office

        def plan(conn: Any, progress: Any) -> Any:
            from exports.importer import plan_import

            return plan_import(conn, path, office, progress=progress)

        self.job = start_job(self.ctx, self.ctx.tr("uib.import.reading", file=path.name), plan,
                             self)
        self.job.succeeded.connect(self._show_plan)
        self.job.failed.connect(self._show_failure)
        self.job.cancelled.connect(lambda: self._show_failure(self.ctx.tr("uib.job.cancelled")))

    def isComplete(self) -> bool:
        plan = self.owner.plan
        if plan is None or plan.errors:
            return False
        if plan.refused is not None:  # only a trust refusal the person vouched for
            return self.trust.confirmed
        return not plan.nothing_to_change

    def nextId(self) -> int:
        plan = self.owner.plan
        return CONFLICTS_PAGE if plan is not None and plan.conflicts else SUMMARY_PAGE

    def _show_plan(self, plan: Any) -> None:
        self.owner.plan = plan
        self.owner.learn_names(plan)
        lang = self.ctx.language
        self.setCommitPage(not plan.conflicts)
        self.setSubTitle(self.ctx.tr("uib.import.what_file", file=Path(plan.path).name,
                                     kind=self.ctx.tr(f"uib.import.kind.{plan.kind}")
                                     if plan.kind else "—",
                                     region=region_name(self.ctx.conn, plan.region, lang)
                                     or "—",
                                     period=shown_period(plan.period, lang)))
        self.trust.show_for(plan)
        self.verdict.setText(self._verdict(plan))
        self.verdict.setStyleSheet("" if plan.ok or self.trust.step else
                                   "QLabel { color: #8b1a1a; }")
        changed = plan.preview(PREVIEW_ROWS) if hasattr(plan, "preview") else []
        fill_table(self.changes, [self.ctx.tr(k) for k in ("uib.import.col.item",
                                                           "uib.import.col.field",
                                                           "uib.import.col.old",
                                                           "uib.import.col.new")],
                   [[self.owner.item_label(c), field_word(c.field, lang), value_word(c.field, c.old, lang),
                     value_word(c.field, c.new, lang)] for c in changed])
        fit_change_columns(self.changes)
        fill_table(self.conflicts, self.owner.conflict_headers(),
                   [self.owner.conflict_cells(c) for c in plan.conflicts])
        fill_table(self.errors, [self.ctx.tr(k) for k in ("uib.import.col.sheet",
                                                          "uib.import.col.row",
                                                          "uib.import.col.column",
                                                          "uib.import.col.problem")],
                   [[e.sheet, str(e.row or ""), e.column or "",
                     e.what(lang) if hasattr(e, "what") else e.message(lang)]
                    for e in plan.errors])
        self._name_tabs(plan)
        if plan.errors:
            self.tabs.setCurrentWidget(self.errors)
        elif plan.conflicts:
            self.tabs.setCurrentWidget(self.conflicts)
        self.completeChanged.emit()

    def _verdict(self, plan: Any) -> str:
        lang = self.ctx.language
        if plan.refused is not None and self.trust.step is None:
            return self.ctx.tr("uib.import.refused", reason=plan.refused.message(lang))
        if plan.errors:
            return self.ctx.tr("uib.import.has_errors",
                               count=len(plan.errors) + getattr(plan, "more_errors", 0))
        lines = []
        said = plan.signature.describe(lang) if plan.signature is not None else ""
        if said:
            lines.append(said)
        if plan.stale or plan.notice:
            lines.append(stale_warning(plan, lang))
        if plan.nothing_to_change:
            lines.append(tr("xlsx.nothing_to_change", lang, file=Path(plan.path).name))
        else:
            lines.append(self.ctx.tr("uib.import.counts", added=plan.added_count,
                                     changed=len(plan.changed), unchanged=plan.unchanged,
                                     conflicts=len(plan.conflicts)))
        shown = plan.added_count + len(plan.changed)
        if shown > PREVIEW_ROWS:
            lines.append(tr("cli.and_more", lang, count=shown - PREVIEW_ROWS))
        return "\n".join(lines)

    def _show_failure(self, message: str) -> None:
        self.owner.plan = None
        self.verdict.setText(self.ctx.tr("uib.import.refused", reason=message))
        self.verdict.setStyleSheet("QLabel { color: #8b1a1a; }")
        self.completeChanged.emit()

    def _name_tabs(self, plan: Any) -> None:
        counts = (0, 0, 0) if plan is None else (plan.added_count + len(plan.changed),
                                                 len(plan.conflicts), len(plan.errors))
        for i, (key, n) in enumerate(zip(("uib.import.tab.changes", "uib.import.tab.conflicts",
                                          "uib.import.tab.errors"), counts, strict=True)):
            self.tabs.setTabText(i, self.ctx.tr(key, count=n))


# --- Page 3: conflicts, side by side -------------------------------------------------------------

class ConflictsPage(QWizardPage):
    def __init__(self, ctx: AppContext, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.ctx = ctx
        self.owner = wizard
        self.table = read_only_table(self)
        self.take_all_file = QPushButton(self)
        self.keep_all_local = QPushButton(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.take_all_file)
        buttons.addWidget(self.keep_all_local)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.take_all_file.clicked.connect(lambda: self.choose_all("file"))
        self.keep_all_local.clicked.connect(lambda: self.choose_all("local"))
        self.setCommitPage(True)
        self.combos: dict[str, QComboBox] = {}

    def initializePage(self) -> None:
        self.setTitle(self.ctx.tr("uib.import.conflicts_title"))
        self.setSubTitle(self.ctx.tr("uib.import.conflicts_subtitle"))
        self.take_all_file.setText(self.ctx.tr("uib.import.take_all_file"))
        self.keep_all_local.setText(self.ctx.tr("uib.import.keep_all_local"))
        conflicts = self.owner.plan.conflicts
        headers = [*self.owner.conflict_headers(), self.ctx.tr("uib.import.col.choice")]
        fill_table(self.table, headers, [self.owner.conflict_cells(c) for c in conflicts])
        self.combos = {}
        for row, conflict in enumerate(conflicts):
            combo = QComboBox(self.table)
            for choice in CHOICES:
                combo.addItem(self.ctx.tr(CHOICE_KEYS[choice]), choice)
            chosen = self.owner.choices.get(conflict.id, "")
            combo.setCurrentIndex(CHOICES.index(chosen))
            combo.currentIndexChanged.connect(
                lambda _i, cid=conflict.id, box=combo: self._chosen(cid, box.currentData()))
            self.table.setCellWidget(row, len(headers) - 1, combo)
            self.combos[conflict.id] = combo
            self._mark_kept(row, chosen)
        fit_conflict_columns(self.table)

    def choose(self, conflict_id: str, choice: str) -> None:
        self.combos[conflict_id].setCurrentIndex(CHOICES.index(choice))

    def choose_all(self, choice: str) -> None:
        for conflict_id in self.combos:
            self.choose(conflict_id, choice)

    def _chosen(self, conflict_id: str, choice: str) -> None:
        if choice:
            self.owner.choices[conflict_id] = choice
        else:
            self.owner.choices.pop(conflict_id, None)
        self._mark_kept(list(self.combos).index(conflict_id), choice)
        self.completeChanged.emit()

    def _mark_kept(self, row: int, choice: str) -> None:
        """Tint the value that will stay, so the decision reads at a glance."""
        for column, side in ((LOCAL_COLUMN, "local"), (FILE_COLUMN, "file")):
            item = self.table.item(row, column)
            if item is not None:
                item.setBackground(KEPT_BACKGROUND if side == choice else QBrush())

    def isComplete(self) -> bool:
        plan = self.owner.plan
        return plan is not None and all(c.id in self.owner.choices for c in plan.conflicts)


# --- Page 4: apply and say what happened ---------------------------------------------------------

class SummaryPage(QWizardPage):
    def __init__(self, ctx: AppContext, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.ctx = ctx
        self.owner = wizard
        self.job: Job | None = None
        self.applied = False
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.setTitle(self.ctx.tr("uib.import.summary_title"))
        self.applied = False
        plan, user = self.owner.plan, self.ctx.office.user_name
        choices = {c.id: self.owner.choices[c.id] for c in plan.conflicts}
        vouched = self.owner.preview_page.trust.options()  # trust= / accept_unsigned
        self.text.setText(self.ctx.tr("uib.import.applying"))

        def apply(conn: Any, _progress: Any) -> Any:
            from exports.importer import apply_import

            return apply_import(conn, plan, user, choices=choices or None, **vouched)

        self.job = start_job(self.ctx, self.ctx.tr("uib.import.applying"), apply, self)
        self.job.succeeded.connect(self._done)
        self.job.failed.connect(self._failed)

    def isComplete(self) -> bool:
        return self.job is not None and self.job.done

    def _done(self, changes: Any) -> None:
        self.applied = True
        self.ctx.notify(changes)
        plan = self.owner.plan
        if changes:  # one step of the undo history: "Undo import of ret.xlsx"
            self.ctx.record_import(changes, Path(plan.path).name)
        # The same count as the preview's «Изменения (N)»: a conflict decided for the file's
        # value is counted once, among the conflicts resolved, not also among the values.
        taken = sum(1 for c in plan.conflicts if self.owner.choices.get(c.id) == "file")
        fields = max(0, len(changes.changes) - taken) if changes else 0
        self.text.setText(self.ctx.tr("uib.import.applied", file=Path(plan.path).name,
                                      fields=fields, conflicts=len(plan.conflicts)))
        self.ctx.status_message.emit(
            self.ctx.tr("prints.import.applied_with_conflicts", fields=fields,
                        conflicts=len(plan.conflicts)) if plan.conflicts
            else self.ctx.tr("uib.import.applied_short", fields=fields))
        self.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self.text.setText(self.ctx.tr("uib.import.refused", reason=message))
        self.text.setStyleSheet("QLabel { color: #8b1a1a; }")
        self.completeChanged.emit()
