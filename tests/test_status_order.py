"""The tray menu's header is the most important status line.

The header is ``Status.summary``, the first line: a running timer, then a due break, then a
pause, then away; the ice rest's "Ice again in N min" is worth a line, not the header.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from fakes import make_rig
from neckcare_desktop.core.breaks import BreakPhase
from neckcare_desktop.core.therapy import TherapyKind


@pytest.fixture
def rig(clock, store):
    """conftest's rig, writing to a history file (conftest's ``store``)."""
    return make_rig(clock, store)


def _ice_round_then_rest(rig, clock) -> None:
    rig.engine.start_therapy(TherapyKind.ICE, 10)
    rig.sched.advance_to(clock, clock.now() + timedelta(minutes=10))  # the round ends
    assert rig.engine.therapy.active is None
    assert rig.engine.status().ice_rest_remaining_seconds is not None


def test_a_running_timer_comes_before_a_due_break(rig, clock):
    rig.engine.start_therapy(TherapyKind.ICE, 15)
    rig.sched.advance_to(clock, clock.now() + timedelta(minutes=14))
    assert rig.engine.breaks.active is None or rig.engine.breaks.active.phase is BreakPhase.DUE
    assert rig.engine.status().summary.startswith("Ice: ")


def test_a_due_break_comes_before_the_ice_rest(rig, clock):
    _ice_round_then_rest(rig, clock)
    rig.sched.advance_to(clock, clock.now() + timedelta(minutes=11))  # micro-break due at 20
    assert rig.engine.breaks.active is not None
    status = rig.engine.status()
    assert status.summary == "Micro-break due"
    assert status.lines[1].startswith("Ice again in ")
