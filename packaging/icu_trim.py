"""Linux only: a smaller ICU data library for the bundle (32 MB -> about 3 MB).

PySide6's Linux wheels link Qt against ICU, whose data library `libicudata.so.NN` holds every
locale of the world, every legacy code page and transliterator. Qt uses ICU for collation, case
mapping and code pages; the app needs Russian, Kazakh and English and only UTF-8. This module
copies ICU's data package keeping the root locale, ru, kk and English, drops code-page tables,
transliterators and word-break dictionaries, and builds a drop-in `libicudata.so.NN` with the C
compiler. Without a compiler the build keeps the full library. Windows wheels ship no ICU.
What goes: Qt's legacy code pages (QStringDecoder("windows-1251") becomes invalid; the app uses
none, and Python's own codecs are untouched) and other languages' collation, names and formats.

ICU's common data package: a data header, then a table of contents (item count; name and data
offsets, relative to the table, sorted by name), the names, then the items, each 16-byte aligned.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

KEEP_LANGS = frozenset({"root", "ru", "kk"})  # with every regional variant
KEEP_ENGLISH = frozenset({"en", "en_001", "en_150", "en_GB", "en_US", "en_US_POSIX"})
DROP_FOLDERS = frozenset({"translit"})
DROP_SUFFIXES = (".cnv", ".dict")  # code pages; CJK/Thai/Lao/Khmer/Burmese word dictionaries
LOCALE = re.compile(r"^(?P<lang>[a-z]{2,3}|root)(_[A-Za-z0-9]+)*$")
NOT_LOCALES = frozenset({"res_index", "pool"})
ALIGN = 16


def keep_item(name: str) -> bool:
    """`name` is an item path such as 'icudt73l/coll/kk.res' or 'icudt73l/ibm-1251_P100-1995.cnv'."""
    parts = name.split("/")[1:]
    if not parts or parts[0] in DROP_FOLDERS or name.endswith(DROP_SUFFIXES):
        return False
    stem = parts[-1].rsplit(".", 1)[0]
    match = LOCALE.match(stem)
    if not name.endswith(".res") or stem in NOT_LOCALES or match is None:
        return True
    return match.group("lang") in KEEP_LANGS or stem in KEEP_ENGLISH


def read_items(package: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(header, [(name, item bytes)]) of an ICU common data package (little-endian)."""
    header_size = struct.unpack_from("<H", package, 0)[0]
    if package[2:4] != b"\xda\x27" or package[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package")
    toc = package[header_size:]
    count = struct.unpack_from("<I", toc, 0)[0]
    offsets = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    ends = [data for _, data in offsets[1:]] + [len(toc)]
    items = []
    for (name_at, data_at), end in zip(offsets, ends, strict=True):
        name = toc[name_at:toc.index(b"\0", name_at)].decode("ascii")
        items.append((name, toc[data_at:end]))
    return package[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    table = 4 + 8 * len(items)
    data_start = _aligned(table + len(names))
    entries, blobs, name_at, data_at = [], [], table, data_start
    for name, blob in items:
        entries.append(struct.pack("<II", name_at, data_at))
        name_at += len(name) + 1
        padded = blob + b"\0" * (_aligned(len(blob)) - len(blob))
        blobs.append(padded)
        data_at += len(padded)
    toc = struct.pack("<I", len(items)) + b"".join(entries) + names
    toc += b"\0" * (data_start - len(toc))
    return header + toc + b"".join(blobs)


def _aligned(size: int) -> int:
    return (size + ALIGN - 1) // ALIGN * ALIGN


def trim_package(package: bytes, keep: Callable[[str], bool] = keep_item) -> bytes:
    header, items = read_items(package)
    return write_package(header, [(name, blob) for name, blob in items if keep(name)])


def data_symbol(library: Path) -> tuple[str, int, int] | None:
    """(symbol, file offset, size) of ICU's data array in `library`, via binutils' nm."""
    nm = shutil.which("nm")
    if nm is None:
        return None
    out = subprocess.run([nm, "-D", "-S", "--defined-only", str(library)], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 4 and re.fullmatch(r"icudt\d+_dat", fields[3]):
            address, size = int(fields[0], 16), int(fields[1], 16)
            return fields[3], _file_offset(library, address), size
    return None


def _file_offset(library: Path, address: int) -> int:
    """The file offset of a virtual address, from the ELF64 program headers."""
    with library.open("rb") as fh:
        head = fh.read(64)
        phoff, = struct.unpack_from("<Q", head, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", head, 0x36)
        fh.seek(phoff)
        table = fh.read(phentsize * phnum)
    for i in range(phnum):
        kind, _, offset, vaddr, _, filesz = struct.unpack_from("<IIQQQQ", table, i * phentsize)
        if kind == 1 and vaddr <= address < vaddr + filesz:  # PT_LOAD
            return offset + address - vaddr
    raise ValueError(f"{library.name}: address {address:#x} is in no loaded segment")


def build_library(package: bytes, symbol: str, soname: str, out_dir: Path) -> Path | None:
    """A shared library exporting `symbol` = `package`, or None without a C compiler."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    data_file = out_dir / f"{symbol}.dat"
    data_file.write_bytes(package)
    source = out_dir / f"{symbol}.S"
    source.write_text(
        f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n'
        f'{symbol}:\n\t.incbin "{data_file.name}"\n\t.size {symbol}, .-{symbol}\n'
        '\t.section .note.GNU-stack,"",@progbits\n', encoding="ascii")
    library = out_dir / soname
    subprocess.run([compiler, "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-o",
                    str(library), source.name], cwd=out_dir, check=True, capture_output=True)
    return library


def trimmed_library(library: Path, out_dir: Path) -> Path | None:
    """A trimmed copy of ICU's data library `library`, or None when it cannot be made here."""
    found = data_symbol(library)
    if found is None:
        return None
    symbol, offset, size = found
    with library.open("rb") as fh:
        fh.seek(offset)
        package = fh.read(size)
    return build_library(trim_package(package), symbol, library.name, out_dir)
