"""A table view set up for the editable grids: keyboard editing, striping, fixed row height."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

EDIT_TRIGGERS = (QAbstractItemView.EditTrigger.DoubleClicked
                 | QAbstractItemView.EditTrigger.EditKeyPressed
                 | QAbstractItemView.EditTrigger.AnyKeyPressed)


def make_grid(model: QAbstractItemModel, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setEditTriggers(EDIT_TRIGGERS)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    rows = view.verticalHeader()
    rows.setDefaultSectionSize(view.fontMetrics().height() + 10)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring: fast scrolling
    return view
