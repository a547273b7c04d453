"""Where NeckCare keeps its files, per platform (through platformdirs).

Linux: ``~/.config/neckcare-desktop/settings.toml`` and ``~/.local/share/neckcare-desktop/``;
macOS: ``~/Library/Application Support/neckcare-desktop/``;
Windows: ``%LOCALAPPDATA%\\neckcare-desktop\\``. The XDG variables are honoured on Linux, which
is how the tests keep the developer's real files out of reach.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from neckcare_desktop import APP_ID


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    log_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        return cls(
            config_dir=platformdirs.user_config_path(APP_ID, appauthor=False),
            data_dir=platformdirs.user_data_path(APP_ID, appauthor=False),
            log_dir=platformdirs.user_log_path(APP_ID, appauthor=False),
        )

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def state_file(self) -> Path:
        """NeckCare's own notes (e.g. "asked about autostart"), not the person's settings."""
        return self.data_dir / "app-state.json"

    @property
    def history_file(self) -> Path:
        return self.data_dir / "history.sqlite3"

    def ensure(self) -> None:
        """Create the folders user-only: history and settings are nobody else's business."""
        for folder in (self.config_dir, self.data_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if os.name == "posix":
                with contextlib.suppress(OSError):  # not ours to change: leave it
                    if folder.stat().st_uid == os.getuid():
                        folder.chmod(0o700)
