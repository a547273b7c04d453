"""The app's questions: quitting while ice or heat runs, and "Ice again so soon?".

Both are non-blocking boxes (``open()`` + ``finished``): each test triggers the action,
gets control back while the box waits (an ``exec()`` would hang right there), answers it
the way a person would (Enter, Escape, a click) and checks what happened.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QSystemTrayIcon

from conftest import TEST_TZ
from neckcare_desktop.app import NeckCareApp
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.ipc_protocol import Request
from neckcare_desktop.core.therapy import TherapyKind
from neckcare_desktop.paths import AppPaths
from neckcare_desktop.platform.single_instance import CommandRefused
from neckcare_desktop.prompts import ICE_DURING_REST, QUIT

ICE_WARNING = "Ice is on: 15 min left. If NeckCare quits, no alert will tell you to take it off."


@pytest.fixture
def clock() -> ManualClock:
    """Years ahead of the real clock: the app's real scheduler never fires on its own here."""
    return ManualClock(datetime(2036, 3, 3, 9, 0, tzinfo=TEST_TZ))


@pytest.fixture
def make_app(clock, make_app):
    """conftest's app on this module's ``clock``; ``app.quits`` counts quit requests."""

    def make(*, tray: bool = True) -> NeckCareApp:
        app = make_app(tray=tray, clock=clock, start=False)
        app.quits = []  # type: ignore[attr-defined]
        app.quit_requested.connect(lambda: app.quits.append(True))
        app.start()
        return app

    return make


def open_box(app: NeckCareApp, topic: str) -> QMessageBox:
    box = app.prompts.question(topic)
    assert box is not None, f"no {topic} question is open"
    assert box.isVisible()
    return box


def no_nested_loop(app: NeckCareApp, topic: str) -> None:
    """The action returned while the question waits: it was opened, not exec()'d."""
    box = open_box(app, topic)
    assert QCoreApplication.instance().activeModalWidget() in (box, None)
    assert box.windowModality() is not Qt.WindowModality.ApplicationModal


# -- quitting --------------------------------------------------------------------------------


def test_quit_with_no_timer_running_quits_at_once(make_app):
    app = make_app()
    app.actions.quit.trigger()
    assert app.quits == [True]
    assert app.prompts.question(QUIT) is None


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Escape])
def test_quit_while_ice_runs_asks_and_enter_or_escape_keeps_it_running(make_app, qtbot, key):
    app = make_app()
    app.actions.start_ice.trigger()
    app.actions.quit.trigger()
    no_nested_loop(app, QUIT)
    box = open_box(app, QUIT)
    assert box.windowTitle() == "Quit NeckCare?"
    assert box.text() == ICE_WARNING + " Quit anyway?"
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.No)
    assert app.quits == []  # nothing happens until the person answers
    qtbot.keyClick(box, key)
    assert not box.isVisible()
    assert app.quits == []
    assert app.engine.therapy.active is not None
    assert app.prompts.question(QUIT) is None


def test_quit_anyway_quits(make_app, qtbot):
    app = make_app()
    app.actions.start_ice.trigger()
    app.actions.quit.trigger()
    box = open_box(app, QUIT)
    with qtbot.waitSignal(app.quit_requested, timeout=1000):
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert app.quits == [True]


def test_quit_while_heat_runs_names_heat_and_the_minutes_left(make_app, clock):
    app = make_app()
    app.controller.start_therapy(TherapyKind.HEAT, 20)
    clock.advance(timedelta(minutes=7, seconds=30))
    app.actions.quit.trigger()
    assert open_box(app, QUIT).text() == (
        "Heat is on: 13 min left. If NeckCare quits, no alert will tell you to take it off. "
        "Quit anyway?"
    )


def test_quitting_twice_asks_once(make_app):
    app = make_app()
    app.actions.start_ice.trigger()
    app.actions.quit.trigger()
    first = open_box(app, QUIT)
    app.actions.quit.trigger()
    assert open_box(app, QUIT) is first
    boxes = [w for w in QCoreApplication.instance().topLevelWidgets() if w.isVisible()]
    assert sum(isinstance(w, QMessageBox) for w in boxes) == 1


