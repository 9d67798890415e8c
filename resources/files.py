"""Finished files: written whole or not at all, and their SHA-256.

Every file the program hands to a person (an exchange workbook, a PDF or Word report) is written
under a temporary name in the same folder and renamed over the target only once complete
(`os.replace` is atomic on one volume, Windows included): a full disk, a crash or a cancel never
leaves half a file under the name a person will send, and an earlier file of that name stays
whole. The temporary file is removed whatever went wrong.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PARTIAL_SUFFIX = ".partial"
CHUNK = 1 << 20


def partial_path(path: Path) -> Path:
    """Where a file is written before it is complete: hidden beside `path`, same volume."""
    return path.with_name(f".{path.name}{PARTIAL_SUFFIX}")


@contextmanager
def atomic_write(path: Path | str, *, make_folder: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `path` to write the whole file to; on leaving the block the
    file replaces `path`. If the block raises (an error, a cancel), the temporary file is removed
    and `path` is left as it was. `make_folder`: create a missing folder (else a missing folder
    is the caller's OSError, e.g. a report refused with the path it could not write)."""
    path = Path(path)
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(path)
    try:
        yield partial
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def sha256_file(path: Path | str) -> str:
    """The SHA-256 of a file's bytes as hex, read in chunks (exchange files reach tens of MB)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()
