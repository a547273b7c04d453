"""Shared test setup: every Qt test runs offscreen unless it is an end-to-end test."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The app under test must never touch the developer's real files.
os.environ.pop("NECKCARE_TIME_SCALE", None)

from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.history import HistoryStore
from neckcare_desktop.paths import AppPaths

if TYPE_CHECKING:
    from fakes import FakeHandler, Rig
    from neckcare_desktop.app import NeckCareApp

#: A fixed zone one hour east of UTC, so offsets in ISO strings are visible in tests.
TEST_TZ = timezone(timedelta(hours=1), "TEST")


@pytest.fixture
def clock() -> ManualClock:
    """A manual clock starting on a Monday morning at 09:00 in TEST_TZ."""
    return ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=TEST_TZ))


@pytest.fixture
def history() -> Iterator[HistoryStore]:
    """An empty history store in memory, closed after the test."""
    store = HistoryStore(":memory:")
    yield store
    store.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    """A history store in a file (``history.sqlite3`` in the test's temp folder), closed
    after the test: for what needs a real file (a second connection, a worker thread)."""
    s = HistoryStore(tmp_path / "history.sqlite3")
    yield s
    s.close()


@pytest.fixture
def rig(clock: ManualClock, history: HistoryStore) -> Rig:
    """The core engine on the manual ``clock`` with the fake scheduler, presence and event
    recorder of tests/fakes.py, writing to ``history``."""
    from fakes import make_rig  # fakes imports this module (TEST_TZ): not at the top

    return make_rig(clock, history)


@pytest.fixture
def spanish_ui(qapp: object) -> Iterator[None]:
    """The app's Spanish translations installed (as ``LANGUAGE=es`` does at start) for the
    test, English again after it."""
    from neckcare_desktop import translations

    translations.install("es")
    try:
        yield
    finally:
        translations.uninstall()


@pytest.fixture
def app_paths(tmp_path: Path) -> AppPaths:
    """The app's folders (config, data, log) in the test's temp folder, created."""
    paths = AppPaths(tmp_path / "config", tmp_path / "data", tmp_path / "log")
    paths.ensure()
    return paths


@pytest.fixture
def bus_address(qapp: object) -> Iterator[str]:
    """The address of a private D-Bus session bus (``dbus_fakes.private_bus``), stopped after
    the test; fake services on it answer the asynchronous D-Bus calls."""
    from dbus_fakes import private_bus

    with private_bus() as address:
        yield address


@pytest.fixture
def make_app(qapp: object, app_paths: AppPaths) -> Iterator[Callable[..., NeckCareApp]]:
    """A factory for the running app, offscreen, shut down after the test.

    ``make_app(tray=True, scale=1.0, clock=None, manual=False, start=True, **settings)``:
    ``settings`` are sections as in settings.toml (``therapy={"ice_minutes": 1}``);
    ``manual`` gives the app a manual clock and the fake scheduler of tests/fakes.py, so
    nothing fires until the test moves time with ``fakes.later``; ``start=False`` lets the
    test change the app before :meth:`NeckCareApp.start`. The first-run autostart question
    is answered (it has its own tests), and so is the ice and heat safety check
    (``therapy={"safety_asked": False}`` asks it: tests/test_therapy_ui.py). The app plays
    no sound (``app.sound`` is a ``fakes.FakeSound``: what would have sounded is in
    ``app.sound.played``) and its error boxes are kept in ``app.errors`` as (title, text).
    """
    from fakes import FakeScheduler, FakeSound, manual_clock
    from neckcare_desktop.app import NeckCareApp
    from neckcare_desktop.core.settings import settings_from_dict
    from neckcare_desktop.core.timescale import TimeScale

    apps: list[NeckCareApp] = []

    def make(
        *,
        tray: bool = True,
        scale: float = 1.0,
        clock: ManualClock | None = None,
        manual: bool = False,
        start: bool = True,
        **settings: Any,
    ) -> NeckCareApp:
        settings.setdefault("app", {}).setdefault("autostart_asked", True)
        settings.setdefault("therapy", {}).setdefault("safety_asked", True)
        app = NeckCareApp(
            app_paths,
            clock=manual_clock() if manual else clock,
            scale=TimeScale(scale),
            tray_available=tray,
            settings=settings_from_dict(settings),
            scheduler=FakeScheduler() if manual else None,
        )
        apps.append(app)
        errors: list[tuple[str, str]] = []
        app.errors = errors  # type: ignore[attr-defined]
        app.sound = FakeSound()  # type: ignore[assignment]
        app.controller.show_error = lambda title, text: errors.append((title, text))  # type: ignore[method-assign]
        if start:
            app.start()
        return app

    yield make
    for app in apps:
        app.shutdown()


@pytest.fixture
def start_app(qapp: object, app_paths: AppPaths) -> Iterator[Callable[[], NeckCareApp]]:
    """A factory for the app as a person starts it: settings from ``app_paths.settings_file``
    (none given), the first-run question not answered, a real clock; no sound
    (``fakes.FakeSound``). A first-run box still open is closed after the test."""
    from fakes import FakeSound
    from neckcare_desktop.app import NeckCareApp

    apps: list[NeckCareApp] = []

    def start() -> NeckCareApp:
        app = NeckCareApp(app_paths, tray_available=True)
        apps.append(app)
        app.sound = FakeSound()  # type: ignore[assignment]
        app.start()
        return app

    yield start
    for app in apps:
        with contextlib.suppress(AttributeError, RuntimeError):  # gone once answered
            app.first_run.box.close()  # type: ignore[union-attr]
        app.shutdown()


# -- the single-instance command socket --------------------------------------------------

#: Both command-socket backends: the stdlib AF_UNIX socket the app uses on POSIX and the
#: QLocalServer it uses on Windows (which works on Linux too).
SOCKET_BACKENDS = ["qt"] if sys.platform == "win32" else ["unix", "qt"]


@pytest.fixture(params=SOCKET_BACKENDS)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Servers and in-process clients of this test use this backend (the test runs once
    per backend)."""
    from neckcare_desktop.platform import instance_client

    monkeypatch.setattr(instance_client, "DEFAULT_BACKEND", request.param)
    return request.param


@pytest.fixture
def socket_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The command socket's path (``NECKCARE_SOCKET``), which nobody listens on: the
    command line finds no running app."""
    path = tmp_path / "run" / "neckcare.sock"
    path.parent.mkdir(mode=0o700)
    monkeypatch.setenv("NECKCARE_SOCKET", str(path))
    return path


@pytest.fixture
def sock_name(tmp_path_factory: pytest.TempPathFactory) -> str:
    # Short on purpose: AF_UNIX paths are limited to ~104 bytes.
    return str(tmp_path_factory.mktemp("ipc") / "n.sock")


@pytest.fixture
def handler() -> FakeHandler:
    """The app's side of the command socket (``fakes.FakeHandler``)."""
    from fakes import FakeHandler

    return FakeHandler()


@pytest.fixture
def server(qtbot: object, backend: str, sock_name: str, handler: FakeHandler) -> Iterator[Any]:
    """A listening InstanceServer on ``sock_name`` serving ``handler``, closed after."""
    from neckcare_desktop.platform.single_instance import InstanceServer

    srv = InstanceServer(handler, name=sock_name)
    srv.listen()
    yield srv
    srv.close()


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point every platform directory at a temp folder so no test writes to $HOME."""
    base = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_RUNTIME_DIR", "runtime"),
    ):
        path = base / sub
        path.mkdir(mode=0o700)
        monkeypatch.setenv(var, str(path))
    monkeypatch.setenv("HOME", str(base))


@pytest.fixture(autouse=True)
def _quiet_presence(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest):
    """Offscreen tests never read the real desktop's idle time or touch the system D-Bus.

    Tests that want a person who is away (or a fullscreen window) pass their own
    PresenceWatcher; end-to-end tests run the real app in a subprocess and are unaffected.
    """
    if "e2e" in request.keywords:
        return
    import neckcare_desktop.desktop_sources as app_module
    from neckcare_desktop.presence import PresenceWatcher

    def quiet(clock, scale, parent):
        return PresenceWatcher(lambda: None, lambda: None, clock, scale, parent)

    monkeypatch.setattr(app_module, "default_presence", quiet)
    # Nor do they send real notifications to the developer's desktop: tests that want a
    # notification server start their own on a private bus.
    monkeypatch.setattr(app_module, "default_notification_server", lambda parent: None)
    # Nor watch the developer's microphone and camera (a `pactl subscribe` each).
    monkeypatch.setattr(app_module, "default_call_monitor", lambda parent: None)


# -- unexpected log records fail the test ------------------------------------------------


class _Expected:
    """One kind of log record a test declared it expects (logger, level, message regex)."""

    def __init__(self, logger: str, level: int, pattern: str) -> None:
        self.logger = logger
        self.level = level
        self.pattern = re.compile(pattern)

    def matches(self, record: logging.LogRecord) -> bool:
        name_ok = record.name == self.logger or record.name.startswith(self.logger + ".")
        return (
            name_ok
            and record.levelno == self.level
            and self.pattern.search(record.getMessage()) is not None
        )


class LogCollector(logging.Handler):
    """Keeps every WARNING-or-worse record, from any thread, for the test's teardown (and
    for property tests that check each step)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def expect_log(_fail_on_unexpected_logs: list[_Expected]) -> Callable[..., None]:
    """Declare a log record the test expects: ``expect_log("neckcare_desktop.x", logging.ERROR,
    r"regex")``. Any WARNING-or-worse record not declared this way fails the test."""

    def expect(logger: str, level: int, pattern: str = "") -> None:
        _fail_on_unexpected_logs.append(_Expected(logger, level, pattern))

    return expect


