"""Launcher entry and theme icons: valid for the desktop, installable from a venv, in sync.

What a user would notice: NeckCare missing from the applications menu (invalid entry), a
menu entry that does nothing (``Exec`` not found from a venv), a blank or blurry icon (PNG
missing, wrong size, or stale after the SVG changed), or leftovers after uninstalling.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from neckcare_desktop.cli import build_parser
from neckcare_desktop.platform.desktop_entry import (
    ICON_SIZES,
    install_desktop_entry,
    shipped_desktop_file,
    shipped_icons,
    uninstall_desktop_entry,
)
from neckcare_desktop.platform.desktop_file import read_desktop_group, split_exec
from neckcare_desktop.resources import resource_path

ROOT = Path(__file__).resolve().parents[1]
MAKE_ICONS = ROOT / "tools" / "make_icons.py"
VENV_COMMAND = ["/home/Jane Doe/venvs/neck care/bin/neckcare"]
ACTIONS = ("ice", "heat", "break")


def validate(path: Path) -> None:
    """desktop-file-validate must accept ``path`` without a single hint or warning."""
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        if os.environ.get("CI") == "true":
            pytest.fail("desktop-file-validate is required on CI (package desktop-file-utils)")
        pytest.skip("desktop-file-validate is not installed")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout


def group(path: Path, name: str = "Desktop Entry") -> dict[str, str]:
    values = read_desktop_group(path, name)
    assert values is not None, f"{path} has no [{name}] group"
    return values


def data_home() -> Path:
    return Path(os.environ["XDG_DATA_HOME"])


# --- the shipped entry ----------------------------------------------------------------------


def test_shipped_entry_passes_desktop_file_validate() -> None:
    validate(shipped_desktop_file())


def test_shipped_entry_describes_neckcare() -> None:
    entry = group(shipped_desktop_file())
    assert entry["Type"] == "Application"
    assert entry["Name"] == "NeckCare"
    assert entry["GenericName"] == "Posture break reminder"
    assert entry["Comment"] == "Posture-break reminders and ice/heat timers"
    # In the foreground: a launcher starts a process it may watch, with no terminal to free.
    assert entry["Exec"] == "neckcare --foreground"
    assert build_parser().parse_args(split_exec(entry["Exec"])[1:]).foreground
    assert entry["Icon"] == "neckcare-desktop"
    assert entry["Terminal"] == "false"
    assert entry["StartupNotify"] == "false"
    assert "Utility" in entry["Categories"].split(";")
    assert {"posture", "neck", "ice", "heat"} <= set(entry["Keywords"].split(";"))
    assert [a for a in entry["Actions"].split(";") if a] == list(ACTIONS)


@pytest.mark.parametrize(
    ("action", "label"),
    [("ice", "Start ice"), ("heat", "Start heat"), ("break", "Take a posture break")],
)
def test_every_action_runs_a_real_neckcare_command(action: str, label: str) -> None:
    """A right-click action must map to a CLI subcommand that exists, or it does nothing."""
    values = group(shipped_desktop_file(), f"Desktop Action {action}")
    assert values["Name"] == label
    program, *args = split_exec(values["Exec"])
    assert program == "neckcare"
    assert build_parser().parse_args(args).command == action


# --- installing -----------------------------------------------------------------------------


def test_install_writes_the_entry_and_all_nine_icons_into_xdg_data_home() -> None:
    written = install_desktop_entry(command=VENV_COMMAND)

    home = data_home()
    entry_path = home / "applications" / "neckcare-desktop.desktop"
    expected_icons = [
        home / "icons" / "hicolor" / f"{n}x{n}" / "apps" / "neckcare-desktop.png"
        for n in (16, 22, 24, 32, 48, 64, 128, 256)
    ] + [home / "icons" / "hicolor" / "scalable" / "apps" / "neckcare-desktop.svg"]
    assert written == [entry_path, *expected_icons]
    for path in written:
        assert path.is_file() and path.stat().st_size > 0, path
    for icon in expected_icons:
        shipped = resource_path("icons", "hicolor", *icon.relative_to(home / "icons/hicolor").parts)
        assert icon.read_bytes() == shipped.read_bytes()


def test_installed_entry_runs_this_installation_by_absolute_path() -> None:
    (entry_path, *_) = install_desktop_entry(command=VENV_COMMAND)

    main = group(entry_path)
    assert split_exec(main["Exec"]) == [*VENV_COMMAND, "--foreground"]
    assert Path(split_exec(main["Exec"])[0]).is_absolute()
    # The menu entry disappears rather than failing once this venv is deleted.
    assert main["TryExec"] == VENV_COMMAND[0]
    assert main["Icon"] == "neckcare-desktop"
    for action in ACTIONS:
        values = group(entry_path, f"Desktop Action {action}")
        assert split_exec(values["Exec"]) == [*VENV_COMMAND, action]
    validate(entry_path)


def test_install_defaults_to_the_launch_command_of_this_interpreter() -> None:
    (entry_path, *_) = install_desktop_entry()
    program, *args = split_exec(group(entry_path)["Exec"])
    assert Path(program).is_absolute()
    result = subprocess.run(
        [program, *args, "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("neckcare ")


def test_python_module_command_keeps_its_arguments_before_the_action(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "neckcare_desktop"]
    (entry_path, *_) = install_desktop_entry(data_home=tmp_path / "share", command=command)
    assert entry_path == tmp_path / "share" / "applications" / "neckcare-desktop.desktop"
    assert split_exec(group(entry_path, "Desktop Action heat")["Exec"]) == [*command, "heat"]
    validate(entry_path)


def test_install_is_idempotent() -> None:
    first = install_desktop_entry(command=VENV_COMMAND)
    contents = {path: path.read_bytes() for path in first}
    second = install_desktop_entry(command=VENV_COMMAND)
    assert second == first
    assert {path: path.read_bytes() for path in second} == contents
    apps = data_home() / "applications"
    assert [p.name for p in apps.iterdir()] == ["neckcare-desktop.desktop"]  # no temp files


def test_reinstall_from_another_venv_points_the_entry_there() -> None:
    install_desktop_entry(command=VENV_COMMAND)
    (entry_path, *_) = install_desktop_entry(command=["/opt/neckcare/bin/neckcare"])
    assert split_exec(group(entry_path)["Exec"]) == ["/opt/neckcare/bin/neckcare", "--foreground"]
    assert entry_path.read_text(encoding="utf-8").count("TryExec=") == 1


def test_uninstall_removes_exactly_what_install_wrote() -> None:
    home = data_home()
    other_icon = home / "icons" / "hicolor" / "48x48" / "apps" / "someone-else.png"
    other_icon.parent.mkdir(parents=True)
    other_icon.write_bytes(b"png")
    written = install_desktop_entry(command=VENV_COMMAND)

    removed = uninstall_desktop_entry()

    assert removed == written
    assert not any(path.exists() for path in written)
    assert other_icon.read_bytes() == b"png"
    assert uninstall_desktop_entry() == []


# --- the icons --------------------------------------------------------------------------------


def opaque_fraction(image: QImage) -> float:
    opaque = sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() > 200
    )
    return opaque / (image.width() * image.height())


@pytest.mark.parametrize("size", ICON_SIZES)
def test_shipped_png_has_its_folder_size_and_a_visible_badge(qapp: object, size: int) -> None:
    path = resource_path("icons", "hicolor", f"{size}x{size}", "apps", "neckcare-desktop.png")
    image = QImage(str(path))
    assert not image.isNull(), path
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()
    assert opaque_fraction(image) > 0.6  # the badge fills the square...
    assert image.pixelColor(0, 0).alpha() < 128  # ...with transparent rounded corners
    middle = image.pixelColor(size // 2, size // 3)  # the white head of the silhouette
    assert (middle.red(), middle.green(), middle.blue()) == pytest.approx((255, 255, 255), abs=40)


def test_scalable_icon_is_the_app_svg() -> None:
    scalable = resource_path("icons", "hicolor", "scalable", "apps", "neckcare-desktop.svg")
    assert scalable.read_bytes() == resource_path("icons", "neckcare.svg").read_bytes()
    assert [p.as_posix() for p in shipped_icons()][-1] == "scalable/apps/neckcare-desktop.svg"


def mean_difference(a: QImage, b: QImage) -> float:
    a = a.convertToFormat(QImage.Format.Format_ARGB32)
    b = b.convertToFormat(QImage.Format.Format_ARGB32)
    total = 0
    for y in range(a.height()):
        for x in range(a.width()):
            ca, cb = a.pixelColor(x, y), b.pixelColor(x, y)
            total += sum(
                abs(p - q)
                for p, q in zip(ca.getRgb(), cb.getRgb(), strict=True)  # r, g, b, alpha
            )
    return total / (a.width() * a.height() * 4)


def test_make_icons_regenerates_the_shipped_pngs(qapp: object, tmp_path: Path) -> None:
    """Stale PNGs (SVG edited, tool not re-run) would show an old logo in the menu."""
    out = tmp_path / "hicolor"
    result = subprocess.run(
        [sys.executable, str(MAKE_ICONS), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for relative in shipped_icons():
        fresh = out / relative
        shipped = resource_path("icons", "hicolor", *relative.parts)
        assert fresh.is_file(), relative
        if relative.suffix == ".svg":
            assert fresh.read_bytes() == shipped.read_bytes()
            continue
        new, old = QImage(str(fresh)), QImage(str(shipped))
        assert new.size() == old.size(), relative
        # Antialiasing may differ by a level or two between Qt versions, a new logo far more.
        assert mean_difference(new, old) < 2.0, relative
