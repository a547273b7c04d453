"""A real GNOME Shell 43 on Wayland, headless, for driving NeckCare end to end.

``GnomeDesktop`` starts, each with its own environment under one temp folder:

* a private *system* bus (a second ``dbus-daemon``): GNOME Shell dies at start without one
  ("LoginManagerSystemd ... Could not connect"); nothing answers on it, which is what a
  machine without logind looks like;
* a private *session* bus whose service folder is a filtered copy of
  ``/usr/share/dbus-1/services``: every file except the ones that would D-Bus-activate another
  notification daemon (dunst) for ``org.freedesktop.Notifications``, so that name is GNOME's;
* ``gnome-shell --headless --wayland --no-x11 --virtual-monitor 1280x800 --unsafe-mode`` with
  its Wayland socket in the rig's runtime folder. ``--unsafe-mode`` (accepted by 43.9, not in
  ``--help``) lets the test call ``org.gnome.Shell.Eval`` (window list, message tray, hiding
  the overview) and ``org.gnome.Shell.Screenshot`` (otherwise refused to unknown callers);
* the AppIndicator extension (``ubuntu-appindicators@ubuntu.com``) on or off through
  gsettings before the start and ``gnome-extensions enable/disable`` while it runs.

In GNOME 43 ``org.freedesktop.Notifications`` is owned by the shell's own helper
``/usr/share/gnome-shell/org.gnome.Shell.Notifications`` (a gjs script the shell starts by
D-Bus activation at start-up), which forwards every call to the shell's
``/org/freedesktop/Notifications`` on ``org.gnome.Shell``; the notification then shows in the
shell's message tray (:meth:`GnomeDesktop.tray_notifications`). Debian's gnome-shell does not
pull in ``gjs``: without it nobody owns the name.

``GnomeNeckCare`` is ``desktop.NeckCare`` with ``QT_QPA_PLATFORM=wayland`` on that session;
"ready" means its StatusNotifierItem is registered with the shell's watcher (tray) or its
fallback window is mapped in the shell (no tray).

Fixtures (module-scoped: one shell per test file): ``gnome`` and ``start_gnome_neckcare``.
A test module binds both by name (``gnome = rig.gnome`` after ``from . import gnome_desktop
as rig``: an import of the names would be shadowed by the tests' parameters, ruff F811).

Polling never sleeps blindly: everything waits for a condition with ``wait_until``.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .desktop import (
    DesktopError,
    NeckCare,
    RigProcesses,
    _group_members,
    _read_line,
    _terminate,
    isolated_env_dirs,
    kill_pids,
    neckcare_executable,
    processes_mentioning,
    wait_until,
)


class GnomeError(RuntimeError):
    """The GNOME session or the app did not do what was expected in time."""


#: Program -> Debian package providing it.
REQUIRED_TOOLS: dict[str, str] = {
    "gnome-shell": "gnome-shell",
    "gnome-extensions": "gnome-shell",
    "gjs": "gjs",
    "dbus-daemon": "dbus-daemon",
    "dbus-monitor": "dbus-bin",
    "gdbus": "libglib2.0-bin",
    "gsettings": "libglib2.0-bin",
}
EXTENSION = "ubuntu-appindicators@ubuntu.com"
EXTENSION_DIR = Path("/usr/share/gnome-shell/extensions") / EXTENSION
APT_HINT = (
    "apt-get install --no-install-recommends gnome-shell gnome-shell-extension-appindicator gjs"
)
SYSTEM_SERVICES = Path("/usr/share/dbus-1/services")
SCREEN = "1280x800"

WATCHER = "org.kde.StatusNotifierWatcher"
NOTIFICATIONS = "org.freedesktop.Notifications"
SHELL_NOTIFICATIONS_HELPER = "/usr/share/gnome-shell/org.gnome.Shell.Notifications"

_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  {servicedir}
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


#: A long-lived org.gnome.Mutter.RemoteDesktop session, driven over stdin, one command a
#: line: ``key KEYSYM``, ``motion DX DY``, ``button BUTTON``; each answered ``ok`` or
#: ``error ...``. It must live as long as the session: a headless Mutter's seat has a keyboard
#: and pointer only while a virtual device exists (announced at its first event), and a
#: Wayland client (Qt) binds its ``wl_keyboard`` only after the seat announces one,
#: asynchronously: keys sent by a short-lived session are gone before Qt listens. Mutter
#: also ends a session whose creator leaves the bus, so ``gdbus call`` per event cannot work.
_INPUT_JS = r"""
const {Gio, GLib} = imports.gi;
const bus = Gio.DBus.session;
const RD = 'org.gnome.Mutter.RemoteDesktop';
function call(path, iface, method, args, type) {
    return bus.call_sync(RD, path, iface, method, args,
        type ? new GLib.VariantType(type) : null, Gio.DBusCallFlags.NONE, 5000, null);
}
const [session] = call('/org/gnome/Mutter/RemoteDesktop', RD, 'CreateSession', null,
    '(o)').deepUnpack();
