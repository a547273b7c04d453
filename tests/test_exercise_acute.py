"""No neck exercise in a break during the acute phase (48 hours) after a logged spasm.

A person whose neck went into spasm an hour ago should be offered shoulders, eyes and a
walk, not a neck stretch; once the 48 hours are over (or the spasm is resolved) the neck
exercises come back into the rotation.
"""

from __future__ import annotations

import random
from datetime import timedelta
from itertools import pairwise

import pytest

from fakes import T0, make_rig
from neckcare_desktop.core import events as ev
from neckcare_desktop.core.breaks import BreakKind
from neckcare_desktop.core.stretches import Stretch, StretchRotation, default_stretches


def _posture(sid: str, area: str) -> Stretch:
    return Stretch(sid, sid, "Slowly.", 60, frozenset({"posture"}), False, area=area)


def _posture_stretches_shown(rig, count: int) -> list[Stretch]:
    """Take ``count`` posture breaks now, one after another; the stretches they showed."""
    shown = []
    for _ in range(count):
        rig.engine.take_break_now(BreakKind.POSTURE)
        started = rig.rec.of(ev.BreakStarted)[-1]
        assert started.stretch is not None
        shown.append(started.stretch)
        rig.engine.skip_break()
    return shown


def test_acute_rotation_leaves_out_neck_and_keeps_the_rest_fair() -> None:
    pool = [
        _posture("tuck", "neck"),
        _posture("squeeze", "upper_back"),
        _posture("walk", "whole_body"),
    ]
    rotation = StretchRotation(pool, rng=random.Random(5))
    acute = [rotation.next("posture", acute=True).id for _ in range(40)]
    assert set(acute) == {"squeeze", "walk"}
    assert all(a != b for a, b in pairwise(acute))
    # Afterwards the neck exercise comes back within one round of the bag.
    after = [rotation.next("posture").id for _ in range(6)]
    assert "tuck" in after


def test_only_neck_exercises_in_the_acute_phase_is_no_suggestion() -> None:
    rotation = StretchRotation([_posture("tuck", "neck")])
    with pytest.raises(LookupError):
        rotation.next("posture", acute=True)
    assert rotation.next("posture").id == "tuck"


def _neck_shown(rig) -> list[str]:
    """Neck exercises any break window was given so far (due or started)."""
    shown = [e.stretch for e in rig.rec.of(ev.BreakDue)] + [
        e.stretch for e in rig.rec.of(ev.BreakStarted)
    ]
    return [s.id for s in shown if s is not None and s.area == "neck"]


def test_posture_breaks_show_no_neck_exercise_for_48_hours_after_a_spasm(clock, history):
    """The shipped list, a spasm logged now: every posture break for two days avoids the
    neck; after 48 hours the neck exercises are offered again."""
    shipped = default_stretches()
    assert any(s.area == "neck" and "posture" in s.kinds for s in shipped)
    rig = make_rig(clock, history, stretches=StretchRotation(shipped, rng=random.Random(1)))
    history.log_episode(T0, pain=6)

    for hours in (0, 1, 12, 24, 47):
        rig.to(T0 + timedelta(hours=hours, minutes=30))
        _posture_stretches_shown(rig, 12)
    assert rig.rec.of(ev.BreakStarted), "no break was taken"
    assert _neck_shown(rig) == [], "a neck exercise in the acute phase"

    rig.to(T0 + timedelta(hours=48))
    shown = _posture_stretches_shown(rig, 12)
    assert any(s.area == "neck" for s in shown), "neck exercises did not come back"


def test_a_resolved_spasm_brings_neck_exercises_back_at_once(clock, history):
    shipped = default_stretches()
    rig = make_rig(clock, history, stretches=StretchRotation(shipped, rng=random.Random(2)))
    episode = history.log_episode(T0, pain=4)
    _posture_stretches_shown(rig, 12)
    assert _neck_shown(rig) == []
    history.resolve_episode(episode.id, T0 + timedelta(minutes=5))
    rig.to(T0 + timedelta(minutes=10))
    shown = _posture_stretches_shown(rig, 12)
    assert any(s.area == "neck" for s in shown)
