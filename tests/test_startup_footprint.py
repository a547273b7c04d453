"""What a started NeckCare holds: only what showing the tray and waiting for the next break need.

The budget (``bench/run.py``) is resident memory within 15 % of a bare PySide6 tray. These
tests keep out what once broke it, in a fresh ``neckcare`` process started the way a person
starts it (``cli.main`` with no arguments): windows and Qt modules that load on first use,
QtNetwork on POSIX (the command socket is a stdlib one there), and the source text of every
imported module, which PySide6's import hook used to leave in ``linecache`` (7.6 MB).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import neckcare_desktop
from fresh_python import run_json

SRC_DIR = Path(neckcare_desktop.__file__).resolve().parents[1]

#: Runs the real entry point; reports once the app object has been built and settled.
#: An audit hook sees the import of ``neckcare_desktop.app`` (which happens only after the
#: tray icon is up) without importing anything earlier than the entry point itself does.
STARTED_APP_CODE = r"""
import json, linecache, sys

def report():
    print(json.dumps({"modules": sorted(sys.modules), "sources": sorted(linecache.cache)}))
    sys.stdout.flush()
    sys.modules["PySide6.QtWidgets"].QApplication.instance().exit(0)

def on_event(event, args):
    if event == "import" and args[0] == "neckcare_desktop.app":
        sys.modules["PySide6.QtCore"].QTimer.singleShot(500, report)

sys.addaudithook(on_event)
from neckcare_desktop import cli
sys.exit(cli.main([]))
"""

#: Loaded when a person first opens or needs them, never at start.
ON_FIRST_USE = (
    "PySide6.QtCharts",
    "PySide6.QtMultimedia",
    "PySide6.QtSvgWidgets",
    "neckcare_desktop.ui.history_window",
    "neckcare_desktop.ui.settings_dialog",
    "neckcare_desktop.ui.break_window",
    "neckcare_desktop.ui.spasm_dialog",
    "neckcare_desktop.ui.therapy_alert",
)


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    home = tmp_path_factory.mktemp("footprint")
    run_dir = home / "run"
    run_dir.mkdir(mode=0o700)
    config = home / "config" / "neckcare-desktop"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text("[app]\nautostart_asked = true\n")
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC_DIR),
        "QT_QPA_PLATFORM": "offscreen",
        "NECKCARE_SOCKET": str(run_dir / "n.sock"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    return run_json(STARTED_APP_CODE, env)


def test_windows_and_heavy_qt_modules_wait_for_first_use(started):
    assert [m for m in ON_FIRST_USE if m in started["modules"]] == []


@pytest.mark.skipif(sys.platform == "win32", reason="Windows serves commands with QtNetwork")
def test_no_qtnetwork_on_posix(started):
    assert "neckcare_desktop.platform.single_instance" in started["modules"]
    assert [m for m in started["modules"] if m.startswith("PySide6.QtNetwork")] == []


def test_no_module_source_is_kept_in_memory(started):
    """PySide6 reads every imported module's source; none of it may stay in linecache."""
    assert started["sources"] == []


LEAN_CHECK_CODE = r"""
import json, linecache, sys
from neckcare_desktop import lean_imports
installed = lean_imports.install()
from neckcare_desktop.core.settings import Settings  # PySide6 looks at "from" imports
from neckcare_desktop.ui.actions import AppActions
feature = sys.modules["shibokensupport.feature"]
print(json.dumps({
    "installed": installed,
    "again": lean_imports.install(),
    "settings": feature.pyside_feature_dict.get("neckcare_desktop.core.settings"),
    "actions": feature.pyside_feature_dict.get("neckcare_desktop.ui.actions"),
    "sources": sorted(linecache.cache),
}))
"""


def test_lean_check_gives_pyside_the_same_answers_and_keeps_nothing():
    """PySide6 still learns which modules use it (0) and which do not (-1); a PySide6
    release without the hook makes ``install`` return False and this test fail."""
    env = {**os.environ, "PYTHONPATH": str(SRC_DIR), "QT_QPA_PLATFORM": "offscreen"}
    assert run_json(LEAN_CHECK_CODE, env) == {
        "installed": True,
        "again": True,
        "settings": -1,
        "actions": 0,
        "sources": [],
    }
