"""The break window: one gentle suggestion and Start break / Postpone / Skip.

It stays on top but is shown without taking keyboard focus, so a person in the middle of a
sentence does not type into it; it is not modal, so nothing else is blocked. Once started it
counts down and the engine closes it when the break is over.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QScreen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from neckcare_desktop.core.breaks import BreakKind
from neckcare_desktop.core.stretches import Stretch
from neckcare_desktop.ui.placement import place_on_screen, pointer_screen


def format_countdown(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def duration_text(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} seconds"
    minutes = round(seconds / 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


class BreakWindow(QWidget):
    start_requested = Signal()
    postpone_requested = Signal()
    skip_requested = Signal()

    def __init__(
        self,
        kind: BreakKind,
        stretch: Stretch | None,
        nominal_seconds: int,
        postpone_minutes: int,
        remaining: Callable[[], float],
        parent: QWidget | None = None,
        *,
        can_postpone: bool = True,
        can_skip: bool = True,
    ) -> None:
        """``remaining`` returns the nominal seconds left once the break runs."""
        super().__init__(parent)
        self.kind = kind
        self._remaining = remaining
        self._answered = False
        self.setObjectName("break_window")
        self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        micro = kind is BreakKind.MICRO
        self.setWindowTitle(
            self.tr("Micro-break — NeckCare") if micro else self.tr("Posture break — NeckCare")
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        self.heading = QLabel(
            self.tr("Time for a micro-break") if micro else self.tr("Time for a posture break")
        )
        heading_font = QFont(self.heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.6)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        layout.addWidget(self.heading)

        self.summary = QLabel(
            (
                self.tr("Look at something 6 m away, drop your shoulders.")
                if micro
                else self.tr("Stand up, walk, gentle stretches.")
            )
            + " "
            + duration_text(nominal_seconds)
        )
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.stretch_title = QLabel()
        title_font = QFont(self.stretch_title.font())
        title_font.setBold(True)
        self.stretch_title.setFont(title_font)
        self.stretch_how = QLabel()
        self.stretch_how.setWordWrap(True)
        self.stretch_how.setObjectName("stretch_how")
        if stretch is not None:
            self.stretch_title.setText(stretch.title)
            how = stretch.how
            if stretch.stop_if_hurts and "stop if it hurts" not in how.lower():
                how += " " + self.tr("Stop if it hurts.")
            self.stretch_how.setText(how)
        else:
            self.stretch_title.setText(self.tr("Move gently"))
            self.stretch_how.setText(self.tr("Slow, mindful movement only. Stop if it hurts."))
        layout.addWidget(self.stretch_title)
        layout.addWidget(self.stretch_how)

        self.countdown = QLabel()
        self.countdown.setObjectName("countdown")
        count_font = QFont(self.countdown.font())
        count_font.setPointSizeF(count_font.pointSizeF() * 2.2)
        self.countdown.setFont(count_font)
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.setAccessibleName(self.tr("Time left"))
        self.countdown.hide()
        layout.addWidget(self.countdown)

        buttons = QHBoxLayout()
        self.start_button = QPushButton(self.tr("Start break"))
        self.postpone_button = QPushButton(
            self.tr("Postpone %1 min").replace("%1", str(postpone_minutes))
        )
        self.skip_button = QPushButton(self.tr("Skip"))
        for button, signal, name in (
            (self.start_button, self.start_requested, "start"),
            (self.postpone_button, self.postpone_requested, "postpone"),
            (self.skip_button, self.skip_requested, "skip"),
        ):
            button.setObjectName(f"break_{name}")
            button.setAccessibleName(button.text())
            button.clicked.connect(self._answer(signal))
            buttons.addWidget(button)
        self.start_button.setDefault(True)
        self.postpone_button.setVisible(can_postpone)
        self.skip_button.setVisible(can_skip)
        self.can_postpone, self.can_skip = can_postpone, can_skip
        if not can_postpone and can_skip:
            self.limit_note = QLabel(self.tr("Postponed enough times: time to move."))
        elif not can_skip:
            self.limit_note = QLabel(self.tr("Strict mode: this break is not optional."))
        else:
            self.limit_note = QLabel()
        self.limit_note.setObjectName("limit_note")
        self.limit_note.setVisible(bool(self.limit_note.text()))
        layout.addWidget(self.limit_note)
        layout.addLayout(buttons)

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_countdown)
        self.setMinimumWidth(460)

    def _answer(self, signal: Signal) -> Callable[[], None]:
        def emit() -> None:
            signal.emit()  # type: ignore[attr-defined]

        return emit

    @property
    def running(self) -> bool:
        return self._tick.isActive()

    def present(self, screen: QScreen | None = None) -> None:
        """Show on ``screen`` (default: the one with the mouse pointer), above other windows."""
        place_on_screen(self, screen or pointer_screen(), height_fraction=0.35)
        self.show()
        self.raise_()

    def set_running(self, interval_ms: int = 1000, *, can_end_early: bool = True) -> None:
        """The break has started: swap the buttons for a countdown."""
        self.start_button.hide()
        self.postpone_button.hide()
        self.limit_note.hide()
        self.skip_button.setVisible(can_end_early)
        self.can_skip = can_end_early
        self.skip_button.setText(self.tr("End break early"))
        self.skip_button.setAccessibleName(self.skip_button.text())
        self.heading.setText(
            self.tr("Micro-break") if self.kind is BreakKind.MICRO else self.tr("Posture break")
        )
        self.countdown.show()
        self._tick.setInterval(interval_ms)
        self._update_countdown()
        self._tick.start()

    def _update_countdown(self) -> None:
        self.countdown.setText(format_countdown(self._remaining()))

    def finish(self) -> None:
        """Close for good, whoever decided (the countdown ended, or the break was withdrawn)."""
        self._answered = True
        self._tick.stop()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._answered:
            # Closing the window without an answer means "not now": the same as Postpone
            # while waiting, or ending the break early once it runs. When neither is
            # allowed (postpone limit reached, strict mode) the window stays.
            if self.running:
                if not self.can_skip:
                    event.ignore()
                    return
                signal = self.skip_requested
            elif self.can_postpone:
                signal = self.postpone_requested
            elif self.can_skip:
                signal = self.skip_requested
            else:
                event.ignore()
                return
            self._answered = True
            signal.emit()
        self._tick.stop()
        super().closeEvent(event)
