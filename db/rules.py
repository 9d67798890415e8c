"""Domain rules that belong to the core, not the UI: statuses, deadlines, progress, validation,
completeness. Messages come from resources/i18n (core.toml) in ru, kk and en."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from db.tables import REGIONAL
from resources.words import LANGS, all_translations, tr

STATUSES: tuple[str, ...] = ("not_started", "in_progress", "completed", "not_applicable")
# An action's status before anyone reports one: no answer, told apart from «Не начато» (an
# answer a person gives) everywhere statuses are counted; counted under NO_ANSWER_KEY.
NO_ANSWER = ""
NO_ANSWER_KEY = "no_answer"
PROGRESS_KEYS: tuple[str, ...] = (*STATUSES, NO_ANSWER_KEY)
OPEN_STATUSES = (NO_ANSWER, "not_started", "in_progress")
DUE_SOON_DAYS = 30
GENDER_TARGET_PERCENT = 30.0
UNITS = ("percent", "count", "per_100k", "yes_no", "days", "tenge")
WHOLE_UNITS = ("count", "days")
MAX_NOTE_CHARS = 32_000  # Excel's cell limit is 32,767 characters
# Progress weight of each status; not_applicable is left out of the denominator.
STATUS_WEIGHT = {"not_started": 0.0, "in_progress": 0.5, "completed": 1.0, NO_ANSWER_KEY: 0.0}
# What a regional row holds before anything is reported: the defaults of db.tables.REGIONAL. A row
# whose values are all these says nothing, so it counts as not reported, exactly like a missing
# row: undoing a row's first edit leaves one behind, and an import never writes one.
EMPTY_VALUES: dict[str, dict[str, Any]] = {
    table: dict(spec.defaults) for table, spec in REGIONAL.items()}


def holds_values_sql(table: str, alias: str = "") -> str:
    """An SQL condition true for a row of a regional table that holds anything reported (some
    value differs from EMPTY_VALUES). False for a missing row of a LEFT JOIN too."""
    prefix = f"{alias}." if alias else ""
    parts = []
    for name, empty in EMPTY_VALUES[table].items():
        if empty is None:
            parts.append(f"{prefix}{name} IS NOT NULL")
        else:  # constants of this module, never user input
            parts.append(f"COALESCE({prefix}{name}, '{empty}') <> '{empty}'")
    return "(" + " OR ".join(parts) + ")"


def holds_values(table: str, values: dict[str, Any]) -> bool:
    """Python twin of holds_values_sql, for a row already read (None counts as empty)."""
    return any(values.get(name) is not None and values.get(name) != empty
               for name, empty in EMPTY_VALUES[table].items())


def status_key(status: str | None) -> str:
    """The key an action's status is counted and named under: no answer has its own."""
    return status or NO_ANSWER_KEY


def status_label(status: str | None, lang: str | None = None) -> str:
    """«Не начато», or «Статус не указан» for no answer."""
    return tr(f"status.{status_key(status)}", lang)


def _fold(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold().replace("ё", "е")


def status_from_text(text: str | None) -> str | None:
    """A status key from a key or a word in any of the three languages; None if not recognised."""
    if text is None:
        return None
    folded = _fold(str(text))
    if not folded:
        return None
    for status in STATUSES:
        words = all_translations(f"status.{status}").values()
        if folded == status or folded in {_fold(w) for w in words}:
            return status
    return None


# --- Deadlines -----------------------------------------------------------------------------------

def is_overdue(due: date | str | None, status: str, as_of: date) -> bool:
    due = _as_date(due)
    return due is not None and status in OPEN_STATUSES and due < as_of


def is_due_soon(due: date | str | None, status: str, as_of: date,
                days: int = DUE_SOON_DAYS) -> bool:
    due = _as_date(due)
    return (due is not None and status in OPEN_STATUSES
            and as_of <= due <= as_of + timedelta(days=days))


def _as_date(value: date | str | None) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# --- Progress ------------------------------------------------------------------------------------

@dataclass
class Progress:
    """How many actions are in each status."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PROGRESS_KEYS, 0))

    def add(self, status: str | None) -> None:
        self.counts[status_key(status)] += 1

    @property
    def applicable(self) -> int:
        return sum(v for k, v in self.counts.items() if k != "not_applicable")

    @property
    def percent(self) -> float:
        """Completed counts fully, in progress half; not started and no answer count nothing;
        not-applicable actions are left out."""
        if not self.applicable:
            return 100.0 if self.counts["not_applicable"] else 0.0
        score = sum(STATUS_WEIGHT[k] * v for k, v in self.counts.items() if k in STATUS_WEIGHT)
        return round(100.0 * score / self.applicable, 1)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def progress_of(statuses: Iterable[str]) -> Progress:
    progress = Progress()
    for status in statuses:
        progress.add(status)
    return progress


def gender_incomplete(women: int | None, total: int | None) -> bool:
    """One of a body's two figures given without the other: the body is shown as incomplete
    and left out of every share and sum, never counted as 0 % (nor dropped unseen)."""
    return (women is None) != (total is None)


def share_percent(women: int | None, total: int | None) -> float | None:
    if women is None or not total:
        return None
    return round(100.0 * women / total, 1)


# --- Validation ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One broken rule at one field, said in any language."""

    field: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        return tr(self.key, lang, **self.params)

    def messages(self) -> dict[str, str]:
        return {lang: self.message(lang) for lang in LANGS}
