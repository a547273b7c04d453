"""Every text a person can read is translatable, and the Spanish translation is complete.

How the "translatable" check works (the WHY):

* A *pseudo-translator* answers every lookup with the source text wrapped in ⟦…⟧. It is
  installed both in Qt (a ``QTranslator`` subclass) and in core's hook
  (:func:`neckcare_desktop.core.i18n.install`) *before* the UI is built, exactly where
  the app installs the real ones. Every window the app has is then built and driven
  through its states (tray menu, status window, break window due and running, the
  therapy alert, Settings with all tabs, History with all tabs and a seeded file, the
  spasm dialog and its update form, the see-someone message, the autostart question,
  notifications, status lines, refusals), and every human text on them is collected:
  window titles, labels, buttons, tooltips, accessible names and descriptions,
  placeholders, combo items, tab titles, spin box suffixes, table headers and cells,
  chart titles, series names and axis titles, menu and action texts.
* A text passes when, after cutting out the ⟦…⟧ parts, no word is left except those
  allowed below, each with its reason (the app's name, dates written by QLocale in the
  locale's own words, languages named in their own language, what the person typed).
  A text that bypassed translation keeps its words outside any ⟦…⟧ and fails, naming
  the window, the widget and the text.
* It runs twice. Mode "any" wraps every lookup: it finds texts that never reach a
  translator. Mode "ts" wraps only the (context, source) pairs that are in
  ``neckcare_es.ts`` (plus Qt's own ``Q…`` contexts): it also finds texts that are
  looked up under a context ``pyside6-lupdate`` did not extract them with (a ``tr``
  alias, a context typo), which would silently stay English in every language.

The other tests check the Spanish files: nothing unfinished or left over, placeholders
and shortcuts kept, the ``.qm`` compiled from the ``.ts``, the ``.ts`` up to date with
the code, and the generated stretch texts in step with ``resources/stretches.toml``.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCharts import QChartView
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTimer, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QWidget,
)

from conftest import TEST_TZ
from fakes import FakeSound, make_rig, tweak
from neckcare_desktop.core import events as ev
from neckcare_desktop.core import guidance, i18n
from neckcare_desktop.core.breaks import BreakKind, BreakStateError
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.history import (
    MEMORY,
    TRIGGERS,
    WARNING_SIGNS,
    Episode,
    EventKind,
    HistoryError,
    HistoryStore,
)
from neckcare_desktop.core.history.recovery import open_history
from neckcare_desktop.core.ipc_protocol import Request
from neckcare_desktop.core.settings import (
    FIELDS,
    SettingsError,
    default_settings,
    load_settings,
    settings_from_dict,
)
from neckcare_desktop.core.stretches import default_stretches
from neckcare_desktop.core.therapy import (
    TherapyError,
    TherapyKind,
    TherapyRules,
    TherapyTimer,
    check_minutes,
)
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.paths import AppPaths
from neckcare_desktop.platform import dnd
from neckcare_desktop.platform.single_instance import CommandRefused
from neckcare_desktop.resources import resource_path
from neckcare_desktop.window_registry import HISTORY, SETTINGS, SPASM

ROOT = Path(__file__).resolve().parents[1]
TS_FILE = resource_path("translations", "neckcare_es.ts")
QM_FILE = resource_path("translations", "neckcare_es.qm")

OPEN, CLOSE = "⟦", "⟧"

#: Words that may stand outside ⟦…⟧, and why.
ALLOWED_WORDS: dict[str, str] = {
    "NeckCare": "the app's name is the same in every language",
    "English": "languages are listed in their own language, so anyone can find theirs",
    "Español": "languages are listed in their own language, so anyone can find theirs",
}
#: Whole phrases that may stand outside ⟦…⟧ in this test, and why.
ALLOWED_PHRASES: dict[str, str] = {
    "Long drive": "a note the person typed into the spasm log (their data, not ours)",
    "Phone call": "a note stored with an event (data, shown as it was written)",
    "Firefox": "a window title from the desktop",
}


def locale_words() -> set[str]:
    """Day and month names: QLocale writes dates in the locale's own words."""
    locale = QLocale()
    words: set[str] = set()
    for fmt in (QLocale.FormatType.ShortFormat, QLocale.FormatType.LongFormat):
        for day in range(1, 8):
            words.update(re.findall(r"[^\W\d_]+", locale.dayName(day, fmt)))
            words.update(re.findall(r"[^\W\d_]+", locale.standaloneDayName(day, fmt)))
        for month in range(1, 13):
            words.update(re.findall(r"[^\W\d_]+", locale.monthName(month, fmt)))
            words.update(re.findall(r"[^\W\d_]+", locale.standaloneMonthName(month, fmt)))
    return words


