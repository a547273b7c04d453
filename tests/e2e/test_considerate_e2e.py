"""Breaks that respect the person, as the running app shows them on a real X desktop.

Nobody touches this X server, so its idle time only grows: exactly the "away from the
computer" a natural break is about. A fullscreen window stands in for a presentation.
"""

from __future__ import annotations

import pytest

from .desktop import Desktop, pause, wait_until
from .test_idle_x11 import WINDOW_TITLE, fullscreen_window  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e

MICRO_BREAK = "Micro-break — NeckCare"
# A micro-break every 5 minutes: at ×60 it is due 5 s after the start.
ONLY_MICRO = {
    "micro": {"enabled": True, "interval_minutes": 5, "duration_seconds": 20},
    "posture": {"enabled": False},
}
QUIET = {"hydration": {"enabled": False}}


def test_time_away_counts_as_a_natural_break_and_no_window_pops_up(
    start_neckcare, desktop: Desktop
):
    app = start_neckcare({"breaks": {**ONLY_MICRO, "natural_breaks": True}, **QUIET}, time_scale=60)
    # 20 s of micro-break last a third of a real second: the idle X server is "away".
    (row,) = app.wait_for_event("break_natural", timeout=15)
    assert row["subject"] == "micro"
    assert app.status()["away"] is True
    pause(7)  # past the time the micro-break would have been due
    assert not desktop.visible_windows(MICRO_BREAK, pid=app.pid)
    assert not app.events("break_due")


def test_a_fullscreen_window_holds_a_due_break_until_it_closes(
    start_neckcare, desktop: Desktop, request: pytest.FixtureRequest
):
    window = request.getfixturevalue("fullscreen_window")
    app = start_neckcare(
        {"breaks": {**ONLY_MICRO, "natural_breaks": False}, **QUIET}, time_scale=60
    )
    held = wait_until(lambda: app.status().get("held_for"), 20, "the due break to be held")
    assert WINDOW_TITLE in held
    assert not desktop.visible_windows(MICRO_BREAK, pid=app.pid)
    assert not app.events("break_due")
    window.close()
    desktop.wait_window_gone(window.wid)
    # It re-checks every (scaled) minute: the break shows within a few seconds.
    desktop.wait_for_window(MICRO_BREAK, timeout=15, pid=app.pid)
    assert app.events("break_due")
