"""The Windows version resource of the bundle's two programs, built from `planmonitor.__version__`.

Loaded by `build.spec` (and by tests) from its file path: this folder is not a package, so it can
never shadow the `packaging` library that PyInstaller and pip import. PyInstaller's version-info
module needs `pefile`, which PyInstaller installs on Windows only: it is imported lazily.
"""

from __future__ import annotations

import re
from typing import Any

PRODUCT_NAME = "Plan Monitor"
COMPANY_NAME = "Plan Monitor"
COPYRIGHT = "MIT License"
LANG_CODEPAGE = "040904B0"  # U.S. English, Unicode; Explorer shows it for every UI language
TRANSLATION = (0x0409, 1200)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """'0.1.0' -> (0, 1, 0, 0); suffixes such as '.dev1' or 'rc2' are dropped."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:4]]
    padded = (numbers + [0, 0, 0, 0])[:4]
    return padded[0], padded[1], padded[2], padded[3]


def version_strings(version: str, exe_name: str, description: str) -> dict[str, str]:
    return {
        "CompanyName": COMPANY_NAME,
        "FileDescription": description,
        "FileVersion": ".".join(str(n) for n in version_tuple(version)),
        "InternalName": exe_name,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": PRODUCT_NAME,
        "ProductVersion": version,
    }


def version_info(version: str, exe_name: str, description: str) -> Any:
    """A `PyInstaller.utils.win32.versioninfo.VSVersionInfo` for `EXE(version=...)`."""
    from PyInstaller.utils.win32 import versioninfo as vi

    numbers = version_tuple(version)
    strings = version_strings(version, exe_name, description)
    table = vi.StringTable(LANG_CODEPAGE, [vi.StringStruct(k, v) for k, v in strings.items()])
    return vi.VSVersionInfo(
        ffi=vi.FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[vi.StringFileInfo([table]),
              vi.VarFileInfo([vi.VarStruct("Translation", list(TRANSLATION))])],
    )
