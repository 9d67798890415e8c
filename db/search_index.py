"""The full-text index behind `db.search`: schema version 4.

The regional tables and the review remarks are WITHOUT ROWID tables, which an FTS5 external
content table cannot follow (it needs a rowid). So triggers on the source tables keep one plain
table, `search_doc`, with a row per non-empty text (which table and field, region, period, item),
pointing at the text itself in `search_text`, where each distinct text is kept once. `search_text`
is indexed with sqlite-utils' `enable_fts(..., create_triggers=True)`, whose own triggers keep
`search_text_fts` in step. Every write path (the UI, the command line, imports, undo, review
decisions) therefore updates the index in the same transaction, with no code of its own.

A text is tokenized once however many rows hold it: a measure carried over from quarter to
quarter, the same source named for every indicator. Indexing a text is the costly part of a
write, which a national import with a note on each of its values would otherwise pay per value.
Texts no row holds any more stay in `search_text` (a search joins through `search_doc` and never
shows them); `prune` drops them.

Also not folded: ё and е, й and и are different letters to the tokenizer ("отчет" does not find
"отчёт").

The tokenizer is `unicode61 remove_diacritics 2`: words split on anything that is not a letter
or digit, case folded for Cyrillic including the Kazakh letters (Қ/қ, Ө/ө, Ү/ү...), which stay
distinct from their Russian look-alikes (қ is not к). No stemming: "обучение" and "обучения" are
different words to the index; `db.search` makes every typed word a prefix query instead.
"""

from __future__ import annotations

import sqlite3

TOKENIZE = "unicode61 remove_diacritics 2"

# (source table, kind, SQL giving the item key from the row `{row}`, searchable fields).
# kind and item key follow db.review's ItemRef: ("action", "5"), ("indicator", "CODE|total").
SOURCES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("action_report", "'action'", "CAST({row}.action_no AS TEXT)", ("progress_note", "evidence")),
    ("gender_figure", "'gender'", "{row}.body_code", ("note",)),
    ("indicator_value", "'indicator'",
     "{row}.indicator_code || '|' || {row}.disaggregation_code", ("note", "source")),
    ("review_remark", "{row}.item_kind", "{row}.item_key", ("remark",)),
    ("review", "'review'", "''", ("remark",)),
)

DOC_TABLES = ("""
CREATE TABLE search_text (
    id   INTEGER PRIMARY KEY,
    body TEXT NOT NULL UNIQUE
)""", """
CREATE TABLE search_doc (
    region_code TEXT NOT NULL,
    period_code TEXT NOT NULL,
    kind        TEXT NOT NULL,
    item_key    TEXT NOT NULL,
    field       TEXT NOT NULL,
    text_id     INTEGER NOT NULL,
    PRIMARY KEY (region_code, period_code, kind, item_key, field)
) WITHOUT ROWID""", "CREATE INDEX search_doc_by_text ON search_doc(text_id)")


def _values(table: str, kind: str, key: str, name: str, row: str) -> str:
    return (f"{kind.format(row=row)}, {key.format(row=row)}, '{name}', "
            f"{row}.region_code, {row}.period_code, "
            f"(SELECT id FROM search_text WHERE body = {row}.{name})")


def _delete(kind: str, key: str, name: str) -> str:
    return (f"DELETE FROM search_doc WHERE region_code = old.region_code AND period_code = "
            f"old.period_code AND kind = {kind.format(row='old')} AND item_key = "
            f"{key.format(row='old')} AND field = '{name}';")


def _insert(table: str, kind: str, key: str, name: str) -> str:
    return (f"INSERT OR IGNORE INTO search_text(body) SELECT new.{name} WHERE new.{name} <> ''; "
            f"INSERT INTO search_doc(kind, item_key, field, region_code, period_code, text_id) "
            f"SELECT {_values(table, kind, key, name, 'new')} WHERE new.{name} <> '';")


# Regional rows an import adds in bulk name their operation (created_op); they are indexed
# together by `index_added`, in the same transaction, rather than by a trigger firing per row.
BULK_TABLES = frozenset(("action_report", "gender_figure", "indicator_value"))


