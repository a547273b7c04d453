"""The local history store: what happened, when, kept in one SQLite file on this machine.

History is health data, so it never leaves the computer: the file is readable by its
owner only, and the only way out is an explicit CSV export the person asks for.

Design notes (the WHY):

* Each event is written in its own transaction and committed before :meth:`record`
  returns. A crash or power cut then loses at most the event being written, never a
  day's worth sitting in an open transaction.
* ``at`` keeps the ISO 8601 text *with the offset that was in force when it happened*,
  so "09:14" stays "09:14" after a DST change or a trip; ``at_utc`` (epoch seconds) is
  what ordering and day/week ranges use, so they are correct across offsets.
* The schema version lives in ``PRAGMA user_version`` and every change is a step in
  :data:`MIGRATIONS`, applied one transaction per step at open. A file from a newer
  NeckCare is refused *before* anything is written, so a downgrade never damages it.
* The connection is used only from the thread that created it (the Qt main thread);
  sqlite3's default ``check_same_thread`` guards that.

This module must not import Qt: ``core`` stays testable without a display.
"""

from __future__ import annotations

import contextlib
import csv
import logging
import os
import sqlite3
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

import platformdirs

logger = logging.getLogger(__name__)

MEMORY = ":memory:"

#: Column order of the CSV export (and of every SELECT that builds an :class:`Event`).
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "at",
    "kind",
    "subject",
    "planned_seconds",
    "actual_seconds",
    "note",
)
_SELECT_COLUMNS = ", ".join(CSV_COLUMNS)


class EventKind(StrEnum):
    """Everything the history records. The values are stored in the file: never rename."""

    BREAK_DUE = "break_due"
    BREAK_STARTED = "break_started"
    BREAK_COMPLETED = "break_completed"
    BREAK_POSTPONED = "break_postponed"
    BREAK_SKIPPED = "break_skipped"
    #: Away from the keyboard (or asleep) for as long as the break: it counts as taken.
    BREAK_NATURAL = "break_natural"
    THERAPY_STARTED = "therapy_started"
    THERAPY_COMPLETED = "therapy_completed"
    THERAPY_STOPPED_EARLY = "therapy_stopped_early"
    #: The app was not running at the planned end; the alert came late (see note).
    THERAPY_OVERRUN = "therapy_overrun"
    HYDRATION_REMINDER = "hydration_reminder"
    APP_STARTED = "app_started"
    APP_QUIT = "app_quit"


#: Kinds grouped the way the History window filters them.
BREAK_KINDS: frozenset[EventKind] = frozenset(
    {
        EventKind.BREAK_DUE,
        EventKind.BREAK_STARTED,
        EventKind.BREAK_COMPLETED,
        EventKind.BREAK_POSTPONED,
        EventKind.BREAK_SKIPPED,
        EventKind.BREAK_NATURAL,
    }
)
THERAPY_KINDS: frozenset[EventKind] = frozenset(
    {
        EventKind.THERAPY_STARTED,
        EventKind.THERAPY_COMPLETED,
        EventKind.THERAPY_STOPPED_EARLY,
        EventKind.THERAPY_OVERRUN,
    }
)
APP_KINDS: frozenset[EventKind] = frozenset(
    {EventKind.APP_STARTED, EventKind.APP_QUIT, EventKind.HYDRATION_REMINDER}
)

#: Therapy subjects whose minutes are totalled; always present in the totals, even at 0.
THERAPY_SUBJECTS: tuple[str, ...] = ("ice", "heat")


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


class HistoryError(Exception):
    """The history file cannot be used; the message tells the person what to do."""


