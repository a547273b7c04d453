"""A real, throw-away X desktop for driving NeckCare end to end (no pytest needed).

``Desktop`` starts Xvfb on a free display (``-displayfd``), a private D-Bus session bus,
trayer (an XEmbed system tray) and dunst (a notification daemon), each with its own
environment under one temp folder. ``NeckCare`` runs the installed ``neckcare`` console
script on that desktop with isolated XDG folders, a settings file written beforehand and a
compressed time scale, and offers what a test or the benchmark needs: readiness, the docked
tray icon, windows by title, keyboard/mouse input, screenshots, the history database and the
command line. Both clean up after themselves and report anything they could not stop.

Polling never sleeps blindly: :func:`wait_until` waits in short, deadline-bounded steps.

    with Desktop(Path("/tmp/rig")) as desktop:
        app = NeckCare(desktop, Path("/tmp/rig/home1"), settings={"therapy": {"ice_minutes": 1}})
        app.start()
        ...
        app.stop()
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

T = TypeVar("T")

APP_ID = "neckcare-desktop"
READY_MARKER = "neckcare ready"
#: WM_CLASS of every NeckCare window, instance and class, however it was started
#: (``launch.app_argv`` and ``launch.identify``).
APP_WM_CLASS = "neckcare-desktop"

#: Program -> Debian package providing it.
REQUIRED_TOOLS: dict[str, str] = {
    "Xvfb": "xvfb",
    "dbus-daemon": "dbus-x11",
    "dbus-send": "dbus-x11",
    "trayer": "trayer",
    "dunst": "dunst",
    "xdotool": "xdotool",
    "xwininfo": "x11-utils",
    "xprop": "x11-utils",
    "import": "imagemagick",
}
APT_HINT = "apt-get install xvfb trayer dunst dbus-x11 xdotool x11-utils imagemagick"
#: Only a desktop with several monitors (``Desktop(heads=2)``) needs this one.
MULTI_HEAD_TOOLS: dict[str, str] = {"xrandr": "x11-xserver-utils"}

SCREEN = "1280x800x24"
TRAYER_ARGS = ("--edge", "top", "--align", "right", "--widthtype", "request", "--height", "32")
XDG_DIRS = {
    "XDG_CONFIG_HOME": "config",
    "XDG_DATA_HOME": "data",
    "XDG_STATE_HOME": "state",
    "XDG_CACHE_HOME": "cache",
    "XDG_RUNTIME_DIR": "runtime",
}


#: ``NeckCare(settings=KEEP_SETTINGS)``: start on the settings file already there.
KEEP_SETTINGS = "\0keep the settings file"


class DesktopError(RuntimeError):
    """The desktop or the app did not do what was expected in time."""


# -- small utilities ---------------------------------------------------------------------


def missing_tools() -> list[str]:
    """Programs the rig needs that are not on PATH."""
    return [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]


def neckcare_executable() -> Path:
    """The ``neckcare`` console script installed next to the running interpreter."""
    return Path(sys.executable).parent / "neckcare"


@functools.cache
def cli_commands(executable: Path | None = None) -> frozenset[str]:
    """Sub-commands ``neckcare --help`` lists; empty for a build without the command line."""
    result = subprocess.run(
        [str(executable or neckcare_executable()), "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
        stdin=subprocess.DEVNULL,
    )
    words = set(re.findall(r"[a-z]+", result.stdout))
    known = {"ice", "heat", "stop", "break", "pause", "resume", "status", "history", "quit"}
    return frozenset(known & words) if {"status", "quit"} <= words else frozenset()


def pause(seconds: float) -> None:
    """Block for a short while without ``time.sleep`` (the project bans it in tests)."""
    threading.Event().wait(seconds)


def wait_until(
    predicate: Callable[[], T],
    timeout: float,
    what: str,
    *,
    interval: float = 0.05,
    details: Callable[[], str] | None = None,
) -> T:
    """Return the first truthy value of ``predicate()``, polling until ``timeout`` seconds.

    Raises DesktopError naming ``what`` (plus ``details()``, e.g. a log tail) on timeout.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            extra = ""
            if details is not None:
                try:
                    extra = "\n" + details()
                except Exception as exc:  # diagnostics must not hide the real error
                    extra = f"\n(could not collect details: {exc})"
            raise DesktopError(f"timed out after {timeout:g} s waiting for {what}{extra}")
        pause(interval)


