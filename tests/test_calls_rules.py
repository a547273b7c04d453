"""Issue 17's engine rules, on the manual clock: breaks wait for the end of a call, and
start at a pause in typing (a minute at most); therapy alerts never wait."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pytest

from fakes import FakePresence, Rig, at, make_rig, tweak
from neckcare_desktop.core import events as ev
from neckcare_desktop.core.breaks import BreakKind
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.jobs import JOB_BREAK_DUE
from neckcare_desktop.core.settings import Settings, default_settings
from neckcare_desktop.core.therapy import TherapyKind
from neckcare_desktop.core.timescale import TimeScale

MICRO, POSTURE = BreakKind.MICRO, BreakKind.POSTURE
CALL_ENDED = "Your call ended: time for the break you held"
IN_A_CALL = "In a call: breaks wait"
LONG_AGO = datetime(2000, 1, 1, tzinfo=at(9, 0).tzinfo)


class CallPresence(FakePresence):
    """A presence that can tell calls and typing: ``call`` is the detector's state, and
    the person types without a pause until ``typing_until``."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__(clock)
        self.call = False
        self.typing_until = LONG_AGO
        self.can_tell_typing = True

    def in_call(self) -> bool:
        return self.call

    def input_idle_seconds(self) -> float | None:
        if not self.can_tell_typing:
            return None
        assert self.clock is not None
        last_input = min(self.clock.now(), self.typing_until)
        return (self.clock.now() - last_input).total_seconds()


@dataclass
class CallRig(Rig):
    presence: CallPresence
    #: Each break offered: its kind, when (the clock), and the reason it gave.
    shown: list[tuple[BreakKind, datetime, str | None]] = field(default_factory=list)

    def call(self, on: bool) -> None:
        """The detector's change, as the app passes it on."""
        self.presence.call = on
        self.engine.calls_changed()

    def offered(self) -> list[tuple[BreakKind, datetime, str | None]]:
        return self.shown

    def _listen(self, event: ev.EngineEvent) -> None:
        if isinstance(event, ev.BreakDue):
            self.shown.append((event.brk.kind, self.clock.now(), event.reason))


def call_rig(
    clock: ManualClock,
    history: HistoryStore,
    s: Settings | None = None,
    *,
    scale: TimeScale | None = None,
) -> CallRig:
    base = make_rig(clock, history, s, scale=scale, start=False)
    presence = CallPresence(clock)
    base.engine.presence = presence
    rig = CallRig(base.engine, base.sched, base.rec, clock, history, presence)
    rig.engine.subscribe(rig._listen)
    rig.engine.start()
    return rig


@pytest.fixture
def rig(clock: ManualClock, history: HistoryStore) -> CallRig:
    return call_rig(clock, history)


# -- in a call, breaks wait ------------------------------------------------------------------


def test_a_call_holds_the_due_break_without_a_cap_and_it_comes_once_when_the_call_ends(
    rig: CallRig,
) -> None:
    rig.to(at(9, 10))
    rig.call(True)
    assert rig.status == (IN_A_CALL, "Next break in 10 min")
    rig.to(at(9, 20))
    assert rig.offered() == []
    assert rig.status[0] == IN_A_CALL
    data = rig.engine.status().to_json()
    assert (data["in_call"], data["held_for"]) == (True, "in a call")
    rig.to(at(10, 40))  # past the posture break's 09:50 and do-not-disturb's 30-min cap
    assert rig.offered() == [] and rig.status[0] == IN_A_CALL
    assert JOB_BREAK_DUE in rig.sched.jobs  # still looking (the watchdog has nothing to heal)
    rig.call(False)
    # At once, once: the posture break covers the micro-break held with it.
    assert rig.offered() == [(POSTURE, at(10, 40), CALL_ENDED)]
    rig.run(minutes=3)
    assert len(rig.offered()) == 1
    assert [r.subject for r in rig.rows(EventKind.BREAK_DUE)] == ["posture"]
    rig.engine.start_break()
    rig.run(minutes=5)
    assert rig.status == ("Next break in 20 min",)


