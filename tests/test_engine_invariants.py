"""What NeckCare promises, checked after every step of random sequences of everything.

A hypothesis ``RuleBasedStateMachine`` drives one engine (manual clock, fake scheduler, a
real history file in a temporary folder, a person who comes and goes) through time
passing with the app's idle poll, away/back, suspend/resume, the clock set forward and
back, any valid settings change, every break intent (refused ones too), ice and heat,
pause/resume, calls starting and ending, typing and pauses in it, and restarts (the
engine rebuilt from the same history file). After every
step it checks:

(i)   reminders on, not paused, inside working hours, no break on screen or running, the
      person at the computer => a break-due job exists and the status says when; a person
      back at the computer is never reported as away; the watchdog never has to repair;
(ii)  no ice round is planned over 20 minutes, and none stays on (real time) longer than
      planned + the grace minute unless the computer slept through its end; ice is never
      on for more than 20 minutes in one go (an intermittent session's "take it off" comes
      on time); every session, plain or intermittent, ends exactly once across restarts in
      an alert or an explicit stop ("my skin is numb" too) (history: start, end, start,
      end, ...; the alerts match the completed/overrun rows; switch rows only inside an
      intermittent session, "off" then "on");
(iii) postpones in a row never exceed ``max_postpones``, also when a micro-break's
      postpones are folded into the posture break that covers it;
(iv)  a refused intent changes nothing: the break it concerned is still on screen, or
      still planned, exactly as before;
(v)   calls and typing (issue 17): no break comes due while a call holds breaks, a break
      held in a call says so in the status and keeps its look-again job, and a due break
      waits for a pause in typing a minute at most, counted once nothing else (a call, a
      fullscreen window) holds it: a held break is not waiting for a pause.
(vi)  a break keeps its own length whatever the settings say meanwhile (the lengths
      change at any time): the row that ends a started break (completed, ended early,
      interrupted by a quit or a crash) says the planned seconds its ``break_started``
      row said, one run out says it ran them all, and a running break ends that long
      after it started.
(vii) a rest counts once: no break of a kind is "taken while away" sooner than its
      length (real time) after a break of that kind, or a posture break (it covers a
      micro-break), was taken (ran out, or ended early counted as taken), unless the
      person was back in between; a running break is never time away.

CI runs ``MAX_EXAMPLES`` sequences of up to ``STEPS`` steps each; the regression tests
for each defect it found are at the end of this file.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from conftest import LogCollector
from fakes import T0, FakePresence, FakeScheduler, Recorder, Rig, at, make_rig, tweak
from neckcare_desktop.core import events as ev
from neckcare_desktop.core import guidance
from neckcare_desktop.core.breaks import BreakKind, BreakPhase, BreakStateError
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.engine import (
    JOB_BREAK_DUE,
    JOB_THERAPY_END,
    OVERRUN_GRACE_SECONDS,
    Engine,
)
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.history_notes import NoteCode, parse_note
from neckcare_desktop.core.settings import (
    Settings,
    default_settings,
    settings_from_dict,
    settings_to_dict,
)
from neckcare_desktop.core.therapy import TherapyError, TherapyKind

MAX_EXAMPLES = 150
STEPS = 60

MICRO, POSTURE = BreakKind.MICRO, BreakKind.POSTURE
ICE, HEAT = TherapyKind.ICE, TherapyKind.HEAT
ENDS = {
    EventKind.THERAPY_COMPLETED,
    EventKind.THERAPY_STOPPED_EARLY,
    EventKind.THERAPY_OVERRUN,
    EventKind.THERAPY_CANCELLED,
}
ALERTS = {EventKind.THERAPY_COMPLETED, EventKind.THERAPY_OVERRUN}
#: How often the app's idle poll runs at most (PresenceWatcher.MAX_POLL_SECONDS).
POLL_SECONDS = 30

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIMES = ("00:00", "06:30", "09:00", "09:30", "12:00", "17:30", "22:00")


def _changed(s: Settings, change: dict[str, object]) -> Settings:
    """``s`` with dotted keys changed, validated as the settings file is (one pass)."""
    data = settings_to_dict(s)
    for key, value in change.items():
        *sections, name = key.split(".")
        table = data
        for part in sections:
            table = table[part]
        table[name] = value
    return settings_from_dict(data)


def _hours(start: str, end: str) -> dict[str, str]:
    return {"working_hours.start": start, "working_hours.end": end if end != start else "23:59"}


#: Any valid settings change, as the dotted keys it sets (short in a failing example).
SETTINGS_CHANGES = st.fixed_dictionaries(
    {
        "breaks.micro.enabled": st.booleans(),
        "breaks.posture.enabled": st.booleans(),
        "breaks.natural_breaks": st.booleans(),
        "breaks.strict": st.booleans(),
        "breaks.max_postpones": st.integers(0, 10),
        "breaks.postpone_minutes": st.sampled_from([1, 5, 10, 30]),
        "breaks.micro.interval_minutes": st.sampled_from([5, 20, 45]),
        "breaks.posture.interval_minutes": st.sampled_from([15, 50, 120]),
        "breaks.warning_seconds": st.sampled_from([0, 30]),
        "breaks.respect_calls": st.booleans(),
        "breaks.wait_for_pause_seconds": st.sampled_from([0, 5, 30]),
        "working_hours.enabled": st.booleans(),
        "working_hours.days": st.sets(st.sampled_from(DAYS), min_size=1).map(
            lambda days: ",".join(d for d in DAYS if d in days)
        ),
        # The safety profile: extra care caps rounds at 10 minutes, also a running one.
        "therapy.reduced_skin_feeling": st.booleans(),
        "therapy.cold_sensitivity": st.booleans(),
        "therapy.diabetes_or_neuropathy": st.booleans(),
    }
).flatmap(
    lambda values: st.builds(
        lambda start, end: {**values, **_hours(start, end)},
        st.sampled_from(TIMES),
        st.sampled_from(TIMES),
    )
)


class CallsAndTyping(FakePresence):
    """A presence that also tells calls (``call``) and typing (no pause until
    ``typing_until``)."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__(clock)
        self.call = False
        self.typing_until = T0 - timedelta(hours=1)

    def in_call(self) -> bool:
        return self.call

    def input_idle_seconds(self) -> float | None:
        assert self.clock is not None
        now = self.clock.now()
        return (now - min(now, self.typing_until)).total_seconds()


class EngineMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="neckcare-invariants-"))
        self.path = self.folder / "history.sqlite3"
        self.clock = ManualClock(T0)
        self.presence = CallsAndTyping(self.clock)
        self.rec = Recorder()
        self.settings = default_settings()
        self.history = HistoryStore(self.path)
        self.sched = FakeScheduler()
        self.engine = self._engine()
        #: Real time = wall clock + this offset (the wall clock may be set; real time not).
        self.offset = 0.0
        #: Real time the last ice round that starts a rest ended; None when unknown.
        self.ice_end: float | None = None
        #: The running session as the model sees it: its key, real start, planned seconds,
        #: and whether the computer slept while it ran.
        self.session: tuple[object, float, int, bool] | None = None
        #: Real time the ice last went on (a start, or "put it back on"); None while off.
        self.ice_on_since: float | None = None
        self.stops = 0
        #: (vii) the kind of the last break taken and the real time it ended; None once
        #: the person was back since (or the engine had to assume time passed).
        self.rested: tuple[BreakKind, float] | None = None
        self.trouble = LogCollector()  # every WARNING+ record in a step fails that step
        logging.getLogger().addHandler(self.trouble)

    def _engine(self) -> Engine:
        engine = Engine(self.settings, self.history, self.sched, self.clock, presence=self.presence)
        engine.subscribe(self.rec)
        engine.subscribe(self._watch)
        return engine

    def _watch(self, event: ev.EngineEvent) -> None:
        """(iii) a posture break that covers a postponed micro-break carries its count."""
        if isinstance(event, ev.TherapyEnded) and event.finished.session.kind is ICE:
            self.ice_end = self.real
        if isinstance(event, ev.TherapyEnded):
            self.ice_on_since = None
        if isinstance(event, ev.TherapySwitched):
            self.ice_on_since = self.real if event.on else None
        if isinstance(event, ev.BreakDue):
            # (v) a call that holds breaks lets none come due.
            assert not (self.presence.call and self.engine.settings.breaks.respect_calls)
        if isinstance(event, ev.BreakFinished) and (event.completed or event.shortened):
            self.rested = (event.brk.kind, self.real)
        if isinstance(event, ev.NaturalBreak) and self.rested is not None:
            # (vii) the rest of a break just taken is not another break taken while away.
            rested, ended = self.rested
            for kind in map(BreakKind, event.kinds):
                if kind is rested or rested is POSTURE:
                    length = self.engine.breaks.config.timing(kind).duration.total_seconds()
                    assert self.real - ended >= length, (
                        f"{kind} taken while away {self.real - ended:.1f} s after a {rested} break"
                    )
        breaks = self.engine.breaks
        if (
            isinstance(event, ev.BreakDue)
            and event.brk.kind is POSTURE
            and breaks.config.micro.enabled
        ):
            # Just fired: the micro-break it folded in still has its postpones on record.
            assert event.brk.postpones >= breaks.postpones(MICRO), event.brk

    @initialize()
    def start(self) -> None:
        self.engine.start()

    def teardown(self) -> None:
        logging.getLogger().removeHandler(self.trouble)
        self.engine.shutdown()
        self.history.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- time --------------------------------------------------------------------------

    def _poll(self) -> None:
        self.engine.on_presence(self.presence.away_seconds())
        assert not self.engine.watchdog_check(), "the watchdog had to repair"

    @rule(
        seconds=st.sampled_from([5, 20, 45, 90, 300, 600, 1500, 3000, 7200, 6 * 3600]),
        poll=st.booleans(),
    )
    def pass_time(self, seconds: int, poll: bool) -> None:
        """Time passes with the app awake; its idle poll runs every 30 s (if ``poll``)."""
        left = seconds
        while left > 0:
            step = min(left, POLL_SECONDS if poll else left)
            self.sched.run_until(self.clock, step)
            left -= step
            if poll:
                self._poll()
            self._check_on_time()

    @rule(poll=st.booleans())
    def until_next_job(self, poll: bool) -> None:
        """Time passes until the next thing the engine planned happens (6 h at most)."""
        job = self.sched.next_job()
        if job is not None:
            seconds = (job.when - self.clock.now()).total_seconds()
            self.pass_time(max(1, min(int(seconds) + 1, 6 * 3600)), poll)

    @rule(seconds=st.sampled_from([30, 400, 3600]), stay_away=st.booleans())
    def away_for(self, seconds: int, stay_away: bool) -> None:
        """The person walks away for a while (and maybe comes back)."""
        self.leave()
        self.pass_time(seconds, poll=True)
        if not stay_away:
            self.come_back()

    @rule(action=st.sampled_from(["start", "postpone", "skip", "end early", "take now"]))
    def answer_due_break(self, action: str) -> None:
        """Wait (up to a working day) for a break to come due, then answer it."""
        for _ in range(20):
            active = self.engine.breaks.active
            if active is not None and active.phase is BreakPhase.DUE:
                break
            if self.sched.next_job() is None:
                return
            self.until_next_job(poll=True)
        if action == "start":
            self.start_break()
        elif action == "postpone":
            self.postpone_break()
        elif action == "skip":
            self.skip_break()
        elif action == "end early":
            self.start_break()
            self.skip_break()
        else:
            self.take_break_now(BreakKind.POSTURE)

    @rule(reason=st.sampled_from([None, "a fullscreen window (Slides)"]))
    def fullscreen(self, reason: str | None) -> None:
        """A fullscreen window opens or closes: due breaks wait (30 min at most)."""
        self.presence.dnd = reason

    @rule(on=st.booleans(), told=st.booleans())
    def call(self, on: bool, told: bool) -> None:
        """A call starts or ends; the detector tells the engine (or the change is missed,
        and only the engine's own look notices it)."""
        self.presence.call = on
        if told:
            self.engine.calls_changed()

    @rule(seconds=st.sampled_from([0, 3, 10, 120, 3600]))
    def typing(self, seconds: int) -> None:
        """The person types without a pause for ``seconds`` from now (0: stops now)."""
        self.presence.typing_until = self.clock.now() + timedelta(seconds=seconds)

    @rule()
    def leave(self) -> None:
        if self.presence.away_from is None:
            self.presence.leave()

    @rule()
    def come_back(self) -> None:
        self.presence.back()
        self.rested = None  # (vii) input: time away after it is a rest of its own
        self.engine.on_presence(self.presence.away_seconds())

    @rule(seconds=st.sampled_from([60, 900, 3600, 9 * 3600]))
    def suspend(self, seconds: int) -> None:
        """The computer sleeps: the wall clock and real time move, no job runs meanwhile."""
        self.clock.set(self.clock.now() + timedelta(seconds=seconds))
        if self.session is not None:
            self.session = (*self.session[:3], True)
        self.ice_on_since = None  # asleep: no alert could come on time
        self.engine.on_clock_jump(seconds, slept=True)
        self.sched.run_due(self.clock)

    @rule(
        seconds=st.sampled_from([-7200, -3600, -600, 600, 3600, 7200]),
        known=st.booleans(),
    )
    def set_clock(self, seconds: int, known: bool) -> None:
        """The clock is set: the wall clock moves, real time and idle time do not."""
        delta = timedelta(seconds=seconds)
        self.clock.set(self.clock.now() + delta)
        self.offset -= seconds
        if self.presence.away_from is not None:
            self.presence.away_from += delta
        if known or seconds < 0:
            self.engine.on_clock_jump(seconds, slept=False)
        else:
            # Cannot tell a clock change from a sleep: the engine must assume the time
            # passed, so the rest may end early by the model's real clock; not checked.
            self.ice_end = None
            self.ice_on_since = None
            self.rested = None  # (vii) nor whether the time away is real
            self.engine.on_clock_jump(seconds)
        self.sched.run_due(self.clock)

    # -- settings, pause, restart --------------------------------------------------------

    @rule(change=SETTINGS_CHANGES)
    def change_settings(self, change: dict[str, object]) -> None:
        self.settings = _changed(self.settings, change)
        self.engine.apply_settings(self.settings)

    @rule(micro_seconds=st.sampled_from([10, 20, 60]), posture_minutes=st.sampled_from([1, 2, 5]))
    def change_break_lengths(self, micro_seconds: int, posture_minutes: int) -> None:
        """(vi) The break lengths change, maybe while a break is due or running."""
        self.change_settings(
            {
                "breaks.micro.duration_seconds": micro_seconds,
                "breaks.posture.duration_minutes": posture_minutes,
            }
        )

    @rule(choice=st.sampled_from(["30", "60", "120", "tomorrow"]))
    def pause(self, choice: str) -> None:
        self.engine.pause(choice)

    @rule()
    def resume(self) -> None:
        self.engine.resume()

    @rule(down_for=st.sampled_from([0, 60, 600, 3600]), crash=st.booleans())
    def restart(self, down_for: int, crash: bool) -> None:
        """NeckCare quits (or dies) and starts again ``down_for`` seconds later."""
        if not crash:  # a crash: its scheduler and timers are simply gone
            self.engine.shutdown()
        self.history.close()
        if down_for:
            self.clock.set(self.clock.now() + timedelta(seconds=down_for))
            if self.session is not None:
                self.session = (*self.session[:3], True)  # on the skin while nobody watched
            self.ice_on_since = None
        self.history = HistoryStore(self.path)
        self.sched = FakeScheduler()
        self.engine = self._engine()
        self.engine.start()
        self.sched.run_due(self.clock)

    # -- break intents -------------------------------------------------------------------

    def _snapshot(self) -> tuple[object, ...]:
        b = self.engine.breaks
        return (
            b.active,
            dict(b.next_due),
            {k: b.postpones(k) for k in BreakKind},
            b.paused_until,
            {name: job.when for name, job in self.sched.jobs.items()},
            len(self.history.recent(limit=100_000)),
            self.engine.status().lines,
        )

    def _refusable(self, intent) -> object:
        before = self._snapshot()
        try:
            return intent()
        except BreakStateError:
            # (iv) a refused intent changes nothing behind the person's back.
            assert self._snapshot() == before
            return None

    @rule()
    def start_break(self) -> None:
        self._refusable(self.engine.start_break)

    @rule()
    def postpone_break(self) -> None:
        brk = self._refusable(self.engine.postpone_break)
        if brk is not None:
            # (iii) never more postpones in a row than allowed.
            assert brk.postpones <= self.engine.breaks.config.max_postpones

    @rule()
    def skip_break(self) -> None:
        """Skip on the prompt, or "end early" on a running break."""
        self._refusable(self.engine.skip_break)

    @rule(kind=st.sampled_from(BreakKind))
    def take_break_now(self, kind: BreakKind) -> None:
        self.engine.take_break_now(kind)

    @rule()
    def postpone_upcoming(self) -> None:
        before = self._snapshot()
        moved = self.engine.postpone_upcoming()
        if moved is None:
            assert self._snapshot() == before
            return
        kind, _ = moved
        assert self.engine.breaks.postpones(kind) <= self.engine.breaks.config.max_postpones

    # -- therapy intents -----------------------------------------------------------------

    @rule(
        kind=st.sampled_from(TherapyKind),
        minutes=st.sampled_from([None, 1, 2, 5, 10, 15, 20, 21, 30, 45]),
        confirm=st.booleans(),
        intermittent=st.booleans(),
    )
    def start_therapy(
        self, kind: TherapyKind, minutes: int | None, confirm: bool, intermittent: bool = False
    ) -> None:
        before = (self.engine.therapy.active, self.engine.therapy.ice_rest_until)
        rows = len(self.history.recent(limit=100_000))
        suggested = self.engine.suggested_minutes(kind)
        try:
            session = self.engine.start_therapy(
                kind, minutes, confirm_during_rest=confirm, intermittent=intermittent
            )
        except TherapyError:
            assert (self.engine.therapy.active, self.engine.therapy.ice_rest_until) == before
            assert len(self.history.recent(limit=100_000)) == rows
            return
        if minutes is None and not intermittent:
            assert session.planned_seconds == suggested * 60
            if kind is ICE and self._acute():
                assert session.planned_seconds <= 10 * 60, "acute phase: 10-minute rounds"
        if kind is ICE:
            self.ice_on_since = self.real
        self.session = (session.key, self.real, session.span_seconds, False)

    def _acute(self) -> bool:
        now = self.clock.now()
        return any(guidance.phase(e, now) == "acute" for e in self.history.open_episodes())

    @rule(hours_ago=st.sampled_from([0, 1, 47, 49, 24 * 30]), resolve=st.booleans())
    def spasm(self, hours_ago: int, resolve: bool) -> None:
        """A spasm is logged (the first 48 hours are the acute phase), or the open ones
        resolved."""
        now = self.clock.now()
        if resolve:
            for episode in self.history.open_episodes():
                if episode.started_at <= now:
                    self.history.resolve_episode(episode.id, now)
            return
        self.history.log_episode(now - timedelta(hours=hours_ago), 5, now=now)

    @property
    def real(self) -> float:
        return self.clock.now().timestamp() + self.offset

    @rule(
        kind=st.sampled_from(TherapyKind),
        end=st.sampled_from(["stop after 1 min", "stop after 5 min", "alert"]),
    )
    def therapy_round(self, kind: TherapyKind, end: str) -> None:
        """A whole round: started (confirming any rest), then stopped or run to its alert."""
        if self.engine.therapy.active is None:
            self.start_therapy(kind, 5, confirm=True)
        if end == "alert":
            self.until_next_job(poll=True)  # at most 5 min away, or it is already over
            while self.engine.therapy.active is not None and self.sched.next_job() is not None:
                self.until_next_job(poll=True)
        else:
            self.pass_time(60 if end == "stop after 1 min" else 300, poll=True)
            self.stop_therapy()

    @rule(end=st.sampled_from(["stop in the off part", "numb after 3 min", "alert"]))
    def intermittent_session(self, end: str) -> None:
        """A whole "10 on · 10 off · 10 on" session: stopped, numb, or run to its alert."""
        if self.engine.therapy.active is None:
            self.start_therapy(ICE, None, confirm=True, intermittent=True)
        if end == "alert":
            while self.engine.therapy.active is not None and self.sched.next_job() is not None:
                self.until_next_job(poll=True)
        elif end == "stop in the off part":
            self.pass_time(900, poll=True)
            self.stop_therapy()
        else:
            self.pass_time(180, poll=True)
            self.stop_therapy(numb=True)

    @rule(numb=st.booleans())
    def stop_therapy(self, numb: bool = False) -> None:
        active = self.engine.therapy.active
        try:
            finished = self.engine.stop_therapy(skin_numb=numb)
        except TherapyError:
            if numb and active is not None:  # "my skin is numb" is for ice only
                assert active.kind is HEAT and self.engine.therapy.active == active
                return
            assert self.engine.therapy.active is None
            return
        assert finished.skin_numb == numb
        self.ice_on_since = None
        self.stops += 1
        if finished.session.kind is ICE and not finished.cancelled:
            self.ice_end = self.real

    # -- invariants ----------------------------------------------------------------------

    def _check_on_time(self) -> None:
        """(ii) an ice or heat session never stays on past planned + grace, awake."""
        active = self.engine.therapy.active
        if active is None:
            self.session = None
            return
        if active.kind is ICE:
            assert active.planned_seconds <= 20 * 60
            assert all(part <= 20 * 60 for part in active.parts[0::2])
            if self.ice_on_since is not None:
                on_for = self.real - self.ice_on_since
                assert on_for <= 20 * 60 + OVERRUN_GRACE_SECONDS, f"ice on for {on_for:.0f} s"
        if self.session is None or self.session[0] != active.key:
            # Resumed by a restart the model did not see start (cannot happen here).
            raise AssertionError(f"unknown session running: {active}")
        _, real_start, planned, slept = self.session
        if not slept:
            assert self.real - real_start <= planned + OVERRUN_GRACE_SECONDS, (
                f"{active.kind} on for {self.real - real_start:.0f} s, planned {planned} s"
            )

    @invariant()
    def no_trouble_logged(self) -> None:
        records = [f"{r.name}: {r.getMessage()}" for r in self.trouble.records]
        self.trouble.records.clear()
        assert not records, records

    @invariant()
    def therapy_on_time_and_ends_once(self) -> None:
        self._check_on_time()
        rows = self.history.latest_inserted(
            {EventKind.THERAPY_STARTED, EventKind.THERAPY_SWITCHED, *ENDS}, limit=100_000
        )[::-1]
        open_session = False
        switches: list[str] | None = None  # the running session's, if intermittent
        for row in rows:
            if row.kind is EventKind.THERAPY_SWITCHED:
                assert open_session and switches is not None, "a switch outside a session"
                switches.append(row.note or "")
                assert switches == ["off", "on"][: len(switches)], switches
                continue
            if row.kind is EventKind.THERAPY_STARTED:
                assert not open_session, "a session started while another was not ended"
                open_session = True
                parsed = parse_note(row.note)
                intermittent = parsed is not None and parsed.code is NoteCode.INTERMITTENT
                switches = [] if intermittent else None
            else:
                assert open_session, f"{row.kind} ended no session"
                open_session = False
        assert open_session == (self.engine.therapy.active is not None)
        rows = [row for row in rows if row.kind is not EventKind.THERAPY_SWITCHED]
        alerts = sum(row.kind in ALERTS for row in rows)
        assert len(self.rec.of(ev.TherapyEnded)) == alerts
        stopped = sum(
            row.kind in (EventKind.THERAPY_STOPPED_EARLY, EventKind.THERAPY_CANCELLED)
            for row in rows
        )
        assert stopped == self.stops

    @invariant()
    def ice_rest_enforced(self) -> None:
        """(ii) the skin's rest after an ice round holds, across restarts and clock sets."""
        rest = self.engine.therapy.rules.ice_rest_minutes * 60
        if self.ice_end is not None and self.real - self.ice_end < rest - 1:
            assert self.engine.therapy.rest_remaining(self.clock.now()) is not None, (
                f"ice ended {self.real - self.ice_end:.0f} s ago and no rest"
            )

    @invariant()
    def next_break_planned(self) -> None:
        engine = self.engine
        status = engine.status()
        if self.presence.away_from is None:
            assert not status.away, "back at the computer, but reported away"
        enabled = any(engine.breaks.config.timing(k).enabled for k in BreakKind)
        if (
            enabled
            and engine.breaks.paused_until is None
            and engine.hours.is_within(self.clock.now(), self.clock)
            and engine.breaks.active is None
            and not status.away
        ):
            # (i, v) planned, or held for a stated reason (a window, do-not-disturb, a
            # call) with its look-again job: never silently dropped.
            assert JOB_BREAK_DUE in self.sched.jobs, status.lines
            if status.held_reason is None:
                assert status.next_break is not None, status.lines
        if status.held_reason is not None and engine.in_call() and not status.away:
            # (ice/heat first; time away is said before a held break: it counts as the break)
            assert "In a call: breaks wait" in status.lines, status.lines

    @invariant()
    def breaks_keep_their_own_length(self) -> None:
        """(vi) the rows of a started break all say the length it started with."""
        kinds = {
            EventKind.BREAK_STARTED,
            EventKind.BREAK_COMPLETED,
            EventKind.BREAK_SKIPPED,
            EventKind.BREAK_INTERRUPTED,
        }
        rows = self.history.latest_inserted(kinds, limit=100_000)[::-1]
        started = None  # the started row of the break still open
        for row in rows:
            if row.kind is EventKind.BREAK_STARTED:
                assert started is None, "a break started while another was not ended"
                started = row
                continue
            if started is None:
                assert row.planned_seconds is None, row  # a due break skipped: no length
                continue
            assert (row.subject, row.planned_seconds) == (
                started.subject,
                started.planned_seconds,
            ), (started, row)
            parsed = parse_note(row.note)
            if row.kind is EventKind.BREAK_COMPLETED and parsed is None:  # ran out
                assert row.actual_seconds == row.planned_seconds, row
            started = None
        active = self.engine.breaks.active
        if active is not None and active.phase is BreakPhase.RUNNING:
            assert started is not None and active.started_at and active.ends_at
            planned = self.engine.scale.app_seconds(active.ends_at - active.started_at)
            assert round(planned) == started.planned_seconds, (active, started)

    @invariant()
    def a_running_break_is_not_time_away(self) -> None:
        """(vii) a break started while away ended the time away: the break is the rest."""
        active = self.engine.breaks.active
        if active is not None and active.phase is BreakPhase.RUNNING:
            assert not self.engine.status().away, self.engine.status().lines

    @invariant()
    def waits_for_a_pause_a_minute_at_most(self) -> None:
        """(v) a due break waiting for a pause in typing has its job within the minute,
        and nothing else holds it (the minute counts from when nothing did)."""
        since = self.engine._pause_wait_since
        if since is not None:
            assert self.engine._held_since is None, "held and waiting for a pause at once"
            assert self.engine.status().held_reason is None
            minute = timedelta(seconds=60)
            assert self.clock.now() - since <= minute
            assert self.sched.jobs[JOB_BREAK_DUE].when <= since + minute


