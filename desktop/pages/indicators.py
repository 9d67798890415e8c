"""Indicators page: the editable grid of indicator values (rows load as the view scrolls)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget

from desktop.context import AppContext
from desktop.models.indicators import (
    BASELINE,
    CODE,
    DISAGGREGATION,
    NAME,
    NOTE,
    PREVIOUS,
    TARGET,
    TREND,
    UNIT,
    VALUE,
    IndicatorModel,
)
from desktop.widgets.grid import grid_hint, make_grid
from desktop.widgets.review_banner import ReviewBanner

PAGE_KEY = "indicators"
TITLE_KEY = "ui.nav.indicators"
COLUMN_WIDTHS = {CODE: 70, NAME: 300, DISAGGREGATION: 130, UNIT: 110, PREVIOUS: 140, VALUE: 100,
                 TREND: 85, BASELINE: 120, TARGET: 120, NOTE: 200}


class IndicatorsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = IndicatorModel(ctx, self)
        self.heading = QLabel(self)
        self.heading.setObjectName("pageHeading")
        self.banner = ReviewBanner(ctx, self, self.model.review)  # the decision, or the lock
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.view = make_grid(self.model, self)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in COLUMN_WIDTHS.items():
            self.view.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.banner, self.hint, self.view):
            layout.addWidget(widget)
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        ctx.selection_changed.connect(self.retranslate)
        self.model.review.changed.connect(self.retranslate)  # locked or reopened: say so
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(f"<h2>{self.ctx.tr('uib.indicators.title')}</h2>")
        self.hint.setText(self.ctx.tr(grid_hint(self.model, "uib.indicators",
                                                self.ctx.office.is_center)))

    def focus_item(self, item: object) -> None:
        """Go to an indicator value: "CODE|disaggregation" (as the dashboard's missing list)."""
        code, _, disaggregation = str(item).partition("|")
        row = self.model.load_until(code, disaggregation or "total")
        if row is not None:
            index = self.model.index(row, VALUE)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
            self.view.setFocus()


def create_page(ctx: AppContext) -> QWidget:
    return IndicatorsPage(ctx)
