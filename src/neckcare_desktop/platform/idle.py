"""How long the person has been away from keyboard and mouse, and whether the screen is locked.

Why this exists: a person who walked away from the desk (or locked the screen) has already
had their break. Reminding them the moment they sit down again, or counting the time away
as screen time, is the most common complaint about break reminders (see
``/work/shared/notes/anchors.md``). So the app polls :meth:`IdleMonitor.read` and treats long
idle time, or a locked screen, as a natural break. This module only measures; it decides
nothing and runs no timers.

There is no single API for this, so there is one small backend per environment:

* ``x11-screensaver``: the MIT-SCREEN-SAVER extension (``XScreenSaverQueryInfo``) through
  ctypes on ``libXss.so.1``; its ``state`` tells whether the screen saver is on (blanked).
* ``mutter``: GNOME's ``org.gnome.Mutter.IdleMonitor`` (X11 and Wayland) plus
  ``org.gnome.ScreenSaver.GetActive`` for the lock.
* ``freedesktop``: ``org.freedesktop.ScreenSaver`` (KDE and others): ``GetSessionIdleTime``
  and ``GetActive``.
* ``windows-lastinput``: ``GetLastInputInfo`` against ``GetTickCount``.
* ``macos-cgevent`` / ``macos-ioreg``: ``CGEventSourceSecondsSinceLastEventType`` or
  ``ioreg -c IOHIDSystem`` (``HIDIdleTime``).

:class:`IdleMonitor` tries them in an order that fits the session and keeps using the first
one that answers. No backend touches D-Bus or X until the first read, so building a monitor
is free. D-Bus calls go through QtDBus (part of PySide6, no new dependency) with a short
timeout and without auto-starting services: a poll must never freeze the tray.

On Wayland the X11 backend is never used: XWayland only sees input sent to X11 programs, so
it would call a person typing into a native Wayland window "idle" and their breaks would
be reset while they work.

The X11 helpers (:class:`XDisplay`) and the D-Bus helpers (:class:`QtDBusCaller`,
:class:`BackendUnavailable`) are shared with :mod:`.do_not_disturb`. Everything here is meant
to be used from one thread (the GUI thread that polls).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

logger = logging.getLogger(__name__)

#: How long one D-Bus call may take. Local calls answer in about a millisecond; a service
#: that takes longer is hung, and the GUI thread must not wait for it.
DBUS_TIMEOUT_MS: Final = 250
#: How long ``ioreg`` may run on macOS (it usually takes well under 100 ms).
SUBPROCESS_TIMEOUT_S: Final = 2.0

MUTTER_SERVICE: Final = "org.gnome.Mutter.IdleMonitor"
MUTTER_PATH: Final = "/org/gnome/Mutter/IdleMonitor/Core"
GNOME_SCREENSAVER_SERVICE: Final = "org.gnome.ScreenSaver"
GNOME_SCREENSAVER_PATH: Final = "/org/gnome/ScreenSaver"
FREEDESKTOP_SCREENSAVER_SERVICE: Final = "org.freedesktop.ScreenSaver"
FREEDESKTOP_SCREENSAVER_PATHS: Final = ("/org/freedesktop/ScreenSaver", "/ScreenSaver")

_TICK_MASK: Final = 0xFFFFFFFF


# -- readings and backends --------------------------------------------------------------------


@dataclass(frozen=True)
class IdleReading:
    """One answer: seconds since the last keyboard/mouse input, and whether the screen is
    locked or blanked (which the app counts as "away" whatever the idle time says)."""

    idle_seconds: float
    locked: bool
    backend: str


class IdleBackend(Protocol):
    """One way of measuring idle time.

    ``read()`` returns None when it has no answer right now; it may instead raise
    :class:`BackendUnavailable` to say why, which :class:`IdleMonitor` puts in its log line.
    """

    name: str

    def read(self) -> IdleReading | None: ...

    def close(self) -> None: ...


class BackendUnavailable(Exception):
    """A backend cannot answer; ``reason`` is a few words for the log.

    ``permanent`` means asking again in this process is pointless (wrong OS, library
    missing, no ``$DISPLAY``), so monitors stop asking. Anything that can come back later,
    such as a D-Bus service that has not started yet at login, is not permanent.
    """

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


# -- D-Bus ---------------------------------------------------------------------------------------


class DBusError(Exception):
    """A D-Bus call failed; ``name`` is the D-Bus error name."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


