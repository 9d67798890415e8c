"""The package kinds a workbook imports, listed here and nowhere else: a file's `kind` is looked
up in this one dict (never turned into a module name), and no module registers itself by being
imported. `consolidated` is written, never imported, so it is not here."""

from __future__ import annotations

from exports.importer.catalog_kind import apply_catalog_plan, plan_catalog
from exports.importer.plan import KindHandler
from exports.importer.return_kind import apply_return, plan_return
from exports.importer.review_kind import apply_review_kind, plan_review_kind

KIND_HANDLERS: dict[str, KindHandler] = {
    "return": KindHandler(plan_return, apply_return),
    "catalog": KindHandler(plan_catalog, apply_catalog_plan),
    "review": KindHandler(plan_review_kind, apply_review_kind),
}

# Files sent by the center (the ministry's key must sign them at a region: exports.importer.trust).
CENTER_KINDS = frozenset({"catalog", "review"})


def kind_handler(kind: str) -> KindHandler | None:
    return KIND_HANDLERS.get(kind)
