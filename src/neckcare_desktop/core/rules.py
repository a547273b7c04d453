"""Small rules the app applies around the engine: days off, quiet sounds, seeing someone.

They used to sit in the app's Qt code, where no test could put time on an edge. Here they
are plain functions over settings and history values, decided in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta
from typing import Protocol

from neckcare_desktop.core import guidance
from neckcare_desktop.core.history import MAX_EPISODE_AGE, Episode
from neckcare_desktop.core.settings import Settings, WorkingHoursSettings, parse_days

#: The cue that sounds even during do-not-disturb: the end of ice or heat must get through.
THERAPY_END_CUE = "therapy-end"


def days_off(hours: WorkingHoursSettings) -> frozenset[int]:
    """Weekdays (Monday = 0) without reminders: neutral for the History streak.

    Without working hours every day is a working day.
    """
    if not hours.enabled:
        return frozenset()
    return frozenset(range(7)) - parse_days(hours.days)


def sound_allowed(cue: str, settings: Settings, do_not_disturb: Callable[[], bool]) -> bool:
    """Sounds stay quiet during do-not-disturb (when the person asked NeckCare to respect
    it), except the end of ice or heat: a pack left on is worse than a sound in a call.

    ``do_not_disturb`` is asked only when the answer matters (it reads the desktop).
    """
    if cue == THERAPY_END_CUE or not settings.breaks.respect_fullscreen:
        return True
    return not do_not_disturb()


class EpisodeSource(Protocol):
    """What the see-someone rule reads from the history."""

    def episodes_between(self, start: datetime, end: datetime) -> Iterable[Episode]: ...

    def open_episodes(self) -> Iterable[Episode]: ...


#: How far back the see-someone rule reads episodes: the 30-day window, and before it
#: the spasms whose late pain may fall in that window. The log takes no start older than
#: a year; an episode open for longer than that is read through ``open_episodes`` anyway.
LOOKBACK = guidance.EPISODE_WINDOW + MAX_EPISODE_AGE


def see_someone_reasons(
    settings: Settings,
    history: EpisodeSource,
    now: datetime,
    warning_signs: Collection[str] = (),
) -> list[str]:
    """Why to suggest seeing a professional now; empty when the person turned it off or
    nothing calls for it (see :func:`neckcare_desktop.core.guidance.see_someone_reasons`).
    Red flags are not among them: :func:`~neckcare_desktop.core.guidance.seek_care_promptly`
    says those, whatever this setting is (safety is not a suggestion one switches off)."""
    if not settings.guidance.see_someone:
        return []
    recent = history.episodes_between(
        now - LOOKBACK, now + timedelta(seconds=1)
    )  # the second: an episode logged "just now" counts
    return guidance.see_someone_reasons(recent, history.open_episodes(), now, warning_signs)
