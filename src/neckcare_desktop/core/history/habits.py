"""Pain next to habits: each logged pain value, break adherence and ice/heat rounds per day.

The History window's "Pain and habits" view and the clinician report read these three
(``HistoryStore.daily_pain``, ``daily_adherence``, ``daily_rounds``). They are facts side by
side; nothing here relates one to another.

Design notes (the WHY):

* **Days are local days as recorded**, ``substr(at, 1, 10)`` (queries' ``DAY_EXPR``), from
  ``start`` to ``end`` *inclusive*, like :meth:`HistoryQueries.daily_summary`: a value
  logged at 23:30 in Lisbon stays on that day after a flight to Berlin, and a day of a DST
  change is one day. Each query goes through the ``events_kind_day`` expression index, so
  90 days cost 90 days of the relevant kinds, never the whole file.
* **A day with nothing recorded is absent**, never a zero: no pain logged is not "pain 0",
  and no break answered is not "0 %". Callers show absent days as "no data".
* **Breaks are counted the way the breaks chart counts them**: each break once, by how it
  ended. Taken = completed or taken while away (``TAKEN_BREAK_KINDS``); due = taken +
  skipped. Not the ``break_due`` rows: a postponed break is due again (one row per
  postponement) and a break taken while away never was (no row), so their count is not
  the number of breaks.
* **A round is one ending row that applied something**: completed, stopped early or
  overrun, with ``actual_seconds`` > 0. A cancelled round (stopped within its first
  minutes) is not one, an intermittent session (10 on · 10 off · 10 on) ends once and
  counts once (its ``therapy_switched`` rows are not rounds), and a round stopped at 0 s
  (written before cancelled rounds existed) applied nothing. Its day is the day it ended,
  as in the minute totals.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from neckcare_desktop.core.history.connection import HistoryFile
from neckcare_desktop.core.history.events import TAKEN_BREAK_KINDS, EventKind

#: Must spell the expression exactly as the ``events_kind_day`` index does (queries.DAY_EXPR).
_DAY = "substr(at, 1, 10)"

#: The therapy subjects a day of rounds always holds, in this order.
ROUND_SUBJECTS: tuple[str, ...] = ("ice", "heat")
#: Ending rows of a round that was applied (see the module notes).
ROUND_KINDS: tuple[EventKind, ...] = (
    EventKind.THERAPY_COMPLETED,
    EventKind.THERAPY_STOPPED_EARLY,
    EventKind.THERAPY_OVERRUN,
)
#: Rows that carry a pain value the person logged.
PAIN_KINDS: tuple[EventKind, ...] = (EventKind.SPASM_LOGGED, EventKind.SPASM_PAIN_UPDATED)
#: Breaks counted for adherence: each break once, by how it ended.
_TAKEN: tuple[str, ...] = tuple(sorted(k.value for k in TAKEN_BREAK_KINDS))
_ENDED_BREAKS: tuple[str, ...] = (*_TAKEN, EventKind.BREAK_SKIPPED.value)


class PainPoint(NamedTuple):
    """One pain value (0-10) as logged, at the time it is about (start or update)."""

    at: datetime
    pain: int


class Adherence(NamedTuple):
    """One day's breaks: how many were taken of how many were due (``due`` >= 1)."""

    taken: int
    due: int


class Rounds(NamedTuple):
    """One day's rounds of ice or of heat, and their whole minutes (rounded half up).

    ``seconds`` are the exact applied seconds, for a sum over days that rounds once (as
    the totals line does) instead of adding up rounded days.
    """

    number: int
    minutes: int
    seconds: int = 0


@dataclass(frozen=True)
class HabitDays:
    """The three reads for the local days ``first`` to ``last`` (inclusive), together."""

    first: date
    last: date
    pain: list[PainPoint]
    adherence: dict[date, Adherence]
    rounds: dict[date, dict[str, Rounds]]

    @property
    def days(self) -> list[date]:
        """Every day of the range, oldest first (days without data included)."""
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def pain_on(self, day: date) -> list[int]:
        """The values logged on ``day``, in order (empty: no pain logged that day)."""
        return [p.pain for p in self.pain if p.at.date() == day]


def whole_minutes(seconds: int) -> int:
    """Whole minutes, rounding half up, as every total shows them."""
    return (seconds + 30) // 60


def _day_range(start: date, end: date) -> tuple[str, str]:
    # A datetime is a date too: its isoformat ("2026-03-02T09:00") would compare wrongly
    # against the stored day text, so only its date is used.
    lo = start.date() if isinstance(start, datetime) else start
    hi = end.date() if isinstance(end, datetime) else end
    if hi < lo:
        raise ValueError(f"end {hi} is before start {lo}")
    return lo.isoformat(), hi.isoformat()


def _marks(n: int) -> str:
    return ", ".join("?" * n)


