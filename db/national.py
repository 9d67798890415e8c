"""National read queries for center mode: how every region stands on a period.

Plain functions returning dataclasses, shared by the national PDF summary and the center's
desktop pages: the region x section progress matrix, the regions that have not reported, women's
representation nationally and per region, indicator values across regions, the most overdue
actions. "Reported" means the region has at least one row for the period in any regional table."""

from __future__ import annotations

import sqlite3
import statistics
from dataclasses import dataclass, field
from datetime import date

from db import rules
from db.periods import parse_period, previous_period
from db.queries import Region, col, periods_with_data, regions

# --- Who has reported ----------------------------------------------------------------------------

def reported_region_codes(conn: sqlite3.Connection, period: str) -> set[str]:
    """Regions holding any figure for the period (rows left all empty do not count)."""
    return {r[0] for r in conn.execute(" UNION ".join(
        f"SELECT region_code FROM {table} WHERE period_code = ? AND {rules.holds_values_sql(table)}"
        for table in ("action_report", "gender_figure", "indicator_value")), (period,) * 3)}


@dataclass(frozen=True)
class UnreportedRegion:
    region: Region
    last_period: str | None  # the latest earlier period it reported, None if never


def unreported_regions(conn: sqlite3.Connection, period: str, lang: str) -> list[UnreportedRegion]:
    """Regions with no data at all for `period`, with the last period each did report."""
    reported = reported_region_codes(conn, period)
    end = parse_period(period).end
    out = []
    for region in regions(conn, lang):
        if region.code in reported:
            continue
        earlier = [p for p in periods_with_data(conn, region.code) if parse_period(p).end < end]
        out.append(UnreportedRegion(region, earlier[-1] if earlier else None))
    return out


# --- Progress matrix -----------------------------------------------------------------------------

@dataclass
class RegionProgress:
    region: Region
    reported: bool
    sections: dict[int, rules.Progress] = field(default_factory=dict)  # by section number

    @property
    def overall(self) -> rules.Progress:
        total = rules.Progress()
        for progress in self.sections.values():
            for status, count in progress.counts.items():
                total.counts[status] += count
        return total


def progress_matrix(conn: sqlite3.Connection, period: str, lang: str) -> list[RegionProgress]:
    """Every region (in code order) with its progress per section; unreported actions count as
    not started, and `reported` tells whether the region sent anything for the period."""
    reported = reported_region_codes(conn, period)
    section_nos = [r[0] for r in conn.execute("SELECT no FROM section ORDER BY no")]
    matrix = {}
    for region in regions(conn, lang):
        matrix[region.code] = RegionProgress(
            region, region.code in reported, {no: rules.Progress() for no in section_nos})
    for code, section_no, status in conn.execute(
            """SELECT g.code, a.section_no, COALESCE(r.status, '')
               FROM region g CROSS JOIN action a
               LEFT JOIN action_report r ON r.region_code = g.code AND r.action_no = a.no
                    AND r.period_code = ?""", (period,)):
        matrix[code].sections[section_no].add(status)
    return list(matrix.values())


def combined_progress(rows: list[RegionProgress], section_no: int | None = None) -> rules.Progress:
    """Progress over the regions that reported: of one section, or of all sections."""
    total = rules.Progress()
    for row in rows:
        if not row.reported:
            continue
        part = row.sections[section_no] if section_no is not None else row.overall
        for status, count in part.counts.items():
            total.counts[status] += count
    return total


# --- Gender --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GenderShare:
    """Women and total summed over regions; the previous period is summed over the same regions,
    so a region that has not reported yet does not move the change."""

    key: str  # body code, or region code for per-region shares
    name: str
    women: int
    total: int
    prev_women: int
    prev_total: int
    regions: int

    @property
    def share(self) -> float | None:
        return rules.share_percent(self.women, self.total)

    @property
    def prev_share(self) -> float | None:
        return rules.share_percent(self.prev_women, self.prev_total)


_GENDER_PAIRS = """SELECT g.region_code, g.body_code, g.women, g.total, p.women, p.total
    FROM gender_figure g
    LEFT JOIN gender_figure p ON p.region_code = g.region_code AND p.body_code = g.body_code
         AND p.period_code = ? AND p.women IS NOT NULL AND p.total > 0
    WHERE g.period_code = ? AND g.women IS NOT NULL AND g.total > 0"""


def _gender_sums(conn: sqlite3.Connection, period: str, by_region: bool) -> dict[str, list[int]]:
    sums: dict[str, list[int]] = {}
    for region, body, women, total, prev_women, prev_total in conn.execute(
            _GENDER_PAIRS, (previous_period(period), period)):
        item = sums.setdefault(region if by_region else body, [0, 0, 0, 0, 0])
        item[0] += women
        item[1] += total
        if prev_total:
            item[2] += prev_women
            item[3] += prev_total
        item[4] += 1
    return sums


