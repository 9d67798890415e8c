"""Issue 14: many rounds of exchange between two regions and the center, as a Hypothesis state
machine on real SQLite files and real .xlsx files. Each database is compared after every step with
a plain model of the specified field-level three-way merge (tests/exchange_rounds_helpers.py).

Default run: 20 examples of 30 steps. More: `pytest -m slow tests/test_exchange_rounds.py` (300 of
50, and failures are shrunk). `--hypothesis-show-statistics` gives the examples run; with
PLANMONITOR_ROUNDS_STATS=FILE each example appends its steps and imports to FILE."""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path
from pprint import pformat
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from db.audit import OpInfo
from db.ops import REGIONAL, apply_writes
from db.ops import RowWrite as Write
from db.validation import same
from db.workbook import init_database, open_workbook
from exports.xlsx_export import export_return
from resources.words import tr
from tests.exchange_rounds_helpers import (
    LANGS,
    PERIOD,
    STATUSES,
    TRACKED,
    FileModel,
    ModelDB,
    defaults,
    dropped_unseen,
    file_of_export,
    import_file,
    merge,
    read_rows,
    regional_dump,
    type_cells,
)

REGIONS = ("KZ-75", "KZ-11")
TEXTS = ("Начато", "Іс-шара өткізілді, 45 қызметкер", "Done", "=не формула", "Приказ № 5")
WOMEN = (None, 0, 3, 5)  # always <= every total below, so merged rows keep women <= total
TOTALS = (None, 10, 12, 1234)
PERCENTS = (None, 0, 12.5, 40, 100)
COUNTS = (None, 0, 7, 1234)
TAKES = st.sampled_from((None, None, "file", "local"))
NUMBER_FIELDS = {("gender_figure", "women"): WOMEN, ("gender_figure", "total"): TOTALS}
_TEMPLATES: dict[str, Path] = {}


def _number_choices(tk: tuple, name: str) -> tuple:
    if tk[0] == "indicator_value":
        return PERCENTS if tk[1][0] == "IND-02" else COUNTS
    return NUMBER_FIELDS[(tk[0], name)]


def _typed_number(value: Any, how: int) -> Any:
    """A number as a person types it: a number cell, or text with a decimal comma or a (non
    breaking) space between thousands."""
    if value is None:
        return None
    if how == 0:
        return value
    text = f"{value:g}".replace(".", ",")
    if value >= 1000:
        text = f"{int(value):,}".replace(",", " " if how == 1 else "\u00a0")
    return text


def _core_values(tk: tuple) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for name in REGIONAL[tk[0]].fields:
        if name == "status":
            fields[name] = st.sampled_from(STATUSES)
        elif name in ("women", "total", "value"):
            fields[name] = st.sampled_from(_number_choices(tk, name))
        else:
            fields[name] = st.sampled_from(("", *TEXTS))
    return st.sets(st.sampled_from(sorted(fields)), min_size=1).flatmap(
        lambda names: st.fixed_dictionaries({n: fields[n] for n in sorted(names)}))


CORE_EDITS = st.sampled_from(TRACKED).flatmap(lambda tk: st.tuples(st.just(tk), _core_values(tk)))


def _person_edit(tk: tuple, name: str) -> st.SearchStrategy[tuple]:
    if name == "status":
        how = st.sampled_from(("file", "file", "other", "key", "clear"))
        return st.tuples(st.just(tk), st.just(name), st.tuples(st.sampled_from(STATUSES), how))
    if name in ("women", "total", "value"):
        return st.tuples(st.just(tk), st.just(name), st.tuples(
            st.sampled_from(_number_choices(tk, name)), st.integers(0, 2)))
    return st.tuples(st.just(tk), st.just(name), st.sampled_from((None, *TEXTS)))


