"""The Qt desktop app: a thin layer of models, views and dialogs over db/ and exports/.

Importing it loads PySide6's core and makes PySide6's look at each newly imported module cheaper
(see `_speed_up_pyside_import_hook`), before any other module of the app is imported."""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - installs PySide6's import hook, made cheaper below


def _speed_up_pyside_import_hook() -> None:
    """PySide6 asks of every module imported after it whether its source mentions "PySide6"
    (shibokensupport.feature: may `from __feature__ import ...` apply to it?), through
    inspect.getsource: ~0.12 ms a module, ~9 ms of a start that imports ~75 modules (ours and the
    standard library's), which a bare PySide6 window never pays. The same question is answered
    here from the file's bytes, ~4x faster; a module without a plain .py file goes to PySide6's
    own check. The hook is PySide6's private one: where it is missing, nothing changes."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or hasattr(original, "pyside_s_own"):  # missing, or done already
        return

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as fh:
                return b"PySide6" in fh.read()
        except OSError:
            return original(module)

    uses_pyside.pyside_s_own = original  # type: ignore[attr-defined] # (tests compare them)
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]


_speed_up_pyside_import_hook()
