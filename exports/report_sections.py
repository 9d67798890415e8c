"""The parts a PDF summary can hold, apart from the PDF code: the command line lists them in its
help and the desktop in its check boxes without loading reportlab."""

from __future__ import annotations

OPTIONAL_SECTIONS: tuple[str, ...] = ("actions", "overdue_only", "gender", "indicators")
DEFAULT_SECTIONS = frozenset({"actions", "gender", "indicators"})
NATIONAL_SECTIONS: tuple[str, ...] = ("matrix", "missing", "gender", "indicators", "overdue",
                                      "comparisons")