#: ``call(service, path, interface, method, args) -> reply arguments``; raises DBusError.
#: Backends take one so unit tests can answer for the bus.
DBusCall = Callable[[str, str, str, str, Sequence[Any]], list[Any]]

NO_BUS_ERROR: Final = "neckcare.NoSessionBus"
_NOT_THERE = {
    "org.freedesktop.DBus.Error.ServiceUnknown",
    "org.freedesktop.DBus.Error.NameHasNoOwner",
}
_NOT_SUPPORTED = {
    "org.freedesktop.DBus.Error.UnknownMethod",
    "org.freedesktop.DBus.Error.UnknownObject",
    "org.freedesktop.DBus.Error.UnknownInterface",
    "org.freedesktop.DBus.Error.UnknownProperty",
    "org.freedesktop.DBus.Error.InvalidArgs",
    "org.freedesktop.DBus.Error.NotSupported",
}
_NO_REPLY = {
    "org.freedesktop.DBus.Error.NoReply",
    "org.freedesktop.DBus.Error.Timeout",
    "org.freedesktop.DBus.Error.TimedOut",
}


class QtDBusCaller:
    """Blocking D-Bus method calls through QtDBus, each bounded by ``timeout_ms``.

    Uses the session bus, or the bus at ``address`` (tests point it at a private bus).
    Calls never auto-start a service: asking whether the screen is locked must not launch
    a screen saver or a notification daemon. QtDBus is imported on the first call only.
    """

    def __init__(self, timeout_ms: int = DBUS_TIMEOUT_MS, address: str | None = None) -> None:
        self.timeout_ms = timeout_ms
        self.address = address
        self._connection: Any = None
        self._connection_name = f"neckcare-{id(self):x}"

    def _connect(self) -> Any:
        from PySide6.QtDBus import QDBusConnection

        if self._connection is None:
            if self.address is None:
                self._connection = QDBusConnection.sessionBus()
            else:
                self._connection = QDBusConnection.connectToBus(self.address, self._connection_name)
        if not self._connection.isConnected():
            error = self._connection.lastError()
            detail = error.message() if error.isValid() else "not connected"
            raise DBusError(NO_BUS_ERROR, f"no D-Bus session bus ({detail})")
        return self._connection

    def __call__(
        self, service: str, path: str, interface: str, method: str, args: Sequence[Any] = ()
    ) -> list[Any]:
        from PySide6.QtDBus import QDBus, QDBusMessage

        connection = self._connect()
        message = QDBusMessage.createMethodCall(service, path, interface, method)
        message.setAutoStartService(False)
        if args:
            message.setArguments(list(args))
        reply = connection.call(message, QDBus.CallMode.Block, self.timeout_ms)
        if reply.type() == QDBusMessage.MessageType.ErrorMessage:
            raise DBusError(reply.errorName(), reply.errorMessage())
        return [_unwrap_variant(value) for value in reply.arguments()]

    def close(self) -> None:
        """Drop a private bus connection (the shared session bus stays Qt's)."""
        if self._connection is not None and self.address is not None:
            from PySide6.QtDBus import QDBusConnection

            QDBusConnection.disconnectFromBus(self._connection_name)
        self._connection = None


def _unwrap_variant(value: Any) -> Any:
    """QtDBus hands ``v``-typed values (e.g. from Properties.Get) over as QDBusVariant."""
    inner = getattr(value, "variant", None)
    return inner() if callable(inner) else value


def unavailable_from_dbus(
    error: DBusError, what: str, timeout_ms: int = DBUS_TIMEOUT_MS
) -> BackendUnavailable:
    """Turn a D-Bus failure into the few words a person reading the log needs."""
    if error.name == NO_BUS_ERROR:
        return BackendUnavailable("no D-Bus session bus")
    if error.name in _NOT_THERE:
        return BackendUnavailable("not on the bus")
    if error.name in _NOT_SUPPORTED:
        return BackendUnavailable(f"{what} not supported ({error.message})")
    if error.name in _NO_REPLY:
        return BackendUnavailable(f"no reply to {what} within {timeout_ms} ms")
    return BackendUnavailable(f"{what} failed ({error.name}: {error.message})")


def is_not_supported(error: DBusError) -> bool:
    """The service is there but lacks this object, interface, method or property."""
    return error.name in _NOT_SUPPORTED


