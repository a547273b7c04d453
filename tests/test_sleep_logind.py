"""A suspend told by logind (``PrepareForSleep``), and machines without logind.

A fake logind on a private bus standing in for the system bus (``dbus_fakes``) sends
``PrepareForSleep(true)`` before a suspend and ``PrepareForSleep(false)`` after it: the hour
asleep counts as a break taken, once, and the next break is planned from the wake. Where
there is no logind (containers, machines without systemd, this project's test machines) or
no system bus at all, that is said at INFO and nothing worse: the clock heartbeat notices a
suspend instead (``test_presence.py::test_the_poll_notices_the_wall_clock_jumping_ahead``,
``test_engine_presence.py::test_a_suspend_counts_as_a_break_and_restarts_the_timers_from_the_wake``).
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from fakes import FakeScheduler
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.settings import default_settings
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.presence import PresenceWatcher

LOGIN1 = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"
MANAGER = "org.freedesktop.login1.Manager"


@pytest.fixture
def system_bus(qapp):
    """A private bus playing the system bus; the watcher's connection to it."""
    from PySide6.QtDBus import QDBusConnection

    from dbus_fakes import private_bus

    with private_bus() as address:
        connection = QDBusConnection.connectToBus(address, "test-system-bus")
        assert connection.isConnected()
        yield address, connection
        QDBusConnection.disconnectFromBus("test-system-bus")


def attached(clock: ManualClock, history: HistoryStore) -> tuple[PresenceWatcher, Engine]:
    watcher = PresenceWatcher(lambda: (0.0, False), lambda: None, clock, TimeScale(1.0))
    engine = Engine(default_settings(), history, FakeScheduler(), clock, presence=watcher)
    engine.start()
    watcher.attach(engine)
    return watcher, engine


def asleep(history: HistoryStore) -> list[tuple[str | None, str | None]]:
    rows = history.recent(limit=100, kinds=[EventKind.BREAK_NATURAL])[::-1]
    return [(r.subject, r.note) for r in rows]


def test_logind_sleep_and_wake_count_the_time_asleep_as_a_break(
    qtbot, system_bus, clock, history, caplog
):
    from dbus_fakes import FakeService

    caplog.set_level(logging.INFO, "neckcare_desktop.presence")
    address, connection = system_bus
    logind = FakeService(address, LOGIN1, LOGIN1_PATH, lambda member, args: [])
    watcher, engine = attached(clock, history)
    try:
        assert watcher.watch_logind(connection)
        qtbot.waitUntil(lambda: watcher.logind_present is not None, timeout=5000)
        assert watcher.logind_present is True
        assert "logind PrepareForSleep watched" in caplog.text
        clock.advance(timedelta(minutes=10))
        watcher.poll()

        logind.emit(MANAGER, "PrepareForSleep", [True])
        qtbot.waitUntil(lambda: watcher._sleep_started is not None, timeout=5000)
        clock.suspend(timedelta(hours=1))  # the wall and boot clocks ran on, monotonic not
        logind.emit(MANAGER, "PrepareForSleep", [False])
        qtbot.waitUntil(lambda: asleep(history) != [], timeout=5000)

        assert asleep(history) == [("posture", "asleep")]
        assert engine.status().next_break[1] == clock.now() + timedelta(minutes=20)
        watcher.poll()  # the heartbeat sees the same jump and must not count it again
        assert asleep(history) == [("posture", "asleep")]
    finally:
        watcher.stop()
        logind.close()


def test_without_logind_nothing_is_logged_above_info(qtbot, system_bus, clock, history, caplog):
    caplog.set_level(logging.DEBUG)
    _, connection = system_bus  # a system bus where nobody owns org.freedesktop.login1
    watcher, _ = attached(clock, history)
    try:
        watcher.watch_logind(connection)
        qtbot.waitUntil(lambda: watcher.logind_present is not None, timeout=5000)
        assert watcher.logind_present is False
        assert "no logind on the system bus" in caplog.text
        assert [r for r in caplog.records if r.levelno > logging.INFO] == []
    finally:
        watcher.stop()


def test_without_a_system_bus_nothing_is_logged_above_info(qapp, clock, history, caplog):
    from PySide6.QtDBus import QDBusConnection

    caplog.set_level(logging.DEBUG)
    # A connection that is not there, as systemBus() gives without a system bus. Made by
    # name, not with connectToBus(): that call blocks on QtDBus's thread while holding the
    # GIL, and deadlocked once when the thread still needed the GIL to finish the previous
    # test's disconnectFromBus (PySide6 does not release the GIL around it).
    nowhere = QDBusConnection("neckcare-test-no-system-bus")
    assert not nowhere.isConnected()
    watcher, _ = attached(clock, history)
    try:
        assert watcher.watch_logind(nowhere) is False
        assert "no system bus" in caplog.text
        assert [r for r in caplog.records if r.levelno > logging.INFO] == []
    finally:
        watcher.stop()
