"""Ice and heat rules: the ice cap, one timer at a time, the rest between ice rounds."""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

import pytest

from fakes import T0, at
from neckcare_desktop.core import limits
from neckcare_desktop.core.therapy import (
    END_ADVICE,
    START_ADVICE,
    Part,
    RestPeriodActive,
    TherapyError,
    TherapyKind,
    TherapyRules,
    TherapySession,
    TherapyTimer,
    check_minutes,
    reminder_texts,
    switch_advice,
)
from neckcare_desktop.core.therapy_recovery import (
    STATE_FILE_NAME,
    HistoryView,
    TherapyMemory,
    TherapyStateFile,
    reconcile,
)
from neckcare_desktop.core.timescale import ENV_VAR, TimeScale, TimeScaleError

ICE, HEAT = TherapyKind.ICE, TherapyKind.HEAT


def timer(**rules: int) -> TherapyTimer:
    return TherapyTimer(TherapyRules(**rules))


# -- rules and minutes -------------------------------------------------------------------


def test_defaults_ice_15_heat_15_rest_40():
    rules = TherapyRules()
    assert (rules.ice_minutes, rules.heat_minutes, rules.ice_rest_minutes) == (15, 15, 40)
    assert rules.default_minutes(ICE) == 15
    assert rules.default_minutes(HEAT) == 15


@pytest.mark.parametrize("minutes", [1, 15, 20])
def test_ice_up_to_20_minutes_is_allowed(minutes: int):
    assert check_minutes(ICE, minutes) == minutes


@pytest.mark.parametrize("minutes", [21, 25, 60, 10_000])
def test_ice_over_20_minutes_is_refused_with_the_cap_and_why(minutes: int):
    with pytest.raises(TherapyError, match="Ice is capped at 20 minutes") as info:
        check_minutes(ICE, minutes)
    assert "cold injury" in str(info.value)


@pytest.mark.parametrize("minutes", [1, 15, 30])
def test_heat_allows_1_to_30_minutes(minutes: int):
    assert check_minutes(HEAT, minutes) == minutes


@pytest.mark.parametrize(("kind", "minutes"), [(HEAT, 31), (HEAT, 0), (ICE, 0), (ICE, -5)])
def test_out_of_range_minutes_are_refused_with_the_range(kind: TherapyKind, minutes: int):
    low, high = (1, 20) if kind is ICE else (1, 30)
    with pytest.raises(TherapyError, match=f"from {low} to {high}, got {minutes}"):
        check_minutes(kind, minutes)


@pytest.mark.parametrize("kind", [ICE, HEAT])
@pytest.mark.parametrize("minutes", [True, False, 15.0, "15", None])
def test_minutes_must_be_a_real_whole_number(kind: TherapyKind, minutes: object):
    with pytest.raises(TherapyError, match="whole number"):
        check_minutes(kind, minutes)


def test_rules_refuse_an_ice_default_over_the_cap():
    with pytest.raises(TherapyError, match="capped at 20"):
        TherapyRules(ice_minutes=25)


@pytest.mark.parametrize("rest", [limits.ICE_REST_MIN_MINUTES - 1, limits.ICE_REST_MAX_MINUTES + 1])
def test_rules_refuse_a_rest_outside_its_range(rest: int):
    with pytest.raises(TherapyError, match="rest between ice rounds"):
        TherapyRules(ice_rest_minutes=rest)


def test_therapy_errors_are_value_errors():
    assert issubclass(TherapyError, ValueError)
    assert issubclass(RestPeriodActive, TherapyError)


# -- the timer ---------------------------------------------------------------------------


def test_start_uses_the_default_minutes_and_plans_the_end():
    t = timer()
    session = t.start(ICE, T0)
    assert (session.kind, session.started_at, session.planned_seconds) == (ICE, T0, 900)
    assert session.ends_at == at(9, 15)
    assert t.active == session


def test_start_with_explicit_minutes():
    session = timer().start(HEAT, T0, 30)
    assert session.planned_seconds == 1800
    assert session.ends_at == at(9, 30)


@pytest.mark.parametrize("minutes", [21, 25])
def test_timer_refuses_ice_over_the_cap_and_starts_nothing(minutes: int):
    t = timer()
    with pytest.raises(TherapyError, match="capped at 20 minutes"):
        t.start(ICE, T0, minutes)
    assert t.active is None


