"""BreakPolicy on its own: when each break is due and what Start / Postpone / Skip do."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakes import T0, at
from neckcare_desktop.core.breaks import (
    ActiveBreak,
    BreakConfig,
    BreakKind,
    BreakPhase,
    BreakPolicy,
    BreakStateError,
    BreakTiming,
)

MICRO, POSTURE = BreakKind.MICRO, BreakKind.POSTURE


def config(
    micro_every: float = 20,
    micro_secs: float = 20,
    posture_every: float = 50,
    posture_mins: float = 5,
    *,
    micro_on: bool = True,
    posture_on: bool = True,
    postpone: float = 5,
    gap_secs: float = 120,
) -> BreakConfig:
    return BreakConfig(
        micro=BreakTiming(micro_on, timedelta(minutes=micro_every), timedelta(seconds=micro_secs)),
        posture=BreakTiming(
            posture_on, timedelta(minutes=posture_every), timedelta(minutes=posture_mins)
        ),
        postpone=timedelta(minutes=postpone),
        gap=timedelta(seconds=gap_secs),
    )


def fire(policy: BreakPolicy, now: datetime) -> ActiveBreak:
    brk = policy.fire_due(now)
    assert brk is not None, f"expected a break due at {now}, upcoming={policy.upcoming()}"
    return brk


# -- when breaks are due -----------------------------------------------------------------


def test_defaults_first_break_is_a_micro_break_at_0920():
    policy = BreakPolicy.starting(config(), T0)
    assert policy.upcoming() == (MICRO, at(9, 20))
    assert policy.next_posture_due() == at(9, 50)


def test_nothing_fires_before_its_time_and_it_fires_at_its_time():
    policy = BreakPolicy.starting(config(), T0)
    assert policy.fire_due(at(9, 19, 59)) is None
    assert policy.active is None
    brk = fire(policy, at(9, 20))
    assert (brk.kind, brk.phase, brk.due_at, brk.postpones) == (MICRO, BreakPhase.DUE, at(9, 20), 0)
    assert policy.active == brk


def test_a_late_fire_keeps_the_due_time_it_was_due_at():
    policy = BreakPolicy.starting(config(), T0)
    assert fire(policy, at(9, 25)).due_at == at(9, 20)


def test_nothing_is_upcoming_while_a_break_is_due_or_running():
    policy = BreakPolicy.starting(config(), T0)
    fire(policy, at(9, 20))
    assert policy.upcoming() is None
    assert policy.fire_due(at(11, 0)) is None  # no second break on top of the first
    policy.start(at(9, 20))
    assert policy.upcoming() is None
    assert policy.fire_due(at(11, 0)) is None


def test_all_breaks_off_means_nothing_upcoming():
    policy = BreakPolicy.starting(config(micro_on=False, posture_on=False), T0)
    assert policy.upcoming() is None
    assert policy.fire_due(at(23, 0)) is None


def test_micro_off_leaves_only_posture_breaks():
    policy = BreakPolicy.starting(config(micro_on=False), T0)
    assert policy.upcoming() == (POSTURE, at(9, 50))


def test_micro_break_within_the_gap_of_a_posture_break_is_folded_into_it():
    # micro 24 / posture 50: micro at 09:24, done at 09:24:20, next micro would be
    # 09:48:20 - within 2 min of 09:50 - so the posture break at 09:50 comes instead.
    policy = BreakPolicy.starting(config(micro_every=24), T0)
    assert fire(policy, at(9, 24)).kind is MICRO
    policy.start(at(9, 24))
    policy.finish(at(9, 24, 20))
    assert policy.due_at(MICRO) == at(9, 48, 20)
    assert policy.upcoming() == (POSTURE, at(9, 50))
    assert policy.fire_due(at(9, 48, 20)) is None
    brk = fire(policy, at(9, 50))
    assert brk.kind is POSTURE
    assert policy.due_at(MICRO) is None  # covered by the posture break
    policy.start(at(9, 50))
    policy.finish(at(9, 55))
    # The micro timer counts from the end of the posture break.
    assert policy.due_at(MICRO) == at(10, 19)
    assert policy.upcoming() == (MICRO, at(10, 19))


@pytest.mark.parametrize(
    ("micro_due", "folded"),
    [
        (at(9, 47, 59), False),  # 2 min 1 s before the posture break: still its own break
        (at(9, 48), True),  # exactly the gap: folded
        (at(9, 49), True),
        (at(9, 50), True),  # same time: the posture break covers it
        (at(9, 55), True),  # after: the posture break comes first and resets it
    ],
)
def test_gap_boundary(micro_due: datetime, folded: bool):
    policy = BreakPolicy.starting(config(), T0)
    policy.plan(MICRO, micro_due)
    expected = (POSTURE, at(9, 50)) if folded else (MICRO, micro_due)
    assert policy.upcoming() == expected


def test_micro_is_not_folded_when_posture_breaks_are_off():
    policy = BreakPolicy.starting(config(micro_on=True, posture_on=False), T0)
    policy.plan(MICRO, at(9, 49))
    assert policy.upcoming() == (MICRO, at(9, 49))


# -- start / finish ----------------------------------------------------------------------


def test_start_runs_for_the_duration_and_next_counts_from_the_end():
    policy = BreakPolicy.starting(config(), T0)
    fire(policy, at(9, 20))
    running = policy.start(at(9, 21))  # answered a minute late
    assert running.phase is BreakPhase.RUNNING
    assert (running.started_at, running.ends_at) == (at(9, 21), at(9, 21, 20))
    done = policy.finish(at(9, 21, 20))
    assert done.kind is MICRO
    assert policy.active is None
    assert policy.due_at(MICRO) == at(9, 41, 20)  # not 09:40 (due + interval)
    assert policy.next_posture_due() == at(9, 50)  # a micro-break leaves posture alone


def test_posture_break_resets_the_micro_timer_too():
    policy = BreakPolicy.starting(config(posture_every=30), T0)
    fire(policy, at(9, 20))
    policy.skip(at(9, 20))
    assert policy.due_at(MICRO) == at(9, 40)
    brk = fire(policy, at(9, 30))
    assert brk.kind is POSTURE
    policy.start(at(9, 30))
    policy.finish(at(9, 35))
    assert policy.due_at(MICRO) == at(9, 55)  # not 09:40
    assert policy.next_posture_due() == at(10, 5)


def test_stop_running_counts_from_the_stop():
    policy = BreakPolicy.starting(config(), T0)
    fire(policy, at(9, 20))
    policy.start(at(9, 20))
    policy.stop_running(at(9, 20, 5))
    assert policy.active is None
    assert policy.due_at(MICRO) == at(9, 40, 5)


# -- postpone / skip ---------------------------------------------------------------------


def test_postpone_brings_the_same_break_back_later_and_counts():
    policy = BreakPolicy.starting(config(), T0)
    fire(policy, at(9, 20))
    first = policy.postpone(at(9, 21))
    assert (first.kind, first.postpones) == (MICRO, 1)
    assert policy.active is None
    assert policy.upcoming() == (MICRO, at(9, 26))
    assert policy.next_posture_due() == at(9, 50)  # the other kind is not reset
    again = fire(policy, at(9, 26))
    assert (again.kind, again.due_at, again.postpones) == (MICRO, at(9, 26), 1)
    second = policy.postpone(at(9, 26))
    assert second.postpones == 2
    assert fire(policy, at(9, 31)).postpones == 2
    # Taking the break clears the count for the next one.
    policy.start(at(9, 31))
    policy.finish(at(9, 31, 20))
    assert fire(policy, at(9, 51, 20)).postpones == 0


def test_postponed_micro_into_the_gap_is_folded():
    policy = BreakPolicy.starting(config(), T0)
    policy.plan(MICRO, at(9, 44))
    fire(policy, at(9, 44))
    policy.postpone(at(9, 44))  # would be 09:49, within 2 min of 09:50
    assert policy.upcoming() == (POSTURE, at(9, 50))


def test_postpone_uses_the_postpone_setting():
    policy = BreakPolicy.starting(config(postpone=12), T0)
    fire(policy, at(9, 20))
    policy.postpone(at(9, 20))
    assert policy.upcoming() == (MICRO, at(9, 32))


def test_skip_counts_from_the_skip_time():
    policy = BreakPolicy.starting(config(), T0)
    fire(policy, at(9, 20))
    skipped = policy.skip(at(9, 23))
    assert skipped.kind is MICRO
    assert policy.active is None
    assert policy.due_at(MICRO) == at(9, 43)
    assert policy.next_posture_due() == at(9, 50)


def test_skipping_a_posture_break_restarts_both_kinds():
    policy = BreakPolicy.starting(config(micro_on=False), T0)
    fire(policy, at(9, 50))
    policy.skip(at(9, 52))
    assert policy.next_posture_due() == at(10, 42)


@pytest.mark.parametrize("intent", ["start", "postpone", "skip"])
def test_answers_need_a_due_break(intent: str):
    policy = BreakPolicy.starting(config(), T0)
    with pytest.raises(BreakStateError, match="no break is due"):
        getattr(policy, intent)(at(9, 5))


def test_finish_and_stop_need_a_running_break():
    policy = BreakPolicy.starting(config(), T0)
    fire(policy, at(9, 20))
    with pytest.raises(BreakStateError, match="running"):
        policy.finish(at(9, 20))
    with pytest.raises(BreakStateError, match="running"):
        policy.stop_running(at(9, 20))


# -- take a break now --------------------------------------------------------------------


def test_take_now_starts_a_posture_break_at_once_and_resets_both_timers():
    policy = BreakPolicy.starting(config(), T0)
    brk = policy.take_now(POSTURE, at(9, 10))
    assert (brk.kind, brk.phase) == (POSTURE, BreakPhase.RUNNING)
    assert (brk.started_at, brk.ends_at) == (at(9, 10), at(9, 15))
    policy.finish(at(9, 15))
    assert policy.upcoming() == (MICRO, at(9, 35))
    assert policy.next_posture_due() == at(10, 5)


def test_take_now_while_a_micro_break_is_due_takes_the_posture_break():
    policy = BreakPolicy.starting(config(), T0)
    fire(policy, at(9, 20))
    brk = policy.take_now(POSTURE, at(9, 21))
    assert (brk.kind, brk.phase, brk.started_at) == (POSTURE, BreakPhase.RUNNING, at(9, 21))


def test_take_now_while_running_keeps_the_running_break():
    policy = BreakPolicy.starting(config(), T0)
    running = policy.take_now(POSTURE, at(9, 10))
    assert policy.take_now(POSTURE, at(9, 12)) == running


# -- pause -------------------------------------------------------------------------------


def test_pause_withdraws_a_due_break_and_holds_everything():
    policy = BreakPolicy.starting(config(), T0)
    due = fire(policy, at(9, 20))
    withdrawn = policy.pause(at(9, 50), at(9, 20))
    assert withdrawn == due
    assert policy.active is None
    assert policy.is_paused
    assert policy.upcoming() is None
    assert policy.fire_due(at(9, 49)) is None
    assert not policy.resume_if_pause_over(at(9, 49, 59))
    assert policy.resume_if_pause_over(at(9, 50))
    assert not policy.is_paused
    # Fresh intervals from the end of the pause.
    assert policy.upcoming() == (MICRO, at(10, 10))
    assert policy.next_posture_due() == at(10, 40)


def test_pause_keeps_a_running_break_running():
    policy = BreakPolicy.starting(config(), T0)
    running = policy.take_now(POSTURE, at(9, 10))
    assert policy.pause(at(9, 40), at(9, 11)) is None
    assert policy.active == running


def test_resume_early_restarts_from_now():
    policy = BreakPolicy.starting(config(), T0)
    policy.pause(at(10, 0), at(9, 0))
    policy.resume(at(9, 10))
    assert not policy.is_paused
    assert policy.upcoming() == (MICRO, at(9, 30))


def test_a_pause_must_end_in_the_future():
    policy = BreakPolicy.starting(config(), T0)
    with pytest.raises(BreakStateError, match="future"):
        policy.pause(at(9, 0), at(9, 0))


def test_postpone_count_is_forgotten_after_a_pause():
    policy = BreakPolicy.starting(config(), T0)
    fire(policy, at(9, 20))
    policy.postpone(at(9, 20))
    policy.pause(at(9, 30), at(9, 21))
    policy.resume_if_pause_over(at(9, 30))
    assert fire(policy, at(9, 50)).postpones == 0


# -- reconfigure -------------------------------------------------------------------------


def test_reconfigure_restarts_only_the_kind_that_changed():
    policy = BreakPolicy.starting(config(), T0)
    policy.reconfigure(config(posture_every=30), at(9, 10))
    assert policy.next_posture_due() == at(9, 40)
    assert policy.due_at(MICRO) == at(9, 20)


def test_reconfigure_disabling_micro_breaks_stops_them():
    policy = BreakPolicy.starting(config(), T0)
    policy.reconfigure(config(micro_on=False), at(9, 10))
    assert policy.due_at(MICRO) is None
    assert policy.upcoming() == (POSTURE, at(9, 50))


def test_reconfigure_with_no_change_keeps_the_count():
    policy = BreakPolicy.starting(config(), T0)
    policy.reconfigure(config(), at(9, 10))
    assert policy.upcoming() == (MICRO, at(9, 20))


def test_a_break_keeps_the_length_it_came_due_with_and_the_next_has_the_new_one():
    """The length is fixed when the break comes due (its window says it): a new length in
    the settings, due or running, is for the next break; a postponed one comes again new."""
    policy = BreakPolicy.starting(config(micro_on=False), T0)
    fire(policy, at(9, 50))
    policy.reconfigure(config(micro_on=False, posture_mins=2), at(9, 51))
    assert policy.start(at(9, 52)).ends_at == at(9, 57)
    policy.reconfigure(config(micro_on=False, posture_mins=3), at(9, 53))
    assert policy.active.ends_at == at(9, 57)
    policy.finish(at(9, 57))
    fire(policy, at(10, 47))
    policy.postpone(at(10, 47))
    policy.reconfigure(config(micro_on=False, posture_mins=1, posture_every=60), at(10, 48))
    fire(policy, at(11, 48))
    assert policy.start(at(11, 48)).ends_at == at(11, 49)


def test_taking_a_due_break_at_once_keeps_its_length():
    policy = BreakPolicy.starting(config(micro_on=False), T0)
    fire(policy, at(9, 50))
    policy.reconfigure(config(micro_on=False, posture_mins=2), at(9, 51))
    assert policy.take_now(MICRO, at(9, 52)).ends_at == at(9, 57)  # still the posture break


# -- property ----------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    micro_offset=st.integers(min_value=-600, max_value=20_000),
    posture_offset=st.integers(min_value=-600, max_value=20_000),
    gap=st.integers(min_value=0, max_value=600),
)
def test_upcoming_never_offers_a_micro_break_within_the_gap(
    micro_offset: int, posture_offset: int, gap: int
):
    policy = BreakPolicy.starting(config(gap_secs=gap), T0)
    micro = T0 + timedelta(seconds=micro_offset)
    posture = T0 + timedelta(seconds=posture_offset)
    policy.plan(MICRO, micro)
    policy.plan(POSTURE, posture)
    upcoming = policy.upcoming()
    assert upcoming is not None
    kind, when = upcoming
    if kind is MICRO:
        assert when == micro
        assert posture - micro > timedelta(seconds=gap)
    else:
        # The posture break comes first, or the micro-break is folded into it.
        assert when == posture
        assert micro >= posture - timedelta(seconds=gap)


# -- postpones in a row, as the app asks about them ----------------------------------------


def postpone_micro_to(policy: BreakPolicy, count: int, start: datetime) -> datetime:
    """Fire and postpone the micro-break ``count`` times from ``start``; returns the time."""
    now = start
    for _ in range(count):
        fire(policy, now)
        policy.postpone(now)
        now = policy.upcoming()[1]
    return now


def test_postpones_and_any_postponed_tell_without_private_state():
    policy = BreakPolicy.starting(config(micro_every=20, posture_every=50, postpone=10), T0)
    assert not policy.any_postponed() and policy.postpones(MICRO) == 0
    postpone_micro_to(policy, 2, at(9, 20))
    assert policy.any_postponed() and policy.postpones(MICRO) == 2


def test_a_posture_break_folding_a_postponed_micro_break_carries_its_count():
    policy = BreakPolicy.starting(config(micro_every=20, posture_every=50, postpone=10), T0)
    now = postpone_micro_to(policy, 3, at(9, 20))  # micro 09:30, 09:40, 09:50
    assert policy.upcoming() == (POSTURE, at(9, 50)) == (POSTURE, now)
    assert policy.postpones(POSTURE) == 3
    assert not policy.can_postpone_upcoming()
    assert policy.postpone_upcoming(at(9, 49)) is None
    brk = fire(policy, at(9, 50))
    assert (brk.kind, brk.postpones) == (POSTURE, 3)
    assert not policy.can_postpone()
    with pytest.raises(BreakStateError, match="3 times"):
        policy.postpone(at(9, 50))


def test_the_carried_count_ends_with_the_posture_break():
    policy = BreakPolicy.starting(config(micro_every=20, posture_every=50, postpone=10), T0)
    postpone_micro_to(policy, 3, at(9, 20))
    fire(policy, at(9, 50))
    policy.skip(at(9, 50))
    assert not policy.any_postponed()
    assert fire(policy, at(10, 10)).postpones == 0


# -- the API callers change the state through ----------------------------------------------


def test_the_state_can_be_read_but_not_written_from_outside():
    policy = BreakPolicy.starting(config(), T0)
    assert dict(policy.next_due) == {MICRO: at(9, 20), POSTURE: at(9, 50)}
    with pytest.raises(TypeError):
        policy.next_due[MICRO] = at(9, 30)  # type: ignore[index]
    for name in ("active", "paused_until", "config"):
        with pytest.raises(AttributeError):
            setattr(policy, name, None)
    assert policy.upcoming() == (MICRO, at(9, 20))


def test_withdraw_drops_a_due_break_without_counting_it_and_leaves_a_running_one():
    policy = BreakPolicy.starting(config(), T0)
    assert policy.withdraw() is None
    due = fire(policy, at(9, 20))
    assert policy.withdraw() == due
    assert policy.active is None
    assert policy.upcoming() == (POSTURE, at(9, 50))  # the micro-break was not "taken"
    running = policy.take_now(POSTURE, at(9, 30))
    assert policy.withdraw() is None and policy.active == running


def test_restart_unplanned_counts_every_enabled_kind_without_a_due_time_from_now():
    policy = BreakPolicy.starting(config(micro_on=False), T0)
    policy.plan(POSTURE, None)
    assert policy.upcoming() is None  # nothing would ever come due
    policy.restart_unplanned(at(9, 30))
    assert policy.upcoming() == (POSTURE, at(10, 20))
    assert policy.due_at(MICRO) is None  # micro-breaks are off


def test_shift_pause_keeps_the_length_of_a_pause():
    policy = BreakPolicy.starting(config(), T0)
    policy.shift_pause(timedelta(hours=-1))  # not paused: nothing to move
    assert policy.paused_until is None
    policy.pause(at(9, 30), T0)
    policy.shift_pause(timedelta(hours=-1))
    assert policy.paused_until == at(8, 30)
