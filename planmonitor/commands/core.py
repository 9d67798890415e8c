"""Core commands: init, demo, status, backup, restore, check."""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
from contextlib import closing
from dataclasses import asdict
from datetime import date
from pathlib import Path

from db import backup, queries, rules
from db.audit import OpInfo
from db.demo import fill_demo
from db.errors import PlanMonitorError
from db.office import Office
from db.periods import parse_period, period_containing
from db.workbook import check_database, init_database, restore_database
from planmonitor.commands import open_for, resolve_db
from resources import formatting
from resources.words import tr

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help="create and seed a database")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--region", metavar="KZ-NN", help="region mode for this region")
    who.add_argument("--center", action="store_true", help="center (ministry) mode")
    p.add_argument("--user", default="", help="your name, for the audit trail")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo", parents=[common], help="fill the database with demo data")
    p.add_argument("--remove", action="store_true",
                   help="remove the demo data instead (a backup is made first)")
    p.add_argument("--separate", action="store_true",
                   help="make (or keep) a separate demo workbook beside this one and print its "
                        "path; this workbook is not touched")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("status", parents=[common], help="progress, overdue actions, completeness")
    p.add_argument("--period", help="reporting period, e.g. 2026-Q3 (default: current quarter)")
    p.add_argument("--region", metavar="KZ-NN", help="center mode: the region to show")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("backup", parents=[common],
                       help="write a consistent copy of the database (default: into the "
                            "backups folder beside it, kept until you remove it)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("-o", "--output", type=Path, help="write the copy to this file instead")
    what.add_argument("--list", action="store_true",
                      help="list the backups beside the database, with reason and date")
    p.add_argument("--json", action="store_true", help="with --list: machine-readable output")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help="replace the database with a backup")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("check", parents=[common], help="integrity check and schema version")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_check)


def cmd_init(args: argparse.Namespace) -> int:
    lang = args.lang or "ru"
    region = None if args.center else args.region.strip().upper()
    result = init_database(resolve_db(args), mode="center" if args.center else "region",
                           region_code=region, user_name=args.user, language=lang)
    key = "cli.init_created" if result.created else "cli.init_exists"
    mode = tr(f"mode.{result.office.mode}", lang)
    if result.office.region_code:
        mode = f"{mode} {result.office.region_code}"
    print(tr(key, lang, file=str(resolve_db(args)), mode=mode))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    if args.remove:
        return cmd_demo_remove(args)
    if args.separate:
        return cmd_demo_separate(args)
    conn, office = open_for(args)
    with closing(conn):
        stats = fill_demo(conn, office)
    print(tr("cli.demo_done", args.lang, regions=stats.regions, periods=stats.periods,
             rows=stats.rows))
    return 0


def cmd_demo_separate(args: argparse.Namespace) -> int:
    """The demo workbook the desktop's Help menu opens (db.demo_workbook), for the command line:
    `planmonitor --db <its path> status` then shows demo figures beside real work."""
    from db.demo_workbook import ensure_demo_workbook

    conn, office = open_for(args)
    conn.close()
    path = ensure_demo_workbook(resolve_db(args), office, args.lang or office.language)
    print(tr("prints.demo.cli_path", args.lang, file=str(path)))
    return 0


def cmd_demo_remove(args: argparse.Namespace) -> int:
    """Remove the demo data, audited as a command-line operation, after an automatic backup."""
    from db.demo_rows import has_demo, remove_demo, scope_has_demo

    conn, office = open_for(args)
    with closing(conn):
        if not (has_demo(conn) or scope_has_demo(conn)):
            print(tr("demo.none", args.lang))
            return 0
        info = OpInfo(user=office.user_name, source="cli",
                      description=tr("demo.removal_description", args.lang))
        changes, saved = remove_demo(conn, resolve_db(args), info)
    print(tr("demo.removed", args.lang, count=len(changes.changes), backup=str(saved)))
    return 0


def _region_for(args: argparse.Namespace, office: Office) -> str:
    if office.is_center:
        if not args.region:
            raise PlanMonitorError("error.center_needs_region")
        return args.region.strip().upper()
    if args.region and args.region.strip().upper() != office.region_code:
        raise PlanMonitorError("error.other_region", region=args.region,
                               own=office.region_code)
    return str(office.region_code)


