"""The CLI talking to a running NeckCare (offscreen app, real socket, real CLI process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QCoreApplication

from neckcare_desktop.core.therapy import TherapyKind
from neckcare_desktop.platform.single_instance import InstanceServer


@pytest.fixture
def running(qtbot, tmp_path, monkeypatch, make_app):
    sock = tmp_path / "run" / "neckcare.sock"
    sock.parent.mkdir(mode=0o700)
    monkeypatch.setenv("NECKCARE_SOCKET", str(sock))
    app = make_app(start=False)
    server = InstanceServer(app.handle_request, parent=app)
    server.listen()
    app.start()
    yield app
    server.close()


def cli(qtbot, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``neckcare`` in a subprocess while this test's Qt loop serves it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "neckcare_desktop", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20_000)
    out, err = proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_status_json_reports_the_live_state(qtbot, running):
    result = cli(qtbot, "status", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == ["Next break in 20 min"]
    assert data["therapy"] is None
    assert data["next_break"]["kind"] == "micro"


def test_status_into_a_closed_pipe_ends_quietly(qtbot, running):
    """`neckcare status | head -1` once head has left: no traceback, the app is unharmed."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "neckcare_desktop", "status"],
            stdout=write_end,
            stderr=subprocess.PIPE,
        )
    finally:
        os.close(write_end)
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20_000)
    _, err = proc.communicate()

    assert err == b""
    assert proc.returncode == 141
    assert cli(qtbot, "status").returncode == 0  # the app still answers


def test_ice_from_the_terminal_starts_the_timer(qtbot, running):
    result = cli(qtbot, "ice", "--minutes", "10")
    assert result.returncode == 0, result.stderr
    assert "Ice: 10 min left" in result.stdout
    assert running.engine.therapy.active.kind is TherapyKind.ICE
    assert running.engine.therapy.active.planned_seconds == 600
    # One timer at a time, and the refusal reaches the terminal as one line.
    again = cli(qtbot, "heat")
    assert again.returncode == 1
    assert again.stderr.strip() == "neckcare: Ice is already running. Stop it before starting heat."


def test_stop_pause_resume_break(qtbot, running):
    assert cli(qtbot, "stop").returncode == 1  # nothing to stop: said, not crashed
    assert cli(qtbot, "pause", "60").returncode == 0
    assert running.engine.breaks.paused_until is not None
    assert cli(qtbot, "resume").returncode == 0
    assert running.engine.breaks.paused_until is None
    assert cli(qtbot, "break").returncode == 0
    assert running.breaks.window is not None and running.breaks.window.running


def test_second_plain_launch_shows_the_status_window(qtbot, running):
    result = cli(qtbot)
    assert result.returncode == 0, result.stderr
    assert running.windows.status.isVisible()


def test_quit_from_the_terminal(qtbot, running):
    with qtbot.waitSignal(running.quit_requested, timeout=20_000):
        result = cli(qtbot, "quit")
    assert result.returncode == 0


def test_quit_from_the_terminal_while_ice_runs_needs_force(qtbot, running):
    quits = []
    running.quit_requested.connect(lambda: quits.append(True))
    running.controller.start_therapy(TherapyKind.ICE, 12)
    result = cli(qtbot, "quit")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "neckcare: Ice is on: 12 min left. If NeckCare quits, no alert will tell you to take "
        "it off. To quit anyway: neckcare quit --force"
    )
    QCoreApplication.processEvents()
    assert quits == [] and running.engine.therapy.active is not None
    with qtbot.waitSignal(running.quit_requested, timeout=20_000):
        forced = cli(qtbot, "quit", "--force")
    assert forced.returncode == 0, forced.stderr
    assert forced.stdout.strip() == "NeckCare quit."


def test_break_during_a_break_says_so(qtbot, running):
    assert cli(qtbot, "break").stdout.strip() == "Break started."
    again = cli(qtbot, "break")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "A posture break is already running: 5 min left."


def test_resume_with_nothing_paused_says_so(qtbot, running):
    result = cli(qtbot, "resume")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Break reminders are not paused; nothing to resume."


def test_ice_during_the_skin_rest_offers_anyway(qtbot, running):
    running.engine.therapy.note_ice_ended(running.clock.now())  # a round just ended
    refused = cli(qtbot, "ice")
    assert refused.returncode == 1
    [line] = refused.stderr.splitlines()
    assert line == (
        "neckcare: Your skin is still resting after the last ice round: ice again in 40 min. "
        "To start another round anyway: neckcare ice --anyway"
    )
    assert running.engine.therapy.active is None
    started = cli(qtbot, "ice", "--anyway")
    assert started.returncode == 0, started.stderr
    assert "Ice: 15 min left" in started.stdout
    assert running.engine.therapy.active.kind is TherapyKind.ICE
