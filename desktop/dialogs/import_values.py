"""What the import wizard's pages share: the pages' numbers, how values read in the preview
(statuses in words, numbers in the interface's digits, items by their names), and read-only
tables that fit before and after side by side."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from db import queries, review, rules
from db.names import period_name, region_name
from desktop.widgets.labels import locale_of
from resources.words import messages, tr

FILE_PAGE, PREVIEW_PAGE, CONFLICTS_PAGE, SUMMARY_PAGE = range(4)
CHOICES = ("", "file", "local")  # the combo's entries, in order
CHOICE_KEYS = {"": "uib.import.choose", "file": "uib.import.take_file",
               "local": "uib.import.keep_local"}
XLSX_SUFFIXES = (".xlsx", ".xlsm")
LOCAL_COLUMN, FILE_COLUMN = 3, 4  # in the side-by-side conflict table
KEPT_BACKGROUND = QColor("#d7efd9")
PREVIEW_ROWS = 500  # changes listed in the preview; the rest are counted


def dropped_xlsx(event: QDragEnterEvent | QDropEvent) -> Path | None:
    """The first local .xlsx file among what is being dragged, if any."""
    for url in event.mimeData().urls() if event.mimeData().hasUrls() else ():
        path = Path(url.toLocalFile())
        if url.isLocalFile() and path.suffix.lower() in XLSX_SUFFIXES:
            return path
    return None


def words(value: Any, lang: str) -> str:
    """Text for a value the exchange gives: a callable label (lang), None, a number or text."""
    if callable(value):
        value = value(lang)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # the interface's own digits: a decimal comma in Russian and Kazakh
        locale = locale_of(lang)
        return locale.toString(value) if isinstance(value, int) else locale.toString(value, "g", 15)
    return str(value)


def field_word(name: Any, lang: str) -> str:
    """'women' -> 'Женщин' where the core has a word for the field."""
    key = f"field.{name}"
    return tr(key, lang) if key in messages() else words(name, lang)


def value_word(name: Any, value: Any, lang: str) -> str:
    """A value as people read it: a status in words, numbers without a trailing .0."""
    if name == "status" and isinstance(value, str) and value:
        return rules.status_label(value, lang)
    if name == "state" and value in review.STATES:  # a review file's decision, in words
        return tr(f"center.state.{value}", lang)
    return words(value, lang)


def item_names(conn: Any, region: str | None, period: str | None,
               lang: str) -> dict[tuple[str, str], str]:
    """People's names of a return's items, keyed by (table, "item|key"), for the preview."""
    if not region or not period:
        return {}
    names = {("action_report", str(a.no)): f"{a.no}. {a.name}"
             for a in queries.action_rows(conn, region, period, lang)}
    names.update({("gender_figure", g.body_code): g.name
                  for g in queries.gender_rows(conn, region, period, lang)})
    names.update({("indicator_value", f"{i.code}|{i.disaggregation_code}"):
                  f"{i.code} {i.name} ({i.disaggregation})"
                  for i in queries.indicator_rows(conn, region, period, lang)})
    return names


def review_names(conn: Any, plan: Any, lang: str) -> dict[tuple[str, str], str]:
    """People's names of a review file's items, keyed like item_names: the decision on the
    return («Решение по отчёту: область Абай, 4 квартал 2026 г.») and each remark's item
    («Замечание: 1. Name»), never the file's keys («review KZ-10|2026-Q4»)."""
    names = {("review", ""): tr("screens.review_of", lang,
                                region=region_name(conn, plan.region, lang),
                                period=period_name(plan.period, lang))}
    for change in [*plan.added, *plan.changed]:
        if change.table == "review_remark" and len(change.key) >= 4:
            kind, key = str(change.key[2]), "|".join(str(k) for k in change.key[3:])
            names[(change.table, f"{kind}|{key}")] = tr("screens.remark_on", lang, item=(
                f"{tr(f'center.item.{kind}', lang)}: {review.item_label(conn, (kind, key), lang)}"))
    return names


def shown_period(code: str | None, lang: str) -> str:
    """'4 квартал 2026 г.' for a period the file names; the code itself if it is not one."""
    return period_name(code, lang) or "—"


def fill_table(table: QTableWidget, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def fit_change_columns(table: QTableWidget) -> None:
    """The item's name takes a third of the width at most and wraps in its tooltip; before
    and after share the rest, so both are seen without scrolling sideways."""
    header = table.horizontalHeader()
    if table.columnCount() < 4:
        return
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    table.setColumnWidth(0, max(120, table.viewport().width() // 3))


def fit_conflict_columns(table: QTableWidget) -> None:
    """The conflict screen at 1366x768: the item and the three values share the width, the
    field and the decision take what their words need, so «При выгрузке / Здесь сейчас / В файле
    / Решение» are seen side by side without scrolling sideways; a long name is cut with "…"
    and read whole in its tooltip (fill_table sets one on every cell)."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setWordWrap(False)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    for column in range(table.columnCount()):
        fixed = column in (1, table.columnCount() - 1)  # the field's word, the decision's combo
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents if fixed
                                    else QHeaderView.ResizeMode.Stretch)


def read_only_table(parent: QWidget) -> QTableWidget:
    table = QTableWidget(parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table
