"""Exchange commands: `export return|catalog|template`, `import FILE... [--dry-run]` and `keys`
(this workbook's key code and the keys it trusts)."""

from __future__ import annotations

import argparse
import json
from base64 import b64encode
from contextlib import closing
from pathlib import Path
from typing import Any

from db.errors import PlanMonitorError, UnreadableFile
from db.office import Office
from db.periods import parse_period
from planmonitor.commands import open_for
from resources.words import tr


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    export = sub.add_parser("export", parents=[common], help="write an exchange workbook (.xlsx)")
    kinds = export.add_subparsers(dest="export_kind", metavar="KIND", required=True)
    export.set_defaults(export_kinds=kinds)  # where other features add their kinds (center)
    for kind, help_text in (("return", "the region's return for a period"),
                            ("template", "an empty return to fill by hand")):
        p = kinds.add_parser(kind, parents=[common], help=help_text)
        p.add_argument("--period", required=True, help="reporting period, e.g. 2026-Q3")
        p.add_argument("--region", metavar="KZ-NN", help="center mode: the region")
        p.add_argument("-o", "--output", type=Path, required=True)
        p.set_defaults(handler=cmd_export_return, template=kind == "template")
    p = kinds.add_parser("catalog", parents=[common], help="the catalog (center mode)")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(handler=cmd_export_catalog)

    p = sub.add_parser("import", parents=[common],
                       help="check and apply exchange workbooks (files or folders)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="check and show the change only")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--take", choices=("file", "local"),
                   help="resolve every conflict with the file's or the database's value")
    p.add_argument("--trust", metavar="FINGERPRINT",
                   help="trust the key with this code (the ministry's first file, a region's "
                        "reinstalled workbook); spaces and case do not matter")
    p.add_argument("--accept-unsigned", action="store_true",
                   help="take an unsigned or edited return (or the center's edited catalog); "
                        "recorded as unsigned")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("keys", parents=[common],
                       help="this workbook's key code and the keys it trusts")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_keys)


def _region_for(region: str | None, office: Office) -> str:
    if office.is_center:
        if not region:
            raise PlanMonitorError("error.center_needs_region")
        return region.strip().upper()
    if region and region.strip().upper() != office.region_code:
        raise PlanMonitorError("error.other_region", region=region, own=office.region_code)
    return str(office.region_code)


def cmd_export_return(args: argparse.Namespace) -> int:
    from exports.xlsx_export import export_return

    conn, office = open_for(args)
    with closing(conn):
        region = _region_for(args.region, office)
        path = export_return(conn, region, parse_period(args.period).code, args.lang,
                             args.output, template=args.template)
    print(tr("xlsx.cli.exported", args.lang, file=str(path)))
    return 0


def cmd_export_catalog(args: argparse.Namespace) -> int:
    from exports.xlsx_export import export_catalog

    conn, _ = open_for(args)
    with closing(conn):
        path = export_catalog(conn, args.lang, args.output)
    print(tr("xlsx.cli.exported", args.lang, file=str(path)))
    return 0


# --- import --------------------------------------------------------------------------------------

def collect_files(paths: list[Path]) -> list[Path]:
    """Files as given; folders give their .xlsx files (sorted, not recursive)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.suffix.lower() in (".xlsx", ".xlsm") and p.is_file()
                           and not p.name.startswith("~$"))
            if not found:
                raise PlanMonitorError("xlsx.cli.no_files", path=str(path))
            out.extend(found)
        else:
            out.append(path)
    return out


def cmd_import(args: argparse.Namespace) -> int:
    from exports.importer import import_many

    conn, office = open_for(args)
    lang = args.lang
    with closing(conn):
        paths = collect_files(args.files)
        outcomes = import_many(conn, paths, office, dry_run=args.dry_run, take=args.take,
                               lang=lang, trust=args.trust,
                               accept_unsigned=args.accept_unsigned)
    if args.json:
        print(json.dumps([o.as_dict(lang) for o in outcomes], ensure_ascii=False, indent=2))
    else:
        for outcome in outcomes:
            _print_outcome(outcome, lang)
        print(tr("xlsx.cli.summary", lang))
        for outcome in outcomes:
            print(tr("xlsx.cli.summary_line", lang, file=str(outcome.path),
                     result=tr(f"xlsx.result.{outcome.result}", lang)))
    return _exit_status(outcomes)


def _exit_status(outcomes: list[Any]) -> int:
    """1 when a file was refused or waits on conflicts; 2 when no file could be read at all."""
    unreadable = [o for o in outcomes if o.result == "refused"
                  and (o.plan is None or isinstance(o.plan.refused, UnreadableFile))]
    if outcomes and len(unreadable) == len(outcomes):
        return 2
    return 1 if any(o.result in ("refused", "conflicts") for o in outcomes) else 0


def _print_outcome(outcome: Any, lang: str, limit: int = 40) -> None:
    plan = outcome.plan
    if outcome.message:
        print(outcome.message)
    if outcome.warning:
        print(outcome.warning)
    if plan is None or plan.refused is not None:
        return
    print(plan.summary(lang))
    said = plan.signature.describe(lang) if plan.signature is not None else ""
    if said:
        print(said)
    for error in plan.errors[:limit]:
        print("  " + error.message(lang))
    if len(plan.errors) > limit:
        print(tr("cli.and_more", lang, count=len(plan.errors) - limit))
    for warning in plan.warnings[:limit]:  # taken, cleaned: said at its cell
        print("  " + warning.message(lang))
    for conflict in plan.conflicts[:limit]:
        print(conflict.describe(lang))
    for change in plan.preview(limit):
        print(change.describe(lang))
    shown = plan.added_count + len(plan.changed)
    if shown > limit:
        print(tr("cli.and_more", lang, count=shown - limit))


# --- keys ----------------------------------------------------------------------------------------

def cmd_keys(args: argparse.Namespace) -> int:
    """This office's key code (fingerprint) and the keys it trusts."""
    from db.connection import transaction
    from db.keys import ensure_office_key, trusted_keys

    conn, office = open_for(args)
    lang = args.lang
    with closing(conn):
        with transaction(conn):
            key = ensure_office_key(conn)
        trusted = trusted_keys(conn)
    fingerprint = key.fingerprint if key is not None else None
    if args.json:
        print(json.dumps({"fingerprint": fingerprint, "mode": office.mode,
                          "region": office.region_code,
                          "public_key": b64encode(key.public).decode() if key else None,
                          "trusted": [t.as_dict() for t in trusted]},
                         ensure_ascii=False, indent=2))
        return 0
    print(tr("sig.keys.office", lang, fingerprint=fingerprint or "-"))
    if not office.is_center:
        center = next((t for t in trusted if t.scope == "center"), None)
        print(tr("sig.keys.center", lang, fingerprint=center.fingerprint, at=center.trusted_at[:10])
              if center else tr("sig.keys.no_center", lang))
        return 0
    regions = [t for t in trusted if t.scope != "center"]
    if not regions:
        print(tr("sig.keys.no_regions", lang))
    for t in regions:
        print(tr("sig.keys.region", lang, region=t.scope, fingerprint=t.fingerprint,
                 at=t.trusted_at[:10]))
    return 0
