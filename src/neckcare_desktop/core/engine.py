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
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from neckcare_desktop.core import events as ev
from neckcare_desktop.core.breaks import (
    ActiveBreak,
    BreakConfig,
    BreakKind,
    BreakPhase,
    BreakPolicy,
    BreakTiming,
)
from neckcare_desktop.core.clock import Clock
from neckcare_desktop.core.history import EventKind, HistoryError, HistoryStore
from neckcare_desktop.core.limits import MICRO_POSTURE_GAP_SECONDS
from neckcare_desktop.core.ports import SchedulerPort
from neckcare_desktop.core.settings import Settings
from neckcare_desktop.core.stretches import Stretch, StretchRotation
from neckcare_desktop.core.therapy import (
    END_ADVICE,
    START_ADVICE,
    FinishedSession,
    TherapyKind,
    TherapyRules,
    TherapySession,
    TherapyTimer,
)
from neckcare_desktop.core.timescale import TimeScale

logger = logging.getLogger(__name__)

Listener = Callable[[ev.EngineEvent], None]

#: "Pause until tomorrow" ends at this local time the next day.
MORNING = time(6, 0)

JOB_BREAK_DUE = "break-due"
JOB_BREAK_END = "break-end"
JOB_THERAPY_END = "therapy-end"
JOB_PAUSE_END = "pause-end"

PAUSE_CHOICES: tuple[str, ...] = ("30", "60", "tomorrow")


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
    )


def therapy_rules(settings: Settings) -> TherapyRules:
    t = settings.therapy
    return TherapyRules(t.ice_minutes, t.heat_minutes, t.ice_rest_minutes)


def pause_end(choice: str, now: datetime, scale: TimeScale) -> datetime:
    """When a pause chosen from the menu or the command line ends."""
    if choice == "tomorrow":
        tomorrow = (now + timedelta(days=1)).date()
        return datetime.combine(tomorrow, MORNING, tzinfo=now.tzinfo)
    if choice.isdigit() and choice in PAUSE_CHOICES:
        return now + scale.real(int(choice) * 60)
    raise ValueError(f"pause must be one of {', '.join(PAUSE_CHOICES)}, got {choice!r}")


@dataclass(frozen=True)
class Status:
    """Everything the status line, the tooltip and ``neckcare status --json`` show."""

    lines: tuple[str, ...]
    therapy: TherapySession | None
    therapy_remaining_seconds: int | None
    ice_rest_remaining_seconds: int | None
    next_break: tuple[BreakKind, datetime] | None
    next_break_in_seconds: int | None
    active_break: ActiveBreak | None
    paused_until: datetime | None
    time_scale: float

    @property
    def summary(self) -> str:
        return self.lines[0] if self.lines else "NeckCare"

    def to_json(self) -> dict[str, object]:
        def iso(when: datetime | None) -> str | None:
            return when.isoformat(timespec="seconds") if when else None

        return {
            "status": list(self.lines),
            "therapy": None
            if self.therapy is None
            else {
                "kind": self.therapy.kind.value,
                "started_at": iso(self.therapy.started_at),
                "planned_seconds": self.therapy.planned_seconds,
                "remaining_seconds": self.therapy_remaining_seconds,
            },
            "ice_rest_remaining_seconds": self.ice_rest_remaining_seconds,
            "next_break": None
            if self.next_break is None
            else {
                "kind": self.next_break[0].value,
                "due_at": iso(self.next_break[1]),
                "in_seconds": self.next_break_in_seconds,
            },
            "active_break": None
            if self.active_break is None
            else {"kind": self.active_break.kind.value, "phase": self.active_break.phase.value},
            "paused_until": iso(self.paused_until),
            "time_scale": self.time_scale,
        }


