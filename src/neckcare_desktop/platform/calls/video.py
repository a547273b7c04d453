"""Camera in use on Linux: another process holds a ``/dev/video*`` device open.

What is read: which files processes hold open (``/proc/<pid>/fd`` links, the list ``lsof``
and ``fuser`` read), compared with the video device files. Never a frame: no device is
opened here.

When it is read: a camera has no "in use" event of its own, but the kernel reports every
open and close of a device file through inotify (``IN_OPEN``/``IN_CLOSE_*`` on
``/dev/video*``; ``QFileSystemWatcher`` cannot be used, it reports changes only). So the
scan runs when a video device is opened or closed (a burst is one scan,
:data:`COALESCE_MS`), when one is plugged in or removed (the device directory is watched
for ``video*`` names), and once at start: an idle desk costs no wake-ups. Where inotify is
missing (not Linux, or no watches left) the scan runs every :data:`FALLBACK_SCAN_S` seconds
instead, and only while a video device exists. Without any ``/dev/video*`` the scan is a
directory listing; with one it reads every fd link of this user's processes (about 10 ms
for 100 processes and 800 open files on the test machine), which happens only on those
events.

Test seams: ``device_dir`` (the folder holding ``video*`` files) and ``proc_root``.
"""

from __future__ import annotations

import ctypes
import logging
import os
import struct
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from neckcare_desktop.platform.calls.base import NO_PROC

logger = logging.getLogger(__name__)

COALESCE_MS: Final = 200
FALLBACK_SCAN_S: Final = 15.0
DEVICE_PREFIX: Final = "video"

# inotify(7) flags.
IN_CLOSE_WRITE: Final = 0x08
IN_CLOSE_NOWRITE: Final = 0x10
IN_OPEN: Final = 0x20
IN_MOVED_TO: Final = 0x80
IN_CREATE: Final = 0x100
IN_DELETE: Final = 0x200
IN_NONBLOCK: Final = os.O_NONBLOCK
IN_CLOEXEC: Final = 0o2000000
_EVENT = struct.Struct("iIII")
DEVICE_MASK: Final = IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE
DIR_MASK: Final = IN_CREATE | IN_DELETE | IN_MOVED_TO


def devices(device_dir: Path) -> list[Path]:
    """The video device files in ``device_dir``."""
    try:
        names = os.listdir(device_dir)
    except OSError:
        return []
    return [device_dir / n for n in sorted(names) if n.startswith(DEVICE_PREFIX)]


def holders(targets: set[str], proc_root: Path, own_pid: int) -> list[int]:
    """PIDs (other than ``own_pid``) with one of ``targets`` open, from ``proc_root/*/fd``.

    Other users' processes cannot be read (EACCES) and are skipped: their calls are not
    this person's. Processes that end during the scan are skipped too.
    """
    found = []
    for entry in os.scandir(proc_root):
        if not entry.name.isdigit() or int(entry.name) == own_pid:
            continue
        fd_dir = os.path.join(entry.path, "fd")
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(os.path.join(fd_dir, fd)) in targets:
                    found.append(int(entry.name))
                    break
            except OSError:
                continue
    return found


