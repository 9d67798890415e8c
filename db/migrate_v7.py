"""Schema v7: an action's status is empty until someone reports one, and «Не начато»
(`not_started`) is an answer a person chooses, no longer what an empty status looks like.

Up to v6 a row's status defaulted to `not_started`: a row made by typing a note, or a file's
«Не начато» (every export wrote it for a status nobody gave), held `not_started` although nobody
chose it. v7 lets the column hold '' (no answer, the new default) and keeps `not_started` only
where the audit trail shows a person or a file set it: the row's last audited status change
wrote `not_started`. Everywhere else it is emptied, audited as one operation of the app's.
"""

from __future__ import annotations

import sqlite3

from db.audit import Change, OpInfo, begin_operation, drop_empty_operation, key_text, record

STATUS_COLUMN = ("status        TEXT NOT NULL DEFAULT '' CHECK (status IN ('', 'not_started', "
                 "'in_progress', 'completed', 'not_applicable'))")
OLD_STATUS = "status        TEXT NOT NULL DEFAULT 'not_started'"
OLD_CHECK = ("                  CHECK (status IN ('not_started', 'in_progress', 'completed', "
             "'not_applicable'))")
UPGRADE = OpInfo(user="", source="seed",
                 description="schema v7: a status nobody reported is empty, not «not started»")


def _rebuilt_table(conn: sqlite3.Connection) -> None:
    """Rebuild action_report with the new status column (SQLite cannot alter a CHECK): the
    same columns, rows, indexes and triggers."""
    table_sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND "
                             "name = 'action_report'").fetchone()[0]
    new_sql = table_sql.replace(OLD_STATUS + "\n" + OLD_CHECK, STATUS_COLUMN)
    if new_sql == table_sql:
        raise RuntimeError("action_report's status column is not the one v7 upgrades")
    extras = [r[0] for r in conn.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'action_report' AND type IN "
        "('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name")]
    columns = [r[1] for r in conn.execute("PRAGMA table_info(action_report)")]
    names = ", ".join(columns)
    # The old table moves aside and the new one is made under the name, from the same text (so
    # the schema keeps reading `CREATE TABLE action_report`); dropping the old one drops its
    # indexes and triggers, made again on the new one.
    conn.execute("ALTER TABLE action_report RENAME TO action_report_v6")
    conn.execute(new_sql)
    conn.execute(f"INSERT INTO action_report({names}) SELECT {names} FROM action_report_v6")
    conn.execute("DROP TABLE action_report_v6")
    for sql in extras:
        conn.execute(sql)


def chosen_not_started(conn: sqlite3.Connection) -> set[str]:
    """Keys (audit text) of the rows whose last audited status change wrote `not_started`:
    a person (or a file that changed the status) chose it."""
    last: dict[str, str | None] = {}
    for key, value in conn.execute("SELECT key, new_value FROM audit WHERE tbl = "
                                   "'action_report' AND field = 'status' ORDER BY id"):
        last[key] = value
    return {key for key, value in last.items() if value == "not_started"}


def empty_unchosen_statuses(conn: sqlite3.Connection) -> None:
    chosen = chosen_not_started(conn)
    rows = conn.execute("SELECT region_code, period_code, action_no FROM action_report "
                        "WHERE status = 'not_started'").fetchall()
    emptied = [tuple(r) for r in rows if key_text(tuple(r)) not in chosen]
    if not emptied:
        return
    op_id = begin_operation(conn, UPGRADE)
    # A new revision, as every audited change makes (db.history counts them); a row whose
    # received values were still its own stays so (its base moves along).
    conn.executemany("UPDATE action_report SET status = '', revision = revision + 1, "
                     "received_base = CASE WHEN received_base = revision THEN revision + 1 "
                     "ELSE received_base END "
                     "WHERE region_code = ? AND period_code = ? AND action_no = ?", emptied)
    record(conn, op_id, [Change("action_report", key, "status", "not_started", "")
                         for key in emptied])
    drop_empty_operation(conn, op_id)


def status_answer(conn: sqlite3.Connection) -> None:
    _rebuilt_table(conn)
    empty_unchosen_statuses(conn)
