"""The settings file on disk: reading only a regular file, one backup per bad content,
never writing over a file with problems (nor through a symlink), atomic saves.

Anything that could block (a FIFO) runs under :func:`must_not_block`: a SIGALRM interrupts
a blocked ``open()`` and the test fails at once instead of hanging the run.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import stat
import threading
import tomllib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neckcare_desktop.core import atomic_file, settings_file
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.limits import ICE_DEFAULT_MINUTES
from neckcare_desktop.core.settings import (
    LoadResult,
    SettingsFileRefused,
    default_settings,
    load_settings,
    read_language,
    save_settings,
    with_value,
)
from neckcare_desktop.core.settings_file import MAX_BYTES, file_state
from neckcare_desktop.window_registry import SETTINGS

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX files (FIFOs, modes, links)")
PROBLEMS = ("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
VALID = "[therapy]\nice_minutes = 12\n"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "neckcare" / "settings.toml"


@pytest.fixture
def now(clock: ManualClock) -> datetime:
    return clock.now()


def write(path: Path, content: bytes | str) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = content.encode() if isinstance(content, str) else content
    path.write_bytes(raw)
    return raw


def backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.bad*"))


class Blocked(BaseException):
    """Raised in a test that blocked: no ``except OSError`` / ``Exception`` swallows it."""


@contextlib.contextmanager
def must_not_block(seconds: float = 5.0) -> Iterator[None]:
    """Fail (:class:`Blocked`) if the block takes longer than ``seconds``, e.g. in open().

    The signal is sent to this thread: a process-wide alarm may land on another thread
    (Qt's, D-Bus's) and leave this one blocked in its system call. It is sent again every
    second until the block ends, in case code under test swallowed the first one.
    """

    def stuck(_signum: int, _frame: object) -> None:
        raise Blocked(f"blocked for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stuck)
    me = threading.get_ident()
    done = threading.Event()

    def watch() -> None:
        timeout = seconds
        while not done.wait(timeout):
            signal.pthread_kill(me, signal.SIGALRM)
            timeout = 1.0

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
        signal.signal(signal.SIGALRM, previous)


def make_special(path: Path, kind: str) -> contextlib.AbstractContextManager[object]:
    """Put a FIFO, folder, socket or device at ``path``; the context keeps it alive."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
        (path / "inside").write_text("x")
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        return contextlib.closing(sock)
    elif kind == "device":
        try:  # a copy of /dev/null's node: writing over it would be harmless here
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))
        except PermissionError:
            if os.environ.get("CI") == "true":  # never a silent skip on CI
                raise
            pytest.skip("creating a device node needs root (CI runs as root)")
    return contextlib.nullcontext()


def kind_of(path: Path) -> str:
    mode = os.lstat(path).st_mode
    return next(
        name
        for name, check in (
            ("fifo", stat.S_ISFIFO),
            ("folder", stat.S_ISDIR),
            ("socket", stat.S_ISSOCK),
            ("device", stat.S_ISCHR),
            ("link", stat.S_ISLNK),
            ("file", stat.S_ISREG),
        )
        if check(mode)
    )


# --- the file on disk ---------------------------------------------------------------


def test_save_then_load_round_trips(path: Path, now: datetime) -> None:
    s = with_value(default_settings(), "therapy.ice_minutes", 12)
    s = with_value(s, "breaks.micro.enabled", False)
    save_settings(s, path)

    text = path.read_text(encoding="utf-8")
    assert text.startswith("# NeckCare Desktop settings")
    assert tomllib.loads(text)["therapy"]["ice_minutes"] == 12
    result = load_settings(path, now)
    assert result == LoadResult(s, [], None)


