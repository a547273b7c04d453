"""What the person is told when history rows cannot be written right now, per cause.

Why per cause: "check free disk space and permissions" is the wrong advice when another
program holds a lock, and a full disk wants a different action from a read-only one. The
cause comes from SQLite's primary result code (or the OS error) behind the failure.
"""

from __future__ import annotations

import errno
import sqlite3
from enum import StrEnum

from neckcare_desktop.core.history.errors import sqlite_code
from neckcare_desktop.core.i18n import translate


class Trouble(StrEnum):
    LOCKED = "locked"
    FULL = "full"
    READ_ONLY = "read-only"
    IO = "io"
    DAMAGED = "damaged"
    OTHER = "other"


def classify(exc: BaseException) -> Trouble:
    code = sqlite_code(exc)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return Trouble.LOCKED
    if code == sqlite3.SQLITE_FULL:
        return Trouble.FULL
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return Trouble.READ_ONLY
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN):
        return Trouble.IO
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return Trouble.DAMAGED
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, OSError):
        if cause.errno in (errno.ENOSPC, errno.EDQUOT):
            return Trouble.FULL
        if cause.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return Trouble.READ_ONLY
        return Trouble.IO
    return Trouble.OTHER


def notice_text(trouble: Trouble, journal: str | None) -> str:
    """The one message for this episode of trouble (shown once, until writes work again)."""
    causes = {
        Trouble.LOCKED: translate(
            "Engine",
            "Another program is using NeckCare's history file, so new history rows "
            "cannot be saved into it right now.",
        ),
        Trouble.FULL: translate(
            "Engine",
            "The disk with NeckCare's history is full, so new history rows cannot be saved "
            "into it right now. Free some space.",
        ),
        Trouble.READ_ONLY: translate(
            "Engine",
            "NeckCare's history file or its disk is read-only right now, so new history "
            "rows cannot be saved into it.",
        ),
        Trouble.IO: translate(
            "Engine",
            "The disk reported an error reading or writing NeckCare's history file, so new "
            "history rows cannot be saved into it right now.",
        ),
        Trouble.DAMAGED: translate(
            "Engine",
            "NeckCare's history file is damaged, so new history rows cannot be saved into "
            "it. Restart NeckCare: it then keeps the damaged file aside and starts a new one.",
        ),
        Trouble.OTHER: translate(
            "Engine", "NeckCare cannot save new history rows into its history file right now."
        ),
    }
    if journal:
        kept = translate(
            "Engine",
            "Timers and reminders keep working, and NeckCare will try again every few "
            "seconds. The rows are kept in {journal} and written into the history as soon "
            "as it takes them again, also after a restart.",
        ).format(journal=journal)
    else:
        kept = translate(
            "Engine",
            "Timers and reminders keep working, and NeckCare will try again every few "
            "seconds. The rows cannot be kept on disk either: they are kept while NeckCare "
            "runs and written into the history as soon as it takes them again, but lost if "
            "NeckCare quits before that.",
        )
    return f"{causes[trouble]} {kept}"
