"""The history store keeps what happened, safely, and gives it back exactly."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import TEST_TZ
from neckcare_desktop.core import history
from neckcare_desktop.core.history import (
    Event,
    EventKind,
    HistoryError,
    HistoryStore,
    default_history_path,
    migrations,
)

START = datetime(2026, 3, 2, 9, 0, tzinfo=TEST_TZ)

#: The schema-1 columns first (old consumers keep working), then the spasm log's.
CSV_HEADER = (
    "id,at,kind,subject,planned_seconds,actual_seconds,note,"
    "record,episode_id,pain,triggers,warning_signs,resolved_at"
)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def store(db_path: Path):
    s = HistoryStore(db_path)
    yield s
    s.close()


def _raw(path: Path) -> sqlite3.Connection:
    """A second, independent connection, as another process would have."""
    return sqlite3.connect(path)


def _opt_int(value: str) -> int | None:
    return int(value) if value else None


def _events_from_csv(text: str) -> list[Event]:
    return [
        Event(
            id=int(row["id"]),
            at=datetime.fromisoformat(row["at"]),
            kind=EventKind(row["kind"]),
            subject=row["subject"] or None,
            planned_seconds=_opt_int(row["planned_seconds"]),
            actual_seconds=_opt_int(row["actual_seconds"]),
            note=row["note"] or None,
            episode_id=_opt_int(row["episode_id"]),
            pain=_opt_int(row["pain"]),
        )
        for row in csv.DictReader(io.StringIO(text, newline=""))
        if row["record"] == "event"
    ]


# ----------------------------------------------------------------------------- opening


def test_opening_turns_on_wal_and_sets_schema_version(store: HistoryStore, db_path: Path) -> None:
    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == HistoryStore.SCHEMA_VERSION
    assert len(migrations.MIGRATIONS) == HistoryStore.SCHEMA_VERSION


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_history_file_and_folder_are_private(store: HistoryStore, db_path: Path) -> None:
    store.record(EventKind.APP_STARTED, START)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_existing_world_readable_file_is_made_private(db_path: Path) -> None:
    HistoryStore(db_path).close()
    db_path.chmod(0o644)
    HistoryStore(db_path).close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_in_memory_store_works() -> None:
    with HistoryStore(":memory:") as s:
        s.record(EventKind.APP_STARTED, START)
        assert [e.kind for e in s.recent()] == [EventKind.APP_STARTED]
        assert s.integrity_ok()


def test_default_path_is_in_user_data_dir() -> None:
    path = default_history_path()
    assert path.name == "history.sqlite3"
    assert path.parent.name == "neckcare-desktop"
    assert str(path).startswith(os.environ["XDG_DATA_HOME"])


def test_integrity_check_passes_on_a_fresh_store(store: HistoryStore) -> None:
    store.record(EventKind.APP_STARTED, START)
    assert store.integrity_ok() is True


def test_file_from_newer_version_is_refused_untouched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with _raw(db_path) as conn:
        conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, future TEXT)")
        conn.execute(f"PRAGMA user_version = {HistoryStore.SCHEMA_VERSION + 1}")
    conn.close()
    before = db_path.read_bytes()

    with pytest.raises(HistoryError, match="newer NeckCare") as info:
        HistoryStore(db_path)

    assert "nothing was changed" in str(info.value)
    assert str(db_path) in str(info.value)
    assert db_path.read_bytes() == before


def test_garbage_file_is_refused_with_its_path_and_kept(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    garbage = bytes(range(256)) * 40
    db_path.write_bytes(garbage)

    with pytest.raises(HistoryError, match="not a NeckCare history database") as info:
        HistoryStore(db_path)

    assert str(db_path) in str(info.value)
    assert db_path.read_bytes() == garbage


def test_unopenable_path_gives_history_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(HistoryError, match="Could not create the history file"):
        HistoryStore(blocker / "history.sqlite3")


# ----------------------------------------------------------------------------- migrations


def test_version_0_file_is_migrated_to_current(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with _raw(db_path) as conn:
        # A real database at version 0 that does not have our table yet.
        conn.execute("CREATE TABLE scratch (x)")
        conn.execute("DROP TABLE scratch")
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()
    assert db_path.stat().st_size > 0

    with HistoryStore(db_path) as s:
        event_id = s.record(EventKind.APP_STARTED, START)
        assert s.last_event(EventKind.APP_STARTED).id == event_id

    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == HistoryStore.SCHEMA_VERSION
        indexes = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")
        }
    conn.close()
    assert {"events_at_utc", "events_kind_at_utc", "events_kind_day", "episodes_day"} <= indexes


def test_a_later_migration_step_runs_once_and_keeps_data(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with HistoryStore(db_path) as s:
        s.record(EventKind.APP_STARTED, START, note="before upgrade")

    calls: list[int] = []

    def add_mood(conn: sqlite3.Connection) -> None:
        calls.append(1)
        conn.execute("ALTER TABLE events ADD COLUMN mood TEXT")

    current = HistoryStore.SCHEMA_VERSION
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, add_mood])
    monkeypatch.setattr(HistoryStore, "SCHEMA_VERSION", current + 1)

    with HistoryStore(db_path) as s:
        assert [e.note for e in s.recent()] == ["before upgrade"]
    HistoryStore(db_path).close()

    assert calls == [1]
    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == current + 1
        columns = [row[1] for row in conn.execute("PRAGMA table_info(events)")]
    conn.close()
    assert "mood" in columns


def test_failed_migration_step_leaves_file_at_old_version(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with HistoryStore(db_path) as s:
        s.record(EventKind.APP_STARTED, START)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE events ADD COLUMN half_done TEXT")
        conn.execute("THIS IS NOT SQL")

    current = HistoryStore.SCHEMA_VERSION
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken])
    monkeypatch.setattr(HistoryStore, "SCHEMA_VERSION", current + 1)

    with pytest.raises(HistoryError, match=f"left at format {current}"):
        HistoryStore(db_path)

    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == current
        columns = [row[1] for row in conn.execute("PRAGMA table_info(events)")]
        assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 1
    conn.close()
    assert "half_done" not in columns


# ----------------------------------------------------------------------------- recording


def test_each_record_is_committed_before_returning(store: HistoryStore, db_path: Path) -> None:
    other = _raw(db_path)
    try:
        for i in range(3):
            store.record(EventKind.BREAK_COMPLETED, START + timedelta(minutes=i))
            assert other.execute("SELECT COUNT(*) FROM events").fetchone()[0] == i + 1
    finally:
        other.close()


def test_fields_round_trip_with_offset(store: HistoryStore) -> None:
    at = datetime(2026, 3, 2, 9, 14, 5, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    event_id = store.record(
        EventKind.THERAPY_STOPPED_EARLY,
        at,
        subject="ice",
        planned_seconds=900,
        actual_seconds=540,
        note="Doorbell",
    )

    (event,) = store.recent()
    assert event == Event(
        id=event_id,
        at=at,
        kind=EventKind.THERAPY_STOPPED_EARLY,
        subject="ice",
        planned_seconds=900,
        actual_seconds=540,
        note="Doorbell",
    )
    assert event.at.utcoffset() == timedelta(hours=5, minutes=30)
    assert event.at.hour == 9 and event.at.minute == 14


def test_naive_datetime_is_rejected(store: HistoryStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.record(EventKind.APP_STARTED, datetime(2026, 3, 2, 9, 0))
    assert store.recent() == []


def test_negative_duration_is_rejected(store: HistoryStore) -> None:
    with pytest.raises(ValueError, match="negative"):
        store.record(EventKind.THERAPY_COMPLETED, START, subject="ice", actual_seconds=-1)
    assert store.recent() == []


def test_closed_store_raises_history_error(db_path: Path) -> None:
    s = HistoryStore(db_path)
    s.close()
    s.close()  # idempotent
    with pytest.raises(HistoryError, match="closed"):
        s.record(EventKind.APP_QUIT, START)


# ----------------------------------------------------------------------------- reading


def test_recent_is_newest_first_by_instant_not_text(store: HistoryStore) -> None:
    # 09:30+01:00 is 08:30Z, earlier than 09:00+00:00 even though its text sorts later.
    early = datetime(2026, 3, 2, 9, 30, tzinfo=TEST_TZ)
    late = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    latest = datetime(2026, 3, 2, 11, 0, tzinfo=TEST_TZ)
    store.record(EventKind.BREAK_DUE, late, subject="posture")
    store.record(EventKind.BREAK_COMPLETED, latest, subject="posture")
    store.record(EventKind.APP_STARTED, early)

    assert [e.at for e in store.recent()] == [latest, late, early]
    assert [e.kind for e in store.recent(limit=2)] == [
        EventKind.BREAK_COMPLETED,
        EventKind.BREAK_DUE,
    ]


def test_recent_filters_by_kind(store: HistoryStore) -> None:
    store.record(EventKind.APP_STARTED, START)
    store.record(EventKind.THERAPY_STARTED, START + timedelta(minutes=1), subject="ice")
    store.record(EventKind.BREAK_SKIPPED, START + timedelta(minutes=2), subject="micro")
    store.record(EventKind.THERAPY_COMPLETED, START + timedelta(minutes=16), subject="ice")

    therapy = store.recent(kinds={EventKind.THERAPY_STARTED, EventKind.THERAPY_COMPLETED})
    assert [e.kind for e in therapy] == [EventKind.THERAPY_COMPLETED, EventKind.THERAPY_STARTED]
    assert store.recent(kinds=[]) == []


def test_counts_between_is_half_open_and_grouped(store: HistoryStore) -> None:
    day = START.replace(hour=0)
    next_day = day + timedelta(days=1)
    store.record(EventKind.BREAK_COMPLETED, day - timedelta(seconds=1))  # yesterday
    store.record(EventKind.BREAK_COMPLETED, day)  # first instant of today: counts
    store.record(EventKind.BREAK_COMPLETED, day + timedelta(hours=10))
    store.record(EventKind.BREAK_SKIPPED, day + timedelta(hours=11))
    store.record(EventKind.BREAK_COMPLETED, next_day)  # first instant of tomorrow: not today

    today = store.counts_between(day, next_day)
    assert today[EventKind.BREAK_COMPLETED] == 2
    assert today[EventKind.BREAK_SKIPPED] == 1
    assert today[EventKind.BREAK_POSTPONED] == 0
    assert set(today) == set(EventKind)

    # The same instant written in another zone lands in the same range.
    utc_day = day.astimezone(UTC)
    assert store.counts_between(utc_day, utc_day + timedelta(days=1)) == today


def test_counts_between_rejects_naive_bounds(store: HistoryStore) -> None:
    with pytest.raises(ValueError):
        store.counts_between(datetime(2026, 3, 2), START)


def test_therapy_seconds_sum_only_finished_sessions(store: HistoryStore) -> None:
    store.record(EventKind.THERAPY_STARTED, START, subject="ice", planned_seconds=900)
    store.record(
        EventKind.THERAPY_COMPLETED, START, subject="ice", planned_seconds=900, actual_seconds=900
    )
    store.record(
        EventKind.THERAPY_STOPPED_EARLY,
        START + timedelta(hours=1),
        subject="ice",
        planned_seconds=900,
        actual_seconds=300,
    )
    store.record(
        EventKind.THERAPY_STOPPED_EARLY,
        START - timedelta(days=1),
        subject="heat",
        actual_seconds=600,
    )

    today = store.therapy_seconds_between(START.replace(hour=0), START.replace(hour=23))
    assert today == {"ice": 1200, "heat": 0}
    week = store.therapy_seconds_between(START - timedelta(days=6), START + timedelta(days=1))
    assert week == {"ice": 1200, "heat": 600}


def test_last_event_by_kind_and_subject(store: HistoryStore) -> None:
    assert store.last_event(EventKind.THERAPY_COMPLETED) is None
    ice = store.record(EventKind.THERAPY_COMPLETED, START, subject="ice", actual_seconds=900)
    heat = store.record(
        EventKind.THERAPY_COMPLETED, START + timedelta(hours=2), subject="heat", actual_seconds=60
    )

    assert store.last_event(EventKind.THERAPY_COMPLETED).id == heat
    assert store.last_event(EventKind.THERAPY_COMPLETED, "ice").id == ice
    assert store.last_event(EventKind.THERAPY_COMPLETED, "nothing") is None


# ----------------------------------------------------------------------------- export


def _seed_for_export(store: HistoryStore) -> None:
    store.record(EventKind.APP_STARTED, START)
    store.record(
        EventKind.THERAPY_STOPPED_EARLY,
        START + timedelta(minutes=20),
        subject="ice",
        planned_seconds=900,
        actual_seconds=540,
        note='Nacken zu kalt — "genug", später wieder, 首',
    )
    # Recorded out of order: the export must still be oldest first.
    store.record(EventKind.BREAK_COMPLETED, START - timedelta(hours=1), subject="micro")


def test_csv_export_round_trips_oldest_first(store: HistoryStore, tmp_path: Path) -> None:
    _seed_for_export(store)
    out = tmp_path / "export.csv"

    assert store.export_csv(out) == 3

    raw = out.read_bytes()
    text = raw.decode("utf-8")
    assert text.splitlines()[0] == CSV_HEADER
    assert "2026-03-02T09:20:00+01:00" in text
    assert "später wieder, 首" in text
    assert _events_from_csv(text) == list(reversed(store.recent()))


def test_csv_export_to_text_stream(store: HistoryStore) -> None:
    _seed_for_export(store)
    buffer = io.StringIO(newline="")
    assert store.export_csv(buffer) == 3
    assert _events_from_csv(buffer.getvalue())[0].kind is EventKind.BREAK_COMPLETED


def test_csv_export_of_empty_history_has_only_header(store: HistoryStore) -> None:
    buffer = io.StringIO(newline="")
    assert store.export_csv(buffer) == 0
    assert buffer.getvalue().strip() == CSV_HEADER


def test_csv_export_to_missing_folder_is_a_history_error(
    store: HistoryStore, tmp_path: Path
) -> None:
    target = tmp_path / "no" / "such" / "dir" / "out.csv"
    with pytest.raises(HistoryError, match="Could not write the CSV file") as info:
        store.export_csv(target)
    assert str(target) in str(info.value)


# ----------------------------------------------------------------------------- schema 2


def _make_version_1_file(path: Path) -> None:
    """A real version-1 history: only the first migration, with data in it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("BEGIN")
        migrations.MIGRATIONS[0](conn)
        conn.execute("PRAGMA user_version = 1")
        conn.executemany(
            "INSERT INTO events (at, at_utc, kind, subject, planned_seconds, actual_seconds,"
            " note) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (at.isoformat(), at.timestamp(), kind, subject, planned, actual, note)
                for at, kind, subject, planned, actual, note in (
                    (START, "app_started", None, None, None, None),
                    (START + timedelta(minutes=20), "break_completed", "micro", None, 20, None),
                    (START + timedelta(minutes=30), "therapy_completed", "ice", 900, 900, "ok"),
                )
            ],
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_version_1_file_with_data_is_upgraded_and_keeps_it(db_path: Path) -> None:
    _make_version_1_file(db_path)
    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert tables == {"events"}

    with HistoryStore(db_path) as s:
        events = list(reversed(s.recent()))
        assert [(e.kind, e.subject, e.actual_seconds, e.note) for e in events] == [
            (EventKind.APP_STARTED, None, None, None),
            (EventKind.BREAK_COMPLETED, "micro", 20, None),
            (EventKind.THERAPY_COMPLETED, "ice", 900, "ok"),
        ]
        assert all(e.episode_id is None and e.pain is None for e in events)
        assert events[0].at == START
        # The new parts work on the upgraded file.
        day = s.daily_summary(START.date(), START.date())[0]
        assert (day.completed, day.ice_seconds) == (1, 900)
        episode = s.log_episode(START, 5, now=START + timedelta(hours=1))
        assert s.open_episodes() == [episode]
        assert s.integrity_ok()

    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == HistoryStore.SCHEMA_VERSION
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 4
    conn.close()
    assert {"events", "episodes", "pain_updates"} <= tables


