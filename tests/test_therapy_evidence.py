"""Ice and heat by the evidence (issue 18): the acute phase, the "10 on · 10 off · 10 on"
session, the safety profile, "my skin is numb", on the manual clock.

The engine runs on the fake scheduler (tests/fakes.py): nothing happens until a test moves
time, so every edge (48 hours, a switch, halfway) is hit to the second.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from fakes import Rig, at, make_rig, tweak
from neckcare_desktop.core import events as ev
from neckcare_desktop.core import limits
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.jobs import JOB_THERAPY_END, JOB_THERAPY_REMINDER, JOB_THERAPY_SWITCH
from neckcare_desktop.core.settings import Settings, default_settings
from neckcare_desktop.core.therapy import (
    RestPeriodActive,
    TherapyError,
    TherapyKind,
    TherapyRules,
    needs_safety_check,
)
from neckcare_desktop.core.therapy_recovery import STATE_FILE_NAME

ICE, HEAT = TherapyKind.ICE, TherapyKind.HEAT
THERAPY_ROWS = (
    EventKind.THERAPY_STARTED,
    EventKind.THERAPY_SWITCHED,
    EventKind.THERAPY_COMPLETED,
    EventKind.THERAPY_STOPPED_EARLY,
    EventKind.THERAPY_OVERRUN,
    EventKind.THERAPY_CANCELLED,
)


def therapy_rows(rig: Rig) -> list[tuple[EventKind, datetime, int | None, int | None, str | None]]:
    return [
        (r.kind, r.at, r.planned_seconds, r.actual_seconds, r.note) for r in rig.rows(*THERAPY_ROWS)
    ]


def spasm_started(rig: Rig, ago: timedelta) -> None:
    """A spasm logged as started ``ago`` before now, still open."""
    now = rig.clock.now()
    rig.history.log_episode(now - ago, 6, now=now)


def care(**answers: bool) -> Settings:
    return tweak(default_settings(), **{f"therapy.{k}": v for k, v in answers.items()})


# -- the acute phase: 10-minute rounds, rest of at least 40 minutes -------------------------


def test_in_the_first_48_hours_start_ice_suggests_10_minutes(rig: Rig):
    spasm_started(rig, timedelta(hours=47, minutes=59, seconds=59))
    assert rig.engine.suggested_minutes(ICE) == limits.ICE_ACUTE_MINUTES == 10
    assert rig.engine.suggested_minutes(HEAT) == 15  # heat keeps its setting
    session = rig.engine.start_therapy(ICE)
    assert (session.planned_seconds, session.ends_at) == (600, at(9, 10))


def test_at_48_hours_the_phase_is_over_and_the_setting_is_back(rig: Rig):
    spasm_started(rig, timedelta(hours=48))
    assert rig.engine.suggested_minutes(ICE) == 15
    assert rig.engine.start_therapy(ICE).planned_seconds == 900


def test_a_resolved_spasm_leaves_the_setting(rig: Rig):
    spasm_started(rig, timedelta(hours=2))
    [episode] = rig.history.open_episodes()
    rig.history.resolve_episode(episode.id, rig.clock.now())
    assert rig.engine.suggested_minutes(ICE) == 15


def test_a_shorter_setting_stays_shorter_in_the_acute_phase(rig: Rig):
    rig.engine.apply_settings(tweak(default_settings(), **{"therapy.ice_minutes": 8}))
    spasm_started(rig, timedelta(hours=1))
    assert rig.engine.suggested_minutes(ICE) == 8


@pytest.mark.parametrize("minutes", [12, 20])
def test_in_the_acute_phase_a_person_may_still_choose_up_to_the_cap(rig: Rig, minutes: int):
    spasm_started(rig, timedelta(hours=1))
    assert rig.engine.start_therapy(ICE, minutes).planned_seconds == minutes * 60


def test_the_20_minute_cap_holds_in_the_acute_phase(rig: Rig):
    spasm_started(rig, timedelta(hours=1))
    with pytest.raises(TherapyError, match="capped at 20 minutes"):
        rig.engine.start_therapy(ICE, 21)
    assert rig.engine.therapy.active is None


def test_in_the_acute_phase_the_rest_after_ice_is_at_least_40_minutes(rig: Rig):
    rig.engine.apply_settings(tweak(default_settings(), **{"therapy.ice_rest_minutes": 20}))
    spasm_started(rig, timedelta(hours=3))
    rig.engine.start_therapy(ICE)
    rig.to(at(9, 10))  # the 10-minute round ends
    rig.to(at(9, 49))
    with pytest.raises(RestPeriodActive, match="ice again in 1 min"):
        rig.engine.start_therapy(ICE)
    rig.to(at(9, 50))
    assert rig.engine.start_therapy(ICE).kind is ICE


def test_outside_the_acute_phase_the_rest_follows_the_setting(rig: Rig):
    rig.engine.apply_settings(tweak(default_settings(), **{"therapy.ice_rest_minutes": 20}))
    rig.engine.start_therapy(ICE, 10)
    rig.to(at(9, 30))
    assert rig.engine.start_therapy(ICE).kind is ICE


def test_a_longer_rest_setting_is_kept_in_the_acute_phase():
    rules = TherapyRules(ice_rest_minutes=90, acute=True)
    assert rules.rest_minutes() == 90
    assert TherapyRules(ice_rest_minutes=20, acute=True).rest_minutes() == 40


# -- the intermittent session: 10 on · 10 off · 10 on ---------------------------------------


def test_an_intermittent_session_runs_with_an_alert_at_each_switch(rig: Rig):
    session = rig.engine.start_therapy(ICE, intermittent=True)
    assert session.intermittent and session.parts == limits.INTERMITTENT_PARTS
    assert (session.planned_seconds, session.ends_at) == (1200, at(9, 30))
    assert rig.engine.status().lines[0] == "Ice on — off in 10 min"

    rig.to(at(9, 9, 59))
    assert rig.rec.of(ev.TherapySwitched) == []
    rig.to(at(9, 10))
    [off] = rig.rec.of(ev.TherapySwitched)
    assert not off.on and off.advice.startswith("Take the ice off now")
    assert "10 minutes" in off.advice
    assert rig.engine.status().lines[0] == "Ice off — back on in 10 min"
    assert rig.engine.status().to_json()["therapy"]["part"] == {
        "index": 1,
        "on": False,
        "remaining_seconds": 600,
    }

    rig.to(at(9, 20))
    on = rig.rec.of(ev.TherapySwitched)[-1]
    assert on.on and on.advice.startswith("Put the ice back on, wrapped in a cloth")
    assert rig.engine.status().lines[0] == "Ice: 10 min left"
    assert rig.rec.of(ev.TherapyEnded) == []

    rig.to(at(9, 30))
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.completed and ended.finished.actual_seconds == 1200
    assert "ice pack off" in ended.advice
    assert len(rig.rec.of(ev.TherapySwitched)) == 2
    assert therapy_rows(rig) == [
        (EventKind.THERAPY_STARTED, at(9, 0), 1200, None, "intermittent 600/600/600"),
        (EventKind.THERAPY_SWITCHED, at(9, 10), None, None, "off"),
        (EventKind.THERAPY_SWITCHED, at(9, 20), None, None, "on"),
        (EventKind.THERAPY_COMPLETED, at(9, 30), 1200, 1200, None),
    ]
    assert rig.engine.therapy.active is None
    assert not {JOB_THERAPY_END, JOB_THERAPY_SWITCH} & set(rig.sched.jobs)


def test_the_switches_are_no_rounds_in_the_totals(rig: Rig):
    rig.engine.start_therapy(ICE, intermittent=True)
    rig.to(at(9, 30))
    totals = rig.history.therapy_seconds_between(at(0, 0), at(23, 59))
    assert totals["ice"] == 1200  # the time on, once
    [day] = rig.history.daily_summary(at(9, 0).date(), at(9, 0).date())
    assert day.ice_seconds == 1200
    counts = rig.history.counts_between(at(0, 0), at(23, 59))
    assert counts[EventKind.THERAPY_COMPLETED] == 1


def test_the_rest_after_an_intermittent_session_starts_at_its_end(rig: Rig):
    rig.engine.start_therapy(ICE, intermittent=True)
    rig.to(at(9, 30))
    rig.to(at(10, 9))
    with pytest.raises(RestPeriodActive, match="ice again in 1 min"):
        rig.engine.start_therapy(ICE)
    rig.to(at(10, 10))
    assert rig.engine.start_therapy(ICE).kind is ICE


def test_stopping_during_the_off_part_counts_only_the_time_on(rig: Rig):
    rig.engine.start_therapy(ICE, intermittent=True)
    rig.to(at(9, 15))
    finished = rig.engine.stop_therapy()
    assert (finished.actual_seconds, finished.completed, finished.cancelled) == (600, False, False)
    assert therapy_rows(rig)[-1] == (EventKind.THERAPY_STOPPED_EARLY, at(9, 15), 1200, 600, None)
    assert not {JOB_THERAPY_END, JOB_THERAPY_SWITCH} & set(rig.sched.jobs)
    rig.run(hours=1)
    assert len(rig.rec.of(ev.TherapySwitched)) == 1  # no "put it back" after a stop


def test_stopping_in_the_last_part_counts_both_parts_on(rig: Rig):
    rig.engine.start_therapy(ICE, intermittent=True)
    rig.to(at(9, 25))
    assert rig.engine.stop_therapy().actual_seconds == 900


@pytest.mark.parametrize(
    ("kind", "minutes", "match"),
    [(ICE, 10, "not both"), (HEAT, None, "Only ice")],
)
def test_intermittent_is_ice_only_and_takes_no_minutes(
    rig: Rig, kind: TherapyKind, minutes: int | None, match: str
):
    with pytest.raises(TherapyError, match=match):
        rig.engine.start_therapy(kind, minutes, intermittent=True)
    assert rig.engine.therapy.active is None
    assert therapy_rows(rig) == []


def test_intermittent_waits_for_the_rest_like_any_ice(rig: Rig):
    rig.engine.start_therapy(ICE, 10)
    rig.to(at(9, 10))
    with pytest.raises(RestPeriodActive):
        rig.engine.start_therapy(ICE, intermittent=True)
    session = rig.engine.start_therapy(ICE, intermittent=True, confirm_during_rest=True)
    assert session.intermittent


def test_a_computer_asleep_through_the_first_switch_says_it_on_waking(rig: Rig):
    rig.engine.start_therapy(ICE, intermittent=True)
    rig.clock.set(at(9, 14))  # asleep: no job ran
    rig.engine.check_time()
    [off] = rig.rec.of(ev.TherapySwitched)
    assert not off.on and "in 6 minutes" in off.advice
    rig.to(at(9, 20))
    assert rig.rec.of(ev.TherapySwitched)[-1].on


def test_asleep_through_take_it_off_and_into_the_last_part_ends_the_session(rig: Rig):
    """Never told to take it off: the pack may have been on 20+ minutes; it ends now."""
    rig.engine.start_therapy(ICE, intermittent=True)
    rig.clock.set(at(9, 22))
    rig.engine.check_time()
    assert rig.rec.of(ev.TherapySwitched) == []
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.advice.startswith("Ice has been on since 09:00")
    assert ended.finished.actual_seconds == 22 * 60
    assert rig.engine.therapy.active is None
    [row] = rig.rows(EventKind.THERAPY_OVERRUN)
    assert row.actual_seconds == 22 * 60 and "2026-03-02T09:10:00" in (row.note or "")


# -- a restart in the middle ------------------------------------------------------------------


def first_run(clock, path: Path, until: datetime, *, quit_cleanly: bool = True) -> None:
    """NeckCare starts an intermittent session at 09:00 and stops running at ``until``."""
    store = HistoryStore(path)
    first = make_rig(clock, store)
    first.engine.start_therapy(ICE, intermittent=True)
    first.to(until)
    if quit_cleanly:
        first.engine.shutdown()
    store.close()


@pytest.mark.parametrize("with_state_file", [True, False])
def test_a_restart_in_the_off_part_carries_the_session_on(clock, tmp_path, with_state_file):
    path = tmp_path / "history.sqlite3"
    first_run(clock, path, at(9, 12), quit_cleanly=False)
    if not with_state_file:
        (tmp_path / STATE_FILE_NAME).unlink()  # the history alone tells the parts
    clock.set(at(9, 14))
    with HistoryStore(path) as store:
        second = make_rig(clock, store)
        session = second.engine.therapy.active
        assert session is not None and session.parts == (600, 600, 600)
        assert second.engine.status().lines[0] == "Ice off — back on in 6 min"
        # "Take it off" was said before the restart: not again, a resumed notice instead.
        assert second.rec.of(ev.TherapySwitched) == []
        # What the person needs now: the part running and its time, not the session's 16.
        [notice] = second.rec.of(ev.Notice)
        assert notice.title == "Ice session resumed"
        assert "ice is off for 6 more min, then back on for 10 min" in notice.text
        assert "16" not in notice.text
        second.to(at(9, 20))
        assert second.rec.of(ev.TherapySwitched)[-1].on
        second.to(at(9, 30))
        [ended] = second.rec.of(ev.TherapyEnded)
        assert ended.finished.completed and ended.finished.actual_seconds == 1200
        kinds = [r.kind for r in second.rows(*THERAPY_ROWS)]
        assert kinds == [
            EventKind.THERAPY_STARTED,
            EventKind.THERAPY_SWITCHED,
            EventKind.THERAPY_SWITCHED,
            EventKind.THERAPY_COMPLETED,
        ]


@pytest.mark.parametrize(
    ("stopped", "restarted", "status", "said"),
    [
        (
            at(9, 3),
            at(9, 4),
            "Ice on — off in 6 min",
            "ice is on for 6 more min, then off for 10 min",
        ),
        (
            at(9, 12),
            at(9, 14, 20),  # 5 min 40 s left: "6", as the status line rounds
            "Ice off — back on in 6 min",
            "ice is off for 6 more min, then back on for 10 min",
        ),
        (
            at(9, 21),
            at(9, 23, 30),
            "Ice: 7 min left",
            "ice is on for 7 more min, then the session is done",
        ),
    ],
    ids=["first on", "off", "last on"],
)
def test_the_resumed_notice_says_the_part_running_as_the_status_line_does(
    clock, tmp_path, stopped, restarted, status, said
):
    path = tmp_path / "history.sqlite3"
    first_run(clock, path, stopped, quit_cleanly=False)
    clock.set(restarted)
    with HistoryStore(path) as store:
        second = make_rig(clock, store)
        assert second.rec.of(ev.TherapySwitched) == []  # each switch was said before
        [notice] = second.rec.of(ev.Notice)
        assert notice.title == "Ice session resumed"
        assert said in notice.text, notice.text
        # The tray tooltip is the status lines under "NeckCare": the same minutes.
        assert second.engine.status().lines[0] == status


def test_a_switch_that_passed_while_not_running_is_alerted_at_once(clock, tmp_path):
    path = tmp_path / "history.sqlite3"
    first_run(clock, path, at(9, 5))
    clock.set(at(9, 14))
    with HistoryStore(path) as store:
        second = make_rig(clock, store)
        [off] = second.rec.of(ev.TherapySwitched)
        assert not off.on and "in 6 minutes" in off.advice
        assert second.rows(EventKind.THERAPY_SWITCHED)[-1].at == at(9, 14)
        second.to(at(9, 15))
        assert second.engine.stop_therapy().actual_seconds == 600  # only the time on


def test_a_restart_after_the_end_is_an_overrun_as_for_any_round(clock, tmp_path):
    path = tmp_path / "history.sqlite3"
    first_run(clock, path, at(9, 25))
    clock.set(at(9, 40))
    with HistoryStore(path) as store:
        second = make_rig(clock, store)
        [ended] = second.rec.of(ev.TherapyEnded)
        assert ended.advice.startswith("Ice has been on since 09:00")
        [row] = second.rows(EventKind.THERAPY_OVERRUN)
        assert row.actual_seconds == 1200 + 600  # both parts on, and 10 min past the end
        assert "NeckCare was not running at the planned end" in (row.note or "")


def test_a_restart_in_the_last_part_without_take_it_off_ends_the_session(clock, tmp_path):
    path = tmp_path / "history.sqlite3"
    first_run(clock, path, at(9, 5))
    clock.set(at(9, 22))
    with HistoryStore(path) as store:
        second = make_rig(clock, store)
        assert second.engine.therapy.active is None
        assert second.rec.of(ev.TherapySwitched) == []
        [ended] = second.rec.of(ev.TherapyEnded)
        assert ended.finished.actual_seconds == 22 * 60


# -- "my skin is numb" ------------------------------------------------------------------------


def test_skin_numb_ends_ice_at_once_records_why_and_starts_the_rest(rig: Rig):
    rig.engine.start_therapy(ICE)
    rig.to(at(9, 1))
    finished = rig.engine.stop_therapy(skin_numb=True)
    assert finished.skin_numb and not finished.cancelled  # even within the first 2 min
    assert finished.actual_seconds == 60
    assert therapy_rows(rig)[-1] == (
        EventKind.THERAPY_STOPPED_EARLY,
        at(9, 1),
        900,
        60,
        "skin went numb",
    )
    assert rig.engine.therapy.rest_remaining(at(9, 1)) == timedelta(minutes=40)
    assert JOB_THERAPY_END not in rig.sched.jobs


def test_skin_numb_during_an_intermittent_session(rig: Rig):
    rig.engine.start_therapy(ICE, intermittent=True)
    rig.to(at(9, 8))
    finished = rig.engine.stop_therapy(skin_numb=True)
    assert (finished.actual_seconds, finished.skin_numb) == (480, True)
    rig.run(hours=1)
    assert rig.rec.of(ev.TherapySwitched) == []


def test_skin_numb_is_for_ice_and_leaves_heat_running(rig: Rig):
    rig.engine.start_therapy(HEAT)
    with pytest.raises(TherapyError, match="sign to stop ice"):
        rig.engine.stop_therapy(skin_numb=True)
    assert rig.engine.therapy.active is not None


# -- the safety profile: extra care -----------------------------------------------------------


def test_the_safety_check_is_needed_until_answered():
    assert needs_safety_check(default_settings())
    assert not needs_safety_check(care(safety_asked=True))


@pytest.mark.parametrize(
    ("answers", "ice", "heat"),
    [
        ({}, 15, 15),
        ({"reduced_skin_feeling": True}, 10, 10),
        ({"circulation_problems": True}, 10, 10),
        ({"cold_sensitivity": True}, 10, 15),
        ({"diabetes_or_neuropathy": True}, 15, 10),
    ],
)
def test_extra_care_shortens_the_default_round(clock, history, answers, ice, heat):
    rig = make_rig(clock, history, care(**answers))
    assert (rig.engine.suggested_minutes(ICE), rig.engine.suggested_minutes(HEAT)) == (ice, heat)
    assert rig.engine.start_therapy(ICE).planned_seconds == ice * 60


def test_extra_care_caps_the_round_at_10_minutes(clock, history):
    rig = make_rig(clock, history, care(reduced_skin_feeling=True))
    with pytest.raises(TherapyError, match=r"extra care .* ice is capped at 10 minutes"):
        rig.engine.start_therapy(ICE, 11)
    with pytest.raises(TherapyError, match="heat is capped at 10 minutes"):
        rig.engine.start_therapy(HEAT, 15)
    assert rig.engine.therapy.active is None
    assert rig.engine.start_therapy(ICE, 10).planned_seconds == 600


def test_extra_care_ice_reminds_once_halfway_to_check_the_skin(clock, history):
    rig = make_rig(clock, history, care(cold_sensitivity=True))
    rig.engine.start_therapy(ICE)  # 10 minutes
    assert rig.sched.when(JOB_THERAPY_REMINDER) == at(9, 5)
    rig.to(at(9, 4, 59))
    assert rig.rec.of(ev.TherapyReminder) == []
    rig.to(at(9, 10))
    [reminder] = rig.rec.of(ev.TherapyReminder)
    assert "check your skin" in reminder.title and "numb" in reminder.text


def test_plain_ice_has_no_halfway_reminder(rig: Rig):
    rig.engine.start_therapy(ICE)
    assert JOB_THERAPY_REMINDER not in rig.sched.jobs
    rig.to(at(9, 15))
    assert rig.rec.of(ev.TherapyReminder) == []


def test_heat_always_reminds_once_halfway_warm_not_hot(rig: Rig):
    rig.engine.start_therapy(HEAT)  # 15 minutes
    rig.to(at(9, 7, 29))
    assert rig.rec.of(ev.TherapyReminder) == []
    rig.to(at(9, 7, 30))
    [reminder] = rig.rec.of(ev.TherapyReminder)
    assert reminder.text == "Warm, not hot; don't fall asleep on it."
    rig.to(at(9, 15))
    assert len(rig.rec.of(ev.TherapyReminder)) == 1
    assert rig.rec.of(ev.TherapyEnded)


def test_heat_with_extra_care_also_asks_for_a_skin_check(clock, history):
    rig = make_rig(clock, history, care(diabetes_or_neuropathy=True))
    rig.engine.start_therapy(HEAT)
    rig.to(at(9, 10))
    [reminder] = rig.rec.of(ev.TherapyReminder)
    assert reminder.text.startswith("Warm, not hot") and "Check your skin" in reminder.text


def test_a_stopped_round_gives_no_reminder_later(rig: Rig):
    rig.engine.start_therapy(HEAT)
    rig.to(at(9, 3))
    rig.engine.stop_therapy()
    assert JOB_THERAPY_REMINDER not in rig.sched.jobs
    rig.run(hours=1)
    assert rig.rec.of(ev.TherapyReminder) == []


def test_extra_care_chosen_while_a_round_runs_shortens_it_to_the_cap(rig: Rig):
    rig.engine.start_therapy(ICE, 20)
    rig.to(at(9, 3))
    rig.engine.apply_settings(care(reduced_skin_feeling=True, safety_asked=True))
    assert rig.engine.therapy.active.ends_at == at(9, 10)
    assert rig.sched.when(JOB_THERAPY_END) == at(9, 10)
    assert rig.engine.status().lines[0] == "Ice: 7 min left"
    rig.to(at(9, 10))
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.actual_seconds == 600
    assert therapy_rows(rig)[-1] == (EventKind.THERAPY_COMPLETED, at(9, 10), 600, 600, None)


def test_a_round_already_past_the_new_cap_ends_at_once(rig: Rig):
    rig.engine.start_therapy(HEAT, 30)
    rig.to(at(9, 12))
    rig.engine.apply_settings(care(diabetes_or_neuropathy=True))
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.completed and rig.engine.therapy.active is None


def test_settings_that_keep_the_cap_leave_the_round_alone(rig: Rig):
    session = rig.engine.start_therapy(ICE, 15)
    rig.to(at(9, 3))
    rig.engine.apply_settings(care(diabetes_or_neuropathy=True))  # heat only
    assert rig.engine.therapy.active == session


# -- the clock and the app ----------------------------------------------------------------------


def test_a_clock_set_back_in_the_off_part_keeps_the_parts_lengths(rig: Rig):
    rig.engine.start_therapy(ICE, intermittent=True)
    rig.to(at(9, 12))
    rig.clock.set(at(8, 12))  # set back an hour: no real time passed
    rig.engine.on_clock_jump(-3600, slept=False)
    assert rig.sched.when(JOB_THERAPY_SWITCH) == at(8, 20)
    assert rig.engine.status().lines[0] == "Ice off — back on in 8 min"
    rig.to(at(8, 20))
    assert rig.rec.of(ev.TherapySwitched)[-1].on
    rig.to(at(8, 30))
    assert rig.rec.of(ev.TherapyEnded)[0].finished.actual_seconds == 1200


def test_the_app_runs_an_intermittent_session_to_its_end(make_app):
    from fakes import later

    app = make_app(manual=True)
    app.engine.start_therapy(ICE, intermittent=True)
    later(app, minutes=10)
    assert app.engine.status().lines[0] == "Ice off — back on in 10 min"
    later(app, minutes=20)
    assert app.engine.therapy.active is None
    assert app.errors == []
    rows = app.engine.history.recent(limit=10, kinds=[EventKind.THERAPY_SWITCHED])
    assert [r.note for r in reversed(rows)] == ["off", "on"]
