"""D-Bus method calls for the platform backends, through QtDBus (part of PySide6).

Why two callers: the app calls from the GUI thread, where waiting for another process is
not allowed (a hung GNOME Shell or notification server would freeze the tray for the
whole timeout), so it uses :class:`QtAsyncDBusCaller`: the call is sent, and the reply (or
the timeout's error) arrives later through the event loop. :class:`QtDBusCaller` blocks and
is kept for scripts and tests that read once and want the answer in hand. Backends take
either, or any plain function with the same signature (tests pass a fake bus):
:func:`as_async` gives every caller the asynchronous shape.

No call auto-starts a service: asking whether the screen is locked must not launch a
screen saver or a notification daemon. QtDBus is imported on the first call only, so
building backends at start-up costs nothing.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any, Final, Protocol

from neckcare_desktop.platform.backends import BackendUnavailable

logger = logging.getLogger(__name__)

#: How long one blocking D-Bus call may take. Local calls answer in about a millisecond; a
#: service that takes longer is hung, and a caller that waits must not wait long.
DBUS_TIMEOUT_MS: Final = 250
#: How long an asynchronous call may stay unanswered before it counts as "no reply".
#: Nothing waits for it, so it can be generous: a busy compositor still gets counted.
ASYNC_DBUS_TIMEOUT_MS: Final = 2000

NO_BUS_ERROR: Final = "neckcare.NoSessionBus"
_NOT_THERE = {
    "org.freedesktop.DBus.Error.ServiceUnknown",
    "org.freedesktop.DBus.Error.NameHasNoOwner",
}
_NOT_SUPPORTED = {
    "org.freedesktop.DBus.Error.UnknownMethod",
    "org.freedesktop.DBus.Error.UnknownObject",
    "org.freedesktop.DBus.Error.UnknownInterface",
    "org.freedesktop.DBus.Error.UnknownProperty",
    "org.freedesktop.DBus.Error.InvalidArgs",
    "org.freedesktop.DBus.Error.NotSupported",
}
_NO_REPLY = {
    "org.freedesktop.DBus.Error.NoReply",
    "org.freedesktop.DBus.Error.Timeout",
    "org.freedesktop.DBus.Error.TimedOut",
}


class DBusError(Exception):
    """A D-Bus call failed; ``name`` is the D-Bus error name."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


#: ``call(service, path, interface, method, args) -> reply arguments``; raises DBusError.
DBusCall = Callable[[str, str, str, str, Sequence[Any]], list[Any]]
OnReply = Callable[[list[Any]], None]
OnError = Callable[[DBusError], None]


class AsyncDBusCall(Protocol):
    """Sends a call; exactly one of ``on_reply``/``on_error`` runs, now or later."""

    timeout_ms: int

    def call_async(
        self,
        service: str,
        path: str,
        interface: str,
        method: str,
        args: Sequence[Any],
        on_reply: OnReply,
        on_error: OnError,
    ) -> None: ...

    def close(self) -> None: ...


class _BlockingAsAsync:
    """A blocking caller (or a test's fake bus) in the asynchronous shape: it answers
    before ``call_async`` returns."""

    def __init__(self, call: DBusCall) -> None:
        self._call = call
        self.timeout_ms = int(getattr(call, "timeout_ms", DBUS_TIMEOUT_MS))

    def call_async(
        self,
        service: str,
        path: str,
        interface: str,
        method: str,
        args: Sequence[Any],
        on_reply: OnReply,
        on_error: OnError,
    ) -> None:
        try:
            reply = self._call(service, path, interface, method, args)
        except DBusError as exc:
            on_error(exc)
            return
        on_reply(reply)

    def close(self) -> None:
        close = getattr(self._call, "close", None)
        if callable(close):
            close()


def as_async(call: DBusCall | AsyncDBusCall | None) -> AsyncDBusCall:
    """``call`` as an asynchronous caller; None means the real session bus, asynchronously."""
    if call is None:
        return QtAsyncDBusCaller()
    if callable(getattr(call, "call_async", None)):
        return call  # type: ignore[return-value]
    return _BlockingAsAsync(call)  # type: ignore[arg-type]


class _Connection:
    """The session bus, or a private bus at ``address`` (tests point it at their own)."""

    def __init__(self, address: str | None) -> None:
        self.address = address
        self._connection: Any = None
        self._name = f"neckcare-{id(self):x}"

    def get(self) -> Any:
        from PySide6.QtDBus import QDBusConnection

        if self._connection is None:
            if self.address is None:
                self._connection = QDBusConnection.sessionBus()
            else:
                self._connection = QDBusConnection.connectToBus(self.address, self._name)
        if not self._connection.isConnected():
            error = self._connection.lastError()
            detail = error.message() if error.isValid() else "not connected"
            raise DBusError(NO_BUS_ERROR, f"no D-Bus session bus ({detail})")
        return self._connection

    def close(self) -> None:
        """Drop a private bus connection (the shared session bus stays Qt's)."""
        if self._connection is not None and self.address is not None:
            from PySide6.QtDBus import QDBusConnection

            QDBusConnection.disconnectFromBus(self._name)
        self._connection = None


def _message(service: str, path: str, interface: str, method: str, args: Sequence[Any]) -> Any:
    from PySide6.QtDBus import QDBusMessage

    message = QDBusMessage.createMethodCall(service, path, interface, method)
    message.setAutoStartService(False)
    if args:
        message.setArguments(list(args))
    return message


def _reply_arguments(reply: Any) -> list[Any]:
    return [unwrap_variant(value) for value in reply.arguments()]