def _read_line(fd: int, timeout: float, what: str) -> str:
    """Read one line from a pipe, giving up after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    data = b""
    while b"\n" not in data:
        left = deadline - time.monotonic()
        if left <= 0:
            raise DesktopError(f"timed out after {timeout:g} s waiting for {what}")
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, 4096)
        if not chunk:
            raise DesktopError(f"{what}: the program closed its output without answering")
        data += chunk
    return data.split(b"\n", 1)[0].decode().strip()


def _proc_state(pid: int) -> str | None:
    """One-letter process state from /proc, or None if the process is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def _proc_name(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").strip()
        return cmd.decode(errors="replace") or Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def processes_mentioning(marker: str | Path) -> list[tuple[int, str]]:
    """Live processes (not zombies, not us) whose environment mentions ``marker``.

    Everything the rig starts gets ``HOME``/``XDG_*`` under its temp folder, so this finds
    strays of any kind: a second app instance, a D-Bus-activated service, a forked helper.
    """
    needle = str(marker).encode()
    found: list[tuple[int, str]] = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        if pid == os.getpid():
            continue
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if needle in environ and _proc_state(pid) not in (None, "Z", "X"):
            found.append((pid, _proc_name(pid)))
    return found


def kill_pids(pids: Iterable[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def isolated_env_dirs(home: Path, runtime_dir: Path | None = None) -> dict[str, str]:
    """Create HOME, XDG_* (all 0700) and TMPDIR under ``home``; return the variables.

    ``runtime_dir`` puts XDG_RUNTIME_DIR elsewhere: sockets live there, and a Unix socket
    path must fit in 108 bytes, which deep pytest temp folders do not guarantee.
    """
    home.mkdir(parents=True, exist_ok=True)
    env = {"HOME": str(home)}
    for var, sub in XDG_DIRS.items():
        path = runtime_dir if var == "XDG_RUNTIME_DIR" and runtime_dir else home / sub
        path.mkdir(mode=0o700, exist_ok=True)
        path.chmod(0o700)
        env[var] = str(path)
    tmp = home / "tmp"
    tmp.mkdir(mode=0o700, exist_ok=True)
    env["TMPDIR"] = str(tmp)  # e.g. QLocalServer sockets land here, not in the shared /tmp
    return env


# -- X window tree -------------------------------------------------------------------------

_TREE_LINE = re.compile(
    r"^(?P<indent>\s*)(?P<wid>0x[0-9a-fA-F]+) (?:\"(?P<name>.*)\"|\(has no name\)): "
    r"\((?P<cls>[^)]*)\)\s+(?P<w>\d+)x(?P<h>\d+)\+-?\d+\+-?\d+\s+\+(?P<x>-?\d+)\+(?P<y>-?\d+)"
)


@dataclass(frozen=True)
class Window:
    """One X window from ``xwininfo -root -tree``; x/y are absolute (root) coordinates."""

    wid: int
    name: str | None
    wm_class: tuple[str, ...]
    x: int
    y: int
    width: int
    height: int
    depth: int
    parent: int | None

    @property
    def center(self) -> tuple[int, int]:
        return self.x + self.width // 2, self.y + self.height // 2


def parse_tree(text: str) -> list[Window]:
    """Parse ``xwininfo -root -tree`` output into windows with their parent ids."""
    windows: list[Window] = []
    stack: list[tuple[int, int]] = []  # (indent, wid)
    for line in text.splitlines():
        m = _TREE_LINE.match(line)
        if not m:
            continue
        indent = len(m["indent"])
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1] if stack else None
        wid = int(m["wid"], 16)
        windows.append(
            Window(
                wid=wid,
                name=m["name"],
                wm_class=tuple(re.findall(r'"([^"]*)"', m["cls"])),
                x=int(m["x"]),
                y=int(m["y"]),
                width=int(m["w"]),
                height=int(m["h"]),
                depth=len(stack),
                parent=parent,
            )
        )
        stack.append((indent, wid))
    return windows


# -- the desktop -----------------------------------------------------------------------------


class RigProcesses:
    """What both end-to-end desktops (this X11 one and ``gnome_desktop.GnomeDesktop``) do
    with the programs they started: which died, their logs' tails, a plain environment."""

    #: Raised by :meth:`check_alive`, naming the programs as ``what``.
    error: type[Exception] = RuntimeError
    what = "desktop program(s)"
    log_dir: Path
    _procs: list[tuple[str, subprocess.Popen[bytes]]]
    _home_env: dict[str, str]

    def dead_processes(self) -> list[str]:
        """Names of rig programs that have exited on their own (the desktop is broken)."""
        return [
            f"{name} (exit {proc.returncode})"
            for name, proc in self._procs
            if proc.poll() is not None
        ]

    def check_alive(self) -> None:
        dead = self.dead_processes()
        if dead:
            raise self.error(f"{self.what} died: " + ", ".join(dead) + "\n" + self.logs())

    def logs(self, lines: int = 15) -> str:
        out = []
        for path in sorted(self.log_dir.glob("*.log")):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            if tail:
                out.append(f"--- {path.name}\n" + "\n".join(tail))
        return "\n".join(out)

    def _plain_env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            **self._home_env,
        }


class Desktop(RigProcesses):
    """Xvfb + D-Bus session bus + trayer + dunst, all owned by this object.

    ``heads=2`` gives two monitors of size ``screen`` side by side. Xvfb cannot place its
    ``-screen``s (with ``+xinerama`` they all sit at 0,0, overlapping), so one wide screen
    is split into RandR 1.5 monitors, which the server also reports through Xinerama and
    which Qt, window managers and trayer take for real monitors.
    """

    error = DesktopError
    what = "desktop program(s)"

    def __init__(
        self,
        base_dir: Path,
        *,
        screen: str = SCREEN,
        start_timeout: float = 20,
        heads: int = 1,
    ) -> None:
        self.base_dir = Path(base_dir)
        self.screen = screen
        self.heads = heads
        self.start_timeout = start_timeout
        self.display: str | None = None
        self.bus_address: str | None = None
        self.log_dir = self.base_dir / "logs"
        self._procs: list[tuple[str, subprocess.Popen[bytes]]] = []
        self._home_env: dict[str, str] = {}

    # life cycle

    def __enter__(self) -> Desktop:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        leftovers = self.stop()
        if leftovers and exc[0] is None:
            raise DesktopError("still running after teardown: " + ", ".join(leftovers))

    def start(self) -> Desktop:
        missing = missing_tools()
        hint = APT_HINT
        if self.heads > 1:
            missing += [tool for tool in MULTI_HEAD_TOOLS if shutil.which(tool) is None]
            hint += " " + " ".join(MULTI_HEAD_TOOLS.values())
        if missing:
            raise DesktopError(f"missing {', '.join(missing)}; {hint}")
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(exist_ok=True)
        self._home_env = isolated_env_dirs(self.base_dir / "home")
        try:
            self._start_xvfb()
            # Don't trust the display number alone: wait until clients can really connect.
            wait_until(
                self._x_answers,
                self.start_timeout,
                "the X server to accept clients",
                details=self.logs,
            )
            if self.heads > 1:
                self._split_into_heads()
            self._start_dbus()
            self._spawn("trayer", ["trayer", *TRAYER_ARGS])
            self._spawn("dunst", ["dunst"])
            wait_until(
                self.tray_panel, self.start_timeout, "trayer's panel window", details=self.logs
            )
            wait_until(
                self._notifications_owned,
                self.start_timeout,
                "dunst to own org.freedesktop.Notifications",
                interval=0.1,
                details=self.logs,
            )
        except BaseException:
            self.stop()
            raise
        return self

    def _x_answers(self) -> bool:
        result = subprocess.run(
            ["xdpyinfo", "-display", self.display],
            env=self._plain_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=10,
        )
        return result.returncode == 0

    def head_geometries(self) -> list[tuple[int, int, int, int]]:
        """x, y, width, height of each monitor, left to right."""
        width, height = (int(v) for v in self.screen.split("x")[:2])
        return [(i * width, 0, width, height) for i in range(self.heads)]

    def _split_into_heads(self) -> None:
        query = self.run("xrandr", "--query").stdout
        connected = re.search(r"^(\S+) connected", query, re.MULTILINE)
        for index, (x, y, width, height) in enumerate(self.head_geometries()):
            # The first monitor takes over Xvfb's only output, so its whole-screen monitor
            # goes away; the others have no output ("none").
            output = connected[1] if connected and index == 0 else "none"
            mm_w, mm_h = round(width * 25.4 / 96), round(height * 25.4 / 96)
            geometry = f"{width}/{mm_w}x{height}/{mm_h}+{x}+{y}"
            self.run("xrandr", "--setmonitor", f"head{index}", geometry, output)

        def split() -> bool:
            listed = self.run("xrandr", "--listmonitors", check=False).stdout
            return listed.startswith(f"Monitors: {self.heads}")

        wait_until(split, self.start_timeout, f"{self.heads} RandR monitors", details=self.logs)

    def _start_xvfb(self) -> None:
        read_fd, write_fd = os.pipe()
        try:
            self._spawn(
                "Xvfb",
                self._xvfb_command(write_fd),
                pass_fds=(write_fd,),
                with_display=False,
            )
            os.close(write_fd)
            write_fd = -1
            number = _read_line(read_fd, self.start_timeout, "Xvfb to pick a display")
        finally:
            if write_fd != -1:
                os.close(write_fd)
            os.close(read_fd)
        if not number.isdigit():
            raise DesktopError(f"Xvfb answered {number!r} instead of a display number")
        self.display = f":{number}"

    def _xvfb_command(self, write_fd: int, display: str | None = None) -> list[str]:
        """Xvfb writing its display number to ``write_fd`` once it takes connections."""
        return [
            "Xvfb",
            *([display] if display else []),
            "-displayfd",
            str(write_fd),
            "-screen",
            "0",
            self._xvfb_screen(),
            "-nolisten",
            "tcp",
            # Without -noreset the server resets each time its last client leaves: it
            # forgets the monitors, and a client connecting meanwhile (trayer, right after
            # the check that X answers) is refused.
            "-noreset",
        ]

    def _xvfb_screen(self) -> str:
        """The one Xvfb screen: all heads side by side."""
        width, height, depth = self.screen.split("x")
        return f"{int(width) * self.heads}x{height}x{depth}"

    def _start_dbus(self) -> None:
        socket = self.base_dir / "bus"
        proc = self._spawn(
            "dbus-daemon",
            [
                "dbus-daemon",
                "--session",
                "--nofork",
                "--nopidfile",
                f"--address=unix:path={socket}",
                "--print-address=1",
            ],
            stdout=subprocess.PIPE,
        )
        assert proc.stdout is not None
        self.bus_address = _read_line(
            proc.stdout.fileno(), self.start_timeout, "dbus-daemon's address"
        )
        proc.stdout.close()

    def _spawn(
        self,
        name: str,
        argv: Sequence[str],
        *,
        with_display: bool = True,
        stdout: int | None = None,
        pass_fds: Sequence[int] = (),
    ) -> subprocess.Popen[bytes]:
        with open(self.log_dir / f"{name}.log", "wb") as log:  # the child keeps its copy
            proc = subprocess.Popen(
                list(argv),
                env=self.env() if with_display else self._plain_env(),
                stdin=subprocess.DEVNULL,
                stdout=log if stdout is None else stdout,
                stderr=log,
                pass_fds=tuple(pass_fds),
                start_new_session=True,  # its own process group: activated services go too
                cwd=self.base_dir,
            )
        self._procs.append((name, proc))
        return proc

    def stop(self) -> list[str]:
        """Stop everything started here (last started first); return what is still alive."""
        for name, proc in reversed(self._procs):
            if proc.poll() is None:
                _terminate(proc, group=name == "dbus-daemon")
        leftovers = [
            f"{name} (pid {proc.pid})" for name, proc in self._procs if proc.poll() is None
        ]
        for name, proc in self._procs:
            if name == "dbus-daemon":
                for pid, cmd in _group_members(proc.pid):
                    leftovers.append(f"{cmd} (pid {pid}, started by dbus-daemon)")
                    kill_pids([pid])
        for pid, cmd in processes_mentioning(self.base_dir):
            leftovers.append(f"{cmd} (pid {pid})")
            kill_pids([pid])
        return sorted(set(leftovers))

    # environments

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """An explicit environment for X clients on this desktop (never QT_QPA_PLATFORM)."""
        env = self._plain_env()
        if self.display:
            env["DISPLAY"] = self.display
        if self.bus_address:
            env["DBUS_SESSION_BUS_ADDRESS"] = self.bus_address
        if extra:
            env.update(extra)
        return env

    # X queries and input

    def run(
        self,
        *argv: str,
        timeout: float = 10,
        check: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run a short X client (xdotool, xwininfo, ...) on this desktop."""
        result = subprocess.run(
            list(argv),
            env=dict(env) if env is not None else self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        if check and result.returncode != 0:
            raise DesktopError(
                f"{' '.join(argv)} failed with exit {result.returncode}: {result.stderr.strip()}"
            )
        return result

    def _notifications_owned(self) -> bool:
        result = self.run(
            "dbus-send",
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.Notifications",
            check=False,
        )
        return "boolean true" in result.stdout

    def tree(self) -> list[Window]:
        return parse_tree(self.run("xwininfo", "-root", "-tree").stdout)

    def tray_panel(self) -> Window | None:
        """trayer's top-level ``panel`` window, once it is there."""
        for window in self.tree():
            if window.name == "panel" and window.wm_class[-1:] == ("trayer",):
                return window
        return None

    def tray_icons(self, wm_class: str | None = None) -> list[Window]:
        """Client windows docked in trayer's panel (optionally only one app's, by WM_CLASS)."""
        windows = self.tree()
        panel = next(
            (w for w in windows if w.name == "panel" and w.wm_class[-1:] == ("trayer",)), None
        )
        if panel is None:
            return []
        by_id = {w.wid: w for w in windows}

        def inside_panel(window: Window) -> bool:
            parent = window.parent
            while parent is not None:
                if parent == panel.wid:
                    return True
                parent = by_id[parent].parent if parent in by_id else None
            return False

        return [
            w
            for w in windows
            if w.wm_class and inside_panel(w) and (wm_class is None or wm_class in w.wm_class)
        ]

    def map_state(self, wid: int) -> str | None:
        """``IsViewable``, ``IsUnMapped`` or ``IsUnviewable``; None if the window is gone."""
        result = self.run("xwininfo", "-id", hex(wid), check=False)
        m = re.search(r"Map State:\s*(\w+)", result.stdout)
        return m[1] if m else None

    def visible_windows(self, name: str | None = None, *, pid: int | None = None) -> list[int]:
        """Visible window ids, by title (an extended regex, substring match) and/or pid."""
        argv = ["xdotool", "search", "--all", "--onlyvisible"]  # --all: pid AND name
        if pid is not None:
            argv += ["--pid", str(pid)]
        if name is not None:
            argv += ["--name", name]
        elif pid is None:
            argv += ["--name", ""]
        result = self.run(*argv, check=False)
        return [int(line) for line in result.stdout.split()]

    def wait_for_window(self, name: str, timeout: float = 10, *, pid: int | None = None) -> int:
        """The id of the first visible window whose title matches ``name``."""

        def found() -> int | None:
            self.check_alive()
            ids = self.visible_windows(name, pid=pid)
            return ids[0] if ids else None

        return wait_until(found, timeout, f"a visible window titled {name!r}")

    def wait_window_gone(self, wid: int, timeout: float = 10) -> None:
        wait_until(
            lambda: self.map_state(wid) != "IsViewable", timeout, f"window {wid:#x} to close"
        )

    def window_name(self, wid: int) -> str:
        return self.run("xdotool", "getwindowname", str(wid)).stdout.rstrip("\n")

    def window_geometry(self, wid: int) -> tuple[int, int, int, int]:
        """x, y, width, height of a window on the screen."""
        out = self.run("xdotool", "getwindowgeometry", "--shell", str(wid)).stdout
        values = dict(line.split("=", 1) for line in out.split() if "=" in line)
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])

    def window_types(self, wid: int) -> list[str]:
        out = self.run("xprop", "-id", hex(wid), "_NET_WM_WINDOW_TYPE", check=False).stdout
        return re.findall(r"_NET_WM_WINDOW_TYPE_\w+", out)

    def click(self, x: int, y: int, button: int = 1) -> None:
        self.run("xdotool", "mousemove", str(x), str(y), "click", str(button))

    def key(self, *keys: str) -> None:
        """Type keys into whatever has the keyboard (a popup menu grabs it)."""
        self.run("xdotool", "key", "--delay", "30", *keys)

    def focus(self, wid: int) -> None:
        """Give a window the keyboard focus (there is no window manager to do it)."""
        self.run("xdotool", "windowfocus", "--sync", str(wid))

    def press_button(self, wid: int, tab_stops: int) -> None:
        """Focus a window, Tab ``tab_stops`` times from its first control, press Space."""
        self.focus(wid)
        self.key(*(["Tab"] * tab_stops), "space")

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.run("import", "-window", "root", str(path), timeout=30)
        return path

    # the tray host comes and goes (a panel restart, a panel started late)

    def stop_tray(self, timeout: float = 10) -> None:
        """Stop trayer as a panel restart would; the desktop is not "broken" by it."""
        for name, proc in self._procs:
            if name == "trayer" and proc.poll() is None:
                _terminate(proc)
        self._procs = [(n, p) for n, p in self._procs if n != "trayer" or p.poll() is None]
        wait_until(
            lambda: self.settled(self.tray_panel, default=self) is None,
            timeout,
            "trayer's panel to go",
        )

    def start_tray(self, timeout: float | None = None) -> None:
        """Start trayer (again); waits for its panel window."""
        if self.has_tray_process():
            raise DesktopError("trayer is already running")
        self._spawn("trayer", ["trayer", *TRAYER_ARGS])
        wait_until(
            lambda: self.settled(self.tray_panel),
            timeout or self.start_timeout,
            "trayer's panel window",
            details=self.logs,
        )

    @staticmethod
    def settled(query: Callable[[], T], default: Any = None) -> Any:
        """``query()``, or ``default`` while windows vanish under ``xwininfo -tree``.

        Walking the window tree while a program's windows are being destroyed (trayer
        stopping) fails with BadWindow; a poller should simply look again.
        """
        try:
            return query()
        except DesktopError as exc:
            if "xwininfo" not in str(exc):
                raise
            return default

    def has_tray_process(self) -> bool:
        return any(n == "trayer" and p.poll() is None for n, p in self._procs)

    # the notification daemon

    def dunst_history(self, *, close_shown: bool = True) -> list[dict[str, Any]]:
        """dunst's notification history, newest first, as plain ``{field: value}`` dicts.

        dunst keeps a notification in its history only once it is closed, so by default
        everything on screen is closed first (``dunstctl close-all``). Fields (dunst 1.9):
        appname, summary, body, icon_path, id, timeout (0 for critical ones, by default),
        default_action_name, category, timestamp, message, progress. No urgency: use
        :class:`NotificationMonitor` for that.
        """
        if close_shown:
            self.run("dunstctl", "close-all")
        out = self.run("dunstctl", "history").stdout
        data = json.loads(out)["data"]
        rows = data[0] if data else []
        return [{key: field["data"] for key, field in row.items()} for row in rows]

    def notification_monitor(self) -> NotificationMonitor:
        """Watch every ``Notify`` call on this desktop's session bus (a context manager)."""
        return NotificationMonitor(self)


