"""The one module that talks to APScheduler.

Two things in APScheduler 3.11 need care under PySide6:

* ``QtScheduler`` keeps the ``None`` that PySide6's ``QTimer.singleShot`` returns, so it can
  never stop the timer it started; every ``wakeup()`` (each ``add_job``) starts another
  self-rescheduling chain and the process wakes up more and more often. The subclass below
  owns exactly one ``QTimer`` instead.
* Jobs run in a thread pool by default. Ours touch widgets and a ``sqlite3`` connection made
  on the main thread, so they run on the thread that processes jobs: the Qt main thread.

Every job is one-shot (``DateTrigger``) with no misfire grace limit and coalescing on, so a
run that comes late (after suspend, or a busy event loop) happens once instead of being
silently dropped.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import math
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer

from neckcare_desktop.lean_imports import without_ssl

with without_ssl():  # APScheduler loads asyncio, asyncio ssl: see lean_imports.without_ssl
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
    from apscheduler.executors.debug import DebugExecutor
    from apscheduler.jobstores.base import JobLookupError
    from apscheduler.schedulers.qt import QtScheduler
    from apscheduler.triggers.date import DateTrigger

logger = logging.getLogger(__name__)

#: QTimer takes a signed 32-bit millisecond interval.
_MAX_TIMER_MS = 2_147_483_647


# WORKAROUND for APScheduler 3's QtScheduler keeping what QTimer.singleShot returns (None),
# so its _stop_timer never stops a timer and every wakeup() adds a chain:
# https://github.com/agronholm/apscheduler/blob/3.x/src/apscheduler/schedulers/qt.py
# (the code; no report of it was found in APScheduler's issue tracker). It can go when an
# APScheduler 3 release's QtScheduler owns a QTimer it stops:
# tests/test_scheduling.py::test_unfixed_qtscheduler_really_piles_up then fails.
class SingleTimerQtScheduler(QtScheduler):
    """``QtScheduler`` with one owned, precise ``QTimer`` instead of a pile of single shots."""

    def __init__(self, *args: object, parent: QObject | None = None, **kwargs: object) -> None:
        self._qtimer = QTimer(parent)
        self._qtimer.setSingleShot(True)
        # Coarse timers may fire 5 % late: a minute on a 20-minute break.
        self._qtimer.setTimerType(Qt.TimerType.PreciseTimer)
        self._qtimer.timeout.connect(self._process_jobs)
        #: How many times the scheduler woke up to look at its jobs (for tests and benchmarks).
        self.wakeups = 0
        super().__init__(*args, **kwargs)

    def _start_timer(self, wait_seconds: float | None) -> None:
        self._qtimer.stop()
        if wait_seconds is not None:
            # Round up: a timer a fraction of a millisecond early finds nothing due and
            # spins at 0 ms until the job's time comes (measured: ~35 wakeups per job).
            self._qtimer.start(min(math.ceil(wait_seconds * 1000), _MAX_TIMER_MS))

    def _stop_timer(self) -> None:
        self._qtimer.stop()

    def _process_jobs(self) -> None:
        self.wakeups += 1
        super()._process_jobs()

    @property
    def timer_active(self) -> bool:
        return self._qtimer.isActive()

    @property
    def timer_remaining_ms(self) -> int:
        return self._qtimer.remainingTime()


class QtJobScheduler:
    """Implements ``core.ports.SchedulerPort`` on top of :class:`SingleTimerQtScheduler`.

    APScheduler removes a one-shot job after running it, by id. A callback that schedules
    its own successor under the same id would have that new job removed, so each call gets a
    fresh APScheduler id and this class maps the engine's stable names onto them.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        self._scheduler = SingleTimerQtScheduler(
            parent=parent,
            executors={"default": DebugExecutor()},
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
        self._scheduler.add_listener(self._on_problem, EVENT_JOB_MISSED | EVENT_JOB_ERROR)
        self._ids: dict[str, str] = {}
        self._seq = itertools.count(1)
        self._scheduler.start()

    @property
    def aps(self) -> SingleTimerQtScheduler:
        return self._scheduler

    def call_at(self, name: str, when: datetime, callback: Callable[[], None]) -> None:
        if when.tzinfo is None:
            raise ValueError("call_at needs a timezone-aware time")
        self.cancel(name)
        job_id = f"{name}#{next(self._seq)}"
        self._ids[name] = job_id

        def run() -> None:
            if self._ids.get(name) == job_id:
                del self._ids[name]
            callback()

        self._scheduler.add_job(run, DateTrigger(run_date=when), id=job_id, name=name)

    def cancel(self, name: str) -> None:
        job_id = self._ids.pop(name, None)
        if job_id is None:
            return
        with contextlib.suppress(JobLookupError):  # it may have run already
            self._scheduler.remove_job(job_id)

    def next_run(self, name: str) -> datetime | None:
        job_id = self._ids.get(name)
        job = self._scheduler.get_job(job_id) if job_id else None
        return job.next_run_time if job is not None else None

    def pending(self) -> list[str]:
        return sorted(self._ids)

    def wakeup(self) -> None:
        self._scheduler.wakeup()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._ids.clear()

    @staticmethod
    def _on_problem(event: JobExecutionEvent) -> None:
        if event.code == EVENT_JOB_MISSED:
            logger.warning("job %s missed its run time %s", event.job_id, event.scheduled_run_time)
        else:
            logger.error("job %s failed", event.job_id, exc_info=event.exception)
