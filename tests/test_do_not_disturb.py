"""Do-not-disturb: breaks must wait during presentations, calls, games and quiet hours.

Fake backends and a fake D-Bus stand in for the desktop; the X11 fullscreen backend runs
against a real Xvfb in ``tests/e2e/test_idle_x11.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import pytest

from neckcare_desktop.platform.do_not_disturb import (
    DndMonitor,
    DndReading,
    GnomeShowBannersBackend,
    NotificationServerBackend,
    X11FullscreenBackend,
    default_dnd_backends,
    notification_state_reading,
)
from neckcare_desktop.platform.idle import BackendUnavailable, DBusError

LOGGER = "neckcare_desktop.platform.do_not_disturb"
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


# -- GNOME ---------------------------------------------------------------------------------------


def test_gnome_banners_off_is_do_not_disturb():
    seen: list[Sequence[str]] = []

    def gsettings(argv: Sequence[str]) -> str:
        seen.append(argv)
        return "false\n"

    assert GnomeShowBannersBackend(gsettings).read() == DndReading(
        True, "notifications off (do not disturb)"
    )
    assert list(seen[0]) == [
        "gsettings",
        "get",
        "org.gnome.desktop.notifications",
        "show-banners",
    ]
    assert GnomeShowBannersBackend(lambda argv: "true\n").read() == OFF
    with pytest.raises(BackendUnavailable, match="unexpected"):
        GnomeShowBannersBackend(lambda argv: "@mb nothing\n").read()


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
