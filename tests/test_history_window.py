"""The History window shows what the person did, filters it, and exports it."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt

from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.ui.history_window import COL_DURATION, COL_EVENT, COL_TIME, HistoryWindow


@pytest.fixture
def store(tmp_path: Path):
    s = HistoryStore(tmp_path / "history.sqlite3")
    yield s
    s.close()


@pytest.fixture
def seeded(store: HistoryStore, clock: ManualClock) -> HistoryStore:
    """Monday 2 Mar 2026: 5 posture/micro breaks done, 1 skipped, 1 postponed, 15 min ice.

    Plus, three days earlier, 2 completed breaks and 10 minutes of heat, and eight
    days earlier (outside the week) one more break and 20 minutes of heat.
    """
    day = clock.now().replace(hour=0)
    today = day + timedelta(hours=7)
    for i in range(5):
        store.record(
            EventKind.BREAK_COMPLETED,
            today + timedelta(minutes=10 * i),
            subject="posture" if i % 2 else "micro",
        )
    store.record(EventKind.BREAK_SKIPPED, today + timedelta(minutes=55), subject="micro")
    store.record(EventKind.BREAK_POSTPONED, today + timedelta(minutes=58), subject="posture")
    store.record(EventKind.THERAPY_STARTED, day + timedelta(hours=8), subject="ice")
    store.record(
        EventKind.THERAPY_COMPLETED,
        day + timedelta(hours=8, minutes=15),
        subject="ice",
        planned_seconds=900,
        actual_seconds=900,
    )
    store.record(
        EventKind.THERAPY_STOPPED_EARLY,
        day + timedelta(hours=8, minutes=59),
        subject="ice",
        planned_seconds=900,
        actual_seconds=0,
        note="Phone call",
    )
    earlier = day - timedelta(days=3)
    store.record(EventKind.BREAK_COMPLETED, earlier, subject="posture")
    store.record(EventKind.BREAK_COMPLETED, earlier, subject="posture")
    store.record(
        EventKind.THERAPY_COMPLETED,
        earlier,
        subject="heat",
        planned_seconds=600,
        actual_seconds=600,
    )
    long_ago = day - timedelta(days=7)
    store.record(EventKind.BREAK_COMPLETED, long_ago, subject="posture")
    store.record(
        EventKind.THERAPY_COMPLETED,
        long_ago,
        subject="heat",
        planned_seconds=1200,
        actual_seconds=1200,
    )
    # The newest event of all.
    store.record(
        EventKind.THERAPY_STOPPED_EARLY,
        clock.now() - timedelta(minutes=1),
        subject="heat",
        planned_seconds=900,
        actual_seconds=540,
    )
    return store


@pytest.fixture
def window(qtbot, seeded: HistoryStore, clock: ManualClock) -> HistoryWindow:
    w = HistoryWindow(seeded, clock.now)
    w.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _rows(w: HistoryWindow) -> list[tuple[str, str, str]]:
    t = w.table
    return [
        (
            t.item(r, COL_TIME).text(),
            t.item(r, COL_EVENT).text(),
            t.item(r, COL_DURATION).text(),
        )
        for r in range(t.rowCount())
    ]


def _choose_filter(w: HistoryWindow, text: str) -> None:
    index = w.filter_combo.findText(text)
    assert index >= 0, text
    w.filter_combo.setCurrentIndex(index)


def test_window_title(window: HistoryWindow) -> None:
    assert window.windowTitle() == "History — NeckCare"
    assert window.isWindow()


def test_summary_shows_today_and_last_seven_days(window: HistoryWindow) -> None:
    assert window.today_label.text() == (
        "Today: 5 breaks completed, 1 skipped, 1 postponed · Ice 15 min · Heat 9 min"
    )
    assert window.week_label.text() == (
        "Last 7 days: 7 breaks completed, 1 skipped, 1 postponed · Ice 15 min · Heat 19 min"
    )


def test_table_lists_events_newest_first_in_plain_words(window: HistoryWindow) -> None:
    rows = _rows(window)
    assert len(rows) == 16
    assert rows[0] == ("Mon 2 Mar 08:59", "Heat stopped early", "15 min planned, 9 min taken")
    assert rows[1] == ("Mon 2 Mar 08:59", "Ice stopped early", "15 min planned, 0 s taken")
    assert rows[2] == ("Mon 2 Mar 08:15", "Ice completed", "15 min planned, 15 min taken")
    assert rows[3] == ("Mon 2 Mar 08:00", "Ice started", "")
    assert rows[4] == ("Mon 2 Mar 07:58", "Posture break postponed", "")
    assert rows[5] == ("Mon 2 Mar 07:55", "Micro-break skipped", "")
    assert rows[6][1] == "Micro-break completed"
    assert rows[7][1] == "Posture break completed"
    # Same instant: the one recorded later comes first.
    assert rows[-2] == ("Mon 23 Feb 00:00", "Heat completed", "20 min planned, 20 min taken")
    assert rows[-1] == ("Mon 23 Feb 00:00", "Posture break completed", "")
    assert window.table.item(1, COL_EVENT).toolTip() == "Phone call"
    assert window.empty_label.isHidden()


def test_showing_again_picks_up_new_events(
    window: HistoryWindow, seeded: HistoryStore, clock: ManualClock, qtbot
) -> None:
    window.hide()
    seeded.record(EventKind.BREAK_SKIPPED, clock.now(), subject="posture")
    window.show()
    qtbot.waitExposed(window)

    assert _rows(window)[0] == ("Mon 2 Mar 09:00", "Posture break skipped", "")
    assert "2 skipped" in window.today_label.text()


def test_filter_ice_and_heat_shows_only_therapy(window: HistoryWindow) -> None:
    _choose_filter(window, "Ice and heat")

    events = [event for _, event, _ in _rows(window)]
    assert events == [
        "Heat stopped early",
        "Ice stopped early",
        "Ice completed",
        "Ice started",
        "Heat completed",
        "Heat completed",
    ]

    _choose_filter(window, "All")
    assert window.table.rowCount() == 16


def test_filter_app_with_no_events_says_so(window: HistoryWindow) -> None:
    _choose_filter(window, "App")
    assert window.table.rowCount() == 0
    assert not window.empty_label.isHidden()
    assert window.empty_label.text() == "Nothing recorded yet."


def test_empty_history_shows_zeros(qtbot, store: HistoryStore, clock: ManualClock) -> None:
    w = HistoryWindow(store, clock.now)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert w.today_label.text() == (
        "Today: 0 breaks completed, 0 skipped, 0 postponed · Ice 0 min · Heat 0 min"
    )
    assert w.table.rowCount() == 0


def test_export_writes_csv_and_reports_count(
    window: HistoryWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    target = tmp_path / "my export.csv"
    monkeypatch.setattr(window, "ask_export_path", lambda: target)

    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)

    assert window.status_label.text() == f"Exported 16 events to {target}"
    with target.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 16
    assert rows[0]["at"] == "2026-02-23T00:00:00+01:00"
    assert rows[-1]["kind"] == "therapy_stopped_early"


def test_export_cancelled_writes_nothing(
    window: HistoryWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    monkeypatch.setattr(window, "ask_export_path", lambda: None)
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    assert window.status_label.text() == ""
    assert list(tmp_path.glob("*.csv")) == []


def test_export_error_is_shown_not_raised(
    window: HistoryWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    target = tmp_path / "missing" / "folder" / "out.csv"
    monkeypatch.setattr(window, "ask_export_path", lambda: target)

    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)

    text = window.status_label.text()
    assert text.startswith("Export failed.")
    assert str(target) in text
    assert "Choose a folder" in text
    assert not target.exists()


def test_escape_closes_window(window: HistoryWindow, qtbot) -> None:
    qtbot.keyClick(window.table, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_controls_have_accessible_names(window: HistoryWindow) -> None:
    for widget in (
        window.filter_combo,
        window.table,
        window.export_button,
        window.refresh_button,
        window.status_label,
        window.today_label,
    ):
        assert widget.accessibleName(), widget
