"""Start at login: each backend writes exactly what its OS reads, and reads it back honestly.

The Linux backend is exercised for real (files in a temp XDG_CONFIG_HOME, checked with
``desktop-file-validate`` and launched through GLib's own launcher when available); the
Windows and macOS backends run against an in-memory registry and a temp home folder.
"""

from __future__ import annotations

import json
import os
import plistlib
import shutil
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from neckcare_desktop.platform.autostart import (
    MacLaunchAgent,
    WindowsRunKey,
    XdgAutostart,
    default_backend,
    launch_command,
    program_command,
)
from neckcare_desktop.platform.desktop_file import format_exec, read_desktop_group, split_exec

SPACED_COMMAND = ["/home/Jane Doe/my venv/bin/neckcare"]
VALIDATOR = shutil.which("desktop-file-validate")


def validate_desktop_file(path: Path) -> None:
    """Run desktop-file-validate; missing tool skips locally but fails on CI."""
    if VALIDATOR is None:
        if os.environ.get("CI") == "true":
            pytest.fail("desktop-file-validate is required on CI (package desktop-file-utils)")
        pytest.skip("desktop-file-validate is not installed")
    result = subprocess.run([VALIDATOR, str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    # It prints hints and warnings with exit status 0; NeckCare's entries have none.
    assert result.stdout.strip() == "", result.stdout


# --- Exec quoting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["/usr/bin/neckcare"], "/usr/bin/neckcare"),
        (["/opt/python3", "-m", "neckcare_desktop"], "/opt/python3 -m neckcare_desktop"),
        (SPACED_COMMAND, '"/home/Jane Doe/my venv/bin/neckcare"'),
        (["/a/100%/b"], "/a/100%%/b"),
        # Quoting escapes " ` $ \ with a backslash, then the string escaping doubles every
        # backslash: the spec's "four backslashes for one literal backslash".
        (['/x/say "hi"'], r'"/x/say \\"hi\\""'),
        (["/x/$HOME/`id`"], r'"/x/\\$HOME/\\`id\\`"'),
        ([r"C:\x y"], r'"C:\\\\x y"'),
        (["/bin/prog", ""], '/bin/prog ""'),
        (["/bin/prog", "a;b", "~"], '/bin/prog "a;b" "~"'),
    ],
)
def test_exec_quoting_follows_the_desktop_entry_spec(command: list[str], expected: str) -> None:
    assert format_exec(command) == expected
    assert split_exec(expected) == command


def test_exec_quoting_round_trips_awkward_arguments() -> None:
    command = ["/p/a b", "tab\there", "new\nline", "100%", "'single'", "\\", "=", "(x)"]
    assert split_exec(format_exec(command)) == command


def test_exec_split_rejects_an_unterminated_quote() -> None:
    with pytest.raises(ValueError, match="unterminated"):
        split_exec('"/bin/oops')


# --- Linux: XDG autostart -------------------------------------------------------------------


def test_xdg_entry_lives_in_xdg_config_home() -> None:
    backend = XdgAutostart()
    expected = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "neckcare-desktop.desktop"
    assert backend.path == expected
    assert backend.describe() == str(expected)


