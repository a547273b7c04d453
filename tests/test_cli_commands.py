"""One command table: the protocol, the CLI parser, its help and the app's handlers agree.

Each fact about a command is declared once, in ``core/commands.py``; these tests fail when
a command is added to the table without a handler in the app, a runner or subcommand in
the command line, or a line in ``neckcare --help``, and check the handlers' answers and
refusals through a real engine.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from fakes import Rig
from neckcare_desktop import cli, cli_parser
from neckcare_desktop.command_handlers import HANDLERS, CommandTarget, dispatch
from neckcare_desktop.core import ipc_protocol
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.commands import COMMANDS, REMOTE_COMMANDS
from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.ipc_protocol import Request
from neckcare_desktop.core.pause import PAUSE_CHOICES
from neckcare_desktop.core.therapy import FinishedSession, TherapyKind
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.platform.single_instance import CommandRefused

# -- the table and what is generated from it -------------------------------------------------


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(actions) == 1
    return dict(actions[0].choices)


def test_every_remote_command_has_a_handler_and_the_protocol_knows_exactly_those():
    assert set(HANDLERS) == set(REMOTE_COMMANDS)
    assert list(ipc_protocol.COMMANDS) == list(REMOTE_COMMANDS)
    assert {"autostart", "install-desktop-entry"} <= set(COMMANDS) - set(REMOTE_COMMANDS)


def test_every_command_has_a_runner_and_a_subcommand_or_is_plain_neckcare():
    assert set(cli.RUNNERS) == set(COMMANDS)
    subcommands = _subcommands(cli_parser.build_parser())
    assert list(subcommands) == [c.name for c in COMMANDS.values() if c.subcommand]
    assert [c.name for c in COMMANDS.values() if not c.subcommand] == ["show"]


def test_the_protocol_takes_the_remote_arguments_of_the_table():
    for name in REMOTE_COMMANDS:
        wire = ipc_protocol.COMMANDS[name].args
        assert list(wire) == [a.name for a in COMMANDS[name].remote_args]
        for arg in COMMANDS[name].remote_args:
            assert wire[arg.name].kind == arg.kind
            assert wire[arg.name].choices == arg.choices
            assert wire[arg.name].required == arg.required


def test_pause_choices_come_from_the_one_place():
    choice = ipc_protocol.COMMANDS["pause"].args["choice"]
    assert choice.choices == PAUSE_CHOICES
    pause = _subcommands(cli_parser.build_parser())["pause"]
    assert "|".join(PAUSE_CHOICES) in pause.format_usage()
    for value in PAUSE_CHOICES:
        assert pause.parse_args([value]).duration == value


def test_the_help_lists_exactly_the_table():
    help_text = cli_parser.build_parser().format_help()
    listed = help_text.split("commands:\n", 1)[1].split("\n\n", 1)[0]
    usages = [line.strip().split("  ")[0] for line in listed.splitlines() if line[2:3] != " "]
    assert usages == [c.usage for c in COMMANDS.values()]
    assert usages[0] == "neckcare"
    assert "neckcare ice [--minutes N] [--anyway] [--intermittent]" in usages
    assert "neckcare report --pdf FILE [--days N]" in usages
    assert "neckcare pause 30|60|120|tomorrow" in usages
    assert "neckcare history [--days N] [--csv FILE]" in usages
    # The argparse list of subcommands: the same names, in the same order.
    block = help_text.split("COMMAND\n", 2)[1].split("\n\n", 1)[0]
    names = re.findall(r"^    (\S+)", block, flags=re.MULTILINE)
    assert names == [c.name for c in COMMANDS.values() if c.subcommand]


def test_each_subcommand_help_says_what_it_does_with_its_bounds():
    ice = _subcommands(cli_parser.build_parser())["ice"].format_help()
    assert "start an ice timer (1–20 min; ice is capped at 20)" in ice
    assert "length of this round, 1–20 (default: settings)" in ice


def test_the_cli_sends_only_what_the_person_gave(monkeypatch):
    sent: list[tuple[str, dict[str, object]]] = []
    monkeypatch.setattr(cli, "_send", lambda cmd, args=None: sent.append((cmd, args or {})))
    monkeypatch.setattr(cli, "_send_starting_if_needed", lambda cmd, args: sent.append((cmd, args)))
    cli.main(["ice"])
    cli.main(["ice", "--minutes", "12", "--anyway"])
    cli.main(["pause", "tomorrow"])
    cli.main(["history", "--days", "30"])
    cli.main(["status", "--json"])  # --json is the command line's own business
    assert sent == [
        ("ice", {}),
        ("ice", {"minutes": 12, "anyway": True}),
        ("pause", {"choice": "tomorrow"}),
        ("history", {"days": 30}),
        ("status", {}),
    ]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["pause", "7"], "pause takes 30, 60, 120 or tomorrow, got '7'"),
        (["autostart", "maybe"], "autostart takes on, off or status, got 'maybe'"),
        (["heat", "--minutes", "31"], "heat --minutes takes a whole number from 1 to 30, got 31"),
        (["ice", "--minutes", "x"], "ice --minutes takes a whole number from 1 to 20, got 'x'"),
        (["history", "--days", "0"], "history --days takes a whole number from 1 to 3650, got 0"),
    ],
)
def test_a_bad_value_names_what_is_allowed(argv, expected, capsys):
    assert cli.main(argv) == 2
    assert capsys.readouterr().err.strip().endswith(expected)


# -- the handlers, through a real engine -----------------------------------------------------


@dataclass
class Target:
    """The controller as the handlers see it, over a real engine."""

    engine: Engine
    clock: ManualClock
    scale: TimeScale = field(default_factory=TimeScale)
    calls: list[str] = field(default_factory=list)

    def show_status_window(self) -> None:
        self.calls.append("show")

    def show_history(self, days: int | None) -> int:
        self.calls.append(f"history {days}")
        return 7 if days is None or days < 20 else 30

    def announce_stop(self, finished: FinishedSession) -> str:
        return f"{finished.session.kind.value} stopped"

    def break_remaining(self) -> float:
        return 90.0

    def phase(self) -> None:
        return None

    def quit_soon(self) -> None:
        self.calls.append("quit")


@pytest.fixture
def target(rig: Rig) -> Target:
    return Target(rig.engine, rig.clock)


def _target(target: Target) -> CommandTarget:
    return target  # mypy: the fake fits the protocol


def test_show_history_and_status_answer(target):
    assert dispatch(_target(target), Request("show")) == {"shown": True}
    answer = dispatch(target, Request("history", {"days": 60}))
    assert answer == {
        "shown": True,
        "days": 30,
        "message": "History opened on the last 30 days (the nearest it shows to 60).",
    }
    status = dispatch(target, Request("status"))
    assert isinstance(status, dict) and status["phase"] is None and status["status"]
    assert target.calls == ["show", "history 60"]


def test_ice_during_the_skins_rest_is_refused_with_the_command_that_confirms(target, rig):
    dispatch(target, Request("ice", {"minutes": 5}))
    rig.clock.advance(timedelta(minutes=5))
    dispatch(target, Request("stop"))

    with pytest.raises(CommandRefused, match=r"ice again in \d+ min.*neckcare ice --anyway$"):
        dispatch(target, Request("ice"))
    dispatch(target, Request("ice", {"anyway": True}))
    assert rig.engine.therapy.active is not None
    assert rig.engine.therapy.active.kind is TherapyKind.ICE


def test_stop_with_nothing_running_is_refused_in_words(target):
    with pytest.raises(CommandRefused) as info:
        dispatch(target, Request("stop"))
    assert str(info.value)


def test_quit_while_heat_runs_needs_force(target):
    dispatch(target, Request("heat"))
    with pytest.raises(CommandRefused, match="To quit anyway: neckcare quit --force"):
        dispatch(target, Request("quit"))
    assert target.calls == []
    assert dispatch(target, Request("quit", {"force": True})) == {"quitting": True}
    assert target.calls == ["quit"]


def test_a_second_break_says_how_long_the_running_one_lasts(target):
    dispatch(target, Request("break"))
    answer = dispatch(target, Request("break"))
    assert isinstance(answer, dict)
    assert answer["message"] == "A posture break is already running: 2 min left."


def test_resume_without_a_pause_says_so(target):
    answer = dispatch(target, Request("resume"))
    assert isinstance(answer, dict)
    assert answer["message"] == "Break reminders are not paused; nothing to resume."
    paused = dispatch(target, Request("pause", {"choice": "30"}))
    until = target.clock.now() + timedelta(minutes=30)
    assert paused == {"paused_until": until.strftime("%Y-%m-%d %H:%M")}
    answer = dispatch(target, Request("resume"))
    assert isinstance(answer, dict) and "message" not in answer


def test_an_unknown_command_is_refused():
    with pytest.raises(CommandRefused, match="does not know the command 'fly'"):
        dispatch(_target(Target(None, None)), Request("fly"))  # type: ignore[arg-type]
