"""The running app, offscreen: tray actions, break window, therapy alert, fallback window."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QSystemTrayIcon

from fakes import later, manual_clock, tweak
from neckcare_desktop.app import NeckCareApp
from neckcare_desktop.core.breaks import BreakKind, BreakPhase
from neckcare_desktop.core.settings import settings_from_dict
from neckcare_desktop.core.therapy import TherapyKind
from neckcare_desktop.paths import AppPaths
from neckcare_desktop.prompts import ICE_DURING_REST
from neckcare_desktop.window_registry import HISTORY, SEE_SOMEONE, SETTINGS, SPASM

MENU_TEXTS = [
    "Start ice",
    "Ice 10 on · 10 off · 10 on",
    "Start heat",
    "Stop timer",
    "Log a spasm…",
    "Update spasm…",
    "Take a break now",
    "Pause reminders",
    "Resume reminders",
    "History…",
    "Settings…",
    "Quit",
]


def rows(paths: AppPaths, kind: str) -> list[tuple]:
    with sqlite3.connect(paths.history_file) as conn:
        return conn.execute(
            "SELECT subject, planned_seconds, actual_seconds FROM events WHERE kind = ? "
            "ORDER BY id",
            (kind,),
        ).fetchall()


def visible_menu_texts(app: NeckCareApp) -> list[str]:
    assert app.tray is not None
    return [a.text() for a in app.tray.menu.actions() if not a.isSeparator() and a.isVisible()]


def test_tray_menu_has_every_action_in_order(make_app):
    app = make_app()
    texts = visible_menu_texts(app)
    assert texts[0] == "Next break in 20 min"  # the live status line comes first
    assert texts[1:] == MENU_TEXTS
    pause_menu = next(a.menu() for a in app.tray.menu.actions() if a.menu())
    assert [a.text() for a in pause_menu.actions()] == [
        "30 minutes",
        "1 hour",
        "2 hours",
        "Until tomorrow morning",
    ]
    assert "Next break in 20 min" in app.tray.tray.toolTip()


def test_start_ice_from_the_menu_shows_advice_and_live_status(make_app):
    app = make_app()
    app.actions.start_ice.trigger()
    assert app.engine.therapy.active is not None
    assert app.engine.therapy.active.kind is TherapyKind.ICE
    assert visible_menu_texts(app)[0] == "Ice: 15 min left"
    assert "thin cloth" in app.notifier.last[1]
    assert "reduced feeling" in app.notifier.last[1]
    # One timer at a time: both start actions are disabled while it runs.
    assert not app.actions.start_heat.isEnabled()
    assert app.actions.stop_timer.isEnabled()
    assert rows(app.paths, "therapy_started") == [("ice", 900, None)]


def test_start_heat_shows_heat_advice(make_app):
    app = make_app()
    app.actions.start_heat.trigger()
    assert visible_menu_texts(app)[0] == "Heat: 15 min left"
    assert "Warm, not hot" in app.notifier.last[1]
    assert "fall asleep" in app.notifier.last[1]


def test_stop_timer_records_the_actual_time(make_app):
    clock = manual_clock()
    app = make_app(clock=clock)
    app.actions.start_ice.trigger()
    clock.advance(timedelta(minutes=5))  # past the first 2 minutes: not a mistaken start
    app.actions.stop_timer.trigger()
    assert rows(app.paths, "therapy_stopped_early") == [("ice", 900, 300)]
    assert app.engine.therapy.active is None


def test_ice_end_shows_an_alert_that_stays_until_acknowledged(make_app, qtbot):
    app = make_app(manual=True, therapy={"ice_minutes": 1})
    app.actions.start_ice.trigger()
    later(app, minutes=1)
    (alert,) = app.alerts.waiting
    assert alert.isVisible()
    assert alert.windowTitle() == "Ice time is up — NeckCare"
    assert alert.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert "Take the ice pack off" in alert.advice.text()
    assert rows(app.paths, "therapy_completed") == [("ice", 60, 60)]
    assert app.sound.played == ["therapy-end"]
    assert "Ice again in" in visible_menu_texts(app)[0]
    # It does not go away on its own...
    later(app, minutes=30)
    assert alert.isVisible() and app.alerts.waiting == [alert]
    # ...only when the person says the pack is off.
    qtbot.mouseClick(alert.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not app.alerts.waiting, timeout=2000)


def test_ice_during_rest_asks_first(make_app, qtbot):
    app = make_app(manual=True, therapy={"ice_minutes": 1})
    app.actions.start_ice.trigger()
    later(app, minutes=1)
    app.alerts.waiting[0].acknowledge()
    app.actions.start_ice.trigger()
    question = app.prompts.question(ICE_DURING_REST)  # more in test_prompts.py
    assert app.engine.therapy.active is None
    assert "ice again in" in question.text().lower()
    assert app.actions.start_ice.text().startswith("Start ice (rest:")
    question.button(QMessageBox.StandardButton.Yes).click()
    assert app.engine.therapy.active is not None


def test_ice_over_the_cap_is_refused_with_the_reason(make_app):
    app = make_app()
    assert not app.controller.start_therapy(TherapyKind.ICE, 25)
    assert app.engine.therapy.active is None
    ((_title, text),) = app.errors
    assert "capped at 20 minutes" in text


def test_due_break_shows_a_window_that_does_not_steal_focus(make_app, qtbot):
    app = make_app(manual=True, breaks={"micro": {"interval_minutes": 5}})
    later(app, minutes=5)
    window = app.breaks.window
    assert window.isVisible()
    assert window.windowTitle() == "Micro-break — NeckCare"
    assert window.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert not window.isModal()
    assert window.start_button.text() == "Start break"
    assert window.postpone_button.text() == "Postpone 5 min"
    assert window.skip_button.text() == "Skip"
    assert window.stretch_how.text()  # one suggestion is shown
    assert rows(app.paths, "break_due") == [("micro", None, None)]
    assert app.notifier.last[0] == "Micro-break"


def test_started_break_counts_down_and_closes_itself(make_app, qtbot):
    app = make_app(manual=True, breaks={"micro": {"interval_minutes": 5, "duration_seconds": 60}})
    later(app, minutes=5)
    window = app.breaks.window
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    assert window.running
    assert window.countdown.isVisible()
    assert app.sound.played == ["break-start"]
    later(app, seconds=30)
    assert app.breaks.window is window and window.running  # half-way: still on
    later(app, seconds=30)
    assert app.breaks.window is None
    assert rows(app.paths, "break_completed") == [("micro", 60, 60)]
    assert app.sound.played == ["break-start", "break-end"]
    # The next micro-break counts from the end of this one.
    kind, due = app.engine.breaks.upcoming()
    assert kind is BreakKind.MICRO
    assert due > app.engine.clock.now()


def test_postpone_and_skip_from_the_window(make_app, qtbot):
    app = make_app(manual=True, breaks={"micro": {"interval_minutes": 5}})
    later(app, minutes=5)
    qtbot.mouseClick(app.breaks.window.postpone_button, Qt.MouseButton.LeftButton)
    assert app.breaks.window is None
    assert rows(app.paths, "break_postponed") == [("micro", None, None)]
    # It comes back after the postpone time.
    later(app, minutes=4)
    assert app.breaks.window is None
    later(app, minutes=1)
    assert app.breaks.window is not None
    qtbot.mouseClick(app.breaks.window.skip_button, Qt.MouseButton.LeftButton)
    assert rows(app.paths, "break_skipped") == [("micro", None, None)]
    assert app.engine.breaks.active is None


def _strict(app):
    return tweak(app.engine.settings, **{"breaks.strict": True})


def _shown(window) -> dict[str, bool]:
    return {
        name: button.isVisible()
        for name, button in (
            ("start", window.start_button),
            ("postpone", window.postpone_button),
            ("skip", window.skip_button),
        )
    }


def test_skip_refused_by_strict_mode_keeps_the_break_on_screen(make_app, qtbot):
    """Issue 12 point 1 (b): a refused Skip closed the window and left the break due with
    nothing planned. Strict mode came on behind the window's back here (the engine only)."""
    app = make_app(manual=True, breaks={"micro": {"interval_minutes": 5}})
    later(app, minutes=5)
    window = app.breaks.window
    app.engine.apply_settings(_strict(app))
    assert window.skip_button.isVisible()  # stale: the app was not told
    qtbot.mouseClick(window.skip_button, Qt.MouseButton.LeftButton)
    assert app.breaks.window is window and window.isVisible()
    assert app.engine.breaks.active.phase is BreakPhase.DUE
    assert rows(app.paths, "break_skipped") == []
    # The window now offers only what is allowed, and says why.
    assert _shown(window) == {"start": True, "postpone": False, "skip": False}
    assert window.limit_note.text() == "Strict mode: this break is not optional."
    assert window.limit_note.isVisible()
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    assert window.running