def test_log_episode_stores_it_with_an_event(store: HistoryStore) -> None:
    now = START
    started = START - timedelta(hours=3)
    episode = store.log_episode(
        started,
        6,
        ["stress", "screen_posture", "stress"],
        ["dizziness"],
        "  after a long call  ",
        now,
    )

    assert episode.started_at == started
    assert episode.pain == episode.latest_pain == episode.peak_pain == 6
    # Vocabulary order, de-duplicated: the same choice always reads the same.
    assert episode.triggers == ("screen_posture", "stress")
    assert episode.warning_signs == ("dizziness",)
    assert episode.note == "after a long call"
    assert episode.is_open
    (event,) = store.recent(kinds={EventKind.SPASM_LOGGED})
    assert (event.at, event.episode_id, event.pain) == (started, episode.id, 6)


@pytest.mark.parametrize(
    ("started", "pain", "message"),
    [
        (START, 11, "pain_out_of_range"),
        (START, -1, "pain_out_of_range"),
        (START, None, "pain_missing"),
        (START + timedelta(minutes=1), 5, "start_in_future"),
        (START - timedelta(days=366), 5, "start_too_old"),
    ],
)
def test_log_episode_refuses_bad_input(store: HistoryStore, started, pain, message) -> None:
    with pytest.raises(ValueError, match=message):
        store.log_episode(started, pain, now=START)
    assert store.open_episodes() == []
    assert store.recent() == []


