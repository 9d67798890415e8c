"""The center's national picture of who has reported: regions x periods, and for one period
regions x sections, each cell saying whether the region reported, how complete its return is
(db.queries.completeness), when the last return file arrived, which file, and the review state."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field, replace

from db import queries, rules
from db.periods import parse_period, sort_periods
from db.review import Review, reviews


@dataclass(frozen=True)
class Receipt:
    """The latest return file the center imported for a region and period."""

    at: str
    file_name: str
    file_sha256: str | None
    package_id: str | None
    exported_at: str | None
    result: str
    unsigned: bool = False  # the figures last applied came from an unsigned or edited file


@dataclass
class Cell:
    region: str
    period: str
    reported: bool = False
    required: int = 0
    filled: int = 0
    receipt: Receipt | None = None
    review: Review | None = None

    @property
    def percent(self) -> float:
        if not self.reported:
            return 0.0
        return round(100.0 * self.filled / self.required, 1) if self.required else 100.0

    @property
    def review_state(self) -> str | None:
        return self.review.state if self.review else None

    @property
    def resubmitted(self) -> bool:
        """A returned (or reopened) return that the region has sent again since the decision."""
        return (self.review_state in ("returned", "reopened") and self.receipt is not None
                and self.review is not None and self.receipt.result == "applied"
                and self.receipt.at >= (self.review.updated_at or ""))


@dataclass
class PeriodMatrix:
    regions: list[queries.Region]
    periods: list[str]
    cells: dict[tuple[str, str], Cell]

    def cell(self, region: str, period: str) -> Cell:
        return self.cells[(region, period)]

    def missing(self, period: str) -> list[str]:
        return [r.code for r in self.regions if not self.cells[(r.code, period)].reported]

    def reported(self, period: str) -> list[str]:
        return [r.code for r in self.regions if self.cells[(r.code, period)].reported]


@dataclass
class SectionCell:
    actions: int = 0
    reported: int = 0
    progress: rules.Progress = field(default_factory=rules.Progress)

    @property
    def complete(self) -> bool:
        return self.reported == self.actions


@dataclass
class SectionMatrix:
    period: str
    regions: list[queries.Region]
    sections: list[queries.Section]
    cells: dict[str, Cell]
    by_section: dict[tuple[str, int], SectionCell]

    def section_cell(self, region: str, section_no: int) -> SectionCell:
        return self.by_section[(region, section_no)]

    @property
    def missing(self) -> list[str]:
        return [r.code for r in self.regions if not self.cells[r.code].reported]


# --- Reading the pieces --------------------------------------------------------------------------

def reported_pairs(conn: sqlite3.Connection, period: str | None = None) -> set[tuple[str, str]]:
    """(region, period) pairs that hold any figure."""
    # A row left all empty (a first edit undone) is not a figure, as in queries.completeness.
    where, args = ("AND period_code = ?", (period,) * 3) if period else ("", ())
    return {(r[0], r[1]) for r in conn.execute(" UNION ".join(
        f"SELECT region_code, period_code FROM {table} WHERE {rules.holds_values_sql(table)} {where}"
        for table in ("action_report", "gender_figure", "indicator_value")), args)}


def latest_receipts(conn: sqlite3.Connection,
                    period: str | None = None) -> dict[tuple[str, str], Receipt]:
    """The last imported return file per region and period, from the exchange log."""
    where, args = ("AND period_code = ?", (period,)) if period else ("", ())
    rows = conn.execute(
        "SELECT region_code, period_code, at, file_name, file_sha256, package_id, exported_at, "
        "result, signature FROM exchange_log WHERE direction = 'import' AND kind = 'return' "
        f"AND region_code IS NOT NULL AND period_code IS NOT NULL {where} ORDER BY id", args)
    out: dict[tuple[str, str], Receipt] = {}
    unsigned: dict[tuple[str, str], bool] = {}
    for *scope_and_receipt, signature in rows:
        key = (scope_and_receipt[0], scope_and_receipt[1])
        receipt = Receipt(*scope_and_receipt[2:])
        if receipt.result == "applied":  # what the center's figures last came from
            unsigned[key] = signature in ("unsigned", "altered")
        out[key] = replace(receipt, unsigned=unsigned.get(key, False))
    return out


def completeness_counts(conn: sqlite3.Connection, period: str) -> dict[str, tuple[int, int]]:
    """(required, filled) per region for `period`, by the rules of db.queries.completeness but
    set-based: a handful of queries for all regions instead of three grids per region."""
    actions = conn.execute("SELECT COUNT(*) FROM action").fetchone()[0]
    bodies = conn.execute("SELECT COUNT(*) FROM gender_body").fetchone()[0]
    due = {code for code, periodicity in conn.execute("SELECT code, periodicity FROM indicator")
           if queries.indicator_due_in(periodicity, period)}
    breakdowns = dict(conn.execute("SELECT indicator_code, COUNT(*) FROM indicator_disaggregation "
                                   "GROUP BY indicator_code"))
    required = actions + bodies + sum(breakdowns.get(code, 0) for code in due)
    filled: dict[str, int] = defaultdict(int)
    for region, status, note in conn.execute(
            "SELECT r.region_code, r.status, r.progress_note FROM action_report r "
            f"JOIN action a ON a.no = r.action_no WHERE r.period_code = ? "
            f"AND {rules.holds_values_sql('action_report', 'r')}", (period,)):
        if status != rules.NO_ANSWER and not (status in ("in_progress", "completed")
                                              and not note.strip()):
            filled[region] += 1  # as db.queries.completeness: no status is no answer
    for region, count in conn.execute(
            "SELECT g.region_code, COUNT(*) FROM gender_figure g JOIN gender_body b "
            "ON b.code = g.body_code WHERE g.period_code = ? AND g.women IS NOT NULL AND "
            "g.total IS NOT NULL GROUP BY g.region_code", (period,)):
        filled[region] += count
    for region, code, count in conn.execute(
            "SELECT v.region_code, v.indicator_code, COUNT(*) FROM indicator_value v "
            "JOIN indicator_disaggregation x ON x.indicator_code = v.indicator_code "
            "AND x.disaggregation_code = v.disaggregation_code "
            "WHERE v.period_code = ? AND v.value IS NOT NULL "
            "GROUP BY v.region_code, v.indicator_code", (period,)):
        if code in due:
            filled[region] += count
    regions = [r[0] for r in conn.execute("SELECT code FROM region")]
    return {region: (required, filled.get(region, 0)) for region in regions}


def _cells(conn: sqlite3.Connection, regions: list[queries.Region], period: str,
           reported: set[tuple[str, str]], receipts: dict[tuple[str, str], Receipt],
           decided: dict[tuple[str, str], Review]) -> dict[str, Cell]:
    counts = completeness_counts(conn, period)
    cells = {}
    for region in regions:
        cell = Cell(region.code, period, reported=(region.code, period) in reported,
                    receipt=receipts.get((region.code, period)),
                    review=decided.get((region.code, period)))
        if cell.reported:
            cell.required, cell.filled = counts.get(region.code, (0, 0))
        cells[region.code] = cell
    return cells


# --- The matrices --------------------------------------------------------------------------------

def known_periods(conn: sqlite3.Connection) -> list[str]:
    """Periods with figures, received files or reviews."""
    codes = {p for _, p in reported_pairs(conn)}
    codes |= {p for _, p in latest_receipts(conn)}
    codes |= {p for _, p in reviews(conn)}
    return sort_periods(codes)


def period_matrix(conn: sqlite3.Connection, lang: str,
                  periods: list[str] | None = None) -> PeriodMatrix:
    """Regions x periods (all known periods unless given)."""
    chosen = sort_periods([parse_period(p).code for p in periods]) if periods else known_periods(conn)
    reported, receipts, decided = reported_pairs(conn), latest_receipts(conn), reviews(conn)
    regions = queries.regions(conn, lang)
    cells = {}
    for period in chosen:
        cells.update({(code, period): cell for code, cell in
                      _cells(conn, regions, period, reported, receipts, decided).items()})
    return PeriodMatrix(regions, chosen, cells)


def _section_cells(conn: sqlite3.Connection, period: str,
                   regions: list[queries.Region]) -> dict[tuple[str, int], SectionCell]:
    per_section = dict(conn.execute("SELECT section_no, COUNT(*) FROM action GROUP BY section_no"))
    out = {(r.code, no): SectionCell(actions=per_section.get(no, 0))
           for r in regions for no in per_section}
    statuses: dict[tuple[str, int], list[str]] = defaultdict(list)
    for region, section_no, status in conn.execute(
            "SELECT r.region_code, a.section_no, r.status FROM action_report r "
            f"JOIN action a ON a.no = r.action_no WHERE r.period_code = ? "
            f"AND {rules.holds_values_sql('action_report', 'r')}", (period,)):
        statuses[(region, section_no)].append(status)
    for key, cell in out.items():
        reported = statuses.get(key, [])
        cell.reported = len(reported)
        cell.progress = rules.progress_of(
            reported + [rules.NO_ANSWER] * (cell.actions - len(reported)))
    return out


def section_matrix(conn: sqlite3.Connection, period: str, lang: str) -> SectionMatrix:
    """For one period, regions x sections: actions reported of all, progress."""
    period = parse_period(period).code
    regions = queries.regions(conn, lang)
    reported = reported_pairs(conn, period)
    receipts, decided = latest_receipts(conn, period), reviews(conn, period)
    cells = _cells(conn, regions, period, reported, receipts, decided)
    return SectionMatrix(period, regions, queries.sections(conn, lang), cells,
                         _section_cells(conn, period, regions))
