"""History at scale: insert N events, open the History window on them, export them as CSV.

Run by ``bench/run.py`` (offscreen, no desktop needed); prints one JSON object on stdout.

* insert: ``bench/make_history.py`` (a colleague's generator; ``bench/history_data.py``
  when it does not work on this tree): the app's schema via ``HistoryStore``, then
  ``executemany`` in one transaction; timed together with generating the rows.
* open: ``HistoryWindow(store, now)`` constructed and shown until its first paint is
  done. Each cold open runs in a fresh process, as the first ``neckcare history`` of a
  session would: the timed part starts at the window module's lazy import (as in
  ``NeckCareApp.show_history``); the QApplication and the open store already exist, as
  they do in the app. "Painted" means every widget of the window that was going to
  paint has, and three more rounds of the event loop (zero-timers queued behind any
  deferred refresh) painted nothing new.
  Warm re-opens (hide, show: ``showEvent`` refreshes), filter and tab switches are
  measured in one process too.
* export: ``HistoryStore.export_csv`` of every event to a file.
* habits: the "Pain and habits" reads (``HistoryStore.habit_days``: each pain value,
  adherence and rounds per day) for the last 7, 30 and 90 days, median of 5 runs each;
  and, in the app's wiring (``build_history_window``, read on a worker thread), the time
  from choosing the tab at 90 days to the three charts drawn, and the longest the GUI
  thread went without running its event loop meanwhile.

    python bench/history_bench.py [--events 500000] [--cold-opens 5] [--db PATH]
    python bench/history_bench.py --open-once PATH      # one cold open, used internally
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _now() -> datetime:
    return datetime.now().astimezone()


def _app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([sys.argv[0]])


class _PaintSpy:
    """Counts Paint events of one window's widgets (an application-wide event filter)."""

    def __init__(self, app) -> None:
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QWidget

        spy = self
        self.window = None
        self.paints = 0

        class Filter(QObject):
            def eventFilter(self, obj, event):
                if (
                    event.type() == QEvent.Type.Paint
                    and spy.window is not None
                    and isinstance(obj, QWidget)
                    and obj.window() is spy.window
                ):
                    spy.paints += 1
                return False

        self._filter = Filter()
        self._app = app
        app.installEventFilter(self._filter)

    def close(self) -> None:
        self._app.removeEventFilter(self._filter)


def _settle(app, spy: _PaintSpy, deadline: float) -> float:
    """Run the event loop until the window has painted and nothing more gets painted.

    Each round queues a zero-timer behind whatever is pending (deferred refreshes, layout,
    update requests) and runs the loop until it fires. Returns the time the last round
    that painted something finished: the moment the window's content was on screen.
    """
    from PySide6.QtCore import QTimer

    last_paint_done = None
    quiet_rounds = 0
    while time.perf_counter() < deadline:
        before = spy.paints
        marker = {"hit": False}
        QTimer.singleShot(0, lambda m=marker: m.__setitem__("hit", True))
        while not marker["hit"] and time.perf_counter() < deadline:
            app.processEvents()
        if spy.paints > before:
            last_paint_done = time.perf_counter()
            quiet_rounds = 0
        elif last_paint_done is not None:
            quiet_rounds += 1
            if quiet_rounds >= 3:
                return last_paint_done
    raise RuntimeError("the History window never finished painting")


def _rows(window) -> int | None:
    table = getattr(window, "table", None)
    if table is None:
        return None
    if hasattr(table, "rowCount"):
        return table.rowCount()
    model = table.model()
    return model.rowCount() if model is not None else None


def _open_and_paint(app, store, window=None) -> tuple[object, dict[str, float]]:
    """Construct (unless given) and show the window; wait until it is painted and settled."""
    spy = _PaintSpy(app)
    try:
        t0 = time.perf_counter()
        if window is None:
            from neckcare_desktop.ui.history.window import HistoryWindow  # lazy, as in the app

            t_import = time.perf_counter()
            window = HistoryWindow(store, _now)
        else:
            t_import = t0
        spy.window = window
        t1 = time.perf_counter()
        window.show()  # showEvent -> refresh()
        t2 = time.perf_counter()
        t3 = _settle(app, spy, t2 + 30)
    finally:
        spy.close()
    return window, {
        "import_ms": _ms(t_import - t0),
        "construct_ms": _ms(t1 - t_import),
        "show_ms": _ms(t2 - t1),
        "paint_ms": _ms(t3 - t2),
        "total_ms": _ms(t3 - t0),
        "rows_in_table": _rows(window),
    }


