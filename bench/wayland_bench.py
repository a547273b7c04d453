"""NeckCare on a headless GNOME Shell 43 on Wayland: start-up to tray item, and memory.

    .venv/bin/python bench/wayland_bench.py [--runs 5] [--no-x11] [--json PATH]

Starts its own GNOME Shell (``tests/e2e/gnome_desktop.py``: private buses, the AppIndicator
extension on) and runs the installed ``neckcare`` there with ``QT_QPA_PLATFORM=wayland``, as
people run it (no ``--debug``), with fresh folders and nothing due:

* start-up: process start -> its StatusNotifierItem registered with the shell's
  ``org.kde.StatusNotifierWatcher`` (the ``StatusNotifierItemRegistered`` signal, stamped
  as ``gdbus monitor`` prints it); one warm-up run, then ``--runs``; the median.
* memory: VmRSS 5 s after process start, on Wayland, and (unless ``--no-x11``) the same on
  the Xvfb desktop of ``tests/e2e/desktop.py`` with the same settings, for the X11 figure.

Exit 0 when it measured, 2 when it could not run (missing tools, the shell died, ...).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from tests.e2e.desktop import (  # noqa: E402  (needs the sys.path line above)
    Desktop,
    NeckCare,
    missing_tools,
    pause,
    wait_until,
)
from tests.e2e.gnome_desktop import (  # noqa: E402
    WATCHER,
    GnomeDesktop,
    GnomeNeckCare,
    missing_prerequisites,
)

#: Nothing due while measuring (as bench/run.py's idle phase), not a first run.
SETTINGS: dict[str, Any] = {
    "breaks": {"micro": {"enabled": False}, "posture": {"interval_minutes": 240}},
    "hydration": {"enabled": False},
    "app": {"autostart_asked": True},
    "therapy": {"safety_asked": True},
}
RSS_AFTER = 5.0


class BenchError(RuntimeError):
    pass


def log(text: str) -> None:
    print(f"[wayland-bench] {text}", file=sys.stderr, flush=True)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise BenchError(f"no VmRSS for {pid}")


class WatcherMonitor:
    """``gdbus monitor`` on the watcher: when each item was registered (wall clock)."""

    def __init__(self, gnome: GnomeDesktop) -> None:
        self.registered: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        self.proc = subprocess.Popen(
            ["gdbus", "monitor", "--session", "--dest", WATCHER],
            env=gnome.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if "StatusNotifierItemRegistered" in line:
                with self._lock:
                    self.registered.append((time.time(), line.strip()))

    def first_after(self, since: float) -> tuple[float, str] | None:
        with self._lock:
            return next(((t, s) for t, s in self.registered if t >= since), None)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=5)


class TimedGnomeNeckCare(GnomeNeckCare):
    """The rig's app, launched without ``--debug`` and stamped at process start."""

    spawned = 0.0

    def launch(self) -> TimedGnomeNeckCare:
        self.spawned = time.time()
        super().launch()
        return self


def one_startup(gnome: GnomeDesktop, monitor: WatcherMonitor, home: Path) -> float:
    """Milliseconds from process start to its item registered with the watcher."""
    app = TimedGnomeNeckCare(gnome, home, settings=SETTINGS, args=())
    app.launch()
    try:
        stamp, _ = wait_until(
            lambda: monitor.first_after(app.spawned),
            30,
            "StatusNotifierItemRegistered",
            details=app.logs,
        ) or (0.0, "")
        bus, _ = app.wait_item(30)  # and it is this app's item
    finally:
        leftovers = app.stop()
    if leftovers:
        raise BenchError(f"NeckCare left processes behind: {leftovers}")
    wait_until(
        lambda: not any(entry.startswith(bus) for entry in gnome.registered_items()),
        10,
        "the item to leave the watcher",
    )
    return (stamp - app.spawned) * 1000


def startup_runs(gnome: GnomeDesktop, work: Path, runs: int) -> list[float]:
    monitor = WatcherMonitor(gnome)
    try:
        pause(0.5)  # gdbus monitor subscribes before the first launch
        times: list[float] = []
        for i in range(runs + 1):  # the first is a warm-up
            ms = one_startup(gnome, monitor, work / f"start{i}")
            log(f"start-up {'warm-up' if i == 0 else f'run {i}/{runs}'}: {ms:.0f} ms")
            if i:
                times.append(round(ms, 1))
        return times
    finally:
        monitor.stop()


def rss_after_start(app: Any, ready: Any) -> float:
    app.spawned = time.time()
    app.launch()
    try:
        ready()
        left = app.spawned + RSS_AFTER - time.time()
        if left > 0:
            pause(left)
        return round(rss_mb(app.pid), 1)
    finally:
        leftovers = app.stop()
        if leftovers:
            raise BenchError(f"NeckCare left processes behind: {leftovers}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-x11", action="store_true", help="skip the X11 memory figure")
    parser.add_argument("--json", type=Path, default=REPO / "bench/results/wayland.json")
    args = parser.parse_args(argv)
    reason = missing_prerequisites()
    if reason:
        log(reason)
        return 2
    work = Path(tempfile.mkdtemp(prefix="neckcare-wayland-bench-"))
    result: dict[str, Any] = {"runs": args.runs}
    try:
        with GnomeDesktop(work / "gnome") as gnome:
            times = startup_runs(gnome, work, args.runs)
            result["startup_to_item_ms"] = times
            result["startup_to_item_ms_median"] = round(statistics.median(times), 1)
            app = TimedGnomeNeckCare(gnome, work / "rss", settings=SETTINGS, args=())
            result["wayland_rss_5s_mb"] = rss_after_start(app, lambda: app.wait_item(30))
        if not args.no_x11:
            if missing_tools():
                log(f"no X11 figure: missing {', '.join(missing_tools())}")
            else:
                with Desktop(work / "x11") as desktop:
                    x11 = NeckCare(desktop, work / "x11-rss", settings=SETTINGS, args=())
                    result["x11_rss_5s_mb"] = rss_after_start(x11, lambda: x11.wait_ready(30))
                    # GNOME makes Qt load its GTK3 platform theme (GTK, GDK, cairo, pango):
                    # the same X11 app with GNOME's desktop name, to tell that from Wayland.
                    gtk = NeckCare(
                        desktop,
                        work / "x11-gnome-rss",
                        settings=SETTINGS,
                        args=(),
                        extra_env={"XDG_CURRENT_DESKTOP": "GNOME"},
                    )
                    result["x11_gnome_theme_rss_5s_mb"] = rss_after_start(
                        gtk, lambda: gtk.wait_ready(30)
                    )
    except Exception as exc:  # the bench could not run: say why, exit 2
        log(f"could not measure: {exc}")
        return 2
    print("| figure | value |")
    print("|---|---|")
    print(
        f"| start-up to StatusNotifierItem registered (Wayland, median of {args.runs}) "
        f"| {result['startup_to_item_ms_median']:.0f} ms |"
    )
    print(f"| RSS 5 s after start, Wayland | {result['wayland_rss_5s_mb']:.1f} MB |")
    if "x11_rss_5s_mb" in result:
        print(f"| RSS 5 s after start, X11 (Xvfb) | {result['x11_rss_5s_mb']:.1f} MB |")
        print(
            "| RSS 5 s after start, X11 with XDG_CURRENT_DESKTOP=GNOME (Qt's GTK3 theme) "
            f"| {result['x11_gnome_theme_rss_5s_mb']:.1f} MB |"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