def test_only_one_timer_at_a_time_and_the_message_names_the_running_one():
    t = timer()
    t.start(ICE, T0)
    with pytest.raises(TherapyError, match="Ice is already running") as info:
        t.start(HEAT, at(9, 1))
    assert "heat" in str(info.value)
    t.stop(at(9, 2))
    assert t.start(HEAT, at(9, 2)).kind is HEAT


def test_complete_records_the_planned_time():
    t = timer()
    t.start(ICE, T0)
    finished = t.complete(at(9, 15, 2))  # the alert came 2 s late
    assert finished.completed
    assert (finished.actual_seconds, finished.ended_at) == (900, at(9, 15, 2))
    assert t.active is None


def test_stop_records_the_real_elapsed_time():
    t = timer()
    t.start(HEAT, T0)
    finished = t.stop(at(9, 6, 30))
    assert not finished.completed
    assert finished.actual_seconds == 390
    assert finished.session.planned_seconds == 900


def test_stop_after_the_planned_end_never_claims_more_than_planned():
    t = timer()
    t.start(HEAT, T0, 10)
    assert t.stop(at(9, 12)).actual_seconds == 600


def test_stop_with_the_clock_moved_back_records_zero():
    t = timer()
    t.start(HEAT, T0)
    assert t.stop(at(8, 59)).actual_seconds == 0


def test_stop_or_complete_with_nothing_running_is_an_error():
    t = timer()
    with pytest.raises(TherapyError, match="No ice or heat"):
        t.stop(T0)
    with pytest.raises(TherapyError, match="No ice or heat"):
        t.complete(T0)


# -- rest after ice ----------------------------------------------------------------------


def test_ice_is_refused_during_the_rest_with_the_minutes_left():
    t = timer()
    t.start(ICE, T0)
    t.complete(at(9, 15))
    assert t.ice_rest_until == at(9, 55)
    assert t.rest_remaining(at(9, 32)) == timedelta(minutes=23)
    with pytest.raises(RestPeriodActive, match="ice again in 23 min") as info:
        t.start(ICE, at(9, 32))
    assert info.value.rest_until == at(9, 55)
    assert t.active is None


def test_rest_minutes_are_rounded_up():
    t = timer()
    t.start(ICE, T0)
    t.complete(at(9, 15))
    with pytest.raises(RestPeriodActive, match="ice again in 1 min"):
        t.start(ICE, at(9, 54, 59))
    with pytest.raises(RestPeriodActive, match="ice again in 24 min"):
        t.start(ICE, at(9, 31, 30))  # 23.5 min left


def test_confirming_starts_ice_during_the_rest():
    t = timer()
    t.start(ICE, T0)
    t.complete(at(9, 15))
    session = t.start(ICE, at(9, 20), confirm_during_rest=True)
    assert session.kind is ICE


def test_heat_is_not_blocked_by_the_ice_rest():
    t = timer()
    t.start(ICE, T0)
    t.complete(at(9, 15))
    assert t.start(HEAT, at(9, 16)).kind is HEAT


def test_ice_is_allowed_again_when_the_rest_is_over():
    t = timer()
    t.start(ICE, T0)
    t.complete(at(9, 15))
    assert t.rest_remaining(at(9, 55)) is None
    assert t.start(ICE, at(9, 55)).kind is ICE


def test_stopping_ice_early_also_starts_the_rest():
    t = timer()
    t.start(ICE, T0)
    t.stop(at(9, 5))
    with pytest.raises(RestPeriodActive, match="ice again in 40 min"):
        t.start(ICE, at(9, 5))


def test_heat_does_not_start_an_ice_rest():
    t = timer()
    t.start(HEAT, T0)
    t.complete(at(9, 15))
    assert t.rest_remaining(at(9, 15)) is None
    assert t.start(ICE, at(9, 15)).kind is ICE


def test_the_rest_length_follows_the_rules():
    t = timer(ice_rest_minutes=60)
    t.start(ICE, T0)
    t.complete(at(9, 15))
    assert t.ice_rest_until == at(10, 15)


