"""Logging: a rotating file in the platform log folder, and the terminal with ``--debug``.

A tray app has no console people look at, so the file is where a bug report starts.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import sys
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def setup_logging(log_dir: Path, *, debug: bool = False) -> Path | None:
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if debug else logging.WARNING)
    console.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(console)
    # APScheduler narrates every wakeup at INFO/DEBUG; keep its noise out unless debugging.
    logging.getLogger("apscheduler").setLevel(logging.DEBUG if debug else logging.WARNING)
    log_file = log_dir / "neckcare.log"
    try:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as exc:
        root.warning(
            "cannot write the log file %s (%s); logging to the terminal only", log_file, exc
        )
        return None
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    if os.name == "posix":
        # The log names times of breaks and therapy: nobody else's business.
        with contextlib.suppress(OSError):
            os.chmod(log_file, 0o600)
    return log_file
