"""Words that match what happened: the command answers and the break notifications."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from conftest import TEST_TZ
from fakes import later
from neckcare_desktop.app import NeckCareApp
from neckcare_desktop.core.breaks import BreakKind, BreakPhase
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.ipc_protocol import Request
from neckcare_desktop.core.therapy import OVERRUN_ADVICE, TherapyKind
from neckcare_desktop.platform.single_instance import CommandRefused


def ask(app: NeckCareApp, cmd: str, **args) -> dict:
    result = app.handle_request(Request(cmd, args))
    assert isinstance(result, dict)
    return result


# -- the command line's answers ---------------------------------------------------------------


def test_break_during_a_break_says_one_is_already_running(make_app):
    app = make_app()
    first = ask(app, "break")
    assert "message" not in first  # the CLI says "Break started."
    started = app.engine.breaks.active.started_at
    again = ask(app, "break")
    assert again["message"] == "A posture break is already running: 5 min left."
    # ...and nothing changed: the same break, not a new one.
    assert app.engine.breaks.active.phase is BreakPhase.RUNNING
    assert app.engine.breaks.active.started_at == started


def test_break_during_a_micro_break_names_it(make_app):
    app = make_app()
    app.engine.take_break_now(BreakKind.MICRO)
    assert ask(app, "break")["message"] == "A micro-break is already running: 20 s left."


def test_resume_when_nothing_is_paused_says_so(make_app):
    app = make_app()
    assert ask(app, "resume")["message"] == "Break reminders are not paused; nothing to resume."
    ask(app, "pause", choice="30")
    resumed = ask(app, "resume")
    assert "message" not in resumed  # the CLI says "Reminders resumed."
    assert app.engine.breaks.paused_until is None


def test_resume_outside_working_hours_says_when_reminders_come_back(make_app):
    clock = ManualClock(datetime(2036, 3, 3, 20, 0, tzinfo=TEST_TZ))  # a Monday evening
    app = make_app(
        clock=clock,
        working_hours={"enabled": True, "days": "mon,tue,wed,thu,fri", "start": "09:00"},
    )
    message = ask(app, "resume")["message"]
    assert message == (
        "Nothing to resume: it is outside your working hours; break reminders start again "
        "at Tue 09:00."
    )


def test_ice_during_the_skin_rest_explains_it_and_offers_anyway(make_app):
    clock = ManualClock(datetime(2036, 3, 3, 9, 0, tzinfo=TEST_TZ))
    app = make_app(clock=clock)
    app.engine.start_therapy(TherapyKind.ICE, 10)
    clock.advance(600)
    app.engine.stop_therapy()  # ten minutes of ice: the skin rests 40
    clock.advance(300)
    with pytest.raises(CommandRefused) as refused:
        ask(app, "ice", minutes=12)
    message = str(refused.value)
    assert message == (
        "Your skin is still resting after the last ice round: ice again in 35 min. "
        "To start another round anyway: neckcare ice --minutes 12 --anyway"
    )
    assert app.engine.therapy.active is None
    # The confirmation the menu asks for, given on the command line.
    ask(app, "ice", minutes=12, anyway=True)
    assert app.engine.therapy.active.kind is TherapyKind.ICE
    assert app.engine.therapy.active.planned_seconds == 12 * 60


def test_stop_says_how_long_it_was_on_or_that_it_was_cancelled(make_app):
    clock = ManualClock(datetime(2036, 3, 3, 9, 0, tzinfo=TEST_TZ))
    app = make_app(clock=clock)
    app.engine.start_therapy(TherapyKind.HEAT, 15)
    clock.advance(7 * 60)
    assert ask(app, "stop")["message"] == "Heat stopped after 7 min."
    app.engine.start_therapy(TherapyKind.ICE, 15)
    clock.advance(50)
    stopped = ask(app, "stop")
    assert stopped["cancelled"] is True
    assert stopped["message"] == "Ice cancelled: it was on for less than 2 minutes."


# -- notifications -----------------------------------------------------------------------------


def test_micro_and_posture_break_notifications_say_different_things(make_app):
    app = make_app(manual=True, breaks={"micro": {"interval_minutes": 5}})
    later(app, minutes=5)
    assert app.breaks.window is not None
    title, micro = app.notifier.last
    assert title == "Micro-break"
    assert micro == "Look at something far away for 20 seconds and let your shoulders drop."
    app.breaks.window.skip_requested.emit()
    app.engine.breaks.withdraw()
    app.shutdown()

    app = make_app(
        manual=True,
        breaks={"micro": {"enabled": False}, "posture": {"interval_minutes": 15}},
    )
    later(app, minutes=15)
    assert app.breaks.window is not None
    title, posture = app.notifier.last
    assert title == "Posture break"
    assert posture == "Stand up, walk a little and stretch gently for 5 minutes."


@pytest.mark.parametrize(
    ("warning_seconds", "said"),
    [(300, "Posture break in 5 minutes."), (30, "Posture break in 30 seconds.")],
)
def test_the_warning_before_a_posture_break_says_minutes(make_app, warning_seconds, said):
    app = make_app(
        manual=True,
        breaks={
            "warning_seconds": warning_seconds,
            "micro": {"enabled": False},
            "posture": {"interval_minutes": 15},
        },
    )
    later(app, minutes=15, seconds=-warning_seconds)  # the warning's time, not the break's
    assert app.breaks.window is None
    assert app.notifier.last is not None and app.notifier.last[0] == "Break coming up"
    assert app.notifier.last[1].startswith(said)


# -- no sentence says the same thing twice -------------------------------------------------------


def _sentences(text: str) -> list[str]:
    return [s.strip().lower() for s in re.split(r"[.:;]\s+", text) if s.strip()]


@pytest.mark.parametrize("kind", list(TherapyKind))
def test_late_alert_says_take_it_off_once(kind):
    text = OVERRUN_ADVICE[kind].format(since="09:15")
    assert text.lower().count(" off") == 1, text
    assert len(set(_sentences(text))) == len(_sentences(text))
