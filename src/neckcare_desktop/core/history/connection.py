"""The history file itself: opening it privately, migrating it, and using it safely.

Design notes (the WHY):

* The schema version lives in ``PRAGMA user_version`` and every change is a step in
  core.history.migrations, applied one transaction per step at open. A file from a newer
  NeckCare is refused *before* anything is written, so a downgrade never damages it.
* The file is health data: it is created 0600 in a 0700 folder, and an existing file
  that others can read is made private again.
* The connection is used only from the thread that created it (the Qt main thread);
  sqlite3's default ``check_same_thread`` guards that. Transactions are explicit
  (``isolation_level=None``), so nothing is ever left uncommitted behind the caller's back.
* A file that cannot be used *now* (locked, read-only, full disk) is tried again later
  rather than given up on (:meth:`HistoryFile.unavailable`).

The reading, writing and export methods build on this class (core.history.store).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar, Self

import platformdirs

from neckcare_desktop.core.history import migrations
from neckcare_desktop.core.history.errors import HistoryError, sqlite_code
from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, translate

logger = logging.getLogger(__name__)

MEMORY = ":memory:"

#: A history file that could not be used (locked, read-only, disk full) is tried again at
#: most this often (real seconds), and each try waits this long for a lock at most: the
#: GUI thread is the one waiting.
REOPEN_EVERY_SECONDS = 10.0
REOPEN_BUSY_TIMEOUT_SECONDS = 0.05
#: How long a read or write waits for another program's lock (seconds). Short, because
#: the GUI thread waits: a row that does not get through waits in the pending journal
#: (core.history.journal) and is written later, so nothing is lost by giving up early.
BUSY_TIMEOUT_SECONDS = 0.05
#: Write failures after which the connection is dropped and the file opened again later:
#: a read-only or failing disk does not heal under an open connection (a remount rw does
#: not make SQLite's read-only handle writable).
REOPEN_CODES = frozenset({sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN})


def default_history_path() -> Path:
    """Where the history lives unless the person (or a test) says otherwise."""
    return platformdirs.user_data_path("neckcare-desktop", appauthor=False) / "history.sqlite3"


class HistoryFile:
    """The history file, opened, checked and migrated to :attr:`SCHEMA_VERSION`."""

    SCHEMA_VERSION: ClassVar[int] = 3

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
    def unavailable(cls, path: Path, reason: HistoryError) -> Self:
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
        steps = migrations.MIGRATIONS  # looked up now: a test may add a step
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

    # ------------------------------------------------------------------ checks, closing

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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
