"""The ``neckcare`` command line: answers fast, without starting Qt, and says what is wrong."""

from __future__ import annotations

import subprocess
import sys

from neckcare_desktop import __version__
from neckcare_desktop.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        "from neckcare_desktop.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was loaded'\n"
        "sys.exit(rc)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60
    )


def test_version_answers_without_qt():
    result = run_cli("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"neckcare {__version__}"


def test_help_answers_without_qt_and_describes_the_app():
    result = run_cli("--help")
    assert result.returncode == 0, result.stderr
    assert "usage: neckcare" in result.stdout
    assert "NECKCARE_TIME_SCALE" in result.stdout
    assert "ice" in result.stdout.lower()


def test_python_dash_m_works_like_the_command():
    result = subprocess.run(
        [sys.executable, "-m", "neckcare_desktop", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"neckcare {__version__}"


def test_unknown_option_is_one_clear_line_and_exit_2(capsys):
    assert main(["--frobnicate"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "--frobnicate" in err[0]
