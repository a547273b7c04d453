"""Opening the history file so that a damaged one never stops the app or loses data.

A file that SQLite cannot read (truncated, overwritten, not a database) is moved aside
under a timestamped name — together with its ``-wal`` and ``-shm`` companions, which hold
the most recent rows — and a fresh file is started; the person is told where the old one
is. A file written by a newer NeckCare is left exactly as it is and this run keeps its
history in memory, so downgrading never destroys anything.

A file that is sound but cannot be used *now* — locked by another program, read-only,
on a full disk, failing to read — is never taken for a damaged one: moving a file that
another program holds open would split the history in two, and a running ice round and the
rest after it would be forgotten. Only SQLite's own verdict (``SQLITE_NOTADB``,
``SQLITE_CORRUPT``, or ``PRAGMA quick_check`` failing at open: damaged pages behind an
intact header, which would otherwise fail every write of the run) or a header that is not
SQLite's counts as damage; anything else opens a store that tries the file again later
(:meth:`HistoryStore.unavailable`). quick_check reads every page: about 0.13 s warm and
0.5 s cold on ten years of heavy use (500,000 events, 76 MB).

A ``-wal`` file whose header or committed frames fail SQLite's checks would be dropped by
SQLite without a word (core.history.wal): a copy is kept aside first and the person told.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from neckcare_desktop.core.history.errors import HistoryError, sqlite_code
from neckcare_desktop.core.history.store import HistoryStore
from neckcare_desktop.core.history.wal import keep_copy, wal_problem
from neckcare_desktop.core.i18n import translate

logger = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"

#: The only SQLite verdicts that mean the file's content is damaged.
DAMAGE_CODES = frozenset({sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT})


@dataclass(frozen=True)
class OpenedHistory:
    store: HistoryStore
    #: What the person should be told (None when the file opened normally).
    problem: str | None = None
    #: Where a damaged file was moved, if it was.
    moved_to: Path | None = None


def _is_newer_version(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            if fh.read(16) != SQLITE_HEADER:
                return False
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return False
    return int(version) > HistoryStore.SCHEMA_VERSION


def _free_name(path: Path, now: datetime) -> Path:
    base = path.with_name(f"{path.name}.damaged-{now.strftime('%Y%m%d-%H%M%S')}")
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def move_aside(path: Path, now: datetime) -> Path:
    """Rename the database and its WAL/SHM files to a free timestamped name."""
    target = _free_name(path, now)
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    return target


def _looks_like_sqlite(path: Path) -> bool:
    """A cheap look at the header, before SQLite may "clean up" a damaged file's WAL."""
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except FileNotFoundError:
        return True  # a new file
    except OSError:
        return True  # unreadable: let SQLite say why
    if not header:
        return True  # empty: SQLite makes a new database of it
    if len(header) < 100 or header[:16] != SQLITE_HEADER:
        return False
    page_size = int.from_bytes(header[16:18], "big")
    return page_size == 1 or (512 <= page_size <= 32768 and page_size & (page_size - 1) == 0)


def _is_transient(exc: BaseException) -> bool:
    """A failure of the moment (lock, permissions, full disk, I/O), not of the content."""
    code = sqlite_code(exc)
    if code is not None:
        return code not in DAMAGE_CODES
    cause = exc.__cause__ or exc.__context__
    return isinstance(cause, OSError)


#: Why a new file cannot be created that a later try may not meet (a read-only or full disk).
_PASSING_ERRNOS = frozenset({errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EAGAIN})


def _cannot_create_now(exc: BaseException) -> bool:
    cause = exc.__cause__ or exc.__context__
    return isinstance(cause, OSError) and cause.errno in _PASSING_ERRNOS


def _reason(exc: BaseException) -> str:
    """SQLite's or the OS's own words ("database is locked"), not our whole sentence."""
    cause = exc.__cause__ or exc
    return getattr(cause, "strerror", None) or str(cause)


def _check_wal(wal: Path, now: datetime) -> str | None:
    """A WAL SQLite would silently drop committed rows of: keep a copy, say so (once: SQLite
    rewrites the WAL at the first write, so the next start finds a sound one)."""
    problem = wal_problem(wal)
    if problem is None:
        return None
    try:
        copy: Path | str = keep_copy(wal, now)
    except OSError as exc:
        logger.error("history WAL %s is damaged (%s) and cannot be copied: %s", wal, problem, exc)
        copy = translate("History", "(no copy: {reason})").format(reason=exc.strerror or exc)
    else:
        logger.error("history WAL %s is damaged (%s); copy kept as %s", wal, problem, copy)
    return translate(
        "History",
        "The newest part of NeckCare's history ({wal}) was damaged ({problem}), so the rows "
        "in it from that point on cannot be read and are missing from History. A copy was "
        "kept as {copy}; the rest of the history is unchanged.",
    ).format(wal=wal, problem=problem, copy=copy)


def _quick_check(store: HistoryStore) -> str | None:
    """SQLite's quick_check at open: pages that are damaged behind an intact header."""
    try:
        return store.quick_check()
    except HistoryError as exc:  # could not read it now (lock, I/O): not a verdict
        logger.info("quick_check of %s did not run: %s", store.path, exc)
        return None


