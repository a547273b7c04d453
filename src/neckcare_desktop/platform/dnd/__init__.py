"""Whether now is a bad moment to pop up a break: a fullscreen window, or do-not-disturb.

Why this exists: a break window in the middle of a presentation, a video call or a game is
the reminder people hate most (BreakTimer issue #35, Stretchly issue #1553). The app asks
:meth:`DndMonitor.read` before showing a break and holds it back while the answer is
active. This package only observes; the policy (how long to hold a break back) belongs to
the core.

Nothing here waits for another process: ``read()`` answers at once. The X11 and Windows
backends are quick local calls and are asked each time; the notification server is asked
over D-Bus asynchronously (:meth:`DndMonitor.refresh`, and each ``read()`` starts a new
question) and its last answer is used; GNOME's switch is a watched setting
(:mod:`.gnome`). :class:`DndMonitor` (:mod:`.monitor`) asks the backends
:mod:`.choose` picks for the session; each backend has the shape of
:class:`~.base.DndBackend`, in a module of its own.

Backends, asked in order; the first that reports "active" wins:

* ``x11-fullscreen`` (:mod:`.x11`): the active window (``_NET_ACTIVE_WINDOW``) has
  ``_NET_WM_STATE_FULLSCREEN``. Without a window manager there is no active window, so every
  mapped top-level window that is fullscreen, or covers the whole screen, counts. Windows of
  this process (``_NET_WM_PID``) never count: our own break window must not hold itself
  back.
* ``notifications`` (:mod:`.notification_server`): the notification server says
  notifications are held back: the ``Inhibited`` property of
  ``org.freedesktop.Notifications`` (KDE Plasma), or dunst's ``paused`` property (the usual
  server on i3/sway-style desktops).
* ``gnome-show-banners`` (:mod:`.gnome`): GNOME's do-not-disturb switch is the
  ``show-banners`` setting, watched with one ``gsettings monitor`` process (GNOME Shell's
  notification server has no ``Inhibited``).
* ``windows-notification-state`` (:mod:`.windows`): ``SHQueryUserNotificationState``
  (fullscreen/Direct3D, presentation mode, busy, quiet time).

macOS offers no public way to read Focus, so there the answer is always "not active".
A backend that cannot answer is logged once and treated as "not active": missing a reason
to wait is better than never reminding at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from neckcare_desktop.platform.backends import lazy_attributes
from neckcare_desktop.platform.dnd.base import INACTIVE, DndBackend, DndReading
from neckcare_desktop.platform.dnd.choose import default_dnd_backends
from neckcare_desktop.platform.dnd.gnome import GnomeShowBannersBackend
from neckcare_desktop.platform.dnd.monitor import DndMonitor
from neckcare_desktop.platform.dnd.notification_server import NotificationServerBackend
from neckcare_desktop.platform.dnd.x11 import X11FullscreenBackend

if TYPE_CHECKING:
    from neckcare_desktop.platform.dnd.windows import (
        WindowsNotificationStateBackend,
        notification_state_reading,
    )

# The other operating systems' backends load on first use (PEP 562): a running NeckCare
# holds only its own system's code (bench/run.py's memory budget).
_ELSEWHERE = {
    "WindowsNotificationStateBackend": "windows",
    "notification_state_reading": "windows",
}


__getattr__ = lazy_attributes(__name__, _ELSEWHERE)


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
