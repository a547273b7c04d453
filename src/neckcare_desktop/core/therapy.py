"""Ice and heat rules: caps, rest between ice rounds, one timer at a time.

These rules protect skin, so they live here and nowhere else: the tray, the settings
dialog and the command line all go through :class:`TherapyTimer`, which refuses an ice
round over the cap whatever asked for it.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from neckcare_desktop.core import limits
from neckcare_desktop.core.timescale import TimeScale


class TherapyKind(enum.StrEnum):
    ICE = "ice"
    HEAT = "heat"

    @property
    def label(self) -> str:
        return "Ice" if self is TherapyKind.ICE else "Heat"


#: Shown when a session starts; the same words for every way of starting one.
SKIN_CHECK_ADVICE = (
    "If your skin has reduced feeling (for example from diabetes), check it every few minutes."
)
START_ADVICE: dict[TherapyKind, str] = {
    TherapyKind.ICE: "Wrap the ice pack in a thin cloth. " + SKIN_CHECK_ADVICE,
    TherapyKind.HEAT: "Warm, not hot; don't fall asleep on a heating pad. " + SKIN_CHECK_ADVICE,
}
END_ADVICE: dict[TherapyKind, str] = {
    TherapyKind.ICE: "Take the ice pack off now and let your skin warm up.",
    TherapyKind.HEAT: "Take the heat off now.",
}


class TherapyError(ValueError):
    """A therapy request that the rules refuse; the message says why and what is allowed."""


class RestPeriodActive(TherapyError):
    """Ice asked for before the rest after the last round is over; can be confirmed."""

    def __init__(self, rest_until: datetime, message: str) -> None:
        super().__init__(message)
        self.rest_until = rest_until


@dataclass(frozen=True)
class TherapyRules:
    ice_minutes: int = limits.ICE_DEFAULT_MINUTES
    heat_minutes: int = limits.HEAT_DEFAULT_MINUTES
    ice_rest_minutes: int = limits.ICE_REST_DEFAULT_MINUTES

    def __post_init__(self) -> None:
        check_minutes(TherapyKind.ICE, self.ice_minutes)
        check_minutes(TherapyKind.HEAT, self.heat_minutes)
        if not limits.ICE_REST_MIN_MINUTES <= self.ice_rest_minutes <= limits.ICE_REST_MAX_MINUTES:
            raise TherapyError(
                f"The rest between ice rounds must be {limits.ICE_REST_MIN_MINUTES}–"
                f"{limits.ICE_REST_MAX_MINUTES} minutes, got {self.ice_rest_minutes}."
            )

    def default_minutes(self, kind: TherapyKind) -> int:
        return self.ice_minutes if kind is TherapyKind.ICE else self.heat_minutes


def allowed_range(kind: TherapyKind) -> tuple[int, int]:
    if kind is TherapyKind.ICE:
        return limits.ICE_MIN_MINUTES, limits.ICE_MAX_MINUTES
    return limits.HEAT_MIN_MINUTES, limits.HEAT_MAX_MINUTES


def check_minutes(kind: TherapyKind, minutes: object) -> int:
    """Return ``minutes`` if allowed for ``kind``; otherwise raise with the reason."""
    low, high = allowed_range(kind)
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise TherapyError(f"{kind.label} minutes must be a whole number from {low} to {high}.")
    if kind is TherapyKind.ICE and minutes > high:
        raise TherapyError(
            f"Ice is capped at {high} minutes a round: longer risks cold injury to the skin. "
            f"Choose {low}–{high} minutes."
        )
    if not low <= minutes <= high:
        raise TherapyError(f"{kind.label} minutes must be from {low} to {high}, got {minutes}.")
    return minutes


@dataclass(frozen=True)
class TherapySession:
    kind: TherapyKind
    started_at: datetime
    planned_seconds: int  # nominal, as the person chose it
    ends_at: datetime  # real wall-clock end (compressed under a time scale)


@dataclass(frozen=True)
class FinishedSession:
    session: TherapySession
    ended_at: datetime
    actual_seconds: int  # nominal seconds the pack was on
    completed: bool


class TherapyTimer:
    """The one therapy timer: at most one session, and the rest between ice rounds."""

    def __init__(self, rules: TherapyRules, scale: TimeScale | None = None) -> None:
        self.rules = rules
        self.scale = scale or TimeScale()
        self.active: TherapySession | None = None
        self.ice_rest_until: datetime | None = None

    def rest_remaining(self, now: datetime) -> timedelta | None:
        if self.ice_rest_until is None or now >= self.ice_rest_until:
            return None
        return self.ice_rest_until - now

    def start(
        self,
        kind: TherapyKind,
        now: datetime,
        minutes: int | None = None,
        *,
        confirm_during_rest: bool = False,
    ) -> TherapySession:
        if self.active is not None:
            raise TherapyError(
                f"{self.active.kind.label} is already running. Stop it before starting "
                f"{kind.label.lower()}."
            )
        minutes = check_minutes(
            kind, self.rules.default_minutes(kind) if minutes is None else minutes
        )
        rest = self.rest_remaining(now) if kind is TherapyKind.ICE else None
        if rest is not None and not confirm_during_rest:
            left = math.ceil(self.scale.app_seconds(rest) / 60)
            raise RestPeriodActive(
                self.ice_rest_until,  # type: ignore[arg-type]
                f"Your skin is still resting after the last ice round: ice again in {left} min. "
                "Start another round anyway?",
            )
        planned = minutes * 60
        self.active = TherapySession(kind, now, planned, now + self.scale.real(planned))
        return self.active

    def stop(self, now: datetime) -> FinishedSession:
        """The person stopped early: record what really happened."""
        return self._finish(now, completed=False)

    def complete(self, now: datetime) -> FinishedSession:
        """The planned time is over."""
        return self._finish(now, completed=True)

    def note_ice_ended(self, ended_at: datetime) -> None:
        """Start (or restore, at start-up) the rest that follows an ice round."""
        self.ice_rest_until = ended_at + self.scale.real(self.rules.ice_rest_minutes * 60)

    def _finish(self, now: datetime, *, completed: bool) -> FinishedSession:
        session = self.active
        if session is None:
            raise TherapyError("No ice or heat timer is running.")
        self.active = None
        if completed:
            # The alert fires at the planned end; timer latency is not time on the skin.
            actual = session.planned_seconds
        else:
            elapsed = max(now - session.started_at, timedelta(0))
            actual = min(round(self.scale.app_seconds(elapsed)), session.planned_seconds)
        if session.kind is TherapyKind.ICE:
            self.note_ice_ended(now)
        return FinishedSession(session, now, actual, completed)
