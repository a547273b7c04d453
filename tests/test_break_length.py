"""A break keeps the length it came due with; a new length in the settings is for the next.

Found by a person: a 5-minute posture break started with ``neckcare break``, the length set
to 2 minutes in Settings halfway through. The window rightly ran the 5 minutes, but the
history said ``break_completed,posture,120,120``: the rows read the settings of the
moment, not the break's own length. What the app records is never rewritten by a later
setting, so every row, the countdown and the status say the length the break had.
"""

from __future__ import annotations

from fakes import Rig, at, later, make_rig, tweak
from neckcare_desktop.core import events as ev
from neckcare_desktop.core.breaks import BreakKind, BreakPhase
from neckcare_desktop.core.history import EventKind
from neckcare_desktop.core.ipc_protocol import Request
from neckcare_desktop.core.settings import default_settings
from neckcare_desktop.core.timescale import TimeScale

POSTURE = BreakKind.POSTURE
ROWS = (
    EventKind.BREAK_STARTED,
    EventKind.BREAK_COMPLETED,
    EventKind.BREAK_SKIPPED,
    EventKind.BREAK_INTERRUPTED,
)


def posture_minutes(rig: Rig, minutes: int) -> None:
    """Settings → posture break length, saved (what the dialog's Save hands the engine)."""
    rig.engine.apply_settings(
        tweak(rig.engine.settings, **{"breaks.posture.duration_minutes": minutes})
    )


def break_rows(rig: Rig) -> list[tuple[str, str | None, int | None, int | None]]:
    return [(r.kind.value, r.subject, r.planned_seconds, r.actual_seconds) for r in rig.rows(*ROWS)]


def test_a_running_break_shortened_in_the_settings_is_recorded_as_planned_and_ran(clock, history):
    rig = make_rig(clock, history)
    rig.engine.take_break_now(POSTURE)  # `neckcare break`: 5 minutes
    rig.run(minutes=2, seconds=30)
    posture_minutes(rig, 2)
    assert rig.status[0] == "Posture break: 3 min left"  # its own length, not 2 min
    rig.run(minutes=2, seconds=29)
    assert rig.engine.breaks.active is not None  # still running: 5 minutes in all
    rig.run(seconds=1)
    assert rig.engine.breaks.active is None
    assert rig.rec.of(ev.BreakFinished)[-1].completed
    assert break_rows(rig) == [
        ("break_started", "posture", 300, None),
        ("break_completed", "posture", 300, 300),
    ]
    # The new length is for the next break.
    rig.engine.take_break_now(POSTURE)
    assert rig.rec.of(ev.BreakStarted)[-1].nominal_seconds == 120
    rig.run(minutes=2)
    assert break_rows(rig)[-2:] == [
        ("break_started", "posture", 120, None),
        ("break_completed", "posture", 120, 120),
    ]


def test_a_break_ended_early_after_a_length_change_is_measured_against_its_own_length(
    clock, history
):
    """2 min of a 5-min break is less than half of it: a skip (against a new 2-min length
    it would have counted as a whole break taken)."""
    rig = make_rig(clock, history)
    rig.engine.take_break_now(POSTURE)
    posture_minutes(rig, 2)
    rig.run(minutes=2)
    rig.engine.skip_break()  # "End break early"
    assert break_rows(rig)[-1] == ("break_skipped", "posture", 300, 120)
    assert not rig.rec.of(ev.BreakFinished)[-1].shortened


def test_quitting_during_a_break_after_a_length_change_records_its_own_length(clock, history):
    rig = make_rig(clock, history)
    rig.engine.take_break_now(POSTURE)
    posture_minutes(rig, 2)
    rig.run(minutes=1)
    rig.engine.shutdown()
    assert break_rows(rig)[-1] == ("break_interrupted", "posture", 300, None)


def test_a_due_break_keeps_the_length_its_window_announced(clock, history):
    """The window and the notification of a due break say its length and its exercises
    fill it: Start runs that length; the new one comes with the next break."""
    settings = tweak(default_settings(), **{"breaks.micro.enabled": False})
    rig = make_rig(clock, history, settings)
    rig.to(at(9, 50))
    due = rig.rec.of(ev.BreakDue)[-1]
    assert (due.brk.kind, due.nominal_seconds) == (POSTURE, 300)
    posture_minutes(rig, 2)
    assert rig.engine.breaks.active.phase is BreakPhase.DUE
    rig.engine.start_break()
    assert rig.rec.of(ev.BreakStarted)[-1].nominal_seconds == 300
    assert rig.status[0] == "Posture break: 5 min left"
    rig.run(minutes=4, seconds=59)
    assert rig.engine.breaks.active is not None
    rig.run(seconds=1)
    assert break_rows(rig) == [
        ("break_started", "posture", 300, None),
        ("break_completed", "posture", 300, 300),
    ]
    rig.run(minutes=50)
    assert rig.rec.of(ev.BreakDue)[-1].nominal_seconds == 120


def test_a_due_break_taken_at_once_keeps_its_length_and_a_postponed_one_takes_the_new(
    clock, history
):
    settings = tweak(default_settings(), **{"breaks.micro.enabled": False})
    rig = make_rig(clock, history, settings)
    rig.to(at(9, 50))
    posture_minutes(rig, 2)
    rig.engine.take_break_now(POSTURE)  # the tray's "Take a break now" over the due one
    assert rig.rec.of(ev.BreakStarted)[-1].nominal_seconds == 300
    rig.engine.skip_break()
    rig.to(at(10, 40))
    posture_minutes(rig, 3)
    rig.engine.postpone_break()  # not started: when it comes again, it is a new break
    rig.run(minutes=5)
    assert rig.rec.of(ev.BreakDue)[-1].nominal_seconds == 180


def test_a_break_keeps_its_length_at_any_time_scale(clock, history):
    rig = make_rig(clock, history, scale=TimeScale(60))
    rig.engine.take_break_now(POSTURE)  # 5 "minutes": 5 real seconds
    posture_minutes(rig, 2)
    rig.run(seconds=5)
    assert break_rows(rig) == [
        ("break_started", "posture", 300, None),
        ("break_completed", "posture", 300, 300),
    ]


def test_the_break_command_then_a_shorter_length_saved_in_settings(make_app, qtbot):
    """The exact sequence the person followed, in the running app."""
    app = make_app(manual=True)
    app.handle_request(Request("break"))  # `neckcare break`
    later(app, minutes=2)
    app.controller.apply_settings(  # what Settings… does on Save
        tweak(app.engine.settings, **{"breaks.posture.duration_minutes": 2})
    )
    assert app.breaks.remaining() == 180
    later(app, minutes=2, seconds=59)
    assert app.engine.breaks.active is not None
    later(app, seconds=1)
    assert app.engine.breaks.active is None
    rows = app.history.recent(limit=10, kinds=(EventKind.BREAK_COMPLETED,))
    assert [(r.subject, r.planned_seconds, r.actual_seconds) for r in rows] == [
        ("posture", 300, 300)
    ]
