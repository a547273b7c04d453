"""Calls on a real sound server: a private PulseAudio with a null input (``ncmic``) and a
null output (``nc``, whose monitor is ``nc.monitor``), and ``parecord`` as the program in
a call. No sound card is needed: a capture stream on the null source is exactly what a
video-call app's microphone stream is to the server.

* The detector alone (``platform.calls.CallMonitor`` in a probe process): a recording
  client is a call within a second or two, its exit ends it (the delay is measured, median
  of 5, and written to the artifacts folder), recording the sink's monitor is not a call.
* The app (needs the X11 rig): a due break is held while the client records, the status
  says so, and the break is offered when the client exits (delay measured, median of 5).

Needs ``pulseaudio`` and ``pulseaudio-utils`` (Debian); skipped without them (failed on CI).
"""

from __future__ import annotations

import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import skip_or_fail
from .desktop import Desktop, DesktopError, wait_until

pytestmark = pytest.mark.e2e

MIC, SINK = "ncmic", "nc"
ROUNDS = 5

#: The detector on its own, as the app builds it: prints each change with the time it
#: was emitted (CLOCK_MONOTONIC is one clock for every process on the machine).
PROBE = """
import sys, time
from PySide6.QtCore import QCoreApplication, QSocketNotifier
from neckcare_desktop.platform.calls import CallMonitor
app = QCoreApplication([])
monitor = CallMonitor()
monitor.in_call_changed.connect(
    lambda on: print(f"in_call {int(on)} {time.monotonic():.6f}", flush=True))
monitor.availability_changed.connect(lambda: print(f"describe {monitor.describe()}", flush=True))
stdin = QSocketNotifier(0, QSocketNotifier.Type.Read)
stdin.activated.connect(lambda *_: (monitor.close(), app.quit()))
print("ready", flush=True)
app.exec()
"""


class PulseServer:
    """``pulseaudio`` in a private runtime folder, with a null sink and a null source."""

    def __init__(self) -> None:
        # Short: the socket path must fit in 108 bytes.
        self.runtime = Path(tempfile.mkdtemp(prefix="nc-pa-"))
        self.runtime.chmod(0o700)
        self.env = {
            **os.environ,
            "XDG_RUNTIME_DIR": str(self.runtime),
            "HOME": str(self.runtime),  # its cookie and state, not the tester's
            "PULSE_SERVER": f"unix:{self.runtime}/pulse/native",
        }
        self.log = self.runtime / "pulseaudio.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1",
                    "--disallow-exit", "--log-target=stderr",
                    "-L", "module-native-protocol-unix",
                    "-L", f"module-null-sink sink_name={SINK}",
                    "-L", f"module-null-source source_name={MIC}",
                ],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )  # fmt: skip
        wait_until(self._answers, 15, "PulseAudio to answer", details=self.tail)

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise DesktopError(f"pulseaudio exited {self.process.returncode}: {self.tail()}")
        return self.pactl("info").returncode == 0

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-10:])

    def pactl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pactl", *args], env=self.env, capture_output=True, text=True, timeout=10
        )

    def streams(self) -> list[str]:
        """``pactl list short source-outputs`` lines: the capture streams now."""
        return self.pactl("list", "short", "source-outputs").stdout.splitlines()

    def record(self, device: str = MIC) -> subprocess.Popen[bytes]:
        """A client recording from ``device`` (to /dev/null), once the server lists it."""
        before = len(self.streams())
        client = subprocess.Popen(
            ["parecord", "-d", device, "/dev/null"], env=self.env, stdin=subprocess.DEVNULL
        )
        wait_until(lambda: len(self.streams()) > before, 10, f"parecord on {device}")
        return client

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        shutil.rmtree(self.runtime, ignore_errors=True)


def end(client: subprocess.Popen[bytes]) -> float:
    """Stop a recording client; the monotonic time at which it was gone."""
    client.terminate()
    client.wait(10)
    return time.monotonic()