def get_dbus_property(call: DBusCall, service: str, path: str, interface: str, name: str) -> Any:
    """``org.freedesktop.DBus.Properties.Get``; raises DBusError."""
    reply = call(service, path, "org.freedesktop.DBus.Properties", "Get", (interface, name))
    if not reply:
        raise DBusError("neckcare.EmptyReply", f"no value for {interface}.{name}")
    return _unwrap_variant(reply[0])


class MutterIdleBackend:
    """GNOME Shell's idle monitor: works on GNOME X11 and Wayland, where nothing else does."""

    name = "mutter"

    def __init__(self, call: DBusCall | None = None) -> None:
        self._call: DBusCall = call if call is not None else QtDBusCaller()

    def read(self) -> IdleReading | None:
        try:
            reply = self._call(
                MUTTER_SERVICE, MUTTER_PATH, "org.gnome.Mutter.IdleMonitor", "GetIdletime", ()
            )
        except DBusError as exc:
            raise unavailable_from_dbus(exc, "GetIdletime") from None
        if not reply:
            raise BackendUnavailable("GetIdletime returned nothing")
        return IdleReading(
            idle_seconds=int(reply[0]) / 1000, locked=self._locked(), backend=self.name
        )

    def _locked(self) -> bool:
        """GNOME's lock screen; unknown counts as unlocked (idle time still works)."""
        try:
            reply = self._call(
                GNOME_SCREENSAVER_SERVICE,
                GNOME_SCREENSAVER_PATH,
                "org.gnome.ScreenSaver",
                "GetActive",
                (),
            )
        except DBusError as exc:
            logger.debug("org.gnome.ScreenSaver.GetActive failed: %s", exc)
            return False
        return bool(reply and reply[0])

    def close(self) -> None:
        close = getattr(self._call, "close", None)
        if callable(close):
            close()


class FreedesktopIdleBackend:
    """``org.freedesktop.ScreenSaver``: KDE Plasma (X11 and Wayland) and some other desktops.

    Some implementations serve it at ``/ScreenSaver`` only, so both paths are tried and the
    one that answered is remembered.
    """

    name = "freedesktop"

    def __init__(
        self, call: DBusCall | None = None, paths: Sequence[str] = FREEDESKTOP_SCREENSAVER_PATHS
    ) -> None:
        self._call: DBusCall = call if call is not None else QtDBusCaller()
        self._paths = tuple(paths)
        self._path: str | None = None

    def _invoke(self, path: str, method: str) -> list[Any]:
        return self._call(
            FREEDESKTOP_SCREENSAVER_SERVICE, path, "org.freedesktop.ScreenSaver", method, ()
        )

    def read(self) -> IdleReading | None:
        paths = (self._path,) if self._path else self._paths
        failure: BackendUnavailable | None = None
        for path in paths:
            try:
                reply = self._invoke(path, "GetSessionIdleTime")
            except DBusError as exc:
                failure = unavailable_from_dbus(exc, "GetSessionIdleTime")
                if is_not_supported(exc):
                    continue  # maybe served at the other path
                break
            if not reply:
                failure = BackendUnavailable("GetSessionIdleTime returned nothing")
                continue
            self._path = path
            return IdleReading(
                idle_seconds=int(reply[0]) / 1000, locked=self._locked(path), backend=self.name
            )
        self._path = None
        raise failure or BackendUnavailable("no path to ask")

    def _locked(self, path: str) -> bool:
        try:
            reply = self._invoke(path, "GetActive")
        except DBusError as exc:
            logger.debug("org.freedesktop.ScreenSaver.GetActive failed: %s", exc)
            return False
        return bool(reply and reply[0])

    def close(self) -> None:
        close = getattr(self._call, "close", None)
        if callable(close):
            close()


# -- X11 -----------------------------------------------------------------------------------------

_AnyPropertyType: Final = 0
SCREEN_SAVER_ON: Final = 1


class _XWindowAttributes(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("border_width", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p),
        ("root", ctypes.c_ulong),
        ("c_class", ctypes.c_int),
        ("bit_gravity", ctypes.c_int),
        ("win_gravity", ctypes.c_int),
        ("backing_store", ctypes.c_int),
        ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong),
        ("save_under", ctypes.c_int),
        ("colormap", ctypes.c_ulong),
        ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int),
        ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long),
        ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int),
        ("screen", ctypes.c_void_p),
    ]


