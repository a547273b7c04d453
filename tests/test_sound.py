"""Sound cues: when a cue sounds, which backend plays it, graceful silence, and the shipped
WAV files. The player processes themselves are tested in ``test_sound_players.py``.

Nothing here needs a sound card: fake backends stand in, and the one test that touches the
real QtMultimedia fallback runs in a subprocess.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import importlib.util
import itertools
import logging
import os
import struct
import subprocess
import sys
import types
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from neckcare_desktop.platform import sound_qt
from neckcare_desktop.platform.sound import CUES, SoundPlayer
from neckcare_desktop.platform.sound_command import CommandPlayerBackend, find_players
from neckcare_desktop.platform.sound_output import SilentBackend, default_backend
from neckcare_desktop.resources import resource_path

REPO = Path(__file__).resolve().parents[1]


# --- SoundPlayer: whether, which file, how loud ------------------------------------------


class FakeBackend:
    def __init__(self, result: bool = True) -> None:
        self.result = result
        self.plays: list[tuple[str, float]] = []

    def play(self, path: Path, volume: float) -> bool:
        assert path.is_file()
        self.plays.append((path.name, volume))
        return self.result


def _player(backend: object, calls: list[object] | None = None, **kwargs: object) -> SoundPlayer:
    def factory() -> object:
        if calls is not None:
            calls.append(backend)
        return backend

    return SoundPlayer(backend_factory=factory, **kwargs)  # type: ignore[arg-type]


def _run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
    )


def test_creating_the_player_looks_up_and_loads_nothing() -> None:
    result = _run_python(
        "import sys\n"
        "from neckcare_desktop.platform.sound import SoundPlayer\n"
        "player = SoundPlayer()\n"
        "player.volume = 0.5\n"
        "player.enabled = False\n"
        "player.play('break-start')\n"
        "print(player.backend, 'PySide6.QtMultimedia' in sys.modules,\n"
        "      'neckcare_desktop.platform.sound_command' in sys.modules)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["None", "False", "False"]


def test_muted_or_silent_volume_plays_nothing_and_chooses_no_backend() -> None:
    backend, calls = FakeBackend(), []
    muted = _player(backend, calls, enabled=False)
    silent = _player(backend, calls, volume=0.0)

    assert [muted.play(name) for name in CUES] == [False] * 3
    assert [silent.play(name) for name in CUES] == [False] * 3
    assert calls == []
    assert backend.plays == []


def test_unknown_cue_is_a_value_error_even_when_muted() -> None:
    backend = FakeBackend()
    for enabled in (True, False):
        with pytest.raises(ValueError, match="ding"):
            _player(backend, enabled=enabled).play("ding")
    assert backend.plays == []


def test_each_cue_plays_its_own_file_at_the_volume_of_the_moment() -> None:
    backend, calls = FakeBackend(), []
    player = _player(backend, calls, volume=0.6)

    assert player.play("break-start") is True
    player.volume = 0.25
    assert player.play("therapy-end") is True
    player.enabled = False
    assert player.play("break-end") is False

    assert len(calls) == 1  # chosen once, on the first cue
    assert backend.plays == [("break-start.wav", 0.6), ("therapy-end.wav", 0.25)]


def test_volume_is_clamped_and_nan_rejected() -> None:
    backend = FakeBackend()
    player = _player(backend, volume=3.0)
    assert player.volume == 1.0
    player.volume = -1
    assert player.volume == 0.0
    assert player.play("break-end") is False  # silent volume: nothing to hear
    with pytest.raises(ValueError):
        player.volume = float("nan")
    assert backend.plays == []


def test_backend_that_cannot_be_created_logs_once_and_stays_silent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    attempts = []

    def broken_factory() -> FakeBackend:
        attempts.append(1)
        raise OSError("libfoo.so: cannot open shared object file")

    player = SoundPlayer(backend_factory=broken_factory)
    with caplog.at_level(logging.INFO, logger="neckcare_desktop.platform.sound"):
        results = [player.play(name) for name in CUES * 2]

    assert results == [False] * 6
    assert len(attempts) == 1
    assert [(r.levelno, "libfoo" in r.getMessage()) for r in caplog.records] == [
        (logging.INFO, True)
    ]


def test_a_backend_bug_is_logged_as_an_error_once_and_never_raised(expect_log) -> None:
    expect_log("neckcare_desktop.platform.sound", logging.ERROR, "Playing sound 'break-end' failed")

    class Buggy:
        def play(self, path: Path, volume: float) -> bool:
            raise AttributeError("bug")

    player = _player(Buggy())
    assert [player.play("break-end"), player.play("break-end")] == [False, False]


def test_missing_sound_file_is_silent(tmp_path: Path) -> None:
    backend = FakeBackend()
    player = _player(backend, sound_dir=tmp_path)
    assert player.play("therapy-end") is False
    assert backend.plays == []


# --- Choosing the backend ------------------------------------------------------------


def _which(*installed: str) -> Callable[[str], str | None]:
    return lambda name: f"/usr/bin/{name}" if name in installed else None


@pytest.mark.parametrize(
    ("installed", "expected"),
    [
        (("pw-play", "paplay", "aplay"), ["pw-play", "paplay", "aplay"]),
        (("paplay", "aplay"), ["paplay", "aplay"]),
        (("aplay",), ["aplay"]),
        (("afplay",), []),  # not a Linux player
    ],
)
def test_linux_prefers_pipewire_then_pulseaudio_then_alsa(
    installed: tuple[str, ...], expected: list[str]
) -> None:
    assert [p.name for p in find_players("linux", _which(*installed))] == expected
    backend = default_backend("linux", _which(*installed))
    if expected:
        assert isinstance(backend, CommandPlayerBackend)
        assert [p.executable for p in backend.players] == [f"/usr/bin/{n}" for n in expected]


def test_macos_uses_afplay() -> None:
    assert [p.name for p in find_players("darwin", _which("afplay", "aplay"))] == ["afplay"]


def test_no_player_falls_back_to_qtmultimedia(monkeypatch: pytest.MonkeyPatch) -> None:
    made = []
    monkeypatch.setattr(sound_qt, "QtMultimediaBackend", lambda: made.append(1) or "qt")
    assert default_backend("linux", _which()) == "qt"
    assert made == [1]


def test_no_player_and_no_qtmultimedia_is_silent_with_one_info_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def no_qt() -> None:
        raise ImportError("libpulse.so.0: cannot open shared object file")

    monkeypatch.setattr(sound_qt, "QtMultimediaBackend", no_qt)
    player = SoundPlayer(backend_factory=lambda: default_backend("linux", _which()))
    with caplog.at_level(logging.INFO):
        assert [player.play(name) for name in CUES * 2] == [False] * 6

    assert isinstance(player.backend, SilentBackend)
    lines = [r for r in caplog.records if r.name.startswith("neckcare_desktop")]
    assert [r.levelno for r in lines] == [logging.INFO]
    assert "pw-play, paplay, aplay" in lines[0].getMessage()
    assert "libpulse" in lines[0].getMessage()


def test_windows_plays_asynchronously_with_winsound(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    fake = types.SimpleNamespace(
        SND_FILENAME=0x20000,
        SND_ASYNC=0x1,
        SND_NODEFAULT=0x2,
        PlaySound=lambda sound, flags: calls.append((sound, flags)),
    )
    monkeypatch.setitem(sys.modules, "winsound", fake)
    player = SoundPlayer(backend_factory=lambda: default_backend("win32"), volume=0.5)

    assert player.play("therapy-end") is True
    ((sound, flags),) = calls
    assert Path(sound) == resource_path("sounds", "therapy-end.wav")
    assert flags == 0x20000 | 0x1 | 0x2  # from a file, without waiting, never the system beep

    def fail(sound: str, flags: int) -> None:
        raise RuntimeError("Failed to play sound")

    fake.PlaySound = fail
    assert player.play("break-end") is False


def test_real_qtmultimedia_fallback_plays_or_stays_silent_without_raising(
    tmp_path: Path,
) -> None:
    """With no player on PATH, the real QtMultimedia is tried: it loads where libpulse is
    installed, and without libpulse (a fresh Debian) the cues are silent, with no traceback."""
    result = _run_python(
        "from PySide6.QtGui import QGuiApplication\n"
        "app = QGuiApplication([])\n"
        "from neckcare_desktop.platform.sound import SoundPlayer\n"
        "player = SoundPlayer()\n"
        "results = [player.play('therapy-end'), player.play('therapy-end')]\n"
        "assert all(isinstance(r, bool) for r in results), results\n"
        "print(type(player.backend).__name__)\n",
        PATH=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    loads = sys.platform != "linux" or ctypes.util.find_library("pulse") is not None
    expected = "QtMultimediaBackend" if loads else "SilentBackend"
    assert result.stdout.strip().splitlines()[-1] == expected


# --- The shipped WAV files ----------------------------------------------------------

#: (shortest, longest) acceptable duration in seconds per cue.
DURATIONS = {"break-start": (0.3, 1.0), "break-end": (0.3, 1.0), "therapy-end": (0.9, 1.5)}
FULL_SCALE = 32767


def _read(name: str) -> tuple[int, int, list[int]]:
    """Return (channels, sample rate, 16-bit samples) of a shipped cue."""
    with wave.open(str(resource_path("sounds", f"{name}.wav")), "rb") as wav:
        assert wav.getsampwidth() == 2, "expected 16-bit PCM"
        channels, rate = wav.getnchannels(), wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    return channels, rate, list(struct.unpack(f"<{len(frames) // 2}h", frames))


def _zero_crossings(samples: list[int], start: float, end: float, rate: int) -> float:
    """Crossings per second in a window: a crude but robust pitch estimate (~2x Hz)."""
    window = samples[int(start * rate) : int(end * rate)]
    flips = sum(1 for a, b in itertools.pairwise(window) if (a < 0) != (b < 0))
    return flips / (end - start)


@pytest.mark.parametrize("name", CUES)
def test_sound_file_is_short_gentle_mono_pcm(name: str) -> None:
    channels, rate, samples = _read(name)
    assert channels == 1
    assert rate == 22050
    low, high = DURATIONS[name]
    assert low <= len(samples) / rate <= high

    peak = max(abs(s) for s in samples)
    assert 0.2 * FULL_SCALE < peak < 0.9 * FULL_SCALE  # audible, never clipped
    # A soft start and end: no click from jumping straight to a loud sample.
    assert abs(samples[0]) < 0.02 * FULL_SCALE
    assert abs(samples[-1]) < 0.02 * FULL_SCALE
    assert max(abs(s) for s in samples[:20]) < 0.1 * FULL_SCALE


def test_sounds_are_distinct_and_therapy_end_is_the_loudest() -> None:
    data = {name: _read(name)[2] for name in CUES}
    digests = {hashlib.sha256(struct.pack(f"<{len(s)}h", *s)).hexdigest() for s in data.values()}
    assert len(digests) == len(CUES)
    peaks = {name: max(abs(v) for v in samples) for name, samples in data.items()}
    assert peaks["therapy-end"] > peaks["break-start"]
    assert peaks["therapy-end"] > peaks["break-end"]


def test_break_start_rises_and_break_end_falls() -> None:
    rate = 22050
    *_, start = _read("break-start")
    *_, end = _read("break-end")
    assert _zero_crossings(start, 0.45, 0.65, rate) > 1.2 * _zero_crossings(start, 0.02, 0.2, rate)
    assert _zero_crossings(end, 0.45, 0.65, rate) < 0.8 * _zero_crossings(end, 0.02, 0.2, rate)


def test_shipped_sounds_match_the_generator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location("make_sounds", REPO / "tools" / "make_sounds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_sounds", module)  # dataclasses look it up
    spec.loader.exec_module(module)

    assert module.main(["--out", str(tmp_path)]) == 0
    for name in CUES:
        generated = (tmp_path / f"{name}.wav").read_bytes()
        shipped = resource_path("sounds", f"{name}.wav").read_bytes()
        assert generated == shipped, f"{name}.wav is stale; run tools/make_sounds.py"
