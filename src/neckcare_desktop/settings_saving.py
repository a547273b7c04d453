"""Saving what the Settings dialog submitted: the settings file, then starting at login.

The dialog only says what the person chose; this writes it (core's settings file, the
platform's autostart entry) and tells the dialog how it went, so that it can close, or
stay open with the reason and the person's changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from neckcare_desktop.core.settings import Settings
from neckcare_desktop.core.settings_file import save_settings

logger = logging.getLogger(__name__)


class Autostart(Protocol):
    def enable(self, command: Sequence[str]) -> None: ...

    def disable(self) -> None: ...


class SettingsForm(Protocol):
    """What the Settings dialog offers for the answer."""

    def show_saved(self, settings: Settings) -> None: ...

    def show_not_saved(self, path: Path, exc: OSError) -> None: ...

    def show_autostart_not_changed(self, settings: Settings, exc: OSError) -> None: ...


def save_submitted_settings(
    form: SettingsForm,
    settings: Settings,
    autostart_wish: bool | None,
    path: Path,
    autostart: Autostart | None,
    launch_command: Sequence[str],
    *,
    on_saved: Callable[[Settings], None] = lambda _settings: None,
) -> bool:
    """Write ``settings`` (and the autostart wish, None: no wish); True if all of it was
    done. ``on_saved`` gets the settings once the file holds them."""
    try:
        # The person's own Save: the one write allowed over a file with bad content
        # (a copy of it is kept first); a FIFO or huge file is still refused.
        save_settings(settings, path, replace_damaged=True)
    except OSError as exc:
        logger.error("Could not save settings to %s: %s", path, exc)
        form.show_not_saved(path, exc)
        return False
    if autostart is not None and autostart_wish is not None:
        try:
            if autostart_wish:
                autostart.enable(list(launch_command))
            else:
                autostart.disable()
        except OSError as exc:
            on_saved(settings)
            form.show_autostart_not_changed(settings, exc)
            return False
    on_saved(settings)
    form.show_saved(settings)
    return True


def save_setting_change(
    settings: Settings,
    path: Path,
    *,
    on_saved: Callable[[Settings], None] = lambda _settings: None,
) -> OSError | None:
    """Write ``settings`` changed by an answer outside Settings… (the first-use safety
    check); None once the file holds them and ``on_saved`` has them, else the reason.

    Unlike the person's Save in Settings…, this never replaces a settings file with bad
    content: the answer to one question must not overwrite everything else in it.
    """
    try:
        save_settings(settings, path)
    except OSError as exc:
        logger.warning("Could not save settings to %s: %s", path, exc)
        return exc
    on_saved(settings)
    return None
