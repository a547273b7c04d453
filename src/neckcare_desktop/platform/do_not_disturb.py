"""Whether now is a bad moment to pop up a break: a fullscreen window, or do-not-disturb.

Why this exists: a break window in the middle of a presentation, a video call or a game is
the reminder people hate most (see ``/work/shared/notes/anchors.md``: BreakTimer #35,
Stretchly #1553). The app asks :meth:`DndMonitor.read` before showing a break and holds it
back while the answer is active. This module only observes; the policy (how long to hold a
break back) belongs to the core.

Backends, asked in order; the first that reports "active" wins:

* ``x11-fullscreen``: the active window (``_NET_ACTIVE_WINDOW``) has
  ``_NET_WM_STATE_FULLSCREEN``. Without a window manager there is no active window, so every
  mapped top-level window that is fullscreen, or covers the whole screen, counts. Windows of
  this process (``_NET_WM_PID``) never count: our own break window must not hold itself
  back.
* ``notifications``: the notification server says notifications are held back: the
  ``Inhibited`` property of ``org.freedesktop.Notifications`` (KDE Plasma), or dunst's
  ``paused`` property (the usual server on i3/sway-style desktops).
* ``gnome-show-banners``: GNOME's do-not-disturb switch is the ``show-banners`` setting;
  read with ``gsettings`` (GNOME Shell's notification server has no ``Inhibited``).
* ``windows-notification-state``: ``SHQueryUserNotificationState`` (fullscreen/Direct3D,
  presentation mode, busy, quiet time).

macOS offers no public way to read Focus, so there the answer is always "not active".
A backend that cannot answer is logged once and treated as "not active": missing a reason
to wait is better than never reminding at all.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from neckcare_desktop.platform.idle import (
    BackendUnavailable,
    DBusCall,
    DBusError,
    QtDBusCaller,
    XDisplay,
    detect_session,
    get_dbus_property,
    is_not_supported,
    run_command,
    unavailable_from_dbus,
)

logger = logging.getLogger(__name__)

NOTIFICATIONS_SERVICE: Final = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH: Final = "/org/freedesktop/Notifications"
DUNST_INTERFACE: Final = "org.dunstproject.cmd0"

_IS_VIEWABLE: Final = 2
_INPUT_ONLY: Final = 2


@dataclass(frozen=True)
class DndReading:
    """Whether to hold breaks back now, and why in words (empty when not active)."""

    active: bool
    reason: str


INACTIVE: Final = DndReading(False, "")


class DndBackend(Protocol):
    """One source of "do not disturb"; ``read()`` may raise BackendUnavailable."""

    name: str

    def read(self) -> DndReading: ...

    def close(self) -> None: ...


# -- X11 -----------------------------------------------------------------------------------------


class X11FullscreenBackend:
    """A fullscreen window on the X display (presentations, video calls, games).

    ``own_pid`` is the process whose windows never count (default: this one).
    """

    name = "x11-fullscreen"

    def __init__(self, display: str | None = None, own_pid: int | None = None) -> None:
        self._display_name = display
        self._own_pid = os.getpid() if own_pid is None else own_pid
        self._x: XDisplay | None = None
        self._broken: str | None = None

    def _connect(self) -> XDisplay:
        if self._broken:
            raise BackendUnavailable(self._broken, permanent=True)
        if self._x is None:
            try:
                self._x = XDisplay(self._display_name)
            except BackendUnavailable as exc:
                if exc.permanent:
                    self._broken = exc.reason
                raise
        return self._x

    def read(self) -> DndReading:
        x = self._connect()
        active = x.property(x.root, "_NET_ACTIVE_WINDOW")
        if active is not None and active.format == 32:
            # A window manager keeps track of the active window: trust it alone, so a
            # fullscreen video left in the background does not hold breaks back forever.
            wid = int(active.value[0]) if active.value else 0
            if wid and self._fullscreen(x, wid) and not self._ours(x, wid):
                return DndReading(True, self._reason(x, wid))
            return INACTIVE
        # No window manager (bare X servers, kiosks): look at every mapped top-level window,
        # topmost first.
        screen = x.attributes(x.root)
        for wid in reversed(x.children(x.root)):
            attrs = x.attributes(wid)
            if attrs is None or attrs.map_state != _IS_VIEWABLE or attrs.c_class == _INPUT_ONLY:
                continue
            covers = screen is not None and (
                attrs.x <= 0
                and attrs.y <= 0
                and attrs.x + attrs.width >= screen.width
                and attrs.y + attrs.height >= screen.height
            )
            if (covers or self._fullscreen(x, wid)) and not self._ours(x, wid):
                return DndReading(True, self._reason(x, wid))
        return INACTIVE

    @staticmethod
    def _fullscreen(x: XDisplay, wid: int) -> bool:
        state = x.property(wid, "_NET_WM_STATE")
        if state is None or state.format != 32:
            return False
        return x.atom("_NET_WM_STATE_FULLSCREEN") in state.value

    def _ours(self, x: XDisplay, wid: int) -> bool:
        pid = x.property(wid, "_NET_WM_PID")
        return pid is not None and pid.format == 32 and list(pid.value[:1]) == [self._own_pid]

    @staticmethod
    def _reason(x: XDisplay, wid: int) -> str:
        title = x.text_property(wid, "_NET_WM_NAME") or x.text_property(wid, "WM_NAME")
        if title:
            return translate("DoNotDisturb", "fullscreen window: {title}").format(title=repr(title))
        return translate("DoNotDisturb", "fullscreen window")

    def close(self) -> None:
        if self._x is not None:
            self._x.close()
            self._x = None


# -- notification servers ------------------------------------------------------------------------


class NotificationServerBackend:
    """The notification server's own do-not-disturb: ``Inhibited``, else dunst's ``paused``."""

    name = "notifications"

    def __init__(self, call: DBusCall | None = None) -> None:
        self._call: DBusCall = call if call is not None else QtDBusCaller()

    def read(self) -> DndReading:
        try:
            inhibited = get_dbus_property(
                self._call,
                NOTIFICATIONS_SERVICE,
                NOTIFICATIONS_PATH,
                NOTIFICATIONS_SERVICE,
                "Inhibited",
            )
        except DBusError as exc:
            first = unavailable_from_dbus(exc, "Inhibited")
            if not is_not_supported(exc):
                raise first from None
            # The server is there but has no Inhibited: dunst keeps its own switch.
        else:
            return (
                DndReading(True, translate("DoNotDisturb", "notifications inhibited"))
                if inhibited
                else INACTIVE
            )
        try:
            paused = get_dbus_property(
                self._call, NOTIFICATIONS_SERVICE, NOTIFICATIONS_PATH, DUNST_INTERFACE, "paused"
            )
        except DBusError:
            raise first from None
        return (
            DndReading(True, translate("DoNotDisturb", "notifications paused (dunst)"))
            if paused
            else INACTIVE
        )

    def close(self) -> None:
        close = getattr(self._call, "close", None)
        if callable(close):
            close()


class GnomeShowBannersBackend:
    """GNOME's do-not-disturb switch, which is ``show-banners = false``."""

    name = "gnome-show-banners"
    ARGV: Final = ("gsettings", "get", "org.gnome.desktop.notifications", "show-banners")

    def __init__(self, run: Callable[[Sequence[str]], str] | None = None) -> None:
        self._run = run  # None: the real gsettings (tests pass a fake)

    def read(self) -> DndReading:
        if self._run is None:
            if shutil.which("gsettings") is None:
                raise BackendUnavailable("gsettings not installed", permanent=True)
            try:
                output = run_command(self.ARGV)
            except BackendUnavailable as exc:
                if "No such schema" in exc.reason or "No such key" in exc.reason:
                    raise BackendUnavailable(exc.reason, permanent=True) from None
                raise
        else:
            output = self._run(self.ARGV)
        value = output.strip()
        if value == "false":
            return DndReading(True, translate("DoNotDisturb", "notifications off (do not disturb)"))
        if value == "true":
            return INACTIVE
        raise BackendUnavailable(f"unexpected show-banners value {value!r}")

    def close(self) -> None:
        pass


