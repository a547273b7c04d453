"""Compressed time for tests and demos (``NECKCARE_TIME_SCALE``).

With a scale of 60 every duration the app schedules lasts 1/60 of its nominal length:
a 15-minute ice round ends after 15 seconds. Durations shown to the person stay in
nominal ("app") units so the status text reads the same at any scale.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from neckcare_desktop.core.i18n import translate

ENV_VAR = "NECKCARE_TIME_SCALE"
MAX_SCALE = 10_000.0


class TimeScaleError(ValueError):
    """The environment asked for a time scale that makes no sense."""


@dataclass(frozen=True)
class TimeScale:
    factor: float = 1.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.factor) and 0 < self.factor <= MAX_SCALE):
            raise TimeScaleError(
                translate(
                    "TimeScale",
                    "{variable} must be a number greater than 0 and at most {maximum}, "
                    "got {value}.",
                ).format(variable=ENV_VAR, maximum=f"{MAX_SCALE:g}", value=f"{self.factor!r}")
            )

    @property
    def is_compressed(self) -> bool:
        return self.factor != 1.0

    def real(self, app_seconds: float) -> timedelta:
        """Real time that ``app_seconds`` of nominal duration take at this scale."""
        return timedelta(seconds=app_seconds / self.factor)

    def app_seconds(self, real: timedelta) -> float:
        """Nominal seconds that a real span stands for at this scale."""
        return real.total_seconds() * self.factor

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> TimeScale:
        raw = environ.get(ENV_VAR, "").strip()
        if not raw:
            return cls()
        try:
            value = float(raw)
        except ValueError:
            raise TimeScaleError(
                translate(
                    "TimeScale",
                    "{variable} must be a number such as 60 (one minute lasts one second), "
                    "got {value}.",
                ).format(variable=ENV_VAR, value=repr(raw))
            ) from None
        return cls(value)