class QtDBusCaller:
    """Blocking D-Bus method calls, each bounded by ``timeout_ms``. Not for the GUI thread
    of the running app (see the module docstring)."""

    def __init__(self, timeout_ms: int = DBUS_TIMEOUT_MS, address: str | None = None) -> None:
        self.timeout_ms = timeout_ms
        self.address = address
        self._bus = _Connection(address)

    def __call__(
        self, service: str, path: str, interface: str, method: str, args: Sequence[Any] = ()
    ) -> list[Any]:
        from PySide6.QtDBus import QDBus, QDBusMessage

        connection = self._bus.get()
        message = _message(service, path, interface, method, args)
        reply = connection.call(message, QDBus.CallMode.Block, self.timeout_ms)
        if reply.type() == QDBusMessage.MessageType.ErrorMessage:
            raise DBusError(reply.errorName(), reply.errorMessage())
        return _reply_arguments(reply)

    def close(self) -> None:
        self._bus.close()


class QtAsyncDBusCaller:
    """Asynchronous D-Bus method calls: ``call_async`` sends and returns at once; the reply
    is handed over from the event loop. A service that never answers costs nothing but
    the pending call, which QtDBus ends with a NoReply error after ``timeout_ms``."""

    def __init__(self, timeout_ms: int = ASYNC_DBUS_TIMEOUT_MS, address: str | None = None) -> None:
        self.timeout_ms = timeout_ms
        self.address = address
        self._bus = _Connection(address)
        self._pending: set[Any] = set()  # the watchers must live until they report

    @property
    def pending(self) -> int:
        """Calls sent and not answered yet."""
        return len(self._pending)

    def call_async(
        self,
        service: str,
        path: str,
        interface: str,
        method: str,
        args: Sequence[Any],
        on_reply: OnReply,
        on_error: OnError,
    ) -> None:
        from PySide6.QtDBus import QDBusPendingCallWatcher

        try:
            connection = self._bus.get()
        except DBusError as exc:
            on_error(exc)
            return
        pending = connection.asyncCall(
            _message(service, path, interface, method, args), self.timeout_ms
        )
        # A watcher on a call that has already finished still reports, from the event loop.
        watcher = QDBusPendingCallWatcher(pending)
        self._pending.add(watcher)
        watcher.finished.connect(
            functools.partial(self._finished, watcher, f"{interface}.{method}", on_reply, on_error)
        )

    def _finished(
        self, watcher: Any, what: str, on_reply: OnReply, on_error: OnError, *_: Any
    ) -> None:
        if watcher not in self._pending:
            return  # closed meanwhile
        self._pending.discard(watcher)
        watcher.deleteLater()
        try:
            if watcher.isError():
                error = watcher.error()
                on_error(DBusError(error.name(), error.message()))
            else:
                on_reply(_reply_arguments(watcher.reply()))
        except Exception:  # a slot must not let an exception escape into Qt
            logger.exception("handling the reply to %s failed", what)

    def close(self) -> None:
        """Forget unanswered calls (their callbacks will not run) and drop a private bus."""
        for watcher in self._pending:
            watcher.deleteLater()
        self._pending.clear()
        self._bus.close()


def unwrap_variant(value: Any) -> Any:
    """QtDBus hands ``v``-typed values (e.g. from Properties.Get) over as QDBusVariant."""
    inner = getattr(value, "variant", None)
    return inner() if callable(inner) else value


def unavailable_from_dbus(
    error: DBusError, what: str, timeout_ms: int = DBUS_TIMEOUT_MS
) -> BackendUnavailable:
    """Turn a D-Bus failure into the few words a person reading the log needs."""
    if error.name == NO_BUS_ERROR:
        return BackendUnavailable("no D-Bus session bus")
    if error.name in _NOT_THERE:
        return BackendUnavailable("not on the bus")
    if error.name in _NOT_SUPPORTED:
        return BackendUnavailable(f"{what} not supported ({error.message})")
    if error.name in _NO_REPLY:
        return BackendUnavailable(f"no reply to {what} within {timeout_ms} ms")
    return BackendUnavailable(f"{what} failed ({error.name}: {error.message})")


def is_not_supported(error: DBusError) -> bool:
    """The service is there but lacks this object, interface, method or property."""
    return error.name in _NOT_SUPPORTED


def get_dbus_property(call: DBusCall, service: str, path: str, interface: str, name: str) -> Any:
    """``org.freedesktop.DBus.Properties.Get``, blocking; raises DBusError."""
    reply = call(service, path, "org.freedesktop.DBus.Properties", "Get", (interface, name))
    if not reply:
        raise DBusError("neckcare.EmptyReply", f"no value for {interface}.{name}")
    return unwrap_variant(reply[0])


def get_dbus_property_async(
    bus: AsyncDBusCall,
    service: str,
    path: str,
    interface: str,
    name: str,
    on_value: Callable[[Any], None],
    on_error: OnError,
) -> None:
    """``org.freedesktop.DBus.Properties.Get`` without waiting: ``on_value(value)`` or
    ``on_error(DBusError)`` runs when the answer comes."""

    def replied(reply: list[Any]) -> None:
        if not reply:
            on_error(DBusError("neckcare.EmptyReply", f"no value for {interface}.{name}"))
            return
        on_value(unwrap_variant(reply[0]))

    bus.call_async(
        service,
        path,
        "org.freedesktop.DBus.Properties",
        "Get",
        (interface, name),
        replied,
        on_error,
    )
