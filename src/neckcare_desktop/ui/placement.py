"""Where windows appear, and how they fit the screen they appear on.

A reminder opens on the screen the person is looking at (the one with the mouse pointer).
Every window fits that screen's *available* geometry (without panels and docks), in
logical pixels: at 150 % scaling a 1280×800 laptop is only 853×533 of them, so a dialog
that is comfortable at 100 % must be able to shrink, its long content scrolling in a
:class:`FittingScrollArea` while its buttons stay on screen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QCursor, QGuiApplication, QScreen
from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QStyle, QWidget

logger = logging.getLogger(__name__)

#: How far a second window of the same kind is moved from the first (logical pixels).
CASCADE_STEP = 32


def pointer_screen() -> QScreen | None:
    """The screen holding the mouse pointer: that is the one the person is looking at.

    Falls back to the primary screen when the pointer is in no screen at all (a gap
    between monitors of different sizes), so a reminder is never lost off-screen.
    """
    return QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()


def center_on_pointer_screen(window: QWidget, *, height_fraction: float = 0.5) -> None:
    """Center ``window`` on the screen holding the mouse pointer, fully on that screen."""
    place_on_screen(window, pointer_screen(), height_fraction=height_fraction)


def place_on_screen(
    window: QWidget, screen: QScreen | None, *, height_fraction: float = 0.5
) -> None:
    """Center ``window`` horizontally on ``screen``, its middle at ``height_fraction`` down.

    Break windows sit a little above the middle so the therapy alert, which is centered,
    is never hidden behind one. The window is first made no larger than the screen.
    """
    if screen is None:
        return
    window.adjustSize()
    area = screen.availableGeometry()
    _shrink_into(window, area)
    move_into_area(window, area, height_fraction=height_fraction)


def move_into_area(window: QWidget, area: QRect, *, height_fraction: float = 0.5) -> None:
    """Move ``window`` (at its current size) to the middle of ``area``, fully inside it.

    Separate from ``place_on_screen`` for windows that size themselves to the screen
    first (the break window): calling ``adjustSize`` again would undo that fitting.
    """
    size = window.size() + frame_extra(window)
    width, height = min(size.width(), area.width()), min(size.height(), area.height())
    x = area.x() + (area.width() - width) // 2
    y = area.y() + round(area.height() * height_fraction - height / 2)
    window.move(_clamp_into(QRect(x, y, width, height), area))


def frame_extra(window: QWidget) -> QSize:
    """What the window manager's frame adds to ``window``'s size.

    Only known once the window manager has decorated the window; until then (the first
    show) assume a title bar and thin borders, so the frame is not what falls off-screen.
    """
    extra = window.frameGeometry().size() - window.size()
    if extra.width() <= 0 and extra.height() <= 0:
        extra = QSize(8, 2 * window.fontMetrics().height() + 4)
    return extra


def fit_to_screen(window: QWidget, screen: QScreen | None = None) -> None:
    """Make ``window`` no larger than the available geometry of its screen, and fully on it.

    Call it when the window is shown (``showEvent``): on the first show the screen is
    the pointer's and the window is centered there; later it stays on the screen it is
    on, where the person put it, and only moves if it would stick out. The window never
    shrinks below its minimum size, so long content belongs in a
    :class:`FittingScrollArea`.
    """
    moved_before = window.testAttribute(Qt.WidgetAttribute.WA_Moved)
    if screen is None:
        screen = window.screen() if moved_before else pointer_screen()
    if screen is None:
        return
    area = screen.availableGeometry()
    resized = _shrink_into(window, area)
    outer = QRect(window.pos(), window.size() + frame_extra(window))
    if moved_before and not resized and area.contains(outer):
        return
    if moved_before:
        window.move(_clamp_into(outer, area))
    else:
        move_into_area(window, area)


def _shrink_into(window: QWidget, area: QRect) -> bool:
    """Resize ``window`` to fit ``area`` with its frame; True if its size changed."""
    extra = frame_extra(window)
    room = QSize(max(1, area.width() - extra.width()), max(1, area.height() - extra.height()))
    size = window.size()
    if not window.testAttribute(Qt.WidgetAttribute.WA_Resized):
        # Sized by Qt, not by the program or the person: Qt caps a window at 2/3 of the
        # screen when its layout could shrink, so ask for the whole content instead.
        size = _natural_size(window, room.width())
    size = size.boundedTo(room).expandedTo(window.minimumSize())
    if size.width() > room.width() or size.height() > room.height():
        # A layout that cannot shrink enough: a bug to fix in that window (a scroll area).
        logger.debug(
            "%s needs %dx%d, the screen has room for %dx%d",
            window.objectName() or type(window).__name__,
            size.width(),
            size.height(),
            room.width(),
            room.height(),
        )
    if size == window.size():
        return False
    window.resize(size)
    return True


def _natural_size(window: QWidget, max_width: int) -> QSize:
    """The size ``window``'s layout asks for, its height for the width it will get."""
    hint = window.sizeHint().expandedTo(window.minimumSize())
    layout = window.layout()
    if layout is not None and layout.hasHeightForWidth():
        width = min(hint.width(), max_width)
        hint = QSize(width, max(layout.totalHeightForWidth(width), window.minimumHeight()))
    return hint


