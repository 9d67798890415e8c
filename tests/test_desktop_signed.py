"""The import wizard's trust step (issue 20), in Russian and Kazakh: the ministry's first file
shows its code in large type and waits for the person's tick; a return edited outside the program
waits at the center for the tick "accept without a signature". Nothing is applied before."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from db import review  # noqa: E402
from db.audit import OpInfo  # noqa: E402
from db.keys import trusted_key  # noqa: E402
from db.office import update_preferences  # noqa: E402
from desktop.context import AppContext, Selection  # noqa: E402
from desktop.dialogs import import_wizard as iw  # noqa: E402
from desktop.dialogs.import_trust import FINGERPRINT_POINTS  # noqa: E402
from exports.xlsx_export import export_return  # noqa: E402
from exports.xlsx_review import export_review  # noqa: E402
from resources.words import tr  # noqa: E402
from tests.conftest import PERIOD, REGION, dump  # noqa: E402
from tests.exchange_editing import edit  # noqa: E402

WAIT_MS = 30_000


def open_wizard(qtbot, ctx: AppContext, path: Path) -> iw.ImportWizard:
    wizard = iw.ImportWizard(ctx, path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview_page.job.done, timeout=WAIT_MS)
    return wizard


def finish(qtbot, wizard: iw.ImportWizard) -> None:
    wizard.next()
    assert wizard.currentId() == iw.SUMMARY_PAGE
    qtbot.waitUntil(lambda: wizard.summary_page.job.done, timeout=WAIT_MS)
    assert wizard.summary_page.applied, wizard.summary_page.text.text()


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_ministrys_first_file_asks_for_its_code(qtbot, region_db: sqlite3.Connection,
                                                    db_path: Path, center_db: sqlite3.Connection,
                                                    tmp_path: Path, lang: str) -> None:
    update_preferences(region_db, language=lang)
    review.return_with_remarks(center_db, REGION, PERIOD, OpInfo("Министерство", "review"),
                               "Доработать", {("action", "1"): "Приложите протокол"})
    path = export_review(center_db, REGION, PERIOD, lang, tmp_path / "review.xlsx")
    ctx = AppContext(region_db, db_path, Selection(REGION, PERIOD))
    before = dump(region_db)
    wizard = open_wizard(qtbot, ctx, path)
    page = wizard.preview_page
    panel = page.trust
    assert panel.isVisible() and panel.step == "first"
    assert panel.title.text() == tr("sig.wizard.first_title", lang)
    code = wizard.plan.signature.fingerprint
    assert panel.code.text() == code and panel.code.font().pointSize() == FINGERPRINT_POINTS
    assert panel.tick.text() == tr("sig.wizard.first_confirm", lang)
    for shown in (page.verdict.text(), panel.text.text()):
        assert "Ed25519" not in shown and "signature" not in shown.lower()
    assert not page.isComplete(), "nothing is taken before the person confirms the code"
    assert dump(region_db) == before
    panel.tick.setChecked(True)
    assert page.isComplete()
    finish(qtbot, wizard)
    assert trusted_key(region_db, "center").fingerprint == code
    assert review.get_review(region_db, REGION, PERIOD).state == "returned"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_an_edited_return_at_the_center_needs_the_tick(qtbot, region_db: sqlite3.Connection,
                                                       center_db: sqlite3.Connection,
                                                       tmp_path: Path, lang: str) -> None:
    update_preferences(center_db, language=lang)
    path = export_return(region_db, REGION, PERIOD, lang, tmp_path / "return.xlsx")
    edit(path, lang, {"actions": [(2, "progress_note", "Заполнено в отделе")]})
    ctx = AppContext(center_db, tmp_path / "center" / "center.sqlite3", Selection(REGION, PERIOD))
    before = dump(center_db)
    wizard = open_wizard(qtbot, ctx, path)
    page = wizard.preview_page
    assert page.trust.isVisible() and page.trust.step == "unsigned"
    assert page.trust.code.isHidden()
    assert page.trust.tick.text() == tr("sig.wizard.unsigned_tick", lang)
    assert page.changes.rowCount() >= 1, "the preview shows what the file would change"
    assert not page.isComplete()
    assert dump(center_db) == before
    page.trust.tick.setChecked(True)
    assert page.isComplete()
    finish(qtbot, wizard)
    note = center_db.execute("SELECT progress_note FROM action_report WHERE region_code = ? "
                             "AND period_code = ? AND action_no = 2", (REGION, PERIOD)).fetchone()
    assert note[0] == "Заполнено в отделе"
    assert center_db.execute("SELECT signature FROM exchange_log WHERE direction = 'import'"
                             ).fetchone()[0] == "altered"
