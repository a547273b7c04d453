"""Where a reminder window appears: on the screen the person is looking at."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QCursor, QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget


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
    is never hidden behind one.
    """
    if screen is None:
        return
    window.adjustSize()
    move_into_area(window, screen.availableGeometry(), height_fraction=height_fraction)


def move_into_area(window: QWidget, area: QRect, *, height_fraction: float = 0.5) -> None:
    """Move ``window`` (at its current size) to the middle of ``area``, fully inside it.

    Separate from ``place_on_screen`` for windows that size themselves to the screen
    first (the break window): calling ``adjustSize`` again would undo that fitting.
    """
    size = window.frameGeometry().size()
    width, height = min(size.width(), area.width()), min(size.height(), area.height())
    x = area.x() + (area.width() - width) // 2
    y = area.y() + round(area.height() * height_fraction - height / 2)
    x = min(max(area.x(), x), area.x() + area.width() - width)
    y = min(max(area.y(), y), area.y() + area.height() - height)
    window.move(x, y)
