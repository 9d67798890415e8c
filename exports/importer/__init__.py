"""Reading exchange workbooks back, by job:

- `reading`: the zip safety check, `_meta`, the sheets read on a worker thread;
- `plan`: what a plan holds (changes, conflicts, errors) and the registry of package kinds;
- `planning`: one file read and compared, writing nothing;
- `return_parse`, `return_merge`, `return_kind`: a region's return, parsed, merged three ways,
  applied; `catalog_kind`: the center's catalog (`review` lives in exports.xlsx_review);
- `freshness`: whether a file is older than one already applied (a warning);
- `apply`: one plan applied in one transaction; `batch`: files one after another.
"""

from exports.importer import catalog_kind, return_kind  # noqa: F401 - they register their kinds
from exports.importer.apply import apply_import, database_path
from exports.importer.batch import ImportBatch, ImportOutcome, import_many, import_one
from exports.importer.plan import (
    KIND_HANDLERS,
    LAZY_KINDS,
    Conflict,
    FieldChange,
    ImportPlan,
    KindHandler,
    PlanContext,
    kind_handler,
    register_kind,
)
from exports.importer.planning import plan_import
from exports.importer.reading import SheetPrefetch

__all__ = [
    "KIND_HANDLERS", "LAZY_KINDS", "Conflict", "FieldChange", "ImportBatch", "ImportOutcome",
    "ImportPlan", "KindHandler", "PlanContext", "SheetPrefetch", "apply_import", "database_path",
    "import_many", "import_one", "kind_handler", "plan_import", "register_kind",
]
