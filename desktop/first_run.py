"""The first start: choose the language, region (or center) and your name; the workbook is created
and seeded, and demo data is offered so a newcomer sees a living workbook."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db.catalog import load_seed
from db.demo import fill_demo_file
from db.errors import PlanMonitorError
from db.workbook import init_database
from desktop.translations import install_translator
from desktop.widgets.collate import collated
from desktop.widgets.wheel_guard import guard_wheel
from resources.words import LANGS, set_language, tr


class ClickLabel(QLabel):
    """A label that says it was clicked: the words of a check box, wrapped, that tick it."""

    clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()


class FirstRunDialog(QDialog):
    def __init__(self, db_path: Path, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.language = language
        self.setObjectName("firstRun")
        self.setMinimumWidth(600)
        self._regions = sorted(load_seed().rows["region"], key=lambda r: r["code"])
        self._build()
        self.retranslate()

    # --- building ---------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.setSpacing(12)
        self.heading = QLabel(self)
        self.heading.setObjectName("heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        outer.addWidget(self.heading)
        outer.addWidget(self.intro)
        outer.addLayout(self._build_form())
        self.demo_check = QCheckBox(self)
        self.demo_check.setChecked(False)  # demo only when asked for: it is not a report
        # a check box's own text never wraps and was cut in ru and kk: its words in a label
        self.demo_label = ClickLabel(self)
        self.demo_label.setWordWrap(True)
        self.demo_label.setBuddy(self.demo_check)
        self.demo_label.clicked.connect(self.demo_check.toggle)
        demo_row = QHBoxLayout()
        demo_row.addWidget(self.demo_check, 0, Qt.AlignmentFlag.AlignTop)
        demo_row.addWidget(self.demo_label, 1)
        outer.addLayout(demo_row)
        self.where = QLabel(self)
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.setStyleSheet("color: #555;")
        outer.addWidget(self.where)
        outer.addStretch(1)
        # our own buttons, not Qt's standard OK and Cancel: Qt renames those to its «OK» at
        # every language switch, so the button said «Start» in English but «OK» in Russian
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        self.language_combo = QComboBox(self)
        for lang in LANGS:
            self.language_combo.addItem(tr(f"ui.lang.{lang}", lang), lang)
        self.language_combo.setCurrentIndex(LANGS.index(self.language))
        self.language_combo.currentIndexChanged.connect(self._language_chosen)
        self.region_radio = QRadioButton(self)
        self.center_radio = QRadioButton(self)
        self.region_radio.setChecked(True)
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.region_radio)
        self.mode_group.addButton(self.center_radio)
        self.region_radio.toggled.connect(self._mode_changed)
        modes = QHBoxLayout()
        modes.addWidget(self.region_radio)
        modes.addWidget(self.center_radio)
        modes.addStretch(1)
        self.region_combo = QComboBox(self)
        self.name_edit = QLineEdit(self)
        self.name_edit.textChanged.connect(self._update_ok)
        self.language_label = QLabel(self)
        self.mode_label = QLabel(self)
        self.region_label = QLabel(self)
        self.name_label = QLabel(self)
        for label, field in ((self.language_label, self.language_combo),
                             (self.region_label, self.region_combo),
                             (self.name_label, self.name_edit)):
            label.setBuddy(field)
        guard_wheel(self.language_combo, self.region_combo)  # scrolling never picks for them
        form.addRow(self.language_label, self.language_combo)
        form.addRow(self.mode_label, modes)
        form.addRow(self.region_label, self.region_combo)
        form.addRow(self.name_label, self.name_edit)
        return form

    # --- reacting ---------------------------------------------------------------------------------
    def _language_chosen(self, index: int) -> None:
        self.language = self.language_combo.itemData(index)
        set_language(self.language)
        install_translator()  # Qt's own words (message boxes) follow the chosen language
        self.retranslate()

    def _mode_changed(self) -> None:
        self.region_combo.setEnabled(self.region_radio.isChecked())

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.name_edit.text().strip()))

    def retranslate(self) -> None:
        lang = self.language
        self.setWindowTitle(tr("ui.app.title", lang))
        self.heading.setText(tr("ui.first.heading", lang))
        self.intro.setText(tr("ui.first.intro", lang))
        self.language_label.setText(tr("ui.first.language", lang))
        self.mode_label.setText(tr("ui.first.mode", lang))
        self.region_radio.setText(tr("ui.first.mode_region", lang))
        self.center_radio.setText(tr("ui.first.mode_center", lang))
        self.region_label.setText(tr("ui.first.region", lang))
        self.name_label.setText(tr("ui.first.name", lang))
        self.name_edit.setPlaceholderText(tr("ui.first.name_hint", lang))
        self.demo_label.setText(tr("demo.first_run", lang))
        self.where.setText(tr("ui.first.where", lang, path=str(self.db_path)))
        self.ok_button.setText(tr("ui.first.start", lang))
        self.cancel_button.setText(tr("ui.button.cancel", lang))
        self._fill_regions()
        self._update_ok()
        self.fit_words()

    def fit_words(self, width: int | None = None) -> None:
        """Tall enough for the wrapped words at this width (Kazakh's are longer), so no line of
        the intro or the demo offer is cut and the drop-downs keep their height."""
        width = max(width or self.width(), self.minimumWidth())
        self.layout().activate()
        height = max(self.heightForWidth(width), self.minimumSizeHint().height())
        if width != self.width() or height > self.height():
            self.resize(width, max(height, self.height() if width == self.width() else 0))

    def _fill_regions(self) -> None:
        chosen = self.region_combo.currentData()
        self.region_combo.clear()
        name = f"name_{self.language}"
        for region in collated(self._regions, lambda r: r[name], self.language):
            self.region_combo.addItem(region[name], region["code"])
        self.region_combo.setCurrentIndex(max(0, self.region_combo.findData(chosen)))

    # --- result -----------------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return "center" if self.center_radio.isChecked() else "region"

    def accept(self) -> None:
        if not self.name_edit.text().strip():
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.create_workbook()
        except PlanMonitorError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.critical(self, tr("ui.error.title", self.language),
                                 exc.message(self.language))
            return
        QApplication.restoreOverrideCursor()
        super().accept()

    def create_workbook(self) -> None:
        region = self.region_combo.currentData() if self.mode == "region" else None
        init_database(self.db_path, mode=self.mode, region_code=region,
                      user_name=self.name_edit.text().strip(), language=self.language)
        if self.demo_check.isChecked():
            fill_demo_file(self.db_path)


def run_first_start(db_path: Path, language: str) -> bool:
    """Show the welcome dialog; True when the workbook was created."""
    set_language(language)
    dialog = FirstRunDialog(db_path, language)
    return dialog.exec() == QDialog.DialogCode.Accepted
