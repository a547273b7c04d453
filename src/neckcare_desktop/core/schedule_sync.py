"""Keeping the scheduler's jobs in step with the engine's state, and asking it about them.

The state is the truth: after any change the engine calls ``_reschedule``, which makes the
scheduler's jobs match it (tests/test_engine_invariants.py checks that it does after any
sequence of events).
"""

from __future__ import annotations

from datetime import datetime

from neckcare_desktop.core.breaks import BreakKind, BreakPhase
from neckcare_desktop.core.engine_base import EngineBase
from neckcare_desktop.core.jobs import (
    JOB_BREAK_DUE,
    JOB_BREAK_END,
    JOB_BREAK_WARNING,
    JOB_HOURS,
    JOB_HYDRATION,
    JOB_PAUSE_END,
)
from neckcare_desktop.core.pause import PauseReason


class JobSync(EngineBase):
    """The part of the engine that plans its jobs and asks the scheduler about them."""

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
        if upcoming is None or upcoming[1] > now:
            # Nothing is due any more (postponed from the warning, settings changed): there
            # is nothing to hold, and the next due time needs its job, or none ever comes.
            self._held_since = self._held_reason = None
            self._held_by_call = self._call_ended = False
            self._pause_wait_since = None
        if upcoming is None or self._away_since is not None:
            # While away nothing comes due: the return restarts the timers.
            self.scheduler.cancel(JOB_BREAK_DUE)
            self.scheduler.cancel(JOB_BREAK_WARNING)
            if self._away_since is not None:
                # A hold (a call, a fullscreen window, typing) kept its look-again job in
                # JOB_BREAK_DUE, cancelled just now: the time away is the break, and back
                # at the desk a break still due is looked at afresh (the call, the window
                # and the typing are checked again then). Kept, the hold would stop the
                # return from planning the job, and no break would come again.
                self._held_since = self._held_reason = None
                self._held_by_call = self._call_ended = False
                self._pause_wait_since = None
        else:
            kind, when = upcoming
            if self._held_since is None and self._pause_wait_since is None:
                # (held or waiting for a pause: the look-again job is already planned)
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
