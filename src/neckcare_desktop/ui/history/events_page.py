"""The History window's Events tab: a filter by kind over the paged event table."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.core.history import Event, EventKind, HistoryStore
from neckcare_desktop.ui.history.event_model import (
    COL_DETAILS,
    COL_EVENT,
    COL_TIME,
    FILTERS,
    EventTableModel,
    EventTableView,
)


class EventsPage(QWidget):
    """ "Show: [kind]" above the events, newest first, and a line when there are none."""

    def __init__(self, store: HistoryStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_combo = QComboBox(self)
        self.filter_combo.setAccessibleName(self.tr("Show events of kind"))
        for text, key in (
            (self.tr("All"), "all"),
            (self.tr("Breaks"), "breaks"),
            (self.tr("Ice and heat"), "therapy"),
            (self.tr("Spasms"), "spasms"),
            (self.tr("Exercises"), "exercises"),
            (self.tr("App"), "app"),
        ):
            self.filter_combo.addItem(text, key)
        filter_label = QLabel(self.tr("&Show:"), self)
        filter_label.setBuddy(self.filter_combo)

        self.model = EventTableModel(store, self.locale, self)
        self.table = EventTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Events, newest first"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        # Uniform, compact rows: the view never has to measure rows it has not fetched.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(COL_TIME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_EVENT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_DETAILS, QHeaderView.ResizeMode.Stretch)
        # Fixed widths, not ResizeToContents: measuring contents would make the view
        # ask for every row, which is exactly what paging avoids.
        metrics = self.table.fontMetrics()
        # Measured on this language's words: a long weekday, a long event sentence.
        sample_time = self.model.format_time(datetime(2026, 9, 30, 0, 0))
        self.table.setColumnWidth(COL_TIME, metrics.horizontalAdvance(sample_time) + 24)
        self.table.setColumnWidth(COL_EVENT, self._event_column_width(metrics))

        self.empty_label = QLabel(self.tr("Nothing recorded yet."), self)
        self.empty_label.setAccessibleName(self.tr("No events"))
        self.empty_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        filter_row = QHBoxLayout()
        filter_row.addWidget(filter_label)
        filter_row.addWidget(self.filter_combo)
        filter_row.addStretch(1)
        layout.addLayout(filter_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)

    def _event_column_width(self, metrics: QFontMetrics) -> int:
        """Room for the long event sentences ("Posture break taken while away"), not more
        than a third of the window: the details column needs room too."""
        samples = (
            Event(0, datetime(2026, 1, 1), EventKind.BREAK_NATURAL, "posture", None, None, None),
            Event(0, datetime(2026, 1, 1), EventKind.THERAPY_OVERRUN, "heat", None, None, None),
            Event(0, datetime(2026, 1, 1), EventKind.BREAK_POSTPONED, "posture", None, None, None),
        )
        widest = max(metrics.horizontalAdvance(self.model.event_text(e)) for e in samples)
        return min(widest, 330) + 24

    def reload(self) -> str | None:
        """Read the first page of the chosen kind again; the store's complaint, if any."""
        key = self.filter_combo.currentData()
        self.model.set_kinds(FILTERS.get(key) if isinstance(key, str) else None)
        self.empty_label.setVisible(self.model.rowCount() == 0)
        return self.model.error
