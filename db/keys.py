"""This office's signing key and the keys it trusts (issue 20).

Every workbook has an Ed25519 key pair. The private key lives in a file beside the workbook
(`<workbook>.key`, mode 0600 on POSIX) and nowhere else: never in the database (a copy of the
database sent for support carries no key), never in an exchange file. The public key and its
fingerprint are kept in the database's `meta` so that `planmonitor keys` and the exports can show
them. The key file is the truth: when it is missing (a workbook copied to another PC without it)
a new pair is made on the next export, and the center then sees a new key for this region and
must confirm it, which is what a reinstall should cost.

Trusted keys (`trusted_key`): at a region one row, scope `center` (the ministry's key, confirmed
by a person against the fingerprint the ministry publishes); at the center one row per region
code (trusted on the first signed return, re-trusted only by a person). Every change to them is
audited (table `trusted_key`).

Crypto is pyca `cryptography`'s; nothing here computes a signature by hand.
"""

from __future__ import annotations

import base64
import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from db.audit import Change, OpInfo, begin_operation, now_iso, record
from resources.files import atomic_write

if TYPE_CHECKING:  # cryptography is loaded where a key is used, not by every schema check
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEY_SUFFIX = ".key"
FINGERPRINT_GROUPS, GROUP_DIGITS = 8, 4
CENTER_SCOPE = "center"
KEY_FILE_HEADER = b"planmonitor-ed25519-private-key\n"

V5_TRUST = """
CREATE TABLE trusted_key (
    scope       TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    trusted_at  TEXT NOT NULL,
    trusted_by  TEXT NOT NULL DEFAULT '',
    how         TEXT NOT NULL CHECK (how IN ('confirmed', 'first_return'))
) WITHOUT ROWID;
ALTER TABLE exchange_log ADD COLUMN signature TEXT
"""


def fingerprint(public_key: bytes) -> str:
    """32 decimal digits in 8 groups of 4, from SHA-256 of the raw 32-byte public key: the
    digest read as a big-endian number, modulo 10**32, zero-padded (about 106 bits). Digits read
    the same over the phone in Russian, Kazakh or English."""
    number = int.from_bytes(hashlib.sha256(public_key).digest(), "big") % 10 ** 32
    digits = f"{number:032d}"
    return " ".join(digits[i:i + GROUP_DIGITS]
                    for i in range(0, FINGERPRINT_GROUPS * GROUP_DIGITS, GROUP_DIGITS))


def normalize_fingerprint(text: str | None) -> str:
    """What a person typed, compared without spaces, dashes or case: `1234 5678 ...`,
    `12345678...` and `1234-5678-...` are the same fingerprint."""
    return "".join(ch for ch in str(text or "") if ch.isalnum()).upper()


