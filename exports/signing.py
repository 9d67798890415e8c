"""The canonical form of an exchange file and its signature (issue 20; the contract's section
"Signature", the exact bytes in docs/exchange-format.md, "The canonical form, byte by byte").

The canonical form is made of values only, so re-saving an unedited file in LibreOffice or Excel
keeps it, while any changed value changes it. The writer builds it from the very values it writes
(`CanonicalForm`), the reader from the cells it reads (`read_canonical`); both go through the same
`canonical_value`, so the two agree exactly for every value a writer can write.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from db import keys

HEADER = "planmonitor-exchange-canonical\t1\n"
TRAILING = " \t\n\r\u00a0"
# Sheets `_meta` names that are for people only (no reader acts on them): not covered.
PEOPLE_SHEETS = {"review": frozenset({"review"})}
SIGNIFICANT_DIGITS = 15  # what spreadsheets keep: LibreOffice writes 15, Excel shows 15
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")


def number_text(value: float) -> str:
    """A number rounded to 15 significant digits, in plain decimal: no exponent, no trailing
    zeros, no trailing point, `-0` as `0` (so 5 and 5.0 agree, and 1/3 as LibreOffice keeps it
    equals 1/3 as Python writes it)."""
    text = f"{value:.{SIGNIFICANT_DIGITS}g}"
    if "e" in text:
        text = format(Decimal(text), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def canonical_value(value: Any) -> str:
    """A cell as the canonical form holds it; '' for an empty cell (then left out)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(float(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).rstrip(TRAILING)


def _field(text: str) -> str:
    return text.translate(_ESCAPES) if _SPECIAL.search(text) else text


def _sheet_block(data_key: str, key_row: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """`S`, `K` and `R` lines of one data sheet: `rows` are the data rows (row 3 on). The loop
    is the export's and the import's cost on a national return (a million cells): text and
    numbers take the short way, the same results as `canonical_value`."""
    names = [canonical_value(v) for v in key_row]
    fields = [_field(name) for name in names]
    width = len(fields)
    parts = [f"S\t{_field(data_key)}\n", "K"]
    parts += [f"\t{_field(name)}" for name in names if name]
    parts.append("\n")
    normalize, special, value_of = unicodedata.normalize, _SPECIAL.search, canonical_value
    for row in rows:
        line: list[str] = []
        for col, value in enumerate(row):
            kind = type(value)
            if kind is str:
                text = value if value.isascii() else normalize("NFC", value)
                text = text.rstrip(TRAILING)
                if not text:
                    continue
                if special(text):
                    text = text.translate(_ESCAPES)
            elif kind is float:
                text = f"{value:.{SIGNIFICANT_DIGITS}g}"
                if "e" in text or text == "-0":
                    text = number_text(value)
            elif value is None:
                continue
            else:
                text = _field(value_of(value))
                if not text:
                    continue
            line.append(fields[col] if col < width else "")
            line.append(text)
        if line:
            parts.append("R\t" + "\t".join(line) + "\n")
    return "".join(parts)


def _meta_block(pairs: Iterable[tuple[Any, Any]]) -> str:
    lines = []
    for key, value in pairs:
        name = canonical_value(key)
        if name and name != "signature":
            lines.append((name, canonical_value(value)))
    return "".join(f"M\t{_field(k)}\t{_field(v)}\n" for k, v in sorted(lines))


def covered_keys(meta: dict[str, str]) -> list[str]:
    """The data keys whose sheets the signature covers, in canonical order."""
    people = PEOPLE_SHEETS.get(meta.get("kind", ""), frozenset())
    return sorted(k.removeprefix("sheet.") for k in meta
                  if k.startswith("sheet.") and k.removeprefix("sheet.") not in people)


class CanonicalForm:
    """Built by a writer: each data sheet as it is written, `_meta` last."""

    def __init__(self) -> None:
        self.blocks: dict[str, str] = {}

    def add_sheet(self, data_key: str, key_row: Sequence[Any],
                  rows: Iterable[Sequence[Any]]) -> None:
        self.blocks[data_key] = _sheet_block(data_key, key_row, rows)

    def encode(self, meta: dict[str, str]) -> bytes:
        missing = [k for k in covered_keys(meta) if k not in self.blocks]
        if missing:
            raise ValueError(f"data sheets named in _meta but not written: {missing}")
        body = "".join(self.blocks[k] for k in covered_keys(meta))
        return (HEADER + _meta_block(meta.items()) + body).encode("utf-8")


def read_canonical(meta_rows: Sequence[Sequence[Any]], sheet_titles: Sequence[str],
                   read_rows: Callable[[str], list[list[Any]]]) -> bytes | None:
    """The canonical form of a file as read: `_meta`'s rows, the workbook's sheet titles and a
    reader of a sheet's rows. None when a data sheet `_meta` names is not in the file."""
    pairs = [(row[0], row[1] if len(row) > 1 else "") for row in meta_rows if row]
    meta = {canonical_value(k): canonical_value(v) for k, v in pairs}
    blocks = []
    for data_key in covered_keys(meta):
        title = meta[f"sheet.{data_key}"]
        if title not in sheet_titles:
            return None
        rows = read_rows(title)
        blocks.append(_sheet_block(data_key, rows[0] if rows else [], rows[2:]))
    return (HEADER + _meta_block(pairs) + "".join(blocks)).encode("utf-8")


def signature_keys(key: keys.OfficeKey) -> dict[str, str]:
    """The `_meta` keys a signed file carries besides `signature` (they are covered by it)."""
    return {"signed_by": key.fingerprint, "public_key": keys.b64(key.public)}


def sign(key: keys.OfficeKey, canonical: bytes) -> str:
    return keys.b64(key.sign(canonical))


@dataclass(frozen=True)
class Verdict:
    """What a file's signature says: `signed` (valid), `unsigned` (no signature at all) or
    `altered` (a signature that does not match the content or its key); the signer's key and
    fingerprint as the file gives them; `detail` is technical (audit trail, --json only)."""

    state: str
    fingerprint: str = ""
    public_key: str = ""
    detail: str = ""


def verify_canonical(meta: dict[str, str], canonical: bytes | None) -> Verdict:
    """Check the file's signature over its canonical form (meta: the file's `_meta`)."""
    signature, public_key = meta.get("signature", ""), meta.get("public_key", "")
    signed_by = meta.get("signed_by", "")
    if not signature and not public_key and not signed_by:
        return Verdict("unsigned", detail="no signature in _meta")
    try:
        raw_key = base64.b64decode(public_key, validate=True)
        raw_signature = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return Verdict("altered", signed_by, public_key, "public_key or signature not base64")
    if len(raw_key) != 32 or len(raw_signature) != 64:
        return Verdict("altered", signed_by, public_key, "public_key or signature wrong length")
    real = keys.fingerprint(raw_key)
    if not keys.same_fingerprint(signed_by, real):
        return Verdict("altered", real, public_key, "signed_by is not the key's fingerprint")
    if canonical is None:
        return Verdict("altered", real, public_key, "a data sheet named in _meta is missing")
    if not keys.verify(raw_key, raw_signature, canonical):
        return Verdict("altered", real, public_key, "Ed25519 signature does not match content")
    return Verdict("signed", real, public_key, "Ed25519 signature valid")
