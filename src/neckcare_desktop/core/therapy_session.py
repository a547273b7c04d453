"""One ice or heat session as the timer holds it: its kind, its times and its parts.

Kept apart from core.therapy (the rules) so each stays readable; core.therapy re-exports
every name here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from neckcare_desktop.core.i18n import translate
from neckcare_desktop.core.timescale import TimeScale


def display_minutes(seconds: float) -> int:
    """Whole minutes for display, rounded up so "0 min left" never shows while time is left.

    Every place that says a therapy time in minutes (the status line, the tray tooltip, a
    notice) rounds with this, so they never disagree by a minute."""
    return max(1, -int(-seconds // 60))


class TherapyKind(enum.StrEnum):
    ICE = "ice"
    HEAT = "heat"

    @property
    def label(self) -> str:
        """ "Ice" or "Heat", translated (for a line of its own, e.g. "Ice: 5 min left")."""
        return (
            translate("Therapy", "Ice") if self is TherapyKind.ICE else translate("Therapy", "Heat")
        )


@dataclass(frozen=True)
class Part:
    """One part of a session: ``index`` from 0, ice ``on`` or off, and when it ends."""

    index: int
    on: bool
    ends_at: datetime


@dataclass(frozen=True)
class TherapySession:
    kind: TherapyKind
    started_at: datetime
    #: Nominal seconds on the skin, as the person chose it (an intermittent session: the
    #: on parts only).
    planned_seconds: int
    ends_at: datetime  # real wall-clock end (compressed under a time scale)
    #: The start as recorded in history: ``started_at`` moves when the clock is set, this
    #: never does, so a restart can tell which recorded session this is.
    recorded_at: datetime | None = None
    #: Nominal seconds of each part of an intermittent session, on/off/on; () for a plain
    #: round.
    parts: tuple[int, ...] = ()

    @property
    def key(self) -> datetime:
        return self.recorded_at or self.started_at

    @property
    def intermittent(self) -> bool:
        return bool(self.parts)

    @property
    def span_seconds(self) -> int:
        """Nominal seconds from start to end (off parts included)."""
        return sum(self.parts) if self.parts else self.planned_seconds

    def part_at(self, now: datetime, scale: TimeScale) -> Part:
        """The part running at ``now`` (the last one once the end has passed).

        Parts are laid out back from ``ends_at``, the time the end alert honours, so they
        stay in step with it when a restart shortened a session the clock had moved.
        """
        if not self.parts:
            return Part(0, True, self.ends_at)
        after = 0  # nominal seconds of the parts after the one looked at
        bounds: list[datetime] = []
        for length in reversed(self.parts):
            bounds.append(self.ends_at - scale.real(after))
            after += length
        bounds.reverse()  # bounds[i]: the end of part i
        for index, end in enumerate(bounds):
            if now < end:
                return Part(index, index % 2 == 0, end)
        last = len(self.parts) - 1
        return Part(last, last % 2 == 0, self.ends_at)

    def on_seconds(self, now: datetime, scale: TimeScale) -> int:
        """Nominal seconds on the skin from the start up to ``now`` (off parts left out)."""
        if not self.parts:
            elapsed = scale.app_seconds(max(now - self.started_at, timedelta(0)))
            return min(round(elapsed), self.planned_seconds)
        left = scale.app_seconds(max(self.ends_at - now, timedelta(0)))
        elapsed = min(max(self.span_seconds - left, 0.0), float(self.span_seconds))
        on = 0.0
        start = 0
        for index, length in enumerate(self.parts):
            if index % 2 == 0:
                on += min(max(elapsed - start, 0.0), float(length))
            start += length
        return round(on)

    def halfway_at(self, scale: TimeScale) -> datetime:
        """When the halfway reminder is due: half the round, or the middle of the first
        "on" part of an intermittent session."""
        into = self.parts[0] // 2 if self.parts else self.planned_seconds // 2
        return self.ends_at - scale.real(self.span_seconds - into)

    def with_end(self, ends_at: datetime, planned_seconds: int | None = None) -> TherapySession:
        return TherapySession(
            self.kind,
            self.started_at,
            self.planned_seconds if planned_seconds is None else planned_seconds,
            ends_at,
            self.key,
            self.parts,
        )


@dataclass(frozen=True)
class FinishedSession:
    session: TherapySession
    ended_at: datetime
    actual_seconds: int  # nominal seconds the pack was on
    completed: bool
    #: Stopped within :data:`CANCEL_WITHIN_SECONDS`: started by mistake.
    cancelled: bool = False
    #: Ice stopped because the skin went numb.
    skin_numb: bool = False
