"""What the history records: the kinds of event, one event as read back, and recording one.

Design notes (the WHY):

* Each event is written in its own transaction and committed before :meth:`record`
  returns. A crash or power cut then loses at most the event being written, never a
  day's worth sitting in an open transaction.
* ``at`` keeps the ISO 8601 text *with the offset that was in force when it happened*,
  so "09:14" stays "09:14" after a DST change or a trip; ``at_utc`` (epoch seconds) is
  what ordering and day/week ranges use, so they are correct across offsets.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from neckcare_desktop.core.history.connection import HistoryFile

logger = logging.getLogger(__name__)


class EventKind(StrEnum):
    """Everything the history records. The values are stored in the file: never rename."""

    BREAK_DUE = "break_due"
    BREAK_STARTED = "break_started"
    BREAK_COMPLETED = "break_completed"
    BREAK_POSTPONED = "break_postponed"
    BREAK_SKIPPED = "break_skipped"
    #: Away from the keyboard (or asleep) for as long as the break: it counts as taken.
    BREAK_NATURAL = "break_natural"
    #: A running break ended by NeckCare quitting or crashing (closed at the next start).
    BREAK_INTERRUPTED = "break_interrupted"
    THERAPY_STARTED = "therapy_started"
    THERAPY_COMPLETED = "therapy_completed"
    THERAPY_STOPPED_EARLY = "therapy_stopped_early"
    #: The app was not running at the planned end; the alert came late (see note).
    THERAPY_OVERRUN = "therapy_overrun"
    #: Stopped within its first minutes (started by mistake): no skin rest, not in totals.
    THERAPY_CANCELLED = "therapy_cancelled"
    #: A switch inside an intermittent ice session (10 on · 10 off · 10 on): ``note`` says
    #: "off" (take it off) or "on" (put it back); the session's own rows stay one session.
    THERAPY_SWITCHED = "therapy_switched"
    #: One exercise of a break's routine: ``subject`` is the exercise id.
    EXERCISE_DONE = "exercise_done"
    EXERCISE_SKIPPED = "exercise_skipped"
    EXERCISE_CUT_SHORT = "exercise_cut_short"
    HYDRATION_REMINDER = "hydration_reminder"
    APP_STARTED = "app_started"
    APP_QUIT = "app_quit"
    #: A neck spasm episode was logged; ``at`` is when it started, ``pain`` its score.
    SPASM_LOGGED = "spasm_logged"
    SPASM_PAIN_UPDATED = "spasm_pain_updated"
    SPASM_RESOLVED = "spasm_resolved"
    #: The engine found no break planned while reminders were on, and planned one (see
    #: note for the state it found): a bug healed, and made visible.
    WATCHDOG_REPAIR = "watchdog_repair"


#: Kinds grouped the way the History window filters them.
BREAK_KINDS: frozenset[EventKind] = frozenset(
    {
        EventKind.BREAK_DUE,
        EventKind.BREAK_STARTED,
        EventKind.BREAK_COMPLETED,
        EventKind.BREAK_POSTPONED,
        EventKind.BREAK_SKIPPED,
        EventKind.BREAK_NATURAL,
        EventKind.BREAK_INTERRUPTED,
    }
)
THERAPY_KINDS: frozenset[EventKind] = frozenset(
    {
        EventKind.THERAPY_STARTED,
        EventKind.THERAPY_COMPLETED,
        EventKind.THERAPY_STOPPED_EARLY,
        EventKind.THERAPY_OVERRUN,
        EventKind.THERAPY_CANCELLED,
    }
)
APP_KINDS: frozenset[EventKind] = frozenset(
    {
        EventKind.APP_STARTED,
        EventKind.APP_QUIT,
        EventKind.HYDRATION_REMINDER,
        EventKind.WATCHDOG_REPAIR,
    }
)
SPASM_KINDS: frozenset[EventKind] = frozenset(
    {EventKind.SPASM_LOGGED, EventKind.SPASM_PAIN_UPDATED, EventKind.SPASM_RESOLVED}
)
EXERCISE_KINDS: frozenset[EventKind] = frozenset(
    {EventKind.EXERCISE_DONE, EventKind.EXERCISE_SKIPPED, EventKind.EXERCISE_CUT_SHORT}
)
#: A break that counts as taken: done on the prompt, or away from the desk long enough.
TAKEN_BREAK_KINDS: frozenset[EventKind] = frozenset(
    {EventKind.BREAK_COMPLETED, EventKind.BREAK_NATURAL}
)

#: Columns of every SELECT that builds an :class:`Event`.
EVENT_COLUMNS: tuple[str, ...] = (
    "id",
    "at",
    "kind",
    "subject",
    "planned_seconds",
    "actual_seconds",
    "note",
    "episode_id",
    "pain",
)
SELECT_COLUMNS = ", ".join(EVENT_COLUMNS)


@dataclass(frozen=True)
class Event:
    """One row of history, as recorded.

    ``subject`` is ``"micro"``/``"posture"`` for breaks and ``"ice"``/``"heat"`` for
    therapy; ``at`` is timezone-aware and carries the offset in force at the time.
    """

    id: int
    at: datetime
    kind: EventKind
    subject: str | None
    planned_seconds: int | None
    actual_seconds: int | None
    note: str | None
    #: Set on spasm events only: which episode, and the pain score at that moment.
    episode_id: int | None = None
    pain: int | None = None


def row_to_event(row: Sequence[Any]) -> Event | None:
    """An :class:`Event` from a row of :data:`SELECT_COLUMNS`; None for an unknown kind."""
    id_, at, kind, subject, planned, actual, note, episode_id, pain = row[:9]
    try:
        event_kind = EventKind(kind)
    except ValueError:
        # Not written by this version; showing a partial history beats showing none.
        logger.warning("Skipping history event %s of unknown kind %r", id_, kind)
        return None
    return Event(
        id=id_,
        at=datetime.fromisoformat(at),
        kind=event_kind,
        subject=subject,
        planned_seconds=planned,
        actual_seconds=actual,
        note=note,
        episode_id=episode_id,
        pain=pain,
    )


def require_aware(name: str, value: datetime) -> None:
    # A naive time would be stored without an offset and sort wrongly against every
    # other event the moment the machine's zone differs from the one it was made in.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")


def utc_range(start: datetime, end: datetime) -> tuple[float, float]:
    """``[start, end)`` as epoch seconds, the way ``at_utc`` is stored."""
    require_aware("start", start)
    require_aware("end", end)
    return start.timestamp(), end.timestamp()


def _optional_seconds(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int number of seconds or None, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative, got {value}")
    return value


class EventRecording(HistoryFile):
    """Writing one event, once: the part of the store the engine's rows go through."""

    def record(
        self,
        kind: EventKind,
        at: datetime,
        *,
        subject: str | None = None,
        planned_seconds: int | None = None,
        actual_seconds: int | None = None,
        note: str | None = None,
        row_id: str | None = None,
    ) -> int | None:
        """Store one event and commit it before returning its id.

        ``row_id`` (a pending-journal row's id) is stored in the same transaction; a row
        whose id is already stored is not written again and None is returned.
        """
        kind = EventKind(kind)
        require_aware("at", at)
        planned = _optional_seconds("planned_seconds", planned_seconds)
        actual = _optional_seconds("actual_seconds", actual_seconds)
        try:
            with self._transaction() as conn:
                if row_id is not None:
                    done = conn.execute(
                        "INSERT OR IGNORE INTO journal_applied (row_id) VALUES (?)", (row_id,)
                    )
                    if done.rowcount == 0:
                        logger.info("history row %s was written before; not again", row_id)
                        return None
                cur = conn.execute(
                    "INSERT INTO events (at, at_utc, kind, subject, planned_seconds,"
                    " actual_seconds, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (at.isoformat(), at.timestamp(), kind.value, subject, planned, actual, note),
                )
                event_id = cur.lastrowid
        except sqlite3.Error as exc:
            raise self._sql_failed("save to", exc) from exc
        assert event_id is not None  # an INSERT into a rowid table always sets it
        logger.debug("Recorded %s (%s) at %s as #%d", kind.value, subject, at, event_id)
        return event_id

    def forget_applied(self) -> None:
        """The pending journal was cleared: its row ids are no longer needed."""
        try:
            with self._transaction() as conn:
                conn.execute("DELETE FROM journal_applied")
        except sqlite3.Error as exc:
            raise self._sql_failed("save to", exc) from exc
