"""Every notification reaches the desktop's notification server (dunst), tray or not.

What dunst got is read two ways: ``dunstctl history`` (what it showed and kept) and
``dbus-monitor`` (the call itself, with the D-Bus type of every argument and the urgency
hint, which dunst 1.9's history leaves out). This module stops and starts the tray host,
so it runs on a desktop of its own, not the session's shared one.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import missing_prerequisites, skip_module_without_prerequisites, skip_or_fail
from .desktop import Desktop, DesktopError, NeckCare, SeenNotification

pytestmark = pytest.mark.e2e
skip_module_without_prerequisites()

#: ``Notify``'s arguments as the specification types them: (susssasa{sv}i).
NOTIFY_TYPES = ["string", "uint32", "string", "string", "string", "array", "array", "int32"]
SCALE = 120  # ice of 1 min lasts 0.5 s; the warning 5 min before a 15-min break comes at 5 s
SETTINGS: dict[str, Any] = {
    "therapy": {"ice_minutes": 1},
    "breaks": {
        "natural_breaks": False,  # nobody touches this X server: idle must not count
        "warning_seconds": 300,
        "postpone_minutes": 5,
        "micro": {"enabled": False},
        "posture": {"enabled": True, "interval_minutes": 15},
    },
    "notifications": {"sound": False},
}
ICE_STARTED, ICE_ENDED, WARNING = "Ice started", "Ice time is up", "Break coming up"


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    reason = missing_prerequisites()
    if reason:
        skip_or_fail(reason)
    for tool in ("dunstctl", "dbus-monitor"):
        if shutil.which(tool) is None:
            skip_or_fail(f"e2e notification tests need {tool} (Debian: dunst, dbus-bin)")
    rig = Desktop(tmp_path_factory.mktemp("e2e-notifications"))
    rig.start()
    yield rig
    leftovers = rig.stop()
    assert not leftovers, "desktop processes survived teardown: " + ", ".join(leftovers)


def drive_a_session(app: NeckCare) -> None:
    """Ice for a minute (scaled), and wait for the posture break's warning."""
    result = app.cli("ice", "--minutes", "1")
    assert result.returncode == 0, result.stderr


def check_calls(monitor: Any) -> dict[str, SeenNotification]:
    seen = {s: monitor.wait_for(s, timeout=20) for s in (ICE_STARTED, ICE_ENDED, WARNING)}
    for summary, call in seen.items():
        assert call.types == NOTIFY_TYPES, (summary, call.types)
        assert call.app_name == "NeckCare"
        assert Path(call.app_icon).is_file(), call.app_icon
        assert call.hints.get("desktop-entry") == ("string", "neckcare-desktop")
    assert seen[ICE_ENDED].urgency == 2  # critical: the end of a session must get through
    assert seen[ICE_STARTED].urgency == 1
    assert seen[WARNING].urgency == 1
    # dunst lists "actions" in GetCapabilities: the warning offers Postpone as a button.
    assert seen[WARNING].actions == ["postpone", "Postpone 5 min"]
    assert "Click here" not in seen[WARNING].body
    return seen


def check_dunst_kept(desktop: Desktop, since_id: int) -> None:
    def ours() -> list[dict[str, Any]]:
        return [
            n
            for n in desktop.dunst_history()
            if n.get("appname") == "NeckCare" and int(n["id"]) > since_id
        ]

    summaries = {n["summary"] for n in ours()}
    assert {ICE_STARTED, ICE_ENDED, WARNING} <= summaries, summaries
    ended = next(n for n in ours() if n["summary"] == ICE_ENDED)
    assert int(ended["timeout"]) == 0  # dunst keeps critical notifications until dismissed


def last_dunst_id(desktop: Desktop) -> int:
    return max((int(n["id"]) for n in desktop.dunst_history(close_shown=False)), default=0)


def test_with_a_tray_dunst_gets_every_notification(start_neckcare, desktop, artifacts: Path):
    since = last_dunst_id(desktop)
    with desktop.notification_monitor() as monitor:
        app = start_neckcare(SETTINGS, time_scale=SCALE)
        assert app.docked_icon() is not None
        drive_a_session(app)
        check_calls(monitor)
        desktop.screenshot(artifacts / "notifications-with-tray.png")
    check_dunst_kept(desktop, since)


def test_without_a_tray_dunst_gets_every_notification(desktop, tmp_path: Path, artifacts: Path):
    since = last_dunst_id(desktop)
    desktop.stop_tray()
    app = NeckCare(desktop, tmp_path / "home", settings=SETTINGS, time_scale=SCALE)
    try:
        with desktop.notification_monitor() as monitor:
            app.start_without_tray()
            drive_a_session(app)
            check_calls(monitor)
            desktop.screenshot(artifacts / "notifications-without-tray.png")
        check_dunst_kept(desktop, since)
    finally:
        leftovers = app.stop()
        if not desktop.has_tray_process():
            desktop.start_tray()
    if leftovers:
        raise DesktopError("left behind: " + ", ".join(leftovers))
