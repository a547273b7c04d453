"""Plays a cue through the platform's command-line player: ``pw-play``, ``paplay`` or
``aplay`` on Linux and the BSDs, ``afplay`` on macOS.

A player process needs no sound library in the app (QtMultimedia needs ``libpulse`` and
loads FFmpeg), talks to whatever sound server the desktop runs, and exits when the cue ends.

- ``QProcess.start`` returns once the child is forked: nothing waits on the GUI thread. Qt
  reaps the child (no zombies) and reports its exit in ``finished``; the ``QProcess`` is then
  deleted with ``deleteLater``.
- A new cue kills the one still playing: cues replace each other rather than overlap.
- A player that fails (no sound server; no sound card, where ``aplay`` exits 1 at once) is an
  environment fact, not a bug: logged once per player at INFO, then at DEBUG. The same cue is
  tried with the next player found (``pw-play`` is often installed where PulseAudio, not
  PipeWire, runs), and the first player that works is tried first from then on.
- Volume, 0.0–1.0 as a linear amplitude (what ``QSoundEffect.setVolume`` took):
  ``pw-play --volume`` and ``afplay -v`` are linear too; ``paplay --volume`` takes
  PulseAudio's cubic scale (0–65536), so it gets the cube root; ``aplay`` has no volume
  option and plays at the ALSA mixer's level (the app's volume only mutes it, at 0).
"""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, QProcess, QProcessEnvironment

from neckcare_desktop.platform.sound_output import LogOnce

logger = logging.getLogger(__name__)

#: PulseAudio's 100 % volume (``PA_VOLUME_NORM``).
PA_VOLUME_NORM: Final = 65536


def _pw_play_volume(volume: float) -> tuple[str, ...]:
    return (f"--volume={volume:.3f}",)


def _paplay_volume(volume: float) -> tuple[str, ...]:
    # pa_sw_volume_from_linear(): PulseAudio volumes are cubic, so a linear 0.125 is 50 %.
    return (f"--volume={round(PA_VOLUME_NORM * volume ** (1 / 3))}",)


def _no_volume(volume: float) -> tuple[str, ...]:
    return ()


def _afplay_volume(volume: float) -> tuple[str, ...]:
    return ("-v", f"{volume:.3f}")


@dataclass(frozen=True)
class PlayerKind:
    """A player program and how it takes the volume."""

    name: str
    volume_args: Callable[[float], tuple[str, ...]]
    fixed_args: tuple[str, ...] = ()


#: In order of preference: PipeWire's own player, PulseAudio's (also served by PipeWire's
#: pulse server), then bare ALSA.
LINUX_PLAYERS: Final = (
    PlayerKind("pw-play", _pw_play_volume),
    PlayerKind("paplay", _paplay_volume),
    PlayerKind("aplay", _no_volume, ("-q",)),  # -q: no "Playing WAVE ..." line
)
MACOS_PLAYERS: Final = (PlayerKind("afplay", _afplay_volume),)


@dataclass(frozen=True)
class Player:
    """A player found on this computer."""

    kind: PlayerKind
    executable: str

    @property
    def name(self) -> str:
        return self.kind.name

    def arguments(self, path: Path, volume: float) -> list[str]:
        return [*self.kind.fixed_args, *self.kind.volume_args(volume), str(path)]


def player_kinds(platform: str = sys.platform) -> tuple[PlayerKind, ...]:
    if platform == "darwin":
        return MACOS_PLAYERS
    if platform == "win32":
        return ()  # winsound, in the standard library
    return LINUX_PLAYERS


def player_names(platform: str = sys.platform) -> list[str]:
    return [kind.name for kind in player_kinds(platform)]


def find_players(
    platform: str = sys.platform, which: Callable[[str], str | None] = shutil.which
) -> list[Player]:
    """The players installed here, best first (looked up on PATH once, by the caller)."""
    found = []
    for kind in player_kinds(platform):
        executable = which(kind.name)
        if executable:
            found.append(Player(kind, executable))
    return found


@dataclass(eq=False)
class _Attempt:
    """One player process playing one cue."""

    process: QProcess
    player: Player
    path: Path
    volume: float
    #: Players to try for this cue if this one fails.
    fallbacks: list[Player]
    replaced: bool = False


#: Every player process still running, whoever started it: a ``QProcess`` destroyed while
#: its child runs prints a warning and blocks to kill it, so none is dropped before it exits.
_LIVE: set[_Attempt] = set()


