"""A damaged, foreign or unreachable history file never stops NeckCare or loses data."""

from __future__ import annotations

import errno
import logging
import sqlite3
import subprocess
import sys
import time
from datetime import datetime

import pytest

from conftest import TEST_TZ
from fakes import at, make_rig
from neckcare_desktop.core import events as ev
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.history import EventKind, HistoryError, HistoryStore, connection
from neckcare_desktop.core.history.recovery import open_history
from neckcare_desktop.core.therapy import RestPeriodActive, TherapyKind

NOW = datetime(2026, 3, 2, 14, 2, 5, tzinfo=TEST_TZ)


def test_healthy_file_opens_without_a_message(tmp_path):
    path = tmp_path / "history.sqlite3"
    opened = open_history(path, NOW)
    assert opened.problem is None and opened.moved_to is None
    opened.store.record(EventKind.APP_STARTED, NOW)
    opened.store.close()
    assert open_history(path, NOW).store.recent()[0].kind is EventKind.APP_STARTED


@pytest.mark.parametrize(
    "damage",
    [
        b"this is not a database at all" * 10,
        b"",  # zero bytes: an interrupted copy
        b"SQLite format 3\x00" + b"\xff" * 300,  # right header, garbage after it
    ],
)
@pytest.mark.expect_log("neckcare_desktop.core.history.recovery", logging.ERROR, r"was damaged")
def test_damaged_file_is_moved_aside_and_a_new_one_started(tmp_path, damage):
    path = tmp_path / "history.sqlite3"
    path.write_bytes(damage)
    (tmp_path / "history.sqlite3-wal").write_bytes(b"recent rows")
    opened = open_history(path, NOW)
    if damage == b"":
        # SQLite treats an empty file as a new database: nothing to move, nothing lost.
        assert opened.problem is None
        return
    assert opened.moved_to == tmp_path / "history.sqlite3.damaged-20260302-140205"
    assert opened.moved_to.read_bytes() == damage  # nothing of the old file was lost
    assert (tmp_path / "history.sqlite3.damaged-20260302-140205-wal").read_bytes() == (
        b"recent rows"
    )
    assert str(opened.moved_to) in opened.problem
    opened.store.record(EventKind.APP_STARTED, NOW)  # the new file works
    assert opened.store.integrity_ok()


@pytest.mark.expect_log("neckcare_desktop.core.history.recovery", logging.ERROR, r"was damaged")
def test_second_damage_the_same_second_gets_its_own_name(tmp_path):
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"garbage" * 50)
    first = open_history(path, NOW)
    first.store.close()
    path.unlink()
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"history.sqlite3{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"other garbage" * 50)
    second = open_history(path, NOW)
    assert second.moved_to != first.moved_to
    assert first.moved_to.read_bytes() == b"garbage" * 50


