"""Where a reminder window appears: on the screen the person is looking at."""

from __future__ import annotations

from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QWidget


def center_on_pointer_screen(window: QWidget) -> None:
    """Center ``window`` on the screen holding the mouse pointer, fully on that screen."""
    screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
    if screen is None:
        return
    window.adjustSize()
    area = screen.availableGeometry()
    size = window.frameGeometry().size()
    width, height = min(size.width(), area.width()), min(size.height(), area.height())
    x = area.x() + (area.width() - width) // 2
    y = area.y() + (area.height() - height) // 2
    window.move(max(area.x(), x), max(area.y(), y))
