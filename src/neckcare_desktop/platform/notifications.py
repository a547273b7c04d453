"""The desktop's notification server (``org.freedesktop.Notifications``), never waited on.

Why a server and not the tray balloon: a notification sent here goes where the person's
other notifications go: their do-not-disturb, their history, their styling, their screen
reader. Qt's ``QSystemTrayIcon.showMessage()`` on an XEmbed tray draws a balloon of its own
instead, so dunst received none in a whole session (issue 12, point 5).

Everything is asynchronous: a server that hangs must not freeze the GUI thread (QtDBus's
blocking calls wait up to 25 s). ``GetCapabilities`` is asked once per server (again only
when another process takes the name) and cached. A ``QDBusServiceWatcher`` follows the
name, so a daemon started after NeckCare is used from then on, and one that quit is not
waited for. Whether a server "exists" is decided by the bus: a call that comes back with
"no such name" means none; a name that is only *activatable* (dunst's D-Bus service file)
counts as a server, since the bus starts it on the first call.

The message is built by hand with the exact signature of the specification,
``(susssasa{sv}i)``: see :mod:`neckcare_desktop.platform.dbus_args` for why PySide6 needs help
with ``u`` and ``y``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from PySide6.QtCore import SLOT, QObject, Signal, Slot
from PySide6.QtDBus import (
    QDBusConnection,
    QDBusMessage,
    QDBusPendingCallWatcher,
    QDBusServiceWatcher,
)

from neckcare_desktop.platform import dbus_args

logger = logging.getLogger(__name__)

SERVICE: Final = "org.freedesktop.Notifications"
PATH: Final = "/org/freedesktop/Notifications"
INTERFACE: Final = "org.freedesktop.Notifications"
#: The signature the specification gives ``Notify``; tests check every message against it.
NOTIFY_SIGNATURE: Final = "susssasa{sv}i"
#: A server slower than this is treated as not answering (the notification may still show).
CALL_TIMEOUT_MS: Final = 5_000

#: Errors that mean "there is no notification server": fall back to something else.
NO_SERVER_ERRORS: Final = frozenset(
    {
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "org.freedesktop.DBus.Error.NameHasNoOwner",
        "org.freedesktop.DBus.Error.Disconnected",
        "org.freedesktop.DBus.Error.NoServer",
        "org.freedesktop.DBus.Error.UnknownObject",
        "org.freedesktop.DBus.Error.UnknownMethod",
    }
)
_SPAWN_ERRORS: Final = "org.freedesktop.DBus.Error.Spawn."  # activation failed


def means_no_server(error_name: str) -> bool:
    return error_name in NO_SERVER_ERRORS or error_name.startswith(_SPAWN_ERRORS)


class Urgency(IntEnum):
    """The specification's ``urgency`` hint (a byte)."""

    LOW = 0
    NORMAL = 1
    CRITICAL = 2


@dataclass(frozen=True)
class Notification:
    summary: str
    body: str
    urgency: Urgency = Urgency.NORMAL
    #: ``(key, label)`` pairs; the server shows the labels and reports the key clicked.
    actions: tuple[tuple[str, str], ...] = ()
    replaces_id: int = 0
    #: Milliseconds; -1 lets the server (and the person's settings) decide.
    expire_timeout_ms: int = -1


@dataclass(frozen=True)
class Sender:
    """Who is notifying: the specification's ``app_name``, ``app_icon`` and the
    ``desktop-entry`` hint (which lets GNOME and KDE file the notification under the app)."""

    app_name: str
    app_icon: str
    desktop_entry: str


def build_notify_message(notification: Notification, sender: Sender) -> QDBusMessage:
    """A ``Notify`` call whose arguments have exactly the types of ``NOTIFY_SIGNATURE``."""
    actions: list[str] = []
    for key, label in notification.actions:
        actions += [key, label]
    hints = dbus_args.variant_map(
        {
            "urgency": dbus_args.byte(int(notification.urgency)),
            "desktop-entry": sender.desktop_entry,
        }
    )
    message = QDBusMessage.createMethodCall(SERVICE, PATH, INTERFACE, "Notify")
    message.setArguments(
        [
            str(sender.app_name),  # s
            dbus_args.uint32(notification.replaces_id),  # u
            str(sender.app_icon),  # s
            str(notification.summary),  # s
            str(notification.body),  # s
            dbus_args.string_array(actions),  # as
            hints,  # a{sv}
            int(notification.expire_timeout_ms),  # i
        ]
    )
    return message


#: ``on_result(notification_id, None)`` on success, ``(None, error_name)`` on failure.
ResultCallback = Callable[[int | None, str | None], None]


