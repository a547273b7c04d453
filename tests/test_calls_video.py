"""Camera in use on Linux: another process holding a video device open.

There is no ``/dev/video*`` on the test machines (and no v4l2loopback), so the device
directory is a test seam: plain files named ``video0``… in a temporary folder, opened by a
real helper process. The process table is the real ``/proc`` (or a fake one, to check the
scan's rules), and the change is seen through real inotify events, not a timer.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from neckcare_desktop.platform.calls import CallMonitor
from neckcare_desktop.platform.calls.video import VideoDeviceBackend, holders

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's /proc")

#: Holds the file it is given open until its stdin closes (like a video call app).
HOLDER = "import sys; f = open(sys.argv[1], 'rb'); print('open', flush=True); sys.stdin.read()"


class Holder:
    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline() == "open\n"

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(10)


@pytest.fixture
def devices(tmp_path: Path) -> Path:
    folder = tmp_path / "dev"
    folder.mkdir()
    (folder / "video0").write_bytes(b"")
    (folder / "null").write_bytes(b"")  # not a camera
    return folder


@pytest.fixture
def watch() -> Iterator[Any]:
    made: list[CallMonitor] = []

    def make(device_dir: Path, **kwargs: Any) -> tuple[CallMonitor, VideoDeviceBackend]:
        kwargs.setdefault("fallback_scan_s", 3600)  # a test that needs the timer sets it
        backend = VideoDeviceBackend(device_dir, **kwargs)
        made.append(CallMonitor([backend]))
        return made[-1], backend

    yield make
    for monitor in made:
        monitor.close()


def test_a_process_holding_the_camera_is_a_call_until_it_lets_go(qtbot, devices, watch):
    monitor, backend = watch(devices)
    qtbot.waitUntil(lambda: backend.scans == 1)
    assert not monitor.in_call()
    assert backend.watching == [str(devices / "video0")]

    with qtbot.waitSignal(monitor.in_call_changed, timeout=5000) as started:
        holder = Holder(devices / "video0")
    try:
        assert started.args == [True]
        assert monitor.in_use() == ["camera"]
        assert backend.holders == [holder.process.pid]
        with qtbot.waitSignal(monitor.in_call_changed, timeout=5000) as ended:
            holder.close()
        assert ended.args == [False]
    finally:
        holder.close()
    # Seen through the open and close events: a handful of scans, no timer.
    assert backend.scans <= 4


def test_other_files_in_the_device_folder_are_not_a_camera(qtbot, devices, watch):
    monitor, backend = watch(devices)
    qtbot.waitUntil(lambda: backend.scans == 1)
    other = Holder(devices / "null")
    camera = Holder(devices / "video0")
    try:
        qtbot.waitUntil(monitor.in_call, timeout=5000)
        # The other file's opening was not even looked at; the camera's was, once.
        assert backend.scans == 2
        assert backend.holders == [camera.process.pid]
    finally:
        other.close()
        camera.close()


def test_a_camera_plugged_in_later_is_watched(qtbot, devices, watch):
    monitor, backend = watch(devices)
    qtbot.waitUntil(lambda: backend.scans == 1)
    (devices / "video2").write_bytes(b"")  # a USB webcam plugged in
    qtbot.waitUntil(lambda: str(devices / "video2") in backend.watching, timeout=5000)
    holder = Holder(devices / "video2")
    try:
        qtbot.waitUntil(monitor.in_call, timeout=5000)
    finally:
        holder.close()
    qtbot.waitUntil(lambda: not monitor.in_call(), timeout=5000)


def test_without_inotify_a_slow_look_still_sees_the_camera(qtbot, devices, watch):
    monitor, _backend = watch(devices, inotify=False, fallback_scan_s=0.1)
    holder = Holder(devices / "video0")
    try:
        qtbot.waitUntil(monitor.in_call, timeout=5000)
    finally:
        holder.close()
    qtbot.waitUntil(lambda: not monitor.in_call(), timeout=5000)


def fake_proc(root: Path, links: dict[str, dict[str, str]]) -> Path:
    """A /proc with ``pid -> {fd: target}`` links (and a non-process entry)."""
    for pid, fds in links.items():
        (root / pid / "fd").mkdir(parents=True)
        for fd, target in fds.items():
            (root / pid / "fd" / fd).symlink_to(target)
    (root / "self").mkdir(exist_ok=True)
    return root


def test_the_scan_counts_other_processes_only(tmp_path, devices):
    proc = fake_proc(
        tmp_path / "proc",
        {
            "100": {"0": "/dev/null", "7": str(devices / "video0")},  # a call app
            "200": {"3": str(devices / "null")},
            str(os.getpid()): {"9": str(devices / "video0")},  # NeckCare itself
        },
    )
    targets = {str(devices / "video0")}
    assert holders(targets, proc, own_pid=os.getpid()) == [100]
    assert holders(targets, proc, own_pid=100) == [os.getpid()]


def test_without_a_process_table_settings_say_so(qtbot, devices, watch, tmp_path):
    monitor, _backend = watch(devices, proc_root=tmp_path / "no-proc")
    assert not monitor.available()
    assert monitor.describe() == (
        "Call detection is not available: the list of processes (/proc) cannot be read."
    )
