"""Generate NeckCare's notification sounds as small WAV files.

The cues are synthesised rather than recorded so they carry no licensing baggage and
can be regenerated bit-for-bit (no randomness, no timestamps in the WAV header).
Design goals, since the listeners are people in pain who hear these all day:

* gentle: sine tones with a few soft harmonics, a smooth attack and a long decay, so
  nothing clicks or startles;
* distinct: break start rises, break end falls, therapy end is three bell-like chimes;
* the therapy-end cue is a little louder and longer because missing it means ice
  staying on the skin too long.

Usage::

    python tools/make_sounds.py            # writes resources/sounds/*.wav
    python tools/make_sounds.py --out DIR  # writes somewhere else
"""

from __future__ import annotations

import argparse
import logging
import math
import struct
import wave
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

SAMPLE_RATE = 22050
SAMPLE_WIDTH = 2  # bytes: 16-bit PCM
FULL_SCALE = 32767
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "resources" / "sounds"


@dataclass(frozen=True)
class Note:
    """One tone inside a cue.

    ``partials`` are (frequency multiple, relative amplitude) pairs: a few quiet
    harmonics make a tone rounder than a bare sine without making it harsh.
    """

    start: float  # seconds from the beginning of the cue
    freq: float  # Hz
    duration: float  # seconds, including the decay tail
    attack: float = 0.02  # seconds; long enough to avoid a click
    decay: float = 6.0  # exponential decay rate per second
    partials: tuple[tuple[float, float], ...] = ((1.0, 1.0), (2.0, 0.18), (3.0, 0.05))


@dataclass(frozen=True)
class Cue:
    """A complete sound: its notes, total length and the peak level to normalise to."""

    name: str
    length: float  # seconds
    peak: float  # fraction of full scale, kept well below 1.0 to avoid clipping
    notes: tuple[Note, ...]


#: Bell-like partials (inharmonic overtone near 2.76x as in small bells/chimes), so the
#: therapy-end cue is recognisably different from the two break cues.
_CHIME = ((1.0, 1.0), (2.0, 0.25), (2.76, 0.12), (5.4, 0.04))

CUES: tuple[Cue, ...] = (
    # Two soft rising tones (G5 -> C6): "time for a break".
    Cue(
        name="break-start",
        length=0.75,
        peak=0.35,
        notes=(
            Note(start=0.0, freq=783.99, duration=0.40, attack=0.03, decay=7.0),
            Note(start=0.25, freq=1046.50, duration=0.50, attack=0.03, decay=6.0),
        ),
    ),
    # Two falling tones (E5 -> A4): "break over, back to work".
    Cue(
        name="break-end",
        length=0.75,
        peak=0.35,
        notes=(
            Note(start=0.0, freq=659.25, duration=0.40, attack=0.03, decay=7.0),
            Note(start=0.25, freq=440.00, duration=0.50, attack=0.03, decay=6.0),
        ),
    ),
    # Three clear chimes on one pitch family (C6, C6, G6): "take the ice/heat off now".
    Cue(
        name="therapy-end",
        length=1.2,
        peak=0.6,
        notes=(
            Note(start=0.0, freq=1046.50, duration=0.55, attack=0.008, decay=5.0, partials=_CHIME),
            Note(start=0.3, freq=1046.50, duration=0.55, attack=0.008, decay=5.0, partials=_CHIME),
            Note(start=0.6, freq=1567.98, duration=0.60, attack=0.008, decay=4.5, partials=_CHIME),
        ),
    ),
)


def _envelope(t: float, note: Note) -> float:
    """Raised-cosine attack, exponential decay, and a short cosine fade at the very end.

    The end fade guarantees each note reaches exactly zero, so truncating it at
    ``duration`` never produces a click.
    """
    if t < 0.0 or t >= note.duration:
        return 0.0
    if t < note.attack:
        level = 0.5 - 0.5 * math.cos(math.pi * t / note.attack)
    else:
        level = math.exp(-note.decay * (t - note.attack))
    fade = 0.05
    remaining = note.duration - t
    if remaining < fade:
        level *= 0.5 - 0.5 * math.cos(math.pi * remaining / fade)
    return level


def render(cue: Cue) -> list[int]:
    """Return the cue as 16-bit signed samples, normalised to ``cue.peak``."""
    count = round(cue.length * SAMPLE_RATE)
    mix = [0.0] * count
    for note in cue.notes:
        first = round(note.start * SAMPLE_RATE)
        last = min(count, first + round(note.duration * SAMPLE_RATE))
        for i in range(first, last):
            t = (i - first) / SAMPLE_RATE
            env = _envelope(t, note)
            if env == 0.0:
                continue
            value = sum(
                amp * math.sin(2.0 * math.pi * note.freq * mult * t) for mult, amp in note.partials
            )
            mix[i] += env * value
    biggest = max(abs(v) for v in mix) or 1.0
    scale = cue.peak * FULL_SCALE / biggest
    return [max(-FULL_SCALE, min(FULL_SCALE, round(v * scale))) for v in mix]


def write_wav(path: Path, samples: list[int]) -> None:
    """Write mono 16-bit PCM; the WAV header holds no timestamp, so output is stable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(SAMPLE_WIDTH)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(struct.pack(f"<{len(samples)}h", *samples))


def main(argv: list[str] | None = None) -> int:
    """Render every cue into ``--out`` (default: the repo's resources/sounds)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for cue in CUES:
        target = args.out / f"{cue.name}.wav"
        write_wav(target, render(cue))
        logger.info("wrote %s (%.2f s)", target, cue.length)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
