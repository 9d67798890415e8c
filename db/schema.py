"""Schema migrations, forward only, numbered from 1. `PRAGMA user_version` holds the version.

To change the schema, append a migration; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from db.keys import migrate_v5
from db.migrate_v7 import status_answer
from db.search_fold import create_fold_index
from db.search_index import create_index

LANG_COLUMNS = "{0}_ru TEXT NOT NULL DEFAULT '', {0}_kk TEXT NOT NULL DEFAULT '', {0}_en TEXT NOT NULL DEFAULT ''"


def _texts(name: str) -> str:
    return LANG_COLUMNS.format(name)


V1_CATALOG = f"""
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE section (
    no         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL,
    {_texts('name')},
    provenance TEXT NOT NULL CHECK (provenance IN ('verified', 'reconstructed', 'official'))
);
CREATE TABLE agency (
    code TEXT PRIMARY KEY,
    {_texts('name')},
    {_texts('short')}
);
CREATE TABLE action (
    no           INTEGER PRIMARY KEY CHECK (no BETWEEN 1 AND 999),
    section_no   INTEGER NOT NULL REFERENCES section(no),
    {_texts('name')},
    {_texts('outcome')},
    {_texts('deadline')},
    due_date     TEXT,
    local_bodies INTEGER NOT NULL DEFAULT 0,
    provenance   TEXT NOT NULL CHECK (provenance IN ('verified', 'reconstructed', 'official')),
    source       TEXT NOT NULL DEFAULT ''
);
CREATE TABLE action_agency (
    action_no   INTEGER NOT NULL REFERENCES action(no) ON DELETE CASCADE,
    agency_code TEXT NOT NULL REFERENCES agency(code),
    role        TEXT NOT NULL CHECK (role IN ('lead', 'co')),
    as_agreed   INTEGER NOT NULL DEFAULT 0,
    ord         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (action_no, agency_code)
);
CREATE TABLE region (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('oblast', 'city')),
    {_texts('name')},
    {_texts('centre')}
);
CREATE TABLE gender_body (
    code       TEXT PRIMARY KEY,
    ord        INTEGER NOT NULL DEFAULT 0,
    {_texts('name')},
    {_texts('description')},
    provenance TEXT NOT NULL DEFAULT 'reconstructed'
);
CREATE TABLE disaggregation (
    code TEXT PRIMARY KEY,
    ord  INTEGER NOT NULL DEFAULT 0,
    {_texts('name')}
);
CREATE TABLE indicator (
    code           TEXT PRIMARY KEY,
    ord            INTEGER NOT NULL DEFAULT 0,
    kind           TEXT NOT NULL CHECK (kind IN ('structural', 'process', 'outcome')),
    section_no     INTEGER REFERENCES section(no),
    action_no      INTEGER REFERENCES action(no),
    {_texts('name')},
    {_texts('definition')},
    {_texts('source')},
    unit           TEXT NOT NULL CHECK (unit IN ('percent', 'count', 'per_100k', 'yes_no', 'days', 'tenge')),
    direction      TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
    baseline_value REAL,
    baseline_year  INTEGER,
    target_value   REAL,
    target_year    INTEGER,
    periodicity    TEXT NOT NULL DEFAULT 'annual',
    provenance     TEXT NOT NULL DEFAULT 'reconstructed'
);
CREATE TABLE indicator_disaggregation (
    indicator_code      TEXT NOT NULL REFERENCES indicator(code) ON DELETE CASCADE,
    disaggregation_code TEXT NOT NULL REFERENCES disaggregation(code),
    ord                 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (indicator_code, disaggregation_code)
);
CREATE TABLE period (
    code       TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('quarter', 'half', 'year')),
    year       INTEGER NOT NULL,
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL
);
"""

# Regional rows: one per region, period and item. `revision` starts at 1 and grows on every change;
# the exchange uses it to tell a fast-forward change from a conflicting one. A missing row is
# revision 0 ("never written").
V1_REGIONAL = """
CREATE TABLE action_report (
    region_code   TEXT NOT NULL REFERENCES region(code),
    period_code   TEXT NOT NULL REFERENCES period(code),
    action_no     INTEGER NOT NULL REFERENCES action(no),
    status        TEXT NOT NULL DEFAULT 'not_started'
                  CHECK (status IN ('not_started', 'in_progress', 'completed', 'not_applicable')),
    progress_note TEXT NOT NULL DEFAULT '',
    evidence      TEXT NOT NULL DEFAULT '',
    officer       TEXT NOT NULL DEFAULT '',
    revision      INTEGER NOT NULL DEFAULT 1,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (region_code, period_code, action_no)
) WITHOUT ROWID;
CREATE TABLE gender_figure (
    region_code TEXT NOT NULL REFERENCES region(code),
    period_code TEXT NOT NULL REFERENCES period(code),
    body_code   TEXT NOT NULL REFERENCES gender_body(code),
    women       INTEGER CHECK (women IS NULL OR women >= 0),
    total       INTEGER CHECK (total IS NULL OR total >= 0),
    note        TEXT NOT NULL DEFAULT '',
    revision    INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (region_code, period_code, body_code),
    CHECK (women IS NULL OR total IS NULL OR women <= total)
) WITHOUT ROWID;
CREATE TABLE indicator_value (
    region_code         TEXT NOT NULL REFERENCES region(code),
    period_code         TEXT NOT NULL REFERENCES period(code),
    indicator_code      TEXT NOT NULL REFERENCES indicator(code),
    disaggregation_code TEXT NOT NULL REFERENCES disaggregation(code),
    value               REAL,
    note                TEXT NOT NULL DEFAULT '',
    source              TEXT NOT NULL DEFAULT '',
    revision            INTEGER NOT NULL DEFAULT 1,
    updated_at          TEXT NOT NULL,
    updated_by          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (region_code, period_code, indicator_code, disaggregation_code)
) WITHOUT ROWID;
CREATE TABLE attachment (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region(code),
    period_code TEXT NOT NULL REFERENCES period(code),
    action_no   INTEGER NOT NULL REFERENCES action(no),
    name        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attachment_by_action ON attachment(region_code, period_code, action_no);
"""

# Audit trail: one `operation` per transaction (who, when, from where), one `audit` row per field.
V1_AUDIT = """
CREATE TABLE operation (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user        TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    file_name   TEXT,
    file_sha256 TEXT
);
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    op_id     INTEGER NOT NULL REFERENCES operation(id),
    tbl       TEXT NOT NULL,
    key       TEXT NOT NULL,
    field     TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX audit_by_op ON audit(op_id);
CREATE INDEX audit_by_key ON audit(tbl, key);
CREATE TABLE exchange_log (
    id          INTEGER PRIMARY KEY,
    direction   TEXT NOT NULL CHECK (direction IN ('export', 'import')),
    kind        TEXT NOT NULL,
    package_id  TEXT,
    source      TEXT,
    region_code TEXT,
    period_code TEXT,
    exported_at TEXT,
    file_name   TEXT NOT NULL,
    file_sha256 TEXT,
    at          TEXT NOT NULL,
    result      TEXT NOT NULL DEFAULT 'applied',
    op_id       INTEGER REFERENCES operation(id)
);
CREATE INDEX exchange_by_region_period ON exchange_log(region_code, period_code, direction);
CREATE TABLE review (
    region_code TEXT NOT NULL REFERENCES region(code),
    period_code TEXT NOT NULL REFERENCES period(code),
    state       TEXT NOT NULL CHECK (state IN ('submitted', 'accepted', 'returned', 'reopened')),
    remark      TEXT NOT NULL DEFAULT '',
    revision    INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (region_code, period_code)
) WITHOUT ROWID;
CREATE TABLE review_remark (
    region_code TEXT NOT NULL,
    period_code TEXT NOT NULL,
    item_kind   TEXT NOT NULL CHECK (item_kind IN ('action', 'gender', 'indicator')),
    item_key    TEXT NOT NULL,
    remark      TEXT NOT NULL,
    PRIMARY KEY (region_code, period_code, item_kind, item_key),
    FOREIGN KEY (region_code, period_code) REFERENCES review(region_code, period_code) ON DELETE CASCADE
) WITHOUT ROWID;
"""


# Rows a bulk import adds name the operation that added it (no foreign key: a check per row would
# cost national imports; operations are never deleted once they have audit rows). NULL for rows
# whose first values were audited field by field. See db.audit.record_added.
V2_CREATED_OP = """
ALTER TABLE action_report ADD COLUMN created_op INTEGER;
ALTER TABLE gender_figure ADD COLUMN created_op INTEGER;
ALTER TABLE indicator_value ADD COLUMN created_op INTEGER
"""

# What each regional row received from another office: the base of the next three-way merge of a
# file from there (db.received).
V3_RECEIVED = """
ALTER TABLE action_report ADD COLUMN received_from TEXT;
ALTER TABLE action_report ADD COLUMN received_revision INTEGER;
ALTER TABLE action_report ADD COLUMN received_base INTEGER;
ALTER TABLE action_report ADD COLUMN received_values TEXT;
ALTER TABLE gender_figure ADD COLUMN received_from TEXT;
ALTER TABLE gender_figure ADD COLUMN received_revision INTEGER;
ALTER TABLE gender_figure ADD COLUMN received_base INTEGER;
ALTER TABLE gender_figure ADD COLUMN received_values TEXT;
ALTER TABLE indicator_value ADD COLUMN received_from TEXT;
ALTER TABLE indicator_value ADD COLUMN received_revision INTEGER;
ALTER TABLE indicator_value ADD COLUMN received_base INTEGER;
ALTER TABLE indicator_value ADD COLUMN received_values TEXT
"""


@dataclass(frozen=True)
class Migration:
    """A numbered step of the schema, applied once."""

    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    def run(conn: sqlite3.Connection) -> None:
        # executescript() would COMMIT our transaction; run statement by statement instead.
        for statement in sql.split(";"):
            if statement.strip():
                conn.execute(statement)

    return run


def _clean_text(conn: sqlite3.Connection) -> None:
    from db.text_migration import clean_stored_text  # it writes through the audit trail

    clean_stored_text(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "catalog, regional figures, audit trail, exchange log, review",
              _script(V1_CATALOG + V1_REGIONAL + V1_AUDIT)),
    Migration(2, "rows added by a bulk import name their operation", _script(V2_CREATED_OP)),
    Migration(3, "what each regional row received from another office", _script(V3_RECEIVED)),
    Migration(4, "full-text search over measures, evidence, notes and review remarks",
              create_index),
    Migration(5, "this office's signing key, the keys it trusts, signed or unsigned imports",
              migrate_v5),
    Migration(6, "control characters removed from stored text, audited", _clean_text),
    Migration(7, "an empty status is no answer; «not started» is one a person gives",
              status_answer),
    Migration(8, "search that forgives a Russian keyboard: Kazakh letters folded",
              create_fold_index),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
