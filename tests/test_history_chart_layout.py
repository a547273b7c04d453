"""Pain and habits, the layout: every chart title whole, every legend showing its names.

QtCharts lays out a chart's title and legend only while its plot area is not set by hand;
the view sets it by hand (so the three charts share their left and right edges). Laid out
once at a small size (the tab built before the window had its size) and never again, the
titles stayed cut to "…" and the legends empty on real screens. These tests lay the view
out small first, then at a working size, in English and Spanish (longer words), and read
what Qt actually drew: the title's text item, the legend's label items.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import shiboken6
from PySide6.QtCharts import QChart
from PySide6.QtCore import QLocale, QRectF, QTranslator
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication, QGraphicsTextItem

from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.history_jobs import build_history_window
from neckcare_desktop.resources import resource_path
from neckcare_desktop.ui.history.habits_chart import InlineHabitsLoader, PainHabitsView
from neckcare_desktop.ui.history.summary_texts import SummaryTexts
from neckcare_desktop.ui.history.window import HistoryWindow

ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
SPANISH = QLocale(QLocale.Language.Spanish, QLocale.Country.Spain)
QM_FILE = resource_path("translations", "neckcare_es.qm")
#: QGraphicsTextItem::Type (PySide does not expose the enum value).
TEXT_ITEM_TYPE = 8


@pytest.fixture
def days(store: HistoryStore, clock: ManualClock) -> HistoryStore:
    """Pain, breaks taken and skipped, ice and heat rounds on the last few days."""
    now = clock.now()
    episode = store.log_episode(now - timedelta(days=3), 6, now=now)
    store.update_pain(episode.id, 4, now - timedelta(days=1))
    for back in (3, 2, 1):
        at = now - timedelta(days=back)
        store.record(EventKind.BREAK_COMPLETED, at, subject="micro")
        store.record(EventKind.BREAK_SKIPPED, at + timedelta(minutes=30), subject="micro")
        for subject in ("ice", "heat"):
            store.record(
                EventKind.THERAPY_COMPLETED,
                at + timedelta(hours=2 if subject == "ice" else 4),
                subject=subject,
                planned_seconds=600,
                actual_seconds=600,
            )
    return store


@pytest.fixture(params=["en", "es"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[QLocale]:
    """English, or Spanish with the app's own catalogue (its words are the longer ones)."""
    if request.param == "en":
        yield ENGLISH
        return
    translator = QTranslator()
    assert translator.load(str(QM_FILE))
    qapp.installTranslator(translator)
    yield SPANISH
    qapp.removeTranslator(translator)


def _texts(chart: QChart) -> list[QGraphicsTextItem]:
    """The text items Qt drew for ``chart`` (title, axis titles and labels, legend labels),
    shown and not empty."""
    scene = chart.scene()
    assert scene is not None
    texts = []
    for item in scene.items():
        # QtCharts' own text items (its private classes) come back as plain QGraphicsItems;
        # their type says what they are.
        if item.type() != TEXT_ITEM_TYPE or not chart.isAncestorOf(item):
            continue
        holder = item.toGraphicsObject()
        assert holder is not None
        text = shiboken6.wrapInstance(shiboken6.getCppPointer(holder)[0], QGraphicsTextItem)
        if text.isVisible() and text.toPlainText():
            texts.append(text)
    return texts


def _title_item(chart: QChart) -> QGraphicsTextItem:
    """The title as drawn: the one text item in the title's (bold) font."""
    [item] = [i for i in _texts(chart) if i.font() == chart.titleFont()]
    return item


def _legend_labels(chart: QChart) -> dict[str, QRectF]:
    """The legend's labels as drawn, by text, with where they are in the scene."""
    legend = chart.legend()
    return {
        item.toPlainText(): item.sceneBoundingRect()
        for item in _texts(chart)
        if legend.isAncestorOf(item)
    }


def _open_small_then_big(qtbot, store: HistoryStore, now, locale: QLocale) -> HistoryWindow:
    """The History window opened on Pain and habits at a small size, then made big: the
    first layout of the charts happens small."""
    w = build_history_window(store, now)
    w.setLocale(locale)
    qtbot.addWidget(w)
    w.tabs.setCurrentWidget(w.habits_scroll)
    w.resize(200, 700)
    with qtbot.waitSignal(w.habits.drawn, timeout=10_000):
        w.show()
        qtbot.waitExposed(w)
    w.resize(1000, 900)
    qtbot.wait(50)
    return w


