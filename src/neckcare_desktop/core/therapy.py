"""Ice and heat rules: caps, rest between ice rounds, one timer at a time.

These rules protect skin, so they live here and nowhere else: the tray, the settings
dialog and the command line all go through :class:`TherapyTimer`, which refuses an ice
round over the cap whatever asked for it.

They follow patient guidance on ice and heat and an ankle-sprain trial of intermittent
icing (Bleakley et al. 2006; see core.limits): in the first 48 hours after a spasm
started, ice suggests 10-minute rounds and rests at least 40 minutes; "10 on · 10 off ·
10 on" is one session (its parts: core.therapy_session); with reduced skin feeling,
circulation problems, cold sensitivity (ice) or diabetes or neuropathy (heat) rounds last
10 minutes at most, with a skin check halfway. No rule here ever lets ice stay on for
more than 20 minutes in one go.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from neckcare_desktop.core import limits
from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from neckcare_desktop.core.therapy_session import FinishedSession as FinishedSession
from neckcare_desktop.core.therapy_session import Part as Part
from neckcare_desktop.core.therapy_session import TherapyKind as TherapyKind
from neckcare_desktop.core.therapy_session import TherapySession as TherapySession
from neckcare_desktop.core.timescale import TimeScale

if TYPE_CHECKING:
    from neckcare_desktop.core.settings import Settings, TherapySettings


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


def switch_advice(on: bool, minutes: int) -> str:
    """What to do at a switch of an intermittent ice session; ``minutes``: the next part."""
    if on:
        text = translate(
            "Therapy",
            "Put the ice back on, wrapped in a cloth, for the last {minutes} minutes.",
        )
    else:
        text = translate(
            "Therapy",
            "Take the ice off now and let your skin warm up. NeckCare will tell you when to "
            "put it back on, in {minutes} minutes.",
        )
    return text.format(minutes=minutes)


def reminder_texts(kind: TherapyKind, extra_care: bool) -> tuple[str, str] | None:
    """The halfway reminder's title and text, or None when there is none (plain ice).

    Heat always reminds once: burns come from heat left on too hot or too long. With
    extra care the person also checks the skin they may not feel.
    """
    if kind is TherapyKind.HEAT:
        title = translate("Therapy", "Halfway through the heat")
        if extra_care:
            return title, translate(
                "Therapy",
                "Warm, not hot; don't fall asleep on it. Check your skin now: if it looks "
                "very red or feels sore, take the heat off.",
            )
        return title, translate("Therapy", "Warm, not hot; don't fall asleep on it.")
    if extra_care:
        return translate("Therapy", "Halfway through the ice: check your skin"), translate(
            "Therapy",
            "Lift the pack and look at your skin. If it feels numb, or looks white or very "
            "red, take the ice off now.",
        )
    return None


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
    #: The first 48 hours after a logged spasm started (core.guidance.phase "acute"):
    #: ice suggests 10-minute rounds and rests at least 40 minutes between them.
    acute: bool = False
    #: The person said their skin needs extra care with cold or with heat (see
    #: :func:`ice_extra_care`): rounds of at most 10 minutes and a skin check halfway.
    ice_extra_care: bool = False
    heat_extra_care: bool = False

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

    @classmethod
    def from_settings(cls, settings: Settings, *, acute: bool = False) -> TherapyRules:
        t = settings.therapy
        return cls(
            t.ice_minutes,
            t.heat_minutes,
            t.ice_rest_minutes,
            acute=acute,
            ice_extra_care=ice_extra_care(t),
            heat_extra_care=heat_extra_care(t),
        )

    def extra_care(self, kind: TherapyKind) -> bool:
        return self.ice_extra_care if kind is TherapyKind.ICE else self.heat_extra_care

    def max_minutes(self, kind: TherapyKind) -> int:
        """The longest round allowed now: the cap, or 10 minutes with extra care. The
        acute phase suggests shorter ice rounds but lets a person choose up to the cap."""
        cap = allowed_range(kind)[1]
        return min(cap, limits.EXTRA_CARE_MAX_MINUTES) if self.extra_care(kind) else cap

    def default_minutes(self, kind: TherapyKind) -> int:
        """What "Start ice" or "Start heat" uses now (the setting, shortened by the rules)."""
        if kind is TherapyKind.ICE:
            minutes = self.ice_minutes
            if self.acute:
                minutes = min(minutes, limits.ICE_ACUTE_MINUTES)
        else:
            minutes = self.heat_minutes
        return min(minutes, self.max_minutes(kind))

    def rest_minutes(self) -> int:
        """The skin's rest after an ice round: at least 40 minutes in the acute phase."""
        if self.acute:
            return max(self.ice_rest_minutes, limits.ICE_ACUTE_REST_MINUTES)
        return self.ice_rest_minutes

    def check(self, kind: TherapyKind, minutes: object) -> int:
        """``minutes`` if a round of that length is allowed now; otherwise raise why."""
        minutes = check_minutes(kind, minutes)
        high = self.max_minutes(kind)
        if minutes > high:
            raise TherapyError(
                (
                    translate(
                        "Therapy",
                        "You asked for extra care for your skin, so ice is capped at {high} "
                        "minutes a round. Choose 1–{high} minutes, or change it in Settings.",
                    )
                    if kind is TherapyKind.ICE
                    else translate(
                        "Therapy",
                        "You asked for extra care for your skin, so heat is capped at {high} "
                        "minutes a session. Choose 1–{high} minutes, or change it in Settings.",
                    )
                ).format(high=high)
            )
        return minutes


