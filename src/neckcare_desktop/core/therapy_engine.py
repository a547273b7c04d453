"""Ice and heat, tied to time: the therapy timer's intents, its end alert, and its recovery.

A collaborator of the engine: it owns the therapy-end job and the therapy state file, and
tells the engine what happened through the callbacks it is given (a history row, an event
for the views, "the state changed"). Nothing in it depends on the break reminders.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from neckcare_desktop.core import events as ev
from neckcare_desktop.core.clock import Clock
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.history_notes import NoteCode, note_text
from neckcare_desktop.core.i18n import translate
from neckcare_desktop.core.jobs import JOB_THERAPY_END
from neckcare_desktop.core.ports import SchedulerPort
from neckcare_desktop.core.therapy import (
    FinishedSession,
    TherapyKind,
    TherapySession,
    TherapyTimer,
    end_advice,
    overrun_advice,
    start_advice,
)
from neckcare_desktop.core.therapy_recovery import TherapyMemory, TherapyStateFile, recover
from neckcare_desktop.core.timescale import TimeScale

#: An end alert later than this (nominal seconds) is recorded as an overrun, with the
#: real time on the skin, instead of as a normal completion.
OVERRUN_GRACE_SECONDS = 60


class RecordRow(Protocol):
    """Writes one history row (the engine's ``_record``)."""

    def __call__(self, kind: EventKind, at: datetime, **fields: object) -> None: ...


def resumed_notice(kind: TherapyKind, minutes: int) -> ev.Notice:
    """What a restart says about the ice or heat timer it carries on with."""
    if kind is TherapyKind.ICE:
        return ev.Notice(
            translate("Engine", "Ice timer resumed"),
            translate("Engine", "NeckCare restarted while ice was on: {minutes} min left.").format(
                minutes=minutes
            ),
        )
    return ev.Notice(
        translate("Engine", "Heat timer resumed"),
        translate("Engine", "NeckCare restarted while heat was on: {minutes} min left.").format(
            minutes=minutes
        ),
    )


class TherapyCare:
    """Starts, stops and ends ice and heat sessions, and keeps their state file in step."""

    def __init__(
        self,
        timer: TherapyTimer,
        history: HistoryStore,
        state: TherapyStateFile | None,
        scheduler: SchedulerPort,
        clock: Clock,
        scale: TimeScale,
        *,
        record: RecordRow,
        emit: Callable[[ev.EngineEvent], None],
        changed: Callable[[], None],
    ) -> None:
        self.timer = timer
        #: Survives what the history file may not (see core.therapy_recovery).
        self.state = state
        self._history = history
        self._scheduler = scheduler
        self._clock = clock
        self._scale = scale
        self._record = record
        self._emit = emit
        self._changed = changed

    # -- intents -------------------------------------------------------------------------

    def start(
        self, kind: TherapyKind, minutes: int | None = None, *, confirm_during_rest: bool = False
    ) -> TherapySession:
        """Start ice or heat. Raises TherapyError (or RestPeriodActive) with the reason."""
        now = self._clock.now()
        session = self.timer.start(kind, now, minutes, confirm_during_rest=confirm_during_rest)
        self.save()  # first: the history file may be the one that is in trouble
        self._record(
            EventKind.THERAPY_STARTED,
            now,
            subject=kind.value,
            planned_seconds=session.planned_seconds,
        )
        self._scheduler.call_at(JOB_THERAPY_END, session.ends_at, self.on_end)
        self._emit(ev.TherapyStarted(session, start_advice(kind)))
        self._changed()
        return session

    def stop(self) -> FinishedSession:
        now = self._clock.now()
        finished = self.timer.stop(now)
        self._scheduler.cancel(JOB_THERAPY_END)
        self.save()
        self._record_finished(
            finished,
            EventKind.THERAPY_CANCELLED if finished.cancelled else EventKind.THERAPY_STOPPED_EARLY,
        )
        self._changed()
        return finished

    # -- time ----------------------------------------------------------------------------

    def on_end(self) -> None:
        """The therapy-end job: alert, or record an overrun when the alert comes late."""
        if self.timer.active is None:
            return
        now = self._clock.now()
        if now < self.timer.active.ends_at:  # woken early (clock moved back): wait on
            self._scheduler.call_at(JOB_THERAPY_END, self.timer.active.ends_at, self.on_end)
            return
        session = self.timer.active
        late = now - session.ends_at
        if late > self._scale.real(OVERRUN_GRACE_SECONDS):
            # The alert comes late (the computer slept through the end): say how long the
            # pack has really been on, and record it as such.
            self._raise_overrun(now, note_text(NoteCode.ALERT_CAME_LATE, when=session.ends_at))
            self._changed()
            return
        finished = self.timer.complete(now)
        self.save()
        self._record_finished(finished, EventKind.THERAPY_COMPLETED)
        self._emit(ev.TherapyEnded(finished, end_advice(finished.session.kind)))
        self._changed()

    def shift(self, delta: timedelta) -> None:
        """The clock was set by ``delta``: the session and the ice rest keep their lengths."""
        if self.timer.active is not None or self.timer.last_ice_end is not None:
            self.timer.shift(delta)
            self.save()
        if self.timer.active is not None:
            # The job is set for the old wall time: it would come an hour late (or early).
            self._scheduler.call_at(JOB_THERAPY_END, self.timer.active.ends_at, self.on_end)

    def overdue(self, now: datetime) -> bool:
        """Whether the session's end passed more than the grace minute ago, unalerted."""
        session = self.timer.active
        return session is not None and now - session.ends_at > self._scale.real(
            OVERRUN_GRACE_SECONDS
        )

    def recover(self, now: datetime) -> None:
        """A session the last run started but never ended: the pack may still be on.

        History and the therapy state file are read and reconciled (core.therapy_recovery),
        so this works while the history file is locked, read-only or damaged. If the
        session's end has passed, the alert is raised at once and the row says it overran;
        otherwise the timer carries on with the time that is really left.
        """
        memory = recover(self._history, self.state, now, self._scale)
        if memory.last_ice_end is not None:
            self.timer.note_ice_ended(memory.last_ice_end)
        self.timer.last_ended = memory.last_ended
        session = memory.active
        self.timer.active = session
        if session is None:
            self.save()
            return
        if now >= session.ends_at:
            self._raise_overrun(now, note_text(NoteCode.NOT_RUNNING_AT_END, when=session.ends_at))
            return
        self.save()
        self._scheduler.call_at(JOB_THERAPY_END, session.ends_at, self.on_end)
        left = max(1, round(self._scale.app_seconds(session.ends_at - now) / 60))
        self._emit(resumed_notice(session.kind, left))

    def save(self) -> None:
        """Keep the therapy state file in step with the timer (see core.therapy_recovery)."""
        if self.state is not None:
            t = self.timer
            self.state.save(TherapyMemory(t.active, t.last_ice_end, t.last_ended))

    # -- helpers -------------------------------------------------------------------------

    def _raise_overrun(self, now: datetime, note: str) -> None:
        """End the active session late: alert now, record the real time on the skin."""
        session = self.timer.active
        assert session is not None
        self.timer.complete(now)
        self.save()
        on_for = round(self._scale.app_seconds(now - session.started_at))
        finished = FinishedSession(session, now, on_for, completed=True)
        self._record(
            EventKind.THERAPY_OVERRUN,
            now,
            subject=session.kind.value,
            planned_seconds=session.planned_seconds,
            actual_seconds=on_for,
            note=note,
        )
        advice = overrun_advice(session.kind, session.started_at.strftime("%H:%M"))
        self._emit(ev.TherapyEnded(finished, advice))

    def _record_finished(self, finished: FinishedSession, kind: EventKind) -> None:
        self._record(
            kind,
            finished.ended_at,
            subject=finished.session.kind.value,
            planned_seconds=finished.session.planned_seconds,
            actual_seconds=finished.actual_seconds,
        )
