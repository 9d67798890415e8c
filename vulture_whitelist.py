"""Names vulture (`make lint`, tests/test_dead_code.py) cannot see used, each with the reason: Qt
calls the methods it declares and reads the attributes we set on its objects; libraries read the
settings we assign; tests (outside vulture's paths) call a few helpers that the app does not; a
record's fields are there for whoever reads the record. Anything else vulture finds is dead code:
delete it rather than list it here."""

from vulture.whitelist_utils import Whitelist

_ = Whitelist()

# Qt calls these overrides of its virtual methods.
_.dragEnterEvent
_.dropEvent
_.filterAcceptsRow
_.headerData
_.initializePage
_.isEmpty
_.minimumSizeHint
_.mouseMoveEvent
_.mouseReleaseEvent
_.nextId
_.paintEvent
# QTranslator.translate's parameters, passed by Qt whether or not we read them.
_.context
_.disambiguation
# Qt reads the style options we set on the option object it passes.
_.backgroundBrush
_.features
_.textElideMode

# Settings that sqlite3, reportlab and python-docx read from the objects we assign them to.
_.row_factory
_.useA85
_.page_height
_.page_width
_.alignment
_.rgb
_.space_after
_.left_indent
_.autofit

# Read by name: every page module's PAGE_KEY and TITLE_KEY (desktop/pages/__init__.py's
# contract), build.spec's ICU trimming, and the logging handler's `rotator` (logging calls it).
_.PAGE_KEY
_.TITLE_KEY
_.trimmed_library
_.rotator

# Fields of records handed to callers (the catalog's regions and bodies, an attachment, a hit).
_.centre
_.local_bodies
_.added_by
_.rank

# Used by the tests only: checks of a workbook's state and ways into a screen or a plan.
_.all_changes
_.check_workbook_file
_.date_time
_.holds_values
_.indicator_count
_.is_locked
_.keys_with_prefix
_.missing_glyphs
_.NUMBER_FIELDS
_.page_modules
_.PLURAL_FORMS
_.RETURN_SHEET_BY_KEY
_.review_history
_.set_sections
