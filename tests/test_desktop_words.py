"""No internal code, key or English word in what a Russian or Kazakh interface shows (issue 15,
item 4): every page of a regional and a center workbook with demo data, the status bar and the
Undo menu after an edit, the help, the About text, the first start and the Reports page's
message after a language switch."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QApplication, QTabWidget  # noqa: E402

from db.demo import fill_demo_file  # noqa: E402
from db.ops import update_gender  # noqa: E402
from db.workbook import init_database  # noqa: E402
from desktop.app import create_main_window  # noqa: E402

from .conftest import REGION, trust_center  # noqa: E402
from .visible_texts import foreign_bits, widget_texts  # noqa: E402


def demo_window(qtbot, folder: Path, mode: str):
    path = folder / mode / "w.sqlite3"
    init_database(path, mode=mode, region_code=REGION if mode == "region" else None,
                  user_name="Айгерім Сәрсенова", language="ru")
    fill_demo_file(path)
    window = create_main_window(path)
    qtbot.addWidget(window)
    window.show()
    return window


def foreign_texts(root) -> list[tuple[str, list[str], str]]:
    return [(where, bits, text[:100]) for where, text in widget_texts(root)
            if (bits := foreign_bits(text))]


def test_the_checker_sees_codes_and_english_words() -> None:
    assert foreign_bits("Гендерные данные (district_city_akims)") == ["district_city_akims"]
    assert foreign_bits("Отчёт saved") == ["saved"]
    assert foreign_bits("PDF, Excel, IND-03, файл KZ-75_2026-Q3.xlsx, раздел VII") == []
    assert foreign_bits("Не представили: KZ-15, KZ-19") == ["KZ-15", "KZ-19"]
    assert foreign_bits("2025-Q1 2026-H2 2026-Y") == ["2025-Q1", "2026-H2", "2026-Y"]
    assert foreign_bits("Файл от 2026-12-07T07:26:37.833575+00:00") == [
        "2026-12-07T07:26:37.833575+00:00"]
    assert foreign_bits("review_remark область Абай") == ["review_remark"]


@pytest.mark.parametrize("mode", ["region", "center"])
def test_no_page_shows_codes_or_english_words_in_russian_or_kazakh(qtbot, tmp_path,
                                                                   mode) -> None:
    window = demo_window(qtbot, tmp_path, mode)
    found = []
    for lang in ("ru", "kk"):
        window.ctx.set_language(lang)
        for key in window.page_keys():
            window.show_page(key)
            QApplication.processEvents()
            found += [(lang, key, *bad) for bad in foreign_texts(window)]
            for tabs in window.page(key).findChildren(QTabWidget):  # every tab, not the first
                for index in range(tabs.count()):
                    tabs.setCurrentIndex(index)
                    QApplication.processEvents()
                    found += [(lang, key, index, *bad) for bad in foreign_texts(tabs)]
    assert found == []


def test_an_edit_and_its_undo_are_said_without_codes(qtbot, tmp_path) -> None:
    window = demo_window(qtbot, tmp_path, "region")
    ctx = window.ctx
    for lang in ("ru", "kk"):
        ctx.set_language(lang)
        ctx.run_op(update_gender, REGION, ctx.selection.period, "district_city_akims",
                   ctx.op_info(), women=4, total=19)
        texts = [window.statusBar().currentMessage(), window.undo_action.text()]
        window.undo_action.trigger()
        texts += [window.statusBar().currentMessage(), window.redo_action.text()]
        assert [t for t in texts if foreign_bits(t)] == [], lang


def test_help_about_and_first_start_speak_the_language(qtbot, tmp_path) -> None:
    from desktop.first_run import FirstRunDialog

    window = demo_window(qtbot, tmp_path, "region")
    for lang in ("ru", "kk"):
        window.ctx.set_language(lang)
        window.show_help()
        assert foreign_texts(window.help_dialog) == [], lang
        about = window.about_text().replace(str(window.ctx.db_path), "")
        assert foreign_bits(about) == [], lang
        dialog = FirstRunDialog(tmp_path / f"first-{lang}" / "w.sqlite3", lang)
        qtbot.addWidget(dialog)
        assert foreign_texts(dialog) == [], lang


def test_the_reports_message_follows_a_language_switch(qtbot, tmp_path) -> None:
    window = demo_window(qtbot, tmp_path, "region")
    page = window.page("reports")
    page._saved(tmp_path / "отчёт.pdf")  # as when a report has just been written
    assert page.message.text().startswith("Отчёт сохранён")
    window.ctx.set_language("kk")
    assert page.message.text().startswith("Есеп сақталды")


def test_the_center_speaks_as_the_ministry(qtbot, tmp_path) -> None:
    from db.consolidation import section_matrix
    from db.names import region_name

    window = demo_window(qtbot, tmp_path, "center")
    ctx = window.ctx
    window.show_page("exchange")
    heading = window.page("exchange").heading.text()
    assert "регионами" in heading and "Министерств" not in heading
    window.show_page("dashboard")
    said = window.page("dashboard").exchange_text.text()
    assert "выгружался" not in said and "от этого региона" in said
    missing = section_matrix(ctx.conn, ctx.selection.period, "ru").missing
    sent = next(r.code for r in section_matrix(ctx.conn, ctx.selection.period, "ru").regions
                if r.code not in missing)
    page = window.page("center")
    window.show_page("center")
    ctx.set_selection(region=missing[0])
    QApplication.processEvents()
    assert region_name(ctx.conn, missing[0], "ru") in page.review_box.title()
    assert not page.return_button.isEnabled()  # nothing sent: nothing to return
    assert not page.accept_button.isEnabled()
    ctx.set_selection(region=sent)
    QApplication.processEvents()
    assert page.return_button.isEnabled()
    ctx.set_language("kk")
    window.show_page("exchange")
    assert "Өңірлермен" in window.page("exchange").heading.text()


WAIT_MS = 30_000


def wizard_pages(qtbot, ctx, path, lang, conflicts_choice: str = "file") -> tuple[list, object]:
    """Every page an import of `path` shows, walked as a person does: (lang, page, bits...) for
    each foreign text, and the import's plan."""
    from desktop.dialogs import import_wizard as iw

    found = []
    wizard = iw.ImportWizard(ctx, path)
    qtbot.addWidget(wizard)
    wizard.show()
    found += [(lang, "file", *bad) for bad in foreign_texts(wizard)]
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview_page.job.done, timeout=WAIT_MS)
    assert wizard.plan is not None and wizard.plan.ok, wizard.preview_page.verdict.text()
    found += [(lang, "preview", *bad) for bad in foreign_texts(wizard)]
    wizard.next()
    if wizard.currentId() == iw.CONFLICTS_PAGE:
        found += [(lang, "conflicts", *bad) for bad in foreign_texts(wizard)]
        wizard.conflicts_page.choose_all(conflicts_choice)
        wizard.next()
    qtbot.waitUntil(lambda: wizard.summary_page.job.done, timeout=WAIT_MS)
    found += [(lang, "summary", *bad) for bad in foreign_texts(wizard)]
    wizard.accept()
    return found, wizard.plan


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_import_wizard_speaks_the_language_for_a_review_file(qtbot, tmp_path, lang) -> None:
    """The review file's preview named «review KZ-10|2026-Q4», «review_remark KZ-10|2026-Q4|
    action|1» and the value «returned»: now the decision, its remarks and the state in words."""
    from db import review
    from db.audit import OpInfo
    from exports.xlsx_review import export_review

    window = demo_window(qtbot, tmp_path, "region")
    ctx = window.ctx
    ctx.set_language(lang)
    center_path = tmp_path / "ministry" / "c.sqlite3"
    init_database(center_path, mode="center", region_code=None, user_name="Министерство",
                  language="ru")
    from db.workbook import open_workbook

    center = open_workbook(center_path)
    trust_center(ctx.conn, center)  # the first-trust step has a test of its own
    period = ctx.selection.period
    items = [item for item, _ in review.reviewable_items(center, "ru")[:3]]
    review.return_with_remarks(center, REGION, period, OpInfo("Министерство", "review"),
                               "Доработать", {item: "Уточните" for item in items})
    path = export_review(center, REGION, period, "ru", tmp_path / "review.xlsx")
    center.close()
    found, _plan = wizard_pages(qtbot, ctx, path, lang)
    for key in window.page_keys():  # the decision's banner and remarks on the region's pages
        window.show_page(key)
        QApplication.processEvents()
        found += [(lang, key, *bad) for bad in foreign_texts(window)]
    assert found == [], "\n".join(sorted({str(bad[-2:]) for bad in found}))


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_import_wizard_speaks_the_language_for_a_stale_return_with_conflicts(
        qtbot, tmp_path, lang) -> None:
    """A return older than one already applied (the stale warning said «2026-12-07T07:26:37…»)
    and in conflict with what is here: the preview, conflicts and summary pages in words."""
    import shutil

    from db.ops import update_gender
    from db.queries import gender_rows
    from exports.xlsx_export import export_return

    from .exchange_editing import edit

    window = demo_window(qtbot, tmp_path, "region")
    ctx = window.ctx
    ctx.set_language(lang)
    period = ctx.selection.period
    body = gender_rows(ctx.conn, REGION, period, "ru")[0].body_code
    older = export_return(ctx.conn, REGION, period, "ru", tmp_path / "older.xlsx")
    edit(older, "ru", {"gender": [(body, "women", 2)]})
    newer = export_return(ctx.conn, REGION, period, "ru", tmp_path / "newer.xlsx")
    edit(newer, "ru", {"gender": [(body, "women", 3)]})
    assert wizard_pages(qtbot, ctx, newer, lang)[0] == []
    update_gender(ctx.conn, REGION, period, body, ctx.op_info(), women=4)  # edited here since
    shutil.copy(older, tmp_path / "older-again.xlsx")
    found, plan = wizard_pages(qtbot, ctx, tmp_path / "older-again.xlsx", lang)
    assert plan.stale and plan.conflicts  # the warning and the conflict page were walked
    assert found == []


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_qt_file_dialog_and_search_speak_the_language(qtbot, tmp_path, lang) -> None:
    from PySide6.QtCore import QLocale, QMimeDatabase, QUrl
    from PySide6.QtWidgets import QFileDialog, QTreeView

    window = demo_window(qtbot, tmp_path, "region")
    window.ctx.set_language(lang)
    folder = tmp_path / "папка"  # names the person gave are theirs: Cyrillic here
    (folder / "отчёты").mkdir(parents=True)
    (folder / "отчёт.xlsx").write_bytes(b"")
    dialog = QFileDialog(window, "?", str(folder), "Excel (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as on Linux
    dialog.setSidebarUrls([QUrl.fromLocalFile(str(folder))])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "Folder" not in str(dialog.findChild(QTreeView).model().index(
        0, 2, dialog.findChild(QTreeView).rootIndex()).data() or "?"))
    for _ in range(10):
        QApplication.processEvents()
    texts = [text for _where, text in widget_texts(dialog)]
    assert not [t for t in texts if "Look in" in t or "Files of" in t]
    # a file's kind and size are said by the system in its own language (Windows: the user's),
    # not by Qt's translations or ours
    kinds = {QMimeDatabase().mimeTypeForFile(str(p)).comment()
             for p in (folder / "отчёт.xlsx", folder / "отчёты")}
    kinds.add(QLocale.system().formattedDataSize(0))
    assert [bad for bad in foreign_texts(dialog) if bad[2] not in kinds] == []
    window.open_search()
    search = window.search_dialog
    search.field.setText("насилие" if lang == "ru" else "зорлық")
    search.run()
    QApplication.processEvents()
    assert foreign_texts(search) == []
