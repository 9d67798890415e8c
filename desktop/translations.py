"""Qt's own dialogs and buttons in Kazakh, Russian and English. Qt has no Kazakh words for its
message-box buttons, file dialogs or context menus; this translator answers Qt's source texts from
resources/i18n/ui.toml (keys `ui.qt.*`) in the app's current language, so they switch at run time
with everything else. Qt's own .qm files, where present, answer whatever we do not."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from resources.words import current_language, messages

# Qt's source text -> the key under `ui.qt.` that says it in our languages.
QT_WORDS: dict[str, str] = {
    'OK': "ok",
    'Save': "save",
    'Save All': "save_all",
    'Open': "open",
    '&Open': "open_amp",
    '&Save': "save_amp",
    '&Choose': "choose",
    '&Yes': "yes",
    'Yes to &All': "yes_all",
    '&No': "no",
    'N&o to All': "no_all",
    'Abort': "abort",
    'Retry': "retry",
    'Ignore': "ignore",
    'Close': "close",
    'Cancel': "cancel",
    'Discard': "discard",
    'Help': "help",
    '&Help': "help_amp",
    'Apply': "apply",
    'Reset': "reset",
    'Restore Defaults': "restore_defaults",
    'Show Details...': "show_details",
    'Hide Details...': "hide_details",
    'Look in:': "look_in",
    '&Look in:': "look_in_amp",  # Qt 6's words, which Qt's own Russian file lacks
    'File &name:': "file_name",
    'Files of type:': "files_of_type",
    'Files of &type:': "files_of_type_amp",
    'Back': "back",
    'Forward': "forward",
    'Parent Directory': "parent_directory",
    'Create New Folder': "create_new_folder",
    'New Folder': "new_folder",
    'List View': "list_view",
    'Detail View': "detail_view",
    '&Delete': "delete_amp",
    '&Rename': "rename",
    'Show &hidden files': "show_hidden",
    'Directory:': "directory",
    'Name': "name",
    'Size': "size",
    'Type': "type",
    'Kind': "kind",
    'Date Modified': "date_modified",
    'My Computer': "my_computer",
    'Folder': "folder",  # the file dialog's Type column (QAbstractFileIconProvider)
    'Drive': "drive",
    'File': "file",
    '%1 File': "typed_file",
    'Computer': "computer",
    'All Files (*)': "all_files",
    'Save As': "save_as",
    'Find Directory': "find_directory",
    'Recent Places': "recent_places",
    '%1 already exists.\nDo you want to replace it?': "file_exists",
    '&Undo': "undo_amp",
    '&Redo': "redo_amp",
    'Cu&t': "cut",
    '&Copy': "copy",
    '&Paste': "paste",
    'Delete': "delete",
    'Select All': "select_all",
    '< &Back': "wizard_back",
    '&Next >': "wizard_next",
    '&Finish': "wizard_finish",
    'Go Back': "go_back",
    'Continue': "continue",
    'Commit': "commit",
    'Done': "done",
    'Print': "print",
    '&Print': "print_amp",
    'Print Preview': "print_preview",
    'Page setup': "page_setup",
    'Zoom in': "zoom_in",
    'Zoom out': "zoom_out",
    'Fit width': "fit_width",
    'Fit page': "fit_page",
    'First page': "first_page",
    'Previous page': "previous_page",
    'Next page': "next_page",
    'Last page': "last_page",
    'Portrait': "portrait",
    'Landscape': "landscape",
    'Properties': "properties",
    'Printer': "printer",
    'Copies': "copies",
}


class UiTranslator(QTranslator):
    """Answers Qt's words in the current language (resources.words), whatever the context."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        # None (a null QString) means "not ours": Qt then asks the next translator or keeps its
        # own text. An empty string would count as a translation and blank Qt's words.
        slug = QT_WORDS.get(source)
        if slug is None:
            return None
        return messages().get(f"ui.qt.{slug}", {}).get(current_language()) or None

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


_installed: list[QTranslator] = []


def install_translator(ctx: object | None = None) -> None:
    """Install (or, after a language switch, re-install) the translators; Qt then retranslates
    its own widgets. Connects to `ctx.language_changed` when given an AppContext."""
    app = QCoreApplication.instance()
    if app is None:
        return
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    qt_file = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_file.load(f"qtbase_{current_language()}", folder):
        app.installTranslator(qt_file)
        _installed.append(qt_file)
    ours = UiTranslator(app)
    app.installTranslator(ours)  # installed last: asked first
    _installed.append(ours)
    signal = getattr(ctx, "language_changed", None)
    if signal is not None and not getattr(ctx, "_translator_connected", False):
        signal.connect(lambda _lang: install_translator())
        ctx._translator_connected = True  # type: ignore[attr-defined]
