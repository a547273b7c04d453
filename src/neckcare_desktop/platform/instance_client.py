"""Finding and reaching the running NeckCare: its socket name, its lock, and the CLI's client.

The client blocks with a deadline and needs no event loop, so ``neckcare ice`` answers
quickly and never needs a GUI. Who NeckCare is, is decided by the instance lock
(:mod:`.instance_lock`); the socket is only the way in. So when nobody answers on the socket
but the lock is held, NeckCare is there and making a new socket (a cleaner deleted it, a
file took its place): the client keeps trying until its deadline instead of reporting
"not running" (which would start a second app). A socket too busy to take another
connection (its queue is full during a flood) is "busy, retrying" until the deadline too.
"""

from __future__ import annotations

import getpass
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, Literal

from neckcare_desktop import APP_ID
from neckcare_desktop.core.ipc_protocol import (
    MAX_MESSAGE_BYTES,
    ProtocolError,
    decode_response,
    encode_request,
)
from neckcare_desktop.platform import instance_lock, runtime_dir
from neckcare_desktop.platform.local_socket import Busy, Channel, Unclear

logger = logging.getLogger(__name__)

#: Full socket path (or pipe name on Windows) to use instead of the default; for tests and
#: for people running a second, separate NeckCare on purpose.
SOCKET_ENV: Final = "NECKCARE_SOCKET"
SOCKET_FILENAME: Final = "neckcare.sock"
DEFAULT_CLIENT_TIMEOUT_MS: Final = 3000
#: Connecting to a live local socket succeeds at once (the kernel accepts it); waiting any
#: longer only delays the start after a crash.
PROBE_TIMEOUT_MS: Final = 500
#: Pauses between attempts while NeckCare is busy or making a new socket: short at first
#: (the usual wait is a few milliseconds), never a spin.
_RETRY_FIRST_S: Final = 0.01
_RETRY_MAX_S: Final = 0.2

#: ``unix``: stdlib AF_UNIX socket (POSIX only). ``qt``: QLocalServer (anywhere; Windows).
Backend = Literal["unix", "qt"]
DEFAULT_BACKEND: Backend = "qt" if sys.platform == "win32" else "unix"


class InstanceError(RuntimeError):
    """The single-instance machinery failed; the message says what and what to do."""


class AlreadyRunning(InstanceError):
    """Another NeckCare of this user is already running; send it the command instead."""


def backend_or_default(backend: Backend | None) -> Backend:
    return backend or DEFAULT_BACKEND


def lock_kind(backend: Backend) -> instance_lock.LockKind:
    """``flock`` beside the POSIX backend's socket; ``QLockFile`` with Qt's (Windows)."""
    return "flock" if backend == "unix" else "qt"


def server_name() -> str:
    """The per-user name the app listens on and the CLI connects to.

    POSIX: ``neckcare.sock`` in the private folder :mod:`.runtime_dir` chooses (normally
    ``$XDG_RUNTIME_DIR/neckcare-desktop``). Windows: a pipe name containing the user name
    (pipes are machine-wide, so the name must be per user). ``$NECKCARE_SOCKET`` overrides
    both.
    """
    override = os.environ.get(SOCKET_ENV)
    if override:
        return override
    if sys.platform == "win32":
        return f"{APP_ID}-{_user_token()}"
    try:
        choice = runtime_dir.choose()
    except runtime_dir.NoPrivateFolder as exc:
        raise InstanceError(
            f"NeckCare has no private folder for its command socket ({exc}); "
            f"set XDG_RUNTIME_DIR or {SOCKET_ENV}."
        ) from exc
    return str(choice.folder / SOCKET_FILENAME)


def _user_token() -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no USERNAME and no password database entry
        user = ""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", user) or "user"


def socket_path(name: str) -> Path | None:
    """The file behind ``name`` on POSIX (relative names live in the temp dir), else None."""
    if sys.platform == "win32":
        return None
    path = Path(name)
    return path if path.is_absolute() else Path(tempfile.gettempdir()) / path


def lock_path(name: str) -> Path:
    """The instance lock that goes with socket ``name``: beside it, or in the temp dir."""
    path = socket_path(name)
    if path is not None:
        return path.with_name(path.name + ".lock")
    return Path(tempfile.gettempdir()) / (re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".lock")


def lock_is_held(name: str, backend: Backend | None = None) -> bool:
    return instance_lock.is_held(lock_path(name), lock_kind(backend_or_default(backend)))


