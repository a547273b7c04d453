"""The command socket on Windows: ``QLocalServer`` and ``QLocalSocket`` (named pipes).

Python's standard library has no named-pipe server that fits an event loop, so Windows pays
for QtNetwork; POSIX uses :mod:`~neckcare_desktop.platform.local_socket_unix`. This backend
also runs on Linux, where the tests exercise it with the same suite as the POSIX one.

The objects here adapt Qt's classes to the small interface the serving code in
:mod:`~neckcare_desktop.platform.single_instance` uses, so that code is the same for both.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

from neckcare_desktop.core.ipc_protocol import MAX_MESSAGE_BYTES
from neckcare_desktop.platform.local_socket import BACKLOG, ListenError, Unclear

_NOBODY_THERE = (
    QLocalSocket.LocalSocketError.ServerNotFoundError,
    QLocalSocket.LocalSocketError.ConnectionRefusedError,
)
_CONNECTED = QLocalSocket.LocalSocketState.ConnectedState


# -- the app's side ----------------------------------------------------------------------------


class QtStream:
    """One accepted ``QLocalSocket``; Qt owns it (a child of the server) and deletes it."""

    def __init__(self, sock: QLocalSocket) -> None:
        self._sock = sock
        self.timer_parent: QObject | None = sock  # the idle timer goes with the socket
        # Qt reads everything that arrives into its buffer unless told otherwise; one
        # message's worth is enough for the serving code to see an oversize line.
        sock.setReadBufferSize(MAX_MESSAGE_BYTES + 1)

    def set_handlers(self, on_data: Callable[[], None], on_closed: Callable[[], None]) -> None:
        self._sock.readyRead.connect(on_data)
        self._sock.disconnected.connect(on_closed)

    def is_open(self) -> bool:
        return self._sock.state() != QLocalSocket.LocalSocketState.UnconnectedState

    def has_data(self) -> bool:
        return self._sock.bytesAvailable() > 0

    def read_available(self) -> bytes:
        return bytes(self._sock.readAll().data())

    def send(self, data: bytes) -> None:
        if self._sock.state() != _CONNECTED:
            return
        self._sock.write(data)
        self._sock.flush()  # out now, even if the app quits right after the handler

    def hang_up(self) -> None:
        self._sock.disconnectFromServer()

    def abort(self) -> None:
        self._sock.abort()

    def dispose(self) -> None:
        self._sock.deleteLater()  # with its timer, once its signals have returned


class QtListener:
    """``QLocalServer``, owner-only, handing each connection to ``on_stream``."""

    def __init__(self, on_stream: Callable[[QtStream], None], parent: QObject) -> None:
        self._on_stream = on_stream
        self._server = QLocalServer(parent)
        # Owner-only: anyone who can connect can start timers or quit the app.
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.setMaxPendingConnections(BACKLOG)  # accepted, not yet handed over
        self._server.setListenBacklogSize(BACKLOG)  # queued by the kernel (default 50)
        self._server.newConnection.connect(self._accept)

    def is_listening(self) -> bool:
        return self._server.isListening()

    def listen(self, name: str) -> None:
        if self._server.listen(name):
            return
        raise ListenError(
            self._server.errorString(),
            address_in_use=self._server.serverError()
            == QAbstractSocket.SocketError.AddressInUseError,
        )

    def close(self) -> None:
        self._server.close()  # also unlinks the socket file on POSIX

    @staticmethod
    def remove(name: str) -> bool:
        return QLocalServer.removeServer(name)

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            if sock is None:
                break
            self._on_stream(QtStream(sock))


# -- the CLI's side ----------------------------------------------------------------------------


class QtChannel:
    """A blocking ``QLocalSocket`` client: Qt's ``waitFor*`` calls need no event loop."""

    def __init__(self, sock: QLocalSocket) -> None:
        self._sock = sock

    def write_all(self, data: bytes, deadline: float) -> None:
        self._sock.write(data)
        while self._sock.bytesToWrite() > 0:
            if not self._sock.waitForBytesWritten(_ms_left(deadline)):
                raise OSError(self._sock.errorString())

    def read(self, deadline: float) -> bytes:
        while True:
            if self._sock.bytesAvailable():
                return bytes(self._sock.readAll().data())
            if self._sock.state() != _CONNECTED:
                return b""
            # False with the peer gone loops once more to read what it sent before it hung
            # up; with the peer still there, time ran out.
            if not self._sock.waitForReadyRead(_ms_left(deadline)) and (
                self._sock.state() == _CONNECTED
            ):
                raise TimeoutError("the time ran out")

    def close(self) -> None:
        self._sock.abort()


def connect(name: str, timeout_ms: int) -> QtChannel | None:
    """Connect to ``name``: a channel, None when nobody is there, :class:`Unclear` else."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if sock.waitForConnected(timeout_ms):
        return QtChannel(sock)
    nobody = sock.error() in _NOBODY_THERE
    reason = sock.errorString()
    sock.abort()
    if nobody:
        return None
    raise Unclear(reason)


def _ms_left(deadline: float) -> int:
    left = int((deadline - time.monotonic()) * 1000)
    if left <= 0:
        raise TimeoutError("the time ran out")
    return left
