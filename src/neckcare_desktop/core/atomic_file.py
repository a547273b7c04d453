"""Replacing a file so that nobody ever reads half of it: NeckCare's one way to write one.

Settings, the app's state, the therapy state, the autostart entry and the desktop entry
are all read by someone at a moment NeckCare does not choose (the person's editor, a
restart after a crash, the session manager at login). Each is written to a temporary
file in the same folder, flushed to the disk, and renamed over the old one: a reader
sees the old file or the new one, never a mix. The folder is flushed too, so a reboot
right after finds the new name, not the old file or none.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` (file mode ``mode``, e.g. 0o644 for an entry the
    desktop reads); raises OSError on failure and leaves no temporary file behind.

    The folder must exist: the caller decides who may read it (0700 for NeckCare's own
    folders, the desktop's default for its autostart folder).
    """
    # mkstemp creates the file 0600 on POSIX: there is no moment it is readable by others.
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode != 0o600:
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Flush the rename itself to disk (POSIX; best effort: the file is already there)."""
    if os.name != "posix":
        return
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - a folder we just wrote into
        return
    try:
        os.fsync(dir_fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on a folder
        pass
    finally:
        os.close(dir_fd)