def test_closing_the_window_for_a_refused_skip_keeps_it_open(make_app, qtbot):
    app = make_app(
        manual=True, breaks={"micro": {"interval_minutes": 5}, "max_postpones": 0}
    )  # no postpone: closing means Skip
    later(app, minutes=5)
    window = app.breaks.window
    app.engine.apply_settings(_strict(app))
    window.close()
    assert window.isVisible()
    assert app.engine.breaks.active.phase is BreakPhase.DUE
    assert not window.skip_button.isVisible()


def test_strict_mode_switched_on_updates_the_open_break_window(make_app, qtbot):
    app = make_app(manual=True, breaks={"micro": {"interval_minutes": 5}})
    later(app, minutes=5)
    window = app.breaks.window
    assert _shown(window) == {"start": True, "postpone": True, "skip": True}
    app.controller.apply_settings(_strict(app))  # what Settings… does on Save
    assert _shown(window) == {"start": True, "postpone": False, "skip": False}
    app.controller.apply_settings(tweak(app.engine.settings, **{"breaks.strict": False}))
    assert _shown(window) == {"start": True, "postpone": True, "skip": True}
    assert not window.limit_note.isVisible()


def test_strict_mode_from_the_settings_file_hides_end_early_on_a_running_break(make_app, qtbot):
    from neckcare_desktop.core.settings import save_settings

    app = make_app()
    app.actions.take_break.trigger()
    window = app.breaks.window
    assert window.running and window.skip_button.isVisible()  # "End break early"
    save_settings(_strict(app), app.paths.settings_file)
    app.settings_watcher.check()  # what the file watcher calls
    assert app.engine.settings.breaks.strict
    assert not window.skip_button.isVisible()
    assert window.isVisible() and window.running


