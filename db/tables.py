"""The regional tables: what identifies a row and which fields a person reports in it.

Everything that needs to know a regional table's shape (the write path, validation, history, the
importer, the queries that count what was reported) reads it from here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TableSpec:
    keys: tuple[str, ...]
    fields: tuple[str, ...]
    defaults: Mapping[str, Any]

    @property
    def scoped_keys(self) -> tuple[str, ...]:
        """The key without its region and period (what a return's row names)."""
        return self.keys[2:]


REGIONAL: dict[str, TableSpec] = {
    "action_report": TableSpec(
        ("region_code", "period_code", "action_no"),
        ("status", "progress_note", "evidence", "officer"),
        {"status": "", "progress_note": "", "evidence": "", "officer": ""}),
    "gender_figure": TableSpec(
        ("region_code", "period_code", "body_code"),
        ("women", "total", "note"),
        {"women": None, "total": None, "note": ""}),
    "indicator_value": TableSpec(
        ("region_code", "period_code", "indicator_code", "disaggregation_code"),
        ("value", "note", "source"),
        {"value": None, "note": "", "source": ""}),
}

TEXT_FIELDS = frozenset(("progress_note", "evidence", "officer", "note", "source"))
NUMBER_FIELDS = frozenset(("women", "total", "value"))
