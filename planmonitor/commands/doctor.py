"""The problem report for the help desk: `planmonitor doctor -o FILE.zip` (db.problem_report)."""

from __future__ import annotations

import argparse
from pathlib import Path

from db.problem_report import write_problem_report
from planmonitor.commands import resolve_db
from resources.words import tr


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("doctor", parents=[common],
                       help="write a problem report for the help desk (the log, versions, the "
                            "workbook's check and schema; none of its data)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.zip")
    p.set_defaults(handler=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    """Works on a workbook that cannot be opened too: that is when a report is most needed."""
    dest = write_problem_report(resolve_db(args), args.output)
    print(tr("problem_report.saved", args.lang, file=str(dest)))
    return 0
