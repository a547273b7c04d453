"""Idle time: the app must know when the person has been away, on whatever desktop they use.

Fake backends stand in for X11/D-Bus/Windows; the D-Bus backends get a fake bus that
answers by (service, path, interface, method), so no test touches a real bus. The real X11
backend is exercised on Xvfb in ``tests/e2e/test_idle_x11.py``.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakes import Heartbeat
from neckcare_desktop.platform.backends import BackendUnavailable
from neckcare_desktop.platform.dbus import NO_BUS_ERROR, DBusError, QtDBusCaller
from neckcare_desktop.platform.idle import (
    FreedesktopIdleBackend,
    IdleMonitor,
    IdleReading,
    MacIoregBackend,
    MutterIdleBackend,
    X11IdleBackend,
    default_backends,
    hid_idle_seconds,
    idle_ms_from_ticks,
)

LOGGER = "neckcare_desktop.platform.idle.monitor"

UNKNOWN_OBJECT = "org.freedesktop.DBus.Error.UnknownObject"
NO_OWNER = "org.freedesktop.DBus.Error.NameHasNoOwner"


class FakeBackend:
    """Answers with the given values in turn (repeating the last); exceptions are raised."""

    def __init__(self, name: str, *answers: IdleReading | Exception | None) -> None:
        self.name = name
        self._answers = list(answers) or [None]
        self.reads = 0
        self.closed = False

    def read(self) -> IdleReading | None:
        answer = self._answers[min(self.reads, len(self._answers) - 1)]
        self.reads += 1
        if isinstance(answer, Exception):
            raise answer
        return answer

    def close(self) -> None:
        self.closed = True


def reading(seconds: float, backend: str, locked: bool = False) -> IdleReading:
    return IdleReading(idle_seconds=seconds, locked=locked, backend=backend)


class FakeBus:
    """A D-Bus caller: replies (or DBusErrors) keyed by (service, path, interface, method)."""

    def __init__(self, replies: dict[tuple[str, str, str, str], list[Any] | DBusError]) -> None:
        self.replies = replies
        self.calls: list[tuple[str, str, str, str, tuple[Any, ...]]] = []

    def __call__(
        self, service: str, path: str, interface: str, method: str, args: Sequence[Any] = ()
    ) -> list[Any]:
        self.calls.append((service, path, interface, method, tuple(args)))
        reply = self.replies.get(
            (service, path, interface, method),
            DBusError(NO_OWNER, f'Name "{service}" does not exist'),
        )
        if isinstance(reply, DBusError):
            raise reply
        return reply


MUTTER_IDLE = (
    "org.gnome.Mutter.IdleMonitor",
    "/org/gnome/Mutter/IdleMonitor/Core",
    "org.gnome.Mutter.IdleMonitor",
    "GetIdletime",
)
GNOME_LOCK = (
    "org.gnome.ScreenSaver",
    "/org/gnome/ScreenSaver",
    "org.gnome.ScreenSaver",
    "GetActive",
)
FDO = "org.freedesktop.ScreenSaver"


# -- choosing a backend --------------------------------------------------------------------------


def test_first_backend_that_answers_is_used():
    silent = FakeBackend("x11-screensaver", BackendUnavailable("no DISPLAY", permanent=True))
    mutter = FakeBackend("mutter", reading(42.0, "mutter"))
    spare = FakeBackend("freedesktop", reading(1.0, "freedesktop"))
    monitor = IdleMonitor([silent, mutter, spare])

    assert monitor.read() == reading(42.0, "mutter")
    assert monitor.available
    assert monitor.backend_name == "mutter"
    assert spare.reads == 0
    assert monitor.tried == [("x11-screensaver", "no DISPLAY"), ("mutter", "answered")]


def test_falls_back_in_order_when_the_backend_in_use_stops_answering():
    first = FakeBackend("mutter", reading(5.0, "mutter"), BackendUnavailable("not on the bus"))
    second = FakeBackend("freedesktop", None)
    third = FakeBackend("x11-screensaver", reading(7.0, "x11-screensaver"))
    monitor = IdleMonitor([first, second, third])

    assert monitor.read() == reading(5.0, "mutter")
    assert monitor.read() == reading(7.0, "x11-screensaver")
    assert monitor.backend_name == "x11-screensaver"
    assert monitor.tried == [
        ("mutter", "not on the bus"),
        ("freedesktop", "no answer"),
        ("x11-screensaver", "answered"),
    ]
    # The backend that answered is asked first next time; nobody else is bothered.
    assert monitor.read() == reading(7.0, "x11-screensaver")
    assert (first.reads, second.reads, third.reads) == (2, 1, 2)


def test_no_backend_answers_returns_none_and_says_so_once(caplog: pytest.LogCaptureFixture):
    monitor = IdleMonitor(
        [
            FakeBackend("x11-screensaver", BackendUnavailable("no DISPLAY", permanent=True)),
            FakeBackend("mutter", BackendUnavailable("not on the bus")),
            FakeBackend("freedesktop", RuntimeError("boom")),
        ]
    )
    with caplog.at_level(logging.INFO, logger=LOGGER):
        results = [monitor.read() for _ in range(3)]

    assert results == [None, None, None]
    assert not monitor.available
    assert monitor.backend_name is None
    said = [r for r in caplog.records if r.name == LOGGER and r.levelno >= logging.INFO]
    assert len(said) == 1, [r.getMessage() for r in said]
    message = said[0].getMessage()
    assert said[0].levelno == logging.INFO
    assert message.startswith("idle detection unavailable (tried: ")
    for part in (
        "x11-screensaver: no DISPLAY",
        "mutter: not on the bus",
        "freedesktop: error: boom",
    ):
        assert part in message
    assert "breaks work without it" in message


def test_backend_that_can_never_work_is_not_asked_again():
    never = FakeBackend("x11-screensaver", BackendUnavailable("no DISPLAY", permanent=True))
    later = FakeBackend(
        "mutter",
        BackendUnavailable("not on the bus"),
        reading(3.0, "mutter"),  # GNOME Shell came up after NeckCare at login
        BackendUnavailable("not on the bus"),
    )
    monitor = IdleMonitor([never, later])

    assert monitor.read() is None
    assert monitor.read() == reading(3.0, "mutter")
    assert monitor.read() is None
    assert never.reads == 1
    assert later.reads == 3
    # Still named in the outcome, so the log explains why it is not used.
    assert monitor.tried == [("mutter", "not on the bus"), ("x11-screensaver", "no DISPLAY")]


def test_close_closes_every_backend_even_if_one_fails():
    class Broken(FakeBackend):
        def close(self) -> None:
            raise OSError("already gone")

    good = FakeBackend("a")
    monitor = IdleMonitor([Broken("b"), good])
    monitor.close()
    assert good.closed


def test_building_a_monitor_touches_no_bus():
    """Building is free at start-up: not even QtDBus gets imported before the first read."""
    code = (
        "import sys\n"
        "from neckcare_desktop.platform.idle import IdleMonitor\n"
        "from neckcare_desktop.platform.dnd import DndMonitor\n"
        "IdleMonitor(); DndMonitor()\n"
        "print('PySide6.QtDBus' in sys.modules)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "XDG_CURRENT_DESKTOP": "GNOME", "DISPLAY": ":999"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False"


# -- which backends, in which order --------------------------------------------------------------


def names(backends: Sequence[Any]) -> list[str]:
    return [b.name for b in backends]


def test_gnome_on_wayland_asks_mutter_and_never_trusts_xwayland():
    backends = default_backends(
        {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "ubuntu:GNOME", "DISPLAY": ":0"},
        "linux",
    )
    assert names(backends) == ["mutter", "freedesktop", "x11-screensaver"]
    with pytest.raises(BackendUnavailable, match="not used on Wayland") as info:
        backends[-1].read()
    assert info.value.permanent


def test_kde_asks_freedesktop_first():
    env = {"XDG_SESSION_TYPE": "x11", "XDG_CURRENT_DESKTOP": "KDE", "DISPLAY": ":0"}
    assert names(default_backends(env, "linux")) == ["freedesktop", "x11-screensaver", "mutter"]
    wayland = {"WAYLAND_DISPLAY": "wayland-0", "XDG_CURRENT_DESKTOP": "KDE"}
    assert names(default_backends(wayland, "linux"))[0] == "freedesktop"


def test_plain_x11_asks_the_x_server_first():
    env = {"DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "i3"}
    assert names(default_backends(env, "linux")) == ["x11-screensaver", "freedesktop", "mutter"]


def test_windows_and_macos_backends():
    assert names(default_backends({}, "win32")) == ["windows-lastinput"]
    assert names(default_backends({}, "darwin")) == ["macos-cgevent", "macos-ioreg"]


def test_x11_backend_without_display_gives_up_for_good(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    backend = X11IdleBackend()
    monitor = IdleMonitor([backend])
    assert monitor.read() is None
    assert monitor.tried == [("x11-screensaver", "no DISPLAY")]


# -- Windows tick arithmetic -------------------------------------------------------------------


def test_idle_ms_across_the_49_day_wrap():
    # Last input 256 ms before GetTickCount wrapped to 0; now 256 ms after the wrap.
    assert idle_ms_from_ticks(0x100, 0xFFFFFF00) == 512
    assert idle_ms_from_ticks(0, 0xFFFFFFFF) == 1
    assert idle_ms_from_ticks(5000, 2000) == 3000
    assert idle_ms_from_ticks(2000, 2000) == 0


@given(last=st.integers(0, 2**32 - 1), gap=st.integers(0, 2**32 - 1))
def test_idle_ms_is_the_true_gap_for_any_tick(last: int, gap: int):
    assert idle_ms_from_ticks((last + gap) % 2**32, last) == gap


# -- D-Bus backends on a fake bus --------------------------------------------------------------


def test_mutter_reports_idle_time_and_gnome_lock():
    bus = FakeBus({MUTTER_IDLE: [90_500], GNOME_LOCK: [True]})
    assert MutterIdleBackend(bus).read() == reading(90.5, "mutter", locked=True)
    assert [c[:4] for c in bus.calls] == [MUTTER_IDLE, GNOME_LOCK]


def test_mutter_without_lock_service_is_unlocked():
    bus = FakeBus({MUTTER_IDLE: [1_000]})
    assert MutterIdleBackend(bus).read() == reading(1.0, "mutter", locked=False)


def test_mutter_not_running_says_why():
    with pytest.raises(BackendUnavailable, match="not on the bus") as info:
        MutterIdleBackend(FakeBus({})).read()
    assert not info.value.permanent  # GNOME Shell may start after NeckCare at login


def test_mutter_timeout_is_reported_as_no_reply():
    bus = FakeBus({MUTTER_IDLE: DBusError("org.freedesktop.DBus.Error.NoReply", "timeout")})
    with pytest.raises(BackendUnavailable, match="no reply to GetIdletime within"):
        MutterIdleBackend(bus).read()


def test_freedesktop_tries_the_short_path_and_remembers_it():
    bus = FakeBus(
        {
            (FDO, "/org/freedesktop/ScreenSaver", FDO, "GetSessionIdleTime"): DBusError(
                UNKNOWN_OBJECT, "No such object path"
            ),
            (FDO, "/ScreenSaver", FDO, "GetSessionIdleTime"): [300_000],
            (FDO, "/ScreenSaver", FDO, "GetActive"): [True],
        }
    )
    backend = FreedesktopIdleBackend(bus)
    assert backend.read() == reading(300.0, "freedesktop", locked=True)
    bus.calls.clear()
    backend.read()
    assert [c[1] for c in bus.calls] == ["/ScreenSaver", "/ScreenSaver"]


def test_freedesktop_unsupported_everywhere():
    error = DBusError("org.freedesktop.DBus.Error.NotSupported", "This method is not implemented")
    bus = FakeBus(
        {
            (FDO, "/org/freedesktop/ScreenSaver", FDO, "GetSessionIdleTime"): error,
            (FDO, "/ScreenSaver", FDO, "GetSessionIdleTime"): error,
        }
    )
    with pytest.raises(BackendUnavailable, match="GetSessionIdleTime not supported"):
        FreedesktopIdleBackend(bus).read()


def test_monitor_on_a_gnome_bus_without_mutter_falls_back_to_freedesktop(
    caplog: pytest.LogCaptureFixture,
):
    bus = FakeBus(
        {
            (FDO, "/org/freedesktop/ScreenSaver", FDO, "GetSessionIdleTime"): [12_000],
            (FDO, "/org/freedesktop/ScreenSaver", FDO, "GetActive"): [False],
        }
    )
    monitor = IdleMonitor([MutterIdleBackend(bus), FreedesktopIdleBackend(bus)])
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert monitor.read() == reading(12.0, "freedesktop")
    assert "idle time from freedesktop (not from mutter: not on the bus)" in caplog.text


def test_no_session_bus_is_reported_plainly(qapp):
    caller = QtDBusCaller(address="unix:path=/nonexistent/neckcare-test-bus")
    try:
        with pytest.raises(DBusError) as info:
            caller("org.gnome.Mutter.IdleMonitor", "/", "x.y", "Z", ())
        assert info.value.name == NO_BUS_ERROR
        monitor = IdleMonitor([MutterIdleBackend(caller)])
        assert monitor.read() is None
        assert monitor.tried == [("mutter", "no D-Bus session bus")]
    finally:
        caller.close()


# -- macOS ioreg ---------------------------------------------------------------------------------

IOREG_SAMPLE = """
  | |   +-o IOHIDSystem  <class IOHIDSystem, id 0x100000123, registered, matched, active>
  | |     {
  | |       "HIDIdleTime" = 2500000000
  | |       "HIDParameters" = {"HIDMouseAcceleration"=45056}
  | |     }