def test_note_ice_ended_restores_a_rest():
    t = timer()
    t.note_ice_ended(at(8, 50))
    with pytest.raises(RestPeriodActive, match="ice again in 30 min"):
        t.start(ICE, T0)


def test_advice_is_there_for_both_kinds():
    assert "cloth" in START_ADVICE[ICE]
    assert "reduced feeling" in START_ADVICE[ICE]
    assert "asleep" in START_ADVICE[HEAT]
    assert "ice pack off" in END_ADVICE[ICE]
    assert "heat off" in END_ADVICE[HEAT]


# -- time scale --------------------------------------------------------------------------


def test_time_scale_compresses_the_real_duration_only():
    t = TherapyTimer(TherapyRules(), TimeScale(60))
    session = t.start(ICE, T0)
    assert session.planned_seconds == 900  # still 15 min in the person's units
    assert session.ends_at == T0 + timedelta(seconds=15)
    finished = t.stop(T0 + timedelta(seconds=6))
    assert finished.actual_seconds == 360
    assert t.ice_rest_until == T0 + timedelta(seconds=6 + 40)
    with pytest.raises(RestPeriodActive, match="ice again in 40 min"):
        t.start(ICE, T0 + timedelta(seconds=6))


def test_time_scale_conversions():
    scale = TimeScale(60)
    assert scale.is_compressed
    assert not TimeScale().is_compressed
    assert scale.real(900) == timedelta(seconds=15)
    assert scale.app_seconds(timedelta(seconds=15)) == 900


@pytest.mark.parametrize(("raw", "factor"), [("", 1.0), ("  ", 1.0), ("60", 60.0), (" 2.5 ", 2.5)])
def test_time_scale_from_env(raw: str, factor: float):
    assert TimeScale.from_env({ENV_VAR: raw}).factor == factor


def test_time_scale_from_an_empty_environment_is_real_time():
    assert TimeScale.from_env({}) == TimeScale(1.0)


def test_time_scale_that_is_not_a_number_says_what_to_write():
    with pytest.raises(TimeScaleError, match=r"NECKCARE_TIME_SCALE must be a number such as 60"):
        TimeScale.from_env({ENV_VAR: "fast"})


@pytest.mark.parametrize("raw", ["0", "-1", "nan", "inf", "10001"])
def test_time_scale_out_of_range_says_the_range(raw: str):
    with pytest.raises(TimeScaleError, match="greater than 0 and at most 10000") as info:
        TimeScale.from_env({ENV_VAR: raw})
    assert ENV_VAR in str(info.value)


def test_time_scale_error_is_a_value_error():
    assert issubclass(TimeScaleError, ValueError)
    with pytest.raises(ValueError):
        TimeScale(math.inf)


def test_advice_is_written_out_whole_for_translation() -> None:
    from neckcare_desktop.core.therapy import (
        OVERRUN_ADVICE,
        SKIN_CHECK_ADVICE,
        end_advice,
        overrun_advice,
        start_advice,
    )

    for kind in (ICE, HEAT):
        assert START_ADVICE[kind].endswith(" " + SKIN_CHECK_ADVICE)
        assert start_advice(kind) == START_ADVICE[kind]
        assert end_advice(kind) == END_ADVICE[kind]
        label = "Ice" if kind is ICE else "Heat"
        # Said once: "take it off now. Take the heat off." said the same thing twice.
        overrun = OVERRUN_ADVICE[kind].format(since="09:15")
        assert overrun.startswith(f"{label} has been on since 09:15: take it off now")
        assert overrun.endswith(END_ADVICE[kind].partition(" now")[2])
        assert overrun.count(".") == 1 and "Take" not in overrun
        assert overrun_advice(kind, "09:15") == OVERRUN_ADVICE[kind].format(since="09:15")


# -- a round started by mistake -----------------------------------------------------------


@pytest.mark.parametrize(("kind", "seconds"), [(ICE, 0), (ICE, 119), (HEAT, 60)])
def test_a_round_stopped_within_2_minutes_is_cancelled(kind: TherapyKind, seconds: int):
    t = timer()
    t.start(kind, T0)
    finished = t.stop(T0 + timedelta(seconds=seconds))
    assert finished.cancelled and not finished.completed


