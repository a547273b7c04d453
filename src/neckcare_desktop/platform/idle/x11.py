"""Idle time on X11: the MIT-SCREEN-SAVER extension (``XScreenSaverQueryInfo``) through
ctypes on ``libXss.so.1``; its ``state`` tells whether the screen saver is on (blanked).

Never used on Wayland (see :func:`neckcare_desktop.platform.idle.choose.default_backends`).
"""

from __future__ import annotations

import ctypes
import functools
from typing import Any, Final

from neckcare_desktop.platform.backends import BackendUnavailable
from neckcare_desktop.platform.idle.base import IdleReading
from neckcare_desktop.platform.x11 import XDisplay, load_library

SCREEN_SAVER_ON: Final = 1


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("event_mask", ctypes.c_ulong),
    ]


@functools.cache
def _xss() -> ctypes.CDLL:
    lib = load_library("libXss.so.1", "Xss")
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
