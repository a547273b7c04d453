"""Test doubles for driving the core engine without Qt or APScheduler.

:class:`FakeScheduler` implements ``core.ports.SchedulerPort``: it only holds jobs by
name. Time moves when a test calls :meth:`FakeScheduler.advance_to` (or
:meth:`FakeScheduler.run_until`), which walks a :class:`ManualClock` forward job by job in
time order, sets the clock to each job's time and runs its callback exactly once. A
callback may schedule, replace or cancel jobs; new jobs that fall inside the window run
in the same call, in time order.

:class:`Recorder` is an engine listener that keeps every event it is given;
:class:`FakePresence` answers the engine's ``Presence`` questions the way a test says;
:class:`Rig` / :func:`make_rig` put an :class:`Engine` together with all of them.

For the app's Qt side: :class:`FakeSound` stands in for the sound player (no audio device
in tests) and :class:`Heartbeat` tells whether the GUI thread stayed free;
:func:`manual_clock` and :func:`later` move a running app's time (conftest's ``make_app``
with ``manual=True``) without any real waiting. For the command socket:
:class:`FakeHandler` (the app's side), :class:`SocketClient` (a raw client the test's
event loop serves) and :func:`ok_reply`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

import neckcare_desktop
from conftest import TEST_TZ
from neckcare_desktop.core import events as ev
from neckcare_desktop.core.breaks import BreakKind
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.events import EngineEvent
from neckcare_desktop.core.history import Event, EventKind, HistoryStore
from neckcare_desktop.core.ipc_protocol import Request, decode_response
from neckcare_desktop.core.settings import Settings, default_settings, with_value
from neckcare_desktop.core.stretches import StretchRotation
from neckcare_desktop.core.timescale import TimeScale

if TYPE_CHECKING:
    from neckcare_desktop.app import NeckCareApp

E = TypeVar("E")

#: A callback that keeps re-scheduling itself at the same instant would loop forever.
MAX_FIRES_PER_ADVANCE = 100_000


@dataclass(frozen=True)
class Job:
    name: str
    when: datetime
    callback: Callable[[], None] = field(compare=False, repr=False)
    seq: int = 0


@dataclass(frozen=True)
class FiredJob:
    """One callback that ran: its name, when it ran, and when it was scheduled for."""

    name: str
    at: datetime
    scheduled: datetime


class FakeScheduler:
    """SchedulerPort that runs jobs only when a test moves the clock."""

    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}
        self.fired: list[FiredJob] = []
        self.wakeups = 0
        self._seq = itertools.count()

    # -- SchedulerPort -------------------------------------------------------------------

    def call_at(self, name: str, when: datetime, callback: Callable[[], None]) -> None:
        if when.tzinfo is None:
            raise ValueError("call_at needs a timezone-aware time")
        self.jobs[name] = Job(name, when, callback, next(self._seq))

    def cancel(self, name: str) -> None:
        self.jobs.pop(name, None)

    def wakeup(self) -> None:
        self.wakeups += 1

    # -- inspection ----------------------------------------------------------------------

    def when(self, name: str) -> datetime | None:
        job = self.jobs.get(name)
        return None if job is None else job.when

    def pending(self) -> list[str]:
        return sorted(self.jobs)

    def next_job(self) -> Job | None:
        if not self.jobs:
            return None
        return min(self.jobs.values(), key=lambda job: (job.when, job.seq))

    def fired_names(self) -> list[str]:
        return [f.name for f in self.fired]

    # -- moving time ---------------------------------------------------------------------

    def advance_to(self, clock: ManualClock, when: datetime) -> list[FiredJob]:
        """Move ``clock`` to ``when``, running every job due on the way, in time order.

        A job scheduled in the past (overdue) runs at the current time, once; the clock
        never goes backwards. Returns the jobs that ran during this call.
        """
        if when < clock.now():
            raise ValueError(f"cannot advance backwards from {clock.now()} to {when}")
        first = len(self.fired)
        for _ in range(MAX_FIRES_PER_ADVANCE):
            job = self.next_job()
            if job is None or job.when > when:
                break
            del self.jobs[job.name]  # before the callback, which may schedule a successor
            if job.when > clock.now():
                clock.set(job.when)
            self.fired.append(FiredJob(job.name, clock.now(), job.when))
            job.callback()
        else:
            raise RuntimeError(f"more than {MAX_FIRES_PER_ADVANCE} jobs fired before {when}")
        clock.set(when)
        return self.fired[first:]

    def run_until(self, clock: ManualClock, delta: timedelta | float) -> list[FiredJob]:
        """Advance by ``delta`` (a timedelta or seconds); see :meth:`advance_to`."""
        if not isinstance(delta, timedelta):
            delta = timedelta(seconds=delta)
        return self.advance_to(clock, clock.now() + delta)

    def run_due(self, clock: ManualClock) -> list[FiredJob]:
        """Run whatever is due now (e.g. overdue jobs after the clock jumped)."""
        return self.advance_to(clock, clock.now())


class Recorder:
    """An engine listener that keeps every event, in order."""

    def __init__(self) -> None:
        self.events: list[EngineEvent] = []

    def __call__(self, event: EngineEvent) -> None:
        self.events.append(event)

    def of(self, kind: type[E]) -> list[E]:
        return [e for e in self.events if isinstance(e, kind)]

    def types(self) -> list[type]:
        return [type(e) for e in self.events]

    def clear(self) -> None:
        self.events.clear()


class FakePresence:
    """``core.ports.Presence`` under the test's control.

    Idle time is either a fixed reading (``idle``) or, once :meth:`leave` was called,
    the time since then on the clock, as a real idle counter would grow.
    """

    def __init__(self, clock: ManualClock | None = None) -> None:
        self.clock = clock
        self.idle: float | None = 0.0
        self.away_from: datetime | None = None
        self.dnd: str | None = None

    def away_seconds(self) -> float | None:
        if self.away_from is not None and self.clock is not None:
            return max(0.0, (self.clock.now() - self.away_from).total_seconds())
        return self.idle

    def do_not_disturb(self) -> str | None:
        return self.dnd

    def leave(self, when: datetime | None = None) -> None:
        """The person walks away (now, or at ``when``); idle grows with the clock."""
        assert self.clock is not None
        self.away_from = when or self.clock.now()

    def back(self) -> None:
        """The person touches the keyboard: idle drops to 0."""
        self.away_from = None
        self.idle = 0.0


# -- doubles for the app's Qt side -------------------------------------------------------


class FakeSound:
    """The app's sound player without an audio device: keeps the cues it was asked to play.

    Tests set ``app.sound = FakeSound()``; what would have sounded is in ``played``.
    """

    def __init__(self) -> None:
        self.enabled = True
        self.volume = 1.0
        self.played: list[str] = []

    def play(self, name: str) -> bool:
        self.played.append(name)
        return True


class Heartbeat:
    """A 10-ms timer on the GUI thread: ``beats`` grows only while that thread is free, so a
    test sees whether work ran beside the window or blocked it."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer  # this module stays importable without Qt

        self.beats = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._beat)
        self.timer.start()

    def _beat(self) -> None:
        self.beats += 1

    def stop(self) -> None:
        self.timer.stop()


