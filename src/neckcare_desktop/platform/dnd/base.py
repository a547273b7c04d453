"""What a do-not-disturb backend answers, and the shape every backend has."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Protocol


@dataclass(frozen=True)
class DndReading:
    """Whether to hold breaks back now, and why in words (empty when not active)."""

    active: bool
    reason: str


INACTIVE: Final = DndReading(False, "")


class DndBackend(Protocol):
    """One source of "do not disturb"; ``read()`` may raise BackendUnavailable.

    A backend that asks another process offers ``read_async(done)`` too (see
    :mod:`neckcare_desktop.platform.backends`); the monitor then never calls ``read()`` on it.
    """

    name: str

    def read(self) -> DndReading: ...

    def close(self) -> None: ...
