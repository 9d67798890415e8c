"""The project's words, in Russian, Kazakh and English, shared by the CLI, the workbooks, the PDFs
and the desktop app.

Words live in `resources/i18n/*.toml`, one file per feature. A leaf is a table with `ru`, `kk` and
`en` strings; nested tables give dotted keys (`[status.completed]` -> "status.completed").
Placeholders use `str.format` syntax: `{file}`, `{row}`.
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

_current_lang = DEFAULT_LANG


def _flatten(prefix: str, node: dict, out: dict[str, dict[str, str]], origin: str) -> None:
    if set(node) & set(LANGS) and all(isinstance(v, str) for v in node.values()):
        out[prefix] = dict(node)
        return
    for name, child in node.items():
        if not isinstance(child, dict):
            raise ValueError(f"{origin}: {prefix}.{name} is not a table of translations")
        _flatten(f"{prefix}.{name}" if prefix else name, child, out, origin)


def _parse_all(paths: list[Path]) -> dict[str, dict[str, str]]:
    import tomllib  # only when the cache is stale: importing it costs a start ~10 ms

    out: dict[str, dict[str, str]] = {}
    for path in paths:
        with path.open("rb") as fh:
            _flatten("", tomllib.load(fh), out, path.name)
    return out


def _cache_file(paths: list[Path]) -> Path:
    # Parsing ~140 KB of TOML costs tens of milliseconds at every start; a cache keyed by the
    # files' names, sizes and times (and the Python version: marshal's format is its own) loads
    # in about one. marshal and zlib are built in, where pickle and hashlib cost a start ~7 ms to
    # import. A stale or broken cache is just rebuilt.
    stamp = "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in paths)
    stamp = f"{sys.version_info[:2]}|{stamp}".encode()
    digest = f"{zlib.crc32(stamp):08x}{zlib.adler32(stamp):08x}"
    return cache_dir() / f"i18n-{digest}.marshal"


def _word_files() -> list[Path]:
    """sorted(resources/i18n/*.toml): listed with os.listdir, as Path.glob would compile its
    pattern with `re` at every start (~0.4 ms); names compare without case on Windows, as there."""
    folder = resource_path("i18n")
    fold = str.lower if os.name == "nt" else str
    return sorted(folder / name for name in os.listdir(folder) if fold(name).endswith(".toml"))


@cache
def messages() -> dict[str, dict[str, str]]:
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
    older ones (and the .pickle caches of earlier versions) are removed when a new one is
    written, so the folder does not fill up. Only then: a start that finds its cache pays
    nothing for this."""
    try:
        names = os.listdir(keep.parent)
    except OSError:
        return
    for name in names:
        if name.startswith("i18n-") and name.endswith((".marshal", ".pickle")) \
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


def normalize_lang(lang: str | None) -> str:
    lang = (lang or "").lower()[:2]
    return lang if lang in LANGS else DEFAULT_LANG


def set_language(lang: str) -> None:
    global _current_lang
    _current_lang = normalize_lang(lang)


def current_language() -> str:
    return _current_lang


def tr(key: str, lang: str | None = None, /, **params: object) -> str:
    """The word for `key` in `lang` (the current language when None), formatted with `params`."""
    entry = messages().get(key)
    if entry is None:
        text = key
    else:
        text = entry.get(lang or _current_lang) or entry.get("en") or key
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
