"""Realistic demo data, so a newcomer sees a living workbook: eight quarters, progress that grows
over time, gender figures and indicator values near their baselines and targets.

Deterministic (seeded by region code), so running it twice changes nothing the second time."""

from __future__ import annotations

import random
import sqlite3
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from db.audit import OpInfo
from db.demo_rows import DEMO_SOURCE, mark_demo, real_rows_exist
from db.errors import PlanMonitorError
from db.office import Office, load_office
from db.ops import RowWrite, apply_writes
from db.periods import parse_period, period_containing, previous_period
from db.queries import indicator_due_in
from db.workbook import open_workbook
from resources.paths import resource_path

DEMO_QUARTERS = 8
# Regions that have not yet reported the latest quarter in center mode, to show gaps.
LATE_REGIONS = ("KZ-43", "KZ-62", "KZ-79")


@dataclass(frozen=True)
class DemoStats:
    regions: int
    periods: int
    rows: int


def demo_periods(today: date | None = None, count: int = DEMO_QUARTERS) -> list[str]:
    code = period_containing(today or date.today())
    codes = [code]
    for _ in range(count - 1):
        codes.append(previous_period(codes[-1]))
    return list(reversed(codes))


def _phrases() -> dict:
    with resource_path("demo", "phrases.toml").open("rb") as fh:
        return tomllib.load(fh)


def demo_officer(phrases: dict, lang: str) -> str:
    """The name demo rows carry as officer: never the user's own."""
    return str(phrases["officer"][lang])


def _action_writes(rng: random.Random, region: str, periods: list[str], actions: list[int],
                   lang: str, phrases: dict, user: str) -> list[RowWrite]:
    writes = []
    pace = rng.uniform(0.7, 1.3)
    plan = {}
    for no in actions:
        start = rng.randint(0, 3)
        finish = start + max(1, round(rng.randint(1, 6) / pace))
        plan[no] = (start, finish, rng.random() < 0.06)
    for q, period in enumerate(periods):
        for no in actions:
            start, finish, not_applicable = plan[no]
            if not_applicable:
                status = "not_applicable"
            elif q < start:
                status = "not_started"
            elif q < finish:
                status = "in_progress"
            else:
                status = "completed"
            values = {"status": status, "officer": user}
            if status in ("in_progress", "completed"):
                measure = phrases["measures"][(no + min(q, finish)) % len(phrases["measures"])]
                values["progress_note"] = measure[lang]
                if status == "completed":
                    ev = phrases["evidence"][no % len(phrases["evidence"])][lang]
                    day = parse_period(period).end - timedelta(days=(no * 7) % 80)
                    values["evidence"] = ev.format(n=100 + no * 3, date=day.strftime("%d.%m.%Y"))
            writes.append(RowWrite("action_report", (region, period, no), values))
    return writes


def _gender_writes(rng: random.Random, region: str, periods: list[str],
                   bodies: list[str]) -> list[RowWrite]:
    writes = []
    for b_index, body in enumerate(bodies):
        total = rng.randint(6, 40) if b_index < 2 else rng.randint(20, 400)
        share = rng.uniform(0.12, 0.42)
        for period in periods:
            share = min(0.6, share + rng.uniform(-0.005, 0.015))
            women = min(total, round(total * share))
            writes.append(RowWrite("gender_figure", (region, period, body),
                                   {"women": women, "total": total}))
    return writes


def _value_for(rng: random.Random, unit: str, baseline: float | None, target: float | None,
               step: float) -> float:
    base = baseline if baseline is not None else 10.0
    goal = target if target is not None else base
    value = base + (goal - base) * step + rng.uniform(-0.05, 0.05) * max(abs(base), 1.0)
    if unit == "yes_no":
        return 1.0 if step > 0.4 or base >= 1 else 0.0
    value = max(0.0, value)
    if unit == "percent":
        return round(min(100.0, value), 1)
    if unit in ("count", "days"):
        return float(round(value))
    return round(value, 1)


def _indicator_writes(rng: random.Random, conn: sqlite3.Connection, region: str,
                      periods: list[str]) -> list[RowWrite]:
    rows = conn.execute(
        "SELECT i.code, i.unit, i.baseline_value, i.target_value, i.periodicity, "
        "idg.disaggregation_code FROM indicator i JOIN indicator_disaggregation idg "
        "ON idg.indicator_code = i.code ORDER BY i.ord, idg.ord").fetchall()
    writes = []
    for q, period in enumerate(periods):
        step = (q + 1) / (len(periods) + 4)
        for code, unit, baseline, target, periodicity, disagg in rows:
            if not indicator_due_in(periodicity, period):
                continue
            value = _value_for(rng, unit, baseline, target, step)
            writes.append(RowWrite("indicator_value", (region, period, code, disagg),
                                   {"value": value}))
    return writes


def fill_demo(conn: sqlite3.Connection, office: Office, today: date | None = None) -> DemoStats:
    """Write the demo figures, as the office: its own region, or every region at the center.
    Refused (nothing written) where real figures exist: demo values would overwrite them."""
    if real_rows_exist(conn):
        raise PlanMonitorError("error.demo_over_real")
    periods = demo_periods(today)
    actions = [r[0] for r in conn.execute("SELECT no FROM action ORDER BY no")]
    bodies = [r[0] for r in conn.execute("SELECT code FROM gender_body ORDER BY ord")]
    if office.is_center:
        region_codes = [r[0] for r in conn.execute("SELECT code FROM region ORDER BY code")]
    else:
        region_codes = [str(office.region_code)]
    phrases = _phrases()
    user = demo_officer(phrases, office.language)
    rows = 0
    for region in region_codes:
        rng = random.Random(f"planmonitor-demo-{region}")
        region_periods = periods
        if office.is_center and region in LATE_REGIONS:
            region_periods = periods[:-1]
        writes = (_action_writes(rng, region, region_periods, actions, office.language, phrases,
                                 user)
                  + _gender_writes(rng, region, region_periods, bodies)
                  + _indicator_writes(rng, conn, region, region_periods))
        apply_writes(conn, writes, OpInfo(user=user, source=DEMO_SOURCE,
                                          description=f"demo data {region}"), check_lock=False)
        rows += len(writes)
    mark_demo(conn, True)
    return DemoStats(regions=len(region_codes), periods=len(periods), rows=rows)


def fill_demo_file(path: Path, today: date | None = None) -> DemoStats:
    """Fill the workbook at `path` (made by db.workbook.init_database) with demo data, as the
    office it belongs to: every region in center mode, its own region otherwise."""
    conn = open_workbook(path)
    try:
        return fill_demo(conn, load_office(conn), today)
    finally:
        conn.close()


