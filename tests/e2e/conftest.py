"""Fixtures for the end-to-end tests: a real X desktop and a fresh NeckCare per test.

* ``desktop`` (session): Xvfb on a free display + a private D-Bus session bus + trayer +
  dunst (see ``desktop.py``). Torn down once, then checked: nothing it started may survive.
* ``start_neckcare`` (function): a factory that writes the test's settings into a fresh,
  isolated set of XDG folders and starts the installed ``neckcare`` on that desktop with a
  compressed time scale, waiting for ``neckcare ready`` and the docked tray icon. At the end
  of the test every app is stopped and the test fails if any process it started lingers.
* ``artifacts``: where screenshots go: ``test-artifacts/e2e/`` at the repo root, or the
  folder named by ``NECKCARE_ARTIFACTS``. A failing test leaves a screenshot and the app's
  log there under ``failures/``.

Missing desktop tools skip these tests on a developer machine (one line, naming the Debian
packages) but fail them when ``CI=true``.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .desktop import (
    APP_WM_CLASS,
    APT_HINT,
    Desktop,
    DesktopError,
    NeckCare,
    cli_commands,
    missing_tools,
    neckcare_executable,
    wait_until,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip on a developer machine; on CI a missing prerequisite is a failure."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: not skipping)", pytrace=False)
    pytest.skip(reason)


def missing_prerequisites() -> str | None:
    """Why the e2e tests cannot run here (one line), or None."""
    missing = missing_tools()
    if missing:
        return f"e2e tests need {', '.join(missing)}: {APT_HINT}"
    return None


def skip_module_without_prerequisites() -> None:
    """Call at the top of an e2e test module: one SKIPPED line for the whole module.

    On CI nothing happens here: the ``desktop`` fixture then fails every selected test, and
    a run that deselects the e2e tests (``-m "not e2e"``) is not failed by their absence.
    """
    reason = missing_prerequisites()
    if reason and not in_ci():
        pytest.skip(reason, allow_module_level=True)


def require_cli(*commands: str) -> None:
    """Skip (fail on CI) when this build's ``neckcare`` lacks these sub-commands."""
    missing = [c for c in commands if c not in cli_commands()]
    if missing:
        skip_or_fail(f"neckcare has no {'/'.join(missing)} command yet (single-instance CLI)")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    setattr(item, f"_e2e_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(os.environ.get("NECKCARE_ARTIFACTS") or REPO_ROOT / "test-artifacts" / "e2e")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(folder / "failures", ignore_errors=True)  # only this run's failures
    return folder


@pytest.fixture(scope="session")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    reason = missing_prerequisites()
    if reason:
        skip_or_fail(reason)
    if not neckcare_executable().exists():
        pytest.fail(
            f"{neckcare_executable()} not found: install the package (pip install -e .)",
            pytrace=False,
        )
    rig = None
    for attempt in (1, 2):  # a display number raced away by another X server: try once more
        rig = Desktop(tmp_path_factory.mktemp("e2e-desktop"))
        try:
            rig.start()
            break
        except DesktopError as exc:
            if attempt == 2:
                pytest.fail(f"could not start the test desktop: {exc}", pytrace=False)
    assert rig is not None
    yield rig
    leftovers = rig.stop()
    assert not leftovers, "desktop processes survived teardown: " + ", ".join(leftovers)


@pytest.fixture
def start_neckcare(
    desktop: Desktop, tmp_path: Path, artifacts: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[..., NeckCare]]:
    """``start_neckcare(settings={...}, time_scale=60)`` -> a running, docked NeckCare."""
    apps: list[NeckCare] = []

    def start(
        settings: dict[str, Any] | str | None = None, *, time_scale: float = 60, **kwargs: Any
    ) -> NeckCare:
        app = NeckCare(
            desktop,
            tmp_path / f"home{len(apps)}",
            settings=settings,
            time_scale=time_scale,
            **kwargs,
        )
        apps.append(app)
        return app.start()

    yield start

    report = getattr(request.node, "_e2e_report_call", None)
    if report is not None and report.failed:
        failures = artifacts / "failures"
        try:
            desktop.screenshot(failures / f"{request.node.name}.png")
        except Exception as exc:  # the failure itself matters more than its screenshot
            print(f"no failure screenshot: {exc}")
        for index, app in enumerate(apps):
            if app.log_file.exists():
                shutil.copy(app.log_file, failures / f"{request.node.name}-{index}.log")

    problems = []
    for app in apps:
        problems += app.stop()
    problems += _unexpected_log_errors(apps, request)
    # The next test must start from an empty tray: no icon of ours may be left docked.
    try:
        desktop.check_alive()
        wait_until(
            lambda: not desktop.tray_icons(APP_WM_CLASS), 10, "NeckCare icons to leave the tray"
        )
    except DesktopError as exc:
        problems.append(str(exc))
    assert not problems, "left behind after the test: " + "; ".join(problems)


def _unexpected_log_errors(apps: list[NeckCare], request: pytest.FixtureRequest) -> list[str]:
    """ERROR lines in the app's own log fail the test, as in the offscreen suite.

    The app logs and carries on when something breaks (so a reminder is never lost); an
    end-to-end test that passes over such a line would hide the bug. A test that provokes
    one declares it with ``@pytest.mark.expect_log(logger, logging.ERROR, regex)``.
    """
    expected = [m.args for m in request.node.iter_markers("expect_log")]
    found = []
    for app in apps:
        if not app.log_file.exists():
            continue
        for line in app.log_file.read_text(errors="replace").splitlines():
            match = re.match(r"\S+ \S+ (ERROR|CRITICAL)\s+(\S+): (.*)", line)
            if match is None:
                continue
            _, name, message = match.groups()
            if any(
                (name == logger or name.startswith(logger + "."))
                and level >= logging.ERROR
                and re.search(pattern, message)
                for logger, level, pattern in expected
            ):
                continue
            found.append(f"{app.log_file.name}: {line}")
    return [f"unexpected ERROR in the app's log: {line}" for line in found[:10]]
