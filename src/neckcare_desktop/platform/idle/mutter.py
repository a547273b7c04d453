"""Idle time on GNOME: Mutter's ``org.gnome.Mutter.IdleMonitor`` (X11 and Wayland, where
nothing else works) plus ``org.gnome.ScreenSaver.GetActive`` for the lock screen.

Asked asynchronously (see :mod:`.backends`): GNOME Shell is another process and may be
busy; the poll never waits for it. Better still, the backend can *push* away and back
(:meth:`MutterIdleBackend.watch`, :mod:`.mutter_watch`): then nothing is polled while the
person types.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from neckcare_desktop.platform.backends import BackendUnavailable, Outcome, read_now
from neckcare_desktop.platform.dbus import (
    AsyncDBusCall,
    DBusCall,
    DBusError,
    QtAsyncDBusCaller,
    as_async,
    unavailable_from_dbus,
)
from neckcare_desktop.platform.idle.base import IdleReading

if TYPE_CHECKING:
    from neckcare_desktop.platform.idle.mutter_watch import IdleWatchListener, MutterIdleWatch

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
        self._watch: MutterIdleWatch | None = None

    def watch(self, away_after_seconds: float, listener: IdleWatchListener) -> bool:
        """Push away/back to ``listener`` (see :mod:`.mutter_watch`); False when this
        bus cannot (a test's fake caller, no typed D-Bus arguments): then keep polling."""
        if self._watch is None:
            if not isinstance(self._bus, QtAsyncDBusCaller):
                return False
            # Imported here: Qt's D-Bus classes load only where GNOME is asked.
            from neckcare_desktop.platform.idle.mutter_watch import MutterIdleWatch

            self._watch = MutterIdleWatch(self._bus.address)
        return self._watch.start(away_after_seconds, listener)

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
        if self._watch is not None:
            self._watch.close()
            self._watch.deleteLater()
            self._watch = None
        self._bus.close()
