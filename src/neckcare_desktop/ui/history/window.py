"""The History window: breaks, ice, heat and spasms per day, a streak, and every event.

Why it is built this way:

* **It renders and forwards intents.** It reads the store (never all rows: the charts come
  from :meth:`HistoryStore.daily_summary`, at most 90 rows, and the event table reads pages
  as the view scrolls), and it writes nothing: "Delete all history…" asks first and then
  emits :attr:`HistoryWindow.delete_all_requested`, "Export CSV…" asks for a file and emits
  :attr:`HistoryWindow.export_requested`, "Open data folder" emits
  :attr:`HistoryWindow.open_folder_requested`. The app side
  (:mod:`neckcare_desktop.history_jobs`) runs the export or deletion on a worker thread and
  hands the running job to :meth:`HistoryWindow.show_job`, which shows its progress; both
  buttons wait while one runs, so a job cannot be started twice.
* **Days are local days as recorded**: a break at 23:30 in one time zone stays on that
  day after travelling, which is what the person remembers.
* It refreshes every time it is shown, because the tray app keeps it alive between
  openings while new events keep arriving.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QFont, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.core import guidance
from neckcare_desktop.core.history import (
    DaySummary,
    Episode,
    HistoryError,
    HistoryStore,
)
from neckcare_desktop.core.streaks import current_streak
from neckcare_desktop.ui.history.charts import HistoryCharts
from neckcare_desktop.ui.history.events_page import EventsPage
from neckcare_desktop.ui.history.exercises_page import ExercisesPage
from neckcare_desktop.ui.history.habits_chart import InlineHabitsLoader, PainHabitsView
from neckcare_desktop.ui.history.job_status import JobStatus, RunningJob
from neckcare_desktop.ui.history.summary_texts import SummaryTexts
from neckcare_desktop.ui.placement import FittingScrollArea, fit_to_screen

logger = logging.getLogger(__name__)

#: The ranges the charts offer, in days.
RANGES: tuple[int, ...] = (7, 30, 90)


def nearest_range(days: int) -> int:
    """The range the window offers closest to ``days`` (the longer one on a tie)."""
    return min(RANGES, key=lambda r: (abs(r - days), -r))


class HistoryWindow(QWidget):
    """Charts per day for 7/30/90 days, totals and streak, the event table, export and delete."""

    #: The person chose a file to export every event and episode to (a Path).
    export_requested = Signal(object)
    #: The person confirmed "Delete all history".
    delete_all_requested = Signal()
    #: The person asked to see this folder (a Path) in the file manager; when nothing can
    #: show it, the app calls :meth:`show_open_folder_failed`.
    open_folder_requested = Signal(object)
    #: The person asked for the report for their clinician, up to now (a datetime).
    report_requested = Signal(object)

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
        self._texts = SummaryTexts(self.locale, self)

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
        self.charts = HistoryCharts(self)
        # On a short screen (a laptop at 150 %) the two charts keep a readable height
        # and scroll, instead of the window growing past the screen.
        self.charts_scroll = FittingScrollArea(self.charts, self)
        # Pain next to breaks and ice/heat, same days; the app gives it a loader that
        # reads on a worker thread (history_jobs), alone it reads at once.
        self.habits = PainHabitsView(self._texts, self)
        self.habits.set_loader(InlineHabitsLoader(store, self))
        self.habits_scroll = FittingScrollArea(self.habits, self)

        # -- events table
        self.events_page = EventsPage(store, self)
        self.filter_combo = self.events_page.filter_combo
        self.model = self.events_page.model
        self.table = self.events_page.table
        self.empty_label = self.events_page.empty_label

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("History views"))
        self.tabs.addTab(self.charts_scroll, self.tr("&Charts"))
        self.tabs.addTab(self.habits_scroll, self.tr("&Pain and habits"))
        self.tabs.addTab(self.events_page, self.tr("&Events"))
        self.exercises_page = ExercisesPage(store, self)  # issue 19: exercises per week
        self.tabs.addTab(self.exercises_page, self.tr("E&xercises"))

        # -- export and control
        self.export_button = QPushButton(self.tr("&Export CSV…"), self)
        self.export_button.setAccessibleName(self.tr("Export history as CSV"))
        self.open_folder_button = QPushButton(self.tr("&Open data folder"), self)
        self.open_folder_button.setAccessibleName(self.tr("Open the folder with the history file"))
        self.open_folder_button.setEnabled(store.path is not None)
        self.report_button = QPushButton(self.tr("Report for your c&linician…"), self)
        self.report_button.setAccessibleName(self.tr("Write a PDF report for your clinician"))
        self.delete_button = QPushButton(self.tr("&Delete all history…"), self)
        self.delete_button.setAccessibleName(self.tr("Delete all history"))

        self.job_status = JobStatus(self.locale, self)
        self.job_status.busy_changed.connect(self._on_busy_changed)
        self.job_status.history_changed.connect(self.refresh)
        self.status_label = self.job_status.status_label
        self.progress_bar = self.job_status.progress_bar

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
        bottom.addWidget(self.job_status, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.open_folder_button)
        bottom.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.test_mode_label)
        # The report sits with the totals it draws on (the button row is full).
        totals_row = QHBoxLayout()
        totals_row.addWidget(self.totals_label, 1)
        totals_row.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(totals_row)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(line)
        layout.addLayout(bottom)
        self.resize(1000, 760)

        self.filter_combo.currentIndexChanged.connect(self._refresh_table)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export_csv)
        self.report_button.clicked.connect(lambda: self.report_requested.emit(self._now()))
        self.open_folder_button.clicked.connect(self._open_data_folder)
        self.delete_button.clicked.connect(self.ask_delete_all)

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
            streak = current_streak(self._store, today, frozenset(self._days_off()))
            latest = self._store.latest_unresolved_episode()
        except HistoryError as exc:
            logger.warning("Could not read the history summary: %s", exc)
            self._show_error(str(exc))
            return
        self.totals_label.setText(self._texts.totals_text(self.summaries))
        self.streak_label.setText(self._texts.streak_text(streak))
        self._show_phase(latest, now)
        self.charts.show_days(self.summaries, self.totals_label.text())
        self.habits.show_range(first, today)
        self.exercises_page.show_range(first, today, now)

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
        error = self.events_page.reload()
        if error:
            self._show_error(error)

    # ------------------------------------------------------------------ export and delete

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
        """Ask for a file and ask the app to export to it. Ignored while a job runs."""
        if self.job is not None:
            return
        path = self.ask_export_path()
        if path is None or self.job is not None:
            return
        self.export_requested.emit(path)

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
        # Modal to this window only: an ice alert or a break that comes meanwhile can
        # still be answered (exec() would otherwise block every window of the app).
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.exec()
        return box.clickedButton() is delete

    def ask_delete_all(self) -> None:
        """After confirmation, ask the app to delete every event and episode. Ignored
        while a job runs."""
        if self.job is not None:
            return
        if not self.confirm_delete() or self.job is not None:
            return
        self.delete_all_requested.emit()

    @property
    def job(self) -> RunningJob | None:
        """The export or deletion running now, if any."""
        return self.job_status.job

    @Slot(object)
    def show_job(self, job: RunningJob) -> None:
        """Show the export or deletion the app is about to start for this window: its
        progress, then how it went. Call before the job starts (it may end at once)."""
        self.job_status.show_job(job)

    @Slot(bool)
    def _on_busy_changed(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.delete_button.setEnabled(not busy)

    # ------------------------------------------------------------------ data folder

    def open_folder(self, path: Path) -> bool:
        """Ask the app to show ``path`` in the file manager; False if it is known at once
        that nothing can (the app reports a later failure through
        :meth:`show_open_folder_failed`). Tests replace this."""
        self.open_folder_requested.emit(path)
        return True

    def _open_data_folder(self) -> None:
        if self._store.path is None:
            return
        if not self.open_folder(self._store.path.parent):
            self.show_open_folder_failed()

    @Slot()
    def show_open_folder_failed(self) -> None:
        """Nothing could show the folder: where it is, so the person can go there."""
        if self._store.path is not None:
            self._show_error(
                self.tr("Could not open {path}. The history file is {file}.").format(
                    path=self._store.path.parent, file=self._store.path
                )
            )

    def _show_error(self, text: str) -> None:
        self.job_status.show_error(text)
