"""The streak: how many days in a row the person took enough breaks.

The goal (how many breaks make a day count) and which days may not break the run are
decisions about the person's care, so they live here, in core, and the History window only
renders the :class:`Streak` it is given. Counting the days is the store's job
(``HistoryStore.streak`` reads them a window at a time through the day index); this module
asks it with the goal and the days off, and says what kind of run came back.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Protocol

#: Breaks taken (completed or taken while away) a day needs to count towards the streak.
STREAK_GOAL = 6

#: Every weekday, Monday (0) to Sunday (6).
_WEEK = frozenset(range(7))


class StreakCounter(Protocol):
    """What the streak needs from history (``HistoryStore`` has it)."""

    def streak(
        self, today: date, min_breaks: int = ..., *, days_off: Collection[int] = ...
    ) -> int: ...


@dataclass(frozen=True)
class Streak:
    """A run of days back from today, each with at least ``goal`` breaks taken."""

    #: Days in the run (0: no streak yet). Today counts once it has reached the goal.
    days: int
    #: Breaks a day needed.
    goal: int
    #: Days off were skipped over, so the run is one of working days.
    working_days: bool


def current_streak(
    history: StreakCounter,
    today: date,
    days_off: Collection[int] = (),
    goal: int = STREAK_GOAL,
) -> Streak:
    """The streak up to ``today``; ``days_off`` are weekdays (0 = Monday) without reminders.

    A day off short of the goal neither ends the run nor adds to it: no reminders ran, so a
    weekend must not restart the streak every Monday. Raises the store's HistoryError when
    history cannot be read.
    """
    if goal < 1:
        raise ValueError(f"the streak goal must be at least 1, got {goal}")
    off = frozenset(days_off) & _WEEK
    days = history.streak(today, goal, days_off=off)
    # Said as it was before this module existed: any day off given makes a run of
    # "working days" (the store counts every day when all seven are off).
    return Streak(days=days, goal=goal, working_days=bool(frozenset(days_off)))
