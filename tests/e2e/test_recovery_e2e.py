"""A forgotten ice pack is the one failure NeckCare must never cause: kill it, start it again.

The app is SIGKILLed mid-session (no chance to save anything more), then started again in
the same home, as autostart would after a crash or a power cut.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from .desktop import Desktop, NeckCare, pause, wait_until

pytestmark = pytest.mark.e2e

QUIET = {
    # Nothing but the timer under test: no breaks, no water reminders on screen.
    "breaks": {"natural_breaks": False, "micro": {"enabled": False}, "posture": {"enabled": False}},
    "hydration": {"enabled": False},
}


def _kill(app: NeckCare) -> None:
    os.kill(app.pid, signal.SIGKILL)
    assert app.wait_exit() == -signal.SIGKILL


def _restart(desktop: Desktop, app: NeckCare, settings: dict) -> NeckCare:
    again = NeckCare(desktop, app.home, settings=settings, time_scale=app.time_scale)
    return again.start()


def test_ice_that_ended_while_killed_alerts_at_once(start_neckcare, desktop, artifacts: Path):
    settings = {**QUIET, "therapy": {"ice_minutes": 1}}
    app = start_neckcare(settings, time_scale=60)  # one minute of ice lasts one second
    assert app.cli("ice").returncode == 0
    _kill(app)
    pause(1.5)  # the planned end passes while nothing runs
    again = _restart(desktop, app, settings)
    try:
        alert = desktop.wait_for_window("Ice time is up", timeout=15, pid=again.pid)
        desktop.screenshot(artifacts / "overrun-alert.png")
        (row,) = again.wait_for_event("therapy_overrun")
        assert row["subject"] == "ice"
        assert row["planned_seconds"] == 60
        assert row["actual_seconds"] >= 60  # it was on at least that long
        assert "not running" in row["note"]
        assert desktop.map_state(alert) == "IsViewable"
        assert again.status()["therapy"] is None
    finally:
        assert not again.stop()


def test_ice_still_running_when_restarted_resumes_with_the_right_time(start_neckcare, desktop):
    settings = {**QUIET, "therapy": {"ice_minutes": 10}}
    app = start_neckcare(settings, time_scale=60)  # ten minutes last ten seconds
    assert app.cli("ice").returncode == 0
    started = app.status()["therapy"]["started_at"]
    _kill(app)
    again = _restart(desktop, app, settings)
    try:
        therapy = again.status()["therapy"]
        assert therapy["kind"] == "ice"
        assert therapy["started_at"] == started  # the same session, not a new one
        assert 0 < therapy["remaining_seconds"] < 600
        assert not again.events("therapy_overrun")
        wait_until(lambda: again.events("therapy_completed"), 30, "the resumed ice to end")
        assert desktop.wait_for_window("Ice time is up", timeout=10, pid=again.pid)
    finally:
        assert not again.stop()
