"""The first-use safety check: asked once, before the first round of ice or heat.

Four tick boxes (reduced skin feeling, circulation problems, cold sensitivity, diabetes or
neuropathy), one sentence saying why they matter, and "Start" / "Cancel". The dialog only
reports the answers (:attr:`SafetyCheck.answered`); the app saves them through the usual
settings path and core decides what they change (shorter rounds, a skin check halfway).

It is not modal and never runs a nested event loop (see :mod:`neckcare_desktop.prompts`):
a round started from the command line meanwhile turns it into a check about the round
that is already on (:meth:`SafetyCheck.set_running`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.core.therapy import TherapyKind
from neckcare_desktop.ui.placement import center_on_pointer_screen, fit_to_screen


@dataclass(frozen=True)
class SafetyAnswers:
    """The four answers, named like their settings (``therapy.<name>``)."""

    reduced_skin_feeling: bool = False
    circulation_problems: bool = False
    cold_sensitivity: bool = False
    diabetes_or_neuropathy: bool = False


#: The answers' names, in the order the boxes are shown.
ANSWER_NAMES: tuple[str, ...] = (
    "reduced_skin_feeling",
    "circulation_problems",
    "cold_sensitivity",
    "diabetes_or_neuropathy",
)


class SafetyCheck(QDialog):
    """Asks the four questions; reports the answers, or that the person cancelled."""

    #: "Start" (or "Save" while a round runs): the :class:`SafetyAnswers`.
    answered = Signal(object)
    #: "Cancel", Escape or the window's close button: nothing is saved or started.
    cancelled = Signal()

    def __init__(
        self,
        kind: TherapyKind,
        answers: SafetyAnswers,
        *,
        running: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.running = False
        self._reported = False
        self.setObjectName("safety_check")
        self.setWindowTitle(self.tr("Safety check — NeckCare"))
        self.setAccessibleName(self.windowTitle())
        self.setModal(False)

        self.heading = QLabel(self.tr("Before ice or heat: do any of these apply to you?"), self)
        self.heading.setWordWrap(True)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)

        # The words of Settings → Ice and heat, where the answers can be changed later.
        labels = {
            "reduced_skin_feeling": self.tr("&Reduced feeling in my skin"),
            "circulation_problems": self.tr("&Circulation problems"),
            "cold_sensitivity": self.tr("Sensitive to c&old"),
            "diabetes_or_neuropathy": self.tr("&Diabetes or nerve damage (neuropathy)"),
        }
        self.boxes: dict[str, QCheckBox] = {}
        for name in ANSWER_NAMES:
            box = QCheckBox(labels[name], self)
            box.setObjectName(f"safety_{name}")
            box.setAccessibleName(labels[name].replace("&", ""))
            box.setChecked(bool(getattr(answers, name)))
            self.boxes[name] = box

        self.why = QLabel(
            self.tr(
                "With any of these, cold or heat can hurt the skin before you feel it, so "
                "NeckCare keeps each round to 10 minutes and reminds you to check your skin "
                "halfway."
            ),
            self,
        )
        self.why.setWordWrap(True)
        self.why.setObjectName("safety_why")
        self.running_note = QLabel(self)
        self.running_note.setWordWrap(True)
        self.running_note.setObjectName("safety_running_note")
        self.running_note.setVisible(False)
        self.later = QLabel(
            self.tr("You can change these answers later in Settings → Ice and heat."), self
        )
        self.later.setWordWrap(True)
        self.later.setObjectName("safety_later")

        self.start_button = QPushButton(self)
        self.start_button.setObjectName("safety_start")
        self.start_button.setDefault(True)
        self.start_button.setAutoDefault(True)
        self.start_button.clicked.connect(self._answer)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("safety_cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self._label_buttons()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        for box in self.boxes.values():
            layout.addWidget(box)
        layout.addWidget(self.why)
        layout.addWidget(self.running_note)
        layout.addWidget(self.later)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        layout.addSpacing(4)
        layout.addLayout(buttons)
        self.setMinimumWidth(min(460, self.sizeHint().width()))
        if running:
            self.set_running()

    # -- what the person sees -------------------------------------------------------------

    def _label_buttons(self) -> None:
        if self.running:
            self.start_button.setText(self.tr("&Save"))
            self.cancel_button.setText(self.tr("&Not now"))
        else:
            self.start_button.setText(
                self.tr("&Start ice") if self.kind is TherapyKind.ICE else self.tr("&Start heat")
            )
            self.cancel_button.setText(self.tr("Cancel"))
        for button in (self.start_button, self.cancel_button):
            button.setAccessibleName(button.text().replace("&", ""))

    def set_running(self, kind: TherapyKind | None = None) -> None:
        """A round is on already (started from the command line): the answers now apply
        to it, and "Cancel" would not stop it, so the buttons say "Save" and "Not now"."""
        if kind is not None:
            self.kind = kind
        self.running = True
        self.heading.setText(
            self.tr("Ice is on: do any of these apply to you?")
            if self.kind is TherapyKind.ICE
            else self.tr("Heat is on: do any of these apply to you?")
        )
        self.running_note.setText(self.tr("A yes here also shortens this round to 10 minutes."))
        self.running_note.setVisible(True)
        self._label_buttons()
        self.adjustSize()

    def answers(self) -> SafetyAnswers:
        return SafetyAnswers(**{name: box.isChecked() for name, box in self.boxes.items()})

    def present(self) -> None:
        center_on_pointer_screen(self)
        self.show()
        self.raise_()
        self.activateWindow()
        self.start_button.setFocus()

    # -- answers --------------------------------------------------------------------------

    def _answer(self) -> None:
        if not self._reported:
            self._reported = True
            self.answered.emit(self.answers())
        self.accept()

    def reject(self) -> None:
        # Cancel, Escape and the close button all land here: nothing saved, nothing started.
        if not self._reported:
            self._reported = True
            self.cancelled.emit()
        super().reject()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            fit_to_screen(self)
