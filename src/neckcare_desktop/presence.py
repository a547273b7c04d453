"""Is the person there, and may we interrupt? Plus the heartbeat that spots clock jumps.

Reads idle time and do-not-disturb through ``platform/``, answers the engine's
``Presence`` questions at the moment a reminder is due, and polls idle time on a schedule
that fits what could happen next: rarely while the person types (nothing can become a
natural break before the shortest break's length), every 20 s while they are away (to
notice the return), never faster than every 5 s. The same poll compares the wall clock
with the monotonic clock, so a suspend or a clock change is noticed within one poll; on
Linux logind's ``PrepareForSleep`` tells about a suspend at once.

Nothing here waits for the desktop. Reading idle time or do-not-disturb may mean asking
another process over D-Bus, which can be slow or hung, so the readings come from
*sources* that answer later: the poll asks and goes back to the event loop, the reading is
used when it arrives, and the engine's ``Presence`` questions (synchronous by design) are
answered from the last reading kept here. A plain function works as a source too (tests,
desktops where everything is a quick local call): it is simply called.

Where the desktop can *push* away and back (GNOME: Mutter's idle watches, see
``platform.idle.mutter_watch``), the source offers ``watch(seconds, listener)``: then idle
time is not polled at all while the person types. The watch fires when they have been idle
for the shortest break's length (away) and again at their first input (back), and both go
to the engine at once. The poll goes on as the clock heartbeat, and while away it hands the
engine the growing time away so longer breaks are counted too. If the watch cannot be set
up, or is lost (GNOME Shell left the bus), polling takes over again.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import SLOT, QObject, Qt, QTimer, Signal, Slot

from neckcare_desktop.core.clock import Clock
from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.presence_sources import (
    CalledDnd,
    CalledIdle,
    CallSource,
    DndSource,
    IdleReadingLike,
    IdleSource,
    IdleValue,
    IdleWatchSource,
)

__all__ = [
    "CallSource",
    "DndSource",
    "IdleReadingLike",
    "IdleSource",
    "IdleValue",
    "IdleWatchSource",
    "PresenceWatcher",
]

logger = logging.getLogger(__name__)

#: Never poll idle time more often than this (nominal seconds, compressed by the scale).
MIN_POLL_SECONDS = 5.0
#: While away, look this often whether the person is back (fewer wake-ups than a
#: 5-second poll; a return is noticed within 20 s, well inside any break's length).
AWAY_POLL_SECONDS = 20.0
#: While typing, look at least this often (bounds the delay in noticing a clock jump).
MAX_POLL_SECONDS = 30.0
#: Do-not-disturb is asked ahead of a break (or its warning, a minute before) due within
#: the next poll plus this much (nominal seconds), so the answer is fresh when it counts.
DND_LOOKAHEAD_SECONDS = 120.0
#: An idle question unanswered this long (real seconds) is asked again. QtDBus ends
#: every call within seconds, so this only guards against a source that lost the question.
IDLE_ANSWER_TIMEOUT_S = 60.0
#: An idle reading at most this old (real seconds) tells how long ago the last input was.
INPUT_READING_MAX_AGE_S = 3.0


class PresenceWatcher(QObject):
    """Implements ``core.ports.Presence`` and drives ``Engine.on_presence``/``on_clock_jump``."""

    #: After every poll's reading arrived. The process is awake anyway, so the tray's
    #: "next break in N min" is refreshed here rather than by a timer of its own.
    polled = Signal()

    def __init__(
        self,
        idle_reader: IdleSource | Callable[[], IdleValue],
        dnd_reader: DndSource | Callable[[], str | None],
        clock: Clock,
        scale: TimeScale,
        parent: QObject | None = None,
    ) -> None:
        """``idle_reader`` gives (idle seconds, locked) or None, ``dnd_reader`` a reason or
        None: each a source (see :class:`IdleSource`, :class:`DndSource`) or a function."""
        super().__init__(parent)
        self._idle_source: IdleSource = (
            cast(IdleSource, idle_reader)
            if hasattr(idle_reader, "request")
            else CalledIdle(idle_reader)
        )
        self._dnd_source: DndSource = (
            cast(DndSource, dnd_reader) if hasattr(dnd_reader, "refresh") else CalledDnd(dnd_reader)
        )
        #: Where do_not_disturb() answers from (tests replace it with a function).
        self._read_dnd: Callable[[], str | None] = self._dnd_source.current
        self._clock = clock
        self._scale = scale
        self._engine: Engine | None = None
        #: The last idle reading (real seconds) and the lock it reported.
        self._idle: float | None = None
        self._locked_since: float | None = None
        self._asking = False  # an idle question is out
        self._asked_at = 0.0
        self._answer_inline = False  # the source answered before request() returned
        self._deliver_when_answered = False  # a poll is waiting for the answer
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._timer.timeout.connect(self.poll)
        self._last_wall = clock.now()
        self._last_mono = clock.monotonic()
        self._last_boot = _boottime(clock)
        self._sleep_started: tuple[object, float] | None = None
        #: Whether logind owns its name on the system bus (None: not known yet).
        self.logind_present: bool | None = None
        #: Away/back are pushed (the watch is in place): idle time is not polled.
        self._pushed = False
        self._push_refused = False  # the source cannot push: poll, and do not ask again
        self._pushed_away_since: float | None = None  # monotonic, from the latest push
        #: How many polls ran (for tests and the benchmark).
        self.polls = 0
        #: Microphone/camera in use (None: this app watches no calls; see watch_calls).
        self._calls: CallSource | None = None
        #: When the last idle reading arrived (monotonic), to age it for input_idle_seconds.
        self._idle_at: float | None = None

    # -- core.ports.Presence ---------------------------------------------------------------

    def away_seconds(self) -> float | None:
        """From the last reading (a source that answers at once is asked now).

        Idle time is not aged between readings: the person may have typed since, and
        calling them away when they are not would cost a reminder. A locked screen is:
        nobody types behind a lock screen. With away/back pushed, nothing is asked.
        """
        if not self._pushed:
            self._ask()
        return self._away()

    def in_call(self) -> bool:
        """core.ports.CallPresence: another program uses the microphone or camera."""
        calls = self._calls
        if calls is None:
            return False
        try:
            return bool(calls.in_call())
        except Exception:
            logger.exception("reading whether a call is on failed")
            return False

    def input_idle_seconds(self) -> float | None:
        """core.ports.CallPresence: seconds since the last key or mouse input, for a due
        break that waits for a pause in typing.

        Answered from the last reading, aged by the time since it arrived, when it is at
        most a few seconds old; otherwise a fresh reading is asked for (it arrives through
        the event loop; the engine asks again within seconds) and the answer is 0: better
        a break that waits a few seconds more than one that cuts into a sentence. None
        where no idle time can be read at all (then a due break starts at once).
        """
        mono = self._clock.monotonic()
        fresh = self._idle_at is not None and mono - self._idle_at <= INPUT_READING_MAX_AGE_S
        if not fresh:
            self._ask()  # a source that answers at once makes it fresh now
            fresh = self._idle_at is not None and mono - self._idle_at <= INPUT_READING_MAX_AGE_S
        if self._idle is None and not self._pushed:
            return None if not self._asking else 0.0
        if not fresh or self._idle is None or self._idle_at is None:
            return 0.0
        return self._idle + (mono - self._idle_at)

    def watch_calls(self, calls: CallSource | None) -> None:
        """Answer in_call() from ``calls`` (None: no call detection) and tell the engine
        at once when a call starts or ends (a held break is offered then)."""
        before, self._calls = self._calls, calls
        if before is not None and before is not calls:
            old_signal = getattr(before, "in_call_changed", None)
            if old_signal is not None:
                with contextlib.suppress(RuntimeError, TypeError):
                    old_signal.disconnect(self._on_call_changed)
        changed = getattr(calls, "in_call_changed", None)
        if changed is not None and before is not calls:
            changed.connect(self._on_call_changed)
        self._on_call_changed()

    def _on_call_changed(self, *_: object) -> None:
        if self._engine is not None:
            self._engine.calls_changed()

    def do_not_disturb(self) -> str | None:
        try:
            reason = self._read_dnd()
        except Exception:
            logger.exception("reading do-not-disturb failed")
            return None
        return reason

    # -- idle readings ---------------------------------------------------------------------

    def _ask(self) -> bool:
        """Ask the idle source unless a question is out; True if it answered at once."""
        mono = self._clock.monotonic()
        if self._asking and mono - self._asked_at < IDLE_ANSWER_TIMEOUT_S:
            return False
        if self._asking:
            logger.warning("no idle reading for %.0f s; asking again", mono - self._asked_at)
        self._asking, self._asked_at = True, mono
        self._answer_inline = True
        try:
            self._idle_source.request(self._answered)
        except Exception:  # a broken backend must never cost a reminder
            logger.exception("reading idle time failed")
            self._answered(None)
        finally:
            inline = not self._asking
            self._answer_inline = False
        return inline

    def _answered(self, value: IdleValue) -> None:
        if not self._asking:
            return  # a second answer to one question (or one given up on)
        self._asking = False
        self._store(value)
        if not self._answer_inline and self._deliver_when_answered:
            self._deliver()

    def _store(self, value: IdleValue) -> None:
        if value is None:
            self._idle = self._idle_at = None
            self._locked_since = None
            return
        if isinstance(value, tuple):
            idle, locked = value
        else:  # an IdleReading from platform.idle
            idle, locked = value.idle_seconds, value.locked
        if locked:
            if self._locked_since is None:
                self._locked_since = self._clock.monotonic() - idle
        else:
            self._locked_since = None
        self._idle = idle
        self._idle_at = self._clock.monotonic()

    def _away(self) -> float | None:
        if self._pushed:
            # Pushed: away since the watch fired, until the person is back. Before that,
            # all that is known is "not idle for the shortest break yet": 0.
            if self._pushed_away_since is None:
                return 0.0
            return self._clock.monotonic() - self._pushed_away_since
        if self._idle is None:
            return None
        if self._locked_since is not None:
            return max(self._idle, self._clock.monotonic() - self._locked_since)
        return self._idle

    # -- polling ---------------------------------------------------------------------------

    def attach(self, engine: Engine) -> None:
        self._engine = engine
        self._last_wall, self._last_mono = self._clock.now(), self._clock.monotonic()
        self._last_boot = _boottime(self._clock)
        self._timer.start(self._ms(MIN_POLL_SECONDS))
        try:  # a first look (and GNOME's watch started) long before the first break
            self._dnd_source.refresh()
        except Exception:
            logger.exception("asking for do-not-disturb failed")

    def stop(self) -> None:
        """Stop polling and let the sources go (subprocesses, bus connections)."""
        self._timer.stop()
        self._deliver_when_answered = False
        self._pushed, self._pushed_away_since = False, None
        for source in (self._idle_source, self._dnd_source):
            close = getattr(source, "close", None)
            if callable(close):
                try:
                    close()
                except Exception:
                    logger.debug("closing a presence source failed", exc_info=True)

    @property
    def next_poll_ms(self) -> int:
        return self._timer.remainingTime() if self._timer.isActive() else -1

    @property
    def waiting_for_idle(self) -> bool:
        """An idle question is out and its answer has not come (for tests and the bench)."""
        return self._asking

    def _ms(self, nominal_seconds: float) -> int:
        return max(50, round(nominal_seconds * 1000 / self._scale.factor))

    @Slot()
    def poll(self) -> None:
        self.polls += 1
        engine = self._engine
        if engine is None:
            return
        self._check_clock(engine)
        # The next look is planned now, from what is known, and re-planned when the
        # reading arrives: an answer that never comes must not end the polling.
        self._timer.start(self._ms(self._next_interval(engine, self._away())))
        if self._pushed:
            self._deliver()  # the heartbeat; away and back come by themselves
        else:
            self._deliver_when_answered = True
            if self._ask():
                self._deliver()
        self._refresh_dnd_ahead(engine)

    def _deliver(self) -> None:
        """Hand the reading to the engine and plan the next look from it."""
        self._deliver_when_answered = False
        engine = self._engine
        if engine is None:
            return
        idle = self._away()
        engine.on_presence(idle)
        self._timer.start(self._ms(self._next_interval(engine, idle)))
        self._keep_watch(engine)
        self.polled.emit()

    # -- away and back pushed ----------------------------------------------------------------

    def _keep_watch(self, engine: Engine) -> None:
        """Have away/back pushed at the shortest break's length, where the source can;
        asked after every reading, so the watch follows a changed break length."""
        if self._push_refused and not self._pushed:
            return
        watch = getattr(self._idle_source, "watch", None)
        shortest = engine.shortest_break_seconds()
        if not callable(watch) or shortest is None or (self._idle is None and not self._pushed):
            return  # nothing to watch for yet, or no backend has answered yet
        try:
            ok = bool(watch(shortest, self))
        except Exception:
            logger.exception("watching idle time failed")
            ok = False
        if not ok:
            self._push_refused = True
            self._pushed = False

    def idle_watch_started(self) -> None:
        if not self._pushed:  # (again after a new length or a GNOME Shell restart: no change)
            logger.debug("away and back are pushed; idle time is no longer polled")
            self._pushed_away_since = None
        self._pushed, self._push_refused = True, False

    def idle_away(self, idle_seconds: float) -> None:
        self._pushed_away_since = self._clock.monotonic() - idle_seconds
        self._idle, self._locked_since = idle_seconds, None
        self._idle_at = self._clock.monotonic()
        self._deliver()

    def idle_back(self) -> None:
        self._pushed_away_since = None
        self._idle, self._locked_since = 0.0, None
        self._idle_at = self._clock.monotonic()
        self._deliver()

    def idle_watch_lost(self, reason: str) -> None:
        was_pushed, self._pushed, self._push_refused = self._pushed, False, True
        self._pushed_away_since = None
        if was_pushed and self._engine is not None:
            self._timer.start(self._ms(MIN_POLL_SECONDS))  # read idle time again soon

    @property
    def pushed(self) -> bool:
        """Away and back are pushed by the desktop (for tests and the bench)."""
        return self._pushed

    def _next_interval(self, engine: Engine, idle: float | None) -> float:
        """Nominal seconds until the next look."""
        if idle is None or not engine.settings.breaks.natural_breaks:
            return MAX_POLL_SECONDS  # only the clock heartbeat is left to do
        if engine.status_is_away():
            return AWAY_POLL_SECONDS
        if self._pushed:
            return MAX_POLL_SECONDS  # going away is pushed: only the heartbeat
        shortest = engine.shortest_break_seconds()
        if shortest is None:
            return MAX_POLL_SECONDS
        # Idle is in real seconds; the engine's durations too. Convert to nominal.
        until_threshold = (shortest - idle) * self._scale.factor
        return min(MAX_POLL_SECONDS, max(MIN_POLL_SECONDS, until_threshold))

    def _refresh_dnd_ahead(self, engine: Engine) -> None:
        """Ask for do-not-disturb again when a break may come before the poll after next,
        or one is due or held back now (the engine looks again every minute).

        Only then: the answer matters when a break (or its warning) is about to show,
        and asking the notification server on every poll would wake it and us for nothing.
        """
        if engine.breaks.active is None:
            upcoming: Any = engine.breaks.upcoming()
            if upcoming is None:
                return
            ahead = (upcoming[1] - self._clock.now()).total_seconds() * self._scale.factor
            if ahead > MAX_POLL_SECONDS + DND_LOOKAHEAD_SECONDS:
                return
        try:
            self._dnd_source.refresh()
        except Exception:
            logger.exception("asking for do-not-disturb failed")

    def _check_clock(self, engine: Engine) -> None:
        wall, mono, boot = self._clock.now(), self._clock.monotonic(), _boottime(self._clock)
        jump = (wall - self._last_wall).total_seconds() - (mono - self._last_mono)
        slept: bool | None = None
        if boot is not None and self._last_boot is not None:
            # The boot-time clock runs on through a suspend, the monotonic one does not:
            # their difference is the time asleep. A wall-clock jump it does not explain
            # is a clock that was set, and then the ice end must move with it, not alert
            # as if the pack had been on all that time.
            asleep = (boot - self._last_boot) - (mono - self._last_mono)
            slept = jump > 0 and asleep >= jump / 2
        self._last_wall, self._last_mono, self._last_boot = wall, mono, boot
        if abs(jump) >= 10.0:
            engine.on_clock_jump(jump, slept=slept)

    # -- logind ----------------------------------------------------------------------------

    def watch_logind(self, bus: Any = None) -> bool:
        """Listen for logind's PrepareForSleep on the system bus (or ``bus``), where there is one.

        Without a system bus, or without logind on it (containers, machines without systemd),
        that is said at INFO and a suspend is noticed by the clock heartbeat alone. The
        signal stays connected while logind is missing: QtDBus follows the name, so a logind
        that starts later is heard. Whether it is there is asked without waiting.
        """
        from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusPendingCallWatcher

        bus = QDBusConnection.systemBus() if bus is None else bus
        if not bus.isConnected():
            logger.info("no system bus: suspend is noticed by the clock heartbeat only")
            return False
        if not bus.connect(  # PySide6's (receiver, slot signature) overload
            "org.freedesktop.login1",
            "/org/freedesktop/login1",
            "org.freedesktop.login1.Manager",
            "PrepareForSleep",
            self,
            SLOT("on_prepare_for_sleep(bool)"),
        ):
            logger.info("logind PrepareForSleep not available")
            return False
        ask = QDBusMessage.createMethodCall(
            "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner"
        )
        ask.setArguments(["org.freedesktop.login1"])
        answer = QDBusPendingCallWatcher(bus.asyncCall(ask, 5000), self)
        answer.finished.connect(self._logind_answered)
        return True

    def _logind_answered(self, answer: Any) -> None:
        answer.deleteLater()
        args = [] if answer.isError() else answer.reply().arguments()
        self.logind_present = bool(args and args[0])
        if self.logind_present:
            logger.info("logind PrepareForSleep watched")
        else:
            logger.info("no logind on the system bus: suspend is noticed by the clock heartbeat")

    @Slot(bool)
    def on_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        if going_to_sleep:
            self._sleep_started = (self._clock.now(), self._clock.monotonic())
            return
        if self._sleep_started is None or self._engine is None:
            return
        wall0, mono0 = self._sleep_started
        self._sleep_started = None
        wall, mono = self._clock.now(), self._clock.monotonic()
        slept = (wall - wall0).total_seconds() - (mono - mono0)  # type: ignore[operator]
        # The heartbeat must not count it again.
        self._last_wall, self._last_mono, self._last_boot = wall, mono, _boottime(self._clock)
        self._engine.on_clock_jump(max(slept, 0.0), slept=True)


def _boottime(clock: Clock) -> float | None:
    """The clock's boot-time seconds, where it has such a clock (see ``Clock.boottime``)."""
    read = getattr(clock, "boottime", None)
    return read() if callable(read) else None
