"""A big, plausible NeckCare history for benchmarks: N events in the app's own schema.

The schema comes from the app (``HistoryStore`` creates and migrates a fresh file); the rows
are then bulk-inserted with plain ``sqlite3`` on the same file, ``executemany`` in one
transaction. Kinds and subjects match (breaks are micro/posture, therapy is ice/heat,
app events have none), durations are realistic, and the newest events fall today and this
week so the History window's summaries have real work to do.

    python bench/history_data.py PATH [--events 500000] [--seed 1]

prints a JSON line with the timings; ``build_history()`` is the same from Python.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

Row = tuple[str, float, str, str | None, int | None, int | None, str | None]

INSERT_SQL = (
    "INSERT INTO events (at, at_utc, kind, subject, planned_seconds, actual_seconds, note)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)

#: (kind, weight) — roughly what a working day produces: many micro-breaks, fewer
#: posture breaks, an ice or heat round now and then, app start/quit once a day.
_KIND_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("break_due", 30),
    ("break_started", 20),
    ("break_completed", 18),
    ("break_postponed", 6),
    ("break_skipped", 4),
    ("break_natural", 4),
    ("therapy_started", 4),
    ("therapy_completed", 3),
    ("therapy_stopped_early", 1),
    ("therapy_overrun", 1),
    ("hydration_reminder", 5),
    ("app_started", 2),
    ("app_quit", 2),
)


def generate_events(
    count: int, *, end: datetime | None = None, seed: int = 1, mean_gap_s: float = 120.0
) -> Iterator[Row]:
    """Yield ``count`` rows, oldest first, the newest a minute before ``end`` (default now).

    Times keep the local offset of ``end`` (as the app records them) and step back by
    random gaps averaging ``mean_gap_s``: 500,000 events span about two years.
    """
    rng = random.Random(seed)
    end = end or datetime.now().astimezone()
    tz = end.tzinfo
    kinds = [k for k, _ in _KIND_WEIGHTS]
    weights = [w for _, w in _KIND_WEIGHTS]
    # Walk backwards to fix the newest time, then emit oldest first.
    gaps = [rng.expovariate(1.0 / mean_gap_s) for _ in range(count)]
    t = end.timestamp() - 60.0 - sum(gaps)
    picks = rng.choices(kinds, weights, k=count)
    for gap, kind in zip(gaps, picks, strict=True):
        t += gap
        at = datetime.fromtimestamp(t, tz)
        subject: str | None
        planned: int | None = None
        actual: int | None = None
        note: str | None = None
        if kind.startswith("break_"):
            subject = "micro" if rng.random() < 0.75 else "posture"
            length = 20 if subject == "micro" else 300
            if kind in ("break_due", "break_started"):
                planned = length
            elif kind in ("break_completed", "break_natural"):
                planned, actual = length, length
        elif kind.startswith("therapy_"):
            subject = "ice" if rng.random() < 0.6 else "heat"
            planned = 15 * 60
            if kind == "therapy_completed":
                actual = planned
            elif kind == "therapy_stopped_early":
                actual = rng.randrange(60, planned)
            elif kind == "therapy_overrun":
                actual = planned + rng.randrange(60, 1800)
                note = "NeckCare was not running at the planned end"
        else:
            subject = None
        yield (at.isoformat(), t, kind, subject, planned, actual, note)


def create_schema(path: Path) -> None:
    """A fresh history file made by the app itself (schema, indexes, WAL, 0600)."""
    from neckcare_desktop.core.history import HistoryStore

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    HistoryStore(path).close()


def insert_rows(path: Path, rows: list[Row] | Iterator[Row]) -> int:
    """``executemany`` in one transaction on the app's file; returns the row count."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.executemany(INSERT_SQL, rows)
        conn.execute("COMMIT")
        count = cur.rowcount
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return count


def build_history(path: Path, count: int, *, seed: int = 1) -> dict[str, float | int]:
    """Make ``path`` a history of ``count`` events; return timings in seconds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    create_schema(path)
    t0 = time.perf_counter()
    rows = list(generate_events(count, seed=seed))
    t1 = time.perf_counter()
    inserted = insert_rows(path, rows)
    t2 = time.perf_counter()
    return {
        "events": inserted,
        "generate_s": round(t1 - t0, 4),
        "insert_s": round(t2 - t1, 4),
        "file_bytes": path.stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(json.dumps(build_history(args.path, args.events, seed=args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
