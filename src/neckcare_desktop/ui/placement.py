"""Where a reminder window appears: on the screen the person is looking at."""

from __future__ import annotations

from PySide6.QtGui import QCursor, QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget


def pointer_screen() -> QScreen | None:
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
    area = screen.availableGeometry()
    size = window.frameGeometry().size()
    width, height = min(size.width(), area.width()), min(size.height(), area.height())
    x = area.x() + (area.width() - width) // 2
    y = area.y() + round(area.height() * height_fraction - height / 2)
    x = min(max(area.x(), x), area.x() + area.width() - width)
    y = min(max(area.y(), y), area.y() + area.height() - height)
    window.move(x, y)
