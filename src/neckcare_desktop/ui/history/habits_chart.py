"""The History window's "Pain and habits" view: pain, breaks and ice/heat on the same days.

Three charts one above the other on one date axis: each pain value logged (0-10, a point at
the time it is about), breaks taken of breaks due per day (a bar split into taken and
skipped), and ice and heat rounds per day. They are facts side by side; nothing here says
one relates to another.

Why it is built this way:

* **Loaded off the GUI thread.** The view asks a loader for the days (``load(first,
  last)``, then ``loaded(HabitDays)`` or ``failed(reason)``). The app gives it one that
  reads on a worker thread (``history_jobs.ThreadedHabitsLoader``); alone (tests,
  screenshots) it reads at once with :class:`InlineHabitsLoader`. It loads only while it
  is shown, and a late answer for a range no longer asked for is dropped.
* **No data is not zero.** A day without pain logged has no point (never a 0), a day
  without breaks has no bar (a day with every break skipped has a full grey one), and the
  words say "no data".
* **One date axis.** The three plot areas are set to the same left and right edges (the
  axes' labels differ in width, which would otherwise shift each chart), so a day is at the
  same x in all three; only the bottom chart writes the dates.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from PySide6.QtCharts import (
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QPercentBarSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QCursor, QFontMetrics, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QGraphicsSimpleTextItem,
    QLabel,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.core.history import HistoryError, HistoryStore
from neckcare_desktop.core.history.habits import HabitDays
from neckcare_desktop.ui.history.charts import COLOURS, HistoryCharts, day_labels, nice_range
from neckcare_desktop.ui.history.summary_texts import SummaryTexts

#: Chart heights: three fit a laptop screen's History window, each still readable.
CHART_MIN_HEIGHT = 170


class InlineHabitsLoader(QObject):
    """Reads the days at once, on the calling thread (a store in memory, tests)."""

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store

    def load(self, first: date, last: date) -> None:
        try:
            days = self._store.habit_days(first, last)
        except HistoryError as exc:
            self.failed.emit(str(exc))
            return
        self.loaded.emit(days)


class _AlignedChartView(QChartView):
    """A chart view whose plot area keeps fixed edges, shared with its sibling views.

    While a chart's plot area is set by hand, QtCharts lays out only the plot: its title,
    legend and background keep the size of the last layout without one (QtCharts'
    ``AbstractChartLayout::setGeometry``). Fixed once at the first, small size (a tab not
    yet shown), the title stayed cut to "…" and the legend empty at any size after. So on
    each resize the plot area is freed, Qt lays out the chart at its new size, the shared
    edges are set again, and Qt lays out once more to put the axes along them.
    """

    def __init__(self, chart: QChart, owner: PainHabitsView) -> None:
        super().__init__(chart, owner)
        self._owner = owner

    def resizeEvent(self, event: QResizeEvent) -> None:
        chart = self.chart()
        chart.setPlotArea(QRectF())  # an empty rect: Qt's own layout again
        super().resizeEvent(event)
        _lay_out_now(chart)  # title, legend and background at the new size
        self._owner.place_plot(self)
        _lay_out_now(chart)  # the axes along the plot area set by hand


def _lay_out_now(chart: QChart) -> None:
    """Run ``chart``'s layout now, not when Qt gets round to it."""
    layout = chart.layout()
    if layout is not None:
        layout.invalidate()
        layout.activate()


