"""A run with compressed time (test mode) never writes into the person's real history."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from conftest import TEST_TZ
from fakes import manual_clock
from neckcare_desktop.cli import main
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.therapy import TherapyKind
from neckcare_desktop.paths import AppPaths
from neckcare_desktop.window_registry import HISTORY


def _count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]


def test_a_run_at_time_scale_60_uses_a_separate_demo_history(
    qtbot, app_paths: AppPaths, make_app
) -> None:
    real = app_paths.history_file
    with HistoryStore(real) as store:
        store.record(EventKind.BREAK_COMPLETED, datetime(2036, 3, 2, 9, tzinfo=TEST_TZ))
    before = real.read_bytes()

    app = make_app(scale=60, clock=manual_clock())
    try:
        app.engine.start_therapy(TherapyKind.ICE)
        app.engine.take_break_now()
        demo = app_paths.data_dir / "demo" / "history-demo.sqlite3"
        assert app.paths.history_file == demo
        assert _count(demo) >= 3  # started, ice started, break started
        # The ice round's state lives beside the demo history: a demo never puts the
        # person's real skin on a rest.
        assert (demo.parent / "therapy-state.json").exists()
        assert not (app_paths.data_dir / "therapy-state.json").exists()
        assert "(test mode)" in app.engine.status().lines[-1]

        app.controller.show_history()
        window = app.windows.get(HISTORY)
        assert window is not None
        qtbot.waitExposed(window)
        assert "test mode" in window.windowTitle()
        assert window.test_mode_label.isVisible()
        assert "separate demo history" in window.test_mode_label.text()
    finally:
        app.shutdown()
    assert real.read_bytes() == before  # not one byte of the real history changed
    assert _count(real) == 1


def test_a_real_time_run_uses_the_real_history_and_says_no_test_mode(
    qtbot, app_paths: AppPaths, make_app
) -> None:
    app = make_app(clock=manual_clock())
    try:
        assert app.paths.history_file == app_paths.data_dir / "history.sqlite3"
        assert not (app_paths.data_dir / "demo").exists()
        app.controller.show_history()
        window = app.windows.get(HISTORY)
        assert window is not None
        qtbot.waitExposed(window)
        assert "test mode" not in window.windowTitle()
        assert not window.test_mode_label.isVisible()
    finally:
        app.shutdown()


def test_the_command_line_reads_the_demo_history_in_test_mode(monkeypatch, tmp_path, capsys):
    # No app runs (conftest's isolated XDG folders); the scale says which history is meant.
    real = AppPaths.default().history_file
    demo = AppPaths.default(demo=True).history_file
    real.parent.mkdir(parents=True, exist_ok=True)
    demo.parent.mkdir(parents=True, exist_ok=True)
    now = datetime.now().astimezone()
    with HistoryStore(real) as store:
        store.record(EventKind.BREAK_SKIPPED, now, subject="micro")
    with HistoryStore(demo) as store:
        store.record(EventKind.BREAK_POSTPONED, now, subject="posture")

    monkeypatch.setenv("NECKCARE_TIME_SCALE", "60")
    out = tmp_path / "demo.csv"
    assert main(["history", "--csv", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "break_postponed" in text and "break_skipped" not in text
