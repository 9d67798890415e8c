"""Indicators grid: one row per indicator and disaggregation, with unit, baseline and target, the
previous period's value beside the current one (editable), the trend, note and source.

Rows arrive a page at a time as the view scrolls (canFetchMore / fetchMore), so a catalog with
100,000 indicator values opens at once; a change refreshes only the rows it touched."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from db import ops, queries
from db.audit import OpChanges
from desktop.context import AppContext
from desktop.models.editing import (
    GridModel,
    edit_text,
    format_number,
    parse_typed_number,
    run_edit,
)

(CODE, NAME, DISAGGREGATION, UNIT, PREVIOUS, VALUE, TREND, BASELINE, TARGET, NOTE,
 SOURCE) = range(11)
HEADER_KEYS = ("uib.indicators.code", "uib.indicators.name", "uib.indicators.disaggregation",
               "uib.indicators.unit", "uib.indicators.previous", "field.value",
               "uib.indicators.trend", "uib.indicators.baseline", "uib.indicators.target",
               "field.note", "field.source")
EDITABLE = {VALUE: "value", NOTE: "note", SOURCE: "source"}
CATALOG_TABLES = {"indicator", "indicator_disaggregation", "disaggregation"}
PAGE_INDICATORS = 100  # indicators per fetch; each brings all its disaggregations
TREND_ARROWS = {"up": "↑", "down": "↓", "flat": "→"}
BETTER, WORSE = QColor("#2e7d32"), QColor("#c62828")

RowKey = tuple[str, str]  # (indicator code, disaggregation code)
AnyIndex = QModelIndex | QPersistentModelIndex


class IndicatorModel(GridModel):
    HEADER_KEYS = HEADER_KEYS
    EDITABLE = EDITABLE
    REMARK_KIND = "indicator"
    MARKER_COLUMN = NAME

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(ctx, parent)
        self._rows: list[queries.IndicatorRow] = []
        self._where: dict[RowKey, int] = {}
        self._after: tuple[int, str] | None = None
        self._exhausted = True
        self.reload()
        ctx.changed.connect(self._on_changed)
        ctx.selection_changed.connect(self.reload)
        ctx.language_changed.connect(self._on_language)

    # --- what the view asks ----------------------------------------------------------------------
    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._append(self._next_page())

    def _next_page(self) -> list[queries.IndicatorRow]:
        if self._exhausted:
            return []
        sel = self._ctx.selection
        page = queries.indicator_rows_page(self._ctx.conn, sel.region, sel.period,
                                           self._ctx.language, after=self._after,
                                           indicators=PAGE_INDICATORS)
        self._after, self._exhausted = page.after, page.after is None
        return page.rows

    def _append(self, rows: list[queries.IndicatorRow]) -> None:
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        for offset, row in enumerate(rows):
            self._where[(row.code, row.disaggregation_code)] = first + offset
        self._rows.extend(rows)
        self.endInsertRows()

    # --- what the grid shows ---------------------------------------------------------------------
    def _row_key(self, row: queries.IndicatorRow) -> RowKey:
        return (row.code, row.disaggregation_code)

    def _remark_key(self, row: queries.IndicatorRow) -> str:
        return f"{row.code}|{row.disaggregation_code}"

    def _alignment(self, column: int) -> int | None:
        if column not in (BASELINE, TARGET, PREVIOUS, VALUE, TREND):
            return None
        horizontal = Qt.AlignmentFlag.AlignHCenter if column == TREND else \
            Qt.AlignmentFlag.AlignRight
        return int(horizontal | Qt.AlignmentFlag.AlignVCenter)

    def _save(self, row: queries.IndicatorRow, column: int, value: object) -> str | None:
        typed = parse_typed_number(value) if column == VALUE else str(value or "")
        sel = self._ctx.selection
        return run_edit(self._ctx, ops.update_indicator, sel.region, sel.period, row.code,
                        row.disaggregation_code, self._ctx.op_info(),
                        **{EDITABLE[column]: typed})

    # --- for the page ----------------------------------------------------------------------------
    def row_at(self, row: int) -> queries.IndicatorRow:
        return self._rows[row]

    def row_of(self, code: str, disaggregation: str) -> int | None:
        return self._where.get((code, disaggregation))

    def load_until(self, code: str, disaggregation: str) -> int | None:
        """The row of an indicator value, loading pages until it is there (one insert for all
        of them, so jumping far down stays quick); None when it is not in the grid."""
        pending: list[queries.IndicatorRow] = []
        while self.row_of(code, disaggregation) is None and not self._exhausted:
            page = self._next_page()
            pending.extend(page)
            if any(r.code == code and r.disaggregation_code == disaggregation for r in page):
                break
        self._append(pending)
        return self.row_of(code, disaggregation)

    # --- keeping up with the database ------------------------------------------------------------
    def reload(self) -> None:
        self.beginResetModel()
        self.refused.clear()
        self._rows, self._where = [], {}
        self._after, self._exhausted = None, not self._ctx.selection.region
        self.endResetModel()
        self.fetchMore()

    def _on_changed(self, changes: OpChanges) -> None:
        if changes.tables & CATALOG_TABLES:
            self.reload()
            return
        sel = self._ctx.selection
        codes = sorted({c.key[2] for c in changes.changes if c.table == "indicator_value"
                        and c.key[0] == sel.region and c.key[3:] and
                        (c.key[2], c.key[3]) in self._where})
        if codes:  # this period's values or the previous period's, shown beside them
            self._refresh(codes)

    def _refresh(self, codes: list[str]) -> None:
        sel = self._ctx.selection
        for start in range(0, len(codes), 500):
            for fresh in queries.indicator_rows_of(self._ctx.conn, sel.region, sel.period,
                                                   self._ctx.language, codes[start:start + 500]):
                position = self._where.get((fresh.code, fresh.disaggregation_code))
                if position is not None:
                    self._rows[position] = fresh
                    self._row_changed(position)

    def _on_language(self, _lang: str) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADER_KEYS) - 1)
        self.reload()

    # --- words and colours -----------------------------------------------------------------------
    def _display(self, row: queries.IndicatorRow, column: int) -> str:
        lang = self._ctx.language
        texts = {
            CODE: lambda: row.code,
            NAME: lambda: row.name,
            DISAGGREGATION: lambda: row.disaggregation,
            UNIT: lambda: self._ctx.tr(f"unit.{row.unit}"),
            BASELINE: lambda: self._with_year(row.baseline_value, row.baseline_year),
            TARGET: lambda: self._with_year(row.target_value, row.target_year),
            PREVIOUS: lambda: format_number(row.prev_value, lang),
            VALUE: lambda: format_number(row.value, lang),
            TREND: lambda: TREND_ARROWS.get(row.trend, ""),
            NOTE: lambda: row.note,
            SOURCE: lambda: row.source,
        }
        return texts[column]()

    def _edit_value(self, row: queries.IndicatorRow, column: int) -> str:
        if column == VALUE:
            return edit_text(row.value, self._ctx.language)
        if column == NOTE:
            return row.note
        if column == SOURCE:
            return row.source
        return self._display(row, column)

    def _with_year(self, value: float | None, year: int | None) -> str:
        if value is None:
            return ""
        text = format_number(value, self._ctx.language)
        return self._ctx.tr("uib.indicators.value_year", value=text, year=year) if year else text

    def _tooltip(self, row: queries.IndicatorRow, column: int) -> str | None:
        if column in (CODE, NAME):
            return row.name + "\n" + self._ctx.tr("uib.indicators.about", kind=self._ctx.tr(f"kind.{row.kind}"),
                                direction=self._ctx.tr(f"direction.{row.direction}"),
                                periodicity=self._ctx.tr(f"periodicity.{row.periodicity}"))
        if column in (DISAGGREGATION, UNIT, NOTE, SOURCE):
            return self._display(row, column) or None  # the whole text where the cell cuts it
        if column == TREND and row.improving is not None:
            return self._ctx.tr("uib.indicators.better" if row.improving
                                else "uib.indicators.worse")
        return None

    def _foreground(self, row: queries.IndicatorRow, column: int) -> QColor | None:
        """The trend green when it goes the indicator's better way, red when worse."""
        if column != TREND or row.improving is None:
            return None
        return BETTER if row.improving else WORSE
