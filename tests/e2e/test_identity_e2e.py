"""NeckCare is ``neckcare-desktop`` on the desktop however it was started.

A start through ``neckcare ice`` runs ``python -m neckcare_desktop`` in the background,
whose ``argv[0]`` is ``.../__main__.py``; docks, window lists and the launcher entry
(``StartupWMClass``) match windows by ``WM_CLASS``, so it must not follow argv[0].
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import skip_module_without_prerequisites
from .desktop import APP_ID, Desktop, NeckCare, processes_mentioning, wait_until

pytestmark = pytest.mark.e2e
skip_module_without_prerequisites()


def _startup_wm_class() -> str:
    entry = Path(__file__).resolve().parents[2] / "resources" / f"{APP_ID}.desktop"
    lines = entry.read_text(encoding="utf-8").splitlines()
    return next(line.split("=", 1)[1] for line in lines if line.startswith("StartupWMClass="))


def test_started_by_neckcare_ice_it_is_still_neckcare_desktop(desktop: Desktop, tmp_path):
    app = NeckCare(desktop, tmp_path / "home", time_scale=60)
    app.write_settings()
    try:
        started = app.cli("ice", timeout=40)  # NeckCare is not running: ice starts it
        assert started.returncode == 0, started.stderr
        assert "Ice:" in started.stdout
        icon = wait_until(app.docked_icon, 30, "the icon of the NeckCare that ice started")
        assert icon.wm_class == (APP_ID, APP_ID)
        assert _startup_wm_class() == APP_ID  # the launcher entry finds its windows
        # Whoever started it, the same program answers the terminal.
        status = app.cli("status", "--json")
        assert status.returncode == 0 and '"kind": "ice"' in status.stdout
    finally:
        app.cli("quit", "--force")
        wait_until(
            lambda: not processes_mentioning(app.runtime_dir),
            15,
            "the NeckCare started by ice to quit",
        )
        assert not app.stop()
