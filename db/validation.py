"""Every rule a reported value keeps, written once, and the one meaning of "the same value".

Each rule has two forms side by side:
- `*_problems(...)` checks one value (the editor, `db.ops`, a row of a file that needs messages)
  and says what is wrong, in words;
- `*_ok(...)` checks a whole column (a file of 100,000 rows) with builtins over the column and
  answers only whether every value passes; a caller that gets False asks the per-value form to
  name each problem at its cell.
tests/test_validation.py proves that each pair agrees on any input.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from db.rules import MAX_NOTE_CHARS, NO_ANSWER, STATUSES, WHOLE_UNITS, Problem
from db.tables import TEXT_FIELDS

_STATUS_SET = frozenset((*STATUSES, NO_ANSWER))  # no answer: the stored default


def same(a: Any, b: Any) -> bool:
    """Two values mean the same: a blank text and no value are one, and numbers compare by
    value (12 and 12.0; a difference below a millionth of a millionth is a float's noise)."""
    if a == b:
        return True
    if _blank(a) and _blank(b):
        return True
    if _is_number(a) and _is_number(b):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return False


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _is_number(value: Any) -> bool:
    """A real, finite number (bool is not one; an int of any size is)."""
    if type(value) is int:
        return True
    return type(value) is float and math.isfinite(value)


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_whole(value: int | float) -> bool:
    return type(value) is int or value.is_integer()


# --- Texts ---------------------------------------------------------------------------------------

def text_problems(name: str, text: Any) -> list[Problem]:
    if text is None:
        return []
    if not isinstance(text, str):
        return [Problem(name, "validation.not_text", {"value": text})]
    if len(text) > MAX_NOTE_CHARS:
        return [Problem(name, "validation.too_long", {"length": len(text), "limit": MAX_NOTE_CHARS})]
    return []


def texts_ok(texts: Sequence[Any]) -> bool:
    present = [t for t in texts if t is not None]
    if not present:
        return True
    return set(map(type, present)) == {str} and max(map(len, present)) <= MAX_NOTE_CHARS


# --- Statuses ------------------------------------------------------------------------------------

def status_problems(status: Any) -> list[Problem]:
    if isinstance(status, str) and status in _STATUS_SET:
        return []
    return [Problem("status", "validation.bad_status", {"value": status})]


def statuses_ok(statuses: Sequence[Any]) -> bool:
    try:
        return all(type(s) is str for s in statuses) and set(statuses) <= _STATUS_SET
    except TypeError:  # an unhashable value is not a status
        return False


# --- Whole numbers and gender figures ------------------------------------------------------------

def whole_problems(name: str, value: Any) -> list[Problem]:
    """No value, or a whole number of zero or more."""
    if value is None:
        return []
    if not _is_number(value):
        return [Problem(name, "validation.not_a_number", {"value": value})]
    if value < 0:
        return [Problem(name, "validation.negative", {"value": _fmt(value)})]
    if not _is_whole(value):
        return [Problem(name, "validation.not_whole", {"value": _fmt(value)})]
    return []


def wholes_ok(values: Sequence[Any]) -> bool:
    present = [v for v in values if v is not None]
    if not present:
        return True
    return _all_numbers(present) and min(present) >= 0 and all(map(_is_whole, present))


def gender_problems(women: Any, total: Any) -> list[Problem]:
    problems = whole_problems("women", women) + whole_problems("total", total)
    if not problems and women is not None and total is not None and women > total:
        problems.append(Problem("women", "validation.women_over_total",
                                {"women": _fmt(women), "total": _fmt(total)}))
    return problems


def genders_ok(women: Sequence[Any], total: Sequence[Any]) -> bool:
    return wholes_ok(women) and wholes_ok(total) and all(
        w <= t for w, t in zip(women, total, strict=True) if w is not None and t is not None)


# --- Indicator values ----------------------------------------------------------------------------

def indicator_problems(unit: str, value: Any) -> list[Problem]:
    if value is None:
        return []
    if not _is_number(value):
        return [Problem("value", "validation.not_a_number", {"value": value})]
    if value < 0:
        return [Problem("value", "validation.negative", {"value": _fmt(value)})]
    if unit == "percent" and value > 100:
        return [Problem("value", "validation.percent_range", {"value": _fmt(value)})]
    if unit == "yes_no" and value not in (0, 1):
        return [Problem("value", "validation.yes_no", {"value": _fmt(value)})]
    if unit in WHOLE_UNITS and not _is_whole(value):
        return [Problem("value", "validation.not_whole", {"value": _fmt(value)})]
    return []


def _all_numbers(present: list[Any]) -> bool:
    if set(map(type, present)) == {float}:  # as a sheet gives them: checked in C
        return all(map(math.isfinite, present))
    return all(map(_is_number, present))


def _numbers_of_unit_ok(unit: str, present: list[Any]) -> bool:
    if not present:
        return True
    if not _all_numbers(present) or min(present) < 0:
        return False
    if unit == "percent":
        return max(present) <= 100
    if unit == "yes_no":
        return set(present) <= {0, 1}
    if unit in WHOLE_UNITS:
        return all(map(float.is_integer, present)) if set(map(type, present)) == {float} \
            else all(map(_is_whole, present))
    return True


def indicator_values_ok(units: Sequence[str], values: Sequence[Any]) -> bool:
    """Every value (None, or a number of its row's unit in `units`) passes: one pass a unit."""
    distinct = set(units)
    if len(distinct) == 1:
        return _numbers_of_unit_ok(next(iter(distinct)), [v for v in values if v is not None])
    by_unit: dict[str, list[Any]] = {unit: [] for unit in distinct}
    for unit, value in zip(units, values, strict=True):
        if value is not None:
            by_unit[unit].append(value)
    return all(_numbers_of_unit_ok(unit, present) for unit, present in by_unit.items())


# --- Whole rows ----------------------------------------------------------------------------------

def row_problems(table: str, row: Mapping[str, Any], written: Iterable[str],
                 unit: str | None = None) -> list[Problem]:
    """What is wrong with a regional row as it would be after a write of the fields `written`
    (gender figures are checked together, so `women` is checked against the stored `total`)."""
    written = set(written)
    problems: list[Problem] = []
    for name in sorted(TEXT_FIELDS & written):
        problems += text_problems(name, row[name])
    if table == "action_report" and "status" in written:
        problems += status_problems(row["status"])
    elif table == "gender_figure":
        problems += gender_problems(row.get("women"), row.get("total"))
    elif table == "indicator_value" and "value" in written:
        problems += indicator_problems(str(unit), row["value"])
    return problems


def columns_ok(table: str, columns: Mapping[str, Sequence[Any]],
               units: Sequence[str] | None = None) -> bool:
    """Whether every row of `columns` (field -> the column's values; `units`: each row's
    indicator unit) passes row_problems; False means: ask row_problems row by row."""
    if not all(texts_ok(columns[name]) for name in TEXT_FIELDS & columns.keys()):
        return False
    if table == "action_report" and "status" in columns:
        return statuses_ok(columns["status"])
    if table == "gender_figure":
        return genders_ok(columns["women"], columns["total"])
    if table == "indicator_value" and "value" in columns:
        return indicator_values_ok(units or [], columns["value"])
    return True
