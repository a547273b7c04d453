"""The History window's two charts: breaks per day, and ice, heat and neck spasms per day.

Only this module imports QtCharts, and the app imports the History window on first use, so
the tray starts without loading the charts library. The charts draw the day summaries the
window gives them (:meth:`HistoryCharts.show_days`); they read nothing themselves.
"""

from __future__ import annotations

import math
from datetime import date

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
from PySide6.QtCore import QDate, QLocale, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QCursor, QFont, QPainter
from PySide6.QtWidgets import QFrame, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from neckcare_desktop.core.history import DaySummary

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


def nice_range(axis: QValueAxis, highest: float, minimum_top: int = 4) -> None:
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


def day_labels(locale: QLocale, days: list[date]) -> dict[int, str]:
    """Which day indexes get a label, and the label: weekday + day for a week, day +
    month every 7th (30 days) or 14th (90 days) day back from today."""
    if len(days) <= 7:
        return {
            i: locale.toString(QDate(d.year, d.month, d.day), "ddd d") for i, d in enumerate(days)
        }
    every = 7 if len(days) <= 31 else 14
    last = len(days) - 1
    return {
        i: locale.toString(QDate(d.year, d.month, d.day), "d MMM")
        for i, d in enumerate(days)
        if (last - i) % every == 0
    }


class HistoryCharts(QWidget):
    """The charts page: stacked break bars with a postponement line, then ice and heat
    minutes as bars with each day's worst spasm pain as a point on a 0-10 axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The days drawn now, oldest first (the hover tooltips name them).
        self.summaries: list[DaySummary] = []
        self._build_charts()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.breaks_view, 1)
        layout.addWidget(self.care_view, 1)

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
        return self.make_bar_set(name, colour)

    def _chart(self, title: str) -> QChart:
        return self.make_chart(self.font(), title)

    def _days_axis(self) -> QCategoryAxis:
        return self.make_days_axis(self.font())

    def _value_axis(self, title: str) -> QValueAxis:
        return self.make_value_axis(self.font(), title)

    def _chart_view(self, chart: QChart, name: str) -> QChartView:
        view = QChartView(chart, self)
        self.style_view(view, chart, name)
        view.setMinimumHeight(220)
        return view

    # The look of every chart of the window (the "Pain and habits" view uses these too).

    @staticmethod
    def make_bar_set(name: str, colour: str) -> QBarSet:
        bar_set = QBarSet(name)
        bar_set.setColor(QColor(COLOURS[colour]))
        bar_set.setBorderColor(QColor(COLOURS[colour]))
        return bar_set

    @staticmethod
    def make_chart(font: QFont, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        title_font = QFont(font)
        title_font.setBold(True)
        chart.setTitleFont(title_font)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundRoundness(0)
        chart.setMargins(QMargins(4, 4, 18, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        chart.legend().setFont(font)
        return chart

    @staticmethod
    def make_days_axis(font: QFont) -> QCategoryAxis:
        """An x axis of day indexes (bar i is day i) that labels only some days.

        Not QBarCategoryAxis: that one labels every bar, and at 90 bars each label gets
        a few pixels and is elided to "…". Here labels sit on chosen days (every day for
        a week, every 7th or 14th day counting back from today beyond) and the hover
        tooltips name every day.
        """
        axis = QCategoryAxis()
        axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        axis.setGridLineVisible(False)
        small = QFont(font)
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.9))
        axis.setLabelsFont(small)
        return axis

    @staticmethod
    def make_value_axis(font: QFont, title: str) -> QValueAxis:
        axis = QValueAxis()
        axis.setLabelFormat("%d")
        axis.setTitleText(title)
        small = QFont(font)
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.9))
        axis.setTitleFont(small)
        axis.setLabelsFont(small)
        axis.setGridLineColor(QColor("#e3e3e3"))
        return axis

    @staticmethod
    def style_view(view: QChartView, chart: QChart, name: str) -> None:
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        # One white surface per chart, not a white card inside a grey frame.
        view.setFrameShape(QFrame.Shape.NoFrame)
        view.setBackgroundBrush(chart.backgroundBrush())
        view.setAccessibleName(name)
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @staticmethod
    def _minutes(seconds: int) -> int:
        """Whole minutes, rounding half up, for the tooltips."""
        return (seconds + 30) // 60

    @staticmethod
    def _nice_range(axis: QValueAxis, highest: float, minimum_top: int = 4) -> None:
        nice_range(axis, highest, minimum_top)

    def day_labels(self, days: list[date]) -> dict[int, str]:
        """Which bar indexes get a label, and the label (see :func:`day_labels`)."""
        return day_labels(self.locale(), days)

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

    def show_days(self, summaries: list[DaySummary], description: str) -> None:
        """Draw ``summaries`` (one per day, oldest first); ``description`` says the same
        numbers in words for screen readers (the window's totals line)."""
        self.summaries = summaries
        labels = self.day_labels([s.day for s in summaries])
        for axis in (self.breaks_days_axis, self.care_days_axis):
            for old in axis.categoriesLabels():
                axis.remove(old)
            axis.setStartValue(-0.5)
            axis.setRange(-0.5, len(summaries) - 0.5)
            for index, text in labels.items():
                axis.append(text, index)
        values: dict[QBarSet, list[float]] = {
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
        self.breaks_view.setAccessibleDescription(description)
        self.care_view.setAccessibleDescription(description)
