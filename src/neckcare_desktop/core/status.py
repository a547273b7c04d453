"""What the status line, the tooltip and ``neckcare status --json`` say, from the engine's state.

Kept apart from core.engine so that the engine holds decisions and this module only words
them; the texts keep the "Engine" translation context they always had.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from neckcare_desktop.core.breaks import ActiveBreak, BreakKind, BreakPhase, BreakPolicy
from neckcare_desktop.core.i18n import month_short, translate, weekday_short
from neckcare_desktop.core.pause import PauseReason
from neckcare_desktop.core.therapy import TherapyKind, TherapySession, TherapyTimer
from neckcare_desktop.core.therapy_session import display_minutes
from neckcare_desktop.core.timescale import TimeScale


@dataclass(frozen=True)
class Status:
    """Everything the status line, the tooltip and ``neckcare status --json`` show."""

    lines: tuple[str, ...]
    therapy: TherapySession | None
    #: Seconds to the session's end (an intermittent one: off parts included).
    therapy_remaining_seconds: int | None
    ice_rest_remaining_seconds: int | None
    next_break: tuple[BreakKind, datetime] | None
    next_break_in_seconds: int | None
    active_break: ActiveBreak | None
    paused_until: datetime | None
    time_scale: float
    off_hours: bool = False
    away: bool = False
    held_reason: str | None = None
    #: A call is on and holds due breaks (breaks.respect_calls).
    in_call: bool = False
    #: The running part of an intermittent ice session: (index, on, seconds left of it).
    therapy_part: tuple[int, bool, int] | None = None

    @property
    def summary(self) -> str:
        return self.lines[0] if self.lines else "NeckCare"

    def to_json(self) -> dict[str, object]:
        def iso(when: datetime | None) -> str | None:
            return when.isoformat(timespec="seconds") if when else None

        return {
            "status": list(self.lines),
            "therapy": None
            if self.therapy is None
            else {
                "kind": self.therapy.kind.value,
                "started_at": iso(self.therapy.started_at),
                "planned_seconds": self.therapy.planned_seconds,
                "remaining_seconds": self.therapy_remaining_seconds,
                "parts": list(self.therapy.parts),
                "part": None
                if self.therapy_part is None
                else {
                    "index": self.therapy_part[0],
                    "on": self.therapy_part[1],
                    "remaining_seconds": self.therapy_part[2],
                },
            },
            "ice_rest_remaining_seconds": self.ice_rest_remaining_seconds,
            "next_break": None
            if self.next_break is None
            else {
                "kind": self.next_break[0].value,
                "due_at": iso(self.next_break[1]),
                "in_seconds": self.next_break_in_seconds,
            },
            "active_break": None
            if self.active_break is None
            else {"kind": self.active_break.kind.value, "phase": self.active_break.phase.value},
            "paused_until": iso(self.paused_until),
            "outside_working_hours": self.off_hours,
            "away": self.away,
            "held_for": self.held_reason,
            "in_call": self.in_call,
            "time_scale": self.time_scale,
        }


#: Whole minutes for display, rounded up (shared with the therapy notices).
_minutes = display_minutes


def build_status(
    now: datetime,
    therapy: TherapyTimer,
    breaks: BreakPolicy,
    scale: TimeScale,
    *,
    pause_reason: PauseReason | None,
    away: bool,
    held_reason: str | None,
    in_call: bool = False,
) -> Status:
    """The status at ``now``; ``held_reason`` is set only while a due break is held;
    ``in_call``: a call holds due breaks (said while reminders run, held or not)."""
    lines: list[str] = []
    session = therapy.active
    therapy_left = None
    therapy_part = None
    if session is not None:
        therapy_left = max(0, round(scale.app_seconds(session.ends_at - now)))
        part = session.part_at(now, scale)
        part_left = max(0, round(scale.app_seconds(part.ends_at - now)))
        if session.intermittent:
            therapy_part = (part.index, part.on, part_left)
        if session.intermittent and part.index < len(session.parts) - 1:
            lines.append(
                (
                    translate("Engine", "Ice on — off in {minutes} min")
                    if part.on
                    else translate("Engine", "Ice off — back on in {minutes} min")
                ).format(minutes=_minutes(part_left))
            )
        else:
            lines.append(
                (
                    translate("Engine", "Ice: {minutes} min left")
                    if session.kind is TherapyKind.ICE
                    else translate("Engine", "Heat: {minutes} min left")
                ).format(minutes=_minutes(therapy_left))
            )
    rest = therapy.rest_remaining(now)
    rest_left = None if rest is None else round(scale.app_seconds(rest))
    # The first line is the tray menu's header: a running ice or heat timer, then a running
    # or due break, a pause, away. The skin's rest goes after those, before the routine
    # "Next break in N min" (or "reminders are off").
    break_at = len(lines)
    routine = False

    policy = breaks
    upcoming = policy.upcoming()
    next_in = None
    active = policy.active
    if policy.paused_until is not None and pause_reason is PauseReason.HOURS:
        until = policy.paused_until
        when = until.strftime("%H:%M")
        if until.date() != now.date():
            when = translate("Engine", "{weekday} {time}").format(
                weekday=weekday_short(until), time=when
            )
        lines.append(
            translate("Engine", "Outside working hours: reminders from {when}").format(when=when)
        )
    elif policy.paused_until is not None:
        until = policy.paused_until
        when = until.strftime("%H:%M")
        if until.date() != now.date():
            when = (
                translate("Engine", "tomorrow {time}").format(time=when)
                if until.date() == (now + timedelta(days=1)).date()
                else translate("Engine", "{weekday} {day} {month} {time}").format(
                    weekday=weekday_short(until),
                    day=f"{until.day:02d}",
                    month=month_short(until),
                    time=when,
                )
            )
        lines.append(translate("Engine", "Reminders paused until {when}").format(when=when))
    elif active is not None and active.phase is BreakPhase.RUNNING and active.ends_at:
        left = scale.app_seconds(active.ends_at - now)
        if active.kind is BreakKind.MICRO:
            lines.append(
                translate("Engine", "Micro-break: {seconds} s left").format(
                    seconds=max(0, round(left))
                )
            )
        else:
            lines.append(
                translate("Engine", "Posture break: {minutes} min left").format(
                    minutes=_minutes(left)
                )
            )
    elif active is not None:
        lines.append(
            translate("Engine", "Posture break due")
            if active.kind is BreakKind.POSTURE
            else translate("Engine", "Micro-break due")
        )
    elif away:
        lines.append(translate("Engine", "Away: breaks count while you are away"))
    elif held_reason is not None and in_call:
        lines.append(translate("Engine", "In a call: breaks wait"))
    elif held_reason is not None:
        lines.append(translate("Engine", "Break waiting: {reason}").format(reason=held_reason))
    elif upcoming is not None:
        routine = True
        if in_call:  # first: the tray's header says why no break will interrupt the call
            lines.append(translate("Engine", "In a call: breaks wait"))
        next_in = max(0, round(scale.app_seconds(upcoming[1] - now)))
        lines.append(
            translate("Engine", "Next break in {minutes} min").format(minutes=_minutes(next_in))
        )
    else:
        routine = True
        lines.append(translate("Engine", "Break reminders are off"))
    if rest_left is not None and session is None:
        lines.insert(
            break_at if routine else len(lines),
            translate("Engine", "Ice again in {minutes} min").format(minutes=_minutes(rest_left)),
        )
    if scale.is_compressed:
        lines.append(
            translate("Engine", "Time scale ×{factor} (test mode)").format(
                factor=f"{scale.factor:g}"
            )
        )
    return Status(
        lines=tuple(lines),
        therapy=session,
        therapy_remaining_seconds=therapy_left,
        ice_rest_remaining_seconds=rest_left,
        next_break=upcoming,
        next_break_in_seconds=next_in,
        active_break=active,
        paused_until=policy.paused_until,
        time_scale=scale.factor,
        off_hours=pause_reason is PauseReason.HOURS,
        away=away,
        held_reason=held_reason,
        in_call=in_call,
        therapy_part=therapy_part,
    )
