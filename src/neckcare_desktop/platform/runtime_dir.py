"""The private folder that holds the command socket and the instance lock (POSIX).

Anybody who can reach the socket can control the app, and anybody who can put a file where
the socket or the lock belongs can keep NeckCare from being reached. So the folder must be
the user's own: a real folder (not a symbolic link), owned by the user, mode 0700, in a
parent nobody else can rename things in.

A folder planted by another user (or left by ``sudo neckcare``, which keeps
``XDG_RUNTIME_DIR``) is not a reason to refuse to start: the next folder of a fixed list is
used instead. The app and every ``neckcare`` command walk the same list with the same checks,
so they agree on the folder without talking to each other.
"""

from __future__ import annotations

import logging
import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from neckcare_desktop import APP_ID

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FolderChoice:
    """The folder to use, and why each folder before it in the list was passed over."""

    folder: Path
    passed_over: tuple[str, ...] = ()


class NoPrivateFolder(OSError):
    """Every candidate folder was unusable; the message lists why."""


def candidates() -> list[Path]:
    """The folders to try, best first.

    1. ``<runtime dir>/neckcare-desktop``: ``$XDG_RUNTIME_DIR`` (checked by platformdirs),
       a memory file system cleared at logout, the place the XDG spec gives sockets.
    2. ``<runtime dir>/neckcare-desktop-<uid>``: a name of our own next to it, for when the
       first one was created by another user.
    3. ``<state dir>/run`` (``~/.local/state/neckcare-desktop/run``): in the home folder,
       where nobody else can plant anything.
    """
    folders: list[Path] = []
    try:
        runtime = _runtime_path()
    except OSError as exc:  # platformdirs refuses a temporary fallback another user owns
        logger.debug("no runtime folder from platformdirs: %s", exc)
    else:
        folders += [runtime, runtime.with_name(f"{runtime.name}-{_uid()}")]
    folders.append(platformdirs.user_state_path(APP_ID, appauthor=False) / "run")
    return folders


def _runtime_path() -> Path:
    """platformdirs' runtime folder, with its fallback warning logged, not printed.

    Without ``XDG_RUNTIME_DIR`` (a login over ``su`` or ``ssh``, a cron job) platformdirs
    warns on stderr before falling back, and every ``neckcare`` command would print that
    library's warning to the terminal; the fallback it picks is fine and checked below.
    """
    quiet = getattr(platformdirs, "RuntimeDirWarning", None)  # older releases have none
    with warnings.catch_warnings(record=True) as caught:
        if quiet is not None:
            warnings.simplefilter("always", quiet)
        path = platformdirs.user_runtime_path(APP_ID, appauthor=False)
    for warning in caught:
        if quiet is not None and issubclass(warning.category, quiet):
            logger.debug("platformdirs: %s", warning.message)
        else:  # anything else is not ours to hide
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return path


def choose() -> FolderChoice:
    """The first candidate that is (or can be made) private; creates it if missing."""
    passed_over: list[str] = []
    for folder in candidates():
        problem = private_folder_problem(folder)
        if problem is None:
            return FolderChoice(folder, tuple(passed_over))
        logger.debug("not using %s for the command socket: %s", folder, problem)
        passed_over.append(f"{folder} {problem}")
    raise NoPrivateFolder("; ".join(passed_over))


def private_folder_problem(folder: Path) -> str | None:
    """None when ``folder`` is ours and private (created 0700 if missing), else why not."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError:
        pass  # a file or a dangling symbolic link: lstat below names it
    except OSError as exc:
        return f"cannot be created ({exc.strerror or exc})"
    try:
        info = os.lstat(folder)
    except OSError as exc:
        return f"cannot be inspected ({exc.strerror or exc})"
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if info.st_uid != _uid():
        return "belongs to another user"
    if problem := _parent_problem(folder.parent):
        return problem
    if info.st_mode & 0o077:
        try:
            os.chmod(folder, 0o700)
        except OSError as exc:
            return f"cannot be made private ({exc.strerror or exc})"
    return None


def _parent_problem(parent: Path) -> str | None:
    """Another user who may rename entries in the parent could swap our folder for theirs."""
    try:
        info = os.stat(parent)
    except OSError as exc:
        return f"is in a folder that cannot be inspected ({exc.strerror or exc})"
    if info.st_uid not in (_uid(), 0):
        return "is in a folder that belongs to another user"
    others_may_write = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    if others_may_write and not info.st_mode & stat.S_ISVTX:  # /tmp has the sticky bit
        return "is in a folder other users may change"
    return None


def _uid() -> int:
    return os.getuid()
