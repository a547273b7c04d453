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
* Charts group by *local day as recorded*: ``substr(at, 1, 10)``. A break at 23:30 in
  Lisbon stays on that day after a flight to Berlin. Schema 2 adds an **expression index**
  on ``(kind, substr(at, 1, 10), ...)`` rather than a stored ``day`` column: the index
  costs one pass at upgrade time instead of rewriting every row of a years-long file,
  cannot drift from ``at``, and leaves :meth:`HistoryStore.record` unchanged. Queries must
  spell the expression exactly as :data:`_DAY_EXPR` does, or SQLite will not use the index.
* Neck spasm episodes (schema 2) live in ``episodes`` and ``pain_updates``; each change
  also writes an event (with ``episode_id`` and ``pain``) in the same transaction, so the
  timeline and the episode log can never disagree.

This module must not import Qt: ``core`` stays testable without a display.
"""

from __future__ import annotations

import contextlib
import csv
import heapq
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple, TextIO

import platformdirs

from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, translate

logger = logging.getLogger(__name__)

MEMORY = ":memory:"

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
_SELECT_COLUMNS = ", ".join(EVENT_COLUMNS)

#: Column order of the CSV export. The first seven are the schema-1 export unchanged, so
#: a spreadsheet or script written against it keeps working; ``record`` says whether a
#: row is an ``event`` or a spasm ``episode`` (for which ``at`` is when it started and
#: ``pain`` the pain logged at the start).
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "at",
    "kind",
    "subject",
    "planned_seconds",
    "actual_seconds",
    "note",
    "record",
    "episode_id",
    "pain",
    "triggers",
    "warning_signs",
    "resolved_at",
)

#: The local day an event belongs to, as recorded. Must match the index expression.
_DAY_EXPR = "substr(at, 1, 10)"
_EPISODE_DAY_EXPR = "substr(started_at, 1, 10)"

#: The table view reads this many events at a time.
PAGE_SIZE = 200

#: A history file that could not be used (locked, read-only, disk full) is tried again at
#: most this often (real seconds), and each try waits this long for a lock at most: the
#: GUI thread is the one waiting.
REOPEN_EVERY_SECONDS = 10.0
REOPEN_BUSY_TIMEOUT_SECONDS = 0.05
#: How long a read or write waits for another program's lock (seconds). Short, because
#: the GUI thread waits: a row that does not get through waits in the pending journal
#: (core.pending_journal) and is written later, so nothing is lost by giving up early.
BUSY_TIMEOUT_SECONDS = 0.05
#: Write failures after which the connection is dropped and the file opened again later:
#: a read-only or failing disk does not heal under an open connection (a remount rw does
#: not make SQLite's read-only handle writable).
REOPEN_CODES = frozenset({sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN})


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
#: A break that counts as taken: done on the prompt, or away from the desk long enough.
TAKEN_BREAK_KINDS: frozenset[EventKind] = frozenset(
    {EventKind.BREAK_COMPLETED, EventKind.BREAK_NATURAL}
)
#: Therapy events whose ``actual_seconds`` were really applied (see therapy_seconds_between).
_APPLIED_THERAPY_KINDS: tuple[EventKind, ...] = (
    EventKind.THERAPY_COMPLETED,
    EventKind.THERAPY_STOPPED_EARLY,
    EventKind.THERAPY_OVERRUN,
)

#: Therapy subjects whose minutes are totalled; always present in the totals, even at 0.
THERAPY_SUBJECTS: tuple[str, ...] = ("ice", "heat")

#: What may have set a spasm off: stored key → English label (marked for translation in
#: context "Trigger"; show it with ``translate("Trigger", label)``).
#: Keys are stored in the file (comma-separated): never rename, never put a comma in one.
TRIGGERS: dict[str, str] = {
    "screen_posture": QT_TRANSLATE_NOOP("Trigger", "Posture at screen"),
    "phone_looking_down": QT_TRANSLATE_NOOP("Trigger", "Looking down at phone"),
    "awkward_sleep": QT_TRANSLATE_NOOP("Trigger", "Awkward sleep"),
    "lifting_sudden_movement": QT_TRANSLATE_NOOP("Trigger", "Lifting or sudden movement"),
    "repetitive_strain": QT_TRANSLATE_NOOP("Trigger", "Repetitive strain"),
    "dehydration": QT_TRANSLATE_NOOP("Trigger", "Dehydration"),
    "stress": QT_TRANSLATE_NOOP("Trigger", "Stress"),
}
#: Signs that are a reason to talk to a healthcare professional (see core.guidance).
#: English labels, marked for translation in context "WarningSign".
WARNING_SIGNS: dict[str, str] = {
    "headache": QT_TRANSLATE_NOOP("WarningSign", "Headache"),
    "dizziness": QT_TRANSLATE_NOOP("WarningSign", "Dizziness"),
    "vision_changes": QT_TRANSLATE_NOOP("WarningSign", "Vision changes"),
    "arm_numbness_tingling": QT_TRANSLATE_NOOP("WarningSign", "Numbness or tingling in the arms"),
}

MIN_PAIN = 0
MAX_PAIN = 10
#: The spasm log is for recent episodes; an older start date is almost surely a typo.
MAX_EPISODE_AGE = timedelta(days=365)


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


@dataclass(frozen=True)
class PainUpdate:
    """A later pain score for an open episode."""

    id: int
    at: datetime
    pain: int


@dataclass(frozen=True)
class Episode:
    """One neck spasm, from when it started until the person marks it resolved.

    ``pain`` is the score logged at the start; ``updates`` are later scores, oldest first.
    """

    id: int
    started_at: datetime
    pain: int
    triggers: tuple[str, ...]
    warning_signs: tuple[str, ...]
    note: str | None
    resolved_at: datetime | None = None
    updates: tuple[PainUpdate, ...] = field(default=())

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def latest_pain(self) -> int:
        """The most recent score: what "how is it now" should show."""
        return self.updates[-1].pain if self.updates else self.pain

    @property
    def peak_pain(self) -> int:
        """The worst score reported for this episode: what the chart plots."""
        return max([self.pain, *(u.pain for u in self.updates)])


@dataclass(frozen=True)
class DaySummary:
    """One local day of history, aggregated by SQL (see :meth:`HistoryStore.daily_summary`).

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


