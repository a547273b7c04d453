"""NeckCare's benchmark: side by side with a bare PySide6 tray (``bench/floor_tray.py``).

One command (see ``bench/README.md``)::

    /tmp/venv/bin/python bench/run.py          # or: .venv/bin/python bench/run.py

starts a throw-away desktop (Xvfb + D-Bus + trayer + dunst, the e2e rig of
``tests/e2e/desktop.py``), measures NeckCare and the floor program in the same run, prints
one table, writes it as JSON to ``bench/results/latest.json`` and exits 1 when a budget
fails (2 when the rig itself fails). Phases:

1. start-up: process start to tray icon shown, median of N runs each (after a warm-up run
   each, interleaved so that load drifts hit both alike). "Shown" is the moment each
   program reports right after ``QSystemTrayIcon.show()`` (NeckCare's ``neckcare ready``
   log line, the floor's ``floor ready`` stderr line, both stamped with the program's own
   clock); the moment the icon is docked and mapped in trayer is polled too (info).
2. idle: both programs at once, NeckCare at time scale 1 with nothing due (micro-breaks off,
   posture every 240 min, hydration off). RSS (VmRSS) 5 s after process start; then CPU
   (utime+stime, and the exact schedstat runtime) and wake-ups (voluntary + involuntary
   context switches, of every thread and of the main thread) over an idle minute.
3. a scaled hour of use (NECKCARE_TIME_SCALE=120, 30 s): a posture break due -> started ->
   completed, ``neckcare ice --minutes 1`` to its alert (confirmed), ``neckcare history``
   opened and closed with Escape; RSS afterwards.
4. reminder latency: ``bench/latency_harness.py`` (the app's ``QtJobScheduler``, 200
   ``call_at`` jobs over 20 nominal minutes at ×120, offscreen).
5. history: ``bench/history_bench.py`` (500,000 events inserted, History window opened
   cold and re-opened, CSV export).
6. GUI-thread stalls: ``bench/gui_stall_bench.py`` (the worst lateness of a 10-ms
   heartbeat timer on the GUI thread during the History window's CSV export of 500,000
   events, and during idle and do-not-disturb D-Bus calls to services that never answer).
7. report: ``bench/report_bench.py`` (the clinician report of the last 90 days of the
   500,000-event history: figures read, PDF laid out and written; time, size, pages).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from tests.e2e.desktop import (  # noqa: E402  (needs the sys.path line above)
    APP_WM_CLASS,
    READY_MARKER,
    Desktop,
    DesktopError,
    NeckCare,
    missing_tools,
    neckcare_executable,
    pause,
    wait_until,
)

FLOOR = HERE / "floor_tray.py"
FLOOR_WM_CLASS = "floor-tray"
FLOOR_MARKER = "floor ready"
RESULTS = HERE / "results"

CLK_TCK = os.sysconf("SC_CLK_TCK")

#: Not the first run: the first-run autostart question and the first-use ice and heat
#: safety questions (dialogs) have been answered.
NOT_FIRST_RUN: dict[str, Any] = {
    "app": {"autostart_asked": True},
    "therapy": {"safety_asked": True},
}
#: Settings with nothing due for hours: the idle minute must measure only the app at rest.
IDLE_SETTINGS: dict[str, Any] = {
    "breaks": {"micro": {"enabled": False}, "posture": {"interval_minutes": 240}},
    "hydration": {"enabled": False},
    **NOT_FIRST_RUN,
}
HOUR_SCALE = 120
#: A posture break every 20 nominal minutes (10 s at x120) that lasts 5 (2.5 s); nobody
#: touches this X server, so natural breaks would swallow it (as in the e2e tests).
HOUR_SETTINGS: dict[str, Any] = {
    "breaks": {
        "natural_breaks": False,
        "micro": {"enabled": False},
        "posture": {"interval_minutes": 20, "duration_minutes": 5},
    },
    **NOT_FIRST_RUN,
    "therapy": {"ice_minutes": 1, "safety_asked": True},
}
POSTURE_BREAK = "Posture break — NeckCare"
ICE_ALERT = "Ice time is up — NeckCare"
HISTORY_WINDOW = "History.* — NeckCare"  # "(test mode)" under a time scale
BREAK_START_TAB = 0  # tab stops before the break window's Start button

# Budgets (issue "as light as a bare Qt tray").
BUDGET_STARTUP_RATIO = 1.3
BUDGET_RSS_RATIO = 1.15
BUDGET_IDLE_CPU_S_PER_MIN = 0.01
BUDGET_EXTRA_WAKEUPS_PER_MIN = 12
BUDGET_LATENCY_P99_MS = 50.0
BUDGET_HISTORY_OPEN_MS = 300.0
BUDGET_GUI_STALL_MS = 50.0
#: The clinician report keeps to this many pages, however long the history (issue 18).
BUDGET_REPORT_PAGES = 2


class BenchError(RuntimeError):
    pass


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- /proc -----------------------------------------------------------------------------------


def _status_fields(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition(":")
        out[key] = value.strip()
    return out


def rss_mb(pid: int) -> float:
    kb = int(_status_fields(Path(f"/proc/{pid}/status"))["VmRSS"].split()[0])
    return kb / 1024


def rss_by_mapping(pid: int) -> dict[str, int]:
    """Resident kB per mapped file (``[anon]``, ``[heap]``, libraries, fonts) from smaps."""
    out: dict[str, int] = {}
    current = "[anon]"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            parts = line.split(None, 5)
            current = parts[5].strip() if len(parts) > 5 else "[anon]"
        elif line.startswith("Rss:"):
            out[current] = out.get(current, 0) + int(line.split()[1])
    return out


def mapping_diff(new: dict[str, int], old: dict[str, int], top: int = 12) -> list[str]:
    """The mappings that grew most from ``old`` to ``new``, as "+X.X MB name" lines."""
    keys = set(new) | set(old)
    grown = sorted(keys, key=lambda k: old.get(k, 0) - new.get(k, 0))[:top]
    return [
        f"+{(new.get(k, 0) - old.get(k, 0)) / 1024:.1f} MB {_short(k)}"
        for k in grown
        if new.get(k, 0) - old.get(k, 0) > 0
    ]


def _short(mapping: str) -> str:
    return Path(mapping).name if mapping.startswith("/") else mapping


@dataclass
class ProcSample:
    """CPU and context switches of one process (all threads, dead ones' CPU included)."""

    t: float
    cpu_ticks: int  # utime + stime of the whole process, /proc/PID/stat
    main_switches: int  # voluntary + nonvoluntary of the main thread, /proc/PID/status
    threads: dict[int, tuple[str, int, int]] = field(default_factory=dict)  # tid: comm, sw, ns
    rss_mb: float = 0.0


def sample(pid: int) -> ProcSample:
    t = time.monotonic()
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(stat[11]) + int(stat[12])  # fields 14 and 15 (utime, stime)
    status = _status_fields(Path(f"/proc/{pid}/status"))
    main = int(status["voluntary_ctxt_switches"]) + int(status["nonvoluntary_ctxt_switches"])
    threads = {}
    for entry in os.scandir(f"/proc/{pid}/task"):
        try:
            ts = _status_fields(Path(entry.path) / "status")
            ns = int((Path(entry.path) / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
        sw = int(ts["voluntary_ctxt_switches"]) + int(ts["nonvoluntary_ctxt_switches"])
        threads[int(entry.name)] = (ts.get("Name", "?"), sw, ns)
    return ProcSample(t, ticks, main, threads, int(status["VmRSS"].split()[0]) / 1024)


def idle_figures(a: ProcSample, b: ProcSample) -> dict[str, Any]:
    """Per-minute CPU and wake-ups between two samples of one process."""
    minutes = (b.t - a.t) / 60
    per_thread = {}
    total_sw = 0
    total_ns = 0
    for tid, (comm, sw, ns) in b.threads.items():
        _, sw0, ns0 = a.threads.get(tid, (comm, 0, 0))  # a thread born in the window
        per_thread[f"{comm}[{tid}]"] = round((sw - sw0) / minutes, 1)
        total_sw += sw - sw0
        total_ns += ns - ns0
    return {
        "window_s": round(b.t - a.t, 2),
        "cpu_s_per_min": round((b.cpu_ticks - a.cpu_ticks) / CLK_TCK / minutes, 4),
        "cpu_ticks": b.cpu_ticks - a.cpu_ticks,
        "cpu_exact_s_per_min": round(total_ns / 1e9 / minutes, 5),
        "wakeups_per_min": round(total_sw / minutes, 1),
        "main_thread_wakeups_per_min": round((b.main_switches - a.main_switches) / minutes, 1),
        "wakeups_by_thread": per_thread,
        "rss_end_mb": round(b.rss_mb, 1),
    }


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# -- the desktop ---------------------------------------------------------------------------------


class BenchDesktop(Desktop):
    """The e2e rig's desktop on a display number of its own (300-399).

    ``Xvfb -displayfd`` alone takes the lowest free number, which other rigs running on the
    same machine at the same time (test suites, other benchmarks) pick too, and a stale
    ``/tmp/.X11-unix/X0`` left by one of them has been seen to break the next. A number
    nobody else uses keeps a long benchmark out of their way.
    """

    def _start_xvfb(self) -> None:
        for number in range(300 + os.getpid() % 50, 400):
            if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
                continue
            read_fd, write_fd = os.pipe()
            try:
                proc = self._spawn(
                    "Xvfb",
                    self._xvfb_command(write_fd, f":{number}"),
                    pass_fds=(write_fd,),
                    with_display=False,
                )
                os.close(write_fd)
                write_fd = -1
                try:
                    answer = _read_line_or_none(read_fd, self.start_timeout)
                finally:
                    os.close(read_fd)
            finally:
                if write_fd != -1:
                    os.close(write_fd)
            if answer == str(number) and proc.poll() is None:
                self.display = f":{number}"
                return
            with contextlib.suppress(Exception):
                proc.kill()
                proc.wait(5)
            self._procs.remove(("Xvfb", proc))
        raise DesktopError("no free X display number between 300 and 399")


def _read_line_or_none(fd: int, timeout: float) -> str | None:
    deadline = time.monotonic() + timeout
    data = b""
    while b"\n" not in data:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 64)
            if not chunk:
                return None
            data += chunk
    return data.split(b"\n", 1)[0].decode().strip()


# -- the two programs --------------------------------------------------------------------------


class Floor:
    """``bench/floor_tray.py`` on the desktop; its stderr drained by a thread."""

    def __init__(self, desktop: Desktop) -> None:
        self.desktop = desktop
        self.proc: subprocess.Popen[str] | None = None
        self.spawned = 0.0
        self.ready_at: float | None = None
        self.tray_ok: bool | None = None
        self._ready = threading.Event()
        self._lines: list[str] = []

    def start(self) -> Floor:
        self.spawned = time.time()
        self.proc = subprocess.Popen(
            [sys.executable, str(FLOOR)],
            env=self.desktop.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=self.desktop.base_dir,
        )
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _drain(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        for line in self.proc.stderr:
            self._lines.append(line.rstrip("\n"))
            if FLOOR_MARKER in line and not self._ready.is_set():
                m = re.search(r"t=([\d.]+)", line)
                self.ready_at = float(m[1]) if m else time.time()
                self.tray_ok = "tray=True" in line
                self._ready.set()

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def wait_ready(self, timeout: float = 30) -> float:
        """Seconds from spawn to the icon shown (the program's own clock)."""
        if not self._ready.wait(timeout):
            raise BenchError(f"floor not ready after {timeout} s: {self._lines[-10:]}")
        if not self.tray_ok:
            raise BenchError(f"floor found no system tray: {self._lines[-5:]}")
        assert self.ready_at is not None
        return self.ready_at - self.spawned

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


_LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ")


class TimedNeckCare(NeckCare):
    """The rig's NeckCare, launched without ``--debug`` (as people run it) and timed."""

    def __init__(self, desktop: Desktop, home: Path, **kwargs: Any) -> None:
        kwargs.setdefault("args", ())
        super().__init__(desktop, home, **kwargs)
        self.spawned = 0.0
        self._log_offset = 0

    def launch(self) -> TimedNeckCare:
        self.desktop.check_alive()
        self.write_settings()
        self._log_offset = self.log_file.stat().st_size if self.log_file.exists() else 0
        with open(self.stderr_path, "ab") as err:
            self.spawned = time.time()
            self.proc = subprocess.Popen(
                self.argv,  # neckcare --foreground: the process itself, not a detaching parent
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=err,
                stderr=err,
                cwd=self.home,
            )
        return self

    def _new_ready_line(self) -> str | None:
        if self.proc is not None and self.proc.poll() is not None:
            raise BenchError(f"neckcare exited with {self.proc.returncode}\n{self.logs()}")
        try:
            with open(self.log_file, "rb") as fh:
                fh.seek(self._log_offset)
                text = fh.read().decode(errors="replace")
        except FileNotFoundError:
            return None
        return next((ln for ln in text.splitlines() if READY_MARKER in ln), None)

    def wait_ready_time(self, timeout: float = 30) -> float:
        """Seconds from spawn to ``neckcare ready`` (the log line's own time stamp)."""
        line = wait_until(self._new_ready_line, timeout, "neckcare ready", interval=0.005)
        if "tray=True" not in line:
            raise BenchError(f"NeckCare found no system tray: {line}")
        m = _LOG_TIME.match(line)
        if not m:
            return time.time() - self.spawned
        stamp = datetime.strptime(m[1], "%Y-%m-%d %H:%M:%S,%f").timestamp()
        return stamp - self.spawned


def _tray_icons(desktop: Desktop, wm_class: str) -> list[Any] | None:
    """The app's docked icons, or None when the X tree changed under ``xwininfo``."""
    try:
        return desktop.tray_icons(wm_class)
    except DesktopError:  # "Bad Window": a window went away mid-query; just look again
        return None


def docked(desktop: Desktop, wm_class: str) -> bool:
    for icon in _tray_icons(desktop, wm_class) or ():
        if (
            8 <= icon.width <= 64
            and 8 <= icon.height <= 64
            and desktop.map_state(icon.wid) == "IsViewable"
        ):
            return True
    return False


def wait_docked(desktop: Desktop, wm_class: str, spawned: float, timeout: float = 30) -> float:
    wait_until(lambda: docked(desktop, wm_class), timeout, f"{wm_class} docked", interval=0.02)
    return time.time() - spawned


def wait_undocked(desktop: Desktop, wm_class: str, timeout: float = 15) -> None:
    wait_until(lambda: _tray_icons(desktop, wm_class) == [], timeout, f"{wm_class} icon to go")


# -- phases ------------------------------------------------------------------------------------


def phase_startup(desktop: Desktop, work: Path, runs: int) -> dict[str, Any]:
    home = work / "startup-home"
    result: dict[str, Any] = {"runs": runs, "floor": [], "neckcare": []}

    def run_floor() -> tuple[float, float]:
        floor = Floor(desktop).start()
        try:
            ready = floor.wait_ready()
            dock = wait_docked(desktop, FLOOR_WM_CLASS, floor.spawned)
        finally:
            floor.stop()
        wait_undocked(desktop, FLOOR_WM_CLASS)
        return ready, dock

    def run_neckcare() -> tuple[float, float]:
        app = TimedNeckCare(desktop, home, settings=IDLE_SETTINGS, time_scale=None)
        app.launch()
        try:
            ready = app.wait_ready_time()
            dock = wait_docked(desktop, APP_WM_CLASS, app.spawned)
        finally:
            leftovers = app.stop()
        if leftovers:
            raise BenchError(f"NeckCare left processes behind: {leftovers}")
        wait_undocked(desktop, APP_WM_CLASS)
        return ready, dock

    log("start-up: warm-up run of each")
    run_floor()
    run_neckcare()
    for i in range(runs):
        order = (run_floor, run_neckcare) if i % 2 == 0 else (run_neckcare, run_floor)
        for fn in order:
            ready, dock = fn()
            key = "floor" if fn is run_floor else "neckcare"
            result[key].append(
                {"ready_ms": round(ready * 1000, 1), "docked_ms": round(dock * 1000, 1)}
            )
        log(
            f"start-up run {i + 1}/{runs}: floor {result['floor'][-1]['ready_ms']} ms, "
            f"neckcare {result['neckcare'][-1]['ready_ms']} ms"
        )
    for key in ("floor", "neckcare"):
        for what in ("ready_ms", "docked_ms"):
            values = [r[what] for r in result[key]]
            result[f"{key}_{what}_median"] = round(statistics.median(values), 1)
    return result


def phase_idle(desktop: Desktop, work: Path, seconds: float) -> dict[str, Any]:
    floor = Floor(desktop)
    app = TimedNeckCare(desktop, work / "idle-home", settings=IDLE_SETTINGS, time_scale=None)
    out: dict[str, Any] = {}
    maps: dict[str, dict[str, int]] = {}
    try:
        floor.start()
        app.launch()
        floor.wait_ready()
        app.wait_ready_time()
        wait_docked(desktop, FLOOR_WM_CLASS, floor.spawned)
        wait_docked(desktop, APP_WM_CLASS, app.spawned)
        for name, who in (("floor", floor), ("neckcare", app)):
            left = who.spawned + 5 - time.time()
            if left > 0:
                pause(left)
            out[f"{name}_rss_5s_mb"] = round(rss_mb(who.pid), 1)
            maps[name] = rss_by_mapping(who.pid)
        out["rss_5s_neckcare_minus_floor"] = mapping_diff(maps["neckcare"], maps["floor"])
        # A person at the desk: input just now, so nothing counts as a natural break.
        desktop.run("xdotool", "mousemove", "640", "500")
        left = max(floor.spawned, app.spawned) + 10 - time.time()
        if left > 0:
            pause(left)
        log(f"idle: measuring both programs for {seconds:g} s (nothing due)")
        busy0 = machine_busy()
        s_floor0, s_app0 = sample(floor.pid), sample(app.pid)
        pause(seconds)
        s_floor1, s_app1 = sample(floor.pid), sample(app.pid)
        busy1 = machine_busy()
        out["floor"] = idle_figures(s_floor0, s_floor1)
        out["neckcare"] = idle_figures(s_app0, s_app1)
        out["machine_busy_pct"] = round(
            100 * (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]), 1
        )
        if not app.is_running() or floor.proc is None or floor.proc.poll() is not None:
            raise BenchError("a program died during the idle minute")
    finally:
        floor.stop()
        leftovers = app.stop()
    if leftovers:
        raise BenchError(f"NeckCare left processes behind: {leftovers}")
    return out


def phase_hour(desktop: Desktop, work: Path) -> dict[str, Any]:
    hour_s = 3600 / HOUR_SCALE
    app = TimedNeckCare(desktop, work / "hour-home", settings=HOUR_SETTINGS, time_scale=HOUR_SCALE)
    out: dict[str, Any] = {"time_scale": HOUR_SCALE, "hour_real_s": hour_s}
    app.launch()
    try:
        app.wait_ready_time()
        wait_docked(desktop, APP_WM_CLASS, app.spawned)
        pause(max(0.0, app.spawned + 5 - time.time()))
        out["rss_5s_mb"] = round(rss_mb(app.pid), 1)
        maps_5s = rss_by_mapping(app.pid)

        log("hour: posture break due -> Start -> completed")
        window = desktop.wait_for_window(POSTURE_BREAK, timeout=30, pid=app.pid)
        desktop.press_button(window, BREAK_START_TAB)
        app.wait_for_event("break_completed", "posture", timeout=30)

        log("hour: neckcare ice --minutes 1 -> alert -> confirmed")
        result = app.cli("ice", "--minutes", "1")
        if result.returncode != 0:
            raise BenchError(f"neckcare ice failed: {result.stdout} {result.stderr}")
        alert = desktop.wait_for_window(ICE_ALERT, timeout=20, pid=app.pid)
        app.wait_for_event("therapy_completed", "ice", timeout=20)
        desktop.press_button(alert, 0)
        desktop.wait_window_gone(alert)

        log("hour: neckcare history -> window -> Escape")
        t0 = time.time()
        result = app.cli("history")
        if result.returncode != 0:
            raise BenchError(f"neckcare history failed: {result.stdout} {result.stderr}")
        hist = desktop.wait_for_window(HISTORY_WINDOW, timeout=20, pid=app.pid)
        out["cli_history_to_window_ms"] = round((time.time() - t0) * 1000, 1)
        desktop.focus(hist)
        desktop.key("Escape")
        desktop.wait_window_gone(hist)

        left = app.spawned + hour_s - time.time()
        out["actions_done_after_s"] = round(hour_s - left, 1)
        if left > 0:
            pause(left)
        pause(1.0)  # let deleteLater()s run
        out["rss_after_hour_mb"] = round(rss_mb(app.pid), 1)
        out["rss_growth_in_the_hour"] = mapping_diff(rss_by_mapping(app.pid), maps_5s)
        out["threads_after_hour"] = int(_status_fields(Path(f"/proc/{app.pid}/status"))["Threads"])
        out["events_recorded"] = len(app.events())
    except Exception as exc:
        raise BenchError(f"scaled hour failed: {exc}\n{app.logs()}") from exc
    finally:
        leftovers = app.stop()
    if leftovers:
        raise BenchError(f"NeckCare left processes behind: {leftovers}")
    return out


def _run_json(argv: list[str], env: dict[str, str], timeout: float) -> dict[str, Any]:
    result = subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=timeout, cwd=REPO, check=False
    )
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    if result.returncode != 0 or not lines:
        raise BenchError(
            f"{' '.join(argv)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
    return json.loads(lines[-1])


def offscreen_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISPLAY", "WAYLAND"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def phase_latency(events: int) -> dict[str, Any]:
    env = offscreen_env(NECKCARE_TIME_SCALE=str(HOUR_SCALE))
    argv = [sys.executable, str(HERE / "latency_harness.py"), "--events", str(events)]
    return _run_json(argv, env, timeout=120)


def phase_history(events: int, cold_opens: int) -> dict[str, Any]:
    argv = [
        sys.executable,
        str(HERE / "history_bench.py"),
        "--events",
        str(events),
        "--cold-opens",
        str(cold_opens),
    ]
    return _run_json(argv, offscreen_env(), timeout=600)


def phase_report(events: int) -> dict[str, Any]:
    argv = [sys.executable, str(HERE / "report_bench.py"), "--events", str(events)]
    return _run_json(argv, offscreen_env(), timeout=600)


def phase_stall(events: int) -> dict[str, Any]:
    argv = [sys.executable, str(HERE / "gui_stall_bench.py"), "--events", str(events)]
    result = _run_json(argv, offscreen_env(), timeout=600)
    # Another program holding the history's write lock (issue 13): its own script.
    argv = [sys.executable, str(HERE / "history_lock_stall_bench.py")]
    result["history_lock"] = _run_json(argv, offscreen_env(), timeout=600)
    return result


# -- report ------------------------------------------------------------------------------------


@dataclass
class Row:
    metric: str
    neckcare: float | None
    floor: float | None = None
    unit: str = ""
    budget: str = ""
    ok: bool | None = None  # None: informational

    @property
    def ratio(self) -> float | None:
        if self.neckcare is None or not self.floor:
            return None
        return self.neckcare / self.floor


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "pages":
        return f"{value:.0f}"
    if unit in ("ms", "MB", "/min"):
        return f"{value:,.1f}"
    if unit == "s/min":
        return f"{value:.4f}"
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"


def build_rows(r: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    st = r.get("startup")
    if st:
        nc, fl = st["neckcare_ready_ms_median"], st["floor_ready_ms_median"]
        rows.append(
            Row(
                f"start-up to tray icon shown, median of {st['runs']}",
                nc,
                fl,
                "ms",
                f"≤ {BUDGET_STARTUP_RATIO}× floor",
                nc <= BUDGET_STARTUP_RATIO * fl,
            )
        )
        rows.append(
            Row(
                "start-up to icon docked in trayer (polled), median",
                st["neckcare_docked_ms_median"],
                st["floor_docked_ms_median"],
                "ms",
            )
        )
    idle = r.get("idle")
    if idle:
        nc, fl = idle["neckcare_rss_5s_mb"], idle["floor_rss_5s_mb"]
        rows.append(
            Row(
                "RSS 5 s after start",
                nc,
                fl,
                "MB",
                f"≤ {BUDGET_RSS_RATIO}× floor",
                nc <= BUDGET_RSS_RATIO * fl,
            )
        )
    hour = r.get("hour")
    if hour:
        rows.append(
            Row(
                f"RSS after a scaled hour (×{hour['time_scale']}) vs floor at rest",
                hour["rss_after_hour_mb"],
                idle["floor"]["rss_end_mb"] if idle else None,
                "MB",
            )
        )
    if idle:
        nc, fl = idle["neckcare"], idle["floor"]
        rows.append(
            Row(
                "idle CPU per minute (utime+stime)",
                nc["cpu_s_per_min"],
                fl["cpu_s_per_min"],
                "s/min",
                f"≤ {BUDGET_IDLE_CPU_S_PER_MIN} s",
                nc["cpu_s_per_min"] <= BUDGET_IDLE_CPU_S_PER_MIN,
            )
        )
        rows.append(
            Row(
                "idle CPU per minute (schedstat, exact)",
                nc["cpu_exact_s_per_min"],
                fl["cpu_exact_s_per_min"],
                "s/min",
            )
        )
        rows.append(
            Row(
                "idle wake-ups per minute (all threads)",
                nc["wakeups_per_min"],
                fl["wakeups_per_min"],
                "/min",
                f"≤ floor + {BUDGET_EXTRA_WAKEUPS_PER_MIN}",
                nc["wakeups_per_min"] <= fl["wakeups_per_min"] + BUDGET_EXTRA_WAKEUPS_PER_MIN,
            )
        )
        rows.append(
            Row(
                "idle wake-ups per minute (main thread only)",
                nc["main_thread_wakeups_per_min"],
                fl["main_thread_wakeups_per_min"],
                "/min",
            )
        )
    lat = r.get("latency")
    if lat:
        rows.append(Row(f"reminder latency p50 ({lat['events']} jobs)", lat["p50_ms"], None, "ms"))
        rows.append(
            Row(
                f"reminder latency p99 ({lat['events']} jobs)",
                lat["p99_ms"],
                None,
                "ms",
                f"≤ {BUDGET_LATENCY_P99_MS:g} ms",
                lat["p99_ms"] <= BUDGET_LATENCY_P99_MS,
            )
        )
        rows.append(
            Row(
                "scheduler wake-ups per job (ideal: 1)",
                lat["scheduler_wakeups"] / lat["events"],
                None,
                "",
            )
        )
    hist = r.get("history")
    if hist:
        n = f"{hist['events']:,}"
        rows.append(Row(f"history: generate + insert {n} events", hist["insert_s"], None, "s"))
        cold, warm = hist["open_cold_median_ms"], hist["reopen_median_ms"]
        rows.append(
            Row(
                f"history window open, cold, median of {len(hist['open_cold_ms'])}",
                cold,
                None,
                "ms",
                f"≤ {BUDGET_HISTORY_OPEN_MS:g} ms",
                cold <= BUDGET_HISTORY_OPEN_MS,
            )
        )
        rows.append(
            Row(
                "history window re-open (kept window, showEvent refresh), median",
                warm,
                None,
                "ms",
                f"≤ {BUDGET_HISTORY_OPEN_MS:g} ms",
                warm <= BUDGET_HISTORY_OPEN_MS,
            )
        )
        worst = max(hist["filter_switch_ms"].values()) if hist["filter_switch_ms"] else None
        rows.append(Row("history filter switch, slowest", worst, None, "ms"))
        rows.append(Row(f"history: export {n} events to CSV", hist["export_s"], None, "s"))
    report = r.get("report")
    if report:
        n, days = f"{report['events']:,}", report["days"]
        rows.append(
            Row(
                f"clinician report: {days} days of {n} events to PDF, median of "
                f"{len(report['total_ms'])}",
                report["total_median_ms"],
                None,
                "ms",
            )
        )
        rows.append(
            Row(
                "  of which the figures read from the history", report["data_median_ms"], None, "ms"
            )
        )
        rows.append(Row("clinician report PDF size", report["pdf_bytes"] / 1000, None, "kB"))
        rows.append(
            Row(
                "clinician report",
                report["pages"],
                None,
                "pages",
                f"≤ {BUDGET_REPORT_PAGES}",
                report["pages"] <= BUDGET_REPORT_PAGES,
            )
        )
    stall = r.get("stall")
    if stall:
        n = f"{stall['events']:,}"
        rows.append(
            Row(
                f"GUI thread's longest stall (10-ms heartbeat) during a CSV export of {n} events",
                stall["export_stall_ms"],
                None,
                "ms",
                f"≤ {BUDGET_GUI_STALL_MS:g} ms",
                stall["export_stall_ms"] <= BUDGET_GUI_STALL_MS,
            )
        )
        rows.append(
            Row(
                "GUI thread's longest stall while D-Bus services never answer (idle, DND)",
                stall["dbus_hung_stall_ms"],
                None,
                "ms",
                f"≤ {BUDGET_GUI_STALL_MS:g} ms",
                stall["dbus_hung_stall_ms"] <= BUDGET_GUI_STALL_MS,
            )
        )
        rows.append(
            Row(
                "  the same export done on the GUI thread (the old way): stall",
                stall["export_on_gui_thread_stall_ms"],
                None,
                "ms",
            )
        )
        rows.append(
            Row(
                "  one blocking D-Bus call, 250-ms timeout (the old way): stall",
                stall["dbus_blocking_call_stall_ms"],
                None,
                "ms",
            )
        )
        lock = stall.get("history_lock")
        if lock:
            rows.append(
                Row(
                    "GUI thread's longest stall while another program holds the history's "
                    f"write lock ({lock['writes']} writes)",
                    lock["locked_stall_ms"],
                    None,
                    "ms",
                    f"≤ {BUDGET_GUI_STALL_MS:g} ms",
                    lock["locked_stall_ms"] <= BUDGET_GUI_STALL_MS,
                )
            )
        floor = stall["quiet_floor_ms"]
        rows.append(Row("  heartbeat lateness over a quiet second", floor, None, "ms"))
    return rows


def render_table(rows: list[Row]) -> str:
    header = ("metric", "NeckCare", "floor", "ratio", "budget", "result")
    body = []
    for row in rows:
        body.append(
            (
                row.metric + (f" [{row.unit}]" if row.unit else ""),
                _fmt(row.neckcare, row.unit),
                _fmt(row.floor, row.unit),
                f"{row.ratio:.2f}×" if row.ratio is not None else "—",
                row.budget or "—",
                "info" if row.ok is None else ("PASS" if row.ok else "FAIL"),
            )
        )
    widths = [max(len(str(x[i])) for x in (header, *body)) for i in range(len(header))]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for cells in body:
        lines.append(
            "| "
            + " | ".join(
                c.ljust(w) if i == 0 else c.rjust(w) if i < 4 else c.ljust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )
    return "\n".join(lines)


def environment_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "when": datetime.now().astimezone().isoformat(timespec="seconds"),
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }
    with contextlib.suppress(Exception):
        import apscheduler
        import PySide6

        info["pyside6"] = PySide6.__version__
        info["apscheduler"] = apscheduler.__version__
    with contextlib.suppress(Exception):
        import neckcare_desktop

        info["neckcare"] = neckcare_desktop.__version__
    with contextlib.suppress(Exception):
        info["git"] = subprocess.run(
            ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    return info


# -- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="NeckCare vs a bare PySide6 tray: start-up, memory, idle, latency, history, "
        "GUI-thread stalls.",
    )
    parser.add_argument("--runs", type=int, default=10, help="start-up runs of each (10)")
    parser.add_argument("--idle-seconds", type=float, default=60.0, help="idle window (60)")
    parser.add_argument("--latency-events", type=int, default=200)
    parser.add_argument("--history-events", type=int, default=500_000)
    parser.add_argument("--cold-opens", type=int, default=5, help="history cold opens (5)")
    parser.add_argument(
        "--only",
        help="comma-separated phases to run: startup,idle,hour,latency,history,stall,report "
        "(default: all)",
    )
    parser.add_argument(
        "--no-call-detection",
        action="store_true",
        help="idle phase with breaks.respect_calls off (no microphone/camera watch), to "
        "compare with the default",
    )
    parser.add_argument("--json", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    if args.no_call_detection:
        IDLE_SETTINGS["breaks"] = {**IDLE_SETTINGS["breaks"], "respect_calls": False}
    phases = set((args.only or "startup,idle,hour,latency,history,stall,report").split(","))

    missing = missing_tools()
    if missing and phases & {"startup", "idle", "hour"}:
        print(f"bench: missing {', '.join(missing)} (apt-get install the e2e rig's packages)")
        return 2
    if not neckcare_executable().exists():
        print(f"bench: {neckcare_executable()} not found; pip install -e . into this venv")
        return 2

    started = time.monotonic()
    results: dict[str, Any] = {"environment": environment_info(), "loadavg_start": loadavg()}
    log(f"load average {results['loadavg_start']} on {os.cpu_count()} CPUs")
    work = Path(tempfile.mkdtemp(prefix="nc-bench-"))
    try:
        if phases & {"startup", "idle", "hour"}:
            with BenchDesktop(work / "desktop") as desktop:
                if "startup" in phases:
                    results["startup"] = phase_startup(desktop, work, args.runs)
                if "idle" in phases:
                    results["idle"] = phase_idle(desktop, work, args.idle_seconds)
                if "hour" in phases:
                    results["hour"] = phase_hour(desktop, work)
        if "latency" in phases:
            log(f"reminder latency: {args.latency_events} jobs at ×{HOUR_SCALE}")
            results["latency"] = phase_latency(args.latency_events)
        if "history" in phases:
            log(f"history: {args.history_events:,} events")
            results["history"] = phase_history(args.history_events, args.cold_opens)
        if "stall" in phases:
            log(f"GUI-thread stalls: CSV export of {args.history_events:,} events, hung D-Bus")
            results["stall"] = phase_stall(args.history_events)
        if "report" in phases:
            log(f"clinician report: 90 days of {args.history_events:,} events")
            results["report"] = phase_report(args.history_events)
    except (BenchError, DesktopError, subprocess.TimeoutExpired) as exc:
        print(f"bench: could not finish: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(work, ignore_errors=True)

    results["loadavg_end"] = loadavg()
    results["elapsed_s"] = round(time.monotonic() - started, 1)
    rows = build_rows(results)
    results["table"] = [
        {
            "metric": row.metric,
            "unit": row.unit,
            "neckcare": row.neckcare,
            "floor": row.floor,
            "ratio": None if row.ratio is None else round(row.ratio, 3),
            "budget": row.budget or None,
            "pass": row.ok,
        }
        for row in rows
    ]
    failed = [row for row in rows if row.ok is False]
    results["budgets_failed"] = [row.metric for row in failed]

    print(render_table(rows))
    noisy = max(results["loadavg_start"], results["loadavg_end"]) > 0.5 * (os.cpu_count() or 1)
    busy = results.get("idle", {}).get("machine_busy_pct")
    print(
        f"\n{results['elapsed_s']:.0f} s; load average {results['loadavg_start']} -> "
        f"{results['loadavg_end']} on {os.cpu_count()} CPUs"
        + (f"; machine {busy}% busy during the idle minute" if busy is not None else "")
    )
    if noisy or (busy is not None and busy > 25):
        print("NOTE: the machine was busy; timings are noisy. Re-run on a quiet machine.")
    if "idle" in results:
        top = sorted(
            results["idle"]["neckcare"]["wakeups_by_thread"].items(), key=lambda kv: -kv[1]
        )
        print("NeckCare idle wake-ups by thread: " + ", ".join(f"{k} {v}/min" for k, v in top))
    if "idle" in results:
        diff = results["idle"]["rss_5s_neckcare_minus_floor"][:8]
        print("RSS at 5 s, NeckCare minus floor: " + ", ".join(diff))
    if "hour" in results:
        growth = results["hour"]["rss_growth_in_the_hour"][:8]
        print("RSS growth during the scaled hour: " + ", ".join(growth))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"results: {args.json}")
    for row in failed:
        print(
            f"BUDGET FAILED: {row.metric}: {_fmt(row.neckcare, row.unit)} {row.unit} "
            f"(budget {row.budget}"
            + (
                f", floor {_fmt(row.floor, row.unit)} {row.unit}, {row.ratio:.2f}×"
                if row.ratio
                else ""
            )
            + ")"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
