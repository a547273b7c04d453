"""Whether a system tray is there now: it can go (a panel restart) and come (a panel that
starts after NeckCare, the usual race at login).

:class:`TrayPresence` holds the answer and emits ``changed(bool)``. The answer is always
Qt's own (``QSystemTrayIcon.isSystemTrayAvailable()``, the thing that decides whether an
icon can dock); the backends only say *when* to ask again:

* ``tray_presence_xcb``: Qt's X11 tray tracker (XEmbed trays: trayer, stalonetray, xfce4
  and MATE panels, KDE's xembedsniproxy);
* ``tray_presence_sni``: the ``org.kde.StatusNotifierWatcher`` name on the session bus.

Both are event-driven: an idle NeckCare wakes up for neither. Only on X11 when Qt's tracker
cannot be reached (a future Qt without the signal) does a 3-second poll run, and only
while no tray is there: that is the case that must end by itself (the person has nothing
else to click), whereas a lost tray still leaves every window and notification working.
On Windows and macOS the tray is part of the system and never goes.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication

logger = logging.getLogger(__name__)

#: Poll period while the tray is missing and no event source exists (see module doc).
POLL_MS: Final = 3_000


class TrayPresence(QObject):
    changed = Signal(bool)

    def __init__(
        self,
        available: bool,
        probe: Callable[[], bool] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``available``: the answer at start (already known); ``probe``: asks Qt again."""
        super().__init__(parent)
        self.available = available
        self._probe = probe or _qt_probe
        self._poll: QTimer | None = None
        #: The objects whose signals drive :meth:`recheck` (kept alive here).
        self.sources: list[QObject] = []

    def recheck(self) -> None:
        """Ask again now; emits ``changed`` if the answer moved."""
        self.set_available(bool(self._probe()))

    def set_available(self, available: bool) -> None:
        if self._poll is not None:
            # Poll only while there is no tray: stop once one is there, start when it goes.
            if available:
                self._poll.stop()
            elif not self._poll.isActive():
                self._poll.start()
        if available == self.available:
            return
        self.available = available
        logger.info("system tray %s", "available" if available else "gone")
        self.changed.emit(available)

    def poll_while_missing(self) -> None:
        """The fallback without events (see module doc)."""
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.recheck)
        if not self.available:
            self._poll.start()

    def polling(self) -> bool:
        return self._poll is not None and self._poll.isActive()


def _qt_probe() -> bool:
    from PySide6.QtWidgets import QSystemTrayIcon

    return QSystemTrayIcon.isSystemTrayAvailable()


def default_tray_presence(available: bool, parent: QObject) -> TrayPresence:
    """Follow this desktop's tray host with whatever event source it has."""
    presence = TrayPresence(available, parent=parent)
    platform = QGuiApplication.platformName()
    if sys.platform in ("win32", "darwin") or platform in ("offscreen", "minimal"):
        return presence  # a tray that cannot go (or, offscreen, never exists)

    from neckcare_desktop.platform import tray_presence_sni, tray_presence_xcb

    # Both sources call recheck() a turn later, once Qt has handled the same event (it
    # re-docks its icons on the X11 signal before we look).
    def later() -> None:
        QTimer.singleShot(0, presence.recheck)

    sni = tray_presence_sni.watch(later, presence)
    x11 = tray_presence_xcb.watch(later)
    presence.sources = [s for s in (sni, x11) if s is not None]
    watching_sni, watching_x11 = sni is not None, x11 is not None
    if platform == "xcb" and not watching_x11:
        logger.info("no X11 tray events: looking for a tray every %d s while none", POLL_MS // 1000)
        presence.poll_while_missing()
    elif not (watching_x11 or watching_sni):
        logger.info("cannot follow the system tray on %s: deciding once, at start", platform)
    # A tray that came or went between the launcher's look and now sent its event before
    # anyone listened: look once more.
    later()
    return presence