const S = RD + '.Session';
call(session, S, 'Start', null, null);
// Mutter adds the virtual keyboard and pointer to the seat on their first event; a client
// binds wl_keyboard only once the seat says it has one, so the first real key would be
// lost. One Shift tap and a pointer nudge now, before any app starts.
for (const state of [true, false])
    call(session, S, 'NotifyKeyboardKeysym', new GLib.Variant('(ub)', [0xffe1, state]), null);
call(session, S, 'NotifyPointerMotionRelative', new GLib.Variant('(dd)', [1, 1]), null);
call(session, S, 'NotifyPointerMotionRelative', new GLib.Variant('(dd)', [-1, -1]), null);
const input = new Gio.DataInputStream({
    base_stream: new Gio.UnixInputStream({fd: 0, close_fd: false}),
});
const output = new Gio.UnixOutputStream({fd: 1, close_fd: false});
function answer(text) {
    output.write_all(new TextEncoder().encode(text + '\n'), null);
}
answer('ready ' + session);
for (;;) {
    const [line] = input.read_line_utf8(null);
    if (line === null)
        break;
    const [command, ...args] = line.trim().split(/\s+/);
    try {
        if (command === 'key') {
            for (const state of [true, false])
                call(session, S, 'NotifyKeyboardKeysym',
                    new GLib.Variant('(ub)', [parseInt(args[0]), state]), null);
        } else if (command === 'motion') {
            call(session, S, 'NotifyPointerMotionRelative',
                new GLib.Variant('(dd)', [parseFloat(args[0]), parseFloat(args[1])]), null);
        } else if (command === 'button') {
            for (const state of [true, false])
                call(session, S, 'NotifyPointerButton',
                    new GLib.Variant('(ib)', [parseInt(args[0]), state]), null);
        } else {
            throw new Error('unknown command ' + command);
        }
        answer('ok');
    } catch (e) {
        answer('error ' + e.message);
    }
}
call(session, S, 'Stop', null, null);
"""

#: X keysyms by name, for :meth:`GnomeDesktop.key`.
KEYSYMS: dict[str, int] = {
    "Tab": 0xFF09,
    "Return": 0xFF0D,
    "Escape": 0xFF1B,
    "space": 0x20,
    "Left": 0xFF51,
    "Up": 0xFF52,
    "Right": 0xFF53,
    "Down": 0xFF54,
    "Shift_L": 0xFFE1,
}
BTN_LEFT = 0x110  # evdev code, what NotifyPointerButton takes


def missing_tools() -> list[str]:
    missing = [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
    if not EXTENSION_DIR.is_dir():
        missing.append(f"the AppIndicator extension ({EXTENSION_DIR})")
    return missing


def missing_prerequisites() -> str | None:
    missing = missing_tools()
    if missing:
        return f"GNOME e2e tests need {', '.join(missing)}: {APT_HINT}"
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def skip_module_without_gnome() -> None:
    """Call at the top of a GNOME test module: one SKIPPED line off CI; on CI the fixture
    fails every test instead."""
    reason = missing_prerequisites()
    if reason and not in_ci():
        pytest.skip(reason, allow_module_level=True)


# -- GVariant text (what gdbus prints) ----------------------------------------------------


def gvariant_string(text: str) -> str:
    """A GVariant string literal as gdbus prints it ('...' or "...") -> its value."""
    value = ast.literal_eval(text.strip())
    if not isinstance(value, str):
        raise ValueError(f"not a string literal: {text[:80]!r}")
    return value


@dataclass(frozen=True)
class MenuItem:
    """One dbusmenu item from ``GetLayout`` (labels keep their ``_`` mnemonics stripped)."""

    id: int
    label: str
    enabled: bool
    visible: bool
    item_type: str  # "standard" or "separator"


_MENU_ITEM = re.compile(r"\((\d+), \{(.*?)\}, (?:@av )?\[")
_PROP = re.compile(r"'([\w-]+)': <(.*?)>(?=, '|\}|$)")


def parse_menu_layout(text: str) -> list[MenuItem]:
    """Every item (at any depth, root excluded) in ``GetLayout``'s gdbus output."""
    items = []
    for match in _MENU_ITEM.finditer(text):
        item_id = int(match[1])
        props = {m[1]: m[2] for m in _PROP.finditer(match[2])}
        if item_id == 0:
            continue
        label = props.get("label", "''")
        try:
            label = gvariant_string(label)
        except (ValueError, SyntaxError):
            label = label.strip("'\"")
        items.append(
            MenuItem(
                id=item_id,
                label=label.replace("__", "\0").replace("_", "").replace("\0", "_"),
                enabled=props.get("enabled", "true") != "false",
                visible=props.get("visible", "true") != "false",
                item_type=props.get("type", "'standard'").strip("'"),
            )
        )
    return items


