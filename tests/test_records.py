"""db.records: classes that write their own __init__ but behave as the dataclasses they replace."""

from __future__ import annotations

import dataclasses
import inspect
from datetime import date

import pytest

from db import office, periods, queries, records, rules, schema, workbook
from desktop import context, pages, ui_state
from desktop.pages import dashboard
from desktop.widgets import bar_chart

RECORDS = [
    queries.Region, queries.Section, queries.ActionRow, queries.SectionProgress, queries.GenderRow,
    queries.IndicatorRow, queries.IndicatorPage, queries.MissingItem, queries.Completeness,
    queries.AuditEntry, queries.AttachmentInfo, office.Office, periods.Period,
    workbook.InitResult, workbook.CheckResult, bar_chart.Bar, context.Selection, ui_state.UiState,
    rules.Progress, rules.Problem, schema.Migration, pages.PageInfo, dashboard.Summary,
]


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_hand_written_init_takes_the_fields_in_order_with_their_defaults(cls: type) -> None:
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in fields]
    for param, f in zip(params, fields, strict=True):
        assert param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        if f.default is not dataclasses.MISSING:
            assert param.default == f.default, f.name
        elif f.default_factory is not dataclasses.MISSING:
            assert param.default is None, f.name  # and __init__ calls the factory
        else:
            assert param.default is inspect.Parameter.empty, f.name


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_init_sets_every_field(cls: type) -> None:
    fields = dataclasses.fields(cls)
    values = {f.name: f"v{i}" for i, f in enumerate(fields)}
    item = cls(**values)
    assert dataclasses.asdict(item) == values
    assert cls(*values.values()) == item


def _pair(frozen: bool, order: bool) -> tuple[type, type]:
    """The same class twice: made by @dataclass, and by @record with its own __init__."""

    @dataclasses.dataclass(frozen=frozen, order=order)
    class Plain:
        a: int
        b: str = "x"
        c: list = dataclasses.field(default_factory=list)

    made = Plain

    @records.record(frozen=frozen, order=order)
    class Plain:  # noqa: F811 - the same name, for the same repr
        a: int
        b: str = "x"
        c: list = dataclasses.field(default_factory=list)

        def __init__(self, a: int, b: str = "x", c: list | None = None) -> None:
            object.__setattr__(self, "a", a)
            object.__setattr__(self, "b", b)
            object.__setattr__(self, "c", [] if c is None else c)

    return made, Plain


@pytest.mark.parametrize("frozen", [False, True])
@pytest.mark.parametrize("order", [False, True])
def test_behaves_as_the_dataclass(frozen: bool, order: bool) -> None:
    made, hand = _pair(frozen, order)
    for cls in (made, hand):
        one, two, same = cls(1, "y"), cls(2), cls(1, "y")
        assert repr(one).endswith("Plain(a=1, b='y', c=[])")
        assert one == same and one != two and one != (1, "y", [])
        assert one.c is not two.c
        assert dataclasses.replace(one, a=3) == cls(3, "y")
        assert dataclasses.asdict(one) == {"a": 1, "b": "y", "c": []}
        assert cls.__match_args__ == ("a", "b", "c")
        if frozen:
            with pytest.raises(dataclasses.FrozenInstanceError):
                one.a = 5
            with pytest.raises(dataclasses.FrozenInstanceError):
                del one.a
            with pytest.raises(TypeError):  # a list field: unhashable, as the dataclass
                hash(one)
        else:
            one.a = 5
            assert one.a == 5
            with pytest.raises(TypeError):
                hash(one)
        if order:
            assert cls(1) < cls(2) <= cls(2) and cls(3) > cls(2) >= cls(2)
            with pytest.raises(TypeError):
                assert cls(1) < (2,)
        else:
            with pytest.raises(TypeError):
                assert cls(1) < cls(2)


def test_frozen_records_hash_their_fields() -> None:
    first = periods.parse_period("2026-Q3")
    assert hash(first) == hash(periods.parse_period("2026-q3"))
    assert {first, periods.parse_period("2026-Q3")} == {first}
    assert sorted([periods.parse_period("2026-Q4"), first])[0] is first
    assert first == periods.Period("2026-Q3", "quarter", 2026, date(2026, 7, 1), date(2026, 9, 30))
