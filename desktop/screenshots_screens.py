"""Screenshots of the screens issue 22 changed, in Russian and Kazakh at 1366x768: the import
wizard's conflict page and a review file's preview, History after that review, the center page
after an import of several files and a return with remarks, the center's Exchange page and
Overview, and Qt's own file dialog: `python -m desktop.screenshots_screens [folder]` (default
docs/screenshots), offscreen, from workbooks made in a temporary folder. It builds on
desktop.screenshots' helpers and is run after it (that module does not import this one)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QUrl  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog  # noqa: E402

from db import ops, review  # noqa: E402
from db.audit import OpInfo  # noqa: E402
from db.workbook import init_database, open_workbook  # noqa: E402
from desktop.app import create_main_window, make_application  # noqa: E402
from desktop.dialogs import import_wizard as iw  # noqa: E402
from desktop.pages.center_review import item_id  # noqa: E402
from desktop.screenshots import LANGUAGES, REGION, SCREEN, demo_workbook, save, settle  # noqa: E402
from desktop.widgets.screen_fit import fit_to_screen  # noqa: E402
from exports.xlsx_export import export_return  # noqa: E402
from exports.xlsx_review import export_review  # noqa: E402
from resources.words import set_language, tr  # noqa: E402

MINISTRY = OpInfo("Министерство", "review")
SENDERS = ("KZ-11", "KZ-15", "KZ-19")  # regions whose returns the center screenshot imports
WAIT_SECONDS = 60  # a worker reading or applying files


def wait(app: QApplication, job) -> None:
    """Until the worker has finished (a minute at most), its results shown."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not job.done and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    settle(app)


def edit_notes(path: Path, lang: str, note: str, actions: tuple[int, ...]) -> None:
    """Change the actions' progress notes in the file, as a person does in Excel."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book[tr("xlsx.sheet.actions", lang)]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for row in range(3, sheet.max_row + 1):
        if sheet.cell(row, columns["action_no"]).value in actions:
            sheet.cell(row, columns["progress_note"]).value = note
    book.save(path)


def shoot_wizard(app: QApplication, folder: Path, out: Path, lang: str) -> None:
    """A return in conflict with what is here; then the ministry's decision with remarks."""
    window = create_main_window(demo_workbook(folder / "wizard", lang))
    fit_to_screen(window, available=SCREEN)
    window.show()
    ctx = window.ctx
    period = ctx.selection.period
    for no in (1, 2, 3):
        ops.update_action(ctx.conn, REGION, period, no, ctx.op_info(), progress_note="Сделано")
    path = export_return(ctx.conn, REGION, period, lang, folder / f"return-{lang}.xlsx")
    for no in (1, 2, 3):
        ops.update_action(ctx.conn, REGION, period, no, ctx.op_info(),
                          progress_note="Проведён семинар для 40 сотрудников")
    edit_notes(path, lang, "Проведены два семинара", (1, 2, 3))
    wizard = iw.ImportWizard(ctx, path, window)
    wizard.show()
    wizard.next()
    wait(app, wizard.preview_page.job)
    wizard.next()
    settle(app)
    save(wizard, out / f"conflicts-{lang}.png")
    wizard.conflicts_page.choose_all("file")
    settle(app)
    save(wizard, out / f"conflicts-chosen-{lang}.png")
    wizard.reject()

    center_path = folder / "wizard-ministry" / "center.sqlite3"
    init_database(center_path, mode="center", region_code=None, user_name="Министерство",
                  language=lang)
    center = open_workbook(center_path)
    items = [item for item, _label in review.reviewable_items(center, lang)[:4]]
    review.return_with_remarks(center, REGION, period, MINISTRY, "Уточните сроки",
                               {item: "Приложите протокол" for item in items})
    decision = export_review(center, REGION, period, lang, folder / f"review-{lang}.xlsx")
    center.close()
    wizard = iw.ImportWizard(ctx, decision, window)
    wizard.show()
    wizard.next()
    wait(app, wizard.preview_page.job)
    save(wizard, out / f"review-preview-{lang}.png")
    wizard.next()
    wait(app, wizard.summary_page.job)
    wizard.accept()
    window.go_to("history")
    settle(app)
    save(window, out / f"history-review-{lang}.png")
    window.close()


def sender_files(folder: Path, period: str) -> list[Path]:
    files = []
    for code in SENDERS:
        path = folder / code / "w.sqlite3"
        init_database(path, mode="region", region_code=code, user_name="Офицер", language="ru")
        conn = open_workbook(path)
        for no in (1, 2, 3):
            ops.update_action(conn, code, period, no, OpInfo("Офицер", "ui"),
                              status="in_progress", progress_note="Начато")
        files.append(export_return(conn, code, period, "ru", folder / f"{code}.xlsx"))
        conn.close()
    return files


def shoot_center(app: QApplication, folder: Path, out: Path, lang: str) -> None:
    """The center after importing returns and returning one with remarks; its Exchange page,
    its Overview and Qt's file dialog."""
    window = create_main_window(demo_workbook(folder / "center", lang, "center"))
    fit_to_screen(window, available=SCREEN)
    window.show()
    ctx = window.ctx
    window.go_to("center")
    page = window.page("center")
    files = sender_files(folder / "senders", ctx.selection.period)
    broken = folder / "повреждённый.xlsx"
    broken.write_bytes(b"not a workbook")
    wait(app, page.import_files([*files, broken]))
    ctx.set_selection(region=SENDERS[0])
    for item, _label in review.reviewable_items(ctx.conn, lang)[:6]:
        page.item_combo.setCurrentIndex(page.item_combo.findData(item_id(item)))
        page.add_remark_row()
        page.remarks_table.item(page.remarks_table.rowCount() - 1, 2).setText(
            "Уточните значение и приложите документ")
    page.return_for_correction()
    settle(app)
    save(window, out / f"center-import-{lang}.png")
    for key in ("exchange", "dashboard"):
        window.go_to(key)
        settle(app)
        save(window, out / f"{key}-center-{lang}.png")
    dialog = QFileDialog(window, "", str(folder / "senders"), "Excel (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as on Linux
    dialog.setSidebarUrls([QUrl.fromLocalFile(str(folder / "senders"))])
    dialog.resize(820, 480)
    dialog.show()
    for _ in range(20):
        settle(app)
    save(dialog, out / f"file-dialog-{lang}.png")
    dialog.close()
    window.close()


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("docs") / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = make_application(argv[:1])
    with tempfile.TemporaryDirectory(prefix="planmonitor-screens-") as tmp:
        for lang in LANGUAGES:
            set_language(lang)
            window_folder = Path(tmp) / lang
            shoot_wizard(app, window_folder, out, lang)
            shoot_center(app, window_folder, out, lang)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
