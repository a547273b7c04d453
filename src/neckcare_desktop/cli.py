"""The ``neckcare`` command.

Argument parsing must stay import-light: ``neckcare --help`` and ``--version`` answer without
loading Qt, and the GUI modules are imported only when the app really starts.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from neckcare_desktop import __version__

DESCRIPTION = """\
NeckCare Desktop: posture-break reminders and ice/heat timers in the system tray.

Run without a command to start NeckCare. It reminds you to take short micro-breaks and
longer posture breaks, and times ice and heat sessions (ice is capped at 20 minutes a
round, with a rest between rounds). It gives reminders and timers; it does not diagnose.
"""

EPILOG = """\
environment:
  NECKCARE_TIME_SCALE=N  compress every duration N times, for demos and tests
                         (60: one minute lasts one second)

Files live in the platform's config and data folders; see the README.
"""


class UsageError(Exception):
    """Bad command-line input; the message is one line naming the allowed values."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="neckcare",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"neckcare {__version__}")
    parser.add_argument("--debug", action="store_true", help="log everything to the terminal")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except UsageError as exc:
        print(f"neckcare: {exc}", file=sys.stderr)
        return 2
    from neckcare_desktop.app import run  # Qt is loaded only from here on

    return run([sys.argv[0], *args_list], debug=args.debug)
