"""Start NeckCare at login: one small API over each desktop's own mechanism.

Reminders only help if they are running, and people forget to start a tray app after a
reboot, so the settings offer "start at login". Every OS keeps that list somewhere else:

* Linux and other freedesktop systems: a ``.desktop`` file in ``$XDG_CONFIG_HOME/autostart``
  (the XDG Autostart spec, honoured by GNOME, KDE, Xfce, LXQt, Cinnamon, MATE...);
* Windows: a value under ``HKCU\\...\\CurrentVersion\\Run``;
* macOS: a per-user launchd agent in ``~/Library/LaunchAgents``.

Each backend only reads and writes that one per-user entry, never anything system-wide and
never anything that needs admin rights. The OS-specific handles (home folder, registry) are
injectable so every backend is tested on any OS.

The Desktop Entry ``Exec`` quoting the autostart file shares with the launcher entry
(:mod:`neckcare_desktop.platform.desktop_entry`) lives in :mod:`.desktop_file`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Protocol

from neckcare_desktop import APP_ID, APP_NAME
from neckcare_desktop.core import atomic_file
from neckcare_desktop.platform.desktop_file import (
    format_exec,
    is_false,
    is_true,
    read_desktop_group,
)

logger = logging.getLogger(__name__)

#: The module run by ``python -m`` when no ``neckcare`` script can be found.
PACKAGE_MODULE: Final = "neckcare_desktop"
#: The console script declared in ``pyproject.toml``.
SCRIPT_NAME: Final = "neckcare"
#: Keeps ``neckcare`` in the foreground (cli: without it, it detaches from the terminal).
FOREGROUND_OPTION: Final = "--foreground"
#: File name shared by the autostart entry and the launcher entry, so desktops that match the
#: two (GNOME's "Startup Applications" does) see one application.
DESKTOP_FILE_NAME: Final = f"{APP_ID}.desktop"
#: Icon theme name; the icons are installed by ``desktop_entry.install_desktop_entry``.
ICON_NAME: Final = APP_ID
COMMENT: Final = "Posture-break reminders and ice/heat timers"


class AutostartBackend(Protocol):
    """Turn "start NeckCare at login" on and off for the current user."""

    def is_enabled(self) -> bool:
        """True if NeckCare will start at the next login."""
        ...

    def enable(self, command: Sequence[str]) -> None:
        """Start ``command`` (program and arguments) at every login from now on."""
        ...

    def disable(self) -> None:
        """Stop starting NeckCare at login; a no-op if it was not enabled."""
        ...

    def describe(self) -> str:
        """Where the entry lives, for the settings dialog and for bug reports."""
        ...


# --- Linux / freedesktop ------------------------------------------------------------------


def _xdg_dir(variable: str, default: Path) -> Path:
    """An XDG base directory: the variable if set to an absolute path, else the default.

    The Base Directory spec says relative values are invalid and must be ignored.
    """
    value = os.environ.get(variable, "")
    return Path(value) if value and os.path.isabs(value) else default


class XdgAutostart:
    """``$XDG_CONFIG_HOME/autostart/neckcare-desktop.desktop`` (XDG Autostart spec).

    ``config_home`` and ``config_dirs`` default to the XDG variables, read on every call so a
    changed environment (as in the tests) is always honoured.
    """

    def __init__(
        self, config_home: Path | None = None, config_dirs: Sequence[Path] | None = None
    ) -> None:
        self._config_home = config_home
        self._config_dirs = None if config_dirs is None else list(config_dirs)

    @property
    def path(self) -> Path:
        home = self._config_home or _xdg_dir("XDG_CONFIG_HOME", Path.home() / ".config")
        return home / "autostart" / DESKTOP_FILE_NAME

    def system_paths(self) -> list[Path]:
        """Same-named entries in ``$XDG_CONFIG_DIRS/autostart`` (e.g. from a distro package).

        A user file with the same name overrides them, which is the only way a user can turn
        a system-wide autostart entry off.
        """
        if self._config_dirs is not None:
            dirs = self._config_dirs
        else:
            raw = os.environ.get("XDG_CONFIG_DIRS", "") or "/etc/xdg"
            dirs = [Path(p) for p in raw.split(os.pathsep) if p and os.path.isabs(p)]
        return [d / "autostart" / DESKTOP_FILE_NAME for d in dirs]

    @staticmethod
    def _entry_enabled(values: Mapping[str, str] | None) -> bool:
        if not values or not values.get("Exec"):
            return False
        if is_true(values.get("Hidden")):
            return False
        return not is_false(values.get("X-GNOME-Autostart-enabled"))

    def _effective_entry(self) -> dict[str, str] | None:
        """The entry the session manager will use: the user's file, else the first system one."""
        for candidate in (self.path, *self.system_paths()):
            if candidate.exists():
                return read_desktop_group(candidate)
        return None

    def is_enabled(self) -> bool:
        return self._entry_enabled(self._effective_entry())

    def render(self, command: Sequence[str]) -> str:
        """The autostart file's text for ``command``."""
        return "\n".join(
            [
                "[Desktop Entry]",
                "Type=Application",
                f"Name={APP_NAME}",
                f"Comment={COMMENT}",
                f"Exec={format_exec(command)}",
                f"Icon={ICON_NAME}",
                "Terminal=false",
                "Categories=Utility;",
                # A tray app maps no window at startup; with startup notification on, the
                # desktop would show a busy cursor for half a minute after every login.
                "StartupNotify=false",
                "X-GNOME-Autostart-enabled=true",
                "",
            ]
        )

    def enable(self, command: Sequence[str]) -> None:
        # Atomically: a session manager that read a half-written entry at login would skip
        # NeckCare without a word.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_file.write_atomically(self.path, self.render(command).encode("utf-8"), 0o644)
        logger.info("autostart enabled: %s", self.path)

    def disable(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
            logger.info("autostart disabled: removed %s", self.path)
        if self.is_enabled():
            # A system-wide entry still starts NeckCare; only a Hidden user copy overrides it.
            text = f"[Desktop Entry]\nType=Application\nName={APP_NAME}\nHidden=true\n"
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_file.write_atomically(self.path, text.encode("utf-8"), 0o644)
            logger.info("autostart disabled: %s hides the system-wide entry", self.path)

    def describe(self) -> str:
        return str(self.path)


# --- Windows ------------------------------------------------------------------------------


class RegistryApi(Protocol):
    """The part of :mod:`winreg` that :class:`WindowsRunKey` uses (a fake in the tests)."""

    HKEY_CURRENT_USER: Any
    KEY_QUERY_VALUE: int
    KEY_SET_VALUE: int
    REG_SZ: int
    REG_EXPAND_SZ: int

    def CreateKeyEx(self, key: Any, sub_key: str, reserved: int, access: int) -> Any: ...

    def OpenKey(self, key: Any, sub_key: str, reserved: int, access: int) -> Any: ...

    def QueryValueEx(self, key: Any, name: str) -> tuple[Any, int]: ...

    def SetValueEx(self, key: Any, name: str, reserved: int, type: int, value: Any) -> None: ...

    def DeleteValue(self, key: Any, name: str) -> None: ...


RUN_KEY: Final = r"Software\Microsoft\Windows\CurrentVersion\Run"
#: Where Task Manager's "Startup apps" page records a user's "Disable" click for a Run value.
STARTUP_APPROVED_KEY: Final = (
    r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
)
RUN_VALUE_NAME: Final = APP_NAME


def windows_command_line(command: Sequence[str]) -> str:
    """One Windows command line for ``command``, program path always in double quotes.

    An unquoted program path with spaces (``C:\\Program Files\\...``) is the classic
    "unquoted service path" hole: Windows would first try to run ``C:\\Program.exe``. The
    arguments follow the MS C runtime rules via :func:`subprocess.list2cmdline`.
    """
    if not command:
        raise ValueError("a command line needs at least the program to run")
    program, *args = command
    if '"' in program:
        raise ValueError(f"a Windows program path cannot contain a double quote: {program!r}")
    line = f'"{program}"'
    if args:
        line += " " + subprocess.list2cmdline(args)
    return line


class WindowsRunKey:
    """``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``, value ``NeckCare``.

    Also respects the Task Manager "Disable" switch: that leaves the Run value in place but
    marks it disabled under ``StartupApproved``, so :meth:`is_enabled` checks both, and
    :meth:`enable` clears the mark (otherwise ticking the box in NeckCare would do nothing).
    """

    def __init__(self, registry: RegistryApi | None = None) -> None:
        if registry is None:
            import winreg  # only exists on Windows; imported late so Linux can import this module

            registry = winreg  # type: ignore[assignment]
        self._reg: RegistryApi = registry  # type: ignore[assignment]

    def _query(self, sub_key: str) -> tuple[Any, int] | None:
        try:
            with self._reg.OpenKey(
                self._reg.HKEY_CURRENT_USER, sub_key, 0, self._reg.KEY_QUERY_VALUE
            ) as key:
                return self._reg.QueryValueEx(key, RUN_VALUE_NAME)
        except FileNotFoundError:
            return None

    def _delete(self, sub_key: str) -> bool:
        try:
            with self._reg.OpenKey(
                self._reg.HKEY_CURRENT_USER, sub_key, 0, self._reg.KEY_SET_VALUE
            ) as key:
                self._reg.DeleteValue(key, RUN_VALUE_NAME)
        except FileNotFoundError:
            return False
        return True

    def is_enabled(self) -> bool:
        found = self._query(RUN_KEY)
        if found is None:
            return False
        value, kind = found
        if kind not in (self._reg.REG_SZ, self._reg.REG_EXPAND_SZ) or not str(value).strip():
            return False
        approved = self._query(STARTUP_APPROVED_KEY)
        if approved is not None:
            data = approved[0]
            # First byte 0x02/0x06 = enabled, 0x03/0x07 = disabled by the user: odd is "off".
            if isinstance(data, bytes | bytearray) and data and data[0] & 1:
                return False
        return True

    def enable(self, command: Sequence[str]) -> None:
        line = windows_command_line(command)
        with self._reg.CreateKeyEx(
            self._reg.HKEY_CURRENT_USER, RUN_KEY, 0, self._reg.KEY_SET_VALUE
        ) as key:
            self._reg.SetValueEx(key, RUN_VALUE_NAME, 0, self._reg.REG_SZ, line)
        self._delete(STARTUP_APPROVED_KEY)
        logger.info("autostart enabled: %s", self.describe())

    def disable(self) -> None:
        if self._delete(RUN_KEY):
            logger.info("autostart disabled: removed %s", self.describe())
        self._delete(STARTUP_APPROVED_KEY)

    def describe(self) -> str:
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{RUN_VALUE_NAME}"


# --- macOS --------------------------------------------------------------------------------

LAUNCH_AGENT_LABEL: Final = "org.neckcare.desktop"


class MacLaunchAgent:
    """``~/Library/LaunchAgents/org.neckcare.desktop.plist``, a per-user launchd agent.

    The agent is only written, not loaded with ``launchctl``: loading it would start a second
    NeckCare right now (``RunAtLoad``), while launchd picks the file up by itself at the next
    login, which is all "start at login" promises.
    """

    def __init__(self, home: Path | None = None) -> None:
        self._home = home

    @property
    def path(self) -> Path:
        home = self._home or Path.home()
        return home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"

    @staticmethod
    def agent(command: Sequence[str]) -> dict[str, Any]:
        """The launchd job description written for ``command``."""
        if not command:
            raise ValueError("a launch agent needs at least the program to run")
        return {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            # Interactive: the user is waiting on this process, so macOS must not throttle it
            # like a background daemon (a reminder that fires late is a reminder missed).
            "ProcessType": "Interactive",
        }

    def is_enabled(self) -> bool:
        try:
            with self.path.open("rb") as handle:
                data = plistlib.load(handle)
        except (OSError, plistlib.InvalidFileException, ValueError) as exc:
            logger.debug("no usable launch agent at %s: %s", self.path, exc)
            return False
        return (
            isinstance(data, dict)
            and data.get("Label") == LAUNCH_AGENT_LABEL
            and bool(data.get("ProgramArguments"))
            and data.get("Disabled") is not True
        )

    def enable(self, command: Sequence[str]) -> None:
        data = plistlib.dumps(self.agent(command), fmt=plistlib.FMT_XML)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_file.write_atomically(self.path, data, 0o644)
        logger.info("autostart enabled: %s", self.path)

    def disable(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
            logger.info("autostart disabled: removed %s", self.path)

    def describe(self) -> str:
        return str(self.path)


# --- choosing a backend and a command -----------------------------------------------------


def default_backend(platform: str = sys.platform) -> AutostartBackend:
    """The backend for ``platform`` (a ``sys.platform`` value).

    Anything that is neither Windows nor macOS gets the XDG backend: the BSDs and other
    Unix desktops follow the same freedesktop autostart spec as Linux.
    """
    if platform.startswith("win"):
        return WindowsRunKey()
    if platform == "darwin":
        return MacLaunchAgent()
    return XdgAutostart()


def _script_candidates(executable: Path, platform: str) -> Iterator[Path]:
    if platform.startswith("win"):
        # venv: Scripts\python.exe next to Scripts\neckcare.exe; full install: python.exe in
        # the root with the scripts one level down in Scripts\.
        yield executable.parent / f"{SCRIPT_NAME}.exe"
        yield executable.parent / "Scripts" / f"{SCRIPT_NAME}.exe"
    else:
        yield executable.parent / SCRIPT_NAME


def launch_command(executable: str | None = None, platform: str = sys.platform) -> list[str]:
    """How to start NeckCare at login: :func:`program_command` plus ``--foreground``.

    In the foreground: a session manager (and a launcher, and launchd, and Windows' Run key)
    starts NeckCare as the process it watches, with no terminal to give back, so the
    command line's detaching would only add a second process start.
    """
    return [*program_command(executable, platform), FOREGROUND_OPTION]


def program_command(executable: str | None = None, platform: str = sys.platform) -> list[str]:
    """This installation's ``neckcare`` as absolute program + arguments (no options).

    The ``neckcare`` script next to the running interpreter is preferred: it is what the user
    installed and it shows up as "neckcare" in process lists. When the ``neckcare`` on the
    PATH is that same script (a package's ``/usr/bin/neckcare`` is a link to the one in
    ``/opt/neckcare-desktop/bin``), its PATH name is used: it is the stable name of the
    installed command. Otherwise the interpreter runs the package with ``-m``. The
    interpreter path is made absolute but deliberately *not* resolved: a venv's ``python``
    is a symlink to the base interpreter, and following it would start NeckCare outside the
    venv, where it is not installed.
    """
    exe_text = sys.executable if executable is None else executable
    if not exe_text:
        # Embedded interpreters may not know their own path; the login PATH is all we have.
        return [SCRIPT_NAME]
    exe = Path(exe_text).absolute()
    for candidate in _script_candidates(exe, platform):
        if candidate.is_file() and (platform.startswith("win") or os.access(candidate, os.X_OK)):
            return [_path_name_of(candidate, platform)]
    return [str(exe), "-m", PACKAGE_MODULE]


def _path_name_of(script: Path, platform: str) -> str:
    """``script`` as the PATH finds it, when the PATH's ``neckcare`` is that very file."""
    if platform.startswith("win"):
        return str(script)
    on_path = shutil.which(SCRIPT_NAME)
    if on_path and os.path.isabs(on_path):
        with contextlib.suppress(OSError):
            if os.path.samefile(on_path, script):
                return on_path
    return str(script)
