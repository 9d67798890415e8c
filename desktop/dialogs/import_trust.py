"""The import wizard's trust step (issue 20): shown on the preview when the file's signer is not
trusted yet and a person may vouch for it.

- The ministry's first file at a region, or a region's reinstalled workbook at the center: the
  signer's code (fingerprint) in large type, to compare with the one the ministry publishes or the
  region reads out by phone, and a tick "the code matches". Applied with `trust=` that code.
- A return filled or edited outside the program (or the center's own edited catalog): what that
  means, and a tick "accept the file without a signature". Applied with `accept_unsigned`.

Anything else that is refused stays refused: the wizard offers no way around it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QVBoxLayout, QWidget

from desktop.context import AppContext

FINGERPRINT_POINTS = 22


def trust_step(plan: Any, is_center: bool) -> str | None:
    """Which step this plan needs: `first` (the ministry's first file), `retrust` (a region's
    new key at the center), `unsigned`, `catalog` (the center's edited catalog), or None."""
    refused, sig = getattr(plan, "refused", None), getattr(plan, "signature", None)
    lift = getattr(refused, "lift", None)
    if sig is None or lift is None:
        return None
    if lift == "accept_unsigned":
        return "catalog" if plan.kind == "catalog" else "unsigned"
    if sig.verdict == "needs_trust" and not is_center:
        return "first"
    if sig.verdict == "other_key" and is_center:
        return "retrust"
    return None


class TrustPanel(QFrame):
    """The step's words, the code in large type and the person's tick."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.step: str | None = None
        self.plan: Any = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.code = QLabel(self)
        code_font = QFont(self.code.font())
        code_font.setPointSize(FINGERPRINT_POINTS)
        code_font.setBold(True)
        code_font.setStyleHint(QFont.StyleHint.Monospace)
        self.code.setFont(code_font)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tick = QCheckBox(self)
        self.tick.toggled.connect(self.changed)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.text, self.code, self.tick):
            layout.addWidget(widget)
        self.hide()

    def show_for(self, plan: Any) -> None:
        """Set up for `plan` (hidden when it needs no step); the tick starts unset."""
        self.plan = plan
        self.step = trust_step(plan, self.ctx.office.is_center) if plan is not None else None
        self.tick.setChecked(False)
        if self.step is None:
            self.hide()
            return
        tr, sig = self.ctx.tr, plan.signature
        region = plan.region or ""
        if self.step in ("first", "retrust"):
            self.title.setText(tr(f"sig.wizard.{self.step}_title"))
            self.text.setText(tr(f"sig.wizard.{self.step}_text", region=region))
            self.code.setText(sig.fingerprint)
            self.code.show()
            self.tick.setText(tr(f"sig.wizard.{self.step}_confirm"))
        else:
            self.title.setText(tr(f"sig.wizard.{self.step}_title"))
            self.text.setText(tr(f"sig.wizard.{self.step}_text", region=region))
            self.code.hide()
            self.tick.setText(tr("sig.wizard.unsigned_tick"))
        self.show()

    @property
    def confirmed(self) -> bool:
        return self.step is not None and self.tick.isChecked()

    def options(self) -> dict[str, Any]:
        """What apply_import is given: the code vouched for, or the acceptance of no signature."""
        if not self.confirmed:
            return {}
        if self.step in ("first", "retrust"):
            return {"trust": self.plan.signature.fingerprint}
        return {"accept_unsigned": True}