class ExportCounts(NamedTuple):
    events: int
    episodes: int

    @property
    def total(self) -> int:
        return self.events + self.episodes


class EpisodeProblem(StrEnum):
    """Why a spasm entry cannot be saved; the UI words each one in the person's language."""

    PAIN_MISSING = "pain_missing"
    PAIN_OUT_OF_RANGE = "pain_out_of_range"
    START_IN_FUTURE = "start_in_future"
    START_TOO_OLD = "start_too_old"


def episode_problems(
    started_at: datetime | None, pain: int | None, now: datetime
) -> list[EpisodeProblem]:
    """Everything wrong with a spasm entry, in form order; empty when it can be saved.

    One rule set for the dialog (which shows each problem inline) and the store (which
    refuses to write a bad row), so the two can never disagree.
    """
    problems: list[EpisodeProblem] = []
    if started_at is not None:
        _require_aware("started_at", started_at)
        if started_at > now:
            problems.append(EpisodeProblem.START_IN_FUTURE)
        elif started_at < now - MAX_EPISODE_AGE:
            problems.append(EpisodeProblem.START_TOO_OLD)
    problems.extend(pain_problems(pain))
    return problems


def pain_problems(pain: int | None) -> list[EpisodeProblem]:
    """Whether ``pain`` is a whole number from 0 to 10 (the numeric rating scale)."""
    if pain is None:
        return [EpisodeProblem.PAIN_MISSING]
    if isinstance(pain, bool) or not isinstance(pain, int) or not MIN_PAIN <= pain <= MAX_PAIN:
        return [EpisodeProblem.PAIN_OUT_OF_RANGE]
    return []


class HistoryError(Exception):
    """The history file cannot be used; the message tells the person what to do."""