# -- Windows -------------------------------------------------------------------------------------

#: SHQueryUserNotificationState results that mean "do not disturb", with their reasons.
_QUNS_REASONS: Final = {
    2: QT_TRANSLATE_NOOP("DoNotDisturb", "fullscreen application (busy)"),  # QUNS_BUSY
    3: QT_TRANSLATE_NOOP("DoNotDisturb", "fullscreen Direct3D application"),  # D3D full screen
    4: QT_TRANSLATE_NOOP("DoNotDisturb", "presentation mode"),  # QUNS_PRESENTATION_MODE
    6: QT_TRANSLATE_NOOP("DoNotDisturb", "quiet time"),  # QUNS_QUIET_TIME
}


def notification_state_reading(state: int) -> DndReading:
    """What a ``QUERY_USER_NOTIFICATION_STATE`` value means for breaks.

    QUNS_NOT_PRESENT (locked, screen saver) is "away", which is the idle monitor's business;
    QUNS_ACCEPTS_NOTIFICATIONS and QUNS_APP are fine moments.
    """
    reason = _QUNS_REASONS.get(state)
    return DndReading(True, translate("DoNotDisturb", reason)) if reason else INACTIVE


class WindowsNotificationStateBackend:
    """``SHQueryUserNotificationState``: what Windows itself uses to hold back toasts."""

    name = "windows-notification-state"

    def __init__(self) -> None:
        self._func: Any = None

    def read(self) -> DndReading:
        if sys.platform != "win32":
            raise BackendUnavailable("not Windows", permanent=True)
        if self._func is None:
            func = ctypes.WinDLL("shell32").SHQueryUserNotificationState  # type: ignore[attr-defined]
            func.argtypes = [ctypes.POINTER(ctypes.c_int)]
            func.restype = ctypes.c_long
            self._func = func
        state = ctypes.c_int()
        result = self._func(ctypes.byref(state))
        if result != 0:
            raise BackendUnavailable(f"SHQueryUserNotificationState failed ({result:#x})")
        return notification_state_reading(state.value)

    def close(self) -> None:
        self._func = None


