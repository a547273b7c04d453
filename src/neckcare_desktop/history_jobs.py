"""The History window's long jobs, CSV export and "delete all", on a worker thread.

This is the app side of the window's intents: the window (``ui/history/window.py``) only
asks, with ``export_requested(path)`` and ``delete_all_requested()``; :class:`HistoryJobs`
runs one job at a time and hands it to the window to show (``job_starting``), and
:func:`connect_history_window` wires the two (and "Open data folder" to the platform's
opener, which the view may not import). :func:`build_history_window` makes a wired window.

Why a thread: exporting ten years of history (500,000 events) takes seconds, and deleting
it rewrites the file (``VACUUM``). On the GUI thread either would freeze the tray, the
break window and the ice alert for that long. The job runs on a Python thread with its
own ``HistoryStore`` (its own SQLite connection: a connection may only be used by the
thread that opened it, and the app's store belongs to the GUI thread) and reports through
Qt signals, which reach the window through its event loop.

Why that is consistent with the app's own store: the history file is in WAL mode, so the
app keeps reading (its last committed state) and, between the job's short write
transactions, writing while a job runs. ``HistoryStore`` keeps no rows in memory, so once
"delete all" has committed, the app's next read sees the empty file.

A store kept in memory (``:memory:``, only in tests and when the file could not be
opened) cannot be shared with another connection: there the job runs on the calling
thread, at once, and reports the same way.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable, Collection
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from PySide6.QtCore import QObject, Signal, Slot

from neckcare_desktop.core.history import (
    ExportCounts,
    HistoryError,
    HistoryStore,
    csv_file,
    log_export,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from neckcare_desktop.ui.history.window import HistoryWindow

logger = logging.getLogger(__name__)

#: Rows written between two looks at the progress (a look is cheap; a signal is not).
PROGRESS_EVERY_ROWS = 2000
#: The worker thread's niceness on Linux: on a busy machine (two cores, a build running)
#: the scheduler then gives the GUI thread the CPU first, and the export waits instead.
WORKER_NICE = 10
#: Python's thread switch interval while a job runs (seconds; Python's default is 0.005).
#: The worker holds Python's lock while it formats rows, and the GUI thread, whenever it
#: has Python to run (any slot), waits for it up to this long, more than once per event.
#: Measured on two busy cores at 500,000 events: worst heartbeat lateness 18-29 ms with
#: the default, 4-16 ms with 1 ms. Only while a job runs; the old value comes back after.
JOB_SWITCH_INTERVAL_S = 0.001

_switch_lock = threading.Lock()
_jobs_running = 0
_saved_interval: float | None = None


def _job_began() -> None:
    global _jobs_running, _saved_interval
    with _switch_lock:
        _jobs_running += 1
        if _jobs_running == 1:
            _saved_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_saved_interval, JOB_SWITCH_INTERVAL_S))


def _job_ended() -> None:
    global _jobs_running, _saved_interval
    with _switch_lock:
        _jobs_running -= 1
        if _jobs_running == 0 and _saved_interval is not None:
            sys.setswitchinterval(_saved_interval)
            _saved_interval = None


class JobKind(StrEnum):
    EXPORT = "export"
    DELETE = "delete"


class _Progress:
    """A text file that counts the CSV rows written through it (``csv`` writes one row per
    ``write`` call) and reports whole percents."""

    def __init__(self, fh: TextIO, total_rows: int, report: Any) -> None:
        self._fh = fh
        self._total = max(1, total_rows)
        self._report = report
        self.rows = 0
        self._percent = -1

    def write(self, text: str) -> int:
        written = self._fh.write(text)
        self.rows += 1
        if self.rows % PROGRESS_EVERY_ROWS == 0:
            self.report()
        return written

    def report(self) -> None:
        percent = min(99, self.rows * 100 // self._total)  # 100 only when it is done
        if percent != self._percent:
            self._percent = percent
            self._report(percent)


def count_rows(store: HistoryStore) -> int:
    """Rows a full export writes: the header, every event, every spasm episode.

    A reading of this module's own on the job's store (``core/history.py`` offers none
    that counts everything, and its schema is not this module's to change).
    """
    import sqlite3

    try:
        row = store._db.execute(
            "SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM episodes)"
        ).fetchone()
    except sqlite3.Error as exc:
        raise store._sql_failed("read", exc) from exc
    return 1 + int(row[0])


def export_with_progress(store: HistoryStore, target: Path, report: Any) -> ExportCounts:
    """``store.export`` to ``target``, calling ``report(percent)`` as rows are written."""
    total = count_rows(store)
    with csv_file(target) as fh:
        counts = store.export(_Progress(fh, total, report))  # type: ignore[arg-type]
    log_export(counts, target)
    return counts


class HistoryJob(QObject):
    """One export or deletion. ``start()`` returns at once; then ``progress(percent)``
    (export only; -1 means "busy, no figure"), and ``succeeded(result)`` or
    ``failed(message)``, then ``done()``. Signals arrive through the receiver's event loop.
    """

    progress = Signal(int)
    succeeded = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(
        self,
        kind: JobKind,
        store: HistoryStore,
        target: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if kind is JobKind.EXPORT and target is None:
            raise ValueError("an export needs a target file")
        self.kind = kind
        self._store = store
        self._target = target
        self._thread: threading.Thread | None = None
        self.finished = False

    @property
    def target(self) -> Path | None:
        """The file an export writes (None for a deletion)."""
        return self._target

    @property
    def on_worker_thread(self) -> bool:
        """Whether the job runs on a thread of its own (a file-backed store)."""
        return self._store.path is not None

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("a job runs once")
        if not self.on_worker_thread:
            self._thread = threading.current_thread()
            self._run(self._store)
            return
        path = self._store.path
        # Not a daemon: a confirmed deletion, or an export, is finished before the
        # process exits (a quit during it waits for it rather than leaving half a file).
        self._thread = threading.Thread(
            target=self._run_in_thread, args=(path,), name=f"neckcare-{self.kind}", daemon=False
        )
        _job_began()
        try:
            self._thread.start()
        except BaseException:
            _job_ended()
            raise

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the worker thread (tests, shutdown); True when it has ended."""
        thread = self._thread
        if thread is None or thread is threading.current_thread():
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _run_in_thread(self, path: Path) -> None:
        try:
            _lower_priority()
            try:
                store = HistoryStore(path)
            except HistoryError as exc:
                self._report_failure(exc)
                return
            except Exception as exc:
                logger.exception("history %s could not open the file", self.kind)
                self._report_failure(exc)
                return
            try:
                self._run(store)
            finally:
                store.close()
        finally:
            _job_ended()

    def _run(self, store: HistoryStore) -> None:
        try:
            if self.kind is JobKind.EXPORT:
                assert self._target is not None
                result: Any = export_with_progress(
                    store, self._target, lambda p: self._emit(self.progress, p)
                )
            else:
                self._emit(self.progress, -1)
                store.delete_all()
                result = None
        except HistoryError as exc:
            self._report_failure(exc)
            return
        except Exception as exc:
            logger.exception("history %s failed", self.kind)
            self._report_failure(exc)
            return
        self._emit(self.progress, 100)
        self._emit(self.succeeded, result)
        self._emit(self.done)

    def _report_failure(self, exc: BaseException) -> None:
        self._emit(self.failed, str(exc))
        self._emit(self.done)

    def _emit(self, signal: Any, *args: Any) -> None:
        if signal is self.done:
            self.finished = True
        try:
            signal.emit(*args)
        except RuntimeError:  # the window went away (app quitting): nobody to tell
            logger.debug("history %s: nobody listens any more", self.kind)


def _lower_priority() -> None:
    """Make the calling (worker) thread yield the CPU to the GUI thread.

    Linux keeps a niceness per thread, so this leaves the GUI thread alone; elsewhere
    ``setpriority`` would lower the whole process, so it is not done there.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, max(os.getpriority(os.PRIO_PROCESS, tid), WORKER_NICE))
    except OSError as exc:
        logger.debug("could not lower the worker thread's priority: %s", exc)


class HistoryJobs(QObject):
    """Runs History's export and "delete all" for the app, one job at a time.

    The controller calls :meth:`export` and :meth:`delete_all` when the window asks;
    ``job_starting(job)`` is emitted before each job starts (a store in memory runs it at
    once, inside ``start()``), so the window can follow it from its first signal.
    """

    job_starting = Signal(object)

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        #: The job running now, if any.
        self.job: HistoryJob | None = None

    @property
    def running(self) -> bool:
        return self.job is not None

    @Slot(object)
    def export(self, target: Path) -> HistoryJob | None:
        """Write every event and spasm episode to ``target`` as CSV; None (nothing
        started) while another job runs."""
        return self._start(JobKind.EXPORT, Path(target))

    @Slot()
    def delete_all(self) -> HistoryJob | None:
        """Delete every event and episode and shrink the file (the person confirmed it in
        the window); None (nothing started) while another job runs."""
        return self._start(JobKind.DELETE, None)

    def _start(self, kind: JobKind, target: Path | None) -> HistoryJob | None:
        if self.job is not None:
            logger.debug("history %s asked for while a %s runs: ignored", kind, self.job.kind)
            return None
        job = HistoryJob(kind, self._store, target, self)
        self.job = job
        # Slots of this object (not lambdas): the job reports from its worker thread, and
        # a receiver on the GUI thread gets them queued, in order, through its event loop.
        # Connected before the window's, so the runner is free again first.
        job.failed.connect(self._on_failed)
        job.done.connect(self._on_done)
        self.job_starting.emit(job)
        job.start()
        return job

    @Slot(str)
    def _on_failed(self, reason: str) -> None:
        job = self.job
        if job is not None and job.kind is JobKind.EXPORT:
            logger.warning("CSV export to %s failed: %s", job.target, reason)
        else:
            logger.warning("Deleting the history failed: %s", reason)

    @Slot()
    def _on_done(self) -> None:
        self.job = None


class ThreadedHabitsLoader(QObject):
    """Reads the "Pain and habits" days (``HistoryStore.habit_days``) on a worker thread.

    Three indexed reads of at most 90 days: milliseconds on most files, but a heavy
    history on a slow disk, or a file another process holds locked (SQLite then waits up
    to its busy timeout), must not freeze the tray for that long. One worker at a time,
    with its own connection (as :class:`HistoryJob`); requests made while it reads are
    coalesced to the newest, so clicking 7, 30, 90 reads at most twice. ``loaded`` and
    ``failed`` reach the view through its event loop. A store in memory is read at once.
    """

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._lock = threading.Lock()
        self._pending: tuple[date, date] | None = None
        self._thread: threading.Thread | None = None

    @Slot(object, object)
    def load(self, first: date, last: date) -> None:
        """Read ``first`` to ``last``; answers with ``loaded(HabitDays)`` or ``failed``."""
        path = self._store.path
        if path is None:
            self._read(self._store, first, last)
            return
        with self._lock:
            self._pending = (first, last)
            if self._thread is not None:
                return  # the running worker takes the newest request next
            self._thread = threading.Thread(
                target=self._run, args=(path,), name="neckcare-habits", daemon=False
            )
            self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the worker (tests, bench); True when none runs."""
        with self._lock:
            thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _run(self, path: Path) -> None:
        _lower_priority()
        store: HistoryStore | None = None
        try:
            store = HistoryStore(path)
        except Exception as exc:
            if not isinstance(exc, HistoryError):
                logger.exception("the habits view could not open the history file")
            self._emit(self.failed, str(exc))
        try:
            while True:
                with self._lock:
                    wanted, self._pending = self._pending, None
                    if wanted is None or store is None:
                        self._thread = None
                        return
                self._read(store, *wanted)
        finally:
            if store is not None:
                store.close()

    def _read(self, store: HistoryStore, first: date, last: date) -> None:
        try:
            days = store.habit_days(first, last)
        except HistoryError as exc:
            self._emit(self.failed, str(exc))
            return
        except Exception as exc:
            logger.exception("reading the habits view failed")
            self._emit(self.failed, str(exc))
            return
        self._emit(self.loaded, days)

    def _emit(self, signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the window went away (app quitting): nobody to tell
            logger.debug("habits view: nobody listens any more")


#: ``platform.open_folder.open_folder``'s shape: path, parent, on_failure -> tried.
FolderOpener = Callable[[Path, QObject, Callable[[], None]], bool]


def connect_history_window(
    window: HistoryWindow, jobs: HistoryJobs, open_folder: FolderOpener | None = None
) -> None:
    """Turn the window's intents into jobs, and let it show them.

    ``open_folder`` defaults to the platform's opener (imported here, on the app side:
    the view may not import the platform).
    """
    if open_folder is None:
        from neckcare_desktop.platform.open_folder import open_folder as platform_opener

        open_folder = platform_opener
    opener = open_folder
    window.export_requested.connect(jobs.export)
    window.delete_all_requested.connect(jobs.delete_all)
    jobs.job_starting.connect(window.show_job)

    def show_folder(path: Path) -> None:
        if not opener(path, window, window.show_open_folder_failed):
            window.show_open_folder_failed()

    window.open_folder_requested.connect(show_folder)
    # "Report for your clinician…": a save dialog, then the PDF written off the GUI thread.
    from neckcare_desktop.report_jobs import connect_report

    connect_report(window, jobs._store)


def build_history_window(
    store: HistoryStore,
    now: Callable[[], datetime],
    parent: QWidget | None = None,
    *,
    days_off: Callable[[], Collection[int]] = frozenset,
    test_mode: bool = False,
    open_folder: FolderOpener | None = None,
) -> HistoryWindow:
    """A History window wired to its own :class:`HistoryJobs` (kept alive by the window)
    and to the platform's folder opener. Imports the window (and QtCharts) on first use."""
    from neckcare_desktop.ui.history.window import HistoryWindow

    window = HistoryWindow(store, now, parent, days_off=days_off, test_mode=test_mode)
    # Parented to the window: it lives as long as the window that asks it for jobs.
    connect_history_window(window, HistoryJobs(store, window), open_folder)
    window.habits.set_loader(ThreadedHabitsLoader(store, window))
    return window