class CommandPlayerBackend:
    """Plays cues through the players found, first one first."""

    def __init__(self, players: Sequence[Player]) -> None:
        if not players:
            raise ValueError("CommandPlayerBackend needs at least one player")
        self._players = list(players)
        self._lead = 0  # index of the player tried first
        self._current: _Attempt | None = None
        #: This backend's processes still running (a subset of ``_LIVE``).
        self._mine: set[_Attempt] = set()
        self._log = LogOnce(logger)
        self._quit_hooked = False

    @property
    def players(self) -> list[Player]:
        """The players found, in the order the next cue tries them."""
        return self._players[self._lead :] + self._players[: self._lead]

    @property
    def busy(self) -> bool:
        """A player process of this backend is still running (for tests and diagnostics)."""
        return bool(self._mine)

    def play(self, path: Path, volume: float) -> bool:
        self.stop()
        first, *fallbacks = self.players
        self._start(first, path, volume, fallbacks)
        return True

    def stop(self) -> None:
        """Silence the cue that is playing, if any."""
        attempt = self._current
        self._current = None
        if attempt is not None and attempt in _LIVE:
            attempt.replaced = True
            attempt.process.kill()

    def _start(self, player: Player, path: Path, volume: float, fallbacks: list[Player]) -> None:
        self._hook_quit()
        process = QProcess()
        process.setProgram(player.executable)
        process.setArguments(player.arguments(path, volume))
        env = QProcessEnvironment.systemEnvironment()
        # WORKAROUND for https://github.com/PeonPing/peon-ping/issues/110 (pw-play reads
        # --volume with the locale's decimal separator, so "0.800" is 0, silent, under es_ES;
        # no report of it in PipeWire's own tracker was found). It can go when pw-play parses
        # --volume the same under every locale; meanwhile LC_ALL=C changes nothing else a
        # player does with a WAV file.
        env.insert("LC_ALL", "C")
        process.setProcessEnvironment(env)
        process.setStandardInputFile(QProcess.nullDevice())
        process.setStandardOutputFile(QProcess.nullDevice())
        attempt = _Attempt(process, player, path, volume, fallbacks)
        process.finished.connect(lambda code, status: self._on_finished(attempt, code, status))
        process.errorOccurred.connect(lambda error: self._on_error(attempt, error))
        _LIVE.add(attempt)
        self._mine.add(attempt)
        self._current = attempt
        logger.debug("playing %s with %s", path.name, player.executable)
        process.start()

    def _on_finished(self, attempt: _Attempt, code: int, status: QProcess.ExitStatus) -> None:
        stderr = bytes(attempt.process.readAllStandardError().data()).decode(errors="replace")
        self._forget(attempt)
        if attempt.replaced:
            return
        if status == QProcess.ExitStatus.NormalExit and code == 0:
            self._lead = self._players.index(attempt.player)
            return
        lines = [line.strip() for line in stderr.splitlines() if line.strip()]
        reason = f"exit code {code}" if status == QProcess.ExitStatus.NormalExit else "crashed"
        if lines:
            reason += f": {lines[-1][:200]}"
        self._failed(attempt, reason)

    def _on_error(self, attempt: _Attempt, error: QProcess.ProcessError) -> None:
        # Only a failed start ends without ``finished``; other errors are followed by it.
        if error != QProcess.ProcessError.FailedToStart:
            return
        reason = attempt.process.errorString()
        self._forget(attempt)
        if not attempt.replaced:
            self._failed(attempt, reason)

    def _failed(self, attempt: _Attempt, reason: str) -> None:
        following = attempt.fallbacks[0] if attempt.fallbacks else None
        self._log(
            f"failed:{attempt.player.name}",
            logging.INFO,
            "Sound player %s failed (%s); %s",
            attempt.player.executable,
            reason,
            f"trying {following.name}" if following else "this cue stays silent",
        )
        if following is not None and self._current is attempt:
            self._start(following, attempt.path, attempt.volume, attempt.fallbacks[1:])
        elif self._current is attempt:
            self._current = None

    def _forget(self, attempt: _Attempt) -> None:
        _LIVE.discard(attempt)
        self._mine.discard(attempt)
        attempt.process.deleteLater()

    def _hook_quit(self) -> None:
        """Stop the cue when the app quits, so no QProcess outlives the event loop running."""
        if self._quit_hooked:
            return
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_quit)
            self._quit_hooked = True

    def _on_quit(self) -> None:
        for attempt in list(self._mine):
            attempt.replaced = True
            attempt.process.kill()
            attempt.process.waitForFinished(500)  # a killed player exits at once