def test_log_episode_refuses_unknown_triggers(store: HistoryStore) -> None:
    with pytest.raises(ValueError, match="unknown triggers"):
        store.log_episode(START, 4, ["cold draught"], now=START)
    with pytest.raises(ValueError, match="unknown warning signs"):
        store.log_episode(START, 4, [], ["fever"], now=START)


def test_a_year_ago_exactly_is_still_accepted(store: HistoryStore) -> None:
    episode = store.log_episode(START - timedelta(days=365), 3, now=START)
    assert episode.started_at == START - timedelta(days=365)


def test_update_pain_and_resolve(store: HistoryStore) -> None:
    episode = store.log_episode(START, 4, now=START)
    worse = store.update_pain(episode.id, 8, START + timedelta(hours=2))
    better = store.update_pain(episode.id, 3, START + timedelta(hours=20))

    assert [u.pain for u in better.updates] == [8, 3]
    assert (better.pain, better.latest_pain, better.peak_pain) == (4, 3, 8)
    assert worse.latest_pain == 8
    assert store.latest_unresolved_episode() == better

    resolved = store.resolve_episode(episode.id, START + timedelta(days=2))
    assert resolved.resolved_at == START + timedelta(days=2)
    assert not resolved.is_open
    assert store.open_episodes() == []
    assert store.latest_unresolved_episode() is None
    kinds = [(e.kind, e.pain) for e in reversed(store.recent())]
    assert kinds == [
        (EventKind.SPASM_LOGGED, 4),
        (EventKind.SPASM_PAIN_UPDATED, 8),
        (EventKind.SPASM_PAIN_UPDATED, 3),
        (EventKind.SPASM_RESOLVED, 3),
    ]
    with pytest.raises(ValueError, match="already resolved"):
        store.update_pain(episode.id, 2, START + timedelta(days=3))
    with pytest.raises(ValueError, match="already resolved"):
        store.resolve_episode(episode.id, START + timedelta(days=3))


