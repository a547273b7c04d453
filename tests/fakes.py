"""Test doubles for driving the core engine without Qt or APScheduler.

:class:`FakeScheduler` implements ``core.ports.SchedulerPort``: it only holds jobs by
name. Time moves when a test calls :meth:`FakeScheduler.advance_to` (or
:meth:`FakeScheduler.run_until`), which walks a :class:`ManualClock` forward job by job in
time order, sets the clock to each job's time and runs its callback exactly once. A
callback may schedule, replace or cancel jobs; new jobs that fall inside the window run
in the same call, in time order.

:class:`Recorder` is an engine listener that keeps every event it is given.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.events import EngineEvent

E = TypeVar("E")

#: A callback that keeps re-scheduling itself at the same instant would loop forever.
MAX_FIRES_PER_ADVANCE = 100_000


@dataclass(frozen=True)
class Job:
    name: str
    when: datetime
    callback: Callable[[], None] = field(compare=False, repr=False)
    seq: int = 0


@dataclass(frozen=True)
class FiredJob:
    """One callback that ran: its name, when it ran, and when it was scheduled for."""

    name: str
    at: datetime
    scheduled: datetime


class FakeScheduler:
    """SchedulerPort that runs jobs only when a test moves the clock."""

    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}
        self.fired: list[FiredJob] = []
        self.wakeups = 0
        self._seq = itertools.count()

    # -- SchedulerPort -------------------------------------------------------------------

    def call_at(self, name: str, when: datetime, callback: Callable[[], None]) -> None:
        if when.tzinfo is None:
            raise ValueError("call_at needs a timezone-aware time")
        self.jobs[name] = Job(name, when, callback, next(self._seq))

    def cancel(self, name: str) -> None:
        self.jobs.pop(name, None)

    def wakeup(self) -> None:
        self.wakeups += 1

    # -- inspection ----------------------------------------------------------------------

    def when(self, name: str) -> datetime | None:
        job = self.jobs.get(name)
        return None if job is None else job.when

    def pending(self) -> list[str]:
        return sorted(self.jobs)

    def next_job(self) -> Job | None:
        if not self.jobs:
            return None
        return min(self.jobs.values(), key=lambda job: (job.when, job.seq))

    def fired_names(self) -> list[str]:
        return [f.name for f in self.fired]

    # -- moving time ---------------------------------------------------------------------

    def advance_to(self, clock: ManualClock, when: datetime) -> list[FiredJob]:
        """Move ``clock`` to ``when``, running every job due on the way, in time order.

        A job scheduled in the past (overdue) runs at the current time, once; the clock
        never goes backwards. Returns the jobs that ran during this call.
        """
        if when < clock.now():
            raise ValueError(f"cannot advance backwards from {clock.now()} to {when}")
        first = len(self.fired)
        for _ in range(MAX_FIRES_PER_ADVANCE):
            job = self.next_job()
            if job is None or job.when > when:
                break
            del self.jobs[job.name]  # before the callback, which may schedule a successor
            if job.when > clock.now():
                clock.set(job.when)
            self.fired.append(FiredJob(job.name, clock.now(), job.when))
            job.callback()
        else:
            raise RuntimeError(f"more than {MAX_FIRES_PER_ADVANCE} jobs fired before {when}")
        clock.set(when)
        return self.fired[first:]

    def run_until(self, clock: ManualClock, delta: timedelta | float) -> list[FiredJob]:
        """Advance by ``delta`` (a timedelta or seconds); see :meth:`advance_to`."""
        if not isinstance(delta, timedelta):
            delta = timedelta(seconds=delta)
        return self.advance_to(clock, clock.now() + delta)

    def run_due(self, clock: ManualClock) -> list[FiredJob]:
        """Run whatever is due now (e.g. overdue jobs after the clock jumped)."""
        return self.advance_to(clock, clock.now())


class Recorder:
    """An engine listener that keeps every event, in order."""

    def __init__(self) -> None:
        self.events: list[EngineEvent] = []

    def __call__(self, event: EngineEvent) -> None:
        self.events.append(event)

    def of(self, kind: type[E]) -> list[E]:
        return [e for e in self.events if isinstance(e, kind)]

    def types(self) -> list[type]:
        return [type(e) for e in self.events]

    def clear(self) -> None:
        self.events.clear()
