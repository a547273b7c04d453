"""Reminder latency: how late NeckCare's scheduler runs a job after its due time.

Builds the app's own ``neckcare_desktop.scheduling.QtJobScheduler`` (APScheduler
``QtScheduler`` with one precise ``QTimer``, jobs on the Qt main thread) in a
``QApplication`` (offscreen by default), schedules N one-shot ``call_at`` jobs, and records
``datetime.now()`` when each runs against its due time. Due times are nominal app times
spread over ``--spread-minutes`` and compressed by ``NECKCARE_TIME_SCALE`` exactly as the
app compresses durations (``TimeScale.real``): at ×120, 20 nominal minutes take 10 s.

Prints one JSON object: p50/p90/p99/max lateness in ms (negative would mean early), how
many ran early, and how many times the scheduler woke up.

    NECKCARE_TIME_SCALE=120 python bench/latency_harness.py [--events 200] [--spread-minutes 20]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--spread-minutes", type=float, default=20.0, help="nominal minutes")
    parser.add_argument(
        "--lead-seconds", type=float, default=1.0, help="real delay before the first"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--core", action="store_true", help="QCoreApplication instead")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QCoreApplication, QTimer

    from neckcare_desktop.core.timescale import TimeScale
    from neckcare_desktop.scheduling import QtJobScheduler

    if args.core:
        app = QCoreApplication([sys.argv[0]])
    else:
        from PySide6.QtWidgets import QApplication

        app = QApplication([sys.argv[0]])
    scale = TimeScale.from_env(os.environ)
    scheduler = QtJobScheduler()
    rng = random.Random(args.seed)

    lateness_ms: list[float] = []

    def fired(due: datetime) -> None:
        lateness_ms.append((datetime.now().astimezone() - due).total_seconds() * 1000)
        if len(lateness_ms) == args.events:
            QTimer.singleShot(0, app.quit)

    start = datetime.now().astimezone() + timedelta(seconds=args.lead_seconds)
    nominal_spread = args.spread_minutes * 60
    for i in range(args.events):
        due = start + scale.real(rng.uniform(0, nominal_spread))
        scheduler.call_at(f"bench-{i}", due, lambda due=due: fired(due))
    real_spread = scale.real(nominal_spread).total_seconds()
    QTimer.singleShot(round((args.lead_seconds + real_spread + 30) * 1000), app.quit)  # safety
    t0 = time.monotonic()
    app.exec()
    elapsed = time.monotonic() - t0
    wakeups = scheduler.aps.wakeups
    scheduler.shutdown()
    if len(lateness_ms) < args.events:
        print(json.dumps({"error": f"only {len(lateness_ms)} of {args.events} jobs ran"}))
        return 1
    print(
        json.dumps(
            {
                "events": args.events,
                "time_scale": scale.factor,
                "spread_real_s": round(real_spread, 3),
                "elapsed_s": round(elapsed, 3),
                "p50_ms": round(percentile(lateness_ms, 50), 3),
                "p90_ms": round(percentile(lateness_ms, 90), 3),
                "p99_ms": round(percentile(lateness_ms, 99), 3),
                "max_ms": round(max(lateness_ms), 3),
                "mean_ms": round(statistics.fmean(lateness_ms), 3),
                "early": sum(1 for v in lateness_ms if v < 0),
                "scheduler_wakeups": wakeups,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
