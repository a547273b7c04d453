"""The last line of defence: break reminders that should be planned, are.

The engine keeps the scheduler's jobs in step with its state (``Engine._reschedule``), and
a stateful property test (tests/test_engine_invariants.py) checks that it does after any
sequence of events it can think of. This watchdog is for the sequence nobody thought of:
reminders that quietly stop are the reason people give up on break apps, so a state where
reminders are on and nothing is planned must heal by itself, and show in the log and the
history so the bug behind it gets found.

``Watchdog`` only decides *whether* to repair; ``WatchdogRepair``, the engine's part that
owns the check, repairs. It waits the longest break interval plus a minute before it does,
so a state that is only passing through (a job being replaced, a break about to be
planned) is never "repaired".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from neckcare_desktop.core.breaks import BreakKind
from neckcare_desktop.core.engine_base import EngineBase, logger
from neckcare_desktop.core.history import EventKind
from neckcare_desktop.core.history_notes import NoteCode, note_text
from neckcare_desktop.core.jobs import JOB_THERAPY_END

#: Slack on top of the longest break interval, before a missing plan counts as lost.
GRACE = timedelta(minutes=1)


@dataclass
class Watchdog:
    """Remembers since when reminders should have been planned but were not."""

    since: datetime | None = None

    def due(
        self,
        *,
        expected: bool,
        planned_at: datetime | None,
        now: datetime,
        longest: timedelta,
    ) -> timedelta | None:
        """How long nothing has been planned, once that is longer than ``longest`` + GRACE.

        ``expected``: reminders are on, not paused, inside working hours, the person is at
        the computer and no break is on screen. ``planned_at``: when the break-due job
        runs, or None when there is none. A job more than ``longest`` + GRACE in the past
        never ran: that counts as nothing planned too.
        """
        limit = longest + GRACE
        lost = expected and (planned_at is None or planned_at < now - limit)
        if not lost:
            self.since = None
            return None
        if self.since is None or self.since > now:  # first seen, or the clock was set back
            self.since = now
        unplanned = now - self.since
        if unplanned < limit:
            return None
        self.since = None
        return unplanned


def _iso(when: datetime | None) -> str:
    return "none" if when is None else when.isoformat(timespec="seconds")


class WatchdogRepair(EngineBase):
    """The engine's part that checks for, and repairs, reminders that quietly stopped."""

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
        if session is not None and self._therapy_care.overdue(now):
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
