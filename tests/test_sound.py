"""Sound cues: lazy loading, mute, volume, graceful silence, and the shipped WAV files.

Nothing here needs a real audio device: the in-process tests use a fake backend, and
the one test that touches real QtMultimedia runs in a subprocess (its audio-stack
warnings would otherwise trip pytest-qt's "no Qt warnings" rule).
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import logging
import os
import struct
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from neckcare_desktop.resources import resource_path
from neckcare_desktop.ui.sound import CUES, SoundPlayer

REPO = Path(__file__).resolve().parents[1]


class FakeEffect:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.volume: float | None = None
        self.plays = 0
        self.broken = False

    def setVolume(self, volume: float) -> None:
        self.volume = volume

    def play(self) -> None:
        self.plays += 1


class FakeBackend:
    def __init__(self) -> None:
        self.output = True
        self.created: list[FakeEffect] = []

    def has_output(self) -> bool:
        return self.output

    def create(self, path: Path) -> FakeEffect:
        effect = FakeEffect(path)
        self.created.append(effect)
        return effect

    def is_broken(self, effect: FakeEffect) -> bool:
        return effect.broken


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def factory_calls() -> list[FakeBackend]:
    """Every call of the backend factory, to prove when QtMultimedia would be loaded."""
    return []


def _player(backend: FakeBackend, calls: list[FakeBackend], **kwargs: object) -> SoundPlayer:
    def factory() -> FakeBackend:
        calls.append(backend)
        return backend

    return SoundPlayer(backend_factory=factory, **kwargs)  # type: ignore[arg-type]


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )


def test_creating_the_player_does_not_load_qtmultimedia() -> None:
    result = _run_python(
        "import sys\n"
        "from neckcare_desktop.ui.sound import SoundPlayer\n"
        "player = SoundPlayer()\n"
        "player.volume = 0.5\n"
        "player.enabled = False\n"
        "player.play('break-start')\n"
        "print('loaded' if 'PySide6.QtMultimedia' in sys.modules else 'not-loaded')\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "not-loaded"


def test_real_backend_plays_or_stays_silent_without_raising() -> None:
    # Whether this machine has a sound card is unknown, so the contract under test is:
    # the first play loads QtMultimedia, returns a bool, and nothing raises.
    result = _run_python(
        "import sys\n"
        "from PySide6.QtGui import QGuiApplication\n"
        "app = QGuiApplication([])\n"
        "from neckcare_desktop.ui.sound import SoundPlayer\n"
        "player = SoundPlayer()\n"
        "results = [player.play('therapy-end'), player.play('therapy-end')]\n"
        "assert all(isinstance(r, bool) for r in results), results\n"
        "print('loaded' if 'PySide6.QtMultimedia' in sys.modules else 'not-loaded')\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "loaded"


def test_muted_player_plays_nothing_and_loads_nothing(
    backend: FakeBackend, factory_calls: list[FakeBackend]
) -> None:
    player = _player(backend, factory_calls, enabled=False)

    assert player.play("therapy-end") is False
    assert factory_calls == []
    assert backend.created == []
    assert player.loaded_cues == frozenset()


def test_unknown_cue_is_a_value_error_even_when_muted(
    backend: FakeBackend, factory_calls: list[FakeBackend]
) -> None:
    for enabled in (True, False):
        player = _player(backend, factory_calls, enabled=enabled)
        with pytest.raises(ValueError, match="ding"):
            player.play("ding")
    assert backend.created == []


def test_each_cue_plays_its_own_file_and_effects_are_reused(
    backend: FakeBackend, factory_calls: list[FakeBackend]
) -> None:
    player = _player(backend, factory_calls, volume=0.6)

    assert player.play("break-start") is True
    assert player.play("break-start") is True
    assert player.play("therapy-end") is True

    assert len(factory_calls) == 1
    assert [e.path.name for e in backend.created] == ["break-start.wav", "therapy-end.wav"]
    assert all(e.path.is_file() for e in backend.created)
    assert [e.plays for e in backend.created] == [2, 1]
    assert [e.volume for e in backend.created] == [0.6, 0.6]
    assert player.loaded_cues == {"break-start", "therapy-end"}


def test_volume_is_clamped_and_applies_to_loaded_sounds(
    backend: FakeBackend, factory_calls: list[FakeBackend]
) -> None:
    player = _player(backend, factory_calls, volume=3.0)
    assert player.volume == 1.0
    player.play("break-end")

    player.volume = -1
    assert player.volume == 0.0
    assert backend.created[0].volume == 0.0
    assert player.play("break-end") is False  # silent volume: nothing to hear

    player.volume = 0.25
    assert backend.created[0].volume == 0.25
    with pytest.raises(ValueError):
        player.volume = float("nan")


def test_missing_qtmultimedia_logs_once_and_stays_silent(caplog: pytest.LogCaptureFixture) -> None:
    attempts = []

    def broken_factory() -> FakeBackend:
        attempts.append(1)
        raise ImportError("No module named 'PySide6.QtMultimedia'")

    player = SoundPlayer(backend_factory=broken_factory)
    with caplog.at_level(logging.INFO, logger="neckcare_desktop.ui.sound"):
        results = [player.play(name) for name in CUES * 2]

    assert results == [False] * 6
    assert len(attempts) == 1
    records = [r for r in caplog.records if r.name == "neckcare_desktop.ui.sound"]
    assert len(records) == 1
    assert records[0].levelno == logging.INFO
    assert "QtMultimedia" in records[0].getMessage()


def test_no_audio_device_is_silent_until_one_appears(
    backend: FakeBackend, factory_calls: list[FakeBackend], caplog: pytest.LogCaptureFixture
) -> None:
    backend.output = False
    player = _player(backend, factory_calls)
    with caplog.at_level(logging.INFO, logger="neckcare_desktop.ui.sound"):
        assert player.play("break-start") is False
        assert player.play("break-start") is False
    assert backend.created == []
    assert len([r for r in caplog.records if "No audio output" in r.getMessage()]) == 1

    backend.output = True  # e.g. headphones plugged in
    assert player.play("break-start") is True
    assert backend.created[0].plays == 1


def test_broken_effect_or_missing_file_returns_false(
    backend: FakeBackend, factory_calls: list[FakeBackend], tmp_path: Path
) -> None:
    player = _player(backend, factory_calls)
    assert player.play("break-end") is True
    backend.created[0].broken = True
    assert player.play("break-end") is False
    assert backend.created[0].plays == 1

    empty_dir_player = _player(backend, factory_calls, sound_dir=tmp_path)
    assert empty_dir_player.play("therapy-end") is False


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
