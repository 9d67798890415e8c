"""Issue 14: a property test over `_meta`. Whatever a return's `_meta` holds (a key missing, empty,
a number where text belongs, a date cell, huge, unicode, control characters, a sheet pointer to a
missing sheet or to `_meta` itself), importing it never ends in a traceback: the file is refused
with a message naming it (database unchanged), or applied when the value is acceptable; the
command line exits 1 or 2 with a message."""

from __future__ import annotations

import atexit
import contextlib
import io
import re
import shutil
import tempfile
import traceback
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from db.audit import OpInfo
from db.ops import update_action
from db.workbook import init_database, open_workbook
from exports.xlsx_export import export_return
from planmonitor.cli import main
from tests.conftest import PERIOD, REGION, dump
from tests.exchange_rounds_helpers import import_file, read_meta

KEYS = ("format", "format_version", "kind", "source", "region", "period", "catalog_version",
        "exported_at", "package_id", "sheet.actions", "sheet.gender", "sheet.indicators",
        "language")
# Keys every return needs: missing, empty or out of range, the file must be refused.
STRICT = {"format", "format_version", "kind", "source", "region", "period", "sheet.actions",
          "sheet.gender", "sheet.indicators"}
KINDS = {"return", "catalog", "review", "consolidated"}
PLAUSIBLE = {
    "format": ["planmonitor-exchange", "planmonitor-exchange-v2", "PLANMONITOR"],
    "format_version": [1, "1", 2, "2", 0, "1.0", "v1"],
    "kind": ["return", "catalog", "review", "consolidated", "RETURN", "returns"],
    "source": [REGION, "KZ-11", "center", "KZ-99", "kz-75"],
    "region": [REGION, "KZ-11", "KZ-99", "kz-75", "KZ-75 "],
    "period": [PERIOD, "2026-Q2", "2026-H1", "2026", "2026-Q9", "2026Q3", "Q3-2026"],
    "catalog_version": ["2026.1", "2025.9", "2099.1", "0"],
    "exported_at": ["2026-11-28T09:15:02.123456+05:00", "2026-11-28", "28.11.2026", "вчера",
                    "2099-01-01T00:00:00+00:00", "1900-01-01T00:00:00"],
    "package_id": ["8c87c2dc-d904-4586-95da-4907406badfa", "not-a-uuid"],
    "language": ["ru", "kk", "en", "xx", "RU"],
}
TEXT = st.text(max_size=40).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
ODD = st.one_of(
    st.none(), st.just(""), st.just("   "), TEXT, st.integers(-10**15, 10**15),
    st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 1, 1)),
    st.sampled_from(("x" * 40_000, "ә" * 33_000, "_x0007_bell", "\t\n\r", "\u202eKZ-75",
                     "\ufeffreturn", "KZ-75\x7f", "🙂" * 10, "=1+1", "'return")))
PYTHON_ERROR = re.compile(r"\b[A-Z]\w*(Error|Exception)\b")
_BASE: dict[str, Any] = {}


def _base() -> dict[str, Any]:
    """Once: a region database with figures and its return with one person's edit."""
    if not _BASE:
        folder = Path(tempfile.mkdtemp(prefix="meta-props-"))
        atexit.register(shutil.rmtree, folder, True)
        db = folder / "workbook.sqlite3"
        init_database(db, mode="region", region_code=REGION, user_name="u", language="ru")
        with closing(open_workbook(db)) as conn:
            update_action(conn, REGION, PERIOD, 1, OpInfo("u", "ui"), status="in_progress")
            path = export_return(conn, REGION, PERIOD, "ru", folder / "return.xlsx")
        book = openpyxl.load_workbook(path)
        sheet = book[str(read_meta(path)["sheet.actions"])]
        sheet.cell(4, [c.value for c in sheet[1]].index("progress_note") + 1, "Правка")
        book.save(path)
        _BASE.update(db=db, file=path, meta=read_meta(path))
    return _BASE


def _mutation(key: str, keep: bool = True) -> st.SearchStrategy[tuple]:
    values: list[Any] = list(PLAUSIBLE.get(key, []))
    if key.startswith("sheet."):
        values = ["_meta", "Нет такого листа", "Мероприятия", "Гендерные показатели",
                  "Индикаторы", "Инструкция"]
    return st.one_of(*([st.just(("keep",))] if keep else []), st.just(("missing",)),
                     st.tuples(st.just("set"), st.sampled_from(values) if values else ODD),
                     st.tuples(st.just("set"), ODD))


MUTATIONS = st.fixed_dictionaries({key: _mutation(key) for key in KEYS}).map(
    lambda m: {k: v for k, v in m.items() if v != ("keep",)})
SHEET = st.sampled_from(("normal",) * 8 + ("no _meta sheet", "empty _meta", "keys in column B"))


