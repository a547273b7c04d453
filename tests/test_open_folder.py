""" "Open data folder" that cannot open anything tells the person where the folder is."""

from __future__ import annotations

import stat
import sys
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QProcess, Qt

from conftest import TEST_TZ
from neckcare_desktop.core.history import HistoryStore
from neckcare_desktop.history_jobs import build_history_window

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="xdg-open is the Linux and BSD opener"
)


def fake_xdg_open(folder: Path, exit_status: int) -> Path:
    """An ``xdg-open`` that notes what it was asked to open and ends with ``exit_status``
    (3: "no method available", what the real one says on a desktop without a file manager)."""
    folder.mkdir()
    asked = folder / "asked"
    script = folder / "xdg-open"
    script.write_text(
        f'#!/bin/sh\nprintf "%s" "$1" > "{asked}"\n'
        f'echo "xdg-open: no method available for opening $1"\nexit {exit_status}\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return asked


@pytest.fixture
def window(qtbot, tmp_path):
    store = HistoryStore(tmp_path / "data" / "history.sqlite3")
    w = build_history_window(store, lambda: datetime(2026, 3, 2, 9, 0, tzinfo=TEST_TZ))
    qtbot.addWidget(w)
    w.show()
    yield w
    store.close()


def test_a_folder_nothing_can_open_is_named(window, qtbot, tmp_path, monkeypatch):
    asked = fake_xdg_open(tmp_path / "bin", exit_status=3)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    qtbot.mouseClick(window.open_folder_button, Qt.MouseButton.LeftButton)
    folder = tmp_path / "data"
    qtbot.waitUntil(lambda: str(folder) in window.status_label.text(), timeout=5000)
    assert asked.read_text() == str(folder)
    assert window.status_label.text() == (
        f"Could not open {folder}. The history file is {folder / 'history.sqlite3'}."
    )


def test_a_folder_that_opens_says_nothing(window, qtbot, tmp_path, monkeypatch):
    asked = fake_xdg_open(tmp_path / "bin", exit_status=0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    qtbot.mouseClick(window.open_folder_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(asked.exists, timeout=5000)
    qtbot.waitUntil(lambda: not window.findChildren(QProcess), timeout=5000)
    assert window.status_label.text() == ""
