"""Comparisons over time for the center: per action, every region's status over the last eight
periods (the heat map of the center page and the national PDF), and per gender body the national
share of women over the same periods (small line charts). Regions that did not report a period
have no status for it (None), which the views show apart from "not started"."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from db import rules
from db.national import reported_region_codes
from db.periods import parse_period, previous_period
from db.queries import Region, col, regions

HISTORY_PERIODS = 8


def last_periods(period: str, count: int = HISTORY_PERIODS) -> list[str]:
    """The `count` periods of `period`'s kind ending with it, oldest first."""
    codes = [parse_period(period).code]
    while len(codes) < count:
        codes.append(previous_period(codes[-1]))
    return codes[::-1]


@dataclass
class StatusHistory:
    periods: list[str]
    regions: list[Region]
    actions: list[tuple[int, str]]  # (number, name)
    reported: set[tuple[str, str]] = field(default_factory=set)  # (region, period)
    statuses: dict[tuple[int, str, str], str] = field(default_factory=dict)

    def status(self, action_no: int, region: str, period: str) -> str | None:
        """The region's status of the action in the period; None if it did not report then."""
        if (region, period) not in self.reported:
            return None
        return self.statuses.get((action_no, region, period), rules.NO_ANSWER)

    def counts(self, action_no: int, period: str) -> rules.Progress:
        progress = rules.Progress()
        for region in self.regions:
            status = self.status(action_no, region.code, period)
            if status is not None:
                progress.add(status)
        return progress


def status_history(conn: sqlite3.Connection, period: str, lang: str,
                   count: int = HISTORY_PERIODS) -> StatusHistory:
    """Every action's status in every region over the last `count` periods, in one read."""
    periods = last_periods(period, count)
    history = StatusHistory(periods, regions(conn, lang), [
        (no, name) for no, name in conn.execute(
            f"SELECT no, {col('name', lang)} FROM action ORDER BY no")])
    for code in periods:
        history.reported |= {(region, code) for region in reported_region_codes(conn, code)}
    marks = ",".join("?" * len(periods))
    for no, region, code, status in conn.execute(
            f"SELECT action_no, region_code, period_code, status FROM action_report "
            f"WHERE period_code IN ({marks})", periods):
        history.statuses[(no, region, code)] = status
    return history


@dataclass(frozen=True)
class ShareSeries:
    body: str
    name: str
    shares: list[float | None]  # per period of `periods`, national women / total in percent


def women_share_history(conn: sqlite3.Connection, period: str, lang: str,
                        count: int = HISTORY_PERIODS) -> tuple[list[str], list[ShareSeries]]:
    """Per body, women over total summed over the regions that gave both, period by period."""
    periods = last_periods(period, count)
    marks = ",".join("?" * len(periods))
    sums: dict[tuple[str, str], tuple[int, int]] = {
        (body, code): (women, total) for body, code, women, total in conn.execute(
            f"SELECT body_code, period_code, sum(women), sum(total) FROM gender_figure "
            f"WHERE period_code IN ({marks}) AND women IS NOT NULL AND total > 0 "
            f"GROUP BY body_code, period_code", periods)}
    series = []
    for body, name in conn.execute(
            f"SELECT code, {col('name', lang)} FROM gender_body ORDER BY ord"):
        shares = [rules.share_percent(*sums[(body, code)]) if (body, code) in sums else None
                  for code in periods]
        series.append(ShareSeries(body, name, shares))
    return periods, series


# The heat map's colours, shared by the center page and the national PDF (hex, no toolkit).
HEAT_COLOURS = {"completed": "#43a047", "in_progress": "#fbc02d", "not_started": "#e57373",
                rules.NO_ANSWER: "#ffe0b2",
                "not_applicable": "#b0bec5", None: "#ffffff"}
HEAT_ORDER = ("completed", "in_progress", "not_started", rules.NO_ANSWER, "not_applicable", None)
