"""What the app reads from this desktop, built through ``platform/``: idle time and
do-not-disturb (presence), the notification server, call detection.

One module so that tests replace them in one place (``tests/conftest.py`` gives offscreen
tests a quiet presence, no notification server and no call detection): the app looks
these functions up here each time it builds one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from neckcare_desktop.core.clock import Clock
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.presence import PresenceWatcher


def default_notification_server(parent: QObject) -> Any:  # -> NotificationServer
    """The desktop's notification server on the session bus (asked asynchronously)."""
    from neckcare_desktop.platform.notifications import NotificationServer
    from neckcare_desktop.platform.notifier import default_sender

    return NotificationServer(default_sender(), parent=parent)


def default_presence(clock: Clock, scale: TimeScale, parent: QObject) -> PresenceWatcher:
    """Idle time and do-not-disturb from this desktop, through ``platform/``."""
    from neckcare_desktop.platform.dnd import DndMonitor
    from neckcare_desktop.platform.idle import IdleMonitor

    # Both are asynchronous sources: the poll asks and the answers arrive through the
    # event loop, so a hung D-Bus service never holds up the GUI thread.
    idle = IdleMonitor()
    dnd = DndMonitor(fallback_reason=QCoreApplication.translate("NeckCareApp", "do not disturb"))
    watcher = PresenceWatcher(idle, dnd, clock, scale, parent)
    watcher.watch_logind()
    return watcher


def default_call_monitor(parent: QObject) -> Any:  # -> platform.calls.CallMonitor
    """Microphone and camera in use by another program (in-use flags only)."""
    from neckcare_desktop.platform.calls import CallMonitor

    return CallMonitor(parent=parent)
