"""Calls and pauses in typing: when a due break may interrupt.

A part of the engine (see core.engine_base). Two rules decide the moment a due break is
offered, after the time away and before do-not-disturb (core.break_flow):

* **In a call, breaks wait.** While presence says another program uses the microphone or
  the camera, a due break is held, without the 30-minute cap do-not-disturb has: a meeting
  is not rest, and the break is owed. It is offered once the call ends (the app calls
  :meth:`CallRules.calls_changed`; a look every minute covers a missed change), once even
  after a call longer than an interval, with a sentence saying why it comes now.
* **Breaks start at a pause.** A break due while the person types or moves the mouse waits
  for ``breaks.wait_for_pause_seconds`` without input, and starts anyway after a minute.
  The minute counts only while nothing else holds the break: a call or a fullscreen app
  (presenting) holds it, and a break held is not shown at all, so the wait starts over
  when the hold ends. A fullscreen app's 30 minutes are spent once per due break
  (core.break_flow): after them the break waits for a pause, a minute at most, and shows.
  Time away ends the wait too: it counts as the break (core.time_away).

Idle time in a call is not time away: the person is talking, not resting.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from neckcare_desktop.core.engine_base import EngineBase, logger
from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from neckcare_desktop.core.jobs import JOB_BREAK_DUE

#: While a call holds a break, look again this often (in case a change was not pushed).
CALL_RECHECK_SECONDS = 60
#: A due break waits for a pause in typing this long at most (app seconds).
PAUSE_WAIT_MAX_SECONDS = 60
#: Never look again for a pause sooner than this (real seconds): no busy loop.
PAUSE_RECHECK_MIN_SECONDS = 0.25

#: English sources; shown through ``translate("Engine", ...)``.
CALL_ENDED_TEXT = QT_TRANSLATE_NOOP("Engine", "Your call ended: time for the break you held")
IN_A_CALL = QT_TRANSLATE_NOOP("Engine", "in a call")


class CallRules(EngineBase):
    """Holding due breaks for calls and for a pause in typing."""

    def in_call(self) -> bool:
        """A call holds breaks now: ``breaks.respect_calls`` is on and presence says so."""
        if not self.settings.breaks.respect_calls:
            return False
        # A presence without in_call() (one that cannot detect calls) is never in a call.
        ask = getattr(self.presence, "in_call", None)
        if not callable(ask):
            return False
        try:
            return bool(ask())
        except Exception:  # reading the desktop must never cost a reminder
            logger.exception("could not read whether a call is on")
            return False

    def calls_changed(self) -> None:
        """The app: presence's ``in_call()`` changed. A break held for the call that ended
        is offered now (after any pause in typing); the status says what holds."""
        if self._held_since is not None or self._pause_wait_since is not None:
            self._on_break_due()
        self._changed()

    def _hold_for_call(self, now: datetime) -> bool:
        """Keep a due break back while a call is on (no cap: the break is owed)."""
        if not self.in_call():
            if self._held_by_call:
                logger.info("the call ended; offering the break it held")
                self._held_by_call = False
                self._call_ended = True
                # Do-not-disturb's 30 minutes count from now, not from the call's start.
                self._held_since = self._held_reason = None
            return False
        if not self._held_by_call:
            logger.info("break held back: in a call")
        if self._held_since is None or not self._held_by_call:
            self._held_since = now
        self._held_by_call = True
        self._held_reason = translate("Engine", IN_A_CALL)
        self._pause_wait_since = None
        self.scheduler.call_at(
            JOB_BREAK_DUE, now + self.scale.real(CALL_RECHECK_SECONDS), self._on_break_due
        )
        self._changed()
        return True

    def _input_idle_seconds(self) -> float | None:
        # Not away_seconds(): where away/back is pushed (GNOME) that is no reading of the
        # last key press. A presence without this question cannot tell: no waiting.
        ask = getattr(self.presence, "input_idle_seconds", None)
        if not callable(ask):
            return None
        try:
            seconds = ask()
        except Exception:
            logger.exception("could not read the time since the last input")
            return None
        return None if seconds is None else float(seconds)

    def _wait_for_pause(self, now: datetime) -> bool:
        """Keep a due break back while the person types, a minute at most."""
        wait = self.settings.breaks.wait_for_pause_seconds
        idle = self._input_idle_seconds() if wait > 0 else None
        if idle is None:  # off, or this desktop cannot tell: start now
            self._pause_wait_since = None
            return False
        if self._pause_wait_since is None:
            self._pause_wait_since = now
        deadline = self._pause_wait_since + self.scale.real(PAUSE_WAIT_MAX_SECONDS)
        pause = self.scale.real(wait).total_seconds()
        if idle >= pause or now >= deadline:
            if idle < pause:
                logger.info("no pause in typing for a minute; starting the break anyway")
            self._pause_wait_since = None
            return False
        # Without more input, the pause is reached in (pause - idle) seconds: look then.
        step = max(pause - idle, PAUSE_RECHECK_MIN_SECONDS)
        recheck = min(now + timedelta(seconds=step), deadline)
        self.scheduler.call_at(JOB_BREAK_DUE, recheck, self._on_break_due)
        return True

    # -- in a call, idle time is not time away ----------------------------------------------

    def _is_away(self) -> bool:
        if self._away_since is None and self.in_call():
            return False
        return super()._is_away()

    def on_presence(self, idle_seconds: float | None) -> None:
        """As core.time_away's, but idle time in a call is the person at the computer."""
        if idle_seconds is not None and self._away_since is None and self.in_call():
            idle_seconds = 0.0
        super().on_presence(idle_seconds)
        if self._away_since is not None:
            # Away, the time away is the break: nothing waits for a pause in typing (back
            # at the desk, a break still due waits again, a fresh minute at most).
            self._pause_wait_since = None
