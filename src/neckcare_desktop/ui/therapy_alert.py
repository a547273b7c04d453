"""The end-of-therapy alert: a window that stays until the person says the pack is off.

A forgotten ice pack is the one failure this app must not cause, so this window, unlike the
break window, does take focus and stays on top until acknowledged.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from neckcare_desktop.core.therapy import FinishedSession, TherapyKind
from neckcare_desktop.ui.placement import cascade_from, center_on_pointer_screen


class TherapyAlert(QWidget):
    acknowledged = Signal()

    def __init__(
        self, finished: FinishedSession, advice: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._acknowledged = False
        session = finished.session
        ice = session.kind is TherapyKind.ICE
        self.setObjectName("therapy_alert")
        self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(
            self.tr("Ice time is up — NeckCare") if ice else self.tr("Heat time is up — NeckCare")
        )
        self.setAccessibleName(self.windowTitle())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(14)
        self.heading = QLabel(self.tr("Ice time is up") if ice else self.tr("Heat time is up"))
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)

        self.advice = QLabel(advice)
        self.advice.setWordWrap(True)
        advice_font = QFont(self.advice.font())
        advice_font.setPointSizeF(advice_font.pointSizeF() * 1.3)
        self.advice.setFont(advice_font)
        layout.addWidget(self.advice)

        minutes = round(session.planned_seconds / 60)
        self.detail = QLabel(
            (
                self.tr("%1 min of ice, started at %2.")
                if ice
                else self.tr("%1 min of heat, started at %2.")
            )
            .replace("%1", str(minutes))
            .replace("%2", session.started_at.strftime("%H:%M"))
        )
        self.detail.setObjectName("alert_detail")
        layout.addWidget(self.detail)

        self.ok_button = QPushButton(self.tr("I've taken it off"))
        self.ok_button.setObjectName("alert_ok")
        self.ok_button.setAccessibleName(self.ok_button.text())
        self.ok_button.setDefault(True)
        self.ok_button.setAutoDefault(True)
        self.ok_button.clicked.connect(self.acknowledge)
        layout.addWidget(self.ok_button)
        self.setMinimumWidth(440)

    def present(self, others: Iterable[QWidget] = ()) -> None:
        """Show centered on the pointer's screen, down and right of any of ``others``
        (alerts still waiting) it would cover: each must be seen to be acknowledged."""
        center_on_pointer_screen(self)
        cascade_from(self, others)
        self.show()
        self.raise_()
        self.activateWindow()
        self.ok_button.setFocus()

    @property
    def is_acknowledged(self) -> bool:
        return self._acknowledged

    def acknowledge(self) -> None:
        if not self._acknowledged:
            self._acknowledged = True
            self.acknowledged.emit()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing it on purpose is an answer too; the window never just times out.
        if not self._acknowledged:
            self._acknowledged = True
            self.acknowledged.emit()
        super().closeEvent(event)
