"""Microphone in use on Linux, read from a fake ``pactl`` on PATH (the real server is in
tests/e2e/test_calls_e2e.py): one long-lived ``pactl subscribe``, a re-read per burst of
events, monitors and level meters not counted, no server / no pactl / a restart handled."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from neckcare_desktop.platform.calls import CallMonitor
from neckcare_desktop.platform.calls import pulse_parse as parse
from neckcare_desktop.platform.calls.pulse import PulseMicBackend

LOGGER = "neckcare_desktop.platform.calls.pulse"

#: A stand-in for ``pactl``: ``subscribe`` prints each line appended to ``events`` (as the
#: real one prints an event when a stream comes or goes); ``list short sources`` and
#: ``list source-outputs`` print ``sources.json``/``outputs.json`` as pactl 16 does with
#: ``-f json``, or in pactl's text form. Flags (files): ``no-server`` (every command fails
#: like pactl without a server; a running subscribe ends as when the server stops),
#: ``no-json`` (a pactl before 16, which has no -f). Every run is logged to ``runs``.
FAKE_PACTL = r"""#!{python}
import json, os, sys, time
here = {folder!r}
args = sys.argv[1:]
with open(os.path.join(here, "runs"), "a") as log:
    log.write(" ".join(args) + "\n")
def flag(name):
    return os.path.exists(os.path.join(here, name))
if flag("no-server"):
    sys.stderr.write("Connection failure: Connection refused\n"
                     "pa_context_connect() failed: Connection refused\n")
    sys.exit(1)
as_json = args[:2] == ["-f", "json"]
if as_json:
    if flag("no-json"):
        sys.stderr.write("pactl: invalid option -- 'f'\n")
        sys.exit(1)
    args = args[2:]
if args == ["subscribe"]:
    events, seen = os.path.join(here, "events"), 0
    while True:
        if flag("no-server"):
            sys.stderr.write("Connection failure: Connection terminated\n")
            sys.exit(1)
        lines = open(events).read().splitlines() if os.path.exists(events) else []
        for line in lines[seen:]:
            print(line, flush=True)
        seen = len(lines)
        time.sleep(0.02)
if args == ["list", "short", "sources"]:
    sources = json.load(open(os.path.join(here, "sources.json")))
    if as_json:
        print(json.dumps([dict(s, driver="module-alsa-card.c", state="IDLE") for s in sources]))
    else:
        for s in sources:
            print("%d\t%s\tmodule-alsa-card.c\ts16le 2ch 44100Hz\tIDLE" % (s["index"], s["name"]))
    sys.exit(0)
if args == ["list", "source-outputs"]:
    outputs = json.load(open(os.path.join(here, "outputs.json")))
    if as_json:
        print(json.dumps(outputs))
        sys.exit(0)
    for o in outputs:
        print("Source Output #%d" % o["index"])
        print("\tDriver: protocol-native.c\n\tOwner Module: 0\n\tClient: 7")
        print("\tSource: %d" % o["source"])
        print("\tSample Specification: s16le 2ch 44100Hz")
        print("\tCorked: %s\n\tMute: no" % ("yes" if o["corked"] else "no"))
        print("\tResample method: %s" % (o["resample_method"] or "n/a"))
        print("\tProperties:")
        for key, value in o["properties"].items():
            print('\t\t%s = "%s"' % (key, value))
        print()
    sys.exit(0)
