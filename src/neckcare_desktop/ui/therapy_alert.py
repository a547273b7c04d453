"""The therapy alerts: windows that stay until the person says the pack is off (or on).

A forgotten ice pack is the one failure this app must not cause, so these windows, unlike
the break window, do take focus and stay on top until acknowledged: the end of a round
(:class:`TherapyAlert`) and each switch of a 10 on · 10 off · 10 on session
(:class:`SwitchAlert`).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from neckcare_desktop.core.therapy import FinishedSession, TherapyKind, TherapySession
from neckcare_desktop.ui.placement import cascade_from, center_on_pointer_screen


class _AlertWindow(QWidget):
    """A heading, the advice, a line of detail and one button; stays until answered."""

    acknowledged = Signal()

    def __init__(self, advice: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._acknowledged = False
        self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(14)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
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

        self.detail = QLabel()
        self.detail.setObjectName("alert_detail")
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)

        self.ok_button = QPushButton()
        self.ok_button.setObjectName("alert_ok")
        self.ok_button.setDefault(True)
        self.ok_button.setAutoDefault(True)
        self.ok_button.clicked.connect(self.acknowledge)
        layout.addWidget(self.ok_button)
        self.setMinimumWidth(440)

    def _set_texts(self, title: str, heading: str, button: str) -> None:
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.heading.setText(heading)
        self.ok_button.setText(button)
        self.ok_button.setAccessibleName(button)

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


class TherapyAlert(_AlertWindow):
    """The end of a round (or of a whole 10 on · 10 off · 10 on session)."""

    def __init__(
        self, finished: FinishedSession, advice: str, parent: QWidget | None = None
    ) -> None:
        session = finished.session
        ice = session.kind is TherapyKind.ICE
        super().__init__(advice, parent)
        self._set_texts(
            self.tr("Ice time is up — NeckCare") if ice else self.tr("Heat time is up — NeckCare"),
            self.tr("Ice time is up") if ice else self.tr("Heat time is up"),
            self.tr("I've taken it off"),
        )
        self.setObjectName("therapy_alert")
        started = session.started_at.strftime("%H:%M")
        parts = _on_parts(session)
        if len(parts) > 1:
            # The minutes the pack was on, not the span with the pauses between.
            self.detail.setText(
                self.tr("%1 min of ice in %n parts, started at %2.", "", len(parts))
                .replace("%1", str(round(sum(parts) / 60)))
                .replace("%2", started)
            )
        else:
            self.detail.setText(
                (
                    self.tr("%1 min of ice, started at %2.")
                    if ice
                    else self.tr("%1 min of heat, started at %2.")
                )
                .replace("%1", str(round(session.planned_seconds / 60)))
                .replace("%2", started)
            )


class SwitchAlert(_AlertWindow):
    """A switch inside a 10 on · 10 off · 10 on session: take the ice off, or put it back."""

    def __init__(
        self,
        session: TherapySession,
        on: bool,
        advice: str,
        *,
        part: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``part``: the number (from 1) of the part that begins now, if known."""
        super().__init__(advice, parent)
        self._set_texts(
            self.tr("Put the ice back on — NeckCare")
            if on
            else self.tr("Take the ice off — NeckCare"),
            self.tr("Put the ice back on") if on else self.tr("Take the ice off"),
            self.tr("Done"),
        )
        self.setObjectName("therapy_switch_alert")
        self.session = session
        self.on = on
        started = session.started_at.strftime("%H:%M")
        count = len(session.parts)
        if part is not None and count:
            self.detail.setText(
                self.tr("Part %1 of %2 of the ice session started at %3.")
                .replace("%1", str(part))
                .replace("%2", str(count))
                .replace("%3", started)
            )
        else:
            self.detail.setText(self.tr("Ice session started at %1.").replace("%1", started))


def _on_parts(session: TherapySession) -> list[int]:
    """The nominal seconds of each part with the pack on (every other part, from the first)."""
    return list(session.parts[0::2])