class _XErrorEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("resourceid", ctypes.c_ulong),
        ("serial", ctypes.c_ulong),
        ("error_code", ctypes.c_ubyte),
        ("request_code", ctypes.c_ubyte),
        ("minor_code", ctypes.c_ubyte),
    ]


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("event_mask", ctypes.c_ulong),
    ]


_XErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_XErrorEvent))


@_XErrorHandler
def _ignore_x_error(_display: int, event: Any) -> int:
    """Xlib's default error handler exits the process. A window that closes between two
    requests (an everyday race when looking at other programs' windows) must not take
    NeckCare down with it, so errors are logged and ignored; callers check return values."""
    try:
        error = event.contents
        logger.debug(
            "X error %d (request %d) on %#x ignored",
            error.error_code,
            error.request_code,
            error.resourceid,
        )
    except Exception:  # nothing may escape into C
        pass
    return 0


def _load_library(soname: str, short: str) -> ctypes.CDLL:
    try:
        return ctypes.CDLL(soname)
    except OSError:
        found = ctypes.util.find_library(short)
        if not found:
            raise BackendUnavailable(f"{soname} not found", permanent=True) from None
        try:
            return ctypes.CDLL(found)
        except OSError as exc:
            raise BackendUnavailable(f"cannot load {found}: {exc}", permanent=True) from None


@functools.cache
def _xlib() -> ctypes.CDLL:
    """libX11 with the prototypes we use (without them, 64-bit pointers get truncated)."""
    lib = _load_library("libX11.so.6", "X11")
    c_void_p, c_ulong, c_int = ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XOpenDisplay.restype = c_void_p
    lib.XCloseDisplay.argtypes = [c_void_p]
    lib.XCloseDisplay.restype = c_int
    lib.XDefaultRootWindow.argtypes = [c_void_p]
    lib.XDefaultRootWindow.restype = c_ulong
    lib.XFree.argtypes = [c_void_p]
    lib.XFree.restype = c_int
    lib.XInternAtom.argtypes = [c_void_p, ctypes.c_char_p, c_int]
    lib.XInternAtom.restype = c_ulong
    lib.XGetWindowProperty.argtypes = [
        c_void_p,
        c_ulong,
        c_ulong,
        ctypes.c_long,
        ctypes.c_long,
        c_int,
        c_ulong,
        ctypes.POINTER(c_ulong),
        ctypes.POINTER(c_int),
        ctypes.POINTER(c_ulong),
        ctypes.POINTER(c_ulong),
        ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte)),
    ]
    lib.XGetWindowProperty.restype = c_int
    lib.XQueryTree.argtypes = [
        c_void_p,
        c_ulong,
        ctypes.POINTER(c_ulong),
        ctypes.POINTER(c_ulong),
        ctypes.POINTER(ctypes.POINTER(c_ulong)),
        ctypes.POINTER(ctypes.c_uint),
    ]
    lib.XQueryTree.restype = c_int
    lib.XGetWindowAttributes.argtypes = [c_void_p, c_ulong, ctypes.POINTER(_XWindowAttributes)]
    lib.XGetWindowAttributes.restype = c_int
    lib.XSetErrorHandler.argtypes = [_XErrorHandler]
    lib.XSetErrorHandler.restype = c_void_p
    # Installed once for the whole process and never removed; the callback object lives in
    # this module, so it is never garbage-collected while Xlib may call it. Qt's xcb plugin
    # installs an equivalent "ignore" handler, so replacing it changes nothing for Qt.
    lib.XSetErrorHandler(_ignore_x_error)
    return lib


@functools.cache
def _xss() -> ctypes.CDLL:
    lib = _load_library("libXss.so.1", "Xss")
    c_void_p, c_ulong, c_int = ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int
    lib.XScreenSaverQueryExtension.argtypes = [
        c_void_p,
        ctypes.POINTER(c_int),
        ctypes.POINTER(c_int),
    ]
    lib.XScreenSaverQueryExtension.restype = c_int
    lib.XScreenSaverAllocInfo.argtypes = []
    lib.XScreenSaverAllocInfo.restype = ctypes.POINTER(_XScreenSaverInfo)
    lib.XScreenSaverQueryInfo.argtypes = [c_void_p, c_ulong, ctypes.POINTER(_XScreenSaverInfo)]
    lib.XScreenSaverQueryInfo.restype = c_int
    return lib


