"""A first, simple History window: today's and this week's totals plus the latest events.

Charts come later; this window only reads the store (it never records), so opening it
can never change what it shows. It refreshes every time it is shown, because the tray
app keeps it alive between openings while new events keep arriving.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.core.history import (
    APP_KINDS,
    BREAK_KINDS,
    THERAPY_KINDS,
    Event,
    EventKind,
    HistoryError,
    HistoryStore,
)

logger = logging.getLogger(__name__)

#: How many events the table shows; older ones are in the CSV export.
TABLE_LIMIT = 200

#: Filter key (stored as combo item data) → kinds shown; None means everything.
FILTERS: dict[str, frozenset[EventKind] | None] = {
    "all": None,
    "breaks": BREAK_KINDS,
    "therapy": THERAPY_KINDS,
    "app": APP_KINDS,
}

COL_TIME, COL_EVENT, COL_DURATION = range(3)


class HistoryWindow(QWidget):
    """Read-only view of the history store, with a kind filter and CSV export."""

    def __init__(
        self,
        store: HistoryStore,
        now: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # A top-level window even when parented, so it gets its own taskbar entry/title.
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(self.tr("History — NeckCare"))
        self.setAccessibleName(self.tr("History — NeckCare"))
        self._store = store
        self._now = now

        self.today_label = QLabel(self)
        self.today_label.setAccessibleName(self.tr("Today's summary"))
        self.week_label = QLabel(self)
        self.week_label.setAccessibleName(self.tr("Summary of the last 7 days"))
        for label in (self.today_label, self.week_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)

        self.filter_combo = QComboBox(self)
        self.filter_combo.setAccessibleName(self.tr("Show events of kind"))
        for text, key in (
            (self.tr("All"), "all"),
            (self.tr("Breaks"), "breaks"),
            (self.tr("Ice and heat"), "therapy"),
            (self.tr("App"), "app"),
        ):
            self.filter_combo.addItem(text, key)
        filter_label = QLabel(self.tr("&Show:"), self)
        filter_label.setBuddy(self.filter_combo)

        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setAccessibleName(self.tr("Refresh history"))
        self.export_button = QPushButton(self.tr("&Export CSV…"), self)
        self.export_button.setAccessibleName(self.tr("Export history as CSV"))

        self.table = QTableWidget(0, 3, self)
        self.table.setAccessibleName(self.tr("Recent events, newest first"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Event"), self.tr("Duration")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_TIME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_EVENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_DURATION, QHeaderView.ResizeMode.ResizeToContents)

        self.empty_label = QLabel(self.tr("Nothing recorded yet."), self)
        self.empty_label.setAccessibleName(self.tr("No events"))
        self.empty_label.hide()

        self.status_label = QLabel(self)
        self.status_label.setAccessibleName(self.tr("Status"))
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        controls = QHBoxLayout()
        controls.addWidget(filter_label)
        controls.addWidget(self.filter_combo)
        controls.addStretch(1)
        controls.addWidget(self.refresh_button)
        controls.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.today_label)
        layout.addWidget(self.week_label)
        layout.addLayout(controls)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.status_label)
        self.resize(640, 480)

        self.filter_combo.currentIndexChanged.connect(self._refresh_table)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export_csv)

    # ------------------------------------------------------------------ Qt events

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Escape closes, like a dialog: this is a glance-and-go window.
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            event.accept()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ refreshing

    def refresh(self) -> None:
        """Re-read the summary and the table from the store."""
        self._refresh_summary()
        self._refresh_table()

    def _refresh_summary(self) -> None:
        now = self._now()
        day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        tomorrow = day_start + timedelta(days=1)
        week_start = day_start - timedelta(days=6)
        try:
            today = self._summary(day_start, tomorrow)
            week = self._summary(week_start, tomorrow)
        except HistoryError as exc:
            logger.warning("Could not read the history summary: %s", exc)
            self._show_error(str(exc))
            return
        self.today_label.setText(self.tr("Today: {summary}").format(summary=today))
        self.week_label.setText(self.tr("Last 7 days: {summary}").format(summary=week))

    def _summary(self, start: datetime, end: datetime) -> str:
        counts = self._store.counts_between(start, end)
        therapy = self._store.therapy_seconds_between(start, end)
        completed = counts[EventKind.BREAK_COMPLETED]
        breaks = (
            self.tr("1 break completed")
            if completed == 1
            else self.tr("{n} breaks completed").format(n=self._number(completed))
        )
        skipped = self.tr("{n} skipped").format(n=self._number(counts[EventKind.BREAK_SKIPPED]))
        postponed = self.tr("{n} postponed").format(
            n=self._number(counts[EventKind.BREAK_POSTPONED])
        )
        ice = self.tr("Ice {minutes} min").format(minutes=self._minutes(therapy["ice"]))
        heat = self.tr("Heat {minutes} min").format(minutes=self._minutes(therapy["heat"]))
        return f"{breaks}, {skipped}, {postponed} · {ice} · {heat}"

    def _refresh_table(self) -> None:
        key = self.filter_combo.currentData()
        kinds = FILTERS.get(key) if isinstance(key, str) else None
        try:
            events = self._store.recent(TABLE_LIMIT, kinds)
        except HistoryError as exc:
            logger.warning("Could not read recent history: %s", exc)
            self._show_error(str(exc))
            return
        self.table.setRowCount(len(events))
        for row, event in enumerate(events):
            time_item = QTableWidgetItem(self.format_time(event.at))
            time_item.setData(Qt.ItemDataRole.UserRole, event.id)
            event_item = QTableWidgetItem(self.event_text(event))
            if event.note:
                event_item.setToolTip(event.note)
            duration_item = QTableWidgetItem(self.duration_text(event))
            self.table.setItem(row, COL_TIME, time_item)
            self.table.setItem(row, COL_EVENT, event_item)
            self.table.setItem(row, COL_DURATION, duration_item)
        self.empty_label.setVisible(not events)

    # ------------------------------------------------------------------ text

    def format_time(self, at: datetime) -> str:
        """ "Mon 2 Mar 09:14", in the wall-clock time the event was recorded with.

        The recorded offset is kept rather than converting to today's offset: a break
        taken at 09:14 before a DST change should still read 09:14 afterwards.
        """
        day = self.locale().toString(QDate(at.year, at.month, at.day), "ddd d MMM")
        return f"{day} {at.hour:02d}:{at.minute:02d}"

    def event_text(self, event: Event) -> str:
        """A human sentence for an event, e.g. "Posture break completed"."""
        kind, subject = event.kind, event.subject
        texts: dict[tuple[EventKind, str | None], str] = {
            (EventKind.BREAK_DUE, "micro"): self.tr("Micro-break due"),
            (EventKind.BREAK_DUE, "posture"): self.tr("Posture break due"),
            (EventKind.BREAK_DUE, None): self.tr("Break due"),
            (EventKind.BREAK_STARTED, "micro"): self.tr("Micro-break started"),
            (EventKind.BREAK_STARTED, "posture"): self.tr("Posture break started"),
            (EventKind.BREAK_STARTED, None): self.tr("Break started"),
            (EventKind.BREAK_COMPLETED, "micro"): self.tr("Micro-break completed"),
            (EventKind.BREAK_COMPLETED, "posture"): self.tr("Posture break completed"),
            (EventKind.BREAK_COMPLETED, None): self.tr("Break completed"),
            (EventKind.BREAK_POSTPONED, "micro"): self.tr("Micro-break postponed"),
            (EventKind.BREAK_POSTPONED, "posture"): self.tr("Posture break postponed"),
            (EventKind.BREAK_POSTPONED, None): self.tr("Break postponed"),
            (EventKind.BREAK_SKIPPED, "micro"): self.tr("Micro-break skipped"),
            (EventKind.BREAK_SKIPPED, "posture"): self.tr("Posture break skipped"),
            (EventKind.BREAK_SKIPPED, None): self.tr("Break skipped"),
            (EventKind.BREAK_NATURAL, "micro"): self.tr("Micro-break taken while away"),
            (EventKind.BREAK_NATURAL, "posture"): self.tr("Posture break taken while away"),
            (EventKind.BREAK_NATURAL, None): self.tr("Break taken while away"),
            (EventKind.THERAPY_OVERRUN, "ice"): self.tr("Ice left on past its end"),
            (EventKind.THERAPY_OVERRUN, "heat"): self.tr("Heat left on past its end"),
            (EventKind.THERAPY_OVERRUN, None): self.tr("Therapy left on past its end"),
            (EventKind.HYDRATION_REMINDER, None): self.tr("Reminder to drink water"),
            (EventKind.THERAPY_STARTED, "ice"): self.tr("Ice started"),
            (EventKind.THERAPY_STARTED, "heat"): self.tr("Heat started"),
            (EventKind.THERAPY_STARTED, None): self.tr("Therapy started"),
            (EventKind.THERAPY_COMPLETED, "ice"): self.tr("Ice completed"),
            (EventKind.THERAPY_COMPLETED, "heat"): self.tr("Heat completed"),
            (EventKind.THERAPY_COMPLETED, None): self.tr("Therapy completed"),
            (EventKind.THERAPY_STOPPED_EARLY, "ice"): self.tr("Ice stopped early"),
            (EventKind.THERAPY_STOPPED_EARLY, "heat"): self.tr("Heat stopped early"),
            (EventKind.THERAPY_STOPPED_EARLY, None): self.tr("Therapy stopped early"),
            (EventKind.APP_STARTED, None): self.tr("NeckCare started"),
            (EventKind.APP_QUIT, None): self.tr("NeckCare quit"),
        }
        # An unknown subject (from a later version) falls back to the generic sentence.
        return texts.get((kind, subject)) or texts.get((kind, None)) or str(kind)

    def duration_text(self, event: Event) -> str:
        """ "15 min planned, 9 min taken", or whichever half is known."""
        parts = []
        if event.planned_seconds is not None:
            parts.append(
                self.tr("{duration} planned").format(duration=self._duration(event.planned_seconds))
            )
        if event.actual_seconds is not None:
            parts.append(
                self.tr("{duration} taken").format(duration=self._duration(event.actual_seconds))
            )
        return ", ".join(parts)

    def _duration(self, seconds: int) -> str:
        # Micro-breaks last seconds, therapy lasts minutes: show whichever reads naturally.
        minutes, secs = divmod(seconds, 60)
        if minutes == 0:
            return self.tr("{s} s").format(s=secs)
        if secs == 0:
            return self.tr("{m} min").format(m=self._number(minutes))
        return self.tr("{m} min {s} s").format(m=self._number(minutes), s=secs)

    @staticmethod
    def _minutes(seconds: int) -> int:
        """Whole minutes, rounding half up, for the summary line."""
        return (seconds + 30) // 60

    def _number(self, n: int) -> str:
        return self.locale().toString(n)

    # ------------------------------------------------------------------ export

    def ask_export_path(self) -> Path | None:
        """Ask where to save the CSV; None if the person cancels. Tests replace this."""
        suggested = Path.home() / f"neckcare-history-{self._now().date().isoformat()}.csv"
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export history as CSV"),
            str(suggested),
            self.tr("CSV files (*.csv)"),
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix else path.with_suffix(".csv")

    def export_csv(self) -> None:
        """Ask for a file, write every event to it, and say how it went."""
        path = self.ask_export_path()
        if path is None:
            return
        try:
            count = self._store.export_csv(path)
        except (HistoryError, OSError) as exc:
            logger.warning("CSV export to %s failed: %s", path, exc)
            self._show_error(self.tr("Export failed. {reason}").format(reason=exc))
            return
        if count == 1:
            text = self.tr("Exported 1 event to {path}").format(path=path)
        else:
            text = self.tr("Exported {n} events to {path}").format(n=self._number(count), path=path)
        self._show_status(text)

    def _show_status(self, text: str) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(text)

    def _show_error(self, text: str) -> None:
        # Colour is a hint only; the words carry the meaning for screen readers too.
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(text)
