"""The player contract: a cue starts exactly one player process, with the cue's file and the
volume, in the platform's order of players, replacing the cue still playing, and a player
that fails is logged once and hands the cue to the next one.

It runs real processes, checked the same way on any machine: fake ``pw-play``, ``paplay``,
``aplay`` and ``afplay`` scripts on a temporary PATH record their arguments to a file. The
players really installed (``.ci/run`` installs ``aplay``) run with every sound device out of
reach, so nothing sounds.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from neckcare_desktop.platform import sound_command
from neckcare_desktop.platform.sound import CUES, SoundPlayer
from neckcare_desktop.platform.sound_command import CommandPlayerBackend, find_players
from neckcare_desktop.resources import resource_path

COMMAND_LOGGER = "neckcare_desktop.platform.sound_command"


@pytest.fixture(autouse=True)
def _players_finish(qtbot):
    """No player process outlives its test (Qt warns when a running QProcess is destroyed)."""
    yield
    for attempt in list(sound_command._LIVE):
        attempt.process.kill()
    qtbot.waitUntil(lambda: not sound_command._LIVE, timeout=5000)


# --- The player contract, with fake players that record what they were asked ----------------

#: Records LC_ALL and argv to $NECKCARE_TEST_RECORD/<name>-<pid>, then appends that file's
#: name to .../order (so a listed record is complete, and the order is the start order),
#: then does what BEHAVIOUR says.
FAKE_PLAYER = """#!/bin/sh
rec="$NECKCARE_TEST_RECORD/${0##*/}-$$"
{ printf 'LC_ALL=%s\\n' "$LC_ALL"; for a in "$@"; do printf '%s\\n' "$a"; done; } > "$rec"
echo "${0##*/}-$$" >> "$NECKCARE_TEST_RECORD/order"
BEHAVIOUR
"""
SUCCEED = "exit 0"
PLAY_FOREVER = "exec /bin/sleep 60"
NO_SERVER = 'echo "Connection failure: Connection refused" >&2; exit 1'
NO_CARD = (
    'echo "ALSA lib pcm.c:2666: Unknown PCM default" >&2\n'
    'echo "aplay: main:831: audio open error: No such file or directory" >&2; exit 1'
)


@dataclass(frozen=True)
class Run:
    """One recorded start of a fake player."""

    name: str
    pid: int
    lc_all: str
    args: list[str]


class FakePlayers:
    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.bin = root / "bin"
        self.records = root / "records"
        self.bin.mkdir()
        self.records.mkdir()
        monkeypatch.setenv("PATH", str(self.bin))
        monkeypatch.setenv("NECKCARE_TEST_RECORD", str(self.records))

    def install(self, name: str, behaviour: str = SUCCEED) -> None:
        path = self.bin / name
        path.write_text(FAKE_PLAYER.replace("BEHAVIOUR", behaviour))
        path.chmod(path.stat().st_mode | stat.S_IXUSR)

    def runs(self) -> list[Run]:
        """Every start so far, oldest first."""
        order = self.records / "order"
        found = []
        for record in order.read_text().split() if order.exists() else []:
            name, pid = record.rsplit("-", 1)
            lc_all, *args = (self.records / record).read_text().splitlines()
            found.append(Run(name, int(pid), lc_all.removeprefix("LC_ALL="), args))
        return found


@pytest.fixture
def players(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakePlayers:
    if sys.platform == "win32":
        pytest.skip("Windows plays with winsound, not a player program")
    return FakePlayers(tmp_path, monkeypatch)


def _alive(pid: int) -> bool:
    """True while the process exists, zombies included: False means killed *and* reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _settle(qtbot, player: SoundPlayer) -> None:
    qtbot.waitUntil(lambda: player.backend is not None and not player.backend.busy)


def _cue(name: str) -> str:
    return str(resource_path("sounds", f"{name}.wav"))


def test_a_cue_starts_exactly_one_player_with_its_file_and_volume(qtbot, players) -> None:
    for name in ("pw-play", "paplay", "aplay"):
        players.install(name)
    player = SoundPlayer(volume=0.4)

    assert player.play("therapy-end") is True
    qtbot.waitUntil(lambda: len(players.runs()) == 1)
    _settle(qtbot, player)

    (run,) = players.runs()
    assert (run.name, run.args) == ("pw-play", ["--volume=0.400", _cue("therapy-end")])
    assert run.lc_all == "C"  # pw-play reads "0.400" as 0 under a decimal-comma locale
    assert not _alive(run.pid)  # reaped: no zombie left behind


@pytest.mark.parametrize(
    ("installed", "name", "volume_args"),
    [
        (("paplay", "aplay"), "paplay", ["--volume=32768"]),  # cubic: linear 1/8 is 50 %
        (("aplay",), "aplay", ["-q"]),  # no volume option: the mixer's level
    ],
)
def test_without_pipewire_the_next_player_plays(
    qtbot, players, installed: tuple[str, ...], name: str, volume_args: list[str]
) -> None:
    for player_name in installed:
        players.install(player_name)
    player = SoundPlayer(volume=0.125)

    player.play("break-start")
    qtbot.waitUntil(lambda: len(players.runs()) == 1)
    _settle(qtbot, player)
    (run,) = players.runs()
    assert (run.name, run.args) == (name, [*volume_args, _cue("break-start")])


def test_macos_afplay_gets_the_volume(qtbot, players) -> None:
    players.install("afplay")
    backend = CommandPlayerBackend(find_players("darwin"))

    backend.play(resource_path("sounds", "break-end.wav"), 0.4)
    qtbot.waitUntil(lambda: len(players.runs()) == 1 and not backend.busy)
    (run,) = players.runs()
    assert (run.name, run.args) == ("afplay", ["-v", "0.400", _cue("break-end")])


