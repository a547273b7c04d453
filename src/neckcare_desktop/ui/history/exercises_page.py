"""History → Exercises: per week, the exercises done and the breaks that included them.

Facts only, as the rest of History: how many exercises were done, in how many breaks,
which ones, and how many were passed over or cut short — no judgement and no claim about
what they do for pain. Reads core/history/exercises.py's weekly query (a range read of
a few rows per break) when the window refreshes.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.core.history import HistoryError, HistoryStore
from neckcare_desktop.core.history.exercises import WeekExercises, weekly_exercises

logger = logging.getLogger(__name__)

#: How many exercises each week's row names (the most done first).
NAMED_PER_WEEK = 4


class ExercisesPage(QWidget):
    """A table, one row per week with exercises recorded, newest first."""

    def __init__(self, store: HistoryStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exercisesPage")
        self._store = store
        self.weeks: list[WeekExercises] = []
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The exercises your breaks showed, per week: how many you did, in how many "
                "breaks, and which."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("exercisesTable")
        self.table.setAccessibleName(self.tr("Exercises per week"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Week of"),
                self.tr("Exercises done"),
                self.tr("Breaks with exercises"),
                self.tr("Done most"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.empty_label = QLabel(self.tr("No exercises recorded in this range yet."))
        self.empty_label.setObjectName("exercisesEmpty")
        layout.addWidget(self.empty_label)

    def show_range(self, first: date, last: date, now: datetime) -> None:
        """Read and show the weeks from ``first`` to ``last`` (local days, inclusive)."""
        zone = now.tzinfo
        start = datetime.combine(first, time.min, zone)
        end = datetime.combine(last + timedelta(days=1), time.min, zone)
        try:
            weeks = weekly_exercises(self._store, start, end)
        except HistoryError as exc:
            logger.info("could not read the exercises: %s", exc)
            weeks = []
        self.show_weeks(weeks)

    def show_weeks(self, weeks: list[WeekExercises]) -> None:
        self.weeks = weeks
        locale = QLocale()
        rows = list(reversed(weeks))
        self.table.setRowCount(len(rows))
        for row, week in enumerate(rows):
            cells = (
                locale.toString(_qdate(week.week_start), QLocale.FormatType.ShortFormat),
                str(week.total_done),
                str(week.breaks_with_exercises),
                self._most_done(week),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.empty_label.setVisible(not weeks)
        self.table.setVisible(bool(weeks))

    def _most_done(self, week: WeekExercises) -> str:
        named = [
            # A built-in's title in the person's language; the person's own as named.
            self.tr("{name} ×{count}").format(name=week.name(i), count=n)
            for i, n in week.done.most_common(NAMED_PER_WEEK)
        ]
        others = sum(week.skipped.values()) + sum(week.cut_short.values())
        text = ", ".join(named)
        if others:
            more = self.tr("%n passed over or cut short", "", others)
            text = f"{text} ({more})" if text else more
        return text


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
