"""How long the person has been away from keyboard and mouse, and whether the screen is locked.

Why this exists: a person who walked away from the desk (or locked the screen) has already
had their break. Reminding them the moment they sit down again, or counting the time away
as screen time, is the most common complaint about break reminders (Workrave, Stretchly
and Safe Eyes issues alike). So the app polls :meth:`IdleMonitor.request` and treats long
idle time, or a locked screen, as a natural break. This package only measures; it decides
nothing and runs no timers.

There is no single API for this, so there is one small backend per environment, each in
its own module, all of the shape :class:`~.base.IdleBackend`:

* ``x11-screensaver`` (:mod:`.x11`): the MIT-SCREEN-SAVER extension.
* ``mutter`` (:mod:`.mutter`): GNOME's ``org.gnome.Mutter.IdleMonitor`` (X11 and
  Wayland) plus ``org.gnome.ScreenSaver.GetActive`` for the lock. It can also *push* away
  and back (:mod:`.mutter_watch`: ``AddIdleWatch``/``AddUserActiveWatch`` and the
  ``WatchFired`` signal), offered through :meth:`IdleMonitor.watch`; the app then stops
  polling idle time while the person types.
* ``freedesktop`` (:mod:`.freedesktop`): ``org.freedesktop.ScreenSaver`` (KDE and
  others): ``GetSessionIdleTime`` and ``GetActive``.
* ``windows-lastinput`` (:mod:`.windows`): ``GetLastInputInfo``.
* ``macos-cgevent`` / ``macos-ioreg`` (:mod:`.macos`).

:class:`IdleMonitor` (:mod:`.monitor`) tries them in an order that fits the session
(:mod:`.choose`) and keeps using the first one that answers. No backend touches D-Bus or X
until the first read, so building a monitor is free. The D-Bus backends are asked
asynchronously: :meth:`IdleMonitor.request` returns at once and the reading arrives through
the event loop, so a hung service never freezes the tray (see
:mod:`neckcare_desktop.platform.backends` and :mod:`neckcare_desktop.platform.dbus`).

On Wayland the X11 backend is never used: XWayland only sees input sent to X11 programs, so
it would call a person typing into a native Wayland window "idle" and their breaks would
be reset while they work.

Everything is meant to be used from one thread (the GUI thread that polls).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from neckcare_desktop.platform.backends import lazy_attributes
from neckcare_desktop.platform.idle.base import AsyncIdleBackend, IdleBackend, IdleReading
from neckcare_desktop.platform.idle.choose import default_backends
from neckcare_desktop.platform.idle.freedesktop import (
    FREEDESKTOP_SCREENSAVER_PATHS,
    FREEDESKTOP_SCREENSAVER_SERVICE,
    FreedesktopIdleBackend,
)
from neckcare_desktop.platform.idle.monitor import STUCK_REQUEST_S, IdleMonitor
from neckcare_desktop.platform.idle.mutter import (
    GNOME_SCREENSAVER_PATH,
    GNOME_SCREENSAVER_SERVICE,
    MUTTER_PATH,
    MUTTER_SERVICE,
    MutterIdleBackend,
)
from neckcare_desktop.platform.idle.x11 import SCREEN_SAVER_ON, X11IdleBackend

if TYPE_CHECKING:
    from neckcare_desktop.platform.idle.macos import (
        MacEventSourceBackend,
        MacIoregBackend,
        hid_idle_seconds,
    )
    from neckcare_desktop.platform.idle.windows import WindowsIdleBackend, idle_ms_from_ticks

# The other operating systems' backends load on first use (PEP 562): a running NeckCare
# holds only its own system's code (bench/run.py's memory budget).
_ELSEWHERE = {
    "MacEventSourceBackend": "macos",
    "MacIoregBackend": "macos",
    "hid_idle_seconds": "macos",
    "WindowsIdleBackend": "windows",
    "idle_ms_from_ticks": "windows",
}


__getattr__ = lazy_attributes(__name__, _ELSEWHERE)


__all__ = [
    "FREEDESKTOP_SCREENSAVER_PATHS",
    "FREEDESKTOP_SCREENSAVER_SERVICE",
    "GNOME_SCREENSAVER_PATH",
    "GNOME_SCREENSAVER_SERVICE",
    "MUTTER_PATH",
    "MUTTER_SERVICE",
    "SCREEN_SAVER_ON",
    "STUCK_REQUEST_S",
    "AsyncIdleBackend",
    "FreedesktopIdleBackend",
    "IdleBackend",
    "IdleMonitor",
    "IdleReading",
    "MacEventSourceBackend",
    "MacIoregBackend",
    "MutterIdleBackend",
    "WindowsIdleBackend",
    "X11IdleBackend",
    "default_backends",
    "hid_idle_seconds",
    "idle_ms_from_ticks",
]
