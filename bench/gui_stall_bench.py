"""GUI-thread stalls: the longest a 10-ms heartbeat on the GUI thread is late while slow work
happens beside it.

Run by ``bench/run.py`` (offscreen, no desktop needed); prints one JSON object on stdout.

A ``QTimer`` (``PreciseTimer``, 10 ms) on the GUI thread notes how late each beat comes
(time since the previous beat minus 10 ms); the figure is the worst lateness while:

* **export**: the History window exports ``--events`` events (500,000 by default, made by
  ``bench/make_history.py`` like the history phase) to CSV: the window's Export button
  path (``HistoryWindow.export_csv``, its worker thread and progress bar), from the click
  until the window reports the export done;
* **hung D-Bus**: the app's idle and do-not-disturb reads ask a GNOME Shell and a
  notification server that receive the calls and never answer (fake services registered
  on a private ``dbus-daemon``), from the question until the calls' timeout ended them
  and the idle monitor fell back.

For comparison (information only), the same work done the old way on the GUI thread:
``HistoryStore.export`` called directly, and one blocking QtDBus call (250 ms timeout)
to the hung service. The heartbeat's lateness over one quiet second is the noise floor.

    python bench/gui_stall_bench.py [--events 500000] [--db PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HEARTBEAT_MS = 10
#: How long the hung services keep the calls waiting (the app's asynchronous timeout).
HUNG_TIMEOUT_MS = 2000


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


class Heartbeat:
    """A 10-ms precise timer; ``worst`` is the largest lateness since ``reset()``."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.last = time.perf_counter()
        self.worst = 0.0
        self.beats = 0
        self.timer.start()

    def _beat(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last - HEARTBEAT_MS / 1000)
        self.last = now
        self.beats += 1

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.beats = 0

    def worst_ms(self) -> float:
        # A stall still going on when measuring stops counts too.
        tail = time.perf_counter() - self.last - HEARTBEAT_MS / 1000
        return _ms(max(self.worst, tail, 0.0))


