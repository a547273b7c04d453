"""Whether now is a bad moment to pop up a break: a fullscreen window, or do-not-disturb.

Why this exists: a break window in the middle of a presentation, a video call or a game is
the reminder people hate most (BreakTimer issue #35, Stretchly issue #1553). The app asks
:meth:`DndMonitor.read` before showing a break and holds it back while the answer is
active. This module only observes; the policy (how long to hold a break back) belongs to
the core.

Nothing here waits for another process: ``read()`` answers at once. The X11 and Windows
backends are quick local calls and are asked each time; the notification server is asked
over D-Bus asynchronously (:meth:`DndMonitor.refresh`, and each ``read()`` starts a new
question) and its last answer is used; GNOME's switch is a watched setting
(:mod:`.dnd_gnome`).

Backends, asked in order; the first that reports "active" wins:

* ``x11-fullscreen``: the active window (``_NET_ACTIVE_WINDOW``) has
  ``_NET_WM_STATE_FULLSCREEN``. Without a window manager there is no active window, so every
  mapped top-level window that is fullscreen, or covers the whole screen, counts. Windows of
  this process (``_NET_WM_PID``) never count: our own break window must not hold itself
  back.
* ``notifications``: the notification server says notifications are held back: the
  ``Inhibited`` property of ``org.freedesktop.Notifications`` (KDE Plasma), or dunst's
  ``paused`` property (the usual server on i3/sway-style desktops).
* ``gnome-show-banners``: GNOME's do-not-disturb switch is the ``show-banners`` setting,
  watched with one ``gsettings monitor`` process (GNOME Shell's notification server has no
  ``Inhibited``); see :mod:`.dnd_gnome`.
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
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Protocol

from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from neckcare_desktop.platform.backends import (
    BackendUnavailable,
    Outcome,
    detect_session,
    read_now,
    start_read,
)
from neckcare_desktop.platform.dbus_calls import (
    AsyncDBusCall,
    DBusCall,
    DBusError,
    as_async,
    get_dbus_property_async,
    is_not_supported,
    unavailable_from_dbus,
)
from neckcare_desktop.platform.dnd_gnome import GnomeShowBannersBackend
from neckcare_desktop.platform.dnd_reading import INACTIVE, DndReading
from neckcare_desktop.platform.xlib import XDisplay

__all__ = [
    "INACTIVE",
    "DndBackend",
    "DndMonitor",
    "DndReading",
    "GnomeShowBannersBackend",
    "NotificationServerBackend",
    "WindowsNotificationStateBackend",
    "X11FullscreenBackend",
    "default_dnd_backends",
    "notification_state_reading",
]

logger = logging.getLogger(__name__)

NOTIFICATIONS_SERVICE: Final = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH: Final = "/org/freedesktop/Notifications"
DUNST_INTERFACE: Final = "org.dunstproject.cmd0"

_IS_VIEWABLE: Final = 2
_INPUT_ONLY: Final = 2

#: A do-not-disturb question unanswered this long (real seconds) is asked again. QtDBus
#: ends every call within seconds; this only guards against a lost question.
STUCK_QUESTION_S: Final = 30.0


class DndBackend(Protocol):
    """One source of "do not disturb"; ``read()`` may raise BackendUnavailable.

    A backend that asks another process offers ``read_async(done)`` too (see
    :mod:`.backends`); the monitor then never calls ``read()`` on it.
    """

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
    """The notification server's own do-not-disturb: ``Inhibited``, else dunst's ``paused``.

    ``call`` is a D-Bus caller, blocking or asynchronous (default: the session bus,
    asynchronously).
    """

    name = "notifications"

    def __init__(self, call: DBusCall | AsyncDBusCall | None = None) -> None:
        self._bus = as_async(call)

    def read(self) -> DndReading:
        """The reading at once; only for a caller that answers at once (tests, scripts)."""
        return read_now(self.read_async)

    def read_async(self, done: Callable[[Outcome], None]) -> None:
        def inhibited(value: Any) -> None:
            done(
                DndReading(True, translate("DoNotDisturb", "notifications inhibited"))
                if value
                else INACTIVE
            )

        def no_inhibited(exc: DBusError) -> None:
            first = unavailable_from_dbus(exc, "Inhibited", self._bus.timeout_ms)
            if not is_not_supported(exc):
                done(first)
                return
            # The server is there but has no Inhibited: dunst keeps its own switch.
            get_dbus_property_async(
                self._bus,
                NOTIFICATIONS_SERVICE,
                NOTIFICATIONS_PATH,
                DUNST_INTERFACE,
                "paused",
                paused,
                lambda _exc: done(first),
            )

        def paused(value: Any) -> None:
            done(
                DndReading(True, translate("DoNotDisturb", "notifications paused (dunst)"))
                if value
                else INACTIVE
            )

        get_dbus_property_async(
            self._bus,
            NOTIFICATIONS_SERVICE,
            NOTIFICATIONS_PATH,
            NOTIFICATIONS_SERVICE,
            "Inhibited",
            inhibited,
            no_inhibited,
        )

    def close(self) -> None:
        self._bus.close()


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

    ``read()`` never raises and never waits. Quick local backends are asked each time;
    asynchronous ones (``read_async``) answer from their last reading, and each ``read()``
    or :meth:`refresh` asks them again (one question at a time per backend), so the next
    ``read()`` sees the answer. A backend that fails is logged once (INFO) and counts as
    "not active"; one that can never work here is not asked again.

    As the presence watcher's do-not-disturb source, :meth:`current` gives the reason
    (``fallback_reason`` when a backend gave none) or None.
    """

    def __init__(
        self,
        backends: Sequence[DndBackend] | None = None,
        *,
        fallback_reason: str = "do not disturb",
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._backends: list[DndBackend] = (
            list(backends) if backends is not None else default_dnd_backends()
        )
        self.fallback_reason = fallback_reason
        self._monotonic = monotonic
        self._gone: set[int] = set()
        self._reported: set[int] = set()
        self._said_none = False
        self._cached: dict[int, DndReading] = {}  # id(backend) -> last answer (async ones)
        self._asked: dict[int, float] = {}  # id(backend) -> when the open question was asked

    def read(self) -> DndReading:
        if not self._backends and not self._said_none:
            self._said_none = True
            logger.info("do-not-disturb detection is not available here")
        self.refresh()
        for backend in self._backends:
            if id(backend) in self._gone:
                continue
            if _is_async(backend):
                reading = self._cached.get(id(backend), INACTIVE)
            else:
                start_read(backend, lambda outcome, b=backend: self._store(b, outcome))
                reading = self._cached.pop(id(backend), INACTIVE)
            if reading.active:
                return reading
        return INACTIVE

    def current(self) -> str | None:
        """Why breaks should wait now, or None (never waits; see the class docstring)."""
        reading = self.read()
        if not reading.active:
            return None
        return reading.reason or self.fallback_reason

    def refresh(self) -> None:
        """Ask the asynchronous backends again (their answers arrive later), and start
        the watching ones (GNOME's setting) if they are not watching yet."""
        now = self._monotonic()
        for backend in self._backends:
            key = id(backend)
            if key in self._gone:
                continue
            watch = getattr(backend, "watch", None)
            if callable(watch):
                watch()
            if not _is_async(backend):
                continue
            asked = self._asked.get(key)
            if asked is not None and now - asked < STUCK_QUESTION_S:
                continue  # its answer is on the way
            self._asked[key] = now
            start_read(backend, lambda outcome, b=backend: self._answered(b, outcome))

    def _answered(self, backend: DndBackend, outcome: Outcome) -> None:
        self._asked.pop(id(backend), None)
        self._store(backend, outcome)

    def _store(self, backend: DndBackend, outcome: Outcome) -> None:
        """Keep ``outcome`` as the backend's reading; failures count as "not active"."""
        key = id(backend)
        if isinstance(outcome, DndReading):
            self._cached[key] = outcome
            return
        self._cached[key] = INACTIVE
        if isinstance(outcome, BackendUnavailable):
            if outcome.permanent:
                self._gone.add(key)
            self._cannot_read(backend, outcome.reason)
        else:
            logger.debug("do-not-disturb backend %s failed", backend.name, exc_info=outcome)
            self._cannot_read(backend, f"error: {outcome}")

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
        self._asked.clear()


def _is_async(backend: object) -> bool:
    return callable(getattr(backend, "read_async", None))
