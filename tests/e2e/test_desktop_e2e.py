"""NeckCare on a real X desktop: what a person sees in the tray, on screen and in history.

Each test starts a fresh ``neckcare`` (isolated folders, compressed time) on the shared
Xvfb + trayer + dunst desktop, drives it with xdotool and checks the windows by title, the
docked icon in trayer's panel, the history database and, where the single-instance command
line exists, ``neckcare status --json``.
"""

from __future__ import annotations

import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest

from .conftest import require_cli, skip_module_without_prerequisites
from .desktop import APP_WM_CLASS, Desktop, cli_commands, wait_until

pytestmark = pytest.mark.e2e
skip_module_without_prerequisites()

ICE_ALERT = "Ice time is up — NeckCare"
POSTURE_BREAK = "Posture break — NeckCare"
MICRO_BREAK = "Micro-break — NeckCare"

# Tab stops of the break window's buttons, in the order keyboard focus visits them.
BREAK_START, BREAK_POSTPONE, BREAK_SKIP = 0, 1, 2


def choose_start_ice(desktop: Desktop, menu: int) -> None:
    """Pick "Start ice": the first enabled item (the status line above it is disabled)."""
    desktop.key("Down", "Return")
    desktop.wait_window_gone(menu)


def test_tray_icon_is_docked(start_neckcare, desktop: Desktop):
    app = start_neckcare()

    panel = desktop.tray_panel()
    assert panel is not None
    icons = desktop.tray_icons(APP_WM_CLASS)
    assert len(icons) == 1, f"expected one NeckCare icon in the tray, found {icons}"
    icon = icons[0]
    assert desktop.map_state(icon.wid) == "IsViewable"
    assert 16 <= icon.width <= 48 and 16 <= icon.height <= 48, icon
    # On screen, inside trayer's panel, which sits at the top right corner.
    assert panel.x <= icon.x and icon.x + icon.width <= panel.x + panel.width
    assert panel.y <= icon.y and icon.y + icon.height <= panel.y + panel.height
    assert icon.y < 40 and icon.x > 1280 - 100
    assert app.is_running()


def test_left_click_on_icon_shows_status_window(start_neckcare, desktop: Desktop):
    app = start_neckcare()
    assert not app.status_windows()
    icon = app.docked_icon()
    assert icon is not None

    desktop.click(*icon.center, button=1)

    window = wait_until(app.status_windows, 10, "the NeckCare status window")[0]
    _, _, width, height = desktop.window_geometry(window)
    assert width >= 150 and height >= 80


def test_tray_menu_starts_ice(start_neckcare, desktop: Desktop, artifacts: Path):
    app = start_neckcare()

    # Qt's XEmbed tray opens the context menu on a right click (a left click shows the
    # status window instead).
    menu = app.open_tray_menu()
    _, _, width, height = desktop.window_geometry(menu)
    assert width > 100 and height > 150, "the menu popup is too small to hold its items"
    desktop.screenshot(artifacts / "tray-menu.png")

    choose_start_ice(desktop, menu)
    started = app.wait_for_event("therapy_started", "ice")
    assert started[0]["planned_seconds"] == 15 * 60

    require_cli("status")
    status = app.status()
    assert status["therapy"] is not None, status
    assert status["therapy"]["kind"] == "ice"
    assert status["therapy"]["planned_seconds"] == 15 * 60
    assert 0 < status["therapy"]["remaining_seconds"] <= 15 * 60
    assert any(line.startswith("Ice: ") for line in status["status"]), status["status"]
    assert status["time_scale"] == 60


def test_scaled_ice_session_ends_with_alert_and_history(
    start_neckcare, desktop: Desktop, artifacts: Path
):
    # A 1-minute round at ×60 lasts one second.
    app = start_neckcare({"therapy": {"ice_minutes": 1}}, time_scale=60)
    choose_start_ice(desktop, app.open_tray_menu())

    alert = desktop.wait_for_window(ICE_ALERT, timeout=15, pid=app.pid)
    x, y, width, height = desktop.window_geometry(alert)
    assert width >= 300 and height >= 100
    assert x >= 0 and x + width <= 1280 and y >= 0 and y + height <= 800, "alert off screen"
    desktop.screenshot(artifacts / "therapy-alert.png")

    completed = app.wait_for_event("therapy_completed", "ice")
    assert len(completed) == 1
    assert completed[0]["planned_seconds"] == 60
    assert 55 <= completed[0]["actual_seconds"] <= 90, completed[0]
    assert not app.events("therapy_stopped_early")

    # The alert stays until the person answers it: "I've taken it off" has the focus.
    assert desktop.map_state(alert) == "IsViewable"
    desktop.press_button(alert, 0)
    desktop.wait_window_gone(alert)
    assert app.is_running()


