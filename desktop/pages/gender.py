"""Gender representation page: the editable grid of women and totals per body, with the overall
share against the 30% target. Every edit is saved at once through db.ops."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget

from db import queries, rules
from desktop.context import AppContext
from desktop.models.editing import format_number
from desktop.models.gender import BODY, NOTE, WOMEN, GenderModel
from desktop.widgets.grid import grid_hint, make_grid
from desktop.widgets.review_banner import ReviewBanner

PAGE_KEY = "gender"
TITLE_KEY = "ui.nav.gender"

class GenderPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = GenderModel(ctx, self)
        self.heading = QLabel(self)
        self.heading.setObjectName("pageHeading")
        self.banner = ReviewBanner(ctx, self, self.model.review)  # the decision, or the lock
        self.summary = QLabel(self)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.view = make_grid(self.model, self)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # ten rows: cheap
        header.setSectionResizeMode(BODY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(NOTE, 220)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.banner, self.summary, self.hint, self.view):
            layout.addWidget(widget)
        ctx.changed.connect(lambda _changes: self.refresh_summary())
        ctx.selection_changed.connect(self.refresh_summary)
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        self.model.review.changed.connect(self.retranslate)  # locked or reopened: say so
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(f"<h2>{self.ctx.tr('uib.gender.title')}</h2>")
        self.hint.setText(self.ctx.tr(grid_hint(self.model, "uib.gender",
                                                self.ctx.office.is_center)))
        self.refresh_summary()

    def refresh_summary(self) -> None:
        women, total, share = self.model.totals()
        lang = self.ctx.language
        target = rules.GENDER_TARGET_PERCENT
        incomplete = queries.incomplete_bodies(self.model.rows())
        note = (" " + self.ctx.tr("gender_incomplete.note", count=incomplete)
                if incomplete else "")
        if share is None:
            self.summary.setText(self.ctx.tr("uib.gender.summary_empty",
                                             target=format_number(target, lang)) + note)
            return
        key = "uib.gender.summary_met" if share >= target else "uib.gender.summary_below"
        self.summary.setText(self.ctx.tr(key, women=format_number(women, lang),
                                         total=format_number(total, lang),
                                         share=format_number(share, lang),
                                         target=format_number(target, lang)) + note)

    def focus_item(self, item: object) -> None:
        """Go to a body's row (the dashboard's missing list gives the body code)."""
        for row, figures in enumerate(self.model.rows()):
            if figures.body_code == str(item):
                index = self.model.index(row, WOMEN)
                self.view.setCurrentIndex(index)
                self.view.scrollTo(index)
                self.view.setFocus()
                return


def create_page(ctx: AppContext) -> QWidget:
    return GenderPage(ctx)