def _view_small_then_big(qtbot, store: HistoryStore, now, locale: QLocale) -> PainHabitsView:
    """The view alone, first laid out narrower than any window makes it, then widened."""
    texts = SummaryTexts(lambda: locale)
    v = PainHabitsView(texts)
    v.setLocale(locale)
    qtbot.addWidget(v)
    v.set_loader(InlineHabitsLoader(store, v))
    today = now().date()
    v.show_range(today - timedelta(days=6), today)
    v.resize(200, 700)
    with qtbot.waitSignal(v.drawn, timeout=10_000):
        v.show()
        qtbot.waitExposed(v)
    v.resize(900, 700)
    qtbot.wait(50)
    return v


def _check_whole(v: PainHabitsView) -> None:
    for chart in v.charts():
        area = chart.plotArea()
        # The title: drawn whole (not cut to "…"), within the chart, above the plot.
        title = _title_item(chart)
        assert title.toPlainText() == chart.title()
        needed = QFontMetricsF(chart.titleFont()).horizontalAdvance(chart.title())
        assert needed <= area.width(), chart.title()
        box = title.sceneBoundingRect()
        assert box.left() >= 0 and box.right() <= chart.size().width(), chart.title()
        assert box.bottom() <= area.top() + 1, chart.title()
        # The legend: each series it shows named in full, on the chart, above the plot.
        if not chart.legend().isVisible():
            continue
        shown = [m for m in chart.legend().markers() if m.isVisible()]
        assert shown, chart.title()
        labels = _legend_labels(chart)
        assert sorted(labels) == sorted(m.label() for m in shown), chart.title()
        for text, rect in labels.items():
            assert rect.left() >= 0 and rect.right() <= chart.size().width(), text
            assert rect.bottom() <= area.top() + 1, text
            assert rect.top() >= box.bottom() - 1, text  # not under the title either


def test_titles_are_whole_and_legends_name_their_series(
    qtbot, days: HistoryStore, clock: ManualClock, language: QLocale
) -> None:
    w = _open_small_then_big(qtbot, days, clock.now, language)
    v = w.habits
    _check_whole(v)
    # Which legends there are: breaks and ice/heat need theirs (two colours each); the pain
    # chart has one series, its title and axis say what it is.
    assert not v.pain_chart.legend().isVisible()
    assert [m.label() for m in v.adherence_chart.legend().markers()] == [
        v.taken_set.label(),
        v.skipped_set.label(),
    ]
    assert [m.label() for m in v.rounds_chart.legend().markers()] == [
        v.ice_set.label(),
        v.heat_set.label(),
    ]
    # Narrower again, as on a laptop: still whole.
    w.resize(620, 900)
    qtbot.wait(50)
    _check_whole(v)


def test_the_view_laid_out_narrow_first_shows_it_all_once_wide(
    qtbot, days: HistoryStore, clock: ManualClock, language: QLocale
) -> None:
    _check_whole(_view_small_then_big(qtbot, days, clock.now, language))


def test_the_plots_share_their_edges_and_the_axes_follow_them(
    qtbot, days: HistoryStore, clock: ManualClock
) -> None:
    w = _open_small_then_big(qtbot, days, clock.now, ENGLISH)
    v = w.habits
    assert len({round(c.plotArea().left()) for c in v.charts()}) == 1
    assert len({round(c.plotArea().right()) for c in v.charts()}) == 1
    # The value axis is drawn along the plot area set by hand: its "0" at the bottom edge,
    # left of the plot (laid out for another area, the bars stood below the 0 line).
    for chart in v.charts():
        area = chart.plotArea()
        [zero] = [
            i.sceneBoundingRect()
            for i in _texts(chart)
            if i.toPlainText() == "0" and i.sceneBoundingRect().right() <= area.left() + 1
        ]
        assert abs(zero.center().y() - area.bottom()) <= 2, chart.title()
