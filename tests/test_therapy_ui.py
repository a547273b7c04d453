"""Ice and heat as the person uses them: the menu entries and their states, the first-use
safety check, "My skin is numb", and the alerts of a 10 on · 10 off · 10 on session.

The running app, offscreen, on the manual clock (``make_app(manual=True)``): time moves
only with ``fakes.later``, which runs the jobs that fall due on the way.
"""

from __future__ import annotations

import logging
import sqlite3
import tomllib
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from fakes import later
from neckcare_desktop.app import NeckCareApp
from neckcare_desktop.core.ipc_protocol import Request
from neckcare_desktop.core.therapy import TherapyKind
from neckcare_desktop.paths import AppPaths
from neckcare_desktop.ui.therapy_alert import SwitchAlert, TherapyAlert

NOT_ASKED = {"safety_asked": False}


def menu(app: NeckCareApp) -> list[str]:
    """The tray menu's entries as the person sees them: shown ones, enabled or not."""
    app.status.refresh()  # what opening the menu does (aboutToShow)
    assert app.tray is not None
    return [a.text() for a in app.tray.menu.actions() if not a.isSeparator() and a.isVisible()]


def enabled(app: NeckCareApp) -> set[str]:
    app.status.refresh()
    assert app.tray is not None
    return {
        a.text()
        for a in app.tray.menu.actions()
        if not a.isSeparator() and a.isVisible() and a.isEnabled()
    }


def rows(paths: AppPaths, kind: str) -> list[tuple]:
    with sqlite3.connect(paths.history_file) as conn:
        return conn.execute(
            "SELECT subject, planned_seconds, actual_seconds, note FROM events WHERE kind = ? "
            "ORDER BY id",
            (kind,),
        ).fetchall()


def remembered_as_asked(paths: AppPaths) -> bool:
    """The app state file says the check was answered (settings.toml never holds it)."""
    from neckcare_desktop.core.app_state import load_state

    return load_state(paths.state_file).therapy_safety_asked


def saved_therapy(paths: AppPaths) -> dict:
    if not paths.settings_file.exists():
        return {}
    return tomllib.loads(paths.settings_file.read_text(encoding="utf-8")).get("therapy", {})


class Notifications:
    """What went to the notifier: (title, text, critical, tag) and the tags withdrawn."""

    def __init__(self, app: NeckCareApp) -> None:
        self.sent: list[tuple[str, str, bool, str | None]] = []
        self.withdrawn: list[str] = []
        notifier = app.notifier
        notify, withdraw = notifier.notify, notifier.withdraw

        def record_notify(title, text, *, critical=False, tag=None, **kw):
            self.sent.append((title, text, critical, tag))
            notify(title, text, critical=critical, tag=tag, **kw)

        def record_withdraw(tag):
            self.withdrawn.append(tag)
            withdraw(tag)

        notifier.notify = record_notify  # type: ignore[method-assign]
        notifier.withdraw = record_withdraw  # type: ignore[method-assign]

    def titles(self) -> list[str]:
        return [title for title, *_ in self.sent]


# -- the menu ------------------------------------------------------------------------------


def test_menu_offers_the_intermittent_session_and_no_numb_entry_while_nothing_runs(make_app):
    app = make_app(manual=True)
    assert menu(app)[1:6] == [
        "Start ice",
        "Ice 10 on · 10 off · 10 on",
        "Start heat",
        "Stop timer",
        "Log a spasm…",
    ]
    assert {"Start ice", "Ice 10 on · 10 off · 10 on", "Start heat"} <= enabled(app)
    assert "Stop timer" not in enabled(app)


