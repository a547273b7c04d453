"""Thirty simulated days of the default schedule, in a few seconds.

One engine, one history file, a manual clock and the fake scheduler; a seeded "person"
comes and goes (idle readings through ``on_presence``), pauses now and then, answers
every break window (start, postpone or skip, after a short while) and uses ice and heat a
few times a day. Day one is deterministic, so its break count can be worked out by hand.
Checked all along: no break fires twice, none fires late unless the person was away, no
due time drifts from what the policy computed, history and events agree, and memory
stays flat from day 10 to day 30.
"""

from __future__ import annotations

import gc
import heapq
import itertools
import random
import time as _time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from fakes import T0, Rig, make_rig
from neckcare_desktop.core import events as ev
from neckcare_desktop.core.breaks import BreakKind, BreakPhase
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.therapy import RestPeriodActive, TherapyError, TherapyKind

SEED = 20260302
DAYS = 30
MICRO, POSTURE = BreakKind.MICRO, BreakKind.POSTURE
#: Memory allowed to stay behind between day 10 and day 30. Measured: about 105-130 KB,
#: most of it the test's own set of fired due times. Keeping every engine event (as a
#: listener holding on to them would) measured about 610 KB, so the bound catches that.
MAX_GROWTH_BYTES = 512 * 1024
#: The whole soak must stay quick enough to run with every test (measured: about 0.6 s).
MAX_SECONDS = 20.0


def expected_deterministic_day(hours: float) -> tuple[int, int]:
    """Breaks in ``hours`` from a fresh start when each break is started the moment it is due.

    Defaults: micro every 20 min for 20 s, posture every 50 min for 5 min, no micro-break
    within 2 min of a posture break. From a fresh start the micro-breaks come at +20:00
    (ends +20:20) and +40:20 (ends +40:40); the next one (+60:40) is past 50 - 2 min, so it
    is folded into the posture break at +50:00, which ends at +55:00 and restarts both.
    So the day repeats every 55 minutes with two micro-breaks and one posture break.
    """
    window = timedelta(hours=hours)
    cycle = timedelta(minutes=55)
    full, rest = divmod(window, cycle)
    micro_offsets = [timedelta(minutes=20), timedelta(minutes=40, seconds=20)]
    micro = 2 * full + sum(1 for offset in micro_offsets if offset < rest)
    posture = full + (1 if timedelta(minutes=50) < rest else 0)
    return micro, posture


