"""`planmonitor report`: the PDF summary for meetings, regional or (center mode) national."""

from __future__ import annotations

import argparse
from contextlib import closing
from datetime import date
from pathlib import Path

from db.errors import PlanMonitorError
from db.office import Office
from db.periods import parse_period, period_containing
from exports.report_sections import NATIONAL_SECTIONS, OPTIONAL_SECTIONS
from planmonitor.commands import open_for
from resources.words import tr


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common],
                       help="PDF summary for meetings (regional; national in center mode)")
    p.add_argument("--period", help="reporting period, e.g. 2026-Q3 (default: current quarter)")
    p.add_argument("--region", metavar="KZ-NN",
                   help="the region (center mode: without it, the national summary)")
    p.add_argument("--sections", nargs="+", metavar="NAME",
                   help="parts to include; regional: " + ", ".join(OPTIONAL_SECTIONS)
                   + "; national: " + ", ".join(NATIONAL_SECTIONS) + " (default: all)")
    p.add_argument("--prepared-by", default="", help="name printed in the signature block")
    p.add_argument("--format", choices=("pdf", "docx"), default="pdf",
                   help="pdf (default) or docx: a Word file to edit (--sections is PDF only)")
    p.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    p.set_defaults(handler=cmd_report)


def chosen_sections(values: list[str] | None) -> set[str] | None:
    """`--sections actions gender` or `--sections actions,gender`; None means all."""
    if not values:
        return None
    return {name.strip() for value in values for name in value.split(",") if name.strip()}


def report_region(args: argparse.Namespace, office: Office) -> str | None:
    """The region to report on, or None for the national summary (center mode only)."""
    asked = args.region.strip().upper() if args.region else None
    if office.is_center:
        return asked
    if asked and asked != office.region_code:
        raise PlanMonitorError("error.other_region", region=asked, own=office.region_code)
    return str(office.region_code)


def cmd_report(args: argparse.Namespace) -> int:
    if getattr(args, "format", "pdf") == "docx":
        return cmd_report_docx(args)
    from exports.pdf_national import build_national_report
    from exports.pdf_report import build_region_report

    conn, office = open_for(args)
    period = parse_period(args.period).code if args.period else period_containing(date.today())
    sections = chosen_sections(args.sections)
    with closing(conn):
        region = report_region(args, office)
        if region is None:
            path = build_national_report(conn, period, args.lang, args.output, sections=sections,
                                         prepared_by=args.prepared_by)
        else:
            path = build_region_report(conn, region, period, args.lang, args.output,
                                       sections=sections, prepared_by=args.prepared_by)
    print(tr("report.cli.done", args.lang, file=str(path)))
    return 0


def cmd_report_docx(args: argparse.Namespace) -> int:
    """The same report as a Word file (exports.docx_report: python-docx is loaded here only)."""
    from exports.docx_report import build_national_docx, build_region_docx

    conn, office = open_for(args)
    period = parse_period(args.period).code if args.period else period_containing(date.today())
    with closing(conn):
        region = report_region(args, office)
        if region is None:
            path = build_national_docx(conn, period, args.lang, args.output,
                                       prepared_by=args.prepared_by)
        else:
            path = build_region_docx(conn, region, period, args.lang, args.output,
                                     prepared_by=args.prepared_by)
    print(tr("report.cli.done", args.lang, file=str(path)))
    return 0