def trigger_sql() -> list[str]:
    """Three triggers per searchable field: a row added (but rows added in bulk, see
    `index_added`), changed (only when the text changed, so a bulk import's status or figure
    updates cost nothing here) and removed."""
    out = []
    for table, kind, key, fields in SOURCES:
        bulk = " AND new.created_op IS NULL" if table in BULK_TABLES else ""
        for name in fields:
            stem = f"search_{table}_{name}"
            out.append(f"CREATE TRIGGER {stem}_ai AFTER INSERT ON {table} "
                       f"WHEN new.{name} <> ''{bulk} BEGIN {_insert(table, kind, key, name)} END")
            out.append(f"CREATE TRIGGER {stem}_au AFTER UPDATE OF {name} ON {table} "
                       f"WHEN old.{name} IS NOT new.{name} BEGIN {_delete(kind, key, name)} "
                       f"{_insert(table, kind, key, name)} END")
            out.append(f"CREATE TRIGGER {stem}_ad AFTER DELETE ON {table} WHEN old.{name} <> '' "
                       f"BEGIN {_delete(kind, key, name)} END")
    return out


def _fill_sql() -> list[str]:
    """The texts already in the file (a migration of an existing workbook)."""
    out = []
    for table, _kind, _key, fields in SOURCES:
        for name in fields:
            out.append(f"INSERT OR IGNORE INTO search_text(body) SELECT {name} FROM {table} "
                       f"WHERE {name} <> ''")
    for table, kind, key, fields in SOURCES:
        for name in fields:
            out.append(f"INSERT INTO search_doc(kind, item_key, field, region_code, period_code, "
                       f"text_id) SELECT {_values(table, kind, key, name, 'src')} FROM {table} "
                       f"src WHERE src.{name} <> ''")
    return out


def index_added(conn: sqlite3.Connection, table: str, op_id: int) -> None:
    """Index the texts of the rows operation `op_id` added to `table` in bulk: two statements
    over those rows, where a trigger would run three per row (a national return adds 100,000
    rows). Call it inside the operation's transaction, after the rows are inserted."""
    for source, kind, key, fields in SOURCES:
        if source != table:
            continue
        for name in fields:
            conn.execute(f"INSERT OR IGNORE INTO search_text(body) SELECT {name} FROM {table} "
                         f"WHERE created_op = ? AND {name} <> ''", (op_id,))
            conn.execute(f"INSERT INTO search_doc(kind, item_key, field, region_code, "
                         f"period_code, text_id) SELECT {_values(table, kind, key, name, 'src')} "
                         f"FROM {table} src WHERE src.created_op = ? AND src.{name} <> ''",
                         (op_id,))


def create_index(conn: sqlite3.Connection) -> None:
    """Migration 4: the document table, filled from the file's texts, its FTS5 index and the
    triggers; runs inside the migration's transaction."""
    import sqlite_utils  # here: a migration is rare, and sqlite-utils is heavy to load

    for statement in (*DOC_TABLES, *_fill_sql(), *trigger_sql()):
        conn.execute(statement)
    db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
    db.executescript = _in_transaction(conn)  # type: ignore[method-assign]
    db["search_text"].enable_fts(["body"], create_triggers=True, tokenize=TOKENIZE)


def prune(conn: sqlite3.Connection) -> int:
    """Drop the texts no row holds any more (and their index entries, by sqlite-utils' delete
    trigger); returns how many. Never needed for correct results: it only saves space."""
    return conn.execute("DELETE FROM search_text WHERE id NOT IN "
                        "(SELECT text_id FROM search_doc)").rowcount


def _in_transaction(conn: sqlite3.Connection):
    """An executescript that runs statement by statement: sqlite3's own COMMITs first, which
    would end the migration's transaction (older sqlite-utils call it as it is)."""
    def run(sql: str) -> sqlite3.Cursor:
        cursor, pending = conn.cursor(), ""
        for line in sql.splitlines(keepends=True):
            pending += line
            if sqlite3.complete_statement(pending):
                cursor.execute(pending)
                pending = ""
        if pending.strip():
            cursor.execute(pending)
        return cursor

    return run
