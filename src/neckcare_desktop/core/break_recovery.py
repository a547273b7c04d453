"""A break that was running when NeckCare stopped: close it in the history at the next start.

Why: a running break is not carried over a restart (the schedule starts afresh), so its
``break_started`` row would otherwise stay open for ever — the History window would show a
break that never ended, neither completed nor skipped. It is closed with its own kind,
``break_interrupted``, which does not count as a break taken.
"""

from __future__ import annotations

from dataclasses import dataclass

from neckcare_desktop.core.history import EventKind, HistoryStore

#: Rows that end a started break (or show the run ended, for the note).
_ENDS = (EventKind.BREAK_COMPLETED, EventKind.BREAK_SKIPPED, EventKind.BREAK_INTERRUPTED)

#: Notes as stored (English, like every note the engine writes; the History window
#: translates them).
NOTE_CRASH = "NeckCare stopped unexpectedly during the break"
NOTE_QUIT = "NeckCare quit during the break"


@dataclass(frozen=True)
class OpenBreak:
    subject: str | None
    planned_seconds: int | None
    note: str


def open_break(history: HistoryStore) -> OpenBreak | None:
    """The last started break if no row ended it (raises HistoryError if unreadable)."""
    latest = history.latest_inserted((EventKind.BREAK_STARTED, *_ENDS), 1)
    if not latest or latest[0].kind is not EventKind.BREAK_STARTED:
        return None
    started = latest[0]
    runs = history.latest_inserted((EventKind.APP_QUIT, EventKind.APP_STARTED), 1)
    quit_after = bool(runs) and runs[0].kind is EventKind.APP_QUIT and runs[0].id > started.id
    return OpenBreak(
        started.subject, started.planned_seconds, NOTE_QUIT if quit_after else NOTE_CRASH
    )
