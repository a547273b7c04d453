"""The History window: charts per day, totals and streak, the event table, export, delete."""

from __future__ import annotations

import csv
import importlib.util
import logging
import sqlite3
import sys
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QModelIndex, Qt

from fakes import Heartbeat, settle
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.history import PAGE_SIZE, EventKind, HistoryStore
from neckcare_desktop.history_jobs import build_history_window
from neckcare_desktop.ui.history.event_model import COL_DETAILS, COL_EVENT, COL_TIME
from neckcare_desktop.ui.history.window import HistoryWindow

ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
BENCH = Path(__file__).resolve().parent.parent / "bench" / "make_history.py"


def _load_bench():
    spec = importlib.util.spec_from_file_location("neckcare_bench_make_history", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def seeded(store: HistoryStore, clock: ManualClock) -> HistoryStore:
    """Monday 2 Mar 2026, 09:00 (+01:00), a known data set.

    * today: 5 breaks completed, 1 taken while away, 1 skipped, 1 postponed, 15 min ice
      (plus an ice round stopped at 0 s), 9 min heat (the newest event of all);
    * Fri 27 Feb: 2 breaks completed, 10 min heat;
    * Mon 23 Feb (outside the 7 days): 1 break completed, 20 min heat;
    * Fri 20 Feb: a spasm, pain 4, resolved the next day;
    * Sun 1 Mar 13:00: a spasm, pain 7, later 8, still open.
    """
    day = clock.now().replace(hour=0)
    today = day + timedelta(hours=7)
    for i in range(5):
        store.record(
            EventKind.BREAK_COMPLETED,
            today + timedelta(minutes=10 * i),
            subject="posture" if i % 2 else "micro",
        )
    store.record(EventKind.BREAK_NATURAL, today + timedelta(minutes=50), subject="micro")
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
        day + timedelta(hours=8, minutes=58),
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
    old = store.log_episode(day - timedelta(days=10, hours=-9), 4, now=clock.now())
    store.resolve_episode(old.id, day - timedelta(days=9))
    current = store.log_episode(
        day - timedelta(hours=11), 7, ["screen_posture"], [], "Long drive", clock.now()
    )
    store.update_pain(current.id, 8, day - timedelta(hours=2))
    store.record(
        EventKind.THERAPY_STOPPED_EARLY,
        clock.now() - timedelta(minutes=1),
        subject="heat",
        planned_seconds=900,
        actual_seconds=540,
    )
    return store


def _open(qtbot, store: HistoryStore, now, days_off=frozenset) -> HistoryWindow:
    w = build_history_window(store, now, days_off=days_off)
    w.setLocale(ENGLISH)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def window(qtbot, seeded: HistoryStore, clock: ManualClock) -> HistoryWindow:
    return _open(qtbot, seeded, clock.now)


def _values(bar_set) -> list[float]:
    return [bar_set.at(i) for i in range(bar_set.count())]


def _points(series) -> list[tuple[float, float]]:
    return [(p.x(), p.y()) for p in series.points()]


def _rows(w: HistoryWindow) -> list[tuple[str, str, str]]:
    m = w.model
    return [
        (
            m.data(m.index(r, COL_TIME)),
            m.data(m.index(r, COL_EVENT)),
            m.data(m.index(r, COL_DETAILS)),
        )
        for r in range(m.rowCount())
    ]


def _choose_filter(w: HistoryWindow, text: str) -> None:
    index = w.filter_combo.findText(text)
    assert index >= 0, text
    w.filter_combo.setCurrentIndex(index)


# ----------------------------------------------------------------------------- charts


def test_window_title(window: HistoryWindow) -> None:
    assert window.windowTitle() == "History — NeckCare"
    assert window.isWindow()


def test_charts_hold_the_known_numbers_for_7_days(window: HistoryWindow) -> None:
    assert window.range_days == 7
    assert [s.day for s in window.summaries] == [
        date(2026, 2, 24) + timedelta(days=i) for i in range(7)
    ]
    assert _values(window.charts.completed_set) == [0, 0, 0, 2, 0, 0, 5]
    assert _values(window.charts.natural_set) == [0, 0, 0, 0, 0, 0, 1]
    assert [y for _x, y in _points(window.charts.postponed_line)] == [0, 0, 0, 0, 0, 0, 1]
    assert _values(window.charts.skipped_set) == [0, 0, 0, 0, 0, 0, 1]
    assert _values(window.charts.ice_set) == [0, 0, 0, 0, 0, 0, 15]
    assert _values(window.charts.heat_set) == [0, 0, 0, 10, 0, 0, 9]
    # Sun 1 Mar: the open spasm, at its worst score (7, then 8).
    assert _points(window.charts.pain_series) == [(5, 8)]
    assert window.charts.breaks_series.count() == 3  # completed, while away, skipped
    assert window.charts.therapy_series.count() == 2
    # A label for every day of a week.
    assert window.charts.breaks_days_axis.categoriesLabels() == [
        "Tue 24",
        "Wed 25",
        "Thu 26",
        "Fri 27",
        "Sat 28",
        "Sun 1",
        "Mon 2",
    ]
    assert window.charts.breaks_count_axis.max() >= 8
    assert window.charts.pain_axis.max() == 10


def test_a_postponed_then_taken_break_is_one_break(
    store: HistoryStore, clock: ManualClock, qtbot
) -> None:
    # 7 real breaks today, 6 of them postponed once first: the bar shows 7, not 13.
    at = clock.now()
    for i in range(7):
        if i < 6:
            store.record(EventKind.BREAK_POSTPONED, at + timedelta(minutes=i), subject="micro")
        store.record(EventKind.BREAK_COMPLETED, at + timedelta(minutes=i, seconds=30))
    w = _open(qtbot, store, clock.now)

    bars_today = sum(_values(bar_set)[-1] for bar_set in w.charts.breaks_series.barSets())
    assert bars_today == 7
    assert _points(w.charts.postponed_line)[-1] == (6, 6)
    assert w.charts.postponed_line.name() == "Postponements"
    assert w.charts.postponed_line in w.charts.breaks_chart.series()
    assert "7 breaks taken" in w.totals_label.text()
    assert "6 postponed" in w.totals_label.text()


def test_a_break_ended_after_half_of_it_shows_as_a_shortened_taken_break(
    store: HistoryStore, clock: ManualClock, qtbot
) -> None:
    store.record(
        EventKind.BREAK_COMPLETED,
        clock.now(),
        subject="micro",
        planned_seconds=20,
        actual_seconds=12,
        note="ended early",
    )
    w = _open(qtbot, store, clock.now)

    assert _rows(w)[0][1:] == ("Micro-break completed (shortened)", "20 s planned, 12 s taken")
    assert "1 break taken (1 completed, 0 while away)" in w.totals_label.text()
    assert "0 skipped" in w.totals_label.text()


@pytest.mark.parametrize("days", [30, 90, 7])
def test_range_switch_changes_the_number_of_days(window: HistoryWindow, qtbot, days) -> None:
    qtbot.mouseClick(window.range_buttons[days], Qt.MouseButton.LeftButton)

    assert window.range_days == days
    assert window.range_buttons[days].isChecked()
    for bar_set in (
        window.charts.completed_set,
        window.charts.skipped_set,
        window.charts.ice_set,
        window.charts.heat_set,
    ):
        assert bar_set.count() == days
    for axis in (window.charts.breaks_days_axis, window.charts.care_days_axis):
        assert (axis.min(), axis.max()) == (-0.5, days - 0.5)
    assert window.summaries[-1].day == date(2026, 3, 2)
    assert sum(_values(window.charts.completed_set)) == (7 if days == 7 else 8)
    # Labels stay readable: every day for a week, every 7th / 14th day beyond.
    labels = window.charts.breaks_days_axis.categoriesLabels()
    assert len(labels) == {7: 7, 30: 5, 90: 7}[days]
    assert labels[-1] == ("Mon 2" if days == 7 else "2 Mar")


def test_30_days_show_both_spasms(window: HistoryWindow) -> None:
    window.set_range_days(30)
    first = date(2026, 3, 2) - timedelta(days=29)
    assert _points(window.charts.pain_series) == [
        ((date(2026, 2, 20) - first).days, 4),
        ((date(2026, 3, 1) - first).days, 8),
    ]


def test_totals_streak_and_phase(window: HistoryWindow) -> None:
    assert window.totals_label.text() == (
        "Last 7 days: 8 breaks taken (7 completed, 1 while away), 1 postponed, 1 skipped"
        " · Ice 15 min · Heat 19 min · 1 spasm (pain 8)"
    )
    # Today already has 6 breaks taken (5 + 1 while away); yesterday had none.
    assert window.streak_label.text() == "1 day in a row with at least 6 breaks"
    assert window.phase_label.isVisibleTo(window)
    assert window.phase_label.text() == (
        "Open neck spasm since Sun 1 Mar 2026 13:00, pain 8 of 10"
        " — acute phase: ice, about 10 min a round (never over 20)."
    )
    window.set_range_days(30)
    assert window.totals_label.text().startswith("Last 30 days: 9 breaks taken")
    assert window.totals_label.text().endswith("2 spasms (worst pain 8)")


def test_streak_text_for_a_longer_streak(qtbot, store: HistoryStore, clock: ManualClock) -> None:
    for back in range(1, 13):
        for i in range(6):
            store.record(
                EventKind.BREAK_COMPLETED,
                clock.now() - timedelta(days=back, minutes=i),
                subject="micro",
            )
    w = _open(qtbot, store, clock.now)
    assert w.streak_label.text() == "12 days in a row with at least 6 breaks"


def test_a_weekend_off_does_not_restart_the_streak(
    qtbot, store: HistoryStore, clock: ManualClock
) -> None:
    """Working hours Monday to Friday: the empty weekend before today (a Monday) is skipped,
    and the window follows a change of working days at its next refresh."""
    for back in (0, 3, 4, 5):  # today, then Fri 27, Thu 26, Wed 25 February
        for i in range(6):
            store.record(EventKind.BREAK_COMPLETED, clock.now() - timedelta(days=back, minutes=i))
    days_off = {5, 6}
    w = _open(qtbot, store, clock.now, days_off=lambda: days_off)
    assert w.streak_label.text() == "4 working days in a row with at least 6 breaks"

    days_off = set()  # working hours turned off in Settings
    w.refresh()
    assert w.streak_label.text() == "1 day in a row with at least 6 breaks"


def test_empty_history(qtbot, store: HistoryStore, clock: ManualClock) -> None:
    w = _open(qtbot, store, clock.now)
    assert w.totals_label.text() == (
        "Last 7 days: 0 breaks taken (0 completed, 0 while away), 0 postponed, 0 skipped"
        " · Ice 0 min · Heat 0 min · no spasms logged"
    )
    assert w.streak_label.text() == "No streak yet: a day with at least 6 breaks starts one."
    assert not w.phase_label.isVisibleTo(w)
    assert _values(w.charts.completed_set) == [0] * 7
    assert _points(w.charts.pain_series) == []
    assert w.model.rowCount() == 0
    assert not w.empty_label.isHidden()


# ----------------------------------------------------------------------------- table


def test_table_lists_events_newest_first_in_plain_words(window: HistoryWindow) -> None:
    window.tabs.setCurrentIndex(1)
    rows = _rows(window)
    assert len(rows) == 21
    assert rows[0] == (
        "Mon 2 Mar 2026 08:59",
        "Heat stopped early",
        "15 min planned, 9 min taken",
    )
    assert rows[1] == ("Mon 2 Mar 2026 08:58", "Ice stopped early", "15 min planned, 0 s taken")
    assert rows[2] == ("Mon 2 Mar 2026 08:15", "Ice completed", "15 min planned, 15 min taken")
    assert rows[3] == ("Mon 2 Mar 2026 08:00", "Ice started", "")
    assert rows[4] == ("Mon 2 Mar 2026 07:58", "Posture break postponed", "")
    assert rows[6] == ("Mon 2 Mar 2026 07:50", "Micro-break taken while away", "")
    assert rows[12] == ("Sun 1 Mar 2026 22:00", "Spasm pain updated", "pain 8 of 10")
    assert rows[13] == ("Sun 1 Mar 2026 13:00", "Neck spasm started", "pain 7 of 10, Long drive")
    assert rows[-1] == ("Fri 20 Feb 2026 09:00", "Neck spasm started", "pain 4 of 10")
    model = window.model
    assert model.data(model.index(1, COL_EVENT), Qt.ItemDataRole.ToolTipRole) == "Phone call"
    assert window.empty_label.isHidden()


def test_filters(window: HistoryWindow) -> None:
    window.tabs.setCurrentIndex(1)
    _choose_filter(window, "Ice and heat")
    assert [event for _, event, _ in _rows(window)] == [
        "Heat stopped early",
        "Ice stopped early",
        "Ice completed",
        "Ice started",
        "Heat completed",
        "Heat completed",
    ]
    _choose_filter(window, "Spasms")
    assert [event for _, event, _ in _rows(window)] == [
        "Spasm pain updated",
        "Neck spasm started",
        "Spasm resolved",
        "Neck spasm started",
    ]
    _choose_filter(window, "Breaks")
    assert len(_rows(window)) == 11
    _choose_filter(window, "App")
    assert window.model.rowCount() == 0
    assert not window.empty_label.isHidden()
    assert window.empty_label.text() == "Nothing recorded yet."
    _choose_filter(window, "All")
    assert window.model.rowCount() == 21


def test_the_exercises_filter_shows_exercises_and_nothing_else(
    window: HistoryWindow, seeded: HistoryStore, clock: ManualClock
) -> None:
    at = clock.now() - timedelta(minutes=30)
    for minutes, kind, name in (
        (0, EventKind.EXERCISE_DONE, "Chin tucks"),
        (1, EventKind.EXERCISE_SKIPPED, "Shoulder rolls"),
        (2, EventKind.EXERCISE_CUT_SHORT, "Neck side bend"),
    ):
        seeded.record(kind, at + timedelta(minutes=minutes), subject="x", note=name)
    window.refresh()
    filters = [window.filter_combo.itemText(i) for i in range(window.filter_combo.count())]
    assert filters == ["All", "Breaks", "Ice and heat", "Spasms", "Exercises", "App"]
    _choose_filter(window, "Exercises")
    assert [event for _, event, _ in _rows(window)] == [
        "Exercise cut short: Neck side bend",
        "Exercise skipped: Shoulder rolls",
        "Exercise done: Chin tucks",
    ]
    assert window.empty_label.isHidden()
    # Not among the breaks (an exercise is done in a break, but it is not one).
    _choose_filter(window, "Breaks")
    assert len(_rows(window)) == 11
    _choose_filter(window, "All")
    assert window.model.rowCount() == 24


def test_the_exercises_filter_says_when_there_are_none(window: HistoryWindow) -> None:
    _choose_filter(window, "Exercises")
    assert window.model.rowCount() == 0
    assert not window.empty_label.isHidden()


def test_showing_again_picks_up_new_events(
    window: HistoryWindow, seeded: HistoryStore, clock: ManualClock, qtbot
) -> None:
    window.hide()
    for minutes in (1, 2):
        seeded.record(EventKind.BREAK_SKIPPED, clock.now() - timedelta(seconds=minutes))
    window.show()
    qtbot.waitExposed(window)

    assert _rows(window)[0][1] == "Break skipped"
    assert "3 skipped" in window.totals_label.text()
    assert _values(window.charts.skipped_set)[-1] == 3


def test_table_reads_one_page_and_the_next_only_on_scroll(
    qtbot, store: HistoryStore, clock: ManualClock
) -> None:
    start = clock.now() - timedelta(days=3)
    rows = [
        ((start + timedelta(minutes=i)).isoformat(), (start + timedelta(minutes=i)).timestamp())
        for i in range(PAGE_SIZE * 2 + 50)
    ]
    store._db.executemany(
        "INSERT INTO events (at, at_utc, kind, subject) VALUES (?, ?, 'break_due', 'micro')", rows
    )
    w = _open(qtbot, store, clock.now)
    w.tabs.setCurrentIndex(1)
    settle()  # the view checks for fetch-more on a zero timer: let it run

    assert w.model.rowCount() == PAGE_SIZE
    assert w.model.fetched_rows == PAGE_SIZE

    w.table.scrollToBottom()
    qtbot.waitUntil(lambda: w.model.rowCount() == 2 * PAGE_SIZE, timeout=2000)
    w.table.scrollToBottom()
    qtbot.waitUntil(lambda: w.model.rowCount() == 2 * PAGE_SIZE + 50, timeout=2000)
    assert not w.model.canFetchMore(QModelIndex())
    times = [w.model.event_at(r).at for r in range(w.model.rowCount())]
    assert times == sorted(times, reverse=True)
    assert w.table.rowCount() == w.model.rowCount()


# ----------------------------------------------------------------------------- export and control


def finish_job(qtbot, window: HistoryWindow) -> None:
    """Wait until the export or deletion the window started has reported back.

    waitSignal runs a real event loop, which lets the worker thread have Python's lock;
    waitUntil's polling would hold it most of the time and slow the job down tenfold.
    """
    job = window.job
    if job is not None and not job.finished:
        with qtbot.waitSignal(job.done, timeout=30_000):
            pass
    qtbot.waitUntil(lambda: not window.job_running, timeout=30_000)


def test_export_writes_events_and_episodes(
    window: HistoryWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    target = tmp_path / "my export.csv"
    monkeypatch.setattr(window, "ask_export_path", lambda: target)

    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    finish_job(qtbot, window)

    assert window.status_label.text() == (f"Exported 21 events and 2 spasm episodes to {target}")
    with target.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["record"] for r in rows] == ["event"] * 21 + ["episode"] * 2
    assert rows[0]["at"] == "2026-02-20T09:00:00+01:00"
    assert rows[20]["kind"] == "therapy_stopped_early"
    assert rows[-1]["note"] == "Long drive"


def test_export_cancelled_writes_nothing(
    window: HistoryWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    monkeypatch.setattr(window, "ask_export_path", lambda: None)
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    assert window.status_label.text() == ""
    assert list(tmp_path.glob("*.csv")) == []


@pytest.mark.expect_log("neckcare_desktop.history_jobs", logging.WARNING, r"CSV export")
def test_export_error_is_shown_not_raised(
    window: HistoryWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    target = tmp_path / "missing" / "folder" / "out.csv"
    monkeypatch.setattr(window, "ask_export_path", lambda: target)

    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    finish_job(qtbot, window)

    text = window.status_label.text()
    assert text.startswith("Export failed.")
    assert str(target) in text
    assert "Choose a folder" in text
    assert not target.exists()


def test_open_data_folder(
    window: HistoryWindow, seeded: HistoryStore, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(window, "open_folder", lambda path: opened.append(path) or True)
    qtbot.mouseClick(window.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [seeded.path.parent]
    assert window.status_label.text() == ""

    monkeypatch.setattr(window, "open_folder", lambda path: False)
    qtbot.mouseClick(window.open_folder_button, Qt.MouseButton.LeftButton)
    assert window.status_label.text().startswith(f"Could not open {seeded.path.parent}")


def test_delete_all_needs_confirmation(
    window: HistoryWindow, seeded: HistoryStore, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    monkeypatch.setattr(window, "confirm_delete", lambda: False)
    qtbot.mouseClick(window.delete_button, Qt.MouseButton.LeftButton)
    assert len(seeded.recent()) == 21
    assert window.status_label.text() == ""


def test_delete_all_deletes_shrinks_and_refreshes(
    window: HistoryWindow, seeded: HistoryStore, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    path = seeded.path
    filler = [("2026-01-01T00:00:00+01:00", 1767222000.0 + i, "x" * 300) for i in range(5000)]
    seeded._db.executemany(
        "INSERT INTO events (at, at_utc, kind, note) VALUES (?, ?, 'app_started', ?)", filler
    )
    seeded._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = path.stat().st_size
    monkeypatch.setattr(window, "confirm_delete", lambda: True)

    qtbot.mouseClick(window.delete_button, Qt.MouseButton.LeftButton)
    finish_job(qtbot, window)

    assert path.stat().st_size < before / 5
    assert seeded.recent() == []
    assert seeded.open_episodes() == []
    assert window.model.rowCount() == 0
    assert _values(window.charts.completed_set) == [0] * 7
    assert _points(window.charts.pain_series) == []
    assert not window.phase_label.isVisibleTo(window)
    assert window.status_label.text() == "All history was deleted."


def _add_filler(store: HistoryStore, n: int) -> None:
    """``n`` more events, written in one go (``record`` commits each one: too slow here)."""
    filler = [("2026-01-01T00:00:00+01:00", 1767222000.0 + i, "x" * 100) for i in range(n)]
    store._db.execute("BEGIN")
    store._db.executemany(
        "INSERT INTO events (at, at_utc, kind, note) VALUES (?, ?, 'app_started', ?)", filler
    )
    store._db.execute("COMMIT")


def test_export_runs_beside_the_window_with_progress_and_cannot_start_twice(
    window: HistoryWindow, seeded: HistoryStore, tmp_path: Path, monkeypatch, qtbot
) -> None:
    _add_filler(seeded, 60_000)
    asked: list[int] = []
    target = tmp_path / "big.csv"
    monkeypatch.setattr(window, "ask_export_path", lambda: asked.append(1) or target)
    monkeypatch.setattr(window, "confirm_delete", lambda: pytest.fail("asked to delete"))
    shown: list[int] = []
    window.progress_bar.valueChanged.connect(shown.append)
    heartbeat = Heartbeat()

    interval = sys.getswitchinterval()
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    job = window.job
    assert window.job_running and job is not None
    assert job.on_worker_thread
    assert not window.export_button.isEnabled() and not window.delete_button.isEnabled()
    assert window.progress_bar.isVisibleTo(window)
    assert window.status_label.text() == f"Exporting history to {target}…"
    window.export_csv()  # a second click (or the shortcut) while it runs: ignored
    window.ask_delete_all()
    qtbot.keyClick(window.table, Qt.Key.Key_End)  # the window answers meanwhile
    finish_job(qtbot, window)
    heartbeat.stop()
    assert job.wait(10)
    assert sys.getswitchinterval() == interval  # lowered for the job only

    assert asked == [1]
    assert shown[-1] == 100 and len(shown) > 3  # it moved, and got to the end
    assert shown == sorted(shown)
    assert heartbeat.beats > 0
    assert window.status_label.text() == (
        f"Exported 60,021 events and 2 spasm episodes to {target}"
    )
    with target.open(encoding="utf-8", newline="") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == 60_023
    assert window.export_button.isEnabled() and window.delete_button.isEnabled()
    assert not window.progress_bar.isVisibleTo(window)


def test_delete_all_runs_beside_the_window_and_the_app_sees_the_empty_file(
    window: HistoryWindow, seeded: HistoryStore, monkeypatch, qtbot, clock: ManualClock
) -> None:
    _add_filler(seeded, 20_000)
    confirmed: list[int] = []
    monkeypatch.setattr(window, "confirm_delete", lambda: confirmed.append(1) or True)

    qtbot.mouseClick(window.delete_button, Qt.MouseButton.LeftButton)
    assert window.job_running
    assert window.status_label.text() == "Deleting all history…"
    assert not window.delete_button.isEnabled() and not window.export_button.isEnabled()
    qtbot.mouseClick(window.delete_button, Qt.MouseButton.LeftButton)  # ignored
    finish_job(qtbot, window)

    assert confirmed == [1]
    assert window.status_label.text() == "All history was deleted."
    # The app's own connection (the engine writes through it) sees the empty file...
    assert seeded.recent() == [] and seeded.open_episodes() == []
    assert window.model.rowCount() == 0
    # ...and goes on writing to it.
    seeded.record(EventKind.BREAK_COMPLETED, clock.now(), subject="micro")
    window.refresh()
    assert window.model.rowCount() == 1
    assert seeded.integrity_ok()


def test_a_store_in_memory_exports_at_once(qtbot, clock: ManualClock, tmp_path, monkeypatch):
    memory = HistoryStore(":memory:")
    try:
        memory.record(EventKind.BREAK_COMPLETED, clock.now(), subject="micro")
        w = _open(qtbot, memory, clock.now)
        target = tmp_path / "mem.csv"
        monkeypatch.setattr(w, "ask_export_path", lambda: target)
        qtbot.mouseClick(w.export_button, Qt.MouseButton.LeftButton)
        assert not w.job_running  # no second connection to memory: done on the spot
        assert w.status_label.text() == f"Exported 1 event and 0 spasm episodes to {target}"
    finally:
        memory.close()


def test_escape_closes_window(window: HistoryWindow, qtbot) -> None:
    qtbot.keyClick(window.table, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_controls_have_accessible_names(window: HistoryWindow) -> None:
    for widget in (
        window.filter_combo,
        window.table,
        window.export_button,
        window.open_folder_button,
        window.delete_button,
        window.refresh_button,
        window.status_label,
        window.totals_label,
        window.streak_label,
        window.charts.breaks_view,
        window.charts.care_view,
        window.tabs,
        *window.range_buttons.values(),
    ):
        assert widget.accessibleName(), widget


# ----------------------------------------------------------------------------- scale


@pytest.fixture(scope="module")
def big_history(tmp_path_factory: pytest.TempPathFactory):
    """50,000 events and 100 episodes over a year, made by the bench generator."""
    bench = _load_bench()
    end = datetime(2026, 3, 2, 17, 0, tzinfo=bench.DEFAULT_TZ)
    path = tmp_path_factory.mktemp("big") / "history.sqlite3"
    generated = bench.generate(path, events=50_000, episodes=100, years=1, end=end, seed=5)
    assert (generated.events, generated.episodes) == (50_000, 100)
    return path, end


def _expected_days(path: Path, days: list[str]) -> dict[str, dict[str, float]]:
    """The per-day numbers, counted in Python from every raw row (independently of the app)."""
    wanted = set(days)
    out: dict[str, dict[str, float]] = {d: defaultdict(float) for d in days}
    conn = sqlite3.connect(path)
    try:
        for at, kind, subject, actual in conn.execute(
            "SELECT at, kind, subject, actual_seconds FROM events"
        ):
            day = at[:10]
            if day not in wanted:
                continue
            if kind.startswith("break_"):
                out[day][kind] += 1
            elif kind in ("therapy_completed", "therapy_stopped_early", "therapy_overrun"):
                out[day][subject] += (actual or 0) / 60
        peaks: dict[int, tuple[str, int]] = {}
        for episode_id, started_at, pain in conn.execute(
            "SELECT id, started_at, pain FROM episodes"
        ):
            peaks[episode_id] = (started_at[:10], pain)
        for episode_id, pain in conn.execute("SELECT episode_id, pain FROM pain_updates"):
            day, peak = peaks[episode_id]
            peaks[episode_id] = (day, max(peak, pain))
        for day, peak in peaks.values():
            if day in wanted:
                out[day]["pain"] = max(out[day]["pain"], peak)
                out[day]["episodes"] += 1
    finally:
        conn.close()
    return out


def test_big_history_opens_with_the_right_numbers_without_reading_all_rows(
    qtbot, big_history
) -> None:
    path, end = big_history
    store = HistoryStore(path)
    try:
        statements: list[str] = []
        store._db.set_trace_callback(statements.append)
        w = _open(qtbot, store, lambda: end)
        for days in (30, 90, 7, 90):
            w.set_range_days(days)
        settle()  # whatever the switches queued has run
        store._db.set_trace_callback(None)

        # Rows read for the table: one page, not 50,000; range switches read none.
        assert w.model.rowCount() == PAGE_SIZE
        assert w.model.fetched_rows <= PAGE_SIZE

        # Every statement the window ran goes through an index: a range search, or (for
        # the newest page) an ordered index walk that LIMIT stops. Never a table scan.
        selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert selects
        for sql in selects:
            plan = [row[3] for row in store._db.execute(f"EXPLAIN QUERY PLAN {sql}")]
            for line in plan:
                if line.startswith("SCAN") and "subquery" not in line:
                    assert "INDEX" in line and f"LIMIT {PAGE_SIZE}" in sql, (sql, plan)
        assert any(
            "events_kind_day" in line
            for line in store.explain_daily_summary(end.date() - timedelta(days=89), end.date())
        )

        # The charts hold exactly what a plain count of every raw row gives.
        days = [s.day.isoformat() for s in w.summaries]
        assert len(days) == 90 and days[-1] == "2026-03-02"
        expected = _expected_days(path, days)
        assert _values(w.charts.completed_set) == [expected[d]["break_completed"] for d in days]
        assert _values(w.charts.natural_set) == [expected[d]["break_natural"] for d in days]
        assert [y for _x, y in _points(w.charts.postponed_line)] == [
            expected[d]["break_postponed"] for d in days
        ]
        assert _values(w.charts.skipped_set) == [expected[d]["break_skipped"] for d in days]
        assert _values(w.charts.ice_set) == pytest.approx([expected[d]["ice"] for d in days])
        assert _values(w.charts.heat_set) == pytest.approx([expected[d]["heat"] for d in days])
        assert _points(w.charts.pain_series) == [
            (i, expected[d]["pain"]) for i, d in enumerate(days) if expected[d]["episodes"]
        ]
        assert sum(_values(w.charts.completed_set)) > 1000  # a heavy data set, not an empty one
    finally:
        store.close()


# ----------------------------------------------------------------------------- intents


def test_the_window_alone_asks_and_forwards_but_deletes_nothing(
    qtbot, seeded: HistoryStore, clock: ManualClock, tmp_path: Path
) -> None:
    """Unwired, the window writes nothing: a confirmed deletion, an export and "Open data
    folder" are intents for the app, each said once."""
    w = HistoryWindow(seeded, clock.now)
    qtbot.addWidget(w)
    w.show()
    asked: list[object] = []
    w.delete_all_requested.connect(lambda: asked.append("delete"))
    w.export_requested.connect(asked.append)
    w.open_folder_requested.connect(asked.append)
    w.confirm_delete = lambda: True  # type: ignore[method-assign]
    w.ask_export_path = lambda: tmp_path / "out.csv"  # type: ignore[method-assign]

    qtbot.mouseClick(w.delete_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.export_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.open_folder_button, Qt.MouseButton.LeftButton)

    assert asked == ["delete", tmp_path / "out.csv", seeded.path.parent]
    assert len(seeded.recent()) == 21  # nothing deleted
    assert not (tmp_path / "out.csv").exists()
    assert w.status_label.text() == ""


def test_a_declined_deletion_is_not_asked_for(qtbot, seeded: HistoryStore, clock) -> None:
    w = HistoryWindow(seeded, clock.now)
    qtbot.addWidget(w)
    asked: list[int] = []
    w.delete_all_requested.connect(lambda: asked.append(1))
    w.confirm_delete = lambda: False  # type: ignore[method-assign]
    w.ask_delete_all()
    assert asked == []


def test_engine_notes_are_said_by_code_and_other_notes_as_written(
    window: HistoryWindow, seeded: HistoryStore, clock: ManualClock
) -> None:
    at = clock.now() + timedelta(minutes=1)
    notes = {
        "postpone 3": "postpone 3",
        "asleep": "asleep",
        "NeckCare was not running at the planned end 2026-03-02T08:00:00+01:00": (
            "NeckCare was not running at the planned end 2026-03-02T08:00:00+01:00"
        ),
        "no break planned for 12 min; paused": "no break planned for 12 min; paused",
        "something a later version wrote": "something a later version wrote",
    }
    for i, note in enumerate(notes):
        seeded.record(EventKind.BREAK_POSTPONED, at + timedelta(seconds=i), note=note)
    window.refresh()
    model = window.model
    shown = [model.data(model.index(r, COL_EVENT), Qt.ItemDataRole.ToolTipRole) for r in range(5)]
    assert shown == list(reversed(notes.values()))


def test_one_job_at_a_time(qtbot, seeded: HistoryStore, clock: ManualClock, tmp_path) -> None:
    from neckcare_desktop.history_jobs import HistoryJobs

    jobs = HistoryJobs(seeded)
    started: list[object] = []
    jobs.job_starting.connect(started.append)
    first = jobs.export(tmp_path / "a.csv")
    assert first is not None and jobs.running
    assert jobs.delete_all() is None and jobs.export(tmp_path / "b.csv") is None
    qtbot.waitUntil(lambda: not jobs.running, timeout=30_000)
    assert started == [first]
    assert (tmp_path / "a.csv").exists() and not (tmp_path / "b.csv").exists()
    assert len(seeded.recent()) == 21