def national_gender(conn: sqlite3.Connection, period: str, lang: str) -> list[GenderShare]:
    """Per gender body, summed over every region that gave both figures for the period."""
    sums = _gender_sums(conn, period, by_region=False)
    out = []
    for code, name in conn.execute(
            f"SELECT code, {col('name', lang)} FROM gender_body ORDER BY ord"):
        women, total, prev_women, prev_total, counted = sums.get(code, [0, 0, 0, 0, 0])
        out.append(GenderShare(code, name, women, total, prev_women, prev_total, counted))
    return out


def region_gender_shares(conn: sqlite3.Connection, period: str, lang: str) -> list[GenderShare]:
    """Per region, summed over its gender bodies (`regions` holds the number of bodies)."""
    sums = _gender_sums(conn, period, by_region=True)
    out = []
    for region in regions(conn, lang):
        women, total, prev_women, prev_total, bodies = sums.get(region.code, [0, 0, 0, 0, 0])
        out.append(GenderShare(region.code, region.name, women, total, prev_women, prev_total,
                               bodies))
    return out


def national_gender_totals(shares: list[GenderShare]) -> GenderShare:
    """All bodies together; `regions` is the largest number of regions behind any one body."""
    return GenderShare("", "", sum(s.women for s in shares), sum(s.total for s in shares),
                       sum(s.prev_women for s in shares), sum(s.prev_total for s in shares),
                       max((s.regions for s in shares), default=0))


# --- Indicators ----------------------------------------------------------------------------------

@dataclass
class IndicatorAcrossRegions:
    code: str
    disaggregation_code: str
    name: str
    disaggregation: str
    unit: str
    direction: str
    baseline_value: float | None
    target_value: float | None
    periodicity: str
    values: dict[str, float] = field(default_factory=dict)  # region code -> value

    @property
    def reported(self) -> int:
        return len(self.values)

    @property
    def minimum(self) -> float | None:
        return min(self.values.values()) if self.values else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.values.values()) if self.values else None

    @property
    def maximum(self) -> float | None:
        return max(self.values.values()) if self.values else None


def indicator_values_by_region(conn: sqlite3.Connection, period: str, lang: str,
                               disaggregation: str | None = "total"
                               ) -> list[IndicatorAcrossRegions]:
    """Each indicator (only the given disaggregation; None for all) with its value per region."""
    where, args = ("WHERE idg.disaggregation_code = ?", (disaggregation,)) if disaggregation \
        else ("", ())
    items = {}
    for r in conn.execute(
            f"""SELECT i.code, d.code, i.{col('name', lang)}, d.{col('name', lang)}, i.unit,
                       i.direction, i.baseline_value, i.target_value, i.periodicity
                FROM indicator i
                JOIN indicator_disaggregation idg ON idg.indicator_code = i.code
                JOIN disaggregation d ON d.code = idg.disaggregation_code {where}
                ORDER BY i.ord, idg.ord""", args):
        items[(r[0], r[1])] = IndicatorAcrossRegions(*r)
    for region, code, disagg, value in conn.execute(
            "SELECT region_code, indicator_code, disaggregation_code, value FROM indicator_value "
            "WHERE period_code = ? AND value IS NOT NULL", (period,)):
        item = items.get((code, disagg))
        if item is not None:
            item.values[region] = value
    return list(items.values())


# --- Overdue actions -----------------------------------------------------------------------------

@dataclass(frozen=True)
class OverdueAction:
    region: Region
    action_no: int
    action_name: str
    section_code: str
    due_date: str
    status: str
    days_overdue: int


def most_overdue_actions(conn: sqlite3.Connection, period: str, lang: str, as_of: date,
                         limit: int | None = 20) -> list[OverdueAction]:
    """Actions the regions reported for `period` as still open past their due date, longest
    overdue first (then by region and action). Regions that have not reported are not guessed."""
    by_code = {r.code: r for r in regions(conn, lang)}
    found = []
    for region, no, name, section, due, status in conn.execute(
            f"""SELECT r.region_code, a.no, a.{col('name', lang)}, s.code, a.due_date, r.status
                FROM action_report r JOIN action a ON a.no = r.action_no
                JOIN section s ON s.no = a.section_no
                WHERE r.period_code = ? AND a.due_date IS NOT NULL""", (period,)):
        if rules.is_overdue(due, status, as_of):
            days = (as_of - date.fromisoformat(due)).days
            found.append(OverdueAction(by_code[region], no, name, section, due, status, days))
    found.sort(key=lambda o: (-o.days_overdue, o.region.code, o.action_no))
    return found if limit is None else found[:limit]


def national_data_as_of(conn: sqlite3.Connection, period: str) -> str | None:
    """When any region's data for the period last changed."""
    row = conn.execute(
        """SELECT MAX(t) FROM (
             SELECT MAX(updated_at) AS t FROM action_report WHERE period_code = ?
             UNION ALL SELECT MAX(updated_at) FROM gender_figure WHERE period_code = ?
             UNION ALL SELECT MAX(updated_at) FROM indicator_value WHERE period_code = ?)""",
        (period,) * 3).fetchone()
    return row[0] if row else None
