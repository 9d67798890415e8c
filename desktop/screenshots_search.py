"""Screenshots of the search box (Ctrl+K), the center page's heat map and women-over-time lines,
in Russian and Kazakh, from a 20-region center demo made in a temporary folder: taken by
`python -m desktop.screenshots` with the shell's."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from db.demo import demo_periods, fill_demo_file  # noqa: E402
from db.workbook import init_database  # noqa: E402
from desktop.app import create_main_window  # noqa: E402
from desktop.screenshot_frame import SCREEN, save, settle  # noqa: E402
from desktop.widgets.screen_fit import fit_to_screen  # noqa: E402

LANGUAGES = ("ru", "kk")
QUERY = {"ru": "обучающ семинар", "kk": "оқыту семинар"}
HEATMAP_ACTION = 15


def center_demo(folder: Path, lang: str) -> Path:
    path = folder / f"center-{lang}" / "planmonitor.sqlite3"
    init_database(path, mode="center", region_code=None, user_name="Министерство", language=lang)
    fill_demo_file(path)
    return path


def shoot_language(app: QApplication, folder: Path, out: Path, lang: str) -> None:
    window = create_main_window(center_demo(folder, lang))
    fit_to_screen(window, available=SCREEN)  # as the shell's screenshots, 1366x768
    window.ctx.set_selection(region="KZ-75", period=demo_periods()[-2])
    window.show()
    window.go_to("center")
    page = window.pages["center"]
    page.tabs.setCurrentIndex(2)
    page.heatmap.action.setCurrentIndex(page.heatmap.action.findData(HEATMAP_ACTION))
    settle(app)
    save(window, out / f"heatmap-{lang}.png")
    page.tabs.setCurrentIndex(3)
    settle(app)
    save(window, out / f"women-over-time-{lang}.png")
    window.open_search()
    dialog = window.search_dialog
    dialog.field.setText(QUERY[lang])
    dialog.run()
    settle(app)
    save(dialog, out / f"search-{lang}.png")
    dialog.close()
    window.close()
