"""The search box (Ctrl+K from any page): words typed are looked up in every region's and
period's measures, evidence, notes and remarks (db.search) as the person types; results are listed
by item (an action, a body, an indicator, a review) and region, best first, and activating one
opens its page at that region, period and row."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import PlanMonitorError
from db.names import period_name
from db.search import PAGE_OF_KIND, Hit, SearchResult, search, snippet
from desktop.context import AppContext

TYPING_PAUSE_MS = 150  # search once the person pauses, not at every key
HIT_ROLE = Qt.ItemDataRole.UserRole


def marked(text: str, words: list[str]) -> str:
    """The excerpt with the matched words in «», as the command line shows them."""
    excerpt, spans = snippet(text, words)
    for start, end in reversed(spans):
        excerpt = f"{excerpt[:start]}«{excerpt[start:end]}»{excerpt[end:]}"
    return excerpt


class SearchDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("searchDialog")
        self.resize(900, 560)
        self.field = QLineEdit(self)
        self.field.setObjectName("searchField")
        self.field.setClearButtonEnabled(True)
        self.this_period = QCheckBox(self)
        self.this_region = QCheckBox(self)
        self.this_region.setVisible(ctx.office.is_center)
        self.results = QTreeWidget(self)
        self.results.setObjectName("searchResults")
        self.results.setHeaderHidden(True)
        self.results.setWordWrap(True)
        self.results.setUniformRowHeights(False)
        self.count = QLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                        | QDialogButtonBox.StandardButton.Close, self)
        self._layout()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(TYPING_PAUSE_MS)
        self.timer.timeout.connect(self.run)
        self.field.textChanged.connect(lambda _text: self.timer.start())
        self.field.returnPressed.connect(self._enter)
        for box in (self.this_period, self.this_region):
            box.toggled.connect(lambda _on: self.run())
        self.results.itemActivated.connect(lambda item, _col: self.open_item(item))
        self.buttons.accepted.connect(lambda: self.open_item(self.results.currentItem()))
        self.buttons.rejected.connect(self.reject)
        self.result: SearchResult | None = None
        self.retranslate()

    def _layout(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.this_period)
        filters.addWidget(self.this_region)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addLayout(filters)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)

    def retranslate(self) -> None:
        tr = self.ctx.tr
        self.setWindowTitle(tr("search.ui.title"))
        self.field.setPlaceholderText(tr("search.ui.placeholder"))
        self.this_period.setText(tr("search.ui.this_period"))
        self.this_region.setText(tr("search.ui.this_region"))
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setText(tr("search.ui.open"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("search.ui.close"))

    def open_search(self) -> None:
        """Show the box with the last words selected, ready to type over."""
        self.retranslate()
        self.show()
        self.raise_()
        self.activateWindow()
        self.field.setFocus()
        self.field.selectAll()

    # --- searching ---------------------------------------------------------------------------
    def run(self) -> None:
        self.timer.stop()
        selection = self.ctx.selection
        try:
            self.result = search(
                self.ctx.conn, self.field.text(), self.ctx.language,
                period=selection.period if self.this_period.isChecked() else None,
                region=selection.region if self.this_region.isChecked() and
                self.ctx.office.is_center else None)
        except PlanMonitorError as exc:
            self.count.setText(exc.message(self.ctx.language))
            return
        self._fill(self.result)

    def _fill(self, result: SearchResult) -> None:
        self.results.clear()
        bold = QFont(self.results.font())
        bold.setBold(True)
        for group in result.groups:
            top = QTreeWidgetItem(self.results, [group.label])
            top.setFont(0, bold)
            top.setData(0, HIT_ROLE, group.regions[0].hits[0])
            for place in group.regions:
                middle = QTreeWidgetItem(top, [place.region_name])
                middle.setData(0, HIT_ROLE, place.hits[0])
                for hit in place.hits:
                    self._hit_item(middle, hit, result.words)
        self.results.expandAll()
        if result.groups:
            self.results.setCurrentItem(self.results.topLevelItem(0))
        self.count.setText(self.ctx.tr("search.ui.count", total=result.total, shown=result.shown)
                           if result.groups else
                           self.ctx.tr("search.ui.none") if result.words else "")

    def _hit_item(self, parent: QTreeWidgetItem, hit: Hit, words: list[str]) -> None:
        field = self.ctx.tr(f"field.{hit.field}")
        when = period_name(hit.period, self.ctx.language)
        item = QTreeWidgetItem(parent, [f"{when} · {field}: {marked(hit.text, words)}"])
        item.setToolTip(0, hit.text)
        item.setData(0, HIT_ROLE, hit)

    def _enter(self) -> None:
        if self.timer.isActive() or self.result is None or self.result.query != self.field.text():
            self.run()
            return
        self.open_item(self.results.currentItem())

    # --- opening -------------------------------------------------------------------------------
    def open_item(self, item: QTreeWidgetItem | None) -> None:
        """Go to the hit's page, region, period and row (its first hit, for a group's line)."""
        hit = item.data(0, HIT_ROLE) if item is not None else None
        if not isinstance(hit, Hit):
            return
        self.ctx.set_selection(region=hit.region, period=hit.period)
        page = PAGE_OF_KIND[hit.kind]
        if page == "center" and not self.ctx.office.is_center:  # a decision a region received
            page = "dashboard"
        self.ctx.navigate.emit(page, hit.item_key or None)
        self.accept()
