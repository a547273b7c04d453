"""Break reminders as the person meets them: due, warned, started, postponed, skipped, over.

A part of the engine (see core.engine_base): it turns the break intents into BreakPolicy
transitions, history rows and events, and holds a due break back while a fullscreen app
or do-not-disturb is on (a call, or typing, hold it through core.calls).

A due break meets its holds in this order: a call, then a fullscreen app or
do-not-disturb, then typing. A fullscreen app holds it 30 minutes at most; once those
are spent, that window holds that break no longer (the look-again jobs of the wait for a
pause must not start another 30 minutes), and the break only waits for a pause in
typing. That wait is a minute at most, counted from when nothing else holds the break:
a window that opens during the wait holds the break, and the wait starts over when it
closes (core.calls).
"""

from __future__ import annotations

from datetime import datetime

from neckcare_desktop.core import events as ev
from neckcare_desktop.core import guidance
from neckcare_desktop.core.breaks import ActiveBreak, BreakKind, BreakPhase, counts_as_taken
from neckcare_desktop.core.calls import CALL_ENDED_TEXT
from neckcare_desktop.core.engine_base import EngineBase, logger
from neckcare_desktop.core.exercise_routine import (
    OUTCOME_KINDS,
    ExerciseRecord,
    Routine,
    plan_routine,
)
from neckcare_desktop.core.history import EventKind
from neckcare_desktop.core.history_notes import NoteCode, note_text
from neckcare_desktop.core.i18n import translate
from neckcare_desktop.core.jobs import JOB_BREAK_DUE
from neckcare_desktop.core.stretches import Stretch

#: A due break waits this long at most for a fullscreen app or do-not-disturb to end.
DND_MAX_HOLD_SECONDS = 30 * 60
#: While held, look again this often whether the fullscreen window is gone.
DND_RECHECK_SECONDS = 60


