"""Microphone and camera in use on macOS, against fakes of CoreAudio's and CoreMediaIO's C
calls that keep their contracts: property addresses by pointer, the data size asked first
and checked, OSStatus error codes for unknown objects and properties."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from typing import Any

import pytest

from neckcare_desktop.platform.calls import CallMonitor
from neckcare_desktop.platform.calls.macos import (
    ELEMENT_MAIN,
    PROPERTY_DEVICES,
    PROPERTY_RUNNING_SOMEWHERE,
    PROPERTY_STREAMS,
    SCOPE_GLOBAL,
    SCOPE_INPUT,
    SYSTEM_OBJECT,
    MacCameraBackend,
    MacMicrophoneBackend,
    fourcc,
)

BAD_OBJECT = fourcc("!obj")  # kAudioHardwareBadObjectError / kCMIOHardwareBadObjectError
UNKNOWN_PROPERTY = fourcc("who?")  # k…UnknownPropertyError
BAD_SIZE = fourcc("!siz")  # k…BadPropertySizeError
SCOPE_OUTPUT = fourcc("outp")


class FakeDevice:
    def __init__(self, inputs: int = 0, outputs: int = 0) -> None:
        self.inputs, self.outputs, self.running = inputs, outputs, False


class FakeHardware:
    """The object tree: system object 1 lists the devices; each device has streams per scope
    and the "is running somewhere" flag."""

    def __init__(self) -> None:
        self.devices: dict[int, FakeDevice] = {}
        self.asked: list[tuple[int, int]] = []  # (object, selector) of every data read

    def values(self, obj: int, address: Any) -> list[int] | int:
        """The property's UInt32 values, or an OSStatus."""
        if address.mElement != ELEMENT_MAIN:
            return UNKNOWN_PROPERTY
        if obj == SYSTEM_OBJECT:
            return list(self.devices) if address.mSelector == PROPERTY_DEVICES else UNKNOWN_PROPERTY
        device = self.devices.get(obj)
        if device is None:
            return BAD_OBJECT
        if address.mSelector == PROPERTY_RUNNING_SOMEWHERE:
            return [int(device.running)]
        if address.mSelector == PROPERTY_STREAMS:
            count = {SCOPE_INPUT: device.inputs, SCOPE_OUTPUT: device.outputs}.get(
                address.mScope, device.inputs + device.outputs
            )
            return [obj * 100 + n for n in range(count)]
        return UNKNOWN_PROPERTY


