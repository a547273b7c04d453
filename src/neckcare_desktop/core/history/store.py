"""The history store: what happened, when, kept in one SQLite file on this machine.

History is health data, so it never leaves the computer: the file is readable by its
owner only, and the only way out is an explicit CSV export the person asks for.

:class:`HistoryStore` is one object for its callers (the engine, the History window, the
CLI), put together from one part per concern, each in its own module:

* core.history.connection: opening, privacy, migrations, transactions, retrying a file
  that cannot be used now;
* core.history.events: recording one event;
* core.history.spasms: the neck spasm episode log;
* core.history.queries: reads for the table, the charts, the totals and the streak;
* core.history.export: the CSV export.

This package must not import Qt: ``core`` stays testable without a display.
"""

from __future__ import annotations

import logging
import sqlite3

from neckcare_desktop.core.history.export import CsvExport
from neckcare_desktop.core.history.queries import HistoryQueries
from neckcare_desktop.core.history.spasms import SpasmLog

logger = logging.getLogger(__name__)


class HistoryStore(SpasmLog, HistoryQueries, CsvExport):
    """The history file, opened, checked and migrated to :attr:`SCHEMA_VERSION`."""

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