class BreakFlow(EngineBase):
    """The break intents and the break jobs' callbacks."""

    #: The exercises planned for the break that is due or running (its lead is
    #: ``_current_stretch``); None without a list of exercises.
    _current_routine: Routine | None = None
    #: The due time of the break a fullscreen app or do-not-disturb has held for its 30
    #: minutes: it holds that break no longer (a new due time is a new break).
    _dnd_spent_for: datetime | None = None

    def _planned_seconds(self, brk: ActiveBreak) -> int:
        """The break's own length in the person's seconds: the one it came due with.

        Never the settings' length now: a length changed during a break applies from the
        next one, and the rows of this one say what it was planned for and ran.
        """
        return round(self.scale.app_seconds(brk.duration))

    def _draw_stretch(self, brk: ActiveBreak) -> Stretch | None:
        """Plan the break's routine (core.exercise_routine); its first exercise."""
        self._current_routine = None
        if self.stretches is None:
            return None
        try:
            routine = plan_routine(
                self.stretches,
                brk.kind.value,
                self._planned_seconds(brk),
                acute=self._acute_phase(),
            )
        except (LookupError, ValueError):
            logger.warning("no stretch suggestion for %s breaks", brk.kind.value)
            return None
        self._current_routine = routine
        return routine.lead

    def current_routine(self) -> Routine | None:
        """The routine of the break due or running now (for the break window)."""
        routine = self._current_routine
        if routine is None or routine.lead is not self._current_stretch:
            return None
        return routine

    def record_exercise(self, record: ExerciseRecord) -> None:
        """One exercise a break showed: done, skipped or cut short (subject: its id).

        The note keeps its name as it was then, so History and the CSV can say which
        exercise it was even after the person renames or removes their own.
        """
        self._record(
            OUTCOME_KINDS[record.outcome],
            self.clock.now(),
            subject=record.exercise.id,
            planned_seconds=record.planned_seconds,
            actual_seconds=record.actual_seconds,
            note=record.exercise.title,
        )

    def _acute_phase(self) -> bool:
        """A logged spasm is in its first 48 hours: then no neck exercise is suggested."""
        try:
            episodes = self.history.open_episodes()
        except Exception as exc:  # an unreadable history must never cost a break
            logger.info("spasm phase unknown for this break: %s", exc)
            return False
        latest = max(episodes, key=lambda e: (e.started_at, e.id), default=None)
        return guidance.phase(latest, self.clock.now()) == "acute"

    def start_break(self) -> ActiveBreak:
        now = self.clock.now()
        brk = self.breaks.start(now)
        self._rest_ends_time_away(now)
        self._record(
            EventKind.BREAK_STARTED,
            now,
            subject=brk.kind.value,
            planned_seconds=self._planned_seconds(brk),
        )
        self._reschedule()
        self._emit(self._started_event(brk))
        self._changed()
        return brk

    def _rest_ends_time_away(self, now: datetime) -> None:
        """A break started while away ends the time away: the break is the rest now.

        What the time away already counted as taken stays taken, its timers counting from
        now (as on a return). Counted on, the time away from before the break would make
        the same rest a second break "taken while away" the moment this one ends; once it
        is over, idleness is a new time away from its end (core.time_away).
        """
        if self._away_since is None:
            return
        credited, self._credited, self._away_since = self._credited, set(), None
        if credited:
            self.breaks.natural(credited, now)  # the break is running: nothing withdrawn

    def _started_event(self, brk: ActiveBreak) -> ev.BreakStarted:
        return ev.BreakStarted(
            brk,
            self._current_stretch,
            self._planned_seconds(brk),
            can_end_early=self.breaks.can_skip(),
        )

    def take_break_now(self, kind: BreakKind = BreakKind.POSTURE) -> ActiveBreak:
        """The person asked for a break: start it at once, no prompt."""
        now = self.clock.now()
        if self.breaks.active is None or self.breaks.active.phase is BreakPhase.DUE:
            was_due = self.breaks.active
            brk = self.breaks.take_now(kind, now)
            self._rest_ends_time_away(now)
            if was_due is None or was_due.kind is not brk.kind:
                # A due micro-break's stretch does not suit the posture break taken instead.
                self._current_stretch = self._draw_stretch(brk)
            self._record(
                EventKind.BREAK_STARTED,
                now,
                subject=brk.kind.value,
                planned_seconds=self._planned_seconds(brk),
            )
            self._reschedule()
            self._changed()
        else:
            brk = self.breaks.active
        self._emit(self._started_event(brk))
        return brk

    def postpone_break(self) -> ActiveBreak:
        now = self.clock.now()
        brk = self.breaks.postpone(now)
        self._record(
            EventKind.BREAK_POSTPONED,
            now,
            subject=brk.kind.value,
            note=note_text(NoteCode.POSTPONE, n=brk.postpones),
        )
        self._reschedule()
        self._changed()
        return brk

    def skip_break(self) -> ActiveBreak:
        now = self.clock.now()
        active = self.breaks.active
        if active is not None and active.phase is BreakPhase.RUNNING:
            brk = self.breaks.stop_running(now)
            self._break_ended_at = now
            elapsed = round(self.scale.app_seconds(now - (brk.started_at or now)))
            planned = self._planned_seconds(brk)
            shortened = counts_as_taken(elapsed, planned)
            self._record(
                EventKind.BREAK_COMPLETED if shortened else EventKind.BREAK_SKIPPED,
                now,
                subject=brk.kind.value,
                planned_seconds=planned,
                actual_seconds=elapsed,
                note=note_text(NoteCode.ENDED_EARLY),
            )
        else:
            brk = self.breaks.skip(now)
            shortened = False
            self._record(EventKind.BREAK_SKIPPED, now, subject=brk.kind.value)
        self._reschedule()
        self._emit(ev.BreakFinished(brk, completed=False, shortened=shortened))
        self._changed()
        return brk

    def postpone_upcoming(self) -> tuple[BreakKind, datetime] | None:
        """Postpone the break the warning announced, before it comes due."""
        now = self.clock.now()
        moved = self.breaks.postpone_upcoming(now)
        if moved is not None:
            kind, _ = moved
            self._record(
                EventKind.BREAK_POSTPONED,
                now,
                subject=kind.value,
                note=note_text(NoteCode.FROM_WARNING),
            )
            self._reschedule()
            self._changed()
        return moved

    def _on_break_due(self) -> None:
        now = self.clock.now()
        upcoming = self.breaks.upcoming()
        if upcoming is None or upcoming[1] > now:
            self._reschedule()
            return
        if self._is_away():
            # Nobody is there to see a window; the time away will count as the break.
            self._reschedule()
            return
        due = upcoming[1]
        if self._hold_for_call(now) or self._hold_for_dnd(now, due) or self._wait_for_pause(now):
            return
        brk = self.breaks.fire_due(now)
        if brk is None:  # pragma: no cover - upcoming() said it was due
            self._reschedule()
            return
        self._current_stretch = self._draw_stretch(brk)
        self._record(EventKind.BREAK_DUE, now, subject=brk.kind.value)
        reason = translate("Engine", CALL_ENDED_TEXT) if self._call_ended else None
        self._call_ended = False
        self._reschedule()
        self._emit(
            ev.BreakDue(
                brk,
                self._current_stretch,
                self._planned_seconds(brk),
                can_postpone=self.breaks.can_postpone(brk),
                can_skip=self.breaks.can_skip(),
                reason=reason,
            )
        )
        self._changed()

    def _hold_for_dnd(self, now: datetime, due: datetime) -> bool:
        """Keep the break due at ``due`` back while a fullscreen app or do-not-disturb is
        on, 30 min at most (then it only waits for a pause in typing, core.calls)."""
        if not self.settings.breaks.respect_fullscreen:
            return False
        reason = self._dnd_reason()
        if reason is None:
            self._held_since = self._held_reason = None
            return False
        if self._dnd_spent_for == due:
            return False  # held its 30 minutes already: the window holds it no longer
        if self._held_since is None:
            self._held_since = now
            logger.info("break held back: %s", reason)
        if now - self._held_since >= self.scale.real(DND_MAX_HOLD_SECONDS):
            logger.info("break held for 30 min; showing it anyway (at a pause in typing)")
            self._held_since = self._held_reason = None
            self._dnd_spent_for = due
            return False
        self._held_reason = reason
        # Held, the break is not waiting for a pause: that minute counts once nothing holds.
        self._pause_wait_since = None
        self.scheduler.call_at(
            JOB_BREAK_DUE, now + self.scale.real(DND_RECHECK_SECONDS), self._on_break_due
        )
        self._changed()
        return True

    def _dnd_reason(self) -> str | None:
        try:
            return self.presence.do_not_disturb()
        except Exception:  # reading the desktop must never cost a reminder
            logger.exception("could not read do-not-disturb")
            return None

    def _on_break_warning(self) -> None:
        now = self.clock.now()
        upcoming = self.breaks.upcoming()
        if upcoming is None or upcoming[0] is not BreakKind.POSTURE or upcoming[1] <= now:
            return
        if self._is_away():
            return
        if self.settings.breaks.respect_fullscreen and self._dnd_reason() is not None:
            return  # the pre-break notification is suppressed during do-not-disturb
        if self.in_call():
            return  # the break will wait for the end of the call: no countdown now
        seconds = round(self.scale.app_seconds(upcoming[1] - now))
        can_postpone = self.breaks.can_postpone_upcoming()
        self._emit(ev.BreakWarning(BreakKind.POSTURE.value, seconds, can_postpone))

    def _on_break_end(self) -> None:
        active = self.breaks.active
        if active is None or active.phase is not BreakPhase.RUNNING:
            return
        now = self.clock.now()
        if active.ends_at is not None and now < active.ends_at:
            self._reschedule()
            return
        brk = self.breaks.finish(now)
        self._break_ended_at = now
        planned = self._planned_seconds(brk)
        self._record(
            EventKind.BREAK_COMPLETED,
            now,
            subject=brk.kind.value,
            planned_seconds=planned,
            actual_seconds=planned,
        )
        self._reschedule()
        self._emit(ev.BreakFinished(brk, completed=True))
        self._changed()