# -- the session ---------------------------------------------------------------------------


class GnomeDesktop(RigProcesses):
    """Private system + session bus and a headless GNOME Shell, all owned by this object.

    Offers what ``desktop.NeckCare`` needs of a desktop (``env``, ``check_alive``,
    ``logs``) plus bus calls, ``eval_js`` (unsafe mode), the window list, the message tray,
    screenshots and the AppIndicator extension switch.
    """

    error = GnomeError
    what = "session program(s)"

    def __init__(
        self,
        base_dir: Path,
        *,
        screen: str = SCREEN,
        extension: bool = True,
        start_timeout: float = 30,
    ) -> None:
        self.base_dir = Path(base_dir)
        self.screen = screen
        self.extension_at_start = extension
        self.start_timeout = start_timeout
        self.log_dir = self.base_dir / "logs"
        # Sockets live here: a Unix socket path must fit in 108 bytes, which deep pytest
        # temp folders do not guarantee.
        self.runtime_dir = Path(tempfile.mkdtemp(prefix="gs-run-"))
        self.wayland_display = str(self.runtime_dir / "wayland-0")
        self.bus_address: str | None = None
        self.system_bus_address: str | None = None
        self._procs: list[tuple[str, subprocess.Popen[bytes]]] = []
        self._home_env: dict[str, str] = {}
        self._input: subprocess.Popen[bytes] | None = None

    # life cycle

    def __enter__(self) -> GnomeDesktop:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        leftovers = self.stop()
        if leftovers and exc[0] is None:
            raise GnomeError("still running after teardown: " + ", ".join(leftovers))

    def start(self) -> GnomeDesktop:
        missing = missing_tools()
        if missing:
            raise GnomeError(f"missing {', '.join(missing)}; {APT_HINT}")
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(exist_ok=True)
        self._home_env = isolated_env_dirs(self.base_dir / "home", self.runtime_dir)
        try:
            self.system_bus_address = self._start_bus("system-bus", service_dir=None)
            self.bus_address = self._start_bus("session-bus", service_dir=self._service_dir())
            self._configure()
            self._spawn(
                "gnome-shell",
                [
                    "gnome-shell",
                    "--headless",
                    "--wayland",
                    "--no-x11",
                    "--unsafe-mode",
                    f"--virtual-monitor={self.screen}",
                    f"--wayland-display={self.wayland_display}",
                ],
            )
            self.wait_for_name("org.gnome.Shell")
            wait_until(
                lambda: self._eval_quietly("!Main.layoutManager._startingUp") is True,
                self.start_timeout,
                "GNOME Shell to finish starting up",
                interval=0.1,
                details=self.logs,
            )
            # The shell starts in the overview (no windows yet); a desktop as people see it
            # after their first click. The overview would also cover windows in screenshots.
            self.eval_js("Main.overview.hide(); true")
            self._start_input()
            self.wait_for_name(NOTIFICATIONS)
            if self.extension_at_start:
                self.wait_for_name(WATCHER)
                wait_until(
                    self.host_registered, self.start_timeout, "a StatusNotifierHost", interval=0.1
                )
        except BaseException:
            self.stop()
            raise
        return self

    def _service_dir(self) -> Path:
        """The system's D-Bus services minus any that would claim the notifications name."""
        folder = self.base_dir / "dbus-services"
        folder.mkdir(exist_ok=True)
        for service in SYSTEM_SERVICES.glob("*.service"):
            text = service.read_text(errors="replace")
            if re.search(rf"^Name={re.escape(NOTIFICATIONS)}\s*$", text, re.MULTILINE):
                continue  # e.g. dunst's org.knopwob.dunst.service
            (folder / service.name).symlink_to(service)
        return folder

    def _start_bus(self, name: str, service_dir: Path | None) -> str:
        socket = self.runtime_dir / name
        config = self.base_dir / f"{name}.conf"
        config.write_text(
            _BUS_CONFIG.format(
                socket=socket,
                servicedir=f"<servicedir>{service_dir}</servicedir>" if service_dir else "",
            )
        )
        proc = self._spawn(
            name,
            ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
        )
        assert proc.stdout is not None
        address = _read_line(proc.stdout.fileno(), self.start_timeout, f"{name}'s address")
        proc.stdout.close()
        return address

    def _configure(self) -> None:
        """Settings in the rig's own dconf database, written before the shell reads them."""
        extensions = f"['{EXTENSION}']" if self.extension_at_start else "[]"
        for schema, key, value in (
            ("org.gnome.shell", "enabled-extensions", extensions),
            ("org.gnome.shell", "disable-user-extensions", "false"),
            # Nobody types here: no blank screen or lock in the middle of a test.
            ("org.gnome.desktop.session", "idle-delay", "uint32 0"),
            ("org.gnome.desktop.screensaver", "lock-enabled", "false"),
            ("org.gnome.desktop.notifications", "show-banners", "true"),
        ):
            self.gsettings("set", schema, key, value)

    def _start_input(self) -> None:
        script = self.base_dir / "remote-input.js"
        script.write_text(_INPUT_JS)
        proc = subprocess.Popen(
            ["gjs", str(script)],
            env=self.env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=open(self.log_dir / "remote-input.log", "wb"),  # noqa: SIM115
            start_new_session=True,
            cwd=self.base_dir,
        )
        self._procs.append(("remote-input", proc))
        self._input = proc
        assert proc.stdout is not None
        line = _read_line(proc.stdout.fileno(), self.start_timeout, "the remote-desktop session")
        if not line.startswith("ready"):
            raise GnomeError(f"remote-desktop session: {line}\n{self.logs()}")

    def _input_command(self, command: str) -> None:
        proc = self._input
        if proc is None or proc.stdin is None or proc.stdout is None:
            raise GnomeError("the remote-desktop session is not running")
        proc.stdin.write(command.encode() + b"\n")
        proc.stdin.flush()
        line = _read_line(proc.stdout.fileno(), 10, f"input {command!r}")
        if line != "ok":
            raise GnomeError(f"input {command!r}: {line}")

    def key(self, *keys: str | int) -> None:
        """Press and release each key (X keysym names of :data:`KEYSYMS`, or keysyms) on
        the compositor's own virtual keyboard: it goes to the focused window, as typing."""
        for key in keys:
            keysym = KEYSYMS[key] if isinstance(key, str) else key
            self._input_command(f"key {keysym}")

    def move_pointer(self, dx: float, dy: float) -> None:
        """Move the pointer by (dx, dy) pixels (relative: absolute needs a screen cast)."""
        self._input_command(f"motion {dx} {dy}")

    def click(self, button: int = BTN_LEFT) -> None:
        self._input_command(f"button {button}")

    def pointer(self) -> tuple[int, int]:
        x, y = self.eval_js("global.get_pointer().slice(0, 2)")
        return int(x), int(y)

    def move_pointer_to(self, x: int, y: int) -> None:
        """Move to (x, y) by relative steps, checking where the pointer landed."""
        for _ in range(5):
            px, py = self.pointer()
            if (px, py) == (x, y):
                return
            self.move_pointer(x - px, y - py)
        raise GnomeError(f"the pointer did not reach {(x, y)}: it is at {self.pointer()}")

    def focus_window(self, title: str, pid: int) -> None:
        """Give a window the keyboard focus, as a click on it would."""
        self.eval_js(
            f"""global.get_window_actors().map(a => a.meta_window)
                .filter(w => w.get_title() === {json.dumps(title)} && w.get_pid() === {pid})
                .forEach(w => w.activate(global.get_current_time())); true"""
        )

    def _spawn(
        self,
        name: str,
        argv: Sequence[str],
        *,
        stdout: int | None = None,
    ) -> subprocess.Popen[bytes]:
        with open(self.log_dir / f"{name}.log", "wb") as log:
            proc = subprocess.Popen(
                list(argv),
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=log if stdout is None else stdout,
                stderr=log,
                start_new_session=True,  # its own process group: activated services go too
                cwd=self.base_dir,
            )
        self._procs.append((name, proc))
        return proc

    def stop(self) -> list[str]:
        """Stop the shell (cleanly, through Meta.exit), then the buses; return survivors."""
        if self._input is not None and self._input.poll() is None:
            with contextlib.suppress(OSError):
                assert self._input.stdin is not None
                self._input.stdin.close()  # ends the remote-desktop session cleanly
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._input.wait(timeout=5)
        shell = self._proc("gnome-shell")
        if shell is not None and shell.poll() is None:
            # SIGTERM makes gnome-shell 43 segfault on the way out; Meta.exit does not.
            self._eval_quietly("Meta.exit(Meta.ExitCode.SUCCESS)", timeout=5)
            try:
                shell.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _terminate(shell)
        for name, proc in reversed(self._procs):
            if proc.poll() is None:
                _terminate(proc, group=name.endswith("bus"))
        leftovers = [
            f"{name} (pid {proc.pid})" for name, proc in self._procs if proc.poll() is None
        ]
        for name, proc in self._procs:
            if name.endswith("bus"):
                # The group was sent SIGKILL: give the kernel a moment to reap what the bus
                # activated (the accessibility bus's own dbus-daemon, dconf-service).
                with contextlib.suppress(DesktopError):
                    wait_until(lambda pid=proc.pid: not _group_members(pid), 5, "bus services")
                for pid, cmd in _group_members(proc.pid):
                    leftovers.append(f"{cmd} (pid {pid}, started by {name})")
                    kill_pids([pid])
        for marker in (self.base_dir, self.runtime_dir):
            for pid, cmd in processes_mentioning(marker):
                # D-Bus-activated services (dconf, the notifications helper, a11y bus) are
                # re-parented away from the bus's group: they go with the bus, not leaks.
                kill_pids([pid])
                if not _activated_service(cmd):
                    leftovers.append(f"{cmd} (pid {pid})")
        shutil.rmtree(self.runtime_dir, ignore_errors=True)
        return sorted(set(leftovers))

    def _proc(self, name: str) -> subprocess.Popen[bytes] | None:
        return next((p for n, p in self._procs if n == name), None)

    @property
    def dconf_dirs(self) -> tuple[Path, Path]:
        """The session's dconf database folder and its runtime (change flag) folder."""
        return (
            Path(self._home_env["XDG_CONFIG_HOME"]) / "dconf",
            Path(self._home_env["XDG_RUNTIME_DIR"]) / "dconf",
        )

    @property
    def shell_pid(self) -> int:
        shell = self._proc("gnome-shell")
        if shell is None:
            raise GnomeError("GNOME Shell was not started")
        return shell.pid

    # environments

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment of a client of this session: both buses and the Wayland socket
        (an absolute WAYLAND_DISPLAY, so a client may keep its own XDG_RUNTIME_DIR)."""
        env = self._plain_env()
        env["WAYLAND_DISPLAY"] = self.wayland_display
        env["XDG_SESSION_TYPE"] = "wayland"
        env["XDG_CURRENT_DESKTOP"] = "GNOME"
        if self.bus_address:
            env["DBUS_SESSION_BUS_ADDRESS"] = self.bus_address
        if self.system_bus_address:
            env["DBUS_SYSTEM_BUS_ADDRESS"] = self.system_bus_address
        if extra:
            env.update(extra)
        return env

    # the bus

    def run(
        self, *argv: str, timeout: float = 10, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            list(argv),
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        if check and result.returncode != 0:
            raise GnomeError(
                f"{' '.join(argv)} failed with exit {result.returncode}: {result.stderr.strip()}"
            )
        return result

    def gsettings(self, *args: str) -> str:
        return self.run("gsettings", *args).stdout.strip()

    def call(
        self,
        dest: str,
        path: str,
        method: str,
        *args: str,
        timeout: float = 10,
        check: bool = True,
    ) -> str:
        """``gdbus call`` on the session bus; the reply as gdbus prints it (GVariant text).
        Arguments are GVariant text too (e.g. ``"uint32 0"``, ``"'clicked'"``)."""
        result = self.run(
            "gdbus",
            "call",
            "--session",
            "--dest",
            dest,
            "--object-path",
            path,
            "--method",
            method,
            "--timeout",
            str(max(1, int(timeout))),
            *args,
            timeout=timeout + 5,
            check=check,
        )
        return result.stdout.strip() if result.returncode == 0 else ""

    def get_property(self, dest: str, path: str, interface: str, name: str) -> str:
        return self.call(
            dest, path, "org.freedesktop.DBus.Properties.Get", f"'{interface}'", f"'{name}'"
        )

    def name_owner_pid(self, name: str) -> int | None:
        out = self.call(
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetConnectionUnixProcessID",
            f"'{name}'",
            check=False,
        )
        match = re.search(r"uint32 (\d+)", out)
        return int(match[1]) if match else None

    def has_owner(self, name: str) -> bool:
        out = self.call(
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            f"'{name}'",
        )
        return "true" in out

    def wait_for_name(self, name: str, timeout: float | None = None, *, gone: bool = False) -> None:
        def check() -> bool:
            self.check_alive()
            return self.has_owner(name) != gone

        wait_until(
            check,
            timeout or self.start_timeout,
            f"{name} to {'leave' if gone else 'appear on'} the session bus",
            interval=0.1,
            details=self.logs,
        )

    # the shell (unsafe mode)

    def _eval_quietly(self, js: str, timeout: float = 10) -> Any:
        try:
            return self.eval_js(js, timeout=timeout)
        except GnomeError:
            return None

    def eval_js(self, js: str, timeout: float = 10) -> Any:
        """Run JavaScript in the shell (``org.gnome.Shell.Eval``); its JSON result, decoded."""
        out = self.call(
            "org.gnome.Shell", "/org/gnome/Shell", "org.gnome.Shell.Eval", js, timeout=timeout
        )
        match = re.fullmatch(r"\((true|false), (.*)\)", out, re.DOTALL)
        if match is None:
            raise GnomeError(f"Eval answered {out!r}")
        result = gvariant_string(match[2])
        if match[1] != "true":
            raise GnomeError(f"Eval failed: {result}")
        return json.loads(result) if result else None

    def windows(self) -> list[dict[str, Any]]:
        """The shell's client windows: title, pid, wm_class, frame rect, monitor, focus."""
        return list(
            self.eval_js(
                """global.get_window_actors().map(a => {
                    const w = a.meta_window;
                    const r = w.get_frame_rect();
                    return {title: w.get_title(), pid: w.get_pid(),
                            wm_class: w.get_wm_class(), x: r.x, y: r.y,
                            width: r.width, height: r.height, monitor: w.get_monitor(),
                            focus: w.has_focus(), minimized: w.minimized,
                            above: w.is_above(), visible: a.visible,
                            type: w.get_window_type(),
                            settled: a.opacity === 255 && a.scale_x === 1 &&
                                !a.get_transition('opacity') && !a.get_transition('scale-x')};
                })"""
            )
        )

    def tray_notifications(self) -> list[dict[str, Any]]:
        """Every notification in the shell's message tray (source title, title, body,
        urgency: 0 low, 1 normal, 2 high, 3 critical as MessageTray.Urgency)."""
        return list(
            self.eval_js(
                """[].concat(...Main.messageTray.getSources().map(s =>
                    s.notifications.map(n => ({source: s.title, title: n.title,
                        body: n.bannerBodyText, urgency: n.urgency}))))"""
            )
        )

    def banner(self) -> dict[str, Any] | None:
        """The notification banner the shell shows right now, once it has slid in
        (MessageTray's state SHOWN), else None."""
        return self.eval_js(
            """(() => { const t = Main.messageTray;
                if (t._notificationState !== 2 || !t._notification) return null;
                const n = t._notification;
                return {title: n.title, body: n.bannerBodyText, urgency: n.urgency}; })()"""
        )

    def screenshot_settled(self, path: Path, timeout: float = 10) -> Path:
        """A screenshot once no window is still fading or zooming in (map animations)."""
        wait_until(
            lambda: all(w["settled"] for w in self.windows()),
            timeout,
            "windows to finish their map animation",
            interval=0.1,
        )
        return self.screenshot(path)

    def clear_notifications(self) -> None:
        """Dismiss everything in the message tray (the shell's own "Screen Lock disabled" and
        "Logged in as a privileged user" notices on this rig), so a screenshot or a
        :meth:`tray_notifications` look shows only what a test caused."""
        self.eval_js("Main.messageTray.getSources().forEach(s => s.destroy()); true")

    def screenshot(self, path: Path) -> Path:
        """The whole screen as a PNG (``org.gnome.Shell.Screenshot``, allowed in unsafe mode)."""
        path = Path(path).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        out = self.call(
            "org.gnome.Shell.Screenshot",
            "/org/gnome/Shell/Screenshot",
            "org.gnome.Shell.Screenshot.Screenshot",
            "false",
            "false",
            f"'{path}'",
            timeout=20,
        )
        if not out.startswith("(true"):
            raise GnomeError(f"screenshot refused: {out}")
        return path

    # the AppIndicator extension and the StatusNotifier watcher

    def set_extension(self, enabled: bool, timeout: float | None = None) -> None:
        """Switch the AppIndicator extension on/off as a person would (gnome-extensions);
        waits for the watcher name to come or go."""
        self.run("gnome-extensions", "enable" if enabled else "disable", EXTENSION)
        self.wait_for_name(WATCHER, timeout, gone=not enabled)

    def host_registered(self) -> bool:
        out = self.get_property(
            WATCHER, "/StatusNotifierWatcher", WATCHER, "IsStatusNotifierHostRegistered"
        )
        return "true" in out

    def registered_items(self) -> list[str]:
        """``RegisteredStatusNotifierItems`` as the watcher lists them: the AppIndicator
        extension writes ``:1.33@/StatusNotifierItem`` (KDE's watcher: ``bus/path``)."""
        if not self.has_owner(WATCHER):
            return []
        out = self.get_property(
            WATCHER, "/StatusNotifierWatcher", WATCHER, "RegisteredStatusNotifierItems"
        )
        return re.findall(r"'([^']*)'", out)

    def items_of(self, pid: int) -> list[tuple[str, str]]:
        """(bus name, object path) of each registered item whose owner process is ``pid``."""
        found = []
        for entry in self.registered_items():
            bus, path = re.fullmatch(r"([^@/]+)@?(/.*)?", entry).groups()  # type: ignore[union-attr]
            if self.name_owner_pid(bus) == pid:
                found.append((bus, path or "/StatusNotifierItem"))
        return found

    # notifications on the wire

    def notification_monitor(self) -> Any:
        """``dbus-monitor`` for ``Notify`` calls on this session bus (desktop.py's)."""
        from .desktop import NotificationMonitor

        return NotificationMonitor(self)  # type: ignore[arg-type]


