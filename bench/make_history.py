"""Generate a heavy, realistic NeckCare history file, for scale tests and benchmarks.

Ten years of heavy use is about 500,000 events and 1,000 spasm episodes. The History
window must open on such a file as quickly as on a new one, which only holds if it never
reads all rows; this generator makes files to check that against.

Why raw ``executemany`` in one transaction rather than :meth:`HistoryStore.record`:
``record`` commits every event on its own (right for the app, where a crash must lose at
most one event) and would take minutes here; one transaction takes seconds. The schema
still comes from :class:`HistoryStore`, so the file is exactly what the app writes.

Usage::

    python bench/make_history.py /tmp/heavy.sqlite3                  # 500k events, 1k episodes
    python bench/make_history.py /tmp/small.sqlite3 --events 50000 --episodes 100
"""

from __future__ import annotations

import argparse
import logging
import random
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path

from neckcare_desktop.core.history import TRIGGERS, WARNING_SIGNS, EventKind, HistoryStore

logger = logging.getLogger(__name__)

#: A fixed zone one hour east of UTC, like the tests use, so generated files are repeatable.
DEFAULT_TZ = timezone(timedelta(hours=1), "BENCH")

#: How often each kind turns up in a working day of heavy use (relative weights).
_KIND_WEIGHTS: tuple[tuple[EventKind, int], ...] = (
    (EventKind.BREAK_DUE, 30),
    (EventKind.BREAK_STARTED, 22),
    (EventKind.BREAK_COMPLETED, 20),
    (EventKind.BREAK_NATURAL, 5),
    (EventKind.BREAK_POSTPONED, 6),
    (EventKind.BREAK_SKIPPED, 4),
    (EventKind.THERAPY_STARTED, 2),
    (EventKind.THERAPY_COMPLETED, 2),
    (EventKind.THERAPY_STOPPED_EARLY, 1),
    (EventKind.HYDRATION_REMINDER, 4),
    (EventKind.APP_STARTED, 2),
    (EventKind.APP_QUIT, 2),
)


@dataclass(frozen=True)
class Generated:
    """What was written: enough for a caller to check counts without re-reading the file."""

    path: Path
    events: int
    episodes: int
    first_day: date
    last_day: date
    seconds: float