class Soak:
    """The simulated person and the checks, driven one step at a time."""

    def __init__(self, rig: Rig, rng: random.Random) -> None:
        self.rig = rig
        self.engine = rig.engine
        self.clock = rig.clock
        self.rng = rng
        self.agenda: list[tuple[datetime, int, Callable[[], None]]] = []
        self._seq = itertools.count()
        self.problems: list[str] = []
        #: (time, what) for every event and every history-writing intent, until tallied.
        self.seen: list[tuple[datetime, str]] = []
        self.fired_keys: set[tuple[str, float]] = set()
        self.predicted = self.engine.breaks.upcoming()
        self.away_periods: list[tuple[datetime, datetime]] = []
        self.away_from: datetime | None = None
        self.answer_for: datetime | None = None
        self.deterministic_until = T0 + timedelta(hours=8)
        self.breaks_due = 0
        self.late_when_away = 0
        self.engine.subscribe(self.on_event)

    # -- the agenda ----------------------------------------------------------------------

    def at(self, when: datetime, action: Callable[[], None]) -> None:
        heapq.heappush(self.agenda, (when, next(self._seq), action))

    def run_until(self, end: datetime) -> None:
        sched, clock = self.rig.sched, self.clock
        while True:
            job = sched.next_job()
            job_at = max(job.when, clock.now()) if job is not None else None
            act_at = self.agenda[0][0] if self.agenda else None
            if act_at is not None and act_at <= end and (job_at is None or act_at <= job_at):
                when, _, action = heapq.heappop(self.agenda)
                self.rig.to(max(when, clock.now()))
                action()
            elif job_at is not None and job_at <= end:
                self.rig.to(job_at)
            else:
                break
            self.after_step()
        self.rig.to(end)

    def after_step(self) -> None:
        self.predicted = self.engine.breaks.upcoming()
        active = self.engine.breaks.active
        if (
            active is not None
            and active.phase is BreakPhase.DUE
            and self.away_from is None
            and self.answer_for != active.due_at
        ):
            self.answer_for = active.due_at
            deterministic = self.clock.now() < self.deterministic_until
            delay = 0 if deterministic else self.rng.uniform(0, 60)
            self.at(self.clock.now() + timedelta(seconds=delay), self.answer)

    # -- what the person does ------------------------------------------------------------

    def answer(self) -> None:
        active = self.engine.breaks.active
        self.answer_for = None
        if active is None or active.phase is not BreakPhase.DUE or self.away_from is not None:
            return
        if self.clock.now() < self.deterministic_until:
            self.engine.start_break()
            return
        roll = self.rng.random()
        if roll < 0.55:
            self.engine.start_break()
        elif roll < 0.8 and self.engine.breaks.can_postpone():
            self.engine.postpone_break()
            self.seen.append((self.clock.now(), "postponed"))
        else:
            self.engine.skip_break()

    def leave(self, until: datetime, poll_every: float) -> None:
        """Away from now to ``until``: the idle poll reads growing idle time meanwhile."""
        start = self.clock.now()
        self.away_from = start
        self.rig.presence.leave(start)
        t = start + timedelta(seconds=25)
        while t < until:
            self.at(t, self.rig.poll)
            t += timedelta(seconds=30 if t - start < timedelta(minutes=6) else poll_every)
        self.at(until, self.come_back)

    def leave_for(self, spell: timedelta) -> None:
        self.leave(self.clock.now() + spell, 60)

    def come_back(self) -> None:
        self.away_periods.append((self.away_from, self.clock.now()))  # type: ignore[arg-type]
        del self.away_periods[:-3]  # only the last few can explain a late break
        self.away_from = None
        self.rig.presence.back()
        self.rig.poll()

    def pause(self, choice: str) -> None:
        self.engine.pause(choice)

    def resume_early(self) -> None:
        if self.engine.breaks.is_paused and not self.engine.status().off_hours:
            self.engine.resume()

    def therapy(self) -> None:
        if self.away_from is not None or self.engine.therapy.active is not None:
            return
        kind = self.rng.choice([TherapyKind.ICE, TherapyKind.HEAT])
        try:
            session = self.engine.start_therapy(kind)
        except RestPeriodActive:
            session = self.engine.start_therapy(TherapyKind.HEAT, 10)
        if self.rng.random() < 0.25:
            early = session.started_at + timedelta(minutes=self.rng.randint(1, 9))
            self.at(early, self.stop_therapy)

    def stop_therapy(self) -> None:
        try:
            finished = self.engine.stop_therapy()
        except TherapyError:  # it had ended already
            return
        # Within its first 2 minutes a round was started by mistake: recorded as cancelled.
        self.seen.append((self.clock.now(), "cancelled" if finished.cancelled else "stopped early"))

    def arrival(self, day_start: datetime) -> datetime:
        return day_start + timedelta(minutes=self.rng.randint(-60, 30))  # 08:00-09:30

    def plan_day(self, day_start: datetime, arrive: datetime) -> datetime:
        """A working day from ``arrive``: idle spells, maybe a pause, ice or heat; then the
        night away until the next arrival, which is returned."""
        rng = self.rng
        leave = day_start + timedelta(hours=8, minutes=rng.randint(0, 150))
        t = arrive + timedelta(minutes=rng.randint(5, 40))
        while t < leave - timedelta(minutes=60):
            spell = timedelta(seconds=rng.choice([12, 25, 90, 200, 330, 600, 1500, 2700]))
            spell += timedelta(seconds=rng.randint(0, 20))
            self.at(t, partial(self.leave_for, spell))
            t += spell + timedelta(minutes=rng.randint(15, 100))
        if rng.random() < 0.5:
            when = arrive + timedelta(minutes=rng.randint(30, 400))
            self.at(when, partial(self.pause, rng.choice(["30", "60", "120"])))
            if rng.random() < 0.3:
                self.at(when + timedelta(minutes=rng.randint(5, 25)), self.resume_early)
        for _ in range(rng.randint(1, 3)):
            self.at(arrive + timedelta(minutes=rng.randint(10, 420)), self.therapy)
        if rng.random() < 0.4:
            self.at(leave, partial(self.pause, "tomorrow"))
        tomorrow = self.arrival(day_start + timedelta(days=1))
        self.at(leave + timedelta(seconds=1), partial(self.leave, tomorrow, 600))
        return tomorrow

    # -- the checks ----------------------------------------------------------------------

    def on_event(self, event: ev.EngineEvent) -> None:
        now = self.clock.now()
        name = type(event).__name__
        if isinstance(event, ev.StateChanged):
            return
        if isinstance(event, ev.BreakDue):
            self.check_due(event.brk.kind, event.brk.due_at, now)
        elif isinstance(event, ev.BreakFinished):
            name += ".completed" if event.completed else ".skipped"
        elif isinstance(event, ev.NaturalBreak):
            for kind in event.kinds:
                self.seen.append((now, f"natural {kind}"))
            return
        elif isinstance(event, ev.TherapyEnded) and not event.finished.completed:
            self.problems.append(f"therapy ended without completing at {now}")
        elif isinstance(event, ev.Notice) and event.title != "Time for some water":
            self.problems.append(f"unexpected notice {event.title!r} at {now}")
        self.seen.append((now, name))

    def check_due(self, kind: BreakKind, due_at: datetime, now: datetime) -> None:
        self.breaks_due += 1
        key = (kind.value, due_at.timestamp())
        if key in self.fired_keys:
            self.problems.append(f"{kind} fired twice for {due_at}")
        self.fired_keys.add(key)
        late = now - due_at
        if late <= timedelta(milliseconds=1):
            if late < timedelta(0):
                self.problems.append(f"{kind} due {due_at} fired early at {now}")
            if (kind, due_at) != self.predicted:
                self.problems.append(
                    f"{kind} due {due_at} at {now}, but the policy said {self.predicted}"
                )
            return
        # Late is right only for a break whose time came while the person was away.
        periods = list(self.away_periods)
        if self.away_from is not None:
            periods.append((self.away_from, now))
        if any(start <= due_at <= end and end <= now for start, end in periods):
            self.late_when_away += 1
            return
        self.problems.append(f"{kind} due {due_at} fired {late} late at {now}")

    def tally(self, start: datetime, end: datetime) -> None:
        """History of [start, end) must hold exactly what the listeners saw in it."""
        mine = [what for when, what in self.seen if start <= when < end]
        self.seen = [(when, what) for when, what in self.seen if when >= end]
        seen = Counter(mine)
        rows = self.rig.history.counts_between(start, end)
        expected = {
            EventKind.BREAK_DUE: seen["BreakDue"],
            EventKind.BREAK_STARTED: seen["BreakStarted"],
            EventKind.BREAK_COMPLETED: seen["BreakFinished.completed"],
            EventKind.BREAK_SKIPPED: seen["BreakFinished.skipped"],
            EventKind.BREAK_POSTPONED: seen["postponed"],
            EventKind.BREAK_NATURAL: seen["natural micro"] + seen["natural posture"],
            EventKind.THERAPY_STARTED: seen["TherapyStarted"],
            EventKind.THERAPY_COMPLETED: seen["TherapyEnded"],
            EventKind.THERAPY_STOPPED_EARLY: seen["stopped early"],
            EventKind.THERAPY_CANCELLED: seen["cancelled"],
            EventKind.HYDRATION_REMINDER: seen["Notice"],
        }
        got = {kind: rows[kind] for kind in expected}
        if got != expected:
            self.problems.append(f"{start:%d %b}: history {got} but events {expected}")
        if rows[EventKind.THERAPY_OVERRUN]:
            self.problems.append(f"{start:%d %b}: a therapy overran")
        # The fake scheduler's log and the rig's recorder are the test's memory, not the app's.
        self.rig.sched.fired.clear()
        self.rig.rec.clear()


