"""What an idle-time backend answers, and the shape every backend has."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from neckcare_desktop.platform.backends import Outcome


@dataclass(frozen=True)
class IdleReading:
    """One answer: seconds since the last keyboard/mouse input, and whether the screen is
    locked or blanked (which the app counts as "away" whatever the idle time says)."""

    idle_seconds: float
    locked: bool
    backend: str


class IdleBackend(Protocol):
    """One way of measuring idle time.

    ``read()`` returns None when it has no answer right now; it may instead raise
    :class:`~neckcare_desktop.platform.backends.BackendUnavailable` to say why, which
    :class:`~neckcare_desktop.platform.idle.IdleMonitor` puts in its log line. Backends
    that ask another process (D-Bus) also offer ``read_async(done)``, which returns at once
    and hands the same outcome to ``done`` later (see :mod:`.backends`).
    """

    name: str

    def read(self) -> IdleReading | None: ...

    def close(self) -> None: ...


class AsyncIdleBackend(IdleBackend, Protocol):
    def read_async(self, done: Callable[[Outcome], None]) -> None: ...
