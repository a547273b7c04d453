"""Call detection wired into the running app: a call holds a due break, its end offers it
with the reason, the setting turns detection (and its monitor) off, Settings says what
detection cannot see, and presence tells the engine how long ago the last input was."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal

import neckcare_desktop.desktop_sources as sources
from fakes import later, manual_clock
from neckcare_desktop.core import events as ev
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.presence import PresenceWatcher


class FakeCallMonitor(QObject):
    """platform.calls.CallMonitor as the app uses it."""

    in_call_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, describe: str | None = None) -> None:
        super().__init__(parent)
        self.on = False
        self.closed = False
        self._describe = describe

    def in_call(self) -> bool:
        return self.on

    def set_call(self, on: bool) -> None:
        self.on = on
        self.in_call_changed.emit(on)

    def available(self) -> bool:
        return self._describe is None

    def describe(self) -> str | None:
        return self._describe

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def monitors(monkeypatch: pytest.MonkeyPatch) -> list[FakeCallMonitor]:
    made: list[FakeCallMonitor] = []

    def make(parent: QObject) -> FakeCallMonitor:
        made.append(FakeCallMonitor(parent, describe="Call detection is not available here."))
        return made[-1]

    monkeypatch.setattr(sources, "default_call_monitor", make)
    return made


def _events(app: Any) -> list[object]:
    seen: list[object] = []
    app.engine.subscribe(seen.append)
    return seen


MICRO_OFF = {"micro": {"enabled": False}, "posture": {"interval_minutes": 30}}


def test_a_call_holds_the_due_break_and_its_end_offers_it_with_the_reason(make_app, monitors):
    app = make_app(manual=True, breaks=MICRO_OFF)
    (monitor,) = monitors
    seen = _events(app)
    monitor.set_call(True)
    later(app, minutes=45)  # the break came due 15 min ago, in the call
    assert not [e for e in seen if isinstance(e, ev.BreakDue)]
    status = app.engine.status()
    assert status.in_call
    assert "In a call: breaks wait" in status.lines[0]
    monitor.set_call(False)
    later(app, seconds=61)  # within a minute, after the pause in typing (none: no input)
    offered = [e for e in seen if isinstance(e, ev.BreakDue)]
    assert len(offered) == 1
    assert offered[0].reason == "Your call ended: time for the break you held"


def test_respect_calls_off_stops_the_monitor_and_breaks_come_in_a_call(make_app, monitors):
    app = make_app(manual=True, breaks=MICRO_OFF)
    (monitor,) = monitors
    monitor.set_call(True)
    settings = app.engine.settings
    off = replace(settings, breaks=replace(settings.breaks, respect_calls=False))
    app.controller.apply_settings(off)
    assert monitor.closed
    assert not app.presence.in_call()
    seen = _events(app)
    later(app, minutes=31)
    assert [e for e in seen if isinstance(e, ev.BreakDue)]


def test_settings_say_what_call_detection_cannot_see(make_app, monitors, qtbot):
    app = make_app(manual=True)
    assert app.calls.describe() == "Call detection is not available here."


def test_no_monitor_means_no_call(make_app):
    app = make_app(manual=True)  # conftest: no call detection in offscreen tests
    assert app.calls.describe() is None
    assert app.presence.in_call() is False


def test_input_idle_seconds_ages_a_fresh_reading_and_asks_for_a_new_one(qapp):
    clock = manual_clock()
    asked: list[Any] = []

    class Source:
        def request(self, done: Any) -> None:
            asked.append(done)

    watcher = PresenceWatcher(Source(), lambda: None, clock, TimeScale(1.0))
    assert watcher.input_idle_seconds() == 0.0  # nothing read yet, a reading is on its way
    asked.pop()((2.0, False))
    clock.advance(1.5)
    assert watcher.input_idle_seconds() == pytest.approx(3.5)  # 2 s idle, 1.5 s ago
    clock.advance(5)
    assert watcher.input_idle_seconds() == 0.0  # too old to tell: wait, and ask again
    assert asked, "a fresh reading was asked for"


def test_input_idle_seconds_is_none_where_idle_time_cannot_be_read(qapp):
    watcher = PresenceWatcher(lambda: None, lambda: None, manual_clock(), TimeScale(1.0))
    assert watcher.input_idle_seconds() is None  # then a due break starts at once


def test_quitting_stops_call_detection_for_good(make_app, monitors, qtbot):
    """An engine event during shutdown (the "quit" record) once started a new monitor and
    a status refresh that wrote into the deleted status window."""
    app = make_app(manual=True)
    app.windows.status.present()
    (monitor,) = monitors
    app.shutdown()
    assert monitor.closed
    app.calls.apply(app.engine.settings)  # what an engine event after shutdown does
    assert len(monitors) == 1
    assert app.windows.status_if_built is None
    app.status.refresh()  # a late refresh finds no deleted window to write to
