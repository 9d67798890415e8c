"""The center's decision on a region's return, shown on the region's own pages."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from db import review
from db.names import period_name
from desktop.context import AppContext
from desktop.review_watch import ReviewWatch
from desktop.widgets.labels import OVERDUE_COLOUR
from resources import formatting

MAX_REMARKS_SHOWN = 5  # a long list would push the grid off the page
STATE_COLOURS = {"accepted": "#2e7d32", "returned": OVERDUE_COLOUR, "reopened": "#c98a00",
                 "resubmitted": "#1f5f99", "submitted": "#1f5f99"}


class ReviewBanner(QLabel):
    """The center's decision on the selected region's return for the selected period, for the
    region's own pages: "accepted, locked", or "returned" with every remark beside its item.
    Hidden while there is no decision. Pages put it above their grid; `locked` tells a model to
    stop offering edits that db.ops would refuse."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 watch: ReviewWatch | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("reviewBanner")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        # The page's model already follows the decision: share its watch (one read per change).
        self.watch = watch or ReviewWatch(ctx, self)
        self.watch.changed.connect(self._render)
        ctx.language_changed.connect(lambda _lang: self._render())
        self._render()

    @property
    def decision(self) -> review.Review:
        return self.watch.decision

    @property
    def locked(self) -> bool:
        return self.watch.locked

    def remark_for(self, kind: str, key: str) -> str:
        return self.watch.remark_for(kind, key)

    def refresh(self) -> None:
        """Read the decision again (the watch re-renders the banner when it changed)."""
        self.watch.refresh()

    def _render(self) -> None:
        decision = self.watch.decision
        self.setVisible(decision.state is not None)
        if decision.state is None:
            self.clear()
            return
        self.setText(banner_html(self.ctx, decision))
        colour = STATE_COLOURS.get(decision.state, "#1f5f99")
        self.setStyleSheet(f"QLabel#reviewBanner {{ border-left: 4px solid {colour}; "
                           "padding: 6px 10px; background: #f7f7f9; }")


def banner_html(ctx: AppContext, decision: review.Review) -> str:
    """The decision in a few lines of rich text, in the context's language."""
    lang = ctx.language
    headline = ctx.tr(f"center.ui.banner_{decision.state}",
                      at=formatting.date(decision.updated_at, lang),
                      period=period_name(decision.period, lang))
    lines = [f"<b>{escape(headline)}</b>"]
    if decision.remark:
        lines.append(escape(ctx.tr("center.xlsx.review_remark", remark=decision.remark)))
    items = list(decision.remarks.items())
    for item, text in items[:MAX_REMARKS_SHOWN]:
        label = review.item_label(ctx.conn, item, lang)
        lines.append(f"• {escape(label)}: <i>{escape(text)}</i>")
    if len(items) > MAX_REMARKS_SHOWN:  # the rest are marked beside their items in the lists
        lines.append(escape(ctx.tr("ui.review.more_remarks",
                                   count=len(items) - MAX_REMARKS_SHOWN)))
    return "<br>".join(lines)