def test_xdg_falls_back_to_dot_config_when_the_variable_is_unset_or_relative(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for value in ("", "relative/config"):
        monkeypatch.setenv("XDG_CONFIG_HOME", value)
        assert XdgAutostart().path == Path.home() / ".config/autostart/neckcare-desktop.desktop"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert XdgAutostart().path == Path.home() / ".config/autostart/neckcare-desktop.desktop"


def test_xdg_enable_writes_a_valid_entry_for_a_path_with_spaces() -> None:
    backend = XdgAutostart()
    assert not backend.is_enabled()

    backend.enable(SPACED_COMMAND)

    assert backend.is_enabled()
    entry = read_desktop_group(backend.path)
    assert entry is not None
    assert entry == {
        "Type": "Application",
        "Name": "NeckCare",
        "Comment": "Posture-break reminders and ice/heat timers",
        "Exec": '"/home/Jane Doe/my venv/bin/neckcare"',
        "Icon": "neckcare-desktop",
        "Terminal": "false",
        "Categories": "Utility;",
        "StartupNotify": "false",
        "X-GNOME-Autostart-enabled": "true",
    }
    assert split_exec(entry["Exec"]) == SPACED_COMMAND
    assert backend.path.read_text(encoding="utf-8").startswith("[Desktop Entry]\n")
    mode = stat.S_IMODE(backend.path.stat().st_mode)
    assert mode & 0o022 == 0, oct(mode)  # nobody else may change what runs at login
    validate_desktop_file(backend.path)


def test_xdg_enable_twice_replaces_the_entry_without_leftovers() -> None:
    backend = XdgAutostart()
    backend.enable(["/old/neckcare"])
    backend.enable(SPACED_COMMAND)
    entry = read_desktop_group(backend.path)
    assert entry is not None
    assert split_exec(entry["Exec"]) == SPACED_COMMAND
    # Atomic write: the temp file was renamed, not left next to the entry.
    assert sorted(p.name for p in backend.path.parent.iterdir()) == ["neckcare-desktop.desktop"]


def test_xdg_disable_removes_the_entry_and_tolerates_a_missing_one() -> None:
    backend = XdgAutostart()
    backend.disable()  # nothing there yet: no error
    backend.enable(SPACED_COMMAND)
    backend.disable()
    assert not backend.path.exists()
    assert not backend.is_enabled()
    backend.disable()


@pytest.mark.parametrize(
    "extra",
    ["Hidden=true", "X-GNOME-Autostart-enabled=false", "Hidden = True"],
)
def test_xdg_entry_switched_off_by_the_desktop_counts_as_disabled(extra: str) -> None:
    backend = XdgAutostart()
    backend.path.parent.mkdir(parents=True)
    backend.path.write_text(
        "[Desktop Entry]\nType=Application\nName=NeckCare\nExec=neckcare\n" + extra + "\n",
        encoding="utf-8",
    )
    assert not backend.is_enabled()


def test_xdg_keys_of_other_groups_do_not_count() -> None:
    backend = XdgAutostart()
    backend.path.parent.mkdir(parents=True)
    backend.path.write_text(
        textwrap.dedent(
            """\
            [Desktop Entry]
            Type=Application
            Name=NeckCare
            Exec=neckcare

            [Desktop Action ice]
            Name=Start ice
            Exec=neckcare ice
            Hidden=true
            """
        ),
        encoding="utf-8",
    )
    assert backend.is_enabled()


def test_xdg_disable_hides_a_system_wide_entry(tmp_path: Path) -> None:
    system = tmp_path / "etc-xdg"
    (system / "autostart").mkdir(parents=True)
    (system / "autostart" / "neckcare-desktop.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=NeckCare\nExec=neckcare\n", encoding="utf-8"
    )
    backend = XdgAutostart(config_dirs=[system])
    assert backend.is_enabled()  # the distro's entry starts NeckCare at login

    backend.disable()

    assert not backend.is_enabled()
    entry = read_desktop_group(backend.path)
    assert entry is not None and entry["Hidden"] == "true"
    hiding_entry = tmp_path / "hiding.desktop"
    hiding_entry.write_bytes(backend.path.read_bytes())
    backend.enable(SPACED_COMMAND)
    assert backend.is_enabled()
    validate_desktop_file(hiding_entry)


@pytest.fixture
def awkward_program(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """An executable under a folder named with a space, quote, dollar and backslash."""
    folder = tmp_path / 'My Apps/q"x $y \\z'
    folder.mkdir(parents=True)
    out = tmp_path / "argv.json"
    program = folder / "dump-args"
    program.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"open({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    program.chmod(0o755)
    yield program, out


@pytest.mark.skipif(shutil.which("gio") is None, reason="GLib's gio tool is not installed")
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG desktops only")
def test_glib_launches_the_autostart_entry_with_the_exact_arguments(
    awkward_program: tuple[Path, Path], qtbot: Any
) -> None:
    """GNOME's own launcher (GLib) must read our quoting back to the very same argv."""
    program, out = awkward_program
    args = ["a b", 'say "hi"', "back\\slash", "$HOME", "`id`", "", "50%"]
    backend = XdgAutostart()
    backend.enable([str(program), *args])

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run(
        ["gio", "launch", str(backend.path)], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: out.exists() and out.stat().st_size > 0, timeout=10_000)
    assert json.loads(out.read_text(encoding="utf-8")) == args


# --- Windows: Run key ---------------------------------------------------------------------


class FakeRegistry:
    """An in-memory stand-in for :mod:`winreg` with its error behaviour."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_QUERY_VALUE = 0x0001
    KEY_SET_VALUE = 0x0002
    REG_SZ = 1
    REG_EXPAND_SZ = 2
    REG_BINARY = 3

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], dict[str, tuple[Any, int]]] = {}
        self.opened: list[tuple[str, str, int]] = []

    class _Handle:
        def __init__(self, values: dict[str, tuple[Any, int]]) -> None:
            self.values = values

        def __enter__(self) -> FakeRegistry._Handle:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    def CreateKeyEx(self, key: str, sub_key: str, reserved: int, access: int) -> _Handle:
        self.opened.append((key, sub_key, access))
        return self._Handle(self.keys.setdefault((key, sub_key), {}))

    def OpenKey(self, key: str, sub_key: str, reserved: int, access: int) -> _Handle:
        self.opened.append((key, sub_key, access))
        if (key, sub_key) not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return self._Handle(self.keys[(key, sub_key)])

    def QueryValueEx(self, handle: _Handle, name: str) -> tuple[Any, int]:
        if name not in handle.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return handle.values[name]

    def SetValueEx(self, handle: _Handle, name: str, reserved: int, kind: int, value: Any) -> None:
        assert reserved == 0
        handle.values[name] = (value, kind)

    def DeleteValue(self, handle: _Handle, name: str) -> None:
        if name not in handle.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del handle.values[name]


RUN = ("HKCU", r"Software\Microsoft\Windows\CurrentVersion\Run")
APPROVED = ("HKCU", r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run")
WIN_COMMAND = [r"C:\Users\Jane Doe\venv\Scripts\pythonw.exe", "-m", "neckcare_desktop"]


def test_windows_enable_writes_the_run_value_as_a_quoted_reg_sz() -> None:
    reg = FakeRegistry()
    backend = WindowsRunKey(registry=reg)
    assert not backend.is_enabled()

    backend.enable(WIN_COMMAND)

    assert reg.keys[RUN] == {
        "NeckCare": (r'"C:\Users\Jane Doe\venv\Scripts\pythonw.exe" -m neckcare_desktop', 1)
    }
    assert ("HKCU", RUN[1], reg.KEY_SET_VALUE) in reg.opened
    assert backend.is_enabled()
    assert backend.describe() == (
        r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run\NeckCare"
    )


def test_windows_quotes_the_program_even_without_spaces_and_arguments_with_them() -> None:
    reg = FakeRegistry()
    WindowsRunKey(registry=reg).enable([r"C:\neckcare.exe", "a b", 'say "hi"'])
    assert reg.keys[RUN]["NeckCare"] == (r'"C:\neckcare.exe" "a b" "say \"hi\""', 1)


def test_windows_disable_removes_only_our_value() -> None:
    reg = FakeRegistry()
    reg.keys[RUN] = {"OneDrive": ("onedrive.exe", 1)}
    backend = WindowsRunKey(registry=reg)
    backend.disable()  # nothing to remove yet: no error
    backend.enable(WIN_COMMAND)
    backend.disable()
    assert reg.keys[RUN] == {"OneDrive": ("onedrive.exe", 1)}
    assert not backend.is_enabled()


def test_windows_respects_and_clears_the_task_manager_disable_switch() -> None:
    reg = FakeRegistry()
    backend = WindowsRunKey(registry=reg)
    backend.enable(WIN_COMMAND)
    # The user clicked "Disable" in Task Manager's Startup apps page.
    reg.keys[APPROVED] = {"NeckCare": (b"\x03" + bytes(11), reg.REG_BINARY)}
    assert not backend.is_enabled()

    backend.enable(WIN_COMMAND)  # ticking "start at login" in NeckCare must really turn it on

    assert APPROVED not in reg.keys or "NeckCare" not in reg.keys[APPROVED]
    assert backend.is_enabled()
    reg.keys[APPROVED] = {"NeckCare": (b"\x02" + bytes(11), reg.REG_BINARY)}
    assert backend.is_enabled()


# --- macOS: launch agent --------------------------------------------------------------------


def test_mac_enable_writes_the_launch_agent_plist(tmp_path: Path) -> None:
    backend = MacLaunchAgent(home=tmp_path)
    assert not backend.is_enabled()
    command = ["/Users/Jane Doe/venv/bin/neckcare"]

    backend.enable(command)

    path = tmp_path / "Library" / "LaunchAgents" / "org.neckcare.desktop.plist"
    assert backend.describe() == str(path)
    with path.open("rb") as handle:
        assert plistlib.load(handle) == {
            "Label": "org.neckcare.desktop",
            "ProgramArguments": ["/Users/Jane Doe/venv/bin/neckcare"],
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        }
    assert path.read_bytes().startswith(b"<?xml")  # launchd and people both read XML plists
    assert backend.is_enabled()

    backend.disable()
    assert not path.exists()
    assert not backend.is_enabled()
    backend.disable()


def test_mac_broken_or_disabled_agent_is_not_enabled(tmp_path: Path) -> None:
    backend = MacLaunchAgent(home=tmp_path)
    backend.enable(["/usr/local/bin/neckcare"])
    agent = MacLaunchAgent.agent(["/usr/local/bin/neckcare"]) | {"Disabled": True}
    backend.path.write_bytes(plistlib.dumps(agent))
    assert not backend.is_enabled()
    backend.path.write_text("not a plist", encoding="utf-8")
    assert not backend.is_enabled()


# --- choosing the backend and the command -----------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "kind"),
    [
        ("linux", XdgAutostart),
        ("freebsd14", XdgAutostart),
        ("darwin", MacLaunchAgent),
    ],
)
def test_default_backend_per_platform(platform: str, kind: type) -> None:
    assert isinstance(default_backend(platform), kind)


def test_default_backend_on_windows_uses_winreg(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeRegistry()
    monkeypatch.setitem(sys.modules, "winreg", fake)
    backend = default_backend("win32")
    assert isinstance(backend, WindowsRunKey)
    backend.enable([r"C:\neckcare.exe"])
    assert fake.keys[RUN]["NeckCare"] == (r'"C:\neckcare.exe"', 1)


def test_program_command_prefers_the_neckcare_script_next_to_python(tmp_path: Path) -> None:
    bin_dir = tmp_path / "my venv" / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.touch()
    assert program_command(str(python), "linux") == [str(python), "-m", "neckcare_desktop"]

    script = bin_dir / "neckcare"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    script.chmod(0o644)
    # Not executable: the login session could not run it.
    assert program_command(str(python), "linux") == [str(python), "-m", "neckcare_desktop"]
    script.chmod(0o755)
    assert program_command(str(python), "linux") == [str(script)]


def test_program_command_finds_the_windows_script_in_scripts(tmp_path: Path) -> None:
    python = tmp_path / "Python312" / "python.exe"
    (python.parent / "Scripts").mkdir(parents=True)
    python.touch()
    assert program_command(str(python), "win32") == [str(python), "-m", "neckcare_desktop"]
    (python.parent / "Scripts" / "neckcare.exe").touch()
    assert program_command(str(python), "win32") == [
        str(python.parent / "Scripts" / "neckcare.exe")
    ]


def test_program_command_keeps_the_venv_symlink(tmp_path: Path) -> None:
    """Resolving the venv's python symlink would start NeckCare outside the venv."""
    real = tmp_path / "base" / "python3.11"
    real.parent.mkdir()
    real.touch()
    link = tmp_path / "venv" / "bin" / "python"
    link.parent.mkdir(parents=True)
    link.symlink_to(real)
    assert program_command(str(link), "linux")[0] == str(link)


def test_launch_command_for_this_interpreter_starts_neckcare() -> None:
    command = launch_command()
    assert Path(command[0]).is_absolute()
    assert command[-1] == "--foreground"  # a session manager waits on no terminal
    if len(command) == 2:
        assert Path(command[0]).name == "neckcare"
    else:
        assert command[1:] == ["-m", "neckcare_desktop", "--foreground"]
    result = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("neckcare ")


def test_launch_command_without_a_known_interpreter_relies_on_path() -> None:
    assert launch_command("", "linux") == ["neckcare", "--foreground"]


def test_launch_command_starts_the_app_in_the_foreground(tmp_path: Path) -> None:
    python = tmp_path / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.touch()
    assert launch_command(str(python), "linux") == [
        str(python),
        "-m",
        "neckcare_desktop",
        "--foreground",
    ]


def test_an_installed_package_starts_by_its_command_on_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package's /usr/bin/neckcare links to /opt/neckcare-desktop/bin/neckcare: autostart
    names the PATH's command, which stays the same when the package moves its files."""
    venv_bin = tmp_path / "opt" / "neckcare-desktop" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python3").touch()
    script = venv_bin / "neckcare"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    script.chmod(0o755)
    usr_bin = tmp_path / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    (usr_bin / "neckcare").symlink_to(script)
    monkeypatch.setenv("PATH", str(usr_bin))
    assert launch_command(str(venv_bin / "python3"), "linux") == [
        str(usr_bin / "neckcare"),
        "--foreground",
    ]
    # Another neckcare first on the PATH (a venv of the person's own) is not this one.
    other = tmp_path / "other"
    other.mkdir()
    (other / "neckcare").write_text("#!/bin/sh\n", encoding="utf-8")
    (other / "neckcare").chmod(0o755)
    monkeypatch.setenv("PATH", f"{other}{os.pathsep}{usr_bin}")
    assert launch_command(str(venv_bin / "python3"), "linux") == [str(script), "--foreground"]
