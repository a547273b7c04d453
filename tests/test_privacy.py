"""Privacy: the app opens no network connection, and its files are the user's alone."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

posix_only = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def _inet_inodes() -> set[str]:
    inodes: set[str] = set()
    for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6"):
        path = Path("/proc/net") / table
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if len(fields) > 9:
                inodes.add(fields[9])
    return inodes


def _socket_inodes(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(target[len("socket:[") : -1])
    return found


@posix_only
def test_the_running_app_opens_no_network_socket(tmp_path, qtbot):
    """Start the real app (offscreen, compressed time), let it work, and list its sockets."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "NECKCARE_TIME_SCALE": "600",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_RUNTIME_DIR": str(tmp_path / "run"),
    }
    (tmp_path / "run").mkdir(mode=0o700)
    config = tmp_path / "config" / "neckcare-desktop"
    config.mkdir(parents=True, mode=0o700)
    (tmp_path / "config").chmod(0o700)
    settings = config / "settings.toml"
    settings.write_text(
        "[app]\nautostart_asked = true\n[therapy]\nice_minutes = 1\n", encoding="utf-8"
    )
    settings.chmod(0o600)
    stderr = (tmp_path / "stderr.txt").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "neckcare_desktop", "--debug"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,  # a file, not a pipe: a full pipe would block the app
    )
    log = tmp_path / "state" / "neckcare-desktop" / "log" / "neckcare.log"
    try:
        qtbot.waitUntil(
            lambda: log.exists() and "neckcare ready" in log.read_text(), timeout=30_000
        )
        # Do something that touches every subsystem: ice via the socket, a break, history.
        for args in (["ice"], ["break"], ["status", "--json"]):
            subprocess.run(
                [sys.executable, "-m", "neckcare_desktop", *args],
                env=env,
                capture_output=True,
                timeout=30,
                check=True,
            )
        qtbot.waitUntil(
            lambda: (
                "therapy_completed" in log.read_text()
                or "Recorded therapy_completed" in log.read_text()
            ),
            timeout=30_000,
        )
        sockets = _socket_inodes(proc.pid)
        assert sockets, "expected at least the local command socket"
        assert not sockets & _inet_inodes(), "NeckCare opened a network socket"
        # Every file it wrote is the user's alone.
        for folder in (tmp_path / "config", tmp_path / "data", tmp_path / "state"):
            for path in folder.rglob("*"):
                mode = stat.S_IMODE(path.stat().st_mode)
                assert mode & 0o077 == 0, f"{path} is {oct(mode)}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        stderr.close()
    # SIGTERM is a normal quit: exit status 0 and a clean history.
    assert proc.returncode == 0, (tmp_path / "stderr.txt").read_text()[-2000:]
