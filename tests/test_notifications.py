"""Desktop notifications: the exact D-Bus call, the server's answers, and the fallbacks.

A private ``dbus-daemon`` (no service files, so nothing is activatable) and a fake
``org.freedesktop.Notifications`` registered in this process stand in for the desktop:
the messages they receive went through libdbus, so their signature is the one a real
server sees. The end-to-end test against dunst is ``tests/e2e/test_notifications_e2e.py``.
"""

from __future__ import annotations

import itertools
import logging
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import ClassInfo, QObject, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage

from fakes import later
from neckcare_desktop.platform import dbus_args
from neckcare_desktop.platform.notifications import (
    INTERFACE,
    NOTIFY_SIGNATURE,
    PATH,
    SERVICE,
    Notification,
    NotificationServer,
    Sender,
    Urgency,
    build_notify_message,
    parse_actions,
)
from neckcare_desktop.platform.notifier import Notifier, default_sender

pytestmark = pytest.mark.skipif(
    not dbus_args.typed_arguments_available(), reason="typed D-Bus arguments need libQt6DBus"
)

SENDER = Sender("NeckCare", "/icons/neckcare-desktop.png", "neckcare-desktop")
_names = itertools.count()

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@pytest.fixture
def bus_address(tmp_path: Path) -> Iterator[str]:
    """A private session bus with no activatable services."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("needs dbus-daemon (Debian package dbus-daemon)")
    config = tmp_path / "bus.conf"
    config.write_text(BUS_CONFIG.format(socket=tmp_path / "bus"))
    proc = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    address = proc.stdout.readline().decode().strip()
    try:
        yield address
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def connect(address: str, role: str) -> QDBusConnection:
    name = f"test-{role}-{next(_names)}"
    conn = QDBusConnection.connectToBus(address, name)
    assert conn.isConnected(), conn.lastError().message()
    return conn


NOTIFY_CPP_TYPES = (str, "uint", str, str, str, "QStringList", "QVariantMap", int)


@ClassInfo({"D-Bus Interface": INTERFACE})
class FakeServer(QObject):
    """``org.freedesktop.Notifications`` that records what it gets and answers at once.

    QtDBus calls a slot only when the message's signature matches the slot's C++ types, so
    ``Notify`` being called at all means the client sent ``(susssasa{sv}i)``.
    """

    def __init__(self, caps: tuple[str, ...] = ("actions", "body")) -> None:
        super().__init__()
        self.caps = caps
        self.received: list[dict[str, Any]] = []
        self.capability_calls = 0
        self.closed_ids: list[int] = []
        self._ids = itertools.count(7)
        self.conn: QDBusConnection | None = None

    def start(self, address: str) -> FakeServer:
        self.conn = connect(address, "server")
        assert self.conn.registerObject(PATH, self, QDBusConnection.RegisterOption.ExportAllSlots)
        assert self.conn.registerService(SERVICE)
        return self

    def stop(self) -> None:
        assert self.conn is not None
        self.conn.unregisterService(SERVICE)
        self.conn.unregisterObject(PATH)

    @Slot(result="QStringList")
    def GetCapabilities(self) -> list[str]:
        self.capability_calls += 1
        return list(self.caps)

    @Slot(
        str, "uint", str, str, str, "QStringList", "QVariantMap", int, QDBusMessage, result="uint"
    )
    def Notify(
        self,
        app_name: str,
        replaces_id: int,
        app_icon: str,
        summary: str,
        body: str,
        actions: list[str],
        hints: dict[str, Any],
        expire_timeout: int,
        message: QDBusMessage,
    ) -> int:
        self.received.append(
            {
                "signature": message.signature(),
                "app_name": app_name,
                "replaces_id": replaces_id,
                "app_icon": app_icon,
                "summary": summary,
                "body": body,
                "actions": actions,
                "hints": hints,
                "expire_timeout": expire_timeout,
            }
        )
        return next(self._ids)

    @Slot("uint")
    def CloseNotification(self, notification_id: int) -> None:
        self.closed_ids.append(notification_id)

    def emit(self, member: str, *args: Any) -> None:
        assert self.conn is not None
        signal = QDBusMessage.createSignal(PATH, INTERFACE, member)
        signal.setArguments(list(args))
        self.conn.send(signal)


@pytest.fixture
def fake_server(bus_address: str) -> Iterator[FakeServer]:
    server = FakeServer().start(bus_address)
    yield server
    server.stop()


# -- the message itself ------------------------------------------------------------------


def test_notify_message_has_the_types_of_the_specification():
    message = build_notify_message(
        Notification("Ice done", "Take it off", Urgency.CRITICAL, (("postpone", "Later"),)),
        SENDER,
    )
    args = message.arguments()
    assert [message.service(), message.path(), message.interface(), message.member()] == [
        SERVICE,
        PATH,
        INTERFACE,
        "Notify",
    ]
    assert args[0] == "NeckCare" and args[2] == SENDER.app_icon
    assert dbus_args.signature_of(args[1]) == "u"  # replaces_id: uint32, not int32
    assert dbus_args.signature_of(args[5]) == "as"
    assert dbus_args.signature_of(args[6]["urgency"]) == "y"  # a byte, not an int32
    assert args[6]["desktop-entry"] == "neckcare-desktop"
    assert args[7] == -1


def test_no_actions_are_still_an_array_of_strings():
    # PySide6 sends an empty Python list as "av", which servers reject.
    message = build_notify_message(Notification("a", "b"), SENDER)
    assert dbus_args.signature_of(message.arguments()[5]) == "as"


def test_python_ints_are_refused_as_hints():
    with pytest.raises(TypeError, match="typed argument"):
        dbus_args.variant_map({"urgency": 2})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        dbus_args.uint32(-1)
    with pytest.raises(ValueError):
        dbus_args.byte(256)


def test_default_sender_names_the_app_and_a_real_icon_file():
    sender = default_sender()
    assert sender.app_name == "NeckCare"
    assert sender.desktop_entry == "neckcare-desktop"
    assert Path(sender.app_icon).is_absolute() and Path(sender.app_icon).is_file()


# -- a server on a real bus --------------------------------------------------------------


def test_the_server_receives_the_exact_signature_and_hints(qtbot, bus_address, fake_server):
    client = NotificationServer(SENDER, connect(bus_address, "client"))
    qtbot.waitUntil(lambda: client.present is True)
    results: list[tuple[int | None, str | None]] = []
    note = Notification("Ice done", "Take it off now.", Urgency.CRITICAL, (("ok", "OK"),))
    assert client.send(note, lambda nid, err: results.append((nid, err)))
    qtbot.waitUntil(lambda: bool(results))

    assert results == [(7, None)]
    assert fake_server.received == [
        {
            "signature": NOTIFY_SIGNATURE,
            "app_name": "NeckCare",
            "replaces_id": 0,
            "app_icon": SENDER.app_icon,
            "summary": "Ice done",
            "body": "Take it off now.",
            "actions": ["ok", "OK"],
            "hints": {"urgency": Urgency.CRITICAL, "desktop-entry": "neckcare-desktop"},
            "expire_timeout": -1,
        }
    ]


def test_capabilities_are_asked_once_and_cached(qtbot, bus_address, fake_server):
    client = NotificationServer(SENDER, connect(bus_address, "client"))
    qtbot.waitUntil(lambda: client.capabilities is not None)
    done: list[object] = []
    for n in range(3):
        client.send(Notification(f"n{n}", "b"), lambda nid, err: done.append(nid))
    qtbot.waitUntil(lambda: len(done) == 3)
    assert client.supports("actions")
    assert fake_server.capability_calls == 1


def test_postpone_action_reaches_its_callback_and_only_for_our_id(qtbot, bus_address, fake_server):
    notifier = Notifier(server=NotificationServer(SENDER, connect(bus_address, "client")))
    qtbot.waitUntil(notifier.server_takes_actions)
    chosen: list[str] = []
    notifier.notify(
        "Break coming up",
        "Posture break in 30 seconds.",
        actions=[("postpone", "Postpone 5 min")],
        on_action=chosen.append,
    )
    qtbot.waitUntil(lambda: len(fake_server.received) == 1)
    actions = fake_server.received[0]["actions"]
    assert parse_actions(actions) == [("postpone", "Postpone 5 min")]
    qtbot.waitUntil(lambda: 7 in notifier._on_action)

    fake_server.emit("ActionInvoked", dbus_args.uint32(99), "postpone")  # somebody else's
    fake_server.emit("ActionInvoked", dbus_args.uint32(7), "postpone")
    qtbot.waitUntil(lambda: chosen == ["postpone"])
    fake_server.emit("ActionInvoked", dbus_args.uint32(7), "postpone")  # once only
    fake_server.emit("NotificationClosed", dbus_args.uint32(7), dbus_args.uint32(2))
    with qtbot.waitSignal(notifier.server.closed, timeout=2000):
        pass
    assert chosen == ["postpone"]


def test_actions_are_left_out_where_the_server_has_none(qtbot, bus_address):
    server = FakeServer(caps=("body",)).start(bus_address)
    try:
        notifier = Notifier(server=NotificationServer(SENDER, connect(bus_address, "client")))
        qtbot.waitUntil(lambda: notifier.server.capabilities is not None)
        assert not notifier.server_takes_actions()
        notifier.notify("t", "b", actions=[("postpone", "Postpone")], on_action=print)
        qtbot.waitUntil(lambda: bool(server.received))
        assert server.received[0]["actions"] == []
        assert server.received[0]["signature"] == NOTIFY_SIGNATURE
    finally:
        server.stop()


def test_urgency_is_critical_only_when_asked(qtbot, bus_address, fake_server):
    notifier = Notifier(server=NotificationServer(SENDER, connect(bus_address, "client")))
    notifier.notify("Ice started", "15 min", warning=True)
    notifier.notify("Take the ice off", "now", critical=True)
    qtbot.waitUntil(lambda: len(fake_server.received) == 2)
    urgencies = [m["hints"]["urgency"] for m in fake_server.received]
    assert urgencies == [Urgency.NORMAL, Urgency.CRITICAL]


# -- no server, a server that comes later, a server that goes ----------------------------


class Balloons:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str, bool]] = []

    def __call__(self, title: str, text: str, warning: bool) -> bool:
        self.shown.append((title, text, warning))
        return True


def test_without_a_server_the_tray_balloon_shows_it(qtbot, bus_address, caplog):
    balloons = Balloons()
    server = NotificationServer(SENDER, connect(bus_address, "client"))
    notifier = Notifier(balloons, server)
    with caplog.at_level(logging.INFO):
        notifier.notify("Ice started", "15 min")  # sent before the bus said "nobody"
        qtbot.waitUntil(lambda: bool(balloons.shown))
    assert balloons.shown == [("Ice started", "15 min", False)]
    assert server.present is False
    assert "no notification server" in caplog.text

    notifier.notify("Take the ice off", "now", critical=True)  # known absent: straight there
    assert notifier.last_route == "balloon"
    assert balloons.shown[-1] == ("Take the ice off", "now", True)
    assert server.pending_calls() == 0


def test_a_server_started_later_is_used(qtbot, bus_address):
    balloons = Balloons()
    server = NotificationServer(SENDER, connect(bus_address, "client"))
    notifier = Notifier(balloons, server)
    qtbot.waitUntil(lambda: server.present is False)

    fake = FakeServer().start(bus_address)
    try:
        qtbot.waitUntil(lambda: server.present is True and server.supports("actions"))
        notifier.notify("Break over", "Welcome back.")
        qtbot.waitUntil(lambda: bool(fake.received))
        assert notifier.last_route == "server"
        assert balloons.shown == []
    finally:
        fake.stop()
    qtbot.waitUntil(lambda: server.present is False)
    notifier.notify("Break over", "again")
    assert balloons.shown == [("Break over", "again", False)]


def test_no_server_and_no_tray_is_quiet(qtbot, bus_address):
    server = NotificationServer(SENDER, connect(bus_address, "client"))
    qtbot.waitUntil(lambda: server.present is False)
    notifier = Notifier(None, server)
    assert notifier.notify("t", "b") is False
    assert notifier.last == ("t", "b") and notifier.last_route == "none"


def test_no_session_bus_goes_to_the_balloon(qtbot):
    balloons = Balloons()
    # Made by name, not with connectToBus(), which blocks on QtDBus's thread holding the
    # GIL (see tests/test_sleep_logind.py): a connection that is not there.
    disconnected = QDBusConnection("neckcare-test-no-session-bus")
    assert not disconnected.isConnected()
    server = NotificationServer(SENDER, disconnected)
    assert not server.usable
    Notifier(balloons, server).notify("t", "b", warning=True)
    assert balloons.shown == [("t", "b", True)]


# -- the app: what it sends, and the warning's Postpone -----------------------------------


@pytest.fixture
def make_app(bus_address: str, monkeypatch: pytest.MonkeyPatch, make_app):
    """conftest's app, sending notifications to the private bus; balloons it would show
    in the tray are kept in ``app.balloons``. (``make_app`` last: its apps shut down
    before the bus goes.)"""
    import neckcare_desktop.desktop_sources as app_module

    monkeypatch.setattr(
        app_module,
        "default_notification_server",
        lambda parent: NotificationServer(SENDER, connect(bus_address, "app"), parent),
    )

    def make(**options: Any) -> Any:
        app = make_app(start=False, **options)
        app.balloons = Balloons()
        if app.tray is not None:
            app.tray.notify = lambda t, b, *, warning=False, msecs=0: app.balloons(t, b, warning)
        app.start()
        return app

    return make


def test_with_a_tray_every_notification_still_goes_to_the_server(qtbot, make_app, fake_server):
    from neckcare_desktop.core.therapy import TherapyKind

    app = make_app(manual=True, therapy={"ice_minutes": 1})
    qtbot.waitUntil(lambda: app.notifier.server.present is True)
    app.controller.start_therapy(TherapyKind.ICE)
    qtbot.waitUntil(lambda: len(fake_server.received) == 1)
    later(app, minutes=1)  # the round ends
    assert len(app.alerts.waiting) == 1
    qtbot.waitUntil(lambda: len(fake_server.received) == 2)

    started, ended = fake_server.received
    assert started["summary"] == "Ice started"
    assert started["hints"]["urgency"] == Urgency.NORMAL
    assert ended["summary"] == app.alerts.waiting[0].heading.text()
    assert ended["hints"]["urgency"] == Urgency.CRITICAL  # the end of a session must get through
    assert {n["app_name"] for n in fake_server.received} == {"NeckCare"}
    assert app.balloons.shown == []  # Qt's own balloon only where there is no server
    # "Ice started" left when the alert came; the alert's own (critical, no timeout)
    # leaves once the person confirms the pack is off: none pile up round after round.
    qtbot.waitUntil(lambda: fake_server.closed_ids == [7])
    app.alerts.waiting[0].close()
    qtbot.waitUntil(lambda: fake_server.closed_ids == [7, 8])


def test_the_warnings_postpone_button_postpones_that_break(qtbot, make_app, fake_server):
    from neckcare_desktop.core import events as ev

    app = make_app()
    qtbot.waitUntil(app.notifier.server_takes_actions)
    moved: list[bool] = []
    app.engine.postpone_upcoming = lambda: moved.append(True) or object()  # type: ignore[method-assign]

    app.breaks.on_engine_event(ev.BreakWarning("posture", 30, True))
    qtbot.waitUntil(lambda: len(fake_server.received) == 1)
    warning = fake_server.received[0]
    assert warning["summary"] == "Break coming up"
    assert parse_actions(warning["actions"]) == [("postpone", "Postpone 5 min")]
    assert "Click here" not in warning["body"]  # the button says it

    qtbot.waitUntil(lambda: bool(app.notifier._on_action))
    fake_server.emit("ActionInvoked", dbus_args.uint32(7), "postpone")
    qtbot.waitUntil(lambda: len(fake_server.received) == 2)
    assert moved == [True]
    assert fake_server.received[1]["summary"] == "Break postponed"
    qtbot.waitUntil(lambda: fake_server.closed_ids == [7])  # no warning left offering it


def test_a_warning_that_cannot_be_postponed_has_no_button(qtbot, make_app, fake_server):
    from neckcare_desktop.core import events as ev

    app = make_app()
    qtbot.waitUntil(app.notifier.server_takes_actions)
    app.breaks.on_engine_event(ev.BreakWarning("posture", 30, False))
    qtbot.waitUntil(lambda: len(fake_server.received) == 1)
    assert fake_server.received[0]["actions"] == []


def test_without_a_server_the_balloon_click_postpones_as_before(qtbot, make_app):
    from neckcare_desktop.core import events as ev

    app = make_app()
    qtbot.waitUntil(lambda: app.notifier.server.present is False)
    moved: list[bool] = []
    app.engine.postpone_upcoming = lambda: moved.append(True) or object()  # type: ignore[method-assign]

    app.breaks.on_engine_event(ev.BreakWarning("posture", 30, True))
    ((title, text, _warning),) = app.balloons.shown
    assert title == "Break coming up"
    assert "Click here to postpone it 5 min." in text
    app.tray.tray.messageClicked.emit()
    assert moved == [True]


# -- notifications that leave once dealt with ----------------------------------------------


def test_a_withdrawn_notification_is_closed_on_the_server(qtbot, bus_address, fake_server):
    notifier = Notifier(server=NotificationServer(SENDER, connect(bus_address, "client")))
    qtbot.waitUntil(lambda: notifier.server is not None and notifier.server.present is True)
    notifier.notify("Ice time is up", "Take the ice pack off now.", critical=True, tag="alert")
    qtbot.waitUntil(lambda: len(fake_server.received) == 1)
    qtbot.waitUntil(lambda: notifier._tagged.get("alert") == [7])
    notifier.withdraw("alert")  # the person confirmed the alert
    qtbot.waitUntil(lambda: fake_server.closed_ids == [7])
    notifier.withdraw("alert")  # twice is harmless
    notifier.notify("Break coming up", "Posture break in 30 seconds.", tag="warning")
    notifier.notify("Break postponed", "Your posture break moved 5 min later.", tag="warning")
    qtbot.waitUntil(lambda: len(fake_server.received) == 3)
    # The postponed note takes the warning's place: the warning is closed, not left asking.
    qtbot.waitUntil(lambda: fake_server.closed_ids == [7, 8])


def test_a_notification_withdrawn_before_the_server_answered_is_closed_when_it_does(
    qtbot, bus_address, fake_server
):
    notifier = Notifier(server=NotificationServer(SENDER, connect(bus_address, "client")))
    qtbot.waitUntil(lambda: notifier.server is not None and notifier.server.present is True)
    notifier.notify("Break coming up", "Posture break in 30 seconds.", tag="warning")
    notifier.withdraw("warning")  # the break came due at once: no id known yet
    qtbot.waitUntil(lambda: fake_server.closed_ids == [7])


def test_a_stop_from_the_command_line_replaces_ice_started_too(qtbot, make_app, fake_server):
    from neckcare_desktop.core.ipc_protocol import Request
    from neckcare_desktop.core.therapy import TherapyKind

    app = make_app()
    qtbot.waitUntil(lambda: app.notifier.server.present is True)
    app.controller.start_therapy(TherapyKind.ICE)
    qtbot.waitUntil(lambda: app.notifier._tagged.get("therapy") == [7])
    answer = app.handle_request(Request("stop", {}))
    qtbot.waitUntil(lambda: len(fake_server.received) == 2)
    assert fake_server.received[1]["summary"] == "Ice stopped"
    assert fake_server.received[1]["body"] == answer["message"]
    qtbot.waitUntil(lambda: fake_server.closed_ids == [7])  # no "Ice started" left behind