sys.stderr.write("fake pactl: unexpected arguments %r\n" % (args,))
sys.exit(2)
"""

MIC, MONITOR = 1, 0


class FakePactl:
    """The fake ``pactl`` and the "server" it reports: a microphone and a sink's monitor."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder = folder
        folder.mkdir()
        script = folder / "pactl"
        script.write_text(FAKE_PACTL.format(python=sys.executable, folder=str(folder)))
        script.chmod(0o755)
        self.sources = [
            {"index": MONITOR, "name": "alsa_output.pci-0000_00_1f.3.analog-stereo.monitor"},
            {"index": MIC, "name": "alsa_input.pci-0000_00_1f.3.analog-stereo"},
        ]
        self.outputs: list[dict[str, Any]] = []
        self._next = 0
        self._save()
        monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")

    def _save(self) -> None:
        (self.folder / "sources.json").write_text(json.dumps(self.sources))
        (self.folder / "outputs.json").write_text(json.dumps(self.outputs))

    def event(self, kind: str, facility: str, index: int) -> None:
        with (self.folder / "events").open("a") as fh:
            fh.write(f"Event '{kind}' on {facility} #{index}\n")

    def record(
        self,
        app: str = "Firefox",
        source: int = MIC,
        *,
        pid: int = 4242,
        corked: bool = False,
        app_id: str = "",
        resampler: str = "",
    ) -> int:
        """A program opens a capture stream on ``source`` (announced like the server does)."""
        index, self._next = self._next, self._next + 1
        properties = {"application.name": app, "application.process.id": str(pid)}
        if app_id:
            properties["application.id"] = app_id
        self.outputs.append(
            {
                "index": index,
                "driver": "protocol-native.c",
                "source": source,
                "corked": corked,
                "resample_method": resampler,
                "properties": properties,
            }
        )
        self._save()
        self.event("new", "source-output", index)
        return index

    def stop(self, index: int) -> None:
        self.outputs = [o for o in self.outputs if o["index"] != index]
        self._save()
        self.event("remove", "source-output", index)

    def set_flag(self, name: str, on: bool = True) -> None:
        path = self.folder / name
        if on:
            path.touch()
        else:
            path.unlink(missing_ok=True)

    def runs(self) -> list[str]:
        path = self.folder / "runs"
        return path.read_text().splitlines() if path.exists() else []


def settled(backend: PulseMicBackend) -> bool:
    """Subscribed, the first lists read, and no read running or waiting."""
    return (
        backend.subscribed
        and backend.reads >= 2
        and backend._reader is None
        and not backend._coalesce.isActive()
    )


@pytest.fixture
def pactl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakePactl:
    return FakePactl(tmp_path / "bin", monkeypatch)


@pytest.fixture
def make_monitor() -> Iterator[Any]:
    made: list[CallMonitor] = []

    def make(**kwargs: Any) -> tuple[CallMonitor, PulseMicBackend]:
        kwargs.setdefault("backoff", (0.05, 0.1, 0.2))
        backend = PulseMicBackend(**kwargs)
        made.append(CallMonitor([backend]))
        return made[-1], backend

    yield make
    for monitor in made:
        monitor.close()


def test_a_program_recording_the_microphone_is_a_call_until_it_stops(qtbot, pactl, make_monitor):
    monitor, backend = make_monitor()
    qtbot.waitUntil(lambda: settled(backend), timeout=5000)
    assert not monitor.in_call()

    with qtbot.waitSignal(monitor.in_call_changed, timeout=5000) as started:
        stream = pactl.record("Firefox")
    assert started.args == [True]
    assert monitor.in_call() and monitor.in_use() == ["microphone"]
    assert [o.app_name for o in backend.calls] == ["Firefox"]

    with qtbot.waitSignal(monitor.in_call_changed, timeout=5000) as ended:
        pactl.stop(stream)
    assert ended.args == [False]
    assert monitor.describe() is None and monitor.available()
    assert [r for r in pactl.runs() if r.endswith("subscribe")] == ["subscribe"]


def test_a_burst_of_events_is_one_reread_not_one_per_event(qtbot, pactl, make_monitor):
    monitor, backend = make_monitor()
    qtbot.waitUntil(lambda: settled(backend), timeout=5000)
    before = len(pactl.runs())
    for _ in range(30):  # a call app reconnecting its stream, a volume slider dragged
        pactl.event("change", "source-output", 0)
    stream = pactl.record("zoom")
    qtbot.waitUntil(monitor.in_call, timeout=5000)
    pactl.stop(stream)
    qtbot.waitUntil(lambda: not monitor.in_call(), timeout=5000)
    rereads = len(pactl.runs()) - before
    assert 2 <= rereads <= 6, pactl.runs()[before:]