"""


def test_ioreg_hid_idle_time_is_nanoseconds():
    assert hid_idle_seconds(IOREG_SAMPLE) == pytest.approx(2.5)
    assert hid_idle_seconds("nothing here") is None


def test_ioreg_backend_reads_the_output():
    backend = MacIoregBackend(run=lambda argv: IOREG_SAMPLE)
    assert backend.read() == reading(2.5, "macos-ioreg")
    with pytest.raises(BackendUnavailable, match="HIDIdleTime"):
        MacIoregBackend(run=lambda argv: "").read()


# -- asynchronous D-Bus on a private bus -------------------------------------------------------


def test_a_hung_idle_service_never_blocks_the_gui_thread(qtbot, bus_address):
    """GNOME Shell receives GetIdletime and never answers: the request returns at once,
    the GUI thread keeps running, and the next backend answers after the call's timeout."""
    from dbus_fakes import FakeService
    from neckcare_desktop.platform.dbus import QtAsyncDBusCaller
    from neckcare_desktop.platform.idle import MUTTER_PATH, MUTTER_SERVICE

    hung = FakeService(bus_address, MUTTER_SERVICE, MUTTER_PATH)  # never replies
    caller = QtAsyncDBusCaller(timeout_ms=3000, address=bus_address)
    x11 = FakeBackend("x11-screensaver", reading(7.0, "x11-screensaver"))
    monitor = IdleMonitor([MutterIdleBackend(caller), x11])
    heartbeat = Heartbeat()
    answers: list[IdleReading | None] = []
    try:
        monitor.request(answers.append)
        assert answers == [] and monitor.busy  # asked; nothing waited for the answer
        qtbot.waitUntil(lambda: [c[1] for c in hung.calls] == ["GetIdletime"], timeout=5000)
        # While the question is out, the GUI thread beats on (50 beats = half a second).
        qtbot.waitUntil(lambda: heartbeat.beats >= 50, timeout=5000)
        assert answers == []
        qtbot.waitUntil(lambda: answers != [], timeout=15_000)
        assert answers == [reading(7.0, "x11-screensaver")]
        assert monitor.tried == [
            ("mutter", "no reply to GetIdletime within 3000 ms"),
            ("x11-screensaver", "answered"),
        ]
    finally:
        heartbeat.stop()
        monitor.close()
        hung.close()


