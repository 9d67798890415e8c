"""Center-mode commands: the review of returns, the completeness matrix, the review file and the
consolidated workbook.

    planmonitor review accept|return|reopen --region KZ-NN --period P [--remark TEXT]
                       [--item action:5="text" ...]
    planmonitor review show --region KZ-NN --period P [--json]
    planmonitor matrix [--period P] [--json]
    planmonitor export review --region KZ-NN --period P -o FILE
    planmonitor export consolidated --period P -o FILE
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

from db import consolidation, review
from db.audit import OpInfo
from db.errors import PlanMonitorError
from db.office import Office
from db.periods import parse_period, period_containing
from planmonitor.commands import open_for
from resources.words import tr

DECISIONS = ("accept", "return", "reopen")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("review", parents=[common],
                       help="center: accept, return with remarks or reopen a region's return")
    p.add_argument("decision", choices=(*DECISIONS, "show"))
    p.add_argument("--region", metavar="KZ-NN", help="the region (a region office: its own)")
    p.add_argument("--period", required=True, help="reporting period, e.g. 2026-Q3")
    p.add_argument("--remark", default="", help="general remark")
    p.add_argument("--item", action="append", default=[], metavar="KIND:KEY=TEXT",
                   help="a remark on one item: action:5=..., gender:maslikhat=..., "
                        "indicator:IND-01|total=... (repeatable)")
    p.add_argument("--user", default=None, help="your name for the audit trail")
    p.add_argument("--json", action="store_true", help="show: machine-readable output")
    p.set_defaults(handler=cmd_review)

    p = sub.add_parser("matrix", parents=[common],
                       help="center: who has reported, how completely, when, which file")
    p.add_argument("--period", help="one period: regions x sections (default: regions x periods)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_matrix)

    kinds = export_kinds(sub)
    if kinds is not None:
        register_export(kinds, common)
    # `planmonitor import` reads review files too (exports.importer.kinds).


def export_kinds(sub: argparse._SubParsersAction) -> argparse._SubParsersAction | None:
    """The `export` command's KIND subcommands (registered by the exchange commands), if any."""
    export = sub.choices.get("export")
    if export is None:
        return None
    return export.get_default("export_kinds")


# --- export subcommands, added to the exchange engineer's `export` command -----------------------

