"""Gender representation grid: one row per decision-making body, women and total editable, the
women's share computed against the 30% target, the previous period beside the current."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from db import ops, queries, rules
from db.audit import OpChanges
from desktop.context import AppContext
from desktop.models.editing import (
    GridModel,
    edit_text,
    format_number,
    parse_typed_number,
    run_edit,
)

BODY, WOMEN, TOTAL, SHARE, GAP, PREVIOUS, NOTE = range(7)
HEADER_KEYS = ("uib.gender.body", "field.women", "field.total", "field.share", "uib.gender.gap",
               "uib.gender.previous", "field.note")
EDITABLE = {WOMEN: "women", TOTAL: "total", NOTE: "note"}
BELOW_TARGET = QColor("#b35c00")
AT_TARGET = QColor("#2e7d32")


class GenderModel(GridModel):
    HEADER_KEYS = HEADER_KEYS
    EDITABLE = EDITABLE
    REMARK_KIND = "gender"
    MARKER_COLUMN = BODY

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(ctx, parent)
        self._rows: list[queries.GenderRow] = []
        self.reload()
        ctx.changed.connect(self._on_changed)
        ctx.selection_changed.connect(self.reload)
        ctx.language_changed.connect(self._on_language)

    # --- what the grid shows ---------------------------------------------------------------------
    def _row_key(self, row: queries.GenderRow) -> str:
        return row.body_code

    def _header_text(self, section: int) -> str:
        return self._ctx.tr(HEADER_KEYS[section], target=self._target_text())

    def _header_tip(self, section: int) -> str | None:
        return self._ctx.tr("uib.gender.gap_tip", target=self._target_text()) \
            if section == GAP else None

    def _tooltip(self, row: queries.GenderRow, column: int) -> str | None:
        return f"{row.name}\n{row.description}".strip() if column == BODY else None

    def _alignment(self, column: int) -> int | None:
        if column in (BODY, NOTE):
            return None
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _save(self, row: queries.GenderRow, column: int, value: object) -> str | None:
        typed = str(value or "") if column == NOTE else parse_typed_number(value)
        region, period = self._ctx.selection.region, self._ctx.selection.period
        return run_edit(self._ctx, ops.update_gender, region, period, row.body_code,
                        self._ctx.op_info(), **{EDITABLE[column]: typed})

    # --- things the page shows around the grid ---------------------------------------------------
    def rows(self) -> list[queries.GenderRow]:
        return list(self._rows)

    def totals(self) -> tuple[int, int, float | None]:
        women, total = queries.gender_totals(self._rows)
        return women, total, rules.share_percent(women, total)

    # --- keeping up with the database ------------------------------------------------------------
    def reload(self) -> None:
        self.beginResetModel()
        self.refused.clear()
        self._rows = self._query()
        self.endResetModel()

    def _query(self) -> list[queries.GenderRow]:
        region, period = self._ctx.selection.region, self._ctx.selection.period
        if not region:
            return []
        return queries.gender_rows(self._ctx.conn, region, period, self._ctx.language)

    def _on_changed(self, changes: OpChanges) -> None:
        if not changes.tables & {"gender_figure", "gender_body"}:
            return
        fresh = self._query()
        if [r.body_code for r in fresh] != [r.body_code for r in self._rows]:
            self.reload()
            return
        self._rows = fresh
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, NOTE))

    def _on_language(self, _lang: str) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADER_KEYS) - 1)
        self.reload()

    # --- words and colours -----------------------------------------------------------------------
    def _target_text(self) -> str:
        return format_number(rules.GENDER_TARGET_PERCENT, self._ctx.language)

    def _display(self, row: queries.GenderRow, column: int) -> str:
        lang = self._ctx.language
        if column == BODY:
            return row.name
        if column == WOMEN:
            return format_number(row.women, lang)
        if column == TOTAL:
            return format_number(row.total, lang)
        if column == SHARE:  # one figure without the other: said so, never a share of 0 %
            return (self._ctx.tr("gender_incomplete.cell") if row.incomplete
                    else format_number(row.share, lang))
        if column == GAP:
            return self._gap_text(row.share)
        if column == PREVIOUS:
            return self._previous_text(row)
        return row.note

    def _edit_value(self, row: queries.GenderRow, column: int) -> str:
        if column == WOMEN:
            return edit_text(row.women, self._ctx.language)
        if column == TOTAL:
            return edit_text(row.total, self._ctx.language)
        if column == NOTE:
            return row.note
        return self._display(row, column)

    def _gap_text(self, share: float | None) -> str:
        if share is None:
            return ""
        gap = round(share - rules.GENDER_TARGET_PERCENT, 1)
        sign = "+" if gap > 0 else ("−" if gap < 0 else "")
        return self._ctx.tr("uib.gender.points", value=sign + format_number(abs(gap),
                                                                            self._ctx.language))

    def _previous_text(self, row: queries.GenderRow) -> str:
        if row.prev_total is None and row.prev_women is None:
            return ""
        lang = self._ctx.language
        share = format_number(row.prev_share, lang)
        return self._ctx.tr("uib.gender.previous_value", women=format_number(row.prev_women, lang),
                            total=format_number(row.prev_total, lang), share=share or "—")

    def _foreground(self, row: queries.GenderRow, column: int) -> QColor | None:
        """The share and the gap green at or above the target, amber below it."""
        if column not in (SHARE, GAP) or row.share is None:
            return None
        return AT_TARGET if row.share >= rules.GENDER_TARGET_PERCENT else BELOW_TARGET
