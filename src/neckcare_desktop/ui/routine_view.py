"""The middle of the break window: the exercise showing, with its picture, and the routine.

A posture break plays a routine (core.exercise_routine): each exercise with its picture,
its steps, the repetition and a hold countdown, and "Next" / "Done" to move on. The
view only shows what it is told (:meth:`RoutineView.show_step`) and forwards the two
buttons; the presenter keeps the progress and core records it.

Pictures are SVG (the built-ins, and a person's own) or PNG (a person's own): a PNG is
wrapped in a one-element SVG so one widget draws both, at any size.
"""

from __future__ import annotations

import base64
import logging
import math
from pathlib import Path, PurePosixPath

from PySide6.QtCore import QByteArray, QCoreApplication, QLocale, QSize, Qt, Signal
from PySide6.QtGui import QFont, QImageReader
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.core.exercise_routine import Routine, StepState
from neckcare_desktop.core.stretches import Stretch
from neckcare_desktop.resources import resource_path

logger = logging.getLogger("neckcare_desktop.ui.break_window")

#: Logical size of the illustration when there is room, and the smaller sizes tried, in
#: order, when the screen is too short for everything at full size.
ILLUSTRATION_SIZES = (160, 128, 96)
#: Characters per line for the instructions: long lines are hard to follow.
READING_CHARS = 58


