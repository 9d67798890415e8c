"""The catalog: sections, actions, agencies, regions, gender bodies, indicators.

The seed comes from `resources/catalog/*.toml`; the ministry replaces it with catalog update files.
`apply_catalog` is the one write path for both: it upserts, audits each changed field, and never
deletes an entry that regional figures could refer to.
"""

from __future__ import annotations

import sqlite3
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.audit import Change, OpInfo, begin_operation, drop_empty_operation, record
from db.connection import transaction
from db.errors import PlanMonitorError
from db.office import get_meta, set_meta
from resources.paths import resource_path
from resources.text import clean_text
from resources.words import LANGS

# Table -> key columns, in the order rows are written (parents first).
CATALOG_TABLES: dict[str, tuple[str, ...]] = {
    "section": ("no",),
    "agency": ("code",),
    "action": ("no",),
    "action_agency": ("action_no", "agency_code"),
    "region": ("code",),
    "gender_body": ("code",),
    "disaggregation": ("code",),
    "indicator": ("code",),
    "indicator_disaggregation": ("indicator_code", "disaggregation_code"),
}
# Link tables are replaced per parent: the update's list of agencies for an action is the list.
LINK_PARENTS = {"action_agency": "action_no", "indicator_disaggregation": "indicator_code"}


@dataclass
class CatalogData:
    version: str
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def count(self, table: str) -> int:
        return len(self.rows.get(table, []))


def _texts(prefix: str, value: dict[str, str] | None) -> dict[str, str]:
    value = value or {}
    # a catalog file may spell a control character (TOML's "\u0007"): never stored
    return {f"{prefix}_{lang}": clean_text(str(value.get(lang, ""))).strip() for lang in LANGS}


def _read(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load_seed(folder: Path | None = None) -> CatalogData:
    folder = folder or resource_path("catalog")
    main = _read(folder / "catalog.toml")
    regions = _read(folder / "regions.toml")
    bodies = _read(folder / "gender_bodies.toml")
    indicators = _read(folder / "indicators.toml")
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in CATALOG_TABLES}
    for s in main["sections"]:
        rows["section"].append({"no": s["no"], "code": s["code"], **_texts("name", s["name"]),
                                "provenance": s["provenance"]})
    for a in main["agencies"]:
        rows["agency"].append({"code": a["code"], **_texts("name", a["name"]),
                               **_texts("short", a.get("short"))})
    for a in main["actions"]:
        rows["action"].append({
            "no": a["no"], "section_no": a["section"], **_texts("name", a["name"]),
            **_texts("outcome", a.get("outcome")), **_texts("deadline", a.get("deadline")),
            "due_date": a.get("due_date"), "local_bodies": int(bool(a.get("local_bodies"))),
            "provenance": a["provenance"], "source": a.get("source", ""),
        })
        for order, ag in enumerate(a.get("agencies", [])):
            rows["action_agency"].append({
                "action_no": a["no"], "agency_code": ag["code"], "role": ag.get("role", "co"),
                "as_agreed": int(bool(ag.get("as_agreed"))), "ord": order,
            })
    for r in regions["regions"]:
        rows["region"].append({"code": r["code"], "kind": r["kind"], **_texts("name", r["name"]),
                               **_texts("centre", r.get("centre"))})
    for order, b in enumerate(bodies["bodies"]):
        rows["gender_body"].append({"code": b["code"], "ord": order, **_texts("name", b["name"]),
                                    **_texts("description", b.get("description")),
                                    "provenance": b.get("provenance", "reconstructed")})
    for order, d in enumerate(indicators["disaggregations"]):
        rows["disaggregation"].append({"code": d["code"], "ord": order, **_texts("name", d["name"])})
    for order, i in enumerate(indicators["indicators"]):
        baseline, target = i.get("baseline", {}), i.get("target", {})
        rows["indicator"].append({
            "code": i["code"], "ord": order, "kind": i["kind"], "section_no": i.get("section"),
            "action_no": i.get("action"), **_texts("name", i["name"]),
            **_texts("definition", i.get("definition")), **_texts("source", i.get("source")),
            "unit": i["unit"], "direction": i["direction"],
            "baseline_value": baseline.get("value"), "baseline_year": baseline.get("year"),
            "target_value": target.get("value"), "target_year": target.get("year"),
            "periodicity": i.get("periodicity", "annual"),
            "provenance": i.get("provenance", "reconstructed"),
        })
        for d_order, code in enumerate(i.get("disaggregations", ["total"])):
            rows["indicator_disaggregation"].append(
                {"indicator_code": i["code"], "disaggregation_code": code, "ord": d_order})
    return CatalogData(version=str(main["version"]), rows=rows)


