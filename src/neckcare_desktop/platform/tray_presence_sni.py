"""StatusNotifierItem tray host (KDE Plasma, GNOME's AppIndicator extension, waybar...).

Qt uses the D-Bus tray when ``org.kde.StatusNotifierWatcher`` is registered the first time
it looks, and re-registers its items by itself when the watcher comes back. The name's
owner changes when the panel restarts: a ``QDBusServiceWatcher`` reports that without a
single call on the bus.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QObject
from PySide6.QtDBus import QDBusConnection, QDBusServiceWatcher

logger = logging.getLogger(__name__)

WATCHER_SERVICE: Final = "org.kde.StatusNotifierWatcher"


def watch(
    on_change: Callable[[], None], parent: QObject, bus: QDBusConnection | None = None
) -> QDBusServiceWatcher | None:
    """Call ``on_change()`` when the StatusNotifier watcher's owner changes."""
    bus = bus if bus is not None else QDBusConnection.sessionBus()
    if not bus.isConnected():
        return None
    watcher = QDBusServiceWatcher(
        WATCHER_SERVICE, bus, QDBusServiceWatcher.WatchModeFlag.WatchForOwnerChange, parent
    )
    watcher.serviceOwnerChanged.connect(lambda *_: on_change())
    return watcher