@pytest.mark.expect_log("neckcare_desktop.app", logging.WARNING, r"no system tray")
def test_the_status_window_has_the_same_entries(make_app):
    app = make_app(manual=True, tray=False)
    window = app.windows.status
    assert window.buttons["start_ice_intermittent"].text() == "Ice 10 on · 10 off · 10 on"
    assert window.buttons["skin_numb"].isHidden()
    app.actions.start_ice.trigger()
    assert not window.buttons["skin_numb"].isHidden()
    assert window.buttons["skin_numb"].isEnabled()
    assert not window.buttons["start_ice_intermittent"].isEnabled()
    app.actions.skin_numb.trigger()
    assert window.buttons["skin_numb"].isHidden()
    for box in list(app.notices.error_boxes):
        box.close()


def test_start_intermittent_runs_one_session_and_disables_every_start(make_app):
    app = make_app(manual=True)
    app.actions.start_ice_intermittent.trigger()
    session = app.engine.therapy.active
    assert session is not None and session.kind is TherapyKind.ICE and session.intermittent
    assert rows(app.paths, "therapy_started")[0][:2] == ("ice", 1200)  # 20 min on the skin
    now_enabled = enabled(app)
    assert {"Stop timer", "My skin is numb"} <= now_enabled
    assert not {"Start ice", "Ice 10 on · 10 off · 10 on", "Start heat"} & now_enabled
    # The numb entry sits with the timer entries, under Stop timer.
    entries = menu(app)
    assert entries.index("My skin is numb") == entries.index("Stop timer") + 1


def test_after_the_first_days_heat_comes_first_and_the_ice_entries_stay_together(make_app):
    app = make_app(manual=True)
    now = app.clock.now()
    app.history.log_episode(now - timedelta(hours=49), 5, now=now)
    assert menu(app)[1:4] == ["Start heat", "Start ice", "Ice 10 on · 10 off · 10 on"]
    app.history.resolve_episode(app.history.latest_unresolved_episode().id, now)
    assert menu(app)[1:4] == ["Start ice", "Ice 10 on · 10 off · 10 on", "Start heat"]


def test_intermittent_during_the_skin_rest_asks_and_a_yes_starts_it(make_app):
    from PySide6.QtWidgets import QMessageBox

    from neckcare_desktop.prompts import ICE_DURING_REST

    app = make_app(manual=True, therapy={"ice_minutes": 5})
    app.actions.start_ice.trigger()
    later(app, minutes=5)
    app.alerts.waiting[0].acknowledge()
    app.actions.start_ice_intermittent.trigger()
    question = app.prompts.question(ICE_DURING_REST)
    assert question is not None and app.engine.therapy.active is None
    question.button(QMessageBox.StandardButton.Yes).click()
    assert app.engine.therapy.active.intermittent


def test_numb_is_for_ice_only(make_app):
    app = make_app(manual=True)
    app.actions.start_heat.trigger()
    assert "My skin is numb" not in menu(app)
    assert not app.actions.skin_numb.isEnabled()
    assert "Ice 10 on · 10 off · 10 on" not in enabled(app)


def test_numb_ends_the_ice_at_once_says_what_to_do_and_the_menu_returns_to_start(make_app):
    app = make_app(manual=True)
    app.actions.start_ice.trigger()
    later(app, minutes=6)
    app.actions.skin_numb.trigger()
    assert app.engine.therapy.active is None
    ((subject, planned, actual, note),) = rows(app.paths, "therapy_stopped_early")
    assert (subject, planned, actual) == ("ice", 900, 360)
    assert "numb" in note
    (box,) = app.notices.error_boxes
    assert box.windowTitle() == "Ice stopped: your skin is numb"
    assert "Leave the ice off" in box.text()
    assert "warm up slowly" in box.text()
    assert "does not come back, get it checked" in box.text()
    assert "My skin is numb" not in menu(app)
    assert "Stop timer" not in enabled(app)
    # Numb skin needs its rest like any round: Start ice says how long is left.
    assert menu(app)[1].startswith("Start ice (rest:")
    assert "Start heat" in enabled(app)
    # Nothing more happens at the old end time: no alert for a round already ended.
    later(app, minutes=20)
    assert app.alerts.waiting == []
    box.close()


