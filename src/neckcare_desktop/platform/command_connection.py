"""One client of the command socket: its receive buffer, its replies and its idle timer.

Part of :mod:`.single_instance`, apart so that each module stays small: the server decides
what a request line means; this reads lines, enforces the size limit and the idle timeout,
and hangs up on clients that misbehave, without ever blocking the event loop.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from neckcare_desktop.core.ipc_protocol import MAX_MESSAGE_BYTES, TOO_LARGE, error_response
from neckcare_desktop.platform.local_socket import Stream

if TYPE_CHECKING:
    from neckcare_desktop.platform.single_instance import InstanceServer

logger = logging.getLogger(__name__)


class CommandConnection:
    """One client: its receive buffer and the timer that drops it if it stalls.

    The timer restarts only when a complete line has been answered, so a client trickling
    bytes without ever finishing a line is dropped just like a silent one.

    A plain Python object on purpose: a Python-subclassed QObject here, removed with
    deleteLater(), crashed PySide once its parent server was destroyed. The Qt objects (the
    Qt backend's socket and timer, the notifiers of the POSIX one) are released by their
    owners after the event loop has left their signals.
    """

    def __init__(self, stream: Stream, server: InstanceServer, idle_timeout_ms: int) -> None:
        self._server = server
        self._stream = stream
        self._buffer = bytearray()
        self._busy = False  # guards against re-entry if the handler spins an event loop
        self._closing = False
        self._finished = False
        self._timer = QTimer(stream.timer_parent)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_timeout_ms)
        self._timer.timeout.connect(self._on_idle)
        stream.set_handlers(self._on_ready_read, self._on_disconnected)

    def start(self) -> None:
        self._timer.start()
        if self._stream.has_data():
            self._on_ready_read()
        if not self._stream.is_open():
            self._on_disconnected()

    def close(self) -> None:
        """Hang up politely: queued replies are still flushed."""
        if self._finished:
            return
        self._closing = True
        self._stream.hang_up()
        if not self._stream.is_open():
            self._finish()

    def _on_ready_read(self) -> None:
        if self._finished or self._busy:
            return
        if self._closing:
            self._stream.read_available()  # discard: this client is on its way out
            return
        self._busy = True
        try:
            self._pump()
        except Exception:
            logger.exception("unexpected error while serving a command client")
            self._abort()
        finally:
            self._busy = False

    def _pump(self) -> None:
        while not (self._finished or self._closing):
            if self._stream.has_data():
                self._buffer += self._stream.read_available()
            newline = self._buffer.find(b"\n", 0, MAX_MESSAGE_BYTES + 1)
            if newline < 0:
                if len(self._buffer) > MAX_MESSAGE_BYTES:
                    self._reject_oversize()
                return
            line = bytes(self._buffer[:newline])
            del self._buffer[: newline + 1]
            reply, cmd = self._server.serve_line(line)
            self._send(reply)
            if not self._finished:
                self._timer.start()
            if cmd is not None:
                self._server.request_handled.emit(cmd)

    def _reject_oversize(self) -> None:
        logger.warning(
            "dropping a command client that sent a message over %d bytes", MAX_MESSAGE_BYTES
        )
        self._buffer.clear()
        self._send(
            error_response(
                TOO_LARGE, f"The message is larger than the {MAX_MESSAGE_BYTES}-byte limit."
            )
        )
        self.close()

    def _send(self, data: bytes) -> None:
        if self._finished or not self._stream.is_open():
            logger.debug("client left before its reply could be sent")
            return
        self._stream.send(data)

    def _on_idle(self) -> None:
        if self._closing:
            logger.debug("client did not take its last reply in time")
        else:
            logger.info(
                "dropping a command client that sent no complete request within %d ms",
                self._timer.interval(),
            )
        self._abort()

    def _abort(self) -> None:
        if self._finished:
            return
        self._stream.abort()
        self._finish()

    def _on_disconnected(self) -> None:
        if self._finished:
            return
        # Answer (without replying) complete lines that arrived just before the hang-up.
        if not self._closing and self._stream.has_data():
            self._on_ready_read()
        if self._buffer:
            logger.debug(
                "client left in the middle of a message; %d bytes dropped", len(self._buffer)
            )
        self._finish()

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._timer.stop()
        self._buffer.clear()
        self._stream.dispose()
        self._server.forget(self)
