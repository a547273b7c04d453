"""Breaks that respect the person: time away, do-not-disturb, warnings, postpone limits,
working hours, water, suspend and clock changes, and recovery after a crash.

Everything runs on the real engine and a real history, under a manual clock and the fake
scheduler, with a fake ``Presence`` whose idle time and do-not-disturb the test controls.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from fakes import BERLIN, Rig, at, berlin, make_rig, tweak
from neckcare_desktop.core import events as ev
from neckcare_desktop.core.breaks import BreakKind, BreakPhase, BreakStateError
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.engine import (
    JOB_BREAK_DUE,
    JOB_BREAK_WARNING,
    JOB_HYDRATION,
    JOB_PAUSE_END,
    JOB_THERAPY_END,
)
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.settings import Settings, default_settings
from neckcare_desktop.core.therapy import RestPeriodActive, TherapyKind

MICRO, POSTURE = BreakKind.MICRO, BreakKind.POSTURE
ICE, HEAT = TherapyKind.ICE, TherapyKind.HEAT
FULLSCREEN = "a fullscreen window (Slides)"

#: Posture break first: the 60-minute micro-break is folded into the 09:50 posture break.
POSTURE_FIRST = {"breaks.micro.interval_minutes": 60}
#: Working hours Monday to Friday, 09:00 to 17:30.
OFFICE = {"working_hours.enabled": True}


def settings_with(**values: object) -> Settings:
    return tweak(default_settings(), **values)


def natural_rows(rig: Rig) -> list[tuple[str | None, datetime, str | None]]:
    return [(r.subject, r.at, r.note) for r in rig.rows(EventKind.BREAK_NATURAL)]


def answer_all_by_starting(rig: Rig, until: datetime) -> None:
    """Run the clock to ``until``, starting every break the moment it comes due."""
    while True:
        job = rig.sched.next_job()
        if job is None or job.when > until:
            break
        rig.to(max(job.when, rig.clock.now()))
        active = rig.engine.breaks.active
        if active is not None and active.phase is BreakPhase.DUE:
            rig.engine.start_break()
    rig.to(until)


# -- 1. natural breaks: time away counts ------------------------------------------------


def test_idle_past_20_s_counts_as_one_natural_micro_break(rig: Rig):
    rig.to(at(9, 5))
    rig.presence.leave()
    rig.poll_every(10, at(9, 7))  # readings 10, 20, 30, ... 120 s
    assert natural_rows(rig) == [("micro", at(9, 5, 20), None)]
    assert [e.kinds for e in rig.rec.of(ev.NaturalBreak)] == [("micro",)]
    assert rig.status == ("Away: breaks count while you are away",)
    assert rig.engine.status().away


def test_idle_time_from_before_the_start_is_no_break(clock, history):
    """No input for 20 s at launch: 5 s later nothing is credited; 20 s after launch it is."""
    rig = make_rig(clock, history, start=False)
    rig.presence.leave(clock.now() - timedelta(seconds=20))
    rig.engine.start()
    rig.run(seconds=5)
    rig.poll()  # 25 s without input, 5 s of them with NeckCare running
    assert natural_rows(rig) == []
    assert rig.rec.of(ev.NaturalBreak) == []
    assert not rig.engine.status().away
    rig.poll_every(5, at(9, 0, 20))
    assert natural_rows(rig) == [("micro", at(9, 0, 20), None)]


def test_a_short_idle_is_no_break(rig: Rig):
    rig.to(at(9, 5))
    rig.idle(19)
    rig.idle(0)
    assert natural_rows(rig) == []
    assert rig.rec.of(ev.NaturalBreak) == []
    assert rig.engine.status().next_break == (MICRO, at(9, 20))


def test_no_break_comes_due_while_away_and_the_micro_timer_restarts_on_return(rig: Rig):
    rig.to(at(9, 5))
    rig.presence.leave()
    rig.poll_every(10, at(9, 6))
    rig.to(at(9, 25))  # 09:20 passes while away
    assert rig.due() == []
    assert rig.rows(EventKind.BREAK_DUE) == []
    rig.to(at(9, 26))
    rig.presence.back()
    rig.poll()
    assert rig.engine.status().next_break == (MICRO, at(9, 46))
    rig.to(at(9, 45, 59))
    assert rig.due() == []
    rig.to(at(9, 46))
    assert rig.due() == [(MICRO, at(9, 46))]
    assert len(natural_rows(rig)) == 1


def test_an_idle_reading_at_the_due_time_is_enough_to_hold_the_break(rig: Rig):
    """The person left at 09:19; the idle poll has not run yet when the break comes due."""
    rig.presence.leave(at(9, 19))
    rig.to(at(9, 21))  # must neither fire nor re-arm the job in the past forever
    assert rig.due() == []
    assert rig.sched.fired_names().count(JOB_BREAK_DUE) == 1
    assert rig.engine.status().away
    rig.presence.back()
    rig.poll()
    rig.to(at(9, 41))
    assert rig.due() == [(MICRO, at(9, 41))]


def test_idle_past_5_min_is_a_natural_posture_break_and_restarts_both_timers(rig: Rig):
    rig.to(at(9, 10))
    rig.presence.leave()
    rig.poll_every(30, at(9, 30))
    rig.poll_every(10, at(9, 55))  # 09:50 passes while away
    assert natural_rows(rig) == [("micro", at(9, 10, 30), None), ("posture", at(9, 15), None)]
    assert [e.kinds for e in rig.rec.of(ev.NaturalBreak)] == [("micro",), ("posture",)]
    rig.presence.back()
    rig.poll()
    assert rig.engine.status().next_break == (MICRO, at(10, 15))
    assert rig.engine.breaks.next_posture_due() == at(10, 45)
    answer_all_by_starting(rig, at(10, 45))
    assert rig.due() == [(MICRO, at(10, 15)), (MICRO, at(10, 35, 20)), (POSTURE, at(10, 45))]


def test_a_first_reading_past_5_min_records_only_the_posture_break(rig: Rig):
    rig.to(at(9, 16))
    rig.idle(6 * 60)  # e.g. the first reading after the screen was locked
    rig.idle(6 * 60 + 10)
    assert natural_rows(rig) == [("posture", at(9, 16), None)]
    assert [e.kinds for e in rig.rec.of(ev.NaturalBreak)] == [("posture",)]


def test_coming_back_during_a_running_break_does_not_disturb_it(clock, history):
    rig = make_rig(clock, history, settings_with(**POSTURE_FIRST))
    rig.to(at(9, 50))
    rig.engine.start_break()
    rig.presence.leave()  # off to stretch, away from the keyboard
    rig.poll_every(30, at(9, 53))
    rig.presence.back()
    rig.poll()
    active = rig.engine.breaks.active
    assert (active.kind, active.phase, active.ends_at) == (POSTURE, BreakPhase.RUNNING, at(9, 55))
    assert rig.status == ("Posture break: 2 min left",)
    rig.to(at(9, 55))
    assert [(f.brk.kind, f.completed) for f in rig.rec.of(ev.BreakFinished)] == [(POSTURE, True)]
    assert rig.rec.of(ev.BreakWithdrawn) == []
    # The time on the break is that break, not another "taken while away" one.
    assert natural_rows(rig) == []
    assert rig.engine.breaks.next_posture_due() == at(10, 45)


def test_still_away_after_a_break_ends_counts_only_from_its_end(clock, history):
    rig = make_rig(clock, history, settings_with(**POSTURE_FIRST))
    rig.to(at(9, 50))
    rig.engine.start_break()
    rig.presence.leave()
    rig.poll_every(30, at(9, 55))  # the break ended at 09:55; idle reads 5 min
    assert natural_rows(rig) == []
    rig.poll_every(30, at(10, 1))
    assert natural_rows(rig) == [("micro", at(9, 55, 30), None), ("posture", at(10, 0), None)]


def test_a_due_break_window_is_withdrawn_when_idle_reaches_its_length(rig: Rig):
    rig.presence.leave(at(9, 19, 50))
    rig.to(at(9, 20))  # the window comes up with 10 s of idle: the person is there
    [due] = rig.rec.of(ev.BreakDue)
    rig.to(at(9, 20, 5))
    rig.poll()  # 15 s idle: not yet
    assert rig.rec.of(ev.BreakWithdrawn) == []
    rig.to(at(9, 20, 15))
    rig.poll()  # 25 s idle
    assert [w.brk for w in rig.rec.of(ev.BreakWithdrawn)] == [due.brk]
    assert rig.engine.breaks.active is None
    assert natural_rows(rig) == [("micro", at(9, 20, 15), None)]
    rig.to(at(9, 23))
    rig.presence.back()
    rig.poll()
    rig.to(at(9, 43))
    assert rig.due() == [(MICRO, at(9, 20)), (MICRO, at(9, 43))]


def test_a_due_posture_window_stays_up_for_a_short_absence(clock, history):
    rig = make_rig(clock, history, settings_with(**POSTURE_FIRST))
    rig.to(at(9, 50))
    rig.presence.leave()
    rig.poll_every(30, at(9, 52))
    assert rig.rec.of(ev.BreakWithdrawn) == []
    assert rig.engine.breaks.active.kind is POSTURE
    rig.poll_every(30, at(9, 55))
    assert [w.brk.kind for w in rig.rec.of(ev.BreakWithdrawn)] == [POSTURE]


def test_natural_breaks_off_counts_nothing_and_breaks_come_due(clock, history):
    rig = make_rig(clock, history, settings_with(**{"breaks.natural_breaks": False}))
    rig.to(at(9, 5))
    rig.presence.leave()
    rig.poll_every(30, at(9, 30))
    assert natural_rows(rig) == []
    assert rig.rec.of(ev.NaturalBreak) == []
    assert rig.due() == [(MICRO, at(9, 20))]
    assert not rig.engine.status().away


def test_no_idle_backend_changes_nothing(rig: Rig):
    rig.presence.idle = None
    for _ in range(10):
        rig.engine.on_presence(None)
        rig.run(minutes=1)
    assert natural_rows(rig) == []
    assert rig.engine.status().next_break == (MICRO, at(9, 20))
    rig.to(at(9, 20))
    assert rig.due() == [(MICRO, at(9, 20))]


# -- 3. do not disturb ------------------------------------------------------------------


def test_a_break_due_during_do_not_disturb_waits_and_shows_when_it_ends(rig: Rig):
    rig.to(at(9, 19))
    rig.presence.dnd = FULLSCREEN
    rig.to(at(9, 20))
    assert rig.due() == []
    assert rig.status == (f"Break waiting: {FULLSCREEN}",)
    assert rig.engine.status().held_reason == FULLSCREEN
    assert rig.sched.when(JOB_BREAK_DUE) == at(9, 21)  # looks again each minute
    rig.to(at(9, 22))
    assert rig.due() == []
    assert rig.sched.when(JOB_BREAK_DUE) == at(9, 23)
    rig.to(at(9, 22, 30))
    rig.presence.dnd = None
    rig.to(at(9, 23))
    assert rig.due() == [(MICRO, at(9, 20))]
    [row] = rig.rows(EventKind.BREAK_DUE)
    assert row.at == at(9, 23)
    assert rig.status == ("Micro-break due",)


def test_a_held_break_shows_anyway_after_30_minutes(rig: Rig):
    rig.presence.dnd = FULLSCREEN
    rig.to(at(9, 49, 59))
    assert rig.due() == []
    rig.to(at(9, 50))
    # Held since 09:20; at 09:50 the posture break is due too and covers the micro-break.
    assert [(e.brk.kind, e.brk.due_at) for e in rig.rec.of(ev.BreakDue)] == [(POSTURE, at(9, 50))]
    rig.engine.start_break()
    rig.to(at(9, 55, 20))
    assert len(rig.rec.of(ev.BreakDue)) == 1  # no micro-break right after it


def test_a_held_micro_break_alone_shows_after_30_minutes(clock, history):
    rig = make_rig(clock, history, settings_with(**{"breaks.posture.enabled": False}))
    rig.presence.dnd = FULLSCREEN
    rig.to(at(9, 49, 59))
    assert rig.due() == []
    rig.to(at(9, 50))
    assert rig.due() == [(MICRO, at(9, 20))]
    assert rig.rows(EventKind.BREAK_DUE)[-1].at == at(9, 50)


def test_the_pre_break_warning_is_suppressed_during_do_not_disturb(clock, history):
    rig = make_rig(clock, history, settings_with(**POSTURE_FIRST))
    rig.presence.dnd = FULLSCREEN
    rig.to(at(9, 50))
    assert rig.rec.of(ev.BreakWarning) == []
    assert rig.due() == []


def test_do_not_disturb_is_ignored_when_the_setting_is_off(clock, history):
    rig = make_rig(clock, history, settings_with(**{"breaks.respect_fullscreen": False}))
    rig.presence.dnd = FULLSCREEN
    rig.to(at(9, 20))
    assert rig.due() == [(MICRO, at(9, 20))]
    assert rig.rows(EventKind.BREAK_DUE)[-1].at == at(9, 20)


# -- 4. the warning before a posture break ----------------------------------------------


def test_a_warning_comes_30_s_before_a_posture_break(clock, history):
    rig = make_rig(clock, history, settings_with(**POSTURE_FIRST))
    assert rig.sched.when(JOB_BREAK_WARNING) == at(9, 49, 30)
    rig.to(at(9, 49, 29))
    assert rig.rec.of(ev.BreakWarning) == []
    rig.to(at(9, 49, 30))
    assert rig.rec.of(ev.BreakWarning) == [ev.BreakWarning("posture", 30, True)]
    rig.to(at(9, 50))
    assert rig.due() == [(POSTURE, at(9, 50))]


def test_no_warning_before_a_micro_break(rig: Rig):
    rig.to(at(9, 20))
    assert rig.rec.of(ev.BreakWarning) == []
    assert rig.due() == [(MICRO, at(9, 20))]


def test_postponing_from_the_warning_moves_the_posture_break(clock, history):
    rig = make_rig(clock, history, settings_with(**POSTURE_FIRST))
    rig.to(at(9, 49, 40))
    assert rig.engine.postpone_upcoming() == (POSTURE, at(9, 55))
    [row] = rig.rows(EventKind.BREAK_POSTPONED)
    assert (row.subject, row.at, row.note) == ("posture", at(9, 49, 40), "from warning")
    rig.to(at(9, 54, 59))
    assert rig.due() == []
    rig.to(at(9, 55))
    [due] = rig.rec.of(ev.BreakDue)
    assert (due.brk.kind, due.brk.due_at, due.brk.postpones) == (POSTURE, at(9, 55), 1)


def test_warning_seconds_0_turns_the_warning_off(clock, history):
    rig = make_rig(clock, history, settings_with(**POSTURE_FIRST, **{"breaks.warning_seconds": 0}))
    assert rig.sched.when(JOB_BREAK_WARNING) is None
    rig.to(at(9, 50))
    assert rig.rec.of(ev.BreakWarning) == []
    assert rig.due() == [(POSTURE, at(9, 50))]


def test_the_warning_follows_its_setting(clock, history):
    rig = make_rig(
        clock, history, settings_with(**POSTURE_FIRST, **{"breaks.warning_seconds": 120})
    )
    rig.to(at(9, 48))
    assert rig.rec.of(ev.BreakWarning) == [ev.BreakWarning("posture", 120, True)]


# -- 5. postpone limit and strict mode --------------------------------------------------

MICRO_ONLY = {"breaks.posture.enabled": False}


def test_after_three_postpones_in_a_row_only_start_and_skip_remain(clock, history):
    rig = make_rig(clock, history, settings_with(**MICRO_ONLY))
    rig.to(at(9, 20))
    for minute in (25, 30, 35):
        assert rig.rec.of(ev.BreakDue)[-1].can_postpone
        rig.engine.postpone_break()
        rig.to(at(9, minute))
    last = rig.rec.of(ev.BreakDue)[-1]
    assert (last.brk.due_at, last.brk.postpones, last.can_postpone) == (at(9, 35), 3, False)
    with pytest.raises(BreakStateError, match="postponed 3 times"):
        rig.engine.postpone_break()
    assert rig.engine.breaks.active.phase is BreakPhase.DUE
    assert len(rig.rows(EventKind.BREAK_POSTPONED)) == 3
    rig.engine.skip_break()  # skipping resets the count
    rig.to(at(9, 55))
    again = rig.rec.of(ev.BreakDue)[-1]
    assert (again.brk.due_at, again.brk.postpones, again.can_postpone) == (at(9, 55), 0, True)


def test_completing_a_break_resets_the_postpone_count(clock, history):
    rig = make_rig(clock, history, settings_with(**MICRO_ONLY))
    rig.to(at(9, 20))
    for minute in (25, 30, 35):
        rig.engine.postpone_break()
        rig.to(at(9, minute))
    rig.engine.start_break()
    rig.to(at(9, 55, 20))
    again = rig.rec.of(ev.BreakDue)[-1]
    assert (again.brk.due_at, again.brk.postpones, again.can_postpone) == (at(9, 55, 20), 0, True)
    rig.engine.postpone_break()


def test_postpones_from_the_warning_count_toward_the_limit(clock, history):
    rig = make_rig(clock, history, settings_with(**{"breaks.micro.enabled": False}))
    rig.to(at(9, 49, 30))
    rig.engine.postpone_upcoming()  # 09:55
    rig.to(at(9, 54, 30))
    rig.engine.postpone_upcoming()  # 10:00
    rig.to(at(9, 59, 30))
    assert rig.rec.of(ev.BreakWarning)[-1].can_postpone
    rig.engine.postpone_upcoming()  # 10:05
    rig.to(at(10, 4, 30))
    assert not rig.rec.of(ev.BreakWarning)[-1].can_postpone
    assert rig.engine.postpone_upcoming() is None
    rig.to(at(10, 5))
    assert not rig.rec.of(ev.BreakDue)[-1].can_postpone


def test_strict_mode_offers_neither_postpone_nor_skip(clock, history):
    rig = make_rig(clock, history, settings_with(**{"breaks.strict": True}))
    rig.to(at(9, 20))
    [due] = rig.rec.of(ev.BreakDue)
    assert (due.can_postpone, due.can_skip) == (False, False)
    with pytest.raises(BreakStateError, match="strict"):
        rig.engine.skip_break()
    with pytest.raises(BreakStateError, match="strict"):
        rig.engine.postpone_break()
    assert rig.rows(EventKind.BREAK_SKIPPED, EventKind.BREAK_POSTPONED) == []
    rig.engine.start_break()
    [started] = rig.rec.of(ev.BreakStarted)
    assert not started.can_end_early
    with pytest.raises(BreakStateError, match="strict"):
        rig.engine.skip_break()
    rig.to(at(9, 20, 20))
    assert [f.completed for f in rig.rec.of(ev.BreakFinished)] == [True]


def test_strict_mode_warning_offers_no_postpone(clock, history):
    rig = make_rig(clock, history, settings_with(**POSTURE_FIRST, **{"breaks.strict": True}))
    rig.to(at(9, 49, 30))
    assert rig.rec.of(ev.BreakWarning) == [ev.BreakWarning("posture", 30, False)]
    assert rig.engine.postpone_upcoming() is None
    rig.to(at(9, 50))
    assert rig.due() == [(POSTURE, at(9, 50))]


# -- 6. working hours -------------------------------------------------------------------


def office_rig(clock: ManualClock, history: HistoryStore, start: datetime, **values) -> Rig:
    clock.set(start)
    return make_rig(clock, history, settings_with(**OFFICE, **values))


def test_no_reminders_before_hours_and_a_fresh_start_at_0900(clock, history):
    rig = office_rig(clock, history, at(7, 30))
    assert rig.status == ("Outside working hours: reminders from 09:00",)
    assert rig.engine.status().off_hours
    rig.to(at(8, 59, 59))
    assert rig.due() == []
    rig.to(at(9, 0))
    assert rig.status == ("Next break in 20 min",)
    rig.to(at(9, 20))
    assert rig.due() == [(MICRO, at(9, 20))]


def test_no_break_comes_due_after_1730(clock, history):
    rig = office_rig(clock, history, at(9, 0))
    answer_all_by_starting(rig, at(9, 0, day=3))
    times = [when for _, when in rig.due()]
    assert times and max(times) < at(17, 30)
    assert min(times) == at(9, 20)
    rig.to(at(9, 20, day=3))
    assert rig.due()[-1] == (MICRO, at(9, 20, day=3))


def test_status_after_hours_names_the_next_working_day(clock, history):
    rig = office_rig(clock, history, at(17, 0))
    rig.to(at(17, 30))
    assert rig.status == ("Outside working hours: reminders from Tue 09:00",)


def test_a_due_window_is_withdrawn_at_the_end_of_hours(clock, history):
    rig = office_rig(clock, history, at(17, 0))
    rig.to(at(17, 20))
    assert rig.due() == [(MICRO, at(17, 20))]
    rig.to(at(17, 30))
    assert [w.brk.kind for w in rig.rec.of(ev.BreakWithdrawn)] == [MICRO]
    assert rig.engine.breaks.active is None


def test_the_weekend_is_skipped(clock, history):
    rig = office_rig(clock, history, at(17, 0, day=6))  # Friday
    rig.to(at(17, 30, day=6))
    assert rig.status == ("Outside working hours: reminders from Mon 09:00",)
    rig.to(at(9, 19, 59, day=9))
    assert [when for _, when in rig.due()] == [at(17, 20, day=6)]
    rig.to(at(9, 20, day=9))
    assert rig.due()[-1] == (MICRO, at(9, 20, day=9))


def test_hours_across_midnight_work_at_both_edges(clock, history):
    night = {"working_hours.start": "22:00", "working_hours.end": "06:00"}
    rig = office_rig(clock, history, at(21, 0), **night)  # Monday evening
    assert rig.status == ("Outside working hours: reminders from 22:00",)
    rig.to(at(22, 20))
    assert rig.due() == [(MICRO, at(22, 20))]
    answer_all_by_starting(rig, at(6, 0, day=3))
    times = [when for _, when in rig.due()]
    assert max(times) < at(6, 0, day=3)
    assert max(times) > at(5, 0, day=3)  # Tuesday's early hours belong to Monday's night
    assert rig.status == ("Outside working hours: reminders from 22:00",)
    count = len(times)
    rig.to(at(22, 19, 59, day=3))
    assert len(rig.due()) == count
    rig.to(at(22, 20, day=3))
    assert rig.due()[-1] == (MICRO, at(22, 20, day=3))


def test_therapy_timers_work_outside_working_hours(clock, history):
    rig = office_rig(clock, history, at(20, 0))
    rig.engine.start_therapy(ICE)
    assert rig.status[0] == "Ice: 15 min left"
    rig.to(at(20, 15))
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.completed
    assert rig.due() == []


def test_pause_until_tomorrow_ends_at_the_next_working_days_start(clock, history):
    rig = office_rig(clock, history, at(10, 0, day=6))  # Friday
    assert rig.engine.pause("tomorrow") == at(9, 0, day=9)
    assert rig.status == ("Reminders paused until Mon 09 Mar 09:00",)
    rig.to(at(9, 19, 59, day=9))
    assert rig.due() == []
    rig.to(at(9, 20, day=9))
    assert rig.due() == [(MICRO, at(9, 20, day=9))]


def test_a_pause_ending_after_hours_waits_for_the_next_start(clock, history):
    rig = office_rig(clock, history, at(17, 0))
    rig.to(at(17, 10))
    assert rig.engine.pause("30") == at(17, 40)
    assert rig.status == ("Reminders paused until 17:40",)
    rig.to(at(17, 40))
    assert rig.status == ("Outside working hours: reminders from Tue 09:00",)
    rig.to(at(9, 19, 59, day=3))
    assert rig.due() == []
    rig.to(at(9, 20, day=3))
    assert rig.due() == [(MICRO, at(9, 20, day=3))]


def test_a_pause_over_the_start_of_hours_runs_to_its_end(clock, history):
    rig = office_rig(clock, history, at(8, 0))
    assert rig.engine.pause("120") == at(10, 0)
    rig.to(at(10, 19, 59))
    assert rig.due() == []
    rig.to(at(10, 20))
    assert rig.due() == [(MICRO, at(10, 20))]


@pytest.mark.parametrize(
    ("friday", "monday", "real_hours"),
    [
        ((2026, 3, 27), (2026, 3, 30), 62.5),  # clocks go forward on Sunday 29 March
        ((2026, 10, 23), (2026, 10, 26), 64.5),  # and back on Sunday 25 October
    ],
)
def test_0900_is_0900_on_the_wall_after_a_dst_change(history, friday, monday, real_hours):
    clock = ManualClock(berlin(*friday, 17, 0))
    rig = make_rig(clock, history, settings_with(**OFFICE))
    answer_all_by_starting(rig, berlin(*friday, 17, 31))
    assert rig.status == ("Outside working hours: reminders from Mon 09:00",)
    off = clock.now()
    rig.to(berlin(*monday, 9, 19, 59))
    resumed = [f for f in rig.sched.fired if f.at > off and f.name == JOB_PAUSE_END]
    assert resumed[0].at == berlin(*monday, 9, 0)
    assert resumed[0].at.astimezone(BERLIN).hour == 9
    assert (resumed[0].at - berlin(*friday, 17, 30)) == timedelta(hours=real_hours)
    rig.to(berlin(*monday, 9, 20))
    kind, due_at = rig.due()[-1]
    assert kind is MICRO
    assert due_at.astimezone(BERLIN).timetuple()[:6] == (*monday, 9, 20, 0)


@pytest.mark.parametrize(
    "start",
    [
        berlin(2026, 3, 29, 1, 50),  # 20 min later it is 03:10 CEST
        berlin(2026, 10, 25, 2, 50),  # 02:50 CEST; 20 min later it is 02:10 CET
        berlin(2026, 10, 25, 2, 50, fold=1),  # 02:50 CET, the second time round
    ],
)
def test_a_break_20_min_away_is_20_real_min_away_across_a_dst_change(history, start):
    clock = ManualClock(start)
    rig = make_rig(clock, history)
    rig.engine.start_therapy(ICE)
    clock.advance(timedelta(minutes=15) - timedelta(seconds=1))
    rig.sched.run_due(clock)
    assert rig.rec.of(ev.TherapyEnded) == []
    clock.advance(1)
    rig.sched.run_due(clock)
    assert len(rig.rec.of(ev.TherapyEnded)) == 1
    clock.advance(timedelta(minutes=5) - timedelta(seconds=1))
    rig.sched.run_due(clock)
    assert rig.due() == []
    clock.advance(1)
    rig.sched.run_due(clock)
    [(kind, due_at)] = rig.due()
    assert kind is MICRO
    assert due_at - start == timedelta(minutes=20)
    # A 2-hour pause lasts two real hours, whatever the wall clock does meanwhile.
    rig.engine.skip_break()
    assert rig.engine.pause("120") - clock.now() == timedelta(hours=2)


# -- 7. water ---------------------------------------------------------------------------


def water(rig: Rig) -> list[datetime]:
    assert all("water" in n.title for n in rig.rec.of(ev.Notice))
    assert len(rig.rec.of(ev.Notice)) == len(rig.rows(EventKind.HYDRATION_REMINDER))
    return [r.at for r in rig.rows(EventKind.HYDRATION_REMINDER)]


def test_a_water_reminder_every_hour(rig: Rig):
    rig.to(at(9, 59, 59))
    assert water(rig) == []
    rig.to(at(12, 0))
    assert water(rig) == [at(10, 0), at(11, 0), at(12, 0)]
    [notice, *_] = rig.rec.of(ev.Notice)
    assert notice.title == "Time for some water" and "water" in notice.text
    assert not notice.warning


def test_no_water_reminder_while_paused(rig: Rig):
    rig.to(at(9, 30))
    rig.engine.pause("120")  # to 11:30
    rig.to(at(12, 0))
    assert water(rig) == [at(12, 0)]


def test_no_water_reminder_while_away(rig: Rig):
    rig.presence.leave(at(9, 50))
    rig.to(at(10, 30))
    assert water(rig) == []
    rig.presence.back()
    rig.poll()
    rig.to(at(11, 0))
    assert water(rig) == [at(11, 0)]


def test_no_water_reminder_during_do_not_disturb(rig: Rig):
    rig.to(at(9, 55))
    rig.presence.dnd = FULLSCREEN
    rig.to(at(10, 30))
    assert water(rig) == []
    rig.presence.dnd = None
    rig.to(at(11, 0))
    assert water(rig) == [at(11, 0)]


def test_water_reminders_can_be_turned_off(clock, history):
    rig = make_rig(clock, history, settings_with(**{"hydration.enabled": False}))
    assert rig.sched.when(JOB_HYDRATION) is None
    rig.to(at(13, 0))
    assert water(rig) == []


def test_water_reminders_follow_their_interval(clock, history):
    rig = make_rig(clock, history, settings_with(**{"hydration.interval_minutes": 30}))
    rig.to(at(10, 0))
    assert water(rig) == [at(9, 30), at(10, 0)]


# -- 8. suspend and clock changes -------------------------------------------------------


def sleep(rig: Rig, delta: timedelta) -> None:
    """A suspend: the wall clock moves on, the monotonic clock does not."""
    rig.clock.set(rig.clock.now() + delta)
    rig.engine.on_clock_jump(delta.total_seconds(), slept=True)
    rig.sched.run_due(rig.clock)


def set_clock_back_an_hour(rig: Rig) -> None:
    """Someone sets the wall clock back; the monotonic clock does not move."""
    rig.clock.set(rig.clock.now() - timedelta(hours=1))
    rig.engine.on_clock_jump(-3600)
    rig.sched.run_due(rig.clock)


def test_an_ice_round_that_ended_during_a_suspend_alerts_at_once_and_once(rig: Rig):
    rig.engine.start_therapy(ICE)
    rig.to(at(9, 5))
    sleep(rig, timedelta(hours=2))
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.ended_at == at(11, 5)
    assert rig.engine.therapy.active is None
    rig.run(hours=1)
    rig.engine.check_time()
    assert len(rig.rec.of(ev.TherapyEnded)) == 1
    # Two hours late: the row tells the truth about how long the ice was on.
    [_row] = rig.rows(EventKind.THERAPY_OVERRUN)
    assert ended.finished.actual_seconds == 2 * 3600 + 5 * 60
    assert "has been on since 09:00" in ended.advice


def test_a_suspend_counts_as_a_break_and_restarts_the_timers_from_the_wake(rig: Rig):
    rig.to(at(9, 10))
    sleep(rig, timedelta(hours=2))
    assert natural_rows(rig) == [("posture", at(11, 10), "asleep")]
    assert rig.due() == []
    assert rig.engine.status().next_break == (MICRO, at(11, 30))
    assert rig.engine.breaks.next_posture_due() == at(12, 0)
    answer_all_by_starting(rig, at(12, 0))
    assert rig.due() == [(MICRO, at(11, 30)), (MICRO, at(11, 50, 20)), (POSTURE, at(12, 0))]


def test_a_short_suspend_counts_as_a_micro_break(rig: Rig):
    rig.to(at(9, 10))
    sleep(rig, timedelta(minutes=1))
    assert natural_rows(rig) == [("micro", at(9, 11), "asleep")]
    assert rig.engine.status().next_break == (MICRO, at(9, 31))
    assert rig.engine.breaks.next_posture_due() == at(9, 50)


def test_a_suspend_over_missed_breaks_brings_at_most_one_window(clock, history):
    rig = make_rig(clock, history, settings_with(**{"breaks.natural_breaks": False}))
    rig.to(at(9, 10))
    sleep(rig, timedelta(hours=2))
    rig.run(minutes=10)  # nobody answers
    assert len(rig.rec.of(ev.BreakDue)) == 1
    assert natural_rows(rig) == []


def test_a_clock_set_back_keeps_the_real_wait_for_the_next_break(rig: Rig):
    rig.to(at(9, 10))
    set_clock_back_an_hour(rig)
    rig.to(at(8, 19, 59))
    assert rig.due() == []
    rig.to(at(8, 20))
    assert rig.due() == [(MICRO, at(8, 20))]  # 10 real minutes after 09:10, as planned


def test_a_clock_set_back_never_makes_an_ice_round_longer(rig: Rig):
    rig.engine.start_therapy(ICE)
    rig.to(at(9, 10))
    set_clock_back_an_hour(rig)
    assert rig.status[0] == "Ice: 5 min left"
    assert rig.sched.when(JOB_THERAPY_END) == at(8, 15)
    rig.to(at(8, 14, 59))
    assert rig.rec.of(ev.TherapyEnded) == []
    rig.to(at(8, 15))
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.completed
    rig.to(at(9, 30))
    assert len(rig.rec.of(ev.TherapyEnded)) == 1


def test_a_clock_set_back_keeps_a_30_minute_pause_30_minutes_long(rig: Rig):
    rig.to(at(9, 10))
    rig.engine.pause("30")
    rig.to(at(9, 20))
    set_clock_back_an_hour(rig)
    assert rig.status == ("Reminders paused until 08:40",)
    rig.to(at(8, 39, 59))
    assert rig.engine.breaks.paused_until is not None
    rig.to(at(8, 40))  # 30 real minutes after 09:10
    assert rig.status == ("Next break in 20 min",)


def test_a_clock_set_back_leaves_a_pause_until_tomorrow_morning_on_the_wall(rig: Rig):
    rig.to(at(9, 10))
    until = rig.engine.pause("tomorrow")
    set_clock_back_an_hour(rig)
    assert rig.engine.breaks.paused_until == until == at(9, 0, day=3)


def test_a_clock_set_back_does_not_stretch_holding_a_break(rig: Rig):
    """Held for a fullscreen window since 09:20: shown 30 real minutes later, not 90."""
    rig.presence.dnd = FULLSCREEN
    rig.to(at(9, 30))
    assert rig.due() == []
    set_clock_back_an_hour(rig)
    rig.to(at(8, 49, 59))
    assert rig.due() == []
    rig.to(at(8, 50))
    assert [e.brk.kind for e in rig.rec.of(ev.BreakDue)] == [POSTURE]


@pytest.mark.parametrize("seconds", [5.0, -5.0, 9.9])
def test_clock_jumps_under_10_s_are_ignored(rig: Rig, seconds: float):
    rig.engine.start_therapy(ICE)
    rig.to(at(9, 5))
    rig.clock.set(at(9, 5) + timedelta(seconds=seconds))
    rig.engine.on_clock_jump(seconds)
    assert rig.sched.wakeups == 0
    assert natural_rows(rig) == []
    assert rig.engine.therapy.active.ends_at == at(9, 15)
    assert rig.engine.status().next_break == (MICRO, at(9, 20))


def test_a_clock_set_ahead_uses_the_same_rules_as_a_suspend(rig: Rig):
    rig.engine.start_therapy(HEAT)
    rig.to(at(9, 5))
    rig.clock.set(at(11, 5))  # the person fixed the clock by hand
    rig.engine.on_clock_jump(7200)
    assert len(rig.rec.of(ev.TherapyEnded)) == 1
    assert natural_rows(rig) == [("posture", at(11, 5), "clock moved ahead")]
    assert rig.sched.wakeups == 1


# -- 9. therapy recovery after a crash ---------------------------------------------------


def crashed_with_ice(clock: ManualClock, path: Path) -> HistoryStore:
    """Engine A starts a 15-minute ice round at 09:00 and dies without shutting down."""
    store = HistoryStore(path)
    first = make_rig(clock, store)
    first.engine.start_therapy(ICE)
    del first  # killed: no shutdown, no app_quit, its timers are gone
    return store


def test_ice_left_on_through_a_crash_alerts_at_once_on_the_next_start(clock, tmp_path: Path):
    path = tmp_path / "history.sqlite3"
    old = crashed_with_ice(clock, path)
    clock.advance(timedelta(minutes=20))
    with HistoryStore(path) as store:
        rig = make_rig(clock, store)
        [ended] = rig.rec.of(ev.TherapyEnded)
        assert ended.advice.startswith("Ice has been on since 09:00")
        assert "take it off now" in ended.advice
        [row] = rig.rows(EventKind.THERAPY_OVERRUN)
        assert (row.subject, row.at, row.planned_seconds) == ("ice", at(9, 20), 900)
        assert abs(row.actual_seconds - 1200) <= 1
        assert row.note and "not running" in row.note and "09:15" in row.note
        assert rig.engine.therapy.active is None
        assert rig.status[0] == "Ice again in 40 min"
        rig.run(hours=1)
        assert len(rig.rec.of(ev.TherapyEnded)) == 1
        assert rig.rows(EventKind.THERAPY_COMPLETED) == []
    old.close()


def test_the_ice_rest_after_an_overrun_survives_another_restart(clock, tmp_path: Path):
    path = tmp_path / "history.sqlite3"
    crashed_with_ice(clock, path).close()
    clock.advance(timedelta(minutes=20))
    with HistoryStore(path) as store:
        make_rig(clock, store).engine.shutdown()
    clock.advance(timedelta(minutes=5))
    with HistoryStore(path) as store:
        third = make_rig(clock, store)
        assert third.rec.of(ev.TherapyEnded) == []
        with pytest.raises(RestPeriodActive, match="ice again in 35 min"):
            third.engine.start_therapy(ICE)


def test_ice_still_on_after_a_crash_resumes_with_the_time_really_left(clock, tmp_path: Path):
    path = tmp_path / "history.sqlite3"
    old = crashed_with_ice(clock, path)
    clock.advance(timedelta(minutes=5))
    with HistoryStore(path) as store:
        rig = make_rig(clock, store)
        assert rig.status[0] == "Ice: 10 min left"
        [notice] = rig.rec.of(ev.Notice)
        assert "resumed" in notice.title and "10 min left" in notice.text
        assert rig.rec.of(ev.TherapyEnded) == []
        rig.to(at(9, 14, 59))
        assert rig.rec.of(ev.TherapyEnded) == []
        rig.to(at(9, 15))
        [ended] = rig.rec.of(ev.TherapyEnded)
        assert ended.finished.completed and ended.finished.ended_at == at(9, 15)
        rig.run(hours=1)
        [row] = rig.rows(EventKind.THERAPY_COMPLETED)
        assert (row.at, row.planned_seconds, row.actual_seconds) == (at(9, 15), 900, 900)
        assert rig.rows(EventKind.THERAPY_OVERRUN) == []
    old.close()


def test_a_finished_session_is_not_recovered(clock, tmp_path: Path):
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        first = make_rig(clock, store)
        first.engine.start_therapy(HEAT)
        first.to(at(9, 15))
    clock.advance(timedelta(minutes=30))
    with HistoryStore(path) as store:
        rig = make_rig(clock, store)
        assert rig.rec.of(ev.TherapyEnded) == []
        assert rig.rec.of(ev.Notice) == []
        assert rig.engine.therapy.active is None


# -- 10. a session survives a restart, whatever happened meanwhile --------------------------


def restart(clock: ManualClock, path: Path, *, state_file: bool = True) -> Rig:
    """A new engine on the same history file, as the app makes one at its next start.

    ``state_file=False``: the therapy state file is gone (an older NeckCare wrote the
    history), so only the history rows tell what was running.
    """
    if not state_file:
        (path.parent / "therapy-state.json").unlink()
    return make_rig(clock, HistoryStore(path))


def set_clock(rig: Rig, delta: timedelta) -> None:
    """The person sets the clock by ``delta``; the app knows it was set, not a sleep."""
    rig.clock.set(rig.clock.now() + delta)
    rig.engine.on_clock_jump(delta.total_seconds(), slept=False)
    rig.sched.run_due(rig.clock)


@pytest.mark.parametrize("state_file", [True, False])
def test_a_round_resumed_after_the_clock_was_set_back_has_no_more_than_its_length(
    clock, tmp_path: Path, state_file: bool
):
    """A 2-minute round, the clock set back an hour while NeckCare was not running."""
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        make_rig(clock, store).engine.start_therapy(ICE, 2)
    clock.set(at(8, 0, 30))
    rig = restart(clock, path, state_file=state_file)
    assert rig.status[0] == "Ice: 2 min left"  # not "60 min left"
    rig.to(at(8, 2, 30))
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.completed
    assert rig.rows(EventKind.THERAPY_OVERRUN) == []


@pytest.mark.parametrize("state_file", [True, False])
def test_the_resumed_session_is_the_last_one_started_not_the_newest_time_stamp(
    clock, tmp_path: Path, state_file: bool
):
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        first = make_rig(clock, store)
        first.engine.start_therapy(ICE)
        first.to(at(9, 10))
        first.engine.stop_therapy()  # its row says 09:10
        set_clock(first, -timedelta(hours=1))  # 08:10
        first.to(at(8, 12))
        first.engine.start_therapy(HEAT, 20)  # 08:12: an older time stamp, started later
        del first  # crash
    clock.set(at(8, 15))
    rig = restart(clock, path, state_file=state_file)
    assert rig.status[0] == "Heat: 17 min left"
    assert rig.rec.of(ev.TherapyEnded) == []


def test_a_clock_set_ahead_during_ice_records_no_overrun_that_never_happened(rig: Rig):
    rig.engine.start_therapy(ICE)  # 09:00 for 15 min
    rig.to(at(9, 5))
    set_clock(rig, timedelta(hours=1))  # 10:05, and only 5 real minutes on the skin
    assert rig.rec.of(ev.TherapyEnded) == []
    assert rig.status[0] == "Ice: 10 min left"
    assert natural_rows(rig) == []  # nobody was away either
    rig.to(at(10, 14, 59))
    assert rig.rec.of(ev.TherapyEnded) == []
    rig.to(at(10, 15))
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.completed and ended.finished.actual_seconds == 900
    assert rig.rows(EventKind.THERAPY_OVERRUN) == []
    [row] = rig.rows(EventKind.THERAPY_COMPLETED)
    assert row.at == at(10, 15)


def test_a_real_sleep_through_the_end_of_ice_still_records_an_overrun(rig: Rig):
    rig.engine.start_therapy(ICE)
    rig.to(at(9, 5))
    rig.clock.set(at(10, 5))
    rig.engine.on_clock_jump(3600, slept=True)
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.actual_seconds == 65 * 60
    [_row] = rig.rows(EventKind.THERAPY_OVERRUN)


def test_a_clock_set_ahead_during_ice_then_a_restart_keeps_the_real_end(clock, tmp_path: Path):
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        first = make_rig(clock, store)
        first.engine.start_therapy(ICE)
        first.to(at(9, 5))
        set_clock(first, timedelta(hours=1))
        del first  # crash at 10:05
    clock.set(at(10, 6))
    rig = restart(clock, path)
    assert rig.status[0] == "Ice: 9 min left"
    assert rig.rec.of(ev.TherapyEnded) == []


@pytest.mark.parametrize("state_file", [True, False])
def test_a_cancelled_round_starts_no_rest_also_after_a_restart(
    clock, tmp_path: Path, state_file: bool
):
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        first = make_rig(clock, store)
        first.engine.start_therapy(ICE)
        first.to(at(9, 1))
        first.engine.stop_therapy()  # a minute in: started by mistake
        [row] = first.rows(EventKind.THERAPY_CANCELLED)
        assert (row.subject, row.actual_seconds) == ("ice", 60)
        assert first.rows(EventKind.THERAPY_STOPPED_EARLY) == []
        assert not any(line.startswith("Ice again") for line in first.status)
        first.engine.shutdown()
    rig = restart(clock, path, state_file=state_file)
    assert rig.engine.start_therapy(ICE).kind is ICE  # no "Ice again so soon?"


@pytest.mark.parametrize("state_file", [True, False])
def test_a_cancelled_round_keeps_the_rest_of_the_round_before_across_a_restart(
    clock, tmp_path: Path, state_file: bool
):
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        first = make_rig(clock, store)
        first.engine.start_therapy(ICE)
        first.to(at(9, 15))  # completed: rest until 09:55
        first.engine.start_therapy(ICE, confirm_during_rest=True)
        first.to(at(9, 16))
        first.engine.stop_therapy()
        first.engine.shutdown()
    rig = restart(clock, path, state_file=state_file)
    with pytest.raises(RestPeriodActive, match="ice again in 39 min"):
        rig.engine.start_therapy(ICE)
