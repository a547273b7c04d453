"""What the engine tells the outside world. The UI subscribes; it never decides policy."""

from __future__ import annotations

from dataclasses import dataclass

from neckcare_desktop.core.breaks import ActiveBreak
from neckcare_desktop.core.stretches import Stretch
from neckcare_desktop.core.therapy import FinishedSession, TherapySession


@dataclass(frozen=True)
class StateChanged:
    """Something the status line shows has changed."""


@dataclass(frozen=True)
class BreakDue:
    brk: ActiveBreak
    stretch: Stretch | None
    nominal_seconds: int
    can_postpone: bool = True
    can_skip: bool = True
    #: Why it comes now, for the break window or notification to show beside the usual
    #: prompt (translated), e.g. "Your call ended: time for the break you held"; None
    #: for a break that came on time.
    reason: str | None = None


@dataclass(frozen=True)
class BreakStarted:
    brk: ActiveBreak
    stretch: Stretch | None
    nominal_seconds: int
    can_end_early: bool = True


@dataclass(frozen=True)
class BreakWithdrawn:
    """A due break was taken back (paused, or settings changed) without an answer."""

    brk: ActiveBreak


@dataclass(frozen=True)
class BreakFinished:
    brk: ActiveBreak
    #: It ran to its end.
    completed: bool
    #: Ended early but long enough to count as taken (see core.breaks.counts_as_taken).
    shortened: bool = False


@dataclass(frozen=True)
class TherapyStarted:
    session: TherapySession
    advice: str


@dataclass(frozen=True)
class TherapyEnded:
    finished: FinishedSession
    advice: str


@dataclass(frozen=True)
class TherapySwitched:
    """A switch inside an intermittent ice session: ``on`` False means "take it off now",
    True "put it back on, wrapped"; ``advice`` says it in the person's language."""

    session: TherapySession
    on: bool
    advice: str


@dataclass(frozen=True)
class TherapyReminder:
    """The one reminder halfway through a session (heat: warm, not hot; extra care: check
    the skin), translated."""

    session: TherapySession
    title: str
    text: str


@dataclass(frozen=True)
class Notice:
    """A message for the person that needs no answer (a warning, a saved-settings note)."""

    title: str
    text: str
    warning: bool = False


@dataclass(frozen=True)
class BreakWarning:
    """A posture break is about to come due (shown as a notification with Postpone)."""

    kind: str
    seconds_before: int
    can_postpone: bool


@dataclass(frozen=True)
class NaturalBreak:
    """Time away counted as a break: the person was not at the computer long enough."""

    kinds: tuple[str, ...]


EngineEvent = (
    StateChanged
    | BreakDue
    | BreakStarted
    | BreakWithdrawn
    | BreakFinished
    | TherapyStarted
    | TherapyEnded
    | TherapySwitched
    | TherapyReminder
    | Notice
    | BreakWarning
    | NaturalBreak
)
