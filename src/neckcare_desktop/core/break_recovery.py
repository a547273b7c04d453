"""A break that was running when NeckCare stopped: close it in the history at the next start.

Why: a running break is not carried over a restart (the schedule starts afresh), so its
``break_started`` row would otherwise stay open for ever — the History window would show a
break that never ended, neither completed nor skipped. It is closed with its own kind,
``break_interrupted``, which does not count as a break taken, with the planned seconds
its ``break_started`` row says (its own length, never the settings' length of today).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.history.journal import PendingRow
from neckcare_desktop.core.history_notes import NoteCode, note_text

#: Rows that end a started break (or show the run ended, for the note).
_ENDS = (EventKind.BREAK_COMPLETED, EventKind.BREAK_SKIPPED, EventKind.BREAK_INTERRUPTED)


@dataclass(frozen=True)
class OpenBreak:
    subject: str | None
    planned_seconds: int | None
    note: str


def _last(
    history: HistoryStore, pending: Sequence[PendingRow], kinds: tuple[EventKind, ...]
) -> tuple[EventKind, str | None, int | None, int] | None:
    """The last row of ``kinds`` in write order: rows still waiting come after the file's.

    Returns (kind, subject, planned_seconds, order) where order grows with write order.
    """
    values = {k.value for k in kinds}
    for index in range(len(pending) - 1, -1, -1):
        row = pending[index]
        if row.kind in values:
            planned = row.fields.get("planned_seconds")
            subject = row.fields.get("subject")
            return (
                EventKind(row.kind),
                subject if isinstance(subject, str) else None,
                planned if isinstance(planned, int) else None,
                1 << 62 | index,
            )
    found = history.latest_inserted(kinds, 1)
    if not found:
        return None
    e = found[0]
    return e.kind, e.subject, e.planned_seconds, e.id


def open_break(history: HistoryStore, pending: Sequence[PendingRow] = ()) -> OpenBreak | None:
    """The last started break if no row ended it, looking at the rows still waiting to be
    written too (raises HistoryError when it has to read the file and cannot)."""
    last = _last(history, pending, (EventKind.BREAK_STARTED, *_ENDS))
    if last is None or last[0] is not EventKind.BREAK_STARTED:
        return None
    _, subject, planned, order = last
    run = _last(history, pending, (EventKind.APP_QUIT, EventKind.APP_STARTED))
    quit_after = run is not None and run[0] is EventKind.APP_QUIT and run[3] > order
    code = NoteCode.QUIT_DURING_BREAK if quit_after else NoteCode.STOPPED_DURING_BREAK
    return OpenBreak(subject, planned, note_text(code))
