"""The break window on a real GNOME Shell 43 on Wayland (headless, tests/e2e/gnome_desktop.py).

On Wayland a client cannot place itself or stay on top, and GNOME gives every newly mapped
window the keyboard focus (Qt's "show without activating" is not passed on). While the
person types in another app, NeckCare maps its break window minimized and asks for
activation; GNOME answers with its own "NeckCare is ready" and the break notification says
what is due. The person's keyboard stays where it was; one click brings the window, on the
screen the compositor chooses.

The keyboard focus is read from the shell itself (``global.display.focus_window``): that is
where Mutter sends key presses.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import gnome_desktop as rig
from .desktop import _terminate, wait_until
from .gnome_desktop import GnomeDesktop

# The rig's fixtures, used by name.
gnome = rig.gnome
start_gnome_neckcare = rig.start_gnome_neckcare

rig.skip_module_without_gnome()

MICRO_BREAK = "Micro-break — NeckCare"
EDITOR = "Someone's notes"

#: A text field in its own Wayland window: the app the person is typing in.
EDITOR_SCRIPT = f"""
import sys
from PySide6.QtWidgets import QApplication, QPlainTextEdit
app = QApplication(sys.argv)
app.setDesktopFileName("notes-editor")
editor = QPlainTextEdit()
editor.setWindowTitle({EDITOR!r})
editor.resize(700, 500)
editor.show()
print("editor ready", flush=True)
app.exec()
"""


@pytest.fixture
def editor(gnome: GnomeDesktop, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Another app's window with the keyboard focus, as when someone is writing."""
    log = tmp_path / "editor.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", EDITOR_SCRIPT],
            env=gnome.env({"QT_QPA_PLATFORM": "wayland"}),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        window = wait_until(
            lambda: next((w for w in gnome.windows() if w["title"] == EDITOR and w["focus"]), None),
            20,
            "the editor to be mapped with the keyboard focus",
            interval=0.1,
            details=lambda: log.read_text(errors="replace"),
        )
        assert window is not None
        yield window
    finally:
        _terminate(proc)


def focused_title(gnome: GnomeDesktop) -> str | None:
    return gnome.eval_js(
        "global.display.focus_window ? global.display.focus_window.get_title() : null"
    )


def test_due_break_keeps_the_keyboard_announces_itself_and_opens_on_a_click(
    gnome: GnomeDesktop, start_gnome_neckcare, editor, artifacts: Path
):
    app = start_gnome_neckcare(
        {
            "breaks": {
                # Nobody touches this session: natural breaks would count the idle time.
                "natural_breaks": False,
                "micro": {"enabled": True, "interval_minutes": 5},
                "posture": {"enabled": False},
            }
        },
        time_scale=60,  # the micro-break is due 5 s after the start
    )
    assert focused_title(gnome) == EDITOR

    window = wait_until(
        lambda: next((w for w in app.windows() if w["title"] == MICRO_BREAK), None),
        30,
        "the break window in the shell's window list",
        interval=0.1,
        details=app.logs,
    )
    assert app.wait_for_event("break_due", "micro")
    # The keyboard stays with the person's editor: what they type goes on going there.
    assert focused_title(gnome) == EDITOR, gnome.windows()
    assert window is not None and window["minimized"] and not window["focus"], window

    # Announced where it is seen: our notification in GNOME's message tray, and GNOME's
    # own "NeckCare is ready" for the window that asked to be activated.
    def announced() -> list[dict[str, Any]]:
        shown = gnome.tray_notifications()
        ours = [n for n in shown if n["title"] == "Micro-break"]
        ready = [n for n in shown if f"“{MICRO_BREAK}” is ready" in n["body"]]
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

    # The person clicks "NeckCare is ready": the shell activates the window, where it chooses.
    gnome.eval_js(
        f"""const w = global.display.list_all_windows().find(w => w.get_title() == {MICRO_BREAK!r});
        Main.activateWindow(w); true"""
    )
    shown_window = wait_until(
        lambda: next(
            (
                w
                for w in app.windows()
                if w["title"] == MICRO_BREAK and not w["minimized"] and w["focus"]
            ),
            None,
        ),
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
