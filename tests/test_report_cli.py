"""``neckcare report --pdf FILE [--days N]``: the clinician report from the command line,
whether NeckCare runs or not."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from neckcare_desktop import cli_local
from neckcare_desktop.cli import main
from neckcare_desktop.core.history import HistoryStore
from neckcare_desktop.paths import AppPaths
from test_report import NOW, known_history


class _FixedNow(datetime):
    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return NOW if tz is None else NOW.astimezone(tz)


@pytest.fixture
def at_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's clock reads NOW (the known history is from Feb-Mar 2026)."""
    monkeypatch.setattr(cli_local, "datetime", _FixedNow)


@pytest.fixture
def known_file() -> Path:
    """The known history in the history file the command line reads."""
    path = AppPaths.default().history_file
    path.parent.mkdir(parents=True, exist_ok=True)
    with HistoryStore(path) as store:
        known_history(store)
    return path


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_is_required(capsys):
    assert main(["report"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "neckcare: the following arguments are required: --pdf"


@pytest.mark.parametrize("days", ["0", "3651", "many"])
def test_days_must_be_a_whole_number_in_range(days: str, tmp_path: Path, capsys):
    assert main(["report", "--pdf", str(tmp_path / "r.pdf"), "--days", days]) == 2
    assert "report --days takes a whole number from 1 to 3650" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()


def test_writes_the_report_of_the_last_30_days(qapp, at_now, known_file, tmp_path, capsys):
    out = tmp_path / "report.pdf"
    assert main(["report", "--pdf", str(out)]) == 0
    assert capsys.readouterr().out.strip() == (
        f"Wrote a 1-page report of the last 30 days to {out}"
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    if shutil.which("pdftotext"):
        text = pdf_text(out)
        assert "1 Feb 2026 to 2 Mar 2026 (30 days)" in text
        assert re.search(r"All days\s+3 rounds, 37 min\s+2 rounds, 40 min", text)


def test_days_choose_the_range(qapp, at_now, known_file, tmp_path, capsys):
    out = tmp_path / "report.pdf"
    assert main(["report", "--pdf", str(out), "--days", "7"]) == 0
    assert "of the last 7 days" in capsys.readouterr().out
    if shutil.which("pdftotext"):
        text = pdf_text(out)
        assert "24 Feb 2026 to 2 Mar 2026 (7 days)" in text
        assert "Wed 11 Feb" not in text  # outside the 7 days


def test_a_place_that_cannot_be_written_fails_with_the_reason(qapp, at_now, tmp_path, capsys):
    out = tmp_path / "no such folder" / "report.pdf"
    assert main(["report", "--pdf", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"neckcare: Could not write the report {out}: No such file or directory. "
        "Choose a folder that exists and that you can write to."
    )
    assert not out.parent.exists()


def test_a_history_that_cannot_be_read_fails_with_the_reason(qapp, at_now, tmp_path, capsys):
    history = AppPaths.default().history_file
    history.parent.mkdir(parents=True, exist_ok=True)
    history.write_bytes(b"this is not a database" * 100)
    out = tmp_path / "report.pdf"
    assert main(["report", "--pdf", str(out)]) == 1
    assert capsys.readouterr().err.startswith("neckcare: could not read history: ")
    assert not out.exists()


def test_in_a_fresh_process_without_a_display(tmp_path: Path):
    """What a person's terminal (or ssh, or cron) runs: no QApplication yet, a DISPLAY
    that leads nowhere; Qt goes offscreen instead of aborting."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = ":987"
    env["LANG"] = "C.UTF-8"
    out = tmp_path / "report.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "neckcare_desktop", "report", "--pdf", str(out), "--days", "14"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Wrote a 1-page report of the last 14 days to {out}"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(b"%PDF")
