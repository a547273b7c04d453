"""Do-not-disturb on Windows: ``SHQueryUserNotificationState`` (fullscreen or Direct3D
applications, presentation mode, busy, quiet time), what Windows itself uses to hold back
toasts."""

from __future__ import annotations

import ctypes
import sys
from typing import Any, Final

from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from neckcare_desktop.platform.backends import BackendUnavailable
from neckcare_desktop.platform.dnd.base import INACTIVE, DndReading

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
            func = ctypes.WinDLL("shell32").SHQueryUserNotificationState
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
