"""The tray host can die and come back (a panel restart), or come after NeckCare (the race
at login): the fallback window shows while there is no tray, the icon docks when there is.

trayer is stopped and started here, so this module has a desktop of its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import missing_prerequisites, skip_module_without_prerequisites, skip_or_fail
from .desktop import Desktop, DesktopError, NeckCare, wait_until

pytestmark = pytest.mark.e2e
skip_module_without_prerequisites()

#: "Within a few seconds": Qt's tray tracker reports it at once; allow for a loaded machine.
FALLBACK_WITHIN_S = 5
SETTINGS = {"breaks": {"micro": {"enabled": False}, "posture": {"enabled": False}}}


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    reason = missing_prerequisites()
    if reason:
        skip_or_fail(reason)
    rig = Desktop(tmp_path_factory.mktemp("e2e-tray"))
    rig.start()
    yield rig
    leftovers = rig.stop()
    assert not leftovers, "desktop processes survived teardown: " + ", ".join(leftovers)


@pytest.fixture
def tray_restored(desktop: Desktop) -> Iterator[Desktop]:
    """Whatever happens in the test, the next one starts with a tray."""
    yield desktop
    if not desktop.has_tray_process():
        desktop.start_tray()


def screenshot_painted(desktop: Desktop, path: Path) -> Path:
    """A screenshot once the windows on screen have painted (a mapped window starts black)."""

    def painted() -> bool:
        desktop.screenshot(path)
        mean = desktop.run("convert", str(path), "-format", "%[fx:mean]", "info:").stdout
        return float(mean or 0) > 0.01

    wait_until(painted, 10, f"something painted on screen for {path.name}", interval=0.2)
    return path


def wait_fallback(app: NeckCare, timeout: float) -> int:
    def shown() -> int | None:
        windows = Desktop.settled(app.status_windows)
        return windows[0] if windows else None

    return wait_until(shown, timeout, "the fallback window", details=app.logs)


def wait_window_gone(app: NeckCare) -> None:
    wait_until(lambda: Desktop.settled(app.status_windows) == [], 10, "the fallback window to go")


def test_panel_restart_shows_the_window_then_docks_again(
    start_neckcare, tray_restored: Desktop, artifacts: Path
):
    desktop = tray_restored
    app = start_neckcare(SETTINGS, time_scale=60)
    assert app.status_windows() == []

    for round_ in (1, 2):  # twice: the second icon must dock like the first
        started = time.monotonic()
        desktop.stop_tray()
        window = wait_fallback(app, FALLBACK_WITHIN_S)
        took = time.monotonic() - started
        assert took <= FALLBACK_WITHIN_S, f"round {round_}: the window took {took:.2f} s"
        x, y, width, height = desktop.window_geometry(window)
        assert width >= 300 and height >= 150 and x >= 0 and y >= 0, (x, y, width, height)
        if round_ == 1:
            screenshot_painted(desktop, artifacts / "tray-gone-fallback-window.png")

        desktop.start_tray()
        wait_until(lambda: Desktop.settled(app.docked_icon), 10, "the icon to dock again")
        wait_window_gone(app)
        if round_ == 1:
            desktop.screenshot(artifacts / "tray-back-icon-docked.png")

    # The new icon works: a left click shows the status window, an ordinary one now.
    # trayer moves an icon while its panel resizes to fit: click where it is now, again
    # if the click landed while it moved.
    def click_icon() -> int | None:
        icon = Desktop.settled(app.docked_icon)
        if icon is None:
            return None
        desktop.click(*icon.center)
        try:
            return wait_fallback(app, 2)
        except DesktopError:
            return None

    wait_until(click_icon, 15, "the status window after a click on the icon", interval=0.5)
    assert app.is_running()


def test_started_before_the_panel_docks_when_it_comes(
    tray_restored: Desktop, tmp_path: Path, artifacts: Path
):
    desktop = tray_restored
    desktop.stop_tray()
    app = NeckCare(desktop, tmp_path / "home", settings=SETTINGS, time_scale=60)
    try:
        app.start_without_tray()
        screenshot_painted(desktop, artifacts / "started-without-tray.png")
        desktop.start_tray()
        wait_until(lambda: Desktop.settled(app.docked_icon), 10, "the icon to dock")
        wait_window_gone(app)
        assert app.is_running()
    finally:
        leftovers = app.stop()
    if leftovers:
        raise DesktopError("left behind: " + ", ".join(leftovers))
