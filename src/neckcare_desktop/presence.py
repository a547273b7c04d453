"""Is the person there, and may we interrupt? Plus the heartbeat that spots clock jumps.

Reads idle time and do-not-disturb through ``platform/``, answers the engine's
``Presence`` questions at the moment a reminder is due, and polls idle time on a schedule
that fits what could happen next: rarely while the person types (nothing can become a
natural break before the shortest break's length), every 20 s while they are away (to
notice the return), never faster than every 5 s. The same poll compares the wall clock
with the monotonic clock, so a suspend or a clock change is noticed within one poll; on
Linux logind's ``PrepareForSleep`` tells about a suspend at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import SLOT, QObject, Qt, QTimer, Signal, Slot

from neckcare_desktop.core.clock import Clock
from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.timescale import TimeScale

logger = logging.getLogger(__name__)

#: Never poll idle time more often than this (nominal seconds, compressed by the scale).
MIN_POLL_SECONDS = 5.0
#: While away, look this often whether the person is back (fewer wake-ups than a
#: 5-second poll; a return is noticed within 20 s, well inside any break's length).
AWAY_POLL_SECONDS = 20.0
#: While typing, look at least this often (bounds the delay in noticing a clock jump).
MAX_POLL_SECONDS = 30.0


class PresenceWatcher(QObject):
    """Implements ``core.ports.Presence`` and drives ``Engine.on_presence``/``on_clock_jump``."""

    #: After every poll. The process is awake anyway, so the tray's "next break in N min"
    #: is refreshed here rather than by a timer of its own.
    polled = Signal()

    def __init__(
        self,
        idle_reader: Callable[[], tuple[float, bool] | None],
        dnd_reader: Callable[[], str | None],
        clock: Clock,
        scale: TimeScale,
        parent: QObject | None = None,
    ) -> None:
        """``idle_reader`` returns (idle seconds, locked) or None; ``dnd_reader`` a reason."""
        super().__init__(parent)
        self._read_idle = idle_reader
        self._read_dnd = dnd_reader
        self._clock = clock
        self._scale = scale
        self._engine: Engine | None = None
        self._locked_since: float | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._timer.timeout.connect(self.poll)
        self._last_wall = clock.now()
        self._last_mono = clock.monotonic()
        self._sleep_started: tuple[object, float] | None = None
        #: How many polls ran (for tests and the benchmark).
        self.polls = 0

    # -- core.ports.Presence ---------------------------------------------------------------

    def away_seconds(self) -> float | None:
        try:
            reading = self._read_idle()
        except Exception:  # a broken backend must never cost a reminder
            logger.exception("reading idle time failed")
            return None
        if reading is None:
            return None
        idle, locked = reading
        mono = self._clock.monotonic()
        if locked:
            if self._locked_since is None:
                self._locked_since = mono - idle
            return max(idle, mono - self._locked_since)
        self._locked_since = None
        return idle

    def do_not_disturb(self) -> str | None:
        try:
            return self._read_dnd()
        except Exception:
            logger.exception("reading do-not-disturb failed")
            return None

    # -- polling ---------------------------------------------------------------------------

    def attach(self, engine: Engine) -> None:
        self._engine = engine
        self._last_wall, self._last_mono = self._clock.now(), self._clock.monotonic()
        self._timer.start(self._ms(MIN_POLL_SECONDS))

    def stop(self) -> None:
        self._timer.stop()

    @property
    def next_poll_ms(self) -> int:
        return self._timer.remainingTime() if self._timer.isActive() else -1

    def _ms(self, nominal_seconds: float) -> int:
        return max(50, round(nominal_seconds * 1000 / self._scale.factor))

    @Slot()
    def poll(self) -> None:
        self.polls += 1
        engine = self._engine
        if engine is None:
            return
        self._check_clock(engine)
        idle = self.away_seconds()
        engine.on_presence(idle)
        self._timer.start(self._ms(self._next_interval(engine, idle)))
        self.polled.emit()

    def _next_interval(self, engine: Engine, idle: float | None) -> float:
        """Nominal seconds until the next look."""
        if idle is None or not engine.settings.breaks.natural_breaks:
            return MAX_POLL_SECONDS  # only the clock heartbeat is left to do
        if engine.status_is_away():
            return AWAY_POLL_SECONDS
        shortest = engine.shortest_break_seconds()
        if shortest is None:
            return MAX_POLL_SECONDS
        # Idle is in real seconds; the engine's durations too. Convert to nominal.
        until_threshold = (shortest - idle) * self._scale.factor
        return min(MAX_POLL_SECONDS, max(MIN_POLL_SECONDS, until_threshold))

    def _check_clock(self, engine: Engine) -> None:
        wall, mono = self._clock.now(), self._clock.monotonic()
        jump = (wall - self._last_wall).total_seconds() - (mono - self._last_mono)
        self._last_wall, self._last_mono = wall, mono
        if abs(jump) >= 10.0:
            engine.on_clock_jump(jump)

    # -- logind ----------------------------------------------------------------------------

    def watch_logind(self) -> bool:
        """Listen for logind's PrepareForSleep on the system bus, where there is one."""
        from PySide6.QtDBus import QDBusConnection  # only on desktops with D-Bus

        bus = QDBusConnection.systemBus()
        if not bus.isConnected():
            logger.info("no system bus: suspend is noticed by the clock heartbeat only")
            return False
        ok = bus.connect(
            "org.freedesktop.login1",
            "/org/freedesktop/login1",
            "org.freedesktop.login1.Manager",
            "PrepareForSleep",
            self,
            SLOT("on_prepare_for_sleep(bool)"),
        )
        logger.info("logind PrepareForSleep %s", "watched" if ok else "not available")
        return bool(ok)

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
        self._last_wall, self._last_mono = wall, mono  # the heartbeat must not count it again
        self._engine.on_clock_jump(max(slept, 0.0), slept=True)
