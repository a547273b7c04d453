"""The person's own exercise in a real break on the test desktop.

A user file ``exercises.toml`` with a custom exercise (and its PNG picture) sits in the
config folder before NeckCare starts; the built-in posture exercises are switched off in
it, so the posture break that comes due leads with the custom one. Its window is
screenshotted (``exercises-break-due.png``, ``exercises-break-running.png`` in the e2e
artifacts: look at them); the break is started and runs to its end, and the history says
which exercises it showed: the custom one, done, over and over to fill the break.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pictures import png

from .conftest import skip_module_without_prerequisites
from .desktop import APP_ID, Desktop

pytestmark = pytest.mark.e2e
skip_module_without_prerequisites()

POSTURE_BREAK = "Posture break — NeckCare"
# Tab stops of the break window's buttons: Start, Postpone, Skip.
BREAK_START = 0

BUILT_IN_POSTURE = (
    "sit-back-chin-level",
    "chin-tuck",
    "shoulder-blade-squeeze",
    "upper-trapezius-stretch",
    "stand-and-walk",
    "doorway-chest-stretch",
    "slow-shoulder-rolls",
    "glass-of-water",
    "arm-hang-and-breathe",
)

OWN = textwrap.dedent(
    """\
    # Written by the e2e test, as a physiotherapist's file would be.
    switched_off = [{off}]

    [[exercise]]
    id = "towel-opener"
    name = "Towel chest opener"
    steps = [
      "Hold a rolled towel behind your back with both hands.",
      "Open your chest gently and breathe out slowly.",
    ]
    hold_seconds = 10
    repetitions = 3
    area = "shoulders"
    picture = "towel-opener.png"

    [exercise.es]
    name = "Apertura de pecho con toalla"
    steps = ["Sujeta una toalla detrás de la espalda.", "Abre el pecho con suavidad."]
    """
)


def test_own_exercise_in_a_posture_break(
    start_neckcare, desktop: Desktop, artifacts: Path, tmp_path: Path
):
    # The home start_neckcare gives its first app (tests/e2e/conftest.py).
    config = tmp_path / "home0" / "config" / APP_ID
    config.mkdir(parents=True, mode=0o700)
    off = ", ".join(f'"{i}"' for i in BUILT_IN_POSTURE)
    (config / "exercises.toml").write_text(OWN.format(off=off), encoding="utf-8")
    (config / "towel-opener.png").write_bytes(png(48, 48, (230, 110, 30)))

    app = start_neckcare(
        {
            "breaks": {
                "natural_breaks": False,  # nobody types here: idle must not count as the break
                "micro": {"enabled": False},
                "posture": {"enabled": True, "interval_minutes": 15, "duration_minutes": 5},
            }
        },
        time_scale=45,  # due after 20 s; the break lasts about 7 s once started
    )
    assert app.config_dir == config

    window = desktop.wait_for_window(POSTURE_BREAK, timeout=40, pid=app.pid)
    app.wait_for_event("break_due", "posture")
    desktop.screenshot(artifacts / "exercises-break-due.png")

    desktop.press_button(window, BREAK_START)
    app.wait_for_event("break_started", "posture")
    desktop.screenshot(artifacts / "exercises-break-running.png")
    desktop.wait_window_gone(window, timeout=30)
    app.wait_for_event("break_completed", "posture")

    # 5 minutes of a 42-second exercise (3 × (10 s hold + 4 s)): seven of it, all done.
    done = app.wait_for_event("exercise_done", count=7)
    assert {(e["subject"], e["note"]) for e in done} == {("towel-opener", "Towel chest opener")}
    assert sum(e["actual_seconds"] for e in done) == 300
    assert not app.events("exercise_skipped") and not app.events("exercise_cut_short")
