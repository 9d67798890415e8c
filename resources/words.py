"""The project's words, in Russian, Kazakh and English, shared by the CLI, the workbooks, the PDFs
and the desktop app.

Words live in `resources/i18n/*.toml`, one file per feature. A leaf is a table with `ru`, `kk` and
`en` strings; nested tables give dotted keys (`[status.completed]` -> "status.completed").
Placeholders use `str.format` syntax: `{file}`, `{row}`.

A message that counts something has plural forms: each language is then a table of CLDR plural
categories, `ru = { one = "{count} ошибка", few = "{count} ошибки", many = "{count} ошибок" }`,
`kk` and `en` with `one` and `other`; `tr(key, lang, count=n)` picks
the form for n.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from resources.paths import cache_dir, resource_path

LANGS: tuple[str, ...] = ("ru", "kk", "en")
DEFAULT_LANG = "ru"
# The CLDR plural categories each language needs for whole numbers.
PLURAL_FORMS: dict[str, tuple[str, ...]] = {"ru": ("one", "few", "many"), "kk": ("one", "other"),
                                            "en": ("one", "other")}
_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})

Entry = dict[str, "str | dict[str, str]"]  # language -> text, or plural category -> text

_current_lang = DEFAULT_LANG


def _is_forms(value: object) -> bool:
    return (isinstance(value, dict) and bool(value) and set(value) <= _CATEGORIES
            and all(isinstance(text, str) for text in value.values()))


def _flatten(prefix: str, node: dict, out: dict[str, Entry], origin: str) -> None:
    if set(node) & set(LANGS) and all(isinstance(v, str) or _is_forms(v) for v in node.values()):
        out[prefix] = dict(node)
        return
    for name, child in node.items():
        if not isinstance(child, dict):
            raise ValueError(f"{origin}: {prefix}.{name} is not a table of translations")
        _flatten(f"{prefix}.{name}" if prefix else name, child, out, origin)


def _parse_all(paths: list[Path]) -> dict[str, Entry]:
    import tomllib  # only when the cache is stale

    out: dict[str, Entry] = {}
    for path in paths:
        with path.open("rb") as fh:
            _flatten("", tomllib.load(fh), out, path.name)
    return out


def _cache_file(paths: list[Path]) -> Path:
    # The parsed words are cached because parsing all the TOML files at every start of the app
    # costs more than the rest of reading them together. The cache is keyed by the files' names,
    # sizes and times and the Python version (marshal's format is its own); a stale or broken
    # cache is just rebuilt.
    stamp = "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in paths)
    stamp = f"{sys.version_info[:2]}|{stamp}".encode()
    digest = f"{zlib.crc32(stamp):08x}{zlib.adler32(stamp):08x}"  # a key, not a safeguard
    return cache_dir() / f"i18n-{digest}.marshal"


def _word_files() -> list[Path]:
    return sorted(resource_path("i18n").glob("*.toml"))


@cache
def messages() -> dict[str, Entry]:
    paths = _word_files()
    cached = _cache_file(paths)
    try:
        loaded = marshal.loads(cached.read_bytes())
        if isinstance(loaded, dict):
            return loaded
    except (OSError, EOFError, TypeError, ValueError):
        pass
    out = _parse_all(paths)
    _write_quietly(cached, marshal.dumps(out))
    _remove_stale_caches(keep=cached)
    return out


def _remove_stale_caches(keep: Path) -> None:
    """Each change of the word files (an update of the app) writes a cache of its own: the
    older ones are removed when a new one is written, so the folder does not fill up."""
    try:
        names = os.listdir(keep.parent)
    except OSError:
        return
    for name in names:
        if name.startswith("i18n-") and name.endswith(".marshal") \
                and name != keep.name:
            try:
                (keep.parent / name).unlink()
            except OSError:
                pass  # another process's cache in use on Windows, or already gone


def _write_quietly(path: Path, data: bytes) -> None:
    """Write a cache file atomically; a read-only or full disk only costs speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass


def plural_form(count: int, lang: str) -> str:
    """CLDR's plural category of a whole number: Russian one (1, 21, 101), few (2-4, 22-24),
    many (0, 5-20, 25-30, 11-14); Kazakh and English one (1) and other."""
    n = abs(int(count))
    if lang != "ru":
        return "one" if n == 1 else "other"
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


def _choose_form(forms: dict[str, str], count: object, lang: str) -> str:
    category = plural_form(count, lang) if isinstance(count, int) else "other"
    return (forms.get(category) or forms.get("other") or forms.get("many")
            or next(iter(forms.values())))


def normalize_lang(lang: str | None) -> str:
    lang = (lang or "").lower()[:2]
    return lang if lang in LANGS else DEFAULT_LANG


def set_language(lang: str) -> None:
    global _current_lang
    _current_lang = normalize_lang(lang)


def current_language() -> str:
    return _current_lang


def tr(key: str, lang: str | None = None, /, **params: object) -> str:
    """The word for `key` in `lang` (the current language when None), formatted with `params`;
    for a message with plural forms, the form for `params["count"]`."""
    entry = messages().get(key)
    if entry is None:
        return key.format(**params) if params else key
    lang = lang or _current_lang
    if not entry.get(lang):
        lang = "en"
    text = entry.get(lang) or key
    if isinstance(text, dict):
        text = _choose_form(text, params.get("count"), lang)
    return text.format(**params) if params else text


def all_translations(key: str) -> dict[str, str]:
    return dict(messages().get(key, {}))


def keys_with_prefix(prefix: str) -> Iterator[str]:
    return (k for k in messages() if k.startswith(prefix))


def language_from_locale(locale_name: str | None) -> str:
    """First-run language: Kazakh, Russian, else English."""
    code = (locale_name or "").lower()
    if code.startswith("kk"):
        return "kk"
    if code.startswith("ru"):
        return "ru"
    return "en"
