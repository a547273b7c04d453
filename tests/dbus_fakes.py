"""A private D-Bus session bus and fake services on it, for the asynchronous D-Bus tests.

``private_bus()`` starts a ``dbus-daemon`` of its own (nothing of the real session is
touched); :class:`FakeService` owns a well-known name on it and serves one object path
with a QtDBus virtual object, in this process: it answers each call with the arguments
``answer(member, args)`` returns or, when that returns :data:`NEVER`, receives the call
and never replies, like a hung GNOME Shell; an :class:`ErrorReply` is sent back as a D-Bus
error. :meth:`FakeService.emit` sends a signal from the service (Mutter's ``WatchFired``),
and :meth:`FakeService.close` drops it from the bus, as a crashed GNOME Shell would.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusVirtualObject

#: ``answer`` returns this to leave a call unanswered.
NEVER = object()


class ErrorReply:
    """``answer`` returns one to reply with the D-Bus error ``name``."""

    def __init__(self, name: str, message: str = "refused by the fake") -> None:
        self.name = name
        self.message = message


@contextlib.contextmanager
def private_bus() -> Iterator[str]:
    """The address of a fresh session bus, stopped afterwards."""
    if shutil.which("dbus-daemon") is None:
        if os.environ.get("CI") == "true":  # never a silent skip on CI
            pytest.fail("dbus-daemon is required on CI (package dbus)")
        pytest.skip("dbus-daemon missing: apt-get install dbus")
    proc = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        address = proc.stdout.readline().strip()
        if not address:
            pytest.fail("dbus-daemon printed no address")
        yield address
    finally:
        proc.kill()
        proc.wait(5)


class _Object(QDBusVirtualObject):
    def __init__(self, service: FakeService) -> None:
        super().__init__()
        self._service = service

    def handleMessage(self, message: QDBusMessage, connection: QDBusConnection) -> bool:
        self._service.calls.append((message.interface(), message.member(), message.arguments()))
        self._service.signatures.append((message.member(), message.signature()))
        reply = self._service.answer(message.member(), message.arguments())
        if isinstance(reply, ErrorReply):
            connection.send(message.createErrorReply(reply.name, reply.message))
        elif reply is not NEVER:
            answer = message.createReply()
            answer.setArguments(list(reply))  # createReply(list) would send one list
            connection.send(answer)
        return True  # handled: QtDBus sends nothing on its own

    def introspect(self, path: str) -> str:
        return ""


class FakeService:
    """``name`` at ``path`` on the bus at ``address``; call ``close()`` when done."""

    _count = 0

    def __init__(
        self,
        address: str,
        name: str,
        path: str,
        answer: Callable[[str, list[Any]], Any] = lambda member, args: NEVER,
    ) -> None:
        FakeService._count += 1
        self._connection_name = f"fake-service-{FakeService._count}"
        self.connection = QDBusConnection.connectToBus(address, self._connection_name)
        assert self.connection.isConnected(), self.connection.lastError().message()
        self.answer = answer
        self.calls: list[tuple[str, str, list[Any]]] = []
        #: (member, D-Bus signature of the call's arguments), to check typed arguments.
        self.signatures: list[tuple[str, str]] = []
        self.path = path
        self._name = name
        self._object = _Object(self)
        assert self.connection.registerVirtualObject(path, self._object)
        assert self.connection.registerService(name)

    def members(self) -> list[str]:
        """The methods called so far, in order."""
        return [member for _, member, _ in self.calls]

    def emit(self, interface: str, name: str, args: list[Any]) -> None:
        """Send the signal ``interface.name(args)`` from this service's object."""
        signal = QDBusMessage.createSignal(self.path, interface, name)
        signal.setArguments(list(args))
        assert self.connection.send(signal)

    def close(self) -> None:
        # The name goes at once; the connection itself only once no QDBusConnection
        # object refers to it any more.
        self.connection.unregisterService(self._name)
        self.connection.unregisterObject(self.path)
        QDBusConnection.disconnectFromBus(self._connection_name)
