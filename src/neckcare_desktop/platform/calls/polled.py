"""A backend that reads an in-process flag on a slow timer (Windows' registry, macOS'
CoreAudio): no process is started, each look is a few library calls.

Why a timer there and not events: both systems have change notifications
(``RegNotifyChangeKeyValue``, ``AudioObjectAddPropertyListener``), but they call back on
another thread or need a Win32 event per key; a look every :data:`POLL_S` seconds costs
microseconds and keeps all of it on the GUI thread, testable with fakes. A call is minutes
long, so a few seconds of delay changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final

from neckcare_desktop.platform.backends import BackendUnavailable

logger = logging.getLogger(__name__)

POLL_S: Final = 5.0


class PolledBackend:
    """Calls ``read()`` (True: in use; may raise BackendUnavailable) now and every ``poll_s``."""

    name = "polled"
    device = "microphone"

    def __init__(self, read: Callable[[], bool], *, poll_s: float = POLL_S) -> None:
        self._read = read
        self._poll_s = poll_s
        self._changed: Callable[[], None] | None = None
        self._timer: Any = None  # QTimer
        self._in_use = False
        self._problem: str | None = None
        self._closed = False

    def start(self, changed: Callable[[], None]) -> None:
        self._changed = changed
        if self._timer is not None or self._closed:
            return
        from PySide6.QtCore import QTimer

        self._timer = QTimer()
        self._timer.timeout.connect(self.look)
        self._timer.start(round(self._poll_s * 1000))
        QTimer.singleShot(0, self.look)

    def in_use(self) -> bool:
        return self._in_use

    def problem(self) -> str | None:
        return self._problem

    def look(self) -> None:
        if self._closed:
            return
        problem = None
        try:
            in_use = self._read()
        except BackendUnavailable as exc:
            in_use, problem = False, exc.reason
            if exc.permanent and self._timer is not None:
                self._timer.stop()
        except Exception:  # a broken reading must not break the app: "not in use"
            logger.debug("%s failed", self.name, exc_info=True)
            in_use = False
        if problem != self._problem and problem is not None:
            logger.info("%s watch (%s): %s", self.device, self.name, problem)
        if in_use != self._in_use or problem != self._problem:
            self._in_use, self._problem = in_use, problem
            if self._changed is not None:
                self._changed()

    def close(self) -> None:
        self._closed = True
        self._changed = None
        if self._timer is not None:
            self._timer.stop()