class HabitQueries(HistoryFile):
    """The three per-day reads of the "Pain and habits" view and the clinician report."""

    def habit_days(self, first: date, last: date) -> HabitDays:
        """:meth:`daily_pain`, :meth:`daily_adherence` and :meth:`daily_rounds` of one
        range, read in one transaction so the three agree with each other."""
        lo, hi = _day_range(first, last)
        try:
            # One read snapshot (WAL): a round written between two of the reads cannot
            # show in one and not in another.
            self._db.execute("BEGIN")
            try:
                pain = self.daily_pain(first, last)
                adherence = self.daily_adherence(first, last)
                rounds = self.daily_rounds(first, last)
            finally:
                self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        return HabitDays(date.fromisoformat(lo), date.fromisoformat(hi), pain, adherence, rounds)

    def daily_pain(self, start: date, end: date) -> list[PainPoint]:
        """Every pain value logged on the local days ``start`` to ``end`` (inclusive).

        The score of each ``spasm_logged`` (at the time the spasm started) and each
        ``spasm_pain_updated`` row, oldest first. A day without any is simply not there.
        """
        sql, params = self._pain_sql(*_day_range(start, end))
        rows = self._read(sql, params)
        return [PainPoint(datetime.fromisoformat(at), int(pain)) for at, pain in rows]

    def daily_adherence(self, start: date, end: date) -> dict[date, Adherence]:
        """Breaks taken of breaks due, per local day ``start`` to ``end`` (inclusive).

        Only days with at least one break due are present (see the module notes for what
        counts); a day without is "no data", not 0 %.
        """
        sql, params = self._adherence_sql(*_day_range(start, end))
        return {
            date.fromisoformat(day): Adherence(int(taken), int(due))
            for day, taken, due in self._read(sql, params)
        }

    def daily_rounds(self, start: date, end: date) -> dict[date, dict[str, Rounds]]:
        """Ice and heat rounds per local day ``start`` to ``end`` (inclusive).

        A day with at least one round holds both ``"ice"`` and ``"heat"`` (one may be
        ``Rounds(0, 0)``); a day without any round is absent. Minutes are the day's
        applied seconds, rounded once (not per round).
        """
        sql, params = self._rounds_sql(*_day_range(start, end))
        days: dict[date, dict[str, Rounds]] = {}
        for day, subject, count, seconds in self._read(sql, params):
            slot = days.setdefault(
                date.fromisoformat(day), dict.fromkeys(ROUND_SUBJECTS, Rounds(0, 0))
            )
            slot[subject] = Rounds(int(count), whole_minutes(int(seconds)), int(seconds))
        return days

    def explain_habits(self, start: date, end: date) -> list[str]:
        """SQLite's plan for the three reads, one line per step (for tests and bench)."""
        lo, hi = _day_range(start, end)
        lines: list[str] = []
        for sql, params in (
            self._pain_sql(lo, hi),
            self._adherence_sql(lo, hi),
            self._rounds_sql(lo, hi),
        ):
            rows = self._read(f"EXPLAIN QUERY PLAN {sql}", params)
            lines.extend(str(row[3]) for row in rows)
        return lines

    def _read(self, sql: str, params: list[Any]) -> list[Any]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc

    @staticmethod
    def _pain_sql(lo: str, hi: str) -> tuple[str, list[Any]]:
        kinds = [k.value for k in PAIN_KINDS]
        sql = (
            f"SELECT at, pain FROM events WHERE kind IN ({_marks(len(kinds))}) "
            f"AND {_DAY} >= ? AND {_DAY} <= ? AND pain IS NOT NULL ORDER BY at_utc, id"
        )
        return sql, [*kinds, lo, hi]

    @staticmethod
    def _adherence_sql(lo: str, hi: str) -> tuple[str, list[Any]]:
        sql = (
            f"SELECT {_DAY} AS day, SUM(kind IN ({_marks(len(_TAKEN))})), COUNT(*) FROM events "
            f"WHERE kind IN ({_marks(len(_ENDED_BREAKS))}) AND {_DAY} >= ? AND {_DAY} <= ? "
            "GROUP BY day ORDER BY day"
        )
        return sql, [*_TAKEN, *_ENDED_BREAKS, lo, hi]

    @staticmethod
    def _rounds_sql(lo: str, hi: str) -> tuple[str, list[Any]]:
        kinds = [k.value for k in ROUND_KINDS]
        sql = (
            f"SELECT {_DAY} AS day, subject, COUNT(*), TOTAL(actual_seconds) FROM events "
            f"WHERE kind IN ({_marks(len(kinds))}) AND {_DAY} >= ? AND {_DAY} <= ? "
            f"AND subject IN ({_marks(len(ROUND_SUBJECTS))}) AND actual_seconds > 0 "
            "GROUP BY day, subject ORDER BY day"
        )
        return sql, [*kinds, lo, hi, *ROUND_SUBJECTS]
