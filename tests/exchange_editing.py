"""Helpers for the exchange tests: edit an exported workbook as a person would (openpyxl)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from resources.words import tr


def column_of(sheet: Worksheet, key: str) -> int:
    for cell in sheet[1]:
        if cell.value == key:
            return cell.column
    raise KeyError(key)


def row_of(sheet: Worksheet, key_column: str, value: Any, second: tuple[str, Any] | None = None) -> int:
    first = column_of(sheet, key_column)
    other = column_of(sheet, second[0]) if second else None
    for row in range(3, sheet.max_row + 1):
        if sheet.cell(row, first).value == value and (
                other is None or sheet.cell(row, other).value == second[1]):
            return row
    raise KeyError(value)


def set_cell(sheet: Worksheet, row: int, key: str, value: Any, as_text: bool = False) -> None:
    cell = sheet.cell(row, column_of(sheet, key))
    cell.value = value
    if as_text:
        cell.data_type = "s"


def edit(path: Path, lang: str, changes: dict[str, list[tuple]], out: Path | None = None) -> Path:
    """changes: data key -> [(row key, field, value[, as_text])]; the row key is the value of
    the first key column (or a (indicator, disaggregation) pair)."""
    book = openpyxl.load_workbook(path)
    for data_key, items in changes.items():
        sheet = book[tr(f"xlsx.sheet.{data_key}", lang)]
        for item in items:
            row_key, name, value, *rest = item
            if data_key == "indicators":
                row = row_of(sheet, "indicator", row_key[0], ("disaggregation", row_key[1]))
            else:
                row = row_of(sheet, {"actions": "action_no", "gender": "body"}[data_key], row_key)
            set_cell(sheet, row, name, value, as_text=bool(rest and rest[0]))
    target = out or path
    book.save(target)
    return target