def test_a_call_ending_unannounced_is_noticed_within_a_minute(rig: CallRig) -> None:
    rig.presence.call = True  # no calls_changed(): the change was not pushed
    rig.to(at(9, 25))
    assert rig.offered() == []
    rig.presence.call = False
    rig.run(seconds=60)
    [(kind, when, reason)] = rig.offered()
    assert (kind, reason) == (MICRO, CALL_ENDED)
    assert at(9, 25) <= when <= at(9, 26)


def test_a_micro_break_held_for_three_intervals_is_offered_once(
    clock: ManualClock, history: HistoryStore
) -> None:
    rig = call_rig(clock, history, tweak(default_settings(), **{"breaks.posture.enabled": False}))
    rig.call(True)
    rig.to(at(10, 10))  # 09:20, 09:40, 10:00 would each have been a micro-break
    rig.call(False)
    assert rig.offered() == [(MICRO, at(10, 10), CALL_ENDED)]
    rig.engine.start_break()
    rig.to(at(10, 30))
    assert len(rig.offered()) == 1  # the next counts from the end of the one taken
    rig.to(at(10, 30, 20))
    assert rig.offered()[1:] == [(MICRO, at(10, 30, 20), None)]


def test_a_break_on_time_gives_no_reason(rig: CallRig) -> None:
    rig.call(True)
    rig.call(False)  # a call over before anything was due holds nothing
    rig.to(at(9, 20))
    assert rig.offered() == [(MICRO, at(9, 20), None)]


def test_therapy_alerts_never_wait_for_a_call(rig: CallRig) -> None:
    rig.engine.start_therapy(TherapyKind.ICE)
    rig.call(True)
    rig.to(at(9, 15))
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.ended_at == at(9, 15)
    assert rig.rows(EventKind.THERAPY_COMPLETED)


def test_respect_calls_off_lets_breaks_interrupt_calls(
    clock: ManualClock, history: HistoryStore
) -> None:
    rig = call_rig(clock, history, tweak(default_settings(), **{"breaks.respect_calls": False}))
    rig.call(True)
    assert rig.status == ("Next break in 20 min",)
    rig.to(at(9, 20))
    assert rig.offered() == [(MICRO, at(9, 20), None)]
    assert rig.engine.status().to_json()["in_call"] is False


def test_turning_respect_calls_off_during_a_call_offers_the_held_break_at_once(
    rig: CallRig,
) -> None:
    rig.call(True)
    rig.to(at(9, 30))
    rig.engine.apply_settings(tweak(rig.engine.settings, **{"breaks.respect_calls": False}))
    assert rig.offered() == [(MICRO, at(9, 30), CALL_ENDED)]


def test_no_warning_counts_down_to_a_break_that_will_wait_for_the_call(rig: CallRig) -> None:
    rig.engine.apply_settings(tweak(rig.engine.settings, **{"breaks.micro.enabled": False}))
    rig.call(True)
    rig.to(at(9, 50))
    assert rig.rec.of(ev.BreakWarning) == [] and rig.offered() == []


def test_idle_time_in_a_call_is_not_a_break_taken(rig: CallRig) -> None:
    """Listening without typing for half an hour is a meeting, not rest."""
    rig.call(True)
    rig.presence.leave()  # no key press for the whole call
    for _ in range(60):
        rig.run(seconds=30)
        rig.poll()
    assert not rig.engine.status().away
    assert rig.rows(EventKind.BREAK_NATURAL) == []
    rig.presence.back()
    rig.call(False)
    assert rig.offered() == [(MICRO, at(9, 30), CALL_ENDED)]


# -- breaks start at a pause in typing ---------------------------------------------------


def test_a_break_due_while_typing_starts_at_the_first_5_s_pause(rig: CallRig) -> None:
    rig.presence.typing_until = at(9, 20, 7)
    rig.to(at(9, 20, 11))
    assert rig.offered() == []
    rig.to(at(9, 20, 13))
    assert rig.offered() == [(MICRO, at(9, 20, 12), None)]


def test_typing_on_and_off_waits_for_a_whole_pause(rig: CallRig) -> None:
    rig.presence.typing_until = at(9, 20, 3)
    rig.to(at(9, 20, 6))  # 3 s after the last key: not yet
    rig.presence.typing_until = at(9, 20, 10)  # typing again
    rig.to(at(9, 20, 14))
    assert rig.offered() == []
    rig.to(at(9, 20, 30))
    assert rig.offered() == [(MICRO, at(9, 20, 15), None)]


