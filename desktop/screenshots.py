"""Screenshots of every page, the help and the first start, in Russian and Kazakh, at the size the
window takes on a 1366x768 screen with its taskbar, for the docs: `python -m desktop.screenshots
[folder]` (default docs/screenshots), offscreen.

Fresh regional and center workbooks with demo data are made in a temporary folder; nothing else
is touched."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from db.demo import fill_demo_file  # noqa: E402
from db.workbook import init_database  # noqa: E402
from desktop import screenshots_search  # noqa: E402
from desktop.app import create_main_window, make_application  # noqa: E402
from desktop.first_run import FirstRunDialog  # noqa: E402
from desktop.screenshot_frame import SCREEN, save, settle  # noqa: E402
from desktop.widgets.screen_fit import fit_to_screen  # noqa: E402
from resources.words import set_language  # noqa: E402

LANGUAGES = ("ru", "kk")
REGION = "KZ-75"
USER = {"ru": "Айгерім Сәрсенова", "kk": "Айгерім Сәрсенова"}
# a page and, where useful, the item to show on it
SHOTS = (("dashboard", None), ("actions", 2), ("gender", None), ("indicators", None),
         ("exchange", None), ("reports", None), ("history", None), ("settings", None))


def demo_workbook(folder: Path, lang: str, mode: str = "region") -> Path:
    path = folder / f"demo-{mode}-{lang}" / "planmonitor.sqlite3"
    init_database(path, mode=mode, region_code=REGION if mode == "region" else None,
                  user_name=USER[lang], language=lang)
    fill_demo_file(path)
    return path


def shoot_center(app: QApplication, folder: Path, out: Path, lang: str) -> None:
    window = create_main_window(demo_workbook(folder, lang, "center"))
    fit_to_screen(window, available=SCREEN)
    window.show()
    window.go_to("center")
    settle(app)
    save(window, out / f"center-{lang}.png")
    window.close()


def shoot_language(app: QApplication, folder: Path, out: Path, lang: str) -> None:
    window = create_main_window(demo_workbook(folder, lang))
    fit_to_screen(window, available=SCREEN)
    window.show()
    for key, item in SHOTS:
        if key not in window.page_keys():
            continue
        if key == "settings":
            window.page(key).make_backup()  # so the list of backups is not empty
        window.go_to(key, item)
        settle(app)
        save(window, out / f"{key}-{lang}.png")
    window.show_help()
    settle(app)
    save(window.help_dialog, out / f"help-{lang}.png")
    window.close()
    dialog = FirstRunDialog(folder / f"first-{lang}" / "planmonitor.sqlite3", lang)
    dialog.name_edit.setText(USER[lang])
    dialog.fit_words(640)
    dialog.show()
    settle(app)
    save(dialog, out / f"first-run-{lang}.png")
    dialog.close()


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("docs") / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = make_application(argv[:1])

    with tempfile.TemporaryDirectory(prefix="planmonitor-shots-") as tmp:
        for lang in LANGUAGES:
            set_language(lang)
            shoot_language(app, Path(tmp), out, lang)
            shoot_center(app, Path(tmp), out, lang)
            screenshots_search.shoot_language(app, Path(tmp) / "search", out, lang)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