def ice_extra_care(t: TherapySettings) -> bool:
    """Ice needs extra care with reduced skin feeling, circulation problems or cold
    sensitivity (risk of frostbite and cold-induced nerve injury)."""
    return t.reduced_skin_feeling or t.circulation_problems or t.cold_sensitivity


def heat_extra_care(t: TherapySettings) -> bool:
    """Heat needs extra care with reduced skin feeling, circulation problems, or diabetes
    or neuropathy (burns that are not felt)."""
    return t.reduced_skin_feeling or t.circulation_problems or t.diabetes_or_neuropathy


def needs_safety_check(settings: Settings) -> bool:
    """Whether the short first-use check (skin feeling, circulation, cold, diabetes) is
    still to be asked before ice or heat."""
    return not settings.therapy.safety_asked


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
        intermittent: bool = False,
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
        parts: tuple[int, ...] = ()
        if intermittent:
            if kind is not TherapyKind.ICE:
                raise TherapyError(
                    translate("Therapy", "Only ice has a 10 on · 10 off · 10 on session.")
                )
            if minutes is not None:
                raise TherapyError(
                    translate(
                        "Therapy",
                        "An intermittent ice session is always 10 minutes on, 10 off, 10 on: "
                        "choose it or a number of minutes, not both.",
                    )
                )
            parts = limits.INTERMITTENT_PARTS
            planned = sum(parts[0::2])  # the on parts: the time on the skin
        else:
            minutes = self.rules.check(
                kind, self.rules.default_minutes(kind) if minutes is None else minutes
            )
            planned = minutes * 60
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
        span = sum(parts) if parts else planned
        self.active = TherapySession(kind, now, planned, now + self.scale.real(span), None, parts)
        return self.active

    def stop(self, now: datetime, *, skin_numb: bool = False) -> FinishedSession:
        """The person stopped early: record what really happened.

        ``skin_numb``: ice stopped because the skin went numb. Never "cancelled", however
        soon: the skin had cold enough to need its rest.
        """
        if skin_numb and self.active is not None and self.active.kind is not TherapyKind.ICE:
            raise TherapyError(
                translate(
                    "Therapy",
                    "Skin going numb is a sign to stop ice. For heat, use Stop, and take the "
                    "heat off if it feels wrong.",
                )
            )
        return self._finish(now, completed=False, skin_numb=skin_numb)

    def complete(self, now: datetime) -> FinishedSession:
        """The planned time is over."""
        return self._finish(now, completed=True)

    def note_ice_ended(self, ended_at: datetime) -> None:
        """Start (or restore, at start-up) the rest that follows an ice round."""
        self.last_ice_end = ended_at
        self.ice_rest_until = ended_at + self.scale.real(self.rules.rest_minutes() * 60)

    def shorten_to_cap(self, now: datetime) -> TherapySession | None:
        """The rules now cap rounds lower (extra care chosen while one runs): end the
        running round at the new cap. Returns the shortened session, or None."""
        a = self.active
        if a is None or a.intermittent:
            return None  # each "on" part of an intermittent session is within every cap
        cap = self.rules.max_minutes(a.kind) * 60
        if a.planned_seconds <= cap:
            return None
        ends_at = max(a.ends_at - self.scale.real(a.planned_seconds - cap), now)
        self.active = a.with_end(ends_at, cap)
        return self.active

    def shift(self, delta: timedelta) -> None:
        """Move every wall-clock time by ``delta`` (the clock was set, nothing really passed)."""
        a = self.active
        if a is not None:
            self.active = TherapySession(
                a.kind,
                a.started_at + delta,
                a.planned_seconds,
                a.ends_at + delta,
                a.key,
                a.parts,
            )
        if self.ice_rest_until is not None:
            self.ice_rest_until += delta
        if self.last_ice_end is not None:
            self.last_ice_end += delta

    def _finish(
        self, now: datetime, *, completed: bool, skin_numb: bool = False
    ) -> FinishedSession:
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
            actual = session.on_seconds(now, self.scale)
            on_for = self.scale.app_seconds(max(now - session.started_at, timedelta(0)))
            cancelled = on_for < CANCEL_WITHIN_SECONDS and not skin_numb
        if session.kind is TherapyKind.ICE and not cancelled:
            # A round started by mistake gave the skin no cold worth resting from; any rest
            # from an earlier round still runs.
            self.note_ice_ended(now)
        return FinishedSession(session, now, actual, completed, cancelled, skin_numb)
