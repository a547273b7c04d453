"""The NeckCare engine: settings, break policy, therapy timer and history, tied to time.

It is the only place where an intent ("start ice", "postpone") turns into state changes,
history rows and scheduled callbacks. Time comes from an injected clock and callbacks
from an injected scheduler port, so the whole engine runs under a manual clock in tests
and under APScheduler's ``QtScheduler`` in the app, with the same code.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta

from neckcare_desktop.core import events as ev
from neckcare_desktop.core.break_recovery import open_break
from neckcare_desktop.core.breaks import (
    ActiveBreak,
    BreakConfig,
    BreakKind,
    BreakPhase,
    BreakPolicy,
    BreakTiming,
    counts_as_taken,
)
from neckcare_desktop.core.clock import Clock
from neckcare_desktop.core.history import EventKind, HistoryError, HistoryStore
from neckcare_desktop.core.history.journal import PendingJournal
from neckcare_desktop.core.history.writer import HistoryWriter
from neckcare_desktop.core.history_notes import NoteCode, note_text
from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from neckcare_desktop.core.limits import MICRO_POSTURE_GAP_SECONDS
from neckcare_desktop.core.pause import PauseReason, pause_end
from neckcare_desktop.core.ports import NoPresence, Presence, SchedulerPort
from neckcare_desktop.core.settings import Settings
from neckcare_desktop.core.status import Status, build_status
from neckcare_desktop.core.stretches import Stretch, StretchRotation
from neckcare_desktop.core.therapy import (
    FinishedSession,
    TherapyKind,
    TherapyRules,
    TherapySession,
    TherapyTimer,
    end_advice,
    overrun_advice,
    start_advice,
)
from neckcare_desktop.core.therapy_recovery import TherapyMemory, TherapyStateFile, recover
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.core.watchdog import Watchdog
from neckcare_desktop.core.working_hours import WorkingHours

logger = logging.getLogger(__name__)

Listener = Callable[[ev.EngineEvent], None]

JOB_BREAK_DUE = "break-due"
JOB_BREAK_END = "break-end"
JOB_BREAK_WARNING = "break-warning"
JOB_THERAPY_END = "therapy-end"
JOB_PAUSE_END = "pause-end"
JOB_HOURS = "working-hours"
JOB_HYDRATION = "hydration"
JOB_HISTORY_RETRY = "history-retry"
ALL_JOBS = (
    JOB_HISTORY_RETRY,
    JOB_BREAK_DUE,
    JOB_BREAK_END,
    JOB_BREAK_WARNING,
    JOB_THERAPY_END,
    JOB_PAUSE_END,
    JOB_HOURS,
    JOB_HYDRATION,
)

#: A due break waits this long at most for a fullscreen app or do-not-disturb to end.
DND_MAX_HOLD_SECONDS = 30 * 60
#: While held, look again this often whether the fullscreen window is gone.
DND_RECHECK_SECONDS = 60
#: An end alert later than this (nominal seconds) is recorded as an overrun, with the
#: real time on the skin, instead of as a normal completion.
OVERRUN_GRACE_SECONDS = 60

#: A wall-clock jump smaller than this is timer noise, not a clock change or a sleep.
CLOCK_JUMP_SECONDS = 10.0

#: English source (marked for translation); the notice shows ``translate("Engine", ...)``.
HYDRATION_TEXT = QT_TRANSLATE_NOOP(
    "Engine",
    "Drink a glass of water. Too little water is one of the things that can set off neck spasms.",
)


def break_config(settings: Settings, scale: TimeScale) -> BreakConfig:
    """Turn the person's settings into real-time lengths at the current time scale."""
    b = settings.breaks
    return BreakConfig(
        micro=BreakTiming(
            b.micro.enabled,
            scale.real(b.micro.interval_minutes * 60),
            scale.real(b.micro.duration_seconds),
        ),
        posture=BreakTiming(
            b.posture.enabled,
            scale.real(b.posture.interval_minutes * 60),
            scale.real(b.posture.duration_minutes * 60),
        ),
        postpone=scale.real(b.postpone_minutes * 60),
        gap=scale.real(MICRO_POSTURE_GAP_SECONDS),
        max_postpones=b.max_postpones,
        strict=b.strict,
    )


def therapy_rules(settings: Settings) -> TherapyRules:
    t = settings.therapy
    return TherapyRules(t.ice_minutes, t.heat_minutes, t.ice_rest_minutes)


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


def _iso(when: datetime | None) -> str:
    return "none" if when is None else when.isoformat(timespec="seconds")


