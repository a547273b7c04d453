"""Time away and a break started while away: the rest is counted once.

The rule (core.time_away's docstring): starting a break ends the time away (the break is
the rest: a break due or running is never also "taken while away"); once it is over,
continued idleness is a new time away counted from the break's end, so a further
"taken while away" break of a kind needs a further full length of that kind.

Found by a person: idle long enough for a micro-break to count as taken, then
``neckcare break`` from the command line, untouched to the end of its 5 minutes, and
a moment later a second posture break "taken while away" was recorded.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from fakes import Rig, at, make_rig, tweak
from neckcare_desktop.core import events as ev
from neckcare_desktop.core.breaks import BreakKind, BreakPhase
from neckcare_desktop.core.history import EventKind
from neckcare_desktop.core.settings import default_settings

MICRO, POSTURE = BreakKind.MICRO, BreakKind.POSTURE


def naturals(rig: Rig) -> list[tuple[str | None, datetime]]:
    return [(r.subject, r.at) for r in rig.rows(EventKind.BREAK_NATURAL)]


def completed(rig: Rig) -> list[tuple[str | None, datetime, int | None]]:
    return [(r.subject, r.at, r.actual_seconds) for r in rig.rows(EventKind.BREAK_COMPLETED)]


def away_with_a_micro_break_credited(rig: Rig) -> None:
    rig.to(at(9, 5))
    rig.presence.leave()
    rig.poll_every(10, at(9, 5, 30))
    assert naturals(rig) == [("micro", at(9, 5, 20))]
    assert rig.engine.status().away


def test_a_posture_break_taken_now_while_away_is_not_counted_again(rig: Rig):
    away_with_a_micro_break_credited(rig)
    rig.engine.take_break_now(POSTURE)  # `neckcare break`: no input, still "away"
    # The break is the rest now: the status says the break, not "Away".
    assert rig.status == ("Posture break: 5 min left",)
    rig.poll_every(10, at(9, 10, 30))  # untouched through the whole break
    assert completed(rig) == [("posture", at(9, 10, 30), 300)]
    rig.run(seconds=0.1)
    rig.poll()  # the idle poll, 100 ms after the end: idle reads 5 min 30 s
    rig.run(seconds=0.05)
    rig.poll()
    assert naturals(rig) == [("micro", at(9, 5, 20))]
    # Still idle: a new time away from the break's end, a micro-break 20 s later ...
    rig.poll_every(1, at(9, 10, 49))
    assert naturals(rig) == [("micro", at(9, 5, 20))]
    rig.poll_every(1, at(9, 10, 50))
    assert naturals(rig)[1:] == [("micro", at(9, 10, 50))]
    # ... and a posture break only after 5 further minutes.
    rig.poll_every(10, at(9, 15, 20))
    assert naturals(rig)[2:] == []
    rig.poll_every(10, at(9, 15, 30))
    assert naturals(rig)[2:] == [("posture", at(9, 15, 30))]
    assert [e.kinds for e in rig.rec.of(ev.NaturalBreak)] == [("micro",), ("micro",), ("posture",)]
    rig.presence.back()
    rig.poll()
    assert rig.engine.status().next_break == (MICRO, at(9, 35, 30))


def test_a_due_break_started_while_away_is_not_counted_again(clock, history):
    """The same through Start on a due break, before the idle poll saw any input."""
    rig = make_rig(
        clock, history, tweak(default_settings(), **{"breaks.micro.interval_minutes": 60})
    )
    rig.to(at(9, 50))  # the posture break is due; the person walks off
    rig.presence.leave()
    rig.poll_every(10, at(9, 50, 30))
    assert naturals(rig) == [("micro", at(9, 50, 20))]
    assert rig.engine.breaks.active.phase is BreakPhase.DUE  # a short absence: still due
    rig.engine.start_break()
    rig.poll_every(10, at(9, 55, 40))
    assert completed(rig) == [("posture", at(9, 55, 30), 300)]
    assert naturals(rig) == [("micro", at(9, 50, 20))]
    rig.poll_every(10, at(10, 0, 20))
    assert naturals(rig)[1:] == [("micro", at(9, 55, 50))]
    rig.poll_every(10, at(10, 0, 30))
    assert naturals(rig)[2:] == [("posture", at(10, 0, 30))]


def test_a_break_ended_early_while_away_counts_the_idleness_after_it_from_its_end(rig: Rig):
    away_with_a_micro_break_credited(rig)
    rig.engine.take_break_now(POSTURE)
    rig.poll_every(10, at(9, 8, 30))
    rig.engine.skip_break()  # ended early after 3 of its 5 minutes: taken, shortened
    assert completed(rig) == [("posture", at(9, 8, 30), 180)]
    rig.poll_every(10, at(9, 13, 20))
    assert naturals(rig) == [("micro", at(9, 5, 20)), ("micro", at(9, 8, 50))]
    rig.poll_every(10, at(9, 13, 30))
    assert naturals(rig)[2:] == [("posture", at(9, 13, 30))]


def test_a_micro_break_taken_while_away_keeps_the_posture_break_taken_while_away(rig: Rig):
    """Away 6 minutes (a posture break taken), then a micro-break from the command line:
    the posture break counts from the end of the time away, not as overdue."""
    rig.to(at(9, 5))
    rig.presence.leave()
    rig.poll_every(30, at(9, 11))
    assert naturals(rig) == [("micro", at(9, 5, 30)), ("posture", at(9, 10))]
    rig.engine.take_break_now(MICRO)
    rig.poll_every(10, at(9, 11, 30))
    assert completed(rig) == [("micro", at(9, 11, 20), 20)]
    assert naturals(rig)[2:] == []
    rig.presence.back()
    rig.poll()
    assert rig.engine.breaks.next_posture_due() == at(10, 1)  # 50 min after 09:11
    assert rig.engine.status().next_break == (MICRO, at(9, 31, 20))


def test_a_clock_set_after_a_break_moves_its_end_and_the_time_away_with_it(rig: Rig):
    """A clock set is no time passing: the end of the break and the time away move with
    it, so a clock set ahead 10 minutes counts no break taken while away."""
    away_with_a_micro_break_credited(rig)
    rig.engine.take_break_now(POSTURE)
    rig.poll_every(10, at(9, 10, 40))  # the break ended at 09:10:30; away again
    rig.clock.set(rig.clock.now() + timedelta(minutes=10))
    rig.presence.away_from += timedelta(minutes=10)  # idle time is real time
    rig.engine.on_clock_jump(600, slept=False)
    rig.poll()
    assert naturals(rig) == [("micro", at(9, 5, 20))]
    rig.poll_every(10, at(9, 20, 50))  # 20 s of real time after the break's end
    assert naturals(rig)[1:] == [("micro", at(9, 20, 50))]


def test_a_clock_set_just_after_a_break_keeps_its_end_for_the_time_away(rig: Rig):
    """The same before the idle poll noticed the time away after the break."""
    away_with_a_micro_break_credited(rig)
    rig.engine.take_break_now(POSTURE)
    rig.poll_every(10, at(9, 10, 30))  # the break ends; no poll after it yet
    rig.clock.set(rig.clock.now() + timedelta(minutes=10))
    rig.presence.away_from += timedelta(minutes=10)
    rig.engine.on_clock_jump(600, slept=False)
    rig.run(seconds=10)
    rig.poll()  # idle reads 5 min 40 s: all but 10 s of it before the break's end
    assert naturals(rig) == [("micro", at(9, 5, 20))]
    rig.poll_every(10, at(9, 20, 50))
    assert naturals(rig)[1:] == [("micro", at(9, 20, 50))]


def test_a_sleep_during_a_running_break_is_that_break(rig: Rig):
    """The lid closes in the middle of a posture break and opens an hour later: the break
    ran out while asleep and is recorded once, as completed; the hour is not also
    breaks "taken while away"."""
    rig.to(at(9, 5))
    rig.engine.take_break_now(POSTURE)
    rig.to(at(9, 7))
    rig.clock.set(at(10, 7))
    rig.engine.on_clock_jump(3600, slept=True)
    rig.run(seconds=1)  # the jobs the wake-up found due
    assert naturals(rig) == []
    assert [row[0] for row in completed(rig)] == ["posture"]
    assert rig.engine.breaks.active is None