def test_an_ice_round_cancelled_within_2_minutes_starts_no_rest():
    t = timer()
    t.start(ICE, T0)
    t.stop(at(9, 1, 59))
    assert t.rest_remaining(at(9, 2)) is None
    assert t.start(ICE, at(9, 2)).kind is ICE  # no "Ice again so soon?"


def test_a_round_stopped_at_2_minutes_is_a_real_round_and_starts_the_rest():
    t = timer()
    t.start(ICE, T0)
    finished = t.stop(at(9, 2))
    assert not finished.cancelled and finished.actual_seconds == 120
    with pytest.raises(RestPeriodActive, match="ice again in 40 min"):
        t.start(ICE, at(9, 2))


def test_cancelling_a_round_keeps_the_rest_of_the_round_before():
    t = timer()
    t.start(ICE, T0)
    t.complete(at(9, 15))  # rest until 09:55
    t.start(ICE, at(9, 20), confirm_during_rest=True)
    t.stop(at(9, 21))  # started by mistake
    with pytest.raises(RestPeriodActive, match="ice again in 34 min"):
        t.start(ICE, at(9, 21))


def test_the_2_minutes_are_app_time_under_a_time_scale():
    t = TherapyTimer(TherapyRules(), TimeScale(60))
    t.start(ICE, T0)
    assert t.stop(T0 + timedelta(seconds=1.9)).cancelled  # 114 app seconds
    t.start(ICE, T0)
    assert not t.stop(T0 + timedelta(seconds=2)).cancelled


# -- what outlives the process: the therapy state file and its reconciling ----------------


def ice_session(start: datetime, minutes: int = 15) -> TherapySession:
    return TherapySession(ICE, start, minutes * 60, start + timedelta(minutes=minutes), start)


def test_the_state_file_round_trips_and_is_private(tmp_path):
    state = TherapyStateFile(tmp_path / STATE_FILE_NAME)
    memory = TherapyMemory(ice_session(T0), at(8, 30), at(8, 15))
    assert state.save(memory)
    assert state.load() == memory
    assert (tmp_path / STATE_FILE_NAME).stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [STATE_FILE_NAME]  # no temporary left


@pytest.mark.parametrize(
    "content",
    ["", "{not json", '{"format": 99}', '{"format": 1, "active": {"kind": "lava"}}', "[]"],
)
def test_a_state_file_that_makes_no_sense_is_ignored(tmp_path, expect_log, content: str):
    expect_log("neckcare_desktop.core.therapy_recovery", logging.WARNING, "")
    path = tmp_path / STATE_FILE_NAME
    path.write_text(content)
    assert TherapyStateFile(path).load() is None


def test_no_state_file_is_no_state(tmp_path):
    assert TherapyStateFile(tmp_path / STATE_FILE_NAME).load() is None


SCALE = TimeScale()


def view(active=None, last_ice_end=None, ended=()) -> HistoryView:
    return HistoryView(active, last_ice_end, frozenset(ended))


def test_a_session_the_history_saw_end_is_not_resumed_from_a_stale_file():
    started = ice_session(T0)
    got = reconcile(view(ended=[T0]), TherapyMemory(started), at(9, 5), SCALE)
    assert got.active is None


def test_a_session_the_file_saw_end_is_not_resumed_from_history_missing_its_end_row():
    got = reconcile(view(ice_session(T0)), TherapyMemory(None, at(9, 3), T0), at(9, 5), SCALE)
    assert got.active is None and got.last_ice_end == at(9, 3)


def test_a_session_only_one_source_knows_is_resumed():
    assert reconcile(None, TherapyMemory(ice_session(T0)), at(9, 5), SCALE).active is not None
    assert reconcile(view(ice_session(T0)), None, at(9, 5), SCALE).active is not None


def test_of_two_different_sessions_the_later_started_one_is_resumed():
    older, newer = ice_session(T0), ice_session(at(9, 20))
    assert reconcile(view(older), TherapyMemory(newer), at(9, 21), SCALE).active == newer
    assert reconcile(view(newer), TherapyMemory(older), at(9, 21), SCALE).active == newer


