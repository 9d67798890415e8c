"""Which Qt plugins and Qt translations the bundle keeps; everything else stays out.

Used by the Qt hooks in `packaging/hooks/` (so left-out plugins never pull their own libraries,
such as GTK, Wayland or OpenSSL, into the bundle) and by `build.spec` as a last filter.
Loaded by file path, like every module in this folder.
"""

from __future__ import annotations

from pathlib import Path, PurePath

# Qt plugin folder -> plugins kept (file names without "lib" and extension); other folders go.
KEEP_QT_PLUGINS: dict[str, frozenset[str]] = {
    "platforms": frozenset({"qwindows", "qxcb", "qoffscreen", "qminimal", "qcocoa"}),
    "imageformats": frozenset({"qsvg", "qico"}),
    "iconengines": frozenset({"qsvgicon"}),
    "styles": frozenset({"qmodernwindowsstyle", "qwindowsvistastyle"}),
    "platforminputcontexts": frozenset({"composeplatforminputcontextplugin",
                                        "ibusplatforminputcontextplugin"}),
    "xcbglintegrations": frozenset({"qxcb-glx-integration"}),
    "printsupport": frozenset({"cupsprintersupport", "windowsprintersupport"}),
}
# The app speaks ru, kk and en; Qt's own words are English without a translation file.
QT_LANGS = frozenset({"ru", "kk"})
QT_CATALOGS = frozenset({"qtbase"})  # dialogs, buttons, shortcuts of Qt Widgets
# Windows: the software OpenGL renderer (21 MB) and ANGLE serve OpenGL/Quick; Widgets paint
# without them.
DROP_QT_FILES = frozenset({"opengl32sw.dll", "d3dcompiler_47.dll", "libegl.dll", "libglesv2.dll"})


def plugin_name(file_name: str) -> str:
    stem = PurePath(file_name).name.split(".")[0].lower()
    return stem[3:] if stem.startswith("lib") else stem


def keep_qt_file(dest: str) -> bool:
    """False for a Qt plugin or Qt translation the app does not use; True for everything else.

    `dest` is the file's path inside the bundle, e.g. 'PySide6/Qt/plugins/platforms/libqxcb.so'.
    """
    parts = PurePath(dest).parts
    if not parts or parts[0] != "PySide6":
        return True
    if parts[-1].lower() in DROP_QT_FILES:
        return False
    if "plugins" in parts[:-2]:
        folder = parts[parts.index("plugins") + 1]
        return plugin_name(parts[-1]) in KEEP_QT_PLUGINS.get(folder, frozenset())
    if "translations" in parts[:-1] and parts[-1].endswith(".qm"):
        catalog, _, lang = PurePath(parts[-1]).stem.rpartition("_")
        return catalog in QT_CATALOGS and lang in QT_LANGS
    return True


def trim_hook_result(result: tuple[list, list, list]) -> tuple[list, list, list]:
    """Filter a Qt hook's (hiddenimports, binaries, datas); binaries/datas are (src, dest_dir)."""
    hiddenimports, binaries, datas = result

    def kept(entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(src, dst) for src, dst in entries
                if keep_qt_file(str(PurePath(dst) / Path(src).name))]

    return hiddenimports, kept(binaries), kept(datas)
