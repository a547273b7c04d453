"""Idle time and fullscreen detection against a real X server (the shared Xvfb desktop).

What a person would notice: time away from the mouse grows and drops to nothing when they
touch it; the screen saver counts as away; a fullscreen window holds breaks back until it
closes, and NeckCare's own windows never do. Input comes from ``xdotool`` (XTEST), the
fullscreen window from a small PySide6 program running on the test display. The dunst test
drives the real QtDBus path against the desktop's private session bus.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from neckcare_desktop.platform.backends import BackendUnavailable
from neckcare_desktop.platform.dbus import QtDBusCaller
from neckcare_desktop.platform.dnd import (
    DndMonitor,
    NotificationServerBackend,
    X11FullscreenBackend,
)
from neckcare_desktop.platform.idle import IdleMonitor, IdleReading, X11IdleBackend

from .conftest import skip_module_without_prerequisites, skip_or_fail
from .desktop import Desktop, wait_until

pytestmark = pytest.mark.e2e
skip_module_without_prerequisites()

WINDOW_TITLE = "Slides - NeckCare e2e"

#: A fullscreen window on $DISPLAY; "close" on stdin closes it, end of input quits.
FULLSCREEN_PROGRAM = """
import sys
from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication(sys.argv)
app.setQuitOnLastWindowClosed(False)
window = QWidget()
window.setWindowTitle(sys.argv[1])
window.showFullScreen()

def command():
    line = sys.stdin.readline()
    if line.strip() == "close":
        window.close()
    elif not line:
        app.quit()

notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
notifier.activated.connect(command)
sys.exit(app.exec())
"""


@pytest.fixture
def idle_backend(desktop: Desktop) -> Iterator[X11IdleBackend]:
    backend = X11IdleBackend(desktop.display)
    try:
        backend.read()
    except BackendUnavailable as exc:
        backend.close()
        skip_or_fail(f"X11 idle time unreadable ({exc.reason}): apt-get install libxss1")
    yield backend
    backend.close()


def read(backend: X11IdleBackend) -> IdleReading:
    reading = backend.read()
    assert reading is not None
    return reading


def move_mouse(desktop: Desktop) -> None:
    """Real pointer motion: two different spots, since moving to where it is sends nothing."""
    desktop.run("xdotool", "mousemove", "300", "200")
    desktop.run("xdotool", "mousemove", "310", "210")


def test_idle_time_grows_without_input_and_a_mouse_move_resets_it(
    desktop: Desktop, idle_backend: X11IdleBackend
):
    move_mouse(desktop)
    start = read(idle_backend).idle_seconds
    assert start < 1.0, f"idle {start:.2f} s right after moving the mouse"

    # Nobody touches anything: the idle time keeps growing.
    grown = wait_until(
        lambda: (r := read(idle_backend)).idle_seconds >= start + 1.5 and r,
        15,
        "idle time to grow by 1.5 s without input",
    )
    assert grown.backend == "x11-screensaver"
    assert not grown.locked

    move_mouse(desktop)
    after = read(idle_backend).idle_seconds
    assert after < 1.0, f"idle still {after:.2f} s after moving the mouse"
    assert after < grown.idle_seconds - 1.0


def test_screen_saver_counts_as_away_until_input(desktop: Desktop, idle_backend: X11IdleBackend):
    monitor = IdleMonitor([idle_backend])
    try:
        desktop.run("xset", "s", "activate")
        locked = wait_until(
            lambda: (r := monitor.read()) is not None and r.locked and r,
            10,
            "the active screen saver to read as locked",
        )
        assert monitor.backend_name == "x11-screensaver"
        assert locked.backend == "x11-screensaver"

        move_mouse(desktop)  # any input stops the screen saver
        wait_until(
            lambda: (r := monitor.read()) is not None and not r.locked,
            10,
            "the screen saver to stop after input",
        )
    finally:
        desktop.run("xset", "s", "reset", check=False)


@dataclass
class FullscreenWindow:
    proc: subprocess.Popen[str]
    wid: int

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("close\n")
        self.proc.stdin.flush()


@pytest.fixture
def fullscreen_window(desktop: Desktop, tmp_path: Path) -> Iterator[FullscreenWindow]:
    script = tmp_path / "fullscreen.py"
    script.write_text(FULLSCREEN_PROGRAM, encoding="utf-8")
    with open(tmp_path / "fullscreen.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, str(script), WINDOW_TITLE],
            env=desktop.env(),  # DISPLAY of the test desktop, no QT_QPA_PLATFORM
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=log,
            text=True,
            cwd=tmp_path,
        )
    try:
        wid = desktop.wait_for_window(WINDOW_TITLE, 20, pid=proc.pid)
        yield FullscreenWindow(proc, wid)
    finally:
        if proc.stdin is not None:
            proc.stdin.close()  # end of input: the program quits
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def test_fullscreen_window_holds_breaks_back_until_it_closes(
    desktop: Desktop, tmp_path: Path, request: pytest.FixtureRequest
):
    monitor = DndMonitor([X11FullscreenBackend(desktop.display)])
    try:
        assert monitor.read().active is False, "a fullscreen window was already open"

        window: FullscreenWindow = request.getfixturevalue("fullscreen_window")
        active = wait_until(
            lambda: (r := monitor.read()).active and r, 10, "do-not-disturb to turn on"
        )
        assert active.reason == f"fullscreen window: {WINDOW_TITLE!r}"

        # The same window counts for nothing when it is one of our own (a break window).
        ours = DndMonitor([X11FullscreenBackend(desktop.display, own_pid=window.proc.pid)])
        try:
            assert ours.read().active is False
        finally:
            ours.close()

        window.close()
        desktop.wait_window_gone(window.wid)
        wait_until(lambda: not monitor.read().active, 10, "do-not-disturb to turn off")
    finally:
        monitor.close()


def test_with_a_window_manager_only_the_active_window_counts(
    desktop: Desktop, fullscreen_window: FullscreenWindow
):
    """A window manager publishes _NET_ACTIVE_WINDOW; a fullscreen video left in the
    background must not hold breaks back. Xvfb has no window manager, so the test plays
    its part by setting the root property itself (and removes it afterwards)."""
    monitor = DndMonitor([X11FullscreenBackend(desktop.display)])

    def set_active(wid: int) -> None:
        desktop.run(
            "xprop",
            "-root",
            "-f",
            "_NET_ACTIVE_WINDOW",
            "32c",
            "-set",
            "_NET_ACTIVE_WINDOW",
            str(wid),
        )

    try:
        set_active(fullscreen_window.wid)
        wait_until(lambda: monitor.read().active, 10, "the active fullscreen window to count")
        set_active(0)  # the person switched to the desktop
        wait_until(
            lambda: not monitor.read().active, 10, "a background fullscreen window to be ignored"
        )
    finally:
        desktop.run("xprop", "-root", "-remove", "_NET_ACTIVE_WINDOW", check=False)
        monitor.close()


def test_paused_dunst_is_do_not_disturb(desktop: Desktop, qapp):
    if shutil.which("dunstctl") is None:
        skip_or_fail("dunstctl missing: apt-get install dunst")
    caller = QtDBusCaller(address=desktop.bus_address)
    monitor = DndMonitor([NotificationServerBackend(caller)])
    try:
        assert monitor.read().active is False
        desktop.run("dunstctl", "set-paused", "true")
        reading = wait_until(lambda: (r := monitor.read()).active and r, 10, "dunst paused")
        assert reading.reason == "notifications paused (dunst)"
        desktop.run("dunstctl", "set-paused", "false")
        wait_until(lambda: not monitor.read().active, 10, "dunst to resume")
    finally:
        desktop.run("dunstctl", "set-paused", "false", check=False)
        monitor.close()