def test_a_source_volume_change_reads_nothing(qtbot, pactl, make_monitor):
    """Call apps' automatic gain moves the microphone's volume many times a minute."""
    _monitor, backend = make_monitor()
    qtbot.waitUntil(lambda: settled(backend), timeout=5000)
    runs = len(pactl.runs())
    for _ in range(20):
        pactl.event("change", "source", MIC)
    marker = pactl.record("marker", source=MONITOR)  # an event we can wait for
    qtbot.waitUntil(lambda: len(pactl.runs()) > runs, timeout=5000)
    qtbot.waitUntil(lambda: settled(backend), timeout=5000)
    assert pactl.runs()[runs:] == ["-f json list source-outputs"]
    pactl.stop(marker)


@pytest.mark.parametrize(
    ("what", "stream"),
    [
        ("a sink's monitor (screen recorder)", {"app": "OBS", "source": MONITOR}),
        (
            "pavucontrol's level meter",
            {"app": "PulseAudio Volume Control", "app_id": "org.PulseAudio.pavucontrol"},
        ),
        ("a peak-detect stream", {"app": "volume applet", "resampler": "peaks"}),
        ("NeckCare itself", {"app": "python3", "pid": os.getpid()}),
        ("a corked (paused) stream", {"app": "Firefox", "corked": True}),
    ],
)
def test_streams_that_are_not_a_call(qtbot, pactl, make_monitor, what, stream):
    monitor, backend = make_monitor()
    qtbot.waitUntil(lambda: settled(backend), timeout=5000)
    reads = backend.reads
    pactl.record(**stream)
    qtbot.waitUntil(lambda: backend.reads > reads and settled(backend), timeout=5000)
    assert not monitor.in_call(), what
    pactl.record("Teams")  # a real call next to it still counts
    qtbot.waitUntil(monitor.in_call, timeout=5000)
    assert [o.app_name for o in backend.calls] == ["Teams"]


def test_pactl_without_json_is_read_in_its_text_form(qtbot, pactl, make_monitor):
    pactl.set_flag("no-json")  # Ubuntu 22.04's pactl 15.99
    pactl.record("Firefox")
    monitor, _backend = make_monitor()
    qtbot.waitUntil(monitor.in_call, timeout=5000)
    pactl.record("OBS", source=MONITOR)
    pactl.stop(0)
    qtbot.waitUntil(lambda: not monitor.in_call(), timeout=5000)
    assert "list source-outputs" in pactl.runs()
    assert monitor.describe() is None


def test_without_pactl_settings_say_why_and_the_log_says_it_once(
    tmp_path, monkeypatch, caplog, qtbot
):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with caplog.at_level(logging.INFO, logger=LOGGER):
        monitor = CallMonitor([PulseMicBackend()])
    try:
        assert not monitor.available() and not monitor.in_call()
        assert monitor.describe() == (
            "Call detection is not available: the pactl program (package pulseaudio-utils)"
            " is not installed."
        )
        assert [r.getMessage() for r in caplog.records if r.name == LOGGER] == [
            "microphone watch: the pactl program (package pulseaudio-utils) is not installed"
            " (pactl not installed)"
        ]
    finally:
        monitor.close()


