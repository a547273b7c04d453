"""The break window on a real GNOME Shell 43 on Wayland (headless, tests/e2e/gnome_desktop.py).

On Wayland a client cannot place itself or stay on top, and GNOME gives every newly mapped
window the keyboard focus (Qt's "show without activating" is not passed on). While the
person types in another app, NeckCare maps its break window minimized and asks for
activation; GNOME answers with its own "… is ready" and NeckCare's notification says what is
due. The person's keyboard stays where it was; one click brings the window, on the screen
the compositor chooses.

The person here is a text editor (another Wayland client) and keystrokes sent through
Mutter's remote-desktop D-Bus API, which the compositor handles like a real keyboard's: the
keys typed while the break comes due must all land in the editor.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import gnome_desktop as rig
from .desktop import _read_line, _terminate, wait_until
from .gnome_desktop import GnomeDesktop

# The rig's fixtures, used by name.
gnome = rig.gnome
start_gnome_neckcare = rig.start_gnome_neckcare

rig.skip_module_without_gnome()

MICRO_BREAK = "Micro-break — NeckCare"
EDITOR = "Someone's notes"
#: Typed at about 20 keys a second, from before the break is due until well after.
SENTENCE = "the quick brown fox jumps over the lazy dog " * 5

#: A text field in its own Wayland window: the app the person is typing in. It prints its
#: whole text after every change.
EDITOR_SCRIPT = f"""
import sys
from PySide6.QtWidgets import QApplication, QPlainTextEdit
app = QApplication(sys.argv)
app.setDesktopFileName("notes-editor")
editor = QPlainTextEdit()
editor.setWindowTitle({EDITOR!r})
editor.resize(700, 500)
editor.textChanged.connect(lambda: print("text:" + repr(editor.toPlainText()), flush=True))
editor.show()
app.exec()
"""

#: Types each line of its stdin into whatever has GNOME's keyboard focus, through a Mutter
#: remote-desktop session (it lives as long as this process's bus connection). Prints
#: "ready" once the session runs and "typed N" after each line.
TYPIST_SCRIPT = """
import sys, threading
from PySide6.QtCore import QCoreApplication
from PySide6.QtDBus import QDBusConnection, QDBusInterface
from neckcare_desktop.platform.dbus_args import uint32
app = QCoreApplication(sys.argv)
bus = QDBusConnection.sessionBus()
DEST = "org.gnome.Mutter.RemoteDesktop"
reply = QDBusInterface(DEST, "/org/gnome/Mutter/RemoteDesktop", DEST, bus).call("CreateSession")
if reply.errorMessage():
    sys.exit("CreateSession: " + reply.errorMessage())
path = reply.arguments()[0]
session = QDBusInterface(DEST, getattr(path, "path", lambda: str(path))(), DEST + ".Session", bus)
if session.call("Start").errorMessage():
    sys.exit("Start failed")
def key(keysym):
    for down in (True, False):
        answer = session.call("NotifyKeyboardKeysym", uint32(keysym), down)
        if answer.errorMessage():
            sys.exit("NotifyKeyboardKeysym: " + answer.errorMessage())
# The first key of a new virtual keyboard is lost while Mutter sets the device up.
key(0xFFE1)  # Shift
threading.Event().wait(0.3)
print("ready", flush=True)
for line in sys.stdin:
    text = line.rstrip("\\n")
    for ch in text:
        key(ord(ch))  # Latin-1 keysyms are the characters' code points
        threading.Event().wait(0.04)  # a typing rhythm
    print(f"typed {len(text)}", flush=True)
session.call("Stop")
"""


def _client(gnome: GnomeDesktop, script: str, log: Path | None, **kwargs: Any) -> Any:
    out = open(log, "wb") if log is not None else None  # noqa: SIM115 (closed below)
    try:
        return subprocess.Popen(
            [sys.executable, "-c", script],
            env=gnome.env({"QT_QPA_PLATFORM": "wayland"}),
            stdout=out or subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **kwargs,
        )
    finally:
        if out is not None:
            out.close()


class Editor:
    def __init__(self, log: Path) -> None:
        self.log = log

    def text(self) -> str:
        lines = [
            line
            for line in self.log.read_text(errors="replace").splitlines()
            if line.startswith("text:")
        ]
        return str(ast.literal_eval(lines[-1][5:])) if lines else ""


@pytest.fixture
def editor(gnome: GnomeDesktop, tmp_path: Path) -> Iterator[Editor]:
    """Another app's window with the keyboard focus, as when someone is writing."""
    log = tmp_path / "editor.log"
    proc = _client(gnome, EDITOR_SCRIPT, log, stdin=subprocess.DEVNULL)
    try:
        wait_until(
            lambda: any(w["title"] == EDITOR and w["focus"] for w in gnome.windows()),
            20,
            "the editor to be mapped with the keyboard focus",
            interval=0.1,
            details=lambda: log.read_text(errors="replace"),
        )
        yield Editor(log)
    finally:
        _terminate(proc)


