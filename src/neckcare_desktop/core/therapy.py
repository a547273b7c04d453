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
from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from neckcare_desktop.core.timescale import TimeScale


class TherapyKind(enum.StrEnum):
    ICE = "ice"
    HEAT = "heat"

    @property
    def label(self) -> str:
        """ "Ice" or "Heat", translated (for a line of its own, e.g. "Ice: 5 min left")."""
        return (
            translate("Therapy", "Ice") if self is TherapyKind.ICE else translate("Therapy", "Heat")
        )


#: Shown when a session starts; the same words for every way of starting one.
SKIN_CHECK_ADVICE = (
    "If your skin has reduced feeling (for example from diabetes), check it every few minutes."
)
#: Advice texts are English source strings (marked for translation, see core.i18n); use
#: :func:`start_advice` and :func:`end_advice` for the person's language. Each is written
#: out whole, not glued from parts, so a translator sees complete sentences.
START_ADVICE: dict[TherapyKind, str] = {
    TherapyKind.ICE: QT_TRANSLATE_NOOP(
        "Therapy",
        "Wrap the ice pack in a thin cloth. If your skin has reduced feeling (for example "
        "from diabetes), check it every few minutes.",
    ),
    TherapyKind.HEAT: QT_TRANSLATE_NOOP(
        "Therapy",
        "Warm, not hot; don't fall asleep on a heating pad. If your skin has reduced feeling "
        "(for example from diabetes), check it every few minutes.",
    ),
}
END_ADVICE: dict[TherapyKind, str] = {
    TherapyKind.ICE: QT_TRANSLATE_NOOP(
        "Therapy", "Take the ice pack off now and let your skin warm up."
    ),
    TherapyKind.HEAT: QT_TRANSLATE_NOOP("Therapy", "Take the heat off now."),
}
#: The end advice when the alert comes late: the pack is already overdue. One sentence that
#: says "take it off" once (the end advice would say it a second time).
OVERRUN_ADVICE: dict[TherapyKind, str] = {
    TherapyKind.ICE: QT_TRANSLATE_NOOP(
        "Therapy",
        "Ice has been on since {since}: take it off now and let your skin warm up.",
    ),
    TherapyKind.HEAT: QT_TRANSLATE_NOOP(
        "Therapy", "Heat has been on since {since}: take it off now."
    ),
}


def start_advice(kind: TherapyKind) -> str:
    """What to keep in mind while ice or heat is on, in the person's language."""
    return translate("Therapy", START_ADVICE[kind])


def end_advice(kind: TherapyKind) -> str:
    """What to do when the time is up, in the person's language."""
    return translate("Therapy", END_ADVICE[kind])


def overrun_advice(kind: TherapyKind, since: str) -> str:
    """The end advice for a pack left on past its end (``since`` is "HH:MM")."""
    return translate("Therapy", OVERRUN_ADVICE[kind]).format(since=since)


#: A round stopped within this many nominal seconds was started by mistake: it is recorded
#: as cancelled, and an ice round cancelled this soon starts no skin rest.
CANCEL_WITHIN_SECONDS = 120


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
                translate(
                    "Therapy", "The rest between ice rounds must be {low}–{high} minutes, got {n}."
                ).format(
                    low=limits.ICE_REST_MIN_MINUTES,
                    high=limits.ICE_REST_MAX_MINUTES,
                    n=self.ice_rest_minutes,
                )
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
    ice = kind is TherapyKind.ICE
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise TherapyError(
            (
                translate("Therapy", "Ice minutes must be a whole number from {low} to {high}.")
                if ice
                else translate(
                    "Therapy", "Heat minutes must be a whole number from {low} to {high}."
                )
            ).format(low=low, high=high)
        )
    if ice and minutes > high:
        raise TherapyError(
            translate(
                "Therapy",
                "Ice is capped at {high} minutes a round: longer risks cold injury to the skin. "
                "Choose {low}–{high} minutes.",
            ).format(low=low, high=high)
        )
    if not low <= minutes <= high:
        raise TherapyError(
            (
                translate("Therapy", "Ice minutes must be from {low} to {high}, got {n}.")
                if ice
                else translate("Therapy", "Heat minutes must be from {low} to {high}, got {n}.")
            ).format(low=low, high=high, n=minutes)
        )
    return minutes


