"""`planmonitor search TEXT`: find words in every region's and period's measures, evidence,
notes and the ministry's remarks (db.search), grouped by item and region."""

from __future__ import annotations

import argparse
import json
from contextlib import closing
from dataclasses import asdict

from db.search import DEFAULT_LIMIT, SearchResult, search, snippet
from planmonitor.commands.core import open_for
from resources.words import tr


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("search", parents=[common],
                       help="search measures, evidence, notes and remarks of every region")
    p.add_argument("text", nargs="+", help="words to find (each matches the beginning of a word)")
    p.add_argument("--region", metavar="KZ-NN", help="only this region")
    p.add_argument("--period", help="only this period, e.g. 2026-Q3")
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="most hits to list")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_search)


def cmd_search(args: argparse.Namespace) -> int:
    text = " ".join(args.text)
    conn, _office = open_for(args)
    with closing(conn):
        result = search(conn, text, args.lang, region=args.region, period=args.period,
                        limit=max(1, args.limit))
    if args.json:
        print(json.dumps(as_json(result), ensure_ascii=False, indent=2))
    elif not result.words:
        print(tr("search.cli.empty", args.lang))
        return 1
    else:
        print_result(result, args.lang)
    return 0


def as_json(result: SearchResult) -> dict:
    return {"query": result.query, "total": result.total, "shown": result.shown,
            "groups": [asdict(group) | {"page": group.page} for group in result.groups]}


def print_result(result: SearchResult, lang: str) -> None:
    if not result.groups:
        print(tr("search.cli.none", lang, query=result.query))
        return
    for group in result.groups:
        print(group.label)
        for place in group.regions:
            print(f"  {place.region_name}")
            for hit in place.hits:
                excerpt, spans = snippet(hit.text, result.words)
                for start, end in reversed(spans):  # marked «…», which a terminal always shows
                    excerpt = f"{excerpt[:start]}«{excerpt[start:end]}»{excerpt[end:]}"
                print(f"    {hit.period} · {tr(f'field.{hit.field}', lang)}: {excerpt}")
    print(tr("search.cli.count", lang, total=result.total, shown=result.shown))
