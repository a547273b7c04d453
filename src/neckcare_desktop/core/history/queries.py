"""Reading the history back: recent events, pages for the table, totals, days for charts.

Design notes (the WHY):

* Ranges are half-open on ``at_utc`` (``[start, end)``), so consecutive days never count
  an event twice and a change of offset never moves an event out of its range.
* Charts group by *local day as recorded*: ``substr(at, 1, 10)``. A break at 23:30 in
  Lisbon stays on that day after a flight to Berlin. The expression index of schema 2
  (core.history.migrations) serves those queries only when they spell the expression
  exactly as :data:`DAY_EXPR` does.
* Nothing here reads the whole file: the table pages by keyset, charts read only the days
  they show, and the streak stops at its first short working day.
"""

from __future__ import annotations

import heapq
import logging
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from neckcare_desktop.core.history.events import (
    SELECT_COLUMNS,
    TAKEN_BREAK_KINDS,
    Event,
    EventKind,
    row_to_event,
    utc_range,
)
from neckcare_desktop.core.history.habits import HabitQueries

logger = logging.getLogger(__name__)

#: The local day an event belongs to, as recorded. Must match the index expression.
DAY_EXPR = "substr(at, 1, 10)"
EPISODE_DAY_EXPR = "substr(started_at, 1, 10)"

#: The table view reads this many events at a time.
PAGE_SIZE = 200

#: Therapy subjects whose minutes are totalled; always present in the totals, even at 0.
THERAPY_SUBJECTS: tuple[str, ...] = ("ice", "heat")
#: Therapy events whose ``actual_seconds`` were really applied (see therapy_seconds_between).
_APPLIED_THERAPY_KINDS: tuple[EventKind, ...] = (
    EventKind.THERAPY_COMPLETED,
    EventKind.THERAPY_STOPPED_EARLY,
    EventKind.THERAPY_OVERRUN,
)
#: Break kinds counted per day, and the :class:`DaySummary` field each one adds to.
_COUNTED_BREAKS: dict[str, str] = {
    EventKind.BREAK_COMPLETED.value: "completed",
    EventKind.BREAK_NATURAL.value: "natural",
    EventKind.BREAK_POSTPONED.value: "postponed",
    EventKind.BREAK_SKIPPED.value: "skipped",
}


@dataclass(frozen=True)
class DaySummary:
    """One local day of history, aggregated by SQL (see :meth:`HistoryQueries.daily_summary`).

    ``max_pain`` is the worst pain (start or update) of the episodes that *started* that
    day, or None when none did; ``episodes`` counts them.
    """

    day: date
    completed: int = 0
    natural: int = 0
    postponed: int = 0
    skipped: int = 0
    ice_seconds: int = 0
    heat_seconds: int = 0
    episodes: int = 0
    max_pain: int | None = None

    @property
    def breaks_taken(self) -> int:
        """Completed plus natural: the breaks that actually happened."""
        return self.completed + self.natural

    @property
    def breaks_due(self) -> int:
        """Every break of the day counted once by how it ended; postponements are not breaks."""
        return self.completed + self.natural + self.skipped


class EventPage(NamedTuple):
    """One page of events, newest first, and where the next page starts (None: no more).

    The cursor is the ``(at_utc, id)`` of the last row read, straight from SQL, so a row
    of an unknown kind (skipped in ``events``) never makes paging stall or repeat.
    """

    events: list[Event]
    cursor: tuple[float, int] | None


