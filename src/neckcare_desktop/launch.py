"""Starting the GUI: show the tray icon first, then build everything else.

A tray app is "there" for the person the moment its icon appears. So this module imports
only what that needs (Qt widgets, the local command socket, logging, the language), claims
the single-instance socket (a second NeckCare must never show a second icon), shows the
icon, and only then imports and builds the engine, the history and the windows: a few
dozen milliseconds later, in the first turn of the event loop.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from neckcare_desktop import APP_ID, APP_NAME, __version__
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.logsetup import setup_logging
from neckcare_desktop.paths import AppPaths
from neckcare_desktop.platform.single_instance import (
    AlreadyRunning,
    InstanceError,
    InstanceServer,
    send_request,
)
from neckcare_desktop.resources import resource_path

if TYPE_CHECKING:
    from neckcare_desktop.app import NeckCareApp
    from neckcare_desktop.core.ipc_protocol import Request

logger = logging.getLogger(__name__)

#: Logged once the tray icon (or the fallback window) is visible; the benchmark waits for it.
READY_MARKER = "neckcare ready"


def run(argv: list[str], *, debug: bool = False) -> int:
    """Start the GUI and run until Quit. Returns the process exit status."""
    if os.name == "posix":
        # Everything NeckCare writes (history, its WAL, logs, settings) is for this user only.
        os.umask(0o077)
    paths = AppPaths.default()
    paths.ensure()
    setup_logging(paths.log_dir, debug=debug)
    scale = TimeScale.from_env(os.environ)
    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else QApplication(app_argv(argv))
    identify(qapp)
    qapp.setQuitOnLastWindowClosed(False)
    # The language before the first window: widgets translate their texts when built.
    from neckcare_desktop import translations
    from neckcare_desktop.core.settings_file import read_language

    translations.apply_setting(read_language(paths.settings_file))

    holder: dict[str, NeckCareApp] = {}
    tray: QSystemTrayIcon | None = None

    def ensure_app() -> NeckCareApp:  # built once
        app = holder.get("app")
        if app is None:
            app = holder["app"] = _build_app(qapp, paths, scale, tray)
            # A backstop for the socket folder's watcher, on a poll that runs anyway.
            app.presence.polled.connect(server.check_socket)
        return app

    def handle(request: Request) -> object:  # may arrive before the first event-loop turn
        return ensure_app().handle_request(request)

    server = InstanceServer(handle)
    try:
        server.listen()
    except AlreadyRunning:
        # Another NeckCare holds the instance lock: hand over and leave quietly. If it is
        # between two sockets (a cleaner deleted its one), send_request waits for the new one.
        logger.info("NeckCare is already running; showing its window instead")
        try:
            send_request("show")
        except InstanceError as exc:
            logger.warning("%s", exc)
            return 1
        return 0
    except InstanceError as exc:
        logger.warning(
            "%s; `neckcare` commands from a terminal cannot reach NeckCare until its command "
            "socket works (tried again when its folder changes and at each presence poll)",
            exc,
        )

    if QSystemTrayIcon.isSystemTrayAvailable():
        tray = QSystemTrayIcon(QIcon(str(resource_path("icons", "neckcare.svg"))))
        tray.setToolTip(APP_NAME)
        tray.show()
        logger.info("%s (version %s, tray=True)", READY_MARKER, __version__)
    QTimer.singleShot(0, ensure_app)
    try:
        return qapp.exec()
    finally:
        app = holder.get("app")
        if app is not None:
            app.shutdown()  # also gives the signals back
        # Last: this process stays NeckCare (holds the instance lock) until its history is
        # written, so a NeckCare started meanwhile hands over instead of opening it too.
        server.close()
        logger.info(
            "NeckCare quit at %s", datetime.now().astimezone().isoformat(timespec="seconds")
        )


def app_argv(argv: list[str]) -> list[str]:
    """``argv`` with ``neckcare-desktop`` as the program name.

    Qt names every X11 window after ``argv[0]`` (the instance part of ``WM_CLASS``), and a
    start through ``neckcare ice`` runs ``python -m neckcare_desktop``, whose ``argv[0]``
    is ``.../__main__.py``: docks and window lists would not know it as NeckCare.
    """
    return [APP_ID, *argv[1:]]


def identify(qapp: QApplication) -> None:
    """One identity however NeckCare was started: ``neckcare-desktop``, its desktop file's
    name, for ``WM_CLASS`` (class part: the application name), Wayland's app id and the
    notification server; people read "NeckCare" (the display name) in titles."""
    qapp.setApplicationName(APP_ID)
    qapp.setApplicationDisplayName(APP_NAME)
    qapp.setApplicationVersion(__version__)
    qapp.setDesktopFileName(APP_ID)


def _build_app(
    qapp: QApplication, paths: AppPaths, scale: TimeScale, tray: QSystemTrayIcon | None
) -> NeckCareApp:
    from neckcare_desktop.app import NeckCareApp

    app = NeckCareApp(paths, scale=scale, tray_available=tray is not None, tray_icon=tray)
    # exit(), not quit(): Qt 6's quit() is cancelled by any window that refuses to close,
    # and the fallback status window refuses (it minimizes so it cannot be lost).
    app.quit_requested.connect(lambda: qapp.exit(0))
    app.quit_on_signals(lambda: qapp.exit(0))
    app.start(announce_ready=tray is None)
    return app
