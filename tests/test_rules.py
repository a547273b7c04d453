"""core.rules: days off, sounds during do-not-disturb, when to suggest seeing someone."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from neckcare_desktop.core import guidance
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.history import HistoryStore
from neckcare_desktop.core.rules import days_off, see_someone_reasons, sound_allowed
from neckcare_desktop.core.settings import default_settings, with_value


def test_days_off_are_the_days_outside_working_hours() -> None:
    settings = with_value(default_settings(), "working_hours.enabled", True)
    weekdays = with_value(settings, "working_hours.days", "mon,tue,wed,thu,fri")
    assert days_off(weekdays.working_hours) == {5, 6}
    assert days_off(with_value(settings, "working_hours.days", "mon").working_hours) == set(
        range(1, 7)
    )


def test_without_working_hours_no_day_is_off() -> None:
    settings = with_value(default_settings(), "working_hours.days", "mon")
    assert days_off(settings.working_hours) == frozenset()


@pytest.mark.parametrize("cue", ["break-start", "break-end", "warning"])
def test_do_not_disturb_silences_every_cue_but_the_therapy_end(cue: str) -> None:
    settings = with_value(default_settings(), "breaks.respect_fullscreen", True)
    assert not sound_allowed(cue, settings, lambda: True)
    assert sound_allowed("therapy-end", settings, lambda: True)
    assert sound_allowed(cue, settings, lambda: False)


def test_do_not_disturb_ignored_when_the_person_said_so() -> None:
    settings = with_value(default_settings(), "breaks.respect_fullscreen", False)
    assert sound_allowed("break-start", settings, lambda: True)


def _log(store: HistoryStore, now: datetime, days_ago: float, signs: tuple[str, ...] = ()):
    started = now - timedelta(days=days_ago)
    return store.log_episode(started, 5, (), signs, None, now)


def test_three_spasms_in_30_days_suggest_seeing_someone(
    store: HistoryStore, clock: ManualClock
) -> None:
    now = clock.now()
    for days in (20, 10):  # resolved: only their number matters here
        store.resolve_episode(_log(store, now, days).id, now)
    assert see_someone_reasons(default_settings(), store, now) == []
    store.resolve_episode(_log(store, now, 0).id, now)  # logged "just now": it counts
    (reason,) = see_someone_reasons(default_settings(), store, now)
    assert "3 neck spasms" in reason


def test_a_spasm_older_than_30_days_does_not_count(store: HistoryStore, clock: ManualClock) -> None:
    now = clock.now()
    for days in (31, 10, 1):
        store.resolve_episode(_log(store, now, days).id, now)
    assert see_someone_reasons(default_settings(), store, now) == []


def test_a_warning_sign_is_a_reason_and_the_setting_turns_it_all_off(
    store: HistoryStore, clock: ManualClock
) -> None:
    now = clock.now()
    (reason,) = see_someone_reasons(default_settings(), store, now, ("dizziness",))
    assert "dizziness" in reason
    off = with_value(default_settings(), "guidance.see_someone", False)
    assert see_someone_reasons(off, store, now, ("dizziness",)) == []


@pytest.mark.parametrize(
    ("open_for", "counts"),
    [(timedelta(days=27, hours=23), False), (timedelta(days=28), True)],
)
def test_a_spasm_open_for_4_weeks_suggests_a_physiotherapist(
    store: HistoryStore, clock: ManualClock, open_for: timedelta, counts: bool
) -> None:
    now = clock.now()
    store.log_episode(now - open_for, 6, (), (), None, now - open_for)
    reasons = see_someone_reasons(default_settings(), store, now)
    assert bool(reasons) is counts
    if counts:
        assert "physiotherapist" in reasons[0] and "28 days" in reasons[0]


@pytest.mark.parametrize(
    ("logged_after", "counts"),
    [(timedelta(days=27, hours=23), False), (timedelta(days=28), True)],
)
def test_pain_logged_4_weeks_on_counts_after_resolving_from_the_history(
    store: HistoryStore, clock: ManualClock, logged_after: timedelta, counts: bool
) -> None:
    """The spasm started 40 days ago, outside the 30-day window: the rule still reads it."""
    now = clock.now()
    started = now - timedelta(days=40)
    episode = store.log_episode(started, 7, (), (), None, started)
    store.update_pain(episode.id, 4, started + logged_after)
    store.resolve_episode(episode.id, started + timedelta(days=29))
    reasons = see_someone_reasons(default_settings(), store, now)
    assert bool(reasons) is counts
    if counts:
        assert "still had pain logged 28 days later" in reasons[0]


@pytest.mark.parametrize("flag", ["fever_stiff_neck", "severe_headache", "arm_weakness"])
def test_red_flags_are_not_behind_the_see_someone_setting(
    store: HistoryStore, clock: ManualClock, flag: str
) -> None:
    """The calm suggestions can be switched off; "seek care promptly" cannot: the rule
    for it reads no setting at all, and it is never one of the calm reasons."""
    now = clock.now()
    off = with_value(default_settings(), "guidance.see_someone", False)
    assert see_someone_reasons(off, store, now, (flag,)) == []
    assert see_someone_reasons(default_settings(), store, now, (flag,)) == []
    advice = guidance.seek_care_promptly((flag,))
    assert advice is not None and "promptly" in advice