def register_export(export_sub: argparse._SubParsersAction,
                    common: argparse.ArgumentParser) -> None:
    p = export_sub.add_parser("review", parents=[common],
                              help="center: the decision on a region's return, for the region")
    p.add_argument("--region", metavar="KZ-NN", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(handler=cmd_export_review)

    p = export_sub.add_parser("consolidated", parents=[common],
                              help="center: one workbook of all regions for analysis")
    p.add_argument("--period", required=True)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(handler=cmd_export_consolidated)


# --- review --------------------------------------------------------------------------------------

def parse_item(text: str) -> tuple[review.ItemRef, str]:
    """`action:5=Нет протокола` -> (("action", "5"), "Нет протокола")."""
    ref, sep, remark = text.partition("=")
    kind, colon, key = ref.partition(":")
    kind, key = kind.strip().lower(), key.strip()
    if not sep or not colon or kind not in review.ITEM_KINDS or not key:
        raise PlanMonitorError("center.cli.bad_item", item=text)
    return (kind, key), remark.strip()


def _need_center(office: Office) -> None:
    if not office.is_center:
        raise PlanMonitorError("center.cli.center_only")


def _region_of(args: argparse.Namespace, office: Office) -> str:
    if office.is_center:
        if not args.region:
            raise PlanMonitorError("error.center_needs_region")
        return args.region.strip().upper()
    return str(office.region_code)


def cmd_review(args: argparse.Namespace) -> int:
    conn, office = open_for(args)
    with closing(conn):
        region = _region_of(args, office)
        period = parse_period(args.period).code
        if args.decision == "show":
            return _show_review(conn, review.get_review(conn, region, period), args)
        _need_center(office)
        remarks = dict(parse_item(text) for text in args.item)
        info = OpInfo(user=args.user if args.user is not None else office.user_name,
                      source="review", description=f"review {args.decision} {region} {period}")
        if args.decision == "accept":
            changes = review.accept(conn, region, period, info, args.remark)
        elif args.decision == "return":
            changes = review.return_with_remarks(conn, region, period, info, args.remark, remarks)
        else:
            changes = review.reopen(conn, region, period, info, args.remark)
        state = review.get_review(conn, region, period)
    key = "center.cli.review_done" if changes else "center.cli.review_unchanged"
    print(tr(key, args.lang, region=region, period=period,
             state=tr(f"center.state.{state.state}", args.lang), remarks=len(state.remarks)))
    return 0


def review_as_dict(conn: sqlite3.Connection, state: review.Review, lang: str) -> dict[str, Any]:
    return {"region": state.region, "period": state.period, "state": state.state,
            "state_label": tr(f"center.state.{state.state or 'none'}", lang),
            "remark": state.remark, "revision": state.revision, "updated_at": state.updated_at,
            "updated_by": state.updated_by, "locked": state.locked,
            "remarks": [{"kind": k, "key": key, "item": review.item_label(conn, (k, key), lang),
                         "remark": text} for (k, key), text in state.remarks.items()]}


def _show_review(conn: sqlite3.Connection, state: review.Review, args: argparse.Namespace) -> int:
    data = review_as_dict(conn, state, args.lang)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(tr("center.cli.review_state", args.lang, region=state.region, period=state.period,
             state=data["state_label"]))
    if state.remark:
        print(f"  {state.remark}")
    for entry in data["remarks"]:
        print(f"  - {entry['item']}: {entry['remark']}")
    if state.locked:
        print(tr("center.cli.locked", args.lang))
    return 0


# --- matrix --------------------------------------------------------------------------------------

def cell_as_dict(cell: consolidation.Cell) -> dict[str, Any]:
    receipt = cell.receipt
    return {"reported": cell.reported, "percent": cell.percent, "required": cell.required,
            "filled": cell.filled, "review": cell.review_state, "resubmitted": cell.resubmitted,
            "received_at": receipt.at if receipt else None,
            "file": receipt.file_name if receipt else None,
            "result": receipt.result if receipt else None,
            "unsigned": receipt.unsigned if receipt else False}


def period_matrix_dict(matrix: consolidation.PeriodMatrix) -> dict[str, Any]:
    return {"periods": matrix.periods,
            "regions": [{"code": r.code, "name": r.name,
                         "periods": {p: cell_as_dict(matrix.cell(r.code, p))
                                     for p in matrix.periods}} for r in matrix.regions],
            "missing": {p: matrix.missing(p) for p in matrix.periods}}


def section_matrix_dict(matrix: consolidation.SectionMatrix) -> dict[str, Any]:
    return {"period": matrix.period,
            "sections": [{"no": s.no, "code": s.code, "name": s.name} for s in matrix.sections],
            "regions": [{"code": r.code, "name": r.name, **cell_as_dict(matrix.cells[r.code]),
                         "sections": {s.code: {
                             "actions": matrix.section_cell(r.code, s.no).actions,
                             "reported": matrix.section_cell(r.code, s.no).reported,
                             "progress": matrix.section_cell(r.code, s.no).progress.percent}
                             for s in matrix.sections}} for r in matrix.regions],
            "reported": len(matrix.regions) - len(matrix.missing), "missing": matrix.missing}


def _state_word(cell: consolidation.Cell, lang: str) -> str:
    state = "resubmitted" if cell.resubmitted else cell.review_state
    return tr(f"center.state.{state}", lang) if state else ""


def _print_period_matrix(matrix: consolidation.PeriodMatrix, lang: str) -> None:
    print(f"{'':<8}" + "".join(f"{p:>10}" for p in matrix.periods))
    for region in matrix.regions:
        cells = [matrix.cell(region.code, p) for p in matrix.periods]
        print(f"{region.code:<8}" + "".join(
            f"{(f'{c.percent:.0f}%' if c.reported else '—'):>10}" for c in cells)
            + f"  {region.name}")
    for period in matrix.periods:
        print(tr("center.cli.matrix_summary", lang, period=period,
                 reported=len(matrix.reported(period)), total=len(matrix.regions),
                 missing=len(matrix.missing(period))))


def _print_section_matrix(matrix: consolidation.SectionMatrix, lang: str) -> None:
    print(tr("center.cli.matrix_title", lang, period=matrix.period))
    print(f"{'':<8}{'%':>7}" + "".join(f"{s.code:>6} " for s in matrix.sections))
    for region in matrix.regions:
        cell = matrix.cells[region.code]
        if not cell.reported:
            print(f"{region.code:<8}{'—':>7}  {region.name}: {tr('center.not_reported', lang)}")
            continue
        parts = "".join(f"{matrix.section_cell(region.code, s.no).reported:>4}/"
                        f"{matrix.section_cell(region.code, s.no).actions:<2}"
                        for s in matrix.sections)
        received = ""
        if cell.receipt:
            received = tr("center.cli.received", lang, at=cell.receipt.at,
                          file=cell.receipt.file_name)
            if cell.receipt.unsigned:
                received += f" [{tr('sig.matrix.unsigned', lang)}]"
        print(f"{region.code:<8}{cell.percent:>6.0f}%{parts}  {region.name}  "
              f"{_state_word(cell, lang)} {received}".rstrip())
    print(tr("center.cli.matrix_summary", lang, period=matrix.period,
             reported=len(matrix.regions) - len(matrix.missing), total=len(matrix.regions),
             missing=len(matrix.missing)))
    if matrix.missing:
        print(tr("center.cli.missing_list", lang, regions=", ".join(matrix.missing)))


def cmd_matrix(args: argparse.Namespace) -> int:
    conn, office = open_for(args)
    with closing(conn):
        _need_center(office)
        if args.period:
            section = consolidation.section_matrix(conn, args.period, args.lang)
            data, printer = section_matrix_dict(section), lambda: _print_section_matrix(
                section, args.lang)
        else:
            periods = consolidation.known_periods(conn) or [period_containing(date.today())]
            matrix = consolidation.period_matrix(conn, args.lang, periods)
            data, printer = period_matrix_dict(matrix), lambda: _print_period_matrix(
                matrix, args.lang)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        printer()
    return 0


# --- exports -------------------------------------------------------------------------------------

def cmd_export_review(args: argparse.Namespace) -> int:
    from exports.xlsx_review import export_review

    conn, office = open_for(args)
    with closing(conn):
        _need_center(office)
        path = export_review(conn, args.region.strip().upper(), parse_period(args.period).code,
                             args.lang, args.output)
    print(tr("center.cli.exported", args.lang, file=str(path)))
    return 0


def cmd_export_consolidated(args: argparse.Namespace) -> int:
    from exports.xlsx_consolidated import export_consolidated

    conn, office = open_for(args)
    with closing(conn):
        _need_center(office)
        path = export_consolidated(conn, args.period, args.lang, args.output)
    print(tr("center.cli.exported", args.lang, file=str(path)))
    return 0