_WRAPPED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][^\s/\\:()'\"]+)+[/\\]?")
_HTML = re.compile(r"<[^>]+>")


def stray_words(text: str, allowed: set[str]) -> list[str]:
    """Words of ``text`` outside any ⟦…⟧ that are not allowed (empty: all translatable)."""
    rest = _HTML.sub(" ", text)
    for phrase in ALLOWED_PHRASES:
        rest = rest.replace(phrase, " ")
    previous = None
    while previous != rest:  # innermost first: templates nest translated parts
        previous, rest = rest, _WRAPPED.sub(" ", rest)
    rest = _PATH.sub(" ", rest)  # file names and folders are the person's, not ours
    return [w for w in re.findall(r"[^\W\d_]+", rest) if w not in allowed]


# --------------------------------------------------------------------------- the .ts file


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    kind: str | None  # the translation's type attribute: None when finished
    n: int = -1  # a plural form's sample count (numerus="yes"), -1 otherwise


#: A count that selects each plural form in Spanish (the one translation): "one", "other".
PLURAL_SAMPLES = (1, 2)


def read_ts(path: Path) -> list[Message]:
    """One Message per text: a plural message gives one per form, each with its count."""
    root = ET.parse(path).getroot()
    messages = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            source, kind = message.findtext("source") or "", translation.get("type")
            if message.get("numerus") == "yes":
                forms = translation.findall("numerusform")
                assert len(forms) == len(PLURAL_SAMPLES), (name, source)
                messages.extend(
                    Message(name, source, form.text or "", kind, n)
                    for form, n in zip(forms, PLURAL_SAMPLES, strict=True)
                )
                continue
            messages.append(Message(name, source, translation.text or "", kind))
    return messages


MESSAGES = read_ts(TS_FILE)
KNOWN = {(m.context, m.source) for m in MESSAGES}
OUR_CONTEXTS = {m.context for m in MESSAGES}


class PseudoTranslator(QTranslator):
    """Answers with ⟦source⟧: for every lookup, or (``known``) only for our .ts entries."""

    def __init__(self, known: set[tuple[str, str]] | None = None) -> None:
        super().__init__()
        self.known = known
        self.missed: set[tuple[str, str]] = set()

    def wraps(self, context: str, source: str) -> bool:
        if self.known is None or (context, source) in self.known:
            return True
        # Qt's own texts (standard buttons...) are Qt's business, under Qt's contexts.
        return context not in OUR_CONTEXTS and re.fullmatch(r"Q[A-Za-z]+", context) is not None

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        if not self.wraps(context, source):
            self.missed.add((context, source))
            return ""
        return f"{OPEN}{source}{CLOSE}"

    def isEmpty(self) -> bool:
        return False


def pseudo_core(context: str, text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


# --------------------------------------------------------------------------- collecting


class Texts:
    """Human texts seen on screen, with where they were seen."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], None] = {}

    def add(self, where: str, text: object) -> None:
        if isinstance(text, str) and text.strip():
            self.items[(where, text)] = None

    def widget_tree(self, root: QWidget, where: str = "") -> None:
        where = where or f"{type(root).__name__}:{root.objectName() or root.windowTitle()}"
        for w in [root, *root.findChildren(QWidget)]:
            self.widget(w, f"{where} / {type(w).__name__}#{w.objectName()}")

    def widget(self, w: QWidget, where: str) -> None:
        if w.isWindow():
            self.add(f"{where} windowTitle", w.windowTitle())
        for name in ("toolTip", "accessibleName", "accessibleDescription", "statusTip"):
            self.add(f"{where} {name}", getattr(w, name)())
        if isinstance(w, QLabel):
            self.add(f"{where} text", w.text())
        if isinstance(w, QAbstractButton):
            self.add(f"{where} text", w.text())
        if isinstance(w, QGroupBox):
            self.add(f"{where} title", w.title())
        if isinstance(w, QLineEdit | QPlainTextEdit):
            self.add(f"{where} placeholder", w.placeholderText())  # text() is the person's
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                self.add(f"{where} item {i}", w.itemText(i))
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                self.add(f"{where} tab {i}", w.tabText(i))
                self.add(f"{where} tab {i} toolTip", w.tabToolTip(i))
        if isinstance(w, QAbstractSpinBox):
            self.add(f"{where} specialValueText", w.specialValueText())
        if isinstance(w, QSpinBox):
            self.add(f"{where} suffix", w.suffix())
            self.add(f"{where} prefix", w.prefix())
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            self.model(w.model(), where)
        if isinstance(w, QChartView) and w.chart() is not None:
            self.chart(w.chart(), where)
        if isinstance(w, QMenu):
            self.add(f"{where} title", w.title())
        if isinstance(w, QMessageBox):
            self.add(f"{where} text", w.text())
            self.add(f"{where} informativeText", w.informativeText())
        for action in w.actions():
            self.action(action, where)

    def action(self, action, where: str) -> None:
        if action.isSeparator():
            return
        label = f"{where} action {action.objectName() or action.text()}"
        self.add(f"{label} text", action.text())
        self.add(f"{label} toolTip", action.toolTip())
        self.add(f"{label} statusTip", action.statusTip())
        if action.menu() is not None:
            self.widget(action.menu(), f"{label} menu")

    def model(self, model, where: str) -> None:
        for column in range(model.columnCount()):
            self.add(
                f"{where} header {column}",
                model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole),
            )
        for row in range(min(model.rowCount(), 300)):
            for column in range(model.columnCount()):
                index = model.index(row, column)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    self.add(f"{where} cell {row},{column} role {role}", model.data(index, role))

    def chart(self, chart, where: str) -> None:
        self.add(f"{where} chart title", chart.title())
        for series in chart.series():
            self.add(f"{where} series", series.name())
            for bar_set in getattr(series, "barSets", list)():
                self.add(f"{where} bar set", bar_set.label())
        for axis in chart.axes():
            self.add(f"{where} axis title", axis.titleText())

    def problems(self) -> list[str]:
        allowed = set(ALLOWED_WORDS) | locale_words()
        found = []
        for where, text in self.items:
            stray = stray_words(text, allowed)
            if stray:
                found.append(f"{where}: {text!r} (not translatable: {', '.join(stray)})")
        return found


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(params=["any", "ts"])
def pseudo(request, qapp):
    translator = PseudoTranslator(None if request.param == "any" else KNOWN)
    QCoreApplication.installTranslator(translator)
    i18n.install(QCoreApplication.translate)
    yield translator
    QCoreApplication.removeTranslator(translator)
    i18n.install(None)


@pytest.fixture
def core_pseudo():
    i18n.install(pseudo_core)
    yield
    i18n.install(None)


def _seed_history(path: Path, now: datetime) -> None:
    """A history with every kind of event, engine notes, and open and closed spasms."""
    store = HistoryStore(path)
    t = now - timedelta(days=2)
    for kind in (
        EventKind.BREAK_DUE,
        EventKind.BREAK_STARTED,
        EventKind.BREAK_COMPLETED,
        EventKind.BREAK_POSTPONED,
        EventKind.BREAK_SKIPPED,
        EventKind.BREAK_NATURAL,
    ):
        for subject in ("micro", "posture"):
            t += timedelta(minutes=3)
            store.record(kind, t, subject=subject, planned_seconds=20, actual_seconds=20)
    for note in (
        "postpone 2",
        "from warning",
        "ended early",
        "asleep",
        "clock moved ahead",
    ):
        t += timedelta(minutes=3)
        store.record(EventKind.BREAK_POSTPONED, t, subject="posture", note=note)
    for kind in (
        EventKind.THERAPY_STARTED,
        EventKind.THERAPY_COMPLETED,
        EventKind.THERAPY_STOPPED_EARLY,
        EventKind.THERAPY_OVERRUN,
    ):
        for subject in ("ice", "heat"):
            t += timedelta(minutes=3)
            store.record(kind, t, subject=subject, planned_seconds=900, actual_seconds=845)
    t += timedelta(minutes=3)
    store.record(
        EventKind.THERAPY_OVERRUN,
        t,
        subject="ice",
        note="NeckCare was not running at the planned end 2026-02-28T10:00:00+01:00",
    )
    t += timedelta(minutes=3)
    store.record(
        EventKind.THERAPY_OVERRUN,
        t,
        subject="heat",
        note="the alert came late: the computer was asleep or the clock moved at the planned "
        "end 2026-02-28T10:30:00+01:00",
    )
    t += timedelta(minutes=3)
    store.record(EventKind.THERAPY_STOPPED_EARLY, t, subject="ice", note="Phone call")
    for kind in (EventKind.HYDRATION_REMINDER, EventKind.APP_STARTED, EventKind.APP_QUIT):
        t += timedelta(minutes=3)
        store.record(kind, t)
    old = store.log_episode(now - timedelta(days=20), 5, ["stress"], [], "Long drive", now=now)
    store.update_pain(old.id, 3, now - timedelta(days=19))
    store.resolve_episode(old.id, now - timedelta(days=18))
    store.log_episode(now - timedelta(days=9), 4, list(TRIGGERS), [], None, now=now)
    store.close()


def _take_modal(texts: Texts, where: str) -> None:
    """Collect the texts of the modal box that is about to block, then close it."""

    def grab() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(10, grab)
            return
        texts.widget_tree(box, where)
        box.close()

    QTimer.singleShot(0, grab)


# --------------------------------------------------------------------------- the UI walk


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
@pytest.mark.expect_log("neckcare_desktop.app", logging.WARNING, r"settings:")
@pytest.mark.expect_log("neckcare_desktop.history_jobs", logging.WARNING, r"CSV export")
def test_every_visible_text_in_the_ui_is_translatable(pseudo, qtbot, tmp_path, monkeypatch):
    before = set(QApplication.topLevelWidgets())
    texts = Texts()

    def windows(step: str) -> None:
        for widget in QApplication.topLevelWidgets():
            if widget not in before:
                texts.widget_tree(widget, f"[{step}] {type(widget).__name__}")

    def notified(step: str) -> None:
        if app.notifier.last is not None:
            title, text = app.notifier.last
            texts.add(f"[{step}] notification title", title)
            texts.add(f"[{step}] notification text", text)

    # Years ahead of the real clock: the app's real scheduler must not fire jobs that this
    # test runs by hand (on a manual clock in the past, each would come due at once).
    clock = ManualClock(datetime(2036, 3, 3, 9, 0, tzinfo=TEST_TZ))
    paths = AppPaths(tmp_path / "config", tmp_path / "data", tmp_path / "log")
    paths.ensure()
    _seed_history(paths.history_file, clock.now())

    from neckcare_desktop.app import NeckCareApp

    # A settings file with a mistake: the start-up notice names it.
    paths.settings_file.write_text("[therapy]\nice_minutes = 25\n", encoding="utf-8")
    app = NeckCareApp(paths, clock=clock, tray_available=True)
    app.sound = FakeSound()
    try:
        app.start()
        notified("start")
        # A broken settings file is no first run (issue 14): the question is not asked by
        # itself; its words are walked all the same.
        app.first_run.ask()
        windows("first start")
        texts.add("tray tooltip", app.tray.tray.toolTip())

        # Ice: started, refused while running, stopped, during the rest, ended.
        app.actions.start_ice.trigger()
        notified("ice started")
        texts.add("tray tooltip (ice)", app.tray.tray.toolTip())
        app.controller.start_therapy(TherapyKind.HEAT)
        windows("heat refused")
        app.actions.stop_timer.trigger()
        notified("ice stopped")
        app.status.refresh()
        windows("ice rest")
        app.ask_confirm = lambda title, text: (
            texts.add("confirm", title) or texts.add("confirm text", text)
        )
        app.actions.start_ice.trigger()
        app.engine.therapy.ice_rest_until = None
        app.controller.start_therapy(TherapyKind.HEAT)
        clock.advance(timedelta(minutes=16))
        app.engine._on_therapy_end()
        notified("heat ended")
        windows("heat alert")
        app.controller.start_therapy(TherapyKind.ICE, 10)
        clock.advance(timedelta(minutes=30))  # the computer slept through the end
        app.engine._on_therapy_end()
        notified("ice overran")
        windows("ice alert")
        for alert in list(app.alerts.waiting):
            alert.acknowledge()

        # Breaks: due, running, over; the warning and a postpone from its notification.
        clock.set(datetime(2036, 3, 3, 12, 0, tzinfo=TEST_TZ))
        app.engine.resume()
        clock.advance(timedelta(minutes=20))
        app.engine._on_break_due()
        notified("micro-break due")
        windows("micro-break due")
        app.breaks.window.start_button.click()
        windows("micro-break running")
        clock.advance(timedelta(seconds=20))
        app.engine._on_break_end()
        notified("micro-break over")
        app.controller.apply_settings(tweak(app.engine.settings, **{"breaks.micro.enabled": False}))
        clock.set(datetime(2036, 3, 3, 12, 50, tzinfo=TEST_TZ) - timedelta(seconds=30))
        app.engine._on_break_warning()
        notified("warning")
        app.breaks.on_message_clicked()
        notified("postponed from the warning")
        clock.set(datetime(2036, 3, 3, 12, 55, tzinfo=TEST_TZ))
        app.engine._on_break_due()
        notified("posture break due")
        windows("posture break due")
        app.breaks.window.start_button.click()
        windows("posture break running")
        app.controller.take_break_now()
        app.engine.skip_break()
        from neckcare_desktop.ui.break_window import BreakWindow

        for seconds, can_postpone, can_skip in ((1, False, True), (60, False, False)):
            window = BreakWindow(
                BreakKind.POSTURE,
                None,
                seconds,
                5,
                lambda: 59.0,
                can_postpone=can_postpone,
                can_skip=can_skip,
            )
            texts.widget_tree(window, f"break window {seconds} s")
            window.finish()
            window.deleteLater()

        # Pause, resume, a hydration reminder, a history file that cannot be written.
        app.controller.pause("30")
        notified("paused")
        windows("paused")
        app.controller.pause("tomorrow")
        app.status.refresh()
        texts.add("tray tooltip (paused)", app.tray.tray.toolTip())
        app.controller.resume()
        app.engine._next_hydration = clock.now()
        app.engine._on_hydration()
        notified("water")
        paths.settings_file.write_text("[breaks]\nstrict = 3\n", encoding="utf-8")
        app.settings_watcher.check()
        notified("settings file changed")

        # Settings, with a refusal shown inside the dialog.
        app.controller.show_settings()
        dialog = app.windows.get(SETTINGS)
        dialog.save_values({"therapy.ice_minutes": 25, "working_hours.days": "someday"})
        windows("settings")
        dialog.close()

        # History: charts, every event, the hover tooltips, export, delete, errors.
        shown: list[str] = []

        class FakeToolTip:
            @staticmethod
            def showText(_pos, text, _widget=None) -> None:
                shown.append(text)

            @staticmethod
            def hideText() -> None:
                pass

        import neckcare_desktop.ui.history.charts as history_charts

        monkeypatch.setattr(history_charts, "QToolTip", FakeToolTip)
        app.controller.show_history()
        window = app.windows.get(HISTORY)
        for days in (7, 30, 90):
            window.set_range_days(days)
            windows(f"history {days} days")
        charts = window.charts
        for index in range(len(charts.summaries)):
            charts._on_breaks_hovered(True, index, None)
            charts._on_therapy_hovered(True, index, None)
        from PySide6.QtCore import QPointF

        pain_days = [i for i, s in enumerate(charts.summaries) if s.max_pain is not None]
        charts._on_pain_hovered(QPointF(pain_days[0], 4), True)
        for text in shown:
            texts.add("history chart tooltip", text)
        for i in range(window.filter_combo.count()):
            window.filter_combo.setCurrentIndex(i)
            windows(f"history filter {i}")
        window.ask_export_path = lambda: tmp_path / "export.csv"
        window.export_csv()
        windows("history exported")
        window.ask_export_path = lambda: tmp_path / "missing" / "folder" / "export.csv"
        window.export_csv()
        windows("history export failed")
        window.open_folder = lambda path: False
        window._open_data_folder()
        windows("history open folder failed")
        _take_modal(texts, "delete all?")
        window.confirm_delete()
        window.close()

        # The spasm log: problems shown inline, then saved with a warning sign.
        app.controller.log_spasm()
        spasm = app.windows.get(SPASM)
        spasm.save()  # no pain score yet
        spasm.on_radio.setChecked(True)
        spasm.on_datetime.setDateTime(spasm.on_datetime.dateTime().addYears(2))
        spasm.pain.edit.setText("12")
        spasm.validate()
        windows("spasm problems")
        spasm.pain.set_value(7)
        spasm.now_radio.setChecked(True)
        for box in spasm.sign_boxes.values():
            box.setChecked(True)
        spasm.save()
        windows("see someone")
        app.controller.update_spasm()
        windows("spasm update")
        app.windows.get(SPASM).pain.edit.setText("x")
        app.windows.get(SPASM).save()
        windows("spasm update problem")
        app.windows.get(SPASM).close()
        from neckcare_desktop.ui.spasm_dialog import SpasmDialog

        for episode_id in (1, 999):  # resolved long ago; no longer in the history
            other = SpasmDialog.for_update(app.history, episode_id, clock.now)
            texts.widget_tree(other, f"spasm update {episode_id}")
            other.deleteLater()

        # The fallback window, for desktops without a tray.
        from neckcare_desktop.ui.status_window import StatusWindow

        fallback = StatusWindow(app.actions, fallback=True)
        texts.widget_tree(fallback, "fallback status window")
        fallback.fallback = False
        fallback.deleteLater()

        # Refusals sent back to the `neckcare` command line.
        app.engine.therapy.ice_rest_until = clock.now() + timedelta(minutes=30)
        for request in (Request("ice", {}), Request("heat", {"minutes": 99}), Request("x", {})):
            try:
                app.handle_request(request)
            except CommandRefused as exc:
                texts.add(f"refusal to {request.cmd}", str(exc))
    finally:
        box = app.first_run.box
        if box is not None:
            box.close()
        app.shutdown()

    problems = texts.problems()
    assert not problems, "\n".join(problems)
    assert len(texts.items) > 300  # the walk really saw the windows
    if pseudo.known is not None:
        assert not pseudo.missed, sorted(pseudo.missed)


# --------------------------------------------------------------------------- core texts


def core_texts(clock: ManualClock) -> Iterable[tuple[str, str]]:
    """Every kind of text core produces for people: status lines, notices, refusals."""
    store = HistoryStore(MEMORY)
    rig = make_rig(clock, store)
    yield from (("status", line) for line in rig.status)
    rig.engine.start_therapy(TherapyKind.ICE)
    yield from (("status", line) for line in rig.status)
    for event in rig.rec.of(ev.TherapyStarted):
        yield "advice", event.advice
    rig.engine.stop_therapy()
    yield from (("status", line) for line in rig.status)
    for kind in TherapyKind:
        rig.engine.therapy.ice_rest_until = None
        rig.engine.start_therapy(kind, confirm_during_rest=True)
        yield from (("status", line) for line in rig.status)
        rig.run(minutes=16)
        rig.engine.start_therapy(kind, 1, confirm_during_rest=True)
        rig.run(minutes=30)
    for event in rig.rec.of(ev.TherapyEnded):
        yield "end advice", event.advice
    rig.engine.therapy.ice_rest_until = None
    rig.engine.start_therapy(TherapyKind.HEAT, 5)
    clock.advance(timedelta(minutes=20))
    rig.engine._on_therapy_end()  # late: the overrun advice
    yield "overrun advice", rig.rec.of(ev.TherapyEnded)[-1].advice
    for choice in ("30", "tomorrow"):
        rig.engine.pause(choice)
        yield from (("status", line) for line in rig.status)
    rig.engine.breaks.pause(clock.now() + timedelta(days=3), clock.now())
    yield from (("status", line) for line in rig.status)
    rig.engine.resume()
    for kind in BreakKind:
        rig.engine.take_break_now(kind)
        yield from (("status", line) for line in rig.status)
        rig.engine.skip_break()
    rig.run(minutes=20)
    yield from (("status due", line) for line in rig.status)
    for intent in (rig.engine.postpone_break, rig.engine.skip_break, rig.engine.pause):
        try:
            intent("0") if intent == rig.engine.pause else intent()
        except (BreakStateError, ValueError) as exc:
            yield "break refusal", str(exc)
    strict = make_rig(
        clock, HistoryStore(MEMORY), tweak(default_settings(), **{"breaks.strict": True})
    )
    strict.run(minutes=20)
    for intent in (strict.engine.postpone_break, strict.engine.skip_break):
        try:
            intent()
        except BreakStateError as exc:
            yield "strict refusal", str(exc)
    strict.engine.start_break()
    try:
        strict.engine.skip_break()
    except BreakStateError as exc:
        yield "strict refusal", str(exc)
    try:
        strict.engine.breaks.pause(clock.now() - timedelta(minutes=1), clock.now())
    except BreakStateError as exc:
        yield "pause refusal", str(exc)
    limited = make_rig(
        clock, HistoryStore(MEMORY), tweak(default_settings(), **{"breaks.max_postpones": 0})
    )
    limited.run(minutes=20)
    try:
        limited.engine.postpone_break()
    except BreakStateError as exc:
        yield "postpone limit", str(exc)
    # Away, held for a fullscreen window, all off, a compressed time scale, off hours.
    away = make_rig(clock, HistoryStore(MEMORY))
    away.idle(30 * 60)
    yield from (("status away", line) for line in away.status)
    held = make_rig(clock, HistoryStore(MEMORY))
    held.presence.dnd = "fullscreen window: 'Firefox'"
    held.run(minutes=20)
    yield from (("status held", line) for line in held.status)
    off = make_rig(
        clock,
        HistoryStore(MEMORY),
        tweak(
            default_settings(),
            **{"breaks.micro.enabled": False, "breaks.posture.enabled": False},
        ),
    )
    yield from (("status off", line) for line in off.status)
    fast = make_rig(clock, HistoryStore(MEMORY), scale=TimeScale(60))
    yield from (("status scaled", line) for line in fast.status)
    for day in (2, 6):  # a Monday evening and a Friday evening
        hours_clock = ManualClock(datetime(2026, 3, day, 20, 0, tzinfo=TEST_TZ))
        hours = make_rig(
            hours_clock,
            HistoryStore(MEMORY),
            tweak(default_settings(), **{"working_hours.enabled": True}),
        )
        yield from (("status off hours", line) for line in hours.status)
    # Water, a restarted app with ice on, a history file that refuses writes.
    water = make_rig(clock, HistoryStore(MEMORY))
    water.run(minutes=61)
    resumed_store = HistoryStore(MEMORY)
    resumed_store.record(
        EventKind.THERAPY_STARTED, clock.now(), subject="heat", planned_seconds=900
    )
    resumed = make_rig(clock, resumed_store)
    broken = make_rig(clock, HistoryStore(MEMORY))
    broken.history.close()
    broken.engine.take_break_now()
    for r in (water, resumed, broken):
        for notice in r.rec.of(ev.Notice):
            yield "notice title", notice.title
            yield "notice text", notice.text
    # Therapy refusals.
    timer = TherapyTimer(TherapyRules())
    for kind, minutes in ((TherapyKind.ICE, 25), (TherapyKind.HEAT, 99), (TherapyKind.ICE, 1.5)):
        try:
            check_minutes(kind, minutes)
        except TherapyError as exc:
            yield "therapy refusal", str(exc)
    timer.start(TherapyKind.ICE, clock.now())
    for kind in TherapyKind:
        try:
            timer.start(kind, clock.now())
        except TherapyError as exc:
            yield "therapy refusal", str(exc)
    timer.stop(clock.now())
    for call in (
        lambda: timer.start(TherapyKind.ICE, clock.now()),
        lambda: timer.stop(clock.now()),
        lambda: TherapyRules(ice_rest_minutes=5),
    ):
        try:
            call()
        except TherapyError as exc:
            yield "therapy refusal", str(exc)


def settings_texts(tmp_path: Path) -> Iterable[tuple[str, str]]:
    for spec in FIELDS:
        yield f"{spec.key} label", spec.label_text()
        yield f"{spec.key} hint", spec.hint_text()
        yield f"{spec.key} unit", spec.unit_text()
    bad_values = {
        "therapy.ice_minutes": [25, "ten", True],
        "breaks.strict": ["yes"],
        "app.language": ["fr", 3],
        "working_hours.days": ["", "someday"],
        "working_hours.start": ["9 o'clock"],
        "breaks.max_postpones": [11],
        "breaks.warning_seconds": [999],
        "therapy.heat_minutes": [45],
        "therapy.ice_rest_minutes": [5],
        "notifications.volume": [[1], {"a": 1}, None, 1.5, 10**5000],
    }
    for key, values in bad_values.items():
        for value in values:
            try:
                settings_from_dict({key: value})
            except SettingsError as exc:
                yield f"{key} refusal", str(exc)
            except ValueError:  # pragma: no cover - 10**5000 cannot even be repr'd
                pass
    for data in (
        [],
        {"schema_version": "one"},
        {"schema_version": 99},
        {"schema_version": 0},
        {"nope": 1},
        {"breaks": {1: 2}},
        {"breaks": 3},
        {"breaks.strict": True, "breaks": {"strict": True}},
    ):
        try:
            settings_from_dict(data)  # type: ignore[arg-type]
        except SettingsError as exc:
            yield "settings refusal", str(exc)
    now = datetime(2026, 3, 2, 9, 0, tzinfo=TEST_TZ)
    for name, content in (
        ("bad-utf8.toml", b"x = '\xff'\n"),
        ("bad-toml.toml", b"[therapy\n"),
        ("bad-value.toml", b"[therapy]\nice_minutes = 25\n"),
    ):
        path = tmp_path / name
        path.write_bytes(content)
        for problem in load_settings(path, now).problems:
            yield f"{name} problem", problem
    unreadable = tmp_path / "folder.toml"
    unreadable.mkdir()
    for problem in load_settings(unreadable, now).problems:
        yield "unreadable settings", problem


def other_core_texts(tmp_path: Path) -> Iterable[tuple[str, str]]:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=TEST_TZ)
    for stretch in default_stretches():
        yield f"stretch {stretch.id} title", stretch.title_text()
        yield f"stretch {stretch.id} how", stretch.how_text()
    for phase in ("acute", "lingering"):
        yield "phase", guidance.status_line(phase)  # type: ignore[arg-type]
    episodes = [Episode(i, now - timedelta(days=9 - i), 5, (), (), None, None) for i in range(3)]
    yield from (
        ("see someone", reason)
        for reason in guidance.see_someone_reasons(episodes, episodes, now, list(WARNING_SIGNS))
    )
    yield from (
        ("see someone", reason)
        for reason in guidance.see_someone_reasons([], [], now, ["headache"])
    )
    for label in TRIGGERS.values():
        yield "trigger", i18n.translate("Trigger", label)
    store = HistoryStore(tmp_path / "history.sqlite3")
    episode = store.log_episode(now, 5, now=now)
    store.resolve_episode(episode.id, now)
    for call in (
        lambda: store.update_pain(episode.id, 3, now),
        lambda: store.update_pain(999, 3, now),
        lambda: store.update_pain(episode.id, 11, now),
        lambda: store.export(tmp_path / "missing" / "out.csv"),
    ):
        try:
            call()
        except (HistoryError, ValueError) as exc:
            yield "history refusal", str(exc)
    store.close()
    try:
        store.recent()
    except HistoryError as exc:
        yield "history closed", str(exc)
    newer = tmp_path / "newer.sqlite3"
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 99")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    for path in (newer, junk):
        opened = open_history(path, now)
        yield f"{path.name} problem", opened.problem or ""
        opened.store.close()
    for state in (2, 3, 4, 6):
        yield "windows do-not-disturb", dnd.notification_state_reading(state).reason


@pytest.mark.expect_log("neckcare_desktop.core.engine", logging.ERROR, r"could not record")
@pytest.mark.expect_log("neckcare_desktop.core.history.recovery", logging.ERROR, r"")
@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"")
def test_every_text_core_writes_for_people_is_translatable(core_pseudo, tmp_path):
    clock = ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=TEST_TZ))
    allowed = set(ALLOWED_WORDS)
    seen = [
        *core_texts(clock),
        *settings_texts(tmp_path),
        *other_core_texts(tmp_path),
    ]
    problems = [
        f"{where}: {text!r} (not translatable: {', '.join(stray)})"
        for where, text in seen
        if (stray := stray_words(text, allowed))
    ]
    assert not problems, "\n".join(problems)
    assert len(seen) > 150


def test_the_check_catches_a_text_that_skips_translation():
    """The checker itself: words outside ⟦…⟧ are reported, allowed ones are not."""
    allowed = set(ALLOWED_WORDS)
    assert stray_words("Start ice", allowed) == ["Start", "ice"]
    assert stray_words("⟦Start ice⟧", allowed) == []
    assert stray_words("⟦Ice: 5 min left⟧\nNext break", allowed) == ["Next", "break"]
    assert stray_words("NeckCare\n⟦Ice: 5 min left⟧ · 12:30 (3)", allowed) == []
    assert stray_words("⟦Could not read /home/a b/x.toml: ⟦nothing⟧⟧.", allowed) == []
    assert stray_words("<b>⟦Ice started⟧</b><br>Wrap it", allowed) == ["Wrap", "it"]
    assert stray_words("⟦Saved to⟧ /tmp/export.csv", allowed) == []


# --------------------------------------------------------------------------- the Spanish files


def test_spanish_ts_is_complete_with_no_leftovers():
    assert len(MESSAGES) > 400
    unfinished = [m.source for m in MESSAGES if m.kind is not None or not m.translation]
    assert not unfinished, f"{len(unfinished)} untranslated or stale: {unfinished[:10]}"
    text = TS_FILE.read_text(encoding="utf-8")
    assert 'type="vanished"' not in text and 'type="obsolete"' not in text
    assert 'language="es"' in text and 'sourcelanguage="en"' in text
    contexts = {m.context for m in MESSAGES}
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", c) for c in contexts), contexts


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{[a-z_]*\}|%\d", text))


def _mnemonics(text: str) -> int:
    return len(re.findall(r"(?<!&)&(?!&)\w", text))


def _lost_in_translation(message: Message) -> list[str]:
    """What the Spanish text lost of the English one (empty when nothing)."""
    lost = []
    if _placeholders(message.translation) != _placeholders(message.source):
        lost.append(f"placeholders {_placeholders(message.source)}")
    if _mnemonics(message.translation) != _mnemonics(message.source):
        lost.append(f"{_mnemonics(message.source)} & shortcut(s)")
    # Leading and trailing spaces are part of how texts are joined.
    if message.translation[:1].isspace() != message.source[:1].isspace():
        lost.append("the leading space")
    if message.translation[-1:].isspace() != message.source[-1:].isspace():
        lost.append("the trailing space")
    return lost


def test_spanish_keeps_placeholders_and_shortcuts():
    assert len(MESSAGES) > 400
    offenders = [
        f"{m.context}: {m.source!r} -> {m.translation!r}: keep {', '.join(lost)}"
        for m in MESSAGES
        if (lost := _lost_in_translation(m))
    ]
    assert not offenders, f"{len(offenders)} translations:\n" + "\n".join(offenders)


def test_shipped_qm_answers_every_message_of_the_ts(qapp):
    translator = QTranslator()
    assert translator.load(str(QM_FILE))
    wrong = [
        (m.context, m.source)
        for m in MESSAGES
        if translator.translate(m.context, m.source, None, m.n) != m.translation
    ]
    assert not wrong, wrong[:10]


def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required on CI (it ships with PySide6)")
        pytest.skip(f"{name} is not installed")
    return found


def test_shipped_qm_is_compiled_from_the_ts(tmp_path):
    fresh = tmp_path / "fresh.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), str(TS_FILE), "-qm", str(fresh)],
        check=True,
        capture_output=True,
    )
    assert fresh.read_bytes() == QM_FILE.read_bytes(), "run: python tools/update_translations.py"


def _load_tool():
    path = ROOT / "tools" / "update_translations.py"
    if not path.exists():  # an sdist ships no tools/
        if os.environ.get("CI") == "true":
            pytest.fail("tools/update_translations.py is missing from the checkout")
        pytest.skip("tools/update_translations.py is not in this tree")
    spec = importlib.util.spec_from_file_location("update_translations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ts_is_up_to_date_with_the_code():
    _tool("pyside6-lupdate")
    problems = _load_tool().check()
    assert not problems, "\n".join(problems) + "\nrun: python tools/update_translations.py"


def test_generated_stretch_texts_match_the_stretch_list():
    from neckcare_desktop.core.stretch_texts import STRETCH_TEXTS

    expected = [text for s in default_stretches() for text in (s.title, s.how)]
    assert list(STRETCH_TEXTS) == expected, "run: python tools/update_translations.py"
    tool = _load_tool()
    toml = (ROOT / "resources" / "stretches.toml").read_text(encoding="utf-8")
    generated = ROOT / "src" / "neckcare_desktop" / "core" / "stretch_texts.py"
    assert generated.read_text(encoding="utf-8") == tool.render_stretch_texts(toml)


def test_real_spanish_reaches_core_and_qt(qapp):
    """With the shipped files installed, core, our widgets and Qt's buttons speak Spanish."""
    from neckcare_desktop import translations

    assert "es" in translations.available_languages()
    try:
        translations.install("es")
        assert i18n.translate("Engine", "Next break in {minutes} min") != (
            "Next break in {minutes} min"
        )
        assert QCoreApplication.translate("AppActions", "Start ice") == "Aplicar hielo"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancelar"
    finally:
        translations.uninstall()
    assert i18n.translate("Engine", "Next break in {minutes} min") == "Next break in {minutes} min"
    assert QCoreApplication.translate("AppActions", "Start ice") == "Start ice"


@pytest.mark.parametrize(
    ("setting", "ui_languages", "expected"),
    [
        ("auto", ["es-ES", "es", "en"], "es"),
        ("auto", ["es-MX"], "es"),
        ("auto", ["en-US", "es-ES"], "en"),
        ("auto", ["de-DE", "es-ES"], "es"),
        ("auto", ["de-DE"], "en"),
        ("auto", ["C"], "en"),
        ("en", ["es-ES"], "en"),
        ("es", ["en-US"], "es"),
        ("xx", ["es-ES"], "en"),
    ],
)
@pytest.mark.expect_log(
    "neckcare_desktop.translations", logging.WARNING, r"translation is installed"
)
def test_language_choice_follows_the_system_unless_set(
    setting: str, ui_languages: list[str], expected: str
):
    from neckcare_desktop import translations

    class FakeLocale:
        def uiLanguages(self) -> list[str]:
            return ui_languages

        def name(self) -> str:
            return ui_languages[0].replace("-", "_")

    assert translations.choose_language(setting, FakeLocale()) == expected  # type: ignore[arg-type]


def test_retired_language_value_keeps_the_rest_of_the_file(tmp_path):
    from neckcare_desktop.core.settings import read_language

    path = tmp_path / "settings.toml"
    path.write_text('[app]\nlanguage = "de"\n[therapy]\nice_minutes = 12\n', encoding="utf-8")
    result = load_settings(path, datetime(2026, 3, 2, tzinfo=TEST_TZ))
    assert result.problems == []
    assert result.settings.app.language == "auto"
    assert result.settings.therapy.ice_minutes == 12
    assert read_language(path) == "auto"
    path.write_text('[app]\nlanguage = "es"\n', encoding="utf-8")
    assert read_language(path) == "es"
    path.write_text("[app\n", encoding="utf-8")
    assert read_language(path) == "auto"
    assert read_language(tmp_path / "missing.toml") == "auto"