def test_missing_file_gives_defaults_without_backup(path: Path, now: datetime) -> None:
    result = load_settings(path, now)
    assert result.settings == default_settings()
    assert result.problems == []
    assert result.backup_path is None
    assert not path.parent.exists()


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
def test_syntax_error_is_reported_with_line_and_file_kept(path: Path, now: datetime) -> None:
    original = write(path, "[therapy]\nice_minutes = 10\nheat_minutes = = 3\n")

    result = load_settings(path, now)

    assert result.settings == default_settings()
    assert "line 3" in result.problems[0]
    assert "default settings" in result.problems[-1]
    assert result.backup_path == path.with_name("settings.toml.bad")
    assert result.backup_path.read_bytes() == original
    assert path.read_bytes() == original
    assert str(result.backup_path) in result.problems[-1]


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
def test_out_of_range_file_value_names_key_and_range(path: Path, now: datetime) -> None:
    write(path, "schema_version = 1\n[therapy]\nice_minutes = 25\n")
    result = load_settings(path, now)
    assert result.settings.therapy.ice_minutes == ICE_DEFAULT_MINUTES
    # The person reads the setting's label from the Settings dialog, not the TOML key.
    assert result.problems[0] == (
        "Ice round length: 25 is not allowed; use 1–20 min (ice is capped at 20 minutes a round)."
    )
    assert result.backup_path is not None


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
def test_one_rolling_backup_holds_the_latest_bad_content(path: Path, now: datetime) -> None:
    """Issue 14: one ``settings.toml.bad``, not a new timestamped copy per distinct save (an
    autosaving editor made dozens); an older NeckCare's timestamped copy is left alone."""
    legacy = path.with_name("settings.toml.bad-20260301-080000")
    write(legacy, b"older backup")
    first = write(path, "nonsense =\n")
    result = load_settings(path, now)
    assert result.backup_path == path.with_name("settings.toml.bad")
    assert result.backup_path.read_bytes() == first
    for n in range(5):  # an editor saving broken drafts
        write(path, f"other nonsense {n} =\n")
        again = load_settings(path, now)
        assert again.backup_path == result.backup_path
        assert again.backup_path.read_bytes() == path.read_bytes()
    assert backups(path) == [result.backup_path, legacy]
    assert legacy.read_bytes() == b"older backup"
    if os.name == "posix":
        assert stat.S_IMODE(result.backup_path.stat().st_mode) == 0o600
    assert not list(path.parent.glob(".*.tmp"))


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
def test_newer_schema_in_file_runs_on_defaults(path: Path, now: datetime) -> None:
    write(path, "schema_version = 2\n[therapy]\nice_minutes = 10\n")
    result = load_settings(path, now)
    assert result.settings == default_settings()
    assert "schema_version = 2" in result.problems[0]


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
def test_non_utf8_file_is_reported_not_raised(path: Path, now: datetime) -> None:
    original = write(path, b"[therapy]\nice_minutes = 10 # caf\xe9\n")
    result = load_settings(path, now)
    assert result.settings == default_settings()
    assert "UTF-8" in result.problems[0]
    assert "line 2" in result.problems[0]
    assert result.backup_path is not None
    assert result.backup_path.read_bytes() == original


def test_utf8_byte_order_mark_is_accepted(path: Path, now: datetime) -> None:
    write(path, "\ufeff[therapy]\nice_minutes = 10\n".encode())
    result = load_settings(path, now)
    assert result.problems == []
    assert result.settings.therapy.ice_minutes == 10


def _refuse_opening(*, creating: bool):
    """An ``os.open`` that fails with EACCES for reading (or for creating) files."""
    real_open = os.open

    def fake_open(file: object, flags: int, *args: object, **kwargs: object) -> int:
        if bool(flags & os.O_CREAT) == creating:
            raise PermissionError(13, "Permission denied")
        return real_open(file, flags, *args, **kwargs)  # type: ignore[arg-type]

    return fake_open


