"""The texts a person sees in a window, collected from its widgets (labels, buttons, group boxes,
drop-downs, placeholders, tabs, menus, lists, table headers and cells, the status bar and the
title), and a check that none of them shows an internal code or a word in English where the
interface speaks Russian or Kazakh."""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextBrowser,
    QWidget,
)

# Codes and words meant to be seen: indicator codes, file kinds, SHA-256. Regions and periods are
# named in words («область Абай», «1 квартал 2025 г.»), never by their codes (issue 22).
ALLOWED = re.compile(r"IND-\d+|SHA-256|\b(?:PDF|Excel|Word|xlsx|XLSX|docx|МБ)\b"
                     r"|Ctrl\+\w|\bF1\b|[\w.+-]+@[\w.-]+|\b[\w-]+\.(?:sqlite3|xlsx|pdf|md)\b"
                     r"|(?:/|[A-Z]:\\)[^\s,;)]*"
                     r"|\b[IVX]+\b"  # the plan's sections: I, II, ... VIII
                     r"|ДЕМО / DEMO"  # the demo mark, said in both alphabets on purpose
                     r"|^English(?: \(.*\))?$")  # a language list names English in its own words
LATIN_WORD = re.compile(r"(?<![\w-])[A-Za-z]{2,}(?![\w-])")
CODE = re.compile(r"\bKZ-\d+\b|\b\d{4}-(?:Q|H)\d\b|\b\d{4}-Y\b")
ISO_MOMENT = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}[\d:.+]*)?")
SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
TAG = re.compile(r"<[^>]+>")
ROWS_LOOKED_AT = 40


def _plain(text: str) -> str:
    return TAG.sub(" ", text).replace("&nbsp;", " ").replace("&amp;", "&").replace("&", "")


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model (QListWidget's): one column, its count not exposed
        return 1


def _model_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
    for orientation in (Qt.Orientation.Horizontal,):
        for column in range(_columns(model, QModelIndex())):
            yield str(model.headerData(column, orientation) or "")
    stack = [view.rootIndex()]  # what the view shows: a file dialog's folder, not the disk
    seen = 0
    while stack and seen < ROWS_LOOKED_AT * 4:
        parent = stack.pop()
        for row in range(min(model.rowCount(parent), ROWS_LOOKED_AT)):
            for column in range(_columns(model, parent)):
                index = model.index(row, column, parent)
                yield str(index.data() or "")
                yield str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
            stack.append(model.index(row, 0, parent))
            seen += 1


def widget_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text shown by `root` and its visible children."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        where = f"{type(widget).__name__}#{widget.objectName()}"
        if isinstance(widget, QLabel):
            yield where, _plain(widget.text())
        elif isinstance(widget, QAbstractButton):
            yield where, _plain(widget.text())
        elif isinstance(widget, QGroupBox):
            yield where, _plain(widget.title())
        elif isinstance(widget, QComboBox):
            yield from ((where, widget.itemText(i)) for i in range(widget.count()))
        elif isinstance(widget, QLineEdit):
            yield where, widget.placeholderText()
        elif isinstance(widget, QPlainTextEdit) and not isinstance(widget, QTextBrowser):
            yield where, widget.placeholderText()
        elif isinstance(widget, QTextBrowser):
            yield where, widget.toPlainText()
        elif isinstance(widget, QTabWidget):
            yield from ((where, _plain(widget.tabText(i))) for i in range(widget.count()))
        elif isinstance(widget, QAbstractItemView):
            yield from ((where, text) for text in _model_texts(widget))
        if widget.toolTip():
            yield where + ".toolTip", _plain(widget.toolTip())
    if isinstance(root, QMainWindow):
        yield "title", root.windowTitle()
        yield "status bar", root.statusBar().currentMessage()
        for menu in root.menuBar().findChildren(QMenu):
            yield "menu", _plain(menu.title())
            for action in menu.actions():
                yield "menu", _plain(action.text())


def foreign_bits(text: str) -> list[str]:
    """Region and period codes, ISO dates and moments, Latin-only words and snake_case codes in
    `text`, once the allowed codes (and paths, which may hold anything) are taken out."""
    rest = ALLOWED.sub(" ", text)
    codes = CODE.findall(rest) + ISO_MOMENT.findall(rest)
    rest = ISO_MOMENT.sub(" ", CODE.sub(" ", rest))
    return codes + SNAKE.findall(rest) + LATIN_WORD.findall(rest)
