"""core.rules: days off, sounds during do-not-disturb, when to suggest seeing someone."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

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
