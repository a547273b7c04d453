"""NeckCare's history: one private SQLite file of what happened, and the ways to keep it.

The store and its values are re-exported here because most callers need only them::

    from neckcare_desktop.core.history import EventKind, HistoryStore

and so is :func:`open_history` (``recovery``), which the app opens the file with. The
rest is imported from its own module: a damaged write-ahead log (``wal``), the engine's
write-behind queue (``writer``) and its durable journal (``journal``), the advice per
cause of trouble (``trouble``), and a range's totals (``totals``).
"""

from __future__ import annotations

from neckcare_desktop.core.history.connection import MEMORY, default_history_path
from neckcare_desktop.core.history.errors import HistoryError, sqlite_code
from neckcare_desktop.core.history.events import (
    APP_KINDS,
    BREAK_KINDS,
    EVENT_COLUMNS,
    EXERCISE_KINDS,
    SPASM_KINDS,
    TAKEN_BREAK_KINDS,
    THERAPY_KINDS,
    Event,
    EventKind,
)
from neckcare_desktop.core.history.export import CSV_COLUMNS, ExportCounts, csv_file, log_export
from neckcare_desktop.core.history.queries import (
    PAGE_SIZE,
    THERAPY_SUBJECTS,
    DaySummary,
    EventPage,
)
from neckcare_desktop.core.history.recovery import OpenedHistory, open_history
from neckcare_desktop.core.history.spasms import (
    MAX_EPISODE_AGE,
    MAX_PAIN,
    MIN_PAIN,
    Episode,
    EpisodeProblem,
    PainUpdate,
    episode_problems,
    pain_problems,
)
from neckcare_desktop.core.history.store import HistoryStore
from neckcare_desktop.core.spasm_vocabulary import TRIGGERS, WARNING_SIGNS

__all__ = [
    "APP_KINDS",
    "BREAK_KINDS",
    "CSV_COLUMNS",
    "EVENT_COLUMNS",
    "EXERCISE_KINDS",
    "MAX_EPISODE_AGE",
    "MAX_PAIN",
    "MEMORY",
    "MIN_PAIN",
    "PAGE_SIZE",
    "SPASM_KINDS",
    "TAKEN_BREAK_KINDS",
    "THERAPY_KINDS",
    "THERAPY_SUBJECTS",
    "TRIGGERS",
    "WARNING_SIGNS",
    "DaySummary",
    "Episode",
    "EpisodeProblem",
    "Event",
    "EventKind",
    "EventPage",
    "ExportCounts",
    "HistoryError",
    "HistoryStore",
    "OpenedHistory",
    "PainUpdate",
    "csv_file",
    "default_history_path",
    "episode_problems",
    "log_export",
    "open_history",
    "pain_problems",
    "sqlite_code",
]
