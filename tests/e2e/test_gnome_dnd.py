"""GNOME's do-not-disturb (``show-banners = false``) holds a due break on a real GNOME Shell,
and lets it through when switched off, read by one long-lived ``gsettings monitor``.

The switch is flipped as GNOME's own panel does (the setting in the session's dconf, through
``gsettings set``). The app's ``gsettings`` runs through a wrapper first on its PATH that
writes down each start: that is how the test counts processes, not by sampling ``/proc``
(which would miss a short ``gsettings get``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from . import gnome_desktop as rig
from .desktop import wait_until
from .gnome_desktop import GnomeDesktop, GnomeNeckCare

pytestmark = pytest.mark.e2e
rig.skip_module_without_gnome()

# The rig's fixtures, used by name.
gnome = rig.gnome
start_gnome_neckcare = rig.start_gnome_neckcare

MICRO_BREAK = "Micro-break — NeckCare"
SETTINGS = {
    "breaks": {
        # A micro-break every 5 minutes: at ×60 it is due 5 s after the start.
        "micro": {"enabled": True, "interval_minutes": 5, "duration_seconds": 20},
        "posture": {"enabled": False},
        "natural_breaks": False,  # nobody types here: time away must not count
    },
    "hydration": {"enabled": False},
    "notifications": {"sound": False},
}


def gsettings_wrapper(folder: Path) -> tuple[Path, Path]:
    """A ``gsettings`` that logs its arguments (one start a line) and runs the real one."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "gsettings-starts.log"
    script = folder / "gsettings"
    script.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec /usr/bin/gsettings "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, log


def starts(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def dnd_checks(app: GnomeNeckCare) -> int:
    """How many times the app asked whether do-not-disturb is on (its DEBUG lines)."""
    text = app.log_file.read_text(errors="replace")
    return text.count("do-not-disturb: cannot read notifications")


def break_shown(app: GnomeNeckCare) -> bool:
    return any(w["title"] == MICRO_BREAK for w in app.windows())


def test_show_banners_off_holds_the_break_and_on_lets_it_through(
    gnome: GnomeDesktop, start_gnome_neckcare, tmp_path: Path
):
    wrapper, log = gsettings_wrapper(tmp_path / "bin")
    gnome.gsettings("set", "org.gnome.desktop.notifications", "show-banners", "false")
    try:
        app = start_gnome_neckcare(
            SETTINGS, extra_env={"PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}"}
        )
        held = wait_until(lambda: app.status().get("held_for"), 20, "the due break to be held")
        assert "do not disturb" in held, held
        assert not app.events("break_due") and not break_shown(app)
        # It keeps holding across several checks (one a scaled minute: once a second).
        checks = dnd_checks(app)
        wait_until(lambda: dnd_checks(app) >= checks + 3, 10, "three more checks")
        assert app.status().get("held_for") and not app.events("break_due")

        gnome.gsettings("set", "org.gnome.desktop.notifications", "show-banners", "true")
        wait_until(lambda: app.events("break_due"), 10, "the break to come through")
        wait_until(lambda: break_shown(app), 10, "the break window")
        assert app.status().get("held_for") is None
    finally:
        gnome.gsettings("reset", "org.gnome.desktop.notifications", "show-banners")

    # One monitor and one first read for the whole run, however many checks were made.
    assert dnd_checks(app) >= 5
    assert sorted(starts(log)) == [
        "get org.gnome.desktop.notifications show-banners",
        "monitor org.gnome.desktop.notifications show-banners",
    ], starts(log)