class _NotReadable:
    """A platform where do-not-disturb cannot be read; said once in the log."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self._reason = reason

    def read(self) -> DndReading:
        raise BackendUnavailable(self._reason, permanent=True)

    def close(self) -> None:
        pass


def default_dnd_backends(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> list[DndBackend]:
    """The backends worth asking here. Builds objects only: no I/O yet."""
    session = detect_session(environ, platform)
    if session.platform == "win32":
        return [WindowsNotificationStateBackend()]
    if session.platform == "darwin":
        return [_NotReadable("macos-focus", "Focus is not readable on macOS")]
    env = os.environ if environ is None else environ
    backends: list[DndBackend] = []
    if env.get("DISPLAY"):
        # Also under Wayland: games and many video players run through XWayland, whose
        # window manager (the compositor) keeps _NET_ACTIVE_WINDOW up to date.
        backends.append(X11FullscreenBackend(env["DISPLAY"]))
    backends.append(NotificationServerBackend())
    if session.gnome:
        backends.append(GnomeShowBannersBackend())
    return backends


# -- the monitor ---------------------------------------------------------------------------------


class DndMonitor:
    """ "Do not disturb" from all backends: any active one makes the answer active.

    ``read()`` never raises. A backend that fails is logged once (INFO) and counts as
    "not active"; one that can never work here is not asked again.
    """

    def __init__(self, backends: Sequence[DndBackend] | None = None) -> None:
        self._backends: list[DndBackend] = (
            list(backends) if backends is not None else default_dnd_backends()
        )
        self._gone: set[int] = set()
        self._reported: set[int] = set()
        self._said_none = False

    def read(self) -> DndReading:
        if not self._backends and not self._said_none:
            self._said_none = True
            logger.info("do-not-disturb detection is not available here")
        for backend in self._backends:
            if id(backend) in self._gone:
                continue
            try:
                reading = backend.read()
            except BackendUnavailable as exc:
                if exc.permanent:
                    self._gone.add(id(backend))
                self._cannot_read(backend, exc.reason)
                continue
            except Exception as exc:
                logger.debug("do-not-disturb backend %s failed", backend.name, exc_info=True)
                self._cannot_read(backend, f"error: {exc}")
                continue
            if reading.active:
                return reading
        return INACTIVE

    def _cannot_read(self, backend: DndBackend, reason: str) -> None:
        if id(backend) in self._reported:
            logger.debug("do-not-disturb: cannot read %s (%s)", backend.name, reason)
            return
        self._reported.add(id(backend))
        logger.info("do-not-disturb: cannot read %s (%s); treating it as off", backend.name, reason)

    def close(self) -> None:
        for backend in self._backends:
            try:
                backend.close()
            except Exception:
                logger.debug(
                    "closing do-not-disturb backend %s failed", backend.name, exc_info=True
                )
