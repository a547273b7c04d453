"""Away and back pushed by GNOME Shell (Mutter's idle watches) instead of polled.

A fake Mutter on a private session bus (``dbus_fakes``) hands out watch ids and sends
``WatchFired`` when the test says the person went away or came back. What a person would
notice: the break they took by walking away is counted the moment the shortest break's
length has passed, their return restarts the timer at once, nobody asks GNOME Shell for
idle time while they type, and when GNOME Shell restarts the watches come back by
themselves. The real GNOME Shell is driven in ``tests/e2e/test_gnome_idle.py``.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest

from fakes import FakeScheduler
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.settings import default_settings
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.platform import dbus_args
from neckcare_desktop.platform.idle import (
    GNOME_SCREENSAVER_PATH,
    GNOME_SCREENSAVER_SERVICE,
    MUTTER_PATH,
    MUTTER_SERVICE,
    IdleMonitor,
    MutterIdleBackend,
)
from neckcare_desktop.presence import AWAY_POLL_SECONDS, MAX_POLL_SECONDS, PresenceWatcher

WATCH_LOGGER = "neckcare_desktop.platform.idle.mutter_watch"
INTERFACE = "org.gnome.Mutter.IdleMonitor"
MICRO_BREAK_S = 20.0  # the default settings' shortest break


class FakeMutter:
    """Mutter's idle monitor: GetIdletime, AddIdleWatch, AddUserActiveWatch, RemoveWatch,
    and ``fire(id)`` for WatchFired. ``refuse_watches`` answers AddIdleWatch with an error,
    as an old or stripped-down service would."""

    def __init__(self, address: str, idle_ms: int = 1000, refuse_watches: bool = False) -> None:
        from dbus_fakes import ErrorReply, FakeService

        self.idle_ms = idle_ms
        self.next_id = 1
        self.watches: dict[int, str] = {}  # id -> "idle <ms>" or "active"
        self._error = ErrorReply if refuse_watches else None
        self.service = FakeService(address, MUTTER_SERVICE, MUTTER_PATH, self._answer)

    def _answer(self, member: str, args: list[Any]) -> Any:
        if member == "GetIdletime":
            return [self.idle_ms]
        if member in ("AddIdleWatch", "AddUserActiveWatch"):
            if self._error is not None:
                return self._error("org.freedesktop.DBus.Error.UnknownMethod", "no watches")
            watch_id, self.next_id = self.next_id, self.next_id + 1
            kind = f"idle {args[0]}" if member == "AddIdleWatch" else "active"
            self.watches[watch_id] = kind
            return [dbus_args.uint32(watch_id)]
        if member == "RemoveWatch":
            self.watches.pop(int(args[0]), None)
            return []
        return []

    def watch_of(self, kind: str) -> int:
        ids = [i for i, k in self.watches.items() if k == kind]
        assert len(ids) == 1, (kind, self.watches)
        return ids[0]

    def fire(self, watch_id: int) -> None:
        if self.watches.get(watch_id) == "active":
            del self.watches[watch_id]  # a user-active watch fires once
        self.service.emit(INTERFACE, "WatchFired", [dbus_args.uint32(watch_id)])

    def members(self) -> list[str]:
        return self.service.members()

    def close(self) -> None:
        self.service.close()


class Desk:
    """The real monitor, backend and presence watcher on the private bus, an engine on a
    manual clock. ``engine.status_is_away()`` is what the tray and ``status`` show."""

    def __init__(self, qtbot: Any, address: str, clock: ManualClock, history: HistoryStore):
        from neckcare_desktop.platform.dbus import QtAsyncDBusCaller

        self.qtbot = qtbot
        self.clock = clock
        self.history = history
        self.monitor = IdleMonitor([MutterIdleBackend(QtAsyncDBusCaller(address=address))])
        self.watcher = PresenceWatcher(self.monitor, lambda: None, clock, TimeScale(1.0))
        self.engine = Engine(
            default_settings(), history, FakeScheduler(), clock, presence=self.watcher
        )
        self.engine.start()
        self.watcher.attach(self.engine)

    def wait_pushed(self) -> None:
        self.watcher.poll()  # the first reading names the backend; then the watch is asked
        self.qtbot.waitUntil(lambda: self.watcher.pushed, timeout=5000)

    def natural(self) -> list[str | None]:
        rows = self.history.recent(limit=100, kinds=[EventKind.BREAK_NATURAL])[::-1]
        return [r.subject for r in rows]

    def close(self) -> None:
        self.watcher.stop()


@pytest.fixture
def lock(bus_address):
    """GNOME's lock screen service: ``lock.locked`` is what GetActive answers."""
    from dbus_fakes import FakeService

    class Lock:
        locked = False

    state = Lock()
    service = FakeService(
        bus_address,
        GNOME_SCREENSAVER_SERVICE,
        GNOME_SCREENSAVER_PATH,
        lambda member, args: [state.locked],
    )
    yield state
    service.close()