def sqlite_code(exc: BaseException | None) -> int | None:
    """SQLite's primary result code behind ``exc`` (or its causes), e.g. SQLITE_BUSY."""
    seen = 0
    while exc is not None and seen < 10:
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF  # extended codes carry the primary one in the low byte
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


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


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    """Add the spasm log and the per-day index the History charts aggregate with.

    ``ADD COLUMN`` with no default only rewrites the schema, not the rows, so upgrading
    a years-long file is quick; building the expression index is one sorted pass.
    """
    conn.execute("ALTER TABLE events ADD COLUMN episode_id INTEGER")
    conn.execute("ALTER TABLE events ADD COLUMN pain INTEGER")
    # Covers the daily aggregation: kind IN (...) AND day BETWEEN ... GROUP BY day.
    conn.execute(
        "CREATE INDEX events_kind_day ON events (kind, substr(at, 1, 10), subject, actual_seconds)"
    )
    conn.execute(
        """
        CREATE TABLE episodes (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,      -- ISO 8601 with the local offset
            started_utc REAL NOT NULL,
            pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
            triggers TEXT NOT NULL DEFAULT '',       -- comma-separated keys of TRIGGERS
            warning_signs TEXT NOT NULL DEFAULT '',  -- comma-separated keys of WARNING_SIGNS
            note TEXT,
            resolved_at TEXT,
            resolved_utc REAL
        )
        """
    )
    conn.execute("CREATE INDEX episodes_started_utc ON episodes (started_utc)")
    conn.execute("CREATE INDEX episodes_day ON episodes (substr(started_at, 1, 10))")
    conn.execute("CREATE INDEX episodes_open ON episodes (resolved_utc, started_utc)")
    conn.execute(
        """
        CREATE TABLE pain_updates (
            id INTEGER PRIMARY KEY,
            episode_id INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            at_utc REAL NOT NULL,
            pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10)
        )
        """
    )
    conn.execute("CREATE INDEX pain_updates_episode ON pain_updates (episode_id, at_utc, pain)")


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    """Remember which pending-journal rows are written (core.pending_journal).

    A row replayed from the journal carries an id that is inserted here in the same
    transaction as the row, so a crash before the journal is cleared never doubles it.
    Ids are forgotten once the journal is cleared, so the table stays small.
    """
    conn.execute("CREATE TABLE journal_applied (row_id TEXT PRIMARY KEY) WITHOUT ROWID")


#: ``MIGRATIONS[i]`` takes a file from schema version ``i`` to ``i + 1``. Append only:
#: a released step must never change, because files in the wild have already run it.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migrate_0_to_1,
    _migrate_1_to_2,
    _migrate_2_to_3,
]


def default_history_path() -> Path:
    """Where the history lives unless the person (or a test) says otherwise."""
    return platformdirs.user_data_path("neckcare-desktop", appauthor=False) / "history.sqlite3"


def _require_aware(name: str, value: datetime) -> None:
    # A naive time would be stored without an offset and sort wrongly against every
    # other event the moment the machine's zone differs from the one it was made in.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")


def _join_keys(name: str, keys: Iterable[str], known: Collection[str]) -> str:
    """Validate and store a set of vocabulary keys as a stable, comma-separated list."""
    chosen = list(dict.fromkeys(keys))  # de-duplicated, order kept
    unknown = [k for k in chosen if k not in known]
    if unknown:
        raise ValueError(f"unknown {name}: {', '.join(map(repr, unknown))}")
    # Vocabulary order, not click order: the same choice always reads the same in the CSV.
    return ",".join(k for k in known if k in chosen)


