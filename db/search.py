"""Search across every region's and period's texts: measures taken, evidence, gender and
indicator notes and sources, and the center's review remarks (index: db.search_index).

What a person types is never FTS5 syntax: each word becomes a quoted prefix phrase
(`обучени` -> `"обучени"*`), so "обучени" finds "обучение" and "обучения" (the tokenizer does no
stemming), and quotes, stars, AND/OR/NEAR in the input are plain text. The query is bound as the
MATCH parameter, never put into the SQL. Kazakh letters typed as their Russian look-alikes
(«окыту» for «оқыту») and ё typed as е find the text through a second, folded index
(db.search_fold); texts the typed letters match exactly come first. Hits are ranked by bm25 and grouped by item (an action,
a gender body, an indicator, a review) and, inside an item, by region. No Qt.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from db.errors import PlanMonitorError
from db.periods import parse_period
from db.queries import regions
from db.review import item_label
from db.search_fold import fold
from resources.words import tr

DEFAULT_LIMIT = 200
SNIPPET_CHARS = 180
# A page of the app per kind of item (desktop.pages), to open a hit where it was written.
PAGE_OF_KIND = {"action": "actions", "gender": "gender", "indicator": "indicators",
                "review": "center"}


@dataclass(frozen=True)
class Hit:
    kind: str  # action, gender, indicator (also for a review remark on one) or review
    item_key: str  # db.review's item key: "5", "WOM-01", "IND-01|total"; "" for a review
    field: str  # progress_note, evidence, note, source or remark
    region: str
    period: str
    text: str
    rank: float  # bm25: lower is better


@dataclass
class RegionHits:
    region: str
    region_name: str
    hits: list[Hit] = field(default_factory=list)


@dataclass
class ItemGroup:
    kind: str
    item_key: str
    label: str
    regions: list[RegionHits] = field(default_factory=list)

    @property
    def page(self) -> str:
        return PAGE_OF_KIND[self.kind]


@dataclass
class SearchResult:
    query: str
    words: list[str]
    total: int  # every match, though only `limit` hits are listed
    groups: list[ItemGroup]

    @property
    def shown(self) -> int:
        return sum(len(r.hits) for g in self.groups for r in g.regions)


def query_words(text: str) -> list[str]:
    """The typed words that hold a letter or digit (a lone "-" or "*" searches nothing)."""
    return [w for w in text.split() if any(ch.isalnum() for ch in w)]


def fts_query(text: str) -> str:
    """FTS5 query text: every word a quoted prefix phrase (inner quotes doubled), all required."""
    return " ".join('"' + word.replace('"', '""') + '"*' for word in query_words(text))


# The folded index finds every text (look-alike letters and ё/е as one); a text the typed
# letters match exactly, by the first index, is listed first.
_SEARCH = """SELECT d.kind, d.item_key, d.field, d.region_code, d.period_code, t.body, f.rank
    FROM search_fold_fts f JOIN search_text t ON t.id = f.rowid JOIN search_doc d ON d.text_id = t.id
    WHERE search_fold_fts MATCH ?{where}
    ORDER BY t.id NOT IN (SELECT rowid FROM search_text_fts WHERE search_text_fts MATCH ?),
             f.rank, d.period_code DESC, d.region_code, d.kind, d.item_key LIMIT ?"""
_COUNT = """SELECT count(*) FROM search_fold_fts f JOIN search_doc d ON d.text_id = f.rowid
    WHERE search_fold_fts MATCH ?{where}"""


def _filters(conn: sqlite3.Connection, region: str | None,
             period: str | None) -> tuple[str, tuple]:
    where, args = "", ()
    if region:
        region = region.strip().upper()
        if not conn.execute("SELECT 1 FROM region WHERE code = ?", (region,)).fetchone():
            raise PlanMonitorError("error.unknown_region", region=region)
        where, args = where + " AND d.region_code = ?", (*args, region)
    if period:
        where, args = where + " AND d.period_code = ?", (*args, parse_period(period).code)
    return where, args


def search(conn: sqlite3.Connection, text: str, lang: str, *, region: str | None = None,
           period: str | None = None, limit: int = DEFAULT_LIMIT) -> SearchResult:
    """The best `limit` hits for `text` (of one region and/or period when given), grouped."""
    words, query = query_words(text), fts_query(text)
    if not query:
        return SearchResult(text, [], 0, [])
    folded = fold(query)
    where, args = _filters(conn, region, period)
    try:
        rows = conn.execute(_SEARCH.format(where=where), (folded, *args, query, limit)).fetchall()
        total = conn.execute(_COUNT.format(where=where), (folded, *args)).fetchone()[0]
    except sqlite3.OperationalError as exc:  # the quoting leaves FTS5 nothing to refuse
        raise PlanMonitorError("search.error.query", query=text, detail=str(exc)) from exc
    hits = [Hit(*row) for row in rows]
    return SearchResult(text, words, total, group_hits(conn, hits, lang))


def group_hits(conn: sqlite3.Connection, hits: list[Hit], lang: str) -> list[ItemGroup]:
    """Hits by item, then region, each in the order of its best hit."""
    names = {r.code: r.name for r in regions(conn, lang)}
    groups: dict[tuple[str, str], ItemGroup] = {}
    for hit in hits:
        group = groups.get((hit.kind, hit.item_key))
        if group is None:
            group = groups[(hit.kind, hit.item_key)] = ItemGroup(
                hit.kind, hit.item_key, _label(conn, hit, lang))
        place = next((r for r in group.regions if r.region == hit.region), None)
        if place is None:
            place = RegionHits(hit.region, names.get(hit.region, hit.region))
            group.regions.append(place)
        place.hits.append(hit)
    return list(groups.values())


def _label(conn: sqlite3.Connection, hit: Hit, lang: str) -> str:
    if hit.kind == "review":
        return tr("search.kind.review", lang)
    return item_label(conn, (hit.kind, hit.item_key), lang)


def _pattern(words: list[str]) -> re.Pattern[str] | None:
    """Where the typed words start a word of the folded text (as the prefix query matched
    them)."""
    parts = [re.escape(fold(w.strip('"*'))) for w in words if w.strip('"*')]
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")\w*", re.IGNORECASE)


def marked_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each stretch of `text` a typed word matched, for highlighting."""
    pattern = _pattern(words)  # folding keeps one character for one: the spans are the text's
    return [m.span() for m in pattern.finditer(fold(text))] if pattern else []


def snippet(text: str, words: list[str], width: int = SNIPPET_CHARS) -> tuple[str, list[tuple[int, int]]]:
    """A one-line excerpt around the first match (… where cut) and the matches' spans in it."""
    flat = " ".join(text.split())
    spans = marked_spans(flat, words)
    start = 0
    if spans and len(flat) > width:
        start = max(0, min(spans[0][0] - width // 4, len(flat) - width))
    cut = flat[start:start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(flat) else ""
    shift = len(prefix) - start
    inside = [(a + shift, min(b, start + width) + shift) for a, b in spans
              if a >= start and a < start + width]
    return prefix + cut + suffix, inside
