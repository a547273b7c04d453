"""Every command of ``neckcare``, declared once.

Three things are generated from :data:`COMMANDS`, so they cannot drift apart: the wire
protocol's command list (:data:`neckcare_desktop.core.ipc_protocol.COMMANDS`: names,
argument types, required arguments, protocol limits), the command line's ``argparse``
parser with its help and the epilog's command list (``neckcare_desktop.cli_parser``), and
the check that the running app has a handler for every remote command
(``neckcare_desktop.command_handlers.HANDLERS``).

The help texts are English source strings marked for ``pyside6-lupdate`` in the context
"CLI"; the command line translates them where it shows them. They may hold ``{low}`` and
``{high}``, filled with the bounds of the command's whole-number argument.

Pure Python, and cheap to import: ``neckcare --help`` and ``--version`` load this module, so
its records are named tuples (``dataclasses`` would import ``inspect``, a few milliseconds
of every ``neckcare`` call).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal, NamedTuple

from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP
from neckcare_desktop.core.limits import (
    HEAT_MAX_MINUTES,
    HEAT_MIN_MINUTES,
    ICE_MAX_MINUTES,
    ICE_MIN_MINUTES,
)
from neckcare_desktop.core.pause import PAUSE_CHOICES

#: ``int``: a whole number; ``bool``: a flag; ``choice``: one of a few words; ``path``: a file
#: name (only ever read by the command line itself, never sent).
ArgKind = Literal["int", "bool", "choice", "path"]

#: Longest history range the protocol and the command line accept (ten years).
MAX_HISTORY_DAYS: Final = 3650


class Argument(NamedTuple):
    """One argument of a command, as the wire and the command line see it.

    ``name`` is the key in the request's ``args``; ``positional`` arguments are written bare
    on the command line (``neckcare pause 30``), the others as ``--name``. ``low``/``high``
    are what the command line accepts; ``wire_limits`` says whether the protocol checks them
    too. Safety limits (ice at most 20 minutes) are the core therapy rules' business, which
    refuse with their own sentence, so the protocol leaves them out. ``remote`` is false for
    arguments the command line handles itself (``status --json``, ``history --csv``).
    """

    name: str
    kind: ArgKind
    help: str = ""
    positional: bool = False
    dest: str | None = None
    metavar: str | None = None
    required: bool = False
    choices: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    wire_limits: bool = False
    #: Said instead of the plain range error when a number is above ``high`` (the ice cap).
    too_high: str = ""
    remote: bool = True

    @property
    def flag(self) -> str:
        """How the command line spells it: ``--minutes``, or the dest of a positional."""
        return self.cli_dest if self.positional else "--" + self.name.replace("_", "-")

    @property
    def cli_dest(self) -> str:
        """The attribute of argparse's namespace that holds the value."""
        return self.dest or self.name

    @property
    def usage(self) -> str:
        """The argument in the epilog's command list: ``[--minutes N]``, ``30|60|120|tomorrow``."""
        if self.positional:
            return self.metavar or "|".join(self.choices)
        if self.kind == "bool":
            return f"[{self.flag}]"
        given = f"{self.flag} {self.metavar or 'N'}"
        return given if self.required else f"[{given}]"


class Command(NamedTuple):
    """One command: what it does, which arguments it takes and where it runs.

    ``remote`` commands go to the running NeckCare (the protocol's commands); the others
    (``autostart``, ``install-desktop-entry``) are done by the command line itself.
    ``subcommand`` is false for ``show``, which is ``neckcare`` without a command.
    ``starts_app``: the command line starts NeckCare first when it is not running.
    """

    name: str
    about: str
    help: str = ""
    args: tuple[Argument, ...] = ()
    remote: bool = True
    subcommand: bool = True
    starts_app: bool = False

    @property
    def usage(self) -> str:
        """The command in the epilog's command list: ``neckcare ice [--minutes N] [--anyway]``."""
        words = ["neckcare"] + ([self.name] if self.subcommand else [])
        return " ".join(words + [arg.usage for arg in self.args])

    @property
    def remote_args(self) -> tuple[Argument, ...]:
        return tuple(arg for arg in self.args if arg.remote)

    def text_params(self) -> dict[str, int]:
        """``{low}`` and ``{high}`` for this command's texts: its whole number's bounds."""
        for arg in self.args:
            if arg.low is not None and arg.high is not None:
                return {"low": arg.low, "high": arg.high}
        return {}