ERRORS = (  # (tk, field, typed): cells that must refuse the whole file
    (("action_report", (2,)), "status", "почти готово"),
    (("indicator_value", ("IND-02", "total")), "value", "много"),
    (("indicator_value", ("IND-02", "total")), "value", 150),
    (("gender_figure", ("rural_akims",)), "women", "3 или 4"),
)
PERSON_EDITS = st.one_of(
    *[_person_edit(tk, name) for tk in TRACKED for name in REGIONAL[tk[0]].fields],
    st.sampled_from(ERRORS).map(lambda e: (*e[:2], ("error", e[2]))))


def _template(mode: str, region: str | None) -> Path:
    """A fresh database, made once per test session and copied for each example."""
    name = region or "center"
    if name not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="rounds-template-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / f"{name}.sqlite3"
        init_database(path, mode=mode, region_code=region, user_name=f"user {name}", language="ru")
        _TEMPLATES[name] = path
    return _TEMPLATES[name]


class ExchangeRounds(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="rounds-"))
        self.conns: dict[str, sqlite3.Connection] = {}
        self.models: dict[str, ModelDB] = {}
        for name, mode, region in (*[(r, "region", r) for r in REGIONS],
                                   ("center", "center", None)):
            folder = self.dir / name
            folder.mkdir()
            shutil.copy(_template(mode, region), folder / "workbook.sqlite3")
            self.conns[name] = open_workbook(folder / "workbook.sqlite3")
            self.models[name] = ModelDB(name)
        self.files: list[FileModel] = []
        self.imports = self.steps = 0

    def teardown(self) -> None:
        stats = os.environ.get("PLANMONITOR_ROUNDS_STATS")  # a file: one line per example
        if stats:
            with open(stats, "a", encoding="utf-8") as out:
                out.write(f"{type(self).__name__} steps={self.steps} imports={self.imports} "
                          f"files={len(self.files)}\n")
        for conn in self.conns.values():
            conn.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _edit_in_core(self, where: str, region: str, edit: tuple) -> None:
        tk, values = edit
        info = OpInfo(user=f"user {where}", source="ui")
        apply_writes(self.conns[where], [Write(tk[0], (region, PERIOD, *tk[1]), values)], info)
        self.models[where].write(region, tk, values)

    @rule(region=st.sampled_from(REGIONS), edit=CORE_EDITS)
    def edit_at_region(self, region: str, edit: tuple) -> None:
        self.steps += 1
        self._edit_in_core(region, region, edit)

    @rule(region=st.sampled_from(REGIONS), edit=CORE_EDITS)
    def edit_at_center(self, region: str, edit: tuple) -> None:
        self.steps += 1
        self._edit_in_core("center", region, edit)

    @rule(region=st.sampled_from(REGIONS), lang=st.sampled_from(LANGS))
    def export(self, region: str, lang: str) -> None:
        self.steps += 1
        self._export(region, lang)

    def _export(self, region: str, lang: str) -> FileModel:
        path = self.dir / f"{len(self.files):03d}-{region}-{lang}.xlsx"
        export_return(self.conns[region], region, PERIOD, lang, path)
        self.files.append(file_of_export(self.models[region], path, region, lang,
                                         len(self.files)))
        return self.files[-1]

    @rule(index=st.integers(0, 10**6))
    def copy_file(self, index: int) -> None:
        self.steps += 1
        if not self.files:
            return  # (a precondition would show as retried draws in the statistics)
        f = self.files[index % len(self.files)]
        path = self.dir / f"{len(self.files):03d}-copy-of-{f.path.stem}.xlsx"
        shutil.copy(f.path, path)
        self.files.append(f.copy_to(path))

    @rule(index=st.integers(0, 10**6), edits=st.lists(PERSON_EDITS, min_size=1, max_size=4))
    def edit_file(self, index: int, edits: list[tuple]) -> None:
        self.steps += 1
        if not self.files:
            return  # (a precondition would show as retried draws in the statistics)
        self._edit(self.files[index % len(self.files)], edits)

    def _edit(self, f: FileModel, edits: list[tuple]) -> None:
        cells = []
        for tk, name, how in edits:
            values = f.rows[tk][1]
            f.errors.pop((tk, name), None)
            if isinstance(how, tuple) and how[0] == "error":
                typed = how[1]
                f.errors[(tk, name)] = str(typed)
            elif name == "status":
                key, way = how
                other = LANGS[(LANGS.index(f.lang) + 1) % 3]
                typed = {"file": tr(f"status.{key}", f.lang), "other": tr(f"status.{key}", other),
                         "key": key, "clear": None}[way]
                if typed is None:
                    values.pop("status", None)
                else:
                    values["status"] = key
            elif name in ("women", "total", "value"):
                typed = _typed_number(how[0], how[1])
                values[name] = how[0]
            else:
                typed = how
                values[name] = how or ""
            f.edited.add((tk, name))
            cells.append((tk, name, typed))
        type_cells(f.path, f.lang, cells)

    @rule(index=st.integers(0, 10**6), where=st.sampled_from((*REGIONS, "center")), take=TAKES)
    def import_anywhere(self, index: int, where: str, take: str | None) -> None:
        self.steps += 1
        if not self.files:
            return  # (a precondition would show as retried draws in the statistics)
        self._import(self.files[index % len(self.files)], where, take)

    @rule(index=st.integers(0, 10**6), take=TAKES)
    def import_at_center(self, index: int, take: str | None) -> None:
        self.steps += 1
        if not self.files:
            return  # (a precondition would show as retried draws in the statistics)
        self._import(self.files[index % len(self.files)], "center", take)

    @rule(index=st.integers(0, 10**6), take=TAKES)
    def import_at_its_region(self, index: int, take: str | None) -> None:
        self.steps += 1
        if not self.files:
            return  # (a precondition would show as retried draws in the statistics)
        f = self.files[index % len(self.files)]
        self._import(f, f.region, take)

    @rule(region=st.sampled_from(REGIONS), lang=st.sampled_from(LANGS),
          edits=st.lists(PERSON_EDITS, min_size=1, max_size=4),
          where=st.sampled_from(("own", "own", "center", "other")), take=TAKES)
    def round_trip(self, region: str, lang: str, edits: list[tuple], where: str,
                   take: str | None) -> None:
        """Export, edit as a person would and import, in one step."""
        self.steps += 1
        f = self._export(region, lang)
        self._edit(f, edits)
        other = REGIONS[1 - REGIONS.index(region)]
        self._import(f, {"own": region, "center": "center", "other": other}[where], take)

    def _import(self, f: FileModel, target: str, take: str | None) -> None:
        conn, model = self.conns[target], self.models[target]
        before = {tk: dict(model.current(f.region, tk)) for tk in TRACKED}
        dump_before = regional_dump(conn)
        received = {k: (v.s, dict(v.snapshot)) for k, v in model.received.items()
                    if k[0] == f.region}
        # an edited copy no longer carries the region's signature: the center's person ticks
        # "accept without a signature" (issue 20); a region takes its own copies as always
        unsigned = target == "center" and bool(f.edited)
        preview = import_file(conn, f.path, dry_run=True, accept_unsigned=unsigned)
        assert preview.result in ("previewed", "refused"), (f.path.name, preview.result)
        assert regional_dump(conn) == dump_before, (f.path.name, "the preview wrote")
        previewed = {(c.table, tuple(c.key)[2:], c.field) for c in preview.plan.conflicts} \
            if preview.result == "previewed" else set()
        expected = merge(model, f, take, commit=True)
        outcome = import_file(conn, f.path, take=take, accept_unsigned=unsigned)
        self.imports += 1
        got = {(c.table, tuple(c.key)[2:], c.field) for c in outcome.plan.conflicts} \
            if outcome.plan is not None and outcome.result != "refused" else set()
        diffs = self._diffs(target)
        label = {"import": f"{f.path.name} (source {f.source}) -> {target} take={take}",
                 "message": outcome.message, "result": outcome.result,
                 "expected": expected.result, "conflicts": sorted(got, key=repr),
                 "expected conflicts": sorted(expected.conflicts, key=repr),
                 "file rows": f.rows, "db before": before, "received before": received,
                 "db differs from model": diffs}
        assert outcome.result == expected.result, pformat(label, width=100)
        if outcome.result in ("refused", "conflicts"):
            assert regional_dump(conn) == dump_before, pformat(label, width=100)
        assert got == expected.conflicts, pformat(label, width=100)
        assert (preview.result == "refused") == (expected.result == "refused"), preview.message
        if outcome.result != "refused":
            assert previewed == expected.conflicts, (previewed, expected.conflicts)
        if outcome.result != "refused":
            label["stale"] = (outcome.plan.stale, "expected", expected.stale)
            assert outcome.plan.stale == expected.stale, pformat(label, width=100)
        lost = dropped_unseen(f, before, model, read_rows(conn, f.region), outcome,
                              expected.bases)
        assert not lost, pformat((label, lost), width=100)
        assert not diffs, pformat(label, width=100)
        # the same file again changes nothing
        dump_after = regional_dump(conn)
        again = import_file(conn, f.path, accept_unsigned=unsigned)
        second = merge(model, f, None, commit=True)
        assert again.result == second.result, (label, "again", again.result, second)
        assert again.result in ("unchanged", "conflicts", "refused"), (label, again.result)
        assert regional_dump(conn) == dump_after, (label, "again")

    def _diffs(self, name: str) -> list[tuple]:
        conn, model = self.conns[name], self.models[name]
        out = []
        for region in REGIONS:
            got = read_rows(conn, region)
            want = model.expected(region)
            for key in sorted(got.keys() | want.keys(), key=repr):
                g_values, g_rev = got.get(key, (defaults(key[0]), 0))
                w_values, w_rev = want.get(key, (defaults(key[0]), 0))
                if g_rev != w_rev or not all(same(g_values[k], w_values[k]) for k in w_values):
                    out.append((name, region, key, "db", g_values, g_rev,
                                "model", w_values, w_rev))
        return out

    def _check(self, name: str) -> None:
        diffs = self._diffs(name)
        assert not diffs, diffs

    @invariant()
    def databases_equal_the_model(self) -> None:
        for name in self.conns:
            self._check(name)

    @invariant()
    def integrity(self) -> None:
        for conn in self.conns.values():
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# No example database (a failure is printed in full; shrinking a many-rounds case takes minutes, so
# the default run reports the first failing sequence as found, and the slow run shrinks it).
_COMMON = dict(deadline=None, suppress_health_check=list(HealthCheck), database=None)
ExchangeRounds.TestCase.settings = settings(
    max_examples=20, stateful_step_count=30,
    phases=(Phase.explicit, Phase.reuse, Phase.generate), **_COMMON)
TestExchangeRounds = ExchangeRounds.TestCase


class SlowExchangeRounds(ExchangeRounds):
    pass


SlowExchangeRounds.TestCase.settings = settings(max_examples=300, stateful_step_count=50,
                                                **_COMMON)


@pytest.mark.slow
@pytest.mark.skipif("'slow' not in config.getoption('markexpr')",
                    reason="many rounds: run with -m slow")
class TestExchangeRoundsSlow(SlowExchangeRounds.TestCase):
    pass


def test_template_databases_open(tmp_path: Path) -> None:
    """The machine's databases start empty (its model starts from defaults)."""
    for name, mode, region in (("KZ-75", "region", "KZ-75"), ("center", "center", None)):
        with closing(open_workbook(_template(mode, region))) as conn:
            assert all(not read_rows(conn, r) for r in REGIONS), name