def test_fallback_window_quit_asks_on_that_window(make_app, qtbot, expect_log):
    expect_log("neckcare_desktop.app", logging.WARNING, "no system tray available")
    app = make_app(tray=False)
    window = app.windows.status
    window.buttons["start_ice"].click()
    window.buttons["quit"].click()
    box = open_box(app, QUIT)
    assert box.parentWidget() is window  # window-modal to it: no second Quit click
    assert box.text().startswith("Ice is on: 15 min left.")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert app.quits == []
    assert window.isVisible()


def test_status_window_quit_asks_too(make_app, qtbot):
    app = make_app()
    app.controller.show_status_window()
    app.actions.start_heat.trigger()
    app.windows.status.buttons["quit"].click()
    box = open_box(app, QUIT)
    assert box.parentWidget() is app.windows.status
    with qtbot.waitSignal(app.quit_requested, timeout=1000):
        box.button(QMessageBox.StandardButton.Yes).click()


def test_timer_ended_while_the_question_waited_then_yes_just_quits(make_app, qtbot, clock):
    app = make_app()
    app.actions.start_ice.trigger()
    app.actions.quit.trigger()
    box = open_box(app, QUIT)
    clock.advance(timedelta(minutes=15))
    app.engine._on_therapy_end()  # what the scheduler's job does at the end
    assert app.engine.therapy.active is None
    for alert in list(app.alerts.waiting):
        alert.acknowledge()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert app.quits == [True]


def test_another_timer_started_while_the_question_waited_asks_again(make_app, qtbot):
    app = make_app()
    app.actions.start_ice.trigger()
    app.actions.quit.trigger()
    box = open_box(app, QUIT)
    app.handle_request(Request("stop", {}))
    app.handle_request(Request("heat", {"minutes": 10}))  # `neckcare heat` from a terminal
    box.button(QMessageBox.StandardButton.Yes).click()
    assert app.quits == []  # the yes was about ice, not this heat session
    again = open_box(app, QUIT)
    assert again.text().startswith("Heat is on: 10 min left.")


def test_shutdown_drops_an_open_question_without_answering_it(make_app):
    app = make_app()
    app.actions.start_ice.trigger()
    app.actions.quit.trigger()
    box = open_box(app, QUIT)
    app.shutdown()
    assert not box.isVisible()
    assert app.quits == []


def test_quit_command_refuses_while_a_timer_runs_unless_forced(make_app, qtbot):
    app = make_app()
    assert app.handle_request(Request("quit", {"force": False})) == {"quitting": True}
    with qtbot.waitSignal(app.quit_requested, timeout=1000):
        pass
    app.quits.clear()
    app.actions.start_ice.trigger()
    with pytest.raises(CommandRefused) as refused:
        app.handle_request(Request("quit", {}))
    assert str(refused.value) == ICE_WARNING + " To quit anyway: neckcare quit --force"
    QCoreApplication.processEvents()
    assert app.quits == []
    assert app.handle_request(Request("quit", {"force": True})) == {"quitting": True}
    with qtbot.waitSignal(app.quit_requested, timeout=1000):
        pass


# -- "Ice again so soon?" --------------------------------------------------------------------


def rest_after_a_round(app: NeckCareApp, clock) -> None:
    app.actions.start_ice.trigger()
    clock.advance(timedelta(minutes=15))
    app.engine._on_therapy_end()
    for alert in list(app.alerts.waiting):
        alert.acknowledge()
    assert app.engine.therapy.rest_remaining(clock.now()) is not None


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Escape])
def test_ice_during_the_rest_asks_and_enter_or_escape_means_no(make_app, qtbot, clock, key):
    app = make_app()
    rest_after_a_round(app, clock)
    assert app.controller.start_therapy(TherapyKind.ICE) is False
    no_nested_loop(app, ICE_DURING_REST)
    box = open_box(app, ICE_DURING_REST)
    assert box.windowTitle() == "Ice again so soon?"
    assert "ice again in 40 min" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    qtbot.keyClick(box, key)
    assert app.engine.therapy.active is None
    assert app.actions.start_ice.text() == "Start ice (rest: 40 min left)"