@dataclass(frozen=True)
class XProperty:
    """A window property: its type atom, format (8/16/32) and value (bytes or numbers)."""

    type: int
    format: int
    value: bytes | list[int]


class XDisplay:
    """One Xlib connection, opened once and kept: opening a connection per poll would cost
    a socket, a handshake and server resources every few seconds.

    ``name`` None means ``$DISPLAY``. Raises :class:`BackendUnavailable` if there is no
    display to open.
    """

    def __init__(self, name: str | None = None) -> None:
        display_name = name if name is not None else os.environ.get("DISPLAY")
        if not display_name:
            raise BackendUnavailable("no DISPLAY", permanent=True)
        self.name = display_name
        self.lib = _xlib()
        self.display: int | None = self.lib.XOpenDisplay(display_name.encode())
        if not self.display:
            raise BackendUnavailable(f"cannot open display {display_name}")
        self.root: int = self.lib.XDefaultRootWindow(self.display)
        self._atoms: dict[str, int] = {}

    def _require(self) -> int:
        if not self.display:
            raise BackendUnavailable(f"display {self.name} is closed")
        return self.display

    def atom(self, name: str) -> int:
        if name not in self._atoms:
            self._atoms[name] = self.lib.XInternAtom(self._require(), name.encode(), 0)
        return self._atoms[name]

    def property(self, window: int, name: str, max_items: int = 1024) -> XProperty | None:
        """A property of ``window``; None if it is not set or the window is gone."""
        display = self._require()
        actual_type = ctypes.c_ulong()
        actual_format = ctypes.c_int()
        nitems = ctypes.c_ulong()
        bytes_after = ctypes.c_ulong()
        data = ctypes.POINTER(ctypes.c_ubyte)()
        status = self.lib.XGetWindowProperty(
            display,
            window,
            self.atom(name),
            0,
            max_items,
            0,
            _AnyPropertyType,
            ctypes.byref(actual_type),
            ctypes.byref(actual_format),
            ctypes.byref(nitems),
            ctypes.byref(bytes_after),
            ctypes.byref(data),
        )
        try:
            if status != 0 or actual_type.value == 0:
                return None
            count = nitems.value
            fmt = actual_format.value
            value: bytes | list[int]
            if fmt == 8:
                value = ctypes.string_at(data, count)
            elif fmt == 16:
                value = list(ctypes.cast(data, ctypes.POINTER(ctypes.c_ushort))[:count])
            elif fmt == 32:  # Xlib hands format-32 data over as C longs, 8 bytes on 64-bit
                value = list(ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))[:count])
            else:
                return None
            return XProperty(actual_type.value, fmt, value)
        finally:
            if data:
                self.lib.XFree(data)

    def text_property(self, window: int, name: str) -> str | None:
        prop = self.property(window, name)
        if prop is None or not isinstance(prop.value, bytes):
            return None
        return prop.value.decode("utf-8", errors="replace")

    def children(self, window: int) -> list[int]:
        """Child windows, bottom of the stacking order first; [] if the window is gone."""
        display = self._require()
        root = ctypes.c_ulong()
        parent = ctypes.c_ulong()
        kids = ctypes.POINTER(ctypes.c_ulong)()
        count = ctypes.c_uint()
        ok = self.lib.XQueryTree(
            display,
            window,
            ctypes.byref(root),
            ctypes.byref(parent),
            ctypes.byref(kids),
            ctypes.byref(count),
        )
        try:
            return list(kids[: count.value]) if ok and kids else []
        finally:
            if kids:
                self.lib.XFree(kids)

    def attributes(self, window: int) -> _XWindowAttributes | None:
        attrs = _XWindowAttributes()
        ok = self.lib.XGetWindowAttributes(self._require(), window, ctypes.byref(attrs))
        return attrs if ok else None

    def close(self) -> None:
        if self.display:
            self.lib.XCloseDisplay(self.display)
            self.display = None


