"""The main window's pages, one module per feature, in navigation order.

Each module defines:
    PAGE_KEY: str                 # stable id, e.g. "actions" (saved as the last page)
    TITLE_KEY: str                # i18n key of the navigation title, e.g. "ui.nav.actions"
    def available(ctx) -> bool    # optional: e.g. center-only pages
    def create_page(ctx: AppContext) -> QWidget
The page connects itself to `ctx.changed`, `ctx.selection_changed` and `ctx.language_changed`
(and retranslates its own widgets there).

The navigation needs only a page's key, title and whether it is offered, so those are kept here
as data (`PAGES`): the main window imports a page's module the first time the page is shown, and
a start loads the start page alone (a test checks this table against the modules).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class PageInfo:
    """A page as the navigation knows it, without importing its module."""

    key: str  # the module's PAGE_KEY and name: desktop.pages.<key>
    title_key: str  # the module's TITLE_KEY
    center_only: bool = False  # the module's available(ctx) is ctx.office.is_center

    @property
    def module_name(self) -> str:
        return f"{__name__}.{self.key}"

    def available(self, ctx: Any) -> bool:
        return not self.center_only or bool(ctx.office.is_center)

    def load(self) -> ModuleType:
        """The page's module (imported now if it is not yet)."""
        return importlib.import_module(self.module_name)


PAGES: tuple[PageInfo, ...] = (
    PageInfo("dashboard", "ui.nav.dashboard"),
    PageInfo("actions", "ui.nav.actions"),
    PageInfo("gender", "ui.nav.gender"),
    PageInfo("indicators", "ui.nav.indicators"),
    PageInfo("center", "ui.nav.center", center_only=True),
    PageInfo("exchange", "ui.nav.exchange"),
    PageInfo("reports", "ui.nav.reports"),
    PageInfo("history", "ui.nav.history"),
    PageInfo("settings", "ui.nav.settings"),
)


def available_pages(ctx: Any) -> list[PageInfo]:
    """The pages offered to this office, in navigation order (imports no page module)."""
    return [info for info in PAGES if info.available(ctx)]


def page_modules() -> list[ModuleType]:
    """Every page module, imported (for tests and tools; the main window loads them lazily)."""
    return [info.load() for info in PAGES]
