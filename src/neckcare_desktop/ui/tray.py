"""The system-tray icon and its menu: the app's main face.

It only renders the status it is given and forwards clicks; what an action does is decided
by the app controller.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from neckcare_desktop.ui.actions import AppActions

logger = logging.getLogger(__name__)


def build_menu(actions: AppActions, parent: QMenu | None = None) -> QMenu:
    """The tray menu, in the order people scan it: status, therapy, breaks, app."""
    menu = parent or QMenu()
    menu.addAction(actions.status)
    menu.addSeparator()
    menu.addAction(actions.start_ice)
    menu.addAction(actions.start_ice_intermittent)
    menu.addAction(actions.start_heat)
    menu.addAction(actions.stop_timer)
    menu.addAction(actions.skin_numb)
    menu.addAction(actions.log_spasm)
    menu.addAction(actions.update_spasm)
    menu.addSeparator()
    menu.addAction(actions.take_break)
    pause = menu.addMenu(QCoreApplication.translate("TrayIcon", "Pause reminders"))
    pause.setObjectName("menu_pause")
    for action in actions.pause_actions:
        pause.addAction(action)
    menu.addAction(actions.resume)
    menu.addSeparator()
    menu.addAction(actions.history)
    menu.addAction(actions.settings)
    menu.addSeparator()
    menu.addAction(actions.quit)
    return menu


class TrayIcon(QObject):
    """Owns the ``QSystemTrayIcon``; emits ``status_requested`` on a left click."""

    status_requested = Signal()

    def __init__(
        self,
        actions: AppActions,
        icon: QIcon,
        parent: QObject | None = None,
        *,
        existing: QSystemTrayIcon | None = None,
    ) -> None:
        """``existing``: an icon already shown at start-up, adopted instead of a new one."""
        super().__init__(parent)
        self.menu = build_menu(actions)
        self.menu.setObjectName("tray_menu")
        if existing is not None:
            existing.setParent(self)
            self.tray = existing
        else:
            self.tray = QSystemTrayIcon(icon, self)
        self.tray.setContextMenu(self.menu)
        self.tray.setToolTip("NeckCare")
        self.tray.activated.connect(self._on_activated)

    def show(self) -> None:
        self.tray.show()

    def hide(self) -> None:
        self.tray.hide()

    def is_visible(self) -> bool:
        return self.tray.isVisible()

    def set_icon(self, icon: QIcon) -> None:
        # The status is refreshed on every idle poll: re-setting an unchanged icon would
        # repaint it in the panel (X11 traffic, CPU) for nothing. Equal rendered states
        # share one cached QIcon, hence one cache key.
        if icon.cacheKey() != self.tray.icon().cacheKey():
            self.tray.setIcon(icon)

    def set_heat_first(self, heat_first: bool) -> None:
        """Phase guidance: after the acute phase, heat is suggested first (never forced).

        Heat moves, not ice: the two ice entries (a round, 10 on · 10 off · 10 on) stay
        together either way."""
        actions = self.menu.actions()
        by_name = {a.objectName(): a for a in actions}
        ice = by_name["action_start_ice"]
        heat = by_name["action_start_heat"]
        if (actions.index(heat) < actions.index(ice)) == heat_first:
            return
        self.menu.removeAction(heat)
        if heat_first:
            self.menu.insertAction(ice, heat)
        else:
            last_ice = actions.index(by_name["action_start_ice_intermittent"])
            self.menu.insertAction(actions[last_ice + 1], heat)

    def set_status(self, lines: tuple[str, ...]) -> None:
        text = "NeckCare\n" + "\n".join(lines)
        if text != self.tray.toolTip():
            self.tray.setToolTip(text)

    def notify(self, title: str, text: str, *, warning: bool = False, msecs: int = 10_000) -> bool:
        if not (self.tray.isVisible() and QSystemTrayIcon.supportsMessages()):
            return False
        icon = (
            QSystemTrayIcon.MessageIcon.Warning
            if warning
            else QSystemTrayIcon.MessageIcon.Information
        )
        self.tray.showMessage(title, text, icon, msecs)
        return True

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.status_requested.emit()
