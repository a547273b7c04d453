"""The ``neckcare`` command line's parser and help, generated from the one command table.

Every subcommand, option, check and line of the epilog's command list comes from
:data:`neckcare_desktop.core.commands.COMMANDS`, the table the wire protocol is generated
from too, so ``neckcare --help`` lists exactly what the running NeckCare understands plus
what the command line does by itself. Import-light: no Qt, nothing of the app.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from neckcare_desktop import __version__
from neckcare_desktop.core.commands import COMMANDS, Argument, Command
from neckcare_desktop.core.i18n import translate


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


def _text(command: Command, text: str) -> str:
    """A help text of the table in the person's language, its bounds filled in."""
    return translate("CLI", text).format(**command.text_params()) if text else ""


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


def epilog() -> str:
    """The command list (one row per command of the table), exit statuses and environment."""
    commands = [(c.usage, _text(c, c.about)) for c in COMMANDS.values()]
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


# -- checking values: one line naming what is allowed ---------------------------------------


def _whole_number(command: Command, arg: Argument) -> Callable[[str], int]:
    low = arg.low if arg.low is not None else -(2**63)
    high = arg.high if arg.high is not None else 2**63
    option = f"{command.name} {arg.flag}"

    def parse(text: str) -> int:
        try:
            value: int | None = int(text, 10)
        except ValueError:
            value = None
        if arg.too_high and value is not None and value > high:
            raise argparse.ArgumentTypeError(
                translate("CLI", arg.too_high).format(low=low, high=high, value=value)
            )
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                translate(
                    "CLI", "{option} takes a whole number from {low} to {high}, got {value}"
                ).format(
                    option=option, low=low, high=high, value=repr(text) if value is None else value
                )
            )
        return value

    return parse


def _one_of(command: Command, arg: Argument) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in arg.choices:
            *some, last = arg.choices
            choices = translate("CLI", "{some} or {last}").format(some=", ".join(some), last=last)
            raise argparse.ArgumentTypeError(
                translate("CLI", "{command} takes {choices}, got {value}").format(
                    command=command.name, choices=choices, value=repr(text)
                )
            )
        return text

    return parse


def _add_argument(parser: argparse.ArgumentParser, command: Command, arg: Argument) -> None:
    options: dict[str, Any] = {}
    if arg.help:
        options["help"] = _text(command, arg.help)
    if arg.kind == "bool":
        options["action"] = "store_true"
    elif arg.kind == "int":
        options["type"] = _whole_number(command, arg)
    elif arg.kind == "choice":
        options["type"] = _one_of(command, arg)
    else:
        options["type"] = Path
    if arg.metavar is not None:
        options["metavar"] = arg.metavar
    if arg.positional:
        # The dest is the name in the namespace; the metavar names the allowed words.
        options.setdefault("metavar", "|".join(arg.choices))
        parser.add_argument(arg.cli_dest, **options)
    else:
        # argparse refuses ``required`` for a positional (always required); an option
        # the table marks required (``report --pdf FILE``) must be refused when missing.
        if arg.required:
            options["required"] = True
        parser.add_argument(arg.flag, dest=arg.cli_dest, **options)


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help in the installed language (see :mod:`neckcare_desktop.cli_i18n`)."""
    parser = _Parser(
        prog="neckcare",
        description=_description(),
        epilog=epilog(),
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
    parser.add_argument(
        "--foreground",
        action="store_true",
        help=translate("CLI", "run in the foreground instead of in the background"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS.values():
        if not command.subcommand:
            continue
        # `neckcare ice --help` opens with the epilog's longer sentence for the command.
        subparser = sub.add_parser(
            command.name,
            help=_text(command, command.help),
            description=_text(command, command.about),
        )
        for arg in command.args:
            _add_argument(subparser, command, arg)
    return parser
