"""A calm suggestion to talk to a healthcare professional, saying once why it appeared;
and, apart from it, the plain "get medical care promptly" a red flag calls for.

Why a plain window and not an alert: this is advice, not an alarm. It does not stay on
top, does not steal focus from typing, makes no sound, and Escape or Close dismisses it.
It names no clinic, practitioner or therapy; it says what NeckCare noticed (the reasons
from :func:`neckcare_desktop.core.guidance.see_someone_reasons`) and nothing more,
because NeckCare gives reminders and timers and does not diagnose.

"Don't show these suggestions" is reported through :attr:`SeeSomeoneMessage.dont_show_again`
when the window closes with the box ticked (not on every click of the box), so the app
writes the ``guidance.see_someone`` setting once.

:class:`SeekCareMessage` is a different message on purpose: a red flag (a stiff neck with
fever, a severe or unusual headache, weakness or numbness in an arm) is a reason to get
care today, not a suggestion. It has its own window (the calm one can be open beside it),
takes focus, has no "don't show" box and does not depend on the setting; it is still
calm in tone and names what was ticked, never a cause or a clinic.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.ui.placement import cascade_from, fit_to_screen

logger = logging.getLogger(__name__)


class _Message(QWidget):
    """What both messages share: their own window, fitted to the screen, Escape closes.

    No texts here: ``tr()`` takes the context from the class that calls it, and a text
    must be looked up under the context it was extracted with.
    """

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)

    def _heading(self, text: str, scale: float = 1.25) -> QLabel:
        heading = QLabel(text, self)
        heading.setWordWrap(True)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * scale)
        font.setBold(True)
        heading.setFont(font)
        return heading

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            fit_to_screen(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            event.accept()
            return
        super().keyPressEvent(event)


class SeeSomeoneMessage(_Message):
    """Non-modal, dismissible message listing why talking to someone may help."""

    #: The person ticked "Don't show these suggestions" and closed the message.
    dont_show_again = Signal()

    def __init__(self, reasons: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("A suggestion — NeckCare"))
        self.setAccessibleName(self.windowTitle())
        # Shown without taking the keyboard from whatever the person is typing.
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self._reported = False
        self.reasons = list(reasons)

        self.heading = self._heading(
            self.tr("It may be worth talking to a healthcare professional")
        )
        self.heading.setAccessibleName(self.tr("Suggestion"))

        self.intro = QLabel(
            self.tr(
                "This is a suggestion, not an alarm. Your doctor or another healthcare "
                "professional you trust can look at what is going on; NeckCare only gives "
                "reminders and timers."
            ),
            self,
        )
        self.intro.setWordWrap(True)

        self.why_heading = QLabel(self.tr("Why this appeared:"), self)
        why_font = QFont(self.why_heading.font())
        why_font.setBold(True)
        self.why_heading.setFont(why_font)
        self.reason_labels: list[QLabel] = []
        for reason in self.reasons:
            label = QLabel(f"•  {reason}", self)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(reason)
            self.reason_labels.append(label)
        self.why_heading.setVisible(bool(self.reasons))

        self.dont_show_box = QCheckBox(self.tr("&Don't show these suggestions"), self)
        self.dont_show_box.setAccessibleName(self.tr("Don't show these suggestions again"))
        self.close_button = QPushButton(self.tr("&Close"), self)
        self.close_button.setAccessibleName(self.tr("Close this suggestion"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.close)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.why_heading)
        for label in self.reason_labels:
            layout.addWidget(label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.dont_show_box)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout.addSpacing(4)
        layout.addLayout(bottom)
        self.setMinimumWidth(460)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dont_show_box.isChecked() and not self._reported:
            self._reported = True
            logger.info("The person asked not to see 'see someone' suggestions again")
            self.dont_show_again.emit()
        super().closeEvent(event)


class SeekCareMessage(_Message):
    """A red flag was ticked: get medical care promptly. Closes; cannot be switched off."""

    def __init__(self, advice: str, parent: QWidget | None = None) -> None:
        """``advice`` is :func:`neckcare_desktop.core.guidance.seek_care_promptly`'s text."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Get medical care promptly — NeckCare"))
        self.setAccessibleName(self.windowTitle())
        self.advice = advice

        self.heading = self._heading(self.tr("Please get medical care promptly"), 1.35)
        self.heading.setAccessibleName(self.tr("Get medical care promptly"))
        self.advice_label = QLabel(advice, self)
        self.advice_label.setWordWrap(True)
        self.advice_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.advice_label.setAccessibleName(advice)
        font = QFont(self.advice_label.font())
        font.setBold(True)
        self.advice_label.setFont(font)
        self.how = QLabel(
            self.tr(
                "Call your doctor and say what you noticed. If they cannot see you today, "
                "your local out-of-hours service or health advice line can. NeckCare "
                "cannot tell what is behind it; a doctor can."
            ),
            self,
        )
        self.how.setWordWrap(True)
        self.always = QLabel(
            self.tr(
                "NeckCare says this whenever one of these signs is ticked, even with "
                "suggestions switched off."
            ),
            self,
        )
        self.always.setWordWrap(True)
        self.close_button = QPushButton(self.tr("&Close"), self)
        self.close_button.setAccessibleName(self.tr("Close this message"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.close)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        for part in (self.heading, self.advice_label, self.how, self.always):
            layout.addWidget(part)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout.addSpacing(4)
        layout.addLayout(bottom)
        self.setMinimumWidth(460)

    def present(self, beside: QWidget | None = None) -> None:
        """Show on top and take focus, down and right of ``beside`` (the calm message, shown
        just before without focus) if it would cover it: this one must be seen."""
        self.show()
        if beside is not None:
            cascade_from(self, [beside])
        self.raise_()
        self.activateWindow()
        self.close_button.setFocus()
