"""Which sound backend plays the cues on this computer, and what every backend provides.

Three backends, one per file, tried in this order:

- :mod:`.sound_winsound` on Windows (``winsound.PlaySound``, in the standard library);
- :mod:`.sound_command` elsewhere when a command-line player is installed: ``pw-play``,
  ``paplay`` or ``aplay`` on Linux and the BSDs, ``afplay`` on macOS. A player costs the app
  no memory and works without ``libpulse``;
- :mod:`.sound_qt` (``QSoundEffect``) only when no player exists. QtMultimedia needs
  ``libpulse.so.0`` just to import on Linux and loads FFmpeg (+13 MB after the first cue),
  so it is the last resort; where it cannot load, cues stay silent with one INFO line.

Sound is a nice-to-have on top of the visible notification: every backend fails quietly.
"""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

logger = logging.getLogger(__name__)


class SoundBackend(Protocol):
    """Plays one short sound file at a time."""

    def play(self, path: Path, volume: float) -> bool:
        """Start ``path`` at ``volume`` (0.0–1.0) without waiting for it, stopping a cue that
        still plays (cues replace each other rather than overlap). False when it cannot play."""
        ...


class SilentBackend:
    """Where nothing can play sound: every cue is a no-op."""

    def play(self, path: Path, volume: float) -> bool:
        return False


class LogOnce:
    """Logs each kind of problem once per run: a missing sound card must not fill the log."""

    def __init__(self, log: logging.Logger) -> None:
        self._log = log
        self._seen: set[str] = set()

    def __call__(self, key: str, level: int, message: str, *args: Any, **kwargs: Any) -> None:
        if key in self._seen:
            self._log.debug(message, *args)
            return
        self._seen.add(key)
        self._log.log(level, message, *args, **kwargs)


def default_backend(
    platform: str = sys.platform, which: Callable[[str], str | None] = shutil.which
) -> SoundBackend:
    """The best backend here; looks the players up once. Never raises."""
    if platform == "win32":
        from neckcare_desktop.platform.sound_winsound import WinSoundBackend

        return WinSoundBackend()

    from neckcare_desktop.platform.sound_command import (
        CommandPlayerBackend,
        find_players,
        player_names,
    )

    players = find_players(platform, which)
    if players:
        logger.debug("sound cues play through %s", players[0].executable)
        return CommandPlayerBackend(players)
    try:
        from neckcare_desktop.platform.sound_qt import QtMultimediaBackend

        return QtMultimediaBackend()
    except ImportError as exc:  # e.g. libpulse.so.0 missing on Linux
        logger.info(
            "No sound player (%s) is installed and QtMultimedia cannot load (%s); "
            "sounds stay silent",
            ", ".join(player_names(platform)),
            exc,
        )
        return SilentBackend()
