"""Read-side queries shared by the command line, the workbooks, the PDFs and the desktop app."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date

from db import rules
from db.periods import parse_period, previous_period, sort_periods
from resources.words import LANGS, tr


def col(name: str, lang: str) -> str:
    """A language column such as `name_kk`; the language is checked, never interpolated blindly."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    return f"{name}_{lang}"


# --- Catalog -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Region:
    """A region (oblast or city of republican significance), named in one language."""
    code: str
    kind: str
    name: str
    centre: str


def regions(conn: sqlite3.Connection, lang: str) -> list[Region]:
    return [Region(*r) for r in conn.execute(
        f"SELECT code, kind, {col('name', lang)}, {col('centre', lang)} FROM region ORDER BY code")]


def region_name(conn: sqlite3.Connection, code: str | None, lang: str) -> str:
    if not code:
        return ""
    row = conn.execute(f"SELECT {col('name', lang)} FROM region WHERE code = ?", (code,)).fetchone()
    return row[0] if row else code


@dataclass(frozen=True)
class Section:
    """A section of the plan, named in one language."""
    no: int
    code: str
    name: str
    provenance: str


def sections(conn: sqlite3.Connection, lang: str) -> list[Section]:
    return [Section(*r) for r in conn.execute(
        f"SELECT no, code, {col('name', lang)}, provenance FROM section ORDER BY no")]


def all_agencies_texts(conn: sqlite3.Connection, lang: str) -> dict[int, str]:
    """"MIA, GPO (as agreed), ..." (the lead first, in the chosen language) of every action in
    one query: action_rows reads them all at once instead of one query per action (27 of them at
    every start, for the dashboard)."""
    parts: dict[int, list[str]] = {}
    as_agreed_word = tr("catalog.as_agreed", lang)
    for no, short, name, as_agreed in conn.execute(
            f"SELECT aa.action_no, a.{col('short', lang)}, a.{col('name', lang)}, aa.as_agreed "
            "FROM action_agency aa JOIN agency a ON a.code = aa.agency_code "
            "ORDER BY aa.action_no, aa.role = 'co', aa.ord"):
        label = short or name
        parts.setdefault(no, []).append(f"{label} ({as_agreed_word})" if as_agreed else label)
    return {no: ", ".join(labels) for no, labels in parts.items()}


# --- Actions -------------------------------------------------------------------------------------

@dataclass
class ActionRow:
    """An action of the plan with one region's report on it for one period."""
    no: int
    section_no: int
    section_code: str
    name: str
    outcome: str
    deadline: str
    due_date: str | None
    local_bodies: bool
    provenance: str
    source: str
    agencies: str
    status: str
    progress_note: str
    evidence: str
    officer: str
    revision: int
    updated_at: str | None
    attachments: int
    overdue: bool = False
    due_soon: bool = False
    reported: bool = False


def action_rows(conn: sqlite3.Connection, region: str, period: str, lang: str,
                as_of: date | None = None, *, with_agencies: bool = True) -> list[ActionRow]:
    """Every action with the region's report for the period. with_agencies=False leaves each
    row's `agencies` empty and skips reading them (the dashboard, at every start, shows none)."""
    as_of = as_of or date.today()
    rows = conn.execute(
        f"""SELECT a.no, a.section_no, s.code, a.{col('name', lang)}, a.{col('outcome', lang)},
                   a.{col('deadline', lang)}, a.due_date, a.local_bodies, a.provenance, a.source,
                   COALESCE(r.status, ''), COALESCE(r.progress_note, ''),
                   COALESCE(r.evidence, ''), COALESCE(r.officer, ''), COALESCE(r.revision, 0),
                   r.updated_at,
                   (SELECT COUNT(*) FROM attachment t WHERE t.region_code = ? AND
                    t.period_code = ? AND t.action_no = a.no),
                   {rules.holds_values_sql('action_report', 'r')}
            FROM action a JOIN section s ON s.no = a.section_no
            LEFT JOIN action_report r ON r.action_no = a.no AND r.region_code = ?
                 AND r.period_code = ?
            ORDER BY a.no""", (region, period, region, period)).fetchall()
    out = []
    agencies = all_agencies_texts(conn, lang) if with_agencies else {}
    for r in rows:
        item = ActionRow(no=r[0], section_no=r[1], section_code=r[2], name=r[3], outcome=r[4],
                         deadline=r[5], due_date=r[6], local_bodies=bool(r[7]), provenance=r[8],
                         source=r[9], agencies=agencies.get(r[0], ""), status=r[10],
                         progress_note=r[11], evidence=r[12], officer=r[13], revision=r[14],
                         updated_at=r[15], attachments=r[16])
        item.overdue = rules.is_overdue(item.due_date, item.status, as_of)
        item.due_soon = rules.is_due_soon(item.due_date, item.status, as_of)
        # A row left with nothing in it (an undone first edit) is not a report.
        item.reported = bool(r[17])
        out.append(item)
    return out