def test_without_a_pause_the_break_starts_after_a_minute(rig: CallRig) -> None:
    rig.presence.typing_until = at(10, 0)
    rig.to(at(9, 20, 59))
    assert rig.offered() == []
    rig.to(at(9, 21, 30))
    assert rig.offered() == [(MICRO, at(9, 21), None)]


def test_the_posture_warning_comes_on_time_while_typing(
    clock: ManualClock, history: HistoryStore
) -> None:
    rig = call_rig(clock, history, tweak(default_settings(), **{"breaks.micro.enabled": False}))
    rig.presence.typing_until = at(10, 0)
    warned: list[datetime] = []
    rig.engine.subscribe(
        lambda e: warned.append(clock.now()) if isinstance(e, ev.BreakWarning) else None
    )
    rig.to(at(9, 52))
    assert warned == [at(9, 49, 30)]
    assert rig.offered() == [(POSTURE, at(9, 51), None)]


@pytest.mark.parametrize("how", ["setting 0", "presence cannot tell"])
def test_no_waiting_when_off_or_typing_cannot_be_read(
    clock: ManualClock, history: HistoryStore, how: str
) -> None:
    s = default_settings()
    if how == "setting 0":
        s = tweak(s, **{"breaks.wait_for_pause_seconds": 0})
    rig = call_rig(clock, history, s)
    rig.presence.typing_until = at(10, 0)
    rig.presence.can_tell_typing = how == "setting 0"  # else None: this desktop cannot tell
    rig.to(at(9, 20))
    assert rig.offered() == [(MICRO, at(9, 20), None)]


def test_a_call_starting_while_the_break_waits_for_a_pause_holds_it(rig: CallRig) -> None:
    rig.presence.typing_until = at(10, 0)
    rig.to(at(9, 20, 30))
    rig.call(True)
    rig.to(at(9, 40))
    assert rig.offered() == [] and rig.status[0] == IN_A_CALL
    rig.presence.typing_until = at(9, 40)  # the call ends; the person stops typing
    rig.call(False)
    rig.to(at(9, 40, 10))
    assert rig.offered() == [(MICRO, at(9, 40, 5), CALL_ENDED)]


def test_after_a_call_the_break_still_waits_for_a_pause_a_minute_at_most(rig: CallRig) -> None:
    rig.call(True)
    rig.to(at(9, 30))
    rig.presence.typing_until = at(11, 0)  # typing the meeting's notes
    rig.call(False)
    rig.to(at(9, 32))
    assert rig.offered() == [(MICRO, at(9, 31), CALL_ENDED)]


FULLSCREEN = "a fullscreen window (Slides)"


def micro_only(clock: ManualClock, history: HistoryStore) -> CallRig:
    """Micro-breaks alone: no posture break comes due at 09:50 to cover the held one."""
    return call_rig(clock, history, tweak(default_settings(), **{"breaks.posture.enabled": False}))


def test_after_a_windows_30_minutes_typing_holds_the_break_a_minute_more_not_30(
    clock: ManualClock, history: HistoryStore
) -> None:
    """Found by the state machine: presenting, then typing on. The window held the break
    its 30 minutes; the wait for a pause then let the window start another 30."""
    rig = micro_only(clock, history)
    rig.presence.dnd = FULLSCREEN
    rig.presence.typing_until = at(11, 0)
    rig.to(at(9, 49, 59))
    assert rig.offered() == [] and rig.engine.status().held_reason == FULLSCREEN
    rig.to(at(9, 50, 30))  # the window's 30 minutes are spent: now only the typing waits
    assert rig.offered() == [] and rig.engine.status().held_reason is None
    rig.to(at(9, 52))
    assert rig.offered() == [(MICRO, at(9, 51), None)]


def test_a_window_opened_while_the_break_waits_for_a_pause_holds_it_and_the_wait_starts_over(
    rig: CallRig,
) -> None:
    """Presenting holds a break (not shown at all); the minute of waiting for a pause
    counts once nothing else holds it, from the window closing."""
    rig.presence.typing_until = at(11, 0)
    rig.to(at(9, 20, 30))  # waiting for a pause since 09:20
    rig.presence.dnd = FULLSCREEN
    rig.to(at(9, 25))
    assert rig.offered() == [] and rig.engine.status().held_reason == FULLSCREEN
    rig.presence.dnd = None  # closed; the next look (each minute) finds it gone
    rig.to(at(9, 25, 36))
    assert rig.offered() == []  # typing: a pause is waited for, from this look on
    rig.to(at(9, 27))
    [(kind, when, _)] = rig.offered()
    assert kind is MICRO and at(9, 26, 30) <= when <= at(9, 26, 36)


