"""Where NeckCare keeps its files, per platform (through platformdirs).

Linux: ``~/.config/neckcare-desktop/settings.toml`` and ``~/.local/share/neckcare-desktop/``;
macOS: ``~/Library/Application Support/neckcare-desktop/``;
Windows: ``%LOCALAPPDATA%\\neckcare-desktop\\``. The XDG variables are honoured on Linux, which
is how the tests keep the developer's real files out of reach.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, replace
from pathlib import Path

import platformdirs

from neckcare_desktop import APP_ID

#: A run with compressed time (``NECKCARE_TIME_SCALE`` other than 1) makes breaks and ice
#: rounds by the dozen: they go to this folder of the data folder, never into the person's
#: real history. Its own therapy state and pending journal sit beside it (they follow the
#: history's folder), so a demo's ice round never puts the real skin on a rest either.
DEMO_FOLDER = "demo"
DEMO_HISTORY_NAME = "history-demo.sqlite3"


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    log_dir: Path
    #: Test mode (compressed time): the history is the demo one (see DEMO_FOLDER).
    demo: bool = False

    @classmethod
    def default(cls, *, demo: bool = False) -> AppPaths:
        return cls(
            config_dir=platformdirs.user_config_path(APP_ID, appauthor=False),
            data_dir=platformdirs.user_data_path(APP_ID, appauthor=False),
            log_dir=platformdirs.user_log_path(APP_ID, appauthor=False),
            demo=demo,
        )

    def as_demo(self) -> AppPaths:
        """The same places, with the demo history instead of the person's."""
        return replace(self, demo=True)

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def state_file(self) -> Path:
        """NeckCare's own notes (e.g. "asked about autostart"), not the person's settings."""
        return self.data_dir / "app-state.json"

    @property
    def history_dir(self) -> Path:
        """The history's folder; its therapy state and pending journal live there too."""
        return self.data_dir / DEMO_FOLDER if self.demo else self.data_dir

    @property
    def history_file(self) -> Path:
        return self.history_dir / (DEMO_HISTORY_NAME if self.demo else "history.sqlite3")

    def ensure(self) -> None:
        """Create the folders user-only: history and settings are nobody else's business."""
        for folder in (self.config_dir, self.data_dir, self.history_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if os.name == "posix":
                with contextlib.suppress(OSError):  # not ours to change: leave it
                    if folder.stat().st_uid == os.getuid():
                        folder.chmod(0o700)
