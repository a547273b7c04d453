"""The notification server's own do-not-disturb: ``Inhibited`` (KDE Plasma and others),
else dunst's ``paused`` (the usual server on i3/sway-style desktops). Asked over D-Bus
asynchronously (see :mod:`neckcare_desktop.platform.backends`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from neckcare_desktop.core.i18n import translate
from neckcare_desktop.platform.backends import Outcome, read_now
from neckcare_desktop.platform.dbus import (
    AsyncDBusCall,
    DBusCall,
    DBusError,
    as_async,
    get_dbus_property_async,
    is_not_supported,
    unavailable_from_dbus,
)
from neckcare_desktop.platform.dnd.base import INACTIVE, DndReading

NOTIFICATIONS_SERVICE: Final = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH: Final = "/org/freedesktop/Notifications"
DUNST_INTERFACE: Final = "org.dunstproject.cmd0"


class NotificationServerBackend:
    """The notification server's own do-not-disturb: ``Inhibited``, else dunst's ``paused``.

    ``call`` is a D-Bus caller, blocking or asynchronous (default: the session bus,
    asynchronously).
    """

    name = "notifications"

    def __init__(self, call: DBusCall | AsyncDBusCall | None = None) -> None:
        self._bus = as_async(call)

    def read(self) -> DndReading:
        """The reading at once; only for a caller that answers at once (tests, scripts)."""
        return read_now(self.read_async)

    def read_async(self, done: Callable[[Outcome], None]) -> None:
        def inhibited(value: Any) -> None:
            done(
                DndReading(True, translate("DoNotDisturb", "notifications inhibited"))
                if value
                else INACTIVE
            )

        def no_inhibited(exc: DBusError) -> None:
            first = unavailable_from_dbus(exc, "Inhibited", self._bus.timeout_ms)
            if not is_not_supported(exc):
                done(first)
                return
            # The server is there but has no Inhibited: dunst keeps its own switch.
            get_dbus_property_async(
                self._bus,
                NOTIFICATIONS_SERVICE,
                NOTIFICATIONS_PATH,
                DUNST_INTERFACE,
                "paused",
                paused,
                lambda _exc: done(first),
            )

        def paused(value: Any) -> None:
            done(
                DndReading(True, translate("DoNotDisturb", "notifications paused (dunst)"))
                if value
                else INACTIVE
            )

        get_dbus_property_async(
            self._bus,
            NOTIFICATIONS_SERVICE,
            NOTIFICATIONS_PATH,
            NOTIFICATIONS_SERVICE,
            "Inhibited",
            inhibited,
            no_inhibited,
        )

    def close(self) -> None:
        self._bus.close()