@dataclass(frozen=True)
class TherapySession:
    kind: TherapyKind
    started_at: datetime
    planned_seconds: int  # nominal, as the person chose it
    ends_at: datetime  # real wall-clock end (compressed under a time scale)
    #: The start as recorded in history: ``started_at`` moves when the clock is set, this
    #: never does, so a restart can tell which recorded session this is.
    recorded_at: datetime | None = None

    @property
    def key(self) -> datetime:
        return self.recorded_at or self.started_at


@dataclass(frozen=True)
class FinishedSession:
    session: TherapySession
    ended_at: datetime
    actual_seconds: int  # nominal seconds the pack was on
    completed: bool
    #: Stopped within :data:`CANCEL_WITHIN_SECONDS`: started by mistake.
    cancelled: bool = False


class TherapyTimer:
    """The one therapy timer: at most one session, and the rest between ice rounds."""

    def __init__(self, rules: TherapyRules, scale: TimeScale | None = None) -> None:
        self.rules = rules
        self.scale = scale or TimeScale()
        self.active: TherapySession | None = None
        self.ice_rest_until: datetime | None = None
        #: When the last ice round that started a rest ended (what a restart restores).
        self.last_ice_end: datetime | None = None
        #: The :attr:`TherapySession.key` of the session that ended last.
        self.last_ended: datetime | None = None

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
            texts = {
                (TherapyKind.ICE, TherapyKind.ICE): translate(
                    "Therapy", "Ice is already running. Stop it before starting ice."
                ),
                (TherapyKind.ICE, TherapyKind.HEAT): translate(
                    "Therapy", "Ice is already running. Stop it before starting heat."
                ),
                (TherapyKind.HEAT, TherapyKind.ICE): translate(
                    "Therapy", "Heat is already running. Stop it before starting ice."
                ),
                (TherapyKind.HEAT, TherapyKind.HEAT): translate(
                    "Therapy", "Heat is already running. Stop it before starting heat."
                ),
            }
            raise TherapyError(texts[(self.active.kind, kind)])
        minutes = check_minutes(
            kind, self.rules.default_minutes(kind) if minutes is None else minutes
        )
        rest = self.rest_remaining(now) if kind is TherapyKind.ICE else None
        if rest is not None and not confirm_during_rest:
            left = math.ceil(self.scale.app_seconds(rest) / 60)
            raise RestPeriodActive(
                self.ice_rest_until,  # type: ignore[arg-type]
                translate(
                    "Therapy",
                    "Your skin is still resting after the last ice round: ice again in "
                    "{minutes} min. Start another round anyway?",
                ).format(minutes=left),
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
        self.last_ice_end = ended_at
        self.ice_rest_until = ended_at + self.scale.real(self.rules.ice_rest_minutes * 60)

    def shift(self, delta: timedelta) -> None:
        """Move every wall-clock time by ``delta`` (the clock was set, nothing really passed)."""
        a = self.active
        if a is not None:
            self.active = TherapySession(
                a.kind, a.started_at + delta, a.planned_seconds, a.ends_at + delta, a.key
            )
        if self.ice_rest_until is not None:
            self.ice_rest_until += delta
        if self.last_ice_end is not None:
            self.last_ice_end += delta

    def _finish(self, now: datetime, *, completed: bool) -> FinishedSession:
        session = self.active
        if session is None:
            raise TherapyError(translate("Therapy", "No ice or heat timer is running."))
        self.active = None
        self.last_ended = session.key
        cancelled = False
        if completed:
            # The alert fires at the planned end; timer latency is not time on the skin.
            actual = session.planned_seconds
        else:
            elapsed = max(now - session.started_at, timedelta(0))
            on_for = self.scale.app_seconds(elapsed)
            actual = min(round(on_for), session.planned_seconds)
            cancelled = on_for < CANCEL_WITHIN_SECONDS
        if session.kind is TherapyKind.ICE and not cancelled:
            # A round started by mistake gave the skin no cold worth resting from; any rest
            # from an earlier round still runs.
            self.note_ice_ended(now)
        return FinishedSession(session, now, actual, completed, cancelled)