def _switch_and_paint(app, window, action) -> float:
    spy = _PaintSpy(app)
    spy.window = window
    try:
        t0 = time.perf_counter()
        action()
        return _ms(_settle(app, spy, t0 + 30) - t0)
    except RuntimeError:  # nothing to repaint: the switch changed nothing visible
        return _ms(time.perf_counter() - t0)
    finally:
        spy.close()


def open_once(db: Path) -> dict[str, float]:
    from neckcare_desktop.core.history import HistoryStore

    app = _app()
    store = HistoryStore(db)
    try:
        window, result = _open_and_paint(app, store)
        window.close()
        return result
    finally:
        store.close()


def warm_measurements(db: Path, reopens: int) -> dict[str, object]:
    """Re-opens and filter switches in one process, after a first (untimed) open."""
    from neckcare_desktop.core.history import HistoryStore

    app = _app()
    store = HistoryStore(db)
    try:
        window, _ = _open_and_paint(app, store)
        reopen = []
        for _ in range(reopens):
            window.hide()
            app.processEvents()
            _, r = _open_and_paint(app, store, window)
            reopen.append(r["total_ms"])
        filters = {}
        combo = getattr(window, "filter_combo", None)
        tabs = getattr(window, "tabs", None)
        if tabs is not None and combo is not None:  # the filter lives on the events tab
            for index in range(tabs.count()):
                if tabs.widget(index).isAncestorOf(combo):
                    _switch_and_paint(app, window, lambda i=index: tabs.setCurrentIndex(i))
        if combo is not None:
            for index in range(1, combo.count()):
                key = str(combo.itemData(index))
                select = lambda i=index: combo.setCurrentIndex(i)  # noqa: E731
                filters[key] = _switch_and_paint(app, window, select)
            combo.setCurrentIndex(0)
        tab_switch = {}
        if tabs is not None:
            for index in range(tabs.count()):
                name = tabs.tabText(index).replace("&", "")
                select = lambda i=index: tabs.setCurrentIndex(i)  # noqa: E731
                tab_switch[name] = _switch_and_paint(app, window, select)
        t0 = time.perf_counter()
        window.refresh()
        refresh_ms = _ms(time.perf_counter() - t0)
        window.close()
        return {
            "reopen_ms": reopen,
            "reopen_median_ms": round(statistics.median(reopen), 2) if reopen else None,
            "refresh_ms": refresh_ms,
            "filter_switch_ms": filters,
            "tab_switch_ms": tab_switch,
        }
    finally:
        store.close()


def habits(db: Path, runs: int = 5) -> dict[str, object]:
    """The "Pain and habits" reads, alone and as the app runs them (see the docstring)."""
    from datetime import timedelta

    from neckcare_desktop.core.history import HistoryStore

    store = HistoryStore(db)
    try:
        today = _now().date()
        query_ms: dict[str, float] = {}
        sizes: dict[str, int] = {}
        for days in (7, 30, 90):
            first = today - timedelta(days=days - 1)
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                got = store.habit_days(first, today)
                times.append(time.perf_counter() - t0)
            query_ms[str(days)] = _ms(statistics.median(times))
            sizes[str(days)] = len(got.pain) + len(got.adherence) + len(got.rounds)
        plan = store.explain_habits(today - timedelta(days=89), today)
        tab = _habits_tab(store)
    finally:
        store.close()
    return {
        "habits_query_ms": query_ms,
        "habits_rows_90": sizes["90"],
        "habits_uses_day_index": all(
            "events_kind_day" in line for line in plan if "events" in line
        ),
        **tab,
    }


