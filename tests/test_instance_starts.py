"""Starting ``neckcare`` twice with odd files at the socket path: still one NeckCare.

Real processes, as a person starts them (offscreen, with the default runtime folder): the
first start with a plain file where the socket belongs, then second starts while the socket
is deleted (a ``/tmp`` cleaner) or replaced by a plain file. Each second start hands its
command over and exits; before the instance lock, each one became another full app.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes import SRC_DIR

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a socket file")

START_TIMEOUT_S = 60


class RunningApp:
    """``neckcare --foreground --debug`` as a child of the test (``--foreground``: this
    process is the app, not a parent that detaches it); its log lines (stderr) are read as
    they come."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "neckcare_desktop", "--foreground", "--debug"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:  # drained all the time, so the app never blocks on it
            self.lines.put(raw.decode(errors="replace"))
        self.lines.put("")

    def wait_for(self, text: str) -> str:
        """The first log line (from now on, or already seen) containing ``text``."""
        for line in self.seen:
            if text in line:
                return line
        while True:
            line = self.lines.get(timeout=START_TIMEOUT_S)
            assert line, f"NeckCare ended before logging {text!r}:\n{''.join(self.seen)}"
            self.seen.append(line)
            if text in line:
                return line

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=START_TIMEOUT_S)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.delenv("NECKCARE_SOCKET", raising=False)
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "neckcare-desktop"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text("[app]\nautostart_asked = true\n")
    return {**os.environ, "PYTHONPATH": str(SRC_DIR), "QT_QPA_PLATFORM": "offscreen"}


@pytest.fixture
def sock(env: dict[str, str]) -> Path:
    return Path(env["XDG_RUNTIME_DIR"]) / "neckcare-desktop" / "neckcare.sock"


@pytest.fixture
def first(env: dict[str, str], sock: Path) -> Iterator[RunningApp]:
    sock.parent.mkdir(mode=0o700)
    sock.write_text("precious")  # a plain file where the socket belongs, before the first start
    app = RunningApp(env)
    yield app
    app.stop()


def neckcare(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "neckcare_desktop", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=START_TIMEOUT_S,  # a second full app would never end: this fails it
    )


def test_second_starts_hand_over_whatever_happens_to_the_socket(first, env, sock):
    first.wait_for(f"listening for commands on {sock}")
    first.wait_for("moved it aside")
    (aside,) = sock.parent.glob("neckcare.sock.moved-aside-*")
    assert aside.read_text() == "precious"

    second = neckcare(env)  # a plain second start: shows the first one's window
    assert second.returncode == 0, second.stderr

    os.unlink(sock)  # a /tmp cleaner
    after_cleaner = neckcare(env)
    assert after_cleaner.returncode == 0, after_cleaner.stderr
    first.wait_for("was deleted; making a new one")

    junk = sock.with_name("junk")
    junk.write_text("junk")
    os.replace(junk, sock)  # replaced by a plain file while running (in one step: the app
    # makes a new socket as soon as the old one is gone)
    after_file = neckcare(env)
    assert after_file.returncode == 0, after_file.stderr

    status = neckcare(env, "status")
    assert status.returncode == 0, status.stderr
    assert first.proc.poll() is None  # the first one is NeckCare all along
    assert "NeckCare is already running" not in "".join(first.seen)  # it never gave up
    quit_ = neckcare(env, "quit")
    assert quit_.returncode == 0, quit_.stderr
    assert first.proc.wait(timeout=START_TIMEOUT_S) == 0