def connect(name: str, timeout_ms: int, backend: Backend | None) -> Channel | None:
    """A connected channel; None when nobody listens; :class:`Busy` or :class:`Unclear`."""
    path = socket_path(name)
    if path is not None and _belongs_to_someone_else(path):
        # Never hand a command (or trust an answer) to a socket another user put there;
        # NeckCare moves such a file aside when it makes its own socket.
        logger.info("not connecting to %s: it belongs to another user", path)
        return None
    if backend_or_default(backend) == "unix":
        from neckcare_desktop.platform import local_socket_unix

        assert path is not None, "the unix backend exists on POSIX only"
        return local_socket_unix.connect(path, timeout_ms)
    from neckcare_desktop.platform import local_socket_qt

    return local_socket_qt.connect(str(path) if path is not None else name, timeout_ms)


def _belongs_to_someone_else(path: Path) -> bool:
    try:
        return os.lstat(path).st_uid != os.getuid()
    except OSError:
        return False


def probe(name: str, timeout_ms: int, backend: Backend | None = None) -> bool | None:
    """Does someone accept connections on ``name``?

    True: yes. False: nobody (no socket, or a stale socket file left by a crash). None: the
    answer is unclear (a full queue, a timeout, an access error): something holds the name
    but is not answering, which must not be mistaken for a stale socket and deleted.
    """
    try:
        channel = connect(name, timeout_ms, backend)
    except (Busy, Unclear) as exc:
        logger.info("probing %s gave no clear answer: %s", name, exc)
        return None
    if channel is None:
        return False
    channel.close()
    return True


def is_running(name: str | None = None, *, backend: Backend | None = None) -> bool:
    """Whether NeckCare runs: it holds the socket (answering or not) or the instance lock."""
    target = name or server_name()
    return probe(target, PROBE_TIMEOUT_MS, backend) is not False or lock_is_held(target, backend)


def send_request(
    cmd: str,
    args: dict[str, Any] | None = None,
    *,
    name: str | None = None,
    timeout_ms: int = DEFAULT_CLIENT_TIMEOUT_MS,
    backend: Backend | None = None,
    on_busy: Callable[[], None] | None = None,
) -> dict[str, Any] | None:
    """Send one command to the running instance and return its decoded response.

    Returns None when NeckCare is not running (no socket or a stale one, and nobody holds
    the instance lock), so the caller can start the app instead. Raises
    :class:`~neckcare_desktop.core.ipc_protocol.ProtocolError` for an invalid command or
    arguments (before connecting), and :class:`InstanceError` when NeckCare is there but the
    exchange fails: still busy or still without a socket at the deadline, no reply within
    ``timeout_ms``, the connection closed early, or a reply that cannot be read.
    ``on_busy`` is called once when the socket is first found too busy (the CLI says so).

    Blocking by design: the CLI has no event loop, and a bounded wait is what a person
    typing a command expects.
    """
    payload = encode_request(cmd, **(args or {}))
    target = name or server_name()
    deadline = time.monotonic() + timeout_ms / 1000
    channel = _connect_until(target, deadline, timeout_ms, backend, on_busy)
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


def _connect_until(
    target: str,
    deadline: float,
    timeout_ms: int,
    backend: Backend | None,
    on_busy: Callable[[], None] | None,
) -> Channel | None:
    """Connect, retrying while NeckCare is busy or between two sockets, until ``deadline``."""
    pause = _RETRY_FIRST_S
    said_busy = False
    while True:
        left_ms = max(1, int((deadline - time.monotonic()) * 1000))
        try:
            channel = connect(target, left_ms, backend)
        except Busy:
            busy = True
            if not said_busy:
                said_busy = True
                logger.info("NeckCare's command socket %s is busy; retrying", target)
                if on_busy is not None:
                    on_busy()
        except Unclear as exc:
            raise InstanceError(
                f"NeckCare seems to be running but did not accept the command "
                f"within {timeout_ms} ms ({exc})."
            ) from exc
        else:
            if channel is not None:
                return channel
            if not lock_is_held(target, backend):
                return None
            busy = False  # running, and (about to be) making a new socket
        left = deadline - time.monotonic()
        if left <= 0:
            raise InstanceError(_gave_up_message(target, timeout_ms, busy))
        time.sleep(min(pause, left))  # the CLI has no event loop; a short, growing pause
        pause = min(pause * 2, _RETRY_MAX_S)


def _gave_up_message(target: str, timeout_ms: int, busy: bool) -> str:
    if busy:
        return (
            f"NeckCare is busy: its command socket {target} took no new connection for "
            f"{timeout_ms} ms (too many at once). Try again in a moment."
        )
    pid = instance_lock.holder_pid(lock_path(target))
    who = f"NeckCare (process {pid})" if pid else "NeckCare"
    return (
        f"{who} is running but did not answer on its command socket {target} "
        f"within {timeout_ms} ms. Try again in a moment; if it keeps failing, quit "
        f"NeckCare from its tray menu and start it again."
    )


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
