"""The NeckCare engine: settings, break policy, therapy timer and history, tied to time.

It is the only place where an intent ("start ice", "postpone") turns into state changes,
history rows and scheduled callbacks. Time comes from an injected clock and callbacks
from an injected scheduler port, so the whole engine runs under a manual clock in tests
and under APScheduler's ``QtScheduler`` in the app, with the same code.

The engine is written in parts (core.engine_base says which); this module holds the day
(start, shutdown, settings), pauses, working hours, water reminders and the status.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from neckcare_desktop.core import events as ev
from neckcare_desktop.core.break_flow import BreakFlow
from neckcare_desktop.core.break_recovery import open_break
from neckcare_desktop.core.breaks import (
    BreakConfig,
    BreakPhase,
    BreakPolicy,
    BreakTiming,
)
from neckcare_desktop.core.calls import CallRules
from neckcare_desktop.core.clock import Clock
from neckcare_desktop.core.engine_base import logger
from neckcare_desktop.core.history import EventKind, HistoryError, HistoryStore
from neckcare_desktop.core.history.journal import PendingJournal
from neckcare_desktop.core.history.writer import HistoryWriter
from neckcare_desktop.core.history_notes import NoteCode, note_text
from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from neckcare_desktop.core.jobs import ALL_JOBS, JOB_HISTORY_RETRY
from neckcare_desktop.core.jobs import JOB_BREAK_DUE as JOB_BREAK_DUE
from neckcare_desktop.core.jobs import JOB_BREAK_WARNING as JOB_BREAK_WARNING
from neckcare_desktop.core.jobs import JOB_HYDRATION as JOB_HYDRATION
from neckcare_desktop.core.jobs import JOB_PAUSE_END as JOB_PAUSE_END
from neckcare_desktop.core.jobs import JOB_THERAPY_END as JOB_THERAPY_END
from neckcare_desktop.core.limits import MICRO_POSTURE_GAP_SECONDS
from neckcare_desktop.core.pause import PauseReason, pause_end
from neckcare_desktop.core.ports import NoPresence, Presence, SchedulerPort
from neckcare_desktop.core.schedule_sync import JobSync
from neckcare_desktop.core.settings import Settings
from neckcare_desktop.core.status import Status, build_status
from neckcare_desktop.core.stretches import StretchRotation
from neckcare_desktop.core.therapy import (
    FinishedSession,
    TherapyKind,
    TherapyRules,
    TherapySession,
    TherapyTimer,
)
from neckcare_desktop.core.therapy_engine import OVERRUN_GRACE_SECONDS as OVERRUN_GRACE_SECONDS
from neckcare_desktop.core.therapy_engine import TherapyCare
from neckcare_desktop.core.therapy_recovery import TherapyStateFile
from neckcare_desktop.core.time_away import TimeAway
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.core.watchdog import Watchdog, WatchdogRepair
from neckcare_desktop.core.working_hours import WorkingHours

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
    return TherapyRules.from_settings(settings)


class Engine(BreakFlow, CallRules, TimeAway, WatchdogRepair, JobSync):
    """NeckCare's rules tied to time; the one object the app, the CLI's commands and the
    tests drive (its parts: see core.engine_base)."""

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
        self.therapy_state = therapy_state or TherapyStateFile.beside(history)
        self.breaks = BreakPolicy.starting(break_config(settings, self.scale), clock.now())
        self._listeners = []
        self.writer = HistoryWriter(
            history,
            pending or PendingJournal.beside(history.folder),
            scheduler,
            clock,
            self._emit,
            JOB_HISTORY_RETRY,
        )
        self._therapy_care = TherapyCare(
            self.therapy,
            history,
            self.therapy_state,
            scheduler,
            clock,
            self.scale,
            settings=settings,
            record=self._record,
            emit=self._emit,
            changed=self._changed,
        )
        # The state the parts share (declared, with what each means, in core.engine_base).
        self._current_stretch = None
        self._started = False
        self._started_at = None
        self.presence = presence or NoPresence()
        self.hours = WorkingHours.from_settings(settings.working_hours)
        self._pause_reason = None
        self._away_since = None
        self._credited = set()
        self._held_since = None
        self._held_reason = None
        self._held_by_call = False
        self._call_ended = False
        self._pause_wait_since = None
        self._next_hydration = None
        self._break_ended_at = None
        self._watchdog = Watchdog()

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
                self._record_interrupted(active.kind.value, self._planned_seconds(active), now)
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
        """A session the last run left on: carry on, or alert now (see TherapyCare.recover)."""
        self._therapy_care.recover(now)

    def _save_therapy(self) -> None:
        self._therapy_care.save()

    # -- settings ------------------------------------------------------------------------

    def apply_settings(self, settings: Settings) -> None:
        old = self.settings
        self.settings = settings
        self._therapy_care.apply_settings(settings)  # a lower cap shortens a running round
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
        if self._held_by_call and not self.in_call():
            # Calls no longer hold breaks: the held one comes now, not at the next look.
            self._on_break_due()
        self._changed()

    # -- therapy intents (core.therapy_engine) -------------------------------------------

    def start_therapy(
        self,
        kind: TherapyKind,
        minutes: int | None = None,
        *,
        confirm_during_rest: bool = False,
        intermittent: bool = False,
    ) -> TherapySession:
        """Start ice or heat (``intermittent``: ice 10 on · 10 off · 10 on). Raises
        TherapyError (or RestPeriodActive) with the reason."""
        return self._therapy_care.start(
            kind, minutes, confirm_during_rest=confirm_during_rest, intermittent=intermittent
        )

    def stop_therapy(self, *, skin_numb: bool = False) -> FinishedSession:
        """Stop the running session; ``skin_numb``: ice, because the skin went numb."""
        return self._therapy_care.stop(skin_numb=skin_numb)

    def suggested_minutes(self, kind: TherapyKind) -> int:
        """The minutes "Start ice" or "Start heat" would use now (phase, extra care)."""
        return self._therapy_care.suggested_minutes(kind)

    def _on_therapy_end(self) -> None:
        self._therapy_care.on_end()

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
        self._held_by_call = self._call_ended = False
        self._pause_wait_since = None
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

    # -- scheduling ----------------------------------------------------------------------

    def check_time(self) -> None:
        """Catch up after the process was asleep or the clock moved: fire what is overdue."""
        now = self.clock.now()
        self._therapy_care.check_time(now)  # a passed switch or end of ice or heat
        if self.breaks.resume_if_pause_over(now):
            self._pause_reason = None
            self._changed()
        self._apply_hours(now)
        self._reschedule()

    # -- status --------------------------------------------------------------------------

    def status(self) -> Status:
        return build_status(
            self.clock.now(),
            self.therapy,
            self.breaks,
            self.scale,
            pause_reason=self._pause_reason,
            away=self._away_since is not None,
            held_reason=self._held_reason if self._held_since is not None else None,
            in_call=self.in_call(),
        )
