"""Desktop notifications: through the tray icon when there is one, else over D-Bus.

Notifications are a courtesy on top of the windows, never the only signal: a missing
notification daemon must cost nothing but the balloon.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from neckcare_desktop import APP_NAME

logger = logging.getLogger(__name__)

TrayNotify = Callable[[str, str, bool], bool]


class Notifier:
    def __init__(self, tray_notify: TrayNotify | None = None) -> None:
        self._tray_notify = tray_notify
        self._dbus_failed = False
        #: The last notification sent, for the status window and for tests.
        self.last: tuple[str, str] | None = None

    def notify(self, title: str, text: str, *, warning: bool = False) -> bool:
        self.last = (title, text)
        if self._tray_notify is not None and self._tray_notify(title, text, warning):
            return True
        return self._notify_dbus(title, text, warning)

    def _notify_dbus(self, title: str, text: str, warning: bool) -> bool:
        if self._dbus_failed:
            return False
        from PySide6.QtDBus import QDBusConnection, QDBusInterface  # only when needed

        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            self._dbus_failed = True
            logger.info("no D-Bus session bus: notifications only appear in NeckCare's windows")
            return False
        iface = QDBusInterface(
            "org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications",
            bus,
        )
        if not iface.isValid():
            self._dbus_failed = True
            logger.info("no notification daemon: notifications only appear in NeckCare's windows")
            return False
        urgency = 2 if warning else 1
        from PySide6.QtCore import QByteArray  # noqa: F401 (keeps the variant types loaded)

        reply = iface.call(
            "Notify", APP_NAME, 0, "neckcare-desktop", title, text, [], {"urgency": urgency}, 10_000
        )
        return reply.errorName() == "" if hasattr(reply, "errorName") else True