def test_walking_away_and_coming_back_are_pushed_not_polled(
    qtbot, bus_address, clock, history, lock
):
    mutter = FakeMutter(bus_address)
    desk = Desk(qtbot, bus_address, clock, history)
    try:
        desk.wait_pushed()
        # The watch is set at the shortest break's length, as a D-Bus uint64 in ms.
        idle_watch = mutter.watch_of(f"idle {int(MICRO_BREAK_S * 1000)}")
        assert ("AddIdleWatch", "t") in mutter.service.signatures
        reads = mutter.members().count("GetIdletime")

        # The person types for a while: the heartbeat runs, GNOME Shell is not asked.
        for _ in range(3):
            clock.advance(30)
            desk.watcher.poll()
        assert mutter.members().count("GetIdletime") == reads
        assert desk.watcher.next_poll_ms > (MAX_POLL_SECONDS - 2) * 1000

        # 20 s without input: Mutter says so, and the micro-break counts at once.
        clock.advance(MICRO_BREAK_S)
        mutter.fire(idle_watch)
        qtbot.waitUntil(desk.engine.status_is_away, timeout=5000)
        assert desk.natural() == ["micro"]
        qtbot.waitUntil(lambda: "active" in mutter.watches.values(), timeout=5000)

        # Still away 5 minutes later: the heartbeat hands over the growing time away,
        # so the longer posture break counts too (nobody asked GNOME Shell meanwhile).
        for _ in range(15):
            clock.advance(AWAY_POLL_SECONDS)
            desk.watcher.poll()
        assert desk.natural() == ["micro", "posture"]
        assert mutter.members().count("GetIdletime") == reads

        # A key press: back at once, the next break planned from now.
        mutter.fire(mutter.watch_of("active"))
        qtbot.waitUntil(lambda: not desk.engine.status_is_away(), timeout=5000)
        assert desk.engine.status().next_break[1] == clock.now() + timedelta(minutes=20)

        # Away again later: the same idle watch fires again, a new user-active watch.
        clock.advance(60)
        mutter.fire(idle_watch)
        qtbot.waitUntil(desk.engine.status_is_away, timeout=5000)
        qtbot.waitUntil(lambda: "active" in mutter.watches.values(), timeout=5000)
    finally:
        desk.close()
        mutter.close()


def test_input_at_the_lock_screen_is_not_back(qtbot, bus_address, clock, history, lock):
    mutter = FakeMutter(bus_address)
    desk = Desk(qtbot, bus_address, clock, history)
    try:
        desk.wait_pushed()
        clock.advance(60)  # only time away while NeckCare runs counts
        mutter.fire(mutter.watch_of("idle 20000"))
        qtbot.waitUntil(lambda: "active" in mutter.watches.values(), timeout=5000)
        assert desk.engine.status_is_away()
        lock.locked = True
        mutter.fire(mutter.watch_of("active"))  # the mouse moved at the lock screen
        # GetActive said locked: the user-active watch is armed again, still away.
        qtbot.waitUntil(lambda: "active" in mutter.watches.values(), timeout=5000)
        assert desk.engine.status_is_away()
        lock.locked = False
        mutter.fire(mutter.watch_of("active"))  # typed after unlocking
        qtbot.waitUntil(lambda: not desk.engine.status_is_away(), timeout=5000)
    finally:
        desk.close()
        mutter.close()


def test_a_changed_break_length_moves_the_watch(qtbot, bus_address, clock, history, lock):
    from neckcare_desktop.core.settings import with_value

    mutter = FakeMutter(bus_address)
    desk = Desk(qtbot, bus_address, clock, history)
    try:
        desk.wait_pushed()
        old = mutter.watch_of("idle 20000")
        desk.engine.apply_settings(
            with_value(desk.engine.settings, "breaks.micro.duration_seconds", 45)
        )
        desk.watcher.poll()
        qtbot.waitUntil(lambda: list(mutter.watches.values()) == ["idle 45000"], timeout=5000)
        assert old not in mutter.watches
    finally:
        desk.close()
        mutter.close()


