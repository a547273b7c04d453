"""What a started NeckCare holds: only what showing the tray and waiting for the next break need.

The budget (``bench/run.py``) is resident memory within 15 % of a bare PySide6 tray. These
tests keep out what once broke it, in a fresh ``neckcare`` process started the way a person
starts it (``cli.main`` with no arguments): windows and Qt modules that load on first use,
QtNetwork on POSIX (the command socket is a stdlib one there), and the source text of every
imported module, which PySide6's import hook used to leave in ``linecache`` (7.6 MB).
And every top-level package it holds is on an allowlist with its reason, so a new one
(the way asyncio and ssl once came in unnoticed) fails by name.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import neckcare_desktop
from fresh_python import run_json

SRC_DIR = Path(neckcare_desktop.__file__).resolve().parents[1]

#: Runs the real entry point; reports once the app object has been built and settled.
#: An audit hook sees the import of ``neckcare_desktop.app`` (which happens only after the
#: tray icon is up) without importing anything earlier than the entry point itself does.
STARTED_APP_CODE = r"""
import json, linecache, sys

def report():
    print(json.dumps({"modules": sorted(sys.modules), "sources": sorted(linecache.cache)}))
    sys.stdout.flush()
    sys.modules["PySide6.QtWidgets"].QApplication.instance().exit(0)

def on_event(event, args):
    if event == "import" and args[0] == "neckcare_desktop.app":
        sys.modules["PySide6.QtCore"].QTimer.singleShot(500, report)

sys.addaudithook(on_event)
from neckcare_desktop import cli
sys.exit(cli.main(["--foreground"]))
"""

#: Loaded when a person first opens or needs them, never at start.
ON_FIRST_USE = (
    "PySide6.QtCharts",
    "PySide6.QtMultimedia",
    "PySide6.QtSvgWidgets",
    "neckcare_desktop.ui.history.window",
    "neckcare_desktop.ui.settings_dialog",
    "neckcare_desktop.ui.break_window",
    "neckcare_desktop.ui.spasm_dialog",
    "neckcare_desktop.ui.therapy_alert",
)


#: Top-level packages a started NeckCare may hold beyond what the interpreter itself loads
#: (``python -c pass`` here, site's ``.pth`` files included) and the private parts of the
#: standard library (``_ssl``, ``_sqlite3``…, each loaded by a public module listed here).
#: Each one costs memory in every running NeckCare: a new one fails
#: ``test_only_allowed_packages_are_loaded_at_start`` with its name. Add it here only
#: with the reason; better, load it where it is first used.
ALLOWED_AT_START = {
    # NeckCare and the dependencies it starts with.
    "neckcare_desktop": "the app",
    "PySide6": "Qt: the tray icon, its menu and the event loop",
    "shiboken6": "PySide6's bindings",
    "shibokensupport": "embedded in shiboken6",
    "signature_bootstrap": "embedded in shiboken6",
    "__feature__": "PySide6's feature switches",
    "apscheduler": "the scheduler (scheduling.py)",
    "tzlocal": "APScheduler's local time zone",
    "platformdirs": "where settings, history and the log live (paths.py)",
    "tomli_w": "writes settings.toml (core.settings_file)",
    "tomllib": "reads settings.toml and stretches.toml",
    "sqlite3": "the history",
    "csv": "the history's export (core.history)",
    "uuid": "the pending journal's ids (core.history)",
    "platform": "uuid",
    "ctypes": "D-Bus argument types (platform.dbus_args), the X11 readers, malloc_trim",
    "html": "the status window's text (ui.status_window)",
    "argparse": "the command line (cli.py)",
    "gettext": "argparse",
    "textwrap": "cli.py, traceback",
    "subprocess": "cli.py starts the app detached; sound players",
    "select": "subprocess",
    "selectors": "subprocess",
    "fcntl": "subprocess, the instance lock",
    "signal": "subprocess, the quit signals",
    "getpass": "the user's name in the command socket's path (platform.instance_client)",
    "termios": "getpass",
    "socket": "the command socket (platform.local_socket_unix)",
    "array": "socket",
    "tempfile": "core.atomic_file",
    "shutil": "tempfile",
    "random": "tempfile",
    "bisect": "random",
    "zlib": "shutil",
    "bz2": "shutil",
    "lzma": "shutil",
    "zipfile": "shiboken6",
    "base64": "shiboken6",
    "binascii": "zipfile",
    "struct": "zipfile",
    "pickle": "logging.handlers (the log file)",
    "queue": "logging.handlers",
    "heapq": "queue",
    "urllib": "pathlib",
    "ipaddress": "urllib.parse",
    "fnmatch": "pathlib",
    "ntpath": "pathlib",
    "dataclasses": "core's value types",
    "copy": "dataclasses",
    "inspect": "dataclasses",
    "ast": "inspect",
    "dis": "inspect",
    "opcode": "dis",
    "traceback": "logging",
    "linecache": "traceback",
    "tokenize": "linecache",
    "token": "tokenize",
    "string": "logging",
    "atexit": "logging",
    "email": "importlib.metadata",
    "quopri": "email",
    "calendar": "email, apscheduler.util",
    "zoneinfo": "tzlocal",
    "sysconfig": "zoneinfo",
    # What APScheduler 3 brings: apscheduler.util takes iscoroutinefunction from asyncio
    # (before Python 3.14), and asyncio imports ssl; the default thread pool it builds
    # imports concurrent.futures and multiprocessing. The floor tray of bench/run.py
    # holds them too; APScheduler is the product's chosen scheduler.
    "asyncio": "apscheduler.util (Python < 3.14)",
    "contextvars": "asyncio",
    "concurrent": "apscheduler.executors.pool",
    "multiprocessing": "apscheduler.executors.pool",
    "__mp_main__": "multiprocessing's alias of __main__",
    # The standard library's everyday modules.
    "__future__": "annotations",
    "abc": "everywhere",
    "contextlib": "everywhere",
    "datetime": "everywhere",
    "errno": "everywhere",
    "gc": "app.py",
    "importlib": "everywhere",
    "locale": "everywhere",
    "logging": "everywhere",
    "math": "everywhere",
    "pathlib": "everywhere",
    "threading": "everywhere",
    "typing": "everywhere",
    "warnings": "everywhere",
    "weakref": "everywhere",
}


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    home = tmp_path_factory.mktemp("footprint")
    run_dir = home / "run"
    run_dir.mkdir(mode=0o700)
    config = home / "config" / "neckcare-desktop"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text("[app]\nautostart_asked = true\n")
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC_DIR),
        "QT_QPA_PLATFORM": "offscreen",
        "NECKCARE_SOCKET": str(run_dir / "n.sock"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    return run_json(STARTED_APP_CODE, env)


@pytest.fixture(scope="module")
def python_itself() -> set[str]:
    """The top-level modules a bare interpreter here loads (its version, its site)."""
    code = "import json, sys; print(json.dumps(sorted(sys.modules)))"
    return {m.split(".")[0] for m in run_json(code, {**os.environ, "PYTHONPATH": str(SRC_DIR)})}


def _private_stdlib(name: str) -> bool:
    # _ssl, _sqlite3, _sysconfigdata_…: parts of a public module that is checked itself.
    return name.startswith("_sysconfigdata_") or (
        name.startswith("_") and not name.startswith("__") and name in sys.stdlib_module_names
    )


def test_only_allowed_packages_are_loaded_at_start(started, python_itself):
    """A top-level package nobody chose (the way asyncio and ssl came in) fails by name."""
    loaded = {m.split(".")[0] for m in started["modules"]}
    assert "neckcare_desktop" in loaded and "PySide6" in loaded
    unexpected = sorted(
        name
        for name in loaded - python_itself - ALLOWED_AT_START.keys()
        if not _private_stdlib(name)
    )
    assert unexpected == [], "loaded at start, not in ALLOWED_AT_START"


def test_windows_and_heavy_qt_modules_wait_for_first_use(started):
    assert [m for m in ON_FIRST_USE if m in started["modules"]] == []


@pytest.mark.skipif(sys.platform == "win32", reason="Windows serves commands with QtNetwork")
def test_no_qtnetwork_on_posix(started):
    assert "neckcare_desktop.platform.single_instance" in started["modules"]
    assert [m for m in started["modules"] if m.startswith("PySide6.QtNetwork")] == []


def test_no_module_source_is_kept_in_memory(started):
    """PySide6 reads every imported module's source; none of it may stay in linecache."""
    assert started["sources"] == []