@dataclass
class SectionProgress:
    """A section and the progress of its actions."""
    section: Section
    progress: rules.Progress


def section_progress(conn: sqlite3.Connection, region: str, period: str,
                     lang: str) -> list[SectionProgress]:
    by_section = {s.no: SectionProgress(s, rules.Progress()) for s in sections(conn, lang)}
    for section_no, status in conn.execute(
            """SELECT a.section_no, COALESCE(r.status, '') FROM action a
               LEFT JOIN action_report r ON r.action_no = a.no AND r.region_code = ?
                    AND r.period_code = ?""", (region, period)):
        by_section[section_no].progress.add(status)
    return list(by_section.values())


def overall_progress(parts: list[SectionProgress]) -> rules.Progress:
    total = rules.Progress()
    for part in parts:
        for status, count in part.progress.counts.items():
            total.counts[status] += count
    return total


# --- Gender --------------------------------------------------------------------------------------

@dataclass
class GenderRow:
    """A local body's women and total for a period, beside the previous period's."""
    body_code: str
    name: str
    description: str
    women: int | None
    total: int | None
    note: str
    revision: int
    prev_women: int | None
    prev_total: int | None

    @property
    def share(self) -> float | None:
        return rules.share_percent(self.women, self.total)

    @property
    def prev_share(self) -> float | None:
        return rules.share_percent(self.prev_women, self.prev_total)

    @property
    def incomplete(self) -> bool:
        return rules.gender_incomplete(self.women, self.total)


def gender_rows(conn: sqlite3.Connection, region: str, period: str, lang: str) -> list[GenderRow]:
    prev = previous_period(period)
    return [GenderRow(*r) for r in conn.execute(
        f"""SELECT b.code, b.{col('name', lang)}, b.{col('description', lang)}, g.women, g.total,
                   COALESCE(g.note, ''), COALESCE(g.revision, 0), p.women, p.total
            FROM gender_body b
            LEFT JOIN gender_figure g ON g.body_code = b.code AND g.region_code = ?
                 AND g.period_code = ?
            LEFT JOIN gender_figure p ON p.body_code = b.code AND p.region_code = ?
                 AND p.period_code = ?
            ORDER BY b.ord""", (region, period, region, prev))]


def gender_totals(rows: list[GenderRow]) -> tuple[int, int]:
    """Women and total over the bodies that gave both figures (the one rule: an incomplete
    body enters no share; see `incomplete_bodies`)."""
    both = [r for r in rows if r.women is not None and r.total is not None]
    return sum(r.women for r in both), sum(r.total for r in both)


def incomplete_bodies(rows: list[GenderRow]) -> int:
    """How many bodies gave one figure without the other (left out of the totals)."""
    return sum(r.incomplete for r in rows)


# --- Indicators ----------------------------------------------------------------------------------

@dataclass
class IndicatorRow:
    """An indicator x disaggregation with its value for a period and the previous one."""
    code: str
    disaggregation_code: str
    kind: str
    section_no: int | None
    name: str
    disaggregation: str
    unit: str
    direction: str
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None
    periodicity: str
    value: float | None
    note: str
    source: str
    revision: int
    prev_value: float | None

    @property
    def trend(self) -> str:
        """'up', 'down', 'flat' or '' (no previous value); see `improving` for better/worse."""
        if self.value is None or self.prev_value is None:
            return ""
        if self.value > self.prev_value:
            return "up"
        return "down" if self.value < self.prev_value else "flat"

    @property
    def improving(self) -> bool | None:
        if self.trend in ("", "flat"):
            return None
        return (self.trend == "up") == (self.direction == "higher")


