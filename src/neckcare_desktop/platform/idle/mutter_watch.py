"""Away and back pushed by GNOME Shell: Mutter's idle watches instead of a poll.

``org.gnome.Mutter.IdleMonitor`` can tell when the person has been idle for a given time
(``AddIdleWatch(interval_ms)``) and when they next touch keyboard or mouse
(``AddUserActiveWatch()``, which fires once); both report through the ``WatchFired(id)``
signal. So nothing needs to ask GNOME Shell every few seconds while the person types, and
a return is noticed the moment it happens, not at the next poll. Safe Eyes' smartpause
plugin works the same way (idle watch fired → user-active watch added → resumed).

Everything goes through QtDBus asynchronously: the watches are added with ``asyncCall``
and their ids arrive from the event loop, so a busy GNOME Shell never holds up the GUI
thread. GNOME Shell may restart (or crash and come back): its watches die with it, so the
owner of the name is followed and the watches are added again by the new owner; while
nobody owns it the listener hears :meth:`IdleWatchListener.idle_watch_lost` and goes back
to polling. Watches are removed on :meth:`MutterIdleWatch.close`.

A return while the lock screen shows is not "back" (someone moved the mouse at the lock
screen, or the person is typing their password): the lock is asked
(``org.gnome.ScreenSaver.GetActive``) and the user-active watch armed again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final, Protocol

from PySide6.QtCore import SLOT, QObject, Slot
from PySide6.QtDBus import (
    QDBusConnection,
    QDBusMessage,
    QDBusPendingCallWatcher,
    QDBusServiceWatcher,
)

from neckcare_desktop.platform import dbus_args
from neckcare_desktop.platform.dbus import ASYNC_DBUS_TIMEOUT_MS

logger = logging.getLogger(__name__)

SERVICE: Final = "org.gnome.Mutter.IdleMonitor"
PATH: Final = "/org/gnome/Mutter/IdleMonitor/Core"
INTERFACE: Final = "org.gnome.Mutter.IdleMonitor"
SCREENSAVER_SERVICE: Final = "org.gnome.ScreenSaver"
SCREENSAVER_PATH: Final = "/org/gnome/ScreenSaver"


class IdleWatchListener(Protocol):
    """Who hears the pushes (the app's presence watcher). Called from the event loop."""

    def idle_watch_started(self) -> None:
        """The watches are in place: idle time need not be polled while the person types."""

    def idle_away(self, idle_seconds: float) -> None:
        """No input for ``idle_seconds`` (the threshold the watch was set to)."""

    def idle_back(self) -> None:
        """Input again after :meth:`idle_away` (and the screen is not locked)."""

    def idle_watch_lost(self, reason: str) -> None:
        """No more pushes (the watch could not be added, or GNOME Shell left the bus)."""


class MutterIdleWatch(QObject):
    """The two watches of one listener on one bus (the session bus, or ``address``)."""

    def __init__(self, address: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._address = address
        self._name = f"neckcare-idle-watch-{id(self):x}"
        self._bus: QDBusConnection | None = None
        self._service_watcher: QDBusServiceWatcher | None = None
        self._listener: IdleWatchListener | None = None
        self.threshold_ms = 0
        self.idle_id: int | None = None
        self.active_id: int | None = None
        #: The idle watch fired and no return has been seen since.
        self.away = False
        self._generation = 0  # bumped when the owner changes: late replies are for old watches
        self._pending: set[QDBusPendingCallWatcher] = set()

    @property
    def watching(self) -> bool:
        """The idle watch is in place (its id has come back)."""
        return self.idle_id is not None

    # -- starting and re-arming ---------------------------------------------------------

    def start(self, away_after_seconds: float, listener: IdleWatchListener) -> bool:
        """Watch for ``away_after_seconds`` without input; False when it cannot even be
        asked (no bus, no typed arguments). Called again with another length, the idle
        watch is replaced; with the same one, nothing happens."""
        threshold_ms = max(1, round(away_after_seconds * 1000))
        self._listener = listener
        if self._bus is None and not self._connect():
            return False
        if threshold_ms == self.threshold_ms and (self.idle_id is not None or self._pending):
            return True
        self.threshold_ms = threshold_ms
        if self.idle_id is not None:
            self._remove(self.idle_id)
            self.idle_id = None
        self._add_idle_watch()
        return True

    def _connect(self) -> bool:
        if not dbus_args.typed_arguments_available():
            return False
        if self._address is None:
            bus = QDBusConnection.sessionBus()
        else:
            bus = QDBusConnection.connectToBus(self._address, self._name)
        if not bus.isConnected():
            return False
        self._bus = bus
        # PySide6's stubs want the slot signature as bytes; it takes SLOT()'s str at run time.
        if not bus.connect(  # type: ignore[call-overload]
            SERVICE, PATH, INTERFACE, "WatchFired", self, SLOT("_on_watch_fired(QDBusMessage)")
        ):
            logger.info("cannot follow Mutter's WatchFired signal")
            self._bus = None
            return False
        self._service_watcher = QDBusServiceWatcher(
            SERVICE, bus, QDBusServiceWatcher.WatchModeFlag.WatchForOwnerChange, self
        )
        self._service_watcher.serviceOwnerChanged.connect(self._on_owner_changed)
        return True

    def _add_idle_watch(self) -> None:
        def added(args: list[Any]) -> None:
            self.idle_id = int(args[0])
            logger.info(
                "away after %.0f s without input: pushed by Mutter", self.threshold_ms / 1000
            )
            if self._listener is not None:
                self._listener.idle_watch_started()
            if self.away:
                self._add_user_active_watch()  # re-added after a restart while away

        self._call("AddIdleWatch", [dbus_args.uint64(self.threshold_ms)], added, self._lost)

    def _add_user_active_watch(self) -> None:
        if self.active_id is not None:
            return

        def added(args: list[Any]) -> None:
            self.active_id = int(args[0])

        self._call("AddUserActiveWatch", [], added, self._lost)

    def _remove(self, watch_id: int) -> None:
        if self._bus is None:
            return
        message = QDBusMessage.createMethodCall(SERVICE, PATH, INTERFACE, "RemoveWatch")
        message.setArguments([dbus_args.uint32(watch_id)])
        message.setAutoStartService(False)
        self._bus.send(message)  # nothing to wait for: a watch already gone is no harm

    # -- what Mutter says ---------------------------------------------------------------

    @Slot(QDBusMessage)
    def _on_watch_fired(self, message: QDBusMessage) -> None:
        args = message.arguments()
        if not args or self._listener is None:
            return
        watch_id = int(args[0])
        if watch_id == self.idle_id:
            self._add_user_active_watch()
            if not self.away:
                self.away = True
                self._listener.idle_away(self.threshold_ms / 1000)
        elif watch_id == self.active_id:
            self.active_id = None  # a user-active watch fires once and is gone
            if self.away:
                self._unless_locked(self._back)

    def _back(self) -> None:
        self.away = False
        if self._listener is not None:
            self._listener.idle_back()

    def _unless_locked(self, back: Callable[[], None]) -> None:
        """``back()`` unless GNOME's lock screen shows; then wait for the next input."""

        def answered(args: list[Any]) -> None:
            if args and bool(args[0]):
                logger.debug("input at the lock screen: still away")
                self._add_user_active_watch()
            else:
                back()

        def failed(_error: str) -> None:
            back()  # no lock service: input means back

        self._call("GetActive", [], answered, failed, screensaver=True)

    def _on_owner_changed(self, name: str, old_owner: str, new_owner: str) -> None:
        # Watches belong to the process that served them: all gone now.
        self._generation += 1
        self.idle_id = self.active_id = None
        if not new_owner:
            self.away = False
            self._lost("GNOME Shell's idle monitor left the bus")
            return
        logger.info("Mutter's idle monitor restarted; adding the watches again")
        if self.threshold_ms and self._listener is not None:
            self._add_idle_watch()

    def _lost(self, reason: str) -> None:
        logger.info("idle not pushed by Mutter (%s); polling instead", reason)
        if self._listener is not None:
            self._listener.idle_watch_lost(reason)

    # -- plumbing -----------------------------------------------------------------------

    def _call(
        self,
        method: str,
        args: list[Any],
        on_reply: Callable[[list[Any]], None],
        on_error: Callable[[str], None],
        *,
        screensaver: bool = False,
    ) -> None:
        if self._bus is None:
            on_error("no session bus")
            return
        if screensaver:
            message = QDBusMessage.createMethodCall(
                SCREENSAVER_SERVICE, SCREENSAVER_PATH, "org.gnome.ScreenSaver", method
            )
        else:
            message = QDBusMessage.createMethodCall(SERVICE, PATH, INTERFACE, method)
        message.setAutoStartService(False)
        if args:
            message.setArguments(args)
        watcher = QDBusPendingCallWatcher(self._bus.asyncCall(message, ASYNC_DBUS_TIMEOUT_MS))
        self._pending.add(watcher)
        generation = self._generation

        def finished(*_: Any) -> None:
            if watcher not in self._pending:
                return  # closed meanwhile
            self._pending.discard(watcher)
            watcher.deleteLater()
            if generation != self._generation:
                return  # for a GNOME Shell that has gone since
            try:
                if watcher.isError():
                    error = watcher.error()
                    on_error(f"{method}: {error.name()}: {error.message()}")
                else:
                    on_reply(watcher.reply().arguments())
            except Exception:  # a slot must not let an exception escape into Qt
                logger.exception("handling the reply to %s failed", method)

        watcher.finished.connect(finished)

    def close(self) -> None:
        """Remove the watches and stop listening (nothing more reaches the listener)."""
        for watch_id in (self.idle_id, self.active_id):
            if watch_id is not None:
                self._remove(watch_id)
        self.idle_id = self.active_id = None
        self._listener = None
        self.threshold_ms = 0
        self.away = False
        for watcher in self._pending:
            watcher.deleteLater()
        self._pending.clear()
        if self._bus is not None:
            self._bus.disconnect(  # type: ignore[call-overload]
                SERVICE, PATH, INTERFACE, "WatchFired", self, SLOT("_on_watch_fired(QDBusMessage)")
            )
            if self._address is not None:
                QDBusConnection.disconnectFromBus(self._name)
            self._bus = None
        if self._service_watcher is not None:
            self._service_watcher.deleteLater()
            self._service_watcher = None
