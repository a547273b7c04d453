"""The last line of defence: break reminders that should be planned, are.

The engine keeps the scheduler's jobs in step with its state (``Engine._reschedule``), and
a stateful property test (tests/test_engine_invariants.py) checks that it does after any
sequence of events it can think of. This watchdog is for the sequence nobody thought of:
reminders that quietly stop are the reason people give up on break apps, so a state where
reminders are on and nothing is planned must heal by itself, and show in the log and the
history so the bug behind it gets found.

It only decides *whether* to repair; the engine, which owns the state, repairs. It waits
the longest break interval plus a minute before it does, so a state that is only passing
through (a job being replaced, a break about to be planned) is never "repaired".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

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
