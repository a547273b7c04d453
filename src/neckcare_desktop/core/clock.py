"""Where "now" comes from.

Everything in ``core`` asks an injected :class:`Clock` for the time instead of calling
``datetime.now()``, so tests can move time by hours in microseconds and the app can be
pointed at a compressed time scale for demos and end-to-end tests.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Source of the current wall-clock time (always timezone-aware)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock, in the local time zone."""

    def now(self) -> datetime:
        return datetime.now().astimezone()


class ManualClock:
    """A clock that only moves when told to; for tests and simulations."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta | float) -> datetime:
        """Move forward by ``delta`` (a timedelta or seconds) and return the new time."""
        if not isinstance(delta, timedelta):
            delta = timedelta(seconds=delta)
        self._now = self._now + delta
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when``; may go backwards, as a real clock change can."""
        if when.tzinfo is None:
            raise ValueError("ManualClock needs timezone-aware times")
        self._now = when