def test_update_pain_refuses_bad_input(store: HistoryStore) -> None:
    episode = store.log_episode(START, 4, now=START)
    with pytest.raises(ValueError, match="0 to 10"):
        store.update_pain(episode.id, 11, START)
    with pytest.raises(ValueError, match="before episode"):
        store.update_pain(episode.id, 5, START - timedelta(minutes=1))
    with pytest.raises(ValueError, match="no spasm episode #999"):
        store.update_pain(999, 5, START)
    assert store.episode(episode.id).updates == ()


def test_latest_unresolved_is_the_newest_open_one(store: HistoryStore) -> None:
    old = store.log_episode(START - timedelta(days=10), 5, now=START)
    newest = store.log_episode(START - timedelta(days=1), 7, now=START)
    store.log_episode(START - timedelta(days=3), 6, now=START)
    store.resolve_episode(newest.id, START)

    latest = store.latest_unresolved_episode()
    assert latest is not None and latest.started_at == START - timedelta(days=3)
    assert [e.id for e in store.open_episodes()] == [old.id, latest.id]
    between = store.episodes_between(START - timedelta(days=5), START)
    assert [e.started_at for e in between] == [
        START - timedelta(days=3),
        START - timedelta(days=1),
    ]


# ----------------------------------------------------------------------------- per day


