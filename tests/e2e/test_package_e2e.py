"""The Debian package, installed as a person installs it, on the real X desktop.

The module builds the ``.deb`` with ``packaging/build_deb.py`` (about a minute and a half;
``NECKCARE_DEB=path`` tests a package built before instead), installs it with
``apt-get install``, and then drives the *installed* app: started through its desktop
entry's ``Exec`` line as a launcher would, its icon docks, ``neckcare ice --minutes 1`` ends
in the alert, ``neckcare autostart on`` names the installed command; ``apt-get remove``
leaves the person's settings and history, and the package installed again finds them. The
package is purged at the end.

Installing needs root (CI runs as root): elsewhere these tests skip, and fail on CI.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from neckcare_desktop.platform.desktop_file import read_desktop_group, split_exec

from . import gnome_desktop
from .conftest import REPO_ROOT, skip_module_without_prerequisites, skip_or_fail
from .desktop import KEEP_SETTINGS, Desktop, NeckCare, wait_until

pytestmark = pytest.mark.e2e
skip_module_without_prerequisites()

# The GNOME rig's fixtures, used by name (one headless GNOME Shell for the Wayland test).
gnome = gnome_desktop.gnome
start_gnome_neckcare = gnome_desktop.start_gnome_neckcare

PACKAGE = "neckcare-desktop"
PREFIX = Path("/opt/neckcare-desktop")
COMMAND = Path("/usr/bin/neckcare")
ENTRY = Path("/usr/share/applications/neckcare-desktop.desktop")
METAINFO = Path("/usr/share/metainfo/org.neckcare.desktop.metainfo.xml")
COPYRIGHT = Path("/usr/share/doc/neckcare-desktop/copyright")
ICE_ALERT = "Ice time is up — NeckCare"
#: Well under the ~700 MB of a venv with the whole of PySide6 (the package is ~100 MB).
MAX_INSTALLED_MB = 200
#: The first ice round of a person asks the first-use safety questions: answered already.
SETTINGS = {"therapy": {"safety_asked": True}}
#: What the package must build with and install with.
TOOLS = ("apt-get", "dpkg", "dpkg-deb", "appstreamcli", "desktop-file-validate")


def apt(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["apt-get", "-y", "-q", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, f"apt-get {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result


def installed() -> bool:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", PACKAGE], capture_output=True, text=True
    )
    return result.stdout.strip() == "install ok installed"


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package: ``NECKCARE_DEB``, else built from this tree now."""
    if os.geteuid() != 0:
        skip_or_fail("installing the package needs root (apt-get install); CI runs as root")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        skip_or_fail(f"the package tests need {', '.join(missing)}: apt-get install appstream")
    if installed():
        skip_or_fail(f"{PACKAGE} is installed on this machine already; the test would replace it")
    given = os.environ.get("NECKCARE_DEB")
    if given:
        return Path(given).resolve()
    out = tmp_path_factory.mktemp("deb")
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "packaging" / "build_deb.py"),
            "--out",
            str(out),
            "--work",
            str(out / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, f"build_deb.py failed:\n{result.stdout}\n{result.stderr}"
    (built,) = out.glob(f"{PACKAGE}_*.deb")
    return built


@pytest.fixture(scope="module")
def package(deb: Path) -> Iterator[Path]:
    """The package installed with apt-get (as a person would), purged afterwards."""
    apt("install", str(deb))
    try:
        yield deb
    finally:
        if installed():
            apt("purge", PACKAGE)
        assert not PREFIX.exists(), f"{PREFIX} is left after purging the package"


@pytest.fixture
def start_installed(
    package: Path, start_neckcare: Callable[..., NeckCare]
) -> Callable[..., NeckCare]:
    """Start the installed app as a launcher runs the desktop entry: its ``Exec`` line,
    the program found on the PATH (where /usr/bin comes first)."""
    entry = read_desktop_group(ENTRY)
    assert entry is not None, f"{ENTRY} has no [Desktop Entry] group"
    command = split_exec(entry["Exec"])

    def start(settings: Any = None, **kwargs: Any) -> NeckCare:
        return start_neckcare(
            SETTINGS if settings is None else settings,
            executable=COMMAND,
            command=command,
            **kwargs,
        )

    return start


def mapped_files(pid: int) -> set[str]:
    lines = Path(f"/proc/{pid}/maps").read_text().splitlines()
    return {line.split(maxsplit=5)[5] for line in lines if len(line.split(maxsplit=5)) == 6}


def installed_size_mb() -> float:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Installed-Size}", PACKAGE], capture_output=True, text=True
    )
    return int(result.stdout) / 1024


# -- the tests ---------------------------------------------------------------------------------


