"""Microphone and camera in use on macOS: CoreAudio's and CoreMediaIO's
"is running somewhere" flags, through ctypes.

``kAudioDevicePropertyDeviceIsRunningSomewhere`` is 1 while any process does I/O on an
audio device; it is asked of the devices that have input streams (microphones), so music
playing through the speakers is not a call. CoreMediaIO's
``kCMIODevicePropertyDeviceIsRunningSomewhere`` is the same flag for cameras (what lights
the menu bar's camera indicator). Only these flags are read, never a sample or a frame.
NeckCare itself records nothing, so "somewhere" is always another program.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any, Final

from neckcare_desktop.platform.backends import BackendUnavailable
from neckcare_desktop.platform.calls.base import NO_COREAUDIO, NO_COREMEDIAIO, NOT_SUPPORTED
from neckcare_desktop.platform.calls.polled import POLL_S, PolledBackend

COREAUDIO_PATH: Final = "/System/Library/Frameworks/CoreAudio.framework/CoreAudio"
COREMEDIAIO_PATH: Final = "/System/Library/Frameworks/CoreMediaIO.framework/CoreMediaIO"


def fourcc(code: str) -> int:
    """A four-character code ('dev#') as the UInt32 CoreAudio uses."""
    return int.from_bytes(code.encode("ascii"), "big")


SYSTEM_OBJECT: Final = 1  # kAudioObjectSystemObject, kCMIOObjectSystemObject
PROPERTY_DEVICES: Final = fourcc("dev#")  # kAudioHardwarePropertyDevices, kCMIOHardware...
PROPERTY_STREAMS: Final = fourcc("stm#")  # kAudioDevicePropertyStreams
PROPERTY_RUNNING_SOMEWHERE: Final = fourcc(
    "gone"
)  # k{Audio,CMIO}DevicePropertyDeviceIsRunningSomewhere
SCOPE_GLOBAL: Final = fourcc("glob")
SCOPE_INPUT: Final = fourcc("inpt")
ELEMENT_MAIN: Final = 0


class PropertyAddress(ctypes.Structure):
    """AudioObjectPropertyAddress / CMIOObjectPropertyAddress (same layout)."""

    _fields_ = [
        ("mSelector", ctypes.c_uint32),
        ("mScope", ctypes.c_uint32),
        ("mElement", ctypes.c_uint32),
    ]


_ADDRESS_P = ctypes.POINTER(PropertyAddress)
_UINT32_P = ctypes.POINTER(ctypes.c_uint32)


class _Objects:
    """Property reads on CoreAudio's or CoreMediaIO's object tree, by the C calls' rules."""

    def __init__(self, lib: Any, prefix: str) -> None:
        self._cmio = prefix == "CMIO"
        self._size = getattr(lib, f"{prefix}ObjectGetPropertyDataSize")
        self._data = getattr(lib, f"{prefix}ObjectGetPropertyData")
        if isinstance(lib, ctypes.CDLL):  # a fake in tests takes Python objects as they are
            self._size.argtypes = [ctypes.c_uint32, _ADDRESS_P, ctypes.c_uint32, ctypes.c_void_p]
            self._size.argtypes += [_UINT32_P]
            self._size.restype = ctypes.c_int32
            if self._cmio:
                self._data.argtypes = [ctypes.c_uint32, _ADDRESS_P, ctypes.c_uint32]
                self._data.argtypes += [ctypes.c_void_p, ctypes.c_uint32, _UINT32_P]
            else:
                self._data.argtypes = [ctypes.c_uint32, _ADDRESS_P, ctypes.c_uint32]
                self._data.argtypes += [ctypes.c_void_p, _UINT32_P]
            self._data.argtypes += [ctypes.c_void_p]
            self._data.restype = ctypes.c_int32

    def size(self, obj: int, selector: int, scope: int = SCOPE_GLOBAL) -> int:
        address = PropertyAddress(selector, scope, ELEMENT_MAIN)
        size = ctypes.c_uint32(0)
        status = self._size(obj, ctypes.pointer(address), 0, None, ctypes.pointer(size))
        if status != 0:
            raise OSError(f"GetPropertyDataSize({obj}, {selector:#x}) failed: {status}")
        return int(size.value)

    def uint32s(self, obj: int, selector: int, scope: int = SCOPE_GLOBAL) -> list[int]:
        size = self.size(obj, selector, scope)
        count = size // ctypes.sizeof(ctypes.c_uint32)
        if count == 0:
            return []
        buffer = (ctypes.c_uint32 * count)()
        address = PropertyAddress(selector, scope, ELEMENT_MAIN)
        if self._cmio:
            used = ctypes.c_uint32(0)
            status = self._data(
                obj, ctypes.pointer(address), 0, None, size, ctypes.pointer(used), buffer
            )
            got = int(used.value)
        else:
            io_size = ctypes.c_uint32(size)
            status = self._data(
                obj, ctypes.pointer(address), 0, None, ctypes.pointer(io_size), buffer
            )
            got = int(io_size.value)
        if status != 0:
            raise OSError(f"GetPropertyData({obj}, {selector:#x}) failed: {status}")
        return list(buffer[: got // ctypes.sizeof(ctypes.c_uint32)])

    def flag(self, obj: int, selector: int) -> bool:
        values = self.uint32s(obj, selector)
        return bool(values and values[0])


def inputs_running(lib: Any) -> list[int]:
    """CoreAudio devices with input streams that some process is running."""
    objects = _Objects(lib, "Audio")
    running = []
    for device in objects.uint32s(SYSTEM_OBJECT, PROPERTY_DEVICES):
        try:
            if objects.size(device, PROPERTY_STREAMS, SCOPE_INPUT) == 0:
                continue  # speakers only: playing music is not a call
            if objects.flag(device, PROPERTY_RUNNING_SOMEWHERE):
                running.append(device)
        except OSError:  # a device unplugged between the two calls
            continue
    return running


def cameras_running(lib: Any) -> list[int]:
    """CoreMediaIO devices (cameras) that some process is running."""
    objects = _Objects(lib, "CMIO")
    running = []
    for device in objects.uint32s(SYSTEM_OBJECT, PROPERTY_DEVICES):
        try:
            if objects.flag(device, PROPERTY_RUNNING_SOMEWHERE):
                running.append(device)
        except OSError:
            continue
    return running


class _MacBackend(PolledBackend):
    _path = ""
    _problem_text = NO_COREAUDIO

    def __init__(self, lib: Any = None, *, poll_s: float = POLL_S) -> None:
        super().__init__(self._look, poll_s=poll_s)
        self._lib = lib
        #: The devices found running at the last look (for tests).
        self.devices: list[int] = []

    def _load(self) -> Any:
        if self._lib is None:
            if sys.platform != "darwin":
                raise BackendUnavailable(NOT_SUPPORTED, permanent=True)
            try:
                self._lib = ctypes.CDLL(self._path)
            except OSError:
                raise BackendUnavailable(self._problem_text, permanent=True) from None
        return self._lib

    def _look(self) -> bool:
        self.devices = self._running(self._load())
        return bool(self.devices)

    def _running(self, lib: Any) -> list[int]:
        raise NotImplementedError


class MacMicrophoneBackend(_MacBackend):
    name = "macos-coreaudio"
    device = "microphone"
    _path = COREAUDIO_PATH
    _problem_text = NO_COREAUDIO

    def _running(self, lib: Any) -> list[int]:
        return inputs_running(lib)


class MacCameraBackend(_MacBackend):
    name = "macos-coremediaio"
    device = "camera"
    _path = COREMEDIAIO_PATH
    _problem_text = NO_COREMEDIAIO

    def _running(self, lib: Any) -> list[int]:
        return cameras_running(lib)