def test_daily_summary_counts_each_local_day(store: HistoryStore) -> None:
    day = START.replace(hour=0)
    late = day + timedelta(hours=23, minutes=30)  # 22:30 UTC
    for _ in range(3):
        store.record(EventKind.BREAK_COMPLETED, day + timedelta(hours=9), subject="micro")
    store.record(EventKind.BREAK_NATURAL, day + timedelta(hours=10), subject="posture")
    store.record(EventKind.BREAK_POSTPONED, day + timedelta(hours=11), subject="micro")
    store.record(EventKind.BREAK_SKIPPED, late, subject="micro")
    store.record(EventKind.BREAK_DUE, day + timedelta(hours=9), subject="micro")  # not counted
    store.record(
        EventKind.THERAPY_COMPLETED, day + timedelta(hours=8), subject="ice", actual_seconds=900
    )
    store.record(
        EventKind.THERAPY_STOPPED_EARLY,
        day + timedelta(hours=12),
        subject="ice",
        actual_seconds=300,
    )
    store.record(
        EventKind.THERAPY_OVERRUN, day + timedelta(hours=13), subject="heat", actual_seconds=1260
    )
    store.record(
        EventKind.THERAPY_STARTED, day + timedelta(hours=7), subject="heat", planned_seconds=600
    )
    # The same instant as ``late``, recorded on a trip two hours further east: for the
    # person it was already Tuesday, and that is the day it is charted on.
    east = timezone(timedelta(hours=3))
    store.record(EventKind.BREAK_SKIPPED, late.astimezone(east), subject="micro")
    store.log_episode(day + timedelta(hours=7), 5, now=START)
    worst = store.log_episode(day + timedelta(hours=8), 6, now=START)
    store.update_pain(worst.id, 9, START)

    monday, tuesday = store.daily_summary(day.date(), day.date() + timedelta(days=1))

    assert monday == history.DaySummary(
        day=day.date(),
        completed=3,
        natural=1,
        postponed=1,
        skipped=1,
        ice_seconds=1200,
        heat_seconds=1260,
        episodes=2,
        max_pain=9,
    )
    assert monday.breaks_taken == 4
    assert tuesday == history.DaySummary(day=day.date() + timedelta(days=1), skipped=1)


