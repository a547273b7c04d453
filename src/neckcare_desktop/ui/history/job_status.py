"""The History window's status line and progress bar: how an export or deletion is going.

The app runs the job (:mod:`neckcare_desktop.history_jobs`, on a worker thread) and hands
it here before it starts; this only shows its progress and says how it went. The line
also carries the window's other news (a history that could not be read, a folder that
could not be opened).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from neckcare_desktop.core.history import ExportCounts


class RunningJob(Protocol):
    """An export or deletion the app runs for the window (``history_jobs.HistoryJob``):
    ``progress(percent)`` (-1: busy, no figure), then ``succeeded(result)`` or
    ``failed(reason)``, then ``done()``."""

    kind: str  # "export" or "delete"
    target: Path | None
    finished: bool
    progress: Any
    succeeded: Any
    failed: Any
    done: Any


class JobStatus(QWidget):
    """A status line (selectable, wrapping) and, while a job runs, its progress bar."""

    #: True when a job starts, False when it has ended (the window's buttons wait).
    busy_changed = Signal(bool)
    #: A deletion ended (done or failed): what the window shows must be read again.
    history_changed = Signal()

    def __init__(self, locale: Callable[[], QLocale], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._locale = locale
        #: The export or deletion running now, if any.
        self.job: RunningJob | None = None

        self.progress_bar = QProgressBar(self)
        self.progress_bar.setAccessibleName(self.tr("Progress of the export or deletion"))
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setMaximumWidth(200)
        self.progress_bar.hide()

        self.status_label = QLabel(self)
        self.status_label.setAccessibleName(self.tr("Status"))
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status_label, 1)
        layout.addWidget(self.progress_bar)

    def show_status(self, text: str) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(text)

    def show_error(self, text: str) -> None:
        # Colour is a hint only; the words carry the meaning for screen readers too.
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(text)

    def show_job(self, job: RunningJob) -> None:
        """Follow ``job`` until it is done; call before it starts (it may end at once)."""
        self.job = job
        self.progress_bar.setValue(0)
        self.progress_bar.show()
        self.busy_changed.emit(True)
        if job.kind == "export":
            self.show_status(self.tr("Exporting history to {path}…").format(path=job.target))
        else:
            self.show_status(self.tr("Deleting all history…"))
        job.progress.connect(self._on_job_progress)
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self._on_job_failed)
        job.done.connect(self._on_job_done)

    @Slot(int)
    def _on_job_progress(self, percent: int) -> None:
        if percent < 0:
            self.progress_bar.setRange(0, 0)  # busy: one step with no figure
        else:
            self.progress_bar.setRange(0, 100)
            self.progress_bar.setValue(percent)

    @Slot(object)
    def _on_job_succeeded(self, result: object) -> None:
        job = self.job
        if job is None:
            return
        if job.kind == "export" and isinstance(result, ExportCounts):
            self._exported(result, job.target or Path())
        elif job.kind == "delete":
            # The job's own connection committed; the window's store reads the same
            # file and keeps nothing in memory, so a refresh shows the empty history.
            self.history_changed.emit()
            self.show_status(self.tr("All history was deleted."))

    @Slot(str)
    def _on_job_failed(self, reason: str) -> None:
        job = self.job
        if job is None:
            return
        if job.kind == "export":
            self.show_error(self.tr("Export failed. {reason}").format(reason=reason))
        else:
            self.show_error(self.tr("Deleting the history failed. {reason}").format(reason=reason))
            self.history_changed.emit()

    @Slot()
    def _on_job_done(self) -> None:
        self.job = None
        self.progress_bar.setRange(0, 100)
        self.progress_bar.hide()
        self.busy_changed.emit(False)

    def _exported(self, counts: ExportCounts, path: Path) -> None:
        events = (
            self.tr("1 event")
            if counts.events == 1
            else self.tr("{n} events").format(n=self._number(counts.events))
        )
        episodes = (
            self.tr("1 spasm episode")
            if counts.episodes == 1
            else self.tr("{n} spasm episodes").format(n=self._number(counts.episodes))
        )
        self.show_status(
            self.tr("Exported {events} and {episodes} to {path}").format(
                events=events, episodes=episodes, path=path
            )
        )

    def _number(self, n: int) -> str:
        return self._locale().toString(n)
