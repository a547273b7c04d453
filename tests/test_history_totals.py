"""`neckcare history`: the same totals as the History window, and --days opens that range."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QLocale

from fakes import manual_clock
from neckcare_desktop.app import NeckCareApp
from neckcare_desktop.cli import main
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.ipc_protocol import Request
from neckcare_desktop.paths import AppPaths
from neckcare_desktop.ui.history.window import HistoryWindow, nearest_range
from neckcare_desktop.window_registry import HISTORY


def _seed(store: HistoryStore, now: datetime) -> None:
    store.record(EventKind.BREAK_COMPLETED, now, subject="micro")
    store.record(EventKind.BREAK_NATURAL, now, subject="micro")
    store.record(EventKind.BREAK_NATURAL, now, subject="posture")
    store.record(EventKind.BREAK_POSTPONED, now, subject="posture")
    store.record(EventKind.BREAK_SKIPPED, now, subject="micro")
    store.record(
        EventKind.THERAPY_COMPLETED, now, subject="ice", planned_seconds=900, actual_seconds=900
    )
    store.log_episode(now - timedelta(minutes=30), pain=6, now=now)


def test_the_summary_without_the_app_has_the_windows_totals(socket_path, qtbot, capsys):
    now = datetime.now().astimezone().replace(microsecond=0)
    store = HistoryStore(AppPaths.default().history_file)
    _seed(store, now - timedelta(seconds=5))
    window = HistoryWindow(store, lambda: now)
    window.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    qtbot.addWidget(window)
    window.refresh()
    totals = window.totals_label.text()
    store.close()

    assert main(["history", "--days", "7"]) == 0
    out = capsys.readouterr().out
    # The window's line, said by the command line: while away and spasms included.
    assert "3 breaks taken (1 completed, 2 while away)" in totals
    assert "breaks taken: 3 (1 completed, 2 while away)" in out
    assert "1 postponed" in totals and "breaks postponed: 1" in out
    assert "1 skipped" in totals and "breaks skipped: 1" in out
    assert "Ice 15 min" in totals and "ice: 15 min" in out
    assert "1 spasm (pain 6)" in totals and "spasms: 1 (worst pain 6 of 10)" in out


@pytest.mark.parametrize(
    ("days", "shown"), [(1, 7), (7, 7), (14, 7), (30, 30), (60, 90), (90, 90), (365, 90)]
)
def test_nearest_range(days: int, shown: int) -> None:
    assert nearest_range(days) == shown


@pytest.fixture
def app(make_app):
    # Years ahead of the real clock: the app's real scheduler never fires on its own.
    return make_app(clock=manual_clock())


def test_history_days_opens_the_window_on_that_range(app: NeckCareApp, qtbot) -> None:
    result = app.handle_request(Request("history", {"days": 30}))
    window = app.windows.get(HISTORY)
    assert window is not None
    qtbot.waitExposed(window)
    assert window.range_days == 30 and window.range_buttons[30].isChecked()
    assert len(window.summaries) == 30
    assert result["days"] == 30
    assert result["message"] == "History opened on the last 30 days."

    result = app.handle_request(Request("history", {"days": 60}))
    assert window.range_days == 90
    assert result["message"] == ("History opened on the last 90 days (the nearest it shows to 60).")
    # No --days: the range the person chose in the window stays.
    result = app.handle_request(Request("history", {}))
    assert window.range_days == 90