def generate(
    path: Path | str,
    *,
    events: int = 500_000,
    episodes: int = 1_000,
    years: float = 10.0,
    end: datetime | None = None,
    tz: tzinfo = DEFAULT_TZ,
    seed: int = 20260302,
) -> Generated:
    """Write ``events`` events and ``episodes`` spasm episodes into a new file at ``path``.

    Events fall on random days of the ``years`` before ``end`` (default: now), between
    07:00 and 19:00 local time; spasm events for the episodes are part of ``events``.
    The same ``seed`` always gives the same file content.
    """
    started = time.perf_counter()
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} exists; the generator only writes new files")
    end = (end or datetime.now(tz)).astimezone(tz)
    rng = random.Random(seed)
    span_days = max(1, int(years * 365))
    first_day = end.date() - timedelta(days=span_days - 1)

    def random_moment(day_from: int = 0) -> datetime:
        day = first_day + timedelta(days=rng.randrange(day_from, span_days))
        moment = datetime(day.year, day.month, day.day, 7, tzinfo=tz) + timedelta(
            seconds=rng.randrange(12 * 3600)
        )
        if moment > end:  # later today than "now": move it into the part of today gone by
            moment = end - timedelta(seconds=rng.randrange(1, 6 * 3600))
        return moment

    episode_rows: list[tuple[object, ...]] = []
    update_rows: list[tuple[object, ...]] = []
    event_rows: list[tuple[object, ...]] = []

    def event(kind: EventKind, at: datetime, **fields: object) -> None:
        event_rows.append(
            (
                at.isoformat(),
                at.timestamp(),
                kind.value,
                fields.get("subject"),
                fields.get("planned"),
                fields.get("actual"),
                fields.get("note"),
                fields.get("episode_id"),
                fields.get("pain"),
            )
        )

    trigger_keys = list(TRIGGERS)
    sign_keys = list(WARNING_SIGNS)
    for episode_id in range(1, episodes + 1):
        start = random_moment()
        first_pain = pain = rng.randint(3, 10)
        triggers = sorted(rng.sample(trigger_keys, rng.randint(0, 3)), key=trigger_keys.index)
        signs = [k for k in sign_keys if rng.random() < 0.03]
        event(EventKind.SPASM_LOGGED, start, episode_id=episode_id, pain=first_pain)
        at = start
        for _ in range(rng.randint(0, 3)):
            at = at + timedelta(hours=rng.randint(3, 30))
            if at >= end:
                break
            pain = max(0, min(10, pain + rng.randint(-3, 1)))
            update_rows.append((episode_id, at.isoformat(), at.timestamp(), pain))
            event(EventKind.SPASM_PAIN_UPDATED, at, episode_id=episode_id, pain=pain)
        resolved: datetime | None = at + timedelta(hours=rng.randint(6, 96))
        if resolved is not None and resolved >= end:
            resolved = None  # still going at the end of the generated history
        if resolved is not None:
            event(EventKind.SPASM_RESOLVED, resolved, episode_id=episode_id, pain=pain)
        episode_rows.append(
            (
                episode_id,
                start.isoformat(),
                start.timestamp(),
                first_pain,
                ",".join(triggers),
                ",".join(signs),
                None,
                None if resolved is None else resolved.isoformat(),
                None if resolved is None else resolved.timestamp(),
            )
        )

    kinds = [k for k, _ in _KIND_WEIGHTS]
    weights = [w for _, w in _KIND_WEIGHTS]
    remaining = max(0, events - len(event_rows))
    for kind in rng.choices(kinds, weights, k=remaining):
        at = random_moment()
        if kind.value.startswith("break_"):
            event(kind, at, subject="micro" if rng.random() < 0.7 else "posture")
        elif kind is EventKind.THERAPY_STARTED:
            event(kind, at, subject=rng.choice(("ice", "heat")), planned=900)
        elif kind is EventKind.THERAPY_COMPLETED:
            event(kind, at, subject=rng.choice(("ice", "heat")), planned=900, actual=900)
        elif kind is EventKind.THERAPY_STOPPED_EARLY:
            subject = rng.choice(("ice", "heat"))
            event(kind, at, subject=subject, planned=900, actual=rng.randrange(60, 900))
        else:
            event(kind, at)
    # Ids grow with time, as in a real file.
    event_rows.sort(key=lambda row: row[1])  # type: ignore[arg-type,return-value]
    del event_rows[events:]  # more episodes than events were asked for: keep the count

    HistoryStore(path).close()  # the real schema, migrations and file permissions
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO episodes (id, started_at, started_utc, pain, triggers, warning_signs,"
            " note, resolved_at, resolved_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            episode_rows,
        )
        conn.executemany(
            "INSERT INTO pain_updates (episode_id, at, at_utc, pain) VALUES (?, ?, ?, ?)",
            update_rows,
        )
        conn.executemany(
            "INSERT INTO events (at, at_utc, kind, subject, planned_seconds, actual_seconds,"
            " note, episode_id, pain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            event_rows,
        )
        conn.execute("COMMIT")
        conn.execute("ANALYZE")  # as a long-lived file would have after PRAGMA optimize
    finally:
        conn.close()
    result = Generated(
        path=path,
        events=len(event_rows),
        episodes=len(episode_rows),
        first_day=first_day,
        last_day=end.date(),
        seconds=time.perf_counter() - started,
    )
    logger.info("Generated %s", result)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--episodes", type=int, default=1_000)
    parser.add_argument("--years", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=20260302)
    args = parser.parse_args(argv)
    result = generate(
        args.path, events=args.events, episodes=args.episodes, years=args.years, seed=args.seed
    )
    print(
        f"{result.events} events and {result.episodes} episodes "
        f"({result.first_day} to {result.last_day}) in {result.seconds:.1f} s "
        f"-> {result.path} ({result.path.stat().st_size / 1e6:.1f} MB)"
    )
    with HistoryStore(result.path) as store:
        t0 = time.perf_counter()
        days = store.daily_summary(result.last_day - timedelta(days=89), result.last_day)
        t1 = time.perf_counter()
        page = store.events_page(None)
        t2 = time.perf_counter()
        streak = store.streak(result.last_day)
        t3 = time.perf_counter()
        print(f"daily_summary(90 days): {len(days)} days in {1000 * (t1 - t0):.1f} ms")
        print(f"events_page(first 200): {len(page.events)} events in {1000 * (t2 - t1):.1f} ms")
        print(f"streak: {streak} days in {1000 * (t3 - t2):.1f} ms")
        first = result.last_day - timedelta(days=89)
        for line in store.explain_daily_summary(first, result.last_day):
            print(f"  plan: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
