"""A running ice round survives a restart while another program locks the history file.

NeckCare is killed mid-round; another program then holds ``BEGIN EXCLUSIVE`` on the
history (switched to a rollback journal, so nobody can even read it); NeckCare is started
again. It must not take the locked file for a damaged one, must resume the round (or
alert at once) from its therapy state file, and must still refuse ice during the rest.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
from pathlib import Path

import pytest

from .desktop import Desktop, NeckCare

pytestmark = pytest.mark.e2e

QUIET = {
    "breaks": {"natural_breaks": False, "micro": {"enabled": False}, "posture": {"enabled": False}},
    "hydration": {"enabled": False},
    "therapy": {"ice_minutes": 20},
}


def lock_out_readers(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("INSERT INTO events (at, at_utc, kind) VALUES ('x', 0, 'app_started')")
    return conn


@pytest.mark.expect_log(
    "neckcare_desktop.core.history.recovery", logging.ERROR, "cannot be used now"
)
@pytest.mark.expect_log("neckcare_desktop.core.engine", logging.ERROR, "could not record")
def test_ice_resumes_and_the_rest_holds_while_the_history_is_locked(
    start_neckcare, desktop: Desktop
):
    app = start_neckcare(QUIET, time_scale=60)  # twenty minutes of ice last 20 s
    assert app.cli("ice").returncode == 0
    started = app.status()["therapy"]["started_at"]
    os.kill(app.pid, signal.SIGKILL)
    assert app.wait_exit() == -signal.SIGKILL
    other = lock_out_readers(app.history_file)
    try:
        again = NeckCare(desktop, app.home, settings=QUIET, time_scale=app.time_scale).start()
        try:
            therapy = again.status()["therapy"]  # resumed from the therapy state file
            assert (therapy["kind"], therapy["started_at"]) == ("ice", started)
            assert 0 < therapy["remaining_seconds"] <= 20 * 60
            assert desktop.wait_for_window("Ice time is up", timeout=30, pid=again.pid)
            refused = again.cli("ice")
            assert refused.returncode != 0, refused.stdout
            folder = app.history_file.parent
            assert not [p.name for p in folder.iterdir() if ".damaged-" in p.name]
        finally:
            assert not again.stop()
    finally:
        other.close()
