"""History rows the file refused are kept on disk and written exactly once, also after a crash.

Real trouble, not mocks: a ``sqlite3`` process holding ``BEGIN EXCLUSIVE``, a small tmpfs
filled up or remounted read-only (tests/tmpfs_disk.py). A "crash" is the store closed by
the OS without ``Engine.shutdown`` (no quit row, nothing flushed), like a kill -9.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from fakes import at, make_rig
from neckcare_desktop.core import events as ev
from neckcare_desktop.core.breaks import BreakKind
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.history import EventKind, HistoryStore, connection
from neckcare_desktop.core.history import writer as history_writer
from neckcare_desktop.core.history.journal import (
    FILE_NAME,
    RESERVE_BYTES,
    PendingJournal,
    PendingRow,
)
from neckcare_desktop.core.history.recovery import open_history
from neckcare_desktop.core.therapy import TherapyKind
from tmpfs_disk import small_disk

ENGINE = "neckcare_desktop.core.engine"


def kinds_in(path: Path) -> Counter[str]:
    """Rows in the file as another program sees them (not through NeckCare's store)."""
    conn = sqlite3.connect(path)
    try:
        return Counter(k for (k,) in conn.execute("SELECT kind FROM events"))
    finally:
        conn.close()


def journal_rows(folder: Path) -> list[PendingRow]:
    return PendingJournal(folder / FILE_NAME).load()


#: Stands in for the ``sqlite3`` program where it is not installed: the same few commands.
SQLITE3_STAND_IN = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
for line in sys.stdin:
    line = line.strip()
    if line == ".quit":
        break
    if line.startswith(".print "):
        print(line[7:], flush=True)
    elif line:
        conn.execute(line)
"""


class Sqlite3Lock:
    """The ``sqlite3`` command-line program holding ``BEGIN EXCLUSIVE`` on the history
    (another Python process speaking SQLite where that program is not installed)."""

    def __init__(self, path: Path) -> None:
        program = shutil.which("sqlite3")
        command = [program] if program else [sys.executable, "-c", SQLITE3_STAND_IN]
        self.proc = subprocess.Popen(
            [*command, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._send("BEGIN EXCLUSIVE;")
        self._send("INSERT INTO events (at, at_utc, kind) VALUES ('x', 0, 'x');")
        self._send(".print locked")
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "locked"  # the lock is held now

    def _send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def release(self) -> None:
        self._send("ROLLBACK;\n.quit")
        self.proc.wait(timeout=10)


@pytest.fixture
def sqlite3_lock():
    locks: list[Sqlite3Lock] = []

    def take(path: Path) -> Sqlite3Lock:
        locks.append(Sqlite3Lock(path))
        return locks[-1]

    yield take
    for lock in locks:
        if lock.proc.poll() is None:
            lock.proc.kill()
            lock.proc.wait()


@pytest.fixture
def retry_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The store tries an unusable file again at every use (not every 10 s of real time)."""
    monkeypatch.setattr(connection, "REOPEN_EVERY_SECONDS", 0.0)


# -- the journal file itself ----------------------------------------------------------------


def test_rows_come_back_in_order_from_a_private_file_with_room_reserved(tmp_path):
    journal = PendingJournal(tmp_path / FILE_NAME)
    assert journal.load() == []
    rows = [
        PendingRow("break_started", at(9, 0), {"subject": "micro", "planned_seconds": 20}),
        PendingRow("app_quit", at(9, 1), {"note": "ünïcode ✓"}),
    ]
    kept = journal.append(rows)
    assert all(r.row_id for r in kept) and len({r.row_id for r in kept}) == 2
    assert journal_rows(tmp_path) == kept
    stat = (tmp_path / FILE_NAME).stat()
    assert stat.st_mode & 0o777 == 0o600
    assert stat.st_size >= RESERVE_BYTES  # room for rows while the disk is full
    journal.clear()
    assert journal_rows(tmp_path) == []
    assert (tmp_path / FILE_NAME).stat().st_size >= RESERVE_BYTES  # the room stays


def test_a_torn_last_line_from_a_crash_is_skipped(tmp_path, expect_log):
    expect_log("neckcare_desktop.core.history.journal", logging.WARNING, "unreadable pending row")
    journal = PendingJournal(tmp_path / FILE_NAME)
    journal.load()
    [kept] = journal.append([PendingRow("app_started", at(9, 0))])
    with (tmp_path / FILE_NAME).open("r+b") as fh:  # half a line after it, then zeros
        fh.seek(len(kept.to_line()))
        fh.write(b'{"id":"abc","kind":"app_qu')
    assert journal_rows(tmp_path) == [kept]


# -- another program's write lock ------------------------------------------------------------


def test_a_sqlite3_process_locking_at_start_and_during_writes_costs_no_row_and_no_wait(
    tmp_path, sqlite3_lock, expect_log
):
    """Locked before NeckCare starts: it starts at once, ice runs, every row waits on disk;
    killed while still locked, the next start writes each row once."""
    expect_log(ENGINE, logging.ERROR, "could not record")
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    lock = sqlite3_lock(path)
    clock = ManualClock(at(9, 0))
    opened = open_history(path, clock.now())
    assert opened.problem is None  # locked is not damaged: nothing to tell at open
    waits = []
    record = opened.store.record

    def timed(*args, **kwargs):
        started = time.monotonic()
        try:
            return record(*args, **kwargs)
        finally:
            waits.append(time.monotonic() - started)

    opened.store.record = timed  # type: ignore[method-assign]
    rig = make_rig(clock, opened.store)
    rig.engine.start_therapy(TherapyKind.ICE, 15)
    rig.to(at(9, 15))  # the ice end, and a history retry every 15 s, under the lock
    rig.engine.take_break_now(BreakKind.POSTURE)
    # No write waits for the lock longer than one short busy timeout, and rows that come
    # while one waits for its retry do not try (and wait) again.
    assert max(waits) < connection.BUSY_TIMEOUT_SECONDS + 0.4, waits  # a loaded CI
    assert len(waits) <= 1 + 15 * 60 // history_writer.RETRY_SECONDS + 1
    [notice] = [n for n in rig.rec.of(ev.Notice) if n.warning]  # told once
    assert "Another program is using" in notice.text and FILE_NAME in notice.text
    assert [r.kind for r in journal_rows(tmp_path)] == [
        "app_started",
        "therapy_started",
        "therapy_completed",
        "break_started",
    ]
    opened.store.close()  # killed: no quit row, nothing flushed
    lock.release()
    clock.set(at(9, 20))
    store = HistoryStore(path)
    make_rig(clock, store)
    store.close()
    counts = kinds_in(path)
    assert counts["app_started"] == 2 and counts["therapy_started"] == 1
    assert counts["therapy_completed"] == 1 and counts["break_started"] == 1
    assert counts["break_interrupted"] == 1  # the break the kill cut short is closed
    assert journal_rows(tmp_path) == []


def test_a_lock_taken_while_running_keeps_rows_until_the_retry(tmp_path, sqlite3_lock, expect_log):
    expect_log(ENGINE, logging.ERROR, "could not record")
    path = tmp_path / "history.sqlite3"
    clock = ManualClock(at(9, 0))
    store = HistoryStore(path)
    rig = make_rig(clock, store)
    lock = sqlite3_lock(path)
    rig.engine.start_therapy(TherapyKind.HEAT, 10)
    assert [r.kind for r in journal_rows(tmp_path)] == ["therapy_started"]
    assert rig.rec.of(ev.Notice)[-1].warning
    lock.release()
    rig.run(seconds=history_writer.RETRY_SECONDS + 1)  # the retry job
    assert kinds_in(path)["therapy_started"] == 1
    assert journal_rows(tmp_path) == []
    store.close()


def test_a_crash_between_the_history_commit_and_the_journal_clear_doubles_nothing(
    tmp_path, sqlite3_lock, monkeypatch, expect_log
):
    expect_log(ENGINE, logging.ERROR, "could not record")
    path = tmp_path / "history.sqlite3"
    clock = ManualClock(at(9, 0))
    store = HistoryStore(path)
    rig = make_rig(clock, store)
    lock = sqlite3_lock(path)
    rig.engine.start_therapy(TherapyKind.ICE, 15)
    rig.engine.stop_therapy()
    lock.release()

    # The rows reach the history, then "the power goes" before the journal is cleared.
    def power_cut(self: PendingJournal) -> None:
        raise OSError("the power went")

    monkeypatch.setattr(PendingJournal, "clear", power_cut)
    rig.engine._flush_pending()
    store.close()
    assert len(journal_rows(tmp_path)) == 2
    monkeypatch.undo()
    store = HistoryStore(path)
    make_rig(clock, store)  # replays the journal: both rows are already there
    store.close()
    counts = kinds_in(path)
    assert counts["therapy_started"] == 1
    assert counts["therapy_cancelled"] + counts["therapy_stopped_early"] == 1
    assert journal_rows(tmp_path) == []
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM journal_applied").fetchone() == (0,)
    conn.close()


# -- a full disk -------------------------------------------------------------------------------


def test_a_full_disk_at_start_and_while_running_keeps_every_row_across_a_crash(
    tmp_path, retry_at_once, expect_log
):
    expect_log(ENGINE, logging.ERROR, "could not record")
    expect_log("neckcare_desktop.core.history.recovery", logging.ERROR, "cannot be used now")
    expect_log("neckcare_desktop.core.therapy_recovery", logging.WARNING, "could not save")
    with small_disk(tmp_path / "disk") as disk:
        path = disk.path / "history.sqlite3"
        clock = ManualClock(at(9, 0))
        store = HistoryStore(path)
        first = make_rig(clock, store)  # a normal day makes the journal and its reserve
        first.engine.shutdown()
        store.close()
        # While running: the disk fills up under an open history.
        store = HistoryStore(path)
        rig = make_rig(clock, store)
        disk.fill()
        for minute in range(1, 6):
            clock.set(at(9, minute))
            rig.engine.take_break_now(BreakKind.MICRO)
            rig.engine.skip_break()
        notices = [n for n in rig.rec.of(ev.Notice) if n.warning]
        assert len(notices) == 1 and "full" in notices[0].text
        assert len(journal_rows(disk.path)) == 10  # on disk, in the reserved room
        store.close()  # killed while the disk is full
        # At start: still full. NeckCare starts, and the rows go on waiting on disk.
        clock.set(at(10, 0))
        opened = open_history(path, clock.now())
        rig = make_rig(clock, opened.store)
        rig.engine.start_therapy(TherapyKind.ICE, 15)
        assert len(journal_rows(disk.path)) == 12
        assert not any(".damaged-" in p.name for p in disk.path.iterdir())
        disk.free()
        rig.run(seconds=history_writer.RETRY_SECONDS + 1)
        opened.store.close()
        counts = kinds_in(path)
        assert counts["break_started"] == 5 and counts["break_skipped"] == 5
        assert counts["app_started"] == 3 and counts["app_quit"] == 1
        assert counts["therapy_started"] == 1
        assert journal_rows(disk.path) == []
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()


# -- a read-only disk ----------------------------------------------------------------------------


def test_a_read_only_disk_at_start_is_used_once_it_is_writable_again(
    tmp_path, retry_at_once, expect_log
):
    """Read-only before NeckCare starts: no file is set aside, rows wait (in memory: the
    journal's folder is read-only too), the file is opened again once writable."""
    expect_log(ENGINE, logging.ERROR, "could not record|cannot keep pending")
    expect_log("neckcare_desktop.core.history.recovery", logging.ERROR, "cannot be used now")
    expect_log("neckcare_desktop.core.therapy_recovery", logging.WARNING, "could not")
    with small_disk(tmp_path / "disk") as disk:
        path = disk.path / "history.sqlite3"
        clock = ManualClock(at(9, 0))
        store = HistoryStore(path)
        make_rig(clock, store).engine.shutdown()
        store.close()
        disk.read_only()
        opened = open_history(path, clock.now())
        assert opened.problem is not None and "right now" in opened.problem
        assert not opened.store.is_available
        rig = make_rig(clock, opened.store)
        rig.engine.start_therapy(TherapyKind.HEAT, 10)
        rig.to(at(9, 10))
        assert rig.engine.writer.pending == 3
        told = [n.text for n in rig.rec.of(ev.Notice) if n.warning]
        assert len(told) == 1 and "cannot keep its unsaved history rows on disk" in told[0]
        disk.writable()
        rig.run(seconds=history_writer.RETRY_SECONDS + 1)
        assert opened.store.is_available and rig.engine.writer.pending == 0
        opened.store.close()
        counts = kinds_in(path)
        assert counts["app_started"] == 2 and counts["therapy_started"] == 1
        assert counts["therapy_completed"] == 1
        assert not any(".damaged-" in p.name for p in disk.path.iterdir())


# -- a break cut short ---------------------------------------------------------------------------


def test_a_break_running_at_a_crash_is_closed_as_interrupted_at_the_next_start(tmp_path):
    path = tmp_path / "history.sqlite3"
    clock = ManualClock(at(9, 0))
    store = HistoryStore(path)
    make_rig(clock, store).engine.take_break_now(BreakKind.POSTURE)
    store.close()  # crash
    clock.set(at(9, 30))
    store = HistoryStore(path)
    rig = make_rig(clock, store)
    [closed] = rig.rows(EventKind.BREAK_INTERRUPTED)
    assert closed.subject == "posture" and closed.planned_seconds == 300
    assert closed.note == "NeckCare stopped unexpectedly during the break"
    rig.engine.shutdown()
    store.close()
    store = HistoryStore(path)
    rig = make_rig(clock, store)  # nothing left open: nothing closed twice
    assert len(rig.rows(EventKind.BREAK_INTERRUPTED)) == 1
    store.close()


def test_quitting_during_a_break_closes_it_at_once(tmp_path):
    clock = ManualClock(at(9, 0))
    store = HistoryStore(tmp_path / "history.sqlite3")
    rig = make_rig(clock, store)
    rig.engine.take_break_now(BreakKind.MICRO)
    rig.engine.shutdown()
    [closed] = rig.rows(EventKind.BREAK_INTERRUPTED)
    assert (closed.subject, closed.note) == ("micro", "NeckCare quit during the break")
    store.close()


def test_a_connection_that_turned_read_only_is_opened_again(tmp_path, retry_at_once, expect_log):
    """SQLITE_READONLY on a write: the store drops its connection and opens the file again
    at the next try, instead of failing on the same read-only handle for the whole run."""
    expect_log(ENGINE, logging.ERROR, "could not record")
    path = tmp_path / "history.sqlite3"
    clock = ManualClock(at(9, 0))
    store = HistoryStore(path)
    rig = make_rig(clock, store)
    store._db.execute("PRAGMA query_only = ON")  # SQLite now answers SQLITE_READONLY
    rig.engine.start_therapy(TherapyKind.ICE, 15)
    assert not store.is_available  # dropped, to be opened again
    [notice] = [n for n in rig.rec.of(ev.Notice) if n.warning]
    assert "read-only" in notice.text
    rig.run(seconds=history_writer.RETRY_SECONDS + 1)
    assert store.is_available and rig.engine.writer.pending == 0
    assert kinds_in(path)["therapy_started"] == 1
    store.close()


def test_a_first_start_on_a_read_only_disk_makes_the_history_once_it_is_writable(
    tmp_path, retry_at_once, expect_log
):
    """No file yet and the disk read-only: not a run in memory that forgets everything,
    but the file created, and the rows written, when the disk takes them."""
    expect_log(ENGINE, logging.ERROR, "could not record|cannot keep pending")
    expect_log("neckcare_desktop.core.history.recovery", logging.ERROR, "cannot create")
    expect_log("neckcare_desktop.core.therapy_recovery", logging.WARNING, "could not|neither")
    with small_disk(tmp_path / "disk") as disk:
        disk.read_only()
        path = disk.path / "history.sqlite3"
        clock = ManualClock(at(9, 0))
        opened = open_history(path, clock.now())
        assert "right now" in opened.problem and not path.exists()
        rig = make_rig(clock, opened.store)
        rig.engine.start_therapy(TherapyKind.ICE, 15)
        disk.writable()
        rig.run(seconds=history_writer.RETRY_SECONDS + 1)
        assert opened.store.is_available and rig.engine.writer.pending == 0
        opened.store.close()
        counts = kinds_in(path)
        assert counts["app_started"] == 1 and counts["therapy_started"] == 1


def test_a_disk_that_turns_read_only_while_running_keeps_the_rows_until_it_is_back(
    tmp_path, retry_at_once, expect_log
):
    """ext4 meets an error and the kernel makes it read-only under the open history (the
    way a failing disk does): NeckCare runs on, says so once, keeps the rows (in memory: the
    journal's folder is read-only too) and writes them when the disk is mounted again."""
    from tmpfs_disk import ext4_disk, fail_ext4, remount_ext4

    expect_log(ENGINE, logging.ERROR, "could not record|cannot keep pending")
    expect_log("neckcare_desktop.core.therapy_recovery", logging.WARNING, "could not")
    image = tmp_path / "disk.img"
    with ext4_disk(tmp_path / "disk", image) as disk:
        path = disk.path / "history.sqlite3"
        clock = ManualClock(at(9, 0))
        store = HistoryStore(path)
        rig = make_rig(clock, store)
        rig.engine.take_break_now(BreakKind.MICRO)
        fail_ext4(disk.path)
        rig.engine.skip_break()
        rig.engine.start_therapy(TherapyKind.HEAT, 10)
        assert rig.engine.writer.pending == 2 and not store.is_available
        [told] = [n.text for n in rig.rec.of(ev.Notice) if n.warning]  # told once
        assert "The disk reported an error" in told
        assert "cannot be kept on disk either" in told and "lost if NeckCare quits" in told
        remount_ext4(disk.path, image)
        rig.run(seconds=history_writer.RETRY_SECONDS + 1)
        assert store.is_available and rig.engine.writer.pending == 0
        store.close()
        counts = kinds_in(path)
        assert counts["app_started"] == 1 and counts["break_started"] == 1
        assert counts["break_skipped"] == 1 and counts["therapy_started"] == 1