class NotificationServer(QObject):
    """A client of ``org.freedesktop.Notifications`` on one bus connection.

    ``present`` is None until the bus has answered, then True or False; it follows the
    name's owner from then on. ``action_invoked(id, key)`` and ``closed(id, reason)`` relay
    the server's signals (for any id: the caller knows which ones are its own).
    """

    action_invoked = Signal(int, str)
    closed = Signal(int, int)
    presence_changed = Signal(bool)
    capabilities_changed = Signal()

    def __init__(
        self,
        sender: Sender,
        bus: QDBusConnection | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.sender_info = sender
        self._bus = bus if bus is not None else QDBusConnection.sessionBus()
        self.present: bool | None = None
        self.capabilities: frozenset[str] | None = None
        self._pending: set[QDBusPendingCallWatcher] = set()
        self._asking_capabilities = False
        self._watcher: QDBusServiceWatcher | None = None
        self.usable = self._bus.isConnected() and dbus_args.typed_arguments_available()
        if not self._bus.isConnected():
            logger.info("no D-Bus session bus: notifications go to the tray, if there is one")
            return
        if not self.usable:
            return
        self._watcher = QDBusServiceWatcher(
            SERVICE, self._bus, QDBusServiceWatcher.WatchModeFlag.WatchForOwnerChange, self
        )
        self._watcher.serviceOwnerChanged.connect(self._on_owner_changed)
        for name, slot in (
            ("ActionInvoked", "_on_action_invoked(QDBusMessage)"),
            ("NotificationClosed", "_on_notification_closed(QDBusMessage)"),
        ):
            # PySide6's stubs want the slot signature as bytes; it takes SLOT()'s str at run time.
            if not self._bus.connect(SERVICE, PATH, INTERFACE, name, self, SLOT(slot)):  # type: ignore[call-overload]
                logger.info("cannot follow the notification server's %s signal", name)
        self._ask_capabilities()

    # -- what the server can do --------------------------------------------------------

    def supports(self, capability: str) -> bool:
        return self.capabilities is not None and capability in self.capabilities

    def _ask_capabilities(self) -> None:
        """Ask once; the answer also tells whether a server is there at all."""
        if self._asking_capabilities:
            return
        self._asking_capabilities = True
        message = QDBusMessage.createMethodCall(SERVICE, PATH, INTERFACE, "GetCapabilities")
        self._call(message, self._on_capabilities)

    def _on_capabilities(self, reply: QDBusMessage) -> None:
        self._asking_capabilities = False
        if reply.type() == QDBusMessage.MessageType.ErrorMessage:
            if means_no_server(reply.errorName()):
                self._set_present(False)
            else:
                logger.info("notification server capabilities unknown: %s", reply.errorMessage())
            return
        args = reply.arguments()
        caps = args[0] if args and isinstance(args[0], list) else []
        self.capabilities = frozenset(str(c) for c in caps)
        logger.debug("notification server capabilities: %s", sorted(self.capabilities))
        self._set_present(True)
        self.capabilities_changed.emit()

    def _set_present(self, present: bool) -> None:
        if present != self.present:
            self.present = present
            logger.info("notification server %s", "found" if present else "not found")
            self.presence_changed.emit(present)

    def _on_owner_changed(self, _name: str, _old: str, new: str) -> None:
        # Another process (or none) now owns the name: what we knew was about the old one.
        self.capabilities = None
        self.capabilities_changed.emit()
        if new:
            self._set_present(True)
            self._ask_capabilities()
        else:
            self._set_present(False)

    # -- sending -----------------------------------------------------------------------

    def send(self, notification: Notification, on_result: ResultCallback) -> bool:
        """Send without waiting; False when it cannot even be tried (no bus, no types)."""
        if not self.usable:
            return False
        message = build_notify_message(notification, self.sender_info)

        def done(reply: QDBusMessage) -> None:
            if reply.type() == QDBusMessage.MessageType.ErrorMessage:
                error = reply.errorName() or "org.freedesktop.DBus.Error.Failed"
                if means_no_server(error):
                    self._set_present(False)
                on_result(None, f"{error}: {reply.errorMessage()}")
                return
            args = reply.arguments()
            self._set_present(True)
            if self.capabilities is None:
                self._ask_capabilities()
            on_result(int(args[0]) if args else 0, None)

        self._call(message, done)
        return True

    def close_notification(self, notification_id: int) -> None:
        """Take one of ours off the screen (fire and forget)."""
        if not self.usable or notification_id <= 0:
            return
        message = QDBusMessage.createMethodCall(SERVICE, PATH, INTERFACE, "CloseNotification")
        message.setArguments([dbus_args.uint32(notification_id)])
        self._call(message, lambda _reply: None)

    def _call(self, message: QDBusMessage, handle: Callable[[QDBusMessage], None]) -> None:
        watcher = QDBusPendingCallWatcher(self._bus.asyncCall(message, CALL_TIMEOUT_MS), self)
        self._pending.add(watcher)

        def finished(w: QDBusPendingCallWatcher) -> None:
            self._pending.discard(w)
            try:
                handle(w.reply())
            finally:
                w.deleteLater()

        watcher.finished.connect(finished)

    # -- the server's signals ----------------------------------------------------------

    @Slot(QDBusMessage)
    def _on_action_invoked(self, message: QDBusMessage) -> None:
        args = message.arguments()
        if len(args) >= 2:
            self.action_invoked.emit(int(args[0]), str(args[1]))

    @Slot(QDBusMessage)
    def _on_notification_closed(self, message: QDBusMessage) -> None:
        args = message.arguments()
        if len(args) >= 2:
            self.closed.emit(int(args[0]), int(args[1]))

    def pending_calls(self) -> int:
        """Calls sent and not answered yet (for tests and the benchmark)."""
        return len(self._pending)


def parse_actions(flat: Sequence[str]) -> list[tuple[str, str]]:
    """``["key", "label", ...]`` as sent on the wire -> pairs."""
    return [(flat[i], flat[i + 1]) for i in range(0, len(flat) - 1, 2)]
