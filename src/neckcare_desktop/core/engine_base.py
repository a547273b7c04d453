"""What the parts of the engine share: its state, its wiring, and the hooks they call.

The engine is one object (one state, one truth for the scheduler's jobs) written in parts,
one module each: break intents and alerts (core.break_flow), calls and pauses in typing
(core.calls), time away and clock changes (core.time_away), the jobs (core.schedule_sync),
the watchdog (core.watchdog) and the rest, the day and the pauses (core.engine). Ice and
heat are a collaborator of their own (core.therapy_engine). Each part is a class over this
base: the state below is declared here, set in ``Engine.__init__``, and the hooks at the
end are the calls one part makes into another.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from neckcare_desktop.core import events as ev
from neckcare_desktop.core.breaks import BreakKind, BreakPolicy
from neckcare_desktop.core.clock import Clock
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.history.writer import HistoryWriter
from neckcare_desktop.core.pause import PauseReason
from neckcare_desktop.core.ports import Presence, SchedulerPort
from neckcare_desktop.core.settings import Settings
from neckcare_desktop.core.stretches import Stretch, StretchRotation
from neckcare_desktop.core.therapy import TherapyTimer
from neckcare_desktop.core.therapy_engine import TherapyCare
from neckcare_desktop.core.therapy_recovery import TherapyStateFile
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.core.working_hours import WorkingHours

if TYPE_CHECKING:  # core.watchdog's repair is a part of the engine: it imports this module
    from neckcare_desktop.core.watchdog import Watchdog

# Every part logs under the engine's name, which log readers already know.
logger = logging.getLogger("neckcare_desktop.core.engine")

Listener = Callable[[ev.EngineEvent], None]


class EngineBase:
    """The engine's state and wiring; see the module docstring."""

    settings: Settings
    history: HistoryStore
    scheduler: SchedulerPort
    clock: Clock
    scale: TimeScale
    stretches: StretchRotation | None
    therapy: TherapyTimer
    #: Survives what the history file may not (see core.therapy_recovery).
    therapy_state: TherapyStateFile | None
    breaks: BreakPolicy
    #: Rows the history refused wait here, on disk (core.history_writer).
    writer: HistoryWriter
    presence: Presence
    hours: WorkingHours
    _therapy_care: TherapyCare
    _listeners: list[Listener]
    _current_stretch: Stretch | None
    _started: bool
    #: When start() ran: idle time before it is not a break NeckCare saw (see on_presence).
    _started_at: datetime | None
    #: Why reminders are paused (None while they are not).
    _pause_reason: PauseReason | None
    #: Away from the computer: since when, and which breaks that already counts as.
    _away_since: datetime | None
    _credited: set[BreakKind]
    #: A due break waiting for a fullscreen app or do-not-disturb to end.
    _held_since: datetime | None
    _held_reason: str | None
    #: The held break waits for a call to end (core.calls), not for do-not-disturb.
    _held_by_call: bool
    #: A call held the due break and has ended: the break, when it comes, says so.
    _call_ended: bool
    #: A due break waiting for a pause in typing since then (core.calls; 60 s at most).
    _pause_wait_since: datetime | None
    _next_hydration: datetime | None
    #: When the last running break ended: time away before it was that break.
    _break_ended_at: datetime | None
    _watchdog: Watchdog

    # -- wiring --------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _emit(self, event: ev.EngineEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken view must not stop the timers
                logger.exception("listener failed on %s", type(event).__name__)

    def _record(self, kind: EventKind, at: datetime, **fields: object) -> None:
        """Write one history row; a failing disk must never stop a reminder or an alert.

        Rows the history refuses (locked, full, read-only) wait in the pending journal and
        are written, in order and once, when it takes them again (core.history_writer).
        """
        self.writer.record(kind, at, fields)

    def _flush_pending(self) -> None:
        self.writer.flush()

    def _changed(self) -> None:
        self._emit(ev.StateChanged())

    # -- hooks: what one part calls in another ---------------------------------------------

    def _reschedule(self) -> None:  # core.schedule_sync
        raise NotImplementedError

    def _job_time(self, name: str) -> datetime | None:  # core.schedule_sync
        raise NotImplementedError

    def _planned_break_time(self) -> datetime | None:  # core.schedule_sync
        raise NotImplementedError

    def _is_away(self) -> bool:  # core.time_away
        raise NotImplementedError

    def in_call(self) -> bool:  # core.calls
        raise NotImplementedError

    def _hold_for_call(self, now: datetime) -> bool:  # core.calls
        raise NotImplementedError

    def _wait_for_pause(self, now: datetime) -> bool:  # core.calls
        raise NotImplementedError

    def on_presence(self, idle_seconds: float | None) -> None:  # core.time_away
        raise NotImplementedError

    def _on_break_due(self) -> None:  # core.break_flow
        raise NotImplementedError

    def _on_break_end(self) -> None:  # core.break_flow
        raise NotImplementedError

    def _on_break_warning(self) -> None:  # core.break_flow
        raise NotImplementedError

    def check_time(self) -> None:  # core.engine
        raise NotImplementedError

    def _restart_hydration(self, now: datetime) -> None:  # core.engine
        raise NotImplementedError

    def _on_hydration(self) -> None:  # core.engine
        raise NotImplementedError

    def _on_hours_boundary(self) -> None:  # core.engine
        raise NotImplementedError

    def _on_pause_end(self) -> None:  # core.engine
        raise NotImplementedError

    def _on_therapy_end(self) -> None:  # core.engine
        raise NotImplementedError