def _split_keys(text: str | None) -> tuple[str, ...]:
    # Unknown keys (from a newer version) are kept: they are the person's data.
    return tuple(k for k in (text or "").split(",") if k)


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

    SCHEMA_VERSION = 3

    def __init__(self, path: Path | str, *, folder: Path | None = None) -> None:
        self._is_memory = str(path) == MEMORY
        self.path: Path | None = None if self._is_memory else Path(path)
        #: The data folder this history belongs in, also when this run keeps the history in
        #: memory: small state files that must outlive a bad history file live there.
        self.folder: Path | None = folder if folder or self.path is None else self.path.parent
        self._conn: sqlite3.Connection | None = None
        #: Why the file cannot be used now, while :meth:`unavailable` keeps trying it.
        self._unavailable: HistoryError | None = None
        self._retry_at = 0.0
        # Opening waits only briefly for another program's lock: it runs on the GUI thread,
        # and a file that stays locked is tried again later (see :meth:`unavailable`).
        conn = self._open(timeout=REOPEN_BUSY_TIMEOUT_SECONDS)
        try:
            self._check_and_migrate(conn)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        self._tighten_permissions()
        logger.info("History opened at %s (schema %d)", self._where, self.SCHEMA_VERSION)

    # ------------------------------------------------------------------ opening

    @classmethod
    def unavailable(cls, path: Path, reason: HistoryError) -> HistoryStore:
        """A store for a sound file that cannot be used now: locked by another program,
        read-only, on a full disk, or failing to read.

        Nothing is moved or changed. Every use tries to open the file again (at most every
        :data:`REOPEN_EVERY_SECONDS`) and raises :class:`HistoryError` until that works, so
        callers treat it as a failing disk: the engine keeps its rows in memory and writes
        them, in order, once the file opens.
        """
        store = cls.__new__(cls)
        store._is_memory = False
        store.path = Path(path)
        store.folder = store.path.parent
        store._conn = None
        store._unavailable = reason
        # time.monotonic, not the app's clock: this only spaces out the GUI thread's waits.
        store._retry_at = time.monotonic() + REOPEN_EVERY_SECONDS
        logger.info("History %s unavailable for now: %s", store.path, reason)
        return store

    @property
    def is_available(self) -> bool:
        """False while the file cannot be used (see :meth:`unavailable`) or is closed."""
        return self._conn is not None

    def _reopen(self) -> sqlite3.Connection:
        reason = self._unavailable
        assert reason is not None
        if time.monotonic() < self._retry_at:
            raise HistoryError(str(reason)) from reason.__cause__
        self._retry_at = time.monotonic() + REOPEN_EVERY_SECONDS
        conn = self._open(timeout=REOPEN_BUSY_TIMEOUT_SECONDS)
        try:
            self._check_and_migrate(conn)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        except HistoryError as exc:
            conn.close()
            self._unavailable = exc
            raise
        except BaseException:
            conn.close()
            raise
        self._conn, self._unavailable = conn, None
        self._tighten_permissions()
        logger.info("History %s can be used again", self._where)
        return conn

    @property
    def _where(self) -> str:
        return MEMORY if self.path is None else str(self.path)

    def _open(self, timeout: float | None = None) -> sqlite3.Connection:
        """Connect, creating the folder (0o700) and the file (0o600) when they are new."""
        if self.path is not None:
            try:
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                self._create_private_file(self.path)
            except OSError as exc:
                raise HistoryError(
                    translate(
                        "History",
                        "Could not create the history file {path}: {reason}. "
                        "Check that you can write to that folder.",
                    ).format(path=self.path, reason=exc.strerror or exc)
                ) from exc
        try:
            # isolation_level=None: transactions are explicit (see _transaction), so
            # nothing is ever left uncommitted behind the caller's back.
            return sqlite3.connect(
                self._where,
                isolation_level=None,
                timeout=BUSY_TIMEOUT_SECONDS if timeout is None else timeout,
            )
        except sqlite3.Error as exc:
            raise HistoryError(
                translate(
                    "History",
                    "Could not open the history file {path}: {reason}. "
                    "Check that the file and its folder exist and that you can write to them.",
                ).format(path=self._where, reason=exc)
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
            if sqlite_code(exc) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise HistoryError(
                    translate(
                        "History",
                        "The history file {path} is in use by another program "
                        "(SQLite says: {reason}).",
                    ).format(path=self._where, reason=exc)
                ) from exc
            if sqlite_code(exc) not in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
                # Read-only, missing -shm on a read-only disk, I/O: the file may be fine.
                raise self._sql_failed("read", exc) from exc
            raise HistoryError(
                translate(
                    "History",
                    "The history file {path} is not a NeckCare history database "
                    "(SQLite says: {reason}). It may be damaged. NeckCare did not change it; "
                    "move or rename it to start a new history, or restore it from a backup.",
                ).format(path=self._where, reason=exc)
            ) from exc
        if version > self.SCHEMA_VERSION:
            raise HistoryError(
                translate(
                    "History",
                    "The history file {path} was written by a newer NeckCare "
                    "(history format {version}; this version understands up to "
                    "{supported}); nothing was changed. Update NeckCare to keep "
                    "using this history.",
                ).format(path=self._where, version=version, supported=self.SCHEMA_VERSION)
            )
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal" and not self._is_memory:
                logger.info("History at %s uses journal mode %s, not WAL", self._where, mode)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise HistoryError(
                translate(
                    "History",
                    "Could not prepare the history file {path}: {reason}. "
                    "Check that you can write to it and that the disk is not full.",
                ).format(path=self._where, reason=exc)
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
                    translate(
                        "History",
                        "Could not upgrade the history file {path} from format "
                        "{version} to {target}: {reason}. The file was left at format "
                        "{version}; check free disk space and that you can write to it, then "
                        "restart NeckCare.",
                    ).format(path=self._where, version=version, target=target, reason=exc)
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
            if self._unavailable is not None:
                return self._reopen()
            raise HistoryError(
                translate("History", "The history is closed; reopen NeckCare to use it again.")
            )
        return self._conn

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._db
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            self._drop_if_stuck(exc)
            raise

    def _drop_if_stuck(self, exc: sqlite3.Error) -> None:
        """A read-only or failing file: close it and open it again later (see REOPEN_CODES)."""
        if sqlite_code(exc) not in REOPEN_CODES or self.path is None or self._conn is None:
            return
        logger.info("history %s: %s; opening it again later", self.path, exc)
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        self._conn = None
        self._unavailable = HistoryError(str(exc))
        self._unavailable.__cause__ = exc
        self._retry_at = time.monotonic() + REOPEN_EVERY_SECONDS

    def _sql_failed(self, action: str, exc: sqlite3.Error) -> HistoryError:
        """``action`` is "read", "save to" or "delete the history in" (each its own sentence,
        so a translator sees whole sentences)."""
        templates = {
            "read": QT_TRANSLATE_NOOP(
                "History",
                "Could not read the history file {path}: {reason}. "
                "Check free disk space and that you can write to it.",
            ),
            "save to": QT_TRANSLATE_NOOP(
                "History",
                "Could not save to the history file {path}: {reason}. "
                "Check free disk space and that you can write to it.",
            ),
            "delete the history in": QT_TRANSLATE_NOOP(
                "History",
                "Could not delete the history in the history file {path}: {reason}. "
                "Check free disk space and that you can write to it.",
            ),
        }
        return HistoryError(
            translate("History", templates[action]).format(path=self._where, reason=exc)
        )

    @staticmethod
    def _row_to_event(row: Sequence[Any]) -> Event | None:
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
        row_id: str | None = None,
    ) -> int | None:
        """Store one event and commit it before returning its id.

        ``row_id`` (a pending-journal row's id) is stored in the same transaction; a row
        whose id is already stored is not written again and None is returned.
        """
        kind = EventKind(kind)
        _require_aware("at", at)
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

    def latest_inserted(self, kinds: Collection[EventKind], limit: int = 1) -> list[Event]:
        """The last ``limit`` events of ``kinds`` in the order they were written, newest first.

        Write order, not ``at`` order: after the clock was set back, the session started
        last has the older time stamp, and it is still the one that may be running.
        """
        wanted = sorted({EventKind(k).value for k in kinds})
        if not wanted or limit <= 0:
            return []
        sql = (
            f"SELECT {_SELECT_COLUMNS} FROM events WHERE kind IN "
            f"({', '.join('?' * len(wanted))}) ORDER BY id DESC LIMIT ?"
        )
        try:
            rows = self._db.execute(sql, [*wanted, limit]).fetchall()
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        return [e for e in map(self._row_to_event, rows) if e is not None]

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
        select = f"SELECT {_SELECT_COLUMNS}, at_utc FROM events"
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
        events = [e for e in map(self._row_to_event, rows) if e is not None]
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
        counted = {
            EventKind.BREAK_COMPLETED.value: "completed",
            EventKind.BREAK_NATURAL.value: "natural",
            EventKind.BREAK_POSTPONED.value: "postponed",
            EventKind.BREAK_SKIPPED.value: "skipped",
        }
        kinds = [*counted, *(k.value for k in _APPLIED_THERAPY_KINDS)]
        try:
            rows = self._db.execute(*self._daily_events_sql(kinds, lo, hi)).fetchall()
            episode_rows = self._db.execute(*self._daily_episodes_sql(lo, hi)).fetchall()
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        for kind, day, subject, n, seconds in rows:
            slot = slots.get(day)
            if slot is None:  # a malformed ``at`` cannot be charted; skip it
                continue
            if kind in counted:
                key = counted[kind]
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
            f"SELECT kind, {_DAY_EXPR} AS day, subject, COUNT(*), TOTAL(actual_seconds) "
            f"FROM events WHERE kind IN ({', '.join('?' * len(kinds))}) "
            f"AND {_DAY_EXPR} >= ? AND {_DAY_EXPR} <= ? "
            "GROUP BY kind, day, subject"
        )
        return sql, [*kinds, lo, hi]

    @staticmethod
    def _daily_episodes_sql(lo: str, hi: str) -> tuple[str, list[Any]]:
        sql = (
            f"SELECT {_EPISODE_DAY_EXPR} AS day, COUNT(*), MAX(MAX(pain, COALESCE("
            "(SELECT MAX(u.pain) FROM pain_updates u WHERE u.episode_id = episodes.id), pain)))"
            f" FROM episodes WHERE {_EPISODE_DAY_EXPR} >= ? AND {_EPISODE_DAY_EXPR} <= ? "
            "GROUP BY day"
        )
        return sql, [lo, hi]

    def explain_daily_summary(self, start_day: date, end_day: date) -> list[str]:
        """SQLite's plan for :meth:`daily_summary`, one line per step (for tests and bench)."""
        kinds = [
            k.value
            for k in (
                EventKind.BREAK_COMPLETED,
                EventKind.BREAK_NATURAL,
                EventKind.BREAK_POSTPONED,
                EventKind.BREAK_SKIPPED,
                *_APPLIED_THERAPY_KINDS,
            )
        ]
        lines: list[str] = []
        lo, hi = start_day.isoformat(), end_day.isoformat()
        for sql, params in (
            self._daily_events_sql(kinds, lo, hi),
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
            f"SELECT {_DAY_EXPR} AS day, COUNT(*) FROM events "
            f"WHERE kind IN ({', '.join('?' * len(kinds))}) "
            f"AND {_DAY_EXPR} >= ? AND {_DAY_EXPR} <= ? GROUP BY day"
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

    # ------------------------------------------------------------------ spasm episodes

    def log_episode(
        self,
        started_at: datetime,
        pain: int,
        triggers: Iterable[str] = (),
        warning_signs: Iterable[str] = (),
        note: str | None = None,
        now: datetime | None = None,
    ) -> Episode:
        """Store a new spasm episode and its ``spasm_logged`` event in one transaction.

        ``now`` (default: ``started_at``) is what "in the future" and "more than a year
        ago" are judged against; the dialog passes the clock's time.
        """
        _require_aware("started_at", started_at)
        now = started_at if now is None else now
        _require_aware("now", now)
        problems = episode_problems(started_at, pain, now)
        if problems:
            raise ValueError(f"cannot log this episode: {', '.join(problems)}")
        trigger_text = _join_keys("triggers", triggers, TRIGGERS)
        signs_text = _join_keys("warning signs", warning_signs, WARNING_SIGNS)
        note = (note or "").strip() or None
        try:
            with self._transaction() as conn:
                cur = conn.execute(
                    "INSERT INTO episodes (started_at, started_utc, pain, triggers,"
                    " warning_signs, note) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        started_at.isoformat(),
                        started_at.timestamp(),
                        pain,
                        trigger_text,
                        signs_text,
                        note,
                    ),
                )
                episode_id = cur.lastrowid
                assert episode_id is not None
                self._insert_spasm_event(
                    conn, EventKind.SPASM_LOGGED, started_at, episode_id, pain, note
                )
        except sqlite3.Error as exc:
            raise self._sql_failed("save to", exc) from exc
        logger.info("Logged spasm episode #%d (pain %d)", episode_id, pain)
        episode = self.episode(episode_id)
        assert episode is not None
        return episode

    def update_pain(self, episode_id: int, pain: int, at: datetime) -> Episode:
        """Add a later pain score to an open episode (and a ``spasm_pain_updated`` event)."""
        _require_aware("at", at)
        if pain_problems(pain):
            raise ValueError(
                translate("History", "pain must be a whole number from 0 to 10, got {pain}").format(
                    pain=repr(pain)
                )
            )
        episode = self._open_episode_or_raise(episode_id, at)
        try:
            with self._transaction() as conn:
                conn.execute(
                    "INSERT INTO pain_updates (episode_id, at, at_utc, pain) VALUES (?, ?, ?, ?)",
                    (episode.id, at.isoformat(), at.timestamp(), pain),
                )
                self._insert_spasm_event(
                    conn, EventKind.SPASM_PAIN_UPDATED, at, episode.id, pain, None
                )
        except sqlite3.Error as exc:
            raise self._sql_failed("save to", exc) from exc
        logger.info("Spasm episode #%d pain now %d", episode.id, pain)
        updated = self.episode(episode.id)
        assert updated is not None
        return updated

    def resolve_episode(self, episode_id: int, at: datetime) -> Episode:
        """Mark an open episode as resolved at ``at`` (and record ``spasm_resolved``)."""
        _require_aware("at", at)
        episode = self._open_episode_or_raise(episode_id, at)
        try:
            with self._transaction() as conn:
                conn.execute(
                    "UPDATE episodes SET resolved_at = ?, resolved_utc = ? WHERE id = ?",
                    (at.isoformat(), at.timestamp(), episode.id),
                )
                self._insert_spasm_event(
                    conn, EventKind.SPASM_RESOLVED, at, episode.id, episode.latest_pain, None
                )
        except sqlite3.Error as exc:
            raise self._sql_failed("save to", exc) from exc
        logger.info("Spasm episode #%d resolved", episode.id)
        resolved = self.episode(episode.id)
        assert resolved is not None
        return resolved

    def _open_episode_or_raise(self, episode_id: int, at: datetime) -> Episode:
        episode = self.episode(episode_id)
        if episode is None:
            raise ValueError(
                translate("History", "there is no spasm episode #{id}").format(id=episode_id)
            )
        if not episode.is_open:
            raise ValueError(
                translate("History", "spasm episode #{id} is already resolved").format(
                    id=episode_id
                )
            )
        if at < episode.started_at:
            raise ValueError(
                translate("History", "{when} is before episode #{id} started").format(
                    when=at.isoformat(), id=episode_id
                )
            )
        return episode

    @staticmethod
    def _insert_spasm_event(
        conn: sqlite3.Connection,
        kind: EventKind,
        at: datetime,
        episode_id: int,
        pain: int,
        note: str | None,
    ) -> None:
        conn.execute(
            "INSERT INTO events (at, at_utc, kind, episode_id, pain, note)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (at.isoformat(), at.timestamp(), kind.value, episode_id, pain, note),
        )

    _EPISODE_COLUMNS = "id, started_at, pain, triggers, warning_signs, note, resolved_at"

    def _episodes(self, where: str, params: Sequence[Any], tail: str = "") -> list[Episode]:
        """Episodes matching ``where``, each with its pain updates (one extra query)."""
        try:
            rows = self._db.execute(
                f"SELECT {self._EPISODE_COLUMNS} FROM episodes WHERE {where} {tail}", params
            ).fetchall()
            ids = [row[0] for row in rows]
            updates: dict[int, list[PainUpdate]] = {i: [] for i in ids}
            # Chunked to stay under SQLite's bound-parameter limit on any build.
            for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
                for u_id, episode_id, at, pain in self._db.execute(
                    "SELECT id, episode_id, at, pain FROM pain_updates WHERE episode_id IN "
                    f"({', '.join('?' * len(chunk))}) ORDER BY at_utc, id",
                    chunk,
                ):
                    updates[episode_id].append(
                        PainUpdate(id=u_id, at=datetime.fromisoformat(at), pain=pain)
                    )
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        return [
            Episode(
                id=id_,
                started_at=datetime.fromisoformat(started_at),
                pain=pain,
                triggers=_split_keys(triggers),
                warning_signs=_split_keys(signs),
                note=note,
                resolved_at=None if resolved_at is None else datetime.fromisoformat(resolved_at),
                updates=tuple(updates[id_]),
            )
            for id_, started_at, pain, triggers, signs, note, resolved_at in rows
        ]

    def episode(self, episode_id: int) -> Episode | None:
        """One episode by id, or None."""
        found = self._episodes("id = ?", [episode_id])
        return found[0] if found else None

    def episodes_between(self, start: datetime, end: datetime) -> list[Episode]:
        """Episodes that started in ``[start, end)``, oldest first."""
        lo, hi = self._range(start, end)
        return self._episodes(
            "started_utc >= ? AND started_utc < ?", [lo, hi], "ORDER BY started_utc, id"
        )

    def open_episodes(self) -> list[Episode]:
        """Episodes not marked resolved yet, oldest first."""
        return self._episodes("resolved_utc IS NULL", [], "ORDER BY started_utc, id")

    def latest_unresolved_episode(self) -> Episode | None:
        """The open episode that started last: the one phase guidance is about."""
        found = self._episodes(
            "resolved_utc IS NULL", [], "ORDER BY started_utc DESC, id DESC LIMIT 1"
        )
        return found[0] if found else None

    # ------------------------------------------------------------------ export / checks

    def export_csv(self, out: Path | str | TextIO) -> int:
        """Write every event, then every spasm episode, as one UTF-8 CSV; return the row count.

        One header row and a ``record`` column (``event``/``episode``) keep it a single
        valid CSV that ``csv.DictReader`` or a spreadsheet reads in one go. Rows are
        streamed from the cursor so a years-long history never sits in memory. Times are
        exported exactly as recorded (ISO 8601 with their offset).
        """
        return self.export(out).total

    def export(self, out: Path | str | TextIO) -> ExportCounts:
        """Like :meth:`export_csv`, but says how many events and episodes were written."""
        if isinstance(out, str | os.PathLike):
            with csv_file(Path(out)) as fh:
                counts = self._write_csv(fh)
            log_export(counts, Path(out))
            return counts
        return self._write_csv(out)

    def _write_csv(self, fh: TextIO) -> ExportCounts:
        writer = csv.DictWriter(fh, CSV_COLUMNS, restval="")
        writer.writeheader()
        events = episodes = 0

        def cells(**values: Any) -> dict[str, Any]:
            return {k: "" if v is None else v for k, v in values.items()}

        try:
            for row in self._db.execute(
                f"SELECT {_SELECT_COLUMNS} FROM events ORDER BY at_utc ASC, id ASC"
            ):
                writer.writerow(cells(record="event", **dict(zip(EVENT_COLUMNS, row, strict=True))))
                events += 1
            for id_, started_at, note, pain, triggers, signs, resolved_at in self._db.execute(
                "SELECT id, started_at, note, pain, triggers, warning_signs, resolved_at "
                "FROM episodes ORDER BY started_utc ASC, id ASC"
            ):
                writer.writerow(
                    cells(
                        record="episode",
                        id=id_,
                        at=started_at,
                        note=note,
                        episode_id=id_,
                        pain=pain,
                        triggers=triggers,
                        warning_signs=signs,
                        resolved_at=resolved_at,
                    )
                )
                episodes += 1
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        return ExportCounts(events, episodes)

    def delete_all(self) -> None:
        """Delete every event and episode, then VACUUM so the file really shrinks.

        A person deleting health data expects it gone from the disk, not merely marked
        free inside the file: VACUUM rewrites the file without the old pages, and the
        WAL checkpoint afterwards truncates the write-ahead log that VACUUM went through.
        """
        try:
            with self._transaction() as conn:
                conn.execute("DELETE FROM pain_updates")
                conn.execute("DELETE FROM episodes")
                conn.execute("DELETE FROM events")
            self._db.execute("VACUUM")
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise self._sql_failed("delete the history in", exc) from exc
        logger.info("Deleted all history in %s", self._where)

    def forget_applied(self) -> None:
        """The pending journal was cleared: its row ids are no longer needed."""
        try:
            with self._transaction() as conn:
                conn.execute("DELETE FROM journal_applied")
        except sqlite3.Error as exc:
            raise self._sql_failed("save to", exc) from exc

    def quick_check(self) -> str | None:
        """SQLite's ``PRAGMA quick_check`` verdict: None when sound, else its first words."""
        try:
            rows = self._db.execute("PRAGMA quick_check(5)").fetchall()
        except sqlite3.DatabaseError as exc:
            if sqlite_code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
                return str(exc)
            raise self._sql_failed("read", exc) from exc
        verdict = "; ".join(str(r[0]) for r in rows)
        return None if verdict == "ok" else verdict

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
        self._unavailable = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            logger.debug("History %s closed", self._where)

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@contextlib.contextmanager
def csv_file(target: Path) -> Iterator[TextIO]:
    """``target`` opened for a CSV export; a failure to write it is a HistoryError that
    says what to do (the person chose the place)."""
    try:
        with target.open("w", encoding="utf-8", newline="") as fh:
            yield fh
    except OSError as exc:
        raise HistoryError(
            translate(
                "History",
                "Could not write the CSV file {path}: {reason}. "
                "Choose a folder that exists and that you can write to.",
            ).format(path=target, reason=exc.strerror or exc)
        ) from exc


def log_export(counts: ExportCounts, target: Path) -> None:
    logger.info(
        "Exported %d history events and %d episodes to %s", counts.events, counts.episodes, target
    )
