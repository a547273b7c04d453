"""Pause choices: the one list every way of pausing offers, and when each pause ends."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from fakes import at
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.pause import PAUSE_CHOICES, PauseReason, pause_end
from neckcare_desktop.core.settings import default_settings
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.core.working_hours import WorkingHours

NOW = at(14, 0)


def _end(choice: str) -> datetime:
    clock = ManualClock(NOW)
    hours = WorkingHours.from_settings(default_settings().working_hours)
    return pause_end(choice, NOW, TimeScale(), clock, hours)


@pytest.mark.parametrize("choice", [c for c in PAUSE_CHOICES if c.isdigit()])
def test_a_pause_of_minutes_lasts_that_long(choice: str) -> None:
    assert _end(choice) == NOW + timedelta(minutes=int(choice))
    assert PauseReason.for_choice(choice) is PauseReason.LENGTH


def test_a_pause_until_tomorrow_ends_tomorrow_morning() -> None:
    assert _end("tomorrow") == at(9, 0, day=3)
    assert PauseReason.for_choice("tomorrow") is PauseReason.PERSON


@pytest.mark.parametrize("choice", ["45", "0", "", "later", "-30"])
def test_any_other_choice_is_refused_naming_the_choices(choice: str) -> None:
    with pytest.raises(ValueError, match="30, 60, 120, tomorrow"):
        _end(choice)