def test_take_a_break_now_starts_a_posture_break(make_app):
    app = make_app()
    app.actions.take_break.trigger()
    assert app.breaks.window is not None and app.breaks.window.running
    assert app.engine.breaks.active.kind is BreakKind.POSTURE
    assert app.engine.breaks.active.phase is BreakPhase.RUNNING
    assert visible_menu_texts(app)[0] == "Posture break: 5 min left"


def test_pause_and_resume(make_app):
    app = make_app()
    app.actions.pause_30.trigger()
    assert visible_menu_texts(app)[0].startswith("Reminders paused until ")
    assert app.actions.resume.isEnabled()
    assert app.engine.breaks.upcoming() is None
    app.actions.resume.trigger()
    assert visible_menu_texts(app)[0] == "Next break in 20 min"
    app.actions.pause_tomorrow.trigger()
    assert visible_menu_texts(app)[0] == "Reminders paused until tomorrow 09:00"
    app.actions.pause_60.trigger()
    assert app.engine.breaks.paused_until is not None


def test_history_and_settings_open_windows(make_app, qtbot):
    app = make_app()
    app.actions.history.trigger()
    assert app.windows.get(HISTORY) is not None and app.windows.get(HISTORY).isVisible()
    assert app.windows.get(HISTORY).windowTitle() == "History — NeckCare"
    app.actions.settings.trigger()
    dialog = app.windows.get(SETTINGS)
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Settings — NeckCare"
    assert not dialog.isModal()
    dialog.reject()


