"""Break windows on a real two-monitor X desktop: where the person looks, fully on screen.

A break window that opens on the other monitor goes unseen, and one that straddles two
monitors or hangs off an edge cannot be answered. These tests run the installed
``neckcare`` on an Xvfb split into two 1280x800 monitors side by side (RandR 1.5 monitors,
which the server also reports through Xinerama: Xvfb itself cannot place two ``-screen``s
next to each other), with trayer and dunst as on the usual test desktop.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import in_ci, skip_module_without_prerequisites
from .desktop import MULTI_HEAD_TOOLS, Desktop, DesktopError, NeckCare, wait_until

pytestmark = pytest.mark.e2e
skip_module_without_prerequisites()
if not in_ci():
    _missing = [tool for tool in MULTI_HEAD_TOOLS if shutil.which(tool) is None]
    if _missing:
        pytest.skip(
            f"multi-monitor e2e tests need {', '.join(_missing)}: apt-get install "
            + " ".join(MULTI_HEAD_TOOLS[tool] for tool in _missing),
            allow_module_level=True,
        )

MICRO_BREAK = "Micro-break — NeckCare"
WIDTH, HEIGHT = 1280, 800
LEFT = (0, 0, WIDTH, HEIGHT)
RIGHT = (WIDTH, 0, WIDTH, HEIGHT)
#: A micro-break every 5 minutes, nothing else; at time scale 60 it is due after 5 s.
SETTINGS = {
    "breaks": {
        # Nobody touches this X server: with natural breaks on, the idle time would
        # count as the break and no window would appear.
        "natural_breaks": False,
        "micro": {"interval_minutes": 5},
        "posture": {"enabled": False},
    }
}


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    """This module's own desktop: two monitors (overrides the shared one-monitor desktop)."""
    rig = None
    for attempt in (1, 2):  # a display number raced away by another X server: try once more
        rig = Desktop(tmp_path_factory.mktemp("e2e-two-heads"), heads=2)
        try:
            rig.start()
            break
        except DesktopError as exc:
            if attempt == 2 or "missing" in str(exc):
                pytest.fail(f"could not start the two-monitor desktop: {exc}", pytrace=False)
    assert rig is not None
    yield rig
    leftovers = rig.stop()
    assert not leftovers, "desktop processes survived teardown: " + ", ".join(leftovers)


def xinerama_heads(desktop: Desktop) -> list[tuple[int, int, int, int]]:
    out = desktop.run("xdpyinfo", "-ext", "XINERAMA").stdout
    return [
        (int(x), int(y), int(w), int(h))
        for w, h, x, y in re.findall(r"head #\d+: (\d+)x(\d+) @ (\d+),(\d+)", out)
    ]


def fully_inside(window: tuple[int, int, int, int], area: tuple[int, int, int, int]) -> bool:
    x, y, w, h = window
    ax, ay, aw, ah = area
    return ax <= x and x + w <= ax + aw and ay <= y and y + h <= ay + ah


def break_windows(desktop: Desktop, app: NeckCare, count: int) -> list[int]:
    """Wait for ``count`` visible micro-break windows of this app."""

    def found() -> list[int] | None:
        desktop.check_alive()
        ids = desktop.visible_windows(MICRO_BREAK, pid=app.pid)
        return ids if len(ids) >= count else None

    return wait_until(found, 20, f"{count} micro-break window(s)", details=app.logs)


def stays_on_top(desktop: Desktop, wid: int) -> bool:
    state = desktop.run("xprop", "-id", hex(wid), "_NET_WM_STATE", check=False).stdout
    return "_NET_WM_STATE_ABOVE" in state


def test_the_desktop_has_two_monitors_side_by_side(desktop: Desktop) -> None:
    assert xinerama_heads(desktop) == [LEFT, RIGHT]


def test_break_opens_on_the_screen_with_the_pointer(
    start_neckcare, desktop: Desktop, artifacts: Path
) -> None:
    # The person is working on the right-hand monitor when the break comes due.
    desktop.run("xdotool", "mousemove", "1900", "400")
    app = start_neckcare(SETTINGS, time_scale=60)

    (wid,) = break_windows(desktop, app, 1)
    geometry = desktop.window_geometry(wid)
    desktop.screenshot(artifacts / "multiscreen-pointer-screen.png")

    assert fully_inside(geometry, RIGHT), f"break window at {geometry}, not on the right"
    _, _, width, height = geometry
    assert width >= 300 and height >= 150, geometry
    assert stays_on_top(desktop, wid), "the break window must not hide behind others"
    # "Only on the pointer's screen" is the default: nothing appeared on the left.
    assert desktop.visible_windows(MICRO_BREAK, pid=app.pid) == [wid]


def test_on_every_screen_shows_one_window_per_monitor(
    start_neckcare, desktop: Desktop, artifacts: Path
) -> None:
    desktop.run("xdotool", "mousemove", "1900", "400")
    settings = {"breaks": {**SETTINGS["breaks"], "all_screens": True}}
    app = start_neckcare(settings, time_scale=60)

    windows = break_windows(desktop, app, 2)
    geometries = sorted(desktop.window_geometry(wid) for wid in windows)
    desktop.screenshot(artifacts / "multiscreen-every-screen.png")

    assert len(geometries) == 2, geometries
    left, right = geometries
    assert fully_inside(left, LEFT), f"{left} is not fully on the left monitor"
    assert fully_inside(right, RIGHT), f"{right} is not fully on the right monitor"
    assert all(stays_on_top(desktop, wid) for wid in windows)