def _write(values: list[int], available: int, buffer: Any) -> int:
    count = min(len(values), available // 4)
    for n in range(count):
        buffer[n] = values[n]
    return count * 4


class FakeCoreAudio:
    """``AudioObjectGetPropertyDataSize`` / ``AudioObjectGetPropertyData``."""

    def __init__(self, hardware: FakeHardware) -> None:
        self.hw = hardware

    def AudioObjectGetPropertyDataSize(self, obj, address, qsize, qdata, out_size):
        values = self.hw.values(obj, address.contents)
        if isinstance(values, int):
            return values
        out_size.contents.value = 4 * len(values)
        return 0

    def AudioObjectGetPropertyData(self, obj, address, qsize, qdata, io_size, out_data):
        values = self.hw.values(obj, address.contents)
        if isinstance(values, int):
            return values
        self.hw.asked.append((obj, address.contents.mSelector))
        if io_size.contents.value < 4 and values:
            return BAD_SIZE
        io_size.contents.value = _write(values, io_size.contents.value, out_data)
        return 0


class FakeCoreMediaIO:
    """``CMIOObjectGetPropertyDataSize`` / ``CMIOObjectGetPropertyData`` (size by value,
    the bytes written through ``dataUsed``)."""

    def __init__(self, hardware: FakeHardware) -> None:
        self.hw = hardware

    def CMIOObjectGetPropertyDataSize(self, obj, address, qsize, qdata, out_size):
        values = self.hw.values(obj, address.contents)
        if isinstance(values, int):
            return values
        out_size.contents.value = 4 * len(values)
        return 0

    def CMIOObjectGetPropertyData(self, obj, address, qsize, qdata, size, used, out_data):
        assert isinstance(size, int)
        values = self.hw.values(obj, address.contents)
        if isinstance(values, int):
            return values
        self.hw.asked.append((obj, address.contents.mSelector))
        used.contents.value = _write(values, size, out_data)
        return 0


BUILT_IN_MIC, SPEAKERS, HEADSET, FACETIME_CAMERA = 41, 42, 43, 77


@pytest.fixture
def audio() -> FakeHardware:
    hardware = FakeHardware()
    hardware.devices = {
        BUILT_IN_MIC: FakeDevice(inputs=1),
        SPEAKERS: FakeDevice(outputs=1),
        HEADSET: FakeDevice(inputs=1, outputs=1),
    }
    return hardware


@pytest.fixture
def video() -> FakeHardware:
    hardware = FakeHardware()
    hardware.devices = {FACETIME_CAMERA: FakeDevice()}
    return hardware


@pytest.fixture
def monitor(audio: FakeHardware, video: FakeHardware) -> Iterator[CallMonitor]:
    made = CallMonitor(
        [
            MacMicrophoneBackend(FakeCoreAudio(audio), poll_s=0.05),
            MacCameraBackend(FakeCoreMediaIO(video), poll_s=0.05),
        ]
    )
    yield made
    made.close()


def test_music_on_the_speakers_is_not_a_call_but_the_microphone_is(qtbot, audio, monitor):
    audio.devices[SPEAKERS].running = True
    looks = (SYSTEM_OBJECT, PROPERTY_DEVICES)
    qtbot.waitUntil(lambda: audio.asked.count(looks) >= 2, timeout=5000)
    assert not monitor.in_call()
    assert (SPEAKERS, PROPERTY_RUNNING_SOMEWHERE) not in audio.asked  # output only: not asked
    with qtbot.waitSignal(monitor.in_call_changed, timeout=5000) as started:
        audio.devices[HEADSET].running = True  # a call on the headset
    assert started.args == [True] and monitor.in_use() == ["microphone"]
    with qtbot.waitSignal(monitor.in_call_changed, timeout=5000) as ended:
        audio.devices[HEADSET].running = False
    assert ended.args == [False]


def test_the_camera_running_is_a_call(qtbot, video, monitor):
    video.devices[FACETIME_CAMERA].running = True
    qtbot.waitUntil(monitor.in_call, timeout=5000)
    assert monitor.in_use() == ["camera"] and monitor.describe() is None


def test_a_device_unplugged_between_two_calls_is_skipped(qtbot, audio):
    audio.devices[BUILT_IN_MIC].running = True
    lib = FakeCoreAudio(audio)
    real = lib.AudioObjectGetPropertyData

    def unplug_headset_once_listed(obj, address, *rest):
        status = real(obj, address, *rest)
        if obj == SYSTEM_OBJECT:
            audio.devices.pop(HEADSET, None)  # gone before it is asked about
        return status

    lib.AudioObjectGetPropertyData = unplug_headset_once_listed  # type: ignore[method-assign]
    backend = MacMicrophoneBackend(lib, poll_s=0.05)
    backend.look()
    assert backend.in_use() and backend.devices == [BUILT_IN_MIC]


def test_off_macos_the_backends_say_so():
    for backend in (MacMicrophoneBackend(), MacCameraBackend()):
        backend.look()
        assert backend.problem() == "this system is not supported"
        assert not backend.in_use()
    monitor = CallMonitor([MacMicrophoneBackend(), MacCameraBackend()], start=False)
    for backend in monitor._backends:
        backend.look()  # type: ignore[attr-defined]
    assert monitor.describe() == "Call detection is not available: this system is not supported."
    monitor.close()


def test_the_address_structure_matches_coreaudios():
    # AudioObjectPropertyAddress: three UInt32 (selector, scope, element), 12 bytes.
    from neckcare_desktop.platform.calls.macos import PropertyAddress

    assert ctypes.sizeof(PropertyAddress) == 12
    assert PROPERTY_RUNNING_SOMEWHERE == 0x676F6E65 and SCOPE_GLOBAL == 0x676C6F62