def status_report(conn: sqlite3.Connection, region: str, period: str, lang: str,
                  as_of: date) -> dict:
    parts = queries.section_progress(conn, region, period, lang)
    overall = queries.overall_progress(parts)
    actions = queries.action_rows(conn, region, period, lang, as_of)
    complete = queries.completeness(conn, region, period, lang)
    return {
        "region": region, "region_name": queries.region_name(conn, region, lang),
        "period": period, "as_of": as_of.isoformat(),
        "overall": {"percent": overall.percent, **overall.counts},
        "sections": [{"no": p.section.no, "code": p.section.code, "name": p.section.name,
                      "percent": p.progress.percent, **p.progress.counts} for p in parts],
        "overdue": [{"no": a.no, "name": a.name, "due_date": a.due_date, "status": a.status}
                    for a in actions if a.overdue],
        "due_soon": [{"no": a.no, "name": a.name, "due_date": a.due_date} for a in actions
                     if a.due_soon],
        "completeness": {"percent": complete.percent, "required": complete.required,
                         "filled": complete.filled,
                         "missing": [{**asdict(m), "message": m.message(lang)}
                                     for m in complete.missing]},
    }


def cmd_status(args: argparse.Namespace) -> int:
    conn, office = open_for(args)
    with closing(conn):
        region = _region_for(args, office)
        period = parse_period(args.period).code if args.period else period_containing(date.today())
        report = status_report(conn, region, period, args.lang, date.today())
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    lang = args.lang
    print(tr("cli.status_title", lang, region=report["region_name"], period=period))
    print(tr("cli.status_overall", lang, percent=formatting.number(report["overall"]["percent"], lang),
             completed=report["overall"]["completed"],
             total=sum(report["overall"][s] for s in rules.PROGRESS_KEYS)))
    for s in report["sections"]:
        bar = "#" * int(s["percent"] // 5)
        print(f"  {s['code']:>5} {formatting.percent(s['percent'], lang):>7} {bar:<20} {s['name']}")
    print(tr("cli.status_overdue", lang, count=len(report["overdue"])))
    for a in report["overdue"]:
        print(f"  {a['no']:>3}. {a['name']} ({a['due_date']})")
    c = report["completeness"]
    print(tr("cli.status_completeness", lang, percent=formatting.number(c["percent"], lang),
             filled=c["filled"],
             required=c["required"]))
    for m in c["missing"][:15]:
        print(f"  - {m['message']}")
    if len(c["missing"]) > 15:
        print(tr("cli.and_more", lang, count=len(c["missing"]) - 15))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    conn, _ = open_for(args)
    with closing(conn):
        if args.list:
            return _list_backups(resolve_db(args), args.lang, args.json)
        if args.output:
            dest = backup.backup_to(conn, args.output)
            log.info("backup written to a chosen file: %s", dest.name)
        else:
            dest = backup.automatic_backup(conn, resolve_db(args), reason=backup.MANUAL)
    print(tr("cli.backup_done", args.lang, file=str(dest)))
    return 0


def _list_backups(db_path: Path, lang: str, as_json: bool) -> int:
    infos = backup.list_backups(db_path)
    if as_json:
        print(json.dumps([{"file": str(i.path), "made": i.made.isoformat(timespec="seconds"),
                           "reason": i.reason, "reason_text": i.reason_text(lang),
                           "size": i.size, "thinned_with_age": i.thinned} for i in infos],
                         ensure_ascii=False, indent=2))
        return 0
    print(tr("backup.list_title", lang, folder=str(backup.backups_folder(db_path))))
    for info in infos:
        print(tr("backup.list_item", lang, when=formatting.date_time(info.made, lang),
                 reason=info.reason_text(lang), name=info.path.name,
                 size=formatting.number(info.size / (1024 * 1024), lang)))
    if not infos:
        print(tr("backup.list_empty", lang))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    lang = args.lang or "ru"
    safety = restore_database(resolve_db(args), args.file)
    print(tr("cli.restore_done", lang, file=str(args.file), safety=str(safety)))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    conn, _ = open_for(args)
    with closing(conn):
        result = check_database(conn)
    if args.json:
        print(json.dumps(asdict(result), ensure_ascii=False, indent=2))
    else:
        print(tr("cli.check_result", args.lang, state=tr("cli.ok" if result.ok else "cli.damaged",
                                                         args.lang),
                 integrity=result.integrity, fk=result.foreign_key_problems,
                 version=result.schema_version, supported=result.supported_version,
                 catalog=result.catalog_version))
        if result.missing:
            print(tr("cli.check_missing", args.lang, items=", ".join(result.missing)))
        if result.search_orphans:
            print(tr("cli.check_search_orphans", args.lang, count=result.search_orphans))
    return 0 if result.ok else 1
