"""The engine end to end in core: real history, default settings, a fake scheduler and clock."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakes import T0, FakeScheduler, Rig, at, make_rig, tweak
from neckcare_desktop.core import events as ev
from neckcare_desktop.core.breaks import BreakKind, BreakPhase
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.engine import (
    JOB_BREAK_DUE,
    JOB_PAUSE_END,
    JOB_THERAPY_END,
    Engine,
)
from neckcare_desktop.core.engine_base import EngineBase
from neckcare_desktop.core.history import EventKind, HistoryError, HistoryStore
from neckcare_desktop.core.settings import (
    BreakSettings,
    MicroBreakSettings,
    PostureBreakSettings,
    Settings,
    default_settings,
)
from neckcare_desktop.core.stretches import Stretch, StretchRotation
from neckcare_desktop.core.therapy import RestPeriodActive, TherapyError, TherapyKind
from neckcare_desktop.core.timescale import TimeScale

MICRO, POSTURE = BreakKind.MICRO, BreakKind.POSTURE
ICE, HEAT = TherapyKind.ICE, TherapyKind.HEAT


# -- the fake scheduler itself -----------------------------------------------------------


def test_fake_scheduler_fires_in_time_order_once_with_the_clock_at_each_job(clock):
    sched = FakeScheduler()
    seen: list[tuple[str, datetime]] = []

    def job(name: str):
        return lambda: seen.append((name, clock.now()))

    sched.call_at("b", at(9, 20), job("b"))
    sched.call_at("a", at(9, 10), job("a"))
    sched.call_at("c", at(9, 40), job("c"))
    sched.call_at("c", at(9, 30), job("c2"))  # replaces c
    sched.call_at("gone", at(9, 15), job("gone"))
    sched.cancel("gone")
    sched.cancel("never-there")
    sched.advance_to(clock, at(9, 35))
    assert seen == [("a", at(9, 10)), ("b", at(9, 20)), ("c2", at(9, 30))]
    assert [(f.name, f.at) for f in sched.fired] == [
        ("a", at(9, 10)),
        ("b", at(9, 20)),
        ("c", at(9, 30)),
    ]
    assert clock.now() == at(9, 35)
    assert sched.jobs == {}
    sched.run_until(clock, timedelta(hours=1))
    assert len(seen) == 3


def test_fake_scheduler_runs_jobs_that_callbacks_schedule_inside_the_window(clock):
    sched = FakeScheduler()
    seen: list[datetime] = []

    def tick() -> None:
        seen.append(clock.now())
        if len(seen) < 3:
            sched.call_at("tick", clock.now() + timedelta(minutes=5), tick)

    sched.call_at("tick", at(9, 5), tick)
    sched.run_until(clock, timedelta(minutes=12))
    assert seen == [at(9, 5), at(9, 10)]
    assert sched.when("tick") == at(9, 15)
    sched.run_until(clock, timedelta(minutes=30))
    assert seen == [at(9, 5), at(9, 10), at(9, 15)]


def test_fake_scheduler_runs_an_overdue_job_now_and_never_moves_the_clock_back(clock):
    sched = FakeScheduler()
    clock.set(at(10, 0))
    sched.call_at("late", at(9, 0), lambda: None)
    fired = sched.run_due(clock)
    assert [(f.name, f.at, f.scheduled) for f in fired] == [("late", at(10, 0), at(9, 0))]
    assert clock.now() == at(10, 0)
    with pytest.raises(ValueError):
        sched.advance_to(clock, at(9, 0))
    with pytest.raises(ValueError):
        sched.call_at("naive", datetime(2026, 3, 2, 11, 0), lambda: None)


# -- breaks: defaults and the first break ------------------------------------------------


def test_defaults_first_break_is_a_micro_break_at_0920_lasting_20_s(rig: Rig):
    assert rig.status == ("Next break in 20 min",)
    assert rig.sched.when(JOB_BREAK_DUE) == at(9, 20)
    rig.to(at(9, 19, 59))
    assert rig.rec.of(ev.BreakDue) == []
    rig.to(at(9, 20))
    [due] = rig.rec.of(ev.BreakDue)
    assert (due.brk.kind, due.brk.due_at, due.nominal_seconds) == (MICRO, at(9, 20), 20)
    assert rig.status == ("Micro-break due",)
    [row] = rig.rows(EventKind.BREAK_DUE)
    assert (row.subject, row.at) == ("micro", at(9, 20))
    assert [r.kind for r in rig.rows()] == [EventKind.APP_STARTED, EventKind.BREAK_DUE]


def test_defaults_posture_break_every_50_min_lasting_5_min(rig: Rig):
    rig.to(at(9, 20))
    rig.engine.start_break()  # micro 09:20-09:20:20, next micro 09:40:20
    rig.to(at(9, 40, 20))
    rig.engine.start_break()  # micro 09:40:20-09:40:40; next 10:00:40 is folded
    rig.to(at(9, 50))
    assert rig.due() == [(MICRO, at(9, 20)), (MICRO, at(9, 40, 20)), (POSTURE, at(9, 50))]
    [due] = [e for e in rig.rec.of(ev.BreakDue) if e.brk.kind is POSTURE]
    assert due.nominal_seconds == 300
    rig.engine.start_break()
    assert rig.status == ("Posture break: 5 min left",)
    rig.to(at(9, 55))
    done = rig.rows(EventKind.BREAK_COMPLETED)[-1]
    assert (done.subject, done.at, done.planned_seconds, done.actual_seconds) == (
        "posture",
        at(9, 55),
        300,
        300,
    )


def test_micro_break_is_never_due_within_two_minutes_of_a_posture_break(clock, history):
    rig = make_rig(
        clock, history, tweak(default_settings(), **{"breaks.micro.interval_minutes": 24})
    )
    rig.to(at(9, 24))
    assert rig.due() == [(MICRO, at(9, 24))]
    rig.engine.start_break()
    rig.to(at(9, 24, 20))  # completes; next micro would be 09:48:20, 1 min 40 s before 09:50
    assert rig.engine.status().next_break == (POSTURE, at(9, 50))
    rig.to(at(9, 50))
    assert rig.due() == [(MICRO, at(9, 24)), (POSTURE, at(9, 50))]
    rig.engine.start_break()
    rig.to(at(9, 55))
    # The micro timer counts from the end of the posture break.
    assert rig.engine.status().next_break == (MICRO, at(10, 19))
    rig.to(at(10, 19))
    assert rig.due()[-1] == (MICRO, at(10, 19))


# -- breaks: start, postpone, skip -------------------------------------------------------


def test_start_runs_the_break_and_it_completes_by_itself(rig: Rig):
    rig.to(at(9, 20))
    rig.to(at(9, 20, 30))  # the person answers half a minute later
    brk = rig.engine.start_break()
    assert (brk.phase, brk.started_at, brk.ends_at) == (
        BreakPhase.RUNNING,
        at(9, 20, 30),
        at(9, 20, 50),
    )
    assert rig.status == ("Micro-break: 20 s left",)
    rig.to(at(9, 20, 49))
    assert rig.rec.of(ev.BreakFinished) == []
    rig.to(at(9, 20, 50))
    [finished] = rig.rec.of(ev.BreakFinished)
    assert finished.completed and finished.brk.kind is MICRO
    assert [type(e) for e in rig.rec.events if not isinstance(e, ev.StateChanged)] == [
        ev.BreakDue,
        ev.BreakStarted,
        ev.BreakFinished,
    ]
    rows = [
        (r.kind, r.subject, r.at, r.planned_seconds, r.actual_seconds)
        for r in rig.rows(EventKind.BREAK_DUE, EventKind.BREAK_STARTED, EventKind.BREAK_COMPLETED)
    ]
    assert rows == [
        (EventKind.BREAK_DUE, "micro", at(9, 20), None, None),
        (EventKind.BREAK_STARTED, "micro", at(9, 20, 30), 20, None),
        (EventKind.BREAK_COMPLETED, "micro", at(9, 20, 50), 20, 20),
    ]
    # Counted from the END of the break: not 09:40 (due) nor 09:40:30 (start).
    assert rig.engine.status().next_break == (MICRO, at(9, 40, 50))
    rig.to(at(9, 40, 49))
    assert len(rig.rec.of(ev.BreakDue)) == 1
    rig.to(at(9, 40, 50))
    assert rig.due()[-1] == (MICRO, at(9, 40, 50))


def test_postpone_brings_the_same_break_back_five_minutes_later(rig: Rig):
    rig.to(at(9, 20))
    rig.to(at(9, 21))
    brk = rig.engine.postpone_break()
    assert (brk.kind, brk.postpones) == (MICRO, 1)
    assert rig.status == ("Next break in 5 min",)
    rig.to(at(9, 25, 59))
    assert len(rig.rec.of(ev.BreakDue)) == 1
    rig.to(at(9, 26))
    again = rig.rec.of(ev.BreakDue)[-1].brk
    assert (again.kind, again.due_at, again.postpones) == (MICRO, at(9, 26), 1)
    assert rig.engine.postpone_break().postpones == 2
    rig.to(at(9, 31))
    assert rig.rec.of(ev.BreakDue)[-1].brk.postpones == 2
    rows = rig.rows(EventKind.BREAK_POSTPONED)
    assert [(r.subject, r.at, r.note) for r in rows] == [
        ("micro", at(9, 21), "postpone 1"),
        ("micro", at(9, 26), "postpone 2"),
    ]
    # The posture timer was not reset by postponing the micro-break.
    assert rig.engine.breaks.next_posture_due() == at(9, 50)
    rig.engine.skip_break()
    rig.to(at(9, 50))
    assert rig.due()[-1] == (POSTURE, at(9, 50))


def test_postpone_follows_the_setting(clock, history):
    rig = make_rig(clock, history, tweak(default_settings(), **{"breaks.postpone_minutes": 10}))
    rig.to(at(9, 20))
    rig.engine.postpone_break()
    rig.to(at(9, 30))
    assert rig.due() == [(MICRO, at(9, 20)), (MICRO, at(9, 30))]


def test_skip_is_recorded_and_the_next_counts_from_the_skip(rig: Rig):
    rig.to(at(9, 20))
    rig.to(at(9, 22))
    skipped = rig.engine.skip_break()
    assert skipped.kind is MICRO
    [finished] = rig.rec.of(ev.BreakFinished)
    assert not finished.completed
    [row] = rig.rows(EventKind.BREAK_SKIPPED)
    assert (row.subject, row.at) == ("micro", at(9, 22))
    assert rig.rows(EventKind.BREAK_COMPLETED) == []
    assert rig.engine.status().next_break == (MICRO, at(9, 42))
    rig.to(at(9, 42))
    assert rig.due()[-1] == (MICRO, at(9, 42))


def test_ending_a_running_break_early_is_a_skip_with_the_real_time(rig: Rig):
    rig.to(at(9, 20))
    rig.engine.start_break()
    rig.to(at(9, 20, 8))
    rig.engine.skip_break()
    [row] = rig.rows(EventKind.BREAK_SKIPPED)
    assert (row.planned_seconds, row.actual_seconds, row.note) == (20, 8, "ended early")
    [finished] = rig.rec.of(ev.BreakFinished)
    assert (finished.completed, finished.shortened) == (False, False)
    rig.to(at(9, 21))
    assert rig.rows(EventKind.BREAK_COMPLETED) == []  # the break-end job was cancelled
    assert rig.engine.status().next_break == (MICRO, at(9, 40, 8))


@pytest.mark.parametrize("taken", [10, 15, 19])
def test_ending_a_break_early_after_half_of_it_is_a_shortened_completed_break(rig: Rig, taken: int):
    rig.to(at(9, 20))
    rig.engine.start_break()
    rig.to(at(9, 20, taken))
    rig.engine.skip_break()
    assert rig.rows(EventKind.BREAK_SKIPPED) == []
    [row] = rig.rows(EventKind.BREAK_COMPLETED)
    assert (row.planned_seconds, row.actual_seconds, row.note) == (20, taken, "ended early")
    [finished] = rig.rec.of(ev.BreakFinished)
    assert (finished.completed, finished.shortened) == (False, True)
    rig.to(at(9, 21))
    assert len(rig.rows(EventKind.BREAK_COMPLETED)) == 1  # the break-end job was cancelled
    assert rig.engine.status().next_break == (MICRO, at(9, 40, taken))


def test_a_posture_break_resets_the_micro_timer_too(clock, history):
    rig = make_rig(
        clock, history, tweak(default_settings(), **{"breaks.posture.interval_minutes": 30})
    )
    rig.to(at(9, 20))
    rig.engine.skip_break()  # next micro 09:40
    rig.to(at(9, 30))
    assert rig.due()[-1] == (POSTURE, at(9, 30))
    rig.engine.start_break()
    rig.to(at(9, 35))
    rig.to(at(9, 54, 59))
    assert rig.due() == [(MICRO, at(9, 20)), (POSTURE, at(9, 30))]  # no micro at 09:40
    rig.to(at(9, 55))
    assert rig.due()[-1] == (MICRO, at(9, 55))


def test_take_a_break_now_starts_a_posture_break_at_once(rig: Rig):
    rig.to(at(9, 10))
    brk = rig.engine.take_break_now()
    assert (brk.kind, brk.phase, brk.started_at) == (POSTURE, BreakPhase.RUNNING, at(9, 10))
    [started] = rig.rec.of(ev.BreakStarted)
    assert (started.brk.kind, started.nominal_seconds) == (POSTURE, 300)
    [row] = rig.rows(EventKind.BREAK_STARTED)
    assert (row.subject, row.at, row.planned_seconds) == ("posture", at(9, 10), 300)
    rig.to(at(9, 15))
    [done] = rig.rows(EventKind.BREAK_COMPLETED)
    assert (done.subject, done.at) == ("posture", at(9, 15))
    assert rig.due() == []  # the 09:20 micro-break was covered
    assert rig.engine.status().next_break == (MICRO, at(9, 35))
    assert rig.engine.breaks.next_posture_due() == at(10, 5)


def test_take_a_break_now_while_a_micro_break_is_due_takes_a_posture_break(rig: Rig):
    rig.to(at(9, 20))
    brk = rig.engine.take_break_now()
    assert brk.kind is POSTURE
    assert rig.engine.status().lines == ("Posture break: 5 min left",)


def test_take_a_break_now_shows_a_stretch_for_the_break_it_starts(clock, history):
    stretches = [
        Stretch("look-away", "Look away", "Look far away.", 20, frozenset({"micro"}), False),
        Stretch("walk", "Walk", "Walk around the room.", 120, frozenset({"posture"}), False),
    ]
    rig = make_rig(clock, history, stretches=StretchRotation(stretches))
    rig.to(at(9, 20))
    assert rig.rec.of(ev.BreakDue)[-1].stretch.id == "look-away"
    rig.engine.take_break_now()
    started = rig.rec.of(ev.BreakStarted)[-1]
    assert started.brk.kind is POSTURE
    assert started.stretch is not None and started.stretch.id == "walk"


# -- pause -------------------------------------------------------------------------------


@pytest.mark.parametrize(("choice", "until"), [("30", at(9, 40)), ("60", at(10, 10))])
def test_pause_holds_reminders_and_they_come_back_with_fresh_intervals(
    rig: Rig, choice: str, until: datetime
):
    rig.to(at(9, 10))
    assert rig.engine.pause(choice) == until
    assert rig.status == (f"Reminders paused until {until:%H:%M}",)
    assert rig.sched.when(JOB_BREAK_DUE) is None
    rig.to(until - timedelta(seconds=1))
    assert rig.due() == []
    rig.to(until)
    assert rig.status == ("Next break in 20 min",)
    assert rig.engine.breaks.next_posture_due() == until + timedelta(minutes=50)
    rig.to(until + timedelta(minutes=20))
    assert rig.due() == [(MICRO, until + timedelta(minutes=20))]


def test_pause_withdraws_a_break_waiting_for_an_answer(rig: Rig):
    rig.to(at(9, 20))
    due = rig.rec.of(ev.BreakDue)[-1].brk
    rig.to(at(9, 21))
    rig.engine.pause("60")
    [withdrawn] = rig.rec.of(ev.BreakWithdrawn)
    assert withdrawn.brk == due
    assert rig.engine.breaks.active is None
    rig.to(at(10, 21))
    assert len(rig.rec.of(ev.BreakDue)) == 1
    rig.to(at(10, 41))
    assert rig.due()[-1] == (MICRO, at(10, 41))


def test_pause_until_tomorrow_ends_at_the_start_of_working_hours(rig: Rig):
    until = rig.engine.pause("tomorrow")
    assert until == at(9, 0, day=3)
    assert rig.status == ("Reminders paused until tomorrow 09:00",)
    rig.to(at(8, 59, 59, day=3))
    assert rig.due() == []
    rig.to(at(9, 20, day=3))
    assert rig.due() == [(MICRO, at(9, 20, day=3))]


def test_resume_early(rig: Rig):
    rig.engine.pause("60")
    rig.to(at(9, 10))
    rig.engine.resume()
    assert rig.status == ("Next break in 20 min",)
    assert JOB_PAUSE_END not in rig.sched.pending()
    rig.to(at(9, 30))
    assert rig.due() == [(MICRO, at(9, 30))]
    assert JOB_PAUSE_END not in rig.sched.fired_names()


def test_an_unknown_pause_is_refused(rig: Rig):
    with pytest.raises(ValueError, match="30, 60, 120, tomorrow"):
        rig.engine.pause("45")
    assert not rig.engine.breaks.is_paused


# -- settings ----------------------------------------------------------------------------


def test_changing_the_posture_interval_restarts_the_posture_count_from_now(rig: Rig):
    rig.to(at(9, 10))
    rig.engine.apply_settings(tweak(default_settings(), **{"breaks.posture.interval_minutes": 30}))
    assert rig.engine.breaks.next_posture_due() == at(9, 40)
    rig.to(at(9, 20))
    assert rig.due() == [(MICRO, at(9, 20))]  # the micro count was not touched
    rig.engine.skip_break()  # next micro 09:40 is folded into the posture break
    rig.to(at(9, 40))
    assert rig.due() == [(MICRO, at(9, 20)), (POSTURE, at(9, 40))]


def test_disabling_micro_breaks_stops_them(rig: Rig):
    rig.to(at(9, 10))
    rig.engine.apply_settings(tweak(default_settings(), **{"breaks.micro.enabled": False}))
    rig.to(at(9, 50))
    assert rig.due() == [(POSTURE, at(9, 50))]


def test_disabling_micro_breaks_withdraws_a_due_micro_break(rig: Rig):
    rig.to(at(9, 20))
    rig.engine.apply_settings(tweak(default_settings(), **{"breaks.micro.enabled": False}))
    [withdrawn] = rig.rec.of(ev.BreakWithdrawn)
    assert withdrawn.brk.kind is MICRO
    rig.to(at(9, 50))
    assert rig.due() == [(MICRO, at(9, 20)), (POSTURE, at(9, 50))]


def test_disabling_posture_breaks_while_one_is_due_brings_micro_breaks_back(clock, history):
    rig = make_rig(
        clock, history, tweak(default_settings(), **{"breaks.micro.interval_minutes": 60})
    )
    rig.to(at(9, 50))
    assert rig.due() == [(POSTURE, at(9, 50))]
    rig.to(at(9, 51))
    rig.engine.apply_settings(tweak(rig.engine.settings, **{"breaks.posture.enabled": False}))
    assert [e.brk.kind for e in rig.rec.of(ev.BreakWithdrawn)] == [POSTURE]
    assert rig.status != ("Break reminders are off",)
    rig.to(at(10, 51))
    assert rig.due()[-1] == (MICRO, at(10, 51))


def test_all_breaks_off_says_so(rig: Rig):
    rig.engine.apply_settings(
        tweak(
            default_settings(),
            **{"breaks.micro.enabled": False, "breaks.posture.enabled": False},
        )
    )
    assert rig.status == ("Break reminders are off",)
    rig.run(hours=8)
    assert rig.due() == []


# -- therapy -----------------------------------------------------------------------------


def test_ice_default_15_min_ends_with_an_alert_and_a_completed_row(rig: Rig):
    session = rig.engine.start_therapy(ICE)
    assert (session.planned_seconds, session.ends_at) == (900, at(9, 15))
    [started] = rig.rec.of(ev.TherapyStarted)
    assert started.session == session and "cloth" in started.advice
    rig.to(at(9, 14, 59))
    assert rig.rec.of(ev.TherapyEnded) == []
    rig.to(at(9, 15))
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.completed
    assert ended.finished.actual_seconds == 900
    assert "ice pack off" in ended.advice
    rows = [
        (r.kind, r.subject, r.at, r.planned_seconds, r.actual_seconds)
        for r in rig.rows(EventKind.THERAPY_STARTED, EventKind.THERAPY_COMPLETED)
    ]
    assert rows == [
        (EventKind.THERAPY_STARTED, "ice", at(9, 0), 900, None),
        (EventKind.THERAPY_COMPLETED, "ice", at(9, 15), 900, 900),
    ]
    assert rig.engine.therapy.active is None


@pytest.mark.parametrize("minutes", [21, 25])
def test_ice_over_20_minutes_is_refused_in_core(rig: Rig, minutes: int):
    with pytest.raises(TherapyError, match="Ice is capped at 20 minutes"):
        rig.engine.start_therapy(ICE, minutes)
    assert rig.engine.therapy.active is None
    assert rig.rows(EventKind.THERAPY_STARTED) == []
    assert JOB_THERAPY_END not in rig.sched.pending()
    assert rig.rec.of(ev.TherapyStarted) == []


def test_ice_of_20_minutes_is_accepted(rig: Rig):
    assert rig.engine.start_therapy(ICE, 20).ends_at == at(9, 20)


@pytest.mark.parametrize("minutes", [1, 30])
def test_heat_allows_1_to_30_minutes(rig: Rig, minutes: int):
    session = rig.engine.start_therapy(HEAT, minutes)
    assert session.ends_at == T0 + timedelta(minutes=minutes)


@pytest.mark.parametrize(("kind", "minutes"), [(ICE, 0), (HEAT, 0), (HEAT, 31), (ICE, True)])
def test_bad_minutes_are_refused(rig: Rig, kind: TherapyKind, minutes: int):
    with pytest.raises(TherapyError):
        rig.engine.start_therapy(kind, minutes)
    assert rig.engine.therapy.active is None


def test_only_one_therapy_timer_at_a_time(rig: Rig):
    rig.engine.start_therapy(ICE)
    with pytest.raises(TherapyError, match="Ice is already running"):
        rig.engine.start_therapy(HEAT)
    assert rig.engine.therapy.active.kind is ICE
    assert len(rig.rows(EventKind.THERAPY_STARTED)) == 1


def test_stop_records_the_real_elapsed_time_and_cancels_the_alert(rig: Rig):
    rig.engine.start_therapy(HEAT)
    rig.to(at(9, 6, 30))
    finished = rig.engine.stop_therapy()
    assert (finished.completed, finished.actual_seconds) == (False, 390)
    [row] = rig.rows(EventKind.THERAPY_STOPPED_EARLY)
    assert (row.subject, row.at, row.planned_seconds, row.actual_seconds) == (
        "heat",
        at(9, 6, 30),
        900,
        390,
    )
    assert JOB_THERAPY_END not in rig.sched.pending()
    rig.to(at(9, 30))
    assert rig.rec.of(ev.TherapyEnded) == []
    assert rig.rows(EventKind.THERAPY_COMPLETED) == []


def test_stop_with_nothing_running_is_an_error(rig: Rig):
    with pytest.raises(TherapyError):
        rig.engine.stop_therapy()


def test_ice_rest_blocks_ice_but_not_heat_and_can_be_confirmed(rig: Rig):
    rig.engine.start_therapy(ICE)
    rig.to(at(9, 32))
    assert rig.status[:2] == ("Micro-break due", "Ice again in 23 min")  # the break first
    assert rig.engine.status().ice_rest_remaining_seconds == 23 * 60
    with pytest.raises(RestPeriodActive, match="ice again in 23 min") as info:
        rig.engine.start_therapy(ICE)
    assert info.value.rest_until == at(9, 55)
    assert len(rig.rows(EventKind.THERAPY_STARTED)) == 1
    heat = rig.engine.start_therapy(HEAT, 5)  # heat is not blocked
    rig.to(heat.ends_at)
    ice = rig.engine.start_therapy(ICE, confirm_during_rest=True)
    assert ice.started_at == at(9, 37)


def test_the_ice_rest_ends_on_time(rig: Rig):
    rig.engine.start_therapy(ICE)
    rig.to(at(9, 54, 59))
    with pytest.raises(RestPeriodActive, match="ice again in 1 min"):
        rig.engine.start_therapy(ICE)
    rig.to(at(9, 55))
    assert not any(line.startswith("Ice again") for line in rig.status)
    assert rig.engine.start_therapy(ICE).kind is ICE


def test_the_ice_rest_survives_a_restart(clock, tmp_path: Path):
    path = tmp_path / "history.sqlite3"
    first_store = HistoryStore(path)
    first = make_rig(clock, first_store)
    first.engine.start_therapy(ICE)
    first.to(at(9, 15))
    first.engine.shutdown()
    first_store.close()

    clock.set(at(9, 32))
    with HistoryStore(path) as store:
        second = make_rig(clock, store)
        assert second.status[0] == "Ice again in 23 min"
        with pytest.raises(RestPeriodActive, match="ice again in 23 min"):
            second.engine.start_therapy(ICE)
        heat = second.engine.start_therapy(HEAT, 10)
        second.to(heat.ends_at)
        second.to(at(9, 55))
        assert second.engine.start_therapy(ICE).kind is ICE


def test_a_stopped_ice_round_also_rests_across_a_restart(clock, tmp_path: Path):
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        first = make_rig(clock, store)
        first.engine.start_therapy(ICE)
        first.to(at(9, 5))
        first.engine.stop_therapy()
        first.engine.shutdown()
    clock.set(at(9, 10))
    with HistoryStore(path) as store:
        second = make_rig(clock, store)
        with pytest.raises(RestPeriodActive, match="ice again in 35 min"):
            second.engine.start_therapy(ICE)


def test_no_rest_after_a_restart_when_the_last_ice_round_is_long_past(clock, tmp_path: Path):
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        first = make_rig(clock, store)
        first.engine.start_therapy(ICE)
        first.to(at(9, 15))
    clock.set(at(10, 0))
    with HistoryStore(path) as store:
        second = make_rig(clock, store)
        assert second.engine.start_therapy(ICE).kind is ICE


# -- status ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "line"),
    [
        (at(9, 0), "Ice: 15 min left"),
        (at(9, 0, 1), "Ice: 15 min left"),
        (at(9, 7), "Ice: 8 min left"),
        (at(9, 7, 30), "Ice: 8 min left"),  # 7.5 min: rounded up
        (at(9, 7, 59), "Ice: 8 min left"),
        (at(9, 8), "Ice: 7 min left"),
        (at(9, 14, 1), "Ice: 1 min left"),
        (at(9, 14, 59), "Ice: 1 min left"),  # never "0 min"
    ],
)
def test_therapy_status_counts_whole_minutes_rounded_up(clock, history, when, line):
    rig = make_rig(clock, history)
    rig.engine.start_therapy(ICE)
    clock.set(when)
    assert rig.status[0] == line


@pytest.mark.parametrize(
    ("when", "line"),
    [
        (at(9, 0), "Next break in 20 min"),
        (at(9, 0, 30), "Next break in 20 min"),
        (at(9, 1), "Next break in 19 min"),
        (at(9, 19, 59), "Next break in 1 min"),
    ],
)
def test_next_break_status(clock, history, when, line):
    rig = make_rig(clock, history)
    clock.set(when)
    assert rig.status == (line,)


def test_no_status_line_ever_says_0_min(rig: Rig):
    rig.engine.start_therapy(ICE)
    seen: set[str] = set()
    end = at(11, 0)
    while rig.clock.now() < end:
        lines = rig.status
        seen.update(lines)
        assert not any(" 0 min" in line for line in lines), lines
        if (
            rig.engine.breaks.active is not None
            and rig.engine.breaks.active.phase is BreakPhase.DUE
        ):
            rig.engine.start_break()
        rig.run(seconds=1)
    assert {"Ice: 1 min left", "Next break in 1 min", "Ice again in 1 min"} <= seen


# -- time scale --------------------------------------------------------------------------


def test_time_scale_60_makes_a_15_min_ice_round_last_15_real_seconds(clock, history):
    rig = make_rig(clock, history, scale=TimeScale(60))
    session = rig.engine.start_therapy(ICE)
    assert session.ends_at == T0 + timedelta(seconds=15)
    assert rig.status[0] == "Ice: 15 min left"
    assert any("Time scale ×60" in line for line in rig.status)
    assert rig.engine.status().time_scale == 60
    rig.run(seconds=7.5)
    assert rig.status[0] == "Ice: 8 min left"
    rig.run(seconds=7.4)
    assert rig.rec.of(ev.TherapyEnded) == []
    rig.to(T0 + timedelta(seconds=15))
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.ended_at == T0 + timedelta(seconds=15)
    [row] = rig.rows(EventKind.THERAPY_COMPLETED)
    assert (row.planned_seconds, row.actual_seconds) == (900, 900)
    assert rig.status[0] == "Ice again in 40 min"


def test_time_scale_compresses_breaks_too(clock, history):
    rig = make_rig(clock, history, scale=TimeScale(60))
    assert rig.status == ("Next break in 20 min", "Time scale ×60 (test mode)")
    rig.run(seconds=20)
    assert rig.due() == [(MICRO, T0 + timedelta(seconds=20))]


def test_time_scale_compresses_a_pause_but_not_tomorrow_morning(clock, history):
    rig = make_rig(clock, history, scale=TimeScale(60))
    assert rig.engine.pause("30") == T0 + timedelta(seconds=30)
    rig.run(seconds=30)
    assert not rig.engine.breaks.is_paused
    assert rig.engine.pause("tomorrow") == at(9, 0, day=3)


def test_real_time_has_no_time_scale_line(rig: Rig):
    assert not any("Time scale" in line for line in rig.status)


# -- history failures --------------------------------------------------------------------


@pytest.mark.parametrize(
    "error", [sqlite3.OperationalError("disk I/O error"), HistoryError("history is closed")]
)
@pytest.mark.expect_log("neckcare_desktop.core.engine", logging.ERROR, r"could not record")
def test_a_failing_history_never_stops_an_alert_and_warns_once(
    rig: Rig, monkeypatch: pytest.MonkeyPatch, error: Exception
):
    calls = 0

    def broken_record(*args: object, **kwargs: object) -> int:
        nonlocal calls
        calls += 1
        raise error

    monkeypatch.setattr(rig.history, "record", broken_record)
    rig.engine.start_therapy(ICE)
    rig.to(at(9, 15))
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.completed
    rig.to(at(9, 20))
    assert rig.due() == [(MICRO, at(9, 20))]
    rig.engine.start_break()
    rig.run(minutes=1)
    assert calls >= 5  # started, completed, due, break started, break completed
    notices = rig.rec.of(ev.Notice)
    assert len(notices) == 1
    assert notices[0].warning
    assert "History not saved" in notices[0].title


# -- catching up after the clock jumped ---------------------------------------------------


def test_check_time_raises_a_missed_therapy_end_once(rig: Rig):
    rig.engine.start_therapy(ICE)
    rig.clock.set(at(9, 40))  # suspended: the job did not fire
    rig.engine.check_time()
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.session.kind is ICE
    rig.sched.run_due(rig.clock)  # the stale job runs late, as a real scheduler would
    rig.engine.check_time()
    rig.run(minutes=5)
    assert len(rig.rec.of(ev.TherapyEnded)) == 1
    # The alert came 25 minutes late: recorded as an overrun with the real time on the skin.
    [_row] = rig.rows(EventKind.THERAPY_OVERRUN)
    assert "has been on since 09:00" in ended.advice
    assert not rig.rows(EventKind.THERAPY_COMPLETED)


def test_check_time_ends_a_pause_that_ran_out(rig: Rig):
    rig.engine.pause("30")
    rig.clock.set(at(10, 0))
    rig.engine.check_time()
    assert rig.status == ("Next break in 20 min",)


def test_a_late_break_job_still_fires_once(rig: Rig):
    rig.clock.set(at(9, 45))
    rig.engine.check_time()
    rig.sched.run_due(rig.clock)
    assert rig.due() == [(MICRO, at(9, 20))]


def test_shutdown_cancels_every_job_and_records_the_quit(rig: Rig):
    rig.engine.start_therapy(ICE)
    rig.engine.shutdown()
    assert rig.sched.pending() == []
    assert rig.rows()[-1].kind is EventKind.APP_QUIT


# -- property: a simulated day -----------------------------------------------------------

ANSWERS = st.sampled_from(["start", "postpone", "skip"])


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    micro_every=st.integers(5, 120),
    micro_secs=st.integers(10, 300),
    posture_every=st.integers(15, 240),
    posture_mins=st.integers(1, 30),
    postpone=st.integers(1, 30),
    enabled=st.sampled_from(["both", "micro only", "posture only"]),
    data=st.data(),
)
def test_a_simulated_day_never_puts_a_micro_break_next_to_a_posture_break(
    micro_every: int,
    micro_secs: int,
    posture_every: int,
    posture_mins: int,
    postpone: int,
    enabled: str,
    data: st.DataObject,
):
    s = Settings(
        breaks=BreakSettings(
            postpone_minutes=postpone,
            micro=MicroBreakSettings(enabled != "posture only", micro_every, micro_secs),
            posture=PostureBreakSettings(enabled != "micro only", posture_every, posture_mins),
        )
    )
    clock = ManualClock(T0)
    with HistoryStore(":memory:") as store:
        rig = make_rig(clock, store, s, start=False)
        engine = rig.engine
        gap = engine.breaks.config.gap
        seen: set[tuple[BreakKind, datetime]] = set()
        problems: list[str] = []

        def check(event: ev.EngineEvent) -> None:
            if not isinstance(event, ev.BreakDue):
                return
            brk = event.brk
            if brk.due_at > clock.now():
                problems.append(f"{brk} fired early, at {clock.now()}")
            if (brk.kind, brk.due_at) in seen:
                problems.append(f"{brk.kind} fired twice for {brk.due_at}")
            seen.add((brk.kind, brk.due_at))
            posture = engine.breaks.next_posture_due()
            if brk.kind is MICRO and posture is not None and abs(posture - brk.due_at) <= gap:
                problems.append(f"micro at {brk.due_at} within {gap} of posture at {posture}")

        engine.subscribe(check)
        engine.start()
        end = T0 + timedelta(hours=16)
        while True:
            job = rig.sched.next_job()
            if job is None or job.when > end:
                break
            rig.to(max(job.when, clock.now()))
            assert not problems, problems
            active = engine.breaks.active
            if active is None or active.phase is not BreakPhase.DUE:
                continue
            # The person may take a while to answer; a posture break can come due meanwhile.
            rig.run(seconds=data.draw(st.integers(0, 20 * 60), label="delay"))
            answer = data.draw(ANSWERS, label="answer")
            if answer == "start":
                engine.start_break()
            elif answer == "postpone" and engine.breaks.can_postpone():
                engine.postpone_break()
            else:
                engine.skip_break()
        assert not problems, problems
        assert seen, "a day with breaks enabled had no break at all"


def test_every_hook_one_part_of_the_engine_calls_in_another_is_there():
    """The parts (core.engine_base) call each other through hooks the base only declares:
    one left unimplemented would raise NotImplementedError the first time its job runs."""
    hooks = [
        name
        for name, value in vars(EngineBase).items()
        if callable(value) and value.__code__.co_names == ("NotImplementedError",)
    ]
    assert "_reschedule" in hooks and "check_time" in hooks
    missing = [name for name in hooks if getattr(Engine, name) is getattr(EngineBase, name)]
    assert not missing, f"hooks nobody implements: {missing}"