@pytest.mark.expect_log(
    "neckcare_desktop.core.settings", logging.WARNING, r"Could not read settings"
)
def test_unreadable_file_is_reported_and_not_written_over(
    path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = write(path, "[therapy]\nice_minutes = 10\n")
    monkeypatch.setattr(settings_file.os, "open", _refuse_opening(creating=False))
    result = load_settings(path, now)
    assert result.settings == default_settings()
    assert result.problems == [
        f"Could not read {path}: Permission denied.",
        "NeckCare is running on default settings.",
    ]
    with pytest.raises(SettingsFileRefused, match="could not be read"):
        save_settings(default_settings(), path, replace_damaged=True)
    monkeypatch.undo()
    assert path.read_bytes() == original


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
@pytest.mark.expect_log(
    "neckcare_desktop.core.settings", logging.ERROR, r"Could not copy bad settings"
)
def test_failed_backup_is_reported(
    path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(path, "oops")

    monkeypatch.setattr(settings_file.os, "open", _refuse_opening(creating=True))
    result = load_settings(path, now)
    assert result.backup_path is None
    assert "Permission denied" in result.problems[-1]
    assert "default settings" in result.problems[-1]


@posix_only
def test_saved_file_and_new_directory_are_private(path: Path) -> None:
    save_settings(default_settings(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_atomic_save_leaves_no_temp_files(path: Path) -> None:
    save_settings(default_settings(), path)
    save_settings(with_value(default_settings(), "therapy.heat_minutes", 20), path)
    assert [p.name for p in path.parent.iterdir()] == ["settings.toml"]


def test_failed_save_keeps_the_old_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_settings(default_settings(), path)
    before = path.read_bytes()

    def broken_replace(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(settings_file.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        save_settings(with_value(default_settings(), "therapy.heat_minutes", 20), path)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["settings.toml"]


@posix_only
def test_a_save_reaches_the_disk_content_first_then_the_new_name(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A power cut right after Save must find the new settings: the content is flushed
    before the rename, and the folder (which holds the rename) after it."""
    flushed: list[str] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        flushed.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    save_settings(default_settings(), path)
    assert flushed == ["file", "folder"]


@posix_only
def test_the_one_atomic_write_gives_the_mode_asked_for(tmp_path: Path) -> None:
    """Core's helper serves everyone: 0600 for NeckCare's own files, 0644 for the entries
    the desktop reads (autostart, application menu)."""
    entry = tmp_path / "neckcare.desktop"
    atomic_file.write_atomically(entry, b"[Desktop Entry]\n", 0o644)
    atomic_file.write_atomically(tmp_path / "state.json", b"{}")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "state.json").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neckcare.desktop", "state.json"]


@posix_only
def test_save_writes_through_a_symlinked_settings_file(tmp_path: Path) -> None:
    """A dotfile manager's link stays a link; its target is replaced atomically, in place."""
    real = tmp_path / "dotfiles" / "neckcare.toml"
    save_settings(default_settings(), real)
    before = real.stat().st_ino
    link = tmp_path / "config" / "settings.toml"
    link.parent.mkdir()
    link.symlink_to(real)

    save_settings(with_value(default_settings(), "therapy.ice_minutes", 9), link)
    assert link.is_symlink() and link.resolve() == real
    assert tomllib.loads(real.read_text(encoding="utf-8"))["therapy"]["ice_minutes"] == 9
    assert real.stat().st_ino != before  # a new file renamed over it, not rewritten in place
    assert [p.name for p in real.parent.iterdir()] == ["neckcare.toml"]  # no temp file left
    assert [p.name for p in link.parent.iterdir()] == ["settings.toml"]


# --- properties


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    content=st.binary(max_size=200)
    | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
def test_arbitrary_file_bytes_never_raise(tmp_path: Path, now: datetime, content: bytes) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(content)
    result = load_settings(path, now)
    assert isinstance(result, LoadResult)
    assert path.read_bytes() == content
    if result.problems:
        assert result.settings == default_settings()
        assert result.backup_path is not None and result.backup_path.read_bytes() == content
        result.backup_path.unlink()  # keep examples independent


# --- only a regular file is read ------------------------------------------------------


@posix_only
@pytest.mark.expect_log(*PROBLEMS)
def test_a_fifo_at_start_is_refused_without_blocking(path: Path, now: datetime) -> None:
    """Before: ``read_bytes`` on a FIFO waited for a writer, before the socket listened."""
    make_special(path, "fifo")
    with must_not_block():
        result = load_settings(path, now)
        language = read_language(path)
        state = file_state(path)
    assert result.settings == default_settings()
    assert result.problems == [
        f"{path} is a named pipe (FIFO), not a regular file.",
        f"NeckCare runs on default settings; it does not read {path}, copy it or write "
        "over it. Move it away or put your settings file in its place.",
    ]
    assert result.backup_path is None and backups(path) == []
    assert language == "auto"
    assert state is not None
    assert kind_of(path) == "fifo"


@posix_only
@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("fifo", "a named pipe (FIFO)"),
        ("folder", "a folder"),
        ("socket", "a socket"),
        ("device", "a device"),
    ],
)
@pytest.mark.parametrize("linked", [False, True], ids=["at the path", "behind a symlink"])
def test_what_is_not_a_regular_file_is_refused_and_never_replaced(
    tmp_path: Path, path: Path, now: datetime, kind: str, words: str, linked: bool
) -> None:
    thing = tmp_path / "elsewhere" / "thing" if linked else path
    with make_special(thing, kind), must_not_block():
        if linked:
            path.parent.mkdir(parents=True)
            path.symlink_to(thing)
        result = load_settings(path, now)
        assert result.problems[0] == f"{path} is {words}, not a regular file."
        assert "NeckCare runs on default settings" in result.problems[1]
        assert backups(path) == []
        # Not even the person's own Save replaces it: it may be someone's, on purpose.
        for replace_damaged in (False, True):
            with pytest.raises(SettingsFileRefused) as refused:
                save_settings(default_settings(), path, replace_damaged=replace_damaged)
            assert refused.value.strerror == (
                f"it is {words}, not a regular file; move it away, then save again"
            )
        assert kind_of(thing) == kind
        assert kind_of(path) == ("link" if linked else kind)
        assert sorted(p.name for p in thing.parent.iterdir()) == [thing.name]


@pytest.mark.expect_log(*PROBLEMS)
def test_an_oversized_file_is_refused_never_copied_and_never_replaced(
    path: Path, now: datetime
) -> None:
    """Before: a 50 MB bad file was copied aside again at every start."""
    write(path, b"")
    os.truncate(path, 50 * 1024 * 1024)  # sparse: 50 MB without writing them
    for _start in range(3):
        result = load_settings(path, now)
        assert result.settings == default_settings()
        assert result.problems == [
            f"{path} is 50.0 MB, larger than a settings file can be (1.0 MB at most).",
            f"NeckCare runs on default settings; it does not read {path}, copy it or write "
            "over it. Move it away or put your settings file in its place.",
        ]
        assert result.backup_path is None
    assert backups(path) == []
    assert read_language(path) == "auto"
    for replace_damaged in (False, True):
        with pytest.raises(SettingsFileRefused, match=r"larger than a settings file can be"):
            save_settings(default_settings(), path, replace_damaged=replace_damaged)
    assert path.stat().st_size == 50 * 1024 * 1024


@pytest.mark.expect_log(*PROBLEMS)
def test_the_size_limit_is_one_megabyte_exactly(path: Path, now: datetime) -> None:
    comment = b"# " + b"x" * (MAX_BYTES - 3) + b"\n"  # valid TOML, exactly MAX_BYTES long
    write(path, comment)
    assert load_settings(path, now).problems == []
    write(path, comment + b"\n")
    assert "larger than a settings file can be" in load_settings(path, now).problems[0]


@pytest.mark.expect_log(*PROBLEMS)
def test_a_file_that_grows_after_the_size_check_is_still_cut_off(
    path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(path, b"#" * (3 * MAX_BYTES))
    reads: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        reads.append(n)
        return real_read(fd, n)

    # As if it was small at both looks and grew while read: the read loop is the last guard.
    monkeypatch.setattr(settings_file, "_refusal_for", lambda _st: None)
    monkeypatch.setattr(settings_file.os, "read", counting_read)
    result = load_settings(path, now)
    monkeypatch.undo()
    assert "larger than a settings file can be" in result.problems[0]
    assert sum(reads) <= MAX_BYTES + 1 + (1 << 16)
    assert backups(path) == []


@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.ERROR, r"Could not copy")
@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"Could not read")
def test_while_running_the_words_leave_defaults_out(
    path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A running app keeps the settings it uses (and says so): no "runs on defaults"."""
    write(path, b"")
    os.truncate(path, 2 * MAX_BYTES)
    assert load_settings(path, now, while_running=True).problems[1] == (
        f"NeckCare does not read {path}, copy it or write over it. "
        "Move it away or put your settings file in its place."
    )
    write(path, "[therapy\n")
    kept = load_settings(path, now, while_running=True)
    assert (
        kept.problems[-1] == f"{path} was left as it is and a copy was saved as {kept.backup_path}."
    )
    write(path, "[therapy]]\n")
    monkeypatch.setattr(settings_file.os, "open", _refuse_opening(creating=True))
    assert load_settings(path, now, while_running=True).problems[-1] == (
        f"{path} was left as it is, but a backup copy could not be made: Permission denied."
    )
    monkeypatch.setattr(settings_file.os, "open", _refuse_opening(creating=False))
    assert load_settings(path, now, while_running=True).problems == [
        f"Could not read {path}: Permission denied."
    ]


# --- one backup per distinct bad content ----------------------------------------------


@pytest.mark.expect_log(*PROBLEMS)
def test_the_same_bad_content_is_copied_aside_once(path: Path, clock: ManualClock) -> None:
    """Before: every start made another copy of a file that stayed broken."""
    first = write(path, "[therapy]\nice_minutes = 99\n")
    kept = load_settings(path, clock.now()).backup_path
    assert kept is not None and kept.read_bytes() == first
    inode = kept.stat().st_ino
    for _start in range(3):
        clock.advance(60)  # a later start: a new name, if a copy were made
        again = load_settings(path, clock.now())
        assert again.backup_path == kept
        assert f"a copy was saved as {kept}" in again.problems[-1]
    assert backups(path) == [kept]

    assert kept.stat().st_ino == inode  # the same content was not written again
    second = write(path, "[therapy]\nice_minutes = 98\n")
    assert load_settings(path, clock.now()).backup_path == kept  # the one rolling backup
    assert kept.read_bytes() == second  # now holds the latest distinct bad content
    assert backups(path) == [kept]


# --- a file with problems is never written by NeckCare on its own ---------------------


@pytest.mark.expect_log(*PROBLEMS)
def test_a_bookkeeping_save_never_writes_over_bad_content(path: Path, now: datetime) -> None:
    original = write(path, "[therapy]\nice_minutes = 99\nmy_note = 'keep me'\n")
    load_settings(path, now)
    with pytest.raises(SettingsFileRefused) as refused:
        save_settings(with_value(default_settings(), "app.autostart_asked", True), path)
    assert isinstance(refused.value, OSError)  # every caller already handles OSError
    assert refused.value.strerror == (
        "it has problems NeckCare does not fix by itself; saving from Settings… replaces it"
    )
    assert path.read_bytes() == original
    assert len(backups(path)) == 1


@pytest.mark.expect_log(*PROBLEMS)
def test_the_persons_save_replaces_bad_content_and_keeps_one_copy(
    path: Path, now: datetime
) -> None:
    original = write(path, "[therapy]\nice_minutes = 99\n")
    kept = load_settings(path, now).backup_path
    save_settings(
        with_value(default_settings(), "therapy.ice_minutes", 9), path, replace_damaged=True
    )
    assert load_settings(path, now).settings.therapy.ice_minutes == 9
    assert backups(path) == [kept]
    assert kept is not None and kept.read_bytes() == original


def test_the_persons_save_keeps_a_copy_first_when_there_is_none(path: Path) -> None:
    original = write(path, b"\xff not even text")
    save_settings(default_settings(), path, replace_damaged=True)
    [kept] = backups(path)
    assert kept.read_bytes() == original
    assert kept.name == "settings.toml.bad"
    assert path.read_text(encoding="utf-8").startswith("# NeckCare Desktop settings")


def test_without_a_copy_the_persons_save_does_not_write_over_bad_content(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = write(path, "[therapy\n")
    monkeypatch.setattr(settings_file.os, "open", _refuse_opening(creating=True))
    with pytest.raises(SettingsFileRefused, match=r"a copy of its content could not be kept"):
        save_settings(default_settings(), path, replace_damaged=True)
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert backups(path) == []


@posix_only
@pytest.mark.expect_log(*PROBLEMS)
def test_a_symlinked_broken_file_is_not_written_through(tmp_path: Path, now: datetime) -> None:
    """Before: a save after a broken start replaced the link's target with defaults."""
    real = tmp_path / "dotfiles" / "neckcare.toml"
    original = write(real, "[therapy]\nice_minutes = 99\n# my notes\n")
    link = tmp_path / "config" / "settings.toml"
    link.parent.mkdir()
    link.symlink_to(real)
    assert load_settings(link, now).problems
    with pytest.raises(SettingsFileRefused):
        save_settings(with_value(default_settings(), "app.autostart_asked", True), link)
    assert link.is_symlink() and real.read_bytes() == original
    # The person's own Save writes the target (a copy of the bad content is next to the link).
    save_settings(default_settings(), link, replace_damaged=True)
    assert link.is_symlink() and load_settings(link, now).problems == []
    assert [p.read_bytes() for p in backups(link)] == [original]


def test_file_state_changes_with_the_content_and_with_the_kind(path: Path) -> None:
    assert file_state(path) is None
    write(path, VALID)
    assert file_state(path) == VALID.encode()
    path.unlink()
    make_special(path, "folder")
    folder = file_state(path)
    assert folder not in (None, VALID.encode())
    path.rename(path.with_name("old"))
    write(path, b"")
    os.truncate(path, 2 * MAX_BYTES)
    too_large = file_state(path)
    assert too_large not in (None, folder)
    with path.open("ab") as growing:
        growing.write(b"more")
    assert file_state(path) == too_large  # a refused file is reported once, not as it grows


# --- the running app --------------------------------------------------------------------

APP_PROBLEMS = ("neckcare_desktop.app", logging.WARNING, r"settings:")
FIFO_PROBLEM = "is a named pipe (FIFO), not a regular file"


@posix_only
@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log(*APP_PROBLEMS)
def test_a_fifo_at_start_does_not_block_the_app(start_app, app_paths) -> None:
    os.mkfifo(app_paths.settings_file)
    with must_not_block():
        app = start_app()
    assert app.notifier.last is not None
    title, text = app.notifier.last
    assert title == "Settings file has problems"
    assert f"{app_paths.settings_file} {FIFO_PROBLEM}." in text
    assert "NeckCare runs on default settings" in text


@posix_only
@pytest.mark.expect_log(*PROBLEMS)
def test_a_fifo_swapped_in_while_running_is_refused_without_blocking(
    start_app, app_paths, qtbot
) -> None:
    """Before: the file watcher's read blocked the GUI thread until a writer came."""
    app_paths.settings_file.write_text(
        "[app]\nautostart_asked = true\n[therapy]\nice_minutes = 12\n", encoding="utf-8"
    )
    app = start_app()
    assert app.engine.settings.therapy.ice_minutes == 12
    app_paths.settings_file.unlink()
    os.mkfifo(app_paths.settings_file)
    with must_not_block(10):  # the real watcher: a directory change, then a read
        qtbot.waitUntil(
            lambda: app.notifier.last is not None and FIFO_PROBLEM in app.notifier.last[1],
            timeout=8000,
        )
    path = app_paths.settings_file
    assert app.notifier.last[1] == (
        f"{path} is a named pipe (FIFO), not a regular file.\n"
        f"NeckCare does not read {path}, copy it or write over it. "
        "Move it away or put your settings file in its place.\n"
        "NeckCare keeps the settings it was using."
    )
    app.notifier.last = None
    with must_not_block():
        app.settings_watcher.check()  # the watcher again: the same FIFO, said once
    assert app.notifier.last is None
    assert app.engine.settings.therapy.ice_minutes == 12  # the settings in use stay
    assert kind_of(app_paths.settings_file) == "fifo"


@posix_only
@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log(*APP_PROBLEMS)
@pytest.mark.expect_log(
    "neckcare_desktop.controller", logging.WARNING, r"could not save the guidance"
)
def test_answers_after_a_broken_start_leave_a_symlinked_file_alone(
    start_app, app_paths, tmp_path, qtbot
) -> None:
    """Before: answering the first-run question replaced the link's target with defaults."""
    real = tmp_path / "dotfiles" / "neckcare.toml"
    original = write(real, "[app]\nautostart_asked = true\n[therapy]\nice_minutes = 25\n")
    app_paths.settings_file.symlink_to(real)
    app = start_app()
    assert "Ice round length: 25 is not allowed" in app.notifier.last[1]
    # A broken file is no first run: the question is not asked again (issue 14); an answer
    # goes to NeckCare's state file, and the link's target is not NeckCare's to write.
    assert app.first_run.box is None
    app.first_run.answer(True)
    assert app.engine.settings.app.autostart_asked is True
    app.controller._stop_see_someone()  # "Don't show this again" on the see-someone message
    assert app.engine.settings.guidance.see_someone is False
    assert app_paths.settings_file.is_symlink()
    assert real.read_bytes() == original
    assert [p.read_bytes() for p in backups(app_paths.settings_file)] == [original]


@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log(*APP_PROBLEMS)
def test_saving_from_settings_replaces_a_broken_file_and_keeps_its_copy(
    start_app, app_paths, qtbot
) -> None:
    path = app_paths.settings_file
    original = write(path, "[app]\nautostart_asked = true\n[therapy]\nice_minutes = 25\n")
    app = start_app()
    app.controller.show_settings()
    dialog = app.windows.get(SETTINGS)
    assert dialog.save_values({"therapy.ice_minutes": 9, "app.autostart_asked": True})
    assert app.engine.settings.therapy.ice_minutes == 9
    assert tomllib.loads(path.read_text(encoding="utf-8"))["therapy"]["ice_minutes"] == 9
    assert [p.read_bytes() for p in backups(path)] == [original]  # the start's copy, once


#: The real entry point (``neckcare`` with no arguments) in a fresh process; reports what
#: the app was told about its settings and whether the command socket is there.
ENTRY_POINT_CODE = r"""
import gc, json, os, sys

def report():
    from neckcare_desktop.app import NeckCareApp
    [app] = [o for o in gc.get_objects() if isinstance(o, NeckCareApp)]
    print(json.dumps({
        "problems": app.settings_problems,
        "socket": os.path.exists(os.environ["NECKCARE_SOCKET"]),
    }))
    sys.stdout.flush()
    sys.modules["PySide6.QtWidgets"].QApplication.instance().exit(0)

def on_event(event, args):
    if event == "import" and args[0] == "neckcare_desktop.app":
        sys.modules["PySide6.QtCore"].QTimer.singleShot(500, report)

sys.addaudithook(on_event)
from neckcare_desktop import cli
sys.exit(cli.main(["--foreground"]))
"""


@posix_only
def test_neckcare_starts_and_listens_with_a_fifo_as_its_settings(tmp_path: Path) -> None:
    """Before: ``neckcare`` froze reading the language, before its socket listened."""
    import neckcare_desktop
    from fresh_python import run_json

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / var.lower())
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    env["NECKCARE_SOCKET"] = str(runtime / "n.sock")
    env["PYTHONPATH"] = str(Path(neckcare_desktop.__file__).resolve().parents[1])
    fifo = tmp_path / "xdg_config_home" / "neckcare-desktop" / "settings.toml"
    fifo.parent.mkdir(parents=True)
    os.mkfifo(fifo)

    started = run_json(ENTRY_POINT_CODE, env, timeout=60)  # a blocked start times out

    assert started["socket"] is True
    assert started["problems"][0] == f"{fifo} {FIFO_PROBLEM}."
    assert kind_of(fifo) == "fifo"


@posix_only
@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log(*APP_PROBLEMS)
@pytest.mark.expect_log("neckcare_desktop.settings_saving", logging.ERROR, r"Could not save")
def test_saving_from_settings_over_a_fifo_says_why_and_keeps_the_changes(
    start_app, app_paths
) -> None:
    path = app_paths.settings_file
    os.mkfifo(path)
    with must_not_block():
        app = start_app()
        app.controller.show_settings()
        dialog = app.windows.get(SETTINGS)
        assert not dialog.save_values({"therapy.ice_minutes": 9})
    assert dialog.isVisible()
    assert dialog.error_text() == (
        f"Could not save settings to {path}: it is a named pipe (FIFO), not a regular file; "
        "move it away, then save again. Your changes are still in this window."
    )
    assert kind_of(path) == "fifo"
    path.unlink()  # moved away: now Save writes a new file
    assert dialog.save_values({"therapy.ice_minutes": 9})
    assert app.engine.settings.therapy.ice_minutes == 9
    assert kind_of(path) == "file"


# -- the ice and heat safety profile (issue 18) ------------------------------------------------


def test_a_file_from_before_the_safety_profile_loads_without_problems(
    path: Path, now: datetime
) -> None:
    write(path, "schema_version = 1\n[therapy]\nice_minutes = 12\nice_rest_minutes = 60\n")
    result = load_settings(path, now)
    assert result.problems == [] and result.backup_path is None
    t = result.settings.therapy
    assert (t.ice_minutes, t.ice_rest_minutes) == (12, 60)
    assert not (t.reduced_skin_feeling or t.circulation_problems or t.cold_sensitivity)
    assert not (t.diabetes_or_neuropathy or t.safety_asked)


def test_the_safety_answers_are_kept_in_the_file_and_read_back(path: Path, now: datetime) -> None:
    s = with_value(default_settings(), "therapy.cold_sensitivity", True)
    s = with_value(s, "therapy.safety_asked", True)
    save_settings(s, path)
    therapy = tomllib.loads(path.read_text(encoding="utf-8"))["therapy"]
    assert therapy["cold_sensitivity"] is True and therapy["reduced_skin_feeling"] is False
    assert "safety_asked" not in therapy  # app bookkeeping: kept in the app state file
    loaded = load_settings(path, now).settings
    assert loaded.therapy.cold_sensitivity is True


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
def test_a_safety_answer_that_is_not_true_or_false_is_named(path: Path, now: datetime) -> None:
    write(path, "schema_version = 1\n[therapy]\nreduced_skin_feeling = 1\n")
    result = load_settings(path, now)
    assert result.settings.therapy.reduced_skin_feeling is False
    assert "Reduced feeling in my skin" in result.problems[0]