def test_daily_summary_has_every_day_of_the_range(store: HistoryStore) -> None:
    first = START.date() - timedelta(days=89)
    days = store.daily_summary(first, START.date())
    assert [d.day for d in days] == [first + timedelta(days=i) for i in range(90)]
    assert all(d.breaks_taken == 0 and d.max_pain is None for d in days)
    with pytest.raises(ValueError):
        store.daily_summary(START.date(), first)


def test_daily_aggregation_uses_the_day_index(store: HistoryStore) -> None:
    plan = store.explain_daily_summary(START.date() - timedelta(days=89), START.date())
    text = "\n".join(plan)
    assert "events_kind_day" in text
    assert "episodes_day" in text
    # Never a full table scan: every table access goes through an index.
    assert not [line for line in plan if line.startswith("SCAN") and "INDEX" not in line]


def _breaks(store: HistoryStore, day: datetime, n: int, kind=EventKind.BREAK_COMPLETED) -> None:
    for i in range(n):
        store.record(kind, day.replace(hour=9) + timedelta(minutes=10 * i), subject="micro")


def test_streak_counts_back_from_today_when_today_has_enough(store: HistoryStore) -> None:
    for back in range(4):
        _breaks(store, START - timedelta(days=back), 6)
    _breaks(store, START - timedelta(days=5), 6)  # before a gap: not part of the streak
    assert store.streak(START.date()) == 4
    assert store.streak(START) == 4  # a datetime means its date


