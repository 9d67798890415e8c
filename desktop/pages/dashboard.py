"""Dashboard: progress per section (bars drawn with QPainter), overdue and due-soon actions, what the
period's report still lacks (click to go there), women's share against the 30% target, and when a
return was last exported and a file last imported. Refreshes from `ctx.changed` when shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db import queries, rules
from db.names import period_name, region_name
from desktop.context import AppContext
from desktop.widgets.bar_chart import Bar, BarChart, ShareGauge
from desktop.widgets.labels import (
    OVERDUE_COLOUR,
    STATUS_COLOURS,
    format_percent,
    format_when,
    percent_number,
    roman,
)

if TYPE_CHECKING:  # used in annotations only
    from PySide6.QtGui import QShowEvent

    from db.audit import OpChanges

PAGE_KEY = "dashboard"
TITLE_KEY = "ui.nav.dashboard"
BAR_ORDER = ("completed", "in_progress", "not_started", "not_applicable", rules.NO_ANSWER_KEY)
PAGE_OF_KIND = {"action": "actions", "gender": "gender", "indicator": "indicators"}


@dataclass
class Summary:
    """Everything the dashboard shows, read from db.queries in one go."""

    sections: list[queries.SectionProgress]
    overall: rules.Progress
    deadlines: list[queries.ActionRow]
    completeness: queries.Completeness
    women: int
    total: int
    gender_incomplete: int  # bodies with one figure of two: left out of the share, said so
    last_export: object
    last_import: object


def load_summary(ctx: AppContext) -> Summary:
    conn, lang = ctx.conn, ctx.language
    region, period = ctx.selection.region, ctx.selection.period
    parts = queries.section_progress(conn, region, period, lang)
    actions = queries.action_rows(conn, region, period, lang, with_agencies=False)  # none shown
    genders = queries.gender_rows(conn, region, period, lang)
    women, total = queries.gender_totals(genders)
    return Summary(
        sections=parts, overall=queries.overall_progress(parts),
        deadlines=[a for a in actions if a.overdue] + [a for a in actions if a.due_soon],
        completeness=queries.completeness(conn, region, period, lang, actions=actions,
                                          genders=genders),
        women=women, total=total, gender_incomplete=queries.incomplete_bodies(genders),
        last_export=queries.last_exchange(conn, "export", region),
        last_import=queries.last_exchange(conn, "import", region))


def card(parent: QWidget) -> tuple[QGroupBox, QVBoxLayout]:
    box = QGroupBox(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(12, 10, 12, 12)
    layout.setSpacing(8)
    return box, layout


def wrapped(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class DashboardPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.summary: Summary | None = None
        self._dirty = True
        self._build()
        ctx.changed.connect(self._data_changed)
        ctx.selection_changed.connect(self.mark_dirty)
        ctx.language_changed.connect(lambda _lang: self.mark_dirty())
        self.refresh()

    # --- building ---------------------------------------------------------------------------------
    def _build(self) -> None:
        content = QWidget(self)
        grid = QGridLayout(content)
        grid.setContentsMargins(16, 12, 16, 16)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(14)
        self.heading = QLabel(content)
        self.heading.setObjectName("pageHeading")
        self.overall = wrapped(content)
        grid.addWidget(self.heading, 0, 0, 1, 2)
        grid.addWidget(self.overall, 1, 0, 1, 2)
        self.progress_box, layout = card(content)
        self.chart = BarChart(self.progress_box)
        self.chart.setObjectName("sectionChart")
        self.chart.activated.connect(lambda key: self.ctx.navigate.emit("actions", key))
        self.legend = wrapped(self.progress_box)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.chart)
        layout.addWidget(self.legend)
        layout.addStretch(1)
        grid.addWidget(self.progress_box, 2, 0, 3, 1)
        grid.addWidget(self._build_completeness(content), 2, 1)
        grid.addWidget(self._build_deadlines(content), 3, 1)
        grid.addWidget(self._build_facts(content), 4, 1)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 4)
        grid.setRowStretch(5, 1)  # spare height goes below the cards, not into them
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _build_completeness(self, parent: QWidget) -> QGroupBox:
        self.completeness_box, layout = card(parent)
        self.completeness_text = wrapped(self.completeness_box)
        self.missing = QListWidget(self.completeness_box)
        self.missing.setObjectName("missingList")
        self.missing.setWordWrap(True)
        self.missing.setSpacing(2)
        self.missing.itemActivated.connect(self._go_to_item)
        self.missing.itemClicked.connect(self._go_to_item)
        self.missing.setMaximumHeight(self.missing.fontMetrics().height() * 10)
        layout.addWidget(self.completeness_text)
        layout.addWidget(self.missing)
        return self.completeness_box

    def _build_deadlines(self, parent: QWidget) -> QGroupBox:
        self.deadlines_box, layout = card(parent)
        self.deadlines = QListWidget(self.deadlines_box)
        self.deadlines.setObjectName("deadlineList")
        self.deadlines.setWordWrap(True)
        self.deadlines.setSpacing(3)
        self.deadlines.itemActivated.connect(self._go_to_item)
        self.deadlines.itemClicked.connect(self._go_to_item)
        self.deadlines.setMaximumHeight(self.deadlines.fontMetrics().height() * 12)
        layout.addWidget(self.deadlines)
        return self.deadlines_box

    def _build_facts(self, parent: QWidget) -> QGroupBox:
        self.facts_box, layout = card(parent)
        self.women_text = wrapped(self.facts_box)
        self.gauge = ShareGauge(self.facts_box)
        self.exchange_text = wrapped(self.facts_box)
        layout.addWidget(self.women_text)
        layout.addWidget(self.gauge)
        layout.addSpacing(6)
        layout.addWidget(self.exchange_text)
        return self.facts_box

    # --- refreshing -------------------------------------------------------------------------------
    def _data_changed(self, changes: OpChanges) -> None:
        if changes:
            self.mark_dirty()

    def mark_dirty(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._dirty = False
        self.summary = load_summary(self.ctx)
        self._show_heading()
        self._show_sections()
        self._show_completeness()
        self._show_deadlines()
        self._show_facts()

    def _show_heading(self) -> None:
        tr, sel = self.ctx.tr, self.ctx.selection
        name = region_name(self.ctx.conn, sel.region, self.ctx.language)
        self.heading.setText(f"<h2>{tr('ui.nav.dashboard')} — {name}, "
                             f"{period_name(sel.period, self.ctx.language)}</h2>")
        counts = self.summary.overall.counts
        self.overall.setText(tr("ui.dash.overall", percent=percent_number(self.summary.overall.percent),
                                completed=counts["completed"], in_progress=counts["in_progress"],
                                not_started=counts["not_started"],
                                not_applicable=counts["not_applicable"],
                                no_answer=counts[rules.NO_ANSWER_KEY]))

    def _show_sections(self) -> None:
        self.progress_box.setTitle(self.ctx.tr("ui.dash.by_section"))
        bars = []
        for part in self.summary.sections:
            counts = part.progress.counts
            tooltip = "\n".join(f"{rules.status_label(s, self.ctx.language)}: {counts[s]}"
                                for s in BAR_ORDER)
            bars.append(Bar(key=f"section:{part.section.no}",
                            label=f"{roman(part.section.no)}. {part.section.name}",
                            percent=part.progress.percent,
                            parts=[(s, counts[s]) for s in BAR_ORDER], tooltip=tooltip))
        self.chart.set_bars(bars)
        self.legend.setText("&nbsp;&nbsp;&nbsp;".join(
            f"<span style='color:{colour}'>&#9632;</span>&nbsp;"
            f"{rules.status_label(status, self.ctx.language)}"
            for status, colour in ((s, STATUS_COLOURS[s]) for s in BAR_ORDER)))

    def _show_completeness(self) -> None:
        tr, report = self.ctx.tr, self.summary.completeness
        self.completeness_box.setTitle(tr("ui.dash.completeness"))
        if report.complete:
            self.completeness_text.setText(tr("ui.dash.complete", count=report.required))
        else:
            self.completeness_text.setText(tr(
                "ui.dash.incomplete", filled=report.filled, required=report.required,
                percent=percent_number(report.percent), missing=len(report.missing)))
        self.missing.clear()
        for item in report.missing:
            entry = QListWidgetItem(item.message(self.ctx.language), self.missing)
            entry.setData(Qt.ItemDataRole.UserRole, (PAGE_OF_KIND[item.kind], item.key))
            entry.setToolTip(tr("ui.dash.click_to_go"))
        self.missing.setVisible(not report.complete)

    def _show_deadlines(self) -> None:
        tr = self.ctx.tr
        self.deadlines_box.setTitle(tr("ui.dash.deadlines"))
        self.deadlines.clear()
        for action in self.summary.deadlines:
            key = "ui.dash.overdue_item" if action.overdue else "ui.dash.due_soon_item"
            entry = QListWidgetItem(tr(key, no=action.no, name=action.name,
                                       deadline=action.deadline), self.deadlines)
            entry.setData(Qt.ItemDataRole.UserRole, ("actions", action.no))
            entry.setToolTip(tr("ui.dash.click_to_go"))
            if action.overdue:
                # setForeground(brush) is setData(ForegroundRole, brush), and Qt reads a colour
                # there as a brush; setForeground's overloads would touch the Qt namespace.
                entry.setData(Qt.ItemDataRole.ForegroundRole, QColor(OVERDUE_COLOUR))
        if not self.summary.deadlines:
            QListWidgetItem(tr("ui.dash.no_deadlines"), self.deadlines)

    def _show_facts(self) -> None:
        tr, s, lang = self.ctx.tr, self.summary, self.ctx.language
        self.facts_box.setTitle(tr("ui.dash.facts"))
        share = rules.share_percent(s.women, s.total)
        target = rules.GENDER_TARGET_PERCENT
        if share is None:
            self.women_text.setText(tr("ui.dash.women_none", target=format_percent(target, lang)))
        else:
            key = "ui.dash.women_met" if share >= target else "ui.dash.women_below"
            self.women_text.setText(tr(key, share=format_percent(share, lang), women=s.women,
                                       total=s.total, target=format_percent(target, lang)))
        if s.gender_incomplete:
            self.women_text.setText(self.women_text.text() + "\n"
                                    + tr("gender_incomplete.note", count=s.gender_incomplete))
        self.gauge.set_share(share, target)
        self.exchange_text.setText("\n".join((
            self._exchange_line("export", s.last_export),
            self._exchange_line("import", s.last_import))))

    def _exchange_line(self, direction: str, row: object) -> str:
        # the ministry sends decisions to the region and receives its returns: said its way
        prefix = "screens.center_dash" if self.ctx.office.is_center else "ui.dash"
        if row is None:
            return self.ctx.tr(f"{prefix}.never_{direction}")
        return self.ctx.tr(f"{prefix}.last_{direction}", when=format_when(row["at"]),
                           file=row["file_name"])

    def _go_to_item(self, entry: QListWidgetItem) -> None:
        target = entry.data(Qt.ItemDataRole.UserRole)
        if target:
            page, key = target
            self.ctx.navigate.emit(page, key)


def create_page(ctx: AppContext) -> QWidget:
    return DashboardPage(ctx)
