"""A damaged, foreign or unreachable history file never stops NeckCare or loses data."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime

import pytest

from conftest import TEST_TZ
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.history_recovery import open_history

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
@pytest.mark.expect_log("neckcare_desktop.core.history_recovery", logging.ERROR, r"was damaged")
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


@pytest.mark.expect_log("neckcare_desktop.core.history_recovery", logging.ERROR, r"was damaged")
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


@pytest.mark.expect_log("neckcare_desktop.core.history_recovery", logging.ERROR, r"newer NeckCare")
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
    "neckcare_desktop.core.history_recovery", logging.ERROR, r"cannot create history"
)
def test_unwritable_place_runs_in_memory_with_a_clear_message(tmp_path):
    # A file where the folder should be: refused even for root (unlike a chmod).
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    opened = open_history(blocker / "history.sqlite3", NOW)
    assert "cannot create" in opened.problem
    assert blocker.read_text() == "not a folder"
    opened.store.record(EventKind.APP_STARTED, NOW)  # this run still works, in memory