def test_settings_saved_in_the_dialog_take_effect(make_app, qtbot):
    app = make_app()
    app.actions.settings.trigger()
    dialog = app.windows.get(SETTINGS)
    dialog.set_value("breaks.micro.interval_minutes", 30)
    dialog.set_value("therapy.ice_minutes", 10)
    with qtbot.waitSignal(dialog.saved):
        assert dialog.save_values(dialog.current_values())
    assert app.paths.settings_file.exists()
    assert visible_menu_texts(app)[0] == "Next break in 30 min"
    app.actions.start_ice.trigger()
    assert app.engine.therapy.active.planned_seconds == 600


def test_quit_action_asks_the_app_to_quit(make_app, qtbot):
    app = make_app()
    with qtbot.waitSignal(app.quit_requested, timeout=1000):
        app.actions.quit.trigger()


def test_left_click_on_the_tray_shows_the_status(make_app, qtbot):
    app = make_app()
    app.tray.tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert app.windows.status.isVisible()
    assert "Next break in 20 min" in app.windows.status.status_label.text()
    assert not app.windows.status.banner.isVisible()


@pytest.mark.expect_log("neckcare_desktop.app", logging.WARNING, r"no system tray")
def test_without_a_tray_the_same_actions_live_in_a_window(make_app, qtbot):
    app = make_app(tray=False)
    window = app.windows.status
    assert app.tray is None
    assert window.isVisible()
    assert window.banner.isVisible()
    assert "No system tray" in window.banner.text()
    # Tool buttons drop the trailing ellipsis of "History…"; the words are the same.
    labels = {b.text().rstrip("…") for b in window.buttons.values()}
    assert {t.rstrip("…") for t in MENU_TEXTS} <= labels
    window.buttons["start_ice"].click()
    assert app.engine.therapy.active is not None
    assert "Ice: 15 min left" in window.status_label.text()
    # Closing the only window must not leave the app invisible: it is minimized instead.
    window.close()
    assert window.isVisible()


def test_with_only_a_break_ahead_the_status_has_no_timer_of_its_own(make_app, qtbot):
    """Idle, the process wakes for the scheduler's next job and the idle poll, nothing else."""
    app = make_app()
    qtbot.waitUntil(lambda: app.scheduler.aps.wakeups >= 1, timeout=2000)
    assert not app.status.timer.isActive()
    active = sorted(t.remainingTime() for t in app.findChildren(QTimer) if t.isActive())
    # The idle poll (5 s after start, then at most every 30 s) and the next break.
    assert len(active) == 2
    assert active[0] <= 5_000 * 1.05 + 50  # a coarse timer may move by 5 %
    assert active[1] >= 19 * 60_000  # the scheduler's one timer, armed for the break
    assert app.scheduler.aps.timer_remaining_ms >= 19 * 60_000


def test_the_idle_poll_refreshes_the_tooltip(make_app, qtbot, monkeypatch):
    app = make_app()
    assert "Next break in 20 min" in app.tray.tray.toolTip()
    later, mono = app.clock.now() + timedelta(minutes=5), app.clock.monotonic() + 300
    monkeypatch.setattr(app.clock, "now", lambda: later)  # five minutes of work later
    monkeypatch.setattr(app.clock, "monotonic", lambda: mono)
    with qtbot.waitSignal(app.presence.polled, timeout=1000):
        app.presence.poll()
    assert "Next break in 15 min" in app.tray.tray.toolTip()


def test_a_running_timer_or_an_open_window_keeps_the_countdown_live(make_app, qtbot):
    app = make_app()
    app.controller.start_therapy(TherapyKind.ICE)
    assert 0 < app.status.timer.remainingTime() <= 61_000
    app.controller.stop_therapy()
    assert not app.status.timer.isActive()
    app.controller.show_status_window()
    assert 0 < app.status.timer.remainingTime() <= 61_000
    app.windows.status.close()
    app.status.refresh()
    assert not app.status.timer.isActive()


