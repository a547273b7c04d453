"""Microphone and camera in use on Windows, against a fake ``winreg`` that behaves like the
real module (case-insensitive keys, FileNotFoundError for what is missing, OSError at the
end of EnumKey, handles that must be closed) holding the ConsentStore as Windows 10/11
writes it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from neckcare_desktop.platform.calls import CallMonitor
from neckcare_desktop.platform.calls.windows import (
    CONSENT_STORE,
    WindowsConsentBackend,
    apps_using,
)

REG_SZ, REG_QWORD = 1, 11
HKEY_CURRENT_USER = 0x80000001
#: A FILETIME (100-ns ticks since 1601): 2026-12-02 09:00 UTC, roughly.
T = 134_093_412_000_000_000


class Node:
    def __init__(self) -> None:
        self.subkeys: dict[str, Node] = {}  # lower-cased name -> node
        self.names: dict[str, str] = {}  # lower-cased name -> name as written
        self.values: dict[str, tuple[object, int]] = {}

    def child(self, name: str) -> Node:
        key = name.lower()
        if key not in self.subkeys:
            self.subkeys[key], self.names[key] = Node(), name
        return self.subkeys[key]


class HKey:
    """winreg's PyHKEY: a handle, closed by Close() or the with-statement."""

    def __init__(self, registry: FakeWinreg, node: Node) -> None:
        self._registry, self.node, self.closed = registry, node, False
        registry.open_handles += 1

    def Close(self) -> None:
        if not self.closed:
            self.closed = True
            self._registry.open_handles -= 1

    def __enter__(self) -> HKey:
        return self

    def __exit__(self, *exc: object) -> None:
        self.Close()


class FakeWinreg:
    HKEY_CURRENT_USER = HKEY_CURRENT_USER

    def __init__(self) -> None:
        self.root = Node()
        self.open_handles = 0

    # -- the winreg calls the backend uses ----------------------------------------------

    def _node(self, key: Any) -> Node:
        if key == HKEY_CURRENT_USER:
            return self.root
        if not isinstance(key, HKey) or key.closed:
            raise OSError(6, "The handle is invalid")
        return key.node

    def OpenKey(self, key: Any, sub_key: str, reserved: int = 0, access: int = 0) -> HKey:
        node = self._node(key)
        for part in filter(None, sub_key.split("\\")):
            found = node.subkeys.get(part.lower())
            if found is None:
                raise FileNotFoundError(2, "The system cannot find the file specified")
            node = found
        return HKey(self, node)

    def EnumKey(self, key: Any, index: int) -> str:
        node = self._node(key)
        names = list(node.names.values())
        if index >= len(names):
            raise OSError(259, "No more data is available")
        return names[index]

    def QueryValueEx(self, key: Any, name: str) -> tuple[object, int]:
        node = self._node(key)
        if name not in node.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return node.values[name]

    # -- what Windows writes -------------------------------------------------------------

    def capability(self, capability: str) -> Node:
        node = self.root
        for part in f"{CONSENT_STORE}\\{capability}".split("\\"):
            node = node.child(part)
        node.values["Value"] = ("Allow", REG_SZ)
        return node

    def use(self, capability: str, app: str, *, stop: int | None = 0) -> None:
        """``app`` starts (stop=0) or has stopped using ``capability``; ``stop=None``: the
        app asked for access but never used it (no LastUsedTime values)."""
        node = self.capability(capability)
        if app.startswith("NonPackaged\\"):
            node = node.child("NonPackaged")
            app = app.split("\\", 1)[1]
        entry = node.child(app)
        entry.values["Value"] = ("Allow", REG_SZ)
        if stop is not None:
            entry.values["LastUsedTimeStart"] = (T, REG_QWORD)
            entry.values["LastUsedTimeStop"] = (stop, REG_QWORD)


ZOOM = "NonPackaged\\C:#Program Files#Zoom#bin#Zoom.exe"
RECORDER = "Microsoft.WindowsSoundRecorder_8wekyb3d8bbwe"
CAMERA_APP = "Microsoft.WindowsCamera_8wekyb3d8bbwe"


@pytest.fixture
def registry() -> FakeWinreg:
    reg = FakeWinreg()
    reg.use("microphone", RECORDER, stop=T + 5_000_000)  # used this morning, stopped
    reg.use("microphone", "Microsoft.SkypeApp_kzf8qxf38zg5c", stop=None)
    reg.use("webcam", CAMERA_APP, stop=T + 9_000_000)
    reg.capability("microphone").child("NonPackaged")
    return reg


@pytest.fixture
def monitor(registry: FakeWinreg) -> Iterator[CallMonitor]:
    made = CallMonitor(
        [
            WindowsConsentBackend("microphone", registry, poll_s=0.05),
            WindowsConsentBackend("webcam", registry, poll_s=0.05),
        ]
    )
    yield made
    made.close()


def test_a_desktop_program_on_the_microphone_is_a_call_until_it_stops(qtbot, registry, monitor):
    qtbot.waitUntil(lambda: registry.open_handles == 0 and monitor.available())
    assert not monitor.in_call()
    with qtbot.waitSignal(monitor.in_call_changed, timeout=5000) as started:
        registry.use("microphone", ZOOM)
    assert started.args == [True]
    assert monitor.in_use() == ["microphone"]
    with qtbot.waitSignal(monitor.in_call_changed, timeout=5000) as ended:
        registry.use("microphone", ZOOM, stop=T + 36_000_000_000)
    assert ended.args == [False]
    assert registry.open_handles == 0  # every key the looks opened was closed


def test_a_store_app_on_the_camera_is_a_call(qtbot, registry, monitor):
    registry.use("webcam", CAMERA_APP)
    qtbot.waitUntil(monitor.in_call, timeout=5000)
    assert monitor.in_use() == ["camera"]
    assert monitor.describe() is None


def test_the_rules_for_each_entry(registry):
    assert apps_using(registry, "microphone") == []
    registry.use("microphone", RECORDER)
    registry.use("microphone", ZOOM)
    registry.use("microphone", "NonPackaged\\C:#Python311#python.exe")  # NeckCare itself
    assert apps_using(registry, "MICROPHONE", own="c:#python311#PYTHON.EXE") == [
        RECORDER,
        ZOOM,
    ]
    assert registry.open_handles == 0


def test_a_windows_without_the_consent_store_says_so(qtbot):
    reg = FakeWinreg()  # Windows 10 before 1903 writes no ConsentStore
    monitor = CallMonitor([WindowsConsentBackend("microphone", reg, poll_s=0.05)])
    try:
        qtbot.waitUntil(lambda: not monitor.available(), timeout=5000)
        assert monitor.describe() == (
            "Call detection is not available: Windows does not record microphone and camera"
            " use here."
        )
        reg.use("microphone", ZOOM)  # an update later: it starts working without a restart
        qtbot.waitUntil(monitor.in_call, timeout=5000)
        assert monitor.available()
    finally:
        monitor.close()
