"""Idle time from ``org.freedesktop.ScreenSaver``: KDE Plasma (X11 and Wayland) and some
other desktops. ``GetSessionIdleTime`` for idle time, ``GetActive`` for the lock.

Some implementations serve it at ``/ScreenSaver`` only, so both paths are tried and the
one that answered is remembered. Asked asynchronously (see :mod:`.backends`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Final

from neckcare_desktop.platform.backends import BackendUnavailable, Outcome, read_now
from neckcare_desktop.platform.dbus import (
    AsyncDBusCall,
    DBusCall,
    DBusError,
    OnError,
    OnReply,
    as_async,
    is_not_supported,
    unavailable_from_dbus,
)
from neckcare_desktop.platform.idle.base import IdleReading

logger = logging.getLogger(__name__)

FREEDESKTOP_SCREENSAVER_SERVICE: Final = "org.freedesktop.ScreenSaver"
FREEDESKTOP_SCREENSAVER_PATHS: Final = ("/org/freedesktop/ScreenSaver", "/ScreenSaver")


class FreedesktopIdleBackend:
    """``org.freedesktop.ScreenSaver`` at either of its paths."""

    name = "freedesktop"

    def __init__(
        self,
        call: DBusCall | AsyncDBusCall | None = None,
        paths: Sequence[str] = FREEDESKTOP_SCREENSAVER_PATHS,
    ) -> None:
        self._bus = as_async(call)
        self._paths = tuple(paths)
        self._path: str | None = None

    def _invoke(self, path: str, method: str, on_reply: OnReply, on_error: OnError) -> None:
        self._bus.call_async(
            FREEDESKTOP_SCREENSAVER_SERVICE,
            path,
            "org.freedesktop.ScreenSaver",
            method,
            (),
            on_reply,
            on_error,
        )

    def read(self) -> IdleReading | None:
        """The reading at once; only for a caller that answers at once (tests, scripts)."""
        return read_now(self.read_async)

    def read_async(self, done: Callable[[Outcome], None]) -> None:
        paths = (self._path,) if self._path else self._paths
        self._try(list(paths), None, done)

    def _try(
        self, paths: list[str], failure: BackendUnavailable | None, done: Callable[[Outcome], None]
    ) -> None:
        if not paths:
            self._path = None
            done(failure or BackendUnavailable("no path to ask"))
            return
        path, rest = paths[0], paths[1:]

        def idle_time(reply: list[Any]) -> None:
            try:
                seconds = int(reply[0]) / 1000
            except (IndexError, TypeError, ValueError):
                self._try(rest, BackendUnavailable("GetSessionIdleTime returned nothing"), done)
                return
            self._path = path
            self._locked(path, lambda locked: done(IdleReading(seconds, locked, self.name)))

        def failed(exc: DBusError) -> None:
            why = unavailable_from_dbus(exc, "GetSessionIdleTime", self._bus.timeout_ms)
            if is_not_supported(exc):
                self._try(rest, why, done)  # maybe served at the other path
            else:
                self._path = None
                done(why)

        self._invoke(path, "GetSessionIdleTime", idle_time, failed)

    def _locked(self, path: str, answer: Callable[[bool], None]) -> None:
        def failed(exc: DBusError) -> None:
            logger.debug("org.freedesktop.ScreenSaver.GetActive failed: %s", exc)
            answer(False)

        self._invoke(path, "GetActive", lambda reply: answer(bool(reply and reply[0])), failed)

    def close(self) -> None:
        self._bus.close()