def test_acute_phase_start_ice_says_its_shorter_length(make_app):
    app = make_app(manual=True)
    now = app.clock.now()
    app.history.log_episode(now - timedelta(hours=2), 6, now=now)
    assert menu(app)[1] == "Start ice (10 min)"
    app.actions.start_ice.trigger()
    assert app.engine.therapy.active.planned_seconds == 600
    assert menu(app)[1] == "Start ice"  # disabled while it runs: no length to offer


# -- the first-use safety check -------------------------------------------------------------


def test_first_start_asks_first_and_a_yes_starts_a_shorter_round(make_app, qtbot):
    app = make_app(manual=True, therapy=NOT_ASKED)
    app.actions.start_ice.trigger()
    check = app.controller.therapy.safety_check()
    assert check is not None and check.isVisible() and not check.isModal()
    assert app.engine.therapy.active is None  # nothing runs before the answer
    assert "Settings → Ice and heat" in check.later.text()
    assert check.start_button.text().replace("&", "") == "Start ice"
    check.boxes["circulation_problems"].setChecked(True)
    qtbot.mouseClick(check.start_button, Qt.MouseButton.LeftButton)
    session = app.engine.therapy.active
    assert session is not None and session.planned_seconds == 600  # extra care: 10 min
    assert saved_therapy(app.paths)["circulation_problems"] is True
    assert remembered_as_asked(app.paths)
    assert not check.isVisible()
    # Asked once: heat, later, starts at once, with the same care.
    app.actions.stop_timer.trigger()  # within 2 minutes: cancelled, no skin rest
    assert menu(app)[1] == "Start ice (10 min)"
    assert menu(app)[3] == "Start heat (10 min)"
    app.actions.start_heat.trigger()
    assert app.controller.therapy.safety_check() is None
    assert app.engine.therapy.active.planned_seconds == 600
    assert menu(app)[3] == "Start heat"  # running: no length
    assert app.errors == []


def test_no_yes_starts_the_usual_round_and_is_never_asked_again(make_app, qtbot):
    app = make_app(manual=True, therapy=NOT_ASKED)
    app.actions.start_heat.trigger()
    check = app.controller.therapy.safety_check()
    assert check.start_button.text().replace("&", "") == "Start heat"
    qtbot.keyClick(check.start_button, Qt.Key.Key_Return)
    assert app.engine.therapy.active.planned_seconds == 900
    assert remembered_as_asked(app.paths)
    app.actions.stop_timer.trigger()
    app.actions.start_ice_intermittent.trigger()
    assert app.controller.therapy.safety_check() is None
    assert app.engine.therapy.active.intermittent


def test_the_intermittent_session_waits_for_the_check_too(make_app, qtbot):
    app = make_app(manual=True, therapy=NOT_ASKED)
    app.actions.start_ice_intermittent.trigger()
    check = app.controller.therapy.safety_check()
    assert app.engine.therapy.active is None
    qtbot.mouseClick(check.start_button, Qt.MouseButton.LeftButton)
    assert app.engine.therapy.active.intermittent


@pytest.mark.parametrize("how", ["cancel", "escape", "close"])
def test_cancel_starts_nothing_saves_nothing_and_asks_again_next_time(make_app, qtbot, how):
    app = make_app(manual=True, therapy=NOT_ASKED)
    app.actions.start_ice.trigger()
    check = app.controller.therapy.safety_check()
    check.boxes["reduced_skin_feeling"].setChecked(True)
    if how == "cancel":
        qtbot.mouseClick(check.cancel_button, Qt.MouseButton.LeftButton)
    elif how == "escape":
        qtbot.keyClick(check, Qt.Key.Key_Escape)
    else:
        check.close()
    assert not check.isVisible()
    assert app.engine.therapy.active is None
    assert rows(app.paths, "therapy_started") == []
    assert saved_therapy(app.paths) == {}
    assert not remembered_as_asked(app.paths)
    assert app.engine.settings.therapy.reduced_skin_feeling is False
    app.actions.start_ice.trigger()
    assert app.controller.therapy.safety_check() is not None


