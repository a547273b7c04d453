"""Writing the engine's history rows so that none is lost and none is written twice.

Why: a reminder or an alert must never wait for, or fail on, the history file, and a row
the file refuses (locked by another program, disk full, read-only, failing) must still
reach it — also after a quit or a crash. Rows go straight into the history while it takes
them; once one is refused, it and every row after it wait, in order, in the durable
pending journal (core.history.journal) and are written when the file takes them again:
at the next retry, the next row, or the next start. The person is told once per spell of
trouble, in words that fit its cause (core.history.trouble).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta

from neckcare_desktop.core import events as ev
from neckcare_desktop.core.clock import Clock
from neckcare_desktop.core.history.errors import HistoryError
from neckcare_desktop.core.history.events import EventKind
from neckcare_desktop.core.history.journal import PendingJournal, PendingRow
from neckcare_desktop.core.history.store import HistoryStore
from neckcare_desktop.core.history.trouble import classify, notice_text
from neckcare_desktop.core.i18n import translate
from neckcare_desktop.core.ports import SchedulerPort

# The engine's rows: logged under the engine's name, which log readers already know.
logger = logging.getLogger("neckcare_desktop.core.engine")

#: Rows kept in memory when even the journal cannot take them (about a month of heavy use).
MAX_PENDING_ROWS = 10_000
#: How often to try the history again after a refused row (real seconds).
RETRY_SECONDS = 15


class HistoryWriter:
    def __init__(
        self,
        history: HistoryStore,
        journal: PendingJournal,
        scheduler: SchedulerPort,
        clock: Clock,
        notify: Callable[[ev.Notice], None],
        retry_job: str,
    ) -> None:
        self.history = history
        self.journal = journal
        self.scheduler = scheduler
        self.clock = clock
        self._notify = notify
        self._retry_job = retry_job
        #: Rows not in the history yet, oldest first; those with a row_id are in the journal.
        self.rows: list[PendingRow] = journal.load()
        # A file that could not be opened at all was already explained at start-up.
        self._warned = not history.is_available
        self._journal_warned = False
        #: A row was refused and the retry job is planned: new rows go straight to the
        #: journal until it runs, so the GUI thread waits for a lock once per retry, not
        #: once per row.
        self._waiting = False

    @property
    def pending(self) -> int:
        return len(self.rows)

    def record(self, kind: EventKind, at: datetime, fields: dict[str, object]) -> None:
        self.rows.append(PendingRow(EventKind(kind).value, at, dict(fields)))
        if self._waiting:
            self._keep(tell=True)
            return
        self.flush()

    def flush(self) -> None:
        """Write the waiting rows in order; on the first refusal keep them all durable."""
        self._waiting = False
        wrote = False
        while self.rows:
            row = self.rows[0]
            try:
                self.history.record(
                    EventKind(row.kind),
                    row.at,
                    row_id=row.row_id,
                    **row.fields,  # type: ignore[arg-type]
                )
            except (sqlite3.Error, HistoryError, OSError) as exc:
                self._refused(exc)
                return
            except (ValueError, TypeError) as exc:
                # A journal row this version cannot write (edited by hand?): it never will be.
                logger.error("dropping a pending history row that cannot be written: %s", exc)
            self.rows.pop(0)
            wrote = True
        if not self.journal.is_empty:
            try:
                self.journal.clear()
                self.history.forget_applied()
            except (OSError, HistoryError, sqlite3.Error) as exc:
                # Harmless: the rows' ids are in the history, so a replay writes none twice.
                logger.info("could not clear the pending history journal yet: %s", exc)
        if self._warned and wrote:
            self._warned = False
            self.scheduler.cancel(self._retry_job)
            logger.info("history writes work again; the waiting rows were saved")

    def _refused(self, exc: BaseException) -> None:
        # One error per spell of trouble; the retries after it are only worth an info line.
        log = logger.info if self._warned else logger.error
        log("could not record %s in history: %s", self.rows[0].kind, exc)
        self._waiting = True
        first = not self._warned
        # On the first refusal the notice below also says where the rows are kept.
        kept = self._keep(tell=not first)
        if len(self.rows) > MAX_PENDING_ROWS and not kept:
            dropped = self.rows.pop(0)
            logger.error("history backlog full; dropped %s", dropped.kind)
        self.scheduler.call_at(
            self._retry_job, self.clock.now() + timedelta(seconds=RETRY_SECONDS), self.flush
        )
        if not self._warned:
            self._warned = True
            where = str(self.journal.path) if kept and self.journal.path else None
            self._notify(
                ev.Notice(
                    translate("Engine", "History not saved"),
                    notice_text(classify(exc), where),
                    warning=True,
                )
            )

    def _keep(self, *, tell: bool) -> bool:
        """Put every row not yet in the journal into it; False when it could not."""
        first_new = len(self.rows)
        while first_new > 0 and self.rows[first_new - 1].row_id is None:
            first_new -= 1
        if first_new == len(self.rows):
            return True
        try:
            self.rows[first_new:] = self.journal.append(self.rows[first_new:])
        except OSError as exc:
            first = not self._journal_warned
            log = logger.error if first else logger.info
            log("cannot keep pending history rows in %s: %s", self.journal.path, exc)
            self._journal_warned = True
            if first and tell:  # else the refusal's own notice says the rows are in memory
                self._notify(
                    ev.Notice(
                        translate("Engine", "History rows only in memory"),
                        translate(
                            "Engine",
                            "NeckCare cannot keep its unsaved history rows on disk either "
                            "({reason}); they are kept while it runs and lost if it quits "
                            "before the history file takes them.",
                        ).format(reason=exc.strerror or exc),
                        warning=True,
                    )
                )
            return False
        self._journal_warned = False
        return True
