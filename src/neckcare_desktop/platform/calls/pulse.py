"""Microphone in use on Linux: a capture stream on a real input, from PulseAudio or
PipeWire's Pulse server, read with ``pactl``.

Why ``pactl`` and not libpulse through ctypes: libpulse's API is callback-driven around its
own main loop (threads or a poll hook), which would need a glue layer larger than this
whole package; ``pactl`` speaks to PulseAudio and to ``pipewire-pulse`` alike and is in
``pulseaudio-utils``, which every desktop with either server has.

Event-driven, never polled: one long-lived ``pactl subscribe`` prints a line when a stream
or a source comes or goes ("Event 'new' on source-output #3"). Those lines are read from
the event loop through ``QProcess``, and a burst of them leads to one re-read
(:data:`COALESCE_MS`) of the stream list (``pactl list source-outputs``), plus the source
list when a source came or went (to tell inputs from the monitors of sinks). An idle desk
costs one sleeping process and no wake-ups.

If the subscription ends (no server yet at login, the server restarted, ``pactl`` killed),
it is started again after a pause that grows with each quick end (:data:`RESTART_BACKOFF_S`),
and the lists are read again. Until it works the microphone counts as "not in use" and
:meth:`problem` says why; the log says it once at INFO.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Collection, Sequence
from typing import Any, Final

from neckcare_desktop.platform.calls import pulse_parse as parse
from neckcare_desktop.platform.calls.base import NO_PACTL, NO_SERVER

logger = logging.getLogger(__name__)

#: Events arriving within this many milliseconds lead to one re-read.
COALESCE_MS: Final = 100
#: Seconds before subscribing again after ``pactl subscribe`` ended, one step further for
#: each quick end (a server that is not there at login comes within a minute or so). Few
#: steps: where there is no sound server at all, each try is a process and wake-ups
#: (bench/run.py: 14 wake-ups a minute with 1, 2, 5, 15 s; 6 with detection off).
RESTART_BACKOFF_S: Final = (2.0, 10.0, 60.0, 300.0)
#: A subscription that lasted this long was healthy: the next restart is quick again.
STABLE_S: Final = 60.0
#: ``pactl`` without ``-f json`` (before PulseAudio 16) says one of these.
_NO_JSON_HINTS: Final = ("invalid option", "unrecognized option", "unknown option", "format")
#: NeckCare's own streams never count (it records nothing today; a sound test may one day).
OWN_NAMES: Final = ("NeckCare", "neckcare")


class PulseMicBackend:
    """Watches capture streams with ``pactl subscribe``; :meth:`in_use` never waits."""

    name = "pulse-source-outputs"
    device = "microphone"

    def __init__(
        self,
        program: str = "pactl",
        *,
        own_pid: int | None = None,
        own_names: Collection[str] = OWN_NAMES,
        backoff: Sequence[float] = RESTART_BACKOFF_S,
        stable_s: float = STABLE_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._program = program
        self._own_pid = os.getpid() if own_pid is None else own_pid
        self._own_names = frozenset(own_names)
        self._backoff = tuple(backoff)
        self._stable_s = stable_s
        self._monotonic = monotonic
        self._path: str | None = None
        self._changed: Callable[[], None] | None = None
        self._closed = False
        self._json = True  # until pactl says it has no -f json
        self._subscriber: Any = None  # QProcess
        self._reader: Any = None  # QProcess: one list at a time
        self._reading = ""  # "sources" or "outputs": what the reader lists
        self._restart_timer: Any = None  # QTimer
        self._coalesce: Any = None  # QTimer
        self._subscribed_at = 0.0
        self._quick_ends = 0
        self._buffer = b""
        self._want_sources = True
        self._want_outputs = True
        self._sources: list[parse.Source] = []
        self._in_use = False
        self._problem: str | None = None
        self._said_problem: str | None = None
        #: What the last reading found (for the log and tests).
        self.calls: list[parse.SourceOutput] = []
        #: How many times ``pactl subscribe`` was started, and lists were read (for tests).
        self.subscriptions = 0
        self.reads = 0

    # -- the backend --------------------------------------------------------------------

    def start(self, changed: Callable[[], None]) -> None:
        self._changed = changed
        if self._path is not None or self._closed:
            return
        self._path = shutil.which(self._program)
        if self._path is None:
            self._set_problem(NO_PACTL, f"{self._program} not installed")
            changed()
            return
        self._subscribe()

    def in_use(self) -> bool:
        return self._in_use

    def problem(self) -> str | None:
        return self._problem

    @property
    def subscribed(self) -> bool:
        """``pactl subscribe`` is running."""
        from PySide6.QtCore import QProcess

        return (
            self._subscriber is not None
            and self._subscriber.state() != QProcess.ProcessState.NotRunning
        )

    def close(self) -> None:
        self._closed = True
        self._changed = None
        for timer in (self._restart_timer, self._coalesce):
            if timer is not None:
                timer.stop()
        for attr in ("_subscriber", "_reader"):
            process = getattr(self, attr)
            setattr(self, attr, None)
            if process is not None:
                _end(process)

    # -- the subscription ---------------------------------------------------------------

    def _process(self, arguments: list[str]) -> Any:
        from PySide6.QtCore import QProcess, QProcessEnvironment

        process = QProcess()
        process.setProgram(self._path or self._program)
        process.setArguments(arguments)
        env = QProcessEnvironment.systemEnvironment()
        env.insert("LC_ALL", "C")  # the text form and the event lines are translated otherwise
        process.setProcessEnvironment(env)
        process.setStandardInputFile(QProcess.nullDevice())
        return process

    def _subscribe(self) -> None:
        if self._closed or self._path is None:
            return
        subscriber = self._process(["subscribe"])
        subscriber.readyReadStandardOutput.connect(self._on_events)
        subscriber.finished.connect(self._on_subscriber_finished)
        subscriber.errorOccurred.connect(self._on_subscriber_error)
        self._subscriber = subscriber
        self._buffer = b""
        self._subscribed_at = self._monotonic()
        self.subscriptions += 1
        subscriber.start()
        # Read after subscribing, so a stream that comes between the two is not missed.
        self._want_sources = self._want_outputs = True
        self._read_soon(0)

    def _on_events(self) -> None:
        subscriber = self._subscriber
        if subscriber is None:
            return
        self._buffer += bytes(subscriber.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        wanted = False
        for raw in lines:
            event = parse.parse_event(raw.decode(errors="replace"))
            if event is None:
                continue
            if event.facility == "source-output":
                self._want_outputs = wanted = True
            elif event.facility == "source" and event.kind in ("new", "remove"):
                # A source's "change" (volume, an app's automatic gain) changes nothing here.
                self._want_sources = self._want_outputs = wanted = True
        if wanted:
            self._read_soon(COALESCE_MS)

    def _on_subscriber_error(self, error: Any) -> None:
        from PySide6.QtCore import QProcess

        if error == QProcess.ProcessError.FailedToStart:  # no "finished" follows
            self._subscription_ended(f"{self._program} subscribe could not start")

    def _on_subscriber_finished(self, exit_code: int, _status: Any) -> None:
        subscriber = self._subscriber
        if subscriber is None:
            return
        try:
            err = _text(subscriber.readAllStandardError()).strip()
        except RuntimeError:  # its C++ side is gone: the interpreter is shutting down
            return
        self._subscription_ended(f"exit {exit_code}" + (f": {_last_line(err)}" if err else ""))

    def _subscription_ended(self, why: str) -> None:
        subscriber, self._subscriber = self._subscriber, None
        if subscriber is not None:
            subscriber.deleteLater()
        if self._closed:
            return
        # No server, no streams: whatever was recording has gone with it.
        self._set_reading([], problem=NO_SERVER, detail=why)
        if self._monotonic() - self._subscribed_at >= self._stable_s:
            self._quick_ends = 0
        delay = self._backoff[min(self._quick_ends, len(self._backoff) - 1)]
        self._quick_ends += 1
        logger.debug("pactl subscribe ended (%s); subscribing again in %g s", why, delay)
        from PySide6.QtCore import QTimer

        if self._restart_timer is None:
            self._restart_timer = QTimer()
            self._restart_timer.setSingleShot(True)
            self._restart_timer.timeout.connect(self._subscribe)
        self._restart_timer.start(round(delay * 1000))

    # -- reading the lists --------------------------------------------------------------

    def _read_soon(self, delay_ms: int) -> None:
        from PySide6.QtCore import QTimer

        if self._coalesce is None:
            self._coalesce = QTimer()
            self._coalesce.setSingleShot(True)
            self._coalesce.timeout.connect(self._read_next)
        if not self._coalesce.isActive():
            self._coalesce.start(delay_ms)

    def _read_next(self) -> None:
        """Start the next list that is wanted, unless one is being read (its end calls here)."""
        if self._closed or self._reader is not None or self._subscriber is None:
            return
        if self._want_sources:
            # The outputs are read after the sources, whose list decides what is an input.
            self._want_sources, self._want_outputs = False, True
            what, args = "sources", ["list", "short", "sources"]
        elif self._want_outputs:
            self._want_outputs = False
            what, args = "outputs", ["list", "source-outputs"]
        else:
            return
        reader = self._process((["-f", "json"] if self._json else []) + args)
        reader.finished.connect(self._on_read)
        reader.errorOccurred.connect(self._on_read_error)
        self._reader, self._reading = reader, what
        self.reads += 1
        reader.start()

    def _on_read_error(self, error: Any) -> None:
        from PySide6.QtCore import QProcess

        if error == QProcess.ProcessError.FailedToStart and self._reader is not None:
            reader, self._reader = self._reader, None
            reader.deleteLater()
            logger.debug("could not run %s", self._program)

    def _on_read(self, exit_code: int, _status: Any) -> None:
        reader, self._reader = self._reader, None
        if reader is None or self._closed:
            return
        out = _text(reader.readAllStandardOutput())
        err = _text(reader.readAllStandardError()).strip()
        reader.deleteLater()
        what = self._reading
        if exit_code != 0:
            if self._json and any(hint in err.lower() for hint in _NO_JSON_HINTS):
                logger.debug("%s has no JSON output (%s): reading its text", self._program, err)
                self._json = False
                self._want_sources = self._want_sources or what == "sources"
                self._want_outputs = True
            else:
                # Mostly "Connection refused": the subscription ends too and retries.
                self._set_reading([], problem=NO_SERVER, detail=_last_line(err))
                return
        else:
            try:
                self._understand(what, out)
            except (ValueError, KeyError, TypeError) as exc:
                logger.debug("could not understand pactl's %s: %r", what, out, exc_info=True)
                if self._json:
                    self._json = False  # a pactl whose JSON we cannot read: try the text
                    self._want_sources = self._want_outputs = True
                else:
                    logger.info("microphone watch: unexpected pactl output (%s)", exc)
        self._read_next()

    def _understand(self, what: str, out: str) -> None:
        if what == "sources":
            self._sources = (
                parse.parse_sources_json(out) if self._json else parse.parse_sources_text(out)
            )
            return
        outputs = parse.parse_outputs_json(out) if self._json else parse.parse_outputs_text(out)
        found = parse.calls(
            outputs, self._sources, own_pid=self._own_pid, own_names=self._own_names
        )
        self._set_reading(found, problem=None, detail="")

    def _set_reading(
        self, found: list[parse.SourceOutput], *, problem: str | None, detail: str
    ) -> None:
        self.calls = found
        in_use = bool(found)
        changed = in_use != self._in_use or problem != self._problem
        self._in_use = in_use
        if problem is not None:
            self._set_problem(problem, detail)
        elif self._problem is not None:
            self._problem = None
            self._said_problem = None
            logger.info("microphone watch: reading capture streams from the sound server")
        if changed:
            logger.debug("microphone in use: %s (%d streams)", in_use, len(found))  # no names
            if self._changed is not None:
                self._changed()

    def _set_problem(self, problem: str, detail: str) -> None:
        self._problem = problem
        if self._said_problem != problem:  # once per kind of trouble, not per retry
            self._said_problem = problem
            logger.info("microphone watch: %s (%s)", problem, detail)


def _text(data: Any) -> str:
    return bytes(data.data()).decode(errors="replace")


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


def _end(process: Any) -> None:
    """Stop a child process and wait for it briefly, so no zombie or Qt warning is left."""
    from PySide6.QtCore import QProcess

    if process.state() != QProcess.ProcessState.NotRunning:
        process.kill()
        process.waitForFinished(1000)
    process.deleteLater()