def settle(max_rounds: int = 100) -> None:
    """Run what the event loop already holds — posted events (layout requests, view
    updates) and due timers, zero-time ones included — until a turn finds nothing to do.

    For checks that something did *not* happen (no reflow, no extra fetch), where there is
    no signal to wait for: unlike a fixed ``qtbot.wait(n)`` it neither depends on the
    machine's speed nor sleeps. A periodic timer (e.g. :class:`Heartbeat`) keeps the loop
    busy: then it stops after ``max_rounds`` turns.
    """
    from PySide6.QtCore import QAbstractEventDispatcher, QCoreApplication, QEventLoop

    dispatcher = QAbstractEventDispatcher.instance()
    assert dispatcher is not None, "settle() needs a Q(Core)Application"
    for _ in range(max_rounds):
        QCoreApplication.sendPostedEvents()
        if not dispatcher.processEvents(QEventLoop.ProcessEventsFlag.AllEvents):
            return


# -- an engine on a manual clock, wired to all the fakes ---------------------------------

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=TEST_TZ)  # the ``clock`` fixture's start, a Monday


def at(hh: int, mm: int, ss: int = 0, *, day: int = 2) -> datetime:
    """A time on Monday 2 March 2026 (or another ``day`` of that month) in TEST_TZ."""
    return datetime(2026, 3, day, hh, mm, ss, tzinfo=TEST_TZ)


#: A zone with summer time, for tests across the clock changes (last Sundays of March and
#: October).
BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args: int, fold: int = 0) -> datetime:
    """A wall-clock time in Berlin: ``berlin(2026, 3, 29, 2, 30)``; ``fold=1`` picks the
    second of a time that happens twice (October)."""
    return datetime(*args, tzinfo=BERLIN, fold=fold)


def tweak(s: Settings, **values: object) -> Settings:
    """Settings with dotted keys changed, e.g. tweak(s, **{"breaks.micro.enabled": False})."""
    for key, value in values.items():
        s = with_value(s, key, value)
    return s


