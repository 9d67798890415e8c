"""A table view set up for the editable grids: keyboard editing, striping, fixed row height, and
refused cells kept red even while selected (so the refusal is seen at once)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop.widgets.labels import REFUSED_BACKGROUND
from desktop.widgets.wheel_guard import guard_wheel

EDIT_TRIGGERS = (QAbstractItemView.EditTrigger.DoubleClicked
                 | QAbstractItemView.EditTrigger.EditKeyPressed
                 | QAbstractItemView.EditTrigger.AnyKeyPressed)


class RefusedCellDelegate(QStyledItemDelegate):
    """Paints a refused cell in its red even when it is the selected cell; its editors (spin
    boxes for numbers) take the wheel only while focused."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        guard_wheel(editor)
        return editor

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        if isinstance(background, (QColor, QBrush)) and QBrush(background).color() == \
                REFUSED_BACKGROUND:
            option.state &= ~QStyle.StateFlag.State_Selected
            option.backgroundBrush = QBrush(REFUSED_BACKGROUND)


def make_grid(model: QAbstractItemModel, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setItemDelegate(RefusedCellDelegate(view))
    view.setEditTriggers(EDIT_TRIGGERS)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    rows = view.verticalHeader()
    rows.setDefaultSectionSize(view.fontMetrics().height() + 10)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring: fast scrolling
    return view


class HintedGrid(Protocol):
    """What grid_hint reads of a grid's model (desktop.models.editing.GridModel); named here so
    widgets need not import models (models use widgets' labels)."""

    @property
    def editable(self) -> bool: ...

    @property
    def locked(self) -> bool: ...


def grid_hint(model: HintedGrid, prefix: str, center: bool) -> str:
    """The i18n key of the hint above a grid: how to edit, why it is read only in the center,
    or that the center accepted (locked) the region's period."""
    if model.editable:
        return f"{prefix}.hint"
    return "ui.review.locked_hint" if model.locked and not center else f"{prefix}.hint_center"
