"""Notifications on a real GNOME Shell reach the shell's own notification server.

In GNOME 43 the name ``org.freedesktop.Notifications`` belongs to the shell's helper
``/usr/share/gnome-shell/org.gnome.Shell.Notifications`` (a gjs script the shell starts at
start-up), which forwards each call to the shell's ``/org/freedesktop/Notifications``; the
test checks both ends: the ``Notify`` call on the bus (``dbus-monitor``: the urgency hint as
sent) and the notification in the shell's message tray (``org.gnome.Shell.Eval``: the
urgency the shell gave it). The rig's bus has no other notification service to activate
(dunst's service file is left out), so nothing else can answer in the shell's place.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from . import gnome_desktop as rig
from .desktop import processes_mentioning, wait_until
from .gnome_desktop import NOTIFICATIONS, SHELL_NOTIFICATIONS_HELPER, GnomeDesktop

pytestmark = pytest.mark.e2e
rig.skip_module_without_gnome()

# The rig's fixtures, used by name.
gnome = rig.gnome
start_gnome_neckcare = rig.start_gnome_neckcare

SCALE = 120  # ice of 1 min lasts 0.5 s
SETTINGS = {
    "therapy": {"ice_minutes": 1},
    "breaks": {"micro": {"enabled": False}, "posture": {"enabled": False}},
    "hydration": {"enabled": False},
    "notifications": {"sound": False},
}
ICE_STARTED, ICE_ENDED = "Ice started", "Ice time is up"
CRITICAL_ON_THE_WIRE = 2  # the specification's urgency byte
CRITICAL_IN_THE_SHELL = 3  # MessageTray.Urgency.CRITICAL
#: A command answered "at once": the GUI thread is not waiting on anything.
ANSWERED_WITHIN_S = 1.5


def cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def shell_notification(gnome: GnomeDesktop, title: str) -> dict | None:
    return next((n for n in gnome.tray_notifications() if n["title"] == title), None)


def test_the_name_belongs_to_gnome_shell(gnome: GnomeDesktop):
    owner = gnome.name_owner_pid(NOTIFICATIONS)
    assert owner is not None
    assert SHELL_NOTIFICATIONS_HELPER in cmdline(owner), cmdline(owner)
    # The helper forwards to the shell: org.gnome.Shell exports the same interface.
    assert gnome.name_owner_pid("org.gnome.Shell") == gnome.shell_pid
    out = gnome.call(
        "org.gnome.Shell",
        "/org/freedesktop/Notifications",
        "org.freedesktop.Notifications.GetServerInformation",
    )
    assert out.startswith("('gnome-shell', 'GNOME'"), out
    # ... and the public name answers as the shell (the helper forwards the call).
    public = gnome.call(
        NOTIFICATIONS,
        "/org/freedesktop/Notifications",
        "org.freedesktop.Notifications.GetServerInformation",
    )
    assert public == out, (public, out)
    assert not [cmd for _, cmd in processes_mentioning(gnome.base_dir) if "dunst" in cmd]


def test_the_end_of_an_ice_round_reaches_the_shell_as_critical(
    gnome: GnomeDesktop, start_gnome_neckcare, artifacts: Path
):
    gnome.clear_notifications()
    with gnome.notification_monitor() as monitor:
        app = start_gnome_neckcare(SETTINGS, time_scale=SCALE)
        # As the README tells a pip user to: the shell then names and draws the source as
        # the launcher does (without it GNOME makes up "neckcare-desktop" from the window).
        installed = app.cli("install-desktop-entry")
        assert installed.returncode == 0, installed.stderr
        wait_until(
            lambda: gnome.eval_js(
                "Shell.AppSystem.get_default().lookup_app('neckcare-desktop.desktop') !== null"
            ),
            10,
            "the shell to know NeckCare's launcher",
        )
        result = app.cli("ice", "--minutes", "1")
        assert result.returncode == 0, result.stderr
        ended = monitor.wait_for(ICE_ENDED, timeout=20)
        started = monitor.wait_for(ICE_STARTED, timeout=5)
    assert ended.urgency == CRITICAL_ON_THE_WIRE and ended.app_name == "NeckCare"
    assert started.urgency == 1
    seen = wait_until(
        lambda: shell_notification(gnome, ICE_ENDED), 10, "the shell to list the notification"
    )
    assert seen["urgency"] == CRITICAL_IN_THE_SHELL, seen
    assert seen["source"] == "NeckCare", seen
    wait_until(lambda: (gnome.banner() or {}).get("title") == ICE_ENDED, 15, "the banner on screen")
    gnome.screenshot(artifacts / "gnome-notification.png")


def test_a_server_that_hangs_blocks_nothing(gnome: GnomeDesktop, start_gnome_neckcare):
    app = start_gnome_neckcare(SETTINGS, time_scale=SCALE)
    gnome.clear_notifications()
    helper = gnome.name_owner_pid(NOTIFICATIONS)
    assert helper is not None
    os.kill(helper, signal.SIGSTOP)  # the server takes the calls and never answers
    try:
        began = time.monotonic()
        result = app.cli("ice", "--minutes", "1")  # "Ice started" goes out now
        assert result.returncode == 0, result.stderr
        # The round ends (0.5 s) and "Ice time is up" goes out to the same silent server,
        # while the app keeps answering at once.
        while time.monotonic() - began < 3:
            asked = time.monotonic()
            status = app.status()
            took = time.monotonic() - asked
            assert took < ANSWERED_WITHIN_S, f"status took {took:.2f} s"
        assert status["therapy"] is None, status  # the round ended on time
    finally:
        os.kill(helper, signal.SIGCONT)
    # Nothing was lost: the queued calls reach the shell once the server wakes up.
    wait_until(lambda: shell_notification(gnome, ICE_ENDED), 15, "the notification after the wait")
    assert app.is_running()
