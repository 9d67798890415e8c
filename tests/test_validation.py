"""Each rule of db.validation in its two forms agrees: a column passes exactly when every value
in it passes one by one; and same() is what people mean by "the same value"."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from db import validation
from db.rules import MAX_NOTE_CHARS, STATUSES, UNITS
from db.tables import REGIONAL

numbers = st.one_of(
    st.none(), st.integers(-5, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, 0.0, 1.0, 0.5, 100, 100.0, 100.5, -0.0, 2, 1e308, True]))
anything = st.one_of(numbers, st.text(max_size=5), st.sampled_from([[1], {}, b"x"]))
texts = st.one_of(st.none(), st.text(max_size=20),
                  st.just("я" * MAX_NOTE_CHARS), st.just("я" * (MAX_NOTE_CHARS + 1)),
                  st.integers(0, 9))


@given(st.lists(texts, max_size=8))
def test_texts_column_agrees_with_each_text(values: list) -> None:
    one_by_one = all(not validation.text_problems("note", v) for v in values)
    assert validation.texts_ok(values) == one_by_one


@given(st.lists(st.one_of(st.sampled_from([*STATUSES, "done", ""]), anything), max_size=8))
def test_statuses_column_agrees_with_each_status(values: list) -> None:
    one_by_one = all(not validation.status_problems(v) for v in values)
    assert validation.statuses_ok(values) == one_by_one


@given(st.lists(st.tuples(numbers, numbers), max_size=8))
def test_gender_columns_agree_with_each_pair(pairs: list) -> None:
    women, total = [w for w, _ in pairs], [t for _, t in pairs]
    one_by_one = all(not validation.gender_problems(w, t) for w, t in pairs)
    assert validation.genders_ok(women, total) == one_by_one


@given(st.lists(st.tuples(st.sampled_from([*UNITS, "unknown"]), numbers), max_size=8))
def test_indicator_column_agrees_with_each_value(rows: list) -> None:
    units, values = [u for u, _ in rows], [v for _, v in rows]
    one_by_one = all(not validation.indicator_problems(u, v) for u, v in rows)
    assert validation.indicator_values_ok(units, values) == one_by_one


@given(st.sampled_from(sorted(REGIONAL)), st.data())
def test_whole_rows_agree_with_their_columns(table: str, data: st.DataObject) -> None:
    fields = REGIONAL[table].fields
    value_of = {"status": st.sampled_from([*STATUSES, "done"]), "women": numbers,
                "total": numbers, "value": numbers}
    rows = data.draw(st.lists(st.fixed_dictionaries(
        {name: value_of.get(name, texts) for name in fields}), max_size=6))
    units = data.draw(st.lists(st.sampled_from(UNITS), min_size=len(rows), max_size=len(rows)))
    columns = {name: [row[name] for row in rows] for name in fields}
    one_by_one = all(not validation.row_problems(table, row, fields, unit)
                     for row, unit in zip(rows, units, strict=True))
    assert validation.columns_ok(table, columns, units) == one_by_one


def test_same_means_what_people_mean() -> None:
    assert validation.same(12, 12.0) and validation.same(None, "") and validation.same("", None)
    assert validation.same(0.1 + 0.2, 0.3)
    assert not validation.same(0, None) and not validation.same("0", 0)
    assert not validation.same(12.5, 12.4) and not validation.same("a", "b")


@given(anything, anything)
def test_same_is_symmetric(a: object, b: object) -> None:
    assert validation.same(a, b) == validation.same(b, a)
