"""The call monitor over its backends: one signal per change, what Settings is told when
detection cannot work (fully or in part), and only this system's backends loaded."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest

from neckcare_desktop.platform.calls import CallMonitor, default_call_backends
from neckcare_desktop.platform.calls.base import NO_PACTL, NO_SERVER


class FakeBackend:
    def __init__(self, device: str, problem: str | None = None) -> None:
        self.name, self.device = f"fake-{device}", device
        self._problem = problem
        self._in_use = False
        self._changed: Callable[[], None] | None = None
        self.closed = False

    def start(self, changed: Callable[[], None]) -> None:
        self._changed = changed

    def in_use(self) -> bool:
        return self._in_use

    def problem(self) -> str | None:
        return self._problem

    def close(self) -> None:
        self.closed = True

    def set(self, in_use: bool | None = None, problem: str | None = "") -> None:
        if in_use is not None:
            self._in_use = in_use
        if problem != "":
            self._problem = problem
        assert self._changed is not None
        self._changed()


def test_one_signal_per_change_whichever_device(qtbot):
    mic, camera = FakeBackend("microphone"), FakeBackend("camera")
    monitor = CallMonitor([mic, camera])
    seen: list[bool] = []
    monitor.in_call_changed.connect(seen.append)
    mic.set(True)
    camera.set(True)  # still in the call: nothing new to say
    mic.set(False)
    assert monitor.in_use() == ["camera"]
    camera.set(False)
    mic.set(False)
    assert seen == [True, False]
    monitor.close()
    assert mic.closed and camera.closed


@pytest.mark.parametrize(
    ("mic", "camera", "said"),
    [
        (None, None, None),
        (
            NO_SERVER,
            None,
            "Microphone use cannot be detected: no PulseAudio or PipeWire server was found.",
        ),
        (
            None,
            "the list of processes (/proc) cannot be read",
            "Camera use cannot be detected: the list of processes (/proc) cannot be read.",
        ),
        (
            NO_PACTL,
            NO_PACTL,
            "Call detection is not available: the pactl program (package"
            " pulseaudio-utils) is not installed.",
        ),
    ],
)
def test_what_settings_are_told(mic, camera, said):
    monitor = CallMonitor([FakeBackend("microphone", mic), FakeBackend("camera", camera)])
    assert monitor.describe() == said
    assert monitor.available() == (mic is None or camera is None)
    monitor.close()


def test_settings_hear_when_detection_starts_working(qtbot):
    mic = FakeBackend("microphone", NO_SERVER)
    monitor = CallMonitor([mic])
    assert not monitor.available()
    with qtbot.waitSignal(monitor.availability_changed, timeout=1000):
        mic.set(problem=None)  # the sound server started after NeckCare
    assert monitor.available() and monitor.describe() is None
    monitor.close()


def test_a_system_without_any_backend_says_so():
    monitor = CallMonitor([])
    assert not monitor.available() and not monitor.in_call()
    assert monitor.describe() == "Call detection is not available: this system is not supported."


@pytest.mark.parametrize(
    ("platform", "names"),
    [
        ("linux", ["pulse-source-outputs", "video-device-holders"]),
        ("win32", ["windows-consent-microphone", "windows-consent-webcam"]),
        ("darwin", ["macos-coreaudio", "macos-coremediaio"]),
        ("sunos5", []),
    ],
)
def test_each_system_gets_its_own_backends(platform, names):
    backends = default_call_backends({}, platform)
    assert [b.name for b in backends] == names
    assert [b.device for b in backends] == ["microphone", "camera"][: len(names)]


def test_a_running_linux_app_holds_no_windows_or_macos_code():
    code = (
        "import sys\n"
        "from neckcare_desktop.platform.calls import default_call_backends\n"
        "default_call_backends({}, 'linux')\n"
        "print(sorted(m for m in sys.modules if m.startswith('neckcare_desktop.platform.calls')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = out.stdout.strip()
    assert "calls.pulse'" in loaded and "calls.video'" in loaded
    assert "windows" not in loaded and "macos" not in loaded and "polled" not in loaded
