"""Pain next to habits, the view: what the three charts plot and say, read off the GUI thread."""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
import threading
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.history import EventKind, HistoryError, HistoryStore
from neckcare_desktop.history_jobs import build_history_window
from neckcare_desktop.ui.history.habits_chart import InlineHabitsLoader
from neckcare_desktop.ui.history.window import HistoryWindow

ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
BENCH = Path(__file__).resolve().parent.parent / "bench" / "make_history.py"
#: Words that would relate pain to habits; the view states facts only.
CLAIMS = ("reduce", "because", "improv", "help", "caus", "better", "worse", "effect", "link")


def _round(store: HistoryStore, end: datetime, subject: str, seconds: int, kind=None) -> None:
    store.record(EventKind.THERAPY_STARTED, end - timedelta(seconds=seconds), subject=subject)
    store.record(
        kind or EventKind.THERAPY_COMPLETED,
        end,
        subject=subject,
        planned_seconds=600,
        actual_seconds=seconds,
    )


@pytest.fixture
def known(store: HistoryStore, clock: ManualClock) -> HistoryStore:
    """Seven days to Mon 2 Mar 2026 09:00 (+01:00):

    * Tue 24 Feb: nothing at all;
    * Thu 26 Feb: a spasm at 06:00, pain 6, then 7 at 18:00; 3 breaks taken of 4;
      one ice round of 10 min, one cancelled;
    * Fri 27 Feb: pain 5 at 12:00; every break (2) skipped;
    * Sun 1 Mar: pain 3 at 12:00 (the day after a day without any); an intermittent ice
      session (switches on the way, one round of 20 min) and 15 min of heat;
    * Mon 2 Mar (today): 1 break taken while away.
    """
    thu, fri, sun = (clock.now() - timedelta(days=n) for n in (4, 3, 1))
    ep = store.log_episode(thu.replace(hour=6), 6, now=clock.now())
    store.update_pain(ep.id, 7, thu.replace(hour=18))
    store.update_pain(ep.id, 5, fri.replace(hour=12))
    store.update_pain(ep.id, 3, sun.replace(hour=12))
    for hour in (9, 10, 11):
        store.record(EventKind.BREAK_COMPLETED, thu.replace(hour=hour), subject="micro")
    store.record(EventKind.BREAK_SKIPPED, thu.replace(hour=12), subject="micro")
    _round(store, thu.replace(hour=14), "ice", 600)
    _round(store, thu.replace(hour=16), "ice", 45, EventKind.THERAPY_CANCELLED)
    store.record(EventKind.BREAK_SKIPPED, fri.replace(hour=10), subject="micro")
    store.record(EventKind.BREAK_SKIPPED, fri.replace(hour=11), subject="posture")
    start = sun.replace(hour=15)
    store.record(EventKind.THERAPY_STARTED, start, subject="ice", planned_seconds=1200)
    for minutes, note in ((10, "off"), (20, "on")):
        store.record(
            EventKind.THERAPY_SWITCHED, start + timedelta(minutes=minutes), subject="ice", note=note
        )
    store.record(
        EventKind.THERAPY_COMPLETED,
        start + timedelta(minutes=30),
        subject="ice",
        planned_seconds=1200,
        actual_seconds=1200,
    )
    _round(store, sun.replace(hour=18), "heat", 900)
    store.record(EventKind.BREAK_NATURAL, clock.now() - timedelta(hours=1), subject="micro")
    return store


def _open(qtbot, store: HistoryStore, now) -> HistoryWindow:
    w = build_history_window(store, now)
    w.setLocale(ENGLISH)
    qtbot.addWidget(w)
    w.resize(1000, 900)
    w.show()
    qtbot.waitExposed(w)
    return w


def _show_habits(qtbot, w: HistoryWindow) -> None:
    with qtbot.waitSignal(w.habits.drawn, timeout=10_000):
        w.tabs.setCurrentWidget(w.habits_scroll)


def _values(bar_set) -> list[float]:
    return [bar_set.at(i) for i in range(bar_set.count())]


def _points(series) -> list[tuple[float, float]]:
    return [(round(p.x(), 4), p.y()) for p in series.points()]


