"""The "ДЕМО / DEMO" band above every page while the workbook holds any demo row, so sample
figures are never taken for a report. Hidden otherwise; it checks again after every change and
after a restore (the check reads one cached mark, see db.demo_rows)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from db.demo_rows import has_demo
from db.demo_workbook import is_demo_workbook
from desktop.context import AppContext

BAND_STYLE = ("QLabel#demoBand { background: #fff3cd; color: #7a4d00; font-weight: bold; "
              "border-bottom: 2px solid #e0a800; padding: 0.35em 0.8em; }")


class DemoBand(QLabel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("demoBand")
        self.setWordWrap(True)
        self.setStyleSheet(BAND_STYLE)
        ctx.changed.connect(lambda _changes: self.refresh())
        ctx.office_changed.connect(self.refresh)
        ctx.language_changed.connect(lambda _lang: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        shown = has_demo(self.ctx.conn)
        if shown:  # the demo workbook says it is one, and how to get back to the real one
            self.setText(self.ctx.tr("prints.demo.band" if is_demo_workbook(self.ctx.db_path)
                                     else "demo.band"))
        self.setVisible(shown)

    def around(self, page_stack: QWidget) -> QWidget:
        """A column holding this band above `page_stack`: every page gets it."""
        column = QWidget(self.parentWidget())
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.setParent(column)
        layout.addWidget(self)
        layout.addWidget(page_stack, 1)
        return column
