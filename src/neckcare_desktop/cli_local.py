"""What the ``neckcare`` command line does by itself, without the running NeckCare.

History export, the clinician report and the summary printed when NeckCare is not
running, autostart and the launcher entry. Each function prints its answer and returns the
exit status; the heavier modules they need are imported only when they run, so ``--help``
stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from neckcare_desktop.core.i18n import translate

T = TypeVar("T")


def _history_store() -> Any:
    from neckcare_desktop.core.history import HistoryStore
    from neckcare_desktop.core.timescale import TimeScale
    from neckcare_desktop.paths import AppPaths

    # Compressed time is test mode, whose rows live in the demo history (see paths.py):
    # the command line reads the history the app of the same environment writes.
    demo = TimeScale.from_env(os.environ).is_compressed
    return HistoryStore(AppPaths.default(demo=demo).history_file)


def _read_history(read: Callable[[Any], T]) -> T | None:
    """``read(store)`` on the history file, closed after; None (the reason printed) when
    the file cannot be read."""
    from neckcare_desktop.core.history import HistoryError

    try:
        store = _history_store()
        try:
            return read(store)
        finally:
            store.close()
    except (HistoryError, OSError) as exc:
        print(
            "neckcare: " + translate("CLI", "could not read history: {reason}").format(reason=exc),
            file=sys.stderr,
        )
        return None


def export_csv(path: Path) -> int:
    from neckcare_desktop.core.history import HistoryError

    # The file holds pain scores and spasms: readable by this user only (0600), as the
    # window's export is (the app runs with this umask).
    old_umask = os.umask(0o077) if os.name == "posix" else None
    try:
        store = _history_store()
        try:
            count = store.export_csv(path)
        finally:
            store.close()
    except (HistoryError, OSError) as exc:
        print(
            "neckcare: "
            + translate("CLI", "could not export history to {path}: {reason}").format(
                path=path, reason=exc
            ),
            file=sys.stderr,
        )
        return 1
    finally:
        if old_umask is not None:
            os.umask(old_umask)
    print(translate("CLI", "Exported {count} events to {path}").format(count=count, path=path))
    return 0


def _gui_application() -> Any:
    """The QGuiApplication the report's fonts need (the running one, in tests).

    Offscreen on X11/Wayland systems whatever the environment says: nothing is shown, and
    a DISPLAY that cannot be reached (ssh, cron, a closed session) would make Qt abort
    the process instead of writing the file. macOS and Windows always have their own.
    """
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is not None:
        return app
    argv = [sys.argv[0] or "neckcare"]
    if sys.platform not in ("darwin", "win32"):
        argv += ["-platform", "offscreen"]
    return QGuiApplication(argv)


def write_report(path: Path, days: int) -> int:
    """``neckcare report --pdf FILE [--days N]``: the clinician report of the last ``days``
    days, from the history file (whether NeckCare runs or not), written 0600."""
    from neckcare_desktop.core.report import build_report, last_days

    app = _gui_application()  # before anything lays out text; kept alive while it does
    from neckcare_desktop.report_pdf import ReportError
    from neckcare_desktop.report_pdf import write_report as write_pdf

    now = datetime.now().astimezone()
    data = _read_history(lambda store: build_report(store, last_days(now, days)))
    if data is None:
        return 1
    try:
        rendered = write_pdf(data, path, made_on=now.date())
    except ReportError as exc:
        print(f"neckcare: {exc}", file=sys.stderr)
        return 1
    del app
    print(
        (
            translate("Report", "Wrote a 1-page report of the last {days} days to {path}")
            if rendered.pages == 1
            else translate(
                "Report", "Wrote a {pages}-page report of the last {days} days to {path}"
            )
        ).format(pages=rendered.pages, days=days, path=path)
    )
    return 0


def print_summary(days: int) -> int:
    from neckcare_desktop.core.history.totals import range_totals

    # The same local days and the same sums as the History window's totals line.
    today = datetime.now().astimezone().date()
    t = _read_history(
        lambda store: range_totals(store.daily_summary(today - timedelta(days=days - 1), today))
    )
    if t is None:
        return 1
    print(
        (
            translate("CLI", "Last day (NeckCare is not running):")
            if days == 1
            else translate("CLI", "Last {days} days (NeckCare is not running):")
        ).format(days=days)
    )
    if t.episodes == 0:
        spasms = translate("CLI", "spasms: none logged")
    else:
        spasms = translate("CLI", "spasms: {n} (worst pain {pain} of 10)").format(
            n=t.episodes, pain=t.worst_pain
        )
    for line in (
        translate("CLI", "breaks taken: {n} ({completed} completed, {natural} while away)").format(
            n=t.taken, completed=t.completed, natural=t.natural
        ),
        translate("CLI", "breaks postponed: {n}").format(n=t.postponed),
        translate("CLI", "breaks skipped: {n}").format(n=t.skipped),
        translate("CLI", "ice: {n} min").format(n=t.ice_minutes),
        translate("CLI", "heat: {n} min").format(n=t.heat_minutes),
        spasms,
    ):
        print("  " + line)
    return 0


def autostart(state: str) -> int:
    from neckcare_desktop.platform.autostart import default_backend, launch_command

    backend = default_backend()
    try:
        if state == "on":
            backend.enable(launch_command())
        elif state == "off":
            backend.disable()
    except OSError as exc:
        print(
            "neckcare: "
            + translate("CLI", "could not change autostart ({where}): {reason}").format(
                where=backend.describe(), reason=exc
            ),
            file=sys.stderr,
        )
        return 1
    print(
        (
            translate("CLI", "NeckCare starts at login ({where}).")
            if backend.is_enabled()
            else translate("CLI", "NeckCare does not start at login ({where}).")
        ).format(where=backend.describe())
    )
    return 0


def install_desktop_entry() -> int:
    from neckcare_desktop.platform.desktop_entry import install_desktop_entry

    try:
        written = install_desktop_entry()
    except OSError as exc:
        print(
            "neckcare: "
            + translate("CLI", "could not install the launcher entry: {reason}").format(reason=exc),
            file=sys.stderr,
        )
        return 1
    print(
        translate("CLI", "Installed {entry} and {count} icons.").format(
            entry=written[0], count=len(written) - 1
        )
    )
    return 0
