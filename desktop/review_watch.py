"""The center's decision on the selected region's period, kept current for the region's grids and
editor: whether the period is locked (accepted: db.ops would refuse every edit) and the remark on
each item. It reads the review again when the selection changes or a review file lands."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor

from db import review
from db.audit import OpChanges
from desktop.context import AppContext

REVIEW_TABLES = frozenset({"review", "review_remark"})
REMARK_BACKGROUND = QColor("#fff1c7")  # the row of a remarked item
REMARK_MARKER = QColor("#c98a00")  # a small square before its name


class ReviewWatch(QObject):
    changed = Signal()  # the lock or a remark changed

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.decision = self._read()
        # Connected before the owner's own slots, so a model reloading on the same signal
        # already sees the new decision.
        ctx.changed.connect(self._data_changed)
        ctx.selection_changed.connect(self.refresh)

    @property
    def locked(self) -> bool:
        return self.decision.locked

    def remark_for(self, kind: str, key: object) -> str:
        return self.decision.remarks.get((kind, str(key)), "")

    def refresh(self) -> None:
        fresh = self._read()
        if fresh != self.decision:
            self.decision = fresh
            self.changed.emit()

    def _read(self) -> review.Review:
        sel = self._ctx.selection
        if not sel.region or not sel.period:
            return review.Review(sel.region, sel.period)
        return review.get_review(self._ctx.conn, sel.region, sel.period)

    def _data_changed(self, changes: OpChanges) -> None:
        if changes.tables & REVIEW_TABLES:
            self.refresh()


def remark_tip(ctx: AppContext, remark: str, tip: str | None) -> str | None:
    """A cell's tooltip with the center's remark on its item first."""
    if not remark:
        return tip
    said = ctx.tr("ui.review.remark_tip", remark=remark)
    return f"{said}\n{tip}" if tip else said