class VideoDeviceBackend:
    """Another process holds a video device open; :meth:`in_use` never waits."""

    name = "video-device-holders"
    device = "camera"

    def __init__(
        self,
        device_dir: Path | str = "/dev",
        proc_root: Path | str = "/proc",
        *,
        own_pid: int | None = None,
        inotify: bool = True,
        fallback_scan_s: float = FALLBACK_SCAN_S,
    ) -> None:
        self._device_dir = Path(device_dir)
        self._proc_root = Path(proc_root)
        self._own_pid = os.getpid() if own_pid is None else own_pid
        self._use_inotify = inotify
        self._fallback_scan_s = fallback_scan_s
        self._changed: Callable[[], None] | None = None
        self._started = False
        self._closed = False
        self._fd = -1
        self._libc: Any = None
        self._notifier: Any = None  # QSocketNotifier
        self._watched: dict[int, str] = {}  # inotify watch descriptor -> device path
        self._dir_watch = -1
        self._coalesce: Any = None  # QTimer
        self._fallback: Any = None  # QTimer
        self._in_use = False
        self._problem: str | None = None
        #: PIDs found holding a video device at the last scan, and how many scans ran.
        self.holders: list[int] = []
        self.scans = 0

    def start(self, changed: Callable[[], None]) -> None:
        self._changed = changed
        if self._started or self._closed:
            return
        self._started = True
        if not os.access(self._proc_root, os.R_OK | os.X_OK):
            self._problem = NO_PROC
            logger.info("camera watch: cannot read %s", self._proc_root)
            changed()
            return
        from PySide6.QtCore import QTimer

        self._coalesce = QTimer()
        self._coalesce.setSingleShot(True)
        self._coalesce.timeout.connect(self.scan)
        if not (self._use_inotify and self._start_inotify()):
            logger.info("camera watch: no inotify; looking every %g s", self._fallback_scan_s)
            self._fallback = QTimer()
            self._fallback.timeout.connect(self.scan)
            self._fallback.start(round(self._fallback_scan_s * 1000))
        self._coalesce.start(0)  # the first scan, from the event loop

    def in_use(self) -> bool:
        return self._in_use

    def problem(self) -> str | None:
        return self._problem

    @property
    def watching(self) -> list[str]:
        """The device files watched through inotify (for tests)."""
        return sorted(self._watched.values())

    def scan(self) -> None:
        """Look now (also what the events and the fallback timer call)."""
        if self._closed:
            return
        self.scans += 1
        present = devices(self._device_dir)
        if not present:
            found: list[int] = []
        else:
            targets = {str(path) for path in present}
            targets |= {os.path.realpath(path) for path in present}
            try:
                found = holders(targets, self._proc_root, self._own_pid)
            except OSError as exc:
                logger.debug("camera scan failed: %s", exc)
                found = []
        self.holders = found
        if bool(found) != self._in_use:
            self._in_use = bool(found)
            logger.debug("camera in use: %s (%d processes)", self._in_use, len(found))
            if self._changed is not None:
                self._changed()

    def close(self) -> None:
        self._closed = True
        self._changed = None
        for timer in (self._coalesce, self._fallback):
            if timer is not None:
                timer.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    # -- inotify ------------------------------------------------------------------------

    def _start_inotify(self) -> bool:
        if not sys.platform.startswith("linux"):
            return False
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.inotify_init1.argtypes = [ctypes.c_int]
            libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
            fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        except (OSError, AttributeError) as exc:
            logger.debug("inotify not available: %s", exc)
            return False
        if fd < 0:
            logger.debug("inotify_init1 failed: %s", os.strerror(ctypes.get_errno()))
            return False
        self._libc, self._fd = libc, fd
        self._dir_watch = self._add_watch(self._device_dir, DIR_MASK)
        if self._dir_watch < 0:
            os.close(fd)
            self._fd = -1
            return False
        self._watch_devices()
        from PySide6.QtCore import QSocketNotifier

        self._notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._on_inotify)
        return True

    def _add_watch(self, path: Path, mask: int) -> int:
        wd = int(self._libc.inotify_add_watch(self._fd, os.fsencode(path), mask))
        if wd < 0:
            logger.debug("cannot watch %s: %s", path, os.strerror(ctypes.get_errno()))
        return wd

    def _watch_devices(self) -> None:
        """Watch every video device file (again: inotify_add_watch on a watched file only
        returns its descriptor)."""
        self._watched = {}
        for path in devices(self._device_dir):
            wd = self._add_watch(path, DEVICE_MASK)
            if wd >= 0:
                self._watched[wd] = str(path)

    def _on_inotify(self, *_args: object) -> None:
        data = b""
        while True:
            try:
                chunk = os.read(self._fd, 65536)
            except BlockingIOError:
                break
            except OSError as exc:
                logger.debug("reading inotify failed: %s", exc)
                break
            if not chunk:
                break
            data += chunk
        offset, devices_changed, device_used = 0, False, False
        while offset + _EVENT.size <= len(data):
            wd, _mask, _cookie, length = _EVENT.unpack_from(data, offset)
            name = data[offset + _EVENT.size : offset + _EVENT.size + length].rstrip(b"\0")
            offset += _EVENT.size + length
            if wd == self._dir_watch:
                devices_changed |= name.startswith(DEVICE_PREFIX.encode())
            else:
                device_used = True
        if devices_changed:
            self._watch_devices()
        busy = self._coalesce is None or self._coalesce.isActive()
        if (devices_changed or device_used) and not busy:
            self._coalesce.start(COALESCE_MS)