class Probe:
    """The detector in a process of its own, reporting on stdout."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", PROBE],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.next_line(startswith="ready") == "ready"

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())

    def next_line(self, startswith: str = "in_call", timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise DesktopError(f"the probe said no {startswith!r} in {timeout:g} s") from None
            if line.startswith(startswith):
                return line

    def change(self, timeout: float = 10) -> tuple[bool, float]:
        _, on, at = self.next_line(timeout=timeout).split()
        return on == "1", float(at)

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(10)


@pytest.fixture(scope="module")
def pulse() -> Iterator[PulseServer]:
    missing = [tool for tool in ("pulseaudio", "pactl", "parecord") if not shutil.which(tool)]
    if missing:
        skip_or_fail(f"call tests need {', '.join(missing)}: apt-get install pulseaudio "
                     "pulseaudio-utils")  # fmt: skip
    server = PulseServer()
    yield server
    server.stop()


@pytest.fixture
def probe(pulse: PulseServer) -> Iterator[Probe]:
    made = Probe(pulse.env)
    yield made
    made.close()


def write_figure(artifacts_dir: Path, name: str, delays: list[float]) -> None:
    artifacts_dir.mkdir(parents=True, exist_ok=True)
    text = f"{name}: median {statistics.median(delays):.3f} s of {[round(d, 3) for d in delays]}"
    print(text)
    (artifacts_dir / f"{name}.txt").write_text(text + "\n")


def test_a_recording_client_is_a_call_and_its_exit_ends_it(pulse, probe, artifacts):
    delays, starts = [], []
    for _ in range(ROUNDS):
        began = time.monotonic()
        client = pulse.record()
        on, at = probe.change()
        assert on, "a client recording the microphone is a call"
        starts.append(at - began)
        gone = end(client)
        on, at = probe.change()
        assert not on, "the call ends when the client exits"
        delays.append(at - gone)
    assert max(starts) < 2.0, starts
    assert statistics.median(delays) < 1.0, delays
    write_figure(artifacts, "calls-detector-end-delay", delays)


def test_recording_what_is_played_is_not_a_call(pulse, probe):
    screen_recorder = pulse.record(f"{SINK}.monitor")
    try:
        # A real call next to it is seen, and ending it ends the call although the
        # monitor is still being recorded: the monitor never counted.
        call = pulse.record()
        assert probe.change()[0] is True
        end(call)
        assert probe.change()[0] is False
        assert len(pulse.streams()) == 1  # the screen recorder goes on
    finally:
        end(screen_recorder)


def test_without_a_server_the_detector_says_so(pulse, tmp_path):
    env = {**pulse.env, "PULSE_SERVER": f"unix:{tmp_path}/nobody/native"}
    lonely = Probe(env)
    try:
        said = lonely.next_line(startswith="describe")
        assert said == (
            "describe Microphone use cannot be detected: no PulseAudio or PipeWire server"
            " was found."
        ) or said == (
            "describe Call detection is not available: no PulseAudio or PipeWire server was found."
        )
    finally:
        lonely.close()


# -- the app ------------------------------------------------------------------------------

MICRO_BREAK = "Micro-break — NeckCare"
#: A micro-break every 5 minutes, 20 s long: at ×60 one is due 5 s after the start and
#: lasts a third of a second; no pause in typing waited for (nobody types here).
CALL_SETTINGS = {
    "breaks": {
        "micro": {"enabled": True, "interval_minutes": 5, "duration_seconds": 20},
        "posture": {"enabled": False},
        "natural_breaks": False,
        "respect_calls": True,
        "wait_for_pause_seconds": 0,
    },
    "hydration": {"enabled": False},
}


BREAK_SKIP = 2  # tab stops from the break window's first button (Start, Postpone, Skip)


def test_a_due_break_waits_for_the_end_of_a_call(
    start_neckcare, desktop: Desktop, pulse, artifacts
):
    client = pulse.record()  # in a call before the break is due
    app = start_neckcare(
        CALL_SETTINGS, time_scale=60, extra_env={"PULSE_SERVER": pulse.env["PULSE_SERVER"]}
    )
    delays = []
    try:
        for round_ in range(ROUNDS):
            offered = len(app.events("break_due"))
            status = wait_until(
                lambda: (s := app.status()).get("held_for") == "in a call" and s,
                30,
                "the due break to be held by the call",
                details=app.logs,
            )
            assert status.get("in_call") is True
            assert len(app.events("break_due")) == offered
            assert not desktop.visible_windows(MICRO_BREAK, pid=app.pid)
            if round_ == 0:
                said = app.cli("status").stdout
                assert "In a call: breaks wait" in said, said
            end(client)
            gone = time.time()
            due = app.wait_for_event("break_due", count=offered + 1, timeout=30)[-1]
            delays.append(due["at_utc"] - gone)
            window = desktop.wait_for_window(MICRO_BREAK, timeout=10, pid=app.pid)
            desktop.press_button(window, BREAK_SKIP)
            desktop.wait_window_gone(window)
            client = pulse.record()  # the next call, before the next break is due
    finally:
        end(client)
    write_figure(artifacts, "calls-app-offer-delay", delays)
    assert -0.5 < statistics.median(delays) < 5.0, delays
