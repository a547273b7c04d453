"""Plays cues with QtMultimedia's ``QSoundEffect``: the fallback where no player program exists.

Constructing the backend imports QtMultimedia, which on Linux needs ``libpulse.so.0`` just
to import and loads FFmpeg and the audio stack (+13 MB after the first cue), hence the
last resort; :func:`.sound_output.default_backend` turns its ``ImportError`` into silence.
"""

from __future__ import annotations

import logging
from pathlib import Path

from neckcare_desktop.platform.sound_output import LogOnce

logger = logging.getLogger(__name__)


class QtMultimediaBackend:
    """One ``QSoundEffect`` per file, kept: it decodes the file up front, and an effect
    that is garbage-collected stops mid-sound."""

    def __init__(self) -> None:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

        self._devices = QMediaDevices
        self._effect_cls = QSoundEffect
        self._effects: dict[Path, QSoundEffect] = {}
        self._log = LogOnce(logger)

    def play(self, path: Path, volume: float) -> bool:
        # Re-checked on every cue so plugging in headphones later brings sound back.
        if not self._devices.audioOutputs():
            self._log("no-output", logging.INFO, "No audio output device; sounds stay silent")
            return False
        effect = self._effects.get(path)
        if effect is None:
            effect = self._create(path)
            self._effects[path] = effect
        if effect.status() == self._effect_cls.Status.Error:
            self._log(
                f"broken:{path}", logging.INFO, "Sound %s cannot be played here; skipping", path
            )
            return False
        for other in self._effects.values():  # replace the cue still playing, never overlap
            if other is not effect:
                other.stop()
        effect.setVolume(volume)
        effect.play()
        return True

    def _create(self, path: Path):  # -> QSoundEffect (imported lazily)
        from PySide6.QtCore import QUrl

        effect = self._effect_cls()
        error = self._effect_cls.Status.Error

        def _on_status() -> None:
            # Loading is asynchronous: a bad file or an unusable device only shows up here.
            if effect.status() == error:
                self._log(f"load:{path}", logging.INFO, "Sound %s could not be loaded", path)

        effect.statusChanged.connect(_on_status)
        effect.setSource(QUrl.fromLocalFile(str(path)))
        return effect