def test_answered_stays_answered_after_a_restart_and_a_reread_settings_file(make_app, qtbot):
    from neckcare_desktop.core.settings import settings_from_dict

    first = make_app(manual=True, therapy=NOT_ASKED)
    first.actions.start_heat.trigger()
    qtbot.mouseClick(
        first.controller.therapy.safety_check().start_button, Qt.MouseButton.LeftButton
    )
    # The settings file changed on disk (edited by hand): "asked" is not in it, and stays.
    first.controller.settings_watcher.changed.emit(settings_from_dict({}))
    first.actions.stop_timer.trigger()
    first.actions.start_heat.trigger()
    assert first.controller.therapy.safety_check() is None
    first.actions.stop_timer.trigger()
    again = make_app(manual=True, therapy=NOT_ASKED)  # the same folders: a restart
    again.actions.start_ice.trigger()
    assert again.controller.therapy.safety_check() is None
    assert again.engine.therapy.active is not None


def test_a_second_start_while_asking_brings_the_same_check_forward(make_app):
    app = make_app(manual=True, therapy=NOT_ASKED)
    app.actions.start_ice.trigger()
    first = app.controller.therapy.safety_check()
    app.actions.start_heat.trigger()
    assert app.controller.therapy.safety_check() is first


def test_a_command_line_start_runs_at_once_then_a_yes_shortens_it(make_app, qtbot):
    app = make_app(manual=True, therapy=NOT_ASKED)
    app.handle_request(Request("ice", {}))
    session = app.engine.therapy.active
    assert session is not None and session.planned_seconds == 900  # the terminal waits for none
    check = app.controller.therapy.safety_check()
    assert check is not None and check.running
    assert check.start_button.text().replace("&", "") == "Save"
    assert check.heading.text() == "Ice is on: do any of these apply to you?"
    assert "shortens this round to 10 minutes" in check.running_note.text()
    later(app, minutes=3)
    check.boxes["cold_sensitivity"].setChecked(True)
    qtbot.mouseClick(check.start_button, Qt.MouseButton.LeftButton)
    shortened = app.engine.therapy.active
    assert shortened is not None and shortened.key == session.key  # the same round, no second
    assert shortened.ends_at == session.started_at + timedelta(minutes=10)
    assert saved_therapy(app.paths)["cold_sensitivity"] is True
    later(app, minutes=7)
    assert app.engine.therapy.active is None
    assert [type(a) for a in app.alerts.waiting] == [TherapyAlert]
    assert rows(app.paths, "therapy_started") == [("ice", 900, None, None)]


def test_a_check_about_a_round_that_ended_meanwhile_starts_nothing(make_app, qtbot):
    app = make_app(manual=True, therapy={**NOT_ASKED, "ice_minutes": 5})
    app.handle_request(Request("ice", {}))
    check = app.controller.therapy.safety_check()
    later(app, minutes=5)  # the round ended while the check waited
    qtbot.mouseClick(check.start_button, Qt.MouseButton.LeftButton)
    assert app.engine.therapy.active is None
    assert remembered_as_asked(app.paths)


def test_a_command_line_start_while_the_check_waits_turns_it_into_a_check_about_it(make_app, qtbot):
    app = make_app(manual=True, therapy=NOT_ASKED)
    app.actions.start_heat.trigger()  # asks; nothing runs
    check = app.controller.therapy.safety_check()
    app.handle_request(Request("ice", {}))
    assert app.controller.therapy.safety_check() is check and check.running
    qtbot.mouseClick(check.start_button, Qt.MouseButton.LeftButton)
    assert app.engine.therapy.active.kind is TherapyKind.ICE  # no heat on top of it
    assert app.errors == []


