"""PyInstaller's own Qt hook for this module, trimmed by packaging/qt_trim.py."""

import importlib.util
from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

_spec = importlib.util.spec_from_file_location("qt_trim", Path(__file__).parents[1] / "qt_trim.py")
_qt_trim = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_qt_trim)

hiddenimports, binaries, datas = _qt_trim.trim_hook_result(add_qt6_dependencies(__file__))
