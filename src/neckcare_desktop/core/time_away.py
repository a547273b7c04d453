"""Time away from the computer, sleep and clock changes, as the engine sees them.

A part of the engine (see core.engine_base). Idle time reaching a break's length counts as
that break, taken ("natural"); a computer that slept, or a wall clock that jumped ahead,
counts the same way; a clock that was *set* moves every pending length of time with it.

A rest counts once. Time away on a running break is that break, not another one. A break
started while still counted as away (``neckcare break`` in a terminal is no input to the
desktop; a click on Start may come before the idle poll sees it) ends the time away: the
breaks it already counted stay taken, and the break is the rest from then on
(core.break_flow). Once the break is over, continued idleness is a new time away counted
from the break's end (``_break_ended_at``), never from the input before it: another
break "taken while away" needs a further full length of its kind after that end.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from neckcare_desktop.core import events as ev
from neckcare_desktop.core.breaks import BreakKind, BreakPhase
from neckcare_desktop.core.engine_base import EngineBase, logger
from neckcare_desktop.core.history import EventKind
from neckcare_desktop.core.history_notes import NoteCode, note_text
from neckcare_desktop.core.jobs import JOB_BREAK_DUE, JOB_BREAK_WARNING
from neckcare_desktop.core.pause import PauseReason

#: A wall-clock jump smaller than this is timer noise, not a clock change or a sleep.
CLOCK_JUMP_SECONDS = 10.0


class TimeAway(EngineBase):
    """Presence readings and clock jumps."""

    def _shortest_break(self) -> timedelta | None:
        durations = [
            self.breaks.config.timing(kind).duration
            for kind in BreakKind
            if self.breaks.config.timing(kind).enabled
        ]
        return min(durations) if durations else None

    def status_is_away(self) -> bool:
        """Away from the computer as far as the last idle reading said."""
        return self._away_since is not None

    def shortest_break_seconds(self) -> float | None:
        shortest = self._shortest_break()
        return None if shortest is None else shortest.total_seconds()

    def _is_away(self) -> bool:
        if self._away_since is not None:
            return True
        if not self.settings.breaks.natural_breaks:
            return False
        shortest = self._shortest_break()
        try:
            idle = self.presence.away_seconds()
        except Exception:
            logger.exception("could not read idle time")
            return False
        if idle is None or shortest is None or idle < shortest.total_seconds():
            return False
        # Away before the idle poll noticed: start the away period now, or the due job
        # would be re-armed at its past time and run again at once, over and over.
        self.on_presence(idle)
        return self._away_since is not None

    def on_presence(self, idle_seconds: float | None) -> None:
        """The latest idle reading: count time away as breaks, restart timers on return.

        Called by the app's idle poll. Idle time reaching a break's length means that
        break was taken, recorded once as "natural"; its timer restarts when the person is
        back, and no break window pops up meanwhile.
        """
        now = self.clock.now()
        if idle_seconds is not None and self._started_at is not None:
            # No input for 20 s at launch is not a break taken 5 s after launch: only time
            # away while NeckCare ran counts (it cannot know what came before it started).
            since_start = max(0.0, (now - self._started_at).total_seconds())
            idle_seconds = min(idle_seconds, since_start)
        shortest = self._shortest_break()
        counting = (
            idle_seconds is not None
            and self.settings.breaks.natural_breaks
            and self.breaks.paused_until is None  # paused / off hours: nothing to count
            and shortest is not None
        )
        back = idle_seconds is None or shortest is None or idle_seconds < shortest.total_seconds()
        if self._away_since is not None and (back or not counting):
            # Back at the desk, or time away no longer counts (natural breaks off, paused,
            # idle unreadable): only leaving the away state lets the next break be planned.
            self._back(now)
            return
        if not counting:
            return
        assert idle_seconds is not None and shortest is not None
        active = self.breaks.active
        if active is not None and active.phase is BreakPhase.RUNNING:
            return  # time away on a break is that break, not another one
        if idle_seconds >= shortest.total_seconds():
            if self._away_since is None:
                since = now - timedelta(seconds=idle_seconds)
                if self._break_ended_at is not None and since < self._break_ended_at:
                    since = self._break_ended_at
                self._away_since = since
                self._credited = set()
                self.scheduler.cancel(JOB_BREAK_WARNING)
            self._credit_away(now - self._away_since, now)
            return

    def _credit_away(self, away: timedelta, now: datetime, note: str | None = None) -> None:
        newly = {
            kind
            for kind in BreakKind
            if self.breaks.config.timing(kind).enabled
            and kind not in self._credited
            and away >= self.breaks.config.timing(kind).duration
        }
        if BreakKind.POSTURE in newly | self._credited:
            newly.discard(BreakKind.MICRO)  # the posture break already includes it
            if BreakKind.MICRO not in self._credited:
                self._credited.add(BreakKind.MICRO)
        if not newly:
            return
        for kind in sorted(newly):
            self._record(EventKind.BREAK_NATURAL, now, subject=kind.value, note=note)
        self._credited |= newly
        active = self.breaks.active
        if (
            active is not None
            and active.phase is BreakPhase.DUE
            and active.kind in (self._credited)
        ):
            self.breaks.withdraw()
            self._emit(ev.BreakWithdrawn(active))
        self._emit(ev.NaturalBreak(tuple(sorted(k.value for k in newly))))
        self._changed()

    def _back(self, now: datetime) -> None:
        """The person is back: breaks their time away covered count again from now."""
        credited, self._credited, self._away_since = self._credited, set(), None
        if credited:
            withdrawn = self.breaks.natural(credited, now)
            if withdrawn is not None:
                self._emit(ev.BreakWithdrawn(withdrawn))
        self._reschedule()
        self._changed()

    def on_clock_jump(self, seconds: float, *, slept: bool | None = None) -> None:
        """The wall clock moved ``seconds`` more (or less) than real time passed.

        ``slept``: True for a suspend (real time passed, the computer was not running),
        False for a clock that was *set* (no real time passed), None when the caller cannot
        tell. A clock set either way moves every pending time with it, so nothing comes
        early or late: an ice round never runs longer than planned and no overrun is
        recorded that never happened. Forward after a sleep, or when it cannot be told,
        the gap counts as time away (the breaks it covers are natural breaks) and anything
        due in the gap happens once, now: a therapy end alerts at once (a pack may have
        been on all along), breaks never fire in a burst.
        """
        if abs(seconds) < CLOCK_JUMP_SECONDS and not slept:
            return
        now = self.clock.now()
        delta = timedelta(seconds=seconds)
        if seconds < 0 or slept is False:
            self._shift_schedule(delta, now)
            logger.info("wall clock set %+.0f s; schedule moved with it", seconds)
        else:
            logger.info("wall clock moved ahead %.0f s%s", seconds, " (asleep)" if slept else "")
            active = self.breaks.active
            running = active is not None and active.phase is BreakPhase.RUNNING
            # Asleep during a running break: the sleep is that break (check_time below
            # ends it as it ran out), not breaks "taken while away" besides it.
            if self.settings.breaks.natural_breaks and not running:
                self._credited = set()
                code = NoteCode.ASLEEP if slept else NoteCode.CLOCK_MOVED_AHEAD
                self._credit_away(delta, now, note=note_text(code))
                credited, self._credited = self._credited, set()
                if credited:
                    withdrawn = self.breaks.natural(credited, now)
                    if withdrawn is not None:
                        self._emit(ev.BreakWithdrawn(withdrawn))
            if self._next_hydration is not None and self._next_hydration < now:
                self._restart_hydration(now)
        self.check_time()
        self.scheduler.wakeup()
        self._changed()

    def _shift_schedule(self, delta: timedelta, now: datetime) -> None:
        """The clock was set by ``delta``: every pending length of time moves with it.

        Times on the wall (the end of working hours, "until tomorrow 09:00") stay put.
        """
        self.breaks.shift(delta)
        if self._started_at is not None:
            self._started_at += delta  # or a clock set back would disable time away for as long
        # Time away is a length of time too: set ahead, it must not count as a rest taken
        # (nor the time before the last break's end become time away), set back not
        # stop counting for as long.
        if self._away_since is not None:
            self._away_since += delta
        if self._break_ended_at is not None:
            self._break_ended_at += delta
        self._therapy_care.shift(delta)
        if self._next_hydration is not None:
            self._next_hydration += delta
        if self._pause_reason is PauseReason.LENGTH:
            self.breaks.shift_pause(delta)  # a 30-min pause still lasts 30 minutes
        if self._held_since is not None:
            self._held_since += delta  # the 30-min cap on holding a break, likewise
            # Its look-again job is set for the old wall time; look at once instead.
            self.scheduler.call_at(JOB_BREAK_DUE, now, self._on_break_due)
