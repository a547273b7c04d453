"""Show a folder in the person's file manager, and know when nothing could show it.

On Linux and the BSDs Qt opens a folder by starting ``xdg-open`` and reports success as
soon as that script started; the script may then find nothing to open a folder with (a
desktop without a file manager, a minimal window manager) and give up a moment later,
and the person's click did nothing, silently. So there ``xdg-open`` is run here and its
exit status is read: a failure calls ``on_failure`` and the window tells the person the
folder's path instead. Elsewhere (macOS, Windows, or no ``xdg-open``) Qt's own way is
used, whose answer is all there is to know.
"""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QUrl
from PySide6.QtGui import QDesktopServices

logger = logging.getLogger(__name__)


def xdg_open() -> str | None:
    """The ``xdg-open`` to run, on the systems where Qt would run it; else None."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    return shutil.which("xdg-open")


def open_folder(path: Path, parent: QObject, on_failure: Callable[[], None]) -> bool:
    """Ask the desktop to show ``path``; False if it cannot even try.

    When the opener runs but fails, ``on_failure`` is called later, on the GUI thread.
    """
    opener = xdg_open()
    if opener is None:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    process = QProcess(parent)
    # Its words ("no method available for opening ...") go to the log, not the terminal.
    process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)

    def finished(code: int, status: QProcess.ExitStatus) -> None:
        output = bytes(process.readAll().data()).decode(errors="replace").strip()
        process.deleteLater()
        if status is QProcess.ExitStatus.NormalExit and code == 0:
            return
        logger.info("xdg-open could not open %s (exit %s): %s", path, code, output)
        on_failure()

    def error(problem: QProcess.ProcessError) -> None:
        if problem is QProcess.ProcessError.FailedToStart:
            logger.info("could not start %s for %s: %s", opener, path, process.errorString())
            process.deleteLater()
            on_failure()

    process.finished.connect(finished)
    process.errorOccurred.connect(error)
    process.start(opener, [str(path)])
    return True
