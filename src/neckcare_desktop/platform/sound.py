"""Short audio cues for breaks and therapy timers: which file, whether, and how loud.

Sound is a nice-to-have on top of the visible notification, so this module is built to
fail quietly: no player, no audio device, or a missing file all mean "stay silent and log
once at INFO", never an exception or a frozen tray.

How a cue reaches the speakers is :mod:`neckcare_desktop.platform.sound_output`'s business
(a player program such as ``pw-play``, ``afplay`` or ``winsound``; QtMultimedia only where
none exists). It is chosen on the first cue that sounds, so people who keep sounds off never
pay for it.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from pathlib import Path
from typing import Final

from neckcare_desktop.platform.sound_output import LogOnce, SoundBackend, default_backend
from neckcare_desktop.resources import resource_path

logger = logging.getLogger(__name__)

#: The cues the app can play; each maps to ``resources/sounds/<name>.wav``.
CUES: Final = ("break-start", "break-end", "therapy-end")

DEFAULT_VOLUME: Final = 0.8


class SoundPlayer:
    """Plays the named cues with a mute switch and a volume."""

    def __init__(
        self,
        *,
        enabled: bool = True,
        volume: float = DEFAULT_VOLUME,
        sound_dir: Path | None = None,
        backend_factory: Callable[[], SoundBackend] | None = None,
    ) -> None:
        self.enabled = enabled
        self._volume = _clamp_volume(volume)
        self._sound_dir = sound_dir
        self._backend_factory: Callable[[], SoundBackend] = backend_factory or default_backend
        self._backend: SoundBackend | None = None
        #: Set once the backend could not be created; it is not retried.
        self._backend_failed = False
        self._log = LogOnce(logger)

    @property
    def volume(self) -> float:
        """Playback volume from 0.0 (silent) to 1.0 (full), applied from the next cue."""
        return self._volume

    @volume.setter
    def volume(self, value: float) -> None:
        self._volume = _clamp_volume(value)

    @property
    def backend(self) -> SoundBackend | None:
        """The backend chosen on the first cue that sounded (None before, or if none works)."""
        return self._backend

    def play(self, name: str) -> bool:
        """Start the cue called ``name``, stopping one still playing; never waits for it.

        Returns True if a sound was started, False if muted or audio is unavailable. Raises
        ``ValueError`` only for an unknown cue name, which is a programming error rather
        than an environment problem.
        """
        if name not in CUES:
            raise ValueError(f"unknown sound cue {name!r}; expected one of {', '.join(CUES)}")
        if not self.enabled or self._volume == 0.0:
            return False
        try:
            path = self._path_for(name)
        except FileNotFoundError as exc:
            self._log(
                f"missing:{name}", logging.INFO, "Sound file for %r is missing: %s", name, exc
            )
            return False
        backend = self._get_backend()
        if backend is None:
            return False
        try:
            return backend.play(path, self._volume)
        except Exception:  # a bug in a backend must never take a reminder down with it
            self._log("error", logging.ERROR, "Playing sound %r failed", name, exc_info=True)
            return False

    def _get_backend(self) -> SoundBackend | None:
        if self._backend is not None:
            return self._backend
        if self._backend_failed:
            return None
        try:
            self._backend = self._backend_factory()
        except Exception as exc:  # ImportError, missing shared libraries, plugin errors...
            self._backend_failed = True
            logger.info("Audio unavailable (%s); sounds stay silent", exc)
            return None
        return self._backend

    def _path_for(self, name: str) -> Path:
        filename = f"{name}.wav"
        if self._sound_dir is not None:
            path = self._sound_dir / filename
            if not path.is_file():
                raise FileNotFoundError(path)
            return path
        return resource_path("sounds", filename)


def _clamp_volume(value: float) -> float:
    """Clamp to 0..1 so a bad setting can never blast sound; NaN is a bug, so reject it."""
    value = float(value)
    if math.isnan(value):
        raise ValueError("volume must be a number between 0.0 and 1.0, got NaN")
    return min(1.0, max(0.0, value))
