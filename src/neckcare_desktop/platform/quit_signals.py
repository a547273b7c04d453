"""Quit cleanly on SIGTERM/SIGINT (logout, ``kill``, Ctrl+C in a terminal).

Python runs signal handlers only between bytecodes, and a Qt app spends its life inside
``exec()`` in C++, so a plain handler would wait for the next Qt event, possibly minutes away.
``signal.set_wakeup_fd`` makes the interpreter write a byte to a socket when a signal lands;
a ``QSocketNotifier`` on the other end wakes the event loop at once. No polling timer.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

logger = logging.getLogger(__name__)


class QuitOnSignals(QObject):
    def __init__(self, on_quit: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_quit = on_quit
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self._installed: list[signal.Signals] = []
        for name in ("SIGTERM", "SIGINT", "SIGHUP"):
            sig = getattr(signal, name, None)
            if sig is not None:
                signal.signal(sig, self._handle)
                self._installed.append(sig)

    def _handle(self, signum: int, _frame: object) -> None:
        logger.info("received %s: quitting", signal.Signals(signum).name)
        self._on_quit()

    def _drain(self) -> None:
        with contextlib.suppress(BlockingIOError):
            self._reader.recv(64)

    def uninstall(self) -> None:
        for sig in self._installed:
            signal.signal(sig, signal.SIG_DFL)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()
