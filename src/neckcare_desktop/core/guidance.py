"""Phase guidance and "when to see someone": small, pure rules over the spasm log.

Why pure functions over :class:`~neckcare_desktop.core.history.Episode` values instead of
store queries: the edges (exactly 48 hours, exactly 3 episodes, exactly 7 days) are the
whole point of these rules, and they are only trustworthy if a test can put time exactly
on an edge. The app reads the store and passes what it read.

The wording is deliberately calm and general. NeckCare gives reminders and timers; it
does not diagnose, so every sentence here is a suggestion the person may ignore, names no
clinic or therapy, and never blocks a choice (ice stays available in the lingering phase,
heat in the acute one).

``core`` has no Qt and therefore no ``tr()``: every sentence goes through
:func:`neckcare_desktop.core.i18n.translate`, which the app connects to Qt's translators.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import Literal

from neckcare_desktop.core.history import WARNING_SIGNS, Episode
from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, join_words, month_short, translate

logger = logging.getLogger(__name__)

Phase = Literal["acute", "lingering"]

#: Ice is the usual suggestion for the first two days of a spasm; heat afterwards.
ACUTE_PHASE = timedelta(hours=48)
#: This many episodes within :data:`EPISODE_WINDOW` is a reason to talk to someone.
EPISODES_FOR_ADVICE = 3
EPISODE_WINDOW = timedelta(days=30)
#: An episode still open this long is a reason to talk to someone.
UNRESOLVED_FOR_ADVICE = timedelta(days=7)

_STATUS_LINES: dict[Phase, str] = {
    "acute": QT_TRANSLATE_NOOP("Guidance", "acute phase: ice, max 20 min a round"),
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
    episodes_last_30_days: Iterable[Episode],
    open_episodes: Iterable[Episode],
    now: datetime,
    warning_signs_ticked: Collection[str] = (),
) -> list[str]:
    """Calm reasons to suggest talking to a healthcare professional; empty when there are none.

    * 3 or more episodes that started within the last 30 days (2 is not enough). The
      window is recomputed from ``now`` (inclusive at exactly 30 days) so a caller that
      passes a slightly wider list still gets the documented rule.
    * an episode still open 7 days (or more) after it started;
    * a warning sign ticked: headache, dizziness, vision changes, numbness or tingling
      in the arms (keys of :data:`~neckcare_desktop.core.history.WARNING_SIGNS`).

    Each reason is one sentence, so the message can say once why it appeared.
    """
    reasons: list[str] = []
    recent = [
        e for e in episodes_last_30_days if timedelta(0) <= now - e.started_at <= EPISODE_WINDOW
    ]
    if len(recent) >= EPISODES_FOR_ADVICE:
        reasons.append(
            translate(
                "Guidance",
                "You have logged {n} neck spasms in the last 30 days. Spasms that "
                "keep coming back are worth talking over with a healthcare professional.",
            ).format(n=len(recent))
        )
    lingering = [
        e for e in open_episodes if e.is_open and now - e.started_at >= UNRESOLVED_FOR_ADVICE
    ]
    if lingering:
        oldest = min(lingering, key=lambda e: e.started_at)
        days = (now - oldest.started_at).days
        reasons.append(
            translate(
                "Guidance",
                "A neck spasm that started on {day} has not been marked as "
                "resolved after {days} days. A spasm that lasts more than a week is worth "
                "having checked.",
            ).format(day=_day_text(oldest.started_at), days=days)
        )
    signs = [
        translate("WarningSign", label)
        for key, label in WARNING_SIGNS.items()
        if key in warning_signs_ticked
    ]
    unknown = set(warning_signs_ticked) - set(WARNING_SIGNS)
    if unknown:
        logger.warning("Ignoring unknown warning signs: %s", sorted(unknown))
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


def _day_text(at: datetime) -> str:
    # Not strftime("%b"): Qt sets the C locale from the environment, which would put a
    # month name in one language into a sentence in another.
    return translate("Dates", "{day} {month} {year}").format(
        day=at.day, month=month_short(at), year=at.year
    )