@pytest.fixture(autouse=True)
def _fail_on_unexpected_logs(request: pytest.FixtureRequest) -> Iterator[list[_Expected]]:
    """A swallowed error is a bug the person never sees: make the test see it.

    The engine and the app log and carry on when a listener, a backend or the disk fails,
    so that a reminder is never lost; a test that passes while an error was logged would
    hide exactly that failure. WARNING counts too: a test that triggers one on purpose
    says so with ``expect_log``.
    """
    expected: list[_Expected] = [
        _Expected(*marker.args) for marker in request.node.iter_markers("expect_log")
    ]
    collector = LogCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield expected
    finally:
        root.removeHandler(collector)
    unexpected = [r for r in collector.records if not any(e.matches(r) for e in expected)]
    if unexpected:
        lines = "\n".join(
            f"  {logging.getLevelName(r.levelno)} {r.name}: {r.getMessage()}"
            + (
                f" ({r.exc_info[0].__name__}: {r.exc_info[1]})"
                if r.exc_info and r.exc_info[0]
                else ""
            )
            for r in unexpected[:10]
        )
        pytest.fail(
            f"{len(unexpected)} unexpected log record(s) at WARNING or above "
            f"(declare expected ones with the expect_log fixture):\n{lines}",
            pytrace=False,
        )