def _indicator_sql(lang: str, indicators_from: str = "indicator") -> str:
    """The indicator grid's SELECT; `indicators_from` may narrow the indicators (a page)."""
    return f"""SELECT i.code, d.code, i.kind, i.section_no, i.{col('name', lang)},
                   d.{col('name', lang)}, i.unit, i.direction, i.baseline_value, i.baseline_year,
                   i.target_value, i.target_year, i.periodicity, v.value, COALESCE(v.note, ''),
                   COALESCE(v.source, ''), COALESCE(v.revision, 0), p.value
            FROM {indicators_from} i
            JOIN indicator_disaggregation idg ON idg.indicator_code = i.code
            JOIN disaggregation d ON d.code = idg.disaggregation_code
            LEFT JOIN indicator_value v ON v.indicator_code = i.code
                 AND v.disaggregation_code = d.code AND v.region_code = ? AND v.period_code = ?
            LEFT JOIN indicator_value p ON p.indicator_code = i.code
                 AND p.disaggregation_code = d.code AND p.region_code = ? AND p.period_code = ?"""


def indicator_rows(conn: sqlite3.Connection, region: str, period: str,
                   lang: str) -> list[IndicatorRow]:
    prev = previous_period(period)
    return [IndicatorRow(*r) for r in conn.execute(
        _indicator_sql(lang) + " ORDER BY i.ord, idg.ord", (region, period, region, prev))]


def indicator_count(conn: sqlite3.Connection) -> int:
    """How many indicator rows (indicator x disaggregation) a region's grid has."""
    return conn.execute("SELECT COUNT(*) FROM indicator_disaggregation").fetchone()[0]


@dataclass(frozen=True)
class IndicatorPage:
    """One page of an indicator grid and the cursor to the next."""
    rows: list[IndicatorRow]
    after: tuple[int, str] | None  # pass back to get the next page; None when this was the last


def indicator_rows_page(conn: sqlite3.Connection, region: str, period: str, lang: str, *,
                        after: tuple[int, str] | None = None,
                        indicators: int = 100) -> IndicatorPage:
    """The next `indicators` indicators (with all their disaggregations) after the (ord, code)
    cursor `after`, in grid order: for views that load rows as they scroll, never all at once."""
    prev = previous_period(period)
    ord_, code = after if after else (-(2 ** 62), "")
    page = ("(SELECT * FROM indicator WHERE (ord, code) > (?, ?) ORDER BY ord, code LIMIT ?)")
    rows = [IndicatorRow(*r) for r in conn.execute(
        _indicator_sql(lang, page) + " ORDER BY i.ord, i.code, idg.ord, d.code",
        (ord_, code, indicators, region, period, region, prev))]
    if not rows:
        return IndicatorPage([], None)
    last = conn.execute("SELECT ord, code FROM indicator WHERE code = ?",
                        (rows[-1].code,)).fetchone()
    more = conn.execute("SELECT 1 FROM indicator WHERE (ord, code) > (?, ?) LIMIT 1",
                        (last[0], last[1])).fetchone()
    return IndicatorPage(rows, (last[0], last[1]) if more else None)


def indicator_rows_of(conn: sqlite3.Connection, region: str, period: str, lang: str,
                      codes: list[str]) -> list[IndicatorRow]:
    """The grid rows of the given indicators (to refresh just what an operation changed)."""
    prev = previous_period(period)
    marks = ", ".join("?" * len(codes))
    page = f"(SELECT * FROM indicator WHERE code IN ({marks}))"
    return [IndicatorRow(*r) for r in conn.execute(
        _indicator_sql(lang, page) + " ORDER BY i.ord, i.code, idg.ord, d.code",
        (*codes, region, period, region, prev))]


def indicator_due_in(periodicity: str, period: str) -> bool:
    """Whether an indicator with this periodicity must be reported for this period: quarterly
    ones every period; semiannual ones at half-years (Q2, Q4, H1, H2, year); annual ones at the
    year's end (Q4, H2, year)."""
    p = parse_period(period)
    if periodicity == "quarterly" or p.kind == "year":
        return True
    if periodicity == "semiannual":
        return p.kind == "half" or p.index in (2, 4)
    return (p.kind == "quarter" and p.index == 4) or (p.kind == "half" and p.index == 2)


# --- Completeness --------------------------------------------------------------------------------

@dataclass(frozen=True)
class MissingItem:
    """Something a return still lacks, with the message key saying what."""
    kind: str  # action | gender | indicator
    key: str
    label: str
    reason: str  # message key

    def message(self, lang: str | None = None) -> str:
        return tr(self.reason, lang, item=self.label)


@dataclass
class Completeness:
    """How much of a return is filled in, and what is missing."""
    required: int = 0
    filled: int = 0
    missing: list[MissingItem] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return round(100.0 * self.filled / self.required, 1) if self.required else 100.0

    @property
    def complete(self) -> bool:
        return not self.missing


