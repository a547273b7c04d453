"""Starting NeckCare in the background, so ``neckcare`` gives the terminal back.

People start a tray app from a terminal once and then close the terminal: the app must not
be a job of that shell. :func:`start_in_background` starts ``python -m neckcare_desktop
--foreground`` in a session of its own (``setsid``: a closed terminal's SIGHUP goes to its
own session only, and the app has no controlling terminal to lose), with stdin, stdout and
stderr on the null device (its log file keeps logging), waits until it answers on its
command socket and prints one line saying where it is. ``ice``, ``heat`` and ``break``
start it the same way (:func:`spawn`).

Import-light, like the rest of the command line: no Qt here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from neckcare_desktop import APP_ID
from neckcare_desktop.core.i18n import translate

#: The option that keeps ``neckcare`` in the foreground: what the child is started with, and
#: what autostart, the desktop entry and the tests use.
FOREGROUND = "--foreground"
#: How long the command line waits for the background app to answer.
START_TIMEOUT_S = 20.0
#: Between two looks at the command socket (the CLI has no event loop to wait on).
POLL_S = 0.05


def running_line() -> str:
    """What ``neckcare`` prints once the app runs in the background."""
    return translate("CLI", "NeckCare is running in your system tray; `neckcare quit` to stop it")


def app_command() -> list[str]:
    """The command that runs the app itself, in the foreground, in this installation."""
    return [sys.executable, "-m", "neckcare_desktop", FOREGROUND]


def spawn() -> subprocess.Popen[bytes]:
    """Start the app detached from this terminal and its session; return at once."""
    kwargs: dict[str, Any] = {}
    if sys.platform == "win32":  # the spelling mypy knows: these flags exist only there
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS
    else:
        kwargs["start_new_session"] = True  # setsid(): no controlling terminal, no SIGHUP
    return subprocess.Popen(
        app_command(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        # Not the terminal's folder: the app must not keep a disk busy that the person
        # wants to unmount.
        cwd=os.path.expanduser("~") if os.path.isdir(os.path.expanduser("~")) else "/",
        **kwargs,
    )


def log_file() -> Path:
    """Where the background app logs (the terminal sees nothing of it)."""
    import platformdirs

    return Path(platformdirs.user_log_path(APP_ID, appauthor=False)) / "neckcare.log"


def start_in_background(timeout: float = START_TIMEOUT_S) -> int:
    """Start the app in the background and wait until it answers; print one line.

    Returns 0 once NeckCare answers (or the new process handed over to one that started
    meanwhile), 1 when it ended or stayed silent: its messages went to its log file, which
    the error names.
    """
    from neckcare_desktop.platform.single_instance import send_request

    proc = spawn()
    deadline = time.monotonic() + timeout
    while True:
        # "status" only reads; once the app holds its lock, this waits for its socket.
        if send_request("status") is not None:
            break
        code = proc.poll()
        if code == 0:
            break  # another NeckCare took over in between and shows its window
        if code is not None:
            print(
                "neckcare: "
                + translate(
                    "CLI", "NeckCare could not start (exit status {code}); see {log}"
                ).format(code=code, log=log_file()),
                file=sys.stderr,
            )
            return 1
        if time.monotonic() >= deadline:
            print(
                "neckcare: "
                + translate("CLI", "NeckCare did not answer within {seconds} s; see {log}").format(
                    seconds=round(timeout), log=log_file()
                ),
                file=sys.stderr,
            )
            return 1
        time.sleep(POLL_S)
    print(running_line())
    return 0