def test_the_package_installs_a_command_an_entry_icons_metainfo_and_a_copyright(package):
    assert COMMAND.is_symlink() and os.access(COMMAND, os.X_OK)
    version = subprocess.run([str(COMMAND), "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("neckcare "), version

    entry = read_desktop_group(ENTRY)
    assert entry is not None
    assert split_exec(entry["Exec"]) == ["neckcare", "--foreground"]
    assert entry["Icon"] == "neckcare-desktop"
    validated = subprocess.run(
        ["desktop-file-validate", str(ENTRY)], capture_output=True, text=True
    )
    assert validated.returncode == 0 and not validated.stdout.strip(), validated.stdout

    checked = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert '<launchable type="desktop-id">neckcare-desktop.desktop</launchable>' in (
        METAINFO.read_text(encoding="utf-8")
    )
    for size in ("16x16", "48x48", "256x256"):
        assert Path(f"/usr/share/icons/hicolor/{size}/apps/neckcare-desktop.png").is_file()
    assert Path("/usr/share/icons/hicolor/scalable/apps/neckcare-desktop.svg").is_file()
    copyright_text = COPYRIGHT.read_text(encoding="utf-8")
    assert copyright_text.startswith("Format: https://www.debian.org/doc/packaging-manuals/")
    assert "License: MIT" in copyright_text

    size = installed_size_mb()
    print(f"installed size: {size:.0f} MB")
    assert size < MAX_INSTALLED_MB, f"installed size {size:.0f} MB"
    qt_lib = next(PREFIX.glob("lib/python3*/site-packages/PySide6/Qt/lib"))
    kept = {path.name for path in qt_lib.iterdir()}
    assert "libQt6Widgets.so.6" in kept
    for left_out in ("libQt6WebEngineCore.so.6", "libQt6Quick.so.6", "libQt6Multimedia.so.6"):
        assert left_out not in kept


def test_the_installed_app_starts_from_its_desktop_entry_and_works(
    start_installed, desktop: Desktop
):
    app = start_installed(time_scale=60)  # waits for "neckcare ready" and the docked icon
    assert app.docked_icon() is not None
    # The installed files run, not this checkout's venv.
    maps = mapped_files(app.pid)
    assert any(path.startswith(f"{PREFIX}/") and "libQt6Core" in path for path in maps), maps
    assert not [path for path in maps if path.startswith(str(REPO_ROOT))]

    # 1 minute at ×60: the alert comes after a second.
    started = app.cli("ice", "--minutes", "1")
    assert started.returncode == 0, started.stderr
    alert = desktop.wait_for_window(ICE_ALERT, timeout=20, pid=app.pid)
    app.wait_for_event("therapy_completed", "ice")
    desktop.press_button(alert, 0)  # "I've taken it off"
    desktop.wait_window_gone(alert)

    turned_on = app.cli("autostart", "on")
    assert turned_on.returncode == 0, turned_on.stderr
    autostart = Path(app.env["XDG_CONFIG_HOME"]) / "autostart" / "neckcare-desktop.desktop"
    values = read_desktop_group(autostart)
    assert values is not None, autostart
    # The installed command, by the name it has on the PATH, in the foreground.
    assert split_exec(values["Exec"]) == [str(COMMAND), "--foreground"]


def test_the_installed_app_runs_on_gnome_on_wayland(package, start_gnome_neckcare):
    """Ubuntu and Fedora start GNOME on Wayland: the package's Qt must have what it needs
    there (the Wayland platform plugin, its shell integration) as well as on X11."""
    entry = read_desktop_group(ENTRY)
    assert entry is not None
    # Waits for "neckcare ready" with tray=True and the item registered with the shell.
    app = start_gnome_neckcare(SETTINGS, executable=COMMAND, command=split_exec(entry["Exec"]))
    maps = mapped_files(app.pid)
    plugin = [path for path in maps if path.endswith("/platforms/libqwayland.so")]
    assert plugin and plugin[0].startswith(f"{PREFIX}/"), sorted(maps)
    status = app.cli("status")
    assert status.returncode == 0, status.stderr


def test_removing_keeps_settings_and_history_and_installing_again_finds_them(
    start_installed, package: Path, desktop: Desktop, tmp_path: Path
):
    first = start_installed(time_scale=60)
    assert first.cli("ice", "--minutes", "1").returncode == 0
    alert = desktop.wait_for_window(ICE_ALERT, timeout=20, pid=first.pid)
    first.wait_for_event("therapy_completed", "ice")
    desktop.press_button(alert, 0)
    desktop.wait_window_gone(alert)
    assert first.cli("autostart", "on").returncode == 0
    assert first.cli("quit").returncode == 0
    first.wait_exit()
    autostart = Path(first.env["XDG_CONFIG_HOME"]) / "autostart" / "neckcare-desktop.desktop"
    kept = {
        path: path.read_bytes() for path in (first.settings_file, first.history_file, autostart)
    }

    apt("remove", PACKAGE)
    assert not COMMAND.exists() and not PREFIX.exists()
    for path, content in kept.items():
        assert path.read_bytes() == content, f"{path} changed when the package was removed"

    apt("install", str(package))
    # The same person's folders, the settings file as the first app left it.
    again = NeckCare(
        desktop,
        first.home,
        settings=KEEP_SETTINGS,
        time_scale=60,
        executable=COMMAND,
        command=first.command,
    )
    try:
        again.start()
        assert again.settings_file.read_bytes() == kept[first.settings_file]
        rows = again.events("therapy_completed", "ice")
        assert len(rows) == 1, rows  # the round from before the removal, and no other
        exported = tmp_path / "history.csv"
        result = again.cli("history", "--csv", str(exported))
        assert result.returncode == 0, result.stderr
        with exported.open(encoding="utf-8") as handle:
            kinds = [row.get("kind") for row in csv.DictReader(handle)]
        assert "therapy_completed" in kinds, kinds
        assert again.cli("quit").returncode == 0
        again.wait_exit()
    finally:
        leftovers = again.stop()
    assert not leftovers
    wait_until(lambda: not again.is_running(), 10, "the app to quit")