class PainHabitsView(QWidget):
    """The three charts, their summary in words, and a line for loading and errors."""

    #: New days were drawn (tests and the bench wait for it).
    drawn = Signal()

    def __init__(self, texts: SummaryTexts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self._loader: QObject | None = None
        #: The range asked for (oldest, newest day), and whether it still has to be read.
        self.wanted: tuple[date, date] | None = None
        self._stale = False
        #: The days drawn now (None before the first answer).
        self.habits: HabitDays | None = None
        self.setAccessibleName(self.tr("Pain, breaks, ice and heat on the same days"))
        self._build()
        self.status_label = QLabel(self)
        self.status_label.setAccessibleName(self.tr("Pain and habits status"))
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        self.summary_label = QLabel(self)
        self.summary_label.setAccessibleName(self.tr("Pain, breaks, ice and heat in words"))
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.status_label)
        for view in self.views:
            layout.addWidget(view, 1)
        layout.addSpacing(6)
        layout.addWidget(self.summary_label)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        style = _Styling(self)

        # -- pain: each value as a point at its time; values on adjacent days joined
        self.pain_series = QScatterSeries()
        self.pain_series.setName(self.tr("Pain logged (0–10)"))
        self.pain_series.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeCircle)
        self.pain_series.setMarkerSize(10.0)
        self.pain_series.setColor(QColor(COLOURS["pain"]))
        self.pain_series.setBorderColor(QColor("#ffffff"))
        self.pain_chart = style.chart(self.tr("Pain, each value logged"))
        self.pain_axis = style.value_axis(self.tr("pain"))
        _ticks(self.pain_axis, top=10, step=2)
        self.pain_days_axis = style.days_axis(labels=False)
        self.pain_chart.addAxis(self.pain_days_axis, Qt.AlignmentFlag.AlignBottom)
        self.pain_chart.addAxis(self.pain_axis, Qt.AlignmentFlag.AlignLeft)
        self.pain_lines: list[QLineSeries] = []
        self._add(self.pain_chart, self.pain_series, self.pain_days_axis, self.pain_axis)
        # One series: a legend would only say the title again; the axis says "pain" and
        # its ticks 0 to 10.
        self.pain_chart.legend().hide()
        self.pain_empty = QGraphicsSimpleTextItem(self.pain_chart)
        self.pain_empty.setBrush(QColor("#6b6b6b"))
        self.pain_view = self._view(self.pain_chart, self.tr("Chart of each pain value logged"))
        self.pain_series.hovered.connect(self._on_pain_hovered)

        # -- breaks: one bar per day with breaks, taken and skipped shares of those due
        self.taken_set = style.bar_set(self.tr("Taken"), "completed")
        self.skipped_set = style.bar_set(self.tr("Skipped"), "skipped")
        self.adherence_series = QPercentBarSeries()
        self.adherence_series.append(self.taken_set)
        self.adherence_series.append(self.skipped_set)
        self.adherence_series.setBarWidth(0.7)
        self.adherence_chart = style.chart(self.tr("Breaks taken of breaks due, per day"))
        self.percent_axis = style.value_axis(self.tr("% of due"))
        _ticks(self.percent_axis, top=100, step=50)
        self.adherence_days_axis = style.days_axis(labels=False)
        self.adherence_chart.addAxis(self.adherence_days_axis, Qt.AlignmentFlag.AlignBottom)
        self.adherence_chart.addAxis(self.percent_axis, Qt.AlignmentFlag.AlignLeft)
        self._add(
            self.adherence_chart,
            self.adherence_series,
            self.adherence_days_axis,
            self.percent_axis,
        )
        self.adherence_view = self._view(
            self.adherence_chart, self.tr("Chart of breaks taken of breaks due per day")
        )
        self.adherence_series.hovered.connect(self._on_day_hovered)

        # -- ice and heat: rounds per day
        self.ice_set = style.bar_set(self.tr("Ice rounds"), "ice")
        self.heat_set = style.bar_set(self.tr("Heat rounds"), "heat")
        self.rounds_series = QBarSeries()
        self.rounds_series.append(self.ice_set)
        self.rounds_series.append(self.heat_set)
        self.rounds_series.setBarWidth(0.75)
        self.rounds_chart = style.chart(self.tr("Ice and heat rounds per day"))
        self.rounds_axis = style.value_axis(self.tr("rounds"))
        self.rounds_days_axis = style.days_axis(labels=True)
        self.rounds_chart.addAxis(self.rounds_days_axis, Qt.AlignmentFlag.AlignBottom)
        self.rounds_chart.addAxis(self.rounds_axis, Qt.AlignmentFlag.AlignLeft)
        self._add(self.rounds_chart, self.rounds_series, self.rounds_days_axis, self.rounds_axis)
        self.rounds_view = self._view(
            self.rounds_chart, self.tr("Chart of ice and heat rounds per day")
        )
        self.rounds_series.hovered.connect(self._on_day_hovered)

        self.views: tuple[QChartView, ...] = (self.pain_view, self.adherence_view, self.rounds_view)
        self.days_axes = (self.pain_days_axis, self.adherence_days_axis, self.rounds_days_axis)

    @staticmethod
    def _add(chart: QChart, series: object, x_axis: QCategoryAxis, y_axis: QValueAxis) -> None:
        chart.addSeries(series)  # type: ignore[arg-type]
        series.attachAxis(x_axis)  # type: ignore[attr-defined]
        series.attachAxis(y_axis)  # type: ignore[attr-defined]

    def _view(self, chart: QChart, name: str) -> QChartView:
        view = _AlignedChartView(chart, self)
        HistoryCharts.style_view(view, chart, name)
        view.setMinimumHeight(CHART_MIN_HEIGHT)
        return view

    def place_plot(self, view: QChartView) -> None:
        """Give ``view``'s chart the plot area every chart here has: the same left and
        right edges (so days line up), below the title and legend, above the dates."""
        chart = view.chart()
        fm = view.fontMetrics()
        line = fm.height()
        # Left: the axis title (turned on its side), the widest tick label, some air.
        left = line + fm.horizontalAdvance("100") + 22
        right = 22
        # Top: below the title and the legend where Qt just laid them out (the view frees
        # the plot area first, see _AlignedChartView), with room for the top tick label.
        layout = chart.layout()
        margins = (0.0,) * 4 if layout is None else layout.getContentsMargins()
        margin_top = cast("tuple[float, float, float, float]", margins)[1]
        title_bottom = (
            margin_top + chart.margins().top() + QFontMetrics(chart.titleFont()).height() + 1
        )
        if chart.legend().isVisible():
            top = round(max(title_bottom, chart.legend().geometry().bottom())) - 2
        else:
            top = round(title_bottom + line * 0.8)
        dated = chart is getattr(self, "rounds_chart", None)  # the one chart with dates
        bottom = round(line * 1.6) + 8 if dated else 10
        size = view.viewport().size()
        width = max(10, size.width() - left - right)
        height = max(10, size.height() - top - bottom)
        chart.setPlotArea(QRectF(left, top, width, height))
        if chart is self.pain_chart:
            self._place_empty_text()

    def _place_empty_text(self) -> None:
        area = self.pain_chart.plotArea()
        box = self.pain_empty.boundingRect()
        self.pain_empty.setPos(
            area.center().x() - box.width() / 2, area.center().y() - box.height() / 2
        )

    # ------------------------------------------------------------------ loading

    def set_loader(self, loader: QObject) -> None:
        """Read through ``loader`` from now on (``load(first, last)``, then ``loaded`` or
        ``failed``); the app's reads on a worker thread."""
        if self._loader is not None:
            self._loader.loaded.disconnect(self.show_habits)  # type: ignore[attr-defined]
            self._loader.failed.disconnect(self.show_failed)  # type: ignore[attr-defined]
        self._loader = loader
        loader.loaded.connect(self.show_habits)  # type: ignore[attr-defined]
        loader.failed.connect(self.show_failed)  # type: ignore[attr-defined]

    def show_range(self, first: date, last: date) -> None:
        """Show the local days ``first`` to ``last``: read now if shown, else when shown."""
        self.wanted = (first, last)
        self._stale = True
        if self.isVisible():
            self._load()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._load()

    def _load(self) -> None:
        if self._loader is None or self.wanted is None:
            return
        self._stale = False
        if self.habits is None or (self.habits.first, self.habits.last) != self.wanted:
            self.status_label.setText(self.tr("Reading the history…"))
            self.status_label.show()
        self._loader.load(*self.wanted)  # type: ignore[attr-defined]

    @Slot(str)
    def show_failed(self, reason: str) -> None:
        self.status_label.setText(
            self.tr("Could not read the history: {reason}").format(reason=reason)
        )
        self.status_label.show()

    @Slot(object)
    def show_habits(self, habits: HabitDays) -> None:
        """Draw ``habits`` if it is the range asked for last (an older answer is dropped)."""
        if self.wanted is not None and (habits.first, habits.last) != self.wanted:
            return
        self.habits = habits
        self.status_label.hide()
        days = habits.days
        labels = day_labels(self.locale(), days)
        for axis in self.days_axes:
            for old in axis.categoriesLabels():
                axis.remove(old)
            axis.setStartValue(-0.5)
            axis.setRange(-0.5, len(days) - 0.5)
            for index, text in labels.items():
                axis.append(text, index)
        self._draw_pain(habits)
        taken = [float(habits.adherence[d].taken) if d in habits.adherence else 0.0 for d in days]
        skipped = [float(a.due - a.taken) if (a := habits.adherence.get(d)) else 0.0 for d in days]
        ice = [float(habits.rounds[d]["ice"].number) if d in habits.rounds else 0.0 for d in days]
        heat = [float(habits.rounds[d]["heat"].number) if d in habits.rounds else 0.0 for d in days]
        for bar_set, values in (
            (self.taken_set, taken),
            (self.skipped_set, skipped),
            (self.ice_set, ice),
            (self.heat_set, heat),
        ):
            if bar_set.count():
                bar_set.remove(0, bar_set.count())
            bar_set.append(values)
        nice_range(self.rounds_axis, max([*ice, *heat], default=0), minimum_top=4)
        top, count = self.rounds_axis.max(), self.rounds_axis.tickCount()
        _ticks(self.rounds_axis, top=round(top), step=round(top / max(1, count - 1)))
        self.pain_view.setAccessibleDescription(self._texts.pain_text(habits))
        self.adherence_view.setAccessibleDescription(self._texts.adherence_text(habits))
        self.rounds_view.setAccessibleDescription(self._texts.rounds_text(habits))
        summary = self._texts.habits_summary(habits)
        self.summary_label.setText(summary)
        self.setAccessibleDescription(summary)
        self.drawn.emit()

    def charts(self) -> tuple[QChart, ...]:
        return (self.pain_chart, self.adherence_chart, self.rounds_chart)

    def day_facts(self, day: date) -> str:
        """One day's facts in words (the bar tooltips)."""
        assert self.habits is not None
        return self._texts.habit_day_text(self.habits, day)

    def x_of(self, at: datetime) -> float:
        """Where a moment sits on the shared axis: day ``i`` spans ``i - 0.5`` to ``i + 0.5``
        (the local day and time as recorded)."""
        assert self.habits is not None
        index = (at.date() - self.habits.first).days
        return index - 0.5 + (at.hour * 3600 + at.minute * 60 + at.second) / 86400

    def _draw_pain(self, habits: HabitDays) -> None:
        points = [QPointF(self.x_of(p.at), p.pain) for p in habits.pain]
        self.pain_series.replace(points)
        for line in self.pain_lines:
            self.pain_chart.removeSeries(line)
        self.pain_lines = []
        # Values on the same or the next day are joined; across a day without any they
        # are not, so no line runs through "no data".
        runs: list[list[QPointF]] = []
        previous: date | None = None
        for point, p in zip(points, habits.pain, strict=True):
            day = p.at.date()
            if previous is None or (day - previous).days > 1:
                runs.append([])
            runs[-1].append(point)
            previous = day
        for run in runs:
            if len(run) < 2:
                continue
            line = QLineSeries()
            line.setColor(QColor(COLOURS["pain"]))
            line.append(run)
            self._add(self.pain_chart, line, self.pain_days_axis, self.pain_axis)
            self.pain_lines.append(line)
        # The points above the lines.
        self.pain_chart.removeSeries(self.pain_series)
        self._add(self.pain_chart, self.pain_series, self.pain_days_axis, self.pain_axis)
        self.pain_empty.setText("" if points else self.tr("No pain logged in these days (no data)"))
        self._place_empty_text()

    # ------------------------------------------------------------------ tooltips

    def _on_pain_hovered(self, point: QPointF, state: bool) -> None:
        if not state or self.habits is None:
            QToolTip.hideText()
            return
        nearest = min(
            self.habits.pain,
            key=lambda p: (self.x_of(p.at) - point.x()) ** 2 + ((p.pain - point.y()) / 10) ** 2,
            default=None,
        )
        if nearest is None:
            return
        when = self._texts.moment_text(nearest.at)
        QToolTip.showText(
            QCursor.pos(),
            self.tr("{when}: pain {pain} of 10").format(when=when, pain=nearest.pain),
            self.pain_view,
        )

    def _on_day_hovered(self, status: bool, index: int, _bar_set: QBarSet) -> None:
        if not status or self.habits is None or not 0 <= index < len(self.habits.days):
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), self.day_facts(self.habits.days[index]), self)


def _ticks(axis: QValueAxis, *, top: int, step: int) -> None:
    """Ticks every ``step`` from 0 to ``top``, and a little room above ``top``: with the
    plot area set by hand, Qt hides a label that would stick out of it (the top one)."""
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setRange(0, top * 1.15)


class _Styling:
    """The charts page's look (fonts, colours, axes), shared with :class:`HistoryCharts`."""

    def __init__(self, widget: QWidget) -> None:
        self._widget = widget

    def chart(self, title: str) -> QChart:
        return HistoryCharts.make_chart(self._widget.font(), title)

    def value_axis(self, title: str) -> QValueAxis:
        return HistoryCharts.make_value_axis(self._widget.font(), title)

    def days_axis(self, *, labels: bool) -> QCategoryAxis:
        axis = HistoryCharts.make_days_axis(self._widget.font())
        axis.setLabelsVisible(labels)
        axis.setGridLineVisible(True)
        axis.setGridLineColor(QColor("#ececec"))
        return axis

    def bar_set(self, name: str, colour: str) -> QBarSet:
        return HistoryCharts.make_bar_set(name, colour)