def _activated_service(cmd: str) -> bool:
    return any(
        marker in cmd
        for marker in (
            "dconf-service",
            "org.gnome.Shell.Notifications",
            "at-spi",
            "gnome-shell-calendar-server",
            "evolution",
            "gvfs",
            "xdg-permission-store",
            "xdg-document-portal",
            "org.gnome.Shell.Extensions",
            "org.gnome.Shell.Screencast",
            "gjs",
        )
    )


# -- the app on it ---------------------------------------------------------------------------


class GnomeNeckCare(NeckCare):
    """``neckcare`` with QT_QPA_PLATFORM=wayland on a GnomeDesktop."""

    def __init__(self, desktop: GnomeDesktop, home: Path, **kwargs: Any) -> None:
        extra = {"QT_QPA_PLATFORM": "wayland", **dict(kwargs.pop("extra_env", None) or {})}
        super().__init__(desktop, home, extra_env=extra, **kwargs)  # type: ignore[arg-type]
        self.gnome = desktop
        # GNOME's settings are the session's, as for a person whose apps all share one home:
        # the app's gsettings reads the shell's dconf database and the change flag that
        # dconf-service raises in the runtime folder (else it would read a stale copy).
        desktop.gsettings("get", "org.gnome.shell", "enabled-extensions")  # dconf runs
        # Likewise the launchers and icons ``neckcare install-desktop-entry`` writes: the
        # shell reads them from its data folder (app name and icon of a notification).
        app_data, session_data = (
            Path(self._extra_env["XDG_DATA_HOME"]),
            Path(desktop.env()["XDG_DATA_HOME"]),
        )
        links = (
            (Path(self._extra_env["XDG_CONFIG_HOME"]) / "dconf", desktop.dconf_dirs[0]),
            (self.runtime_dir / "dconf", desktop.dconf_dirs[1]),
            (app_data / "applications", session_data / "applications"),
            (app_data / "icons", session_data / "icons"),
        )
        for link, target in links:
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
            link.symlink_to(target, target_is_directory=True)

    def wait_ready(self, timeout: float = 30) -> Any:  # type: ignore[override]
        """Ready with a tray: ``tray=True`` logged and the item registered with the watcher."""
        line = wait_until(
            self._ready_line, timeout, "'neckcare ready' in the app log", details=self.logs
        )
        if "tray=True" not in line:
            raise GnomeError(f"NeckCare found no system tray: {line}\n{self.gnome.logs()}")
        return self.wait_item(timeout)

    def wait_item(self, timeout: float = 30) -> tuple[str, str]:
        return wait_until(
            lambda: next(iter(self.gnome.items_of(self.pid)), None),
            timeout,
            "the StatusNotifierItem to register with the shell's watcher",
            interval=0.1,
            details=self.logs,
        )

    def item(self) -> tuple[str, str] | None:
        return next(iter(self.gnome.items_of(self.pid)), None)

    def docked_icon(self) -> Any:
        return self.item()

    def start_without_tray(self, timeout: float = 30) -> GnomeNeckCare:
        self.launch()
        line = wait_until(
            self._ready_line, timeout, "'neckcare ready' in the app log", details=self.logs
        )
        if "tray=False" not in line:
            raise GnomeError(f"NeckCare expected no system tray but found one: {line}")
        wait_until(self.status_windows, timeout, "the fallback window", details=self.logs)
        return self

    def windows(self) -> list[dict[str, Any]]:
        return [w for w in self.gnome.windows() if w["pid"] == self.pid]

    def status_windows(self) -> list[dict[str, Any]]:  # type: ignore[override]
        """This app's windows the shell shows, titled exactly "NeckCare"."""
        return [w for w in self.windows() if w["title"] == "NeckCare" and w["visible"]]

    # the tray menu over com.canonical.dbusmenu

    def menu_path(self) -> tuple[str, str]:
        item = self.item()
        if item is None:
            raise GnomeError("no StatusNotifierItem registered")
        bus, path = item
        out = self.gnome.get_property(bus, path, "org.kde.StatusNotifierItem", "Menu")
        match = re.search(r"objectpath '([^']+)'", out)
        if match is None:
            raise GnomeError(f"the item has no Menu: {out!r}")
        return bus, match[1]

    def menu(self) -> list[MenuItem]:
        """The tray menu as the shell reads it: AboutToShow, then GetLayout."""
        bus, path = self.menu_path()
        self.gnome.call(bus, path, "com.canonical.dbusmenu.AboutToShow", "0", check=False)
        out = self.gnome.call(
            bus, path, "com.canonical.dbusmenu.GetLayout", "0", "int32 -1", "@as []"
        )
        return parse_menu_layout(out)

    def click_menu(self, label: str) -> MenuItem:
        """Send ``Event(id, "clicked")`` for the item labelled ``label`` (as the shell does)."""
        items = self.menu()
        item = next((i for i in items if i.label == label), None)
        if item is None:
            raise GnomeError(f"no menu item {label!r} in {[i.label for i in items]}")
        bus, path = self.menu_path()
        self.gnome.call(
            bus,
            path,
            "com.canonical.dbusmenu.Event",
            str(item.id),
            "'clicked'",
            "<int32 0>",
            "uint32 0",
        )
        return item