def _minutes(seconds: float) -> int:
    """Whole minutes for display, rounded up so "0 min left" never shows while time is left."""
    return max(1, -int(-seconds // 60))


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
    ) -> None:
        self.settings = settings
        self.history = history
        self.scheduler = scheduler
        self.clock = clock
        self.scale = scale or TimeScale()
        self.stretches = stretches
        self.therapy = TherapyTimer(therapy_rules(settings), self.scale)
        self.breaks = BreakPolicy.starting(break_config(settings, self.scale), clock.now())
        self._listeners: list[Listener] = []
        self._history_warned = False
        self._current_stretch: Stretch | None = None
        self._started = False

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
        self._record(EventKind.APP_STARTED, now)
        self._restore_ice_rest(now)
        self.breaks = BreakPolicy.starting(break_config(self.settings, self.scale), now)
        self._reschedule()
        self._changed()

    def shutdown(self) -> None:
        for job in (JOB_BREAK_DUE, JOB_BREAK_END, JOB_THERAPY_END, JOB_PAUSE_END):
            self.scheduler.cancel(job)
        if self._started:
            self._record(EventKind.APP_QUIT, self.clock.now())
            self._started = False

    def _restore_ice_rest(self, now: datetime) -> None:
        """Rest after ice is a safety rule, so it must survive a restart of the app."""
        last = None
        try:
            for kind in (EventKind.THERAPY_COMPLETED, EventKind.THERAPY_STOPPED_EARLY):
                event = self.history.last_event(kind, subject=TherapyKind.ICE.value)
                if event is not None and (last is None or event.at > last):
                    last = event.at
        except (sqlite3.Error, HistoryError, OSError):
            logger.exception("could not read the last ice round from history")
        if last is not None and last <= now:
            self.therapy.note_ice_ended(last)

    # -- settings ------------------------------------------------------------------------

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        self.therapy.rules = therapy_rules(settings)
        self.breaks.reconfigure(break_config(settings, self.scale), self.clock.now())
        active = self.breaks.active
        if active is not None and active.phase is BreakPhase.DUE:
            timing = self.breaks.config.timing(active.kind)
            if not timing.enabled:
                self.breaks.active = None
                # A due posture break had folded the micro-break into itself; with it gone,
                # every enabled kind left without a due time counts again from now.
                now = self.clock.now()
                for kind in BreakKind:
                    other = self.breaks.config.timing(kind)
                    if other.enabled and self.breaks.next_due.get(kind) is None:
                        self.breaks.next_due[kind] = now + other.interval
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
        self._record(
            EventKind.THERAPY_STARTED,
            now,
            subject=kind.value,
            planned_seconds=session.planned_seconds,
        )
        self.scheduler.call_at(JOB_THERAPY_END, session.ends_at, self._on_therapy_end)
        self._emit(ev.TherapyStarted(session, START_ADVICE[kind]))
        self._changed()
        return session

    def stop_therapy(self) -> FinishedSession:
        now = self.clock.now()
        finished = self.therapy.stop(now)
        self.scheduler.cancel(JOB_THERAPY_END)
        self._record_finished(finished, EventKind.THERAPY_STOPPED_EARLY)
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
        finished = self.therapy.complete(now)
        self._record_finished(finished, EventKind.THERAPY_COMPLETED)
        self._emit(ev.TherapyEnded(finished, END_ADVICE[finished.session.kind]))
        self._changed()

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
        self._emit(ev.BreakStarted(brk, self._current_stretch, self._nominal_seconds(brk.kind)))
        self._changed()
        return brk

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
        self._emit(ev.BreakStarted(brk, self._current_stretch, self._nominal_seconds(brk.kind)))
        return brk

    def postpone_break(self) -> ActiveBreak:
        now = self.clock.now()
        brk = self.breaks.postpone(now)
        self._record(
            EventKind.BREAK_POSTPONED, now, subject=brk.kind.value, note=f"postpone {brk.postpones}"
        )
        self._reschedule()
        self._changed()
        return brk

    def skip_break(self) -> ActiveBreak:
        now = self.clock.now()
        active = self.breaks.active
        if active is not None and active.phase is BreakPhase.RUNNING:
            brk = self.breaks.stop_running(now)
            elapsed = round(self.scale.app_seconds(now - (brk.started_at or now)))
            self._record(
                EventKind.BREAK_SKIPPED,
                now,
                subject=brk.kind.value,
                planned_seconds=self._nominal_seconds(brk.kind),
                actual_seconds=elapsed,
                note="ended early",
            )
        else:
            brk = self.breaks.skip(now)
            self._record(EventKind.BREAK_SKIPPED, now, subject=brk.kind.value)
        self._reschedule()
        self._emit(ev.BreakFinished(brk, completed=False))
        self._changed()
        return brk

    def _on_break_due(self) -> None:
        now = self.clock.now()
        brk = self.breaks.fire_due(now)
        if brk is None:
            self._reschedule()
            return
        self._current_stretch = self._draw_stretch(brk.kind)
        self._record(EventKind.BREAK_DUE, now, subject=brk.kind.value)
        self._reschedule()
        self._emit(ev.BreakDue(brk, self._current_stretch, self._nominal_seconds(brk.kind)))
        self._changed()

    def _on_break_end(self) -> None:
        active = self.breaks.active
        if active is None or active.phase is not BreakPhase.RUNNING:
            return
        now = self.clock.now()
        if active.ends_at is not None and now < active.ends_at:
            self._reschedule()
            return
        brk = self.breaks.finish(now)
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
        until = pause_end(choice, now, self.scale)
        withdrawn = self.breaks.pause(until, now)
        if withdrawn is not None:
            self._emit(ev.BreakWithdrawn(withdrawn))
        self._reschedule()
        self._changed()
        return until

    def resume(self) -> None:
        self.breaks.resume(self.clock.now())
        self._reschedule()
        self._changed()

    def _on_pause_end(self) -> None:
        if self.breaks.resume_if_pause_over(self.clock.now()):
            self._changed()
        self._reschedule()

    # -- scheduling ----------------------------------------------------------------------

    def _reschedule(self) -> None:
        """Make the scheduler's jobs match the policy's state; the policy is the truth."""
        policy = self.breaks
        if policy.paused_until is not None:
            self.scheduler.call_at(JOB_PAUSE_END, policy.paused_until, self._on_pause_end)
        else:
            self.scheduler.cancel(JOB_PAUSE_END)
        active = policy.active
        if active is not None and active.phase is BreakPhase.RUNNING and active.ends_at:
            self.scheduler.call_at(JOB_BREAK_END, active.ends_at, self._on_break_end)
        else:
            self.scheduler.cancel(JOB_BREAK_END)
        upcoming = policy.upcoming()
        if upcoming is None:
            self.scheduler.cancel(JOB_BREAK_DUE)
        else:
            self.scheduler.call_at(JOB_BREAK_DUE, upcoming[1], self._on_break_due)

    def check_time(self) -> None:
        """Catch up after the process was asleep or the clock moved: fire what is overdue."""
        now = self.clock.now()
        if self.therapy.active is not None and now >= self.therapy.active.ends_at:
            self._on_therapy_end()
        if self.breaks.resume_if_pause_over(now):
            self._changed()
        self._reschedule()

    # -- history -------------------------------------------------------------------------

    def _record(self, kind: EventKind, at: datetime, **fields: object) -> None:
        """Write one history row; a failing disk must never stop a reminder or an alert."""
        try:
            self.history.record(kind, at, **fields)  # type: ignore[arg-type]
        except (sqlite3.Error, HistoryError, OSError) as exc:
            logger.error("could not record %s in history: %s", kind, exc)
            if not self._history_warned:
                self._history_warned = True
                self._emit(
                    ev.Notice(
                        "History not saved",
                        f"NeckCare could not write to its history file ({exc}). Timers and "
                        "reminders keep working; check free disk space and permissions.",
                        warning=True,
                    )
                )

    # -- status --------------------------------------------------------------------------

    def _changed(self) -> None:
        self._emit(ev.StateChanged())

    def status(self) -> Status:
        now = self.clock.now()
        lines: list[str] = []
        session = self.therapy.active
        therapy_left = None
        if session is not None:
            therapy_left = max(0, round(self.scale.app_seconds(session.ends_at - now)))
            lines.append(f"{session.kind.label}: {_minutes(therapy_left)} min left")
        rest = self.therapy.rest_remaining(now)
        rest_left = None if rest is None else round(self.scale.app_seconds(rest))
        if rest_left is not None and session is None:
            lines.append(f"Ice again in {_minutes(rest_left)} min")

        policy = self.breaks
        upcoming = policy.upcoming()
        next_in = None
        active = policy.active
        if policy.paused_until is not None:
            until = policy.paused_until
            when = until.strftime("%H:%M")
            if until.date() != now.date():
                when = (
                    f"tomorrow {when}"
                    if until.date() == (now + timedelta(days=1)).date()
                    else until.strftime("%a %d %b %H:%M")
                )
            lines.append(f"Reminders paused until {when}")
        elif active is not None and active.phase is BreakPhase.RUNNING and active.ends_at:
            left = self.scale.app_seconds(active.ends_at - now)
            name = "Micro-break" if active.kind is BreakKind.MICRO else "Posture break"
            if active.kind is BreakKind.MICRO:
                lines.append(f"{name}: {max(0, round(left))} s left")
            else:
                lines.append(f"{name}: {_minutes(left)} min left")
        elif active is not None:
            lines.append(
                "Posture break due" if active.kind is BreakKind.POSTURE else "Micro-break due"
            )
        elif upcoming is not None:
            next_in = max(0, round(self.scale.app_seconds(upcoming[1] - now)))
            lines.append(f"Next break in {_minutes(next_in)} min")
        else:
            lines.append("Break reminders are off")
        if self.scale.is_compressed:
            lines.append(f"Time scale ×{self.scale.factor:g} (test mode)")
        return Status(
            lines=tuple(lines),
            therapy=session,
            therapy_remaining_seconds=therapy_left,
            ice_rest_remaining_seconds=rest_left,
            next_break=upcoming,
            next_break_in_seconds=next_in,
            active_break=active,
            paused_until=policy.paused_until,
            time_scale=self.scale.factor,
        )