def format_countdown(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def duration_text(seconds: int) -> str:
    """A natural length such as "20 seconds" or "5 minutes": people read "0:20" as a clock.

    Translated like every visible string, which is why it is not a plain f-string.
    """

    if seconds < 60:
        if seconds == 1:
            return QCoreApplication.translate("BreakWindow", "1 second")
        return QCoreApplication.translate("BreakWindow", "%1 seconds").replace("%1", str(seconds))
    minutes = round(seconds / 60)
    if minutes == 1:
        return QCoreApplication.translate("BreakWindow", "1 minute")
    return QCoreApplication.translate("BreakWindow", "%1 minutes").replace("%1", str(minutes))


def _language() -> str:
    """The language NeckCare speaks (the app sets Qt's default locale to it)."""
    return QLocale().name()


class BodyArea(QScrollArea):
    """A frameless scroll area for the steps text that asks for its content's whole height.

    A plain QScrollArea caps its size hint at a few dozen lines of text and knows nothing
    about word wrapping, so the window would either cut the text or scroll when there is
    plenty of room. This one reports the content's height for the width it gets, and only
    scrolls when the screen really is too small.
    """

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Keyboard users Tab straight to the buttons (the e2e tests count on it, too).
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalScrollBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _content(self) -> QWidget:
        widget = self.widget()
        assert widget is not None  # set when the area is made, never taken back
        return widget

    def sizeHint(self) -> QSize:
        return self._content().sizeHint()

    def minimumSizeHint(self) -> QSize:
        hint = self._content().minimumSizeHint()
        return QSize(hint.width(), min(hint.height(), 3 * self.fontMetrics().height()))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        height = self._content().heightForWidth(width)
        return height if height >= 0 else self._content().sizeHint().height()


class RoutineView(QWidget):
    """The exercise showing (picture beside title, steps, length) and the routine's place."""

    next_requested = Signal()
    done_requested = Signal()

    def __init__(
        self, stretch: Stretch | None, routine: Routine | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("break_body")
        self.routine = routine
        self._shown_index: int | None = None
        self.body_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.body_layout.setContentsMargins(0, 6, 0, 6)
        self.body_layout.setSpacing(20)

        self.illustration = QSvgWidget()
        self.illustration.setObjectName("illustration")
        self.illustration.setFixedSize(ILLUSTRATION_SIZES[0], ILLUSTRATION_SIZES[0])
        self.body_layout.addWidget(self.illustration, 0, Qt.AlignmentFlag.AlignTop)

        text = QVBoxLayout()
        text.setSpacing(6)
        self.step_label = QLabel()
        self.step_label.setObjectName("routine_step")
        self.stretch_title = QLabel()
        self.stretch_title.setObjectName("stretch_title")
        self.stretch_title.setWordWrap(True)
        title_font = QFont(self.stretch_title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.2)
        title_font.setBold(True)
        self.stretch_title.setFont(title_font)
        self.stretch_how = QLabel()
        self.stretch_how.setWordWrap(True)
        self.stretch_how.setObjectName("stretch_how")
        self.stretch_how.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.stretch_duration = QLabel()
        self.stretch_duration.setObjectName("stretch_duration")
        self.stretch_duration.setWordWrap(True)
        duration_font = QFont(self.stretch_duration.font())
        duration_font.setItalic(True)
        self.stretch_duration.setFont(duration_font)
        self.repetition_label = QLabel()
        self.repetition_label.setObjectName("routine_repetition")
        self.repetition_label.setAccessibleName(self.tr("Repetition and hold"))
        rep_font = QFont(self.repetition_label.font())
        rep_font.setBold(True)
        self.repetition_label.setFont(rep_font)
        # A comfortable reading width, not the full width of a wide screen.
        self.reading_width = READING_CHARS * self.stretch_how.fontMetrics().averageCharWidth()
        self.stretch_how.setMaximumWidth(self.reading_width)
        # Only the steps scroll, and only when the screen is too short for them: the
        # exercise's name, its length, the repetition line and Next / Done always show.
        self.how_area = BodyArea(self.stretch_how)
        self.how_area.setObjectName("break_body_area")
        self.how_area.setMaximumWidth(self.reading_width)
        for label in (
            self.step_label,
            self.stretch_title,
            self.stretch_duration,
            self.repetition_label,
        ):
            label.setMaximumWidth(self.reading_width)
            policy = label.sizePolicy()
            policy.setVerticalPolicy(QSizePolicy.Policy.Fixed)
            label.setSizePolicy(policy)
        text.addWidget(self.step_label)
        text.addWidget(self.stretch_title)
        text.addWidget(self.how_area, 1)
        text.addWidget(self.stretch_duration)
        text.addWidget(self.repetition_label)
        buttons = QHBoxLayout()
        self.next_button = QPushButton(self.tr("Next"))
        self.next_button.setObjectName("routine_next")
        self.next_button.setToolTip(self.tr("Leave this exercise out and go to the next"))
        self.done_button = QPushButton(self.tr("Done"))
        self.done_button.setObjectName("routine_done")
        self.done_button.setToolTip(self.tr("I did this one: go to the next"))
        for button in (self.next_button, self.done_button):
            button.setAccessibleName(button.text())
            button.hide()
            buttons.addWidget(button)
        self.next_button.clicked.connect(self.next_requested)
        self.done_button.clicked.connect(self.done_requested)
        buttons.addStretch(1)
        text.addLayout(buttons)
        self.body_layout.addLayout(text, 1)
        self.step_label.hide()
        self.repetition_label.hide()
        self.show_exercise(stretch)
        if routine is not None and len(routine.steps) > 1:
            self._set_step_label(0, len(routine.steps))

    # -- one exercise ----------------------------------------------------------------------

    def show_exercise(self, stretch: Stretch | None) -> None:
        self._load_illustration(stretch)
        if stretch is not None:
            language = _language()
            self.stretch_title.setText(stretch.title_text(language))
            how = stretch.how_text(language)
            # The English list says it in the text already for most entries; look there,
            # since a translation may word it differently.
            if stretch.stop_if_hurts and "stop if it hurts" not in stretch.how.lower():
                how += " " + QCoreApplication.translate("BreakWindow", "Stop if it hurts.")
            self.stretch_how.setText(how)
            self.stretch_duration.setText(
                QCoreApplication.translate("BreakWindow", "Takes about %1").replace(
                    "%1", duration_text(stretch.seconds)
                )
            )
        else:
            self.stretch_title.setText(QCoreApplication.translate("BreakWindow", "Move gently"))
            self.stretch_how.setText(
                QCoreApplication.translate(
                    "BreakWindow", "Slow, mindful movement only. Stop if it hurts."
                )
            )
            self.stretch_duration.setText("")
        self.stretch_duration.setVisible(bool(self.stretch_duration.text()))

    def _picture_path(self, stretch: Stretch) -> Path:
        assert stretch.image is not None
        parts = PurePosixPath(stretch.image).parts
        if stretch.image_root is not None:
            path = Path(stretch.image_root, *parts)
            if not path.is_file():
                raise FileNotFoundError(path)
            return path
        return resource_path(*parts)

    def _load_illustration(self, stretch: Stretch | None) -> None:
        """Show the exercise's picture; without one the text simply takes the whole width."""
        if stretch is None or stretch.image is None:
            self.illustration.hide()
            return
        try:
            path = self._picture_path(stretch)
        except (FileNotFoundError, ValueError) as exc:
            # The shipped list is checked at start-up; a person's own picture may have
            # been moved, and a missing picture is no reason to lose the break.
            logger.warning("no illustration for %s: %s", stretch.id, exc)
            self.illustration.hide()
            return
        if path.suffix.lower() == ".png":
            self.illustration.load(_png_as_svg(path))
        else:
            self.illustration.load(str(path))
        if not self.illustration.renderer().isValid():
            logger.warning("illustration %s for %s is not a valid picture", path, stretch.id)
            self.illustration.hide()
            return
        self.illustration.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self.illustration.setAccessibleName(
            QCoreApplication.translate("BreakWindow", "Illustration: %1").replace(
                "%1", stretch.title_text(_language())
            )
        )
        self.illustration.show()

    # -- the routine -------------------------------------------------------------------------

    def _set_step_label(self, index: int, count: int) -> None:
        self.step_label.setText(
            self.tr("Exercise %1 of %2").replace("%1", str(index + 1)).replace("%2", str(count))
        )
        self.step_label.setVisible(count > 1)

    def show_running(self, running: bool) -> None:
        """Next and Done while a routine of several exercises runs."""
        several = self.routine is not None and len(self.routine.steps) > 1
        self.next_button.setVisible(running and several)
        self.done_button.setVisible(running and several)

    def show_step(self, state: StepState | None) -> bool:
        """Show where the routine is; True when another exercise came up (sizes change)."""
        if state is None:
            changed = self._shown_index != -1
            if changed:
                self._shown_index = -1
                self.illustration.hide()
                self.step_label.hide()
                # The break goes on until its time: the window keeps its size (see
                # BreakWindow._refit) and says what to do meanwhile.
                self.stretch_title.setText(self.tr("All exercises done"))
                self.stretch_how.setText(
                    self.tr(
                        "Stand, look into the distance and breathe calmly until the break ends."
                    )
                )
                self.stretch_duration.hide()
                self.repetition_label.hide()
                self.next_button.hide()
                self.done_button.hide()
            return changed
        changed = state.index != self._shown_index
        if changed:
            self._shown_index = state.index
            self.show_exercise(state.step.exercise)
            self._set_step_label(state.index, state.count)
        self.repetition_label.setText(self._repetition_text(state))
        self.repetition_label.setVisible(bool(self.repetition_label.text()))
        return changed

    def _repetition_text(self, state: StepState) -> str:
        exercise = state.step.exercise
        parts = []
        if exercise.repetitions > 1:
            parts.append(
                self.tr("Repetition %1 of %2")
                .replace("%1", str(state.repetition))
                .replace("%2", str(exercise.repetitions))
            )
        if exercise.hold_seconds > 0:
            if state.holding:
                parts.append(self.tr("hold %1 s").replace("%1", str(math.ceil(state.hold_left))))
            else:
                parts.append(self.tr("relax"))
        return " · ".join(parts)


def _png_as_svg(path: Path) -> QByteArray:
    """A PNG inside an SVG of its own size, so QSvgWidget scales it like the drawings."""
    size = QImageReader(str(path)).size()
    width, height = max(1, size.width()), max(1, size.height())
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f'<image width="{width}" height="{height}" xlink:href="data:image/png;base64,{data}"/>'
        f"</svg>"
    )
    return QByteArray(svg.encode("ascii"))