def test_a_window_that_spent_its_30_minutes_does_not_hold_the_break_after_a_call(
    clock: ManualClock, history: HistoryStore
) -> None:
    """A fullscreen call window stays up after the call: the break comes within a minute."""
    rig = micro_only(clock, history)
    rig.presence.dnd = FULLSCREEN
    rig.presence.typing_until = at(11, 0)
    rig.to(at(9, 50, 20))  # the window's 30 minutes spent; waiting for a pause
    rig.call(True)
    rig.to(at(10, 30))
    assert rig.offered() == [] and rig.status[0] == IN_A_CALL
    rig.call(False)
    rig.to(at(10, 32))
    assert rig.offered() == [(MICRO, at(10, 31), CALL_ENDED)]


def test_walking_away_while_the_break_waits_for_a_pause_is_the_break(
    clock: ManualClock, history: HistoryStore
) -> None:
    """A 30-s pause is asked for; the person stops typing and walks away: at 20 s of
    idle the idle poll counts the micro-break, and no window waits for their return."""
    rig = call_rig(
        clock, history, tweak(default_settings(), **{"breaks.wait_for_pause_seconds": 30})
    )
    rig.presence.typing_until = at(9, 20, 5)
    rig.to(at(9, 20, 1))  # due, waiting for a 30-s pause
    rig.presence.leave(at(9, 20, 5))
    rig.to(at(9, 20, 30))
    rig.poll()  # 25 s idle: away, the micro-break taken
    assert rig.engine.status().away and rig.engine._pause_wait_since is None
    rig.to(at(9, 25))
    assert rig.offered() == []
    assert [r.subject for r in rig.rows(EventKind.BREAK_NATURAL)] == ["micro"]
    rig.presence.back()
    rig.poll()
    assert rig.status == ("Next break in 20 min",)


def test_walking_away_from_a_break_held_for_a_call_plans_the_next_on_return(
    rig: CallRig,
) -> None:
    """The call ends unannounced and the person walks away before the engine's own look
    notices: the look finds them away, long enough for a micro-break, not for the
    posture break held. Back at the desk, the posture break is planned again, not held
    "in a call" with no job for ever. Found by the engine state machine."""
    rig.presence.call = True  # not pushed: only the engine's look-again job can tell
    rig.to(at(9, 50, 5))  # the posture break is due, held for the call
    assert rig.status[0] == IN_A_CALL and rig.offered() == []
    rig.presence.call = False  # not pushed either
    rig.presence.leave(at(9, 50, 5))
    rig.to(at(9, 51, 30))  # the look-again job ran while the person was away
    assert rig.engine.status().away
    rig.presence.back()
    rig.poll()
    assert IN_A_CALL not in rig.status
    assert JOB_BREAK_DUE in rig.sched.jobs
    rig.run(minutes=2)
    assert [kind for kind, _, _ in rig.offered()] == [POSTURE]


def test_a_pause_in_reminders_drops_what_was_held(rig: CallRig) -> None:
    rig.call(True)
    rig.to(at(9, 30))
    rig.engine.pause("30")
    assert rig.status[0].startswith("Reminders paused until")
    rig.call(False)
    rig.to(at(10, 0))
    assert rig.offered() == []
    rig.to(at(10, 20))
    assert rig.offered() == [(MICRO, at(10, 20), None)]  # fresh, no "your call ended"


def test_the_scale_compresses_the_pause_and_the_minute(
    clock: ManualClock, history: HistoryStore
) -> None:
    rig = call_rig(clock, history, scale=TimeScale(60))
    rig.presence.typing_until = at(10, 0)
    rig.to(at(9, 0, 20))  # the micro-break: 20 min / 60
    assert rig.offered() == []
    rig.to(at(9, 0, 30))
    assert rig.offered() == [(MICRO, at(9, 0, 21), None)]  # a minute / 60 later
