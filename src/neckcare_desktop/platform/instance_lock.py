"""The lock that decides which process is NeckCare: held from the start to the end of the app.

The command socket is only how to reach NeckCare; it cannot decide who NeckCare is. A socket
file can be deleted by a ``/tmp`` cleaner, replaced by a plain file, or left behind by a
crash, and a decision taken from it let every start make another full instance (double
reminders, two writers on one history). A lock held by the running process cannot go stale:
the kernel drops it when the process ends, however it ends.

Two kinds, one per platform:

* ``flock``: ``fcntl.flock`` on a lock file in the private runtime folder (POSIX). The file
  is never deleted (deleting a file someone may be locking races with them); if a cleaner
  deletes it anyway, :meth:`InstanceLock.verify` takes the lock on a new one.
* ``qt``: ``QLockFile`` (Windows, where ``flock`` does not exist; it holds the file open
  without sharing, and ``%TEMP%`` is the user's). The tests run it on Linux too.

``neckcare`` commands ask :func:`is_held` only when nobody answers on the socket: "nobody
answers but the lock is held" means NeckCare is there and about to make its socket again,
so the command waits for it instead of starting a second app.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:  # imported late at run time: the flock path (POSIX) never needs QtCore here
    from PySide6.QtCore import QLockFile

logger = logging.getLogger(__name__)

LockKind = Literal["flock", "qt"]

#: ``is_held`` takes the lock (shared) for a few microseconds; a NeckCare starting in that
#: moment must not take that for another instance, so it tries a few times.
_ACQUIRE_ATTEMPTS: Final = 5
_ACQUIRE_PAUSE_S: Final = 0.01


class LockError(OSError):
    """The lock file cannot be opened or locked for a reason other than another holder."""


class InstanceLock:
    """The lock of the running NeckCare; release it (or end the process) to let go."""

    def __init__(self, path: Path, kind: LockKind, handle: int | QLockFile) -> None:
        self.path = path
        self.kind: LockKind = kind
        self._handle: int | QLockFile | None = (
            handle  # a file descriptor (flock) or a QLockFile (qt)
        )

    @classmethod
    def acquire(cls, path: Path, kind: LockKind) -> InstanceLock | None:
        """The lock, or None when another process holds it. Raises :class:`LockError`."""
        for attempt in range(_ACQUIRE_ATTEMPTS):
            if attempt:
                time.sleep(_ACQUIRE_PAUSE_S)  # not a test: a start racing a probe waits 10 ms
            handle = _flock_acquire(path) if kind == "flock" else _qt_acquire(path)
            if handle is not None:
                return cls(path, kind, handle)
        return None

    def holds(self) -> bool:
        return self._handle is not None

    def verify(self) -> bool:
        """Still the lock on the file at :attr:`path`? If that file was deleted or replaced,
        take the lock on the file now there. False when another process got that one."""
        if self._handle is None or self.kind != "flock":
            return self._handle is not None  # QLockFile: Windows keeps an open file in place
        fd = self._handle
        assert isinstance(fd, int)
        try:
            if _same_file(os.stat(self.path), os.fstat(fd)):
                return True
        except FileNotFoundError:
            pass
        except OSError as exc:
            logger.debug("cannot check the instance lock %s: %s", self.path, exc)
            return True
        try:
            new_fd = _flock_acquire(self.path)
        except LockError as exc:
            logger.warning("cannot lock the new instance lock file %s: %s", self.path, exc)
            return False
        if new_fd is None:
            logger.warning(
                "the instance lock file %s was replaced and another process locked it", self.path
            )
            return False
        logger.warning("the instance lock file %s was deleted; it is locked again", self.path)
        os.close(fd)  # the old, deleted file: nobody can find it any more
        self._handle = new_fd
        return True

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        if isinstance(handle, int):
            os.close(handle)  # closing the last descriptor drops the flock
        else:
            handle.unlock()


def is_held(path: Path, kind: LockKind) -> bool:
    """Does a process hold the instance lock at ``path``? (False when in doubt.)"""
    if kind == "qt":
        try:
            handle = _qt_acquire(path)
        except LockError:
            return False
        if handle is None:
            return path.exists()  # held, unless it could not be created at all
        handle.unlock()
        return False
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return False  # no lock file: nobody ever locked it here
    try:
        # Shared, so that several commands asking at once do not see each other as NeckCare.
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False


def holder_pid(path: Path) -> int | None:
    """The process id the holder wrote into the lock file, for messages (may be stale)."""
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    first = text.split("\n", 1)[0].strip()
    return int(first) if first.isdigit() else None


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _flock_acquire(path: Path) -> int | None:
    import fcntl

    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            raise LockError(exc.errno, f"cannot open {path}: {exc.strerror}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except OSError as exc:
            os.close(fd)
            if exc.errno == errno.EINTR:
                continue
            raise LockError(exc.errno, f"cannot lock {path}: {exc.strerror}") from exc
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        if current is None or not _same_file(current, os.fstat(fd)):
            os.close(fd)  # deleted between open and lock: lock the file that is there now
            continue
        try:  # the holder's pid, for messages; best effort
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        except OSError:
            pass
        return fd


def _qt_acquire(path: Path) -> QLockFile | None:
    from PySide6.QtCore import QLockFile

    lock = QLockFile(str(path))
    # Never stale by age: the lock lasts as long as the app. A crashed holder is still
    # noticed, by its process id.
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None
    raise LockError(errno.EIO, f"cannot lock {path}: {lock.error().name}")
