"""One NeckCare per user: the running app listens on a local socket for ``neckcare`` commands.

A second ``neckcare`` must never put a second icon in the tray (two instances would both
remind, both time the ice pack, and fight over the history file). Instead it connects to the
instance that is already running, hands over its command (see
:mod:`neckcare_desktop.core.ipc_protocol`), prints the answer and exits.

Two sides live here:

* :class:`InstanceServer`, owned by the app. It serves clients from the Qt event loop without
  ever blocking it: a stalled, chatty or broken client is dropped while the others are served.
* :func:`send_request` and :func:`is_running`, used by the CLI. They block with a deadline
  and need no event loop, so ``neckcare ice`` answers quickly and never needs a GUI.

On POSIX the socket is a file in the user's private runtime folder and is owner-only, served
with the standard library (:mod:`.local_socket_unix`: QtNetwork would cost 3 MB of memory);
on Windows it is a named pipe whose name includes the user name, restricted to that user,
served by ``QLocalServer`` (:mod:`.local_socket_qt`). The serving logic here is the same for
both.
"""

from __future__ import annotations

import getpass
import logging
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, Literal

import platformdirs
from PySide6.QtCore import QLockFile, QObject, QTimer, Signal

from neckcare_desktop import APP_ID
from neckcare_desktop.core.ipc_protocol import (
    INTERNAL,
    MAX_MESSAGE_BYTES,
    REFUSED,
    TOO_LARGE,
    ProtocolError,
    Request,
    decode_request,
    decode_response,
    encode_request,
    error_response,
    ok_response,
)
from neckcare_desktop.platform.local_socket import Channel, ListenError, Stream, Unclear

logger = logging.getLogger(__name__)

#: Full socket path (or pipe name on Windows) to use instead of the default; for tests and
#: for people running a second, separate NeckCare on purpose.
SOCKET_ENV: Final = "NECKCARE_SOCKET"
SOCKET_FILENAME: Final = "neckcare.sock"
DEFAULT_IDLE_TIMEOUT_MS: Final = 5000
DEFAULT_CLIENT_TIMEOUT_MS: Final = 3000
#: Connecting to a live local socket succeeds at once (the kernel accepts it); waiting any
#: longer only delays the start after a crash.
PROBE_TIMEOUT_MS: Final = 500
#: Held only while checking for another instance and starting to listen.
_LOCK_TIMEOUT_MS: Final = 3000
#: sockaddr_un.sun_path, including the terminating NUL: 108 on Linux, 104 on macOS/BSD.
_SUN_PATH_BYTES: Final = 108 if sys.platform.startswith("linux") else 104

#: ``unix``: stdlib AF_UNIX socket (POSIX only). ``qt``: QLocalServer (anywhere; Windows).
Backend = Literal["unix", "qt"]
DEFAULT_BACKEND: Final[Backend] = "qt" if sys.platform == "win32" else "unix"


class InstanceError(RuntimeError):
    """The single-instance machinery failed; the message says what and what to do."""


class AlreadyRunning(InstanceError):
    """Another NeckCare of this user is already listening; send it the command instead."""


class CommandRefused(Exception):
    """Raised by a request handler to say no, with a sentence for the user.

    For rule-based refusals such as "Ice is capped at 20 minutes a round." The message is
    sent back as a ``refused`` error, unlike any other exception, which is a bug and is only
    reported as a generic internal error.
    """


def server_name() -> str:
    """The per-user name the app listens on and the CLI connects to.

    POSIX: ``<user runtime dir>/neckcare-desktop/neckcare.sock``; the folder is created
    owner-only, because anybody who can reach the socket can control the app. Windows: a pipe
    name containing the user name (pipes are machine-wide, so the name must be per user).
    ``$NECKCARE_SOCKET`` overrides both.
    """
    override = os.environ.get(SOCKET_ENV)
    if override:
        return override
    if sys.platform == "win32":
        return f"{APP_ID}-{_user_token()}"
    try:
        runtime = platformdirs.user_runtime_path(APP_ID, appauthor=False)
    except OSError as exc:  # platformdirs refuses unsafe fallback folders
        raise InstanceError(
            f"NeckCare has no safe folder for its command socket ({exc}); "
            f"set XDG_RUNTIME_DIR or {SOCKET_ENV}."
        ) from exc
    _ensure_private_dir(runtime)
    return str(runtime / SOCKET_FILENAME)


