"""The sections a PDF summary can hold, apart from the PDF code: the desktop's Reports page
offers them as check boxes when it opens, and need not load the PDF library (reportlab) until a
report is made."""

from __future__ import annotations

OPTIONAL_SECTIONS: tuple[str, ...] = ("actions", "overdue_only", "gender", "indicators")
DEFAULT_SECTIONS = frozenset({"actions", "gender", "indicators"})
NATIONAL_SECTIONS: tuple[str, ...] = ("matrix", "missing", "gender", "indicators", "overdue",
                                      "comparisons")
