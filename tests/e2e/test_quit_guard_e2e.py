"""Quitting while ice runs, on a real X desktop: the question, its safe default, --force.

Issue 12 point 3: with NeckCare gone, no alert would tell the person to take the pack
off, so Quit asks first (Enter keeps NeckCare running) and ``neckcare quit`` refuses
unless ``--force``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import require_cli, skip_module_without_prerequisites
from .desktop import Desktop

pytestmark = pytest.mark.e2e
skip_module_without_prerequisites()

QUESTION = "^Quit NeckCare\\?$"


def quit_from_the_tray_menu(app, desktop: Desktop) -> int:
    menu = app.open_tray_menu()
    desktop.key("Up", "Return")  # from no selection, Up wraps to the last item: Quit
    desktop.wait_window_gone(menu)
    return desktop.wait_for_window(QUESTION, pid=app.pid)


def test_quit_while_ice_runs_asks_and_enter_keeps_it(
    start_neckcare, desktop: Desktop, artifacts: Path
):
    require_cli("ice", "quit")
    app = start_neckcare(time_scale=1)  # real time: the ice round outlives the test
    assert app.cli("ice", "--minutes", "12").returncode == 0

    question = quit_from_the_tray_menu(app, desktop)
    desktop.screenshot(artifacts / "quit-question.png")
    desktop.focus(question)
    desktop.key("Return")  # the default answer is No
    desktop.wait_window_gone(question)
    assert app.is_running()
    assert app.status()["therapy"]["kind"] == "ice"

    refused = app.cli("quit")
    assert refused.returncode == 1
    assert "Ice is on: 12 min left. If NeckCare quits, no alert will tell you to take it off." in (
        refused.stderr
    )
    assert "neckcare quit --force" in refused.stderr
    assert app.is_running()

    question = quit_from_the_tray_menu(app, desktop)
    desktop.focus(question)
    desktop.key("y")  # the Yes button's mnemonic: quit anyway
    assert app.wait_exit(15) == 0
    assert app.events("app_quit")


def test_quit_force_from_the_terminal_quits_while_ice_runs(start_neckcare):
    require_cli("ice", "quit")
    app = start_neckcare(time_scale=1)
    assert app.cli("ice").returncode == 0
    forced = app.cli("quit", "--force")
    assert forced.returncode == 0, forced.stderr
    assert app.wait_exit(15) == 0
