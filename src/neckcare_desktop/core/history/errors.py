"""The one error the history raises for a file it cannot use, and SQLite's code behind one.

Its own module because the recovery at open, the write-behind queue and the advice per
cause (core.history.trouble) all need them without pulling in the whole store.
"""

from __future__ import annotations


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
