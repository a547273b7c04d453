"""Shared test setup: every Qt test runs offscreen unless it is an end-to-end test."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The app under test must never touch the developer's real files.
os.environ.pop("NECKCARE_TIME_SCALE", None)

from neckcare_desktop.core.clock import ManualClock

#: A fixed zone one hour east of UTC, so offsets in ISO strings are visible in tests.
TEST_TZ = timezone(timedelta(hours=1), "TEST")


@pytest.fixture
def clock() -> ManualClock:
    """A manual clock starting on a Monday morning at 09:00 in TEST_TZ."""
    return ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=TEST_TZ))


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
    import neckcare_desktop.app as app_module
    from neckcare_desktop.presence import PresenceWatcher

    def quiet(clock, scale, parent):
        return PresenceWatcher(lambda: None, lambda: None, clock, scale, parent)

    monkeypatch.setattr(app_module, "default_presence", quiet)