def test_settings_file_edited_while_running_is_followed(make_app, qtbot):
    app = make_app()
    path = app.paths.settings_file
    path.write_text("[breaks.micro]\ninterval_minutes = 30\n", encoding="utf-8")
    qtbot.waitUntil(lambda: app.engine.settings.breaks.micro.interval_minutes == 30, timeout=5000)
    assert visible_menu_texts(app)[0] == "Next break in 30 min"


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
@pytest.mark.expect_log("neckcare_desktop.settings_watcher", logging.WARNING, r"disappeared")
def test_broken_settings_file_while_running_keeps_the_settings_in_use(make_app, qtbot):
    app = make_app()
    path = app.paths.settings_file
    path.write_text("[therapy]\nice_minutes = 45\n", encoding="utf-8")
    qtbot.waitUntil(
        lambda: app.notifier.last is not None and "problems" in app.notifier.last[0], timeout=5000
    )
    assert "Ice round length: 45 is not allowed" in app.notifier.last[1]
    assert app.engine.settings.therapy.ice_minutes == 15
    assert path.with_name("settings.toml.bad").exists()  # the bad file was kept aside
    # And a file that disappears changes nothing and breaks nothing.
    path.unlink()
    qtbot.waitUntil(lambda: app.settings_watcher.last_state is None, timeout=5000)
    assert app.engine.settings.therapy.ice_minutes == 15
    app.actions.start_ice.trigger()
    assert app.engine.therapy.active is not None


@pytest.mark.expect_log("neckcare_desktop.core.engine", logging.ERROR, r"could not record")
def test_history_write_failures_are_retried_and_nothing_is_lost(make_app, monkeypatch):
    import sqlite3 as sqlite

    clock = manual_clock()
    app = make_app(clock=clock)
    real_record = app.history.record
    failing = {"on": True}

    def flaky(*args, **kwargs):
        if failing["on"]:
            raise sqlite.OperationalError("database or disk is full")
        return real_record(*args, **kwargs)

    monkeypatch.setattr(app.history, "record", flaky)
    shown: list[tuple[str, str]] = []
    real_notify = app.notices.notify
    monkeypatch.setattr(
        app.notices,
        "notify",
        lambda title, text, **kw: shown.append((title, text)) or real_notify(title, text, **kw),
    )
    app.actions.start_ice.trigger()  # the timer starts even though the disk says no
    clock.advance(timedelta(minutes=5))  # a real round, not one started by mistake
    app.actions.stop_timer.trigger()
    assert app.engine.therapy.active is None
    warnings = [text for title, text in shown if title == "History not saved"]
    assert len(warnings) == 1  # one warning, not one per failed write
    assert "try again" in warnings[0]
    failing["on"] = False
    app.engine._flush_pending()  # what the retry job does a minute later
    assert [r[0] for r in rows(app.paths, "therapy_started")] == ["ice"]
    assert [r[0] for r in rows(app.paths, "therapy_stopped_early")] == ["ice"]


def test_first_run_asks_once_about_starting_at_login(make_app, qtbot):
    import os
    from pathlib import Path

    app = make_app(app={"autostart_asked": False})
    qtbot.waitUntil(lambda: app.first_run.box is not None, timeout=2000)
    box = app.first_run.box
    assert box.isVisible()
    assert "log in" in box.text()
    box.defaultButton().click()  # "Yes" is the default
    entry = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "neckcare-desktop.desktop"
    assert entry.exists()
    assert app.engine.settings.app.autostart_asked is True
    # Remembered in NeckCare's state file: the person's settings file is not written for it.
    assert '"autostart_asked": true' in app.paths.state_file.read_text(encoding="utf-8")
    assert not app.paths.settings_file.exists()


