"""Plays cues on Windows with ``winsound.PlaySound`` (standard library, no extra DLLs).

``SND_ASYNC`` returns at once and a new ``PlaySound`` stops the sound still playing, so cues
replace each other. ``SND_NODEFAULT``: a missing file stays silent instead of the system
beep. ``winsound`` has no volume: cues play at NeckCare's level in the Windows volume mixer,
and the app's volume setting only mutes them (at 0, :class:`SoundPlayer` plays nothing).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from neckcare_desktop.platform.sound_output import LogOnce

logger = logging.getLogger(__name__)


class WinSoundBackend:
    def __init__(self) -> None:
        import winsound

        # Any: typeshed declares winsound's names for Windows only, so mypy on Linux sees none
        # of them (the tests run this backend on Linux with a stand-in module).
        self._winsound: Any = winsound
        self._flags = (
            self._winsound.SND_FILENAME | self._winsound.SND_ASYNC | self._winsound.SND_NODEFAULT
        )
        self._log = LogOnce(logger)

    def play(self, path: Path, volume: float) -> bool:
        try:
            self._winsound.PlaySound(str(path), self._flags)
        except RuntimeError as exc:  # "Failed to play sound": no device, bad file
            self._log("failed", logging.INFO, "Windows could not play %s (%s)", path.name, exc)
            return False
        return True
