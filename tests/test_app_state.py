"""Issue 14, point 2: NeckCare's own bookkeeping stays out of the person's settings file.

A typo in ``settings.toml`` must not bring back the first-run "Start at login?" question,
must not make NeckCare write the file, and must not remove an autostart entry.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from neckcare_desktop.core.app_state import AppState, load_state, remember, save_state

PROBLEMS = ("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
APP_PROBLEMS = ("neckcare_desktop.app", logging.WARNING, r"settings:")


@pytest.fixture
def start_app(start_app):
    """conftest's app reading its settings file, after one turn of the event loop: the
    first-run question is asked from there."""

    def start():
        app = start_app()
        QCoreApplication.processEvents()
        return app

    return start


def autostart_entry() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "neckcare-desktop.desktop"


def asked(app) -> bool:
    box = app.first_run.box
    return box is not None


@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log(*APP_PROBLEMS)
def test_a_typo_does_not_ask_again_nor_touch_the_file_or_the_autostart_entry(
    start_app, app_paths
) -> None:
    """Before: defaults meant 'never asked', the question came back and No deleted the entry."""
    entry = autostart_entry()
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text("[Desktop Entry]\nExec=neckcare\n", encoding="utf-8")
    content = "[app]\nautostart_asked = true\n[therapy]\nice_minutes = 25\n"
    app_paths.settings_file.write_text(content, encoding="utf-8")
    app = start_app()
    assert not asked(app)
    assert app_paths.settings_file.read_text(encoding="utf-8") == content
    assert entry.exists()
    # The old key, read even from a broken file, is remembered where it belongs now.
    assert load_state(app_paths.state_file).autostart_asked is True


@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log(*APP_PROBLEMS)
def test_a_broken_file_without_the_old_key_is_not_a_first_run(start_app, app_paths) -> None:
    app_paths.settings_file.write_text("[breaks.micro]\ninterval_minutes = 2\n", encoding="utf-8")
    app = start_app()
    assert not asked(app)
    assert not app_paths.state_file.exists()  # not answered: asked at a start that reads it


def test_the_answer_is_kept_in_the_state_file_not_the_settings(start_app, app_paths) -> None:
    content = "[therapy]\nice_minutes = 12\n"
    app_paths.settings_file.write_text(content, encoding="utf-8")
    app = start_app()
    assert asked(app)
    app.first_run.box.button(QMessageBox.StandardButton.No).click()
    assert app_paths.settings_file.read_text(encoding="utf-8") == content
    assert json.loads(app_paths.state_file.read_text(encoding="utf-8")) == {
        "autostart_asked": True,
        "therapy_safety_asked": False,
    }
    if os.name == "posix":
        assert stat.S_IMODE(app_paths.state_file.stat().st_mode) == 0o600
    app.shutdown()
    again = start_app()
    assert not asked(again)


def test_the_old_key_in_a_good_file_counts_as_asked(start_app, app_paths) -> None:
    app_paths.settings_file.write_text("[app]\nautostart_asked = true\n", encoding="utf-8")
    assert not asked(start_app())
    assert load_state(app_paths.state_file).autostart_asked is True


def test_a_damaged_state_file_means_nothing_remembered(tmp_path: Path) -> None:
    path = tmp_path / "app-state.json"
    path.write_bytes(b"\x00{not json")
    assert load_state(path) == AppState()
    path.write_text("[1, 2]", encoding="utf-8")
    assert load_state(path) == AppState()
    assert remember(path, autostart_asked=True) == AppState(autostart_asked=True)
    assert load_state(path).autostart_asked is True
    save_state(AppState(), path)
    assert load_state(path) == AppState()
    assert [p.name for p in tmp_path.iterdir()] == ["app-state.json"]  # no temporary left


# --- The problem message is plain and true (issue 14, point 2) ---


@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log(*APP_PROBLEMS)
def test_a_typo_at_start_names_the_setting_and_keeps_the_good_ones(start_app, app_paths) -> None:
    """Before: 'breaks.micro.interval_minutes = 2 is out of range', and every setting defaulted."""
    app_paths.settings_file.write_text(
        "[therapy]\nice_minutes = 12\n[breaks.micro]\ninterval_minutes = 2\n", encoding="utf-8"
    )
    app = start_app()
    text = app.notifier.last[1]
    assert "Micro-break every: 2 is not allowed; use 5–120 min." in text
    assert "breaks.micro" not in text
    assert "NeckCare started with defaults for these settings" in text
    assert "default settings" not in text and "keeps the settings" not in text
    assert app.engine.settings.therapy.ice_minutes == 12  # the good setting is in use
    assert app.engine.settings.breaks.micro.interval_minutes == 20  # the default


@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log(*APP_PROBLEMS)
def test_a_file_that_is_not_toml_says_all_defaults_not_these(start_app, app_paths) -> None:
    app_paths.settings_file.write_text("[therapy\nice_minutes = 12\n", encoding="utf-8")
    text = start_app().notifier.last[1]
    assert "NeckCare is running on default settings" in text
    assert "for these settings" not in text and "keeps the settings" not in text


@pytest.mark.expect_log(*PROBLEMS)
def test_a_typo_while_running_says_only_that_the_settings_in_use_stay(start_app, app_paths) -> None:
    app_paths.settings_file.write_text("[therapy]\nice_minutes = 12\n", encoding="utf-8")
    app = start_app()
    app.first_run.box.close()
    app_paths.settings_file.write_text("[therapy]\nice_minutes = true\n", encoding="utf-8")
    app.settings_watcher.check()
    text = app.notifier.last[1]
    assert "Ice round length: true is not allowed; use a whole number, 1–20 min." in text
    assert text.endswith("NeckCare keeps the settings it was using.")
    assert "started with" not in text and "default settings" not in text
    assert app.engine.settings.therapy.ice_minutes == 12


@pytest.mark.expect_log(*PROBLEMS)
def test_the_problem_is_told_in_spanish_by_the_dialogs_label(qapp, tmp_path: Path) -> None:
    from neckcare_desktop import translations
    from neckcare_desktop.core.settings_file import load_settings

    path = tmp_path / "settings.toml"
    path.write_text("[therapy]\nice_minutes = 25\n", encoding="utf-8")
    translations.install("es")
    try:
        result = load_settings(path, datetime(2026, 3, 2, 9, 0))
    finally:
        translations.uninstall()
    assert result.problems[0].startswith("Duración de una sesión de hielo: 25 no está permitido")
    assert "therapy.ice_minutes" not in "\n".join(result.problems)
    assert (
        "NeckCare empezó con los valores predeterminados para estos ajustes"
        in (result.problems[-1])
    )


def test_a_save_from_settings_leaves_the_bookkeeping_out_and_it_is_still_known(
    start_app, app_paths
) -> None:
    """The old key is read and moved to the state file; the person's file loses it at the
    next save, and the question still does not come back."""
    from neckcare_desktop.core.settings_file import save_settings

    app_paths.settings_file.write_text("[app]\nautostart_asked = true\n", encoding="utf-8")
    app = start_app()
    assert not asked(app)
    save_settings(app.engine.settings, app_paths.settings_file)  # what Save in Settings… does
    assert "autostart_asked" not in app_paths.settings_file.read_text(encoding="utf-8")
    app.shutdown()
    assert not asked(start_app())
