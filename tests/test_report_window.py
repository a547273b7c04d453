"""History's "Report for your clinician…": a save dialog, then the PDF written off the GUI
thread, and the window saying how it went."""

from __future__ import annotations

import logging
import re
import shutil
import stat
import subprocess
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt

from neckcare_desktop import report_pdf
from neckcare_desktop.core.history import HistoryStore
from neckcare_desktop.history_jobs import build_history_window
from neckcare_desktop.report_jobs import ReportRunner, default_report_path, report_days
from neckcare_desktop.ui.history.window import HistoryWindow
from test_report import NOW, known_history

ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


@pytest.fixture
def window(qtbot, store: HistoryStore) -> HistoryWindow:
    known_history(store)
    w = build_history_window(store, lambda: NOW, open_folder=lambda *a: True)
    w.setLocale(ENGLISH)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """Where reports go (the history file lives in tmp_path itself)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def runner_of(window: HistoryWindow) -> ReportRunner:
    runner = window.findChild(ReportRunner)
    assert runner is not None, "every History window the app makes can write a report"
    return runner


def test_the_report_is_written_off_the_gui_thread_and_the_window_says_so(
    window: HistoryWindow, qtbot, out: Path, monkeypatch
):
    runner = runner_of(window)
    asked: list[date] = []
    target = out / "for the physio.pdf"
    runner.ask_path = lambda parent, today: asked.append(today) or target
    threads: list[threading.Thread] = []
    real_write = report_pdf.write_report

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real_write(*args, **kwargs)

    monkeypatch.setattr(report_pdf, "write_report", spy)

    with qtbot.waitSignal(runner.done, timeout=30_000):
        qtbot.mouseClick(window.report_button, Qt.MouseButton.LeftButton)
        assert not window.report_button.isEnabled()
        assert window.status_label.text() == f"Writing the report to {target}…"
        window.report_button.click()  # a second click while it runs: not enabled, ignored
        runner.request(NOW)  # nor by any other way in
    assert asked == [NOW.date()]
    assert len(threads) == 1 and threads[0] is not threading.main_thread()
    assert window.status_label.text() == (f"Wrote a 1-page report of the last 30 days to {target}")
    assert window.report_button.isEnabled()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "1 Feb 2026 to 2 Mar 2026 (30 days)" in text
        assert re.search(r"Wed 11 Feb\s+2 rounds, 17 min", text)


def test_the_report_covers_the_range_shown_but_at_least_30_days(
    window: HistoryWindow, qtbot, out: Path
):
    assert [report_days(d) for d in (7, 30, 90)] == [30, 30, 90]
    runner = runner_of(window)
    runner.ask_path = lambda parent, today: out / "r.pdf"
    window.set_range_days(90)
    with qtbot.waitSignal(runner.done, timeout=30_000):
        window.report_button.click()
    assert "report of the last 90 days" in window.status_label.text()


def test_cancelling_the_dialog_writes_nothing(window: HistoryWindow, out: Path):
    runner = runner_of(window)
    runner.ask_path = lambda parent, today: None
    before = window.status_label.text()
    window.report_button.click()
    assert not runner.running and window.report_button.isEnabled()
    assert window.status_label.text() == before
    assert list(out.iterdir()) == []


@pytest.mark.expect_log("neckcare_desktop.report_jobs", logging.WARNING, r"not written")
def test_a_place_that_cannot_be_written_is_said_in_the_window(
    window: HistoryWindow, qtbot, out: Path
):
    runner = runner_of(window)
    target = out / "no such folder" / "report.pdf"
    runner.ask_path = lambda parent, today: target
    with qtbot.waitSignal(runner.done, timeout=30_000):
        window.report_button.click()
    assert window.status_label.text() == (
        f"The report was not written. Could not write the report {target}: No such file or "
        "directory. Choose a folder that exists and that you can write to."
    )
    assert window.report_button.isEnabled()
    assert list(out.iterdir()) == []


def test_a_history_in_memory_is_reported_at_once(qtbot, history: HistoryStore, tmp_path: Path):
    known_history(history)
    w = build_history_window(history, lambda: NOW, open_folder=lambda *a: True)
    qtbot.addWidget(w)
    runner = runner_of(w)
    runner.ask_path = lambda parent, today: tmp_path / "r.pdf"
    w.report_button.click()
    assert not runner.running
    assert w.status_label.text().startswith("Wrote a 1-page report of the last 30 days")


def test_the_suggested_file_is_dated_and_in_documents(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    day = date(2026, 12, 2)
    assert default_report_path(day) == tmp_path / "neckcare-report-2026-12-02.pdf"
    (tmp_path / "Documents").mkdir()
    assert default_report_path(day) == tmp_path / "Documents" / "neckcare-report-2026-12-02.pdf"


def test_a_window_closed_while_the_report_is_written_loses_nothing(
    qtbot, store: HistoryStore, out: Path
):
    """The worker is not the window's: closing History (or quitting) mid-report neither
    kills the thread (Qt would abort the process) nor leaves half a file."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from neckcare_desktop import report_jobs

    known_history(store)
    w = build_history_window(store, lambda: NOW, open_folder=lambda *a: True)
    runner = runner_of(w)
    runner.ask_path = lambda parent, today: out / "r.pdf"
    w.report_button.click()
    w.close()
    w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    report_jobs._wait_for_workers()  # what the app does when it quits
    assert (out / "r.pdf").read_bytes().startswith(b"%PDF")
    assert [p.name for p in out.iterdir()] == ["r.pdf"]


def test_the_apps_history_window_writes_the_report_up_to_the_apps_clock(make_app, qtbot, out: Path):
    from neckcare_desktop.core.report import last_days
    from neckcare_desktop.core.report_dates import day_text
    from neckcare_desktop.window_registry import HISTORY

    app = make_app()
    app.controller.show_history()
    window = app.windows.get(HISTORY)
    runner = runner_of(window)
    asked: list[date] = []
    runner.ask_path = lambda parent, today: asked.append(today) or out / "r.pdf"
    with qtbot.waitSignal(runner.done, timeout=30_000):
        window.report_button.click()
    now = app.clock.now()
    assert asked == [now.date()]
    assert window.status_label.text().startswith("Wrote a 1-page report of the last 30 days")
    if shutil.which("pdftotext"):
        rng = last_days(now, 30)
        title = f"{day_text(rng.first_day)} to {day_text(rng.last_day)} (30 days)"
        assert (
            title
            in subprocess.run(
                ["pdftotext", str(out / "r.pdf"), "-"], capture_output=True, text=True, check=True
            ).stdout
        )
