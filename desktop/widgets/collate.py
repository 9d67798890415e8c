"""Names sorted as the language sorts them (QCollator: Kazakh Ә after А, Ё with Е in Russian),
not by their codes or by Unicode order, so a region is found where a reader looks for it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtCore import QCollator

from desktop.widgets.labels import locale_of

T = TypeVar("T")


def collated(items: Iterable[T], name: Callable[[T], str], lang: str) -> list[T]:
    """`items` in the alphabetical order of `name(item)` in the language `lang`."""
    collator = QCollator(locale_of(lang))
    collator.setNumericMode(True)  # "2" before "10" where a name holds a number
    return sorted(items, key=lambda item: collator.sortKey(name(item)))
