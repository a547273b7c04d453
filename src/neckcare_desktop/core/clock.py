"""Where "now" comes from.

Everything in ``core`` asks an injected :class:`Clock` for the time instead of calling
``datetime.now()``, so tests can move time by hours in microseconds and the app can be
pointed at a compressed time scale for demos and end-to-end tests.
"""

from __future__ import annotations

import time as _time
from datetime import UTC as _UTC
from datetime import date, datetime, time, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    """Source of the current wall-clock time (always timezone-aware)."""

    def now(self) -> datetime: ...

    def at(self, day: date, clock_time: time) -> datetime:
        """The aware moment when local wall clocks show ``clock_time`` on ``day``.

        Needed because "tomorrow at 09:00" may have another UTC offset than now (DST).
        """
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps; compared with ``now()`` to spot jumps."""
        ...

    def boottime(self) -> float | None:
        """Seconds on a clock that never jumps but keeps counting while the computer is
        suspended; None where the system has none. Beside ``monotonic()`` (which stops
        during a suspend) it tells a suspend from a wall clock that was set."""
        ...


class SystemClock:
    """The real wall clock, in the local time zone."""

    def now(self) -> datetime:
        return datetime.now().astimezone()

    def at(self, day: date, clock_time: time) -> datetime:
        # A naive local time made aware by the OS, which knows the zone's DST rules.
        return datetime.combine(day, clock_time).astimezone()

    def monotonic(self) -> float:
        return _time.monotonic()  # CLOCK_MONOTONIC on Linux: stands still while suspended

    def boottime(self) -> float | None:
        clock_id = getattr(_time, "CLOCK_BOOTTIME", None)  # Linux only
        if clock_id is None:
            return None
        try:
            return _time.clock_gettime(clock_id)
        except OSError:
            return None


class ManualClock:
    """A clock that only moves when told to; for tests and simulations."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start
        self._zone = start.tzinfo
        self._monotonic = 0.0
        self._boottime: float | None = 0.0

    def now(self) -> datetime:
        return self._fixed(self._now)

    def at(self, day: date, clock_time: time) -> datetime:
        """Combine in the clock's zone; a ZoneInfo zone gets DST right, like a real one."""
        # With a zoneinfo.ZoneInfo zone, replace() picks the offset in force on that day.
        return self._fixed(datetime.combine(day, clock_time).replace(tzinfo=self._zone))

    def _fixed(self, when: datetime) -> datetime:
        """``when`` with the offset then in force as a fixed offset, as SystemClock gives it.

        Python adds a timedelta to a ZoneInfo time on the wall clock (02:50 CEST + 20 min =
        03:10 CET, 80 real minutes); with a fixed offset, as from the real clock, an hour
        stays an hour across a DST change.
        """
        if self._zone is None or isinstance(self._zone, timezone):
            return when
        local = when.astimezone(self._zone)
        offset, name = local.utcoffset() or timedelta(0), local.tzname()
        return local.astimezone(timezone(offset, name) if name is not None else timezone(offset))

    def monotonic(self) -> float:
        return self._monotonic

    def boottime(self) -> float | None:
        return self._boottime

    def without_boottime(self) -> ManualClock:
        """Act like a system that cannot tell a suspend from a clock change."""
        self._boottime = None
        return self

    def advance(self, delta: timedelta | float) -> datetime:
        """Move forward by ``delta`` (a timedelta or seconds) and return the new time."""
        if not isinstance(delta, timedelta):
            delta = timedelta(seconds=delta)
        # Aware arithmetic across a ZoneInfo DST change is wall-clock arithmetic in Python;
        # go through UTC so an hour always lasts an hour.
        self._now = (self._now.astimezone(_UTC) + delta).astimezone(self._now.tzinfo)
        self._monotonic += delta.total_seconds()
        if self._boottime is not None:
            self._boottime += delta.total_seconds()
        return self.now()

    def suspend(self, delta: timedelta | float) -> datetime:
        """The computer sleeps for ``delta``: the wall clock and the boot-time clock move
        on, the monotonic clock stands still."""
        if not isinstance(delta, timedelta):
            delta = timedelta(seconds=delta)
        self._now = (self._now.astimezone(_UTC) + delta).astimezone(self._now.tzinfo)
        if self._boottime is not None:
            self._boottime += delta.total_seconds()
        return self.now()

    def set(self, when: datetime) -> None:
        """Jump to ``when``; may go backwards, as a real clock change can.

        The monotonic clock does not move: this is what a manual clock change looks like.
        """
        if when.tzinfo is None:
            raise ValueError("ManualClock needs timezone-aware times")
        self._now = when