def _terminate(proc: subprocess.Popen[bytes], *, group: bool = False, grace: float = 5) -> None:
    def send(sig: int) -> None:
        try:
            if group:
                os.killpg(proc.pid, sig)
            else:
                proc.send_signal(sig)
        except (ProcessLookupError, PermissionError):
            pass

    send(signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        send(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
    if group:  # anything dbus-daemon activated shares its process group
        send(signal.SIGKILL)


def _group_members(pgid: int) -> list[tuple[int, str]]:
    members = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            members.append((pid, _proc_name(pid)))
    return members


# -- the app -----------------------------------------------------------------------------


class NeckCare:
    """One ``neckcare`` process on a Desktop, with its own settings, history and logs."""

    def __init__(
        self,
        desktop: Desktop,
        home: Path,
        *,
        settings: Mapping[str, Any] | str | None = None,
        time_scale: float | None = 60,
        executable: Path | None = None,
        args: Sequence[str] = ("--debug",),
        extra_env: Mapping[str, str] | None = None,
        command: Sequence[str] | None = None,
    ) -> None:
        self.desktop = desktop
        self.home = Path(home)
        self.settings = settings
        self.time_scale = time_scale
        self.executable = Path(executable) if executable else neckcare_executable()
        self.args = tuple(args)
        # The whole command line, when a test starts the app as something else would (a
        # launcher's Exec line); the program is looked up on ``env``'s PATH.
        self.command = tuple(command) if command is not None else None
        self.proc: subprocess.Popen[bytes] | None = None
        self.stderr_path = self.home / "neckcare-stderr.log"
        # A short private runtime folder, for the command socket (removed by stop()).
        self.runtime_dir = Path(tempfile.mkdtemp(prefix="nc-run-"))
        dirs = isolated_env_dirs(self.home, self.runtime_dir)
        extra = dict(extra_env or {})
        if time_scale is not None:
            extra["NECKCARE_TIME_SCALE"] = f"{time_scale:g}"
        self._extra_env = {**dirs, **extra}
        self.config_dir = Path(dirs["XDG_CONFIG_HOME"]) / APP_ID
        self.data_dir = Path(dirs["XDG_DATA_HOME"]) / APP_ID
        self.settings_file = self.config_dir / "settings.toml"
        # Compressed time is test mode: the app keeps a separate demo history (paths.py).
        demo = time_scale is not None and time_scale != 1
        self.history_file = (
            self.data_dir / "demo" / "history-demo.sqlite3"
            if demo
            else self.data_dir / "history.sqlite3"
        )
        self.log_file = self._platform_log_dir(dirs) / "neckcare.log"

    @staticmethod
    def _platform_log_dir(dirs: Mapping[str, str]) -> Path:
        """Ask platformdirs, under the app's environment, where the app will log."""
        import platformdirs

        with mock.patch.dict(os.environ, dirs):
            return Path(platformdirs.user_log_path(APP_ID, appauthor=False))

    @property
    def env(self) -> dict[str, str]:
        env = self.desktop.env(self._extra_env)
        env["PATH"] = f"{self.executable.parent}{os.pathsep}{env['PATH']}"
        return env

    @property
    def argv(self) -> list[str]:
        """What :meth:`launch` runs: ``neckcare --foreground ARGS`` (without --foreground,
        ``neckcare`` would start the app in the background and end)."""
        if self.command is not None:
            return list(self.command)
        return [str(self.executable), "--foreground", *self.args]

    @property
    def pid(self) -> int:
        if self.proc is None:
            raise DesktopError("NeckCare was not started")
        return self.proc.pid

    # life cycle

    def write_settings(self) -> None:
        """Write the test's settings; the first-run autostart question and the first-use
        ice/heat safety questions are answered already unless the test says otherwise, so
        they do not cover what a test looks at."""
        self.config_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if isinstance(self.settings, str):
            text = self.settings
        else:
            import tomli_w

            settings = {
                k: dict(v) if isinstance(v, Mapping) else v
                for k, v in dict(self.settings or {}).items()
            }
            settings.setdefault("app", {}).setdefault("autostart_asked", True)
            settings.setdefault("therapy", {}).setdefault("safety_asked", True)
            text = tomli_w.dumps(settings)
        self.settings_file.write_text(text, encoding="utf-8")

    def start(self, timeout: float = 30) -> NeckCare:
        """Launch and wait until it logged ``neckcare ready`` and its tray icon is docked."""
        self.launch()
        self.wait_ready(timeout)
        return self

    def _ready_line(self) -> str | None:
        if self.proc is not None and self.proc.poll() is not None:
            raise DesktopError(
                f"neckcare exited with {self.proc.returncode} before it was ready\n" + self.logs()
            )
        try:
            text = self.log_file.read_text(errors="replace")
        except FileNotFoundError:
            return None
        return next((line for line in text.splitlines() if READY_MARKER in line), None)

    def wait_ready(self, timeout: float = 30) -> Window:
        line = wait_until(
            self._ready_line, timeout, f"{READY_MARKER!r} in {self.log_file}", details=self.logs
        )
        if "tray=True" not in line:
            raise DesktopError(f"NeckCare found no system tray: {line}\n{self.desktop.logs()}")
        return wait_until(
            self.docked_icon, timeout, "the NeckCare icon to dock in the tray", details=self.logs
        )

    def docked_icon(self) -> Window | None:
        """This app's icon in the tray panel if it is docked, mapped and of a sane size."""
        for icon in self.desktop.tray_icons(APP_WM_CLASS):
            if (
                8 <= icon.width <= 64
                and 8 <= icon.height <= 64
                and (self.desktop.map_state(icon.wid) == "IsViewable")
            ):
                return icon
        return None

    def is_running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_exit(self, timeout: float = 15) -> int:
        assert self.proc is not None
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise DesktopError(
                f"neckcare still running {timeout:g} s later\n{self.logs()}"
            ) from None

    def stop(self) -> list[str]:
        """Stop the app (SIGTERM, then SIGKILL) and any stray process using its folders.

        Returns descriptions of what had to be killed besides the app itself: anything
        here is a leak the caller should report.
        """
        if self.proc is not None and self.proc.poll() is None:
            _terminate(self.proc)
        strays = sorted(
            set(processes_mentioning(self.home)) | set(processes_mentioning(self.runtime_dir))
        )
        kill_pids(pid for pid, _ in strays)
        leftovers = [f"{cmd} (pid {pid})" for pid, cmd in strays]
        if self.proc is not None and self.proc.poll() is None:
            leftovers.append(f"neckcare (pid {self.proc.pid})")
        shutil.rmtree(self.runtime_dir, ignore_errors=True)
        return leftovers

    def logs(self, lines: int = 30) -> str:
        out = []
        for path in (self.stderr_path, self.log_file):
            try:
                tail = path.read_text(errors="replace").splitlines()[-lines:]
            except FileNotFoundError:
                continue
            out.append(f"--- {path}\n" + "\n".join(tail))
        return "\n".join(out)

    # command line

    def cli(self, *args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
        """Run ``neckcare ARGS`` against this instance (same environment)."""
        return subprocess.run(
            [str(self.executable), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            cwd=self.home,
        )

    def status(self) -> dict[str, Any]:
        result = self.cli("status", "--json")
        if result.returncode != 0:
            raise DesktopError(
                f"neckcare status --json exited {result.returncode}: "
                f"{result.stdout.strip()} {result.stderr.strip()}"
            )
        return json.loads(result.stdout)

    # history

    def connect_history(self) -> sqlite3.Connection:
        """A read-only connection to the history database."""
        return sqlite3.connect(f"file:{self.history_file}?mode=ro", uri=True, timeout=5)

    def events(self, kind: str | None = None, subject: str | None = None) -> list[dict[str, Any]]:
        """History rows (oldest first) as dicts; [] until the app has created its tables."""
        if not self.history_file.exists():
            return []
        sql = "SELECT * FROM events"
        where, params = [], []
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        if subject is not None:
            where.append("subject = ?")
            params.append(subject)
        if where:
            sql += " WHERE " + " AND ".join(where)
        conn = self.connect_history()
        try:
            conn.row_factory = sqlite3.Row
            try:
                return [dict(row) for row in conn.execute(sql + " ORDER BY id", params)]
            except sqlite3.OperationalError as exc:
                # The app creates the file a moment before its tables (a fast start can be
                # caught in between); any other error is real.
                if "no such table" not in str(exc):
                    raise
                return []
        finally:
            conn.close()

    def wait_for_event(
        self, kind: str, subject: str | None = None, *, count: int = 1, timeout: float = 10
    ) -> list[dict[str, Any]]:
        """Wait until at least ``count`` rows of ``kind`` (and ``subject``) are recorded."""

        def found() -> list[dict[str, Any]] | None:
            rows = self.events(kind, subject)
            return rows if len(rows) >= count else None

        return wait_until(
            found, timeout, f"{count} {kind!r} row(s) for {subject!r} in history", details=self.logs
        )

    def integrity_check(self) -> str:
        conn = self.connect_history()
        try:
            return conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()

    # the tray

    def open_tray_menu(self, timeout: float = 10) -> int:
        """Right-click the docked icon; return the menu popup's window id."""
        icon = self.docked_icon()
        if icon is None:
            raise DesktopError("the NeckCare icon is not docked")
        before = set(self.desktop.visible_windows(pid=self.pid))
        self.desktop.click(*icon.center, button=3)

        def popup() -> int | None:
            for wid in self.desktop.visible_windows(pid=self.pid):
                if wid not in before and "_NET_WM_WINDOW_TYPE_POPUP_MENU" in (
                    self.desktop.window_types(wid)
                ):
                    return wid
            return None

        # A right-click that lands while a window of the app is still closing (a dialog
        # just saved) can be lost: seen in 1 of 10 runs of test_window_fit_e2e before the
        # restructure, 5 of 10 after, never with a 1-s pause. A person clicks again; so does
        # the test, once, after 2 s (the menu must still open within the timeout).
        deadline = time.monotonic() + min(2.0, timeout)
        while time.monotonic() < deadline:
            menu = popup()
            if menu is not None:
                return menu
            pause(0.05)
        self.desktop.click(*icon.center, button=3)
        return wait_until(popup, timeout - 2.0, "the tray menu to open", details=self.logs)

    def status_windows(self) -> list[int]:
        """Visible top-level windows of this app titled exactly "NeckCare" (not menus/icons)."""
        icons = {w.wid for w in self.desktop.tray_icons()}
        found = []
        for wid in self.desktop.visible_windows("^NeckCare$", pid=self.pid):
            types = self.desktop.window_types(wid)
            if (
                wid not in icons
                and "_NET_WM_WINDOW_TYPE_POPUP_MENU" not in types
                and ("_NET_WM_WINDOW_TYPE_NORMAL" in types or not types)
            ):
                found.append(wid)
        return found

    # started on a desktop without a tray host

    def launch(self) -> NeckCare:
        """Start the process without waiting for anything.

        ``settings=KEEP_SETTINGS`` leaves the settings file as it is (an app started again on
        the folders of an earlier one)."""
        self.desktop.check_alive()
        if self.settings is not KEEP_SETTINGS:
            self.write_settings()
        with open(self.stderr_path, "ab") as err:
            self.proc = subprocess.Popen(
                self.argv,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=err,
                stderr=err,
                cwd=self.home,
            )
        return self

    def start_without_tray(self, timeout: float = 30) -> NeckCare:
        """Launch with no tray host; wait until it says so and its fallback window shows."""
        self.launch()
        line = wait_until(
            self._ready_line, timeout, f"{READY_MARKER!r} in {self.log_file}", details=self.logs
        )
        if "tray=False" not in line:
            raise DesktopError(f"NeckCare expected no system tray but found one: {line}")
        wait_until(
            lambda: Desktop.settled(self.status_windows),
            timeout,
            "the fallback window",
            details=self.logs,
        )
        return self


# -- added: starting without a tray, and what reaches the notification server -------------


@dataclass
class SeenNotification:
    """One ``Notify`` call as ``dbus-monitor`` printed it."""

    types: list[str]  # the D-Bus type of each of the 8 top-level arguments
    app_name: str
    app_icon: str
    summary: str
    body: str
    actions: list[str]
    hints: dict[str, tuple[str, str]]  # key -> (type inside the variant, value as printed)

    @property
    def urgency(self) -> int | None:
        hint = self.hints.get("urgency")
        return int(hint[1]) if hint and hint[0] == "byte" else None


_TOP = re.compile(r"^   (string|uint32|int32|array|byte|boolean|int64|double|variant)\b(.*)$")
_STRING = re.compile(r'^\s*string "(.*)"\s*$')
_HINT = re.compile(r'string "([^"]*)"\s*\n\s*variant\s+(\w+) "?(.*?)"?\s*\n', re.MULTILINE)


def parse_notify_calls(text: str) -> list[SeenNotification]:
    """``Notify`` calls in ``dbus-monitor`` output (strings without newlines in them)."""
    found: list[SeenNotification] = []
    for block in re.split(r"^(?=method call |signal |method return |error )", text, flags=re.M):
        if not block.startswith("method call ") or "member=Notify" not in block.split("\n")[0]:
            continue
        lines = block.split("\n")[1:]
        top = [(i, m) for i, line in enumerate(lines) if (m := _TOP.match(line))]
        types = [m[1] for _, m in top]
        strings = [_STRING.match(lines[i]) for i, _ in top]

        def text_at(n: int, strings: list[Any] = strings) -> str:
            match = strings[n] if n < len(strings) else None
            return match[1] if match else ""

        actions: list[str] = []
        hints: dict[str, tuple[str, str]] = {}
        if len(top) >= 7:
            start, end = top[5][0], top[6][0]
            actions = [m[1] for line in lines[start + 1 : end] if (m := _STRING.match(line))]
            hint_text = "\n".join(lines[end : top[7][0] if len(top) > 7 else len(lines)]) + "\n"
            hints = {m[1]: (m[2], m[3]) for m in _HINT.finditer(hint_text)}
        found.append(
            SeenNotification(
                types=types,
                app_name=text_at(0),
                app_icon=text_at(2),
                summary=text_at(3),
                body=text_at(4),
                actions=actions,
                hints=hints,
            )
        )
    return found


class NotificationMonitor:
    """``dbus-monitor`` on the desktop's session bus, for ``Notify`` calls only."""

    RULE = "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"

    def __init__(self, desktop: Desktop) -> None:
        self.desktop = desktop
        self.path = desktop.log_dir / f"dbus-monitor-{os.getpid()}-{id(self)}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> NotificationMonitor:
        with open(self.path, "wb") as out:
            self.proc = subprocess.Popen(
                ["dbus-monitor", "--session", self.RULE],
                env=self.desktop.env(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        # It prints its own NameLost once it has become a monitor: from then on, nothing
        # is missed.
        wait_until(lambda: "NameLost" in self.text(), 10, "dbus-monitor to start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            _terminate(self.proc)

    def text(self) -> str:
        try:
            return self.path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def calls(self) -> list[SeenNotification]:
        return parse_notify_calls(self.text())

    def wait_for(self, summary: str, timeout: float = 15) -> SeenNotification:
        def seen() -> SeenNotification | None:
            return next((n for n in self.calls() if n.summary == summary), None)

        return wait_until(
            seen,
            timeout,
            f"a Notify call titled {summary!r}",
            details=lambda: "seen: " + ", ".join(repr(n.summary) for n in self.calls()),
        )