# --------------------------------------------------------------------------- migrations


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    """Create the first schema: one table of events plus the indexes the queries use."""
    conn.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,          -- ISO 8601 with the local offset as recorded
            at_utc REAL NOT NULL,      -- epoch seconds, for ordering and ranges
            kind TEXT NOT NULL,
            subject TEXT,
            planned_seconds INTEGER,
            actual_seconds INTEGER,
            note TEXT
        )
        """
    )
    conn.execute("CREATE INDEX events_at_utc ON events (at_utc)")
    conn.execute("CREATE INDEX events_kind_at_utc ON events (kind, at_utc)")


#: ``MIGRATIONS[i]`` takes a file from schema version ``i`` to ``i + 1``. Append only:
#: a released step must never change, because files in the wild have already run it.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_0_to_1]


def default_history_path() -> Path:
    """Where the history lives unless the person (or a test) says otherwise."""
    return platformdirs.user_data_path("neckcare-desktop", appauthor=False) / "history.sqlite3"


def _require_aware(name: str, value: datetime) -> None:
    # A naive time would be stored without an offset and sort wrongly against every
    # other event the moment the machine's zone differs from the one it was made in.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")


def _optional_seconds(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int number of seconds or None, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative, got {value}")
    return value


class HistoryStore:
    """The history file, opened, checked and migrated to :attr:`SCHEMA_VERSION`."""

    SCHEMA_VERSION = 1

    def __init__(self, path: Path | str) -> None:
        self._is_memory = str(path) == MEMORY
        self.path: Path | None = None if self._is_memory else Path(path)
        self._conn: sqlite3.Connection | None = None
        conn = self._open()
        try:
            self._check_and_migrate(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        self._tighten_permissions()
        logger.info("History opened at %s (schema %d)", self._where, self.SCHEMA_VERSION)

    # ------------------------------------------------------------------ opening

    @property
    def _where(self) -> str:
        return MEMORY if self.path is None else str(self.path)

    def _open(self) -> sqlite3.Connection:
        """Connect, creating the folder (0o700) and the file (0o600) when they are new."""
        if self.path is not None:
            try:
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                self._create_private_file(self.path)
            except OSError as exc:
                raise HistoryError(
                    f"Could not create the history file {self.path}: {exc.strerror or exc}. "
                    "Check that you can write to that folder."
                ) from exc
        try:
            # isolation_level=None: transactions are explicit (see _transaction), so
            # nothing is ever left uncommitted behind the caller's back.
            return sqlite3.connect(self._where, isolation_level=None, timeout=5.0)
        except sqlite3.Error as exc:
            raise HistoryError(
                f"Could not open the history file {self._where}: {exc}. "
                "Check that the file and its folder exist and that you can write to them."
            ) from exc

    @staticmethod
    def _create_private_file(path: Path) -> None:
        # Create the empty file ourselves so it is private from its first byte; SQLite
        # would create it with the umask's (often world-readable) mode. SQLite gives its
        # -wal and -shm companions the same mode as the main file.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        os.close(fd)
        if os.name == "posix":
            os.chmod(path, 0o600)

    def _tighten_permissions(self) -> None:
        """Make an existing, readable-by-others history file private again."""
        if self.path is None or os.name != "posix":
            return
        try:
            mode = self.path.stat().st_mode & 0o777
            if mode & 0o077:
                os.chmod(self.path, 0o600)
                logger.info("History file %s was mode %o; made it 0600", self.path, mode)
        except OSError as exc:  # not fatal: the data is intact, just less private
            logger.warning("Could not make %s private: %s", self.path, exc)

    def _check_and_migrate(self, conn: sqlite3.Connection) -> None:
        # Read-only first: a file that is not a database or is from a newer version
        # must be refused before journal_mode=WAL or a migration writes to it.
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise HistoryError(
                f"The history file {self._where} is not a NeckCare history database "
                f"(SQLite says: {exc}). It may be damaged. NeckCare did not change it; "
                "move or rename it to start a new history, or restore it from a backup."
            ) from exc
        if version > self.SCHEMA_VERSION:
            raise HistoryError(
                f"The history file {self._where} was written by a newer NeckCare "
                f"(history format {version}; this version understands up to "
                f"{self.SCHEMA_VERSION}); nothing was changed. Update NeckCare to keep "
                "using this history."
            )
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal" and not self._is_memory:
                logger.info("History at %s uses journal mode %s, not WAL", self._where, mode)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise HistoryError(
                f"Could not prepare the history file {self._where}: {exc}. "
                "Check that you can write to it and that the disk is not full."
            ) from exc
        self._migrate(conn, version)

    def _migrate(self, conn: sqlite3.Connection, version: int) -> None:
        """Run each missing step in its own transaction, so a failure leaves a valid file."""
        steps = MIGRATIONS
        if len(steps) < self.SCHEMA_VERSION:
            raise RuntimeError(
                f"MIGRATIONS has {len(steps)} steps but SCHEMA_VERSION is {self.SCHEMA_VERSION}"
            )
        while version < self.SCHEMA_VERSION:
            target = version + 1
            try:
                conn.execute("BEGIN IMMEDIATE")
                # Re-read under the write lock: another NeckCare may have just migrated.
                current = conn.execute("PRAGMA user_version").fetchone()[0]
                if current != version:
                    conn.execute("ROLLBACK")
                    version = current
                    continue
                steps[version](conn)
                # PRAGMA does not accept bound parameters; target is an int we computed.
                conn.execute(f"PRAGMA user_version = {int(target)}")
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise HistoryError(
                    f"Could not upgrade the history file {self._where} from format "
                    f"{version} to {target}: {exc}. The file was left at format {version}; "
                    "check free disk space and that you can write to it, then restart NeckCare."
                ) from exc
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            logger.info("Migrated history %s to schema %d", self._where, target)
            version = target

    # ------------------------------------------------------------------ plumbing

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise HistoryError("The history is closed; reopen NeckCare to use it again.")
        return self._conn

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._db
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _sql_failed(self, action: str, exc: sqlite3.Error) -> HistoryError:
        return HistoryError(
            f"Could not {action} the history file {self._where}: {exc}. "
            "Check free disk space and that you can write to it."
        )

    @staticmethod
    def _row_to_event(row: tuple[Any, ...]) -> Event | None:
        id_, at, kind, subject, planned, actual, note = row
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
        )

    @staticmethod
    def _range(start: datetime, end: datetime) -> tuple[float, float]:
        _require_aware("start", start)
        _require_aware("end", end)
        return start.timestamp(), end.timestamp()

    # ------------------------------------------------------------------ writing

    def record(
        self,
        kind: EventKind,
        at: datetime,
        *,
        subject: str | None = None,
        planned_seconds: int | None = None,
        actual_seconds: int | None = None,
        note: str | None = None,
    ) -> int:
        """Store one event and commit it before returning its id."""
        kind = EventKind(kind)
        _require_aware("at", at)
        planned = _optional_seconds("planned_seconds", planned_seconds)
        actual = _optional_seconds("actual_seconds", actual_seconds)
        try:
            with self._transaction() as conn:
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

    # ------------------------------------------------------------------ reading

    def recent(self, limit: int = 200, kinds: Collection[EventKind] | None = None) -> list[Event]:
        """The latest ``limit`` events (optionally only of ``kinds``), newest first."""
        if limit < 0:
            raise ValueError(f"limit cannot be negative, got {limit}")
        sql = f"SELECT {_SELECT_COLUMNS} FROM events"
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
        return [e for e in map(self._row_to_event, rows) if e is not None]

    def counts_between(self, start: datetime, end: datetime) -> dict[EventKind, int]:
        """How many events of each kind fall in ``[start, end)``; every kind is present.

        Half-open so consecutive days never count an event twice. Every kind is in the
        result (0 when absent) so callers can index it without ``.get``.
        """
        lo, hi = self._range(start, end)
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
        lo, hi = self._range(start, end)
        totals = dict.fromkeys(THERAPY_SUBJECTS, 0)
        try:
            rows = self._db.execute(
                "SELECT subject, COALESCE(SUM(actual_seconds), 0) FROM events "
                "WHERE kind IN (?, ?, ?) AND at_utc >= ? AND at_utc < ? "
                "AND subject IN (?, ?) GROUP BY subject",
                (
                    EventKind.THERAPY_COMPLETED.value,
                    EventKind.THERAPY_STOPPED_EARLY.value,
                    EventKind.THERAPY_OVERRUN.value,
                    lo,
                    hi,
                    *THERAPY_SUBJECTS,
                ),
            ).fetchall()
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        for subject, seconds in rows:
            totals[subject] = int(seconds)
        return totals

    def last_event(self, kind: EventKind, subject: str | None = None) -> Event | None:
        """The most recent event of ``kind`` (and ``subject``, if given), or None."""
        sql = f"SELECT {_SELECT_COLUMNS} FROM events WHERE kind = ?"
        params: list[Any] = [EventKind(kind).value]
        if subject is not None:
            sql += " AND subject = ?"
            params.append(subject)
        sql += " ORDER BY at_utc DESC, id DESC LIMIT 1"
        try:
            row = self._db.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        return None if row is None else self._row_to_event(row)

    # ------------------------------------------------------------------ export / checks

    def export_csv(self, out: Path | str | TextIO) -> int:
        """Write every event, oldest first, as UTF-8 CSV; return how many rows were written.

        Rows are streamed from the cursor so a years-long history never sits in memory.
        ``at`` is exported exactly as recorded (ISO 8601 with its offset).
        """
        if isinstance(out, str | os.PathLike):
            target = Path(out)
            try:
                with target.open("w", encoding="utf-8", newline="") as fh:
                    count = self._write_csv(fh)
            except OSError as exc:
                raise HistoryError(
                    f"Could not write the CSV file {target}: {exc.strerror or exc}. "
                    "Choose a folder that exists and that you can write to."
                ) from exc
            logger.info("Exported %d history events to %s", count, target)
            return count
        return self._write_csv(out)

    def _write_csv(self, fh: TextIO) -> int:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        count = 0
        try:
            cursor = self._db.execute(
                f"SELECT {_SELECT_COLUMNS} FROM events ORDER BY at_utc ASC, id ASC"
            )
            for row in cursor:
                writer.writerow(["" if value is None else value for value in row])
                count += 1
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        return count

    def integrity_ok(self) -> bool:
        """True when SQLite finds no corruption in the file."""
        try:
            rows = self._db.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as exc:
            logger.warning("Integrity check of %s failed: %s", self._where, exc)
            return False
        ok = rows == [("ok",)]
        if not ok:
            logger.warning("Integrity check of %s reported: %s", self._where, rows[:5])
        return ok

    def close(self) -> None:
        """Close the file; safe to call more than once."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            logger.debug("History %s closed", self._where)

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
