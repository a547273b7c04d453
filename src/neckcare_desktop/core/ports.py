"""The one thing ``core`` needs from the outside world to act in time: a scheduler.

The engine never talks to APScheduler or Qt directly; it asks this port to call it back
at a wall-clock time. ``scheduling.py`` implements it with APScheduler's ``QtScheduler``
and the tests with a fake that fires jobs when a manual clock is advanced.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol


class SchedulerPort(Protocol):
    def call_at(self, name: str, when: datetime, callback: Callable[[], None]) -> None:
        """Run ``callback`` once at ``when``, replacing any job already called ``name``.

        A late run (after suspend, a busy loop) must still happen, once.
        """

    def cancel(self, name: str) -> None:
        """Forget the job called ``name``; no error if there is none."""

    def wakeup(self) -> None:
        """Re-examine every job now, e.g. after the wall clock jumped."""


class Presence(Protocol):
    """What the engine may ask about the person at the moment a reminder is due."""

    def away_seconds(self) -> float | None:
        """Seconds since the last keyboard or mouse input (a locked screen counts as away);
        None when this desktop cannot tell."""

    def do_not_disturb(self) -> str | None:
        """Why interruptions should wait now (fullscreen window, do-not-disturb), or None."""


class CallPresence(Presence, Protocol):
    """What a presence that can tell calls and typing adds (ISSUE 17).

    The engine asks for these with ``getattr``: a presence without them is never in a
    call and never makes a break wait for a pause in typing (the behaviour before).
    """

    def in_call(self) -> bool:
        """Another program uses the microphone or the camera now. Cheap (no I/O): the
        last state the call detector pushed; tell the engine of changes with
        ``Engine.calls_changed()``."""

    def input_idle_seconds(self) -> float | None:
        """Seconds since the last keyboard or mouse input, read now or from a reading a
        few seconds old (not aged: a stale reading only makes the wait longer); None when
        this desktop cannot tell. Asked each time a due break looks for a pause in typing
        (every few seconds for up to a minute)."""


class NoPresence:
    """Used where nothing can be read: never away, never busy."""

    def away_seconds(self) -> float | None:
        return None

    def do_not_disturb(self) -> str | None:
        return None

    def in_call(self) -> bool:
        return False

    def input_idle_seconds(self) -> float | None:
        return None