def completeness(conn: sqlite3.Connection, region: str, period: str, lang: str, *,
                 actions: list[ActionRow] | None = None,
                 genders: list[GenderRow] | None = None) -> Completeness:
    """What is still missing from a region's return for a period: actions with no status given
    (notes alone are not an answer; «Не начато» is one), or marked in progress/completed without measures taken; gender bodies without both figures;
    indicator values due this period and not given. A caller that has just read the same
    region's and period's `action_rows` / `gender_rows` (in `lang`) may pass them, so they are
    not read twice (the dashboard, at every start)."""
    result = Completeness()
    if actions is None:
        actions = action_rows(conn, region, period, lang)
    if genders is None:
        genders = gender_rows(conn, region, period, lang)
    for a in actions:
        result.required += 1
        if a.status == rules.NO_ANSWER:  # «Не начато» is an answer; no status is none
            result.missing.append(MissingItem("action", str(a.no), f"{a.no}. {a.name}",
                                              "missing.action_not_reported"))
        elif a.status in ("in_progress", "completed") and not a.progress_note.strip():
            result.missing.append(MissingItem("action", str(a.no), f"{a.no}. {a.name}",
                                              "missing.action_no_measures"))
        else:
            result.filled += 1
    for g in genders:
        result.required += 1
        if g.women is None or g.total is None:
            result.missing.append(MissingItem("gender", g.body_code, g.name,
                                              "missing.gender_figures"))
        else:
            result.filled += 1
    due: dict[str, bool] = {}  # by periodicity
    for i in indicator_rows(conn, region, period, lang):
        if i.periodicity not in due:
            due[i.periodicity] = indicator_due_in(i.periodicity, period)
        if not due[i.periodicity]:
            continue
        result.required += 1
        if i.value is None:
            result.missing.append(MissingItem(
                "indicator", f"{i.code}|{i.disaggregation_code}",
                f"{i.code} {i.name} ({i.disaggregation})", "missing.indicator_value"))
        else:
            result.filled += 1
    return result


# --- Periods, freshness, history -----------------------------------------------------------------

def periods_with_data(conn: sqlite3.Connection, region: str | None = None) -> list[str]:
    args: tuple = (region,) * 3 if region else ()
    # Only rows that hold something: a row emptied by an undo does not make a period reported.
    # Asked per known period (every row's period_code references one), each search stops at its
    # first row: the main window asks at every start, and for all regions (the center) reading
    # every regional row grows with the number of regions and periods.
    sql = "SELECT code FROM period p WHERE " + " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} WHERE period_code = p.code"
        + (" AND region_code = ?" if region else "") + f" AND {rules.holds_values_sql(table)})"
        for table in ("action_report", "gender_figure", "indicator_value"))
    codes = {r[0] for r in conn.execute(sql, args)}
    return sort_periods(codes)


def data_as_of(conn: sqlite3.Connection, region: str, period: str) -> str | None:
    """When the region's data for the period last changed."""
    row = conn.execute(
        """SELECT MAX(t) FROM (
             SELECT MAX(updated_at) AS t FROM action_report WHERE region_code = ? AND period_code = ?
             UNION ALL SELECT MAX(updated_at) FROM gender_figure WHERE region_code = ? AND period_code = ?
             UNION ALL SELECT MAX(updated_at) FROM indicator_value WHERE region_code = ? AND period_code = ?)""",
        (region, period) * 3).fetchone()
    return row[0] if row else None


def last_exchange(conn: sqlite3.Connection, direction: str,
                  region: str | None = None) -> sqlite3.Row | None:
    if region:
        return conn.execute("SELECT * FROM exchange_log WHERE direction = ? AND region_code = ? "
                            "ORDER BY id DESC LIMIT 1", (direction, region)).fetchone()
    return conn.execute("SELECT * FROM exchange_log WHERE direction = ? ORDER BY id DESC LIMIT 1",
                        (direction,)).fetchone()


@dataclass(frozen=True)
class AttachmentInfo:
    """A file attached to an action's report (without its content)."""
    id: int
    name: str
    size: int
    sha256: str
    added_at: str
    added_by: str


def attachments(conn: sqlite3.Connection, region: str, period: str,
                action_no: int) -> list[AttachmentInfo]:
    """The files attached to one action's report (without their content)."""
    return [AttachmentInfo(*r) for r in conn.execute(
        "SELECT id, name, size, sha256, added_at, added_by FROM attachment "
        "WHERE region_code = ? AND period_code = ? AND action_no = ? ORDER BY id",
        (region, period, int(action_no)))]
