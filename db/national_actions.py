"""Per action, what every region reported for one period: the national status (how many of the
reporting regions completed it, have it in progress, not started), each region's measures taken,
the center's remarks on it and where it is overdue. The ministry's editable report (exports.
docx_report) is written from this; the figures per section and region stay in db.national."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date

from db import rules
from db.national import reported_region_codes
from db.queries import Region, col, regions


@dataclass(frozen=True)
class RegionEntry:
    region: Region
    status: str
    note: str
    evidence: str
    remark: str  # the center's remark on this action for the region ("" if none)
    overdue: bool


@dataclass
class ActionAcrossRegions:
    no: int
    section_no: int
    name: str
    due_date: str | None
    progress: rules.Progress = field(default_factory=rules.Progress)  # reporting regions only
    entries: list[RegionEntry] = field(default_factory=list)  # regions that reported, code order

    @property
    def overdue_in(self) -> list[RegionEntry]:
        return [e for e in self.entries if e.overdue]


_ACTIONS = """SELECT a.no, a.section_no, a.{name}, a.due_date FROM action a ORDER BY a.no"""
_ROWS = """SELECT r.action_no, r.region_code, r.status, r.progress_note, r.evidence,
                  COALESCE(m.remark, '')
           FROM action_report r
           LEFT JOIN review_remark m ON m.region_code = r.region_code
                AND m.period_code = r.period_code AND m.item_kind = 'action'
                AND m.item_key = CAST(r.action_no AS TEXT)
           WHERE r.period_code = ? ORDER BY r.region_code"""


def actions_across_regions(conn: sqlite3.Connection, period: str, lang: str,
                           today: date) -> list[ActionAcrossRegions]:
    """Every action of the plan, with the entries of the regions that reported the period (a
    reporting region without a row for an action counts as no answer, as in db.national)."""
    reported = reported_region_codes(conn, period)
    by_code = {r.code: r for r in regions(conn, lang) if r.code in reported}
    actions = {no: ActionAcrossRegions(no, section, name, due)
               for no, section, name, due in conn.execute(_ACTIONS.format(name=col("name", lang)))}
    seen: dict[int, set[str]] = {no: set() for no in actions}
    for no, region, status, note, evidence, remark in conn.execute(_ROWS, (period,)):
        action = actions.get(no)
        if action is None or region not in by_code:
            continue
        seen[no].add(region)
        action.progress.add(status)
        action.entries.append(RegionEntry(by_code[region], status, note, evidence, remark,
                                          rules.is_overdue(action.due_date, status, today)))
    for no, action in actions.items():
        for _missing in set(by_code) - seen[no]:
            action.progress.add(rules.NO_ANSWER)
    return list(actions.values())
