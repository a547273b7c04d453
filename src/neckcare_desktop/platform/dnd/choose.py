"""Which do-not-disturb backends to ask in this session (no I/O: objects only).

macOS offers no public way to read Focus, so there the answer is always "not active".
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from neckcare_desktop.platform.backends import BackendUnavailable, detect_session
from neckcare_desktop.platform.dnd.base import DndBackend, DndReading
from neckcare_desktop.platform.dnd.gnome import GnomeShowBannersBackend
from neckcare_desktop.platform.dnd.notification_server import NotificationServerBackend
from neckcare_desktop.platform.dnd.x11 import X11FullscreenBackend


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
    if session.platform == "win32":  # imported here: NeckCare holds only its system's code
        from neckcare_desktop.platform.dnd.windows import WindowsNotificationStateBackend

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
