"""One NeckCare per user: the running app listens on a local socket for ``neckcare`` commands.

A second ``neckcare`` must never put a second icon in the tray (two instances would both
remind, both time the ice pack, and fight over the history file). Instead it connects to the
instance that is already running, hands over its command (see
:mod:`neckcare_desktop.core.ipc_protocol`), prints the answer and exits.

Who NeckCare is, is decided by a lock held for the life of the process
(:mod:`.instance_lock`), never by a file: a socket file can be left by a crash, deleted by a
``/tmp`` cleaner or replaced by a plain file. The socket is only how to reach NeckCare, and
the running app keeps it reachable: it watches the socket's folder and makes a new socket
when the old one is gone or replaced (:meth:`InstanceServer.check_socket`).

Two sides:

* :class:`InstanceServer`, owned by the app. It serves clients from the Qt event loop without
  ever blocking it: a stalled, chatty or broken client is dropped while the others are served.
* :func:`send_request` and :func:`is_running` (:mod:`.instance_client`, re-exported here),
  used by the CLI. They block with a deadline and need no event loop.

On POSIX the socket is a file in the user's private runtime folder (:mod:`.runtime_dir`) and
is owner-only, served with the standard library (:mod:`.local_socket_unix`: QtNetwork would
cost 3 MB of memory); on Windows it is a named pipe whose name includes the user name,
restricted to that user, served by ``QLocalServer`` (:mod:`.local_socket_qt`). The serving
logic here is the same for both.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from neckcare_desktop.core.ipc_protocol import (
    INTERNAL,
    REFUSED,
    ProtocolError,
    Request,
    decode_request,
    error_response,
    ok_response,
)
from neckcare_desktop.platform import instance_client, instance_lock, runtime_dir, socket_file
from neckcare_desktop.platform.command_connection import CommandConnection
from neckcare_desktop.platform.instance_client import (  # re-exported: the CLI and launch use them
    DEFAULT_CLIENT_TIMEOUT_MS,
    SOCKET_ENV,
    SOCKET_FILENAME,
    AlreadyRunning,
    Backend,
    InstanceError,
    is_running,
    lock_path,
    send_request,
    server_name,
    socket_path,
)
from neckcare_desktop.platform.local_socket import ListenError, Stream

__all__ = [
    "DEFAULT_CLIENT_TIMEOUT_MS",
    "AlreadyRunning",
    "CommandRefused",
    "InstanceError",
    "InstanceServer",
    "is_running",
    "send_request",
    "server_name",
]

logger = logging.getLogger(__name__)

DEFAULT_IDLE_TIMEOUT_MS: Final = 5000
#: sockaddr_un.sun_path, including the terminating NUL: 108 on Linux, 104 on macOS/BSD.
_SUN_PATH_BYTES: Final = 108 if sys.platform.startswith("linux") else 104
#: Making the socket again failed (no file descriptor left, say): retry, slower each time,
#: up to the presence poll's longest interval (it calls check_socket too), so a failure
#: that lasts does not wake an idle app more often than it wakes anyway.
_RENEW_RETRY_FIRST_MS: Final = 100
_RENEW_RETRY_MAX_MS: Final = 30_000
#: A problem that repeats is logged at WARNING once per this many seconds, else at DEBUG.
_WARN_EVERY_S: Final = 60.0


class CommandRefused(Exception):
    """Raised by a request handler to say no, with a sentence for the user.

    For rule-based refusals such as "Ice is capped at 20 minutes a round." The message is
    sent back as a ``refused`` error, unlike any other exception, which is a bug and is only
    reported as a generic internal error.
    """


class InstanceServer(QObject):
    """Holds the instance lock, listens for commands from later ``neckcare`` invocations
    and answers them.

    ``handler`` gets each valid :class:`Request` and returns a JSON-serialisable result. It
    raises :class:`CommandRefused` to say no with a message; any other exception is logged
    with its traceback and answered with a generic ``internal`` error, never propagated into
    Qt. The handler runs in the event loop, so it must be quick; a handler for ``quit``
    should schedule the quit (``QTimer.singleShot(0, app.quit)``) so the reply still goes out.
    """

    #: Emitted with the command name after a valid request was answered (ok or error).
    request_handled = Signal(str)
    #: Emitted when the socket was made again (it had been deleted or replaced).
    socket_renewed = Signal()

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
        self._backend: Backend = instance_client.backend_or_default(backend)
        self._connections: set[CommandConnection] = set()
        #: Finished connections, kept one loop turn so no Qt object dies inside its signal.
        self._retired: list[CommandConnection] = []
        self._lock: instance_lock.InstanceLock | None = None
        self._socket: tuple[int, int] | None = None  # the socket file this server made
        self._watcher: QFileSystemWatcher | None = None
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.check_socket)
        self._renew_failures = 0
        self._last_warning: dict[str, float] = {}
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
            self._name = self._default_name()
        return self._name

    def is_listening(self) -> bool:
        return self._listener.is_listening()

    def holds_lock(self) -> bool:
        """Whether this process is NeckCare (it holds the instance lock)."""
        return self._lock is not None and self._lock.holds()

    def listen(self) -> None:
        """Become NeckCare (take the instance lock) and start accepting commands.

        Raises :class:`AlreadyRunning` when another process holds the lock (or, for an older
        NeckCare without one, answers on the socket), and :class:`InstanceError` with a
        clear message if listening is impossible; then the lock is still held, so no second
        NeckCare starts, and the socket is tried again when its folder changes or
        :meth:`check_socket` is called. Whatever is at the socket path is not NeckCare's:
        a socket left by a crash is replaced, anything else is moved aside, never deleted.
        """
        if self._listener.is_listening():
            return
        name = self.name
        path = socket_path(name)
        if path is not None:
            socket_file.ensure_private_dir(path.parent)
        self._take_lock(name)
        if path is not None:
            self._watch(path)
            if len(os.fsencode(path)) >= _SUN_PATH_BYTES:
                raise InstanceError(
                    f"The command socket path {path} is too long for this system "
                    f"(at most {_SUN_PATH_BYTES - 1} bytes); set {SOCKET_ENV} or "
                    f"XDG_RUNTIME_DIR to a shorter folder."
                )
        try:
            self._bind(name, path)
        except AlreadyRunning:
            self._release_lock()
            raise
        if path is not None:
            self._watch(path, new_socket=True)
        logger.info("listening for commands on %s", name)

    def check_socket(self) -> bool:
        """Make sure ``neckcare`` commands can reach this instance; True when they can.

        Cheap (a few ``stat`` calls). Runs on every change in the socket's folder (a
        file-system watcher), and may be called from any periodic path the app already has
        as a backstop. A socket that was deleted, or replaced by another file, is made
        again (the file is moved aside); when that fails it is retried with a growing pause.
        """
        if not self.holds_lock():
            return False
        assert self._lock is not None
        name = self.name
        path = socket_path(name)
        if path is not None and not path.parent.is_dir():
            try:  # deleted with everything in it: the lock file needs it first
                socket_file.ensure_private_dir(path.parent)
            except InstanceError as exc:
                logger.debug("cannot make the socket folder again yet: %s", exc)
        if self._lock.kind == "flock" and not self._lock.verify():
            self._warn("lock", "another process took NeckCare's instance lock %s", self._lock.path)
        if path is None:  # a named pipe: nothing on disk to lose, only the listening
            if self.is_listening():
                return True
            return self._renew(name, None, "stopped listening")
        if (
            self.is_listening()
            and self._socket is not None
            and socket_file.socket_id(path) == self._socket
        ):
            return True
        if not self.is_listening():
            reason = "is not listening any more"
        elif socket_file.socket_id(path) is None and not os.path.lexists(path):
            reason = "was deleted"
        else:
            reason = "was replaced by another file"
        return self._renew(name, path, reason)

    def close(self) -> None:
        """Stop listening, hang up on every client, remove the socket, release the lock."""
        self._retry.stop()
        if self._watcher is not None:
            # Gone now, not at some later loop turn: each watcher holds an inotify instance,
            # and a user has only 128 of them.
            self._watcher.directoryChanged.disconnect()
            self._watcher.fileChanged.disconnect()
            self._watcher.setParent(None)
            self._watcher = None
        for connection in list(self._connections):
            connection.close()
        if self._listener.is_listening():
            self._listener.close()
            logger.info("stopped listening for commands on %s", self._name)
        self._socket = None
        self._release_lock()

    # -- becoming NeckCare and staying reachable -------------------------------------------

    def _default_name(self) -> str:
        if os.environ.get(SOCKET_ENV) or sys.platform == "win32":
            return server_name()
        try:
            choice = runtime_dir.choose()
        except runtime_dir.NoPrivateFolder as exc:
            raise InstanceError(
                f"NeckCare has no private folder for its command socket ({exc}); "
                f"set XDG_RUNTIME_DIR or {SOCKET_ENV}."
            ) from exc
        if choice.passed_over:
            logger.warning(
                "the command socket lives in %s (%s); `neckcare` commands find it there",
                choice.folder,
                "; ".join(choice.passed_over),
            )
        return str(choice.folder / SOCKET_FILENAME)

    def _take_lock(self, name: str) -> None:
        if self.holds_lock():
            return
        path = lock_path(name)
        try:
            lock = instance_lock.InstanceLock.acquire(
                path, instance_client.lock_kind(self._backend)
            )
        except instance_lock.LockError as exc:
            raise InstanceError(f"NeckCare cannot take its instance lock: {exc}.") from exc
        if lock is None:
            pid = instance_lock.holder_pid(path)
            who = f"process {pid}" if pid else "another process"
            raise AlreadyRunning(f"NeckCare is already running ({who} holds {path}).")
        self._lock = lock

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _watch(self, socket: Path, *, new_socket: bool = False) -> None:
        """Event-driven: a cleaner or a stray ``touch`` in the folder is noticed at once.

        The folder and the socket file both: out of inotify instances (128 per user), Qt
        polls instead, and its poller sees a file disappear but not a socket leave a folder.
        """
        if self._watcher is None:
            self._watcher = QFileSystemWatcher(self)
            self._watcher.directoryChanged.connect(self._folder_changed)
            self._watcher.fileChanged.connect(self._folder_changed)
        folder = str(socket.parent)
        if folder not in self._watcher.directories() and socket.parent.is_dir():
            self._watcher.addPath(folder)
        if new_socket and str(socket) in self._watcher.files():
            self._watcher.removePath(str(socket))  # it watched the old file, not this one
        if str(socket) not in self._watcher.files() and socket_file.socket_id(socket) is not None:
            self._watcher.addPath(str(socket))

    def _folder_changed(self, _path: str) -> None:
        if self._retry.isActive():
            return  # a failed try waits its pause: changes in the folder do not cut it short
        self.check_socket()

    def _bind(self, name: str, path: Path | None) -> None:
        """Listen on ``name``, clearing the way first. Raises InstanceError / AlreadyRunning."""
        address = path if self._backend == "unix" else (str(path) if path else name)
        for attempt in (1, 2):
            socket_file.clear_way(name, path, self._backend)
            try:
                self._listener.listen(address)
                break
            except ListenError as exc:
                # Address in use: something took the name between the check and the bind
                # (a NeckCare older than the lock); check once more and retry once.
                if attempt == 2 or not exc.address_in_use:
                    raise InstanceError(
                        f"NeckCare cannot listen for commands on {name}: {exc}."
                    ) from exc
        self._socket = socket_file.socket_id(path) if path is not None else None

    def _renew(self, name: str, path: Path | None, reason: str) -> bool:
        """Make the socket again; on failure, try again later (never in a tight loop)."""
        self._warn("renew", "the command socket %s %s; making a new one", name, reason)
        try:
            if path is not None:
                socket_file.ensure_private_dir(path.parent)
                self._watch(path)
            if self._listener.is_listening():
                # Moves a foreign file aside first: QLocalServer's close removes whatever
                # file has its name.
                socket_file.clear_way(name, path, self._backend)
                self._listener.close()
            self._bind(name, path)
        except AlreadyRunning as exc:
            self._warn("renew-failed", "cannot make a new command socket: %s", exc)
            return False
        except InstanceError as exc:
            delay = min(_RENEW_RETRY_FIRST_MS << min(self._renew_failures, 16), _RENEW_RETRY_MAX_MS)
            self._renew_failures += 1
            self._warn(
                "renew-failed",
                "cannot make a new command socket (%s); retrying in %d ms",
                exc,
                delay,
            )
            self._retry.start(delay)
            return False
        if path is not None:
            self._watch(path, new_socket=True)
        if self._renew_failures:
            logger.info("made a new command socket after %d failed tries", self._renew_failures)
        self._renew_failures = 0
        logger.info("listening for commands again on %s", name)
        self.socket_renewed.emit()
        return True

    def _warn(self, key: str, message: str, *args: object) -> None:
        """A WARNING at most once a minute per kind of problem; DEBUG in between."""
        now = time.monotonic()
        last = self._last_warning.get(key)
        if last is None or now - last >= _WARN_EVERY_S:
            self._last_warning[key] = now
            logger.warning(message, *args)
        else:
            logger.debug(message, *args)

    # -- serving ---------------------------------------------------------------------------

    def _on_stream(self, stream: Stream) -> None:
        try:
            connection = CommandConnection(stream, self, self._idle_timeout_ms)
            self._connections.add(connection)
            connection.start()
        except Exception:
            logger.exception("could not accept a command connection")

    def forget(self, connection: CommandConnection) -> None:
        """Called by a connection that has ended."""
        self._connections.discard(connection)
        if not self._retired:
            QTimer.singleShot(0, self._retired.clear)
        self._retired.append(connection)

    def serve_line(self, line: bytes) -> tuple[bytes, str | None]:
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
