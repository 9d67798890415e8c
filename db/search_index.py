"""The full-text index behind `db.search`: schema version 4.

The regional tables and the review remarks are WITHOUT ROWID tables, which an FTS5 external
content table cannot follow (it needs a rowid). So triggers on the source tables keep one plain
table, `search_doc`, with a row per non-empty text (which table and field, region, period, item),
pointing at the text itself in `search_text`, where each distinct text is kept once. `search_text`
is indexed by the FTS5 table `search_text_fts` (external content), kept in step by three
triggers; the statements are the ones sqlite-utils' `enable_fts(..., create_triggers=True)` wrote
for workbooks made before, run here with plain sqlite3 inside the migration's transaction. Every
write path (the UI, the command line, imports, undo, review decisions) therefore updates the
index in the same transaction, with no code of its own.

A text is tokenized once however many rows hold it: a measure carried over from quarter to
quarter, the same source named for every indicator. Indexing a text is the costly part of a
write, which a national import with a note on each of its values would otherwise pay per value.
A text no row holds any more is removed, with its index entry, in the same transaction that drops
its last reference: by the trigger `PRUNE_TRIGGER`, a TEMP trigger every connection the app
opens installs (db.connection.connect), so that no schema version was needed for it. A text left
by an earlier version, or by a writer outside the app, is an orphan: `orphan_count` counts them
(`planmonitor check` reports them).

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


FTS_SQL = (  # as sqlite-utils 4 wrote them for the workbooks made before, to the character
    'CREATE VIRTUAL TABLE "search_text_fts" USING FTS5 (\n    "body",\n'
    f"    tokenize='{TOKENIZE}',\n" '    content="search_text"\n)',
    'INSERT INTO "search_text_fts" (rowid, "body")\n    SELECT rowid, "body" FROM "search_text";',
    'CREATE TRIGGER "search_text_ai" AFTER INSERT ON "search_text" BEGIN\n'
    '  INSERT INTO "search_text_fts" (rowid, "body") VALUES (new.rowid, new."body");\nEND',
    'CREATE TRIGGER "search_text_ad" AFTER DELETE ON "search_text" BEGIN\n'
    '  INSERT INTO "search_text_fts" ("search_text_fts", rowid, "body") '
    "VALUES('delete', old.rowid, old.\"body\");\nEND",
    'CREATE TRIGGER "search_text_au" AFTER UPDATE ON "search_text" BEGIN\n'
    '  INSERT INTO "search_text_fts" ("search_text_fts", rowid, "body") '
    "VALUES('delete', old.rowid, old.\"body\");\n"
    '  INSERT INTO "search_text_fts" (rowid, "body") VALUES (new.rowid, new."body");\nEND',
)

# A text whose last reference goes is removed at once (its index entry by search_text_ad).
PRUNE_TRIGGER = (
    "CREATE TEMP TRIGGER IF NOT EXISTS search_doc_prune AFTER DELETE ON main.search_doc "
    "WHEN NOT EXISTS (SELECT 1 FROM main.search_doc WHERE text_id = old.text_id) "
    "BEGIN DELETE FROM search_text WHERE id = old.text_id; END")  # a TEMP trigger finds main's


def create_index(conn: sqlite3.Connection) -> None:
    """Migration 4: the document table, filled from the file's texts, its FTS5 index and the
    triggers; runs inside the migration's transaction."""
    for statement in (*DOC_TABLES, *_fill_sql(), *trigger_sql(), *FTS_SQL):
        conn.execute(statement)
    install_pruning(conn)


def install_pruning(conn: sqlite3.Connection) -> None:
    """This connection removes texts as their last reference goes (see PRUNE_TRIGGER); nothing
    on a workbook without the index yet (before migration 4: it installs it then)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                    "AND name = 'search_doc'").fetchone():
        conn.execute(PRUNE_TRIGGER)


def remove_pruning(conn: sqlite3.Connection) -> None:
    """Before the whole file is replaced (a restore): the TEMP trigger would name a table the
    restored file may not have yet. install_pruning puts it back."""
    conn.execute("DROP TRIGGER IF EXISTS temp.search_doc_prune")


def orphan_count(conn: sqlite3.Connection) -> int:
    """The texts of the index no row holds (0 on a workbook only the app has written since
    this version; before migration 4 there is no index: 0)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                        "AND name = 'search_text'").fetchone():
        return 0
    return conn.execute("SELECT count(*) FROM search_text t WHERE NOT EXISTS "
                        "(SELECT 1 FROM search_doc d WHERE d.text_id = t.id)").fetchone()[0]