@dataclass
class Rig:
    engine: Engine
    sched: FakeScheduler
    rec: Recorder
    clock: ManualClock
    history: HistoryStore
    presence: FakePresence

    def to(self, when: datetime) -> None:
        self.sched.advance_to(self.clock, when)

    def run(self, **delta: float) -> None:
        self.sched.run_until(self.clock, timedelta(**delta))

    def rows(self, *kinds: EventKind) -> list[Event]:
        """History rows, oldest first, optionally only of ``kinds``."""
        rows = self.history.recent(limit=100_000, kinds=kinds or None)
        return rows[::-1]

    def due(self) -> list[tuple[BreakKind, datetime]]:
        return [(e.brk.kind, e.brk.due_at) for e in self.rec.of(ev.BreakDue)]

    def poll(self) -> None:
        """One idle poll, as the app's PresenceWatcher does it."""
        self.engine.on_presence(self.presence.away_seconds())

    def poll_every(self, seconds: float, until: datetime) -> None:
        """Idle polls every ``seconds`` until ``until``, with the scheduler running in
        between."""
        while self.clock.now() + timedelta(seconds=seconds) <= until:
            self.run(seconds=seconds)
            self.poll()
        self.to(until)

    def idle(self, seconds: float) -> None:
        """An idle reading of ``seconds``, handed to the engine."""
        self.presence.away_from = None
        self.presence.idle = seconds
        self.engine.on_presence(seconds)

    @property
    def status(self) -> tuple[str, ...]:
        return self.engine.status().lines


def make_rig(
    clock: ManualClock,
    history: HistoryStore,
    s: Settings | None = None,
    *,
    scale: TimeScale | None = None,
    stretches: StretchRotation | None = None,
    start: bool = True,
) -> Rig:
    sched = FakeScheduler()
    presence = FakePresence(clock)
    engine = Engine(
        s or default_settings(),
        history,
        sched,
        clock,
        scale=scale,
        stretches=stretches,
        presence=presence,
    )
    rec = Recorder()
    engine.subscribe(rec)
    if start:
        engine.start()
    return Rig(engine, sched, rec, clock, history, presence)


# -- the running app on a manual clock (conftest's ``make_app(manual=True)``) ------------


def manual_clock() -> ManualClock:
    """Years ahead of the real clock: the app's real scheduler never fires on its own."""
    return ManualClock(datetime(2036, 3, 3, 9, 0, tzinfo=TEST_TZ))


def later(app: NeckCareApp, **delta: float) -> list[FiredJob]:
    """Move a ``manual`` app's clock on, running the jobs that fall due on the way."""
    assert isinstance(app.scheduler, FakeScheduler), "make the app with manual=True"
    assert isinstance(app.clock, ManualClock)
    return app.scheduler.run_until(app.clock, timedelta(**delta))


# -- the single-instance command socket --------------------------------------------------

#: The folder holding the neckcare_desktop package: PYTHONPATH for a real CLI or app process.
SRC_DIR = Path(neckcare_desktop.__file__).resolve().parents[1]


class FakeHandler:
    """The running app's side of a command: records requests; refuses long ice like the
    core rules do; 'break' hits a bug; 'show' answers something that is not JSON."""

    def __init__(self) -> None:
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> Any:
        from neckcare_desktop.platform.single_instance import CommandRefused

        self.requests.append(request)
        if request.cmd == "ice" and request.args.get("minutes", 15) > 20:
            raise CommandRefused("Ice is capped at 20 minutes a round.")
        if request.cmd == "break":
            raise RuntimeError("boom: secret internals")
        if request.cmd == "show":
            return object()  # a handler bug: not JSON
        return {"cmd": request.cmd, "args": request.args}


def ok_reply(cmd: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the server answers when :class:`FakeHandler` accepted ``cmd``."""
    return {"v": 1, "ok": True, "result": {"cmd": cmd, "args": args or {}}}


class SocketClient:
    """A raw, non-blocking QLocalSocket client, so the test's event loop can serve it."""

    def __init__(self, qtbot: Any, name: str) -> None:
        from PySide6.QtNetwork import QLocalSocket

        self.qtbot = qtbot
        self.sock = QLocalSocket()
        self.sock.connectToServer(name)
        qtbot.waitUntil(self.connected, timeout=2000)
        self.buffer = bytearray()

    def connected(self) -> bool:
        return self.sock.state() == self.sock.LocalSocketState.ConnectedState

    def gone(self) -> bool:
        self._pull()
        return self.sock.state() == self.sock.LocalSocketState.UnconnectedState

    def send(self, data: bytes) -> None:
        self.sock.write(data)
        self.sock.flush()

    def _pull(self) -> None:
        if self.sock.bytesAvailable():
            self.buffer += self.sock.readAll().data()

    def _has_line(self) -> bool:
        self._pull()
        return b"\n" in self.buffer

    def reply(self, timeout: int = 3000) -> dict[str, Any]:
        self.qtbot.waitUntil(self._has_line, timeout=timeout)
        line, _, rest = bytes(self.buffer).partition(b"\n")
        self.buffer = bytearray(rest)
        return decode_response(line)

    def close(self) -> None:
        self.sock.abort()