def test_thirty_days_of_the_default_schedule(tmp_path: Path):
    began = _time.perf_counter()
    clock = ManualClock(T0)
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        rig = make_rig(clock, store)
        soak = Soak(rig, random.Random(SEED))

        # Day 1, 09:00-17:00: never away, no pause, no therapy, every break started at once.
        soak.run_until(T0 + timedelta(hours=8))
        counts = store.counts_between(T0, T0 + timedelta(hours=8))
        micro, posture = expected_deterministic_day(8)
        assert (micro, posture) == (17, 8)  # by hand: 8 cycles of 55 min, then 09:00+8:20
        rows = store.recent(limit=1000, kinds=[EventKind.BREAK_DUE])
        assert Counter(r.subject for r in rows) == {"micro": micro, "posture": posture}
        assert counts[EventKind.BREAK_COMPLETED] == micro + posture
        assert counts[EventKind.BREAK_NATURAL] == 0
        assert counts[EventKind.HYDRATION_REMINDER] == 7  # 10:00 ... 16:00
        soak.tally(T0, T0 + timedelta(hours=8))
        assert soak.problems == []

        # Then the evening of day 1 and 29 more random days, each tallied at midnight.
        arrive = soak.arrival(T0 + timedelta(days=1))
        soak.leave(arrive, 600)
        tallied = T0 + timedelta(hours=8)
        base = 0
        for day in range(1, DAYS):
            day_start = T0 + timedelta(days=day)
            arrive = soak.plan_day(day_start, arrive)
            midnight = day_start + timedelta(hours=15)
            soak.run_until(midnight)
            soak.tally(tallied, midnight)
            tallied = midnight
            assert soak.problems == [], soak.problems[:5]
            if day == 10:
                gc.collect()
                tracemalloc.start()
                base = tracemalloc.get_traced_memory()[0]
        end = T0 + timedelta(days=DAYS)
        soak.run_until(end)
        soak.tally(tallied, end)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()

        assert store.integrity_ok()
        assert soak.problems == [], soak.problems[:5]
        total = store.counts_between(T0, T0 + timedelta(days=DAYS))
        # The person did all of it, and the schedule kept going to the end.
        assert soak.breaks_due == total[EventKind.BREAK_DUE] > 20 * DAYS
        assert total[EventKind.BREAK_NATURAL] > DAYS
        assert total[EventKind.BREAK_POSTPONED] > DAYS
        assert total[EventKind.THERAPY_STARTED] >= DAYS - 1
        last_due = store.last_event(EventKind.BREAK_DUE)
        assert last_due is not None and last_due.at > T0 + timedelta(days=DAYS - 1)
        assert grown < MAX_GROWTH_BYTES, f"memory grew {grown} bytes from day 10 to day 30"
        elapsed = _time.perf_counter() - began
        print(
            f"soak: {soak.breaks_due} breaks due ({soak.late_when_away} late after time away), "
            f"memory +{grown} B from day 10 to 30, {elapsed:.1f} s"
        )
        assert elapsed < MAX_SECONDS
