"""Do-not-disturb: breaks must wait during presentations, calls, games and quiet hours.

Fake backends and a fake D-Bus stand in for the desktop; the X11 fullscreen backend runs
against a real Xvfb in ``tests/e2e/test_idle_x11.py``.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from neckcare_desktop.platform.backends import BackendUnavailable
from neckcare_desktop.platform.dbus import DBusError
from neckcare_desktop.platform.dnd import (
    DndMonitor,
    DndReading,
    GnomeShowBannersBackend,
    NotificationServerBackend,
    X11FullscreenBackend,
    default_dnd_backends,
    notification_state_reading,
)

LOGGER = "neckcare_desktop.platform.dnd.monitor"
OFF = DndReading(False, "")
PROPS = "org.freedesktop.DBus.Properties"
SERVER = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications", PROPS, "Get")


class FakeDnd:
    """Answers with the given values in turn (repeating the last); exceptions are raised."""

    def __init__(self, name: str, *answers: DndReading | Exception) -> None:
        self.name = name
        self._answers = list(answers) or [OFF]
        self.reads = 0
        self.closed = False

    def read(self) -> DndReading:
        answer = self._answers[min(self.reads, len(self._answers) - 1)]
        self.reads += 1
        if isinstance(answer, Exception):
            raise answer
        return answer

    def close(self) -> None:
        self.closed = True


class FakeBus:
    """Answers Properties.Get by (interface, property); anything else: not on the bus."""

    def __init__(self, properties: dict[tuple[str, str], Any | DBusError]) -> None:
        self.properties = properties
        self.calls: list[tuple[str, str, str, str, tuple[Any, ...]]] = []

    def __call__(
        self, service: str, path: str, interface: str, method: str, args: Sequence[Any] = ()
    ) -> list[Any]:
        self.calls.append((service, path, interface, method, tuple(args)))
        if (service, path, interface, method) != SERVER:
            raise DBusError("org.freedesktop.DBus.Error.NameHasNoOwner", "no such name")
        value = self.properties.get(
            tuple(args), DBusError("org.freedesktop.DBus.Error.InvalidArgs", "No such property")
        )
        if isinstance(value, DBusError):
            raise value
        return [value]


# -- combining backends --------------------------------------------------------------------------


def test_any_active_backend_makes_it_active_with_its_reason():
    monitor = DndMonitor(
        [
            FakeDnd("notifications", OFF),
            FakeDnd("x11-fullscreen", DndReading(True, "fullscreen window: 'Impress'")),
        ]
    )
    assert monitor.read() == DndReading(True, "fullscreen window: 'Impress'")


def test_nothing_active_means_breaks_may_show():
    monitor = DndMonitor([FakeDnd("a", OFF), FakeDnd("b", OFF)])
    assert monitor.read() == OFF


def test_failing_backends_never_raise_and_are_logged_once(caplog: pytest.LogCaptureFixture):
    crashing = FakeDnd("x11-fullscreen", RuntimeError("BadWindow"))
    missing = FakeDnd("notifications", BackendUnavailable("not on the bus"))
    fine = FakeDnd("gnome-show-banners", DndReading(True, "notifications off (do not disturb)"))
    monitor = DndMonitor([crashing, missing, fine])

    with caplog.at_level(logging.INFO, logger=LOGGER):
        readings = [monitor.read() for _ in range(3)]

    assert readings == [DndReading(True, "notifications off (do not disturb)")] * 3
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert said == [
        "do-not-disturb: cannot read x11-fullscreen (error: BadWindow); treating it as off",
        "do-not-disturb: cannot read notifications (not on the bus); treating it as off",
    ]


def test_everything_failing_falls_back_to_inactive():
    monitor = DndMonitor([FakeDnd("a", OSError("gone")), FakeDnd("b", ValueError("odd"))])
    assert monitor.read() == OFF
    assert monitor.read() == OFF


def test_backend_that_can_never_work_is_not_asked_again():
    never = FakeDnd("windows-notification-state", BackendUnavailable("not Windows", permanent=True))
    monitor = DndMonitor([never])
    monitor.read()
    monitor.read()
    assert never.reads == 1


def test_no_backends_at_all_is_said_once(caplog: pytest.LogCaptureFixture):
    monitor = DndMonitor([])
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert monitor.read() == OFF
        assert monitor.read() == OFF
    assert caplog.messages == ["do-not-disturb detection is not available here"]


def test_close_reaches_every_backend():
    backends = [FakeDnd("a"), FakeDnd("b")]
    DndMonitor(backends).close()
    assert all(b.closed for b in backends)


# -- notification servers on a fake bus ----------------------------------------------------------


def test_inhibited_notifications_hold_breaks_back():
    bus = FakeBus({("org.freedesktop.Notifications", "Inhibited"): True})
    assert NotificationServerBackend(bus).read() == DndReading(True, "notifications inhibited")
    bus.properties[("org.freedesktop.Notifications", "Inhibited")] = False
    assert NotificationServerBackend(bus).read() == OFF


def test_paused_dunst_holds_breaks_back():
    bus = FakeBus({("org.dunstproject.cmd0", "paused"): True})
    assert NotificationServerBackend(bus).read() == DndReading(True, "notifications paused (dunst)")
    bus.properties[("org.dunstproject.cmd0", "paused")] = False
    assert NotificationServerBackend(bus).read() == OFF


def test_server_without_any_switch_is_reported_with_the_first_reason():
    with pytest.raises(BackendUnavailable, match="Inhibited not supported"):
        NotificationServerBackend(FakeBus({})).read()


def test_no_notification_server_is_not_on_the_bus(caplog: pytest.LogCaptureFixture):
    def nobody(*_args: Any) -> list[Any]:
        raise DBusError("org.freedesktop.DBus.Error.NameHasNoOwner", "no such name")

    monitor = DndMonitor([NotificationServerBackend(nobody)])
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert monitor.read() == OFF
    assert "cannot read notifications (not on the bus)" in caplog.text


# -- notification servers, asynchronously on a private bus ---------------------------------------


def notification_server(address: str, answer: Any) -> Any:
    from dbus_fakes import FakeService

    return FakeService(
        address, "org.freedesktop.Notifications", "/org/freedesktop/Notifications", answer
    )


def test_notification_server_answers_arrive_through_the_event_loop(qtbot, bus_address):
    from PySide6.QtDBus import QDBusVariant

    from neckcare_desktop.platform.dbus import QtAsyncDBusCaller

    inhibited = [True]
    server = notification_server(bus_address, lambda m, a: [QDBusVariant(inhibited[0])])
    monitor = DndMonitor([NotificationServerBackend(QtAsyncDBusCaller(address=bus_address))])
    try:
        assert monitor.read() == OFF  # asked; the answer is not in yet
        qtbot.waitUntil(lambda: monitor.read().active, timeout=5000)
        assert monitor.current() == "notifications inhibited"
        inhibited[0] = False
        qtbot.waitUntil(lambda: not monitor.read().active, timeout=5000)
        assert server.calls[0][1:] == ("Get", ["org.freedesktop.Notifications", "Inhibited"])
    finally:
        monitor.close()
        server.close()


def test_a_hung_notification_server_never_blocks_a_check(qtbot, bus_address):
    from PySide6.QtCore import QTimer

    from dbus_fakes import NEVER
    from neckcare_desktop.platform.dbus import QtAsyncDBusCaller

    server = notification_server(bus_address, lambda m, a: NEVER)
    caller = QtAsyncDBusCaller(timeout_ms=3000, address=bus_address)
    monitor = DndMonitor([NotificationServerBackend(caller)])
    beats = [0]
    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(lambda: beats.__setitem__(0, beats[0] + 1))
    heartbeat.start()
    try:
        for _ in range(20):  # a break due, rechecks, sounds: each asks, none waits
            assert monitor.read() == OFF
        qtbot.waitUntil(lambda: len(server.calls) == 1, timeout=5000)
        qtbot.waitUntil(lambda: beats[0] >= 30, timeout=5000)  # the GUI thread runs on
        assert caller.pending == 1  # one question out, not twenty
        qtbot.waitUntil(lambda: caller.pending == 0, timeout=10_000)  # ended by its timeout
        monitor.read()
        qtbot.waitUntil(lambda: len(server.calls) == 2, timeout=5000)  # asked afresh
    finally:
        heartbeat.stop()
        monitor.close()
        server.close()


# -- GNOME ---------------------------------------------------------------------------------------

#: A stand-in for ``gsettings`` (GNOME's command-line settings tool): ``get`` prints the
#: value in ``state``; ``monitor`` prints a line for each line appended to ``changes``, as
#: the real one does when the setting changes. Every run is logged to ``runs``. With
#: ``schema-missing`` present it fails like gsettings on a desktop without GNOME.
FAKE_GSETTINGS = """#!{python}
import os, sys, time
here = {folder!r}
with open(os.path.join(here, "runs"), "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
if os.path.exists(os.path.join(here, "schema-missing")):
    sys.stderr.write("No such schema \\u201corg.gnome.desktop.notifications\\u201d\\n")
    sys.exit(1)
if sys.argv[1] == "get":
    print(open(os.path.join(here, "state")).read().strip())
    sys.exit(0)
if sys.argv[1] == "monitor":
    if os.path.exists(os.path.join(here, "monitor-dies")):
        sys.exit(3)
    changes = os.path.join(here, "changes")
    seen = 0
    while True:
        lines = open(changes).read().splitlines() if os.path.exists(changes) else []
        for value in lines[seen:]:
            print("show-banners: " + value, flush=True)
        seen = len(lines)
        time.sleep(0.02)
"""


class FakeGsettings:
    """The fake ``gsettings`` in a folder of its own, put first on PATH."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
        self.folder = folder
        folder.mkdir()
        script = folder / "gsettings"
        script.write_text(FAKE_GSETTINGS.format(python=sys.executable, folder=str(folder)))
        script.chmod(0o755)
        self.set_stored(value)
        monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")

    def set_stored(self, value: str) -> None:
        """The value in the settings database (what ``get`` prints)."""
        (self.folder / "state").write_text(value + "\n")

    def change(self, value: str) -> None:
        """The person flips the switch: stored, and announced to running monitors."""
        self.set_stored(value)
        with (self.folder / "changes").open("a") as fh:
            fh.write(value + "\n")

    def runs(self) -> list[str]:
        path = self.folder / "runs"
        return path.read_text().splitlines() if path.exists() else []


@pytest.fixture
def gnome_backend():
    backends: list[GnomeShowBannersBackend] = []

    def make(**kwargs: Any) -> GnomeShowBannersBackend:
        backends.append(GnomeShowBannersBackend(**kwargs))
        return backends[-1]

    yield make
    for backend in backends:
        backend.close()


DND_ON = DndReading(True, "notifications off (do not disturb)")


def test_gnome_do_not_disturb_follows_the_setting_with_one_watching_process(
    qtbot, tmp_path, monkeypatch, gnome_backend
):
    gsettings = FakeGsettings(tmp_path / "bin", monkeypatch, "true")
    backend = gnome_backend()
    monitor = DndMonitor([backend])
    assert monitor.read() == OFF  # not known yet: breaks are not held back on a guess
    qtbot.waitUntil(lambda: backend.value is True, timeout=5000)
    qtbot.waitUntil(lambda: "monitor" in " ".join(gsettings.runs()), timeout=5000)

    gsettings.change("false")  # do not disturb switched on in GNOME's panel
    qtbot.waitUntil(lambda: monitor.read() == DND_ON, timeout=5000)
    assert monitor.current() == "notifications off (do not disturb)"
    gsettings.change("true")
    qtbot.waitUntil(lambda: monitor.read() == OFF, timeout=5000)

    for _ in range(100):  # checks before every break, for a whole day
        monitor.read()
    assert sorted(gsettings.runs()) == [
        "get org.gnome.desktop.notifications show-banners",
        "monitor org.gnome.desktop.notifications show-banners",
    ]


def test_gnome_setting_on_at_start_holds_breaks_back(qtbot, tmp_path, monkeypatch, gnome_backend):
    FakeGsettings(tmp_path / "bin", monkeypatch, "false")
    backend = gnome_backend()
    monitor = DndMonitor([backend])
    monitor.refresh()  # the app does this at start: the watch begins before any break
    qtbot.waitUntil(lambda: backend.watching and backend.value is False, timeout=5000)
    assert monitor.read() == DND_ON


def test_gnome_monitor_that_dies_is_restarted_and_the_setting_read_again(
    qtbot, tmp_path, monkeypatch, gnome_backend
):
    gsettings = FakeGsettings(tmp_path / "bin", monkeypatch, "true")
    backend = gnome_backend(backoff=(0.05, 0.2))
    backend.read()
    qtbot.waitUntil(lambda: backend.watching and backend.value is True, timeout=5000)
    gsettings.set_stored("false")  # changed while nobody watches...
    backend._monitor.kill()  # ...because the monitor was killed
    qtbot.waitUntil(lambda: backend.read() == DND_ON, timeout=5000)
    assert backend.starts == 2
    assert backend.watching


def test_gnome_monitor_that_keeps_dying_is_restarted_ever_more_slowly(
    qtbot, tmp_path, monkeypatch, gnome_backend, caplog
):
    gsettings = FakeGsettings(tmp_path / "bin", monkeypatch, "false")
    (gsettings.folder / "monitor-dies").touch()
    backend = gnome_backend(backoff=(0.05, 0.1, 0.2))
    with caplog.at_level(logging.INFO, logger="neckcare_desktop.platform.dnd.gnome"):
        backend.read()
        qtbot.waitUntil(lambda: backend.starts >= 4, timeout=10_000)
    waits = [
        r.getMessage().rsplit(" in ", 1)[1] for r in caplog.records if "watching again" in r.message
    ]
    assert waits[:4] == ["0.05 s", "0.1 s", "0.2 s", "0.2 s"][: len(waits[:4])]
    assert len(waits) >= 3
    # The value read at each start still counts while the monitor cannot run.
    assert backend.read() == DND_ON


def test_without_gsettings_gnome_do_not_disturb_is_off_and_said_once(
    tmp_path, monkeypatch, caplog, gnome_backend
):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    backend = gnome_backend()
    monitor = DndMonitor([backend])
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert monitor.read() == OFF
        assert monitor.read() == OFF
    assert caplog.messages == [
        "do-not-disturb: cannot read gnome-show-banners (gsettings not installed); "
        "treating it as off"
    ]
    assert not backend.watching


def test_without_gnomes_schema_the_watch_stops_for_good(
    qtbot, tmp_path, monkeypatch, gnome_backend
):
    gsettings = FakeGsettings(tmp_path / "bin", monkeypatch, "true")
    (gsettings.folder / "schema-missing").touch()
    backend = gnome_backend(backoff=(0.05,))
    monitor = DndMonitor([backend])
    assert monitor.read() == OFF

    def given_up() -> bool:
        try:
            backend.read()
        except BackendUnavailable:
            return True
        return False

    qtbot.waitUntil(given_up, timeout=5000)
    with pytest.raises(BackendUnavailable, match="No such schema") as info:
        backend.read()
    assert info.value.permanent
    assert not backend.watching
    assert backend.starts == 1  # no restarts on a desktop without the setting
    assert monitor.read() == OFF


# -- Windows -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "active", "words"),
    [
        (1, False, ""),  # QUNS_NOT_PRESENT: locked / screen saver: that is "away", not DND
        (2, True, "busy"),  # QUNS_BUSY
        (3, True, "Direct3D"),  # QUNS_RUNNING_D3D_FULL_SCREEN
        (4, True, "presentation"),  # QUNS_PRESENTATION_MODE
        (5, False, ""),  # QUNS_ACCEPTS_NOTIFICATIONS
        (6, True, "quiet time"),  # QUNS_QUIET_TIME
        (7, False, ""),  # QUNS_APP
    ],
)
def test_windows_notification_states(state: int, active: bool, words: str):
    result = notification_state_reading(state)
    assert result.active is active
    assert words in result.reason
    assert bool(result.reason) is active


# -- which backends ------------------------------------------------------------------------------


def test_default_backends_per_desktop():
    gnome = default_dnd_backends({"DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "GNOME"}, "linux")
    assert [b.name for b in gnome] == ["x11-fullscreen", "notifications", "gnome-show-banners"]
    sway = default_dnd_backends({"WAYLAND_DISPLAY": "wayland-1"}, "linux")
    assert [b.name for b in sway] == ["notifications"]
    assert [b.name for b in default_dnd_backends({}, "win32")] == ["windows-notification-state"]


def test_macos_is_inactive_and_says_why_once(caplog: pytest.LogCaptureFixture):
    monitor = DndMonitor(default_dnd_backends({}, "darwin"))
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert monitor.read() == OFF
        assert monitor.read() == OFF
    assert caplog.messages == [
        "do-not-disturb: cannot read macos-focus (Focus is not readable on macOS); "
        "treating it as off"
    ]


def test_x11_without_display_is_inactive(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    backend = X11FullscreenBackend()
    with pytest.raises(BackendUnavailable, match="no DISPLAY"):
        backend.read()
    assert DndMonitor([backend]).read() == OFF