EngineMachine.TestCase.settings = settings(
    max_examples=MAX_EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestEngineInvariants = EngineMachine.TestCase


# -- regression tests: one per defect found -----------------------------------------------


def away_until_counted(rig: Rig, minutes: int = 6) -> None:
    """The person walks away; the idle poll notices and counts the time as breaks."""
    rig.presence.leave()
    rig.run(minutes=minutes)
    rig.poll()
    assert rig.engine.status().away


def test_a_natural_breaks_off_while_away_plans_the_next_break(clock, history):
    """(a) Turning "count time away as a break" off while away left "Away" for good."""
    rig = make_rig(clock, history)
    away_until_counted(rig)
    rig.presence.back()
    rig.engine.apply_settings(tweak(rig.engine.settings, **{"breaks.natural_breaks": False}))
    assert not rig.engine.status().away
    rig.poll()  # on_presence returned early with natural breaks off: never came "back"
    status = rig.engine.status()
    assert status.next_break is not None and JOB_BREAK_DUE in rig.sched.jobs
    assert status.lines[0].startswith("Next break in")


def test_coming_back_during_a_pause_is_not_away(clock, history):
    """Found by the state machine: back at the desk while paused still said "away"."""
    rig = make_rig(clock, history)
    away_until_counted(rig)
    rig.engine.pause("30")
    rig.presence.back()
    rig.poll()
    assert not rig.engine.status().away
    rig.engine.resume()
    assert JOB_BREAK_DUE in rig.sched.jobs


def test_c_a_folded_micro_breaks_postpones_carry_into_the_posture_break(clock, history):
    """(c) A micro-break postponed 3 times and folded into a posture break got 3 more."""
    rig = make_rig(clock, history, tweak(default_settings(), **{"breaks.postpone_minutes": 10}))
    rig.to(at(9, 20))
    for minute in (30, 40):
        rig.engine.postpone_break()  # micro 09:30, 09:40
        rig.to(at(9, minute))
    rig.engine.postpone_break()  # micro 09:50: folded into the 09:50 posture break
    rig.to(at(9, 49, 30))
    assert not rig.rec.of(ev.BreakWarning)[-1].can_postpone
    assert rig.engine.postpone_upcoming() is None
    rig.to(at(9, 50))
    due = rig.rec.of(ev.BreakDue)[-1]
    assert (due.brk.kind, due.brk.postpones, due.can_postpone) == (POSTURE, 3, False)
    with pytest.raises(BreakStateError, match="3 times"):
        rig.engine.postpone_break()
    assert len(rig.rows(EventKind.BREAK_POSTPONED)) == 3


def test_refused_intents_change_nothing(clock, history):
    """(iv) Skip refused by strict mode (switched on while due) leaves the break due."""
    rig = make_rig(clock, history)
    rig.to(at(9, 20))
    rig.engine.apply_settings(tweak(rig.engine.settings, **{"breaks.strict": True}))
    before = (rig.engine.breaks.active, rig.status, rig.sched.pending(), len(rig.rows()))
    for intent in (rig.engine.skip_break, rig.engine.postpone_break):
        with pytest.raises(BreakStateError):
            intent()
        assert (rig.engine.breaks.active, rig.status, rig.sched.pending(), len(rig.rows())) == (
            before
        )
    rig.engine.start_break()
    running = rig.engine.breaks.active
    with pytest.raises(BreakStateError):
        rig.engine.skip_break()  # "end early" in strict mode
    assert rig.engine.breaks.active == running
    with pytest.raises(BreakStateError):
        rig.engine.start_break()  # nothing due any more
    assert rig.engine.breaks.active == running


# -- the watchdog -------------------------------------------------------------------------


def polls(rig: Rig, minutes: float) -> list[bool]:
    """The app's idle poll every 30 s for ``minutes``; what the watchdog said each time."""
    said = []
    for _ in range(round(minutes * 2)):
        rig.run(seconds=30)
        rig.poll()
        said.append(rig.engine.watchdog_check())
    return said


def test_the_watchdog_plans_a_break_lost_for_the_longest_interval_plus_a_minute(
    clock, history, expect_log
):
    expect_log("neckcare_desktop.core.engine", logging.ERROR, r"watchdog: no break planned")
    rig = make_rig(clock, history)
    rig.sched.cancel(JOB_BREAK_DUE)  # a bug loses the job: nothing would ever come due
    said = polls(rig, 50)  # longest interval 50 min (posture), plus a minute
    assert not any(said) and JOB_BREAK_DUE not in rig.sched.jobs
    said = polls(rig, 1.5)
    assert said.count(True) == 1
    assert JOB_BREAK_DUE in rig.sched.jobs and rig.engine.status().next_break is not None
    [repair] = rig.rows(EventKind.WATCHDOG_REPAIR)
    assert repair.note.startswith("no break planned for 51 min; next due micro=")
    rig.run(minutes=1)
    assert rig.rec.of(ev.BreakDue), "the overdue break comes at once"


def test_the_watchdog_restarts_counting_when_no_break_is_due_at_all(clock, history, expect_log):
    expect_log("neckcare_desktop.core.engine", logging.ERROR, r"watchdog")
    rig = make_rig(clock, history)
    for kind in BreakKind:  # a state no transition should leave behind
        rig.engine.breaks.plan(kind, None)
    rig.sched.cancel(JOB_BREAK_DUE)
    assert any(polls(rig, 52))
    assert rig.engine.status().lines[0] == "Next break in 20 min"


def test_the_watchdog_leaves_paused_away_off_hours_and_due_alone(clock, history):
    rig = make_rig(clock, history, tweak(default_settings(), **{"working_hours.enabled": True}))
    rig.engine.pause("120")
    assert not any(polls(rig, 100))
    rig.engine.resume()
    rig.presence.leave()
    assert not any(polls(rig, 100))  # away: nothing comes due until the return
    rig.presence.back()
    rig.poll()
    rig.to(at(17, 0))
    assert not any(polls(rig, 120))  # off hours from 17:30
    rig.to(at(9, 0, day=3))
    assert not any(polls(rig, 25))
    assert rig.engine.breaks.active is not None  # due since 09:20, waiting for an answer
    assert not any(polls(rig, 120))
    assert rig.rows(EventKind.WATCHDOG_REPAIR) == []


def test_a_held_break_postponed_from_its_warning_still_comes(clock, history):
    """Found by the state machine: a break held for a fullscreen window and then postponed
    (the warning's Postpone, clicked late) left the engine "holding" with no job: no break
    ever came again."""
    rig = make_rig(clock, history)
    rig.presence.dnd = "a fullscreen window (Slides)"
    rig.to(at(9, 21))  # the 09:20 micro-break waits
    assert rig.status[0].startswith("Break waiting")
    rig.engine.postpone_upcoming()  # to 09:26
    rig.run(seconds=30)  # the look-again job runs, finds nothing due
    assert JOB_BREAK_DUE in rig.sched.jobs
    assert rig.status[0] == "Next break in 5 min"
    rig.presence.dnd = None
    rig.to(at(9, 26))
    assert rig.due() == [(MICRO, at(9, 26))]


def test_away_during_a_call_says_away_and_the_time_away_is_the_break() -> None:
    """Found by the state machine (the check, not the engine): a break held for a call
    whose end went unnoticed, the person away, the clock set back, a call again. The
    status says "Away" (before a held break, as always), and back at the desk the time
    away counted as the break."""
    machine = EngineMachine()
    try:
        machine.start()
        machine.call(on=True, told=False)
        machine.leave()
        machine.until_next_job(poll=False)  # 09:20: held for the call
        machine.call(on=False, told=False)
        machine.set_clock(known=False, seconds=-7200)
        machine.call(on=True, told=False)
        assert machine.engine.status().lines == ("Away: breaks count while you are away",)
        machine.next_break_planned()
        machine.come_back()
        assert machine.engine.status().lines == ("In a call: breaks wait", "Next break in 20 min")
        assert [e.kinds for e in machine.rec.of(ev.NaturalBreak)] == [("posture",)]  # 20 min
    finally:
        machine.teardown()


def test_the_watchdog_raises_an_ice_alert_whose_job_was_lost(clock, history, expect_log):
    expect_log("neckcare_desktop.core.engine", logging.ERROR, r"watchdog: ice planned to end")
    rig = make_rig(clock, history)
    rig.engine.start_therapy(ICE)
    rig.sched.cancel(JOB_THERAPY_END)
    said = polls(rig, 17)  # ends 09:15; one grace minute; the poll every 30 s
    assert said.count(True) == 1
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.ended_at <= at(9, 16, 30)
    assert "take it off now" in ended.advice
    [repair] = rig.rows(EventKind.WATCHDOG_REPAIR)
    assert repair.subject == "ice" and "no alert yet" in repair.note


def test_an_ice_alert_only_late_is_no_repair(clock, history):
    """A process stopped or starved past the end still has its job: the watchdog, asked
    first, alerts through the normal path and logs no error (nothing was lost)."""
    rig = make_rig(clock, history)
    rig.engine.start_therapy(ICE)
    clock.advance(timedelta(minutes=15 + 8))  # the job did not run: the process was stopped
    assert rig.engine.watchdog_check() is False
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert "take it off now" in ended.advice  # late: said as an overrun
    assert rig.rows(EventKind.WATCHDOG_REPAIR) == []
    assert [r.kind for r in rig.rows(EventKind.THERAPY_OVERRUN)] == [EventKind.THERAPY_OVERRUN]
