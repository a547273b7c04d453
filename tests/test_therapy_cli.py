"""``neckcare ice --intermittent`` and ``--minutes`` (issue 18): what the command line sends,
and what the running app's handler answers, through a real engine on the manual clock."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from fakes import Rig, at
from neckcare_desktop import cli
from neckcare_desktop.command_handlers import CommandTarget, dispatch
from neckcare_desktop.core import events as ev
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.history import EventKind
from neckcare_desktop.core.ipc_protocol import Request
from neckcare_desktop.core.therapy import FinishedSession
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.platform.single_instance import CommandRefused


@dataclass
class Target:
    """The controller as the handlers see it, over a real engine."""

    engine: Engine
    clock: ManualClock
    scale: TimeScale = field(default_factory=TimeScale)

    def show_status_window(self) -> None: ...

    def show_history(self, days: int | None) -> int:
        return 7

    def announce_stop(self, finished: FinishedSession) -> str:
        return f"{finished.session.kind.value} stopped after {finished.actual_seconds} s"

    def break_remaining(self) -> float:
        return 0.0

    def phase(self) -> None:
        return None

    def quit_soon(self) -> None: ...


@pytest.fixture
def target(rig: Rig) -> CommandTarget:
    return Target(rig.engine, rig.clock)


def test_the_cli_sends_intermittent(monkeypatch):
    sent: list[tuple[str, dict[str, object]]] = []
    monkeypatch.setattr(cli, "_send_starting_if_needed", lambda cmd, args: sent.append((cmd, args)))
    cli.main(["ice", "--intermittent"])
    assert sent == [("ice", {"intermittent": True})]


def test_ice_intermittent_starts_one_session_with_its_parts(target, rig: Rig):
    answer = dispatch(target, Request("ice", {"intermittent": True}))
    assert isinstance(answer, dict)
    therapy = answer["therapy"]
    assert therapy["kind"] == "ice" and therapy["planned_seconds"] == 1200
    assert therapy["parts"] == [600, 600, 600]
    assert therapy["remaining_seconds"] == 1800
    assert therapy["part"] == {"index": 0, "on": True, "remaining_seconds": 600}
    assert answer["status"][0] == "Ice on — off in 10 min"
    rig.to(at(9, 30))
    assert [e.on for e in rig.rec.of(ev.TherapySwitched)] == [False, True]
    assert rig.rec.of(ev.TherapyEnded)[0].finished.actual_seconds == 1200


def test_intermittent_with_minutes_is_refused_clearly(target, rig: Rig):
    with pytest.raises(CommandRefused, match=r"takes no --minutes.*neckcare ice --intermittent"):
        dispatch(target, Request("ice", {"intermittent": True, "minutes": 10}))
    assert rig.engine.therapy.active is None
    assert rig.rows(EventKind.THERAPY_STARTED) == []


def test_ice_minutes_over_the_cap_is_refused_with_the_reason(target, rig: Rig):
    with pytest.raises(CommandRefused, match="capped at 20 minutes"):
        dispatch(target, Request("ice", {"minutes": 25}))
    dispatch(target, Request("ice", {"minutes": 20}))
    assert rig.engine.therapy.active.planned_seconds == 1200


def test_during_the_rest_the_confirming_command_keeps_intermittent(target, rig: Rig):
    dispatch(target, Request("ice", {"minutes": 5}))
    rig.to(at(9, 5))
    with pytest.raises(CommandRefused, match=r"neckcare ice --intermittent --anyway$"):
        dispatch(target, Request("ice", {"intermittent": True}))
    dispatch(target, Request("ice", {"intermittent": True, "anyway": True}))
    assert rig.engine.therapy.active.intermittent


def test_stop_during_the_off_part_reports_the_time_on(target, rig: Rig):
    dispatch(target, Request("ice", {"intermittent": True}))
    rig.to(at(9, 14))
    answer = dispatch(target, Request("stop"))
    assert answer == {
        "kind": "ice",
        "actual_seconds": 600,
        "cancelled": False,
        "message": "ice stopped after 600 s",
    }


def test_the_cli_sends_numb(monkeypatch):
    sent: list[tuple[str, dict[str, object]]] = []
    monkeypatch.setattr(cli, "_send", lambda cmd, args=None: sent.append((cmd, args or {})))
    monkeypatch.setattr(cli, "_send_starting_if_needed", lambda cmd, args: sent.append((cmd, args)))
    cli.main(["stop", "--numb"])
    cli.main(["stop"])
    assert sent == [("stop", {"numb": True}), ("stop", {})]


def test_stop_numb_ends_ice_and_records_why(target, rig: Rig):
    dispatch(target, Request("ice"))
    rig.to(at(9, 1))
    answer = dispatch(target, Request("stop", {"numb": True}))
    assert isinstance(answer, dict) and answer["cancelled"] is False
    [row] = rig.rows(EventKind.THERAPY_STOPPED_EARLY)
    assert (row.actual_seconds, row.note) == (60, "skin went numb")
    assert rig.engine.status().ice_rest_remaining_seconds == 40 * 60


def test_stop_numb_during_heat_is_refused_and_heat_runs_on(target, rig: Rig):
    dispatch(target, Request("heat"))
    with pytest.raises(CommandRefused, match="sign to stop ice"):
        dispatch(target, Request("stop", {"numb": True}))
    assert rig.engine.therapy.active is not None
