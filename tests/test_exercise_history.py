"""History → Exercises: per week, the exercises done and the breaks that included them."""

from __future__ import annotations

from datetime import timedelta

from fakes import T0
from neckcare_desktop.core.history import EventKind
from neckcare_desktop.core.history.exercises import weekly_exercises
from neckcare_desktop.ui.history.window import HistoryWindow


def one_break(history, at, *exercises: tuple[EventKind, str, str]) -> None:
    history.record(EventKind.BREAK_STARTED, at, subject="posture", planned_seconds=300)
    for n, (kind, subject, name) in enumerate(exercises, start=1):
        history.record(kind, at + timedelta(minutes=n), subject=subject, note=name)


def seed(history) -> None:
    done, skipped = EventKind.EXERCISE_DONE, EventKind.EXERCISE_SKIPPED
    # Week of Monday T0: two breaks with exercises done, one with only a skip.
    one_break(history, T0, (done, "chin-tuck", "Chin tuck"), (done, "own", "Towel opener"))
    one_break(history, T0 + timedelta(hours=2), (done, "chin-tuck", "Chin tuck"))
    one_break(history, T0 + timedelta(hours=4), (skipped, "own", "Towel opener"))
    # The next week: one break, one exercise cut short.
    one_break(
        history,
        T0 + timedelta(days=8),
        (EventKind.EXERCISE_CUT_SHORT, "chin-tuck", "Chin tuck"),
    )


def test_weekly_query_counts_exercises_and_breaks(history):
    seed(history)
    first, second = weekly_exercises(history, T0 - timedelta(days=1), T0 + timedelta(days=14))
    assert first.week_start == T0.date()
    assert first.done == {"chin-tuck": 2, "own": 1}
    assert first.breaks_with_exercises == 2
    assert first.skipped == {"own": 1}
    assert first.names["own"] == "Towel opener"
    assert (second.total_done, second.breaks_with_exercises) == (0, 0)
    assert second.cut_short == {"chin-tuck": 1}
    # A range that starts after the week has none of it.
    assert weekly_exercises(history, T0 + timedelta(days=7), T0 + timedelta(days=14)) == [second]


def test_history_window_shows_the_weeks(history, clock, qtbot):
    seed(history)
    clock.advance(timedelta(days=9))
    window = HistoryWindow(history, clock.now)
    qtbot.addWidget(window)
    window.set_range_days(30)
    window.refresh()
    page = window.exercises_page
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "E&xercises" in titles
    table = page.table
    assert table.rowCount() == 2
    newest = [table.item(0, c).text() for c in range(4)]
    oldest = [table.item(1, c).text() for c in range(4)]
    assert newest[1:3] == ["0", "0"]
    assert "1 passed over or cut short" in newest[3]
    assert oldest[1:3] == ["3", "2"]
    assert oldest[3].startswith("Chin tuck ×2, Towel opener ×1")
    assert page.empty_label.isHidden()


def test_an_empty_range_says_so(history, clock, qtbot):
    window = HistoryWindow(history, clock.now)
    qtbot.addWidget(window)
    window.refresh()
    assert not window.exercises_page.empty_label.isHidden()


def test_the_most_done_column_names_a_builtin_in_the_persons_language(history, clock, qtbot):
    """A built-in is recorded with its id and English title: History → Exercises shows its
    Spanish title when NeckCare speaks Spanish; the person's own exercise as they named
    it (one named like a built-in too: its id is its own)."""
    from neckcare_desktop import translations

    seed(history)
    one_break(
        history, T0 + timedelta(hours=6), (EventKind.EXERCISE_DONE, "chin-tuck-2", "Chin tuck")
    )
    clock.advance(timedelta(days=9))
    try:
        translations.install("es")
        window = HistoryWindow(history, clock.now)
        qtbot.addWidget(window)
        window.set_range_days(30)
        window.refresh()
        oldest = window.exercises_page.table.item(1, 3).text()
    finally:
        translations.uninstall()
    assert oldest.startswith("Retracción de la barbilla ×2, ")
    assert "Towel opener ×1" in oldest and "Chin tuck ×1" in oldest
