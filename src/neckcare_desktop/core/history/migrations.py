"""The history file's schema, one step per version (``PRAGMA user_version``).

``MIGRATIONS[i]`` takes a file from schema version ``i`` to ``i + 1``; the store
(core.history.connection) runs each missing step in its own transaction at open.

Why an expression index and not a ``day`` column (schema 2): charts group by the *local
day as recorded*, ``substr(at, 1, 10)``. The index costs one pass at upgrade time instead
of rewriting every row of a years-long file, cannot drift from ``at``, and leaves writing
unchanged. Queries must spell the expression exactly as the index does
(core.history.queries' ``DAY_EXPR``), or SQLite will not use it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


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
    """Remember which pending-journal rows are written (core.history.journal).

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
