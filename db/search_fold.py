"""The search's second index, of texts with Kazakh letters folded to their Russian look-alikes
(қ→к, ө→о, ү/ұ→у, і→и, ғ→г, ң→н, ә→а, һ→х) and ё to е: «окыту» typed on a Russian keyboard
finds «оқыту» (issue 22). Schema version 8.

`search_fold_fts` is a contentless FTS5 table with the same tokenizer as `search_text_fts`, its
rowid the `search_text` id: each distinct text is folded and indexed once. Triggers on
`search_text` keep it in step in the same transaction as every write (as sqlite-utils' own keep
`search_text_fts`), with the folding written out as nested replace() calls, so the file stays
correct when opened by anything without this module. The letter pairs are data
(resources/search/lookalikes.toml); `fold` folds a query the same way in Python.
`db.search_index` (the first index) is unchanged.
"""

from __future__ import annotations

import sqlite3
import tomllib
from functools import cache

from db.search_index import TOKENIZE
from resources.paths import resource_path

FOLD_TABLE = "search_fold_fts"


@cache
def lookalikes() -> dict[str, str]:
    """Each folded letter (both cases) -> the letter it is searched as."""
    with resource_path("search", "lookalikes.toml").open("rb") as fh:
        pairs = tomllib.load(fh)["fold"]
    out: dict[str, str] = {}
    for letter, like in pairs.items():
        if len(letter) != 1 or len(like) != 1 or not (letter.isalpha() and like.isalpha()):
            raise ValueError(f"lookalikes.toml: {letter!r} = {like!r} is not one letter each")
        out[letter.lower()] = like.lower()
        out[letter.upper()] = like.upper()
    return out


@cache
def _table() -> dict[int, str]:
    return str.maketrans(lookalikes())


def fold(text: str) -> str:
    """`text` with each look-alike letter replaced, one character for one (so positions in the
    folded text are positions in the text)."""
    return text.translate(_table())


def fold_sql(expression: str) -> str:
    """SQL folding `expression` as `fold` does: nested replace() over the letters (each a
    single checked letter from the resource, so quoting them is safe)."""
    for letter, like in lookalikes().items():
        expression = f"replace({expression}, '{letter}', '{like}')"
    return expression


def _statements() -> list[str]:
    new, old = fold_sql("new.body"), fold_sql("old.body")
    delete = (f"INSERT INTO {FOLD_TABLE}({FOLD_TABLE}, rowid, body) "
              f"VALUES ('delete', old.id, {old});")
    insert = f"INSERT INTO {FOLD_TABLE}(rowid, body) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE {FOLD_TABLE} USING fts5(body, content='', tokenize='{TOKENIZE}')",
        f"INSERT INTO {FOLD_TABLE}(rowid, body) SELECT id, {fold_sql('body')} FROM search_text",
        f"CREATE TRIGGER search_fold_ai AFTER INSERT ON search_text BEGIN {insert} END",
        f"CREATE TRIGGER search_fold_ad AFTER DELETE ON search_text BEGIN {delete} END",
        f"CREATE TRIGGER search_fold_au AFTER UPDATE OF body ON search_text "
        f"BEGIN {delete} {insert} END",
    ]


def create_fold_index(conn: sqlite3.Connection) -> None:
    """Migration 8: the folded index, filled from the texts already indexed, and its triggers;
    runs inside the migration's transaction."""
    for statement in _statements():
        conn.execute(statement)