@pytest.fixture
def typist(gnome: GnomeDesktop) -> Iterator[subprocess.Popen[bytes]]:
    proc = _client(gnome, TYPIST_SCRIPT, None, stdin=subprocess.PIPE)
    assert proc.stdout is not None
    try:
        line = _read_line(proc.stdout.fileno(), 20, "the typist's remote-desktop session")
        assert line == "ready", line
        yield proc
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        _terminate(proc)


def focused_title(gnome: GnomeDesktop) -> str | None:
    return gnome.eval_js(
        "global.display.focus_window ? global.display.focus_window.get_title() : null"
    )


def break_windows(app: Any) -> list[dict[str, Any]]:
    return [w for w in app.windows() if w["title"] == MICRO_BREAK]


def test_due_break_keeps_the_keyboard_announces_itself_and_opens_on_a_click(
    gnome: GnomeDesktop, start_gnome_neckcare, editor: Editor, typist, artifacts: Path
):
    app = start_gnome_neckcare(
        {
            "breaks": {
                # Natural breaks off: the time before the typing would count as a break.
                "natural_breaks": False,
                "micro": {"enabled": True, "interval_minutes": 5},
                "posture": {"enabled": False},
            }
        },
        time_scale=60,  # the micro-break is due 5 s after the start
    )
    assert focused_title(gnome) == EDITOR
    assert not break_windows(app), "the break came before the typing started"

    # Someone writes on while the break comes due (about 12 s of typing).
    typist.stdin.write(SENTENCE.encode() + b"\n")
    typist.stdin.flush()
    done = _read_line(typist.stdout.fileno(), 90, "the typist to finish")
    assert done == f"typed {len(SENTENCE)}", done
    assert app.events("break_due", "micro"), "the break was not due while typing"
    windows = break_windows(app)
    assert windows, app.logs()

    # Every key went to the editor: none was lost to the break window, none answered it.
    wait_until(
        lambda: editor.text() == SENTENCE,
        10,
        "the editor to hold the whole sentence",
        details=lambda: repr(editor.text()),
    )
    assert focused_title(gnome) == EDITOR, gnome.windows()
    assert windows[0]["minimized"] and not windows[0]["focus"], windows
    for answered in ("break_started", "break_skipped", "break_postponed"):
        assert not app.events(answered), answered

    # Announced where it is seen: NeckCare's notification in GNOME's message tray, and
    # GNOME's own "… is ready" for the window that asked to be activated.
    ready_text = f"“{MICRO_BREAK}” is ready"

    def announced() -> list[dict[str, Any]]:
        shown = gnome.tray_notifications()
        ours = [n for n in shown if n["title"] == "Micro-break"]
        ready = [n for n in shown if n["body"] == ready_text]
        return shown if ours and ready else []

    shown = wait_until(
        announced,
        15,
        "the break notifications in the shell",
        interval=0.2,
        details=lambda: f"{gnome.tray_notifications()}\n{app.logs()}",
    )
    ours = next(n for n in shown if n["title"] == "Micro-break")
    assert "far away" in ours["body"], ours
    gnome.screenshot(artifacts / "gnome-break-announced.png")

    # The person clicks GNOME's "… is ready": the shell brings the window, where it chooses.
    gnome.eval_js(
        f"""const n = [].concat(...Main.messageTray.getSources().map(s => s.notifications))
            .find(n => n.bannerBodyText == {ready_text!r});
        n.activate(); true"""
    )
    shown_window = wait_until(
        lambda: next((w for w in break_windows(app) if not w["minimized"] and w["focus"]), None),
        10,
        "the break window in front after the click",
        interval=0.1,
    )
    assert shown_window is not None
    assert shown_window["width"] >= 300 and shown_window["height"] >= 100, shown_window
    x, y = shown_window["x"], shown_window["y"]
    assert x >= 0 and x + shown_window["width"] <= 1280, shown_window
    assert y >= 0 and y + shown_window["height"] <= 800, shown_window
    gnome.screenshot(artifacts / "gnome-break-window.png")
    assert app.is_running()
    assert os.path.getsize(artifacts / "gnome-break-window.png") > 0


def test_break_taken_from_the_tray_menu_opens_in_front(
    gnome: GnomeDesktop, start_gnome_neckcare, artifacts: Path
):
    app = start_gnome_neckcare(
        {"breaks": {"micro": {"enabled": False}, "posture": {"interval_minutes": 240}}},
        time_scale=60,
    )
    app.click_menu("Take a break now")  # as the shell's menu does on a click
    window = wait_until(
        lambda: next(
            (
                w
                for w in app.windows()
                if w["title"].endswith("— NeckCare")
                and "break" in w["title"]
                and not w["minimized"]
                and w["visible"]
            ),
            None,
        ),
        20,
        "the running break window in front",
        interval=0.1,
        details=lambda: f"{gnome.windows()}\n{app.logs()}",
    )
    assert window is not None
    assert app.wait_for_event("break_started")
    assert window["x"] >= 0 and window["x"] + window["width"] <= 1280, window
    gnome.screenshot(artifacts / "gnome-break-running.png")
