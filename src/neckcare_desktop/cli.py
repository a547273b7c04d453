"""The ``neckcare`` command: starts the app, or hands a command to the one already running.

Argument parsing stays import-light: ``--help``, ``--version`` and every usage error answer
without loading Qt, and the GUI modules are imported only when the app really starts.
Exit status: 0 done, 1 NeckCare said no (or is not running), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from neckcare_desktop import __version__, cli_i18n
from neckcare_desktop.core.i18n import translate
from neckcare_desktop.core.limits import (
    HEAT_MAX_MINUTES,
    HEAT_MIN_MINUTES,
    ICE_MAX_MINUTES,
    ICE_MIN_MINUTES,
)


def _description() -> str:
    return translate(
        "CLI",
        "NeckCare Desktop: posture-break reminders and ice/heat timers in the system tray.\n"
        "\n"
        "Run without a command to start NeckCare (or to show its status window when it is\n"
        "already running). The commands below talk to the running NeckCare; ice, heat and\n"
        "break start it first if needed. NeckCare gives reminders and timers; it does not\n"
        "diagnose.\n",
    )


#: Where the descriptions of the epilog's command list start, and how wide they wrap.
_COLUMN = 29
_WIDTH = 92


def _rows(rows: list[tuple[str, str]]) -> list[str]:
    """Two columns: a command (never translated) and what it does, wrapped under itself."""
    lines: list[str] = []
    for left, text in rows:
        wrapped = textwrap.wrap(text, _WIDTH - _COLUMN) or [""]
        if len(left) + 2 < _COLUMN:
            lines.append(f"  {left:<{_COLUMN - 2}}{wrapped[0]}")
            wrapped = wrapped[1:]
        else:
            lines.append(f"  {left}")
        lines += [" " * _COLUMN + line for line in wrapped]
    return lines


def _epilog() -> str:
    commands = [
        ("neckcare", translate("CLI", "start NeckCare, or show its status window if it runs")),
        (
            "neckcare ice [--minutes N] [--anyway]",
            translate(
                "CLI",
                "start an ice timer ({low}–{high} min; ice is capped at {high}); --anyway "
                "starts it while the skin still rests after the last round",
            ).format(low=ICE_MIN_MINUTES, high=ICE_MAX_MINUTES),
        ),
        (
            "neckcare heat [--minutes N]",
            translate("CLI", "start a heat timer ({low}–{high} min)").format(
                low=HEAT_MIN_MINUTES, high=HEAT_MAX_MINUTES
            ),
        ),
        (
            "neckcare stop",
            translate("CLI", "stop the running ice or heat timer (records the actual time)"),
        ),
        ("neckcare break", translate("CLI", "take a posture break now")),
        (
            "neckcare pause 30|60|120|tomorrow",
            translate(
                "CLI",
                "pause break reminders for minutes, or until tomorrow morning (ice and heat "
                "timers keep working)",
            ),
        ),
        ("neckcare resume", translate("CLI", "resume break reminders")),
        ("neckcare status [--json]", translate("CLI", "print the live status")),
        (
            "neckcare history [--days N] [--csv FILE]",
            translate(
                "CLI",
                "open the history window (or print a summary when NeckCare is not running); "
                "--csv exports every event to FILE",
            ),
        ),
        (
            "neckcare quit [--force]",
            translate(
                "CLI",
                "quit NeckCare (while ice or heat runs, only with --force: no alert would "
                "tell you to take it off)",
            ),
        ),
        (
            "neckcare autostart on|off|status",
            translate("CLI", "start NeckCare when you log in (or not), or say whether it does"),
        ),
        (
            "neckcare install-desktop-entry",
            translate("CLI", "add NeckCare to your application launcher"),
        ),
    ]
    exits = [
        ("0", translate("CLI", "done")),
        ("1", translate("CLI", "NeckCare refused or is not running")),
        ("2", translate("CLI", "bad arguments")),
        ("141", translate("CLI", "the output was cut off (its reader left, as with | head)")),
    ]
    environment = [
        (
            "NECKCARE_TIME_SCALE=N",
            translate(
                "CLI",
                "compress every duration N times, for demos and tests (60: one minute lasts "
                "one second)",
            ),
        )
    ]
    return "\n".join(
        [
            translate("CLI", "commands:"),
            *_rows(commands),
            "",
            translate("CLI", "exit status:"),
            *_rows(exits),
            "",
            translate("CLI", "environment:"),
            *_rows(environment),
            "",
            translate(
                "CLI", "Files live in the platform's config and data folders; see the README."
            ),
            "",
        ]
    )


def not_running() -> str:
    return translate("CLI", "NeckCare is not running")


#: Exit status when the output pipe closed early (as after `| head -1`): 128 + SIGPIPE, what
#: a Unix tool stopped by that signal reports, so `set -o pipefail` scripts see it as usual.
EXIT_CLOSED_PIPE = 141
#: How long ``ice``/``heat``/``break`` wait for a freshly started NeckCare to answer.
START_TIMEOUT_S = 20.0
PAUSE_CHOICES = ("30", "60", "120", "tomorrow")


class UsageError(Exception):
    """Bad command-line input; the message is one line naming the allowed values."""


def usage_line(exc: UsageError) -> str:
    """The error as exactly one printable line, whatever odd bytes the arguments held."""
    text = " ".join(str(exc).split())
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return f"neckcare: {text}"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _minutes_type(kind: str, low: int, high: int) -> Any:
    ice = kind == "ice"

    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            value = None
        if ice and value is not None and value > high:
            raise argparse.ArgumentTypeError(
                translate(
                    "CLI",
                    "ice is capped at {high} minutes a round to protect the skin; "
                    "choose {low}–{high}, got {value}",
                ).format(low=low, high=high, value=value)
            )
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                (
                    translate(
                        "CLI",
                        "ice --minutes takes a whole number from {low} to {high}, got {value}",
                    )
                    if ice
                    else translate(
                        "CLI",
                        "heat --minutes takes a whole number from {low} to {high}, got {value}",
                    )
                ).format(low=low, high=high, value=repr(text) if value is None else value)
            )
        return value

    return parse


def _days_type(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        value = 0
    if not 1 <= value <= 3650:
        raise argparse.ArgumentTypeError(
            translate("CLI", "--days takes a whole number from 1 to 3650, got {value}").format(
                value=repr(text)
            )
        )
    return value


def _pause_type(text: str) -> str:
    if text not in PAUSE_CHOICES:
        raise argparse.ArgumentTypeError(
            translate("CLI", "pause takes 30, 60, 120 or tomorrow, got {value}").format(
                value=repr(text)
            )
        )
    return text


def _autostart_type(text: str) -> str:
    if text not in ("on", "off", "status"):
        raise argparse.ArgumentTypeError(
            translate("CLI", "autostart takes on, off or status, got {value}").format(
                value=repr(text)
            )
        )
    return text


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help in the installed language (see :mod:`neckcare_desktop.cli_i18n`)."""
    parser = _Parser(
        prog="neckcare",
        description=_description(),
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"neckcare {__version__}",
        help=translate("CLI", "print the version and exit"),
    )
    parser.add_argument(
        "--debug", action="store_true", help=translate("CLI", "log everything to the terminal")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    ice = sub.add_parser(
        "ice",
        help=translate("CLI", "start an ice timer (capped at {high} min)").format(
            high=ICE_MAX_MINUTES
        ),
    )
    ice.add_argument(
        "--minutes",
        type=_minutes_type("ice", ICE_MIN_MINUTES, ICE_MAX_MINUTES),
        help=translate("CLI", "length of this round, {low}–{high} (default: settings)").format(
            low=ICE_MIN_MINUTES, high=ICE_MAX_MINUTES
        ),
    )
    ice.add_argument(
        "--anyway",
        action="store_true",
        help=translate(
            "CLI",
            "start even though the skin is still resting after the last ice round (what "
            "NeckCare's menu asks you to confirm)",
        ),
    )
    heat = sub.add_parser("heat", help=translate("CLI", "start a heat timer"))
    heat.add_argument(
        "--minutes",
        type=_minutes_type("heat", HEAT_MIN_MINUTES, HEAT_MAX_MINUTES),
        help=translate("CLI", "length of this session, {low}–{high} (default: settings)").format(
            low=HEAT_MIN_MINUTES, high=HEAT_MAX_MINUTES
        ),
    )
    sub.add_parser("stop", help=translate("CLI", "stop the running ice or heat timer"))
    sub.add_parser("break", help=translate("CLI", "take a posture break now"))
    pause = sub.add_parser("pause", help=translate("CLI", "pause break reminders"))
    pause.add_argument(
        "duration",
        type=_pause_type,
        metavar="30|60|120|tomorrow",
        help=translate("CLI", "minutes, or until tomorrow morning at the start of working hours"),
    )
    sub.add_parser("resume", help=translate("CLI", "resume break reminders"))
    status = sub.add_parser("status", help=translate("CLI", "print the live status"))
    status.add_argument(
        "--json", action="store_true", help=translate("CLI", "machine-readable output")
    )
    history = sub.add_parser(
        "history", help=translate("CLI", "open the history window or export it")
    )
    history.add_argument(
        "--days",
        type=_days_type,
        default=None,
        help=translate("CLI", "how many days to show (1–3650, default 7)"),
    )
    history.add_argument(
        "--csv",
        type=Path,
        metavar="FILE",
        help=translate("CLI", "export every event to FILE as CSV (UTF-8)"),
    )
    quit_ = sub.add_parser("quit", help=translate("CLI", "quit NeckCare"))
    quit_.add_argument(
        "--force",
        action="store_true",
        help=translate(
            "CLI", "quit even while ice or heat runs (no alert will tell you to take it off)"
        ),
    )
    autostart = sub.add_parser(
        "autostart", help=translate("CLI", "start NeckCare at login, or not")
    )
    autostart.add_argument("state", type=_autostart_type, metavar="on|off|status")
    sub.add_parser(
        "install-desktop-entry", help=translate("CLI", "add NeckCare to the application launcher")
    )
    return parser


# -- talking to the running instance --------------------------------------------------------


def _send(cmd: str, args: dict[str, Any] | None = None) -> dict[str, Any] | None:
    from neckcare_desktop.platform.single_instance import send_request

    return send_request(cmd, args or {}, on_busy=_say_busy)


def _say_busy() -> None:
    # Many commands at once fill the socket's queue; the command waits its turn (3 s at most).
    print("neckcare: " + translate("CLI", "NeckCare is busy; retrying..."), file=sys.stderr)


def _start_detached() -> None:
    """Start NeckCare in the background, detached from this terminal."""
    creationflags = 0
    kwargs: dict[str, Any] = {}
    if os.name == "nt":
        creationflags = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS
    else:
        kwargs["start_new_session"] = True
    subprocess.Popen(
        [sys.executable, "-m", "neckcare_desktop"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        creationflags=creationflags,
        close_fds=True,
        **kwargs,
    )


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


# -- history without a running app ----------------------------------------------------------


def _history_store() -> Any:
    from neckcare_desktop.core.history import HistoryStore
    from neckcare_desktop.core.timescale import TimeScale
    from neckcare_desktop.paths import AppPaths

    # Compressed time is test mode, whose rows live in the demo history (see paths.py):
    # the command line reads the history the app of the same environment writes.
    demo = TimeScale.from_env(os.environ).is_compressed
    return HistoryStore(AppPaths.default(demo=demo).history_file)


def _export_csv(path: Path) -> int:
    from neckcare_desktop.core.history import HistoryError

    # The file holds pain scores and spasms: readable by this user only (0600), as the
    # window's export is (the app runs with this umask).
    old_umask = os.umask(0o077) if os.name == "posix" else None
    try:
        store = _history_store()
        try:
            count = store.export_csv(path)
        finally:
            store.close()
    except (HistoryError, OSError) as exc:
        print(
            "neckcare: "
            + translate("CLI", "could not export history to {path}: {reason}").format(
                path=path, reason=exc
            ),
            file=sys.stderr,
        )
        return 1
    finally:
        if old_umask is not None:
            os.umask(old_umask)
    print(translate("CLI", "Exported {count} events to {path}").format(count=count, path=path))
    return 0


def _print_summary(days: int) -> int:
    from neckcare_desktop.core.history import HistoryError
    from neckcare_desktop.core.history_totals import range_totals

    # The same local days and the same sums as the History window's totals line.
    today = datetime.now().astimezone().date()
    try:
        store = _history_store()
        try:
            t = range_totals(store.daily_summary(today - timedelta(days=days - 1), today))
        finally:
            store.close()
    except (HistoryError, OSError) as exc:
        print(
            "neckcare: " + translate("CLI", "could not read history: {reason}").format(reason=exc),
            file=sys.stderr,
        )
        return 1
    print(
        (
            translate("CLI", "Last day (NeckCare is not running):")
            if days == 1
            else translate("CLI", "Last {days} days (NeckCare is not running):")
        ).format(days=days)
    )
    if t.episodes == 0:
        spasms = translate("CLI", "spasms: none logged")
    else:
        spasms = translate("CLI", "spasms: {n} (worst pain {pain} of 10)").format(
            n=t.episodes, pain=t.worst_pain
        )
    for line in (
        translate("CLI", "breaks taken: {n} ({completed} completed, {natural} while away)").format(
            n=t.taken, completed=t.completed, natural=t.natural
        ),
        translate("CLI", "breaks postponed: {n}").format(n=t.postponed),
        translate("CLI", "breaks skipped: {n}").format(n=t.skipped),
        translate("CLI", "ice: {n} min").format(n=t.ice_minutes),
        translate("CLI", "heat: {n} min").format(n=t.heat_minutes),
        spasms,
    ):
        print("  " + line)
    return 0


def _autostart(state: str) -> int:
    from neckcare_desktop.platform.autostart import default_backend, launch_command

    backend = default_backend()
    try:
        if state == "on":
            backend.enable(launch_command())
        elif state == "off":
            backend.disable()
    except OSError as exc:
        print(
            "neckcare: "
            + translate("CLI", "could not change autostart ({where}): {reason}").format(
                where=backend.describe(), reason=exc
            ),
            file=sys.stderr,
        )
        return 1
    print(
        (
            translate("CLI", "NeckCare starts at login ({where}).")
            if backend.is_enabled()
            else translate("CLI", "NeckCare does not start at login ({where}).")
        ).format(where=backend.describe())
    )
    return 0


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
    command = args.command
    if command is None:
        from neckcare_desktop import lean_imports

        lean_imports.install()  # before Qt and the app's modules are imported
        if _send("show") is not None:
            return 0  # already running: its status window is now in front
        from neckcare_desktop.launch import run  # Qt is loaded only from here on

        return run([sys.argv[0]], debug=args.debug)
    if command in ("ice", "heat"):
        payload: dict[str, Any] = {} if args.minutes is None else {"minutes": args.minutes}
        if getattr(args, "anyway", False):
            payload["anyway"] = True
        reply = _send_starting_if_needed(command, payload)
        if reply is not None and reply.get("ok"):
            print(_status_text(reply.get("result") or {}))
        return _report(reply)
    if command == "break":
        return _report(
            _send_starting_if_needed("break", {}), ok_text=translate("CLI", "Break started.")
        )
    if command == "stop":
        return _report(_send("stop"), ok_text=translate("CLI", "Timer stopped."))
    if command == "pause":
        reply = _send("pause", {"choice": args.duration})
        until = (reply or {}).get("result") or {}
        return _report(
            reply,
            ok_text=translate("CLI", "Reminders paused until {when}.").format(
                when=until.get("paused_until", "?")
            ),
        )
    if command == "resume":
        return _report(_send("resume"), ok_text=translate("CLI", "Reminders resumed."))
    if command == "status":
        reply = _send("status")
        if reply is not None and reply.get("ok"):
            result = reply.get("result") or {}
            print(json.dumps(result, indent=2) if args.json else _status_text(result))
        return _report(reply)
    if command == "history":
        if args.csv is not None:
            return _export_csv(args.csv)
        # Without --days the open window keeps the range the person chose in it.
        reply = _send("history", {} if args.days is None else {"days": args.days})
        if reply is None:
            return _print_summary(args.days or 7)
        return _report(reply)
    if command == "quit":
        # The app refuses while ice or heat runs: no alert would tell the person to stop.
        force = {"force": True} if args.force else {}
        return _report(_send("quit", force), ok_text=translate("CLI", "NeckCare quit."))
    if command == "autostart":
        return _autostart(args.state)
    if command == "install-desktop-entry":
        from neckcare_desktop.platform.desktop_entry import install_desktop_entry

        try:
            written = install_desktop_entry()
        except OSError as exc:
            print(
                "neckcare: "
                + translate("CLI", "could not install the launcher entry: {reason}").format(
                    reason=exc
                ),
                file=sys.stderr,
            )
            return 1
        print(
            translate("CLI", "Installed {entry} and {count} icons.").format(
                entry=written[0], count=len(written) - 1
            )
        )
        return 0
    raise AssertionError(f"unhandled command {command!r}")