# -- fixtures ------------------------------------------------------------------------------


def _fail_or_skip(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (CI=true: not skipping)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def gnome(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[GnomeDesktop]:
    """One headless GNOME Shell per test module. A module sets ``GNOME_EXTENSION = False``
    to start without the AppIndicator extension (stock GNOME)."""
    reason = missing_prerequisites()
    if reason:
        _fail_or_skip(reason)
    if not neckcare_executable().exists():
        pytest.fail(f"{neckcare_executable()} not found: install the package", pytrace=False)
    extension = getattr(request.module, "GNOME_EXTENSION", True)
    rig = GnomeDesktop(tmp_path_factory.mktemp("gnome"), extension=extension)
    try:
        rig.start()
    except GnomeError as exc:
        pytest.fail(f"could not start GNOME Shell: {exc}", pytrace=False)
    yield rig
    leftovers = rig.stop()
    assert not leftovers, "GNOME session processes survived teardown: " + ", ".join(leftovers)


@pytest.fixture
def start_gnome_neckcare(
    gnome: GnomeDesktop, tmp_path: Path, artifacts: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[..., GnomeNeckCare]]:
    """``start_gnome_neckcare(settings={...}, time_scale=60, tray=True)`` -> a running app.

    ``tray=True`` waits for its StatusNotifierItem, ``tray=False`` for its fallback window,
    ``tray=None`` only launches. At the end every app is stopped, a failing test leaves a
    screenshot and the logs under ``failures/``, and ERROR lines in the app's log fail it.
    """
    from .conftest import _unexpected_log_errors

    apps: list[GnomeNeckCare] = []

    def start(
        settings: dict[str, Any] | str | None = None,
        *,
        time_scale: float = 60,
        tray: bool | None = True,
        **kwargs: Any,
    ) -> GnomeNeckCare:
        app = GnomeNeckCare(
            gnome, tmp_path / f"home{len(apps)}", settings=settings, time_scale=time_scale, **kwargs
        )
        apps.append(app)
        if tray is None:
            app.launch()
        elif tray:
            app.start()
        else:
            app.start_without_tray()
        return app

    yield start

    report = getattr(request.node, "_e2e_report_call", None)
    if report is not None and report.failed:
        failures = artifacts / "failures"
        try:
            gnome.screenshot(failures / f"{request.node.name}.png")
        except Exception as exc:  # the failure itself matters more than its screenshot
            print(f"no failure screenshot: {exc}")
        for index, app in enumerate(apps):
            if app.log_file.exists():
                shutil.copy(app.log_file, failures / f"{request.node.name}-{index}.log")
        for path in gnome.log_dir.glob("*.log"):
            shutil.copy(path, failures / f"{request.node.name}-gnome-{path.name}")

    problems: list[str] = []
    for app in apps:
        problems += app.stop()
    problems += _unexpected_log_errors(apps, request)  # type: ignore[arg-type]
    try:
        gnome.check_alive()
        wait_until(
            lambda: not any(gnome.items_of(app.pid) for app in apps if app.proc is not None),
            10,
            "NeckCare items to leave the watcher",
        )
    except Exception as exc:
        problems.append(str(exc))
    assert not problems, "left behind after the test: " + "; ".join(problems)
