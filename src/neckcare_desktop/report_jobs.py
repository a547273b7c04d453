"""The History window's "Report for your clinician…": a save dialog, then the PDF written
on a worker thread.

The window only says the person asked (``report_requested(now)``, ``now`` from the window's
clock); :class:`ReportRunner` asks where to save it, builds the report from the history
and writes the PDF away from the GUI thread, and tells the window how it went in its
status line. :func:`connect_report` wires the two (``history_jobs.connect_history_window``
calls it for every History window the app makes).

Why a thread: the report reads a few indexed aggregates (milliseconds) but lays out and
paints a PDF (about a tenth of a second, more on a busy machine or with a file another
program holds locked); the tray, the break window and the ice alert must not wait for it.
The worker opens its own ``HistoryStore`` (a SQLite connection belongs to the thread that
opened it; the file is in WAL mode, so the app keeps reading and writing meanwhile), as
the CSV export does. A store in memory (tests) is read on the calling thread, at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QObject,
    QStandardPaths,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QFileDialog, QWidget

from neckcare_desktop.core.history import HistoryError, HistoryStore
from neckcare_desktop.core.i18n import translate
from neckcare_desktop.core.report import DEFAULT_DAYS, build_report, last_days

if TYPE_CHECKING:
    from neckcare_desktop.ui.history.window import HistoryWindow

logger = logging.getLogger(__name__)


def default_report_path(today: date) -> Path:
    """``neckcare-report-2026-12-02.pdf`` in the Documents folder (home without one)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(documents) if documents and Path(documents).is_dir() else Path.home()
    return folder / f"neckcare-report-{today.isoformat()}.pdf"


def ask_report_path(parent: QWidget, today: date) -> Path | None:
    """Where to save the report; None if the person cancels."""
    chosen, _ = QFileDialog.getSaveFileName(
        parent,
        translate("Report", "Save the report for your clinician"),
        str(default_report_path(today)),
        translate("Report", "PDF files (*.pdf)"),
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix else path.with_suffix(".pdf")


def report_days(window_days: int) -> int:
    """The days a report from the window covers: the range shown, at least 30 days (a
    week is too little to show a clinician)."""
    return max(DEFAULT_DAYS, window_days)


class ReportRunner(QObject):
    """Writes one report at a time for ``window``; ``ask_path`` is replaced by tests."""

    #: The report was written: (path, pages, days). Emitted from the worker thread.
    succeeded = Signal(object, int, int)
    #: It was not: the reason in words. Emitted from the worker thread.
    failed = Signal(str)
    #: The runner is free again (after succeeded or failed).
    done = Signal()

    def __init__(self, window: HistoryWindow, store: HistoryStore) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._thread: QThread | None = None
        self._busy = False
        self.ask_path: Callable[[QWidget, date], Path | None] = ask_report_path
        # Slots of this object (not lambdas): the worker emits, the GUI thread receives
        # through its event loop, in order.
        self.succeeded.connect(self._on_succeeded)
        self.failed.connect(self._on_failed)

    @property
    def running(self) -> bool:
        return self._busy

    @Slot(object)
    def request(self, now: datetime) -> None:
        """Ask where to save, then write the report of the days the window shows (at
        least 30) up to ``now``. Ignored while a report is being written."""
        if self._busy:
            return
        path = self.ask_path(self._window, now.date())
        if path is None or self._busy:
            return
        days = report_days(self._window.range_days)
        self._busy = True
        self._window.report_button.setEnabled(False)
        self._window.job_status.show_status(
            translate("Report", "Writing the report to {path}…").format(path=path)
        )
        history = self._store.path
        if history is None:
            self._write(self._store, path, now, days)
            return
        # A QThread, not a Python thread: laying out text starts Qt timers, which need
        # the event dispatcher a QThread has (and an adopted Python thread has not).
        thread = _Worker(lambda: self._run(history, path, now, days))
        _keep(thread)
        self._thread = thread
        thread.start(QThread.Priority.LowPriority)

    def wait(self, timeout_ms: int = -1) -> bool:
        """Wait for the worker (tests); True when none runs."""
        thread = self._thread
        if thread is None:
            return True
        return thread.wait() if timeout_ms < 0 else thread.wait(QDeadlineTimer(timeout_ms))

    def _run(self, history: Path, target: Path, now: datetime, days: int) -> None:
        try:
            store = HistoryStore(history)
        except Exception as exc:
            if not isinstance(exc, HistoryError):
                logger.exception("the report could not open the history file")
            self._emit_failed(str(exc))
            return
        try:
            self._write(store, target, now, days)
        finally:
            store.close()

    def _write(self, store: HistoryStore, target: Path, now: datetime, days: int) -> None:
        from neckcare_desktop.report_pdf import ReportError, write_report

        try:
            data = build_report(store, last_days(now, days))
            rendered = write_report(data, target, made_on=now.date())
        except (HistoryError, ReportError) as exc:
            self._emit_failed(str(exc))
            return
        except Exception as exc:
            logger.exception("writing the report failed")
            self._emit_failed(str(exc))
            return
        try:
            self.succeeded.emit(target, rendered.pages, days)
        except RuntimeError:  # the window went away (app quitting): nobody to tell
            logger.debug("report written; nobody listens any more")

    def _emit_failed(self, reason: str) -> None:
        try:
            self.failed.emit(reason)
        except RuntimeError:
            logger.debug("report failed; nobody listens any more")

    @Slot(object, int, int)
    def _on_succeeded(self, path: Path, pages: int, days: int) -> None:
        text = (
            translate("Report", "Wrote a 1-page report of the last {days} days to {path}")
            if pages == 1
            else translate(
                "Report", "Wrote a {pages}-page report of the last {days} days to {path}"
            )
        )
        self._window.job_status.show_status(text.format(pages=pages, days=days, path=path))
        self._finish()

    @Slot(str)
    def _on_failed(self, reason: str) -> None:
        logger.warning("The report was not written: %s", reason)
        self._window.job_status.show_error(
            translate("Report", "The report was not written. {reason}").format(reason=reason)
        )
        self._finish()

    def _finish(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.wait()  # it has emitted its last signal: ends at once
            _WORKERS.discard(thread)
            thread.deleteLater()
        self._busy = False
        self._window.report_button.setEnabled(True)
        self.done.emit()


class _Worker(QThread):
    """Runs ``work`` on its own Qt thread (with an event dispatcher), once."""

    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self._work = work

    def run(self) -> None:
        self._work()


#: Workers not yet collected. A QThread destroyed while it runs aborts the process, so a
#: worker is never owned by the window (which may close, or the app quit, meanwhile):
#: it is kept here until its runner has seen it end, and the app waits for any still
#: running before it quits (a report takes well under a second).
_WORKERS: set[_Worker] = set()


_quit_hook: list[QCoreApplication] = []


def _keep(worker: _Worker) -> None:
    app = QCoreApplication.instance()
    if app is not None and app not in _quit_hook:
        app.aboutToQuit.connect(_wait_for_workers)
        _quit_hook.append(app)
    _WORKERS.add(worker)


def _wait_for_workers() -> None:
    for worker in list(_WORKERS):
        worker.wait()


def connect_report(window: HistoryWindow, store: HistoryStore) -> ReportRunner:
    """Make ``window``'s report button write reports from ``store``'s file (the runner is
    parented to the window: it lives as long as the window asks for reports)."""
    runner = ReportRunner(window, store)
    window.report_requested.connect(runner.request)
    return runner