def test_closing_removes_the_watches(qtbot, bus_address, clock, history, lock):
    mutter = FakeMutter(bus_address)
    desk = Desk(qtbot, bus_address, clock, history)
    try:
        desk.wait_pushed()
        mutter.fire(mutter.watch_of("idle 20000"))
        qtbot.waitUntil(lambda: len(mutter.watches) == 2, timeout=5000)
        desk.close()
        qtbot.waitUntil(lambda: mutter.watches == {}, timeout=5000)
        assert ("RemoveWatch", "u") in mutter.service.signatures
    finally:
        mutter.close()


def test_gnome_shell_restarting_brings_the_watches_back(
    qtbot, bus_address, clock, history, lock, expect_log
):
    mutter = FakeMutter(bus_address)
    desk = Desk(qtbot, bus_address, clock, history)
    try:
        desk.wait_pushed()
        mutter.close()  # GNOME Shell crashed: its watches are gone, polling takes over
        qtbot.waitUntil(lambda: not desk.watcher.pushed, timeout=5000)
        mutter = FakeMutter(bus_address)  # and restarted
        qtbot.waitUntil(lambda: desk.watcher.pushed, timeout=5000)
        assert mutter.members() == ["AddIdleWatch"]
        clock.advance(60)
        mutter.fire(mutter.watch_of("idle 20000"))
        qtbot.waitUntil(desk.engine.status_is_away, timeout=5000)
    finally:
        desk.close()
        mutter.close()


def test_without_idle_watches_idle_time_is_polled(qtbot, bus_address, clock, history, caplog):
    """AddIdleWatch refused: said at INFO, and the poll reads idle time as before."""
    caplog.set_level(logging.INFO, WATCH_LOGGER)
    mutter = FakeMutter(bus_address, idle_ms=25_000, refuse_watches=True)
    desk = Desk(qtbot, bus_address, clock, history)
    try:
        desk.watcher.poll()
        qtbot.waitUntil(lambda: "AddIdleWatch" in mutter.members(), timeout=5000)
        qtbot.waitUntil(lambda: "polling instead" in caplog.text, timeout=5000)
        assert not desk.watcher.pushed
        reads = mutter.members().count("GetIdletime")
        clock.advance(60)
        desk.watcher.poll()
        qtbot.waitUntil(lambda: mutter.members().count("GetIdletime") > reads, timeout=5000)
        qtbot.waitUntil(desk.engine.status_is_away, timeout=5000)  # 25 s idle, polled
        assert mutter.members().count("AddIdleWatch") == 1  # not asked on every poll
    finally:
        desk.close()
        mutter.close()


class PushingIdle:
    """An idle source that pushes, without D-Bus: the test plays GNOME Shell's part."""

    def __init__(self) -> None:
        self.listener: Any = None
        self.lengths: list[float] = []
        self.reads = 0

    def request(self, done: Any) -> None:
        self.reads += 1
        done((0.0, False))

    def watch(self, away_after_seconds: float, listener: Any) -> bool:
        self.lengths.append(away_after_seconds)
        self.listener = listener
        return True


def test_watches_added_again_while_away_keep_the_person_away(qtbot, clock, history):
    """GNOME Shell replaced while the person is away: the watches are added on the new
    one, and the heartbeat must not call the person back meanwhile."""
    source = PushingIdle()
    watcher = PresenceWatcher(source, lambda: None, clock, TimeScale(1.0))
    engine = Engine(default_settings(), history, FakeScheduler(), clock, presence=watcher)
    engine.start()
    watcher.attach(engine)
    watcher.poll()
    assert source.lengths == [MICRO_BREAK_S]
    source.listener.idle_watch_started()
    clock.advance(60)
    source.listener.idle_away(MICRO_BREAK_S)
    assert engine.status_is_away()
    source.listener.idle_watch_started()  # added again on the new GNOME Shell
    clock.advance(AWAY_POLL_SECONDS)
    watcher.poll()
    assert engine.status_is_away()
    assert watcher.away_seconds() == MICRO_BREAK_S + AWAY_POLL_SECONDS
    reads = source.reads
    source.listener.idle_back()
    assert not engine.status_is_away()
    watcher.poll()
    assert source.reads == reads  # pushed: no idle reads while present
    watcher.stop()


def test_a_lost_watch_goes_back_to_polling(qtbot, clock, history):
    source = PushingIdle()
    watcher = PresenceWatcher(source, lambda: None, clock, TimeScale(1.0))
    engine = Engine(default_settings(), history, FakeScheduler(), clock, presence=watcher)
    engine.start()
    watcher.attach(engine)
    watcher.poll()
    source.listener.idle_watch_started()
    reads = source.reads
    watcher.poll()
    assert source.reads == reads
    source.listener.idle_watch_lost("GNOME Shell's idle monitor left the bus")
    assert not watcher.pushed
    watcher.poll()
    assert source.reads == reads + 1
    watcher.stop()
