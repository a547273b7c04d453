"""The running NeckCare's answers to ``neckcare`` commands: one handler per command.

:data:`HANDLERS` maps every remote command of the one command table
(:data:`neckcare_desktop.core.commands.COMMANDS`) to the function that carries it out;
:func:`dispatch` is what the instance server calls for each validated request. A handler
must answer quickly and never open a dialog: the person is at a terminal waiting for one
line. A rule that says no raises :class:`CommandRefused` with a sentence for them. Every
text here is translated in the context "CommandHandlers", spelled out in each call because
``pyside6-lupdate`` only extracts literal contexts.

The handlers see the app only through :class:`CommandTarget` (the controller), the list
agreed in /tmp/team/contracts.md, so they can be read and tested without the whole app.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Protocol, cast

from neckcare_desktop.core import guidance
from neckcare_desktop.core.breaks import BreakKind, BreakPhase, BreakStateError
from neckcare_desktop.core.i18n import translate, weekday_short
from neckcare_desktop.core.therapy import RestPeriodActive, TherapyError, TherapyKind
from neckcare_desktop.platform.single_instance import CommandRefused
from neckcare_desktop.prompts import quit_warning

if TYPE_CHECKING:
    from neckcare_desktop.core.clock import Clock
    from neckcare_desktop.core.engine import Engine
    from neckcare_desktop.core.ipc_protocol import Request
    from neckcare_desktop.core.therapy import FinishedSession
    from neckcare_desktop.core.timescale import TimeScale


class CommandTarget(Protocol):
    """What the handlers use of the running app (its controller)."""

    engine: Engine
    clock: Clock
    scale: TimeScale

    def show_status_window(self) -> None: ...

    def show_history(self, days: int | None) -> int:
        """Open History on the range nearest to ``days``; returns the days it shows."""
        ...

    def announce_stop(self, finished: FinishedSession) -> str:
        """Tell the person how a stopped round went; returns that sentence."""
        ...

    def break_remaining(self) -> float:
        """App seconds left of the running break (0 when none runs)."""
        ...

    def phase(self) -> guidance.Phase | None:
        """The spasm guidance phase, or None (none, or the history cannot be read)."""
        ...

    def quit_soon(self) -> None:
        """Quit once the current answer is on its way."""
        ...


Handler = Callable[[CommandTarget, Mapping[str, Any]], object]


def _show(target: CommandTarget, args: Mapping[str, Any]) -> object:
    target.show_status_window()
    return {"shown": True}


def _start_therapy(kind: TherapyKind) -> Handler:
    def start(target: CommandTarget, args: Mapping[str, Any]) -> object:
        minutes = args.get("minutes")
        intermittent = bool(args.get("intermittent"))
        if intermittent and minutes is not None:
            raise CommandRefused(
                translate(
                    "CommandHandlers",
                    "--intermittent is always 10 minutes on, 10 off, 10 on, so it takes no "
                    "--minutes. Use one or the other: neckcare ice --intermittent, or "
                    "neckcare ice --minutes {minutes}",
                ).format(minutes=minutes)
            )
        try:
            target.engine.start_therapy(
                kind,
                minutes,
                confirm_during_rest=bool(args.get("anyway")),
                intermittent=intermittent,
            )
        except RestPeriodActive as exc:
            # The menu's "Ice again so soon?", as a terminal can ask it: the reason, and
            # the command that confirms.
            left = target.scale.app_seconds(exc.rest_until - target.clock.now())
            again = "neckcare ice" + ("" if minutes is None else f" --minutes {minutes}")
            again += " --intermittent" if intermittent else ""
            raise CommandRefused(
                translate(
                    "CommandHandlers",
                    "Your skin is still resting after the last ice round: ice again in "
                    "{minutes} min. To start another round anyway: {command}",
                ).format(minutes=max(1, math.ceil(left / 60)), command=again + " --anyway")
            ) from exc
        return target.engine.status().to_json()

    return start


def _stop(target: CommandTarget, args: Mapping[str, Any]) -> object:
    finished = target.engine.stop_therapy(skin_numb=bool(args.get("numb")))
    message = target.announce_stop(finished)
    return {
        "kind": finished.session.kind.value,
        "actual_seconds": finished.actual_seconds,
        "cancelled": finished.cancelled,
        "message": message,
    }


def _break(target: CommandTarget, args: Mapping[str, Any]) -> object:
    engine = target.engine
    active = engine.breaks.active
    if active is not None and active.phase is BreakPhase.RUNNING:
        left = max(0.0, target.break_remaining())
        return {
            **engine.status().to_json(),
            "message": (
                translate(
                    "CommandHandlers", "A posture break is already running: {minutes} min left."
                )
                if active.kind is BreakKind.POSTURE
                else translate(
                    "CommandHandlers", "A micro-break is already running: {seconds} s left."
                )
            ).format(minutes=max(1, math.ceil(left / 60)), seconds=round(left)),
        }
    engine.take_break_now()
    return engine.status().to_json()


def _pause(target: CommandTarget, args: Mapping[str, Any]) -> object:
    until = target.engine.pause(args["choice"])
    return {"paused_until": until.strftime("%Y-%m-%d %H:%M")}


def _resume(target: CommandTarget, args: Mapping[str, Any]) -> object:
    before = target.engine.status()
    if before.paused_until is None:
        return {
            **before.to_json(),
            "message": translate(
                "CommandHandlers", "Break reminders are not paused; nothing to resume."
            ),
        }
    if before.off_hours:  # resuming cannot bring reminders outside working hours
        until = before.paused_until
        when = until.strftime("%H:%M")
        if until.date() != target.clock.now().date():
            when = translate("CommandHandlers", "{weekday} {time}").format(
                weekday=weekday_short(until), time=when
            )
        return {
            **before.to_json(),
            "message": translate(
                "CommandHandlers",
                "Nothing to resume: it is outside your working hours; break "
                "reminders start again at {when}.",
            ).format(when=when),
        }
    target.engine.resume()
    return target.engine.status().to_json()


def _status(target: CommandTarget, args: Mapping[str, Any]) -> object:
    result = target.engine.status().to_json()
    phase = target.phase()
    result["phase"] = phase
    advice = guidance.status_line(phase)
    if advice:
        result["status"] = [*cast("list[str]", result["status"]), advice]
    return result


def _history(target: CommandTarget, args: Mapping[str, Any]) -> object:
    asked = args.get("days")
    shown = target.show_history(asked)
    if asked is None or asked == shown:
        message = translate("CommandHandlers", "History opened on the last {days} days.")
    else:  # the window offers 7, 30 or 90 days: say which one it chose
        message = translate(
            "CommandHandlers",
            "History opened on the last {days} days (the nearest it shows to {asked}).",
        )
    return {"shown": True, "days": shown, "message": message.format(days=shown, asked=asked)}


def _quit(target: CommandTarget, args: Mapping[str, Any]) -> object:
    warning = quit_warning(target.engine.status())
    if warning is not None and not args.get("force"):
        raise CommandRefused(
            warning + " " + translate("CommandHandlers", "To quit anyway: neckcare quit --force")
        )
    target.quit_soon()  # reply first; quit once the answer is on its way
    return {"quitting": True}


#: The handler of every remote command of the command table (tests/test_commands.py checks
#: that none is missing).
HANDLERS: Final[Mapping[str, Handler]] = {
    "show": _show,
    "ice": _start_therapy(TherapyKind.ICE),
    "heat": _start_therapy(TherapyKind.HEAT),
    "stop": _stop,
    "break": _break,
    "pause": _pause,
    "resume": _resume,
    "status": _status,
    "history": _history,
    "quit": _quit,
}


def dispatch(target: CommandTarget, request: Request) -> object:
    """Answer one command from the ``neckcare`` command line (already validated).

    Returns the JSON-ready result; a rule that says no (a therapy rule, a break that
    cannot change now) becomes :class:`CommandRefused` with its sentence.
    """
    handler = HANDLERS.get(request.cmd)
    if handler is None:  # validation lets only known commands through; never a KeyError
        raise CommandRefused(
            translate("CommandHandlers", "NeckCare does not know the command {command}.").format(
                command=repr(request.cmd)
            )
        )
    try:
        return handler(target, request.args)
    except TherapyError as exc:
        raise CommandRefused(str(exc)) from exc
    except BreakStateError as exc:
        raise CommandRefused(
            translate("CommandHandlers", "No break can be changed now: {reason}.").format(
                reason=exc
            )
        ) from exc
