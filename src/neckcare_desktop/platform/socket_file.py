"""What is at the command socket's path, and clearing the way for a new socket.

Who NeckCare is, is decided by the instance lock (:mod:`.instance_lock`), never by the
socket file, so whatever sits at the socket's path when NeckCare (holding the lock) wants
to listen is not a live NeckCare's: a socket left by a crash is removed, anything else (a
plain file, a folder, a link, another user's socket) is moved aside, never deleted. Used by
:class:`~neckcare_desktop.platform.single_instance.InstanceServer`.
"""

from __future__ import annotations

import logging
import os
import stat
from datetime import datetime
from pathlib import Path

from neckcare_desktop.platform import runtime_dir
from neckcare_desktop.platform.instance_client import (
    PROBE_TIMEOUT_MS,
    SOCKET_ENV,
    AlreadyRunning,
    Backend,
    InstanceError,
    probe,
)

logger = logging.getLogger(__name__)


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` 0o700, and refuse one another user could have planted."""
    problem = runtime_dir.private_folder_problem(folder)
    if problem is not None:
        raise InstanceError(
            f"The folder {folder} for NeckCare's command socket {problem}; "
            f"set XDG_RUNTIME_DIR or {SOCKET_ENV} to a folder of your own."
        )


def socket_id(path: Path) -> tuple[int, int] | None:
    """Device and inode of the socket at ``path``; None when no socket is there."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISSOCK(info.st_mode) else None


def describe(info: os.stat_result) -> str:
    mode = info.st_mode
    if stat.S_ISSOCK(mode):
        return "another user's socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    return "a regular file" if stat.S_ISREG(mode) else "a file that is not a socket"


def clear_way(name: str, path: Path | None, backend: Backend) -> None:
    """Whatever holds the socket's name now is not a live NeckCare: clear it away.

    Only to be called with the instance lock held. A socket nobody answers on was left by a
    crash and is removed; anything else (a plain file, a folder, a link, another user's
    socket) is moved aside, never deleted. A socket of ours that answers belongs to a NeckCare
    older than the lock: that one is running, so this one is not needed.
    """
    if path is None:
        raise_if_answered(name, backend)
        from neckcare_desktop.platform.local_socket_qt import QtListener

        QtListener.remove(name)
        return
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InstanceError(f"Cannot inspect {path}: {exc}.") from exc
    if stat.S_ISSOCK(info.st_mode) and info.st_uid == os.getuid():
        raise_if_answered(name, backend)
        logger.warning("replacing the stale command socket %s left by an earlier crash", path)
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise InstanceError(f"Cannot remove the stale command socket {path}: {exc}.") from exc
        return
    aside = aside_name(path)
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InstanceError(
            f"{path} is {describe(info)}, not NeckCare's socket, and cannot be moved "
            f"aside ({exc.strerror or exc}); move it away or set {SOCKET_ENV} elsewhere."
        ) from exc
    logger.warning(
        "%s was in the way of the command socket (%s); moved it aside to %s",
        path,
        describe(info),
        aside,
    )


def aside_name(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.moved-aside-{stamp}")
    number = 1
    while os.path.lexists(aside):
        number += 1
        aside = path.with_name(f"{path.name}.moved-aside-{stamp}-{number}")
    return aside


def raise_if_answered(name: str, backend: Backend) -> None:
    answered = probe(name, PROBE_TIMEOUT_MS, backend)
    if answered:
        raise AlreadyRunning(f"NeckCare is already running (it answers on {name}).")
    if answered is None:
        raise AlreadyRunning(
            f"Another NeckCare seems to hold {name} but does not answer; "
            f"end it before starting a new one."
        )
