"""The seeded catalog: 8 sections, 27 actions, 20 regions, bodies, indicators, provenance."""

import re
import sqlite3

from db.audit import OpInfo
from db.catalog import apply_catalog, load_seed


def test_seed_counts(region_db: sqlite3.Connection) -> None:
    count = lambda t: region_db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: E731
    assert count("section") == 8
    assert count("action") == 27
    assert count("region") == 20
    assert count("gender_body") >= 8
    assert 25 <= count("indicator") <= 40
    assert [r[0] for r in region_db.execute("SELECT no FROM action ORDER BY no")] == list(range(1, 28))


def test_every_text_in_three_languages(region_db: sqlite3.Connection) -> None:
    for table in ("section", "action", "region", "gender_body", "indicator"):
        for lang in ("ru", "kk", "en"):
            empty = region_db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE TRIM(name_{lang}) = ''").fetchone()[0]
            assert empty == 0, (table, lang)
    kazakh = re.compile("[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")
    kk_names = [r[0] for r in region_db.execute("SELECT name_kk FROM action")]
    assert sum(bool(kazakh.search(n)) for n in kk_names) >= 20


def test_verified_actions_match_published_plan(region_db: sqlite3.Connection) -> None:
    verified = [r[0] for r in region_db.execute(
        "SELECT no FROM action WHERE provenance = 'verified' ORDER BY no")]
    assert verified == [1, 2, 3]
    a3 = region_db.execute("SELECT deadline_en, local_bodies, due_date FROM action WHERE no = 3").fetchone()
    assert "August 2022" in a3[0] and a3[1] == 1 and a3[2].startswith("2022-08")
    agencies = {r[0]: (r[1], r[2]) for r in region_db.execute(
        "SELECT agency_code, role, as_agreed FROM action_agency WHERE action_no = 1")}
    assert agencies["MIA"] == ("lead", 0)
    assert agencies["GPO"][1] == 1  # "as agreed"
    a4 = region_db.execute("SELECT name_en, provenance FROM action WHERE no = 4").fetchone()
    assert "women" in a4[0].lower() and a4[1] == "reconstructed"


def test_regions_codes_and_names(region_db: sqlite3.Connection) -> None:
    rows = {r[0]: r[1:] for r in region_db.execute("SELECT code, name_kk, name_ru FROM region")}
    assert rows["KZ-10"] == ("Абай облысы", "область Абай")
    assert rows["KZ-62"][0] == "Ұлытау облысы"
    assert rows["KZ-79"][1] == "Шымкент"


def test_catalog_update_is_audited_and_keeps_figures(region_db: sqlite3.Connection) -> None:
    from db.ops import update_action

    update_action(region_db, "KZ-75", "2026-Q3", 5, OpInfo(user="u"), status="in_progress")
    data = load_seed()
    data.version = "2099.1"
    for row in data.rows["action"]:
        if row["no"] == 5:
            row["name_ru"] = "Официальное наименование мероприятия 5"
    changes = apply_catalog(region_db, data, OpInfo(user="center", source="catalog"))
    fields = {(c.table, c.field) for c in changes}
    assert ("action", "name_ru") in fields and ("meta", "value") in fields
    assert region_db.execute("SELECT status FROM action_report WHERE action_no = 5").fetchone()[0] == "in_progress"
    audit = region_db.execute("SELECT new_value FROM audit WHERE tbl = 'action' AND field = 'name_ru' AND old_value IS NOT NULL").fetchone()
    assert audit[0] == "Официальное наименование мероприятия 5"
    # applying the same catalog again changes nothing
    assert apply_catalog(region_db, data, OpInfo(user="center", source="catalog")) == []