def test_an_unanswered_question_or_error_box_blocks_no_alert(make_app, qtbot):
    """The first-run question and an error box may wait: a person who leaves them open
    can still answer the ice alert (and the break window). QMessageBox is
    application-modal unless told otherwise."""
    from PySide6.QtWidgets import QApplication

    app = make_app(manual=True, app={"autostart_asked": False}, therapy={"ice_minutes": 1})
    qtbot.waitUntil(lambda: app.first_run.box is not None, timeout=2000)
    app.notices.show_error("Could not save", "The disk is full.")
    assert app.first_run.box.isVisible() and app.notices.error_boxes
    assert QApplication.activeModalWidget() is None
    app.actions.start_ice.trigger()
    later(app, minutes=1)
    (alert,) = app.alerts.waiting
    qtbot.mouseClick(alert.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not app.alerts.waiting, timeout=2000)
    assert app.first_run.box.isVisible()  # still waiting for its answer


def test_tray_icon_shows_the_therapy_ring(make_app):
    from neckcare_desktop.ui.tray_icon import TrayIconState

    app = make_app()
    app.actions.start_heat.trigger()
    state = app.status.icon_state(app.engine.status())
    assert state == TrayIconState(
        therapy_kind="heat",
        therapy_fraction_left=1.0,
        minutes_left=15,
        break_pending=False,
        paused=False,
        dark_panel=state.dark_panel,
    )
    app.actions.pause_30.trigger()
    assert app.status.icon_state(app.engine.status()).paused


def test_a_postponed_break_keeps_the_dot_on_the_tray_icon(make_app, qtbot):
    app = make_app(manual=True, breaks={"micro": {"interval_minutes": 5}})
    later(app, minutes=5)
    qtbot.mouseClick(app.breaks.window.postpone_button, Qt.MouseButton.LeftButton)
    assert app.engine.breaks.active is None  # nothing due now, but one is waiting
    assert app.status.icon_state(app.engine.status()).break_pending
    assert app.status.tray_icon_for(app.engine.status()).cacheKey() != app.icon.cacheKey()


def _log_episode(app, hours_ago: float, pain: int = 6, warning_signs=()):
    now = app.clock.now()
    return app.history.log_episode(
        now - timedelta(hours=hours_ago), pain, ("screen_posture",), warning_signs, None, now
    )


def test_acute_phase_puts_ice_first_and_says_so(make_app):
    app = make_app()
    _log_episode(app, hours_ago=3)
    app.status.refresh()
    texts = visible_menu_texts(app)
    # First, and with the shorter round of the first days after a spasm.
    assert texts.index("Start ice (10 min)") < texts.index("Start heat")
    assert texts.index("Ice 10 on · 10 off · 10 on") < texts.index("Start heat")
    assert "acute phase: ice, about 10 min a round (never over 20)" in app.tray.tray.toolTip()
    assert app.actions.update_spasm.isEnabled()
    # The suggestion never blocks the other choice.
    assert app.actions.start_heat.isEnabled()


def test_after_48_hours_heat_is_suggested_first(make_app):
    app = make_app()
    _log_episode(app, hours_ago=49)
    app.status.refresh()
    texts = visible_menu_texts(app)
    assert texts.index("Start heat") < texts.index("Start ice")
    assert "heat" in app.tray.tray.toolTip().splitlines()[-1]
    assert app.actions.start_ice.isEnabled()


def test_no_open_spasm_means_no_guidance(make_app):
    app = make_app()
    app.status.refresh()
    assert not app.actions.update_spasm.isEnabled()
    assert "phase" not in app.tray.tray.toolTip()


def test_log_a_spasm_opens_the_dialog(make_app):
    app = make_app()
    app.actions.log_spasm.trigger()
    assert app.windows.get(SPASM) is not None and app.windows.get(SPASM).isVisible()
    assert not app.windows.get(SPASM).isModal()


def test_log_a_spasm_again_brings_the_open_form_forward_with_what_was_typed(make_app):
    app = make_app()
    app.actions.log_spasm.trigger()
    form = app.windows.get(SPASM)
    form.note_edit.setPlainText("woke up with it")
    app.actions.log_spasm.trigger()
    assert app.windows.get(SPASM) is form and form.isVisible()
    assert form.note_edit.toPlainText() == "woke up with it"