def same_fingerprint(a: str | None, b: str | None) -> bool:
    return bool(normalize_fingerprint(a)) and normalize_fingerprint(a) == normalize_fingerprint(b)


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def verify(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """Whether `signature` is the Ed25519 signature of `message` under `public_key`."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


# --- This office's key ---------------------------------------------------------------------------

def database_file(conn: sqlite3.Connection) -> Path | None:
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


def key_file(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + KEY_SUFFIX)


def _read_key(path: Path) -> Ed25519PrivateKey | None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if not data.startswith(KEY_FILE_HEADER):
        return None
    try:
        raw = base64.b64decode(data[len(KEY_FILE_HEADER):].strip(), validate=True)
        return Ed25519PrivateKey.from_private_bytes(raw)
    except ValueError:
        return None


def _write_key(path: Path, key: Ed25519PrivateKey) -> None:
    """Created readable by this user only (0600 on POSIX), never overwritten in place."""
    raw = key.private_bytes_raw()
    with atomic_write(path, make_folder=True) as partial:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(KEY_FILE_HEADER + base64.b64encode(raw) + b"\n")


@dataclass(frozen=True)
class OfficeKey:
    """The key this workbook signs with (None when the workbook is not a file)."""

    private: Ed25519PrivateKey
    public: bytes
    fingerprint: str

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def ensure_office_key(conn: sqlite3.Connection) -> OfficeKey | None:
    """This workbook's key: read from its key file, made (and the file written) when there is
    none; the public key and fingerprint are mirrored into `meta`. Called by migration v5 (a
    new workbook at init, an existing one at its upgrade) and before every export."""
    db_path = database_file(conn)
    if db_path is None:
        return None
    path = key_file(db_path)
    key = _read_key(path)
    if key is None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key = Ed25519PrivateKey.generate()
        _write_key(path, key)
    public = public_bytes(key)
    office = OfficeKey(key, public, fingerprint(public))
    if _meta(conn, "office_public_key") != b64(public):
        for name, value in (("office_public_key", b64(public)),
                            ("office_fingerprint", office.fingerprint)):
            conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) "
                         "DO UPDATE SET value = excluded.value", (name, value))
    return office


def _meta(conn: sqlite3.Connection, name: str) -> str | None:
    """(db.office's get_meta, which this module cannot import: office > connection > schema.)"""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (name,)).fetchone()
    return row[0] if row else None


def office_public_key(conn: sqlite3.Connection) -> str | None:
    return _meta(conn, "office_public_key")


def migrate_v5(conn: sqlite3.Connection) -> None:
    """Schema v5: the trusted keys, the signature state of each import, and this office's key
    pair (made now for a new or an upgraded workbook; the usual backup was taken before)."""
    for statement in V5_TRUST.split(";"):
        if statement.strip():
            conn.execute(statement)
    ensure_office_key(conn)


# --- Keys this office trusts ---------------------------------------------------------------------

@dataclass(frozen=True)
class TrustedKey:
    scope: str  # `center`, or a region code at the center
    fingerprint: str
    public_key: str
    trusted_at: str
    trusted_by: str
    how: str

    def as_dict(self) -> dict[str, str]:
        return {"scope": self.scope, "fingerprint": self.fingerprint,
                "public_key": self.public_key, "trusted_at": self.trusted_at,
                "trusted_by": self.trusted_by, "how": self.how}


def trusted_keys(conn: sqlite3.Connection) -> list[TrustedKey]:
    return [TrustedKey(*row) for row in conn.execute(
        "SELECT scope, fingerprint, public_key, trusted_at, trusted_by, how FROM trusted_key "
        "ORDER BY scope = 'center' DESC, scope")]


def trusted_key(conn: sqlite3.Connection, scope: str) -> TrustedKey | None:
    row = conn.execute("SELECT scope, fingerprint, public_key, trusted_at, trusted_by, how "
                       "FROM trusted_key WHERE scope = ?", (scope,)).fetchone()
    return TrustedKey(*row) if row else None


def scope_of_key(conn: sqlite3.Connection, public_key: str) -> str | None:
    """The region (or `center`) this public key is trusted for, if any."""
    row = conn.execute("SELECT scope FROM trusted_key WHERE public_key = ?",
                       (public_key,)).fetchone()
    return row[0] if row else None


def trust_key(conn: sqlite3.Connection, scope: str, public_key: str, how: str,
              info: OpInfo) -> None:
    """Trust `public_key` for `scope` from now on (replacing the key trusted before), audited
    as its own operation. Runs inside the caller's transaction (the import's)."""
    old = trusted_key(conn, scope)
    new_fingerprint = fingerprint(base64.b64decode(public_key))
    conn.execute(
        "INSERT INTO trusted_key(scope, fingerprint, public_key, trusted_at, trusted_by, how) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(scope) DO UPDATE SET "
        "fingerprint = excluded.fingerprint, public_key = excluded.public_key, "
        "trusted_at = excluded.trusted_at, trusted_by = excluded.trusted_by, how = excluded.how",
        (scope, new_fingerprint, public_key, now_iso(), info.user, how))
    op_id = begin_operation(conn, info)
    record(conn, op_id, [Change("trusted_key", (scope,), "fingerprint",
                                old.fingerprint if old else None, new_fingerprint)])
