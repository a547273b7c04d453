"""The ``neckcare`` command: starts the app, or hands a command to the one already running.

Argument parsing stays import-light: ``--help``, ``--version`` and every usage error answer
without loading Qt, and the GUI modules are imported only when the app really starts.
Exit status: 0 done, 1 NeckCare said no (or is not running), 2 bad arguments.

The parser comes from :mod:`neckcare_desktop.cli_parser`, generated from the one command
table (:mod:`neckcare_desktop.core.commands`); this module runs the parsed command, with
one runner per command of the table (:data:`RUNNERS`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from neckcare_desktop import cli_i18n
from neckcare_desktop.cli_parser import UsageError, build_parser, usage_line
from neckcare_desktop.core.commands import COMMANDS
from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, translate

__all__ = ["EXIT_CLOSED_PIPE", "UsageError", "build_parser", "main", "not_running", "usage_line"]


def not_running() -> str:
    return translate("CLI", "NeckCare is not running")


#: Exit status when the output pipe closed early (as after `| head -1`): 128 + SIGPIPE, what
#: a Unix tool stopped by that signal reports, so `set -o pipefail` scripts see it as usual.
EXIT_CLOSED_PIPE = 141
#: How long ``ice``/``heat``/``break`` wait for a freshly started NeckCare to answer.
START_TIMEOUT_S = 20.0


# -- talking to the running instance --------------------------------------------------------


def _send(cmd: str, args: dict[str, Any] | None = None) -> dict[str, Any] | None:
    from neckcare_desktop.platform.single_instance import send_request

    return send_request(cmd, args or {}, on_busy=_say_busy)


def _say_busy() -> None:
    # Many commands at once fill the socket's queue; the command waits its turn (3 s at most).
    print("neckcare: " + translate("CLI", "NeckCare is busy; retrying..."), file=sys.stderr)


def _start_detached() -> None:
    """Start NeckCare in the background, detached from this terminal."""
    from neckcare_desktop import detach

    detach.spawn()


def _send_starting_if_needed(cmd: str, args: dict[str, Any]) -> dict[str, Any] | None:
    reply = _send(cmd, args)
    if reply is not None:
        return reply
    _start_detached()
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        reply = _send(cmd, args)
        if reply is not None:
            return reply
        time.sleep(0.1)  # a CLI process with no event loop: a short wait for the app to listen
    return None


def _report(reply: dict[str, Any] | None, *, ok_text: str | None = None) -> int:
    """Print the answer: the app's own ``message`` when it has one (it knows what happened:
    "a break is already running"), else ``ok_text``."""
    if reply is None:
        print(not_running(), file=sys.stderr)
        return 1
    if not reply.get("ok"):
        error = reply.get("error") or translate("CLI", "NeckCare refused the command.")
        print(f"neckcare: {error}", file=sys.stderr)
        return 1
    result = reply.get("result")
    message = result.get("message") if isinstance(result, dict) else None
    text = message if isinstance(message, str) and message else ok_text
    if text:
        print(text)
    return 0


def _status_text(result: dict[str, Any]) -> str:
    return "\n".join(str(line) for line in result.get("status", []))


# -- entry point ----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # The person's language for help, messages and errors (not needed to print the version).
    language = "en" if args_list == ["--version"] else cli_i18n.install()
    try:
        try:
            return _main(args_list)
        finally:
            if language != "en":
                cli_i18n.uninstall()  # an in-process caller (a test) gets English back
            # Output still buffered goes out here, where a closed pipe can still be handled;
            # left to the interpreter's exit it would print "Exception ignored ...".
            if sys.stdout is not None:  # None under pythonw on Windows
                sys.stdout.flush()
    except BrokenPipeError:
        # `neckcare status | head -1`: the reader left. Like any Unix tool, end quietly.
        _silence_closed_pipes()
        return EXIT_CLOSED_PIPE


def _silence_closed_pipes() -> None:
    """Point stdout and stderr at the null device so nothing more is written to a closed pipe.

    The recipe of the Python documentation (signal module, "Note on SIGPIPE"): the interpreter
    flushes both streams at exit, and a closed pipe there would print a traceback.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for stream in (sys.stdout, sys.stderr):
            try:
                fd = stream.fileno()
            except (AttributeError, OSError, ValueError):  # replaced by a test or closed
                continue
            os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def _main(args_list: list[str]) -> int:
    try:
        with cli_i18n.argparse_texts():
            args = build_parser().parse_args(args_list)
    except UsageError as exc:
        print(usage_line(exc), file=sys.stderr)
        return 2
    from neckcare_desktop.core.timescale import TimeScale, TimeScaleError

    try:
        TimeScale.from_env(os.environ)  # the app reads it too: a bad one stops here, in words
    except TimeScaleError as exc:
        print(usage_line(UsageError(str(exc))), file=sys.stderr)
        return 2
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise  # a closed output pipe: main() ends quietly
    except Exception as exc:  # the last line of defence: one clear line, never a traceback
        from neckcare_desktop.platform.single_instance import InstanceError

        if isinstance(exc, InstanceError):
            print(f"neckcare: {exc}", file=sys.stderr)
            return 1
        raise


