"""What every platform backend (idle time, do-not-disturb) shares: how it says "cannot
answer", and how an answer is asked for without waiting for it.

Why asynchronous: most backends answer from a local library in microseconds (Xlib, Win32),
but the D-Bus ones ask another process (GNOME Shell, the notification server), and a
service that is hung, or busy swapping, would freeze the tray for as long as the call's
timeout if the GUI thread waited. So a backend may offer ``read_async(done)``: it starts
the question and ``done`` gets the outcome later, from the event loop. A backend with only
``read()`` is called directly (it must be quick) and ``done`` runs before
:func:`start_read` returns. Callers handle both; tests use the synchronous path.
"""

from __future__ import annotations

import importlib
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: How long a short query program (``ioreg``) may run.
SUBPROCESS_TIMEOUT_S: Final = 2.0


class BackendUnavailable(Exception):
    """A backend cannot answer; ``reason`` is a few words for the log.

    ``permanent`` means asking again in this process is pointless (wrong OS, library
    missing, no ``$DISPLAY``), so monitors stop asking. Anything that can come back later,
    such as a D-Bus service that has not started yet at login, is not permanent.
    """

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


#: What ``done`` gets: the reading, or the exception that stands for "no reading" (a
#: :class:`BackendUnavailable`, or any other exception a broken backend raised).
Outcome = Any


def start_read(backend: Any, done: Callable[[Outcome], None]) -> None:
    """Ask ``backend`` for a reading; ``done(outcome)`` runs exactly once, now or later.

    Never raises: an exception from the backend becomes the outcome.
    """
    read_async = getattr(backend, "read_async", None)
    if callable(read_async):
        answered = False

        def once(outcome: Outcome) -> None:
            nonlocal answered
            if not answered:
                answered = True
                done(outcome)

        try:
            read_async(once)
        except Exception as exc:  # a bug in the backend must not stop the others
            once(exc)
        return
    try:
        outcome = backend.read()
    except Exception as exc:
        outcome = exc
    done(outcome)


def read_now(read_async: Callable[[Callable[[Outcome], None]], None]) -> Any:
    """The synchronous ``read()`` of an asynchronous backend, for callers whose D-Bus caller
    answers at once (a blocking caller, a test's fake bus). Raises the outcome if it is an
    exception, and :class:`BackendUnavailable` if the answer is still on its way."""
    box: list[Outcome] = []
    read_async(box.append)
    if not box:
        raise BackendUnavailable("answer pending (asynchronous caller)")
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


def guarded(done: Callable[[Outcome], None], parse: Callable[[T], Outcome]) -> Callable[[T], None]:
    """A reply callback that hands ``parse(reply)`` to ``done``, or the exception it raised
    (an odd reply from another program must not leave ``done`` uncalled)."""

    def callback(reply: T) -> None:
        try:
            outcome = parse(reply)
        except Exception as exc:
            logger.debug("could not understand a reply: %r", reply, exc_info=True)
            outcome = BackendUnavailable(f"unexpected reply ({exc})")
        done(outcome)

    return callback


# -- the session and small helpers ------------------------------------------------------------

_GNOME_LIKE: Final = frozenset({"gnome", "gnome-classic", "gnome-flashback", "ubuntu", "unity"})
_KDE_LIKE: Final = frozenset({"kde", "plasma", "lxqt"})


@dataclass(frozen=True)
class Session:
    """What kind of desktop we run in, from the environment (no I/O)."""

    platform: str
    wayland: bool
    desktops: frozenset[str]

    @property
    def gnome(self) -> bool:
        return bool(self.desktops & _GNOME_LIKE)

    @property
    def kde(self) -> bool:
        return bool(self.desktops & _KDE_LIKE)

    @property
    def xfce(self) -> bool:
        return "xfce" in self.desktops


def detect_session(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> Session:
    env = os.environ if environ is None else environ
    session_type = env.get("XDG_SESSION_TYPE", "").strip().lower()
    wayland = session_type == "wayland" or (
        session_type != "x11" and bool(env.get("WAYLAND_DISPLAY"))
    )
    desktops = frozenset(
        part.strip().lower() for part in env.get("XDG_CURRENT_DESKTOP", "").split(":")
    ) - {""}
    return Session(platform or sys.platform, wayland, desktops)


def run_command(argv: Sequence[str]) -> str:
    """Run a short query program and return its output; BackendUnavailable if it fails."""
    try:
        result = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            timeout=SUBPROCESS_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except FileNotFoundError:
        raise BackendUnavailable(f"{argv[0]} not installed", permanent=True) from None
    except subprocess.TimeoutExpired:
        raise BackendUnavailable(f"{argv[0]} took over {SUBPROCESS_TIMEOUT_S:g} s") from None
    except OSError as exc:
        raise BackendUnavailable(f"cannot run {argv[0]}: {exc}") from None
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1:] or [f"exit {result.returncode}"]
        raise BackendUnavailable(f"{argv[0]} failed: {detail[0]}")
    return result.stdout


def lazy_attributes(package: str, modules: Mapping[str, str]) -> Callable[[str], Any]:
    """A package's module ``__getattr__`` (PEP 562) that imports ``name`` from
    ``package.<modules[name]>`` on first use: a running NeckCare then holds only its own
    system's backends (bench/run.py's memory budget), while ``from package import X`` works
    for every backend everywhere (tests, other systems)."""

    def __getattr__(name: str) -> Any:
        if name in modules:
            return getattr(importlib.import_module(f"{package}.{modules[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
