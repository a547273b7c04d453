"""What presence reads, as the shapes it needs (no platform code imported here): idle time
that arrives later and may be pushed, do-not-disturb from a cache, calls; and plain
functions standing in for a source (tests, desktops where a reading is a quick local call).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class IdleReadingLike(Protocol):
    """``platform.idle.IdleReading``, without importing the platform code here."""

    @property
    def idle_seconds(self) -> float: ...

    @property
    def locked(self) -> bool: ...


IdleValue = tuple[float, bool] | IdleReadingLike | None


class IdleSource(Protocol):
    """Idle time that arrives later: ``done((idle seconds, locked) or None)`` runs once,
    before ``request`` returns or from the event loop. ``platform.idle.IdleMonitor`` is
    one (its readings carry ``idle_seconds`` and ``locked``)."""

    def request(self, done: Callable[[IdleValue], None]) -> None: ...


class IdleWatchSource(IdleSource, Protocol):
    """An idle source that can push away/back to a listener (``platform.idle.IdleMonitor``).

    ``watch(away_after_seconds, listener)`` returns False when it cannot (then keep
    polling); otherwise the listener hears ``idle_watch_started()`` once the watch is in
    place, then ``idle_away(seconds)`` / ``idle_back()``, or ``idle_watch_lost(reason)``.
    Called again with another length, the watch follows it."""

    def watch(self, away_after_seconds: float, listener: Any) -> bool: ...


class CallSource(Protocol):
    """Whether another program uses the microphone or camera (``platform.calls.CallMonitor``):
    ``in_call()`` answers from its last reading and never waits."""

    def in_call(self) -> bool: ...


class DndSource(Protocol):
    """Do-not-disturb from a cache: ``current()`` never waits; ``refresh()`` asks the
    desktop again, and a later ``current()`` sees the answer."""

    def current(self) -> str | None: ...

    def refresh(self) -> None: ...


class CalledIdle:
    """A plain function as an :class:`IdleSource`: it answers at once."""

    def __init__(self, read: Callable[[], IdleValue]) -> None:
        self._read = read

    def request(self, done: Callable[[IdleValue], None]) -> None:
        done(self._read())


class CalledDnd:
    """A plain function as a :class:`DndSource`: asked each time, nothing to refresh."""

    def __init__(self, read: Callable[[], str | None]) -> None:
        self.current = read

    def refresh(self) -> None:
        pass
