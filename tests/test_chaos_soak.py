"""Chaos soak: the real app killed (SIGKILL) and restarted 30 times while the disk fills and frees.

Real processes, as a person runs them: ``python -m neckcare_desktop`` offscreen with time
compressed 60 times (``NECKCARE_TIME_SCALE``: a minute lasts a second, so micro-breaks come
every 5 s, a posture break lasts 5 s and ice rounds end by themselves), driven only through
the ``neckcare`` command line (ice, heat, stop, break, status). The history's folder is a
small tmpfs; a filler file takes all of its space for spells of several cycles, at start and
while running, and frees it again. Each cycle the app is killed at a random moment.

At the end the disk is free, one more start writes what waited in the pending journal, a
``quit`` ends it, and the file must pass ``PRAGMA integrity_check`` and hold exactly one row
for every command the command line acknowledged: nothing lost, nothing doubled.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from fakes import SRC_DIR
from test_instance_starts import RunningApp
from tmpfs_disk import small_disk

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="a tmpfs and SIGKILL")

SEED = 20261202
CYCLES = 30
#: Cycles whose start and run find the disk full (the filler is put in before the start).
FULL_CYCLES = frozenset({*range(4, 10), *range(17, 22)})
#: Cycles where the disk fills up while the app runs (after the first command).
FILLS_WHILE_RUNNING = frozenset({13, 26})
READY = "neckcare ready"
SETTINGS = """\
[app]
autostart_asked = true

[breaks]
warning_seconds = 0
natural_breaks = false

[breaks.micro]
interval_minutes = 5
duration_seconds = 10

[breaks.posture]
interval_minutes = 15
duration_minutes = 5

[therapy]
ice_minutes = 1
heat_minutes = 3
ice_rest_minutes = 20
"""


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "neckcare_desktop", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


class Ledger:
    """What the command line acknowledged, as the history rows it must have left."""

    def __init__(self) -> None:
        self.rows: Counter[str] = Counter()
        self.commands = 0
        self.acknowledged = 0

    def run(self, env: dict[str, str], command: str) -> None:
        args = command.split()
        done = cli(env, *args)
        self.commands += 1
        if done.returncode != 0:
            assert done.returncode == 1, done  # refused (ice during a session): no row
            return
        self.acknowledged += 1
        if args[0] in ("ice", "heat"):
            self.rows["therapy_started"] += 1
        elif args[0] == "stop":
            self.rows["therapy_stopped"] += 1  # stopped early or cancelled
        elif args[0] == "break" and done.stdout.strip() == "Break started.":
            self.rows["break_started"] += 1


def wait_for_polls(app: RunningApp, polls: int) -> None:
    """``polls`` more idle polls logged from now on (a clock the app itself keeps)."""
    seen = 0
    while seen < polls:
        line = app.lines.get(timeout=60)
        assert line, "NeckCare ended on its own:\n" + "".join(app.seen[-20:])
        app.seen.append(line)
        seen += "neckcare_desktop.platform.idle" in line


def drained(app: RunningApp) -> list[str]:
    """Every log line of a finished app (its stderr was read to the end)."""
    lines = list(app.seen)
    while (line := app.lines.get(timeout=60)) != "":
        lines.append(line)
    return lines


def counts(path: Path) -> Counter[str]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return Counter(k for (k,) in conn.execute("SELECT kind FROM events"))
    finally:
        conn.close()


def test_thirty_kills_with_a_filling_disk_lose_and_double_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("NECKCARE_SOCKET", raising=False)
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "neckcare-desktop"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text(SETTINGS)
    data = Path(os.environ["XDG_DATA_HOME"]) / "neckcare-desktop"
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC_DIR),
        "QT_QPA_PLATFORM": "offscreen",
        "NECKCARE_TIME_SCALE": "60",
        "LANGUAGE": "en",
    }
    rng = random.Random(SEED)
    ledger = Ledger()
    refused = replayed = 0  # runs that found the disk full / rows left by a killed run
    started_apps = 0
    began = time.monotonic()
    with small_disk(data, size="4m") as disk:
        history = data / "demo" / "history-demo.sqlite3"  # time x60 is test mode (paths.py)
        for cycle in range(CYCLES):
            if cycle in FULL_CYCLES:
                disk.fill()
            else:
                disk.free()
            app = RunningApp(env)
            try:
                app.wait_for(READY)
                started_apps += 1
                commands = rng.choices(
                    ["ice --minutes 1 --anyway", "heat --minutes 3", "stop", "break", "status"],
                    weights=[3, 2, 3, 4, 1],
                    k=rng.randint(3, 7),
                )
                for n, command in enumerate(commands):
                    if n == 1 and cycle in FILLS_WHILE_RUNNING:
                        disk.fill()
                    ledger.run(env, command)
                # Let breaks and rounds flow a little, then kill: the app's own idle poll
                # (twice a second) is the clock, 0-3 s = 0-3 app minutes.
                wait_for_polls(app, rng.randint(0, 6))
            finally:
                app.stop()  # SIGKILL
                log = drained(app)
                refused += sum("could not record" in line for line in log)
                replayed += sum("history rows were pending" in line for line in log)
        disk.free()
        final = RunningApp(env)
        try:
            final.wait_for(READY)
            started_apps += 1
            assert cli(env, "quit", "--force").returncode == 0
            assert final.proc.wait(timeout=60) == 0
        finally:
            final.stop()
        found = counts(history)
        leftovers = (history.parent / "history-pending.jsonl").read_bytes().strip(b"\0")
    elapsed = time.monotonic() - began
    print(
        f"chaos soak: {CYCLES} kill -9 cycles, {ledger.commands} commands, "
        f"{ledger.acknowledged} acknowledged, expected {dict(ledger.rows)}, "
        f"found {dict(found)}, {refused} runs refused by the full disk, {replayed} starts "
        f"replayed pending rows, {elapsed:.0f} s"
    )
    assert refused >= 5 and replayed >= 5  # the disk really was full, rows really waited
    assert leftovers == b""  # the pending journal was written out and cleared
    assert found["app_started"] == started_apps == CYCLES + 1
    assert found["therapy_started"] == ledger.rows["therapy_started"]
    stopped = found["therapy_stopped_early"] + found["therapy_cancelled"]
    assert stopped == ledger.rows["therapy_stopped"]
    assert found["break_started"] == ledger.rows["break_started"]
    # Every break started has exactly one end: completed, ended early, or cut short.
    ends = found["break_completed"] + found["break_interrupted"] + found["break_skipped"]
    assert found["break_started"] == ends
    assert ledger.rows["therapy_started"] > 10 and ledger.rows["break_started"] > 5