class X11IdleBackend:
    """XScreenSaverQueryInfo on the X server (X11 sessions without GNOME or KDE services).

    ``locked`` is the extension's ``ScreenSaverOn`` state: the screen saver is running,
    which usually also means locked, and in any case means the person is not looking.
    """

    name = "x11-screensaver"

    def __init__(self, display: str | None = None) -> None:
        self._display_name = display
        self._x: XDisplay | None = None
        self._info: Any = None
        self._broken: str | None = None

    def _connect(self) -> XDisplay:
        if self._broken:
            raise BackendUnavailable(self._broken, permanent=True)
        if self._x is not None:
            return self._x
        try:
            x = XDisplay(self._display_name)
            xss = _xss()
        except BackendUnavailable as exc:
            if exc.permanent:
                self._broken = exc.reason
            raise
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(
            x.display, ctypes.byref(event_base), ctypes.byref(error_base)
        ):
            x.close()
            self._broken = f"no MIT-SCREEN-SAVER extension on {x.name}"
            raise BackendUnavailable(self._broken, permanent=True)
        self._info = xss.XScreenSaverAllocInfo()
        if not self._info:
            x.close()
            raise BackendUnavailable("XScreenSaverAllocInfo failed")
        self._x = x
        return x

    def read(self) -> IdleReading | None:
        x = self._connect()
        if not _xss().XScreenSaverQueryInfo(x.display, x.root, self._info):
            raise BackendUnavailable("XScreenSaverQueryInfo failed")
        info = self._info.contents
        return IdleReading(
            idle_seconds=info.idle / 1000,
            locked=info.state == SCREEN_SAVER_ON,
            backend=self.name,
        )

    def close(self) -> None:
        if self._x is not None:
            if self._info:
                self._x.lib.XFree(self._info)
            self._info = None
            self._x.close()
            self._x = None


# -- Windows -------------------------------------------------------------------------------------


def idle_ms_from_ticks(now_tick: int, last_input_tick: int) -> int:
    """Milliseconds between two ``GetTickCount`` values, across the 49.7-day wrap.

    Both counters are unsigned 32-bit and wrap to 0 after 2**32 ms; subtracting modulo
    2**32 gives the right answer as long as the real gap is under 49.7 days (plain
    subtraction would give a huge negative idle time right after the wrap).
    """
    return (now_tick - last_input_tick) & _TICK_MASK


class _LastInputInfo(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_uint32), ("dwTime", ctypes.c_uint32)]


class WindowsIdleBackend:
    """``GetLastInputInfo``: the tick of the session's last input, compared with now."""

    name = "windows-lastinput"

    def __init__(self) -> None:
        self._funcs: tuple[Any, Any] | None = None

    def _load(self) -> tuple[Any, Any]:
        if sys.platform != "win32":
            raise BackendUnavailable("not Windows", permanent=True)
        if self._funcs is None:
            user32 = ctypes.WinDLL("user32")  # type: ignore[attr-defined]
            kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined]
            get_last_input = user32.GetLastInputInfo
            get_last_input.argtypes = [ctypes.POINTER(_LastInputInfo)]
            get_last_input.restype = ctypes.c_int
            get_tick_count = kernel32.GetTickCount
            get_tick_count.argtypes = []
            get_tick_count.restype = ctypes.c_uint32
            self._funcs = (get_last_input, get_tick_count)
        return self._funcs

    def read(self) -> IdleReading | None:
        get_last_input, get_tick_count = self._load()
        info = _LastInputInfo(cbSize=ctypes.sizeof(_LastInputInfo))
        if not get_last_input(ctypes.byref(info)):
            raise BackendUnavailable("GetLastInputInfo failed")
        idle_ms = idle_ms_from_ticks(get_tick_count(), info.dwTime)
        return IdleReading(idle_seconds=idle_ms / 1000, locked=False, backend=self.name)

    def close(self) -> None:
        self._funcs = None


# -- macOS ---------------------------------------------------------------------------------------

_APPLICATION_SERVICES: Final = (
    "/System/Library/Frameworks/ApplicationServices.framework/ApplicationServices"
)
_CG_EVENT_SOURCE_STATE_HID_SYSTEM: Final = 1
_CG_ANY_INPUT_EVENT_TYPE: Final = 0xFFFFFFFF
_HID_IDLE = re.compile(r'"HIDIdleTime"\s*=\s*(\d+)')


