"""The office's identity and settings kept in the database: mode, region, user, language."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from db.connection import transaction
from db.errors import PlanMonitorError
from resources.words import normalize_lang

MODES = ("region", "center")


@dataclass(frozen=True)
class Office:
    """Who we are: a region's office or the center, the user and the language."""
    mode: str
    region_code: str | None
    user_name: str
    language: str

    @property
    def is_center(self) -> bool:
        return self.mode == "center"

    @property
    def source_code(self) -> str:
        """Who we are in an exchange file's `source`: a region code or `center`."""
        return "center" if self.is_center else str(self.region_code)


def get_meta(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def is_initialized(conn: sqlite3.Connection) -> bool:
    return get_meta(conn, "mode") is not None


def load_office(conn: sqlite3.Connection) -> Office:
    mode = get_meta(conn, "mode")
    if mode is None:
        raise PlanMonitorError("error.not_initialized")
    return Office(mode=mode, region_code=get_meta(conn, "region_code"),
                  user_name=get_meta(conn, "user_name", "") or "",
                  language=get_meta(conn, "language", "ru") or "ru")


def check_identity(mode: str, region_code: str | None, known_regions: Collection[str]) -> None:
    """Refuse an unknown mode or region: before a new workbook is created (against the shipped
    catalog's regions), so a refused `init` leaves no file, and again when it is written."""
    if mode not in MODES:
        raise PlanMonitorError("error.bad_mode", mode=mode)
    if mode == "region" and region_code not in known_regions:
        raise PlanMonitorError("error.unknown_region", region=region_code)


def set_identity(conn: sqlite3.Connection, *, mode: str, region_code: str | None,
                 user_name: str, language: str) -> None:
    known = [code for (code,) in conn.execute("SELECT code FROM region WHERE code = ?",
                                              (region_code,))]
    check_identity(mode, region_code, known)
    set_meta(conn, "mode", mode)
    set_meta(conn, "region_code", region_code if mode == "region" else None)
    set_meta(conn, "user_name", user_name)
    set_meta(conn, "language", language)
    if get_meta(conn, "database_id") is None:
        import uuid  # here: only a first start needs it

        set_meta(conn, "database_id", str(uuid.uuid4()))
        set_meta(conn, "created_at", datetime.now().isoformat(timespec="seconds"))


def update_preferences(conn: sqlite3.Connection, *, user_name: str | None = None,
                       language: str | None = None) -> Office:
    """Change the user's name and/or the language kept in the workbook (one transaction)."""
    with transaction(conn):
        if user_name is not None:
            set_meta(conn, "user_name", user_name.strip())
        if language is not None:
            set_meta(conn, "language", normalize_lang(language))
    return load_office(conn)