def _upsert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> list[Change]:
    keys = CATALOG_TABLES[table]
    key = tuple(row[k] for k in keys)
    where = " AND ".join(f"{k} = ?" for k in keys)
    current = conn.execute(f"SELECT * FROM {table} WHERE {where}", key).fetchone()
    if current is None:
        cols = ", ".join(row)
        conn.execute(f"INSERT INTO {table}({cols}) VALUES ({', '.join('?' * len(row))})",
                     tuple(row.values()))
        return [Change(table, key, name, None, value) for name, value in row.items()
                if name not in keys and value not in (None, "")]
    diffs = {name: value for name, value in row.items()
             if name not in keys and current[name] != value}
    if diffs:
        sets = ", ".join(f"{name} = ?" for name in diffs)
        conn.execute(f"UPDATE {table} SET {sets} WHERE {where}", (*diffs.values(), *key))
    return [Change(table, key, name, current[name], value) for name, value in diffs.items()]


def _replace_links(conn: sqlite3.Connection, table: str, rows: list[dict]) -> list[Change]:
    parent = LINK_PARENTS[table]
    keys = CATALOG_TABLES[table]
    changes: list[Change] = []
    by_parent: dict[Any, set[tuple]] = {}
    for row in rows:
        by_parent.setdefault(row[parent], set()).add(tuple(row[k] for k in keys))
    for parent_key, wanted in by_parent.items():
        existing = conn.execute(f"SELECT {', '.join(keys)} FROM {table} WHERE {parent} = ?",
                                (parent_key,)).fetchall()
        for old in existing:
            if tuple(old) not in wanted:
                where = " AND ".join(f"{k} = ?" for k in keys)
                conn.execute(f"DELETE FROM {table} WHERE {where}", tuple(old))
                changes.append(Change(table, tuple(old), "link", "present", None))
    for row in rows:
        changes.extend(_upsert(conn, table, row))
    return changes


def apply_catalog(conn: sqlite3.Connection, data: CatalogData, info: OpInfo, *,
                  itemised: bool = True) -> list[Change]:
    """Write a catalog (seed or update) in one transaction; returns the field changes.

    An update audits each field it changes. The first installation (`itemised=False`) is audited
    as one entry, the catalog's version: its ~1,800 fields are the catalog itself, not changes a
    person would look for in History."""
    changes: list[Change] = []
    with transaction(conn):
        op_id = begin_operation(conn, info)
        for table in CATALOG_TABLES:
            rows = data.rows.get(table, [])
            if table in LINK_PARENTS:
                changes.extend(_replace_links(conn, table, rows))
            else:
                for row in rows:
                    changes.extend(_upsert(conn, table, row))
        old_version = get_meta(conn, "catalog_version")
        if old_version != data.version:
            set_meta(conn, "catalog_version", data.version)
            changes.append(Change("meta", ("catalog_version",), "value", old_version, data.version))
        record(conn, op_id, changes if itemised else [c for c in changes if c.table == "meta"])
        drop_empty_operation(conn, op_id)
    return changes


# Who made an operation the app itself made (the initial catalog): no person's name.
APP_USER = ""


def seed_catalog(conn: sqlite3.Connection) -> list[Change]:
    """Install the shipped catalog in a new workbook: one history entry, made by the app."""
    data = load_seed()
    validate_catalog(data)
    return apply_catalog(conn, data, OpInfo(user=APP_USER, source="seed",
                                            description="catalog " + data.version + " installed"),
                         itemised=False)


def refresh_seed(conn: sqlite3.Connection) -> list[Change]:
    """Apply the shipped seed to an existing workbook when it is newer than the catalog held
    (a release that corrects names); audited as one catalog operation. Returns the changes."""
    from db.catalog_version import seed_is_newer

    if not seed_is_newer(conn):
        return []
    data = load_seed()
    validate_catalog(data)
    user = get_meta(conn, "user_name", "") or ""
    return apply_catalog(conn, data, OpInfo(user=user, source="catalog",
                                            description="catalog update " + data.version))


def validate_catalog(data: CatalogData) -> None:
    """Cross-references inside a catalog (an update file is checked the same way)."""
    known = {t: {tuple(r[k] for k in CATALOG_TABLES[t]) for r in data.rows.get(t, [])}
             for t in CATALOG_TABLES}

    def missing(table: str, value: Any) -> bool:
        return value is not None and (value,) not in known[table]

    for row in data.rows.get("action", []):
        if missing("section", row["section_no"]):
            raise PlanMonitorError("error.catalog_reference", item=f"action {row['no']}",
                                   ref=f"section {row['section_no']}")
    for row in data.rows.get("action_agency", []):
        if missing("agency", row["agency_code"]):
            raise PlanMonitorError("error.catalog_reference", item=f"action {row['action_no']}",
                                   ref=f"agency {row['agency_code']}")
    for row in data.rows.get("indicator_disaggregation", []):
        if missing("disaggregation", row["disaggregation_code"]):
            raise PlanMonitorError("error.catalog_reference", item=row["indicator_code"],
                                   ref=row["disaggregation_code"])


def catalog_version(conn: sqlite3.Connection) -> str:
    return get_meta(conn, "catalog_version", "") or ""
