"""A small window with the live status and every tray action.

Shown on a left click on the tray icon, and used *instead* of the tray where the desktop
has none (GNOME without the AppIndicator extension, a bare window manager): an app that
runs invisibly there could never be stopped or told to start an ice timer.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.ui.actions import AppActions


class StatusWindow(QWidget):
    def __init__(
        self, actions: AppActions, *, fallback: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.fallback = fallback
        self.setObjectName("status_window")
        self.setWindowTitle(self.tr("NeckCare"))
        layout = QVBoxLayout(self)

        self.banner = QLabel(
            self.tr(
                "No system tray was found on this desktop, so NeckCare shows its controls in "
                "this window. Closing it minimizes it; use Quit to stop NeckCare."
            )
        )
        self.banner.setWordWrap(True)
        self.banner.setObjectName("no_tray_banner")
        self.banner.setVisible(fallback)
        layout.addWidget(self.banner)

        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        font = QFont(self.status_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.status_label.setFont(font)
        self.status_label.setAccessibleName(self.tr("Status"))
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)

        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName(self.tr("Last message"))
        layout.addWidget(self.message_label)

        grid = QGridLayout()
        self.buttons: dict[str, QToolButton] = {}
        pause_menu = QMenu(self)
        for action in actions.pause_actions:
            pause_menu.addAction(action)
        row_spec = [
            ("start_ice", "start_heat", "stop_timer"),
            ("take_break", "pause", "resume"),
            ("log_spasm", "update_spasm", "history"),
            ("settings", "quit"),
        ]
        for row, names in enumerate(row_spec):
            for col, name in enumerate(names):
                button = QToolButton(self)
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
                if name == "pause":
                    button.setText(self.tr("Pause reminders"))
                    button.setMenu(pause_menu)
                    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
                    button.setAccessibleName(self.tr("Pause reminders"))
                    # The menu arrow is drawn in the corner, over the text, unless there
                    # is room for it: make some (longer languages fill the button).
                    arrow = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator)
                    button.setMinimumWidth(button.sizeHint().width() + arrow)
                else:
                    action = getattr(actions, name)
                    button.setDefaultAction(action)
                    button.setAccessibleName(action.text().rstrip("…"))
                button.setObjectName(f"button_{name}")
                self.buttons[name] = button
                grid.addWidget(button, row, col)
        layout.addLayout(grid)
        self.setMinimumWidth(420)

    def set_status(self, lines: tuple[str, ...]) -> None:
        self.status_label.setText("\n".join(lines))

    def show_message(self, title: str, text: str) -> None:
        self.message_label.setText(f"<b>{title}</b><br>{text}")

    def present(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.fallback:
            # Without a tray this window is the only way back to the app: keep it around.
            event.ignore()
            self.showMinimized()
            return
        super().closeEvent(event)
