"""The ``neckcare`` command line: answers fast, without starting Qt, and says what is wrong."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

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


# -- bad arguments: one clear line naming the allowed values, exit 2 --------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["ice", "--minutes", "25"], "capped at 20 minutes"),
        (["ice", "--minutes", "21"], "capped at 20 minutes"),
        (["ice", "--minutes", "-3"], "from 1 to 20"),
        (["ice", "--minutes", "abc"], "from 1 to 20"),
        (["ice", "--minutes", "0"], "from 1 to 20"),
        (["heat", "--minutes", "31"], "from 1 to 30"),
        (["heat", "--minutes", "2.5"], "from 1 to 30"),
        (["pause", "7"], "30, 60, 120 or tomorrow"),
        (["pause"], "30|60|120|tomorrow"),
        (["history", "--days", "0"], "from 1 to 3650"),
        (["history", "--days", "lots"], "from 1 to 3650"),
        (["fly"], "invalid choice"),
        (["status", "--xml"], "--xml"),
    ],
)
def test_bad_arguments_get_one_clear_line(argv, expected, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert expected in lines[0]
    assert lines[0].startswith("neckcare: ")
    assert captured.out == ""


def test_help_documents_every_subcommand():
    result = run_cli("--help")
    for command in ("ice", "heat", "stop", "break", "pause", "resume", "status", "history", "quit"):
        assert f"neckcare {command}" in result.stdout
    assert "neckcare quit [--force]" in result.stdout


def test_quit_force_is_sent_only_when_asked(monkeypatch):
    sent = []
    monkeypatch.setattr("neckcare_desktop.cli._send", lambda cmd, args=None: sent.append(args))
    main(["quit"])
    main(["quit", "--force"])
    assert sent == [{}, {"force": True}]


@pytest.mark.parametrize("command", ["status", "stop", "quit", "resume", "quit --force"])
def test_commands_need_a_running_instance(command, socket_path, capsys):
    assert main(command.split()) == 1
    assert capsys.readouterr().err.strip() == "NeckCare is not running"


def test_history_csv_exports_without_the_app(tmp_path, capsys):
    from datetime import datetime

    from neckcare_desktop.core.history import EventKind, HistoryStore
    from neckcare_desktop.paths import AppPaths

    store = HistoryStore(AppPaths.default().history_file)
    store.record(EventKind.BREAK_SKIPPED, datetime.now().astimezone(), subject="micro")
    store.close()
    out = tmp_path / "history.csv"
    assert main(["history", "--csv", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("id,at,kind")
    assert "break_skipped" in text
    assert "Exported 1 events" in capsys.readouterr().out


def test_history_summary_without_the_app(socket_path, capsys):
    assert main(["history", "--days", "3"]) == 0
    out = capsys.readouterr().out
    assert "Last 3 days" in out and "breaks taken: 0 (0 completed, 0 while away)" in out


def test_autostart_on_off_status(capsys):
    import os
    from pathlib import Path

    entry = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "neckcare-desktop.desktop"
    assert main(["autostart", "status"]) == 0
    assert "does not start at login" in capsys.readouterr().out
    assert main(["autostart", "on"]) == 0
    assert "starts at login" in capsys.readouterr().out
    assert entry.exists()
    assert main(["autostart", "off"]) == 0
    assert not entry.exists()


def test_install_desktop_entry_puts_neckcare_in_the_launcher(capsys):
    import os
    from pathlib import Path

    assert main(["install-desktop-entry"]) == 0
    data = Path(os.environ["XDG_DATA_HOME"])
    entry = data / "applications" / "neckcare-desktop.desktop"
    assert "Name=NeckCare" in entry.read_text(encoding="utf-8")
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / "neckcare-desktop.png").exists()
    assert "Installed" in capsys.readouterr().out


# -- a reader that left: `neckcare status | head -1` ends quietly --------------------------------


def run_into_closed_pipe(*args: str, stream: str = "stdout") -> subprocess.CompletedProcess[bytes]:
    """Run ``neckcare`` with ``stream`` a pipe whose reader has already gone (``| head -1``
    after its line): every write there fails with EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        closed = {stream: write_end}
        return subprocess.run(
            [sys.executable, "-m", "neckcare_desktop", *args],
            stdout=closed.get("stdout", subprocess.PIPE),
            stderr=closed.get("stderr", subprocess.PIPE),
            timeout=60,
        )
    finally:
        os.close(write_end)


def test_closed_stdout_pipe_ends_quietly(socket_path):
    result = run_into_closed_pipe("history", "--days", "3")  # prints a summary without the app

    assert result.stderr == b""  # no traceback, no "Exception ignored"
    assert result.returncode == 141  # 128 + SIGPIPE, as `yes | head -1` reports


def test_help_into_a_closed_pipe_ends_quietly():
    result = run_into_closed_pipe("--help")

    assert result.stderr == b""
    assert result.returncode in (0, 141)  # argparse drops what it cannot write


def test_closed_stderr_pipe_ends_quietly(socket_path):
    result = run_into_closed_pipe("stop", stream="stderr")  # "not running" goes to stderr

    assert result.stdout == b""
    assert result.returncode == 141


def test_open_pipes_keep_the_usual_exit_status(socket_path):
    result = subprocess.run(
        [sys.executable, "-m", "neckcare_desktop", "history", "--days", "3"],
        capture_output=True,
        timeout=60,
    )

    assert result.returncode == 0 and b"Last 3 days" in result.stdout


# -- hostile input: any argv gives a clear answer, never a traceback --------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from neckcare_desktop.cli import UsageError, build_parser, usage_line  # noqa: E402

_WORDS = st.sampled_from(
    [
        "ice",
        "heat",
        "stop",
        "break",
        "pause",
        "resume",
        "status",
        "history",
        "quit",
        "autostart",
        "--minutes",
        "--days",
        "--csv",
        "--json",
        "--debug",
        "--force",
        "30",
        "60",
        "120",
        "tomorrow",
        "-3",
        "25",
        "abc",
        "",
        "--",
        "-",
        "on",
        "off",
        "\x00",
        "ö",
        "1e3",
        "20",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS | st.text(max_size=12), max_size=6))
def test_parser_never_fails_with_anything_but_a_usage_error(argv):
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        line = usage_line(exc)
        assert line.startswith("neckcare: ") and len(line) > len("neckcare: ")
        assert "\n" not in line and line.isprintable()
        return
    except SystemExit as exc:  # --help / --version print and exit 0
        assert exc.code == 0
        return
    if getattr(args, "minutes", None) is not None:
        limit = 20 if args.command == "ice" else 30
        assert 1 <= args.minutes <= limit
    if args.command == "pause":
        assert args.duration in ("30", "60", "120", "tomorrow")