def _habits_tab(store) -> dict[str, float]:
    """Choose the tab at 90 days in a wired window: time to drawn, worst GUI-thread gap."""
    from PySide6.QtCore import QElapsedTimer

    from neckcare_desktop.history_jobs import build_history_window

    app = _app()
    window = build_history_window(store, _now)
    window.show()
    window.set_range_days(90)
    app.processEvents()
    drawn: list[float] = []
    window.habits.drawn.connect(lambda: drawn.append(time.perf_counter()))
    clock = QElapsedTimer()
    worst = 0.0
    t0 = time.perf_counter()
    window.tabs.setCurrentWidget(window.habits_scroll)
    clock.start()
    while not drawn and time.perf_counter() - t0 < 30:
        app.processEvents()
        worst = max(worst, clock.restart() / 1000)
        time.sleep(0.001)
    window.close()
    if not drawn:
        raise RuntimeError("the Pain and habits tab was never drawn")
    return {
        "habits_tab_90_ms": _ms(drawn[0] - t0),
        "habits_tab_worst_gui_gap_ms": _ms(worst),
    }


def export(db: Path, out: Path) -> dict[str, float]:
    from neckcare_desktop.core.history import HistoryStore

    store = HistoryStore(db)
    try:
        t0 = time.perf_counter()
        count = store.export_csv(out)
        elapsed = time.perf_counter() - t0
    finally:
        store.close()
    return {"events": count, "export_s": round(elapsed, 4), "csv_bytes": out.stat().st_size}


def build(db: Path, events: int) -> dict[str, object]:
    """A fresh file of ``events`` events: ``bench/make_history.py`` if it works on this
    tree (a colleague's generator, with spasm episodes), else ``bench/history_data.py``.

    Both take the schema from ``HistoryStore`` and insert with ``executemany`` in one
    transaction; ``insert_s`` is generation + insert (make_history times them together).
    """
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    try:
        import make_history
    except Exception as exc:  # an older history schema: no spasm episodes to generate
        make_history = None
        reason = f"{type(exc).__name__}: {exc}"
    if make_history is not None:
        t0 = time.perf_counter()
        result = make_history.generate(db, events=events)
        elapsed = time.perf_counter() - t0
        return {
            "generator": "bench/make_history.py",
            "events": result.events,
            "insert_s": round(elapsed, 4),
            "file_bytes": db.stat().st_size,
        }
    from history_data import build_history

    built = build_history(db, events)
    return {
        "generator": f"bench/history_data.py (make_history.py unusable: {reason})",
        "events": built["events"],
        "insert_s": round(float(built["generate_s"]) + float(built["insert_s"]), 4),
        "insert_only_s": built["insert_s"],
        "file_bytes": built["file_bytes"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--cold-opens", type=int, default=5)
    parser.add_argument("--reopens", type=int, default=5)
    parser.add_argument("--db", type=Path, help="work file (default: a temp folder)")
    parser.add_argument("--open-once", type=Path, metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument(
        "--habits-only", type=Path, metavar="DB", help="only the Pain and habits reads on DB"
    )
    args = parser.parse_args(argv)

    if args.habits_only:
        print(json.dumps(habits(args.habits_only)))
        return 0

    if args.open_once:
        print(json.dumps(open_once(args.open_once)))
        return 0

    with tempfile.TemporaryDirectory(prefix="nc-bench-history-") as tmp:
        db = args.db or Path(tmp) / "history.sqlite3"
        built = build(db, args.events)
        cold = []
        for _ in range(args.cold_opens):
            out = subprocess.run(
                [sys.executable, __file__, "--open-once", str(db)],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            if out.returncode != 0:
                raise SystemExit(f"cold open failed:\n{out.stderr}")
            cold.append(json.loads(out.stdout.strip().splitlines()[-1]))
        warm = warm_measurements(db, args.reopens)
        habit_reads = habits(db)
        exported = export(db, Path(tmp) / "export.csv")
    totals = [c["total_ms"] for c in cold]
    print(
        json.dumps(
            {
                "generator": built["generator"],
                "events": built["events"],
                "insert_s": built["insert_s"],
                "db_bytes": built["file_bytes"],
                "open_cold_ms": totals,
                "open_cold_median_ms": round(statistics.median(totals), 2),
                "open_cold_detail": cold,
                **warm,
                **habit_reads,
                "export_s": exported["export_s"],
                "csv_bytes": exported["csv_bytes"],
                "exported_events": exported["events"],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