def test_sound_off_starts_no_player(qtbot, players) -> None:
    players.install("pw-play")
    player = SoundPlayer(enabled=False)
    assert [player.play(name) for name in CUES] == [False] * 3

    player.enabled, player.volume = True, 0.0
    assert [player.play(name) for name in CUES] == [False] * 3
    assert player.backend is None  # nothing even looked up

    player.volume = 0.5  # the one audible cue is the only run
    player.play("break-end")
    qtbot.waitUntil(lambda: len(players.runs()) == 1)
    _settle(qtbot, player)
    assert [run.args[-1] for run in players.runs()] == [_cue("break-end")]


def test_a_new_cue_replaces_the_one_still_playing(qtbot, players) -> None:
    players.install("pw-play", PLAY_FOREVER)
    player = SoundPlayer()

    player.play("break-start")
    qtbot.waitUntil(lambda: len(players.runs()) == 1)
    (first,) = players.runs()
    assert _alive(first.pid)  # a 60-second "cue" still playing

    player.play("therapy-end")
    qtbot.waitUntil(lambda: len(players.runs()) == 2)
    qtbot.waitUntil(lambda: not _alive(first.pid))  # killed and reaped, not overlapping
    second = next(run for run in players.runs() if run.pid != first.pid)
    assert second.args[-1] == _cue("therapy-end")
    assert _alive(second.pid)
    assert player.backend.busy

    player.backend.stop()
    qtbot.waitUntil(lambda: not _alive(second.pid))
    _settle(qtbot, player)


def test_a_player_without_its_server_hands_the_cue_to_the_next_one(
    qtbot, players, caplog: pytest.LogCaptureFixture
) -> None:
    players.install("pw-play", NO_SERVER)  # e.g. pipewire-bin installed, PulseAudio running
    players.install("paplay")
    player = SoundPlayer()

    with caplog.at_level(logging.INFO, logger=COMMAND_LOGGER):
        player.play("break-start")
        qtbot.waitUntil(lambda: len(players.runs()) == 2)
        _settle(qtbot, player)
        assert [run.name for run in players.runs()] == ["pw-play", "paplay"]
        assert {run.args[-1] for run in players.runs()} == {_cue("break-start")}

        player.play("break-end")  # the player that worked goes first from now on
        qtbot.waitUntil(lambda: len(players.runs()) == 3)
        _settle(qtbot, player)

    assert [run.name for run in players.runs()] == ["pw-play", "paplay", "paplay"]
    (line,) = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert line.levelno == logging.INFO
    assert "pw-play" in line.getMessage() and "Connection refused" in line.getMessage()


def test_no_sound_card_is_one_info_line_however_many_cues(
    qtbot, players, caplog: pytest.LogCaptureFixture
) -> None:
    players.install("aplay", NO_CARD)
    player = SoundPlayer()

    with caplog.at_level(logging.INFO, logger=COMMAND_LOGGER):
        for count, name in enumerate(CUES * 2, start=1):
            assert player.play(name) is True  # started; it fails later, off the GUI thread
            qtbot.waitUntil(lambda count=count: len(players.runs()) == count)
            _settle(qtbot, player)

    lines = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert [r.levelno for r in lines] == [logging.INFO]
    assert "audio open error" in lines[0].getMessage()  # the useful last line of stderr


def test_a_player_gone_since_the_lookup_hands_over_without_raising(
    qtbot, players, caplog: pytest.LogCaptureFixture
) -> None:
    players.install("pw-play")
    players.install("aplay")
    player = SoundPlayer()
    player.play("break-start")
    qtbot.waitUntil(lambda: len(players.runs()) == 1)
    _settle(qtbot, player)

    (players.bin / "pw-play").unlink()  # uninstalled while NeckCare runs
    with caplog.at_level(logging.INFO, logger=COMMAND_LOGGER):
        assert player.play("break-end") is True
        qtbot.waitUntil(lambda: len(players.runs()) == 2)
        _settle(qtbot, player)

    assert [run.name for run in players.runs()] == ["pw-play", "aplay"]
    assert [r.levelno for r in caplog.records] == [logging.INFO]


def test_real_players_accept_the_arguments_and_fail_quietly_without_a_device(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The players installed here (``.ci/run`` installs aplay), with every sound device out
    of reach so nothing sounds on a developer's machine: each fails at once with one INFO
    line that is about the device, not about the arguments NeckCare gave it."""
    found = find_players()
    if not found:
        if os.environ.get("CI") == "true":  # never a silent skip on CI
            pytest.fail("a sound player is required on CI (package alsa-utils)")
        pytest.skip("no sound player installed (apt-get install alsa-utils)")
    empty = tmp_path / "runtime"
    empty.mkdir(mode=0o700)
    (tmp_path / "alsa.conf").write_text("")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(empty))  # no PipeWire or PulseAudio socket
    monkeypatch.setenv("PULSE_SERVER", f"unix:{empty}/none")
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(tmp_path / "alsa.conf"))  # no ALSA device
    backend = CommandPlayerBackend(found)

    with caplog.at_level(logging.INFO, logger=COMMAND_LOGGER):
        assert backend.play(resource_path("sounds", "break-end.wav"), 0.5) is True
        qtbot.waitUntil(lambda: len(caplog.records) == len(found), timeout=10_000)
        qtbot.waitUntil(lambda: not backend.busy)

    messages = [r.getMessage() for r in caplog.records]
    assert [r.levelno for r in caplog.records] == [logging.INFO] * len(found)
    for player, message in zip(found, messages, strict=True):
        assert player.executable in message
        for usage_error in ("invalid option", "unrecognized option", "Usage", "usage"):
            assert usage_error not in message
