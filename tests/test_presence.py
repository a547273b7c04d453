"""PresenceWatcher: idle and locked-screen readings, do-not-disturb, the idle poll's pace,
and the heartbeat that notices a suspend or a clock change.

Fake readers stand in for the desktop and a ManualClock for time; ``poll()`` is called
directly, and the interval it set for the next look is read from ``next_poll_ms``.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from fakes import FakeScheduler, Recorder, at
from neckcare_desktop.core import events as ev
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.settings import default_settings, with_value
from neckcare_desktop.core.therapy import TherapyKind
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.presence import (
    AWAY_POLL_SECONDS,
    MAX_POLL_SECONDS,
    MIN_POLL_SECONDS,
    PresenceWatcher,
)

LOGGER = "neckcare_desktop.presence"


class Desktop:
    """What the fake desktop reports: idle seconds, a locked screen, do-not-disturb."""

    def __init__(self) -> None:
        self.idle: float | None = 0.0
        self.locked = False
        self.dnd: str | None = None
        self.broken: Exception | None = None
        self.reads = 0

    def read_idle(self) -> tuple[float, bool] | None:
        self.reads += 1
        if self.broken is not None:
            raise self.broken
        return None if self.idle is None else (self.idle, self.locked)

    def read_dnd(self) -> str | None:
        if self.broken is not None:
            raise self.broken
        return self.dnd


@pytest.fixture
def desktop() -> Desktop:
    return Desktop()


def make_watcher(desktop: Desktop, clock: ManualClock, scale: float = 1.0) -> PresenceWatcher:
    return PresenceWatcher(desktop.read_idle, desktop.read_dnd, clock, TimeScale(scale))


def attached(
    qtbot, desktop: Desktop, clock: ManualClock, history: HistoryStore, scale: float = 1.0
) -> tuple[PresenceWatcher, Engine, Recorder]:
    watcher = make_watcher(desktop, clock, scale)
    engine = Engine(
        default_settings(),
        history,
        FakeScheduler(),
        clock,
        scale=TimeScale(scale),
        presence=watcher,
    )
    rec = Recorder()
    engine.subscribe(rec)
    engine.start()
    watcher.attach(engine)
    return watcher, engine, rec


def assert_next_poll(watcher: PresenceWatcher, seconds: float) -> None:
    """The single-shot timer was started for ``seconds``.

    A coarse QTimer may be moved by up to 5 % to share wake-ups; allow that and the
    test's own running time.
    """
    expected = seconds * 1000
    low, high = expected * 0.95 - 250, expected * 1.05
    assert low <= watcher.next_poll_ms <= high, (watcher.next_poll_ms, expected)


def natural(history: HistoryStore) -> list[tuple[str | None, str | None]]:
    rows = history.recent(limit=1000, kinds=[EventKind.BREAK_NATURAL])[::-1]
    return [(r.subject, r.note) for r in rows]


# -- core.ports.Presence -----------------------------------------------------------------


def test_idle_time_is_passed_through(qtbot, desktop, clock):
    watcher = make_watcher(desktop, clock)
    desktop.idle = 42.5
    assert watcher.away_seconds() == 42.5
    desktop.idle = None  # this desktop cannot tell
    assert watcher.away_seconds() is None


def test_a_locked_screen_counts_as_idle_since_the_lock(qtbot, desktop, clock):
    watcher = make_watcher(desktop, clock)
    desktop.idle, desktop.locked = 3.0, True
    assert watcher.away_seconds() == 3.0
    clock.advance(60)
    desktop.idle = 0.5  # some lock screens reset the idle counter (a key woke the screen)
    assert watcher.away_seconds() == 63.0
    clock.advance(240)
    assert watcher.away_seconds() == 303.0
    desktop.idle = 400.0  # never less than what the idle counter says
    assert watcher.away_seconds() == 400.0


def test_unlocking_ends_the_lock_and_a_new_lock_counts_afresh(qtbot, desktop, clock):
    watcher = make_watcher(desktop, clock)
    desktop.idle, desktop.locked = 0.0, True
    watcher.away_seconds()
    clock.advance(600)
    assert watcher.away_seconds() == 600.0
    desktop.locked = False
    assert watcher.away_seconds() == 0.0
    clock.advance(30)
    desktop.locked = True
    assert watcher.away_seconds() == 0.0
    clock.advance(10)
    assert watcher.away_seconds() == 10.0


def test_a_locked_screen_is_not_moved_by_a_wall_clock_change(qtbot, desktop, clock):
    watcher = make_watcher(desktop, clock)
    desktop.idle, desktop.locked = 0.0, True
    watcher.away_seconds()
    clock.set(clock.now() + timedelta(hours=5))  # wall clock only; no real time passed
    assert watcher.away_seconds() == 0.0


def test_do_not_disturb_is_passed_through(qtbot, desktop, clock):
    watcher = make_watcher(desktop, clock)
    assert watcher.do_not_disturb() is None
    desktop.dnd = "a fullscreen window"
    assert watcher.do_not_disturb() == "a fullscreen window"


@pytest.mark.expect_log("neckcare_desktop.presence", logging.ERROR, r"reading idle time failed")
@pytest.mark.expect_log(
    "neckcare_desktop.presence", logging.ERROR, r"reading do-not-disturb failed"
)
def test_a_broken_backend_never_raises(qtbot, desktop, clock, caplog):
    watcher = make_watcher(desktop, clock)
    desktop.broken = RuntimeError("bus gone")
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        assert watcher.away_seconds() is None
        assert watcher.do_not_disturb() is None
    assert len([r for r in caplog.records if r.name == LOGGER]) == 2


# -- the poll ----------------------------------------------------------------------------


def test_polling_before_attach_does_nothing(qtbot, desktop, clock):
    watcher = make_watcher(desktop, clock)
    watcher.poll()
    assert watcher.polls == 1
    assert desktop.reads == 0
    assert watcher.next_poll_ms == -1


def test_attach_looks_soon_and_stop_stops(qtbot, desktop, clock, history):
    watcher, _, _ = attached(qtbot, desktop, clock, history)
    assert_next_poll(watcher, MIN_POLL_SECONDS)
    watcher.stop()
    assert watcher.next_poll_ms == -1


@pytest.mark.parametrize(
    ("idle", "seconds"),
    [
        (0.0, 20.0),  # nothing can become a break before the 20 s micro-break length
        (12.0, 8.0),  # look again just when 20 s would be reached
        (17.0, MIN_POLL_SECONDS),  # never faster than every 5 s
        (None, MAX_POLL_SECONDS),  # no idle backend: only the clock heartbeat is left
    ],
)
def test_the_poll_paces_itself_on_what_can_happen_next(
    qtbot, desktop, clock, history, idle, seconds
):
    watcher, engine, _ = attached(qtbot, desktop, clock, history)
    desktop.idle = idle
    watcher.poll()
    assert_next_poll(watcher, seconds)
    assert not engine.status_is_away()


def test_while_typing_the_poll_is_rare_when_breaks_are_long(qtbot, desktop, clock, history):
    watcher, engine, _ = attached(qtbot, desktop, clock, history)
    engine.apply_settings(with_value(default_settings(), "breaks.micro.enabled", False))
    watcher.poll()  # shortest break is now the 5-minute posture break
    assert_next_poll(watcher, MAX_POLL_SECONDS)


def test_away_the_poll_looks_every_10_s_and_the_engine_counts_the_break(
    qtbot, desktop, clock, history
):
    watcher, engine, rec = attached(qtbot, desktop, clock, history)
    clock.advance(60)
    desktop.idle = 25.0
    watcher.poll()
    assert engine.status_is_away()
    assert_next_poll(watcher, AWAY_POLL_SECONDS)
    assert [e.kinds for e in rec.of(ev.NaturalBreak)] == [("micro",)]
    desktop.idle = 0.0
    watcher.poll()
    assert not engine.status_is_away()
    assert_next_poll(watcher, 20.0)
    assert natural(history) == [("micro", None)]


def test_a_locked_screen_through_the_poll_becomes_natural_breaks(qtbot, desktop, clock, history):
    watcher, engine, rec = attached(qtbot, desktop, clock, history)
    desktop.idle, desktop.locked = 1.0, True
    for _ in range(35):  # 5 min 50 s, polling every 10 s
        clock.advance(10)
        watcher.poll()
    assert natural(history) == [("micro", None), ("posture", None)]
    assert [e.kinds for e in rec.of(ev.NaturalBreak)] == [("micro",), ("posture",)]
    desktop.locked, desktop.idle = False, 0.0
    watcher.poll()
    assert engine.status().next_break[1] == clock.now() + timedelta(minutes=20)
    assert engine.breaks.next_posture_due() == clock.now() + timedelta(minutes=50)


def test_the_pace_follows_the_time_scale(qtbot, desktop, clock, history):
    watcher, _, _ = attached(qtbot, desktop, clock, history, scale=60)
    assert_next_poll(watcher, MIN_POLL_SECONDS / 60)
    desktop.idle = 0.0
    watcher.poll()
    assert_next_poll(watcher, 20.0 / 60)
    desktop.idle = 0.5  # 30 nominal seconds: away
    watcher.poll()
    assert_next_poll(watcher, AWAY_POLL_SECONDS / 60)


# -- the clock heartbeat -----------------------------------------------------------------


def test_the_poll_notices_the_wall_clock_jumping_ahead(qtbot, desktop, clock, history):
    watcher, engine, rec = attached(qtbot, desktop, clock, history)
    engine.start_therapy(TherapyKind.ICE)
    clock.advance(timedelta(minutes=5))
    watcher.poll()
    assert rec.of(ev.TherapyEnded) == []
    clock.suspend(timedelta(hours=2))  # monotonic time stood still, boot time ran on
    watcher.poll()
    assert len(rec.of(ev.TherapyEnded)) == 1  # the pack may have been on all along
    assert natural(history) == [("posture", "asleep")]  # the heartbeat can tell
    clock.advance(30)
    watcher.poll()
    assert len(rec.of(ev.TherapyEnded)) == 1
    assert len(natural(history)) == 1


def test_a_clock_set_ahead_during_ice_moves_the_end_and_records_no_overrun(
    qtbot, desktop, clock, history
):
    """Setting the clock is not time on the skin: the round still lasts 15 real minutes."""
    watcher, engine, rec = attached(qtbot, desktop, clock, history)
    engine.start_therapy(TherapyKind.ICE)
    clock.advance(timedelta(minutes=5))
    watcher.poll()
    clock.set(clock.now() + timedelta(hours=2))  # set by hand: no real time passed
    watcher.poll()
    assert rec.of(ev.TherapyEnded) == []
    assert engine.status().therapy_remaining_seconds == 10 * 60
    assert natural(history) == []  # and it was no time away either
    engine.scheduler.run_until(clock, timedelta(minutes=10))
    [ended] = rec.of(ev.TherapyEnded)
    assert ended.finished.actual_seconds == 15 * 60
    assert history.recent(limit=1)[0].kind.value == "therapy_completed"


def test_without_a_boot_time_clock_a_jump_ahead_is_treated_as_a_suspend(
    qtbot, desktop, clock, history
):
    """Where a suspend cannot be told from a set clock, the ice alert comes at once:
    better early than a pack left on."""
    clock.without_boottime()
    watcher, engine, rec = attached(qtbot, desktop, clock, history)
    engine.start_therapy(TherapyKind.ICE)
    clock.advance(timedelta(minutes=5))
    watcher.poll()
    clock.set(clock.now() + timedelta(hours=2))
    watcher.poll()
    assert len(rec.of(ev.TherapyEnded)) == 1


def test_the_poll_notices_the_wall_clock_set_back(qtbot, desktop, clock, history):
    watcher, engine, _ = attached(qtbot, desktop, clock, history)
    clock.advance(timedelta(minutes=10))
    watcher.poll()
    assert engine.status().next_break[1] == at(9, 20)
    clock.set(clock.now() - timedelta(hours=1))
    watcher.poll()
    assert engine.status().next_break[1] == at(8, 20)  # still 10 real minutes away


def test_the_poll_ignores_drift_under_10_s(qtbot, desktop, clock, history):
    watcher, engine, _ = attached(qtbot, desktop, clock, history)
    clock.advance(30)
    clock.set(clock.now() + timedelta(seconds=9))
    watcher.poll()
    assert engine.status().next_break[1] == at(9, 20)
    assert engine.scheduler.wakeups == 0


def test_logind_sleep_and_wake_count_the_sleep_once(qtbot, desktop, clock, history):
    watcher, engine, _ = attached(qtbot, desktop, clock, history)
    clock.advance(timedelta(minutes=10))
    watcher.poll()
    watcher.on_prepare_for_sleep(True)
    clock.set(clock.now() + timedelta(hours=1))
    clock.advance(2)  # a little real time around the suspend itself
    watcher.on_prepare_for_sleep(False)
    assert natural(history) == [("posture", "asleep")]
    assert engine.scheduler.wakeups == 1
    watcher.poll()  # the heartbeat must not count the same hour again
    assert engine.scheduler.wakeups == 1
    assert natural(history) == [("posture", "asleep")]
    assert engine.status().next_break[1] == clock.now() + timedelta(minutes=20)


def test_a_wake_without_a_sleep_signal_is_ignored(qtbot, desktop, clock, history):
    watcher, engine, _ = attached(qtbot, desktop, clock, history)
    watcher.on_prepare_for_sleep(False)
    assert engine.scheduler.wakeups == 0
    assert natural(history) == []


# -- readings that arrive later (D-Bus) --------------------------------------------------


class LaterIdle:
    """An idle source whose answers the test hands over when it likes, like D-Bus."""

    def __init__(self) -> None:
        self.questions: list = []

    def request(self, done) -> None:
        self.questions.append(done)

    def answer(self, value) -> None:
        self.questions.pop(0)(value)


class CachedDnd:
    """A do-not-disturb source with a cache, counting the refreshes asked for."""

    def __init__(self) -> None:
        self.reason: str | None = None
        self.refreshes = 0

    def current(self) -> str | None:
        return self.reason

    def refresh(self) -> None:
        self.refreshes += 1


def later_watcher(qtbot, clock, history, idle: LaterIdle, dnd: CachedDnd | None = None):
    watcher = PresenceWatcher(idle, dnd or CachedDnd(), clock, TimeScale(1.0))
    engine = Engine(default_settings(), history, FakeScheduler(), clock, presence=watcher)
    engine.start()
    watcher.attach(engine)
    return watcher, engine


def test_the_poll_never_waits_for_the_idle_answer_and_uses_it_when_it_comes(qtbot, clock, history):
    idle = LaterIdle()
    watcher, engine = later_watcher(qtbot, clock, history, idle)
    polled: list[int] = []
    watcher.polled.connect(lambda: polled.append(1))
    clock.advance(60)
    watcher.poll()
    assert len(idle.questions) == 1 and polled == []  # asked, back to the event loop
    assert_next_poll(watcher, MAX_POLL_SECONDS)  # still polling if no answer ever comes
    watcher.poll()
    assert len(idle.questions) == 1  # one question out at a time
    idle.answer((25.0, False))  # the desktop answers: 25 s without input
    assert engine.status_is_away()
    assert polled == [1]
    assert_next_poll(watcher, AWAY_POLL_SECONDS)
    assert natural(history) == [("micro", None)]


def test_the_engine_is_answered_from_the_last_reading_at_once(qtbot, clock, history):
    idle = LaterIdle()
    watcher, _ = later_watcher(qtbot, clock, history, idle)
    assert watcher.away_seconds() is None  # nothing known yet; a question went out
    idle.answer((42.0, False))
    assert watcher.away_seconds() == 42.0
    clock.advance(30)
    assert watcher.away_seconds() == 42.0  # not aged: the person may have typed since
    idle.answer((3.0, True))  # locked: that does count up while waiting for readings
    clock.advance(30)
    assert watcher.away_seconds() == 33.0


def test_a_lost_idle_question_is_asked_again(qtbot, clock, history, expect_log):
    expect_log(LOGGER, logging.WARNING, r"no idle reading for \d+ s; asking again")
    idle = LaterIdle()
    watcher, _ = later_watcher(qtbot, clock, history, idle)
    watcher.poll()
    clock.advance(30)
    watcher.poll()
    assert len(idle.questions) == 1
    clock.advance(40)
    watcher.poll()
    assert len(idle.questions) == 2


def test_do_not_disturb_is_asked_again_only_when_a_break_is_near(qtbot, clock, history):
    idle, dnd = LaterIdle(), CachedDnd()
    watcher, engine = later_watcher(qtbot, clock, history, idle, dnd)
    watcher.poll()
    idle.answer((0.0, False))
    assert dnd.refreshes == 1  # once at attach; the micro-break is 20 minutes away
    clock.advance(timedelta(minutes=18))
    watcher.poll()
    idle.answer((0.0, False))
    assert dnd.refreshes == 2  # due within the next poll or two: the answer must be fresh
    dnd.reason = "presentation"
    assert watcher.do_not_disturb() == "presentation"
    clock.advance(timedelta(minutes=2, seconds=30))
    engine.scheduler.run_due(clock)  # due now, and held back by the presentation
    assert engine.breaks.active is None and engine.breaks.upcoming()[1] < clock.now()  # held
    watcher.poll()
    idle.answer((0.0, False))
    assert dnd.refreshes == 3  # held: the engine looks again soon, so keep the answer fresh


def test_hung_desktop_services_never_hold_up_the_poll_or_the_engine(qtbot, clock, history):
    """The real monitors, asking a GNOME Shell and a notification server that receive
    every call and never answer: the poll and the engine's questions return at once and
    the GUI thread keeps beating; when the calls time out, breaks go on on the clock."""
    from PySide6.QtCore import QTimer

    from dbus_fakes import FakeService, private_bus
    from neckcare_desktop.platform.dbus import QtAsyncDBusCaller
    from neckcare_desktop.platform.dnd import DndMonitor, NotificationServerBackend
    from neckcare_desktop.platform.idle import (
        MUTTER_PATH,
        MUTTER_SERVICE,
        IdleMonitor,
        MutterIdleBackend,
    )

    with private_bus() as address:
        hung = [
            FakeService(address, MUTTER_SERVICE, MUTTER_PATH),
            FakeService(address, "org.freedesktop.Notifications", "/org/freedesktop/Notifications"),
        ]
        caller = QtAsyncDBusCaller(timeout_ms=3000, address=address)
        idle = IdleMonitor([MutterIdleBackend(caller)])
        dnd = DndMonitor([NotificationServerBackend(caller)])
        watcher = PresenceWatcher(idle, dnd, clock, TimeScale(1.0))
        engine = Engine(default_settings(), history, FakeScheduler(), clock, presence=watcher)
        engine.start()
        watcher.attach(engine)
        beats = [0]
        heartbeat = QTimer()
        heartbeat.setInterval(10)
        heartbeat.timeout.connect(lambda: beats.__setitem__(0, beats[0] + 1))
        heartbeat.start()
        polled: list[int] = []
        watcher.polled.connect(lambda: polled.append(1))
        try:
            watcher.poll()
            assert watcher.away_seconds() is None  # nothing known; not waited for
            assert watcher.do_not_disturb() is None
            assert watcher.waiting_for_idle
            qtbot.waitUntil(lambda: len(hung[0].calls) == 1 and len(hung[1].calls) == 1)
            qtbot.waitUntil(lambda: beats[0] >= 30, timeout=5000)  # the GUI thread runs on
            assert polled == []
            qtbot.waitUntil(lambda: polled == [1], timeout=10_000)  # ended by the timeout
            assert not watcher.waiting_for_idle
            assert engine.status().next_break is not None  # reminders on the clock alone
        finally:
            heartbeat.stop()
            watcher.stop()
            for service in hung:
                service.close()