def test_the_same_session_takes_the_files_times_which_moved_with_the_clock():
    shifted = TherapySession(ICE, at(8, 0), 900, at(8, 15), T0)
    got = reconcile(view(ice_session(T0)), TherapyMemory(shifted), at(8, 5), SCALE)
    assert got.active == shifted


def test_a_resumed_round_never_has_more_left_than_its_length():
    got = reconcile(view(ice_session(T0, 2)), None, at(8, 0), SCALE)  # clock set back 1 h
    assert got.active.ends_at == at(8, 2)


def test_the_rest_runs_from_the_later_ice_end_and_never_from_the_future():
    got = reconcile(view(last_ice_end=at(9, 10)), TherapyMemory(None, at(9, 15)), at(9, 20), SCALE)
    assert got.last_ice_end == at(9, 15)
    got = reconcile(view(last_ice_end=at(10, 10)), None, at(9, 20), SCALE)  # clock set back
    assert got.last_ice_end == at(9, 20)


# -- issue 18: the phase, extra care and intermittent sessions in the pure rules -------------


def intermittent(start: datetime = T0, scale: TimeScale = SCALE) -> TherapySession:
    return TherapyTimer(TherapyRules(), scale).start(ICE, start, intermittent=True)


@pytest.mark.parametrize(
    ("rules", "ice", "heat", "ice_max", "heat_max", "rest"),
    [
        (TherapyRules(), 15, 15, 20, 30, 40),
        (TherapyRules(ice_rest_minutes=20, acute=True), 10, 15, 20, 30, 40),
        (TherapyRules(ice_minutes=5, acute=True), 5, 15, 20, 30, 40),
        (TherapyRules(ice_extra_care=True), 10, 15, 10, 30, 40),
        (TherapyRules(heat_extra_care=True, heat_minutes=30), 15, 10, 20, 10, 40),
        (TherapyRules(ice_minutes=20, acute=True, ice_extra_care=True), 10, 15, 10, 30, 40),
    ],
)
def test_the_rules_combine_the_phase_and_extra_care(rules, ice, heat, ice_max, heat_max, rest):
    assert (rules.default_minutes(ICE), rules.default_minutes(HEAT)) == (ice, heat)
    assert (rules.max_minutes(ICE), rules.max_minutes(HEAT)) == (ice_max, heat_max)
    assert rules.rest_minutes() == rest


def test_the_parts_of_an_intermittent_session_are_on_off_on():
    session = intermittent()
    assert session.intermittent and session.span_seconds == 1800
    assert session.planned_seconds == 1200  # the time on the skin
    assert [
        (p.index, p.on, p.ends_at)
        for p in (session.part_at(at(9, m), SCALE) for m in (0, 9, 10, 19, 20, 29, 30, 45))
    ] == [
        (0, True, at(9, 10)),
        (0, True, at(9, 10)),
        (1, False, at(9, 20)),
        (1, False, at(9, 20)),
        (2, True, at(9, 30)),
        (2, True, at(9, 30)),
        (2, True, at(9, 30)),
        (2, True, at(9, 30)),
    ]
    assert [session.on_seconds(at(9, m), SCALE) for m in (0, 5, 10, 15, 20, 25, 30, 40)] == [
        0,
        300,
        600,
        600,
        600,
        900,
        1200,
        1200,
    ]
    assert session.halfway_at(SCALE) == at(9, 5)  # the middle of the first "on" part


def test_a_plain_round_is_one_part_and_its_halfway_is_half_the_round():
    session = timer().start(HEAT, T0, 20)
    assert not session.intermittent and session.parts == ()
    assert session.part_at(at(9, 5), SCALE) == Part(0, True, at(9, 20))
    assert session.halfway_at(SCALE) == at(9, 10)


def test_intermittent_parts_are_compressed_under_a_time_scale():
    scale = TimeScale(60)  # a nominal minute is a real second
    session = intermittent(scale=scale)
    assert session.ends_at == T0 + timedelta(seconds=30)
    part = session.part_at(T0 + timedelta(seconds=12), scale)
    assert (part.index, part.on, part.ends_at) == (1, False, T0 + timedelta(seconds=20))
    assert session.on_seconds(T0 + timedelta(seconds=25), scale) == 900


