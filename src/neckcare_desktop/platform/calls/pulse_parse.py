"""What ``pactl`` prints, read into plain values (no processes here: tests feed it text).

Two forms, because ``pactl -f json`` exists only since PulseAudio 16 (Ubuntu 22.04's
pactl 15.99 lacks it): JSON where it works, else the text form, which ``pactl`` prints
in the C locale because NeckCare runs it with ``LC_ALL=C`` (the labels are translated
otherwise).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Final

#: Mixers that open a peak-meter capture stream on every input while their window is open
#: (the same list KDE's and Deepin's volume applets skip): showing a level is not a call.
MIXER_APP_IDS: Final = frozenset(
    {"org.PulseAudio.pavucontrol", "org.gnome.VolumeControl", "org.kde.kmixd"}
)
#: The "resampler" of a stream opened with PA_STREAM_PEAK_DETECT (a level meter): such a
#: stream reads peaks, not sound for a call.
PEAK_RESAMPLER: Final = "peaks"


@dataclass(frozen=True)
class Source:
    index: int
    name: str

    @property
    def monitor(self) -> bool:
        """The monitor of a sink (what is being played), not an input."""
        return self.name.endswith(".monitor")


@dataclass(frozen=True)
class SourceOutput:
    """One capture stream: which source it records from and who opened it."""

    index: int
    source: int
    corked: bool = False
    app_name: str = ""
    app_id: str = ""
    pid: int | None = None
    resampler: str = ""


@dataclass(frozen=True)
class Event:
    kind: str  # "new", "change", "remove"
    facility: str  # "source-output", "source", "server", ...
    index: int | None


_EVENT = re.compile(r"^Event '([\w-]+)' on ([\w-]+)(?: #(\d+))?\s*$")


def parse_event(line: str) -> Event | None:
    """One line of ``pactl subscribe`` ("Event 'new' on source-output #3"), or None."""
    match = _EVENT.match(line.strip())
    if match is None:
        return None
    return Event(match[1], match[2], int(match[3]) if match[3] else None)


def parse_sources_json(text: str) -> list[Source]:
    return [Source(int(item["index"]), str(item["name"])) for item in _json_list(text)]


def parse_sources_text(text: str) -> list[Source]:
    """``pactl list short sources``: index, name, driver, spec, state (tab-separated)."""
    sources = []
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and fields[0].strip().isdigit():
            sources.append(Source(int(fields[0]), fields[1].strip()))
    return sources


def parse_outputs_json(text: str) -> list[SourceOutput]:
    outputs = []
    for item in _json_list(text):
        props = item.get("properties") or {}
        outputs.append(
            SourceOutput(
                index=int(item["index"]),
                source=int(item["source"]),
                corked=bool(item.get("corked", False)),
                app_name=str(props.get("application.name", "")),
                app_id=str(props.get("application.id", "")),
                pid=_int_or_none(props.get("application.process.id")),
                resampler=str(item.get("resample_method") or ""),
            )
        )
    return outputs


_BLOCK = re.compile(r"^Source Output #(\d+)\s*$", re.MULTILINE)
_FIELD = re.compile(r"^\t([A-Z][\w ]*): ?(.*)$")
_PROPERTY = re.compile(r'^\t\t([\w.-]+) = "(.*)"$')


def parse_outputs_text(text: str) -> list[SourceOutput]:
    """``LC_ALL=C pactl list source-outputs``: one "Source Output #N" block per stream."""
    outputs = []
    starts = list(_BLOCK.finditer(text))
    for number, match in enumerate(starts):
        end = starts[number + 1].start() if number + 1 < len(starts) else len(text)
        fields: dict[str, str] = {}
        props: dict[str, str] = {}
        for line in text[match.end() : end].splitlines():
            if prop := _PROPERTY.match(line):
                props[prop[1]] = prop[2]
            elif field := _FIELD.match(line):
                fields[field[1]] = field[2].strip()
        source = _int_or_none(fields.get("Source"))
        if source is None:
            continue
        resampler = fields.get("Resample method", "")
        outputs.append(
            SourceOutput(
                index=int(match[1]),
                source=source,
                corked=fields.get("Corked") == "yes",
                app_name=props.get("application.name", ""),
                app_id=props.get("application.id", ""),
                pid=_int_or_none(props.get("application.process.id")),
                resampler="" if resampler == "n/a" else resampler,
            )
        )
    return outputs


def calls(
    outputs: Iterable[SourceOutput],
    sources: Iterable[Source],
    *,
    own_pid: int,
    own_names: Collection[str] = (),
) -> list[SourceOutput]:
    """The streams that mean "the microphone is in use by another program".

    Not a call: recording a sink's monitor (what is being played: screen recorders, visualizers),
    a stream on a source not (yet) known to be an input, our own streams, a corked (paused)
    stream, and mixers' level meters.
    """
    inputs = {source.index for source in sources if not source.monitor}
    return [
        out
        for out in outputs
        if out.source in inputs
        and not out.corked
        and out.pid != own_pid
        and out.app_name not in own_names
        and out.app_id not in MIXER_APP_IDS
        and out.resampler != PEAK_RESAMPLER
    ]


def _json_list(text: str) -> list[dict[str, Any]]:
    data = json.loads(text) if text.strip() else []
    if not isinstance(data, list):
        raise ValueError(f"expected a JSON list, got {type(data).__name__}")
    return [item for item in data if isinstance(item, dict)]


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