def _dispatch(args: argparse.Namespace) -> int:
    return RUNNERS[args.command or "show"](args)


def _ask(args: argparse.Namespace) -> dict[str, Any] | None:
    """Send the parsed command to the running NeckCare (starting it first for ice, heat and
    break); the request carries what the person gave, a flag only when it is set."""
    command = COMMANDS[args.command]
    payload: dict[str, Any] = {}
    for arg in command.remote_args:
        value = getattr(args, arg.cli_dest)
        if value is not None and value is not False:
            payload[arg.name] = value
    if command.starts_app:
        return _send_starting_if_needed(command.name, payload)
    return _send(command.name, payload)


def _show(args: argparse.Namespace) -> int:
    from neckcare_desktop import lean_imports

    lean_imports.install()  # before Qt and the app's modules are imported
    if _send("show") is not None:
        return 0  # already running: its status window is now in front
    if not (args.foreground or args.debug):
        # Started from a terminal: give it back. --debug logs to the terminal, so it stays.
        from neckcare_desktop import detach

        return detach.start_in_background()
    from neckcare_desktop.launch import run  # Qt is loaded only from here on

    return run([sys.argv[0]], debug=args.debug)


def _therapy(args: argparse.Namespace) -> int:
    reply = _ask(args)
    if reply is not None and reply.get("ok"):
        print(_status_text(reply.get("result") or {}))
    return _report(reply)


def _pause(args: argparse.Namespace) -> int:
    reply = _ask(args)
    until = (reply or {}).get("result") or {}
    return _report(
        reply,
        ok_text=translate("CLI", "Reminders paused until {when}.").format(
            when=until.get("paused_until", "?")
        ),
    )


def _status(args: argparse.Namespace) -> int:
    reply = _ask(args)
    if reply is not None and reply.get("ok"):
        result = reply.get("result") or {}
        print(json.dumps(result, indent=2) if args.json else _status_text(result))
    return _report(reply)


def _local() -> ModuleType:
    """What the command line does without the app (loaded when asked: the running app,
    which imports this module, never needs it)."""
    from neckcare_desktop import cli_local

    return cli_local


def _history(args: argparse.Namespace) -> int:
    if args.csv is not None:
        return _local().export_csv(args.csv)
    reply = _ask(args)
    if reply is None:
        return _local().print_summary(args.days or 7)
    return _report(reply)


def _confirmed(text: str) -> Callable[[argparse.Namespace], int]:
    """A runner for a command whose success is one sentence (``text`` marked for "CLI")."""

    def run(args: argparse.Namespace) -> int:
        return _report(_ask(args), ok_text=translate("CLI", text))

    return run


#: How the command line carries out each command of the table.
RUNNERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "show": _show,
    "ice": _therapy,
    "heat": _therapy,
    "stop": _confirmed(QT_TRANSLATE_NOOP("CLI", "Timer stopped.")),
    "break": _confirmed(QT_TRANSLATE_NOOP("CLI", "Break started.")),
    "pause": _pause,
    "resume": _confirmed(QT_TRANSLATE_NOOP("CLI", "Reminders resumed.")),
    "status": _status,
    "history": _history,
    "quit": _confirmed(QT_TRANSLATE_NOOP("CLI", "NeckCare quit.")),
    "report": lambda args: _local().write_report(args.pdf, args.days or 30),
    "autostart": lambda args: _local().autostart(args.state),
    "install-desktop-entry": lambda args: _local().install_desktop_entry(),
}