def _definitely_bad(key: str, mutation: tuple, original: Any) -> bool:
    """A value of a STRICT key that no reading of the contract can accept."""
    if mutation[0] == "missing":
        return True
    value = mutation[1]
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    if key.startswith("sheet."):
        return value != original
    if key == "format_version":  # 1, or text that is the number 1 ("1", "1.0")
        if isinstance(value, str):
            try:
                return float(value.strip().replace(",", ".")) != 1
            except ValueError:
                return True
        return isinstance(value, (bool, datetime)) or value != 1
    if not isinstance(value, str):
        return True
    if key == "format":
        return value.strip().lower() != "planmonitor-exchange"
    if key == "kind":
        return value.strip().lower() not in KINDS
    # (case and surrounding spaces are a tolerance a reader may allow: 'kz-75 ' is not refused)
    if key == "source":
        return not re.fullmatch(r"KZ-\d\d|center", value.strip(), re.IGNORECASE)
    if key == "region":
        return not re.fullmatch(r"KZ-\d\d", value.strip(), re.IGNORECASE)
    if key == "period":
        return not re.fullmatch(r"\d{4}(-Q[1-4]|-H[12])?", value.strip(), re.IGNORECASE)
    return False


def _write_meta(path: Path, mutations: dict[str, tuple], sheet_mode: str) -> None:
    book = openpyxl.load_workbook(path)
    meta = book["_meta"]
    for row in range(meta.max_row, 0, -1):
        key = meta.cell(row, 1).value
        if key in mutations:
            if mutations[key][0] == "missing":
                meta.delete_rows(row)
            else:
                meta.cell(row, 2).value = mutations[key][1]
    if sheet_mode == "no _meta sheet":
        del book["_meta"]
    elif sheet_mode == "empty _meta":
        meta.delete_rows(1, meta.max_row)
    elif sheet_mode == "keys in column B":
        meta.insert_cols(1)
    book.save(path)


def check_meta(mutations: dict[str, tuple], sheet_mode: str) -> None:
    base = _base()
    folder = Path(tempfile.mkdtemp(prefix="meta-case-"))
    try:
        db = folder / "workbook.sqlite3"
        shutil.copy(base["db"], db)
        path = folder / "Есеп meta.xlsx"
        shutil.copy(base["file"], path)
        original = base["meta"]
        _write_meta(path, mutations, sheet_mode)
        must_refuse = sheet_mode != "normal" or any(
            _definitely_bad(k, m, original.get(k)) for k, m in mutations.items() if k in STRICT)
        with closing(open_workbook(db)) as conn:
            before = dump(conn)
            try:
                outcome = import_file(conn, path)
            except Exception:  # noqa: BLE001 - the property: no exception of any kind
                pytest.fail(f"import_one raised for {mutations} {sheet_mode}:\n"
                            f"{traceback.format_exc()}")
            assert outcome.result in ("applied", "unchanged", "conflicts", "refused"), outcome
            if must_refuse:
                assert outcome.result == "refused", (mutations, sheet_mode, outcome.result)
            if outcome.result == "refused":
                assert path.name in outcome.message, (mutations, sheet_mode, outcome.message)
                # its own message, not the fallback for an unexpected error (a Python class name)
                assert not PYTHON_ERROR.search(outcome.message), (mutations, outcome.message)
                assert dump(conn) == before, (mutations, sheet_mode)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(["import", "--db", str(db), str(path)])
            except Exception:  # noqa: BLE001
                pytest.fail(f"the CLI raised for {mutations} {sheet_mode}:\n"
                            f"{traceback.format_exc()}")
        text = out.getvalue() + err.getvalue()
        assert "Traceback" not in text
        if outcome.result == "refused":
            assert code in (1, 2) and path.name in text, (mutations, sheet_mode, code, text)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# Each example writes and reads a real file (~0.3 s on a quiet machine): the default run does not
# shrink (a failure is reported as found, with its mutations in the message); the slow run does.
_SETTINGS = dict(deadline=None, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow, HealthCheck.data_too_large])
_QUICK = dict(phases=(Phase.explicit, Phase.reuse, Phase.generate), **_SETTINGS)


@settings(max_examples=30, **_QUICK)
@given(mutations=MUTATIONS, sheet_mode=SHEET)
def test_any_meta_is_a_message_or_an_import(mutations: dict[str, tuple], sheet_mode: str) -> None:
    check_meta(mutations, sheet_mode)


@settings(max_examples=30, **_QUICK)
@given(key=st.sampled_from(KEYS), data=st.data())
def test_one_bad_key_at_a_time(key: str, data: st.DataObject) -> None:
    """One key changed (the rest intact), so each key's own check is reached."""
    check_meta({key: data.draw(_mutation(key, keep=False))}, "normal")


@pytest.mark.slow
@pytest.mark.skipif("'slow' not in config.getoption('markexpr')",
                    reason="many examples: run with -m slow")
@settings(max_examples=1500, **_SETTINGS)
@given(mutations=MUTATIONS, sheet_mode=SHEET)
def test_any_meta_many_examples(mutations: dict[str, tuple], sheet_mode: str) -> None:
    check_meta(mutations, sheet_mode)


def test_unchanged_meta_imports(tmp_path: Path) -> None:
    """The base file itself is fine (so a refusal above comes from the value changed)."""
    db = tmp_path / "w.sqlite3"
    shutil.copy(_base()["db"], db)
    with closing(open_workbook(db)) as conn:
        assert import_file(conn, _base()["file"]).result == "applied"



@pytest.mark.slow
@pytest.mark.skipif("'slow' not in config.getoption('markexpr')",
                    reason="many examples: run with -m slow")
@settings(max_examples=600, **_SETTINGS)
@given(key=st.sampled_from(KEYS), data=st.data())
def test_one_bad_key_many_examples(key: str, data: st.DataObject) -> None:
    check_meta({key: data.draw(_mutation(key, keep=False))}, "normal")
