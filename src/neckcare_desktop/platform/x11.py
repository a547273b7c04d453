"""Xlib through ctypes, shared by the X11 backends (idle time, fullscreen windows).

No python-xlib dependency: a handful of calls on ``libX11.so.6`` with their prototypes. One
connection per backend, opened on first use and kept (see :class:`XDisplay`). Used from
one thread only (the GUI thread that polls), so no ``XInitThreads``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os
from dataclasses import dataclass
from typing import Any, Final

from neckcare_desktop.platform.backends import BackendUnavailable

logger = logging.getLogger(__name__)

_AnyPropertyType: Final = 0


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


def load_library(soname: str, short: str) -> ctypes.CDLL:
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
    lib = load_library("libX11.so.6", "X11")
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
