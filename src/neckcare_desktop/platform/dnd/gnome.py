"""GNOME's do-not-disturb switch, which is the setting ``show-banners = false``.

GNOME Shell's notification server has no ``Inhibited`` property, so the switch is read
from GSettings. Why a watched setting rather than asking when a break is due: spawning
``gsettings get`` on every check costs a process start (tens of milliseconds) on the GUI
thread each time. Instead one long-lived ``gsettings monitor`` process prints a line
whenever the value changes, read through ``QProcess`` from the event loop, plus one
asynchronous ``gsettings get`` for the value at start. :meth:`read` answers from what
those said, at once.

Why ``gsettings monitor`` and not dconf's D-Bus signal (``ca.desrt.dconf.Writer.Notify``):
the signal only says which paths changed, not the value, so it would still need a read
(a ``gsettings`` process, or the dconf library we do not link); it fires only for the
dconf backend (not the keyfile or memory backends Flatpak or tests use); and it knows
nothing about schema defaults. ``gsettings`` goes through GSettings itself, so it always
agrees with GNOME Shell, and costs one idle process that wakes only when the setting
changes.

If the monitor ends (killed, a session bus restart), it is started again after a pause
that grows with each quick end (:data:`RESTART_BACKOFF_S`), and the value is read again,
since a change while nobody watched would be missed. Without ``gsettings``, or without
GNOME's schema, the backend says so once (permanently) and do-not-disturb reads "off".
"""

from __future__ import annotations

import logging
import re
import shutil
import time
from collections.abc import Callable, Sequence
from typing import Any, Final

from neckcare_desktop.core.i18n import translate
from neckcare_desktop.platform.backends import BackendUnavailable
from neckcare_desktop.platform.dnd.base import INACTIVE, DndReading

logger = logging.getLogger(__name__)

SCHEMA: Final = "org.gnome.desktop.notifications"
KEY: Final = "show-banners"
#: Seconds before restarting a monitor that ended, one step further for each quick end.
RESTART_BACKOFF_S: Final = (1.0, 2.0, 5.0, 15.0, 60.0, 300.0)
#: A monitor that ran this long before it ended was healthy: the next restart is quick.
STABLE_S: Final = 60.0
#: What ``gsettings`` says when GNOME's schema is not installed (not a GNOME desktop).
_NO_SCHEMA = re.compile(r"No such schema|No such key", re.IGNORECASE)
_MONITOR_LINE = re.compile(rf"^\s*{re.escape(KEY)}:\s*(\S+)\s*$")


def parse_value(text: str) -> bool | None:
    """``true``/``false`` (GVariant text) as a bool; None for anything else."""
    value = text.strip()
    if value == "true":
        return True
    if value == "false":
        return False
    return None


