"""Which idle backends to try in this session, and in which order (no I/O: objects only).

On Wayland the X11 backend is never used: XWayland only sees input sent to X11 programs, so
it would call a person typing into a native Wayland window "idle". On GNOME Mutter comes
first, on KDE ``org.freedesktop.ScreenSaver``; elsewhere the X server is asked first.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from neckcare_desktop.platform.backends import BackendUnavailable, detect_session
from neckcare_desktop.platform.dbus import QtAsyncDBusCaller
from neckcare_desktop.platform.idle.base import IdleBackend, IdleReading
from neckcare_desktop.platform.idle.freedesktop import FreedesktopIdleBackend
from neckcare_desktop.platform.idle.mutter import MutterIdleBackend
from neckcare_desktop.platform.idle.x11 import X11IdleBackend


class _NotUsed:
    """A backend deliberately left out, so the log says why instead of just omitting it."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self._reason = reason

    def read(self) -> IdleReading | None:
        raise BackendUnavailable(self._reason, permanent=True)

    def close(self) -> None:
        pass


def default_backends(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> list[IdleBackend]:
    """The backends worth trying here, best first. Builds objects only: no I/O yet."""
    session = detect_session(environ, platform)
    # Imported here, not at the top: a running NeckCare holds only its own system's code.
    if session.platform == "win32":
        from neckcare_desktop.platform.idle.windows import WindowsIdleBackend

        return [WindowsIdleBackend()]
    if session.platform == "darwin":
        from neckcare_desktop.platform.idle.macos import MacEventSourceBackend, MacIoregBackend

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
    call = QtAsyncDBusCaller()
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