def test_posture_break_postpone_then_skip(start_neckcare, desktop: Desktop, artifacts: Path):
    scale = 120  # a 15-minute interval is due after 7.5 s, a 10-minute postpone lasts 5 s
    postpone_real = 10 * 60 / scale
    app = start_neckcare(
        {
            "breaks": {
                # Nobody touches this X server: with natural breaks on, the idle time
                # would count as the break and no window would appear (tested apart).
                "natural_breaks": False,
                "postpone_minutes": 10,
                "micro": {"enabled": False},
                "posture": {"enabled": True, "interval_minutes": 15},
            }
        },
        time_scale=scale,
    )

    window = desktop.wait_for_window(POSTURE_BREAK, timeout=20, pid=app.pid)
    assert not desktop.visible_windows(MICRO_BREAK), "micro-breaks are disabled"
    _, _, width, height = desktop.window_geometry(window)
    assert width >= 300 and height >= 100
    desktop.screenshot(artifacts / "break-window.png")
    first_due = app.wait_for_event("break_due", "posture")[0]

    desktop.press_button(window, BREAK_POSTPONE)
    desktop.wait_window_gone(window)
    postponed = app.wait_for_event("break_postponed", "posture")[0]

    has_cli = "status" in cli_commands()
    if has_cli:
        status = app.status()
        assert status["active_break"] is None, status
        nxt = status["next_break"]
        assert nxt is not None and nxt["kind"] == "posture", status
        assert 0 < nxt["in_seconds"] <= 10 * 60, nxt
        assert datetime.fromisoformat(nxt["due_at"]) > datetime.fromisoformat(first_due["at"])

    # It comes back once the postponement is over, not before and not a full interval later.
    again = desktop.wait_for_window(POSTURE_BREAK, timeout=20, pid=app.pid)
    second_due = app.wait_for_event("break_due", "posture", count=2)[1]
    waited = second_due["at_utc"] - postponed["at_utc"]
    assert postpone_real - 0.5 <= waited <= postpone_real + 2, waited

    desktop.press_button(again, BREAK_SKIP)
    desktop.wait_window_gone(again)
    skipped = app.wait_for_event("break_skipped", "posture")
    assert len(skipped) == 1
    assert skipped[0]["at_utc"] >= second_due["at_utc"]
    assert not app.events("break_started"), "Skip and Postpone must not start the break"

    require_cli("status")  # the postpone was checked through `status --json` above


def test_second_launch_adds_no_second_icon(start_neckcare, desktop: Desktop):
    require_cli("status")
    app = start_neckcare()
    before = desktop.tray_icons(APP_WM_CLASS)
    assert len(before) == 1

    second = subprocess.Popen(
        [str(app.executable)],
        env=app.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=app.home,
    )
    most_icons = 1
    deadline = time.monotonic() + 20
    try:
        while True:  # watch the tray the whole time the second process lives
            most_icons = max(most_icons, len(desktop.tray_icons(APP_WM_CLASS)))
            try:
                second.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                assert time.monotonic() < deadline, "the second `neckcare` did not exit"
    finally:
        if second.poll() is None:
            second.kill()
        out, err = second.communicate(timeout=10)
    assert second.returncode == 0, (out, err)
    assert most_icons == 1, f"{most_icons} NeckCare icons were docked at once"
    assert [w.wid for w in desktop.tray_icons(APP_WM_CLASS)] == [before[0].wid]
    assert app.is_running()
    # The running instance answers by showing its status window.
    wait_until(app.status_windows, 10, "the status window of the running NeckCare")


def test_cli_quit_exits_cleanly(start_neckcare, desktop: Desktop):
    require_cli("quit")
    app = start_neckcare()

    result = app.cli("quit")
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert app.wait_exit(15) == 0
    wait_until(lambda: not desktop.tray_icons(APP_WM_CLASS), 10, "the icon to leave the tray")
    assert app.integrity_check() == "ok"
    assert app.events("app_quit"), "quitting must be recorded"

    after = app.cli("status")
    assert after.returncode == 1
    assert "NeckCare is not running" in after.stdout + after.stderr


def test_tray_menu_quit_exits_cleanly(start_neckcare, desktop: Desktop):
    app = start_neckcare()
    app.open_tray_menu()
    desktop.key("Up", "Return")  # from no selection, Up wraps to the last item: Quit

    assert app.wait_exit(15) == 0
    wait_until(lambda: not desktop.tray_icons(APP_WM_CLASS), 10, "the icon to leave the tray")
    assert app.integrity_check() == "ok"
    kinds = [row["kind"] for row in app.events()]
    assert kinds[0] == "app_started" and kinds[-1] == "app_quit", kinds
