"""Every word exists in Russian, Kazakh and English, with the same placeholders."""

import string

from resources.words import LANGS, language_from_locale, messages, tr


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_three_languages_and_same_placeholders() -> None:
    problems = []
    for key, entry in messages().items():
        for lang in LANGS:
            if not entry.get(lang, "").strip():
                problems.append(f"{key}: no {lang}")
        names = {lang: placeholders(entry.get(lang, "")) for lang in LANGS}
        if len({frozenset(v) for v in names.values()}) > 1:
            problems.append(f"{key}: placeholders differ {names}")
    assert problems == []


def test_translation_lookup_and_fallback() -> None:
    assert tr("status.completed", "kk") == "Орындалды"
    assert tr("no.such.key", "ru") == "no.such.key"
    assert tr("cli.backup_done", "en", file="x.sqlite3") == "Backup written: x.sqlite3"


def test_first_run_language_from_locale() -> None:
    assert language_from_locale("kk_KZ") == "kk"
    assert language_from_locale("ru_RU.UTF-8") == "ru"
    assert language_from_locale("de_DE") == "en"
    assert language_from_locale(None) == "en"


def test_parsed_words_are_cached_and_the_cache_follows_the_files(
        tmp_path, monkeypatch) -> None:
    import shutil

    from resources import paths
    from resources import words as i18n

    source = paths.resource_path("i18n")
    copy = tmp_path / "resources"
    shutil.copytree(source, copy / "i18n")
    monkeypatch.setattr(paths, "resource_root", lambda: copy)
    monkeypatch.setattr(i18n, "resource_path", lambda *p: copy.joinpath(*p))
    i18n.messages.cache_clear()
    paths.cache_dir().mkdir(parents=True, exist_ok=True)
    older = paths.cache_dir() / "i18n-0123456789abcdef.pickle"  # an earlier version's cache
    older.write_bytes(b"old")
    try:
        first = i18n.messages()
        assert not older.exists()
        cached = list(paths.cache_dir().glob("i18n-*.marshal"))
        assert len(cached) == 1
        i18n.messages.cache_clear()
        assert i18n.messages() == first
        core = copy / "i18n" / "core.toml"
        core.write_text(core.read_text(encoding="utf-8").replace('en = "Completed"',
                                                                 'en = "Done"'), encoding="utf-8")
        i18n.messages.cache_clear()
        assert i18n.messages()["status.completed"]["en"] == "Done"
        # the new words got a cache of their own; the stale one is gone
        now = list(paths.cache_dir().glob("i18n-*.marshal"))
        assert len(now) == 1 and now != cached
    finally:
        i18n.messages.cache_clear()
