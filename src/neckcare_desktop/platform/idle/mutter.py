"""Idle time on GNOME: Mutter's ``org.gnome.Mutter.IdleMonitor`` (X11 and Wayland, where
nothing else works) plus ``org.gnome.ScreenSaver.GetActive`` for the lock screen.

Asked asynchronously (see :mod:`.backends`): GNOME Shell is another process and may be
busy; the poll never waits for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final

from neckcare_desktop.platform.backends import BackendUnavailable, Outcome, read_now
from neckcare_desktop.platform.dbus import (
    AsyncDBusCall,
    DBusCall,
    DBusError,
    as_async,
    unavailable_from_dbus,
)
from neckcare_desktop.platform.idle.base import IdleReading

logger = logging.getLogger(__name__)

MUTTER_SERVICE: Final = "org.gnome.Mutter.IdleMonitor"
MUTTER_PATH: Final = "/org/gnome/Mutter/IdleMonitor/Core"
GNOME_SCREENSAVER_SERVICE: Final = "org.gnome.ScreenSaver"
GNOME_SCREENSAVER_PATH: Final = "/org/gnome/ScreenSaver"


class MutterIdleBackend:
    """GNOME Shell's idle monitor. ``call`` is a D-Bus caller, blocking or asynchronous
    (default: the session bus, asynchronously)."""

    name = "mutter"

    def __init__(self, call: DBusCall | AsyncDBusCall | None = None) -> None:
        self._bus = as_async(call)

    def read(self) -> IdleReading | None:
        """The reading at once; only for a caller that answers at once (tests, scripts)."""
        return read_now(self.read_async)

    def read_async(self, done: Callable[[Outcome], None]) -> None:
        def idle_time(reply: list[Any]) -> None:
            try:
                seconds = int(reply[0]) / 1000
            except (IndexError, TypeError, ValueError):
                done(BackendUnavailable("GetIdletime returned nothing"))
                return
            self._locked(lambda locked: done(IdleReading(seconds, locked, self.name)))

        def failed(exc: DBusError) -> None:
            done(unavailable_from_dbus(exc, "GetIdletime", self._bus.timeout_ms))

        self._bus.call_async(
            MUTTER_SERVICE,
            MUTTER_PATH,
            "org.gnome.Mutter.IdleMonitor",
            "GetIdletime",
            (),
            idle_time,
            failed,
        )

    def _locked(self, answer: Callable[[bool], None]) -> None:
        """GNOME's lock screen; unknown counts as unlocked (idle time still works)."""

        def failed(exc: DBusError) -> None:
            logger.debug("org.gnome.ScreenSaver.GetActive failed: %s", exc)
            answer(False)

        self._bus.call_async(
            GNOME_SCREENSAVER_SERVICE,
            GNOME_SCREENSAVER_PATH,
            "org.gnome.ScreenSaver",
            "GetActive",
            (),
            lambda reply: answer(bool(reply and reply[0])),
            failed,
        )

    def close(self) -> None:
        self._bus.close()
