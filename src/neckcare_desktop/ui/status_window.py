"""A small window with the live status and every tray action.

Shown on a left click on the tray icon, and used *instead* of the tray where the desktop
has none (GNOME without the AppIndicator extension, a bare window manager): an app that
runs invisibly there could never be stopped or told to start an ice timer.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLayout,
    QMenu,
    QScrollArea,
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
        # The window grows with its content: a long message or a longer language must
        # push the window larger, never squeeze the buttons below their text.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)

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
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # A long message (five settings problems with their paths) scrolls inside the
        # window rather than pushing the buttons off it or squeezing them.
        self.message_area = QScrollArea(self)
        self.message_area.setObjectName("message_area")
        self.message_area.setWidget(self.message_label)
        self.message_area.setWidgetResizable(True)
        self.message_area.setFrameShape(QFrame.Shape.NoFrame)
        self.message_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.message_area.setVisible(False)
        layout.addWidget(self.message_area, 1)

        grid = QGridLayout()
        self.buttons: dict[str, QToolButton] = {}
        pause_menu = QMenu(self)
        for action in actions.pause_actions:
            pause_menu.addAction(action)
        # None: an empty cell, so that "My skin is numb" sits under "Stop timer".
        row_spec: list[tuple[str | None, ...]] = [
            ("start_ice", "start_heat", "stop_timer"),
            ("start_ice_intermittent", None, "skin_numb"),
            ("take_break", "pause", "resume"),
            ("log_spasm", "update_spasm", "history"),
            ("settings", "quit"),
        ]
        for row, names in enumerate(row_spec):
            for col, name in enumerate(names):
                if name is None:
                    continue
                button = _ActionButton(self)
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
                button.setSizePolicy(QSizePolicy.Policy.MinimumExpanding, QSizePolicy.Policy.Fixed)
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
                    # A tool button follows its action's text and enabled state, not
                    # whether it is shown ("My skin is numb" only while ice is on).
                    button.setVisible(action.isVisible())
                    action.changed.connect(button.sync_visible)
                button.setObjectName(f"button_{name}")
                self.buttons[name] = button
                grid.addWidget(button, row, col)
        layout.addLayout(grid)
        self.setMinimumWidth(420)

    def set_status(self, lines: tuple[str, ...]) -> None:
        self.status_label.setText("\n".join(lines))

    def set_fallback(self, fallback: bool) -> None:
        """The only way into NeckCare (no tray), or a plain status view beside the tray."""
        self.fallback = fallback
        self.banner.setVisible(fallback)

    def show_message(self, title: str, text: str) -> None:
        # Messages carry file paths and settings problems: shown as text, one per line.
        def rich(plain: str) -> str:
            return _escape(plain).replace("\n", "<br>")

        self.message_label.setText(f"<b>{rich(title)}</b><br>{rich(text)}")
        self.message_area.setVisible(True)
        if self.isVisible():
            self._fit_message()

    def _fit_message(self) -> None:
        """Grow the window so the message shows whole, up to the screen's height."""
        layout = self.layout()
        screen = self.screen().availableGeometry() if self.screen() else None
        for _ in range(3):  # the area's width and height settle as the window grows
            if layout is not None:
                layout.activate()  # the area may just have been shown: real geometry first
            # The area's own width: a scroll bar shown for the moment goes once it fits.
            needed = self.message_label.heightForWidth(self.message_area.width())
            grow = needed - self.message_area.height()
            if screen is not None:
                grow = min(grow, screen.bottom() - self.frameGeometry().bottom())
            if grow <= 0:
                return
            self.resize(self.width(), self.height() + grow)

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


class _ActionButton(QToolButton):
    """A tool button that is shown only while its action is (Qt's follows text and
    enabled state only); a method slot, so the connection goes with the button."""

    def sync_visible(self) -> None:
        action = self.defaultAction()
        if action is not None and self.isHidden() == action.isVisible():
            self.setVisible(action.isVisible())


def _escape(plain: str) -> str:
    """``html.escape`` without importing ``html``, whose entity table (~90 kB) a running
    tray would otherwise hold for this one call (bench/run.py's memory budget)."""
    return (
        plain.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )
