"""Replacing a file so that nobody ever reads half of it.

Settings, the app's state, the therapy state and the autostart entry are all read by
someone at a moment NeckCare does not choose (the person's editor, a restart after a
crash, the session manager at login). Each is written to a temporary file in the same
folder, flushed to the disk, and renamed over the old one: a reader sees the old file or
the new one, never a mix, and a reboot right after finds the new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` (file mode ``mode``); raises OSError on failure and
    leaves no temporary file behind. The folder must exist."""
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