def test_a_replaced_window_deleted_later_leaves_the_current_one_registered(make_app, qtbot):
    """Issue 12 point 8: deleting the old window made the app forget the new one."""
    app = make_app()
    for days in (20, 10, 0):
        _log_episode(app, hours_ago=days * 24 + 1)
    app.controller.check_see_someone()
    old = app.windows.get(SEE_SOMEONE)
    deleted = []
    old.destroyed.connect(lambda *_: deleted.append(True))
    app.controller.check_see_someone()  # the newer message takes the old one's place
    new = app.windows.get(SEE_SOMEONE)
    assert new is not old
    qtbot.waitUntil(lambda: deleted == [True], timeout=2000)
    assert app.windows.get(SEE_SOMEONE) is new and new.isVisible()


def test_an_error_box_stays_on_screen_until_answered(qapp, app_paths, qtbot):
    """A refused start from the menu is explained in a box the person can see."""
    app = NeckCareApp(app_paths, tray_available=True, settings=settings_from_dict({}))
    try:
        app.notices.show_error("Cannot start ice", "Heat is already running.")

        def shown() -> list[QMessageBox]:
            return [
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox)
                and w.isVisible()
                and w.text() == "Heat is already running."
            ]

        qtbot.waitUntil(lambda: len(shown()) == 1, timeout=2000)
        boxes = shown()
        boxes[0].accept()
        qtbot.waitUntil(lambda: app.notices.error_boxes == [], timeout=2000)
    finally:
        app.shutdown()


def test_third_spasm_in_a_month_suggests_seeing_someone_calmly(make_app):
    app = make_app()
    for days in (20, 10):
        _log_episode(app, hours_ago=days * 24)
    episode = _log_episode(app, hours_ago=1)
    app.controller.on_spasm_saved(episode)
    message = app.windows.get(SEE_SOMEONE)
    assert message is not None and message.isVisible()
    assert not message.isModal()
    text = " ".join(label.text() for label in message.findChildren(QLabel))
    assert "healthcare professional" in text
    assert "3" in text  # it says why it appeared


def test_see_someone_can_be_turned_off(make_app):
    app = make_app(guidance={"see_someone": False})
    for days in (20, 10, 0):
        _log_episode(app, hours_ago=days * 24 + 1)
    app.controller.check_see_someone()
    assert app.windows.get(SEE_SOMEONE) is None


def test_only_the_therapy_end_sounds_during_do_not_disturb(make_app):
    app = make_app()
    app.presence._read_dnd = lambda: "fullscreen window: 'Slides'"
    app.notices.play("break-start")
    app.notices.play("break-end")
    app.notices.play("therapy-end")
    assert app.sound.played == ["therapy-end"]
    app.presence._read_dnd = lambda: None
    app.notices.play("break-start")
    assert app.sound.played == ["therapy-end", "break-start"]


def test_volume_and_mute_follow_the_settings(make_app):
    from neckcare_desktop.core.settings import with_value
    from neckcare_desktop.platform.sound import SoundPlayer

    app = make_app()
    app.sound = SoundPlayer()
    settings = with_value(app.engine.settings, "notifications.volume", 40)
    app.controller.apply_settings(with_value(settings, "notifications.sound", False))
    assert app.sound.volume == 0.4
    assert app.sound.enabled is False
    assert app.sound.play("break-start") is False  # muted: nothing plays


def test_history_streak_skips_the_days_outside_working_hours(make_app):
    app = make_app(working_hours={"enabled": True, "days": "mon,tue,wed,thu,fri"})
    app.controller.show_history()
    assert app.windows.get(HISTORY)._days_off() == {5, 6}
    app.controller.apply_settings(
        settings_from_dict({"app": {"autostart_asked": True}, "working_hours": {"enabled": False}})
    )
    assert app.windows.get(HISTORY)._days_off() == frozenset()


