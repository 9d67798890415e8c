"""Reading exchange workbooks back, by job:

- `reading`: the zip safety check, `_meta`, the sheets read on a worker thread;
- `plan`: what a plan holds (changes, conflicts, errors);
- `planning`: one file read and compared, writing nothing;
- `return_parse`, `return_merge`, `return_kind`: a region's return, parsed, merged three ways,
  applied; `catalog_kind`: the center's catalog; `review_kind`: the center's decision;
- `kinds`: the one list of kinds; `trust`: whether the file's signer may send it;
- `freshness`: whether a file is older than one already applied (a warning);
- `apply`: one plan applied in one transaction; `batch`: files one after another.
"""

from exports.importer.apply import apply_import, database_path
from exports.importer.batch import ImportBatch, ImportOutcome, import_many, import_one
from exports.importer.kinds import KIND_HANDLERS, kind_handler
from exports.importer.plan import Conflict, FieldChange, ImportPlan, KindHandler, PlanContext
from exports.importer.planning import plan_import
from exports.importer.reading import SheetPrefetch

__all__ = [
    "KIND_HANDLERS", "Conflict", "FieldChange", "ImportBatch", "ImportOutcome",
    "ImportPlan", "KindHandler", "PlanContext", "SheetPrefetch", "apply_import", "database_path",
    "import_many", "import_one", "kind_handler", "plan_import",
]
