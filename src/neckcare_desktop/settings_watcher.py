"""Follow the settings file while NeckCare runs: edited, replaced or deleted on disk.

A valid new file is applied at once (``changed``); a broken one is copied aside and
reported (``troubled``), and the settings in use stay as they are; a deleted file changes
nothing (the next save from Settings… writes it again).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Signal

from neckcare_desktop.core.clock import Clock
from neckcare_desktop.core.settings_file import file_state, load_settings

logger = logging.getLogger(__name__)


def _first_and_last(lines: list[str], more: str, shown: int = 5) -> list[str]:
    """At most ``shown`` lines, saying how many were left out; the last line (where the
    bad file's copy was saved) is always kept."""
    if len(lines) <= shown:
        return list(lines)
    return [*lines[: shown - 1], more.format(n=len(lines) - shown), lines[-1]]


class SettingsWatcher(QObject):
    """Watches the settings file (and its folder: editors replace files on save)."""

    #: New valid settings read from the file.
    changed = Signal(object)
    #: ``(title, text)``: the file has problems; nothing was applied.
    troubled = Signal(str, str)

    def __init__(self, path: Path, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self._clock = clock
        watcher = QFileSystemWatcher(self)
        watcher.addPath(str(path.parent))
        if path.exists():
            watcher.addPath(str(path))
        watcher.fileChanged.connect(self.check)
        watcher.directoryChanged.connect(self.check)
        self._watcher: QFileSystemWatcher | None = watcher
        #: What is at the path now, as last seen (None: nothing).
        self.last_state = self._read_state()

    def _read_state(self) -> object:
        """What is at the settings path now (None: nothing). Never opens a FIFO or a device,
        so one swapped in while running cannot block the GUI thread."""
        return file_state(self._path)

    def remember_current(self) -> None:
        """NeckCare wrote the file itself: that is no change to follow."""
        self.last_state = self._read_state()

    def stop(self) -> None:
        # A change to the settings file from now on is nobody's business: no late notice.
        # The watcher goes now, not with this object: its inotify instance counts against
        # a per-user limit (128 on Debian), as platform.single_instance's does.
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            import shiboken6

            watcher.blockSignals(True)
            shiboken6.delete(watcher)  # now, not whenever Python collects the app

    def check(self, _path: str = "") -> None:
        """The file or its folder changed: apply a valid new file, report a broken one."""
        path = self._path
        if self._watcher is None:  # stopped
            return
        if path.exists() and str(path) not in self._watcher.files():
            self._watcher.addPath(str(path))  # editors replace files on save
        state = self._read_state()
        if state == self.last_state:
            return
        self.last_state = state
        if state is None:
            logger.warning("settings file %s disappeared; keeping the settings in use", path)
            return
        result = load_settings(path, self._clock.now(), while_running=True)
        if result.problems:
            self.troubled.emit(
                self.tr("Settings file has problems"),
                "\n".join(_first_and_last(list(result.problems), self.tr("…and {n} more.")))
                + "\n"
                + self.tr("NeckCare keeps the settings it was using."),
            )
            return
        logger.info("settings file changed on disk; applying it")
        self.changed.emit(result.settings)
