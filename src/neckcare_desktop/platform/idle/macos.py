"""Idle time on macOS: ``CGEventSourceSecondsSinceLastEventType``, or ``ioreg -c
IOHIDSystem`` (``HIDIdleTime``) where the framework cannot be loaded."""

from __future__ import annotations

import ctypes
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, Final

from neckcare_desktop.platform.backends import BackendUnavailable, run_command
from neckcare_desktop.platform.idle.base import IdleReading

_APPLICATION_SERVICES: Final = (
    "/System/Library/Frameworks/ApplicationServices.framework/ApplicationServices"
)
_CG_EVENT_SOURCE_STATE_HID_SYSTEM: Final = 1
_CG_ANY_INPUT_EVENT_TYPE: Final = 0xFFFFFFFF
_HID_IDLE = re.compile(r'"HIDIdleTime"\s*=\s*(\d+)')


class MacEventSourceBackend:
    """``CGEventSourceSecondsSinceLastEventType`` over all input, from the HID system state."""

    name = "macos-cgevent"

    def __init__(self) -> None:
        self._func: Any = None

    def read(self) -> IdleReading | None:
        if sys.platform != "darwin":
            raise BackendUnavailable("not macOS", permanent=True)
        if self._func is None:
            try:
                lib = ctypes.CDLL(_APPLICATION_SERVICES)
            except OSError as exc:
                raise BackendUnavailable(f"no ApplicationServices: {exc}", permanent=True) from None
            func = lib.CGEventSourceSecondsSinceLastEventType
            func.argtypes = [ctypes.c_int32, ctypes.c_uint32]
            func.restype = ctypes.c_double
            self._func = func
        seconds = float(self._func(_CG_EVENT_SOURCE_STATE_HID_SYSTEM, _CG_ANY_INPUT_EVENT_TYPE))
        return IdleReading(idle_seconds=max(0.0, seconds), locked=False, backend=self.name)

    def close(self) -> None:
        self._func = None


def hid_idle_seconds(ioreg_output: str) -> float | None:
    """Seconds from the first ``"HIDIdleTime" = <ns>`` in ``ioreg -c IOHIDSystem`` output."""
    match = _HID_IDLE.search(ioreg_output)
    return int(match[1]) / 1e9 if match else None


class MacIoregBackend:
    """``ioreg -c IOHIDSystem``: slower (a process per read), but needs no framework."""

    name = "macos-ioreg"

    def __init__(self, run: Callable[[Sequence[str]], str] | None = None) -> None:
        self._run = run  # None: the real ioreg (tests pass a fake)

    def read(self) -> IdleReading | None:
        argv = ["ioreg", "-c", "IOHIDSystem", "-d", "4"]
        if self._run is None:
            if sys.platform != "darwin":
                raise BackendUnavailable("not macOS", permanent=True)
            output = run_command(argv)
        else:
            output = self._run(argv)
        seconds = hid_idle_seconds(output)
        if seconds is None:
            raise BackendUnavailable("no HIDIdleTime in ioreg output")
        return IdleReading(idle_seconds=seconds, locked=False, backend=self.name)

    def close(self) -> None:
        pass
