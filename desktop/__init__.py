"""The Qt desktop app: a thin layer of models, views and dialogs over db/ and exports/.

Importing it loads PySide6's core and makes PySide6's look at each newly imported module cheaper
(see `_speed_up_pyside_import_hook`), before any other module of the app is imported. It also
holds Python's cyclic garbage collector back until the first main window is built (see
`_hold_gc_for_the_start`): `desktop.app` calls `start_finished()` then."""

from __future__ import annotations

import gc
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


# A start allocates ~10,000 objects that live as long as the process (modules, classes, PySide6's
# enums, the window's wrappers) and hardly any garbage; with the default threshold (700) Python
# collects ~14 times on the way, each time walking those objects again, ~2 ms of a start.
START_GC_THRESHOLD = 50_000
_held_threshold: tuple[int, int, int] | None = None


def _hold_gc_for_the_start() -> None:
    """Collect far less often until `start_finished()` (not never: a process that imports the
    desktop package without starting the app still collects, every 50,000 objects)."""
    global _held_threshold
    threshold = gc.get_threshold()
    if _held_threshold is None and threshold[0] < START_GC_THRESHOLD:
        _held_threshold = threshold
        gc.set_threshold(START_GC_THRESHOLD, *threshold[1:])


def start_finished() -> None:
    """The first main window is built (or the start went elsewhere): what the start made is
    frozen (gc.freeze: later collections, the full ones included, never walk it again) and the
    collector runs as before. Only the first call does anything."""
    global _held_threshold
    if _held_threshold is None:
        return
    gc.freeze()
    gc.set_threshold(*_held_threshold)
    _held_threshold = None


_hold_gc_for_the_start()
