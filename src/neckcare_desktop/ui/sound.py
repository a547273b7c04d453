"""Short audio cues for breaks and therapy timers.

Sound is a nice-to-have on top of the visible notification, so this module is built to
fail quietly: no QtMultimedia, no audio device, or a missing file all mean "stay
silent and log once at INFO", never an exception or a frozen tray.

QtMultimedia is imported lazily on the first ``play`` because loading it pulls in
FFmpeg and probes the audio stack (PulseAudio/PipeWire), which costs start-up time and
prints noise on machines without sound. Many users keep sounds off; they should never
pay for it.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, Protocol

from neckcare_desktop.resources import resource_path

logger = logging.getLogger(__name__)

#: The cues the app can play; each maps to ``resources/sounds/<name>.wav``.
CUES: Final = ("break-start", "break-end", "therapy-end")

DEFAULT_VOLUME: Final = 0.8


class SoundEffect(Protocol):
    """The part of ``QSoundEffect`` the player uses (lets tests swap in a fake)."""

    def setVolume(self, volume: float) -> None: ...

    def play(self) -> None: ...


class SoundBackend(Protocol):
    """Creates effects and reports whether audio can work at all right now."""

    def has_output(self) -> bool:
        """True when at least one audio output device exists."""
        ...

    def create(self, path: Path) -> SoundEffect:
        """Make an effect that will play ``path`` (loading may be asynchronous)."""
        ...

    def is_broken(self, effect: SoundEffect) -> bool:
        """True when the effect failed to load or cannot play on this device."""
        ...


class QtSoundBackend:
    """Real backend on top of ``QSoundEffect``; constructing it imports QtMultimedia."""

    def __init__(self) -> None:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

        self._devices = QMediaDevices
        self._effect_cls = QSoundEffect

    def has_output(self) -> bool:
        # Re-checked on every play so plugging in headphones later brings sound back.
        return bool(self._devices.audioOutputs())

    def create(self, path: Path) -> SoundEffect:
        from PySide6.QtCore import QUrl

        effect = self._effect_cls()
        error = self._effect_cls.Status.Error

        def _on_status() -> None:
            # Loading is asynchronous, so a bad file or unsupported device only shows up here.
            if effect.status() == error:
                logger.info("Sound %s could not be loaded or played; it will stay silent", path)

        effect.statusChanged.connect(_on_status)
        effect.setSource(QUrl.fromLocalFile(str(path)))
        return effect

    def is_broken(self, effect: SoundEffect) -> bool:
        status = effect.status()  # type: ignore[attr-defined]
        return status == self._effect_cls.Status.Error


class SoundPlayer:
    """Plays the named cues with a mute switch and a volume.

    Effects are created once per cue and cached: ``QSoundEffect`` decodes the file up
    front, and a garbage-collected effect would stop mid-sound.
    """

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
        self._backend_factory: Callable[[], SoundBackend] = backend_factory or QtSoundBackend
        self._backend: SoundBackend | None = None
        #: Set once the backend could not be created; we do not retry an ImportError.
        self._backend_failed = False
        self._effects: dict[str, SoundEffect] = {}
        self._reported: set[str] = set()

    @property
    def volume(self) -> float:
        """Playback volume from 0.0 (silent) to 1.0 (full)."""
        return self._volume

    @volume.setter
    def volume(self, value: float) -> None:
        self._volume = _clamp_volume(value)
        for effect in self._effects.values():
            effect.setVolume(self._volume)

    @property
    def loaded_cues(self) -> frozenset[str]:
        """Names of cues whose effect has been created (for diagnostics and tests)."""
        return frozenset(self._effects)

    def play(self, name: str) -> bool:
        """Start (or queue, while the file is still loading) the cue called ``name``.

        Returns True if a sound was started or queued, False if muted or audio is
        unavailable. Raises ``ValueError`` only for an unknown cue name, which is a
        programming error rather than an environment problem.
        """
        if name not in CUES:
            raise ValueError(f"unknown sound cue {name!r}; expected one of {', '.join(CUES)}")
        if not self.enabled or self._volume == 0.0:
            return False
        backend = self._get_backend()
        if backend is None:
            return False
        try:
            if not backend.has_output():
                self._report_once("no-output", "No audio output device; sounds stay silent")
                return False
            effect = self._effects.get(name)
            if effect is None:
                effect = backend.create(self._path_for(name))
                effect.setVolume(self._volume)
                self._effects[name] = effect
            if backend.is_broken(effect):
                self._report_once(
                    f"broken:{name}", "Sound %r cannot be played on this system; skipping", name
                )
                return False
            effect.play()
        except FileNotFoundError as exc:
            self._report_once(f"missing:{name}", "Sound file for %r is missing: %s", name, exc)
            return False
        except Exception:  # pragma: no cover - defensive: a sound must never crash the app
            if "error" not in self._reported:
                self._reported.add("error")
                logger.info("Playing sound %r failed; continuing silently", name, exc_info=True)
            return False
        return True

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

    def _report_once(self, key: str, message: str, *args: Any) -> None:
        """Log an INFO line the first time a given problem shows up, then stay quiet."""
        if key in self._reported:
            return
        self._reported.add(key)
        logger.info(message, *args)


def _clamp_volume(value: float) -> float:
    """Clamp to 0..1 so a bad setting can never blast sound; NaN is a bug, so reject it."""
    value = float(value)
    if math.isnan(value):
        raise ValueError("volume must be a number between 0.0 and 1.0, got NaN")
    return min(1.0, max(0.0, value))