LEAN_CHECK_CODE = r"""
import json, linecache, sys
from neckcare_desktop import lean_imports
installed = lean_imports.install()
from neckcare_desktop.core.settings import Settings  # PySide6 looks at "from" imports
from neckcare_desktop.ui.actions import AppActions
feature = sys.modules["shibokensupport.feature"]
print(json.dumps({
    "installed": installed,
    "again": lean_imports.install(),
    "settings": feature.pyside_feature_dict.get("neckcare_desktop.core.settings"),
    "actions": feature.pyside_feature_dict.get("neckcare_desktop.ui.actions"),
    "sources": sorted(linecache.cache),
}))
"""


def test_lean_check_gives_pyside_the_same_answers_and_keeps_nothing():
    """PySide6 still learns which modules use it (0) and which do not (-1); a PySide6
    release without the hook makes ``install`` return False and this test fail."""
    env = {**os.environ, "PYTHONPATH": str(SRC_DIR), "QT_QPA_PLATFORM": "offscreen"}
    assert run_json(LEAN_CHECK_CODE, env) == {
        "installed": True,
        "again": True,
        "settings": -1,
        "actions": 0,
        "sources": [],
    }


def test_no_tls_library_is_loaded(started):
    """asyncio (APScheduler's) would load ssl and OpenSSL, ~3 MB for a tray that opens no TLS
    connection: scheduling.py imports APScheduler without it (lean_imports.without_ssl)."""
    assert [m for m in started["modules"] if m in ("ssl", "_ssl")] == []


def test_without_ssl_leaves_ssl_importable_afterwards():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from neckcare_desktop.lean_imports import without_ssl\n"
        "with without_ssl():\n"
        "    import asyncio\n"
        "assert 'ssl' not in sys.modules, 'ssl came in'\n"
        "import ssl\n"
        "print(ssl.OPENSSL_VERSION.split()[0], asyncio.sslproto.ssl)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(SRC_DIR)},
    )
    assert out.stdout.split() == ["OpenSSL", "None"]