def test_answers_that_cannot_be_saved_still_protect_this_run(make_app, qtbot, expect_log):
    expect_log("neckcare_desktop.settings_saving", logging.WARNING, "Could not save settings")
    app = make_app(manual=True, therapy=NOT_ASKED)
    notes = Notifications(app)
    app.paths.settings_file.mkdir()  # a folder where the file should be: cannot write
    app.actions.start_ice.trigger()
    check = app.controller.therapy.safety_check()
    check.boxes["reduced_skin_feeling"].setChecked(True)
    qtbot.mouseClick(check.start_button, Qt.MouseButton.LeftButton)
    assert app.engine.therapy.active.planned_seconds == 600
    assert notes.titles() == ["Your answers could not be saved", "Ice started"]
    assert "until NeckCare quits" in notes.sent[0][1]


# -- alerts ---------------------------------------------------------------------------------


def test_each_switch_shows_an_alert_that_stays_until_done(make_app, qtbot):
    app = make_app(manual=True)
    notes = Notifications(app)
    app.actions.start_ice_intermittent.trigger()
    start = app.clock.now()
    later(app, minutes=10)
    (off,) = app.alerts.waiting
    assert isinstance(off, SwitchAlert) and off.isVisible()
    assert off.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert off.heading.text() == "Take the ice off"
    assert off.ok_button.text() == "Done"
    assert off.advice.text()  # core's words: what to do now
    assert "Part 2 of 3" in off.detail.text()
    assert app.sound.played == ["therapy-end"]
    title, text, critical, tag = notes.sent[-1]
    assert (title, text, critical) == ("Take the ice off", off.advice.text(), True)
    later(app, minutes=5)
    assert off.isVisible()  # it does not go away on its own
    qtbot.mouseClick(off.ok_button, Qt.MouseButton.LeftButton)
    assert app.alerts.waiting == [] and not off.isVisible()
    assert tag in notes.withdrawn  # the critical notification goes with the window
    later(app, minutes=5)
    (on,) = app.alerts.waiting
    assert on.heading.text() == "Put the ice back on"
    assert "Part 3 of 3" in on.detail.text()
    assert app.sound.played == ["therapy-end", "therapy-end"]
    # Not answered: the end alert takes its place, one instruction on screen.
    later(app, minutes=10)
    (end,) = app.alerts.waiting
    assert isinstance(end, TherapyAlert) and not on.isVisible()
    assert end.detail.text() == (f"20 min of ice in 2 parts, started at {start.strftime('%H:%M')}.")
    assert app.sound.played == ["therapy-end"] * 3
    end.acknowledge()


@pytest.mark.parametrize("how", ["menu", "numb", "command line"])
def test_a_stopped_session_takes_its_switch_alert_with_it(make_app, how):
    app = make_app(manual=True)
    notes = Notifications(app)
    app.actions.start_ice_intermittent.trigger()
    later(app, minutes=20)  # "Put the ice back on" waits
    (on,) = app.alerts.waiting
    tag = notes.sent[-1][3]
    if how == "menu":
        app.actions.stop_timer.trigger()
    elif how == "numb":
        app.actions.skin_numb.trigger()
    else:
        app.handle_request(Request("stop", {}))
    assert app.alerts.waiting == [] and not on.isVisible()
    assert tag in notes.withdrawn
    for box in list(app.notices.error_boxes):
        box.close()


def test_halfway_reminder_is_a_plain_notification(make_app):
    app = make_app(manual=True)
    notes = Notifications(app)
    app.actions.start_heat.trigger()
    later(app, minutes=7, seconds=30)
    title, text, critical, tag = notes.sent[-1]
    assert "fall asleep" in (title + " " + text).lower()
    assert not critical and tag == "therapy"
    assert app.alerts.waiting == []
    assert app.sound.played == []
