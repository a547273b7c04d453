"""Phase guidance, "when to see someone" and "seek care promptly": small, pure rules over
the spasm log.

Why pure functions over :class:`~neckcare_desktop.core.history.Episode` values instead of
store queries: the edges (exactly 48 hours, exactly 3 episodes, exactly 28 days) are the
whole point of these rules, and they are only trustworthy if a test can put time exactly
on an edge. The app reads the store and passes what it read.

The evidence (``anchors.md``, "Therapy evidence"): neck pain lasting over about 4 weeks
is a reason to see a physiotherapist (NICE CKS, non-specific neck pain); a stiff neck with
fever or a severe headache, or weakness or numbness in an arm, are reasons to seek care
promptly. So there are two kinds of message:

* calm reasons to see a physiotherapist (:func:`see_someone_reasons`), dismissible and
  switched off with the ``guidance.see_someone`` setting:

  - 3 or more spasms that started within the last 30 days (2 are not enough);
  - pain that lasts 4 weeks: an episode still open 28 days (or more) after it started,
    or one with a pain score above 0 logged 28 days (or more) after it started, **even if
    it was marked resolved later** — pain logged four weeks on is what the rule is about,
    and resolving it the day after does not undo that. A resolved episode counts while
    that late score is from the last 30 days (the same window as the recurrence rule), so
    one long spasm does not bring the suggestion back for ever. A score of 0 is no pain:
    it does not count (an open episode counts by being open);
  - a calm warning sign ticked (headache, dizziness, vision changes, numbness or
    tingling in the arms): worth talking over with a healthcare professional;

* a red flag ticked (:data:`~neckcare_desktop.core.spasm_vocabulary.RED_FLAGS`):
  :func:`seek_care_promptly`, shown whatever the settings say, because it is safety.
  Red flags are never also listed among the calm reasons: one sign, one message.

The wording is deliberately calm and general. NeckCare gives reminders and timers; it
does not diagnose, so every sentence here names what the person logged and what the
evidence suggests, names no clinic, practitioner or therapy brand (a physiotherapist is a
profession), and never blocks a choice (ice stays available in the lingering phase, heat
in the acute one). "Promptly" is said plainly, without alarm words.

``core`` has no Qt and therefore no ``tr()``: every sentence goes through
:func:`neckcare_desktop.core.i18n.translate`, which the app connects to Qt's translators.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import Literal

from neckcare_desktop.core.history import WARNING_SIGNS, Episode, PainUpdate
from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, join_words, month_short, translate
from neckcare_desktop.core.spasm_vocabulary import RED_FLAGS, warning_sign_label

logger = logging.getLogger(__name__)

Phase = Literal["acute", "lingering"]

#: Ice is the usual suggestion for the first two days of a spasm; heat afterwards.
ACUTE_PHASE = timedelta(hours=48)
#: This many episodes within :data:`EPISODE_WINDOW` is a reason to talk to someone.
EPISODES_FOR_ADVICE = 3
EPISODE_WINDOW = timedelta(days=30)
#: Pain this long after a spasm started (open, or a pain score logged then) is a reason
#: to see a physiotherapist: "neck pain over about 4 weeks" (NICE CKS).
UNRESOLVED_FOR_ADVICE = timedelta(days=28)

_STATUS_LINES: dict[Phase, str] = {
    "acute": QT_TRANSLATE_NOOP(
        "Guidance", "acute phase: ice, about 10 min a round (never over 20)"
    ),
    "lingering": QT_TRANSLATE_NOOP("Guidance", "lingering tension: gentle heat may help"),
}


def phase(latest_unresolved: Episode | None, now: datetime) -> Phase | None:
    """Which phase the open spasm is in: ``"acute"`` under 48 h, then ``"lingering"``.

    Exactly 48 hours after the start is already lingering (47 h 59 min is still acute).
    A resolved episode, or none, gives None: there is nothing to guide. A start in the
    future (a clock that was changed) is treated as just started.
    """
    if latest_unresolved is None or not latest_unresolved.is_open:
        return None
    elapsed = now - latest_unresolved.started_at
    return "acute" if elapsed < ACUTE_PHASE else "lingering"


def status_line(current: Phase | None) -> str | None:
    """The short line the tray status shows for a phase, or None without one."""
    return None if current is None else translate("Guidance", _STATUS_LINES[current])


def prefer_ice(current: Phase | None) -> bool:
    """Whether ice is the suggested first choice. Only a suggestion: heat stays one click away.

    Outside an episode there is no preference, so this is False and the menu keeps its
    usual order.
    """
    return current == "acute"


def see_someone_reasons(
    recent_episodes: Iterable[Episode],
    open_episodes: Iterable[Episode],
    now: datetime,
    warning_signs_ticked: Collection[str] = (),
) -> list[str]:
    """Calm reasons to suggest seeing a physiotherapist or another healthcare professional;
    empty when there are none. The rules are in the module docstring.

    ``recent_episodes`` are the episodes that may count: every one that started in the
    last 30 days, and those that started earlier when their late pain should count too.
    The 30-day windows are recomputed from ``now`` (inclusive at exactly 30 days), so a
    caller that passes a wider list still gets the documented rule. Red flags among
    ``warning_signs_ticked`` are left to :func:`seek_care_promptly`.

    Each reason is one sentence, so the message can say once why it appeared.
    """
    reasons: list[str] = []
    recent = list(recent_episodes)
    still_open = [e for e in open_episodes if e.is_open]
    started_lately = [e for e in recent if timedelta(0) <= now - e.started_at <= EPISODE_WINDOW]
    if len(started_lately) >= EPISODES_FOR_ADVICE:
        reasons.append(
            translate(
                "Guidance",
                "You have logged {n} neck spasms in the last 30 days. Spasms that keep "
                "coming back are worth talking over with a physiotherapist.",
            ).format(n=len(started_lately))
        )
    long_pain = _long_pain_reason(recent, still_open, now)
    if long_pain is not None:
        reasons.append(long_pain)
    unknown = set(warning_signs_ticked) - set(WARNING_SIGNS)
    if unknown:
        logger.warning("Ignoring unknown warning signs: %s", sorted(unknown))
    signs = [
        warning_sign_label(key)
        for key in WARNING_SIGNS
        if key in warning_signs_ticked and key not in RED_FLAGS
    ]
    if signs:
        listed = join_words([s.lower() for s in signs])
        reasons.append(
            translate(
                "Guidance",
                "You noted {signs} with the spasm. Together with neck pain, that is a good "
                "reason to talk to a healthcare professional.",
            ).format(signs=listed)
        )
    return reasons


def _long_pain_reason(
    recent: list[Episode], still_open: list[Episode], now: datetime
) -> str | None:
    """The pain-for-4-weeks reason about the oldest such episode, or None."""
    lasting = [e for e in still_open if now - e.started_at >= UNRESOLVED_FOR_ADVICE]
    if lasting:
        oldest = min(lasting, key=lambda e: e.started_at)
        return translate(
            "Guidance",
            "A neck spasm that started on {day} has not been marked as resolved after "
            "{days} days. Neck pain that lasts more than about 4 weeks is worth having a "
            "physiotherapist look at.",
        ).format(day=_day_text(oldest.started_at), days=(now - oldest.started_at).days)
    late = {e.id: (e, u) for e in recent if (u := late_pain(e, now)) is not None}
    if not late:
        return None
    episode, update = min(late.values(), key=lambda pair: pair[0].started_at)
    return translate(
        "Guidance",
        "The neck spasm that started on {day} still had pain logged {days} days later. Neck "
        "pain that lasts more than about 4 weeks is worth having a physiotherapist look at.",
    ).format(day=_day_text(episode.started_at), days=(update.at - episode.started_at).days)


def late_pain(episode: Episode, now: datetime) -> PainUpdate | None:
    """The last pain score above 0 logged 28 days or more after ``episode`` started, if
    it was logged in the last 30 days (inclusive at both edges); else None."""
    late = [
        u
        for u in episode.updates
        if u.pain > 0
        and u.at - episode.started_at >= UNRESOLVED_FOR_ADVICE
        and timedelta(0) <= now - u.at <= EPISODE_WINDOW
    ]
    return late[-1] if late else None


def seek_care_promptly(warning_signs_ticked: Collection[str]) -> str | None:
    """What to say when red flags were ticked: get medical care promptly. None without one.

    Never behind the see-someone setting (the caller shows it regardless): it is safety.
    Plain and unmistakable, not alarming; it names what was ticked, diagnoses nothing and
    names no clinic.
    """
    flags = [
        warning_sign_label(key)
        for key in WARNING_SIGNS
        if key in RED_FLAGS and key in warning_signs_ticked
    ]
    if not flags:
        return None
    if len(flags) == 1:
        return translate(
            "Guidance",
            "{sign} is a reason to get medical care promptly — today, not at your next "
            "appointment.",
        ).format(sign=flags[0])
    return translate(
        "Guidance",
        "{signs}: each of these is a reason to get medical care promptly — today, not at "
        "your next appointment.",
    ).format(signs=_capitalised(join_words([f.lower() for f in flags])))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _day_text(at: datetime) -> str:
    # Not strftime("%b"): Qt sets the C locale from the environment, which would put a
    # month name in one language into a sentence in another.
    return translate("Dates", "{day} {month} {year}").format(
        day=at.day, month=month_short(at), year=at.year
    )