def test_the_parts_follow_the_end_when_a_restart_shortened_the_session():
    session = intermittent().with_end(at(8, 30))  # the clock was set back an hour
    assert session.part_at(at(8, 5), SCALE).ends_at == at(8, 10)
    assert session.part_at(at(8, 15), SCALE).on is False


def test_extra_care_refuses_a_round_over_10_minutes_and_says_where_to_change_it():
    t = TherapyTimer(TherapyRules(ice_extra_care=True))
    with pytest.raises(TherapyError, match="Settings") as info:
        t.start(ICE, T0, 11)
    assert "extra care" in str(info.value)
    assert t.active is None


def test_a_lower_cap_shortens_the_running_round_and_never_an_intermittent_one():
    t = timer()
    t.start(ICE, T0, 20)
    t.rules = TherapyRules(ice_extra_care=True)
    shortened = t.shorten_to_cap(at(9, 4))
    assert shortened is not None and (shortened.planned_seconds, shortened.ends_at) == (
        600,
        at(9, 10),
    )
    assert shortened.key == T0
    t.stop(at(9, 5))
    session = t.start(ICE, at(10, 0), intermittent=True, confirm_during_rest=True)
    assert t.shorten_to_cap(at(10, 1)) is None and t.active == session


def test_a_shift_keeps_the_parts():
    t = timer()
    session = t.start(ICE, T0, intermittent=True)
    t.shift(timedelta(hours=-1))
    assert t.active.parts == session.parts and t.active.ends_at == at(8, 30)


def test_a_numb_stop_within_2_minutes_is_no_cancel_and_starts_the_rest():
    t = timer()
    t.start(ICE, T0)
    finished = t.stop(T0 + timedelta(seconds=30), skin_numb=True)
    assert finished.skin_numb and not finished.cancelled and finished.actual_seconds == 30
    assert t.rest_remaining(T0 + timedelta(seconds=30)) == timedelta(minutes=40)


def test_the_state_file_keeps_the_parts_and_the_announced_switch(tmp_path):
    state = TherapyStateFile(tmp_path / STATE_FILE_NAME)
    session = intermittent().with_end(at(9, 30))  # as recorded: with its key
    memory = TherapyMemory(session, None, None, announced_part=1)
    assert state.save(memory)
    assert state.load() == memory


def test_a_state_file_from_before_intermittent_sessions_loads_as_a_plain_round(tmp_path):
    path = tmp_path / STATE_FILE_NAME
    path.write_text(
        '{"format": 1, "active": {"kind": "ice", "started_at": "2026-03-02T09:00:00+01:00",'
        ' "planned_seconds": 900, "ends_at": "2026-03-02T09:15:00+01:00",'
        ' "recorded_at": "2026-03-02T09:00:00+01:00"}, "last_ice_end": null,'
        ' "last_ended": null}'
    )
    memory = TherapyStateFile(path).load()
    assert memory is not None and memory.active is not None
    assert (memory.active.parts, memory.announced_part) == ((), 0)


def test_a_switch_either_source_missed_is_announced_again():
    session = intermittent()
    history_saw = HistoryView(session, None, frozenset(), announced_part=0)
    got = reconcile(history_saw, TherapyMemory(session, announced_part=1), at(9, 12), SCALE)
    assert got.active == session and got.announced_part == 0
    got = reconcile(None, TherapyMemory(session, announced_part=1), at(9, 12), SCALE)
    assert got.announced_part == 1


def test_a_resumed_intermittent_session_keeps_its_whole_span():
    got = reconcile(view(intermittent()), None, at(9, 5), SCALE)
    assert got.active.ends_at == at(9, 30)  # not cut to the 20 minutes on


def test_the_halfway_and_switch_texts():
    assert reminder_texts(ICE, extra_care=False) is None
    assert reminder_texts(HEAT, extra_care=False) == (
        "Halfway through the heat",
        "Warm, not hot; don't fall asleep on it.",
    )
    assert "Check your skin" in reminder_texts(HEAT, extra_care=True)[1]
    assert "check your skin" in reminder_texts(ICE, extra_care=True)[0]
    assert switch_advice(False, 10).startswith("Take the ice off now")
    assert switch_advice(True, 7) == (
        "Put the ice back on, wrapped in a cloth, for the last 7 minutes."
    )