def test_the_view_plots_each_value_and_each_day_of_a_known_history(
    qtbot, known: HistoryStore, clock: ManualClock
) -> None:
    w = _open(qtbot, known, clock.now)
    assert w.habits.habits is None  # not read until the tab is shown
    _show_habits(qtbot, w)
    v = w.habits

    assert v.habits is not None
    assert v.habits.days[0] == date(2026, 2, 24) and v.habits.days[-1] == date(2026, 3, 2)
    # Day i spans i - 0.5 .. i + 0.5: 06:00 on day 2 is at 1.75, 18:00 at 2.25.
    assert _points(v.pain_series) == [(1.75, 6), (2.25, 7), (3.0, 5), (5.0, 3)]
    # Thursday and Friday are joined; Sunday follows a day without pain: not joined.
    assert [_points(line) for line in v.pain_lines] == [[(1.75, 6), (2.25, 7), (3.0, 5)]]
    assert v.pain_empty.text() == ""
    # Breaks: a bar only on days with breaks; a day of skipped breaks is all "skipped".
    assert _values(v.taken_set) == [0, 0, 3, 0, 0, 0, 1]
    assert _values(v.skipped_set) == [0, 0, 1, 2, 0, 0, 0]
    # Rounds: the cancelled one and the intermittent session's switches are not rounds.
    assert _values(v.ice_set) == [0, 0, 1, 0, 0, 1, 0]
    assert _values(v.heat_set) == [0, 0, 0, 0, 0, 1, 0]
    assert v.rounds_axis.max() >= 4
    # One date axis: the same days, labelled on the bottom chart only.
    for axis in v.days_axes:
        assert (axis.min(), axis.max()) == (-0.5, 6.5)
    assert v.rounds_days_axis.categoriesLabels() == [
        "Tue 24",
        "Wed 25",
        "Thu 26",
        "Fri 27",
        "Sat 28",
        "Sun 1",
        "Mon 2",
    ]
    assert v.rounds_days_axis.labelsVisible() and not v.pain_days_axis.labelsVisible()
    lefts = {round(view.chart().plotArea().left()) for view in v.views}
    rights = {round(view.chart().plotArea().right()) for view in v.views}
    assert len(lefts) == 1 and len(rights) == 1, (lefts, rights)


def test_the_summary_says_each_fact_and_no_data_as_no_data(
    qtbot, known: HistoryStore, clock: ManualClock
) -> None:
    w = _open(qtbot, known, clock.now)
    _show_habits(qtbot, w)
    v = w.habits

    assert v.summary_label.text().split("\n") == [
        "Last 7 days.",
        "Pain: 4 values logged on 3 of 7 days, from 3 to 7 of 10; "
        "no pain logged (no data) on 4 days.",
        "Breaks: 4 taken of 7 due, on 3 days; no breaks recorded (no data) on 4 days.",
        "Ice: 2 rounds, 30 min. Heat: 1 round, 15 min.",
        "Thu 26 Feb: pain 6, 7; 3 of 4 breaks taken; ice 1 round (10 min); no heat.",
        "Fri 27 Feb: pain 5; 0 of 2 breaks taken; no ice; no heat.",
        "Sun 1 Mar: pain 3; no breaks recorded; ice 1 round (20 min); heat 1 round (15 min).",
    ]
    # Screen readers get the same words: the view, and each chart its own line.
    assert v.accessibleDescription() == v.summary_label.text()
    assert v.pain_view.accessibleDescription().startswith("Pain: 4 values logged")
    assert v.adherence_view.accessibleDescription().startswith("Breaks: 4 taken of 7")
    assert v.rounds_view.accessibleDescription().startswith("Ice: 2 rounds")
    for widget in (v, *v.views, v.summary_label, v.status_label):
        assert widget.accessibleName(), widget
    text = v.summary_label.text().lower() + " ".join(c.title().lower() for c in v.charts())
    assert not any(word in text for word in CLAIMS), text
    # A day without anything is "no data", never zero pain, in the tooltip words too.
    tue = v.habits.days[0]
    assert v.day_facts(tue) == "Tue 24 Feb: no pain logged; no breaks recorded; no ice; no heat"


def test_an_empty_range_says_no_data(qtbot, store: HistoryStore, clock: ManualClock) -> None:
    w = _open(qtbot, store, clock.now)
    _show_habits(qtbot, w)
    v = w.habits
    assert v.pain_series.count() == 0 and not v.pain_lines
    assert v.pain_empty.text() == "No pain logged in these days (no data)"
    assert v.pain_empty.isVisible()
    assert v.pain_chart.plotArea().contains(v.pain_empty.sceneBoundingRect().center())
    assert _values(v.taken_set) == [0] * 7
    assert v.summary_label.text().split("\n")[1:3] == [
        "Pain: none logged in these 7 days (no data).",
        "Breaks: none recorded in these 7 days (no data).",
    ]