class GnomeShowBannersBackend:
    """Watches ``show-banners`` with ``gsettings monitor``; ``read()`` never waits.

    Nothing starts before the first ``read()``. Until the first value arrives the answer
    is "not active": a reason to wait that is not known yet must not hold a break back.
    """

    name = "gnome-show-banners"

    def __init__(
        self,
        program: str = "gsettings",
        *,
        backoff: Sequence[float] = RESTART_BACKOFF_S,
        stable_s: float = STABLE_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._program = program
        self._backoff = tuple(backoff)
        self._stable_s = stable_s
        self._monotonic = monotonic
        self._path: str | None = None
        self._gone: str | None = None
        self._closed = False
        self._monitor: Any = None  # QProcess
        self._getter: Any = None  # QProcess
        self._restart_timer: Any = None  # QTimer
        self._monitor_started_at = 0.0
        self._quick_ends = 0
        self._buffer = b""
        self._seen_change = False  # the monitor reported a value since the last get
        #: The setting's value once known (True: banners shown; False: do not disturb).
        self.value: bool | None = None
        #: How many times the monitor was (re)started, for tests.
        self.starts = 0

    # -- the backend ---------------------------------------------------------------------

    def watch(self) -> None:
        """Start watching now (the app does at start, so the value is known long before
        the first break); the first ``read()`` does it otherwise. Never raises."""
        if self._path is None and self._gone is None:
            self._path = shutil.which(self._program)
            if self._path is None:
                self._give_up(f"{self._program} not installed")
            else:
                self._start()

    def read(self) -> DndReading:
        self.watch()
        if self._gone is not None:
            raise BackendUnavailable(self._gone, permanent=True)
        if self.value is False:
            return DndReading(True, translate("DoNotDisturb", "notifications off (do not disturb)"))
        return INACTIVE

    @property
    def watching(self) -> bool:
        """The monitor process is running."""
        from PySide6.QtCore import QProcess

        return (
            self._monitor is not None and self._monitor.state() != QProcess.ProcessState.NotRunning
        )

    def close(self) -> None:
        self._closed = True
        if self._restart_timer is not None:
            self._restart_timer.stop()
        for attr in ("_monitor", "_getter"):
            process = getattr(self, attr)
            setattr(self, attr, None)
            if process is not None:
                _end(process)

    # -- the processes -------------------------------------------------------------------

    def _start(self) -> None:
        from PySide6.QtCore import QProcess

        if self._closed or self._gone is not None or self._path is None:
            return
        monitor = QProcess()
        monitor.setProgram(self._path)
        monitor.setArguments(["monitor", SCHEMA, KEY])
        monitor.setStandardInputFile(QProcess.nullDevice())
        monitor.readyReadStandardOutput.connect(self._on_monitor_output)
        monitor.finished.connect(self._on_monitor_finished)
        monitor.errorOccurred.connect(self._on_monitor_error)
        self._monitor = monitor
        self._buffer = b""
        self._seen_change = False
        self._monitor_started_at = self._monotonic()
        self.starts += 1
        monitor.start()
        # Started after the monitor, so a change between the two is seen by the monitor
        # (and a stale answer from get is then ignored, see _on_get_finished).
        self._get()

    def _get(self) -> None:
        from PySide6.QtCore import QProcess

        if self._getter is not None:
            return  # one is on its way
        getter = QProcess()
        getter.setProgram(self._path or self._program)
        getter.setArguments(["get", SCHEMA, KEY])
        getter.setStandardInputFile(QProcess.nullDevice())
        getter.finished.connect(self._on_get_finished)
        getter.errorOccurred.connect(self._on_get_error)
        self._getter = getter
        getter.start()

    def _on_get_finished(self, exit_code: int, _status: Any) -> None:
        getter, self._getter = self._getter, None
        if getter is None or self._closed:
            return
        out = bytes(getter.readAllStandardOutput().data()).decode(errors="replace")
        err = bytes(getter.readAllStandardError().data()).decode(errors="replace").strip()
        getter.deleteLater()
        if exit_code != 0:
            if _NO_SCHEMA.search(err):
                self._give_up(err.splitlines()[-1])
            else:
                logger.info("gsettings get %s %s failed (exit %d): %s", SCHEMA, KEY, exit_code, err)
            return
        value = parse_value(out)
        if value is None:
            logger.info("unexpected %s value %r", KEY, out.strip())
            return
        if not self._seen_change:  # a change the monitor reported is newer than this answer
            self._set(value)

    def _on_get_error(self, error: Any) -> None:
        from PySide6.QtCore import QProcess

        if error == QProcess.ProcessError.FailedToStart and self._getter is not None:
            getter, self._getter = self._getter, None
            getter.deleteLater()
            logger.info("could not run %s get", self._program)

    def _on_monitor_output(self) -> None:
        monitor = self._monitor
        if monitor is None:
            return
        self._buffer += bytes(monitor.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for raw in lines:
            match = _MONITOR_LINE.match(raw.decode(errors="replace"))
            value = parse_value(match[1]) if match else None
            if value is None:
                logger.debug("ignoring gsettings monitor line %r", raw)
                continue
            self._seen_change = True
            self._set(value)

    def _set(self, value: bool) -> None:
        if value != self.value:
            logger.info(
                "GNOME do-not-disturb is %s", "off (banners shown)" if value else "on (no banners)"
            )
        self.value = value

    def _on_monitor_error(self, error: Any) -> None:
        from PySide6.QtCore import QProcess

        if error == QProcess.ProcessError.FailedToStart:
            # No "finished" follows a process that never started.
            self._monitor_ended(f"{self._program} monitor could not start")

    def _on_monitor_finished(self, exit_code: int, _status: Any) -> None:
        monitor = self._monitor
        if monitor is None:
            return
        err = bytes(monitor.readAllStandardError().data()).decode(errors="replace").strip()
        if _NO_SCHEMA.search(err):
            self._give_up(err.splitlines()[-1])
            return
        self._monitor_ended(f"exit {exit_code}" + (f": {err.splitlines()[-1]}" if err else ""))

    def _monitor_ended(self, why: str) -> None:
        monitor, self._monitor = self._monitor, None
        if monitor is not None:
            monitor.deleteLater()
        if self._closed or self._gone is not None:
            return
        if self._monotonic() - self._monitor_started_at >= self._stable_s:
            self._quick_ends = 0
        delay = self._backoff[min(self._quick_ends, len(self._backoff) - 1)]
        self._quick_ends += 1
        logger.info("gsettings monitor ended (%s); watching again in %g s", why, delay)
        from PySide6.QtCore import QTimer

        if self._restart_timer is None:
            self._restart_timer = QTimer()
            self._restart_timer.setSingleShot(True)
            self._restart_timer.timeout.connect(self._start)
        self._restart_timer.start(round(delay * 1000))

    def _give_up(self, reason: str) -> None:
        """Not a GNOME with this setting: stop watching for good (said once by the monitor)."""
        self._gone = reason
        self.value = None
        if self._restart_timer is not None:
            self._restart_timer.stop()
        monitor, self._monitor = self._monitor, None
        if monitor is not None:
            _end(monitor)


def _end(process: Any) -> None:
    """Stop a child process and wait for it briefly, so no zombie or Qt warning is left."""
    from PySide6.QtCore import QProcess

    # The owner has already let go of ``process``, so its handlers ignore what it reports.
    if process.state() != QProcess.ProcessState.NotRunning:
        process.kill()
        process.waitForFinished(1000)
    process.deleteLater()
