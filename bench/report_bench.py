"""The clinician report at scale: 90 days of a heavy history (500,000 events) to a PDF.

Run by ``bench/run.py`` (offscreen, no desktop needed); prints one JSON object on stdout.

* history: ``bench/make_history.py`` (ten years, 500,000 events, 1,000 spasm episodes),
  the same file ``bench/history_bench.py`` measures the History window on.
* data: ``core.report.build_report`` for the last 90 days (SQL aggregates through the
  day index, the spasm episodes that overlap the range).
* pdf: ``report_pdf.write_report``: the HTML laid out by ``QTextDocument`` (again with
  less detail while it runs past two pages), painted on ``QPdfWriter`` pages and written
  atomically, 0600. Both timed together as "total", as ``neckcare report`` and the History
  window's button do it; the median of ``--runs`` runs in one process (a QGuiApplication
  and the open store exist, as in the app).

    python bench/report_bench.py [--events 500000] [--days 90] [--runs 5] [--db PATH]
    python bench/report_bench.py --keep report.pdf      # keep the last PDF to look at
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def measure(db: Path, days: int, runs: int, out_dir: Path) -> dict[str, object]:
    from PySide6.QtGui import QGuiApplication

    from neckcare_desktop.core.history import HistoryStore
    from neckcare_desktop.core.report import build_report, last_days
    from neckcare_desktop.report_pdf import write_report

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    assert app is not None
    store = HistoryStore(db)
    data_ms: list[float] = []
    pdf_ms: list[float] = []
    total_ms: list[float] = []
    try:
        for i in range(runs):
            now = datetime.now().astimezone()
            t0 = time.perf_counter()
            data = build_report(store, last_days(now, days))
            t1 = time.perf_counter()
            target = out_dir / f"report-{i}.pdf"
            rendered = write_report(data, target, made_on=now.date())
            t2 = time.perf_counter()
            data_ms.append(_ms(t1 - t0))
            pdf_ms.append(_ms(t2 - t1))
            total_ms.append(_ms(t2 - t0))
    finally:
        store.close()
    return {
        "days": days,
        "spasms": len(data.spasms),
        "days_with_rounds": len(data.rounds),
        "weeks": len(data.break_weeks),
        "notes": len(data.notes),
        "data_ms": data_ms,
        "pdf_ms": pdf_ms,
        "total_ms": total_ms,
        "data_median_ms": statistics.median(data_ms),
        "pdf_median_ms": statistics.median(pdf_ms),
        "total_median_ms": statistics.median(total_ms),
        "pdf_bytes": target.stat().st_size,
        "pdf_mode": oct(target.stat().st_mode & 0o777),
        "pages": rendered.pages,
        "paper": rendered.paper,
        "summarised": rendered.summarised,
        "last_pdf": str(target),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="an existing history file to use as is")
    parser.add_argument("--keep", type=Path, metavar="PDF", help="copy the last PDF here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="nc-bench-report-") as tmp:
        work = Path(tmp)
        built: dict[str, object] = {}
        db = args.db
        if db is None:
            from history_bench import build

            db = work / "history.sqlite3"
            built = build(db, args.events)
        result = measure(db, args.days, args.runs, work)
        if args.keep is not None:
            shutil.copyfile(str(result["last_pdf"]), args.keep)
        result.pop("last_pdf")
    print(
        json.dumps(
            {
                "events": built.get("events", args.events),
                "generator": built.get("generator", str(args.db)),
                **result,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
