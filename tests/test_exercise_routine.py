"""A break's routine: exercises that fill the break, fairly rotated, and how far it got.

A posture break of five minutes plays exercise after exercise until the five minutes are
used; no exercise follows itself, the same one never leads two breaks in a row, and in
the acute phase after a spasm no neck exercise is among them. Each exercise shown ends
as done, skipped or cut short, exactly once.
"""

from __future__ import annotations

import random
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from neckcare_desktop.core.exercise_routine import (
    MIN_STEP_SECONDS,
    Outcome,
    RoutineProgress,
    plan_routine,
)
from neckcare_desktop.core.stretches import Stretch, StretchRotation, default_stretches


def exercise(sid: str, seconds: int = 60, area: str = "shoulders", **kw: object) -> Stretch:
    return Stretch(sid, sid.title(), "Slowly.", seconds, frozenset({"posture"}), False,
                   area=area, **kw)  # type: ignore[arg-type]  # fmt: skip


POOL = [exercise("a"), exercise("b", 45), exercise("c", 90, "neck"), exercise("d", 30)]


@given(
    seed=st.integers(0, 10_000),
    minutes=st.integers(1, 30),
    acute=st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_a_posture_routine_fills_the_break_exactly(seed: int, minutes: int, acute: bool) -> None:
    rotation = StretchRotation(POOL, rng=random.Random(seed))
    routine = plan_routine(rotation, "posture", minutes * 60, acute=acute)
    assert routine.seconds == minutes * 60
    ids = [step.exercise.id for step in routine.steps]
    assert all(a != b for a, b in pairwise(ids)), ids
    if acute:
        assert "c" not in ids
    # Every step but the last lasts as long as its exercise; the last takes what is left.
    for step in routine.steps[:-1]:
        assert step.seconds == step.exercise.seconds
    assert routine.steps[-1].seconds >= min(MIN_STEP_SECONDS, minutes * 60)


def test_five_minutes_of_the_shipped_list_is_several_exercises() -> None:
    rotation = StretchRotation(default_stretches(), rng=random.Random(3))
    routine = plan_routine(rotation, "posture", 300)
    assert len(routine.steps) >= 3
    assert routine.seconds == 300


@pytest.mark.parametrize("seed", range(10))
def test_the_same_exercise_never_leads_twice_in_a_row(seed: int) -> None:
    rotation = StretchRotation(POOL, rng=random.Random(seed))
    leads = [plan_routine(rotation, "posture", 300).lead.id for _ in range(60)]
    assert all(a != b for a, b in pairwise(leads)), leads
    assert set(leads) == {"a", "b", "c", "d"}  # each one gets to lead


def test_one_exercise_switched_on_still_makes_a_routine() -> None:
    rotation = StretchRotation([exercise("only", 60)])
    routine = plan_routine(rotation, "posture", 300)
    assert [s.exercise.id for s in routine.steps] == ["only"] * 5


def test_nothing_switched_on_is_no_routine() -> None:
    with pytest.raises(LookupError):
        plan_routine(StretchRotation([]), "posture", 300)
    with pytest.raises(LookupError):
        plan_routine(StretchRotation([exercise("n", area="neck")]), "posture", 300, acute=True)


def test_a_micro_break_shows_one_cue_for_its_whole_length() -> None:
    shipped = default_stretches()
    rotation = StretchRotation(shipped, rng=random.Random(1))
    for _ in range(10):
        routine = plan_routine(rotation, "micro", 20)
        (step,) = routine.steps
        assert step.seconds == 20
        assert "micro" in step.exercise.kinds
        assert step.exercise.area in ("eyes", "shoulders", "upper_back")


# -- progress ---------------------------------------------------------------------------------


def routine_of(*exercises: Stretch, total: int) -> RoutineProgress:
    rotation = StretchRotation(list(exercises), rng=random.Random(0))
    return RoutineProgress(plan_routine(rotation, "posture", total))


def test_steps_that_run_out_are_done_and_the_end_cuts_the_current_one_short() -> None:
    progress = routine_of(exercise("a", 60), exercise("b", 60), total=180)
    ids = [s.exercise.id for s in progress.routine.steps]
    assert progress.advance_to(59) == []
    first = progress.advance_to(61)
    assert [(r.exercise.id, r.outcome, r.actual_seconds) for r in first] == [
        (ids[0], Outcome.DONE, 60)
    ]
    assert progress.state(61).index == 1  # type: ignore[union-attr]
    end = progress.end(100)
    assert [(r.exercise.id, r.outcome, r.actual_seconds) for r in end] == [
        (ids[1], Outcome.CUT_SHORT, 40)
    ]
    assert progress.finished and progress.end(150) == []  # never twice


def test_done_and_next_move_on_at_once() -> None:
    progress = routine_of(exercise("a", 60), exercise("b", 60), total=180)
    ids = [s.exercise.id for s in progress.routine.steps]
    done = progress.done(10)
    assert [(r.exercise.id, r.outcome, r.actual_seconds) for r in done] == [
        (ids[0], Outcome.DONE, 10)
    ]
    skipped = progress.skip(15)
    assert [(r.exercise.id, r.outcome, r.actual_seconds) for r in skipped] == [
        (ids[1], Outcome.SKIPPED, 5)
    ]
    state = progress.state(20)
    assert state is not None and state.index == 2
    # The third runs its own 60 seconds from when it came up.
    assert progress.advance_to(74) == []
    assert [r.outcome for r in progress.advance_to(75)] == [Outcome.DONE]
    assert progress.finished and progress.state(80) is None
    assert progress.end(180) == []  # finished early: nothing to cut short


def test_the_state_counts_repetitions_and_the_hold() -> None:
    tuck = exercise("tuck", 60, "neck", hold_seconds=5, repetitions=5)
    progress = routine_of(tuck, total=60)
    state = progress.state(0)
    assert state is not None
    assert (state.repetition, state.holding, state.hold_left) == (1, True, 5)
    state = progress.state(7)  # 12 s a repetition: 5 s hold, then relax
    assert state is not None and (state.repetition, state.holding) == (1, False)
    state = progress.state(26)
    assert state is not None
    assert (state.repetition, state.holding, state.hold_left) == (3, True, 3)
    state = progress.state(59.9)
    assert state is not None and state.repetition == 5


class ProgressMachine(RuleBasedStateMachine):
    """Whatever the person clicks and whenever the break ends, every exercise shown is
    recorded exactly once, in order, and nothing is recorded that was not shown."""

    def __init__(self) -> None:
        super().__init__()
        self.progress: RoutineProgress | None = None
        self.elapsed = 0.0
        self.records: list = []
        self.ended = False
        self.shown = 0

    @initialize(seed=st.integers(0, 1000), minutes=st.integers(1, 10))
    def plan(self, seed: int, minutes: int) -> None:
        rotation = StretchRotation(POOL, rng=random.Random(seed))
        self.progress = RoutineProgress(plan_routine(rotation, "posture", minutes * 60))

    @rule(seconds=st.floats(0, 120))
    def time_passes(self, seconds: float) -> None:
        assert self.progress is not None
        self.elapsed += seconds
        if not self.ended:
            self.records += self.progress.advance_to(self.elapsed)

    @rule()
    def done(self) -> None:
        assert self.progress is not None
        if not self.ended:
            self.records += self.progress.done(self.elapsed)

    @rule()
    def next(self) -> None:
        assert self.progress is not None
        if not self.ended:
            self.records += self.progress.skip(self.elapsed)

    @rule()
    def break_ends(self) -> None:
        assert self.progress is not None
        if not self.ended:
            self.records += self.progress.advance_to(self.elapsed)
            # The one showing now is cut short (none when the routine is over).
            self.shown = min(self.progress.index + 1, len(self.progress.routine.steps))
        self.records += self.progress.end(self.elapsed)
        self.ended = True

    @invariant()
    def each_shown_once_in_order(self) -> None:
        if self.progress is None:
            return
        steps = self.progress.routine.steps
        assert len(self.records) == (self.shown if self.ended else self.progress.index)
        assert [r.exercise for r in self.records] == [s.exercise for s in steps][
            : len(self.records)
        ]
        assert all(0 <= r.actual_seconds <= r.planned_seconds + 1 for r in self.records)
        cut = [r for r in self.records if r.outcome is Outcome.CUT_SHORT]
        assert len(cut) <= 1 and (not cut or self.records[-1].outcome is Outcome.CUT_SHORT)
        if self.ended:
            assert self.progress.finished


TestProgressMachine = ProgressMachine.TestCase
