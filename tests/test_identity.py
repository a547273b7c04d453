"""NeckCare names itself ``neckcare-desktop`` to the desktop however it was started."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication
from neckcare_desktop.launch import app_argv, identify
qapp = QApplication(app_argv(sys.argv[1:]))
identify(qapp)
print(json.dumps({
    "argv0": QApplication.arguments()[0],
    "name": qapp.applicationName(),
    "display": qapp.applicationDisplayName(),
    "desktop": qapp.desktopFileName(),
}))
"""


@pytest.mark.parametrize(
    "argv0",
    [
        "/home/a/.venv/bin/neckcare",  # the installed command
        "/home/a/.venv/lib/python3.11/site-packages/neckcare_desktop/__main__.py",  # neckcare ice
        "-c",  # python -c
    ],
)
def test_the_app_is_neckcare_desktop_whatever_argv0_was(argv0):
    """Qt's xcb plugin takes WM_CLASS from argv[0] (instance) and the application name
    (class); Wayland's app id and the launcher entry's match come from the desktop file name."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, argv0, "--debug"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=True,
    )
    seen = json.loads(result.stdout)
    assert seen == {
        "argv0": "neckcare-desktop",
        "name": "neckcare-desktop",
        "display": "NeckCare",
        "desktop": "neckcare-desktop",
    }


def test_the_launcher_entry_matches_those_windows():
    from neckcare_desktop.resources import resource_path

    entry = resource_path("neckcare-desktop.desktop").read_text(encoding="utf-8")
    assert "StartupWMClass=neckcare-desktop" in entry.splitlines()