def test_no_server_at_login_then_it_comes(qtbot, pactl, make_monitor, caplog):
    pactl.set_flag("no-server")
    with caplog.at_level(logging.INFO, logger=LOGGER):
        monitor, backend = make_monitor()
        with qtbot.waitSignal(monitor.availability_changed, timeout=5000):
            pass
        assert monitor.describe() == (
            "Call detection is not available: no PulseAudio or PipeWire server was found."
        )
        qtbot.waitUntil(lambda: backend.subscriptions >= 4, timeout=10_000)  # retried, slower
        pactl.record("Firefox")
        pactl.set_flag("no-server", False)  # the session's sound server has started
        qtbot.waitUntil(monitor.in_call, timeout=5000)
    assert monitor.describe() is None and monitor.available()
    said = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert len([m for m in said if "no PulseAudio or PipeWire server" in m]) == 1, said
    assert said[-1] == "microphone watch: reading capture streams from the sound server"


def test_server_restart_during_a_call_is_followed(qtbot, pactl, make_monitor):
    monitor, backend = make_monitor()
    pactl.record("Firefox")
    # Each step waits for fake pactl runs in series (each a Python start, slow on a
    # loaded CI machine): a generous bound, not a sleep.
    qtbot.waitUntil(monitor.in_call, timeout=15000)
    pactl.set_flag("no-server")  # PipeWire restarted: streams and subscription gone
    qtbot.waitUntil(lambda: not monitor.in_call(), timeout=15000)
    pactl.set_flag("no-server", False)  # back, and the call app reconnected its stream
    qtbot.waitUntil(lambda: monitor.in_call() and backend.subscribed, timeout=15000)
    assert backend.subscriptions >= 2


def test_close_ends_the_subscription_and_says_nothing_more(qtbot, pactl, make_monitor):
    monitor, backend = make_monitor()
    qtbot.waitUntil(lambda: backend.subscribed, timeout=5000)
    monitor.close()
    # No process left, nothing scheduled that could read or report again.
    assert not backend.subscribed and backend._reader is None
    assert not backend._coalesce.isActive()
    assert backend._restart_timer is None or not backend._restart_timer.isActive()


# -- what pactl prints --------------------------------------------------------------------

#: Verbatim from ``LC_ALL=C pactl list source-outputs`` (PulseAudio 16.1, parecord on a
#: null source), one real block.
REAL_TEXT = """Source Output #0
\tDriver: protocol-native.c
\tOwner Module: 0
\tClient: 3
\tSource: 1
\tSample Specification: s16le 2ch 44100Hz
\tChannel Map: front-left,front-right
\tFormat: pcm, format.sample_format = "\\"s16le\\""  format.rate = "44100"
\tCorked: no
\tMute: no
\tVolume: front-left: 65536 / 100% / 0.00 dB,   front-right: 65536 / 100% / 0.00 dB
\t        balance 0.00
\tBuffer Latency: 371156 usec
\tSource Latency: 1708900 usec
\tResample method: n/a
\tProperties:
\t\tmedia.format = "WAV (Microsoft)"
\t\tapplication.name = "parecord"
\t\tmedia.name = "/dev/null"
\t\tapplication.process.id = "18914"
\t\tapplication.process.binary = "pacat"
"""

REAL_JSON = (
    '[{"index":0,"driver":"protocol-native.c","owner_module":"0","client":"3","source":1,'
    '"sample_specification":"s16le 2ch 44100Hz","corked":false,"mute":false,'
    '"resample_method":"","properties":{"application.name":"parecord",'
    '"application.process.id":"18914","application.process.binary":"pacat"}}]'
)


def test_both_forms_of_pactls_stream_list_say_the_same():
    expected = [parse.SourceOutput(0, 1, False, "parecord", "", 18914, "")]
    assert parse.parse_outputs_text(REAL_TEXT) == expected
    assert parse.parse_outputs_json(REAL_JSON) == expected
    assert parse.parse_outputs_text("") == parse.parse_outputs_json("") == []


def test_subscribe_lines():
    assert parse.parse_event("Event 'new' on source-output #12") == parse.Event(
        "new", "source-output", 12
    )
    assert parse.parse_event("Event 'change' on server") == parse.Event("change", "server", None)
    assert parse.parse_event("Connection failure: Connection refused") is None