class Engine:
    def __init__(
        self,
        settings: Settings,
        history: HistoryStore,
        scheduler: SchedulerPort,
        clock: Clock,
        *,
        scale: TimeScale | None = None,
        stretches: StretchRotation | None = None,
        presence: Presence | None = None,
        therapy_state: TherapyStateFile | None = None,
        pending: PendingJournal | None = None,
    ) -> None:
        self.settings = settings
        self.history = history
        self.scheduler = scheduler
        self.clock = clock
        self.scale = scale or TimeScale()
        self.stretches = stretches
        self.therapy = TherapyTimer(therapy_rules(settings), self.scale)
        #: Survives what the history file may not (see core.therapy_recovery).
        self.therapy_state = therapy_state or TherapyStateFile.beside(history)
        self.breaks = BreakPolicy.starting(break_config(settings, self.scale), clock.now())
        self._listeners: list[Listener] = []
        #: Rows the history refused wait here, on disk (core.history_writer).
        self.writer = HistoryWriter(
            history,
            pending or PendingJournal.beside(history.folder),
            scheduler,
            clock,
            self._emit,
            JOB_HISTORY_RETRY,
        )
        self._current_stretch: Stretch | None = None
        self._started = False
        #: When start() ran: idle time before it is not a break NeckCare saw (see on_presence).
        self._started_at: datetime | None = None
        self.presence: Presence = presence or NoPresence()
        self.hours = WorkingHours.from_settings(settings.working_hours)
        #: Why reminders are paused (None while they are not).
        self._pause_reason: PauseReason | None = None
        #: Away from the computer: since when, and which breaks that already counts as.
        self._away_since: datetime | None = None
        self._credited: set[BreakKind] = set()
        #: A due break waiting for a fullscreen app or do-not-disturb to end.
        self._held_since: datetime | None = None
        self._held_reason: str | None = None
        self._next_hydration: datetime | None = None
        #: When the last running break ended: time away before it was that break.
        self._break_ended_at: datetime | None = None
        self._watchdog = Watchdog()

    # -- wiring --------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _emit(self, event: ev.EngineEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken view must not stop the timers
                logger.exception("listener failed on %s", type(event).__name__)

    def start(self) -> None:
        """Begin the day: record the start, restore the ice rest, schedule the first breaks."""
        now = self.clock.now()
        self._started = True
        self._started_at = now
        self.writer.flush()  # rows an earlier run could not write come first
        self._close_open_break(now)
        self._record(EventKind.APP_STARTED, now)
        self.breaks = BreakPolicy.starting(break_config(self.settings, self.scale), now)
        self._restart_hydration(now)
        self._apply_hours(now)
        self._reschedule()
        self._recover_therapy(now)
        self._changed()

    def shutdown(self) -> None:
        for job in ALL_JOBS:
            self.scheduler.cancel(job)
        if self._started:
            now = self.clock.now()
            active = self.breaks.active
            if active is not None and active.phase is BreakPhase.RUNNING:
                self._record_interrupted(active.kind.value, self._nominal_seconds(active.kind), now)
            self._record(EventKind.APP_QUIT, now)
            self._started = False

    def _close_open_break(self, now: datetime) -> None:
        """A break the last run left running (it crashed): closed as interrupted."""
        try:
            found = open_break(self.history, self.writer.rows)
        except (HistoryError, sqlite3.Error) as exc:
            logger.info("cannot look for an interrupted break now: %s", exc)
            return
        if found is not None:
            logger.info("closing a %s break left open: %s", found.subject, found.note)
            self._record(
                EventKind.BREAK_INTERRUPTED,
                now,
                subject=found.subject,
                planned_seconds=found.planned_seconds,
                note=found.note,
            )

    def _record_interrupted(self, subject: str, planned: int, now: datetime) -> None:
        self._record(
            EventKind.BREAK_INTERRUPTED,
            now,
            subject=subject,
            planned_seconds=planned,
            note=note_text(NoteCode.QUIT_DURING_BREAK),
        )

    def _recover_therapy(self, now: datetime) -> None:
        """A session the last run started but never ended: the pack may still be on.

        History and the therapy state file are read and reconciled (core.therapy_recovery),
        so this works while the history file is locked, read-only or damaged. If the
        session's end has passed, the alert is raised at once and the row says it overran;
        otherwise the timer carries on with the time that is really left.
        """
        memory = recover(self.history, self.therapy_state, now, self.scale)
        if memory.last_ice_end is not None:
            self.therapy.note_ice_ended(memory.last_ice_end)
        self.therapy.last_ended = memory.last_ended
        session = memory.active
        self.therapy.active = session
        if session is None:
            self._save_therapy()
            return
        if now >= session.ends_at:
            self._raise_overrun(now, note_text(NoteCode.NOT_RUNNING_AT_END, when=session.ends_at))
            return
        self._save_therapy()
        self.scheduler.call_at(JOB_THERAPY_END, session.ends_at, self._on_therapy_end)
        left = max(1, round(self.scale.app_seconds(session.ends_at - now) / 60))
        self._emit(resumed_notice(session.kind, left))

    def _save_therapy(self) -> None:
        """Keep the therapy state file in step with the timer (see core.therapy_recovery)."""
        if self.therapy_state is not None:
            t = self.therapy
            self.therapy_state.save(TherapyMemory(t.active, t.last_ice_end, t.last_ended))

    # -- settings ------------------------------------------------------------------------

    def apply_settings(self, settings: Settings) -> None:
        old = self.settings
        self.settings = settings
        self.therapy.rules = therapy_rules(settings)
        self.hours = WorkingHours.from_settings(settings.working_hours)
        now = self.clock.now()
        self.breaks.reconfigure(break_config(settings, self.scale), now)
        if self._away_since is not None and (
            not settings.breaks.natural_breaks or self._shortest_break() is None
        ):
            self._back(now)  # time away stopped counting: "Away" must not stay for good
        if old.hydration != settings.hydration:
            self._restart_hydration(now)
        self._apply_hours(now)
        active = self.breaks.active
        if active is not None and active.phase is BreakPhase.DUE:
            timing = self.breaks.config.timing(active.kind)
            if not timing.enabled:
                self.breaks.withdraw()
                # A due posture break had folded the micro-break into itself; with it gone,
                # every enabled kind left without a due time counts again from now.
                self.breaks.restart_unplanned(self.clock.now())
                self._emit(ev.BreakWithdrawn(active))
        self._reschedule()
        self._changed()

    # -- therapy intents -----------------------------------------------------------------

    def start_therapy(
        self, kind: TherapyKind, minutes: int | None = None, *, confirm_during_rest: bool = False
    ) -> TherapySession:
        """Start ice or heat. Raises TherapyError (or RestPeriodActive) with the reason."""
        now = self.clock.now()
        session = self.therapy.start(kind, now, minutes, confirm_during_rest=confirm_during_rest)
        self._save_therapy()  # first: the history file may be the one that is in trouble
        self._record(
            EventKind.THERAPY_STARTED,
            now,
            subject=kind.value,
            planned_seconds=session.planned_seconds,
        )
        self.scheduler.call_at(JOB_THERAPY_END, session.ends_at, self._on_therapy_end)
        self._emit(ev.TherapyStarted(session, start_advice(kind)))
        self._changed()
        return session

    def stop_therapy(self) -> FinishedSession:
        now = self.clock.now()
        finished = self.therapy.stop(now)
        self.scheduler.cancel(JOB_THERAPY_END)
        self._save_therapy()
        self._record_finished(
            finished,
            EventKind.THERAPY_CANCELLED if finished.cancelled else EventKind.THERAPY_STOPPED_EARLY,
        )
        self._changed()
        return finished

    def _on_therapy_end(self) -> None:
        if self.therapy.active is None:
            return
        now = self.clock.now()
        if now < self.therapy.active.ends_at:  # woken early (clock moved back): wait on
            self.scheduler.call_at(
                JOB_THERAPY_END, self.therapy.active.ends_at, self._on_therapy_end
            )
            return
        session = self.therapy.active
        late = now - session.ends_at
        if late > self.scale.real(OVERRUN_GRACE_SECONDS):
            # The alert comes late (the computer slept through the end): say how long the
            # pack has really been on, and record it as such.
            self._raise_overrun(now, note_text(NoteCode.ALERT_CAME_LATE, when=session.ends_at))
            self._changed()
            return
        finished = self.therapy.complete(now)
        self._save_therapy()
        self._record_finished(finished, EventKind.THERAPY_COMPLETED)
        self._emit(ev.TherapyEnded(finished, end_advice(finished.session.kind)))
        self._changed()

    def _raise_overrun(self, now: datetime, note: str) -> None:
        """End the active session late: alert now, record the real time on the skin."""
        session = self.therapy.active
        assert session is not None
        self.therapy.complete(now)
        self._save_therapy()
        on_for = round(self.scale.app_seconds(now - session.started_at))
        finished = FinishedSession(session, now, on_for, completed=True)
        self._record(
            EventKind.THERAPY_OVERRUN,
            now,
            subject=session.kind.value,
            planned_seconds=session.planned_seconds,
            actual_seconds=on_for,
            note=note,
        )
        self._emit(ev.TherapyEnded(finished, self._overrun_advice(session)))

    @staticmethod
    def _overrun_advice(session: TherapySession) -> str:
        return overrun_advice(session.kind, session.started_at.strftime("%H:%M"))

    def _record_finished(self, finished: FinishedSession, kind: EventKind) -> None:
        self._record(
            kind,
            finished.ended_at,
            subject=finished.session.kind.value,
            planned_seconds=finished.session.planned_seconds,
            actual_seconds=finished.actual_seconds,
        )

    # -- break intents -------------------------------------------------------------------

    def _nominal_seconds(self, kind: BreakKind) -> int:
        b = self.settings.breaks
        if kind is BreakKind.MICRO:
            return b.micro.duration_seconds
        return b.posture.duration_minutes * 60

    def _draw_stretch(self, kind: BreakKind) -> Stretch | None:
        if self.stretches is None:
            return None
        try:
            return self.stretches.next(kind.value)
        except (LookupError, ValueError):
            logger.warning("no stretch suggestion for %s breaks", kind.value)
            return None

    def start_break(self) -> ActiveBreak:
        now = self.clock.now()
        brk = self.breaks.start(now)
        self._record(
            EventKind.BREAK_STARTED,
            now,
            subject=brk.kind.value,
            planned_seconds=self._nominal_seconds(brk.kind),
        )
        self._reschedule()
        self._emit(self._started_event(brk))
        self._changed()
        return brk

    def _started_event(self, brk: ActiveBreak) -> ev.BreakStarted:
        return ev.BreakStarted(
            brk,
            self._current_stretch,
            self._nominal_seconds(brk.kind),
            can_end_early=self.breaks.can_skip(),
        )

    def take_break_now(self, kind: BreakKind = BreakKind.POSTURE) -> ActiveBreak:
        """The person asked for a break: start it at once, no prompt."""
        now = self.clock.now()
        if self.breaks.active is None or self.breaks.active.phase is BreakPhase.DUE:
            was_due = self.breaks.active
            brk = self.breaks.take_now(kind, now)
            if was_due is None or was_due.kind is not brk.kind:
                # A due micro-break's stretch does not suit the posture break taken instead.
                self._current_stretch = self._draw_stretch(brk.kind)
            self._record(
                EventKind.BREAK_STARTED,
                now,
                subject=brk.kind.value,
                planned_seconds=self._nominal_seconds(brk.kind),
            )
            self._reschedule()
            self._changed()
        else:
            brk = self.breaks.active
        self._emit(self._started_event(brk))
        return brk

    def postpone_break(self) -> ActiveBreak:
        now = self.clock.now()
        brk = self.breaks.postpone(now)
        self._record(
            EventKind.BREAK_POSTPONED,
            now,
            subject=brk.kind.value,
            note=note_text(NoteCode.POSTPONE, n=brk.postpones),
        )
        self._reschedule()
        self._changed()
        return brk

    def skip_break(self) -> ActiveBreak:
        now = self.clock.now()
        active = self.breaks.active
        if active is not None and active.phase is BreakPhase.RUNNING:
            brk = self.breaks.stop_running(now)
            self._break_ended_at = now
            elapsed = round(self.scale.app_seconds(now - (brk.started_at or now)))
            planned = self._nominal_seconds(brk.kind)
            shortened = counts_as_taken(elapsed, planned)
            self._record(
                EventKind.BREAK_COMPLETED if shortened else EventKind.BREAK_SKIPPED,
                now,
                subject=brk.kind.value,
                planned_seconds=planned,
                actual_seconds=elapsed,
                note=note_text(NoteCode.ENDED_EARLY),
            )
        else:
            brk = self.breaks.skip(now)
            shortened = False
            self._record(EventKind.BREAK_SKIPPED, now, subject=brk.kind.value)
        self._reschedule()
        self._emit(ev.BreakFinished(brk, completed=False, shortened=shortened))
        self._changed()
        return brk

    def postpone_upcoming(self) -> tuple[BreakKind, datetime] | None:
        """Postpone the break the warning announced, before it comes due."""
        now = self.clock.now()
        moved = self.breaks.postpone_upcoming(now)
        if moved is not None:
            kind, _ = moved
            self._record(
                EventKind.BREAK_POSTPONED,
                now,
                subject=kind.value,
                note=note_text(NoteCode.FROM_WARNING),
            )
            self._reschedule()
            self._changed()
        return moved

    def _on_break_due(self) -> None:
        now = self.clock.now()
        upcoming = self.breaks.upcoming()
        if upcoming is None or upcoming[1] > now:
            self._reschedule()
            return
        if self._is_away():
            # Nobody is there to see a window; the time away will count as the break.
            self._reschedule()
            return
        if self._hold_for_dnd(now):
            return
        brk = self.breaks.fire_due(now)
        if brk is None:  # pragma: no cover - upcoming() said it was due
            self._reschedule()
            return
        self._current_stretch = self._draw_stretch(brk.kind)
        self._record(EventKind.BREAK_DUE, now, subject=brk.kind.value)
        self._reschedule()
        self._emit(
            ev.BreakDue(
                brk,
                self._current_stretch,
                self._nominal_seconds(brk.kind),
                can_postpone=self.breaks.can_postpone(brk),
                can_skip=self.breaks.can_skip(),
            )
        )
        self._changed()

    def _hold_for_dnd(self, now: datetime) -> bool:
        """Keep a due break back while a fullscreen app or do-not-disturb is on (30 min max)."""
        if not self.settings.breaks.respect_fullscreen:
            return False
        reason = self._dnd_reason()
        if reason is None:
            self._held_since = self._held_reason = None
            return False
        if self._held_since is None:
            self._held_since = now
            logger.info("break held back: %s", reason)
        if now - self._held_since >= self.scale.real(DND_MAX_HOLD_SECONDS):
            logger.info("break held for 30 min; showing it anyway")
            self._held_since = self._held_reason = None
            return False
        self._held_reason = reason
        self.scheduler.call_at(
            JOB_BREAK_DUE, now + self.scale.real(DND_RECHECK_SECONDS), self._on_break_due
        )
        self._changed()
        return True

    def _dnd_reason(self) -> str | None:
        try:
            return self.presence.do_not_disturb()
        except Exception:  # reading the desktop must never cost a reminder
            logger.exception("could not read do-not-disturb")
            return None

    def _on_break_warning(self) -> None:
        now = self.clock.now()
        upcoming = self.breaks.upcoming()
        if upcoming is None or upcoming[0] is not BreakKind.POSTURE or upcoming[1] <= now:
            return
        if self._is_away():
            return
        if self.settings.breaks.respect_fullscreen and self._dnd_reason() is not None:
            return  # the pre-break notification is suppressed during do-not-disturb
        seconds = round(self.scale.app_seconds(upcoming[1] - now))
        can_postpone = self.breaks.can_postpone_upcoming()
        self._emit(ev.BreakWarning(BreakKind.POSTURE.value, seconds, can_postpone))

    def _on_break_end(self) -> None:
        active = self.breaks.active
        if active is None or active.phase is not BreakPhase.RUNNING:
            return
        now = self.clock.now()
        if active.ends_at is not None and now < active.ends_at:
            self._reschedule()
            return
        brk = self.breaks.finish(now)
        self._break_ended_at = now
        self._record(
            EventKind.BREAK_COMPLETED,
            now,
            subject=brk.kind.value,
            planned_seconds=self._nominal_seconds(brk.kind),
            actual_seconds=self._nominal_seconds(brk.kind),
        )
        self._reschedule()
        self._emit(ev.BreakFinished(brk, completed=True))
        self._changed()

    # -- pause ---------------------------------------------------------------------------

    def pause(self, choice: str) -> datetime:
        now = self.clock.now()
        until = pause_end(choice, now, self.scale, self.clock, self.hours)
        # "30 min" is a length of time, "tomorrow" a time on the wall: only the first
        # moves with the clock when it is set back.
        self._pause_until(until, now, reason=PauseReason.for_choice(choice))
        self._reschedule()
        self._changed()
        return until

    def _pause_until(self, until: datetime, now: datetime, *, reason: PauseReason) -> None:
        withdrawn = self.breaks.pause(until, now)
        self._pause_reason = reason
        self._held_since = self._held_reason = None
        if withdrawn is not None:
            self._emit(ev.BreakWithdrawn(withdrawn))

    def resume(self) -> None:
        now = self.clock.now()
        self.breaks.resume(now)
        self._pause_reason = None
        self._apply_hours(now)  # resuming outside working hours waits for them
        self._reschedule()
        self._changed()

    def _on_pause_end(self) -> None:
        now = self.clock.now()
        if self.breaks.resume_if_pause_over(now):
            self._pause_reason = None
            self._apply_hours(now)
            self._changed()
        self._reschedule()

    # -- working hours -------------------------------------------------------------------

    def _apply_hours(self, now: datetime) -> None:
        """Pause reminders outside working hours, resume them at the start."""
        hours = self.hours
        if hours.is_within(now, self.clock):
            if self._pause_reason is PauseReason.HOURS:
                self.breaks.resume(now)
                self._pause_reason = None
            return
        start = hours.next_start(now, self.clock)
        if start is None:
            return
        if self.breaks.paused_until is None or self._pause_reason is PauseReason.HOURS:
            self._pause_until(start, now, reason=PauseReason.HOURS)
        elif self.breaks.paused_until < start:
            # A short pause ending outside hours simply runs on until they start.
            self._pause_until(start, now, reason=PauseReason.HOURS)

    def _on_hours_boundary(self) -> None:
        now = self.clock.now()
        self._apply_hours(now)
        self._reschedule()
        self._changed()

    # -- water ---------------------------------------------------------------------------

    def _restart_hydration(self, now: datetime) -> None:
        h = self.settings.hydration
        self._next_hydration = now + self.scale.real(h.interval_minutes * 60) if h.enabled else None

    def _on_hydration(self) -> None:
        now = self.clock.now()
        if self._next_hydration is None or now < self._next_hydration:
            self._reschedule()
            return
        quiet = (
            self.breaks.paused_until is not None
            or self._is_away()
            or (self.settings.breaks.respect_fullscreen and self._dnd_reason() is not None)
        )
        if not quiet:
            self._record(EventKind.HYDRATION_REMINDER, now)
            self._emit(
                ev.Notice(
                    translate("Engine", "Time for some water"), translate("Engine", HYDRATION_TEXT)
                )
            )
        self._restart_hydration(now)
        self._reschedule()

    # -- presence: away from the computer, asleep, clock changes ---------------------------

    def _shortest_break(self) -> timedelta | None:
        durations = [
            self.breaks.config.timing(kind).duration
            for kind in BreakKind
            if self.breaks.config.timing(kind).enabled
        ]
        return min(durations) if durations else None

    def status_is_away(self) -> bool:
        """Away from the computer as far as the last idle reading said."""
        return self._away_since is not None

    def shortest_break_seconds(self) -> float | None:
        shortest = self._shortest_break()
        return None if shortest is None else shortest.total_seconds()

    def _is_away(self) -> bool:
        if self._away_since is not None:
            return True
        if not self.settings.breaks.natural_breaks:
            return False
        shortest = self._shortest_break()
        try:
            idle = self.presence.away_seconds()
        except Exception:
            logger.exception("could not read idle time")
            return False
        if idle is None or shortest is None or idle < shortest.total_seconds():
            return False
        # Away before the idle poll noticed: start the away period now, or the due job
        # would be re-armed at its past time and run again at once, over and over.
        self.on_presence(idle)
        return self._away_since is not None

    def on_presence(self, idle_seconds: float | None) -> None:
        """The latest idle reading: count time away as breaks, restart timers on return.

        Called by the app's idle poll. Idle time reaching a break's length means that
        break was taken, recorded once as "natural"; its timer restarts when the person is
        back, and no break window pops up meanwhile.
        """
        now = self.clock.now()
        if idle_seconds is not None and self._started_at is not None:
            # No input for 20 s at launch is not a break taken 5 s after launch: only time
            # away while NeckCare ran counts (it cannot know what came before it started).
            since_start = max(0.0, (now - self._started_at).total_seconds())
            idle_seconds = min(idle_seconds, since_start)
        shortest = self._shortest_break()
        counting = (
            idle_seconds is not None
            and self.settings.breaks.natural_breaks
            and self.breaks.paused_until is None  # paused / off hours: nothing to count
            and shortest is not None
        )
        back = idle_seconds is None or shortest is None or idle_seconds < shortest.total_seconds()
        if self._away_since is not None and (back or not counting):
            # Back at the desk, or time away no longer counts (natural breaks off, paused,
            # idle unreadable): only leaving the away state lets the next break be planned.
            self._back(now)
            return
        if not counting:
            return
        assert idle_seconds is not None and shortest is not None
        active = self.breaks.active
        if active is not None and active.phase is BreakPhase.RUNNING:
            return  # time away on a break is that break, not another one
        if idle_seconds >= shortest.total_seconds():
            if self._away_since is None:
                since = now - timedelta(seconds=idle_seconds)
                if self._break_ended_at is not None and since < self._break_ended_at:
                    since = self._break_ended_at
                self._away_since = since
                self._credited = set()
                self.scheduler.cancel(JOB_BREAK_WARNING)
            self._credit_away(now - self._away_since, now)
            return

    def _credit_away(self, away: timedelta, now: datetime, note: str | None = None) -> None:
        newly = {
            kind
            for kind in BreakKind
            if self.breaks.config.timing(kind).enabled
            and kind not in self._credited
            and away >= self.breaks.config.timing(kind).duration
        }
        if BreakKind.POSTURE in newly | self._credited:
            newly.discard(BreakKind.MICRO)  # the posture break already includes it
            if BreakKind.MICRO not in self._credited:
                self._credited.add(BreakKind.MICRO)
        if not newly:
            return
        for kind in sorted(newly):
            self._record(EventKind.BREAK_NATURAL, now, subject=kind.value, note=note)
        self._credited |= newly
        active = self.breaks.active
        if (
            active is not None
            and active.phase is BreakPhase.DUE
            and active.kind in (self._credited)
        ):
            self.breaks.withdraw()
            self._emit(ev.BreakWithdrawn(active))
        self._emit(ev.NaturalBreak(tuple(sorted(k.value for k in newly))))
        self._changed()

    def _back(self, now: datetime) -> None:
        """The person is back: breaks their time away covered count again from now."""
        credited, self._credited, self._away_since = self._credited, set(), None
        if credited:
            withdrawn = self.breaks.natural(credited, now)
            if withdrawn is not None:
                self._emit(ev.BreakWithdrawn(withdrawn))
        self._reschedule()
        self._changed()

    def on_clock_jump(self, seconds: float, *, slept: bool | None = None) -> None:
        """The wall clock moved ``seconds`` more (or less) than real time passed.

        ``slept``: True for a suspend (real time passed, the computer was not running),
        False for a clock that was *set* (no real time passed), None when the caller cannot
        tell. A clock set either way moves every pending time with it, so nothing comes
        early or late: an ice round never runs longer than planned and no overrun is
        recorded that never happened. Forward after a sleep, or when it cannot be told,
        the gap counts as time away (the breaks it covers are natural breaks) and anything
        due in the gap happens once, now: a therapy end alerts at once (a pack may have
        been on all along), breaks never fire in a burst.
        """
        if abs(seconds) < CLOCK_JUMP_SECONDS and not slept:
            return
        now = self.clock.now()
        delta = timedelta(seconds=seconds)
        if seconds < 0 or slept is False:
            self._shift_schedule(delta, now)
            logger.info("wall clock set %+.0f s; schedule moved with it", seconds)
        else:
            logger.info("wall clock moved ahead %.0f s%s", seconds, " (asleep)" if slept else "")
            if self.settings.breaks.natural_breaks:
                self._credited = set()
                code = NoteCode.ASLEEP if slept else NoteCode.CLOCK_MOVED_AHEAD
                self._credit_away(delta, now, note=note_text(code))
                credited, self._credited = self._credited, set()
                if credited:
                    withdrawn = self.breaks.natural(credited, now)
                    if withdrawn is not None:
                        self._emit(ev.BreakWithdrawn(withdrawn))
            if self._next_hydration is not None and self._next_hydration < now:
                self._restart_hydration(now)
        self.check_time()
        self.scheduler.wakeup()
        self._changed()

    def _shift_schedule(self, delta: timedelta, now: datetime) -> None:
        """The clock was set by ``delta``: every pending length of time moves with it.

        Times on the wall (the end of working hours, "until tomorrow 09:00") stay put.
        """
        self.breaks.shift(delta)
        if self._started_at is not None:
            self._started_at += delta  # or a clock set back would disable time away for as long
        if self.therapy.active is not None or self.therapy.last_ice_end is not None:
            self.therapy.shift(delta)
            self._save_therapy()
        if self.therapy.active is not None:
            # The job is set for the old wall time: it would come an hour late (or early).
            self.scheduler.call_at(
                JOB_THERAPY_END, self.therapy.active.ends_at, self._on_therapy_end
            )
        if self._next_hydration is not None:
            self._next_hydration += delta
        if self._pause_reason is PauseReason.LENGTH:
            self.breaks.shift_pause(delta)  # a 30-min pause still lasts 30 minutes
        if self._held_since is not None:
            self._held_since += delta  # the 30-min cap on holding a break, likewise
            # Its look-again job is set for the old wall time; look at once instead.
            self.scheduler.call_at(JOB_BREAK_DUE, now, self._on_break_due)

    # -- watchdog ------------------------------------------------------------------------

    def watchdog_check(self) -> bool:
        """Heal reminders that should be planned and are not; True when it had to.

        Call it periodically from outside the scheduler (the app's idle poll, every 30 s
        at most): a lost scheduler job cannot call it. When reminders are on, not paused,
        inside working hours, the person is at the computer and no break is on screen, yet
        no break has been planned for longer than the longest interval plus a minute, it
        logs an error with the state it found, plans the next break and records the
        repair in history (``watchdog_repair``). An ice or heat end that passed more than
        the grace minute ago without its alert (a lost job) alerts now, the same way.
        """
        now = self.clock.now()
        session = self.therapy.active
        if session is not None and now - session.ends_at > self.scale.real(OVERRUN_GRACE_SECONDS):
            if self._job_time(JOB_THERAPY_END) is not None:
                # The job is there, only late (a stopped or starved process): the normal
                # path alerts and records the overrun; nothing was lost, nothing to repair.
                self._on_therapy_end()
                return False
            found = note_text(
                NoteCode.WATCHDOG_THERAPY, kind=session.kind.value, when=session.ends_at
            )
            logger.error("watchdog: %s; alerting now", found)
            self._on_therapy_end()
            self._record(EventKind.WATCHDOG_REPAIR, now, subject=session.kind.value, note=found)
            return True
        timings = [self.breaks.config.timing(k) for k in BreakKind]
        intervals = [t.interval for t in timings if t.enabled]
        expected = (
            bool(intervals)
            and self.breaks.paused_until is None
            and self.breaks.active is None
            and self._away_since is None
            and self.hours.is_within(now, self.clock)
        )
        planned = self._planned_break_time()
        unplanned = self._watchdog.due(
            expected=expected,
            planned_at=planned,
            now=now,
            longest=max(intervals, default=timedelta(0)),
        )
        if unplanned is None:
            return False
        found = (
            f"next due {', '.join(f'{k}={_iso(w)}' for k, w in self.breaks.next_due.items())}; "
            f"job {_iso(planned)}; held since {_iso(self._held_since)}; "
            f"postponed {self.breaks.postpones(BreakKind.MICRO)}/"
            f"{self.breaks.postpones(BreakKind.POSTURE)}"
        )
        minutes = round(self.scale.app_seconds(unplanned) / 60)
        logger.error(
            "watchdog: no break planned for %d min while reminders are on (%s); "
            "planning the next break",
            minutes,
            found,
        )
        self._held_since = self._held_reason = None
        if self.breaks.upcoming() is None:
            self.breaks.restart_unplanned(now)
        self._reschedule()
        self._record(
            EventKind.WATCHDOG_REPAIR,
            now,
            note=note_text(NoteCode.WATCHDOG_BREAK, minutes=minutes, state=found),
        )
        self._changed()
        return True

    def _planned_break_time(self) -> datetime | None:
        """When the break-due job runs, asking the scheduler itself where it can tell."""
        if self._can_ask_scheduler():
            return self._job_time(JOB_BREAK_DUE)
        upcoming = self.breaks.upcoming()  # a port that cannot be asked: trust the state
        return upcoming[1] if upcoming is not None else None

    def _can_ask_scheduler(self) -> bool:
        return any(callable(getattr(self.scheduler, q, None)) for q in ("next_run", "when"))

    def _job_time(self, name: str) -> datetime | None:
        """When the job ``name`` runs (QtJobScheduler.next_run, the tests' FakeScheduler.when);
        None when there is none, or the port cannot be asked."""
        for query in ("next_run", "when"):
            ask = getattr(self.scheduler, query, None)
            if callable(ask):
                when = ask(name)
                return when if isinstance(when, datetime) else None
        return None

    # -- scheduling ----------------------------------------------------------------------

    def _reschedule(self) -> None:
        """Make the scheduler's jobs match the engine's state; the state is the truth."""
        policy = self.breaks
        now = self.clock.now()
        if policy.paused_until is not None:
            job = (
                self._on_hours_boundary
                if self._pause_reason is PauseReason.HOURS
                else self._on_pause_end
            )
            self.scheduler.call_at(JOB_PAUSE_END, policy.paused_until, job)
        else:
            self.scheduler.cancel(JOB_PAUSE_END)
        end_of_hours = self.hours.current_end(now, self.clock)
        if end_of_hours is not None and policy.paused_until is None:
            self.scheduler.call_at(JOB_HOURS, end_of_hours, self._on_hours_boundary)
        else:
            self.scheduler.cancel(JOB_HOURS)
        active = policy.active
        if active is not None and active.phase is BreakPhase.RUNNING and active.ends_at:
            self.scheduler.call_at(JOB_BREAK_END, active.ends_at, self._on_break_end)
        else:
            self.scheduler.cancel(JOB_BREAK_END)
        upcoming = policy.upcoming()
        if self._held_since is not None and (upcoming is None or upcoming[1] > now):
            # Nothing is due any more (postponed from the warning, settings changed): there
            # is nothing to hold, and the next due time needs its job, or none ever comes.
            self._held_since = self._held_reason = None
        if upcoming is None or self._away_since is not None:
            # While away nothing comes due: the return restarts the timers.
            self.scheduler.cancel(JOB_BREAK_DUE)
            self.scheduler.cancel(JOB_BREAK_WARNING)
        else:
            kind, when = upcoming
            if self._held_since is None:
                self.scheduler.call_at(JOB_BREAK_DUE, when, self._on_break_due)
            warning = self.settings.breaks.warning_seconds
            warn_at = when - self.scale.real(warning)
            if kind is BreakKind.POSTURE and warning > 0 and warn_at > now:
                self.scheduler.call_at(JOB_BREAK_WARNING, warn_at, self._on_break_warning)
            else:
                self.scheduler.cancel(JOB_BREAK_WARNING)
        if self._next_hydration is not None:
            self.scheduler.call_at(JOB_HYDRATION, self._next_hydration, self._on_hydration)
        else:
            self.scheduler.cancel(JOB_HYDRATION)

    def check_time(self) -> None:
        """Catch up after the process was asleep or the clock moved: fire what is overdue."""
        now = self.clock.now()
        if self.therapy.active is not None and now >= self.therapy.active.ends_at:
            self._on_therapy_end()
        if self.breaks.resume_if_pause_over(now):
            self._pause_reason = None
            self._changed()
        self._apply_hours(now)
        self._reschedule()

    # -- history -------------------------------------------------------------------------

    def _record(self, kind: EventKind, at: datetime, **fields: object) -> None:
        """Write one history row; a failing disk must never stop a reminder or an alert.

        Rows the history refuses (locked, full, read-only) wait in the pending journal and
        are written, in order and once, when it takes them again (core.history_writer).
        """
        self.writer.record(kind, at, fields)

    def _flush_pending(self) -> None:
        self.writer.flush()

    # -- status --------------------------------------------------------------------------

    def _changed(self) -> None:
        self._emit(ev.StateChanged())

    def status(self) -> Status:
        return build_status(
            self.clock.now(),
            self.therapy,
            self.breaks,
            self.scale,
            pause_reason=self._pause_reason,
            away=self._away_since is not None,
            held_reason=self._held_reason if self._held_since is not None else None,
        )
