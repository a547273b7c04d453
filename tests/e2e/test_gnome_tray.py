"""The tray on a real GNOME Shell (Wayland): the StatusNotifierItem through the AppIndicator
extension, and stock GNOME (no extension) where the fallback window serves instead.

What the test reads is what the shell itself sees: the item as the extension's
``org.kde.StatusNotifierWatcher`` lists it, its menu over ``com.canonical.dbusmenu`` (the
calls the extension makes when a person opens and clicks it), and windows as Mutter lists
them (``org.gnome.Shell.Eval`` in unsafe mode: a Wayland client cannot be seen from outside
the compositor; the window's pid comes from the Wayland socket's credentials). Keys go
through Mutter's remote-desktop virtual keyboard into the focused window.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from . import gnome_desktop as rig
from .desktop import wait_until
from .gnome_desktop import WATCHER, GnomeDesktop, GnomeNeckCare

pytestmark = pytest.mark.e2e
rig.skip_module_without_gnome()

# The rig's fixtures, used by name.
gnome = rig.gnome
start_gnome_neckcare = rig.start_gnome_neckcare

SETTINGS = {
    "therapy": {"ice_minutes": 20},  # 20 s at ×60: still running when the test looks
    "breaks": {"micro": {"enabled": False}, "posture": {"enabled": False}},
    "hydration": {"enabled": False},
}
#: The tray host came: the icon is registered and the window gone "within a few seconds".
SWITCH_WITHIN_S = 5


def ice_running(app: GnomeNeckCare) -> dict | None:
    therapy = app.status()["therapy"]
    return therapy if therapy and therapy["kind"] == "ice" else None


def test_the_item_is_registered_and_its_menu_starts_ice(
    gnome: GnomeDesktop, start_gnome_neckcare, artifacts: Path
):
    app = start_gnome_neckcare(SETTINGS)
    (item,) = gnome.items_of(app.pid)
    assert gnome.host_registered()
    assert "'Active'" in gnome.get_property(*item, "org.kde.StatusNotifierItem", "Status")
    tooltip = gnome.get_property(*item, "org.kde.StatusNotifierItem", "ToolTip")
    first_line = app.status()["status"][0]
    assert f"NeckCare\\n{first_line}" in tooltip, tooltip  # the status, as on X11
    assert app.status_windows() == []  # with a tray, no window of its own at start

    menu = {i.label: i for i in app.menu()}
    assert menu["Start ice"].enabled and not menu["Stop timer"].enabled
    app.click_menu("Start ice")
    therapy = wait_until(lambda: ice_running(app), 10, "the ice timer to run")
    assert therapy["planned_seconds"] == 20 * 60
    # The menu follows: the shell's next GetLayout offers to stop it.
    wait_until(
        lambda: {i.label: i.enabled for i in app.menu()}.get("Stop timer"),
        5,
        "Stop timer to be enabled in the menu",
    )
    gnome.clear_notifications()
    gnome.screenshot_settled(artifacts / "gnome-tray-icon.png")


def test_stock_gnome_shows_the_fallback_window_until_the_extension_comes(
    gnome: GnomeDesktop, start_gnome_neckcare, artifacts: Path
):
    gnome.set_extension(False)
    try:
        app = start_gnome_neckcare(SETTINGS, tray=False)
        assert not gnome.has_owner(WATCHER)
        (window,) = app.status_windows()
        assert window["width"] >= 300 and window["height"] >= 150, window
        assert not window["minimized"]
        gnome.clear_notifications()
        gnome.screenshot_settled(artifacts / "gnome-fallback-window.png")

        # It works as the menu does. A window that gets the focus puts it on its first
        # control, "Start ice": Space presses it (typed through the compositor).
        gnome.focus_window("NeckCare", app.pid)
        wait_until(lambda: app.status_windows()[0]["focus"], 5, "the window to have focus")
        gnome.key("space")
        wait_until(lambda: ice_running(app), 10, "the ice timer to run")

        started = time.monotonic()
        gnome.set_extension(True)
        app.wait_item(SWITCH_WITHIN_S)
        wait_until(lambda: app.status_windows() == [], SWITCH_WITHIN_S, "the window to go")
        took = time.monotonic() - started
        assert took <= SWITCH_WITHIN_S, f"icon in and window out took {took:.2f} s"
        # The new icon's menu works on the same app: the timer started in the window stops.
        app.click_menu("Stop timer")
        wait_until(lambda: app.status()["therapy"] is None, 10, "the timer to stop")
        assert app.is_running()
    finally:
        if not gnome.has_owner(WATCHER):
            gnome.set_extension(True)
