"""Ice and heat, tied to time: the therapy timer's intents, its end alert, and its recovery.

A collaborator of the engine: it owns the therapy-end job and the therapy state file, and
tells the engine what happened through the callbacks it is given (a history row, an event
for the views, "the state changed"). Nothing in it depends on the break reminders.
"""

from __future__ import annotations

import logging
import math
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from neckcare_desktop.core import events as ev
from neckcare_desktop.core import guidance
from neckcare_desktop.core.clock import Clock
from neckcare_desktop.core.history import EventKind, HistoryError, HistoryStore
from neckcare_desktop.core.history_notes import NoteCode, note_text, parts_text
from neckcare_desktop.core.jobs import JOB_THERAPY_END, JOB_THERAPY_REMINDER, JOB_THERAPY_SWITCH
from neckcare_desktop.core.ports import SchedulerPort
from neckcare_desktop.core.settings import Settings
from neckcare_desktop.core.therapy import (
    FinishedSession,
    Part,
    TherapyKind,
    TherapyRules,
    TherapySession,
    TherapyTimer,
    end_advice,
    overrun_advice,
    reminder_texts,
    start_advice,
    switch_advice,
)
from neckcare_desktop.core.therapy_recovery import (
    TherapyMemory,
    TherapyStateFile,
    recover,
    resumed_notice,
)
from neckcare_desktop.core.timescale import TimeScale

logger = logging.getLogger(__name__)

#: An end alert later than this (nominal seconds) is recorded as an overrun, with the
#: real time on the skin, instead of as a normal completion.
OVERRUN_GRACE_SECONDS = 60


