"""Call detection while ``breaks.respect_calls`` is on: one call monitor, read by presence.

The monitor (``platform.calls``) runs only while the setting is on: turned off, its
``pactl subscribe`` process and its device watches go, and presence answers "no call".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from neckcare_desktop.core.settings import Settings
from neckcare_desktop.presence import PresenceWatcher

logger = logging.getLogger(__name__)


class CallWatch(QObject):
    def __init__(
        self,
        presence: PresenceWatcher,
        make_monitor: Callable[[QObject], Any],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._presence = presence
        self._make_monitor = make_monitor
        self._monitor: Any = None
        self._on = False
        self._shut_down = False  # quitting: nothing starts watching again

    def apply(self, settings: Settings) -> None:
        """Start or stop watching as the setting says (cheap when nothing changed)."""
        wanted = settings.breaks.respect_calls and not self._shut_down
        if wanted == self._on:
            return
        self._on = wanted
        if wanted:
            try:
                self._monitor = self._make_monitor(self)
            except Exception:  # detection is a courtesy: breaks go on without it
                logger.exception("call detection could not start")
                self._monitor = None
            self._presence.watch_calls(self._monitor)
        else:
            self.close()

    def describe(self) -> str | None:
        """For Settings: why calls cannot be detected here, or None when they can (or the
        setting is off)."""
        monitor = self._monitor
        if monitor is None:
            return None
        try:
            text = monitor.describe()
            return text if isinstance(text, str) and text else None
        except Exception:
            logger.exception("asking call detection what it can see failed")
            return None

    def shut_down(self) -> None:
        """Quitting: stop watching, and stay stopped whatever the engine still says."""
        self._shut_down = True
        self.close()

    def close(self) -> None:
        monitor, self._monitor = self._monitor, None
        self._on = False
        self._presence.watch_calls(None)
        if monitor is not None:
            try:
                monitor.close()
            except Exception:
                logger.debug("closing call detection failed", exc_info=True)
