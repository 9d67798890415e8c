"""The regional PDF summary: real demo databases in, real PDFs out, text read back with pypdf."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from db import queries, rules
from db.audit import OpInfo
from db.demo import fill_demo
from db.errors import PlanMonitorError
from db.office import load_office
from db.ops import update_action
from exports.pdf_report import MAX_MEASURES_CHARS, build_region_report
from planmonitor.cli import main
from resources.words import LANGS, tr
from tests.conftest import REGION, TODAY

PERIOD = "2026-Q4"
KAZAKH_LETTERS = set("ӘҒҚҢӨҰҮҺІәғқңөұүһі")


@pytest.fixture
def demo(region_db: sqlite3.Connection) -> sqlite3.Connection:
    fill_demo(region_db, load_office(region_db), today=TODAY)
    return region_db


def build(conn: sqlite3.Connection, tmp_path: Path, lang: str, **kw: object) -> list[str]:
    path = build_region_report(conn, REGION, PERIOD, lang, tmp_path / f"r-{lang}.pdf",
                               today=TODAY, **kw)
    return [page.extract_text() for page in PdfReader(path).pages]


def test_every_page_says_page_x_of_y_and_the_fingerprint(demo: sqlite3.Connection,
                                                         tmp_path: Path) -> None:
    pages = build(demo, tmp_path, "en")
    assert len(pages) > 2
    prints = set()
    for number, text in enumerate(pages, 1):
        assert tr("report.footer.page", "en", page=number, pages=len(pages)) in text
        prints.add(re.search(r"Data fingerprint: ([0-9a-f]{12})", text).group(1))
    assert len(prints) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_all_actions_region_and_statuses_from_the_database(demo: sqlite3.Connection,
                                                           tmp_path: Path, lang: str) -> None:
    text = "\n".join(build(demo, tmp_path, lang))
    actions = queries.action_rows(demo, REGION, PERIOD, lang, TODAY)
    assert len(actions) == 27
    for a in actions:
        first_words = r"\s+".join(re.escape(w) for w in a.name.split()[:2])
        assert re.search(rf"(?m)^{a.no}\n{first_words}", text), a.no
    assert queries.region_name(demo, REGION, lang) in text
    assert tr("report.kind.region", lang) in text
    for status in rules.PROGRESS_KEYS:
        marked = " ".join(text.split()).count(f"● {rules.status_label(status, lang)}")
        assert marked == sum(rules.status_key(a.status) == status for a in actions), status


def test_key_figures_are_the_databases_counts(demo: sqlite3.Connection, tmp_path: Path) -> None:
    first = build(demo, tmp_path, "ru")[0].splitlines()
    start = first.index(tr("report.figures.title", "ru")) + 1
    shown = [line.strip() for line in first[start:start + 9]]
    actions = queries.action_rows(demo, REGION, PERIOD, "ru", TODAY)
    overall = queries.overall_progress(queries.section_progress(demo, REGION, PERIOD, "ru"))
    expected = [str(overall.total), *(str(overall.counts[s]) for s in rules.PROGRESS_KEYS),
                str(sum(a.overdue for a in actions)), str(sum(a.due_soon for a in actions)),
                tr("report.figures.percent", "ru", value=f"{overall.percent:g}".replace(".", ","))]
    assert shown == expected
    assert sum(a.overdue for a in actions) > 0


def test_kazakh_letters_are_text_not_boxes(demo: sqlite3.Connection, tmp_path: Path) -> None:
    text = "\n".join(build(demo, tmp_path, "kk"))
    sections = " ".join(s.name for s in queries.sections(demo, "kk"))
    bodies = " ".join(g.name for g in queries.gender_rows(demo, REGION, PERIOD, "kk"))
    expected = KAZAKH_LETTERS & set(sections + bodies + tr("report.title", "kk"))
    assert len(expected) >= 8
    assert expected <= set(text)
    assert "\ufffd" not in text and "■" not in text
    assert queries.region_name(demo, REGION, "kk") in text


def test_dates_gender_and_indicators_come_from_the_database(demo: sqlite3.Connection,
                                                            tmp_path: Path) -> None:
    text = "\n".join(build(demo, tmp_path, "en"))
    as_of = queries.data_as_of(demo, REGION, PERIOD)
    assert f"Data as of {as_of[8:10]}.{as_of[5:7]}.{as_of[:4]}" in text
    assert f"Printed on {TODAY:%d.%m.%Y}" in text
    women, total = queries.gender_totals(queries.gender_rows(demo, REGION, PERIOD, "en"))
    assert re.search(rf"Total\n\s*{women:,}\n\s*{total:,}\n", text)
    for row in queries.indicator_rows(demo, REGION, PERIOD, "en")[:5]:
        assert row.code in text
    assert tr("report.indicators.title", "en") in text
    assert tr("report.sign.prepared_by", "en") in text


def test_same_data_same_fingerprint_in_every_language_and_changes_with_data(
        demo: sqlite3.Connection, tmp_path: Path) -> None:
    def fingerprint_of(lang: str) -> str:
        first = build(demo, tmp_path, lang)[0]
        return re.search(r"([0-9a-f]{12})\s", first.split(tr("report.footer.fingerprint", lang,
                                                               hash=""))[1]).group(1)

    before = {lang: fingerprint_of(lang) for lang in LANGS}
    assert len(set(before.values())) == 1
    update_action(demo, REGION, PERIOD, 1, OpInfo(user="test"), progress_note="New measure")
    assert fingerprint_of("ru") != before["ru"]


def test_overdue_only_lists_just_the_overdue_actions(demo: sqlite3.Connection,
                                                     tmp_path: Path) -> None:
    text = "\n".join(build(demo, tmp_path, "en", sections={"overdue_only"}))
    actions = queries.action_rows(demo, REGION, PERIOD, "en", TODAY)
    for a in actions:
        assert (a.name.split("\n")[0][:25] in text.replace("\n", " ")) == a.overdue, a.no
    assert tr("report.actions.title_overdue", "en") in text
    assert tr("report.gender.title", "en") not in text
    assert tr("report.indicators.title", "en") not in text


def test_without_indicators_and_gender(demo: sqlite3.Connection, tmp_path: Path) -> None:
    text = "\n".join(build(demo, tmp_path, "kk", sections={"actions"}))
    assert tr("report.actions.title", "kk") in text
    assert tr("report.gender.title", "kk") not in text
    assert tr("report.indicators.title", "kk") not in text


def test_very_long_measures_are_trimmed_with_a_note(demo: sqlite3.Connection,
                                                    tmp_path: Path) -> None:
    long_note = " ".join(f"шара{n}" for n in range(600))
    update_action(demo, REGION, PERIOD, 5, OpInfo(user="test"), status="in_progress",
                  progress_note=long_note)
    text = " ".join(build(demo, tmp_path, "ru")).replace("\n", " ")
    assert "шара10 шара11" in text
    assert "шара599" not in text
    assert tr("report.actions.trimmed", "ru") in text
    assert len(long_note) > MAX_MEASURES_CHARS


def test_unknown_section_and_region_are_refused_without_a_file(demo: sqlite3.Connection,
                                                               tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    with pytest.raises(PlanMonitorError) as err:
        build_region_report(demo, REGION, PERIOD, "kk", target, sections={"charts"})
    assert err.value.key == "report.error.unknown_section"
    assert "charts" in err.value.message("kk")
    with pytest.raises(PlanMonitorError):
        build_region_report(demo, "KZ-99", PERIOD, "ru", target)
    assert list(tmp_path.iterdir()) == [tmp_path / "data"] or not target.exists()
    assert not target.exists()


def test_cancel_from_progress_writes_nothing(demo: sqlite3.Connection, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []

    def cancel_late(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < total - 1

    target = tmp_path / "out" / "summary.pdf"
    target.parent.mkdir()
    with pytest.raises(PlanMonitorError) as err:
        build_region_report(demo, REGION, PERIOD, "en", target, progress=cancel_late)
    assert err.value.key == "report.error.cancelled"
    assert list(target.parent.iterdir()) == []
    steps: list[tuple[int, int]] = []
    build_region_report(demo, REGION, PERIOD, "en", target,
                        progress=lambda d, t: steps.append((d, t)) or True)
    assert target.exists() and steps[-1][0] == steps[-1][1]
    assert [d for d, _ in steps] == sorted(d for d, _ in steps)


def test_cli_writes_the_regional_summary(demo: sqlite3.Connection, db_path: Path,
                                         tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "summary.pdf"
    code = main(["report", "--db", str(db_path), "--period", PERIOD, "--lang", "kk",
                 "--sections", "actions,gender", "--prepared-by", "Айгерім Сәрсенова",
                 "-o", str(out)])
    assert code == 0 and str(out) in capsys.readouterr().out
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert queries.region_name(demo, REGION, "kk") in text
    assert "Айгерім Сәрсенова" in text
    assert tr("report.indicators.title", "kk") not in text


def test_cli_refuses_another_region_and_a_bad_section(demo: sqlite3.Connection, db_path: Path,
                                                      tmp_path: Path,
                                                      capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "x.pdf"
    assert main(["report", "--db", str(db_path), "--period", PERIOD, "--lang", "en",
                 "--region", "KZ-11", "-o", str(out)]) == 1
    assert main(["report", "--db", str(db_path), "--period", PERIOD, "--lang", "en",
                 "--sections", "nothing", "-o", str(out)]) == 1
    assert "nothing" in capsys.readouterr().err
    assert not out.exists()


def test_a_period_without_data_still_makes_a_summary(demo: sqlite3.Connection,
                                                     tmp_path: Path) -> None:
    path = build_region_report(demo, REGION, "2027-Q2", "ru", tmp_path / "empty.pdf", today=TODAY)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert tr("report.header.no_data", "ru") in text
    assert text.count(tr("report.actions.not_reported", "ru")) == 27
    assert text.count(f"● {tr('status.not_started', 'ru')}") == 0, "no answer is not «Не начато»"
    assert text.count(f"● {tr('status.no_answer', 'ru')}") == 27


def test_an_unwritable_target_is_refused_cleanly(demo: sqlite3.Connection,
                                                 tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "summary.pdf"
    with pytest.raises(PlanMonitorError) as err:
        build_region_report(demo, REGION, PERIOD, "kk", target)
    assert err.value.key == "report.error.cannot_write"
    assert str(target) in err.value.message("kk")
    assert not target.parent.exists()
