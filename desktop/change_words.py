"""Edits said in words for people, never in codes: the Undo menu's "Мероприятие 5: Статус" and
the status bar's "Мероприятие 5: статус В работе → Выполнено". A saved change is always shown
in the status bar, so a value never changes unseen; the item is named by the catalog's own names
(a body's name, not its code) in the interface's language, and numbers are written in its locale.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from db import queries, rules
from resources import formatting
from resources.words import tr

if TYPE_CHECKING:
    from db.audit import Change, OpChanges

ITEM_WORD = {"action_report": "ui.undo.action", "gender_figure": "ui.undo.gender",
             "indicator_value": "ui.undo.indicator"}
TEXT_LIMIT = 40  # characters of a text value quoted in the status bar
CONTEXT_BEFORE = 12  # characters kept before the first difference of two long texts


def number_text(value: float | int, lang: str) -> str:
    """As the reports write numbers (12,5 in ru and kk): the words below the widgets need no
    QLocale, and the undo history that uses them is imported by the context every widget sees."""
    return formatting.number(value, lang, decimals=3)


def _name(conn: sqlite3.Connection | None, sql: str, code: str, lang: str) -> str:
    if conn is None:
        return code
    row = conn.execute(sql.format(col=queries.col("name", lang)), (code,)).fetchone()
    return str(row[0]) if row and row[0] else code


def item_name(conn: sqlite3.Connection | None, table: str, key: tuple, lang: str) -> str:
    """"Мероприятие 5", "Гендерные данные (Аким и заместители акима)", "Индикатор (IND-01,
    Всего)": a row of a regional table as people know it."""
    parts = [str(part) for part in key[2:]]
    if table == "gender_figure" and parts:
        parts = [_name(conn, "SELECT {col} FROM gender_body WHERE code = ?", parts[0], lang)]
    elif table == "indicator_value" and len(parts) > 1:
        parts[1] = _name(conn, "SELECT {col} FROM disaggregation WHERE code = ?", parts[1], lang)
    return tr(ITEM_WORD.get(table, "ui.undo.item"), lang, key=", ".join(parts))


def value_text(field: str, value: Any, lang: str) -> str:
    """A field's value in words: a status by its label, a number in the locale, text quoted
    and shortened."""
    if value is None or value == "":
        return "—"
    if field == "status":
        return rules.status_label(str(value), lang)
    if isinstance(value, (int, float)):
        return number_text(value, lang)
    text = " ".join(str(value).split())
    if len(text) > TEXT_LIMIT:
        text = text[:TEXT_LIMIT - 1].rstrip() + "…"
    return f"«{text}»"


def values_text(field: str, old: Any, new: Any, lang: str) -> tuple[str, str]:
    """Both sides of «old → new» in words. Two long texts are shown from a little before the
    first place they differ, so an edit past the first TEXT_LIMIT characters does not show the
    same shortened text on both sides of the arrow."""
    if not (isinstance(old, str) and isinstance(new, str)) or field == "status":
        return value_text(field, old, lang), value_text(field, new, lang)
    old_flat, new_flat = " ".join(old.split()), " ".join(new.split())
    if not old_flat or not new_flat or max(len(old_flat), len(new_flat)) <= TEXT_LIMIT:
        return value_text(field, old, lang), value_text(field, new, lang)
    same = 0
    while same < min(len(old_flat), len(new_flat)) and old_flat[same] == new_flat[same]:
        same += 1
    start = max(0, min(same - CONTEXT_BEFORE, *(len(t) - TEXT_LIMIT // 2
                                                for t in (old_flat, new_flat))))
    space = old_flat.rfind(" ", max(0, start - CONTEXT_BEFORE), start)
    start = space + 1 if space >= 0 else start  # from the start of a word
    return excerpt(old_flat, start), excerpt(new_flat, start)


def excerpt(text: str, start: int) -> str:
    """`text` quoted from `start` for at most TEXT_LIMIT characters, «…» where it is cut."""
    part = text[start:]
    if len(part) > TEXT_LIMIT:
        part = part[:TEXT_LIMIT - 1].rstrip() + "…"
    return f"«{'…' if start > 0 else ''}{part}»"


def field_word(field: str, lang: str, *, lower: bool = False) -> str:
    word = tr(f"field.{field}", lang)
    return word[:1].lower() + word[1:] if lower else word


def _first_row(changes: OpChanges) -> list[Change]:
    first = next(iter(changes.changes))  # an import's changes are iterated, not indexed
    return [c for c in changes.changes if c.table == first.table and c.key == first.key]


def _more(changes: OpChanges, lang: str) -> str:
    more = len({(c.table, c.key) for c in changes.changes}) - 1
    return tr("ui.undo.more", lang, count=more) if more > 0 else ""


def describe(changes: OpChanges, lang: str, conn: sqlite3.Connection | None = None) -> str:
    """'Мероприятие 5: Статус' — what an edit touched, for the Undo menu."""
    row = _first_row(changes)
    item = item_name(conn, row[0].table, row[0].key, lang)
    fields = sorted({field_word(c.field, lang) for c in row})
    return f"{item}: {', '.join(fields)}" + _more(changes, lang)


def change_message(changes: OpChanges, lang: str, conn: sqlite3.Connection | None = None,
                   *, reverse: bool = False) -> str:
    """'Мероприятие 5: статус В работе → Выполнено' — what a saved edit did, value by value
    (`reverse`: as its undo does it, new back to old)."""
    row = _first_row(changes)
    item = item_name(conn, row[0].table, row[0].key, lang)
    steps = []
    for change in row:
        old, new = (change.new, change.old) if reverse else (change.old, change.new)
        old_text, new_text = values_text(change.field, old, new, lang)
        steps.append(tr("trust.change.step", lang, field=field_word(change.field, lang, lower=True),
                        old=old_text, new=new_text))
    return f"{item}: {'; '.join(steps)}" + _more(changes, lang)
