"""Every word exists in Russian, Kazakh and English, with the same placeholders; a message with
plural forms has every form its language needs (CLDR: ru one/few/many, kk and en one/other)."""

import string

import pytest

from resources.words import LANGS, PLURAL_FORMS, language_from_locale, messages, plural_form, tr


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def texts(value: object) -> list[str]:
    """A leaf's text for one language: one string, or each plural form's."""
    return list(value.values()) if isinstance(value, dict) else [value]


def test_every_key_has_three_languages_and_same_placeholders() -> None:
    problems = []
    for key, entry in messages().items():
        names: dict[str, set[frozenset[str]]] = {}
        for lang in LANGS:
            value = entry.get(lang, "")
            if not all(text.strip() for text in texts(value)) or not value:
                problems.append(f"{key}: no {lang}")
            if isinstance(value, dict):
                missing = set(PLURAL_FORMS[lang]) - set(value)
                if missing:
                    problems.append(f"{key}: {lang} lacks the plural forms {sorted(missing)}")
                if not all("{count}" in text for text in value.values()):
                    problems.append(f"{key}: {lang} has a plural form without {{count}}")
            names[lang] = {frozenset(placeholders(text)) for text in texts(value)}
        if len(set().union(*names.values())) > 1:
            problems.append(f"{key}: placeholders differ {names}")
    assert problems == []


@pytest.mark.parametrize(("lang", "forms"), [
    ("ru", {1: "one", 21: "one", 101: "one", 2: "few", 4: "few", 22: "few", 104: "few",
            0: "many", 5: "many", 11: "many", 12: "many", 14: "many", 20: "many", 111: "many",
            112: "many", 1000: "many"}),
    ("kk", {1: "one", 0: "other", 2: "other", 21: "other"}),
    ("en", {1: "one", 0: "other", 2: "other", 21: "other"}),
])
def test_plural_rules_are_cldr_s(lang: str, forms: dict[int, str]) -> None:
    assert {n: plural_form(n, lang) for n in forms} == forms


def test_a_count_picks_its_plural_form() -> None:
    assert tr("error.validation_failed", "ru", count=1).endswith("1 ошибка")
    assert tr("error.validation_failed", "ru", count=3).endswith("3 ошибки")
    assert tr("error.validation_failed", "ru", count=25).endswith("25 ошибок")
    assert tr("error.validation_failed", "en", count=1).endswith("1 error")
    assert tr("error.validation_failed", "en", count=2).endswith("2 errors")


def test_translation_lookup_and_fallback() -> None:
    assert tr("status.completed", "kk") == "Орындалды"
    assert tr("no.such.key", "ru") == "no.such.key"
    assert tr("cli.backup_done", "en", file="x.sqlite3") == "Backup written: x.sqlite3"


def test_first_run_language_from_locale() -> None:
    assert language_from_locale("kk_KZ") == "kk"
    assert language_from_locale("ru_RU.UTF-8") == "ru"
    assert language_from_locale("de_DE") == "en"
    assert language_from_locale(None) == "en"


def test_words_follow_their_files_and_the_cache_folder_does_not_fill_up(
        tmp_path, monkeypatch) -> None:
    """What a user sees across updates of the app: the words of the files now installed (never a
    stale copy), a damaged cache costing nothing, and no pile of caches left behind."""
    import shutil

    from resources import paths
    from resources import words as i18n

    source = paths.resource_path("i18n")
    copy = tmp_path / "resources"
    shutil.copytree(source, copy / "i18n")
    monkeypatch.setenv("PLANMONITOR_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(paths, "resource_root", lambda: copy)
    monkeypatch.setattr(i18n, "resource_path", lambda *p: copy.joinpath(*p))
    cache = paths.cache_dir()
    core = copy / "i18n" / "core.toml"
    i18n.messages.cache_clear()
    try:
        first = i18n.messages()
        i18n.messages.cache_clear()
        assert i18n.messages() == first  # the next start reads the same words
        after_first_start = len(list(cache.iterdir()))
        assert after_first_start >= 1
        word = "Completed"
        for update in ("Done", "Finished", "All done"):
            core.write_text(core.read_text(encoding="utf-8").replace(
                f'en = "{word}"', f'en = "{update}"'), encoding="utf-8")
            word = update
            i18n.messages.cache_clear()
            assert i18n.messages()["status.completed"]["en"] == update
        assert len(list(cache.iterdir())) == after_first_start
        for kept in cache.iterdir():
            kept.write_bytes(b"\x00not a cache")
        i18n.messages.cache_clear()
        assert i18n.messages()["status.completed"]["en"] == "All done"
    finally:
        i18n.messages.cache_clear()
