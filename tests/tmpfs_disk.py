"""A small real disk for tests: a tmpfs mounted by the test, to fill up or make read-only.

Why a real mount: a full disk and a read-only one must be seen by SQLite and the kernel the
way a person's disk is (ENOSPC half-way through a WAL frame, EROFS on a remount); chmod
does not work for root, who the CI runs as. Mounting needs root; without it the test is
skipped with the reason, except under CI=true, where a skip would hide a regression.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def require_root() -> None:
    if os.name != "posix" or os.geteuid() != 0:
        reason = "mounting a small tmpfs (full / read-only disk) needs root"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI=true must run these tests as root")
        pytest.skip(reason)


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, timeout=30)


class SmallDisk:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._filler = path / "filler.bin"

    def fill(self) -> None:
        """Take every free byte (ENOSPC from the next write that needs a new block)."""
        chunk = b"\1" * 4096
        fd = os.open(self._filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, chunk)
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\1")  # the last partial page too
        finally:
            os.close(fd)

    def free(self) -> None:
        self._filler.unlink(missing_ok=True)

    def read_only(self) -> None:
        _run("mount", "-o", "remount,ro", str(self.path))

    def writable(self) -> None:
        _run("mount", "-o", "remount,rw", str(self.path))


@contextlib.contextmanager
def small_disk(path: Path, size: str = "2m") -> Iterator[SmallDisk]:
    require_root()
    path.mkdir(parents=True, exist_ok=True)
    _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path))
    try:
        yield SmallDisk(path)
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            _run("umount", "-l", str(path))


@contextlib.contextmanager
def ext4_disk(path: Path, image: Path) -> Iterator[SmallDisk]:
    """A small ext4 file system on a loop device, mounted ``errors=remount-ro``: the kernel
    turns it read-only under open files when it meets an error, as a failing disk does
    (a tmpfs cannot be remounted read-only while a file on it is open for writing)."""
    require_root()
    if not Path("/dev/loop-control").exists() or not Path("/sys/fs/ext4").exists():
        pytest.skip("no loop devices or no ext4 in this kernel: cannot make a disk fail")
    subprocess.run(["truncate", "-s", "8M", str(image)], check=True)
    _run("mkfs.ext4", "-q", "-F", str(image))
    path.mkdir(parents=True, exist_ok=True)
    _run("mount", "-o", "loop,errors=remount-ro", str(image), str(path))
    try:
        yield SmallDisk(path)
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            _run("umount", "-l", str(path))


def fail_ext4(path: Path) -> None:
    """The kernel meets an error on the file system at ``path``: it goes read-only now."""
    subprocess.run(["sync"], check=True)  # what was written before reached the disk
    device = next(
        line.split()[0]
        for line in Path("/proc/mounts").read_text().splitlines()
        if line.split()[1] == str(path)
    )
    Path(f"/sys/fs/ext4/{Path(device).name}/trigger_fs_error").write_text("test\n")


def remount_ext4(path: Path, image: Path) -> None:
    """The disk is repaired and mounted again at the same place."""
    _run("umount", "-l", str(path))
    _run("mount", "-o", "loop,errors=remount-ro", str(image), str(path))
