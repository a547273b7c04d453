"""The History window: breaks, ice, heat and spasms per day, a streak, and every event.

Why it is built this way:

* **Only this module imports QtCharts**, and the app imports this module on first use,
  so the tray starts without loading the charts library.
* **Nothing here reads all rows.** Charts come from :meth:`HistoryStore.daily_summary`
  (SQL ``GROUP BY`` day over an index: at most 90 rows come back), and the event table is
  a model that fetches pages of :data:`PAGE_SIZE` with keyset pagination only when the
  view scrolls to them. A ten-year history opens as fast as a new one.
* **Days are local days as recorded**: a break at 23:30 in one time zone stays on that
  day after travelling, which is what the person remembers.
* It only reads the store, except for "Delete all history…", which asks first. It
  refreshes every time it is shown, because the tray app keeps it alive between
  openings while new events keep arriving.
* **Export and delete run on a worker thread** (:mod:`neckcare_desktop.history_jobs`),
  with a progress bar in the window; both buttons wait while one runs, so a job cannot
  be started twice, and the tray, break window and alerts stay alive meanwhile.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Collection
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QLocale,
    QMargins,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    Qt,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFont,
    QKeyEvent,
    QPainter,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.core import guidance
from neckcare_desktop.core.history import (
    APP_KINDS,
    BREAK_KINDS,
    PAGE_SIZE,
    SPASM_KINDS,
    THERAPY_KINDS,
    DaySummary,
    Episode,
    Event,
    EventKind,
    ExportCounts,
    HistoryError,
    HistoryStore,
)
from neckcare_desktop.core.history_totals import range_totals
from neckcare_desktop.history_jobs import HistoryJob, JobKind
from neckcare_desktop.platform.open_folder import open_folder
from neckcare_desktop.ui.placement import FittingScrollArea, fit_to_screen

logger = logging.getLogger(__name__)

#: Filter key (stored as combo item data) → kinds shown; None means everything.
FILTERS: dict[str, frozenset[EventKind] | None] = {
    "all": None,
    "breaks": BREAK_KINDS,
    "therapy": THERAPY_KINDS,
    "spasms": SPASM_KINDS,
    "app": APP_KINDS,
}

#: The ranges the charts offer, in days.
RANGES: tuple[int, ...] = (7, 30, 90)


def nearest_range(days: int) -> int:
    """The range the window offers closest to ``days`` (the longer one on a tie)."""
    return min(RANGES, key=lambda r: (abs(r - days), -r))


#: Breaks a day needs to count towards the streak.
STREAK_GOAL = 6

COL_TIME, COL_EVENT, COL_DETAILS = range(3)

#: The (invalid) root index: this is a flat table.
_ROOT = QModelIndex()

# Colours carry no meaning on their own: every series is named in the legend and the
# totals line says the same numbers in words.
COLOURS = {
    "completed": "#2e7d32",
    "natural": "#7cb342",
    "postponed": "#f2a900",
    "skipped": "#9e9e9e",
    "ice": "#3b82c4",
    "heat": "#e0703a",
    "pain": "#b0185e",
}


# --------------------------------------------------------------------------- event table


class EventTableModel(QAbstractTableModel):
    """Events newest first, read from the store a page at a time as the view scrolls.

    Qt asks :meth:`canFetchMore` / :meth:`fetchMore` only when the last row comes into
    view, so opening the window reads one page, and scrolling reads the next; the
    keyset cursor keeps each page an index range read however deep the scroll goes.
    ``fetched_rows`` counts rows read since the last reset (tests check it).
    """

    def __init__(
        self,
        store: HistoryStore,
        locale: Callable[[], QLocale],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._locale = locale
        self._kinds: frozenset[EventKind] | None = None
        self._events: list[Event] = []
        self._cursor: tuple[float, int] | None = None
        self._exhausted = False
        self.fetched_rows = 0
        self.error: str | None = None

    # -- loading

    def set_kinds(self, kinds: Collection[EventKind] | None) -> None:
        """Show only ``kinds`` (None: all) and start again from the newest event."""
        self._kinds = None if kinds is None else frozenset(kinds)
        self.reload()

    def reload(self) -> None:
        """Forget what was read and read the first page again."""
        self.beginResetModel()
        self._events = []
        self._cursor = None
        self._exhausted = False
        self.fetched_rows = 0
        self.error = None
        self.endResetModel()
        # The first page now, not when a (maybe hidden) view asks: the window needs to
        # know at once whether there is anything to show.
        self.fetchMore(QModelIndex())

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if parent.isValid() or self._exhausted:
            return
        try:
            page = self._store.events_page(self._kinds, self._cursor, PAGE_SIZE)
        except HistoryError as exc:
            logger.warning("Could not read history events: %s", exc)
            self.error = str(exc)
            self._exhausted = True
            return
        self._cursor = page.cursor
        self._exhausted = page.cursor is None
        if not page.events:
            return
        first = len(self._events)
        self.beginInsertRows(QModelIndex(), first, first + len(page.events) - 1)
        self._events.extend(page.events)
        self.fetched_rows += len(page.events)
        self.endInsertRows()

    # -- Qt model

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Time"), self.tr("Event"), self.tr("Details"))[section]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._events):
            return None
        event = self._events[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_TIME:
                return self.format_time(event.at)
            if column == COL_EVENT:
                return self.event_text(event)
            return self.details_text(event)
        if role == Qt.ItemDataRole.ToolTipRole and event.note:
            return event.note if event.kind in SPASM_KINDS else self.note_text(event.note)
        if role == Qt.ItemDataRole.UserRole:
            return event.id
        return None

    def event_at(self, row: int) -> Event:
        return self._events[row]

    # -- text

    def format_time(self, at: datetime) -> str:
        """ "Mon 2 Mar 09:14", in the wall-clock time the event was recorded with.

        The recorded offset is kept rather than converting to today's offset: a break
        taken at 09:14 before a DST change should still read 09:14 afterwards.
        """
        day = self._locale().toString(QDate(at.year, at.month, at.day), "ddd d MMM yyyy")
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
            (EventKind.BREAK_INTERRUPTED, "micro"): self.tr("Micro-break interrupted"),
            (EventKind.BREAK_INTERRUPTED, "posture"): self.tr("Posture break interrupted"),
            (EventKind.BREAK_INTERRUPTED, None): self.tr("Break interrupted"),
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
            (EventKind.THERAPY_CANCELLED, "ice"): self.tr("Ice cancelled (stopped within 2 min)"),
            (EventKind.THERAPY_CANCELLED, "heat"): self.tr("Heat cancelled (stopped within 2 min)"),
            (EventKind.THERAPY_CANCELLED, None): self.tr("Therapy cancelled"),
            (EventKind.WATCHDOG_REPAIR, "ice"): self.tr("Lost ice alert raised late"),
            (EventKind.WATCHDOG_REPAIR, "heat"): self.tr("Lost heat alert raised late"),
            (EventKind.WATCHDOG_REPAIR, None): self.tr("Lost break reminder planned again"),
            (EventKind.SPASM_LOGGED, None): self.tr("Neck spasm started"),
            (EventKind.SPASM_PAIN_UPDATED, None): self.tr("Spasm pain updated"),
            (EventKind.SPASM_RESOLVED, None): self.tr("Spasm resolved"),
            (EventKind.APP_STARTED, None): self.tr("NeckCare started"),
            (EventKind.APP_QUIT, None): self.tr("NeckCare quit"),
        }
        if kind is EventKind.BREAK_COMPLETED and event.note == "ended early":
            # Ended early after at least half its length (core.breaks.counts_as_taken):
            # taken, and the table says it was shorter; the details give the real length.
            texts = {
                (kind, "micro"): self.tr("Micro-break completed (shortened)"),
                (kind, "posture"): self.tr("Posture break completed (shortened)"),
                (kind, None): self.tr("Break completed (shortened)"),
            }
        # An unknown subject (from a later version) falls back to the generic sentence.
        return texts.get((kind, subject)) or texts.get((kind, None)) or str(kind)

    def note_text(self, note: str) -> str:
        """A note NeckCare wrote itself (see core.engine), in the person's language.

        History keeps notes as written, in English, so the file and the CSV export read
        the same whatever language the app shows; anything else is shown as it is.
        """
        fixed = {
            "ended early": self.tr("ended early"),
            "from warning": self.tr("from warning"),
            "asleep": self.tr("asleep"),
            "clock moved ahead": self.tr("clock moved ahead"),
            # core.break_recovery's notes for a break NeckCare's end cut short.
            "NeckCare stopped unexpectedly during the break": self.tr(
                "NeckCare stopped unexpectedly during the break"
            ),
            "NeckCare quit during the break": self.tr("NeckCare quit during the break"),
        }
        if note in fixed:
            return fixed[note]
        if match := re.fullmatch(r"postpone (\d+)", note):
            return self.tr("postpone {n}").format(n=match[1])
        if match := re.fullmatch(r"NeckCare was not running at the planned end (\S+)", note):
            return self.tr("NeckCare was not running at the planned end {when}").format(
                when=match[1]
            )
        if match := re.fullmatch(
            r"the alert came late: the computer was asleep or the clock moved at "
            r"the planned end (\S+)",
            note,
        ):
            return self.tr(
                "the alert came late: the computer was asleep or the clock moved at "
                "the planned end {when}"
            ).format(when=match[1])
        return note

    def details_text(self, event: Event) -> str:
        """ "15 min planned, 9 min taken", "pain 6 of 10", or whichever part is known."""
        parts = []
        if event.pain is not None:
            parts.append(self.tr("pain {pain} of 10").format(pain=event.pain))
        if event.planned_seconds is not None:
            parts.append(
                self.tr("{duration} planned").format(duration=self._duration(event.planned_seconds))
            )
        if event.actual_seconds is not None:
            parts.append(
                self.tr("{duration} taken").format(duration=self._duration(event.actual_seconds))
            )
        if event.note and event.kind in SPASM_KINDS:
            parts.append(event.note)
        return ", ".join(parts)

    def _duration(self, seconds: int) -> str:
        # Micro-breaks last seconds, therapy lasts minutes: show whichever reads naturally.
        minutes, secs = divmod(seconds, 60)
        if minutes == 0:
            return self.tr("{s} s").format(s=secs)
        if secs == 0:
            return self.tr("{m} min").format(m=self._locale().toString(minutes))
        return self.tr("{m} min {s} s").format(m=self._locale().toString(minutes), s=secs)


class EventTableView(QTableView):
    """The event table; keeps the old QTableWidget ``rowCount()`` (benchmarks use it)."""

    def rowCount(self) -> int:
        model = self.model()
        return 0 if model is None else model.rowCount()


# --------------------------------------------------------------------------- window


class HistoryWindow(QWidget):
    """Charts per day for 7/30/90 days, totals and streak, the event table, export and delete."""

    def __init__(
        self,
        store: HistoryStore,
        now: Callable[[], datetime],
        parent: QWidget | None = None,
        *,
        days_off: Callable[[], Collection[int]] = frozenset,
        test_mode: bool = False,
    ) -> None:
        """``days_off``: weekdays (0 = Monday) outside working hours, asked at each refresh
        so a change in Settings shows at once; they do not break the streak.
        ``test_mode``: time is compressed and this is the separate demo history."""
        super().__init__(parent)
        # A top-level window even when parented, so it gets its own taskbar entry/title.
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(
            self.tr("History (test mode) — NeckCare")
            if test_mode
            else self.tr("History — NeckCare")
        )
        self.setAccessibleName(self.tr("History — NeckCare"))
        self._store = store
        self._now = now
        self._days_off = days_off
        self._range_days = RANGES[0]
        self.summaries: list[DaySummary] = []

        # -- range and refresh
        self.range_group = QButtonGroup(self)
        self.range_group.setExclusive(True)
        self.range_buttons: dict[int, QPushButton] = {}
        range_row = QHBoxLayout()
        range_row.setSpacing(0)
        for days in RANGES:
            button = QPushButton(self.tr("{n} days").format(n=days), self)
            button.setCheckable(True)
            button.setAccessibleName(self.tr("Show the last {n} days").format(n=days))
            widest = self.tr("{n} days").format(n="000")
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(widest) + 24)
            self.range_group.addButton(button, days)
            self.range_buttons[days] = button
            range_row.addWidget(button)
        self.range_buttons[self._range_days].setChecked(True)
        self.range_group.idClicked.connect(self.set_range_days)

        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setAccessibleName(self.tr("Refresh history"))

        # -- summary lines
        self.totals_label = QLabel(self)
        self.totals_label.setAccessibleName(self.tr("Totals for the chosen days"))
        self.streak_label = QLabel(self)
        self.streak_label.setAccessibleName(self.tr("Streak of days with enough breaks"))
        streak_font = QFont(self.streak_label.font())
        streak_font.setBold(True)
        self.streak_label.setFont(streak_font)
        self.phase_label = QLabel(self)
        self.phase_label.setAccessibleName(self.tr("Open neck spasm"))
        for label in (self.totals_label, self.streak_label, self.phase_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
        self.phase_label.hide()
        # Said in words, not only in the title: demo numbers must never pass for real ones.
        self.test_mode_label = QLabel(
            self.tr(
                "Test mode: time runs faster and this is a separate demo history; "
                "your real history is not shown and not written."
            ),
            self,
        )
        self.test_mode_label.setWordWrap(True)
        self.test_mode_label.setVisible(test_mode)

        # -- charts
        self._build_charts()
        charts_page = QWidget(self)
        charts_layout = QVBoxLayout(charts_page)
        charts_layout.setContentsMargins(0, 6, 0, 0)
        charts_layout.addWidget(self.breaks_view, 1)
        charts_layout.addWidget(self.care_view, 1)
        # On a short screen (a laptop at 150 %) the two charts keep a readable height
        # and scroll, instead of the window growing past the screen.
        self.charts_scroll = FittingScrollArea(charts_page, self)

        # -- events table
        self.filter_combo = QComboBox(self)
        self.filter_combo.setAccessibleName(self.tr("Show events of kind"))
        for text, key in (
            (self.tr("All"), "all"),
            (self.tr("Breaks"), "breaks"),
            (self.tr("Ice and heat"), "therapy"),
            (self.tr("Spasms"), "spasms"),
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

        events_page = QWidget(self)
        events_layout = QVBoxLayout(events_page)
        events_layout.setContentsMargins(0, 6, 0, 0)
        filter_row = QHBoxLayout()
        filter_row.addWidget(filter_label)
        filter_row.addWidget(self.filter_combo)
        filter_row.addStretch(1)
        events_layout.addLayout(filter_row)
        events_layout.addWidget(self.table, 1)
        events_layout.addWidget(self.empty_label)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("History views"))
        self.tabs.addTab(self.charts_scroll, self.tr("&Charts"))
        self.tabs.addTab(events_page, self.tr("&Events"))

        # -- export and control
        self.export_button = QPushButton(self.tr("&Export CSV…"), self)
        self.export_button.setAccessibleName(self.tr("Export history as CSV"))
        self.open_folder_button = QPushButton(self.tr("&Open data folder"), self)
        self.open_folder_button.setAccessibleName(self.tr("Open the folder with the history file"))
        self.open_folder_button.setEnabled(store.path is not None)
        self.delete_button = QPushButton(self.tr("&Delete all history…"), self)
        self.delete_button.setAccessibleName(self.tr("Delete all history"))

        self.progress_bar = QProgressBar(self)
        self.progress_bar.setAccessibleName(self.tr("Progress of the export or deletion"))
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setMaximumWidth(200)
        self.progress_bar.hide()
        #: The export or deletion running now, if any.
        self.job: HistoryJob | None = None
        self._export_path = Path()

        self.status_label = QLabel(self)
        self.status_label.setAccessibleName(self.tr("Status"))
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # -- layout
        top = QHBoxLayout()
        top.addLayout(range_row)
        top.addSpacing(16)
        top.addWidget(self.streak_label, 1)
        top.addWidget(self.refresh_button)

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.progress_bar)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.open_folder_button)
        bottom.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.test_mode_label)
        layout.addWidget(self.totals_label)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(line)
        layout.addLayout(bottom)
        self.resize(1000, 760)

        self.filter_combo.currentIndexChanged.connect(self._refresh_table)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export_csv)
        self.open_folder_button.clicked.connect(self._open_data_folder)
        self.delete_button.clicked.connect(self.delete_all)

    def _event_column_width(self, metrics) -> int:
        """Room for the long event sentences ("Posture break taken while away"), not more
        than a third of the window: the details column needs room too."""
        samples = (
            Event(0, datetime(2026, 1, 1), EventKind.BREAK_NATURAL, "posture", None, None, None),
            Event(0, datetime(2026, 1, 1), EventKind.THERAPY_OVERRUN, "heat", None, None, None),
            Event(0, datetime(2026, 1, 1), EventKind.BREAK_POSTPONED, "posture", None, None, None),
        )
        widest = max(metrics.horizontalAdvance(self.model.event_text(e)) for e in samples)
        return min(widest, 330) + 24

    # ------------------------------------------------------------------ charts

    def _build_charts(self) -> None:
        # -- breaks: stacked bars per day
        self.completed_set = self._bar_set(self.tr("Completed"), "completed")
        self.natural_set = self._bar_set(self.tr("Taken while away"), "natural")
        self.skipped_set = self._bar_set(self.tr("Skipped"), "skipped")
        self.breaks_series = QStackedBarSeries()
        self.breaks_series.setName(self.tr("Breaks"))
        # A bar is the day's breaks, each counted once by how it ended. A postponement
        # is not a break (a break postponed twice, then taken, is one break): stacking
        # it made a day of 7 breaks look like 13. It gets its own line instead.
        for bar_set in (self.completed_set, self.natural_set, self.skipped_set):
            self.breaks_series.append(bar_set)
        self.breaks_series.setBarWidth(0.7)
        self.breaks_chart = self._chart(self.tr("Breaks per day"))
        self.breaks_chart.addSeries(self.breaks_series)
        self.breaks_days_axis = self._days_axis()
        self.breaks_count_axis = self._value_axis(self.tr("breaks"))
        self.breaks_chart.addAxis(self.breaks_days_axis, Qt.AlignmentFlag.AlignBottom)
        self.breaks_chart.addAxis(self.breaks_count_axis, Qt.AlignmentFlag.AlignLeft)
        self.breaks_series.attachAxis(self.breaks_days_axis)
        self.breaks_series.attachAxis(self.breaks_count_axis)
        self.postponed_line = QLineSeries()
        self.postponed_line.setName(self.tr("Postponements"))
        self.postponed_line.setColor(QColor(COLOURS["postponed"]))
        self.postponed_line.setPointsVisible(True)
        self.breaks_chart.addSeries(self.postponed_line)
        self.postponed_line.attachAxis(self.breaks_days_axis)
        self.postponed_line.attachAxis(self.breaks_count_axis)
        self.breaks_view = self._chart_view(self.breaks_chart, self.tr("Chart of breaks per day"))
        self.breaks_series.hovered.connect(self._on_breaks_hovered)

        # -- care: ice and heat minutes as bars, spasm pain as points on a 0-10 axis
        self.ice_set = self._bar_set(self.tr("Ice (min)"), "ice")
        self.heat_set = self._bar_set(self.tr("Heat (min)"), "heat")
        self.therapy_series = QBarSeries()
        self.therapy_series.setName(self.tr("Ice and heat"))
        self.therapy_series.append(self.ice_set)
        self.therapy_series.append(self.heat_set)
        self.therapy_series.setBarWidth(0.75)
        self.pain_series = QScatterSeries()
        self.pain_series.setName(self.tr("Spasm started (worst pain, 0–10)"))
        self.pain_series.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeCircle)
        self.pain_series.setMarkerSize(11.0)
        self.pain_series.setColor(QColor(COLOURS["pain"]))
        self.pain_series.setBorderColor(QColor("#ffffff"))
        self.care_chart = self._chart(self.tr("Ice, heat and neck spasms per day"))
        self.care_chart.addSeries(self.therapy_series)
        self.care_chart.addSeries(self.pain_series)
        self.care_days_axis = self._days_axis()
        self.minutes_axis = self._value_axis(self.tr("minutes"))
        self.pain_axis = self._value_axis(self.tr("pain"))
        self.pain_axis.setRange(0, 10)
        self.pain_axis.setTickCount(6)
        self.pain_axis.setGridLineVisible(False)
        self.care_chart.addAxis(self.care_days_axis, Qt.AlignmentFlag.AlignBottom)
        self.care_chart.addAxis(self.minutes_axis, Qt.AlignmentFlag.AlignLeft)
        self.care_chart.addAxis(self.pain_axis, Qt.AlignmentFlag.AlignRight)
        self.therapy_series.attachAxis(self.care_days_axis)
        self.therapy_series.attachAxis(self.minutes_axis)
        self.pain_series.attachAxis(self.care_days_axis)
        self.pain_series.attachAxis(self.pain_axis)
        self.care_view = self._chart_view(
            self.care_chart, self.tr("Chart of ice and heat minutes and neck spasms per day")
        )
        self.therapy_series.hovered.connect(self._on_therapy_hovered)
        self.pain_series.hovered.connect(self._on_pain_hovered)

    def _bar_set(self, name: str, colour: str) -> QBarSet:
        bar_set = QBarSet(name)
        bar_set.setColor(QColor(COLOURS[colour]))
        bar_set.setBorderColor(QColor(COLOURS[colour]))
        return bar_set

    def _chart(self, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        title_font = QFont(self.font())
        title_font.setBold(True)
        chart.setTitleFont(title_font)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundRoundness(0)
        chart.setMargins(QMargins(4, 4, 18, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        chart.legend().setFont(self.font())
        return chart

    def _days_axis(self) -> QCategoryAxis:
        """An x axis of day indexes (bar i is day i) that labels only some days.

        Not QBarCategoryAxis: that one labels every bar, and at 90 bars each label gets
        a few pixels and is elided to "…". Here labels sit on chosen days (every day for
        a week, every 7th or 14th day counting back from today beyond) and the hover
        tooltips name every day.
        """
        axis = QCategoryAxis()
        axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        axis.setGridLineVisible(False)
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.9))
        axis.setLabelsFont(small)
        return axis

    def _value_axis(self, title: str) -> QValueAxis:
        axis = QValueAxis()
        axis.setLabelFormat("%d")
        axis.setTitleText(title)
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.9))
        axis.setTitleFont(small)
        axis.setLabelsFont(small)
        axis.setGridLineColor(QColor("#e3e3e3"))
        return axis

    def _chart_view(self, chart: QChart, name: str) -> QChartView:
        view = QChartView(chart, self)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        # One white surface per chart, not a white card inside a grey frame.
        view.setFrameShape(QFrame.Shape.NoFrame)
        view.setBackgroundBrush(chart.backgroundBrush())
        view.setAccessibleName(name)
        view.setMinimumHeight(220)
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        return view

    @staticmethod
    def _nice_range(axis: QValueAxis, highest: float, minimum_top: int = 4) -> None:
        """0 to a round top above ``highest``, with whole-number ticks (at most ~6 of them)."""
        # A little headroom so the tallest bar never touches the frame.
        top = max(float(minimum_top), highest * 1.08)
        raw_step = top / 5
        magnitude = 10 ** math.floor(math.log10(raw_step))
        step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
        step = max(1, math.ceil(step))
        ticks = math.ceil(top / step)
        axis.setRange(0, ticks * step)
        axis.setTickCount(ticks + 1)

    def day_labels(self, days: list[date]) -> dict[int, str]:
        """Which bar indexes get a label, and the label: weekday + day for a week,
        day + month every 7th (30 days) or 14th (90 days) day back from today."""
        locale = self.locale()
        if len(days) <= 7:
            return {
                i: locale.toString(QDate(d.year, d.month, d.day), "ddd d")
                for i, d in enumerate(days)
            }
        every = 7 if len(days) <= 31 else 14
        last = len(days) - 1
        return {
            i: locale.toString(QDate(d.year, d.month, d.day), "d MMM")
            for i, d in enumerate(days)
            if (last - i) % every == 0
        }

    def day_text(self, index: int) -> str:
        """ "Tue 17 Mar" for bar ``index`` of the current range (for tooltips)."""
        d = self.summaries[index].day
        return self.locale().toString(QDate(d.year, d.month, d.day), "ddd d MMM")

    def _on_breaks_hovered(self, status: bool, index: int, _bar_set: QBarSet) -> None:
        if not status or not 0 <= index < len(self.summaries):
            QToolTip.hideText()
            return
        s = self.summaries[index]
        QToolTip.showText(
            QCursor.pos(),
            self.tr(
                "{day}: {completed} completed, {natural} while away, "
                "{postponed} postponed, {skipped} skipped"
            ).format(
                day=self.day_text(index),
                completed=s.completed,
                natural=s.natural,
                postponed=s.postponed,
                skipped=s.skipped,
            ),
            self.breaks_view,
        )

    def _on_therapy_hovered(self, status: bool, index: int, _bar_set: QBarSet) -> None:
        if not status or not 0 <= index < len(self.summaries):
            QToolTip.hideText()
            return
        s = self.summaries[index]
        QToolTip.showText(
            QCursor.pos(),
            self.tr("{day}: ice {ice} min, heat {heat} min").format(
                day=self.day_text(index),
                ice=self._minutes(s.ice_seconds),
                heat=self._minutes(s.heat_seconds),
            ),
            self.care_view,
        )

    def _on_pain_hovered(self, point: QPointF, state: bool) -> None:
        index = round(point.x())
        if not state or not 0 <= index < len(self.summaries):
            QToolTip.hideText()
            return
        s = self.summaries[index]
        QToolTip.showText(
            QCursor.pos(),
            self.tr("{day}: {n} spasm(s) started, worst pain {pain} of 10").format(
                day=self.day_text(index), n=s.episodes, pain=s.max_pain
            ),
            self.care_view,
        )

    def _fill_charts(self, summaries: list[DaySummary]) -> None:
        labels = self.day_labels([s.day for s in summaries])
        for axis in (self.breaks_days_axis, self.care_days_axis):
            for old in axis.categoriesLabels():
                axis.remove(old)
            axis.setStartValue(-0.5)
            axis.setRange(-0.5, len(summaries) - 0.5)
            for index, text in labels.items():
                axis.append(text, index)
        values = {
            self.completed_set: [s.completed for s in summaries],
            self.natural_set: [s.natural for s in summaries],
            self.skipped_set: [s.skipped for s in summaries],
            self.ice_set: [s.ice_seconds / 60 for s in summaries],
            self.heat_set: [s.heat_seconds / 60 for s in summaries],
        }
        for bar_set, numbers in values.items():
            if bar_set.count():
                bar_set.remove(0, bar_set.count())
            bar_set.append([float(n) for n in numbers])
        self.pain_series.replace(
            [QPointF(i, s.max_pain) for i, s in enumerate(summaries) if s.max_pain is not None]
        )
        self.postponed_line.replace([QPointF(i, s.postponed) for i, s in enumerate(summaries)])
        day_totals = [max(s.breaks_due, s.postponed) for s in summaries]
        self._nice_range(self.breaks_count_axis, max(day_totals, default=0))
        minutes = [max(s.ice_seconds, s.heat_seconds) / 60 for s in summaries]
        self._nice_range(self.minutes_axis, max(minutes, default=0), minimum_top=20)
        self.breaks_view.setAccessibleDescription(self.totals_label.text())
        self.care_view.setAccessibleDescription(self.totals_label.text())

    # ------------------------------------------------------------------ Qt events

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            fit_to_screen(self)
        self.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Escape closes, like a dialog: this is a glance-and-go window.
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            event.accept()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LocaleChange and self.isVisible():
            self.refresh()

    # ------------------------------------------------------------------ refreshing

    @property
    def range_days(self) -> int:
        return self._range_days

    def set_range_days(self, days: int) -> None:
        """Show the last ``days`` days (7, 30 or 90) in the charts and totals."""
        if days not in RANGES:
            raise ValueError(f"range must be one of {RANGES}, got {days}")
        self._range_days = days
        button = self.range_buttons[days]
        if not button.isChecked():
            button.setChecked(True)
        self._refresh_charts()

    def refresh(self) -> None:
        """Re-read charts, totals, streak, phase and the first page of events."""
        self._refresh_charts()
        self._refresh_table()

    def _refresh_charts(self) -> None:
        now = self._now()
        today = now.date()
        first = today - timedelta(days=self._range_days - 1)
        try:
            self.summaries = self._store.daily_summary(first, today)
            days_off = frozenset(self._days_off())
            streak = self._store.streak(today, STREAK_GOAL, days_off=days_off)
            latest = self._store.latest_unresolved_episode()
        except HistoryError as exc:
            logger.warning("Could not read the history summary: %s", exc)
            self._show_error(str(exc))
            return
        self.totals_label.setText(self.totals_text(self.summaries))
        self.streak_label.setText(self.streak_text(streak, working_days=bool(days_off)))
        self._show_phase(latest, now)
        self._fill_charts(self.summaries)

    def _show_phase(self, latest: Episode | None, now: datetime) -> None:
        line = guidance.status_line(guidance.phase(latest, now))
        if latest is None or line is None:
            self.phase_label.hide()
            self.phase_label.clear()
            return
        self.phase_label.setText(
            self.tr("Open neck spasm since {start}, pain {pain} of 10 — {advice}.").format(
                start=self.model.format_time(latest.started_at),
                pain=latest.latest_pain,
                advice=line,
            )
        )
        self.phase_label.show()

    def _refresh_table(self) -> None:
        key = self.filter_combo.currentData()
        self.model.set_kinds(FILTERS.get(key) if isinstance(key, str) else None)
        if self.model.error:
            self._show_error(self.model.error)
        self.empty_label.setVisible(self.model.rowCount() == 0)

    # ------------------------------------------------------------------ text

    def totals_text(self, summaries: list[DaySummary]) -> str:
        """One line with the range's totals, in words (the charts' numbers, for everyone).

        The sums are core.history_totals', which ``neckcare history`` prints too.
        """
        t = range_totals(summaries)
        completed, natural, taken = t.completed, t.natural, t.taken
        postponed, skipped, episodes, worst = t.postponed, t.skipped, t.episodes, t.worst_pain
        n = self._number
        breaks = (
            self.tr("1 break taken")
            if taken == 1
            else self.tr("{n} breaks taken").format(n=n(taken))
        )
        breaks += " " + self.tr("({completed} completed, {natural} while away)").format(
            completed=n(completed), natural=n(natural)
        )
        parts = [
            breaks,
            self.tr("{n} postponed").format(n=n(postponed)),
            self.tr("{n} skipped").format(n=n(skipped)),
        ]
        care = [
            self.tr("Ice {minutes} min").format(minutes=n(t.ice_minutes)),
            self.tr("Heat {minutes} min").format(minutes=n(t.heat_minutes)),
        ]
        if episodes == 0:
            spasms = self.tr("no spasms logged")
        elif episodes == 1:
            spasms = self.tr("1 spasm (pain {pain})").format(pain=worst)
        else:
            spasms = self.tr("{n} spasms (worst pain {pain})").format(n=n(episodes), pain=worst)
        head = self.tr("Last {days} days:").format(days=len(summaries))
        return f"{head} {', '.join(parts)} · {' · '.join(care)} · {spasms}"

    def streak_text(self, streak: int, *, working_days: bool = False) -> str:
        """``working_days``: days off were skipped, so the run is of working days."""
        if streak == 0:
            return self.tr("No streak yet: a day with at least {goal} breaks starts one.").format(
                goal=STREAK_GOAL
            )
        if working_days:
            if streak == 1:
                text = self.tr("1 working day in a row with at least {goal} breaks")
            else:
                text = self.tr("{n} working days in a row with at least {goal} breaks")
        elif streak == 1:
            text = self.tr("1 day in a row with at least {goal} breaks")
        else:
            text = self.tr("{n} days in a row with at least {goal} breaks")
        return text.format(n=self._number(streak), goal=STREAK_GOAL)

    @staticmethod
    def _minutes(seconds: int) -> int:
        """Whole minutes, rounding half up, for the totals line."""
        return (seconds + 30) // 60

    def _number(self, n: int) -> str:
        return self.locale().toString(n)

    # ------------------------------------------------------------------ export and control

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

    @property
    def job_running(self) -> bool:
        return self.job is not None

    def export_csv(self) -> None:
        """Ask for a file, write every event and spasm episode to it on a worker thread,
        show how far it got, and say how it went. Ignored while a job runs."""
        if self.job is not None:
            return
        path = self.ask_export_path()
        if path is None or self.job is not None:
            return
        self._export_path = path
        self._start_job(
            JobKind.EXPORT, path, self.tr("Exporting history to {path}…").format(path=path)
        )

    def _start_job(self, kind: JobKind, target: Path | None, text: str) -> None:
        job = HistoryJob(kind, self._store, target, self)
        self.job = job
        self.export_button.setEnabled(False)
        self.delete_button.setEnabled(False)
        self.progress_bar.setValue(0)
        self.progress_bar.show()
        self._show_status(text)
        job.progress.connect(self._on_job_progress)
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self._on_job_failed)
        job.done.connect(self._on_job_done)
        job.start()

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
        if job.kind is JobKind.EXPORT and isinstance(result, ExportCounts):
            self._exported(result, self._export_path)
        elif job.kind is JobKind.DELETE:
            # The job's own connection committed; this window's store reads the same
            # file and keeps nothing in memory, so a refresh shows the empty history.
            self.refresh()
            self._show_status(self.tr("All history was deleted."))

    @Slot(str)
    def _on_job_failed(self, reason: str) -> None:
        job = self.job
        if job is None:
            return
        if job.kind is JobKind.EXPORT:
            logger.warning("CSV export to %s failed: %s", self._export_path, reason)
            self._show_error(self.tr("Export failed. {reason}").format(reason=reason))
        else:
            logger.warning("Deleting the history failed: %s", reason)
            self._show_error(self.tr("Deleting the history failed. {reason}").format(reason=reason))
            self.refresh()

    @Slot()
    def _on_job_done(self) -> None:
        self.job = None
        self.progress_bar.setRange(0, 100)
        self.progress_bar.hide()
        self.export_button.setEnabled(True)
        self.delete_button.setEnabled(True)

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
        self._show_status(
            self.tr("Exported {events} and {episodes} to {path}").format(
                events=events, episodes=episodes, path=path
            )
        )

    def open_folder(self, path: Path) -> bool:
        """Show ``path`` in the file manager; False if the desktop could not (an opener
        that gives up later is reported then). Tests replace this."""
        return open_folder(path, self, self._could_not_open_folder)

    def _open_data_folder(self) -> None:
        if self._store.path is None:
            return
        if not self.open_folder(self._store.path.parent):
            self._could_not_open_folder()

    def _could_not_open_folder(self) -> None:
        """Nothing could show the folder: where it is, so the person can go there."""
        if self._store.path is not None:
            self._show_error(
                self.tr("Could not open {path}. The history file is {file}.").format(
                    path=self._store.path.parent, file=self._store.path
                )
            )

    def confirm_delete(self) -> bool:
        """Ask before deleting everything; Cancel is the default. Tests replace this."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Delete all history? — NeckCare"))
        box.setText(self.tr("Delete all history?"))
        box.setInformativeText(
            self.tr(
                "Every break, ice and heat session and spasm you logged will be removed "
                "from this computer. This cannot be undone; export a CSV first if you "
                "want to keep a copy."
            )
        )
        delete = box.addButton(self.tr("Delete all"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is delete

    def delete_all(self) -> None:
        """After confirmation, delete every event and episode and shrink the file on a
        worker thread, then refresh. Ignored while a job runs."""
        if self.job is not None:
            return
        if not self.confirm_delete() or self.job is not None:
            return
        self._start_job(JobKind.DELETE, None, self.tr("Deleting all history…"))

    def _show_status(self, text: str) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(text)

    def _show_error(self, text: str) -> None:
        # Colour is a hint only; the words carry the meaning for screen readers too.
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(text)
