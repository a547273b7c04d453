"""Break policy: when each kind of break is due and what taking, postponing or skipping does.

Pure state machine over wall-clock times; it never schedules anything itself. The engine
asks it for the next due time and hands every intent to it, so the rules below are tested
with a manual clock in microseconds:

* the next break of a kind is counted from the *end* of the last one (or from the skip),
  not from when it was due, so a long break never leaves the next one overdue;
* a posture break resets the micro-break timer too (it includes everything a micro-break does);
* a micro-break never fires within ``gap`` of a posture break: it is folded into the posture
  break instead, and starts counting again when that break is over;
* a break keeps the length it had when it came due (the window, the notification and its
  exercises say that length) through to its end and its history rows: a new length in
  the settings applies from the next break, a postponed one too (it comes due again).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import MappingProxyType

from neckcare_desktop.core.i18n import translate

#: A running break ended early after at least this share of its length counts as taken
#: (a shortened break): the person did rest, and calling 30 s of a 40 s break "skipped"
#: made the history look worse than the day was. Less than this is still a skip.
SHORTENED_BREAK_MIN_SHARE = 0.5


def counts_as_taken(actual_seconds: float, planned_seconds: float) -> bool:
    """Whether a break ended early after ``actual_seconds`` of ``planned_seconds`` was taken."""
    return planned_seconds > 0 and actual_seconds >= planned_seconds * SHORTENED_BREAK_MIN_SHARE


class BreakKind(enum.StrEnum):
    MICRO = "micro"
    POSTURE = "posture"


class BreakPhase(enum.StrEnum):
    DUE = "due"  # the break window is up, waiting for Start / Postpone / Skip
    RUNNING = "running"  # the person is on the break; it ends by itself


@dataclass(frozen=True)
class BreakTiming:
    """Real-time lengths for one kind of break (already compressed by any time scale)."""

    enabled: bool
    interval: timedelta
    duration: timedelta


@dataclass(frozen=True)
class BreakConfig:
    micro: BreakTiming
    posture: BreakTiming
    postpone: timedelta
    gap: timedelta
    #: Postpones allowed in a row for one break; after that only Start and Skip remain.
    max_postpones: int = 3
    #: Strict mode: neither Postpone nor Skip.
    strict: bool = False

    def timing(self, kind: BreakKind) -> BreakTiming:
        return self.micro if kind is BreakKind.MICRO else self.posture


@dataclass(frozen=True)
class ActiveBreak:
    kind: BreakKind
    phase: BreakPhase
    due_at: datetime
    #: Its real length, fixed when it came due (or was taken at once): a running break
    #: ends at ``started_at + duration`` and its rows say this length, whatever the
    #: settings say meanwhile.
    duration: timedelta
    started_at: datetime | None = None
    ends_at: datetime | None = None
    postpones: int = 0


class BreakStateError(RuntimeError):
    """An intent that does not fit the current state (e.g. Postpone with no break due)."""


class BreakPolicy:
    """The break state machine. Its state is read through properties and changed only
    through the methods below, so every change keeps the rules in the module docstring."""

    def __init__(self, config: BreakConfig) -> None:
        """A policy with nothing planned; ``starting`` is the usual way to make one."""
        self._config = config
        self._next_due: dict[BreakKind, datetime | None] = {}
        self._active: ActiveBreak | None = None
        self._paused_until: datetime | None = None
        #: Postpones of the break that is pending now; carried over when it comes back due.
        self._postpones: dict[BreakKind, int] = {}

    @classmethod
    def starting(cls, config: BreakConfig, now: datetime) -> BreakPolicy:
        policy = cls(config)
        policy._restart_all(now)
        return policy

    def __repr__(self) -> str:
        return (
            f"BreakPolicy(next_due={self._next_due!r}, active={self._active!r}, "
            f"paused_until={self._paused_until!r}, postpones={self._postpones!r})"
        )

    # -- state, read-only ----------------------------------------------------------------

    @property
    def config(self) -> BreakConfig:
        return self._config

    @property
    def active(self) -> ActiveBreak | None:
        """The break that is due (its window up) or running, if any."""
        return self._active

    @property
    def paused_until(self) -> datetime | None:
        """When a pause ends (None while not paused)."""
        return self._paused_until

    @property
    def next_due(self) -> Mapping[BreakKind, datetime | None]:
        """When each kind comes due next (None or absent: not planned), read-only."""
        return MappingProxyType(self._next_due)

    def due_at(self, kind: BreakKind) -> datetime | None:
        return self._next_due.get(kind)

    # -- queries -------------------------------------------------------------------------

    @property
    def is_paused(self) -> bool:
        return self._paused_until is not None

    def upcoming(self) -> tuple[BreakKind, datetime] | None:
        """The break that will be due next, or None while paused, busy, or all off."""
        if self._paused_until is not None or self._active is not None:
            return None
        posture = self._next_due.get(BreakKind.POSTURE)
        micro = self._next_due.get(BreakKind.MICRO)
        if micro is not None and posture is not None and micro >= posture - self._config.gap:
            micro = None  # folded into the posture break
        candidates = [
            (when, kind)
            for kind, when in ((BreakKind.POSTURE, posture), (BreakKind.MICRO, micro))
            if when
        ]
        if not candidates:
            return None
        when, kind = min(candidates, key=lambda item: item[0])
        return kind, when

    def next_posture_due(self) -> datetime | None:
        return self._next_due.get(BreakKind.POSTURE)

    def can_postpone(self, brk: ActiveBreak | None = None) -> bool:
        """Whether Postpone is offered for ``brk`` (default: the active break)."""
        brk = brk or self._active
        if self._config.strict or brk is None or brk.phase is not BreakPhase.DUE:
            return False
        return brk.postpones < self._config.max_postpones

    def can_skip(self) -> bool:
        return not self._config.strict

    def postpones(self, kind: BreakKind) -> int:
        """Postpones in a row the next break of ``kind`` carries (0 when none).

        A posture break that folds a pending micro-break into itself carries that
        micro-break's postpones too: folding must not hand out a fresh set of postpones.
        """
        count = self._postpones.get(kind, 0)
        if kind is BreakKind.POSTURE and self._next_due.get(BreakKind.MICRO) is not None:
            count = max(count, self._postpones.get(BreakKind.MICRO, 0))
        return count

    def any_postponed(self) -> bool:
        """Whether some break is waiting after a postpone (the tray shows a dot)."""
        return any(self._postpones.values())

    def can_postpone_upcoming(self) -> bool:
        """Whether the break about to come due may still be postponed (the warning)."""
        upcoming = self.upcoming()
        if upcoming is None or self._config.strict:
            return False
        return self.postpones(upcoming[0]) < self._config.max_postpones

    # -- transitions driven by time ------------------------------------------------------

    def fire_due(self, now: datetime) -> ActiveBreak | None:
        """Make the upcoming break due if its time has come; returns it, else None."""
        upcoming = self.upcoming()
        if upcoming is None:
            return None
        kind, when = upcoming
        if when > now:
            return None
        posture = self._next_due.get(BreakKind.POSTURE)
        if kind is BreakKind.MICRO and posture is not None and posture <= now:
            # A micro-break held back until the posture break is due too: that one covers
            # it, rather than two windows one after the other.
            kind, when = BreakKind.POSTURE, posture
        count = self.postpones(kind)  # before the fold below forgets the micro-break
        if kind is BreakKind.POSTURE:
            micro = self._next_due.get(BreakKind.MICRO)
            if micro is not None:
                self._next_due[BreakKind.MICRO] = None  # the posture break covers it
        self._next_due[kind] = None
        self._postpones[kind] = count
        duration = self._config.timing(kind).duration
        self._active = ActiveBreak(
            kind, BreakPhase.DUE, due_at=when, duration=duration, postpones=count
        )
        return self._active

    def finish(self, now: datetime) -> ActiveBreak:
        """The running break's time is over: it counts as completed."""
        active = self._require(BreakPhase.RUNNING)
        self._done(active.kind, now)
        return active

    def resume_if_pause_over(self, now: datetime) -> bool:
        if self._paused_until is not None and now >= self._paused_until:
            self.resume(now)
            return True
        return False

    # -- intents -------------------------------------------------------------------------

    def start(self, now: datetime) -> ActiveBreak:
        """Start the due break (the person pressed Start break), with its own length."""
        active = self._require(BreakPhase.DUE)
        self._active = replace(
            active, phase=BreakPhase.RUNNING, started_at=now, ends_at=now + active.duration
        )
        return self._active

    def take_now(self, kind: BreakKind, now: datetime) -> ActiveBreak:
        """Start a break right away, without waiting for it to come due.

        A due break of the kind taken keeps its length (its window and exercises say it);
        otherwise the break has the length the settings give now.
        """
        if self._active is not None and self._active.phase is BreakPhase.RUNNING:
            return self._active
        duration = None
        if self._active is not None:
            kind = self._active.kind if self._active.kind is BreakKind.POSTURE else kind
            if self._active.kind is kind:
                duration = self._active.duration
        if duration is None:
            duration = self._config.timing(kind).duration
        self._active = ActiveBreak(kind, BreakPhase.DUE, due_at=now, duration=duration)
        return self.start(now)

    def postpone(self, now: datetime) -> ActiveBreak:
        active = self._require(BreakPhase.DUE)
        if not self.can_postpone(active):
            raise BreakStateError(
                translate("Breaks", "strict mode allows no postponing")
                if self._config.strict
                else translate(
                    "Breaks", "this break was already postponed {n} times in a row"
                ).format(n=active.postpones)
            )
        count = active.postpones + 1
        self._postpones[active.kind] = count
        self._next_due[active.kind] = now + self._config.postpone
        self._active = None
        return replace(active, postpones=count)

    def skip(self, now: datetime) -> ActiveBreak:
        active = self._require(BreakPhase.DUE)
        if self._config.strict:
            raise BreakStateError(translate("Breaks", "strict mode allows no skipping"))
        self._done(active.kind, now)
        return active

    def stop_running(self, now: datetime) -> ActiveBreak:
        """The person ended a running break early; the next one counts from now.

        Whether it counts as taken or skipped is :func:`counts_as_taken`'s call.
        """
        active = self._require(BreakPhase.RUNNING)
        if self._config.strict:
            raise BreakStateError(translate("Breaks", "strict mode allows no ending a break early"))
        self._done(active.kind, now)
        return active

    def postpone_upcoming(self, now: datetime) -> tuple[BreakKind, datetime] | None:
        """Postpone the break that is about to come due (from the warning notification)."""
        upcoming = self.upcoming()
        if upcoming is None or self._config.strict:
            return None
        kind, when = upcoming
        count = self.postpones(kind)
        if count >= self._config.max_postpones:
            return None
        self._postpones[kind] = count + 1
        new_due = max(when, now) + self._config.postpone
        self._next_due[kind] = new_due
        return kind, new_due

    def natural(self, kinds: set[BreakKind], now: datetime) -> ActiveBreak | None:
        """The person was away long enough for ``kinds``: those breaks count as taken.

        Their timers restart from ``now`` (the moment the person is back). A due break of
        one of those kinds is withdrawn and returned, so its window can close.
        """
        withdrawn = None
        if BreakKind.POSTURE in kinds:
            kinds = kinds | {BreakKind.MICRO}
        active = self._active
        if active is not None and active.phase is BreakPhase.DUE and active.kind in kinds:
            withdrawn, self._active = active, None
        for kind in kinds:
            timing = self._config.timing(kind)
            self._next_due[kind] = now + timing.interval if timing.enabled else None
            self._postpones[kind] = 0
        return withdrawn

    def shift(self, delta: timedelta) -> None:
        """Move every pending time by ``delta`` (the wall clock was set back)."""
        for kind, when in list(self._next_due.items()):
            if when is not None:
                self._next_due[kind] = when + delta
        if self._active is not None:
            a = self._active
            self._active = replace(
                a,
                due_at=a.due_at + delta,
                started_at=a.started_at + delta if a.started_at else None,
                ends_at=a.ends_at + delta if a.ends_at else None,
            )

    def pause(self, until: datetime, now: datetime) -> ActiveBreak | None:
        """Hold all reminders until ``until``; a break waiting for an answer is withdrawn."""
        if until <= now:
            raise BreakStateError(translate("Breaks", "a pause must end in the future"))
        withdrawn = None
        if self._active is not None and self._active.phase is BreakPhase.DUE:
            withdrawn, self._active = self._active, None
        self._paused_until = until
        return withdrawn

    def shift_pause(self, delta: timedelta) -> None:
        """Move the end of a pause by ``delta``: a 30-min pause still lasts 30 minutes when
        the clock is set (a pause until a time on the wall is left alone by the caller)."""
        if self._paused_until is not None:
            self._paused_until += delta

    def withdraw(self) -> ActiveBreak | None:
        """Drop a due break without counting it as taken or skipped (its window closes);
        returns it. A running break stays."""
        active = self._active
        if active is None or active.phase is not BreakPhase.DUE:
            return None
        self._active = None
        return active

    def plan(self, kind: BreakKind, when: datetime | None) -> None:
        """The next break of ``kind`` comes due at ``when`` (None: none planned)."""
        self._next_due[kind] = when

    def restart_unplanned(self, now: datetime) -> None:
        """Every enabled kind with no due time counts again from ``now``.

        For a state where nothing would ever come due: a due break withdrawn because its
        kind was turned off (it had folded the other kind into itself), or one the
        watchdog found.
        """
        for kind in BreakKind:
            timing = self._config.timing(kind)
            if timing.enabled and self._next_due.get(kind) is None:
                self._next_due[kind] = now + timing.interval

    def resume(self, now: datetime) -> None:
        """End a pause: every break counts again from now, as after a fresh start."""
        self._paused_until = None
        self._restart_all(now)

    def reconfigure(self, config: BreakConfig, now: datetime) -> None:
        """New settings: restart the counting of any kind whose timing changed.

        The break due or running keeps its own length (see the module docstring).
        """
        old, self._config = self._config, config
        for kind in BreakKind:
            if old.timing(kind) != config.timing(kind):
                timing = config.timing(kind)
                self._next_due[kind] = now + timing.interval if timing.enabled else None

    # -- helpers -------------------------------------------------------------------------

    def _require(self, phase: BreakPhase) -> ActiveBreak:
        if self._active is None or self._active.phase is not phase:
            raise BreakStateError(
                translate("Breaks", "no break is due now")
                if phase is BreakPhase.DUE
                else translate("Breaks", "no break is running now")
            )
        return self._active

    def _done(self, kind: BreakKind, now: datetime) -> None:
        self._active = None
        self._postpones[kind] = 0
        kinds = list(BreakKind) if kind is BreakKind.POSTURE else [BreakKind.MICRO]
        for k in kinds:
            timing = self._config.timing(k)
            self._next_due[k] = now + timing.interval if timing.enabled else None
            self._postpones[k] = 0

    def _restart_all(self, now: datetime) -> None:
        for kind in BreakKind:
            timing = self._config.timing(kind)
            self._next_due[kind] = now + timing.interval if timing.enabled else None
            self._postpones[kind] = 0