def _clamp_into(outer: QRect, area: QRect) -> QPoint:
    """The top-left that puts ``outer`` inside ``area`` (its top-left corner wins if too big)."""
    x = max(area.x(), min(outer.x(), area.x() + area.width() - outer.width()))
    y = max(area.y(), min(outer.y(), area.y() + area.height() - outer.height()))
    return QPoint(x, y)


def cascade_from(window: QWidget, others: Iterable[QWidget]) -> None:
    """Move ``window`` down and right of any of ``others`` it would exactly cover.

    Two therapy alerts (a second ice round ended while the first alert still waits) must
    never sit on top of each other: the person would acknowledge one and never see the
    other. Stays within the screen: past its bottom right it starts again at the top left.
    """
    # An alert being closed may already be gone on the C++ side: skip it, never fail here
    # (the new alert must show whatever happened to the old ones).
    taken = {
        w.pos().toTuple()
        for w in others
        if w is not window and shiboken6.isValid(w) and w.isVisible()
    }
    if not taken:
        return
    screen = window.screen() or pointer_screen()
    area = screen.availableGeometry() if screen is not None else None
    outer = QRect(window.pos(), window.size() + frame_extra(window))
    for _ in range(len(taken) + 1):
        if not any(
            abs(outer.x() - x) < CASCADE_STEP // 2 and abs(outer.y() - y) < CASCADE_STEP // 2
            for x, y in taken
        ):
            break
        outer.translate(CASCADE_STEP, CASCADE_STEP)
        if area is not None and not area.contains(outer):
            outer.moveTopLeft(area.topLeft() + QPoint(CASCADE_STEP // 2, CASCADE_STEP // 2))
    window.move(outer.topLeft())


class FittingScrollArea(QScrollArea):
    """A frameless scroll area that asks for its content's whole size.

    A plain QScrollArea caps its size hint at a few dozen lines, so a dialog would scroll
    on a big screen. This one asks for everything its content wants, plus room for a
    scroll bar so that a bar appearing never squeezes the content sideways; its minimum
    height is a few lines, so the window around it can shrink to a small screen and
    scroll there. Keyboard focus goes straight to the content (Tab scrolls to it).
    """

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalScrollBar().setAccessibleName(self.tr("Scroll up or down"))
        # Painted like whatever it sits on (a dialog, a tab page), not as a white sheet.
        self.viewport().setAutoFillBackground(False)
        body.setAutoFillBackground(False)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _bar_width(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)

    def _content(self) -> QWidget:
        widget = self.widget()
        assert widget is not None  # set when the area is made, never taken back
        return widget

    def sizeHint(self) -> QSize:
        hint = self._content().sizeHint()
        return QSize(hint.width() + self._bar_width(), hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = self._content().minimumSizeHint()
        lines = 4 * self.fontMetrics().lineSpacing()
        return QSize(hint.width() + self._bar_width(), min(hint.height(), lines))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        inner = max(1, width - self._bar_width())
        height = self._content().heightForWidth(inner)
        return height if height >= 0 else self._content().sizeHint().height()
