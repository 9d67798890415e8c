"""The app's calm look: a light navigation column, clear headings, roomy rows. Sizes are in points
or relative to the font, so the window stays readable at 125% and 150% display scaling."""

from __future__ import annotations

from desktop.widgets.labels import ACCENT_COLOUR

STYLE_SHEET = f"""
QListWidget#navigation {{
    border: none;
    border-right: 1px solid #d9dde3;
    background: #f4f6f9;
    outline: 0;
    padding-top: 6px;
}}
QListWidget#navigation::item {{
    padding: 0.45em 0.6em;
    margin: 1px 6px;
    border-radius: 4px;
    color: #1d2733;
}}
QListWidget#navigation::item:hover {{ background: #e6ebf2; }}
QListWidget#navigation::item:selected {{ background: {ACCENT_COLOUR}; color: white; }}
QToolBar#selectionBar {{ border: none; border-bottom: 1px solid #d9dde3; spacing: 6px; }}
QLabel#pageHeading {{ color: #1d2733; }}
QGroupBox {{ font-weight: bold; margin-top: 0.8em; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 6px; padding: 0 4px; }}
QGroupBox > QLabel, QGroupBox QListWidget, QGroupBox QLineEdit, QGroupBox QPlainTextEdit,
QGroupBox QComboBox, QGroupBox QPushButton {{ font-weight: normal; }}
"""