class MacEventSourceBackend:
    """``CGEventSourceSecondsSinceLastEventType`` over all input, from the HID system state."""

    name = "macos-cgevent"

    def __init__(self) -> None:
        self._func: Any = None

    def read(self) -> IdleReading | None:
        if sys.platform != "darwin":
            raise BackendUnavailable("not macOS", permanent=True)
        if self._func is None:
            try:
                lib = ctypes.CDLL(_APPLICATION_SERVICES)
            except OSError as exc:
                raise BackendUnavailable(f"no ApplicationServices: {exc}", permanent=True) from None
            func = lib.CGEventSourceSecondsSinceLastEventType
            func.argtypes = [ctypes.c_int32, ctypes.c_uint32]
            func.restype = ctypes.c_double
            self._func = func
        seconds = float(self._func(_CG_EVENT_SOURCE_STATE_HID_SYSTEM, _CG_ANY_INPUT_EVENT_TYPE))
        return IdleReading(idle_seconds=max(0.0, seconds), locked=False, backend=self.name)

    def close(self) -> None:
        self._func = None


def hid_idle_seconds(ioreg_output: str) -> float | None:
    """Seconds from the first ``"HIDIdleTime" = <ns>`` in ``ioreg -c IOHIDSystem`` output."""
    match = _HID_IDLE.search(ioreg_output)
    return int(match[1]) / 1e9 if match else None


class MacIoregBackend:
    """``ioreg -c IOHIDSystem``: slower (a process per read), but needs no framework."""

    name = "macos-ioreg"

    def __init__(self, run: Callable[[Sequence[str]], str] | None = None) -> None:
        self._run = run  # None: the real ioreg (tests pass a fake)

    def read(self) -> IdleReading | None:
        argv = ["ioreg", "-c", "IOHIDSystem", "-d", "4"]
        if self._run is None:
            if sys.platform != "darwin":
                raise BackendUnavailable("not macOS", permanent=True)
            output = run_command(argv)
        else:
            output = self._run(argv)
        seconds = hid_idle_seconds(output)
        if seconds is None:
            raise BackendUnavailable("no HIDIdleTime in ioreg output")
        return IdleReading(idle_seconds=seconds, locked=False, backend=self.name)

    def close(self) -> None:
        pass


def run_command(argv: Sequence[str]) -> str:
    """Run a short query program and return its output; BackendUnavailable if it fails."""
    try:
        result = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            timeout=SUBPROCESS_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except FileNotFoundError:
        raise BackendUnavailable(f"{argv[0]} not installed", permanent=True) from None
    except subprocess.TimeoutExpired:
        raise BackendUnavailable(f"{argv[0]} took over {SUBPROCESS_TIMEOUT_S:g} s") from None
    except OSError as exc:
        raise BackendUnavailable(f"cannot run {argv[0]}: {exc}") from None
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1:] or [f"exit {result.returncode}"]
        raise BackendUnavailable(f"{argv[0]} failed: {detail[0]}")
    return result.stdout


# -- choosing backends ---------------------------------------------------------------------------


