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
)

START = datetime(2026, 3, 2, 9, 0, tzinfo=TEST_TZ)


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


def _events_from_csv(text: str) -> list[Event]:
    def opt_int(value: str) -> int | None:
        return int(value) if value else None

    return [
        Event(
            id=int(row["id"]),
            at=datetime.fromisoformat(row["at"]),
            kind=EventKind(row["kind"]),
            subject=row["subject"] or None,
            planned_seconds=opt_int(row["planned_seconds"]),
            actual_seconds=opt_int(row["actual_seconds"]),
            note=row["note"] or None,
        )
        for row in csv.DictReader(io.StringIO(text, newline=""))
    ]


# ----------------------------------------------------------------------------- opening


def test_opening_turns_on_wal_and_sets_schema_version(store: HistoryStore, db_path: Path) -> None:
    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == HistoryStore.SCHEMA_VERSION
    assert len(history.MIGRATIONS) == HistoryStore.SCHEMA_VERSION


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
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        indexes = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")
        }
    conn.close()
    assert {"events_at_utc", "events_kind_at_utc"} <= indexes


def test_a_later_migration_step_runs_once_and_keeps_data(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with HistoryStore(db_path) as s:
        s.record(EventKind.APP_STARTED, START, note="before upgrade")

    calls: list[int] = []

    def add_mood(conn: sqlite3.Connection) -> None:
        calls.append(1)
        conn.execute("ALTER TABLE events ADD COLUMN mood TEXT")

    monkeypatch.setattr(history, "MIGRATIONS", [*history.MIGRATIONS, add_mood])
    monkeypatch.setattr(HistoryStore, "SCHEMA_VERSION", 2)

    with HistoryStore(db_path) as s:
        assert [e.note for e in s.recent()] == ["before upgrade"]
    HistoryStore(db_path).close()

    assert calls == [1]
    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
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

    monkeypatch.setattr(history, "MIGRATIONS", [*history.MIGRATIONS, broken])
    monkeypatch.setattr(HistoryStore, "SCHEMA_VERSION", 2)

    with pytest.raises(HistoryError, match="left at format 1"):
        HistoryStore(db_path)

    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
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
    assert text.splitlines()[0] == "id,at,kind,subject,planned_seconds,actual_seconds,note"
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
    assert buffer.getvalue().strip() == "id,at,kind,subject,planned_seconds,actual_seconds,note"


def test_csv_export_to_missing_folder_is_a_history_error(
    store: HistoryStore, tmp_path: Path
) -> None:
    target = tmp_path / "no" / "such" / "dir" / "out.csv"
    with pytest.raises(HistoryError, match="Could not write the CSV file") as info:
        store.export_csv(target)
    assert str(target) in str(info.value)