def _minutes(low: int, high: int, help_text: str, too_high: str = "") -> Argument:
    return Argument("minutes", "int", help_text, low=low, high=high, too_high=too_high)


#: Every command, in the order the help lists them.
COMMANDS: Final[Mapping[str, Command]] = MappingProxyType(
    {
        command.name: command
        for command in (
            Command(
                "show",
                QT_TRANSLATE_NOOP("CLI", "start NeckCare, or show its status window if it runs"),
                subcommand=False,
            ),
            Command(
                "ice",
                QT_TRANSLATE_NOOP(
                    "CLI",
                    "start an ice timer ({low}–{high} min; ice is capped at {high}); --anyway "
                    "starts it while the skin still rests after the last round",
                ),
                QT_TRANSLATE_NOOP("CLI", "start an ice timer (capped at {high} min)"),
                (
                    _minutes(
                        ICE_MIN_MINUTES,
                        ICE_MAX_MINUTES,
                        QT_TRANSLATE_NOOP(
                            "CLI", "length of this round, {low}–{high} (default: settings)"
                        ),
                        QT_TRANSLATE_NOOP(
                            "CLI",
                            "ice is capped at {high} minutes a round to protect the skin; "
                            "choose {low}–{high}, got {value}",
                        ),
                    ),
                    # During the skin's rest after the last round: the "Ice again so soon?"
                    # that the menu asks, confirmed.
                    Argument(
                        "anyway",
                        "bool",
                        QT_TRANSLATE_NOOP(
                            "CLI",
                            "start even though the skin is still resting after the last ice "
                            "round (what NeckCare's menu asks you to confirm)",
                        ),
                    ),
                    # Bleakley 2006 (ankle sprains): 10 on, 10 off, 10 on; one session.
                    Argument(
                        "intermittent",
                        "bool",
                        QT_TRANSLATE_NOOP(
                            "CLI",
                            "one session of 10 minutes on, 10 off, 10 on (an alert at each switch)",
                        ),
                    ),
                ),
                starts_app=True,
            ),
            Command(
                "heat",
                QT_TRANSLATE_NOOP("CLI", "start a heat timer ({low}–{high} min)"),
                QT_TRANSLATE_NOOP("CLI", "start a heat timer"),
                (
                    _minutes(
                        HEAT_MIN_MINUTES,
                        HEAT_MAX_MINUTES,
                        QT_TRANSLATE_NOOP(
                            "CLI", "length of this session, {low}–{high} (default: settings)"
                        ),
                    ),
                ),
                starts_app=True,
            ),
            Command(
                "stop",
                QT_TRANSLATE_NOOP(
                    "CLI", "stop the running ice or heat timer (records the actual time)"
                ),
                QT_TRANSLATE_NOOP("CLI", "stop the running ice or heat timer"),
                (
                    # What the tray's "My skin is numb" does: recorded as the reason.
                    Argument(
                        "numb",
                        "bool",
                        QT_TRANSLATE_NOOP(
                            "CLI", "stop ice because your skin went numb (recorded as why)"
                        ),
                    ),
                ),
            ),
            Command(
                "break",
                QT_TRANSLATE_NOOP("CLI", "take a posture break now"),
                QT_TRANSLATE_NOOP("CLI", "take a posture break now"),
                starts_app=True,
            ),
            Command(
                "pause",
                QT_TRANSLATE_NOOP(
                    "CLI",
                    "pause break reminders for minutes, or until tomorrow morning (ice and heat "
                    "timers keep working)",
                ),
                QT_TRANSLATE_NOOP("CLI", "pause break reminders"),
                (
                    Argument(
                        "choice",
                        "choice",
                        QT_TRANSLATE_NOOP(
                            "CLI",
                            "minutes, or until tomorrow morning at the start of working hours",
                        ),
                        positional=True,
                        dest="duration",
                        required=True,
                        choices=PAUSE_CHOICES,
                    ),
                ),
            ),
            Command(
                "resume",
                QT_TRANSLATE_NOOP("CLI", "resume break reminders"),
                QT_TRANSLATE_NOOP("CLI", "resume break reminders"),
            ),
            Command(
                "status",
                QT_TRANSLATE_NOOP("CLI", "print the live status"),
                QT_TRANSLATE_NOOP("CLI", "print the live status"),
                (
                    Argument(
                        "json",
                        "bool",
                        QT_TRANSLATE_NOOP("CLI", "machine-readable output"),
                        remote=False,
                    ),
                ),
            ),
            Command(
                "history",
                QT_TRANSLATE_NOOP(
                    "CLI",
                    "open the history window (or print a summary when NeckCare is not "
                    "running); --csv exports every event to FILE",
                ),
                QT_TRANSLATE_NOOP("CLI", "open the history window or export it"),
                (
                    # Without it the open window keeps the range the person chose in it.
                    Argument(
                        "days",
                        "int",
                        QT_TRANSLATE_NOOP("CLI", "how many days to show ({low}–{high}, default 7)"),
                        low=1,
                        high=MAX_HISTORY_DAYS,
                        wire_limits=True,
                    ),
                    Argument(
                        "csv",
                        "path",
                        QT_TRANSLATE_NOOP("CLI", "export every event to FILE as CSV (UTF-8)"),
                        metavar="FILE",
                        remote=False,
                    ),
                ),
            ),
            Command(
                "report",
                QT_TRANSLATE_NOOP(
                    "CLI",
                    "write a PDF report of the last days (default 30) to take to a "
                    "physiotherapist or doctor",
                ),
                QT_TRANSLATE_NOOP("CLI", "write a report for your clinician"),
                (
                    Argument(
                        "pdf",
                        "path",
                        QT_TRANSLATE_NOOP("CLI", "the PDF file to write"),
                        metavar="FILE",
                        required=True,
                        remote=False,
                    ),
                    Argument(
                        "days",
                        "int",
                        QT_TRANSLATE_NOOP(
                            "CLI", "how many days it covers ({low}–{high}, default 30)"
                        ),
                        low=1,
                        high=MAX_HISTORY_DAYS,
                        remote=False,
                    ),
                ),
                remote=False,
            ),
            Command(
                "quit",
                QT_TRANSLATE_NOOP(
                    "CLI",
                    "quit NeckCare (while ice or heat runs, only with --force: no alert would "
                    "tell you to take it off)",
                ),
                QT_TRANSLATE_NOOP("CLI", "quit NeckCare"),
                (
                    # The app refuses while ice or heat runs: no alert would come.
                    Argument(
                        "force",
                        "bool",
                        QT_TRANSLATE_NOOP(
                            "CLI",
                            "quit even while ice or heat runs (no alert will tell you to take "
                            "it off)",
                        ),
                    ),
                ),
            ),
            Command(
                "autostart",
                QT_TRANSLATE_NOOP(
                    "CLI", "start NeckCare when you log in (or not), or say whether it does"
                ),
                QT_TRANSLATE_NOOP("CLI", "start NeckCare at login, or not"),
                (
                    Argument(
                        "state",
                        "choice",
                        positional=True,
                        required=True,
                        choices=("on", "off", "status"),
                    ),
                ),
                remote=False,
            ),
            Command(
                "install-desktop-entry",
                QT_TRANSLATE_NOOP("CLI", "add NeckCare to your application launcher"),
                QT_TRANSLATE_NOOP("CLI", "add NeckCare to the application launcher"),
                remote=False,
            ),
        )
    }
)

#: The commands the running NeckCare answers, in the order of :data:`COMMANDS`.
REMOTE_COMMANDS: Final[tuple[str, ...]] = tuple(c.name for c in COMMANDS.values() if c.remote)
