"""Put NeckCare in the desktop's application menu: a launcher entry plus theme icons.

``pip install`` only installs Python files, so on Linux nothing shows NeckCare in the
applications menu, and notifications and the autostart entry name an icon
(``neckcare-desktop``) that the icon theme does not know. ``neckcare install-desktop-entry``
fixes both for the current user, following the freedesktop specs:

* the shipped ``resources/neckcare-desktop.desktop`` goes to
  ``$XDG_DATA_HOME/applications/``, with every ``Exec`` rewritten from the bare
  ``neckcare`` to the absolute command of *this* installation, because a venv's ``bin``
  folder is not on the PATH the desktop launches programs with;
* the icons under ``resources/icons/hicolor`` go to ``$XDG_DATA_HOME/icons/hicolor/``.

Nothing needs root and everything written is owned by NeckCare, so uninstalling is exact.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from neckcare_desktop.core import atomic_file
from neckcare_desktop.platform.autostart import (
    DESKTOP_FILE_NAME,
    ICON_NAME,
    SCRIPT_NAME,
    program_command,
)
from neckcare_desktop.platform.desktop_file import escape_string, format_exec, split_exec
from neckcare_desktop.resources import resource_path

logger = logging.getLogger(__name__)

#: Fixed-size app icons shipped as PNG (plus ``scalable/apps`` as SVG).
ICON_SIZES: Final = (16, 22, 24, 32, 48, 64, 128, 256)


def default_data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when unset or not absolute (XDG spec)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".local" / "share"


def shipped_desktop_file() -> Path:
    """The launcher entry that ships in the package's resources."""
    return resource_path(DESKTOP_FILE_NAME)


def shipped_icons() -> list[Path]:
    """Relative paths (``48x48/apps/neckcare-desktop.png``...) of the shipped theme icons."""
    root = resource_path("icons", "hicolor")
    icons = [(f"{n}x{n}", "apps", f"{ICON_NAME}.png") for n in ICON_SIZES] + [
        ("scalable", "apps", f"{ICON_NAME}.svg")
    ]
    missing = [Path(*parts) for parts in icons if not (root / Path(*parts)).is_file()]
    if missing:
        raise FileNotFoundError(f"theme icons missing from {root}: {missing}")
    return [Path(*parts) for parts in icons]


def render_entry(template: str, command: Sequence[str]) -> str:
    """Rewrite the shipped entry so every ``Exec`` starts with ``command`` instead of ``neckcare``.

    The actions keep their arguments (``neckcare ice`` becomes ``<command> ice``). A
    ``TryExec`` naming the program is added to the main group so the menu entry disappears,
    instead of failing to start, once that venv or install is deleted.
    """
    if not command:
        raise ValueError("the launch command needs at least the program")
    lines: list[str] = []
    group = ""
    for line in template.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            group = stripped[1:-1]
        elif stripped.startswith("TryExec="):
            continue
        elif stripped.startswith("Exec="):
            args = split_exec(stripped.removeprefix("Exec="))
            if args and args[0] == SCRIPT_NAME:
                args = [*command, *args[1:]]
            line = f"Exec={format_exec(args)}"
            if group == "Desktop Entry":
                lines.append(f"TryExec={escape_string(command[0])}")
        lines.append(line)
    return "\n".join(lines) + "\n"


def install_desktop_entry(
    data_home: Path | None = None, command: Sequence[str] | None = None
) -> list[Path]:
    """Install the launcher entry and the theme icons for the current user.

    ``data_home`` defaults to ``$XDG_DATA_HOME`` and ``command`` to
    :func:`~neckcare_desktop.platform.autostart.program_command`. Running it again simply
    rewrites the same files (e.g. after moving the venv). Returns the written paths, the
    ``.desktop`` file first.
    """
    home = data_home or default_data_home()
    cmd = list(command) if command is not None else program_command()
    template = shipped_desktop_file().read_text(encoding="utf-8")
    entry_path = home / "applications" / DESKTOP_FILE_NAME
    entry_path.parent.mkdir(parents=True, exist_ok=True)
    atomic_file.write_atomically(entry_path, render_entry(template, cmd).encode("utf-8"), 0o644)
    written = [entry_path]

    source_root = resource_path("icons", "hicolor")
    theme_root = home / "icons" / "hicolor"
    for relative in shipped_icons():
        target = theme_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_file.write_atomically(target, (source_root / relative).read_bytes(), 0o644)
        written.append(target)
    # GTK trusts a user-level icon-theme.cache until the theme folder looks newer than it;
    # bumping the folder's mtime makes new icons show up without running a cache tool.
    os.utime(theme_root)
    logger.info("installed desktop entry %s and %d icons", entry_path, len(written) - 1)
    return written


def uninstall_desktop_entry(data_home: Path | None = None) -> list[Path]:
    """Remove what :func:`install_desktop_entry` wrote; returns the paths actually removed.

    Only NeckCare's own files are touched: folders stay, since other apps share them.
    """
    home = data_home or default_data_home()
    candidates = [home / "applications" / DESKTOP_FILE_NAME] + [
        home / "icons" / "hicolor" / relative for relative in shipped_icons()
    ]
    removed: list[Path] = []
    for path in candidates:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    if removed:
        with contextlib.suppress(OSError):
            os.utime(home / "icons" / "hicolor")
        logger.info("removed %d desktop entry files from %s", len(removed), home)
    return removed
