"""The main window's pages, one module per feature, in navigation order.

Each module defines:
    PAGE_KEY: str                 # stable id, e.g. "actions" (saved as the last page)
    TITLE_KEY: str                # i18n key of the navigation title, e.g. "ui.nav.actions"
    def available(ctx) -> bool    # optional: e.g. center-only pages
    def create_page(ctx: AppContext) -> QWidget
The page connects itself to `ctx.changed`, `ctx.selection_changed` and `ctx.language_changed`
(and retranslates its own widgets there). A module that does not exist yet is skipped.
"""

from __future__ import annotations

import importlib
from types import ModuleType

PAGE_MODULES = ("dashboard", "actions", "gender", "indicators", "center", "exchange", "reports",
                "history", "settings")


def page_modules() -> list[ModuleType]:
    found = []
    for name in PAGE_MODULES:
        try:
            found.append(importlib.import_module(f"desktop.pages.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"desktop.pages.{name}":
                raise
    return found
