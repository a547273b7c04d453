"""The break window: the break's exercises and Start break / Postpone / Skip.

It stays on top but is shown without taking keyboard focus, so a person in the middle of a
sentence does not type into it (on Wayland the compositor decides both: the presenter maps it
minimized there); it is not modal, so nothing else is blocked. Once started it
counts down and the engine closes it when the break is over.

Once the break runs, its routine plays in the middle (ui.routine_view): exercise after
exercise, each with its repetitions, a hold countdown, "Next" and "Done". Each comes
with a picture because a drawing of the movement is quicker to follow
than a paragraph when someone is tired or in pain. The window sizes itself to the screen it
opens on: at 200 % scaling a 1280x800 laptop has only 640x400 logical pixels, and a break
window whose buttons hang off the bottom edge cannot be answered. Whatever does not fit
scrolls; the buttons never do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QCloseEvent, QFont, QScreen
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.core.breaks import BreakKind
from neckcare_desktop.core.exercise_routine import Routine, StepState
from neckcare_desktop.core.stretches import Stretch
from neckcare_desktop.ui.placement import move_into_area, pointer_screen
from neckcare_desktop.ui.routine_view import (
    ILLUSTRATION_SIZES,
    RoutineView,
    duration_text,
    format_countdown,
)

__all__ = ["BreakWindow", "duration_text", "format_countdown"]

logger = logging.getLogger(__name__)

#: Below this available width the picture goes above the text instead of beside it.
NARROW_WIDTH = 520


class BreakWindow(QWidget):
    """One break, answered with Start / Postpone / Skip; the app owns what happens next."""

    start_requested = Signal()
    postpone_requested = Signal()
    skip_requested = Signal()
    #: The routine's "Next" (leave this exercise out) and "Done" (did it).
    exercise_next_requested = Signal()
    exercise_done_requested = Signal()

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
        routine: Routine | None = None,
    ) -> None:
        """``remaining`` returns the nominal seconds left once the break runs; ``routine``
        the exercises planned for it (``stretch`` is its first)."""
        super().__init__(parent)
        self.kind = kind
        self.stretch = stretch
        self._remaining = remaining
        self._answered = False
        self.setObjectName("break_window")
        self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        micro = kind is BreakKind.MICRO
        self.setWindowTitle(
            self.tr("Micro-break — NeckCare") if micro else self.tr("Posture break — NeckCare")
        )

        # No colours are set anywhere in this window: every text uses the palette, so a
        # dark or high-contrast theme stays readable. The illustration brings its own
        # light card, which reads on any background.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        self.heading = QLabel(
            self.tr("Time for a micro-break") if micro else self.tr("Time for a posture break")
        )
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)
        heading_font = QFont(self.heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.5)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        layout.addWidget(self.heading)

        length = duration_text(nominal_seconds)
        self.summary = QLabel(
            self.tr("A short pause for your eyes and shoulders: %1.").replace("%1", length)
            if micro
            else self.tr("Stand up and move gently for %1.").replace("%1", length)
        )
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        layout.addWidget(self._build_body(stretch, routine), 1)

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
        buttons.setSpacing(8)
        buttons.addStretch(1)
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
        self.limit_note = QLabel(self._limit_text(can_postpone, can_skip))
        self.limit_note.setObjectName("limit_note")
        self.limit_note.setWordWrap(True)
        self.limit_note.setVisible(bool(self.limit_note.text()))
        layout.addWidget(self.limit_note)
        layout.addLayout(buttons)

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_countdown)
        self._area: QRect | None = None
        #: False where the compositor places windows (Wayland): never moved by the app.
        self._placed = True

    # -- building ----------------------------------------------------------------------

    def _build_body(self, stretch: Stretch | None, routine: Routine | None) -> QWidget:
        """The exercise showing, its picture beside it (ui.routine_view)."""
        self.routine_view = view = RoutineView(stretch, routine)
        view.next_requested.connect(self.exercise_next_requested)
        view.done_requested.connect(self.exercise_done_requested)
        # The names the window has always had for its parts (tests and tools use them).
        self._body_layout = view.body_layout
        self.illustration = view.illustration
        self.stretch_title = view.stretch_title
        self.stretch_how = view.stretch_how
        self.stretch_duration = view.stretch_duration
        self._reading_width = view.reading_width
        #: Only the steps text scrolls; the buttons and the repetition line never do.
        self.body_area = view.how_area
        return view

    def show_step(self, state: StepState | None) -> None:
        """Where the running routine is (the presenter's progress); refit on a new one."""
        if self.routine_view.show_step(state):
            self._refit()

    def _limit_text(self, can_postpone: bool, can_skip: bool) -> str:
        if not can_postpone and can_skip:
            return self.tr("Postponed enough times: time to move.")
        if not can_skip:
            return self.tr("Strict mode: this break is not optional.")
        return ""

    def set_choices(self, can_postpone: bool, can_skip: bool) -> None:
        """Show only the answers allowed now (settings changed, or an answer was refused).

        Also re-opens the window for an answer: a close that asked for a refused Skip or
        Postpone is undone (see :meth:`closeEvent`).
        """
        self._answered = False
        self.can_skip = can_skip
        self.skip_button.setVisible(can_skip)
        if not self.running:
            self.can_postpone = can_postpone
            self.postpone_button.setVisible(can_postpone)
            self.limit_note.setText(self._limit_text(can_postpone, can_skip))
            self.limit_note.setVisible(bool(self.limit_note.text()))
        self._refit()

    def _answer(self, signal: SignalInstance) -> Callable[[], None]:
        def emit() -> None:
            signal.emit()

        return emit

    # -- size and place ----------------------------------------------------------------

    def fit_to(self, area: QRect) -> None:
        """Size the window for ``area`` (a screen's available geometry, logical pixels).

        Never wider or taller than the area, leaving room for the window manager's frame:
        the picture shrinks first, then the text scrolls, so the buttons stay reachable
        even at 200 % scaling on a small laptop.
        """
        self._area = QRect(area)
        # The frame is only known once the window manager has decorated the window; until
        # then assume a title bar and thin borders.
        frame = self.frameGeometry().size() - self.size()
        if frame.width() <= 0 and frame.height() <= 0:
            frame = QSize(8, 2 * self.fontMetrics().height())
        room = QSize(max(1, area.width() - frame.width()), max(1, area.height() - frame.height()))
        self.setMaximumSize(room)

        narrow = room.width() < NARROW_WIDTH
        self._body_layout.setDirection(
            QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        )
        layout = self.layout()
        assert layout is not None  # made in __init__
        margins = layout.contentsMargins()
        width = height = 0
        for side in ILLUSTRATION_SIZES:
            self.illustration.setFixedSize(side, side)
            layout.invalidate()
            layout.activate()
            # Every break window gets the same calm width (a full reading line beside the
            # picture), whatever the length of this particular suggestion.
            picture = 0 if narrow or self.illustration.isHidden() else side
            preferred = (
                margins.left()
                + margins.right()
                + picture
                + self._body_layout.spacing()
                + self._reading_width
            )
            width = min(max(preferred, self.sizeHint().width()), room.width())
            height = layout.totalHeightForWidth(width)
            if height < 0:
                height = self.sizeHint().height()
            if height <= room.height() or self.illustration.isHidden():
                break
        self.resize(width, min(height, room.height()))

    def present(
        self, screen: QScreen | None = None, *, place: bool = True, minimized: bool = False
    ) -> None:
        """Show on ``screen`` (default: the one with the mouse pointer), above other windows.

        ``place=False`` where the compositor places windows (Wayland): the window is only
        sized for the screen, never moved there. ``minimized``: mapped without being put in
        front, for a compositor that would otherwise give a new window the keyboard focus
        (GNOME on Wayland); :meth:`request_activation` then asks for the person's attention.
        """
        self._placed = place
        screen = screen or pointer_screen()
        if screen is not None:
            if place:
                # Before sizing: fonts and the device pixel ratio follow the screen.
                self.setScreen(screen)
            area = screen.availableGeometry()
            self.fit_to(area)
            if place:
                move_into_area(self, area, height_fraction=0.35)
        if minimized:
            self.showMinimized()
            return
        self.show()
        self.raise_()

    def request_activation(self) -> None:
        """Ask the compositor to activate the window (Wayland: xdg-activation through Qt).

        Qt only has a token to offer while one of the app's windows has the focus; without
        one, GNOME marks the window as wanting attention ("NeckCare is ready") instead.
        """
        handle = self.windowHandle()
        if handle is not None:
            handle.requestActivate()

    def _refit(self) -> None:
        """After the content changed (countdown shown), keep the window fitting its screen.

        A running break's window grows when it needs to but never shrinks: a window that
        shrank when the routine moved on (or ended) pulled "End break early" up under the
        pointer where "Done" had been, and the next press there ended the break.
        """
        if self._area is None or not self.isVisible():
            return
        before = self.size()
        self.fit_to(self._area)
        if self.running:
            kept = before.expandedTo(self.size()).boundedTo(self.maximumSize())
            if kept != self.size():
                self.resize(kept)
        if not self._placed:  # the compositor's place, not ours to correct
            return
        frame = self.frameGeometry()
        x = min(max(self._area.left(), frame.x()), self._area.right() + 1 - frame.width())
        y = min(max(self._area.top(), frame.y()), self._area.bottom() + 1 - frame.height())
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    # -- running -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._tick.isActive()

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
        self.routine_view.show_running(True)
        self._tick.setInterval(interval_ms)
        self._update_countdown()
        self._tick.start()
        self._refit()

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
            if not self._answered:
                # Refused (strict mode came on meanwhile): the app showed what is allowed
                # now with set_choices(); the break is still there, so is its window.
                event.ignore()
                return
        self._tick.stop()
        super().closeEvent(event)
