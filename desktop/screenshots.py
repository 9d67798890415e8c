"""Screenshots of the shell's pages (dashboard, actions, history, settings) and the first start,
in Russian and Kazakh, for the docs: `python -m desktop.screenshots [folder]` (default
docs/screenshots), offscreen. The other pages' screenshots are made by their own owners.

A fresh regional workbook with demo data is made in a temporary folder; nothing else is touched."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from db.demo import fill_demo_file  # noqa: E402
from db.workbook import init_database  # noqa: E402
from desktop.app import create_main_window, make_application  # noqa: E402
from desktop.first_run import FirstRunDialog  # noqa: E402
from resources.words import set_language  # noqa: E402

SIZE = (1280, 800)
LANGUAGES = ("ru", "kk")
REGION = "KZ-75"
USER = {"ru": "Айгерім Сәрсенова", "kk": "Айгерім Сәрсенова"}
# a page and, where useful, the item to show on it
SHOTS = (("dashboard", None), ("actions", 2), ("history", None), ("settings", None))


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def save(widget: QWidget, path: Path) -> Path:
    widget.grab().save(str(path))
    print(path)
    return path


def demo_workbook(folder: Path, lang: str) -> Path:
    path = folder / f"demo-{lang}" / "planmonitor.sqlite3"
    init_database(path, mode="region", region_code=REGION, user_name=USER[lang], language=lang)
    fill_demo_file(path)
    return path


def shoot_language(app: QApplication, folder: Path, out: Path, lang: str) -> None:
    window = create_main_window(demo_workbook(folder, lang))
    window.resize(*SIZE)
    window.show()
    for key, item in SHOTS:
        if key not in window.page_keys():
            continue
        if key == "settings":
            window.page(key).make_backup()  # so the list of backups is not empty
        window.go_to(key, item)
        settle(app)
        save(window, out / f"{key}-{lang}.png")
    window.close()
    dialog = FirstRunDialog(folder / f"first-{lang}" / "planmonitor.sqlite3", lang)
    dialog.name_edit.setText(USER[lang])
    dialog.resize(640, dialog.sizeHint().height())
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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