def _user_token() -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no USERNAME and no password database entry
        user = ""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", user) or "user"


def _ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` 0o700, and refuse one another user could have planted."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(folder)
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise InstanceError(
                f"The folder {folder} for NeckCare's command socket belongs to another user; "
                f"set XDG_RUNTIME_DIR or {SOCKET_ENV} to a folder of your own."
            )
        if info.st_mode & 0o077:
            os.chmod(folder, 0o700)
    except OSError as exc:
        raise InstanceError(
            f"Cannot prepare the folder {folder} for NeckCare's command socket: {exc}."
        ) from exc


def _socket_path(name: str) -> Path | None:
    """The file behind ``name`` on POSIX (relative names live in the temp dir), else None."""
    if sys.platform == "win32":
        return None
    path = Path(name)
    return path if path.is_absolute() else Path(tempfile.gettempdir()) / path


def _connect(name: str, timeout_ms: int, backend: Backend | None) -> Channel | None:
    """A connected channel, None when nobody listens, :class:`Unclear` when it is unclear."""
    path = _socket_path(name)
    if (backend or DEFAULT_BACKEND) == "unix":
        from neckcare_desktop.platform import local_socket_unix

        assert path is not None, "the unix backend exists on POSIX only"
        return local_socket_unix.connect(path, timeout_ms)
    from neckcare_desktop.platform import local_socket_qt

    return local_socket_qt.connect(str(path) if path is not None else name, timeout_ms)


def _lock_path(name: str) -> Path:
    path = _socket_path(name)
    if path is not None:
        return path.with_name(path.name + ".lock")
    return Path(tempfile.gettempdir()) / (re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".lock")


def _probe(name: str, timeout_ms: int, backend: Backend | None = None) -> bool | None:
    """Does someone accept connections on ``name``?

    True: yes. False: nobody (no socket, or a stale socket file left by a crash). None: the
    answer is unclear (a timeout, an access error): something holds the name but is not
    answering, which must not be mistaken for a stale socket and deleted.
    """
    try:
        channel = _connect(name, timeout_ms, backend)
    except Unclear as exc:
        logger.warning("probing %s gave no clear answer: %s", name, exc)
        return None
    if channel is None:
        return False
    channel.close()
    return True


def is_running(name: str | None = None, *, backend: Backend | None = None) -> bool:
    """Whether a NeckCare instance holds the command socket (also if it is not answering)."""
    return _probe(name or server_name(), PROBE_TIMEOUT_MS, backend) is not False


def send_request(
    cmd: str,
    args: dict[str, Any] | None = None,
    *,
    name: str | None = None,
    timeout_ms: int = DEFAULT_CLIENT_TIMEOUT_MS,
    backend: Backend | None = None,
) -> dict[str, Any] | None:
    """Send one command to the running instance and return its decoded response.

    Returns None when no instance is listening (no socket, or a stale one), so the caller can
    start the app instead. Raises :class:`~neckcare_desktop.core.ipc_protocol.ProtocolError`
    for an invalid command or arguments (before connecting), and :class:`InstanceError` when
    an instance is there but the exchange fails: no reply within ``timeout_ms``, the
    connection closed early, or a reply that cannot be read.

    Blocking by design: the CLI has no event loop, and a bounded wait is what a person
    typing a command expects.
    """
    payload = encode_request(cmd, **(args or {}))
    target = name or server_name()
    deadline = time.monotonic() + timeout_ms / 1000
    try:
        channel = _connect(target, timeout_ms, backend)
    except Unclear as exc:
        raise InstanceError(
            f"NeckCare seems to be running but did not accept the command "
            f"within {timeout_ms} ms ({exc})."
        ) from exc
    if channel is None:
        logger.debug("no NeckCare listening on %s", target)
        return None
    try:
        try:
            channel.write_all(payload, deadline)
        except TimeoutError as exc:
            raise InstanceError(f"NeckCare did not reply within {timeout_ms} ms.") from exc
        except OSError as exc:
            raise InstanceError(f"Could not send the command to NeckCare ({exc}).") from exc
        line = _read_reply_line(channel, deadline, timeout_ms)
    finally:
        channel.close()
    try:
        return decode_response(line)
    except ProtocolError as exc:
        raise InstanceError(f"NeckCare sent a reply that cannot be read: {exc}") from exc


def _read_reply_line(channel: Channel, deadline: float, timeout_ms: int) -> bytes:
    buffer = bytearray()
    while True:
        try:
            chunk = channel.read(deadline)
        except TimeoutError as exc:
            raise InstanceError(f"NeckCare did not reply within {timeout_ms} ms.") from exc
        except OSError as exc:
            raise InstanceError(f"Could not read NeckCare's reply ({exc}).") from exc
        buffer += chunk
        newline = buffer.find(b"\n", 0, MAX_MESSAGE_BYTES + 1)
        if newline >= 0:
            return bytes(buffer[:newline])
        if len(buffer) > MAX_MESSAGE_BYTES:
            raise InstanceError(
                f"NeckCare's reply is larger than the {MAX_MESSAGE_BYTES}-byte limit."
            )
        if not chunk:
            raise InstanceError("NeckCare closed the connection without replying.")


class InstanceServer(QObject):
    """Listens for commands from later ``neckcare`` invocations and answers them.

    ``handler`` gets each valid :class:`Request` and returns a JSON-serialisable result. It
    raises :class:`CommandRefused` to say no with a message; any other exception is logged
    with its traceback and answered with a generic ``internal`` error, never propagated into
    Qt. The handler runs in the event loop, so it must be quick; a handler for ``quit``
    should schedule the quit (``QTimer.singleShot(0, app.quit)``) so the reply still goes out.
    """

    #: Emitted with the command name after a valid request was answered (ok or error).
    request_handled = Signal(str)

    def __init__(
        self,
        handler: Callable[[Request], Any],
        name: str | None = None,
        parent: QObject | None = None,
        *,
        idle_timeout_ms: int = DEFAULT_IDLE_TIMEOUT_MS,
        backend: Backend | None = None,
    ) -> None:
        super().__init__(parent)
        self._handler = handler
        self._name = name
        self._idle_timeout_ms = idle_timeout_ms
        self._backend: Backend = backend or DEFAULT_BACKEND
        self._connections: set[_Connection] = set()
        #: Finished connections, kept one loop turn so no Qt object dies inside its signal.
        self._retired: list[_Connection] = []
        if self._backend == "unix":
            from neckcare_desktop.platform.local_socket_unix import UnixListener

            self._listener: Any = UnixListener(self._on_stream)
        else:
            from neckcare_desktop.platform.local_socket_qt import QtListener

            self._listener = QtListener(self._on_stream, self)

    @property
    def name(self) -> str:
        """The socket path (POSIX) or pipe name (Windows) this server uses."""
        if self._name is None:
            self._name = server_name()
        return self._name

    def is_listening(self) -> bool:
        return self._listener.is_listening()

    def listen(self) -> None:
        """Start accepting commands.

        Raises :class:`AlreadyRunning` if another instance answers on the name, and
        :class:`InstanceError` with a clear message if listening is impossible. A socket file
        left behind by a crashed instance is detected (nobody answers) and replaced.
        """
        if self._listener.is_listening():
            return
        name = self.name
        path = _socket_path(name)
        if path is not None:
            _ensure_private_dir(path.parent)
            if len(os.fsencode(path)) >= _SUN_PATH_BYTES:
                raise InstanceError(
                    f"The command socket path {path} is too long for this system "
                    f"(at most {_SUN_PATH_BYTES - 1} bytes); set {SOCKET_ENV} or "
                    f"XDG_RUNTIME_DIR to a shorter folder."
                )
        # Qt's owner-only listen binds in a temporary folder and renames over the final
        # path, so it never reports "address in use" and would silently steal the socket
        # of a running instance; a plain bind would fail on a stale file. Checking first is
        # therefore essential, and the lock makes check-and-listen atomic for two NeckCares
        # started at the same moment.
        lock = QLockFile(str(_lock_path(name)))
        if not lock.tryLock(_LOCK_TIMEOUT_MS):
            raise InstanceError(
                f"Could not check for a running NeckCare: the lock {_lock_path(name)} "
                f"stayed busy ({lock.error().name})."
            )
        try:
            self._claim(name, path)
        finally:
            lock.unlock()
        logger.info("listening for commands on %s", name)

    def _claim(self, name: str, path: Path | None) -> None:
        address = path if self._backend == "unix" else (str(path) if path else name)
        self._raise_if_answered(name)
        self._remove_stale(name)
        try:
            self._listener.listen(address)
            return
        except ListenError as exc:
            if not exc.address_in_use:
                raise InstanceError(
                    f"NeckCare cannot listen for commands on {name}: {exc}."
                ) from exc
        # Someone took the name between the check and the bind (one not using the lock):
        # check once more, then treat the leftover as stale and retry once.
        self._raise_if_answered(name)
        self._remove_stale(name)
        try:
            self._listener.listen(address)
        except ListenError as exc:
            raise InstanceError(f"NeckCare cannot listen for commands on {name}: {exc}.") from exc

    def _raise_if_answered(self, name: str) -> None:
        answered = _probe(name, PROBE_TIMEOUT_MS, self._backend)
        if answered:
            raise AlreadyRunning(f"NeckCare is already running (it answers on {name}).")
        if answered is None:
            raise AlreadyRunning(
                f"Another NeckCare seems to hold {name} but does not answer; "
                f"end it before starting a new one."
            )

    def _remove_stale(self, name: str) -> None:
        """Remove a leftover socket nobody answers on; never remove a non-socket file."""
        path = _socket_path(name)
        if path is None:
            from neckcare_desktop.platform.local_socket_qt import QtListener

            QtListener.remove(name)
            return
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise InstanceError(f"Cannot inspect {path}: {exc}.") from exc
        if not stat.S_ISSOCK(info.st_mode):
            raise InstanceError(
                f"{path} exists and is not a socket; move it away or set {SOCKET_ENV} elsewhere."
            )
        logger.warning("replacing the stale command socket %s left by an earlier crash", path)
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise InstanceError(f"Cannot remove the stale command socket {path}: {exc}.") from exc

    def close(self) -> None:
        """Stop listening, hang up on every client and remove the socket file."""
        for connection in list(self._connections):
            connection.close()
        if self._listener.is_listening():
            self._listener.close()
            logger.info("stopped listening for commands on %s", self._name)

    def _on_stream(self, stream: Stream) -> None:
        try:
            connection = _Connection(stream, self, self._idle_timeout_ms)
            self._connections.add(connection)
            connection.start()
        except Exception:
            logger.exception("could not accept a command connection")

    def _forget(self, connection: _Connection) -> None:
        self._connections.discard(connection)
        if not self._retired:
            QTimer.singleShot(0, self._retired.clear)
        self._retired.append(connection)

    def _serve_line(self, line: bytes) -> tuple[bytes, str | None]:
        """Answer one complete request line; returns the reply and the command name if valid."""
        try:
            request = decode_request(line)
        except ProtocolError as exc:
            logger.info("rejected a command message (%s): %s", exc.code, exc)
            return error_response(exc.code, str(exc)), None
        logger.debug("command %r with %r", request.cmd, request.args)
        try:
            result = self._handler(request)
        except CommandRefused as exc:
            logger.info("refused command %r: %s", request.cmd, exc)
            message = str(exc) or f"NeckCare refused the command {request.cmd!r}."
            return error_response(REFUSED, message), request.cmd
        except Exception:
            logger.exception("handling command %r failed", request.cmd)
            return self._internal_error(request.cmd), request.cmd
        try:
            return ok_response(result), request.cmd
        except ProtocolError:
            logger.exception("the result of command %r cannot be sent", request.cmd)
            return self._internal_error(request.cmd), request.cmd

    @staticmethod
    def _internal_error(cmd: str) -> bytes:
        return error_response(
            INTERNAL,
            f"NeckCare could not carry out {cmd!r} because of an internal error; "
            f"its log has the details.",
        )


class _Connection:
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
            reply, cmd = self._server._serve_line(line)
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
        self._server._forget(self)