def test_streak_starts_from_yesterday_while_today_is_short(store: HistoryStore) -> None:
    _breaks(store, START, 5)  # today: not yet
    for back in range(1, 4):
        _breaks(store, START - timedelta(days=back), 3)
        _breaks(store, START - timedelta(days=back), 3, EventKind.BREAK_NATURAL)
    _breaks(store, START - timedelta(days=4), 5)  # one short
    assert store.streak(START.date()) == 3
    _breaks(store, START, 1)  # today reaches 6
    assert store.streak(START.date()) == 4


def test_streak_ignores_skipped_and_postponed_and_can_be_zero(store: HistoryStore) -> None:
    assert store.streak(START.date()) == 0
    _breaks(store, START - timedelta(days=1), 10, EventKind.BREAK_SKIPPED)
    _breaks(store, START - timedelta(days=1), 10, EventKind.BREAK_POSTPONED)
    assert store.streak(START.date()) == 0
    assert store.streak(START.date(), min_breaks=1) == 0


def test_days_off_short_of_the_goal_do_not_end_the_streak(store: HistoryStore) -> None:
    """A Monday-to-Friday worker: the empty weekend is neutral, not a restart."""
    wednesday = START + timedelta(days=2)  # START is Monday 2 March 2026
    for back in (0, 1, 2, 5, 6):  # Wed, Tue, Mon, then Fri 27 and Thu 26 February
        _breaks(store, wednesday - timedelta(days=back), 6)
    weekend = frozenset({5, 6})

    assert store.streak(wednesday) == 3
    assert store.streak(wednesday, days_off=weekend) == 5
    _breaks(store, wednesday - timedelta(days=4), 6)  # a Saturday with enough breaks counts
    assert store.streak(wednesday, days_off=weekend) == 6


def test_a_working_day_short_of_the_goal_still_ends_the_streak(store: HistoryStore) -> None:
    wednesday = START + timedelta(days=2)
    for back in (0, 1, 2, 6):  # Wed, Tue, Mon; Friday short; Thursday full
        _breaks(store, wednesday - timedelta(days=back), 6)
    _breaks(store, wednesday - timedelta(days=5), 5)

    assert store.streak(wednesday, days_off={5, 6}) == 3


def test_every_day_off_counts_like_no_working_hours(store: HistoryStore) -> None:
    _breaks(store, START, 6)

    assert store.streak(START, days_off=range(7)) == store.streak(START) == 1


def test_streak_longer_than_one_read_window(store: HistoryStore) -> None:
    rows = []
    for back in range(150):
        at = START - timedelta(days=back)
        rows.extend([(at.isoformat(), at.timestamp(), "break_natural")] * 6)
    conn = store._db  # bulk insert for speed; the store reads it back as usual
    conn.executemany("INSERT INTO events (at, at_utc, kind) VALUES (?, ?, ?)", rows)
    assert store.streak(START.date()) == 150


