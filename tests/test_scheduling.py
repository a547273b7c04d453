"""The APScheduler adapter: one timer, main-thread jobs, late jobs still run."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

import pytest
from apscheduler.schedulers.qt import QtScheduler
from PySide6.QtCore import QTimer

from neckcare_desktop.scheduling import QtJobScheduler, SingleTimerQtScheduler


def _now() -> datetime:
    return datetime.now().astimezone()


@pytest.fixture
def scheduler(qapp):
    sched = QtJobScheduler()
    yield sched
    sched.shutdown()


def test_job_runs_on_the_qt_main_thread(qtbot, scheduler):
    threads: list[threading.Thread] = []
    scheduler.call_at(
        "probe",
        _now() + timedelta(milliseconds=30),
        lambda: threads.append(threading.current_thread()),
    )
    qtbot.waitUntil(lambda: bool(threads), timeout=2000)
    assert threads == [threading.main_thread()]


def test_wakeups_do_not_pile_up_timers(qtbot, scheduler):
    """Many add/cancel calls leave one timer, not a growing chain of single shots."""
    far = _now() + timedelta(hours=1)
    for i in range(50):
        scheduler.call_at(f"job{i % 3}", far + timedelta(seconds=i), lambda: None)
        scheduler.wakeup()
    before = scheduler.aps.wakeups
    # Let the event loop run for a while: an unfixed QtScheduler would now process its
    # jobs once per stray single-shot timer (50+ times); ours wakes up at most once.
    fired = []
    QTimer.singleShot(300, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)
    assert scheduler.aps.wakeups - before <= 1
    assert scheduler.aps.timer_active
    # The one timer is armed for the first job, an hour away.
    assert scheduler.aps.timer_remaining_ms > 59 * 60 * 1000


def test_unfixed_qtscheduler_really_piles_up(qtbot, qapp):
    """Keeps the workaround honest: if upstream fixes the bug, this test tells us."""
    calls = []

    class Counting(QtScheduler):
        def _process_jobs(self):
            calls.append(1)
            super()._process_jobs()

    sched = Counting()
    sched.start()
    sched.add_job(lambda: None, "date", run_date=_now() + timedelta(hours=1))
    for _ in range(20):
        sched.wakeup()
    done = []
    QTimer.singleShot(300, lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=2000)
    sched.shutdown(wait=False)
    assert len(calls) >= 20


def test_late_job_still_runs_once(qtbot, scheduler):
    """A job whose time passed while the loop was busy (or asleep) is run, not dropped."""
    runs = []
    scheduler.call_at("late", _now() - timedelta(minutes=10), lambda: runs.append(1))
    qtbot.waitUntil(lambda: bool(runs), timeout=2000)
    done = []
    QTimer.singleShot(100, lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=2000)
    assert runs == [1]


def test_replacing_a_job_keeps_only_the_new_one(qtbot, scheduler):
    runs = []
    soon = _now() + timedelta(milliseconds=20)
    scheduler.call_at("x", soon, lambda: runs.append("old"))
    scheduler.call_at("x", soon + timedelta(milliseconds=10), lambda: runs.append("new"))
    qtbot.waitUntil(lambda: bool(runs), timeout=2000)
    done = []
    QTimer.singleShot(100, lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=2000)
    assert runs == ["new"]


def test_job_can_schedule_its_own_successor(qtbot, scheduler):
    """The engine reschedules "break-due" from inside the "break-due" callback."""
    runs: list[int] = []

    def tick() -> None:
        runs.append(1)
        if len(runs) < 3:
            scheduler.call_at("tick", _now() + timedelta(milliseconds=10), tick)

    scheduler.call_at("tick", _now() + timedelta(milliseconds=10), tick)
    qtbot.waitUntil(lambda: len(runs) == 3, timeout=3000)
    assert scheduler.pending() == []


def test_cancel_prevents_the_run(qtbot, scheduler):
    runs = []
    scheduler.call_at("x", _now() + timedelta(milliseconds=30), lambda: runs.append(1))
    scheduler.cancel("x")
    scheduler.cancel("never-scheduled")
    done = []
    QTimer.singleShot(150, lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=2000)
    assert runs == []
    assert scheduler.next_run("x") is None


@pytest.mark.expect_log("apscheduler.executors.default", logging.ERROR, r"raised an exception")
@pytest.mark.expect_log("neckcare_desktop.scheduling", logging.ERROR, r"failed")
def test_failing_job_is_logged_not_raised(qtbot, scheduler, caplog):
    runs = []

    def boom() -> None:
        raise RuntimeError("broken view")

    scheduler.call_at("boom", _now(), boom)
    scheduler.call_at("after", _now() + timedelta(milliseconds=20), lambda: runs.append(1))
    qtbot.waitUntil(lambda: bool(runs), timeout=2000)
    assert "boom" in caplog.text


def test_no_timer_when_nothing_is_scheduled(qtbot):
    """Nothing due means nothing wakes the process: not even a slow poll."""
    sched = SingleTimerQtScheduler()
    sched.start()
    try:
        qtbot.waitUntil(lambda: sched.wakeups >= 1, timeout=2000)
        assert not sched.timer_active
    finally:
        sched.shutdown(wait=False)


def test_naive_time_is_refused(scheduler):
    with pytest.raises(ValueError, match="timezone"):
        scheduler.call_at("x", datetime.now(), lambda: None)


def test_each_job_wakes_the_process_about_once(qtbot, scheduler):
    """A timer that fires early finds nothing due and spins; rounding must prevent that."""
    runs: list[int] = []
    start = _now()
    for i in range(20):
        scheduler.call_at(
            f"j{i}", start + timedelta(milliseconds=40 + 13 * i), lambda: runs.append(1)
        )
    qtbot.waitUntil(lambda: len(runs) == 20, timeout=5000)
    before = scheduler.aps.wakeups
    scheduler.call_at("last", _now() + timedelta(milliseconds=120), lambda: runs.append(1))
    qtbot.waitUntil(lambda: len(runs) == 21, timeout=5000)
    # The add itself wakes it once; the run once more; an early-firing timer would add dozens.
    assert scheduler.aps.wakeups - before <= 3