@pytest.mark.expect_log(
    "neckcare_desktop.core.engine", logging.ERROR, r"watchdog: no break planned"
)
def test_a_lost_break_reminder_heals_on_the_idle_poll_and_shows_in_history(make_app):
    """Reminders that quietly stop are the worst a break app can do: the app's own poll,
    not the scheduler that lost the job, plans the next break again."""
    from neckcare_desktop.core.engine import JOB_BREAK_DUE

    clock = manual_clock()
    app = make_app(clock=clock)
    app.scheduler.cancel(JOB_BREAK_DUE)  # a bug somewhere lost the next break
    app.presence.polled.emit()
    assert app.scheduler.next_run(JOB_BREAK_DUE) is None  # too early to call it lost
    clock.advance(timedelta(minutes=50 + 2))  # longest interval (posture, 50) + a minute
    app.presence.polled.emit()
    assert app.scheduler.next_run(JOB_BREAK_DUE) is not None
    assert "Next break in" in visible_menu_texts(app)[0]
    assert rows(app.paths, "watchdog_repair")


def test_the_status_windows_last_message_says_when(make_app):
    """Read an hour later, "Ice time is up" must not look like news."""
    clock = manual_clock()
    app = make_app(clock=clock)
    app.actions.start_ice.trigger()
    app.controller.show_status_window()
    title = app.windows.status.message_label.text()
    assert "09:00" in title and "Ice started" in title


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
def test_many_settings_problems_say_how_many_more_and_where_the_copy_is(make_app, qtbot):
    app = make_app()
    bad = "\n".join(f"[breaks.{k}]\nenabled = 3" for k in ("micro", "posture"))
    bad += "\n[therapy]\nice_minutes = 45\nheat_minutes = 0\nice_rest_minutes = 1\n"
    bad += "[notifications]\nvolume = 101\nsound = 2\n"
    app.paths.settings_file.write_text(bad, encoding="utf-8")
    qtbot.waitUntil(
        lambda: app.notifier.last is not None and "problems" in app.notifier.last[0], timeout=5000
    )
    text = app.notifier.last[1]
    assert "more." in text, text
    assert "settings.toml.bad" in text  # where the copy is, even past the first few
    assert text.endswith("NeckCare keeps the settings it was using.")


def test_a_spasm_saved_in_the_form_goes_through_core_and_brings_the_guidance(make_app, qtbot):
    """The form writes nothing itself: the app logs the spasm (core.spasm_log), and what
    follows a spasm (phase guidance, see-someone) follows this one too."""
    app = make_app()
    app.actions.log_spasm.trigger()
    form = app.windows.get(SPASM)
    form.pain.set_value(7)
    form.sign_boxes["dizziness"].setChecked(True)
    with qtbot.waitSignal(form.saved, timeout=1000):
        form.save()
    (episode,) = app.history.open_episodes()
    assert episode.pain == 7 and episode.warning_signs == ("dizziness",)
    assert "acute phase" in app.tray.tray.toolTip()
    message = app.windows.get(SEE_SOMEONE)
    assert message is not None and message.isVisible()
    text = " ".join(label.text() for label in message.findChildren(QLabel))
    assert "dizziness" in text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_a_shut_down_app_gives_back_its_inotify_instance(make_app):
    """The settings file's watcher goes with the app's shutdown, not whenever Python
    collects the app: each holds an inotify instance, and a user has 128 (a test session
    making hundreds of apps ran out, and file watching silently fell back to polling)."""
    import gc

    def inotify_instances() -> int:
        count = 0
        for fd in Path("/proc/self/fd").iterdir():
            with contextlib.suppress(FileNotFoundError):  # the listing's own descriptor
                count += os.readlink(fd) == "anon_inode:inotify"
        return count

    gc.collect()
    before = inotify_instances()
    apps = [make_app() for _ in range(4)]
    assert inotify_instances() >= before + 4
    for app in apps:
        app.shutdown()
    gc.collect()
    assert inotify_instances() <= before
