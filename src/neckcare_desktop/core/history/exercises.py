"""What the breaks' routines did, per week: the exercises done, and the breaks they were in.

Each exercise a break shows is one history row (``exercise_done`` / ``_skipped`` /
``_cut_short``, subject = the exercise id, note = its name then). A break "included" an
exercise when one was done between its ``break_started`` row and the next one: that is
how the rows are written (the break window records as the routine goes), so no extra
column links them. The History window and the clinician's report both read this.

Names (:func:`exercise_name`): a built-in exercise is shown by its title in the person's
language, found by its id (the note holds the English title it had then, which a later
version may reword); the person's own exercise by the name recorded with it, as they
wrote it. An id of the person's own never equals a built-in's (core.exercise_library
refuses one), so the id alone tells them apart.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from neckcare_desktop.core.history.connection import HistoryFile
from neckcare_desktop.core.history.events import EXERCISE_KINDS, EventKind, utc_range
from neckcare_desktop.core.i18n import translate

logger = logging.getLogger(__name__)


@functools.cache
def _builtin_titles() -> dict[str, str]:
    """Built-in exercise id → its English title (the shipped list, read once)."""
    # Imported here: the history package does not need the exercise list to load.
    from neckcare_desktop.core.stretches import default_stretches

    try:
        return {s.id: s.title for s in default_stretches()}
    except Exception as exc:  # a broken install must not cost the history its names
        logger.warning("built-in exercise names unavailable, showing them as recorded: %s", exc)
        return {}


def exercise_name(exercise_id: str, recorded: str | None = None) -> str:
    """The name to show for an exercise of the history: a built-in's title in the person's
    language (context "Stretch"), the person's own as ``recorded`` with it (its id when
    nothing was recorded)."""
    title = _builtin_titles().get(exercise_id)
    if title is not None:
        return translate("Stretch", title)
    return recorded or exercise_id


@dataclass
class WeekExercises:
    """One week (Monday first, in the times as recorded)."""

    week_start: date
    #: Exercise id → times done.
    done: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    cut_short: Counter[str] = field(default_factory=Counter)
    #: Exercise id → its name as recorded last.
    names: dict[str, str] = field(default_factory=dict)
    #: Breaks that included at least one exercise done.
    breaks_with_exercises: int = 0

    @property
    def total_done(self) -> int:
        return sum(self.done.values())

    def name(self, exercise_id: str) -> str:
        """The exercise's name in the person's language (see :func:`exercise_name`)."""
        return exercise_name(exercise_id, self.names.get(exercise_id))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_exercises(store: HistoryFile, start: datetime, end: datetime) -> list[WeekExercises]:
    """Weeks in ``[start, end)`` with any exercise recorded, oldest first.

    One pass over the range's break starts and exercise rows, in time order (the
    ``(kind, at_utc)`` index keeps it a range read even in a long history).
    """
    lo, hi = utc_range(start, end)
    kinds = sorted(k.value for k in (*EXERCISE_KINDS, EventKind.BREAK_STARTED))
    sql = (
        "SELECT at, kind, subject, note FROM events WHERE kind IN "
        f"({', '.join('?' * len(kinds))}) AND at_utc >= ? AND at_utc < ? "
        "ORDER BY at_utc, id"
    )
    try:
        rows = store._db.execute(sql, [*kinds, lo, hi]).fetchall()
    except sqlite3.Error as exc:
        raise store._sql_failed("read", exc) from exc
    weeks: dict[date, WeekExercises] = {}
    counted_break = True  # exercises before the range's first break start: no break
    for at, kind, subject, note in rows:
        if kind == EventKind.BREAK_STARTED.value:
            counted_break = False
            continue
        monday = _monday(datetime.fromisoformat(at).date())
        week = weeks.setdefault(monday, WeekExercises(monday))
        exercise = subject or "?"
        if note:
            week.names[exercise] = note
        if kind == EventKind.EXERCISE_DONE.value:
            week.done[exercise] += 1
            if not counted_break:
                week.breaks_with_exercises += 1
                counted_break = True
        elif kind == EventKind.EXERCISE_SKIPPED.value:
            week.skipped[exercise] += 1
        else:
            week.cut_short[exercise] += 1
    return [weeks[k] for k in sorted(weeks)]