@pytest.mark.expect_log("neckcare_desktop.core.history.recovery", logging.ERROR, r"newer NeckCare")
def test_file_from_a_newer_version_is_left_untouched(tmp_path):
    path = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {HistoryStore.SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    opened = open_history(path, NOW)
    assert "newer version" in opened.problem
    assert opened.moved_to is None
    assert path.read_bytes() == before
    opened.store.record(EventKind.APP_STARTED, NOW)  # this run still works, in memory


@pytest.mark.expect_log(
    "neckcare_desktop.core.history.recovery", logging.ERROR, r"cannot create history"
)
def test_unwritable_place_runs_in_memory_with_a_clear_message(tmp_path):
    # A file where the folder should be: refused even for root (unlike a chmod).
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    opened = open_history(blocker / "history.sqlite3", NOW)
    assert "cannot create" in opened.problem
    assert blocker.read_text() == "not a folder"
    opened.store.record(EventKind.APP_STARTED, NOW)  # this run still works, in memory


# -- a file that cannot be used *now* is not a damaged file --------------------------------


def lock_out_readers(path) -> sqlite3.Connection:
    """Another program holds ``BEGIN EXCLUSIVE`` on a rollback-journal history file.

    In WAL mode (NeckCare's) readers still read under such a lock; a file another tool
    switched to a rollback journal lets nobody read or write until the lock goes.
    """
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("INSERT INTO events (at, at_utc, kind) VALUES ('x', 0, 'app_started')")
    return conn


@pytest.fixture
def quick_locks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wait 50 ms (not 5 s) for a lock, and try an unusable file again at every use."""
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_SECONDS", 0.05)
    monkeypatch.setattr(connection, "REOPEN_BUSY_TIMEOUT_SECONDS", 0.05)
    monkeypatch.setattr(connection, "REOPEN_EVERY_SECONDS", 0.0)


def no_damaged_copies(folder) -> bool:
    return not any(".damaged-" in p.name for p in folder.iterdir())


def test_a_locked_file_is_not_moved_aside_and_is_used_once_the_lock_goes(
    tmp_path, quick_locks, expect_log
):
    expect_log("neckcare_desktop.core.history.recovery", logging.ERROR, "cannot be used now")
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        store.record(EventKind.APP_STARTED, NOW)
    other = lock_out_readers(path)
    opened = open_history(path, NOW)
    assert opened.moved_to is None and no_damaged_copies(tmp_path)
    assert "right now" in opened.problem and "database is locked" in opened.problem
    assert not opened.store.is_available
    with pytest.raises(HistoryError):
        opened.store.recent()
    other.execute("ROLLBACK")
    other.close()
    opened.store.record(EventKind.APP_QUIT, NOW)  # opens the file now
    assert [e.kind for e in opened.store.recent()] == [EventKind.APP_QUIT, EventKind.APP_STARTED]
    opened.store.close()


@pytest.mark.parametrize(
    ("code", "moved"),
    [
        (sqlite3.SQLITE_BUSY, False),
        (sqlite3.SQLITE_READONLY, False),
        (sqlite3.SQLITE_FULL, False),
        (sqlite3.SQLITE_IOERR, False),
        (sqlite3.SQLITE_CANTOPEN, False),
        (sqlite3.SQLITE_NOTADB, True),
        (sqlite3.SQLITE_CORRUPT, True),
    ],
)
def test_only_sqlites_verdict_of_damage_moves_a_file_aside(
    tmp_path, monkeypatch, expect_log, code: int, moved: bool
):
    expect_log("neckcare_desktop.core.history.recovery", logging.ERROR, "")
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    before = path.read_bytes()
    real = HistoryStore._check_and_migrate
    failing = [True]

    def check(self, conn):
        if failing and self.path == path:
            failing.clear()
            error = sqlite3.OperationalError(f"SQLite error {code}")
            error.sqlite_errorcode = code
            raise HistoryError("cannot use it") from error
        return real(self, conn)

    monkeypatch.setattr(HistoryStore, "_check_and_migrate", check)
    opened = open_history(path, NOW)
    assert (opened.moved_to is not None) == moved
    if not moved:
        assert path.read_bytes() == before and no_damaged_copies(tmp_path)
        assert "was not changed" in opened.problem


# -- a running session survives a restart whatever the history file's state ----------------


def crash_with_ice(clock: ManualClock, path, *, minutes: int = 15) -> None:
    """NeckCare starts ice at 09:00 and dies; the history file is closed by the OS."""
    store = HistoryStore(path)
    rig = make_rig(clock, store)
    rig.engine.start_therapy(TherapyKind.ICE, minutes)
    store.close()


def test_ice_resumes_while_another_program_locks_the_history(
    clock, tmp_path, quick_locks, expect_log
):
    expect_log("neckcare_desktop.core.history.recovery", logging.ERROR, "cannot be used now")
    expect_log("neckcare_desktop.core.therapy_recovery", logging.WARNING, "could not read")
    expect_log("neckcare_desktop.core.engine", logging.ERROR, "could not record")
    path = tmp_path / "history.sqlite3"
    crash_with_ice(clock, path)
    other = lock_out_readers(path)
    clock.set(at(9, 5))
    rig = make_rig(clock, open_history(path, clock.now()).store)
    assert rig.status[0] == "Ice: 10 min left"
    rig.to(at(9, 15))
    [ended] = rig.rec.of(ev.TherapyEnded)
    assert ended.finished.completed
    with pytest.raises(RestPeriodActive):  # the rest holds too
        rig.engine.start_therapy(TherapyKind.ICE)
    other.execute("ROLLBACK")
    other.close()
    rig.run(minutes=1)  # the history retry writes what waited in memory
    kinds = [e.kind for e in rig.rows(EventKind.THERAPY_STARTED, EventKind.THERAPY_COMPLETED)]
    assert kinds == [EventKind.THERAPY_STARTED, EventKind.THERAPY_COMPLETED]
    assert no_damaged_copies(tmp_path)


def test_the_ice_rest_holds_across_a_restart_while_the_history_is_locked(
    clock, tmp_path, quick_locks, expect_log
):
    expect_log("neckcare_desktop.core.history.recovery", logging.ERROR, "cannot be used now")
    expect_log("neckcare_desktop.core.therapy_recovery", logging.WARNING, "could not read")
    expect_log("neckcare_desktop.core.engine", logging.ERROR, "could not record")
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        first = make_rig(clock, store)
        first.engine.start_therapy(TherapyKind.ICE)
        first.to(at(9, 15))
        first.engine.shutdown()
    other = lock_out_readers(path)
    clock.set(at(9, 20))
    rig = make_rig(clock, open_history(path, clock.now()).store)
    assert rig.status[0] == "Ice again in 35 min"
    with pytest.raises(RestPeriodActive, match="ice again in 35 min"):
        rig.engine.start_therapy(TherapyKind.ICE)
    other.close()


def test_ice_resumes_from_the_history_under_a_wal_lock_without_a_state_file(
    clock, tmp_path, quick_locks, expect_log
):
    """NeckCare's own WAL mode: readers read under another program's write lock."""
    expect_log("neckcare_desktop.core.engine", logging.ERROR, "could not record")
    path = tmp_path / "history.sqlite3"
    crash_with_ice(clock, path)
    (tmp_path / "therapy-state.json").unlink()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO events (at, at_utc, kind) VALUES ('x', 0, 'app_started')")
    clock.set(at(9, 20))
    opened = open_history(path, clock.now())
    assert opened.problem is None
    rig = make_rig(clock, opened.store)
    [ended] = rig.rec.of(ev.TherapyEnded)  # its end passed meanwhile: the alert at once
    assert ended.advice.startswith("Ice has been on since 09:00")
    other.close()


@pytest.mark.parametrize("code", [sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN])
def test_ice_resumes_when_the_history_cannot_even_be_opened(
    clock, tmp_path, monkeypatch, expect_log, code: int
):
    """A read-only folder can keep SQLite from opening a WAL file at all."""
    expect_log("neckcare_desktop.core.history.recovery", logging.ERROR, "cannot be used now")
    expect_log("neckcare_desktop.core.therapy_recovery", logging.WARNING, "could not read")
    expect_log("neckcare_desktop.core.engine", logging.ERROR, "could not record")
    path = tmp_path / "history.sqlite3"
    crash_with_ice(clock, path)

    def refuse(self, conn):
        error = sqlite3.OperationalError("attempt to write a readonly database")
        error.sqlite_errorcode = code
        raise HistoryError("read-only") from error

    monkeypatch.setattr(HistoryStore, "_check_and_migrate", refuse)
    clock.set(at(9, 5))
    rig = make_rig(clock, open_history(path, clock.now()).store)
    assert rig.status[0] == "Ice: 10 min left"
    rig.to(at(9, 15))
    assert len(rig.rec.of(ev.TherapyEnded)) == 1


def test_ice_resumes_on_a_full_disk(clock, tmp_path, monkeypatch, expect_log):
    expect_log("neckcare_desktop.core.engine", logging.ERROR, "could not record")
    expect_log("neckcare_desktop.core.therapy_recovery", logging.WARNING, "could not save")
    path = tmp_path / "history.sqlite3"
    crash_with_ice(clock, path)

    def full(*args, **kwargs):
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = sqlite3.SQLITE_FULL
        raise HistoryError("full") from error

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(HistoryStore, "record", full)
    monkeypatch.setattr("os.replace", no_space)  # no file can be replaced either
    clock.set(at(9, 5))
    rig = make_rig(clock, open_history(path, clock.now()).store)
    assert rig.status[0] == "Ice: 10 min left"
    rig.to(at(9, 15))
    assert len(rig.rec.of(ev.TherapyEnded)) == 1
    with pytest.raises(RestPeriodActive):
        rig.engine.start_therapy(TherapyKind.ICE)


def test_ice_resumes_after_a_damaged_history_was_moved_aside(clock, tmp_path, expect_log):
    expect_log("neckcare_desktop.core.history.recovery", logging.ERROR, "was damaged")
    path = tmp_path / "history.sqlite3"
    crash_with_ice(clock, path)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"history.sqlite3{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"overwritten by something else" * 40)
    clock.set(at(9, 5))
    opened = open_history(path, clock.now())
    assert opened.moved_to is not None
    rig = make_rig(clock, opened.store)
    assert rig.status[0] == "Ice: 10 min left"


def test_under_another_programs_write_lock_no_write_waits_long(tmp_path):
    """Reads go on (WAL); every write gives up after the short busy timeout (the GUI
    thread is the one waiting; the row waits in the pending journal instead)."""
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    store.record(EventKind.APP_STARTED, NOW)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO events (at, at_utc, kind) VALUES ('x', 0, 'app_started')")
    waits = []
    for _ in range(3):
        started = time.monotonic()
        with pytest.raises(HistoryError, match="locked"):
            store.record(EventKind.APP_QUIT, NOW)
        waits.append(time.monotonic() - started)
    assert max(waits) < connection.BUSY_TIMEOUT_SECONDS + 0.4, waits  # a loaded CI
    assert [e.kind for e in store.recent()] == [EventKind.APP_STARTED]  # reads go on
    other.execute("ROLLBACK")
    other.close()
    store.record(EventKind.APP_QUIT, NOW)  # the lock went: the same connection writes
    assert [e.kind for e in store.recent()] == [EventKind.APP_QUIT, EventKind.APP_STARTED]
    store.close()


# -- damage SQLite does not report at open -------------------------------------------------------


def test_damaged_pages_behind_an_intact_header_are_set_aside_at_open(tmp_path, expect_log):
    """quick_check at open: otherwise every write would fail for the whole run."""
    expect_log(
        "neckcare_desktop.core.history.recovery", logging.ERROR, r"was damaged \(quick_check"
    )
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        for _ in range(300):
            store.record(EventKind.BREAK_COMPLETED, NOW, subject="micro", note="x" * 100)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[3 * page : 4 * page] = b"\x5a" * page  # page 4 garbled, the header intact
    path.write_bytes(bytes(data))
    opened = open_history(path, NOW)
    assert opened.moved_to == tmp_path / "history.sqlite3.damaged-20260302-140205"
    assert opened.moved_to.read_bytes() == bytes(data)  # kept as it was
    assert "moved to" in opened.problem
    opened.store.record(EventKind.APP_STARTED, NOW)  # the new file takes rows
    assert opened.store.integrity_ok()
    opened.store.close()


def crash_leaving_a_wal(path, rows: int) -> None:
    """Rows committed into the -wal file, then a kill -9 (no checkpoint, WAL kept)."""
    code = (
        "import os, sys\n"
        "from datetime import datetime, timezone\n"
        "from neckcare_desktop.core.history import EventKind, HistoryStore\n"
        "s = HistoryStore(sys.argv[1])\n"
        "s._db.execute('PRAGMA wal_autocheckpoint=0')\n"
        "for i in range(int(sys.argv[2])):\n"
        "    s.record(EventKind.APP_STARTED, datetime(2026, 3, 2, tzinfo=timezone.utc))\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path), str(rows)], check=True, timeout=60)


@pytest.mark.parametrize(
    ("where", "rows_left"),
    [("header", 0), ("middle frame", None)],
)
def test_a_garbled_wal_is_kept_aside_and_told_not_silently_dropped(
    tmp_path, where, rows_left, expect_log
):
    expect_log("neckcare_desktop.core.history.recovery", logging.ERROR, "WAL .* is damaged")
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    crash_leaving_a_wal(path, 20)
    wal = tmp_path / "history.sqlite3-wal"
    data = bytearray(wal.read_bytes())
    offset = 10 if where == "header" else len(data) // 2
    data[offset] ^= 0xFF
    wal.write_bytes(bytes(data))
    opened = open_history(path, NOW)
    copy = tmp_path / "history.sqlite3-wal.damaged-20260302-140205"
    assert copy.read_bytes() == bytes(data)  # the newest rows are kept, byte for byte
    assert copy.stat().st_mode & 0o777 == 0o600
    assert str(copy) in opened.problem and "missing from History" in opened.problem
    left = len(opened.store.recent())
    assert left < 20  # SQLite did drop rows: that is why the person is told
    if rows_left is not None:
        assert left == rows_left
    opened.store.record(EventKind.APP_QUIT, NOW)
    opened.store.close()
    again = open_history(path, NOW)  # told once: the WAL SQLite wrote since is sound
    assert again.problem is None
    again.store.close()


def test_a_sound_wal_after_a_crash_is_not_reported(tmp_path):
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    crash_leaving_a_wal(path, 20)
    opened = open_history(path, NOW)
    assert opened.problem is None
    assert len(opened.store.recent()) == 20
    opened.store.close()