def test_an_idle_service_that_answers_is_read_through_the_event_loop(qtbot, bus_address):
    from dbus_fakes import FakeService
    from neckcare_desktop.platform.dbus import QtAsyncDBusCaller
    from neckcare_desktop.platform.idle import (
        GNOME_SCREENSAVER_PATH,
        GNOME_SCREENSAVER_SERVICE,
        MUTTER_PATH,
        MUTTER_SERVICE,
    )

    mutter = FakeService(bus_address, MUTTER_SERVICE, MUTTER_PATH, lambda m, a: [90_500])
    lock = FakeService(
        bus_address, GNOME_SCREENSAVER_SERVICE, GNOME_SCREENSAVER_PATH, lambda m, a: [True]
    )
    caller = QtAsyncDBusCaller(address=bus_address)
    monitor = IdleMonitor([MutterIdleBackend(caller)])
    answers: list[IdleReading | None] = []
    try:
        monitor.request(answers.append)
        assert answers == []  # the reply comes through the event loop, not before
        qtbot.waitUntil(lambda: answers != [], timeout=5000)
        assert answers == [reading(90.5, "mutter", locked=True)]
        assert caller.pending == 0
    finally:
        monitor.close()
        mutter.close()
        lock.close()


def test_asking_again_while_a_request_is_out_shares_its_answer():
    class Later(FakeBackend):
        def __init__(self) -> None:
            super().__init__("mutter")
            self.pending: list[Any] = []

        def read_async(self, done: Any) -> None:
            self.reads += 1
            self.pending.append(done)

    backend = Later()
    monitor = IdleMonitor([backend])
    first: list[Any] = []
    second: list[Any] = []
    monitor.request(first.append)
    monitor.request(second.append)
    assert backend.reads == 1  # one question to the desktop, not two
    backend.pending[0](reading(3.0, "mutter"))
    assert first == second == [reading(3.0, "mutter")]


def test_a_request_lost_by_a_backend_is_asked_again_later(expect_log):
    expect_log(LOGGER, logging.WARNING, r"no idle reading after \d+ s; asking again")

    class Mute(FakeBackend):
        def read_async(self, done: Any) -> None:
            self.reads += 1  # and never answers (a bug; QtDBus always answers)

    now = [100.0]
    backend = Mute("mutter")
    monitor = IdleMonitor([backend], monotonic=lambda: now[0])
    monitor.request(lambda r: None)
    now[0] += 10
    monitor.request(lambda r: None)
    assert backend.reads == 1
    now[0] += 30
    monitor.request(lambda r: None)
    assert backend.reads == 2
