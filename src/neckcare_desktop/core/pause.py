"""Pausing reminders: the choices a person has, and why reminders are paused.

The choices are declared once, here: the tray menu, the IPC protocol and the command line
all offer these, and the engine accepts exactly these.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from neckcare_desktop.core.i18n import translate

if TYPE_CHECKING:  # annotations only: `neckcare --help` imports this module, and stays light
    from datetime import datetime

    from neckcare_desktop.core.clock import Clock
    from neckcare_desktop.core.timescale import TimeScale
    from neckcare_desktop.core.working_hours import WorkingHours

#: Minutes ("30", "60", "120") or "tomorrow" (the start of working hours tomorrow).
PAUSE_CHOICES: tuple[str, ...] = ("30", "60", "120", "tomorrow")
TOMORROW = "tomorrow"


class PauseReason(enum.Enum):
    """Why reminders are paused; it decides what moves with a clock that is set, what the
    status line says, and which job ends the pause."""

    #: 30/60/120 min from the menu or the command line: a length of time, which keeps
    #: its length when the clock is set.
    LENGTH = "length"
    #: Until tomorrow morning: a time on the wall, which stays put when the clock is set.
    PERSON = "person"
    #: Outside working hours: ends at their next start.
    HOURS = "hours"

    @classmethod
    def for_choice(cls, choice: str) -> PauseReason:
        return cls.PERSON if choice == TOMORROW else cls.LENGTH


def pause_end(
    choice: str, now: datetime, scale: TimeScale, clock: Clock, hours: WorkingHours
) -> datetime:
    """When a pause chosen from the menu or the command line ends.

    "tomorrow" means tomorrow morning at the start of working hours (the start time in
    Settings, 09:00 by default, even while working hours are off).
    """
    if choice == TOMORROW:
        return hours.next_morning(now, clock)
    if choice.isdigit() and choice in PAUSE_CHOICES:
        return now + scale.real(int(choice) * 60)
    raise ValueError(
        translate("Engine", "pause must be one of {choices}, got {value}").format(
            choices=", ".join(PAUSE_CHOICES), value=repr(choice)
        )
    )
