"""The streak goal: six breaks taken make a day count; days off neither end nor extend a run."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date, datetime, timedelta

import pytest

from conftest import TEST_TZ
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.streaks import STREAK_GOAL, Streak, current_streak

#: A Monday.
TODAY = date(2026, 3, 2)


@pytest.fixture
def store() -> Iterator[HistoryStore]:
    with HistoryStore(":memory:") as s:
        yield s


def _breaks(store: HistoryStore, day: date, n: int, kind: EventKind = EventKind.BREAK_COMPLETED):
    at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=TEST_TZ)
    for i in range(n):
        store.record(kind, at + timedelta(minutes=10 * i), subject="micro")


def test_the_goal_is_six_breaks_taken_a_day() -> None:
    assert STREAK_GOAL == 6


def test_no_history_is_no_streak(store: HistoryStore) -> None:
    assert current_streak(store, TODAY) == Streak(days=0, goal=6, working_days=False)


def test_a_day_with_six_breaks_counts_and_one_with_five_ends_the_run(store) -> None:
    for back in (1, 2, 3):
        _breaks(store, TODAY - timedelta(days=back), 6)
    _breaks(store, TODAY - timedelta(days=4), 5)  # one short
    _breaks(store, TODAY - timedelta(days=5), 6)

    assert current_streak(store, TODAY).days == 3


def test_breaks_taken_while_away_count_and_skipped_ones_do_not(store) -> None:
    yesterday = TODAY - timedelta(days=1)
    _breaks(store, yesterday, 3)
    _breaks(store, yesterday, 3, EventKind.BREAK_NATURAL)
    assert current_streak(store, TODAY).days == 1

    before = TODAY - timedelta(days=2)
    _breaks(store, before, 5)
    _breaks(store, before, 4, EventKind.BREAK_SKIPPED)
    assert current_streak(store, TODAY).days == 1


def test_today_counts_once_it_reaches_the_goal_and_does_not_reset_the_run_before(store) -> None:
    _breaks(store, TODAY - timedelta(days=1), 6)
    _breaks(store, TODAY, 2)  # the morning: still in progress
    assert current_streak(store, TODAY).days == 1

    _breaks(store, TODAY, 4)
    assert current_streak(store, TODAY).days == 2


def test_a_weekend_off_does_not_restart_the_streak_on_monday(store) -> None:
    for back in (3, 4, 5):  # Friday, Thursday, Wednesday
        _breaks(store, TODAY - timedelta(days=back), 6)
    weekend = {5, 6}

    assert current_streak(store, TODAY, weekend) == Streak(days=3, goal=6, working_days=True)
    # Without working hours the empty Sunday ends it.
    assert current_streak(store, TODAY) == Streak(days=0, goal=6, working_days=False)


def test_a_day_off_that_reaches_the_goal_counts(store) -> None:
    for back in (1, 2, 3):  # Sunday, Saturday, Friday
        _breaks(store, TODAY - timedelta(days=back), 6)
    assert current_streak(store, TODAY, {5, 6}).days == 3


class _Counter:
    """Records what the streak asked history for."""

    def __init__(self, answer: int) -> None:
        self.answer = answer
        self.asked: list[tuple[date, int, frozenset[int]]] = []

    def streak(self, today: date, min_breaks: int = 6, *, days_off: Collection[int] = ()) -> int:
        self.asked.append((today, min_breaks, frozenset(days_off)))
        return self.answer


def test_history_is_asked_with_the_goal_and_the_weekdays_off() -> None:
    counter = _Counter(4)
    assert current_streak(counter, TODAY, [6, 5, 5]) == Streak(4, STREAK_GOAL, True)
    assert counter.asked == [(TODAY, STREAK_GOAL, frozenset({5, 6}))]


def test_a_goal_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        current_streak(_Counter(0), TODAY, goal=0)
