"""What a do-not-disturb backend answers (shared by the backends and the monitor)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class DndReading:
    """Whether to hold breaks back now, and why in words (empty when not active)."""

    active: bool
    reason: str


INACTIVE: Final = DndReading(False, "")