def test_ice_during_the_rest_starts_on_yes(make_app, qtbot, clock):
    app = make_app()
    rest_after_a_round(app, clock)
    app.actions.start_ice.trigger()
    open_box(app, ICE_DURING_REST).button(QMessageBox.StandardButton.Yes).click()
    assert app.engine.therapy.active is not None
    assert app.engine.therapy.active.kind is TherapyKind.ICE
    assert app.errors == []


def test_heat_started_while_the_question_waited_is_said_calmly(make_app, qtbot, clock):
    """Issue 12 point 8: the retry used to raise TherapyError out of the menu slot."""
    app = make_app()
    rest_after_a_round(app, clock)
    app.actions.start_ice.trigger()
    box = open_box(app, ICE_DURING_REST)
    app.handle_request(Request("heat", {}))  # `neckcare heat` arrives meanwhile
    box.button(QMessageBox.StandardButton.Yes).click()  # pytest-qt fails on a slot exception
    assert app.engine.therapy.active.kind is TherapyKind.HEAT
    assert app.errors == [
        ("Cannot start ice", "Heat is already running. Stop it before starting ice.")
    ]


def test_sigterm_quits_at_once_even_while_ice_runs(qapp, tmp_path, monkeypatch):
    """A logout can't wait for an answer: SIGTERM quits without a question (the session
    end that passes while NeckCare is not running alerts at the next start instead)."""
    import os
    import signal

    from neckcare_desktop import launch
    from neckcare_desktop.core.timescale import TimeScale

    exits: list[int] = []
    monkeypatch.setattr(qapp, "exit", lambda code=0: exits.append(code))
    paths = AppPaths(tmp_path / "config", tmp_path / "data", tmp_path / "log")
    paths.ensure()
    paths.settings_file.write_text("[app]\nautostart_asked = true\n", encoding="utf-8")
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    tray = QSystemTrayIcon()  # what launch.run shows before building the app
    app = launch._build_app(qapp, paths, TimeScale(), tray)
    try:
        app.controller.start_therapy(TherapyKind.ICE)
        os.kill(os.getpid(), signal.SIGTERM)  # the handler runs at the next bytecode
        assert exits == [0]
        assert app.prompts.question(QUIT) is None
    finally:
        app.shutdown()  # also gives the signals back
        for sig, handler in before.items():
            signal.signal(sig, handler)


def test_an_open_quit_question_keeps_its_minutes_true(make_app, clock):
    """Left open, the question must not go on saying "15 min left", nor warn once the
    timer has ended."""
    app = make_app()
    app.actions.start_ice.trigger()
    app.actions.quit.trigger()
    box = open_box(app, QUIT)
    assert box.text().startswith("Ice is on: 15 min left.")
    clock.advance(timedelta(minutes=6))
    app.status.refresh()  # the minute tick while ice runs
    assert box.text().startswith("Ice is on: 9 min left.")
    clock.advance(timedelta(minutes=9))
    app.engine._on_therapy_end()
    assert box.text() == "Quit NeckCare?"


def test_the_quit_question_in_an_intermittent_session_names_the_next_switch(make_app, clock):
    """10 on · 10 off · 10 on: quitting would lose the switch alert that comes next, so the
    question says that (not the whole session's minutes, nor "ice is on" while it is off)."""
    app = make_app()
    app.actions.start_ice_intermittent.trigger()
    app.actions.quit.trigger()
    box = open_box(app, QUIT)
    assert box.text().startswith("Ice is on: off in 10 min.")
    clock.advance(timedelta(minutes=13))
    app.status.refresh()
    assert box.text().startswith("Ice is off: back on in 7 min.")
    clock.advance(timedelta(minutes=8))
    app.status.refresh()
    assert box.text().startswith("Ice is on: 9 min left.")
