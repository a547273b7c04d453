"""At 150 % on a 1280×800 screen the spasm dialog, Settings and History fit on it.

The installed ``neckcare`` runs with ``QT_SCALE_FACTOR=1.5`` on the rig's 1280×800 Xvfb
(853×533 logical pixels). Before, the spasm dialog's Save and Cancel were 160 px below the
screen and History opened at 1500×1140. The offscreen tests (``tests/test_window_fit.py``)
check every button; this one checks the real windows on a real X server and keeps a
screenshot of each in ``test-artifacts/e2e/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import require_cli, skip_module_without_prerequisites
from .desktop import Desktop, NeckCare, wait_until

pytestmark = pytest.mark.e2e
skip_module_without_prerequisites()

SCREEN_W, SCREEN_H = 1280, 800
SPASM = "Log a neck spasm — NeckCare"
SETTINGS = "Settings — NeckCare"
HISTORY = "History.* — NeckCare"  # "History (test mode) — NeckCare" at a time scale


def on_screen(desktop: Desktop, wid: int) -> tuple[int, int, int, int]:
    x, y, width, height = desktop.window_geometry(wid)
    assert x >= 0 and y >= 0, (x, y, width, height)
    assert x + width <= SCREEN_W and y + height <= SCREEN_H, (x, y, width, height)
    return x, y, width, height


def open_from_menu(app: NeckCare, desktop: Desktop, keys: tuple[str, ...], title: str) -> int:
    menu = app.open_tray_menu()
    desktop.key(*keys, "Return")
    desktop.wait_window_gone(menu)
    return desktop.wait_for_window(f"^{title}$", timeout=15, pid=app.pid)


def test_spasm_settings_and_history_fit_at_150_percent(
    start_neckcare, desktop: Desktop, artifacts: Path
):
    app = start_neckcare(extra_env={"QT_SCALE_FACTOR": "1.5"})

    # Start ice, Ice 10 on · 10 off · 10 on, Start heat, Log a spasm… (Stop timer and
    # Update spasm are disabled now, "My skin is numb" hidden).
    spasm = open_from_menu(app, desktop, ("Down", "Down", "Down", "Down"), SPASM)
    _, _, width, height = on_screen(desktop, spasm)
    # Scaled by 1.5: wider than at 100 % (520 px), and as tall as the screen lets it be.
    assert width >= 520 * 1.5 - 2 and height > 600, (width, height)
    desktop.screenshot(artifacts / "window-fit-spasm-150.png")
    # The form is usable as it opened: the pain field has the keyboard, Enter saves.
    desktop.focus(spasm)
    desktop.key("4", "Return")
    app.wait_for_event("spasm_logged")
    conn = app.connect_history()
    try:
        assert [row[0] for row in conn.execute("SELECT pain FROM episodes")] == [4]
    finally:
        conn.close()
    desktop.wait_window_gone(spasm)

    # From the bottom of the menu: Quit, then Settings….
    settings = open_from_menu(app, desktop, ("Up", "Up"), SETTINGS)
    on_screen(desktop, settings)
    desktop.screenshot(artifacts / "window-fit-settings-150.png")
    desktop.focus(settings)
    desktop.key("Escape")
    desktop.wait_window_gone(settings)

    require_cli("history")
    result = app.cli("history")
    assert result.returncode == 0, result.stderr
    history = desktop.wait_for_window(f"^{HISTORY}$", timeout=15, pid=app.pid)
    _, _, width, height = wait_until(
        lambda: on_screen(desktop, history), 5, "History to be laid out"
    )
    # Was 1500×1140: now the screen bounds it, and it still gets most of the screen.
    assert width <= SCREEN_W and height <= SCREEN_H
    assert width >= 0.8 * SCREEN_W and height >= 0.8 * SCREEN_H, (width, height)
    desktop.screenshot(artifacts / "window-fit-history-150.png")