def run_until(app: Any, done: Any, timeout_s: float) -> None:
    """Run the event loop (a real one: it lets worker threads have Python's lock)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    check = QTimer()
    check.setInterval(5)
    check.timeout.connect(lambda: done() and loop.quit())
    check.start()
    QTimer.singleShot(round(timeout_s * 1000), loop.quit)
    if not done():
        loop.exec()
    check.stop()
    if not done():
        raise RuntimeError("timed out")


def quiet_floor(app: Any, heartbeat: Heartbeat) -> float:
    heartbeat.reset()
    end = time.perf_counter() + 1.0
    run_until(app, lambda: time.perf_counter() >= end, 5)
    return heartbeat.worst_ms()


# -- export ----------------------------------------------------------------------------------


def build(db: Path, events: int) -> dict[str, Any]:
    from history_bench import build as build_history

    return build_history(db, events)


def export_stall(app: Any, heartbeat: Heartbeat, db: Path, out: Path) -> dict[str, Any]:
    from neckcare_desktop.core.history import HistoryStore
    from neckcare_desktop.history_jobs import build_history_window

    store = HistoryStore(db)
    try:
        window = build_history_window(store, lambda: datetime.now().astimezone())
        window.ask_export_path = lambda: out  # type: ignore[method-assign]
        window.show()
        shown = time.perf_counter() + 0.5  # let it paint and settle before measuring
        run_until(app, lambda: time.perf_counter() >= shown, 5)
        heartbeat.reset()
        t0 = time.perf_counter()
        window.export_button.click()
        run_until(app, lambda: not window.job_running, 600)
        elapsed = time.perf_counter() - t0
        stall = heartbeat.worst_ms()
        beats = heartbeat.beats
        status = window.status_label.text()
        if not status.startswith("Exported"):
            raise RuntimeError(f"export did not finish: {status!r}")
        window.close()

        # The old way, for comparison: the export on the GUI thread itself.
        heartbeat.reset()
        t0 = time.perf_counter()
        store.export(out.with_name("gui-thread.csv"))
        blocking_s = time.perf_counter() - t0
        app.processEvents()
        blocking_stall = heartbeat.worst_ms()
    finally:
        store.close()
    return {
        "export_stall_ms": stall,
        "export_s": round(elapsed, 3),
        "export_heartbeats": beats,
        "csv_bytes": out.stat().st_size,
        "export_on_gui_thread_s": round(blocking_s, 3),
        "export_on_gui_thread_stall_ms": blocking_stall,
    }


# -- hung D-Bus --------------------------------------------------------------------------------


def _private_bus() -> tuple[subprocess.Popen[str], str]:
    if shutil.which("dbus-daemon") is None:
        raise SystemExit("dbus-daemon missing: apt-get install dbus")
    proc = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def _hung_service(address: str, name: str, path: str, calls: list[str]) -> Any:
    """``name`` at ``path``: receives every call and never replies."""
    from PySide6.QtDBus import QDBusConnection, QDBusVirtualObject

    class Silent(QDBusVirtualObject):
        def handleMessage(self, message: Any, connection: Any) -> bool:
            calls.append(message.member())
            return True  # handled, and no reply is ever sent

        def introspect(self, path: str) -> str:
            return ""

    connection = QDBusConnection.connectToBus(address, f"hung-{name}")
    obj = Silent()
    if not (connection.registerVirtualObject(path, obj) and connection.registerService(name)):
        raise RuntimeError(f"could not register {name} on the private bus")
    return connection, obj


def dbus_stall(app: Any, heartbeat: Heartbeat) -> dict[str, Any]:
    from neckcare_desktop.platform.dbus import QtAsyncDBusCaller, QtDBusCaller
    from neckcare_desktop.platform.dnd import DndMonitor, NotificationServerBackend
    from neckcare_desktop.platform.idle import (
        MUTTER_PATH,
        MUTTER_SERVICE,
        IdleMonitor,
        MutterIdleBackend,
    )

    proc, address = _private_bus()
    calls: list[str] = []
    keep = [
        _hung_service(address, MUTTER_SERVICE, MUTTER_PATH, calls),
        _hung_service(
            address, "org.freedesktop.Notifications", "/org/freedesktop/Notifications", calls
        ),
    ]
    try:
        caller = QtAsyncDBusCaller(timeout_ms=HUNG_TIMEOUT_MS, address=address)
        idle = IdleMonitor([MutterIdleBackend(caller)])
        dnd = DndMonitor([NotificationServerBackend(caller)])
        answers: list[Any] = []
        heartbeat.reset()
        t0 = time.perf_counter()
        idle.request(answers.append)  # what the presence poll does
        dnd.read()  # what the engine does when a break is due
        asked_ms = _ms(time.perf_counter() - t0)
        run_until(app, lambda: bool(answers) and caller.pending == 0, 30)
        waited = time.perf_counter() - t0
        stall = heartbeat.worst_ms()
        beats = heartbeat.beats
        got = sorted(calls)
        idle.close()
        dnd.close()

        # The old way, for comparison: one blocking call with the old 250-ms timeout.
        blocking = QtDBusCaller(timeout_ms=250, address=address)
        heartbeat.reset()
        t0 = time.perf_counter()
        with contextlib.suppress(Exception):  # NoReply after 250 ms: the point
            blocking(MUTTER_SERVICE, MUTTER_PATH, "org.gnome.Mutter.IdleMonitor", "GetIdletime")
        blocked_s = time.perf_counter() - t0
        app.processEvents()
        blocking_stall = heartbeat.worst_ms()
        blocking.close()
    finally:
        from PySide6.QtDBus import QDBusConnection

        for connection, _obj in keep:
            QDBusConnection.disconnectFromBus(connection.name())
        proc.kill()
        proc.wait(5)
    if "GetIdletime" not in got or "Get" not in got:
        raise RuntimeError(f"the hung services did not receive the calls: {got}")
    return {
        "dbus_hung_stall_ms": stall,
        "dbus_hung_wait_s": round(waited, 3),
        "dbus_heartbeats": beats,
        "dbus_ask_ms": asked_ms,
        "dbus_timeout_ms": HUNG_TIMEOUT_MS,
        "dbus_calls_received": got,
        "dbus_blocking_call_s": round(blocked_s, 3),
        "dbus_blocking_call_stall_ms": blocking_stall,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--db", type=Path, help="work file (default: a temp folder)")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    heartbeat = Heartbeat()
    with tempfile.TemporaryDirectory(prefix="nc-bench-stall-") as tmp:
        db = args.db or Path(tmp) / "history.sqlite3"
        built = build(db, args.events)
        floor = quiet_floor(app, heartbeat)
        exported = export_stall(app, heartbeat, db, Path(tmp) / "export.csv")
    hung = dbus_stall(app, heartbeat)
    heartbeat.timer.stop()
    print(
        json.dumps(
            {
                "events": built["events"],
                "generator": built["generator"],
                "heartbeat_ms": HEARTBEAT_MS,
                "quiet_floor_ms": floor,
                **exported,
                **hung,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