class HistoryQueries(HabitQueries):
    """The reads the engine, the History window, the CLI and the bench ask for (with the
    per-day pain, adherence and rounds of :class:`HabitQueries`)."""

    def recent(self, limit: int = 200, kinds: Collection[EventKind] | None = None) -> list[Event]:
        """The latest ``limit`` events (optionally only of ``kinds``), newest first."""
        if limit < 0:
            raise ValueError(f"limit cannot be negative, got {limit}")
        sql = f"SELECT {SELECT_COLUMNS} FROM events"
        params: list[Any] = []
        if kinds is not None:
            wanted = sorted({EventKind(k).value for k in kinds})
            if not wanted:
                return []
            sql += f" WHERE kind IN ({', '.join('?' * len(wanted))})"
            params.extend(wanted)
        sql += " ORDER BY at_utc DESC, id DESC LIMIT ?"
        params.append(limit)
        try:
            rows = self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        return [e for e in map(row_to_event, rows) if e is not None]

    def counts_between(self, start: datetime, end: datetime) -> dict[EventKind, int]:
        """How many events of each kind fall in ``[start, end)``; every kind is present.

        Half-open so consecutive days never count an event twice. Every kind is in the
        result (0 when absent) so callers can index it without ``.get``.
        """
        lo, hi = utc_range(start, end)
        counts = dict.fromkeys(EventKind, 0)
        try:
            rows = self._db.execute(
                "SELECT kind, COUNT(*) FROM events WHERE at_utc >= ? AND at_utc < ? GROUP BY kind",
                (lo, hi),
            ).fetchall()
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        for kind, n in rows:
            try:
                counts[EventKind(kind)] = n
            except ValueError:
                logger.warning("Ignoring %d history events of unknown kind %r", n, kind)
        return counts

    def therapy_seconds_between(self, start: datetime, end: datetime) -> dict[str, int]:
        """Seconds of ice and of heat actually applied in ``[start, end)``.

        Sums ``actual_seconds`` of completed, stopped-early and overrun sessions (a started
        session has not applied anything yet). Both ``"ice"`` and ``"heat"`` are
        always present.
        """
        lo, hi = utc_range(start, end)
        totals = dict.fromkeys(THERAPY_SUBJECTS, 0)
        try:
            rows = self._db.execute(
                "SELECT subject, COALESCE(SUM(actual_seconds), 0) FROM events "
                "WHERE kind IN (?, ?, ?) AND at_utc >= ? AND at_utc < ? "
                "AND subject IN (?, ?) GROUP BY subject",
                (*(k.value for k in _APPLIED_THERAPY_KINDS), lo, hi, *THERAPY_SUBJECTS),
            ).fetchall()
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        for subject, seconds in rows:
            totals[subject] = int(seconds)
        return totals

    def last_event(self, kind: EventKind, subject: str | None = None) -> Event | None:
        """The most recent event of ``kind`` (and ``subject``, if given), or None."""
        sql = f"SELECT {SELECT_COLUMNS} FROM events WHERE kind = ?"
        params: list[Any] = [EventKind(kind).value]
        if subject is not None:
            sql += " AND subject = ?"
            params.append(subject)
        sql += " ORDER BY at_utc DESC, id DESC LIMIT 1"
        try:
            row = self._db.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        return None if row is None else row_to_event(row)

    def latest_inserted(self, kinds: Collection[EventKind], limit: int = 1) -> list[Event]:
        """The last ``limit`` events of ``kinds`` in the order they were written, newest first.

        Write order, not ``at`` order: after the clock was set back, the session started
        last has the older time stamp, and it is still the one that may be running.
        """
        wanted = sorted({EventKind(k).value for k in kinds})
        if not wanted or limit <= 0:
            return []
        sql = (
            f"SELECT {SELECT_COLUMNS} FROM events WHERE kind IN "
            f"({', '.join('?' * len(wanted))}) ORDER BY id DESC LIMIT ?"
        )
        try:
            rows = self._db.execute(sql, [*wanted, limit]).fetchall()
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        return [e for e in map(row_to_event, rows) if e is not None]

    def events_page(
        self,
        kinds: Collection[EventKind] | None = None,
        before: tuple[float, int] | None = None,
        limit: int = PAGE_SIZE,
    ) -> EventPage:
        """Up to ``limit`` events older than ``before`` (an ``(at_utc, id)`` cursor), newest first.

        Keyset pagination: each page is an index range read of at most ``limit`` rows per
        kind, however deep into a ten-year history the person has scrolled (OFFSET would
        walk every skipped row again). With a filter, each kind is read through the
        ``(kind, at_utc)`` index and the short, already sorted lists are merged here;
        a single ``kind IN (...) ORDER BY at_utc`` would make SQLite sort every matching
        row of the whole history first.
        """
        if limit <= 0:
            raise ValueError(f"limit must be positive, got {limit}")
        where = ""
        params: list[Any] = []
        if before is not None:
            at_utc, last_id = before
            # Row-value order on (at_utc, id), written so the at_utc index bounds the range.
            where = " AND at_utc <= ? AND (at_utc < ? OR id < ?)"
            params = [at_utc, at_utc, last_id]
        sql_tail = f"{where} ORDER BY at_utc DESC, id DESC LIMIT ?"
        select = f"SELECT {SELECT_COLUMNS}, at_utc FROM events"
        try:
            if kinds is None:
                rows = self._db.execute(f"{select} WHERE 1{sql_tail}", [*params, limit]).fetchall()
            else:
                wanted = sorted({EventKind(k).value for k in kinds})
                per_kind = [
                    self._db.execute(
                        f"{select} WHERE kind = ?{sql_tail}", [kind, *params, limit]
                    ).fetchall()
                    for kind in wanted
                ]
                merged = heapq.merge(*per_kind, key=lambda r: (r[-1], r[0]), reverse=True)
                rows = [row for _, row in zip(range(limit), merged, strict=False)]
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        events = [e for e in map(row_to_event, rows) if e is not None]
        cursor = (rows[-1][-1], rows[-1][0]) if len(rows) == limit else None
        return EventPage(events, cursor)

    def daily_summary(self, start_day: date, end_day: date) -> list[DaySummary]:
        """One :class:`DaySummary` per local day from ``start_day`` to ``end_day`` inclusive.

        Counting and summing happen in SQL, grouped by the day as recorded, through the
        ``events_kind_day`` expression index: a 90-day chart reads 90 days of the
        relevant kinds, never the whole file. Days with nothing recorded are present
        with zeros, so a chart has a bar slot for every day.
        """
        if end_day < start_day:
            raise ValueError(f"end_day {end_day} is before start_day {start_day}")
        lo, hi = start_day.isoformat(), end_day.isoformat()
        n_days = (end_day - start_day).days + 1
        slots: dict[str, dict[str, Any]] = {
            (start_day + timedelta(days=i)).isoformat(): {} for i in range(n_days)
        }
        try:
            rows = self._db.execute(*self._daily_events_sql(_summary_kinds(), lo, hi)).fetchall()
            episode_rows = self._db.execute(*self._daily_episodes_sql(lo, hi)).fetchall()
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        for kind, day, subject, n, seconds in rows:
            slot = slots.get(day)
            if slot is None:  # a malformed ``at`` cannot be charted; skip it
                continue
            if kind in _COUNTED_BREAKS:
                key = _COUNTED_BREAKS[kind]
                slot[key] = slot.get(key, 0) + n
            elif subject in THERAPY_SUBJECTS:
                key = f"{subject}_seconds"
                slot[key] = slot.get(key, 0) + int(seconds)
        for day, n, max_pain in episode_rows:
            if day in slots:
                slots[day].update(episodes=n, max_pain=max_pain)
        return [DaySummary(day=date.fromisoformat(d), **values) for d, values in slots.items()]

    @staticmethod
    def _daily_events_sql(kinds: Sequence[str], lo: str, hi: str) -> tuple[str, list[Any]]:
        """The daily aggregation, exposed so tests can EXPLAIN it and see the index used."""
        sql = (
            f"SELECT kind, {DAY_EXPR} AS day, subject, COUNT(*), TOTAL(actual_seconds) "
            f"FROM events WHERE kind IN ({', '.join('?' * len(kinds))}) "
            f"AND {DAY_EXPR} >= ? AND {DAY_EXPR} <= ? "
            "GROUP BY kind, day, subject"
        )
        return sql, [*kinds, lo, hi]

    @staticmethod
    def _daily_episodes_sql(lo: str, hi: str) -> tuple[str, list[Any]]:
        sql = (
            f"SELECT {EPISODE_DAY_EXPR} AS day, COUNT(*), MAX(MAX(pain, COALESCE("
            "(SELECT MAX(u.pain) FROM pain_updates u WHERE u.episode_id = episodes.id), pain)))"
            f" FROM episodes WHERE {EPISODE_DAY_EXPR} >= ? AND {EPISODE_DAY_EXPR} <= ? "
            "GROUP BY day"
        )
        return sql, [lo, hi]

    def explain_daily_summary(self, start_day: date, end_day: date) -> list[str]:
        """SQLite's plan for :meth:`daily_summary`, one line per step (for tests and bench)."""
        lines: list[str] = []
        lo, hi = start_day.isoformat(), end_day.isoformat()
        for sql, params in (
            self._daily_events_sql(_summary_kinds(), lo, hi),
            self._daily_episodes_sql(lo, hi),
        ):
            rows = self._db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
            lines.extend(str(row[3]) for row in rows)
        return lines

    def streak(
        self,
        today: date | datetime,
        min_breaks: int = 6,
        *,
        days_off: Collection[int] = (),
    ) -> int:
        """Consecutive days, back from ``today``, with at least ``min_breaks`` breaks taken.

        A break taken is completed or natural. Today counts once it has reached
        ``min_breaks``; until then the streak is counted from yesterday, so it does not
        read 0 every morning. ``days_off`` are weekdays (0 = Monday) outside the person's
        working hours: one short of the goal neither ends the streak nor adds to it (no
        reminders ran, so a weekend must not restart it every Monday); one that reaches the
        goal counts. Days are read a window at a time through the day index and counting
        stops at the first working day short of the goal, so a long history costs no more
        than the streak itself.
        """
        if isinstance(today, datetime):
            today = today.date()
        if min_breaks < 1:
            raise ValueError(f"min_breaks must be at least 1, got {min_breaks}")
        off = frozenset(days_off)
        if len(off & set(range(7))) == 7:
            off = frozenset()  # no working day at all: count every day, as without hours
        kinds = [k.value for k in sorted(TAKEN_BREAK_KINDS)]
        sql = (
            f"SELECT {DAY_EXPR} AS day, COUNT(*) FROM events "
            f"WHERE kind IN ({', '.join('?' * len(kinds))}) "
            f"AND {DAY_EXPR} >= ? AND {DAY_EXPR} <= ? GROUP BY day"
        )
        window = 62
        streak = 0
        day = today
        first = True
        while True:
            lo = day - timedelta(days=window - 1)
            try:
                rows = self._db.execute(sql, [*kinds, lo.isoformat(), day.isoformat()]).fetchall()
            except sqlite3.Error as exc:
                raise self._sql_failed("read", exc) from exc
            counts = dict(rows)
            for i in range(window):
                d = day - timedelta(days=i)
                enough = counts.get(d.isoformat(), 0) >= min_breaks
                if first:
                    first = False
                    if not enough:
                        continue  # today is still in progress: start from yesterday
                if enough:
                    streak += 1
                elif d.weekday() not in off:
                    return streak
            day = lo - timedelta(days=1)


def _summary_kinds() -> list[str]:
    """The kinds :meth:`HistoryQueries.daily_summary` reads, in the order the SQL lists them."""
    return [*_COUNTED_BREAKS, *(k.value for k in _APPLIED_THERAPY_KINDS)]