class _NotUsed:
    """A backend deliberately left out, so the log says why instead of just omitting it."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self._reason = reason

    def read(self) -> IdleReading | None:
        raise BackendUnavailable(self._reason, permanent=True)

    def close(self) -> None:
        pass


_GNOME_LIKE: Final = frozenset({"gnome", "gnome-classic", "gnome-flashback", "ubuntu", "unity"})
_KDE_LIKE: Final = frozenset({"kde", "plasma", "lxqt"})


@dataclass(frozen=True)
class Session:
    """What kind of desktop we run in, from the environment (no I/O)."""

    platform: str
    wayland: bool
    desktops: frozenset[str]

    @property
    def gnome(self) -> bool:
        return bool(self.desktops & _GNOME_LIKE)

    @property
    def kde(self) -> bool:
        return bool(self.desktops & _KDE_LIKE)

    @property
    def xfce(self) -> bool:
        return "xfce" in self.desktops


def detect_session(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> Session:
    env = os.environ if environ is None else environ
    session_type = env.get("XDG_SESSION_TYPE", "").strip().lower()
    wayland = session_type == "wayland" or (
        session_type != "x11" and bool(env.get("WAYLAND_DISPLAY"))
    )
    desktops = frozenset(
        part.strip().lower() for part in env.get("XDG_CURRENT_DESKTOP", "").split(":")
    ) - {""}
    return Session(platform or sys.platform, wayland, desktops)


def default_backends(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> list[IdleBackend]:
    """The backends worth trying here, best first. Builds objects only: no I/O yet."""
    session = detect_session(environ, platform)
    if session.platform == "win32":
        return [WindowsIdleBackend()]
    if session.platform == "darwin":
        return [MacEventSourceBackend(), MacIoregBackend()]
    env = os.environ if environ is None else environ
    x11: IdleBackend
    if session.wayland:
        x11 = _NotUsed(
            X11IdleBackend.name, "not used on Wayland (XWayland sees only X11 programs' input)"
        )
    else:
        x11 = X11IdleBackend(env.get("DISPLAY") or None)
    # One D-Bus caller for both D-Bus backends: they talk to the same session bus.
    call = QtDBusCaller()
    mutter, freedesktop = MutterIdleBackend(call), FreedesktopIdleBackend(call)
    if session.wayland:
        order: list[IdleBackend] = (
            [freedesktop, mutter] if session.kde and not session.gnome else [mutter, freedesktop]
        )
        return [*order, x11]
    if session.gnome:
        return [mutter, x11, freedesktop]
    if session.kde:
        return [freedesktop, x11, mutter]
    return [x11, freedesktop, mutter]


# -- the monitor ---------------------------------------------------------------------------------


class IdleMonitor:
    """Idle time from the first backend that answers; cheap to build, polled by the app.

    The backend that answered last is asked first next time; if it stops answering, the
    others are tried again in order. Backends that can never work here (permanent
    :class:`BackendUnavailable`) are not asked again. When nobody answers, ``read()``
    returns None and the app runs breaks on the clock alone; that is said once, at INFO,
    with the reason from every backend, so a bug report shows why.
    """

    def __init__(self, backends: Sequence[IdleBackend] | None = None) -> None:
        self._backends: list[IdleBackend] = (
            list(backends) if backends is not None else default_backends()
        )
        self._current: IdleBackend | None = None
        self._last_answer: IdleBackend | None = None
        self._gone: dict[int, str] = {}  # id(backend) -> permanent reason
        self._tried: list[tuple[str, str]] = []
        self._said_unavailable = False

    @property
    def available(self) -> bool:
        """Whether the latest read() got an answer (False before the first read)."""
        return self._last_answer is not None

    @property
    def backend_name(self) -> str | None:
        """The backend that answered the latest read(), or None."""
        return self._last_answer.name if self._last_answer is not None else None

    @property
    def tried(self) -> list[tuple[str, str]]:
        """(backend, outcome) for each backend the latest read() considered, in order."""
        return list(self._tried)

    def _order(self) -> list[IdleBackend]:
        if self._current is None:
            return list(self._backends)
        return [self._current, *(b for b in self._backends if b is not self._current)]

    def read(self) -> IdleReading | None:
        """The current idle reading, or None when no backend answers. Never raises."""
        tried: list[tuple[str, str]] = []
        for backend in self._order():
            gone = self._gone.get(id(backend))
            if gone is not None:
                tried.append((backend.name, gone))
                continue
            try:
                reading = backend.read()
            except BackendUnavailable as exc:
                if exc.permanent:
                    self._gone[id(backend)] = exc.reason
                tried.append((backend.name, exc.reason))
                continue
            except Exception as exc:
                logger.debug("idle backend %s failed", backend.name, exc_info=True)
                tried.append((backend.name, f"error: {exc}"))
                continue
            if reading is None:
                tried.append((backend.name, "no answer"))
                continue
            tried.append((backend.name, "answered"))
            self._tried = tried
            self._answered(backend, tried)
            return reading
        self._tried = tried
        self._last_answer = None
        self._current = None
        summary = ", ".join(f"{name}: {why}" for name, why in tried) or "no backends"
        if not self._said_unavailable:
            self._said_unavailable = True
            logger.info("idle detection unavailable (tried: %s); breaks work without it", summary)
        else:
            logger.debug("idle detection unavailable (tried: %s)", summary)
        return None

    def _answered(self, backend: IdleBackend, tried: list[tuple[str, str]]) -> None:
        if backend is not self._current:
            others = [f"{name}: {why}" for name, why in tried[:-1]]
            logger.info(
                "idle time from %s%s",
                backend.name,
                f" (not from {', '.join(others)})" if others else "",
            )
        self._current = backend
        self._last_answer = backend

    def close(self) -> None:
        """Release X connections and private buses; a later read() reopens them."""
        for backend in self._backends:
            try:
                backend.close()
            except Exception:
                logger.debug("closing idle backend %s failed", backend.name, exc_info=True)
        self._current = None
        self._last_answer = None
