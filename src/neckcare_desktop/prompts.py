"""Questions the app asks the person: non-blocking, "No" by default, one per topic.

Every question here is a ``QMessageBox`` shown with ``open()`` and answered through its
``finished`` signal, never ``exec()``: a nested event loop would let timers, the command
socket and engine events run *inside* the menu slot that asked, so the answer would act
on a state that no longer exists (a ``neckcare heat`` arriving while "Ice again so soon?"
waited made the retry raise out of the slot). The caller's answer handler therefore
always runs on a fresh stack and must look at the state again.

The safe answer is the default one: Enter and Escape both mean "No" for questions that
could cost a therapy alert or the skin's rest.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMessageBox, QWidget

from neckcare_desktop.core.therapy import TherapyKind

if TYPE_CHECKING:
    from neckcare_desktop.core.status import Status

#: Question topics; at most one box per topic is open at a time.
QUIT = "quit"
ICE_DURING_REST = "ice_during_rest"


def quit_warning(status: Status) -> str | None:
    """What quitting would cost while ice or heat runs, or ``None`` when nothing would be lost.

    Said in one sentence for the quit question and for ``neckcare quit``'s refusal: with the
    app gone, no alert tells the person to take the pack off.
    """
    session = status.therapy
    if session is None:
        return None
    left = status.therapy_remaining_seconds or 0
    part = status.therapy_part
    if part is not None and part[0] < len(session.parts) - 1:
        # An intermittent session before its last part: what is due next is a switch.
        minutes = max(1, math.ceil(part[2] / 60))
        if part[1]:
            text = QCoreApplication.translate(
                "Prompts",
                "Ice is on: off in %1 min. If NeckCare quits, no alert will tell you to "
                "take it off.",
            )
        else:
            text = QCoreApplication.translate(
                "Prompts",
                "Ice is off: back on in %1 min. If NeckCare quits, no alert will tell you "
                "when to put it back on or when to take it off again.",
            )
        return text.replace("%1", str(minutes))
    minutes = max(1, math.ceil(left / 60))  # the status line's rounding: never "0 min left"
    if session.kind is TherapyKind.ICE:
        text = QCoreApplication.translate(
            "Prompts",
            "Ice is on: %1 min left. If NeckCare quits, no alert will tell you to take it off.",
        )
    else:
        text = QCoreApplication.translate(
            "Prompts",
            "Heat is on: %1 min left. If NeckCare quits, no alert will tell you to take it off.",
        )
    return text.replace("%1", str(minutes))


class Prompts(QObject):
    """Opens the app's yes/no questions and remembers which are still waiting for an answer."""

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon = icon
        self._open: dict[str, QMessageBox] = {}

    def ask(
        self,
        topic: str,
        title: str,
        text: str,
        on_answer: Callable[[bool], None],
        *,
        parent: QWidget | None = None,
    ) -> QMessageBox:
        """Ask a yes/no question; ``on_answer(True)`` only for an explicit Yes.

        A second question on a topic already asked brings the open box forward with the
        new text instead of stacking another one (a double-clicked Quit asks once).
        """
        box = self._open.get(topic)
        if box is not None:
            box.setText(text)
            box.raise_()
            box.activateWindow()
            return box
        box = QMessageBox(
            QMessageBox.Icon.Question,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            parent,
        )
        box.setObjectName(f"prompt_{topic}")
        box.setWindowIcon(self._icon)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes = box.button(QMessageBox.StandardButton.Yes)
        no = box.button(QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(no)  # Escape and the window's close button: No as well

        def answered(_result: int) -> None:
            self._forget(topic, box)
            on_answer(box.clickedButton() is yes)

        box.finished.connect(answered)
        self._open[topic] = box
        # open(), not exec(): no nested event loop. Window-modal to ``parent`` only (the
        # status window that asked); without a parent it blocks no other window, so an
        # ice alert arriving meanwhile can still be answered.
        box.open()
        return box

    def question(self, topic: str) -> QMessageBox | None:
        """The box still open on ``topic``, if any."""
        return self._open.get(topic)

    def close_all(self) -> None:
        """Quitting: drop every open question unanswered (a closed box answers nothing)."""
        boxes = list(self._open.values())
        self._open.clear()
        for box in boxes:
            box.finished.disconnect()
            box.close()

    def _forget(self, topic: str, box: QMessageBox) -> None:
        if self._open.get(topic) is box:
            del self._open[topic]
