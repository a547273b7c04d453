"""The command socket on Linux, macOS and the BSDs: a stdlib AF_UNIX socket.

Why not ``QLocalServer``, which works here too? It pulls in QtNetwork, and that library with
its Python binding costs 3.2 MB of resident memory (measured with ``bench/run.py``) in an app
whose budget is the memory of a bare Qt tray. An AF_UNIX socket in the standard library plus
two ``QSocketNotifier`` objects do the same work in the same event loop, without a thread.
The wire format and the serving logic do not care: both live in
:mod:`~neckcare_desktop.platform.single_instance`. Windows keeps ``QLocalServer`` (named
pipes), see :mod:`~neckcare_desktop.platform.local_socket_qt`.

The client side is plain blocking ``socket`` calls with a deadline: the CLI has no event
loop, and it then needs no Qt at all.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import stat
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from neckcare_desktop.core.ipc_protocol import MAX_MESSAGE_BYTES
from neckcare_desktop.platform.local_socket import BACKLOG, Busy, ListenError, Unclear

logger = logging.getLogger(__name__)

_CHUNK = 65536
#: Unread bytes a connection holds at most: one message can be no longer, so the serving
#: code sees an oversize line after at most this much and hangs up, instead of reading on
#: for as long as the client keeps sending (a flooding client pushed 18 MiB before).
_READ_AHEAD = MAX_MESSAGE_BYTES + 1
#: Out of file descriptors (EMFILE) the pending connection stays queued, so the socket
#: stays readable: accepting again at once would spin. Pause, then retry, slower each time.
_ACCEPT_RETRY_FIRST_MS = 50
_ACCEPT_RETRY_MAX_MS = 2000
#: While accepting keeps failing, one line in the log per this many seconds.
_ACCEPT_WARN_EVERY_S = 60.0
#: The client left before it was accepted: nothing to pause for, take the next one.
_SKIP_ACCEPT_ERRNOS = frozenset({errno.ECONNABORTED, errno.EPROTO, errno.EINTR})
#: Replies a client leaves unread beyond this are its problem: it is hung up on.
MAX_UNSENT_BYTES = 1 << 20
#: "Nobody is there": no such file, or a socket file nobody listens on (left by a crash).
_NOBODY_ERRNOS = frozenset({errno.ENOENT, errno.ECONNREFUSED, errno.ENOTDIR})


# -- the app's side ----------------------------------------------------------------------------


class UnixStream:
    """One accepted client: non-blocking reads and writes driven by socket notifiers.

    Not a QObject: it reports through two callbacks set with :meth:`set_handlers`, so the
    only Qt objects are its notifiers, which are released (see :meth:`dispose`) only after
    the event loop has left their signals.
    """

    timer_parent: QObject | None = None  # the idle timer belongs to the connection

    def __init__(self, sock: socket.socket) -> None:
        sock.setblocking(False)
        self._sock: socket.socket | None = sock
        self._incoming = bytearray()
        self._outgoing = bytearray()
        self._peer_gone = False  # the connection broke (reset): nothing more can be sent
        self._eof = False  # the client finished sending; it may still read its replies
        self._close_when_sent = False
        self._on_data: Callable[[], None] = _nothing
        self._on_closed: Callable[[], None] = _nothing
        self._full = False  # reading paused: _READ_AHEAD unread bytes are waiting
        fd = sock.fileno()
        self._reader = QSocketNotifier(fd, QSocketNotifier.Type.Read)
        self._reader.activated.connect(self._readable)
        self._writer = QSocketNotifier(fd, QSocketNotifier.Type.Write)
        self._writer.setEnabled(False)
        self._writer.activated.connect(self._writable)

    def set_handlers(self, on_data: Callable[[], None], on_closed: Callable[[], None]) -> None:
        self._on_data = on_data
        self._on_closed = on_closed

    def is_open(self) -> bool:
        """Still connected; also while a hang-up waits for queued replies to go out."""
        return self._sock is not None and not self._peer_gone

    def has_data(self) -> bool:
        return bool(self._incoming)

    def read_available(self) -> bytes:
        data = bytes(self._incoming)
        self._incoming.clear()
        if self._full and self._sock is not None and not (self._eof or self._close_when_sent):
            self._full = False
            self._reader.setEnabled(True)  # room again: read on when the loop comes back
        return data

    def send(self, data: bytes) -> None:
        """Queue ``data`` and write as much as the kernel takes now; the rest follows."""
        if self._sock is None or self._peer_gone or self._close_when_sent:
            return
        self._outgoing += data
        self._flush()
        if len(self._outgoing) > MAX_UNSENT_BYTES:
            logger.info("hanging up on a command client that does not read its replies")
            self._finish_closed()

    def hang_up(self) -> None:
        """Close after the queued replies are out (at once when nothing is queued)."""
        if self._sock is None:
            return
        if self._outgoing and not self._peer_gone:
            self._close_when_sent = True
            self._reader.setEnabled(False)
            return
        self._release_socket()

    def abort(self) -> None:
        """Drop the connection now, with whatever was still queued."""
        self._release_socket()

    def dispose(self) -> None:
        """Forget the callbacks; the notifiers go with this object, a loop turn later."""
        self._release_socket()
        self._on_data = self._on_closed = _nothing

    # internals

    def _readable(self, *_: object) -> None:
        if self._sock is None:
            return
        got_data = False
        while True:
            room = _READ_AHEAD - len(self._incoming)
            if room <= 0:
                # Enough for the serving code to decide on; the rest waits in the kernel.
                self._full = True
                self._reader.setEnabled(False)
                break
            try:
                chunk = self._sock.recv(min(_CHUNK, room))
            except (BlockingIOError, InterruptedError):
                break
            except OSError:  # ECONNRESET and friends: the client is gone
                self._peer_gone = True
                chunk = b""
            if not chunk:
                # End of input. Like `printf '...\n' | nc -U` a client may close its side
                # and still wait for the answers: they go out before the hang-up.
                self._eof = True
                self._reader.setEnabled(False)
                break
            self._incoming += chunk
            got_data = True
        if got_data:
            self._on_data()
        if self._eof and self._sock is not None:
            if self._outgoing and not self._peer_gone:
                self._close_when_sent = True  # the writer finishes once they are out
            else:
                self._finish_closed()

    def _writable(self, *_: object) -> None:
        self._flush()
        if not self._outgoing and self._close_when_sent:
            self._finish_closed()

    def _flush(self) -> None:
        while self._outgoing and self._sock is not None:
            try:
                sent = self._sock.send(self._outgoing)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:  # EPIPE: the client left; the reader notices the hang-up
                self._outgoing.clear()
                break
            del self._outgoing[:sent]
        if self._sock is not None:
            self._writer.setEnabled(bool(self._outgoing))

    def _finish_closed(self) -> None:
        self._release_socket()
        self._on_closed()

    def _release_socket(self) -> None:
        if self._sock is None:
            return
        self._reader.setEnabled(False)
        self._writer.setEnabled(False)
        self._sock.close()
        self._sock = None
        self._outgoing.clear()


class UnixListener:
    """Accepts connections on a socket file and hands each to ``on_stream``."""

    def __init__(self, on_stream: Callable[[UnixStream], None]) -> None:
        self._on_stream = on_stream
        self._sock: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._path: Path | None = None
        self._inode: tuple[int, int] | None = None
        self._retry = QTimer()
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._resume_accepting)
        self._failures = 0  # accepts failed in a row (EMFILE and the like)
        self._failing_since = 0.0
        #: Across episodes too: at the edge of the limit, accepting may fail and recover
        #: many times a second, and each time must not be a new warning.
        self._last_warning: float | None = None
        self._warned = False  # this episode was logged at WARNING: so is its end (INFO)

    def is_listening(self) -> bool:
        return self._sock is not None

    def listen(self, path: Path) -> None:
        """Bind owner-only and listen; raises :class:`ListenError` with the reason."""
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        except OSError as exc:  # EMFILE: no descriptor left even for the socket
            raise ListenError(exc.strerror or str(exc)) from exc
        old_umask = os.umask(0o177)  # the file is created 0600: only this user may connect
        try:
            sock.bind(os.fspath(path))
        except OSError as exc:
            sock.close()
            raise ListenError(
                exc.strerror or str(exc), address_in_use=exc.errno == errno.EADDRINUSE
            ) from exc
        finally:
            os.umask(old_umask)
        try:
            sock.listen(BACKLOG)
            sock.setblocking(False)
            info = os.stat(path)
        except OSError as exc:
            sock.close()
            raise ListenError(exc.strerror or str(exc)) from exc
        self._sock, self._path, self._inode = sock, path, (info.st_dev, info.st_ino)
        self._notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._accept)

    def close(self) -> None:
        """Stop listening and remove the socket file, if it is still the one bound here."""
        if self._sock is None:
            return
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        self._retry.stop()
        self._failures = 0
        self._sock.close()
        self._sock = None
        path, self._path = self._path, None
        if path is not None:
            try:
                info = os.lstat(path)
                if stat.S_ISSOCK(info.st_mode) and (info.st_dev, info.st_ino) == self._inode:
                    path.unlink()
            except OSError:
                pass

    def _accept(self, *_: object) -> None:
        while self._sock is not None:
            try:
                conn, _address = self._sock.accept()
            except BlockingIOError:
                return
            except OSError as exc:
                if exc.errno in _SKIP_ACCEPT_ERRNOS:
                    continue
                self._pause_accepting(exc)  # EMFILE, ENFILE, ENOBUFS, ENOMEM, ...
                return
            if self._failures:
                logger.log(
                    logging.INFO if self._warned else logging.DEBUG,
                    "accepting command connections again, after %d failed attempts in %.1f s",
                    self._failures,
                    time.monotonic() - self._failing_since,
                )
                self._failures = 0
                self._warned = False
            self._on_stream(UnixStream(conn))

    def _pause_accepting(self, exc: OSError) -> None:
        """Stop watching the socket for a while: the queued client waits, the CPU rests."""
        now = time.monotonic()
        delay = min(_ACCEPT_RETRY_FIRST_MS << min(self._failures, 16), _ACCEPT_RETRY_MAX_MS)
        if not self._failures:
            self._failing_since = now
        if self._last_warning is None or now - self._last_warning >= _ACCEPT_WARN_EVERY_S:
            self._last_warning = now
            self._warned = True
            logger.warning(
                "cannot accept command connections (%s): %d failed attempts in %.0f s; "
                "pausing, retrying with a growing pause of up to %d ms (logged once a minute "
                "while it lasts)",
                exc.strerror or exc,
                self._failures + 1,
                now - self._failing_since,
                _ACCEPT_RETRY_MAX_MS,
            )
        else:
            logger.debug("accept failed again (%s); next try in %d ms", exc, delay)
        self._failures += 1
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        self._retry.start(delay)

    def _resume_accepting(self) -> None:
        if self._sock is None or self._notifier is None:
            return
        self._notifier.setEnabled(True)
        self._accept()


def _nothing() -> None:
    return None


# -- the CLI's side ----------------------------------------------------------------------------


class UnixChannel:
    """A blocking client connection; every call is bounded by the caller's deadline."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def write_all(self, data: bytes, deadline: float) -> None:
        self._sock.settimeout(_seconds_left(deadline))
        self._sock.sendall(data)

    def read(self, deadline: float) -> bytes:
        """Some bytes, ``b""`` once the other side hung up; TimeoutError past the deadline."""
        self._sock.settimeout(_seconds_left(deadline))
        try:
            return self._sock.recv(_CHUNK)
        except ConnectionResetError:
            return b""

    def close(self) -> None:
        self._sock.close()


def connect(path: Path, timeout_ms: int) -> UnixChannel | None:
    """Connect to ``path``: a channel, None when nobody is there, :class:`Unclear` else."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout_ms / 1000)
    try:
        sock.connect(os.fspath(path))
    except OSError as exc:
        sock.close()
        if exc.errno in _NOBODY_ERRNOS:
            return None
        if exc.errno == errno.EAGAIN:  # the queue of waiting connections is full
            raise Busy(exc.errno, "too many connections are waiting") from exc
        reason = "timed out" if isinstance(exc, TimeoutError) else exc.strerror or str(exc)
        raise Unclear(reason) from exc
    return UnixChannel(sock)


def _seconds_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the time ran out")
    return left