def open_history(path: Path, now: datetime) -> OpenedHistory:
    """Open ``path``; recover from damage; never raise for the file's content."""
    wal = path.with_name(path.name + "-wal")
    has_content = path.exists() and path.stat().st_size > 0 and _looks_like_sqlite(path)
    wal_note = _check_wal(wal, now) if has_content else None
    opened = _open_history(path, now)
    if wal_note is None:
        return opened
    problem = wal_note if opened.problem is None else f"{wal_note}\n{opened.problem}"
    return OpenedHistory(opened.store, problem, opened.moved_to)


def _open_history(path: Path, now: datetime) -> OpenedHistory:
    wal = path.with_name(path.name + "-wal")
    guard = path.with_name(path.name + "-wal.guard")
    if not _looks_like_sqlite(path):
        first_error = HistoryError(
            translate("History", "{path} is not a NeckCare history file").format(path=path)
        )
    else:
        # SQLite deletes the WAL when it closes a file it could not read; keep a second
        # name for it until the file has opened, so the newest rows survive a failure.
        guarded = False
        if wal.exists():
            with contextlib.suppress(OSError):
                guard.unlink(missing_ok=True)
                os.link(wal, guard)
                guarded = True
        try:
            store = HistoryStore(path)
        except HistoryError as exc:
            first_error = exc
            if guarded and not wal.exists():
                with contextlib.suppress(OSError):
                    os.replace(guard, wal)
        else:
            verdict = _quick_check(store)
            if verdict is None:
                if guarded:
                    with contextlib.suppress(OSError):
                        guard.unlink()
                return OpenedHistory(store)
            # An intact header over damaged pages: every write would fail; set it aside.
            store.close()
            first_error = HistoryError(f"quick_check: {verdict}")
            # Shaped like SQLite's own verdict, so _is_transient reads it as damage.
            cause = sqlite3.DatabaseError(verdict)
            cause.sqlite_errorcode = sqlite3.SQLITE_CORRUPT
            first_error.__cause__ = cause
            if guarded and not wal.exists():
                with contextlib.suppress(OSError):
                    os.replace(guard, wal)
        with contextlib.suppress(OSError):
            guard.unlink(missing_ok=True)
        if path.exists() and _is_transient(first_error):
            logger.error(
                "history %s cannot be used now (%s); trying again later", path, first_error
            )
            return OpenedHistory(
                HistoryStore.unavailable(path, first_error),
                translate(
                    "History",
                    "NeckCare cannot use its history file {path} right now ({reason}): another "
                    "program may be using it, or the disk may be full or read-only. Timers and "
                    "reminders keep working, a running ice or heat timer is remembered, and "
                    "history is saved when the file can be used again. The file was not changed.",
                ).format(path=path, reason=_reason(first_error)),
            )
    if _is_newer_version(path):
        logger.error("history %s is from a newer NeckCare; keeping this run in memory", path)
        return OpenedHistory(
            HistoryStore(":memory:", folder=path.parent),
            translate(
                "History",
                "Your history file {path} was written by a newer version of NeckCare, so this "
                "version leaves it untouched and does not save history this time. Update "
                "NeckCare to keep recording.",
            ).format(path=path),
        )
    if not path.exists() and _cannot_create_now(first_error):
        # A read-only or full disk: the file is created when the disk takes it again.
        logger.error("cannot create history at %s now: %s; trying again later", path, first_error)
        return OpenedHistory(
            HistoryStore.unavailable(path, first_error),
            translate(
                "History",
                "NeckCare cannot create its history file at {path} right now ({reason}). "
                "Timers and reminders keep working, and the history is started and saved as "
                "soon as the disk takes it.",
            ).format(path=path, reason=_reason(first_error)),
        )
    if not path.exists():
        # It could not even be created (not a folder?): run on memory, say so.
        logger.error("cannot create history at %s: %s", path, first_error)
        return OpenedHistory(
            HistoryStore(":memory:", folder=path.parent),
            translate(
                "History",
                "NeckCare cannot create its history file at {path} ({reason}). Timers and "
                "reminders work; history is not saved this time. Check the folder's permissions.",
            ).format(path=path, reason=first_error),
        )
    try:
        moved = move_aside(path, now)
    except OSError as exc:
        logger.error("cannot move damaged history %s aside: %s", path, exc)
        return OpenedHistory(
            HistoryStore(":memory:", folder=path.parent),
            translate(
                "History",
                "NeckCare cannot read its history file {path} ({reason}) and cannot move it "
                "aside ({move_reason}). History is not saved this time.",
            ).format(path=path, reason=first_error, move_reason=exc.strerror or exc),
        )
    logger.error("history %s was damaged (%s); moved to %s", path, first_error, moved)
    try:
        store = HistoryStore(path)
    except HistoryError as exc:
        return OpenedHistory(
            HistoryStore(":memory:", folder=path.parent),
            translate(
                "History",
                "NeckCare moved a damaged history file to {moved} but cannot start a new one "
                "({reason}). History is not saved this time.",
            ).format(moved=moved, reason=exc),
            moved,
        )
    return OpenedHistory(
        store,
        translate(
            "History",
            "NeckCare's history file could not be read, so it was moved to {moved} and a new "
            "one was started. Nothing in the old file was deleted.",
        ).format(moved=moved),
        moved,
    )