def test_it_is_read_on_a_worker_thread_and_follows_the_range(
    qtbot, known: HistoryStore, clock: ManualClock, monkeypatch
) -> None:
    threads: list[str] = []
    real = HistoryStore.habit_days

    def spy(self, first, last):
        threads.append(threading.current_thread().name)
        return real(self, first, last)

    monkeypatch.setattr(HistoryStore, "habit_days", spy)
    w = _open(qtbot, known, clock.now)
    assert threads == []  # the tab is not shown: nothing read
    _show_habits(qtbot, w)
    assert threads == ["neckcare-habits"]

    with qtbot.waitSignal(w.habits.drawn, timeout=10_000):
        w.set_range_days(30)
    assert len(w.habits.habits.days) == 30
    assert w.habits.habits.first == date(2026, 2, 1)
    assert threading.main_thread().name not in threads

    # An answer for a range no longer asked for is dropped.
    old = real(known, date(2026, 2, 24), date(2026, 3, 2))
    w.habits.show_habits(old)
    assert len(w.habits.habits.days) == 30


def test_a_window_alone_reads_at_once_and_says_a_failure(
    qtbot, known: HistoryStore, clock: ManualClock, monkeypatch
) -> None:
    w = HistoryWindow(known, clock.now)
    w.setLocale(ENGLISH)
    qtbot.addWidget(w)
    w.show()
    w.tabs.setCurrentWidget(w.habits_scroll)
    assert w.habits.habits is not None and len(w.habits.habits.days) == 7  # inline

    def broken(self, first, last):
        raise HistoryError("the disk is gone")

    monkeypatch.setattr(HistoryStore, "habit_days", broken)
    w.set_range_days(30)
    assert w.habits.status_label.isVisible()
    assert w.habits.status_label.text() == "Could not read the history: the disk is gone"
    assert len(w.habits.habits.days) == 7  # the last good days stay


def test_a_store_in_memory_is_read_inline(qtbot, history: HistoryStore, clock) -> None:
    history.log_episode(clock.now() - timedelta(hours=2), 4, now=clock.now())
    w = _open(qtbot, history, clock.now)
    w.tabs.setCurrentWidget(w.habits_scroll)
    assert _points(w.habits.pain_series) == [(5.7917, 4)]
    assert w.habits.summary_label.text().split("\n")[1] == (
        "Pain: 1 value logged, 4 of 10, on 1 of 7 days; no pain logged (no data) on 6 days."
    )
    assert isinstance(InlineHabitsLoader(history), InlineHabitsLoader)


# ----------------------------------------------------------------------------- scale


def _load_bench():
    spec = importlib.util.spec_from_file_location("neckcare_bench_make_history_hc", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_90_days_of_a_big_history_match_a_plain_count(qtbot, tmp_path: Path) -> None:
    bench = _load_bench()
    end = datetime(2026, 3, 2, 17, 0, tzinfo=bench.DEFAULT_TZ)
    path = tmp_path / "history.sqlite3"
    bench.generate(path, events=40_000, episodes=300, years=1, end=end, seed=11)
    store = HistoryStore(path)
    try:
        w = _open(qtbot, store, lambda: end)
        w.set_range_days(90)
        _show_habits(qtbot, w)
        v = w.habits
        days = [d.isoformat() for d in v.habits.days]
        want: dict[str, dict[str, float]] = {d: defaultdict(float) for d in days}
        pain: list[tuple[str, int]] = []
        conn = sqlite3.connect(path)
        for at, kind, subject, actual, value in conn.execute(
            "SELECT at, kind, subject, actual_seconds, pain FROM events ORDER BY at_utc, id"
        ):
            day = at[:10]
            if day not in want:
                continue
            if kind in ("break_completed", "break_natural"):
                want[day]["taken"] += 1
            elif kind == "break_skipped":
                want[day]["skipped"] += 1
            elif kind in ("therapy_completed", "therapy_stopped_early", "therapy_overrun"):
                want[day][subject] += 1 if actual else 0
            elif kind in ("spasm_logged", "spasm_pain_updated"):
                pain.append((at, value))
        conn.close()
        assert [y for _x, y in _points(v.pain_series)] == [p for _at, p in pain]
        assert len(pain) > 20  # a heavy set, not an empty one
        assert _values(v.taken_set) == [want[d]["taken"] for d in days]
        assert _values(v.skipped_set) == [want[d]["skipped"] for d in days]
        assert _values(v.ice_set) == [want[d]["ice"] for d in days]
        assert _values(v.heat_set) == [want[d]["heat"] for d in days]
    finally:
        store.close()
