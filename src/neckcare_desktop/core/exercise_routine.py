"""A break's routine: exercises that fill its length, and how far the person got.

A posture break of five minutes used to show one stretch and then a clock. Active
breaks with a change of posture are what the evidence behind breaks favours, so the
break now plays a sequence drawn from the exercises the person has switched on: each
with its picture, a hold countdown and its repetitions, "Next" and "Done". A micro-break
shows one eye or posture cue.

Pure: the plan draws from a :class:`~neckcare_desktop.core.stretches.StretchRotation`
(seeded in tests), so every exercise comes round fairly, none follows itself and the
same one never leads two routines in a row; progress is measured in the break's own
seconds since it started, which the caller reads from its clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from neckcare_desktop.core.history import EventKind
from neckcare_desktop.core.stretches import Stretch, StretchRotation

#: A step shorter than this is not worth starting: the last one takes the rest instead.
MIN_STEP_SECONDS: Final = 15
#: No routine longer than this many steps, however long the break (a loop guard).
MAX_STEPS: Final = 60


class Outcome(StrEnum):
    """What became of one exercise shown in a break."""

    DONE = "done"
    SKIPPED = "skipped"
    CUT_SHORT = "cut_short"


#: The history row each outcome is recorded as (subject: the exercise id).
OUTCOME_KINDS: Final[dict[Outcome, EventKind]] = {
    Outcome.DONE: EventKind.EXERCISE_DONE,
    Outcome.SKIPPED: EventKind.EXERCISE_SKIPPED,
    Outcome.CUT_SHORT: EventKind.EXERCISE_CUT_SHORT,
}


@dataclass(frozen=True)
class RoutineStep:
    exercise: Stretch
    #: How long this step is planned to last in the break (app seconds).
    seconds: int


@dataclass(frozen=True)
class Routine:
    kind: str
    steps: tuple[RoutineStep, ...]

    @property
    def lead(self) -> Stretch:
        return self.steps[0].exercise

    @property
    def seconds(self) -> int:
        return sum(step.seconds for step in self.steps)


def plan_routine(
    rotation: StretchRotation, kind: str, total_seconds: int, *, acute: bool = False
) -> Routine:
    """The exercises for a break of ``kind`` lasting ``total_seconds``.

    A micro-break gets one cue for its whole length. A posture break gets exercises,
    each for its own length, until the break is filled; the last one takes whatever is
    left. ``acute`` leaves out neck exercises. Raises ``LookupError`` when there is
    nothing to suggest (everything switched off).
    """
    total = max(1, total_seconds)
    first = rotation.next(kind, acute=acute)
    if kind == "micro":
        return Routine(kind, (RoutineStep(first, total),))
    if first.id == rotation.leads.get(kind) and len(rotation.pool(kind, acute=acute)) > 1:
        # The bag never hands out the same exercise twice in a row: this one is new.
        first = rotation.next(kind, acute=acute)
    rotation.leads[kind] = first.id
    steps: list[RoutineStep] = []
    left = total
    exercise = first
    while True:
        seconds = min(exercise.seconds, left)
        steps.append(RoutineStep(exercise, seconds))
        left -= seconds
        if left < MIN_STEP_SECONDS or len(steps) >= MAX_STEPS:
            break
        exercise = rotation.next(kind, acute=acute)
    if left > 0:
        last = steps[-1]
        steps[-1] = RoutineStep(last.exercise, last.seconds + left)
    return Routine(kind, tuple(steps))


@dataclass(frozen=True)
class ExerciseRecord:
    """One exercise shown in a break and what became of it (core records it)."""

    exercise: Stretch
    outcome: Outcome
    planned_seconds: int
    actual_seconds: int


@dataclass(frozen=True)
class StepState:
    """What the break window shows now: which exercise, its repetition and its hold."""

    index: int
    count: int
    step: RoutineStep
    #: Seconds left in this step.
    left: float
    #: 1-based.
    repetition: int
    #: In the "hold" part of the repetition (False: relax, or nothing to hold).
    holding: bool
    hold_left: float


class RoutineProgress:
    """How far a running break got through its routine, in seconds since it started.

    Each step runs for its planned seconds and then counts as done; "Done" ends it
    early as done, "Next" as skipped, and the end of the break cuts the one showing
    short. Each call returns the records to keep, so every step shown is recorded once.
    """

    def __init__(self, routine: Routine) -> None:
        self.routine = routine
        self.index = 0
        self._step_start = 0.0

    @property
    def finished(self) -> bool:
        return self.index >= len(self.routine.steps)

    def state(self, elapsed: float) -> StepState | None:
        """The step showing at ``elapsed`` (call :meth:`advance_to` first); None when all
        are over."""
        if self.finished:
            return None
        step = self.routine.steps[self.index]
        within = min(max(0.0, elapsed - self._step_start), float(step.seconds))
        reps = max(1, step.exercise.repetitions)
        slot = step.seconds / reps
        repetition = min(reps, int(within // slot) + 1) if slot > 0 else 1
        in_slot = within - (repetition - 1) * slot
        hold = min(float(step.exercise.hold_seconds), slot)
        holding = hold > 0 and in_slot < hold
        return StepState(
            index=self.index,
            count=len(self.routine.steps),
            step=step,
            left=step.seconds - within,
            repetition=repetition,
            holding=holding,
            hold_left=hold - in_slot if holding else 0.0,
        )

    def advance_to(self, elapsed: float) -> list[ExerciseRecord]:
        """Steps whose time ran out by ``elapsed`` are done."""
        records: list[ExerciseRecord] = []
        while not self.finished:
            step = self.routine.steps[self.index]
            if elapsed - self._step_start < step.seconds:
                break
            records.append(ExerciseRecord(step.exercise, Outcome.DONE, step.seconds, step.seconds))
            self._step_start += step.seconds
            self.index += 1
        return records

    def _close(self, elapsed: float, outcome: Outcome) -> list[ExerciseRecord]:
        records = self.advance_to(elapsed)
        if self.finished:
            return records
        step = self.routine.steps[self.index]
        actual = round(max(0.0, elapsed - self._step_start))
        records.append(ExerciseRecord(step.exercise, outcome, step.seconds, actual))
        self._step_start = elapsed
        self.index += 1
        return records

    def done(self, elapsed: float) -> list[ExerciseRecord]:
        """The person did the exercise showing ("Done"): on to the next."""
        return self._close(elapsed, Outcome.DONE)

    def skip(self, elapsed: float) -> list[ExerciseRecord]:
        """The person passed over the exercise showing ("Next")."""
        return self._close(elapsed, Outcome.SKIPPED)

    def end(self, elapsed: float) -> list[ExerciseRecord]:
        """The break is over at ``elapsed``: the exercise showing was cut short."""
        records = self._close(elapsed, Outcome.CUT_SHORT)
        self.index = len(self.routine.steps)
        return records
