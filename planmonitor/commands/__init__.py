"""The command line's commands, one module per feature (see COMMAND_MODULES in planmonitor.cli),
and what they share: finding and opening the workbook that --db names."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from db.office import Office, load_office
from db.workbook import open_workbook
from resources.paths import default_db_path
from resources.words import set_language


def resolve_db(args: argparse.Namespace) -> Path:
    """The workbook --db names, else the per-user one (PLANMONITOR_DB overrides)."""
    return Path(args.db) if args.db else default_db_path()


def open_for(args: argparse.Namespace) -> tuple[sqlite3.Connection, Office]:
    """Open the workbook named by --db and speak the office's language unless --lang says."""
    conn = open_workbook(resolve_db(args))
    office = load_office(conn)
    set_language(args.lang or office.language)
    args.lang = args.lang or office.language
    return conn, office