class RecordRow(Protocol):
    """Writes one history row (the engine's ``_record``)."""

    def __call__(self, kind: EventKind, at: datetime, **fields: object) -> None: ...


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
        settings: Settings,
        record: RecordRow,
        emit: Callable[[ev.EngineEvent], None],
        changed: Callable[[], None],
    ) -> None:
        self.timer = timer
        #: Survives what the history file may not (see core.therapy_recovery).
        self.state = state
        self.settings = settings
        self._history = history
        self._scheduler = scheduler
        self._clock = clock
        self._scale = scale
        self._record = record
        self._emit = emit
        self._changed = changed
        #: The last part of the running intermittent session that was announced.
        self._announced = 0
        #: The key of the session whose halfway reminder was given (or skipped).
        self._reminded: datetime | None = None

    # -- the rules now -------------------------------------------------------------------

    def acute(self, now: datetime) -> bool:
        """Whether an open spasm is in its first 48 hours (core.guidance.phase)."""
        try:
            episodes = self._history.open_episodes()
        except (sqlite3.Error, HistoryError, OSError) as exc:
            # The usual rules still hold: the cap, the rest, the person's own choice.
            logger.info("cannot read open spasms for the ice rules: %s", exc)
            return False
        return any(guidance.phase(episode, now) == "acute" for episode in episodes)

    def rules(self, now: datetime, kind: TherapyKind = TherapyKind.ICE) -> TherapyRules:
        """The rules for starting ``kind`` now. Only ice follows the phase, so heat reads
        no spasm log (and keeps the phase the last ice round was started in)."""
        acute = self.acute(now) if kind is TherapyKind.ICE else self.timer.rules.acute
        return TherapyRules.from_settings(self.settings, acute=acute)

    def suggested_minutes(self, kind: TherapyKind) -> int:
        """What "Start ice" or "Start heat" would use now."""
        return self.rules(self._clock.now(), kind).default_minutes(kind)

    def apply_settings(self, settings: Settings) -> None:
        """New settings: new caps; a running round over the new cap ends at the cap."""
        self.settings = settings
        self.timer.rules = TherapyRules.from_settings(settings, acute=self.timer.rules.acute)
        if self.timer.active is None:
            return
        now = self._clock.now()
        shortened = self.timer.shorten_to_cap(now)
        self.save()
        if shortened is not None and shortened.ends_at <= now:
            self.on_end()  # already on longer than the new cap: the end alert comes now
            return
        self._schedule(now)

    # -- intents -------------------------------------------------------------------------

    def start(
        self,
        kind: TherapyKind,
        minutes: int | None = None,
        *,
        confirm_during_rest: bool = False,
        intermittent: bool = False,
    ) -> TherapySession:
        """Start ice or heat. Raises TherapyError (or RestPeriodActive) with the reason."""
        now = self._clock.now()
        self.timer.rules = self.rules(now, kind)  # the phase of an open spasm, read now
        session = self.timer.start(
            kind,
            now,
            minutes,
            confirm_during_rest=confirm_during_rest,
            intermittent=intermittent,
        )
        self._announced = 0
        self._reminded = None
        self.save()  # first: the history file may be the one that is in trouble
        fields: dict[str, object] = {
            "subject": kind.value,
            "planned_seconds": session.planned_seconds,
        }
        if session.intermittent:
            fields["note"] = note_text(NoteCode.INTERMITTENT, parts=parts_text(session.parts))
        self._record(EventKind.THERAPY_STARTED, now, **fields)
        self._schedule(now)
        self._emit(ev.TherapyStarted(session, start_advice(kind)))
        self._changed()
        return session

    def stop(self, *, skin_numb: bool = False) -> FinishedSession:
        now = self._clock.now()
        finished = self.timer.stop(now, skin_numb=skin_numb)
        self._cancel_jobs()
        self.save()
        self._record_finished(
            finished,
            EventKind.THERAPY_CANCELLED if finished.cancelled else EventKind.THERAPY_STOPPED_EARLY,
            note=note_text(NoteCode.SKIN_NUMB) if skin_numb else None,
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
        self._cancel_jobs()
        self.save()
        self._record_finished(finished, EventKind.THERAPY_COMPLETED)
        self._emit(ev.TherapyEnded(finished, end_advice(finished.session.kind)))
        self._changed()

    def on_switch(self) -> None:
        """The switch job of an intermittent session: "take it off" or "put it back"."""
        session = self.timer.active
        if session is None or not session.intermittent:
            return
        now = self._clock.now()
        if now >= session.ends_at:
            self.on_end()  # the end alert says it all
            return
        part = session.part_at(now, self._scale)
        if self._missed_off(session, part):
            self._raise_overrun(
                now, note_text(NoteCode.ALERT_CAME_LATE, when=self._first_off(session))
            )
            self._changed()
            return
        if part.index > self._announced:
            self._announce(session, part, now)
        self._schedule(now)  # the next switch (or, woken early, this one again)

    def on_reminder(self) -> None:
        """The halfway job: heat's "warm, not hot", and with extra care a skin check."""
        session = self.timer.active
        if session is None or self._reminded == session.key:
            return
        now = self._clock.now()
        halfway = session.halfway_at(self._scale)
        if now < halfway:  # woken early (clock moved back): wait on
            self._scheduler.call_at(JOB_THERAPY_REMINDER, halfway, self.on_reminder)
            return
        self._reminded = session.key
        texts = reminder_texts(session.kind, self.timer.rules.extra_care(session.kind))
        if texts is not None:
            self._emit(ev.TherapyReminder(session, *texts))

    def check_time(self, now: datetime) -> None:
        """Catch up after the process slept: a passed switch or end is alerted now."""
        session = self.timer.active
        if session is None:
            return
        if now >= session.ends_at:
            self.on_end()
        elif session.intermittent and session.part_at(now, self._scale).index > self._announced:
            self.on_switch()

    def shift(self, delta: timedelta) -> None:
        """The clock was set by ``delta``: the session and the ice rest keep their lengths."""
        if self.timer.active is not None or self.timer.last_ice_end is not None:
            self.timer.shift(delta)
            self.save()
        if self.timer.active is not None:
            # The jobs are set for the old wall time: they would come an hour late (or early).
            self._schedule(self._clock.now())

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
        otherwise the timer carries on with the time that is really left. A switch of an
        intermittent session that passed meanwhile is alerted at once; a halfway reminder
        that passed is not (the resumed notice comes instead).
        """
        self.timer.rules = self.rules(now)  # the rest after an acute-phase round
        memory = recover(self._history, self.state, now, self._scale)
        if memory.last_ice_end is not None:
            self.timer.note_ice_ended(memory.last_ice_end)
        self.timer.last_ended = memory.last_ended
        session = memory.active
        self.timer.active = session
        self._announced = memory.announced_part
        if session is None:
            self.save()
            return
        if now >= session.ends_at:
            self._raise_overrun(now, note_text(NoteCode.NOT_RUNNING_AT_END, when=session.ends_at))
            return
        self._reminded = session.key if session.halfway_at(self._scale) <= now else None
        part = session.part_at(now, self._scale)
        if self._missed_off(session, part):
            when = self._first_off(session)
            self._raise_overrun(now, note_text(NoteCode.NOT_RUNNING_AT_END, when=when))
            return
        self.save()
        if part.index > self._announced:
            self._announce(session, part, now)
        else:
            self._emit(resumed_notice(session, now, self._scale))
        self._schedule(now)

    def save(self) -> None:
        """Keep the therapy state file in step with the timer (see core.therapy_recovery)."""
        if self.state is not None:
            t = self.timer
            announced = self._announced if t.active is not None else 0
            self.state.save(TherapyMemory(t.active, t.last_ice_end, t.last_ended, announced))

    # -- helpers -------------------------------------------------------------------------

    def _schedule(self, now: datetime) -> None:
        """Set the running session's jobs: its end, its next switch, its halfway reminder."""
        session = self.timer.active
        if session is None:
            self._cancel_jobs()
            return
        self._scheduler.call_at(JOB_THERAPY_END, session.ends_at, self.on_end)
        part = session.part_at(now, self._scale)
        if session.intermittent and part.index < len(session.parts) - 1:
            # Not yet announced (woken early): this part's own start; else the next one.
            when = part.ends_at
            if part.index > self._announced:
                when = now
            self._scheduler.call_at(JOB_THERAPY_SWITCH, when, self.on_switch)
        else:
            self._scheduler.cancel(JOB_THERAPY_SWITCH)
        wanted = reminder_texts(session.kind, self.timer.rules.extra_care(session.kind))
        if wanted is not None and self._reminded != session.key:
            halfway = session.halfway_at(self._scale)
            self._scheduler.call_at(JOB_THERAPY_REMINDER, halfway, self.on_reminder)
        else:
            self._scheduler.cancel(JOB_THERAPY_REMINDER)

    def _cancel_jobs(self) -> None:
        for job in (JOB_THERAPY_END, JOB_THERAPY_SWITCH, JOB_THERAPY_REMINDER):
            self._scheduler.cancel(job)

    def _announce(self, session: TherapySession, part: Part, now: datetime) -> None:
        """Say the switch to ``part`` now, and write it down."""
        self._announced = part.index
        self.save()
        self._record(
            EventKind.THERAPY_SWITCHED,
            now,
            subject=session.kind.value,
            note=note_text(NoteCode.SWITCHED_ON if part.on else NoteCode.SWITCHED_OFF),
        )
        minutes = max(1, math.ceil(self._scale.app_seconds(part.ends_at - now) / 60))
        self._emit(ev.TherapySwitched(session, part.on, switch_advice(part.on, minutes)))
        self._changed()

    def _missed_off(self, session: TherapySession, part: Part) -> bool:
        """An "on" part is due again but "take it off" was never said (NeckCare was not
        running, or the computer slept through it): the pack may have been on all along,
        longer than one application may last, so the session ends now, as an overrun."""
        return session.intermittent and part.on and part.index > 0 and self._announced == 0

    def _first_off(self, session: TherapySession) -> datetime:
        """When the first "take it off" was due."""
        return session.ends_at - self._scale.real(sum(session.parts[1:]))

    def _overrun_on_seconds(self, session: TherapySession, now: datetime) -> int:
        """Nominal seconds on the skin of a session whose end passed unalerted."""
        since_start = round(self._scale.app_seconds(now - session.started_at))
        if not session.intermittent or self._announced == 0:
            return since_start  # never told to take it off: on all along
        if self._announced % 2 == 1:  # told to take it off, never to put it back
            return sum(session.parts[0 : self._announced : 2])
        late = round(self._scale.app_seconds(now - session.ends_at))
        return session.planned_seconds + late

    def _raise_overrun(self, now: datetime, note: str) -> None:
        """End the active session late: alert now, record the real time on the skin."""
        session = self.timer.active
        assert session is not None
        on_for = self._overrun_on_seconds(session, now)
        self.timer.complete(now)
        self._cancel_jobs()
        self.save()
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

    def _record_finished(
        self, finished: FinishedSession, kind: EventKind, *, note: str | None = None
    ) -> None:
        fields: dict[str, object] = {
            "subject": finished.session.kind.value,
            "planned_seconds": finished.session.planned_seconds,
            "actual_seconds": finished.actual_seconds,
        }
        if note is not None:
            fields["note"] = note
        self._record(kind, finished.ended_at, **fields)
