"""GUI-thread stall while another program holds the history's write lock (issue 13, point 3).

Offscreen; prints one JSON object on stdout. The app's engine (real ``Engine``, real
``HistoryStore`` on a file, the app's ``QtJobScheduler``) runs on the GUI thread with the
10-ms ``PreciseTimer`` heartbeat of ``bench/gui_stall_bench.py``. The ``sqlite3``
command-line program takes ``BEGIN EXCLUSIVE`` on the history file, then the engine does
``--writes`` intents that each write a history row (ice start and stop, a break started
and ended early), one every 100 ms, and the history retry runs once. The figure is the
heartbeat's worst lateness from the first intent to the last (each refused row goes to the
pending journal instead of waiting for the lock), and the rows written once the lock goes.

For comparison (information only): the same while nothing holds a lock, and the lateness
over one quiet second (noise floor).

    python bench/history_lock_stall_bench.py [--writes 12]
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gui_stall_bench import Heartbeat, quiet_floor, run_until  # noqa: E402


class Sqlite3Lock:
    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            ["sqlite3", str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("BEGIN EXCLUSIVE;\nDELETE FROM events WHERE 0;\n.print locked\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "locked"

    def release(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("ROLLBACK;\n.quit\n")
        self.proc.stdin.flush()
        self.proc.wait(timeout=10)


def intents(engine: Any, writes: int) -> list[Any]:
    from neckcare_desktop.core.therapy import TherapyKind

    cycle = [
        lambda: engine.start_therapy(TherapyKind.HEAT, 10),
        engine.stop_therapy,
        engine.take_break_now,
        engine.skip_break,
    ]
    return [cycle[i % len(cycle)] for i in range(writes)]


def measure(app: Any, heartbeat: Heartbeat, folder: Path, writes: int, locked: bool) -> dict:
    from neckcare_desktop.core.clock import SystemClock
    from neckcare_desktop.core.engine import Engine
    from neckcare_desktop.core.history import HistoryStore
    from neckcare_desktop.core.settings import default_settings
    from neckcare_desktop.scheduling import QtJobScheduler

    path = folder / "history.sqlite3"
    store = HistoryStore(path)
    engine = Engine(default_settings(), store, QtJobScheduler(), SystemClock())
    engine.start()
    lock = Sqlite3Lock(path) if locked else None
    todo = intents(engine, writes)
    heartbeat.reset()
    worst_call = 0.0

    def next_intent() -> None:
        nonlocal worst_call
        t0 = time.perf_counter()
        todo.pop(0)()
        worst_call = max(worst_call, time.perf_counter() - t0)

    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.setInterval(100)
    timer.timeout.connect(lambda: todo and next_intent())
    timer.start()
    run_until(app, lambda: not todo, 60)
    t0 = time.perf_counter()
    engine._flush_pending()  # the retry job, still under the lock
    worst_call = max(worst_call, time.perf_counter() - t0)
    timer.stop()
    stall = heartbeat.worst_ms()
    pending = engine.writer.pending
    if lock is not None:
        lock.release()
    engine._flush_pending()  # the retry after the lock went
    engine.shutdown()
    store.close()
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    conn.close()
    return {
        "stall_ms": stall,
        "worst_intent_ms": round(worst_call * 1000, 2),
        "rows_pending_under_lock": pending,
        "rows_written": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=12)
    args = parser.parse_args(argv)
    logging.disable(logging.ERROR)  # the refused writes are logged; not what is measured

    from PySide6.QtWidgets import QApplication

    from neckcare_desktop.core.history import connection

    app = QApplication.instance() or QApplication([sys.argv[0]])
    heartbeat = Heartbeat()
    floor = quiet_floor(app, heartbeat)
    with tempfile.TemporaryDirectory(prefix="nc-bench-lock-") as tmp:
        (Path(tmp) / "locked").mkdir()
        (Path(tmp) / "free").mkdir()
        locked = measure(app, heartbeat, Path(tmp) / "locked", args.writes, locked=True)
        free = measure(app, heartbeat, Path(tmp) / "free", args.writes, locked=False)
    heartbeat.timer.stop()
    print(
        json.dumps(
            {
                "heartbeat_ms": 10,
                "writes": args.writes,
                "busy_timeout_ms": round(connection.BUSY_TIMEOUT_SECONDS * 1000),
                "quiet_floor_ms": floor,
                "locked_stall_ms": locked["stall_ms"],
                "locked_worst_intent_ms": locked["worst_intent_ms"],
                "locked_rows_pending": locked["rows_pending_under_lock"],
                "locked_rows_written_after": locked["rows_written"],
                "unlocked_stall_ms": free["stall_ms"],
                "unlocked_rows_written": free["rows_written"],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
