"""``neckcare`` from a terminal gives the terminal back, and closing it does not quit NeckCare.

Real processes, offscreen: the command starts the app in a session of its own, prints one
line once the app answers and ends; the app answers commands, survives the SIGHUP of the
terminal it came from (a pseudo-terminal closed under a shell, as a terminal window does)
and quits on ``neckcare quit``. ``--foreground`` keeps the old way.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes import SRC_DIR

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="sessions and SIGHUP")

LINE = "NeckCare is running in your system tray; `neckcare quit` to stop it"
TIMEOUT_S = 60


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.delenv("NECKCARE_SOCKET", raising=False)
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "neckcare-desktop"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text("[app]\nautostart_asked = true\n")
    return {
        **os.environ,
        "PYTHONPATH": str(SRC_DIR),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
        "LANGUAGE": "",
    }


def neckcare(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "neckcare_desktop", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT_S,
    )


def app_pids(env: dict[str, str]) -> list[int]:
    """Live NeckCare app processes of this test (its runtime folder is in their environment)."""
    marker = f"XDG_RUNTIME_DIR={env['XDG_RUNTIME_DIR']}".encode()
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            cmdline = Path(entry.path, "cmdline").read_bytes().split(b"\0")
            environ = Path(entry.path, "environ").read_bytes().split(b"\0")
            state = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in environ and b"--foreground" in cmdline and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def wait_gone(pid: int) -> bool:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists() or pid not in _live([pid]):
            return True
        select.select([], [], [], 0.05)  # no event loop here: a bounded poll
    return False


def _live(pids: list[int]) -> list[int]:
    live = []
    for pid in pids:
        with contextlib.suppress(OSError):
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in "ZX":
                live.append(pid)
    return live


@pytest.fixture
def cleanup(env: dict[str, str]) -> Iterator[None]:
    yield
    for pid in app_pids(env):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_neckcare_starts_the_app_in_the_background_and_gives_the_terminal_back(env, cleanup):
    started = time.monotonic()
    result = neckcare(env)
    took = time.monotonic() - started

    assert result.returncode == 0, result.stderr
    assert result.stdout == LINE + "\n"
    (pid,) = app_pids(env)  # the app runs on, the command that started it has ended
    assert took < 30
    # Its own session, no terminal, stdio on the null device: nothing ties it to the shell.
    assert os.getsid(pid) == pid and os.getsid(pid) != os.getsid(0)
    for fd in (0, 1, 2):
        assert os.readlink(f"/proc/{pid}/fd/{fd}") == os.devnull
    # ... and it still logs, to its file.
    log = Path(env["XDG_STATE_HOME"]) / "neckcare-desktop" / "log" / "neckcare.log"
    assert "neckcare ready" in log.read_text(encoding="utf-8")

    status = neckcare(env, "status")
    assert status.returncode == 0 and status.stdout.strip(), status.stderr

    again = neckcare(env)  # already running: shows its window, starts nothing
    assert again.returncode == 0, again.stderr
    assert app_pids(env) == [pid]

    quit_ = neckcare(env, "quit")
    assert quit_.returncode == 0, quit_.stderr
    assert wait_gone(pid)


def test_closing_the_terminal_does_not_quit_neckcare(env, cleanup):
    """A shell in a pseudo-terminal runs ``neckcare`` and waits; the terminal then closes:
    the kernel hangs up the shell's session, and everything in it gets SIGHUP."""
    child, master = pty.fork()
    if child == 0:  # the shell of a terminal window
        os.execvpe(
            "sh",
            ["sh", "-c", f"{sys.executable} -m neckcare_desktop; exec sleep {TIMEOUT_S}"],
            env,
        )
    output = b""
    deadline = time.monotonic() + TIMEOUT_S
    try:
        while LINE.encode() not in output and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if ready:
                with contextlib.suppress(OSError):
                    output += os.read(master, 4096)
        assert LINE.encode() in output, output
        (pid,) = app_pids(env)
        session = os.getsid(child)
        assert os.getsid(pid) != session
        os.close(master)  # the terminal window closes
        master = -1
        for entry in os.scandir("/proc"):  # and the hang-up reaches its whole session
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    if os.getsid(int(entry.name)) == session:
                        os.kill(int(entry.name), signal.SIGHUP)
        os.waitpid(child, 0)
    finally:
        if master != -1:
            os.close(master)
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)

    status = neckcare(env, "status")
    assert status.returncode == 0, status.stderr  # still there, still answering
    assert app_pids(env) == [pid]
    assert neckcare(env, "quit").returncode == 0
    assert wait_gone(pid)


def test_foreground_keeps_the_app_in_the_process_that_was_started(env, cleanup):
    proc = subprocess.Popen(
        [sys.executable, "-m", "neckcare_desktop", "--foreground"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while neckcare(env, "status").returncode != 0:
            assert proc.poll() is None, "neckcare --foreground ended"
            assert time.monotonic() < deadline, "neckcare --foreground never answered"
        assert app_pids(env) == [proc.pid]  # this very process is the app
        assert neckcare(env, "quit").returncode == 0
        assert proc.wait(timeout=TIMEOUT_S) == 0
        assert proc.stdout is not None and proc.stdout.read() == b""  # no line: not detached
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_an_app_that_cannot_start_is_reported_with_its_log(env, cleanup):
    result = neckcare({**env, "QT_QPA_PLATFORM": "no-such-platform"})
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("neckcare: NeckCare could not start (exit status ")
    assert "neckcare.log" in result.stderr
    assert app_pids(env) == []
