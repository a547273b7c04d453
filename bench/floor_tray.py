"""The floor: the least a PySide6 tray app with an APScheduler ``QtScheduler`` can cost.

A bare ``QApplication`` + ``QSystemTrayIcon`` with an icon + a started ``QtScheduler`` (no
jobs), and nothing else. ``bench/run.py`` runs it side by side with NeckCare; NeckCare's
budgets are ratios to this program's figures.

Right after the icon is shown it prints one line to stderr, the same moment NeckCare logs
``neckcare ready`` (after ``tray.show()``, before the event loop starts)::

    floor ready tray=True t=1712345678.123456

``t`` is ``time.time()`` at that moment, so the runner can measure start-up from its own
clock without depending on how fast it reads the pipe.

The icon is NeckCare's own SVG by default (same image plugin, same size), so the
comparison measures NeckCare's code, not a choice of icon format. SIGTERM ends it at once
(Python's default action), like an app being logged out.

    python bench/floor_tray.py [--icon PATH]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

READY_MARKER = "floor ready"
DEFAULT_ICON = Path(__file__).resolve().parents[1] / "resources" / "icons" / "neckcare.svg"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--icon", type=Path, default=DEFAULT_ICON, help="tray icon file")
    args = parser.parse_args(argv)

    from apscheduler.schedulers.qt import QtScheduler
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    app = QApplication([sys.argv[0]])
    app.setApplicationName("floor-tray")
    app.setQuitOnLastWindowClosed(False)

    scheduler = QtScheduler()
    scheduler.start()

    tray = QSystemTrayIcon(QIcon(str(args.icon)))
    tray.setToolTip("floor")
    tray.show()
    print(
        f"{READY_MARKER} tray={QSystemTrayIcon.isSystemTrayAvailable()} t={time.time():.6f}",
        file=sys.stderr,
        flush=True,
    )
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