# ----------------------------------------------------------------------------- paging


def test_events_page_walks_everything_once_newest_first(store: HistoryStore) -> None:
    ids = []
    for i in range(23):
        # Pairs at the same instant: ties are broken by id, never dropped or repeated.
        at = START + timedelta(minutes=i // 2)
        kind = EventKind.BREAK_SKIPPED if i % 3 else EventKind.THERAPY_STARTED
        ids.append((at, store.record(kind, at, subject="ice")))
    expected = [event_id for _, event_id in sorted(ids, reverse=True)]

    seen, cursor, pages = [], None, 0
    while True:
        page = store.events_page(None, cursor, limit=5)
        seen.extend(e.id for e in page.events)
        pages += 1
        if page.cursor is None:
            break
        cursor = page.cursor
    assert seen == expected
    assert pages == 5

    therapy, cursor = [], None
    while True:
        page = store.events_page({EventKind.THERAPY_STARTED, EventKind.APP_QUIT}, cursor, limit=3)
        therapy.extend(page.events)
        if page.cursor is None:
            break
        cursor = page.cursor
    assert [e.id for e in therapy] == [
        e.id for e in store.recent(kinds={EventKind.THERAPY_STARTED})
    ]
    assert store.events_page(set(), None, 5).events == []


# ----------------------------------------------------------------------------- export / delete


def test_csv_round_trip_has_every_event_and_episode(store: HistoryStore, tmp_path: Path) -> None:
    _seed_for_export(store)
    first = store.log_episode(
        START - timedelta(days=2),
        7,
        ["awkward_sleep", "stress"],
        ["headache"],
        "woke up, 首",
        START,
    )
    store.update_pain(first.id, 4, START - timedelta(days=1))
    store.resolve_episode(first.id, START)
    second = store.log_episode(START, 3, now=START)
    out = tmp_path / "all.csv"

    counts = store.export(out)
    assert (counts.events, counts.episodes) == (7, 2)
    assert store.export_csv(tmp_path / "again.csv") == 9

    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 9
    text = out.read_text(encoding="utf-8")
    assert _events_from_csv(text) == list(reversed(store.recent()))
    episodes = [r for r in rows if r["record"] == "episode"]
    assert [int(r["id"]) for r in episodes] == [first.id, second.id]
    one = episodes[0]
    assert datetime.fromisoformat(one["at"]) == first.started_at
    assert one["at"].endswith("+01:00")
    assert (one["pain"], one["triggers"], one["warning_signs"]) == (
        "7",
        "awkward_sleep,stress",
        "headache",
    )
    assert one["note"] == "woke up, 首"
    assert datetime.fromisoformat(one["resolved_at"]) == START
    assert episodes[1]["resolved_at"] == ""


def test_delete_all_empties_and_shrinks_the_file(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        rows = [
            (
                (START - timedelta(minutes=i)).isoformat(),
                START.timestamp() - 60 * i,
                "break_due",
                "x" * 200,
            )
            for i in range(20_000)
        ]
        s._db.executemany("INSERT INTO events (at, at_utc, kind, note) VALUES (?, ?, ?, ?)", rows)
        s.log_episode(START, 5, now=START)
        s._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = db_path.stat().st_size

        s.delete_all()

        after = db_path.stat().st_size
        wal = db_path.with_name(db_path.name + "-wal")
        assert after < before / 10
        assert not wal.exists() or wal.stat().st_size == 0
        assert s.recent() == []
        assert s.open_episodes() == []
        assert all(n == 0 for n in s.counts_between(START - timedelta(days=30), START).values())
        assert s.integrity_ok()
        # Still usable afterwards.
        s.record(EventKind.APP_STARTED, START)
        assert len(s.recent()) == 1
