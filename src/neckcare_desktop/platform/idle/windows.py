"""Idle time on Windows: ``GetLastInputInfo`` against ``GetTickCount``."""

from __future__ import annotations

import ctypes
import sys
from typing import Any, Final

from neckcare_desktop.platform.backends import BackendUnavailable
from neckcare_desktop.platform.idle.base import IdleReading

_TICK_MASK: Final = 0xFFFFFFFF


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
            user32 = ctypes.WinDLL("user32")
            kernel32 = ctypes.WinDLL("kernel32")
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
