"""The Settings dialog: shows the current values, saves through core, never breaks the caps."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from neckcare_desktop.core.limits import ICE_MAX_MINUTES, ICE_MIN_MINUTES
from neckcare_desktop.core.settings import (
    FIELDS,
    Settings,
    default_settings,
    get_value,
    with_value,
)
from neckcare_desktop.settings_saving import save_submitted_settings
from neckcare_desktop.ui.settings_dialog import SettingsDialog
from neckcare_desktop.ui.settings_widgets import DayToggles, TimePicker


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "neckcare" / "settings.toml"


@pytest.fixture
def loaded() -> Settings:
    """Non-default values, so a widget showing its default would be caught."""
    s = with_value(default_settings(), "therapy.ice_minutes", 12)
    s = with_value(s, "breaks.micro.enabled", False)
    return with_value(s, "breaks.posture.interval_minutes", 45)


@pytest.fixture
def dialog(qtbot: QtBot, loaded: Settings, path: Path) -> SettingsDialog:
    dlg = SettingsDialog(loaded, path)
    _save_through_the_app(dlg, path)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _save_through_the_app(dialog: SettingsDialog, path: Path, autostart=None) -> None:
    """What the app does with the dialog's Save (the dialog itself writes nothing)."""
    dialog.settings_submitted.connect(
        lambda settings, wish: save_submitted_settings(
            dialog, settings, wish, path, autostart, ["neckcare-desktop"]
        )
    )


def widget(dialog: SettingsDialog, key: str) -> QWidget:
    found = dialog.findChild(QWidget, key)
    assert found is not None, key
    return found


def click(qtbot: QtBot, dialog: SettingsDialog, which: QDialogButtonBox.StandardButton) -> None:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(which), Qt.MouseButton.LeftButton)


#: Bookkeeping fields (e.g. "asked about autostart") live in the file but not in the dialog.
VISIBLE_FIELDS = [spec for spec in FIELDS if not spec.internal]


def error_label(dialog: SettingsDialog) -> QLabel:
    label = dialog.findChild(QLabel, "errorLabel")
    assert label is not None
    return label


def test_title_and_widgets_show_loaded_values(dialog: SettingsDialog, loaded: Settings) -> None:
    assert dialog.windowTitle() == "Settings — NeckCare"
    shown = dialog.current_values()
    for spec in VISIBLE_FIELDS:
        assert shown[spec.key] == get_value(loaded, spec.key), spec.key
    assert dialog.current_values()["therapy.ice_minutes"] == 12
    assert dialog.current_values()["breaks.micro.enabled"] is False


def test_widget_ranges_and_units_come_from_the_field_table(dialog: SettingsDialog) -> None:
    for spec in VISIBLE_FIELDS:
        w = widget(dialog, spec.key)
        if spec.kind is bool:
            assert isinstance(w, QCheckBox)
            assert w.text() == spec.label
        elif spec.kind is str:
            if spec.choices:
                assert isinstance(w, QComboBox)
                assert [w.itemData(i) for i in range(w.count())] == list(spec.choices)
            elif spec.key == "working_hours.days":
                assert isinstance(w, DayToggles)
            else:
                assert isinstance(w, TimePicker)
        else:
            assert isinstance(w, QSpinBox)
            assert (w.minimum(), w.maximum()) == (spec.minimum, spec.maximum), spec.key
            assert w.suffix() == (f" {spec.unit}" if spec.unit else "")
    ice = widget(dialog, "therapy.ice_minutes")
    assert (ice.minimum(), ice.maximum()) == (ICE_MIN_MINUTES, ICE_MAX_MINUTES)


def test_ice_cap_is_explained_on_screen(dialog: SettingsDialog) -> None:
    ice_spec = next(spec for spec in FIELDS if spec.key == "therapy.ice_minutes")
    note = dialog.findChild(QLabel, "therapy.ice_minutes.hint")
    ice_tab = next(
        i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i) == "Ice and heat"
    )
    dialog.tabs.setCurrentIndex(ice_tab)
    assert note is not None and note.isVisible()
    assert note.text() == ice_spec.hint
    assert widget(dialog, "therapy.ice_minutes").toolTip() == f"{ice_spec.hint}\nAllowed: 1–20 min"


def test_every_input_has_an_accessible_name(dialog: SettingsDialog) -> None:
    inputs = (
        dialog.findChildren(QSpinBox)
        + dialog.findChildren(QCheckBox)
        + dialog.findChildren(QComboBox)
        + dialog.findChildren(QLineEdit)
        + dialog.findChildren(DayToggles)
        + dialog.findChildren(TimePicker)
    )
    inputs = [w for w in inputs if w.objectName() in {spec.key for spec in FIELDS}]
    assert len(inputs) == len(VISIBLE_FIELDS)
    labels = {spec.key: spec.label for spec in FIELDS}
    for w in inputs:
        assert w.accessibleName() == labels[w.objectName()]


def test_save_writes_the_file_and_emits_the_new_settings(
    qtbot: QtBot, dialog: SettingsDialog, path: Path
) -> None:
    dialog.set_value("therapy.heat_minutes", 25)
    dialog.set_value("notifications.sound", False)

    with qtbot.waitSignal(dialog.saved, timeout=1000) as saved:
        click(qtbot, dialog, QDialogButtonBox.StandardButton.Save)

    new: Settings = saved.args[0]
    assert new.therapy.heat_minutes == 25
    assert new.notifications.sound is False
    assert new.therapy.ice_minutes == 12  # untouched values survive
    on_disk = tomllib.loads(path.read_text(encoding="utf-8"))
    assert on_disk["therapy"]["heat_minutes"] == 25
    assert on_disk["notifications"]["sound"] is False
    assert on_disk["breaks"]["micro"]["enabled"] is False
    assert not dialog.isVisible()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted


def test_enter_saves_because_save_is_the_default_button(
    qtbot: QtBot, dialog: SettingsDialog, path: Path
) -> None:
    widget(dialog, "breaks.postpone_minutes").setFocus()
    with qtbot.waitSignal(dialog.saved, timeout=1000):
        qtbot.keyClick(widget(dialog, "breaks.postpone_minutes"), Qt.Key.Key_Return)
    assert path.exists()


def test_ice_spinbox_refuses_25_typed_on_the_keyboard(
    qtbot: QtBot, dialog: SettingsDialog, path: Path
) -> None:
    spin = widget(dialog, "therapy.ice_minutes")
    assert isinstance(spin, QSpinBox)
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "25")
    spin.interpretText()
    assert spin.value() <= ICE_MAX_MINUTES

    with qtbot.waitSignal(dialog.saved, timeout=1000):
        click(qtbot, dialog, QDialogButtonBox.StandardButton.Save)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["therapy"]["ice_minutes"] <= 20


def test_forced_out_of_range_ice_shows_core_message_and_does_not_save(
    qtbot: QtBot, dialog: SettingsDialog, path: Path
) -> None:
    emitted: list[object] = []
    dialog.saved.connect(emitted.append)

    assert dialog.save_values({"therapy.ice_minutes": 25}) is False

    label = error_label(dialog)
    assert label.isVisible()
    assert "Ice round length: 25 is not allowed; use 1–20 min" in label.text()
    assert dialog.error_text() == label.text()
    assert dialog.isVisible()
    assert not path.exists()
    assert emitted == []
    # The person's values are still in the window, ready to be corrected.
    assert dialog.current_values()["therapy.ice_minutes"] == 12


def test_error_clears_after_a_successful_save(
    qtbot: QtBot, dialog: SettingsDialog, path: Path
) -> None:
    dialog.save_values({"therapy.heat_minutes": 0})
    assert "Heat session length: 0 is not allowed" in dialog.error_text()
    with qtbot.waitSignal(dialog.saved, timeout=1000):
        click(qtbot, dialog, QDialogButtonBox.StandardButton.Save)
    assert path.exists()
    assert not error_label(dialog).isVisible()


@pytest.mark.expect_log(
    "neckcare_desktop.settings_saving", logging.ERROR, r"Could not save settings"
)
def test_unwritable_location_is_reported_and_dialog_stays_open(
    qtbot: QtBot, loaded: Settings, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the settings folder should be")
    bad_path = blocker / "settings.toml"
    dlg = SettingsDialog(loaded, bad_path)
    _save_through_the_app(dlg, bad_path)
    qtbot.addWidget(dlg)
    dlg.show()
    emitted: list[object] = []
    dlg.saved.connect(emitted.append)

    dlg.set_value("therapy.heat_minutes", 20)
    click(qtbot, dlg, QDialogButtonBox.StandardButton.Save)

    text = error_label(dlg).text()
    assert text.startswith(f"Could not save settings to {bad_path}: ")
    assert text.endswith("Your changes are still in this window.")
    assert dlg.isVisible()
    assert emitted == []
    assert dlg.current_values()["therapy.heat_minutes"] == 20


def test_cancel_writes_nothing(qtbot: QtBot, dialog: SettingsDialog, path: Path) -> None:
    emitted: list[object] = []
    dialog.saved.connect(emitted.append)
    dialog.set_value("therapy.heat_minutes", 20)

    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)

    assert not path.exists()
    assert emitted == []
    assert not dialog.isVisible()


def test_escape_cancels_and_writes_nothing(
    qtbot: QtBot, dialog: SettingsDialog, path: Path
) -> None:
    emitted: list[object] = []
    dialog.saved.connect(emitted.append)
    dialog.set_value("therapy.ice_minutes", 5)

    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.keyClick(widget(dialog, "therapy.ice_minutes"), Qt.Key.Key_Escape)

    assert not path.exists()
    assert emitted == []
    assert dialog.result() == SettingsDialog.DialogCode.Rejected


def test_language_choices_and_the_next_start_note(dialog: SettingsDialog) -> None:
    """Languages are named in their own language; a change applies at the next start."""
    combo = widget(dialog, "app.language")
    assert isinstance(combo, QComboBox)
    assert [combo.itemData(i) for i in range(combo.count())] == ["auto", "en", "es"]
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Follow the system",
        "English",
        "Español",
    ]
    general = next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i) == "General")
    dialog.tabs.setCurrentIndex(general)
    note = dialog.findChild(QLabel, "app.language.hint")
    assert note is not None and note.isVisible()
    assert note.text() == "A new language is used from the next start of NeckCare."


# --- Issue 14, point 2: editors that say what they take ---


def test_working_days_are_toggles_named_in_spanish(qtbot: QtBot, path: Path) -> None:
    """Before: a line edit wanting "mon,tue"; the Spanish window refused "lun,mar"."""
    from PySide6.QtWidgets import QToolButton

    from neckcare_desktop import translations

    translations.install("es")
    try:
        dlg = SettingsDialog(with_value(default_settings(), "working_hours.enabled", True), path)
        _save_through_the_app(dlg, path)
        qtbot.addWidget(dlg)
        buttons = {
            b.text().rstrip("."): b for b in dlg.findChildren(QToolButton) if b.isCheckable()
        }
        assert {"lun", "mar", "mié", "jue", "vie", "sáb", "dom"} <= set(buttons)
        for name, button in buttons.items():
            if button.isChecked() != (name in {"lun", "mar"}):
                button.click()
        assert dlg.error_text() == ""
        with qtbot.waitSignal(dlg.saved, timeout=1000) as saved:
            assert dlg.save_values(dlg.current_values())
    finally:
        translations.uninstall()
    assert saved.args[0].working_hours.days == "mon,tue"
    assert tomllib.loads(path.read_text(encoding="utf-8"))["working_hours"]["days"] == "mon,tue"


def test_no_day_says_so_and_the_message_goes_once_a_day_is_back(dialog: SettingsDialog) -> None:
    days = widget(dialog, "working_hours.days")
    assert isinstance(days, DayToggles)
    checked = [b for b in days.buttons.values() if b.isChecked()]
    for button in checked:
        button.click()
    assert "Working days" in dialog.error_text()
    checked[0].click()
    assert dialog.error_text() == ""


def test_working_hours_are_time_pickers(qtbot: QtBot, dialog: SettingsDialog, path: Path) -> None:
    from PySide6.QtCore import QTime

    start = widget(dialog, "working_hours.start")
    assert isinstance(start, TimePicker)
    start.setTime(QTime(8, 15))
    with qtbot.waitSignal(dialog.saved, timeout=1000):
        click(qtbot, dialog, QDialogButtonBox.StandardButton.Save)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["working_hours"]["start"] == "08:15"


def test_a_typed_25_is_explained_then_set_to_the_cap_and_the_message_goes(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    """Before: the 5 was dropped silently and the box showed 2."""
    spin = widget(dialog, "therapy.ice_minutes")
    assert "Allowed: 1–20 min" in spin.toolTip()
    dialog.tabs.setCurrentIndex(
        next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i) == "Ice and heat")
    )
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "25")
    assert spin.lineEdit().text().startswith("25")  # what was typed stays on screen
    assert "Ice round length: 25 is not allowed; use 1–20 min" in dialog.error_text()
    assert "it becomes 20" in dialog.error_text()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "15")
    assert dialog.error_text() == ""  # fixed: the message is gone
    spin.interpretText()
    assert spin.value() == 15


def test_test_sound_plays_at_the_volume_in_the_dialog(
    qtbot: QtBot, loaded: Settings, path: Path
) -> None:
    from PySide6.QtWidgets import QPushButton

    played: list[float] = []
    dlg = SettingsDialog(loaded, path, play_test_sound=played.append)
    _save_through_the_app(dlg, path)
    qtbot.addWidget(dlg)
    dlg.set_value("notifications.volume", 40)
    button = dlg.findChild(QPushButton, "testSound")
    assert button is not None and button.text() == "Test sound"
    button.click()
    assert played == [0.4]
    assert not path.exists()  # trying a sound writes nothing


class _RefusingAutostart:
    """An autostart entry that cannot be written (a read-only autostart folder)."""

    def __init__(self) -> None:
        self.enabled = False

    def describe(self) -> str:
        return "~/.config/autostart/neckcare-desktop.desktop"

    def is_enabled(self) -> bool:
        return self.enabled

    def enable(self, command: list[str]) -> None:
        raise PermissionError(13, "Permission denied")

    def disable(self) -> None:
        self.enabled = False


def test_settings_saved_but_autostart_refused_says_so_and_stays_open(
    qtbot: QtBot, loaded: Settings, path: Path
) -> None:
    autostart = _RefusingAutostart()
    dlg = SettingsDialog(loaded, path, autostart=autostart)
    _save_through_the_app(dlg, path, autostart)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.autostart_box is not None and not dlg.autostart_box.isChecked()
    dlg.autostart_box.setChecked(True)
    dlg.set_value("therapy.heat_minutes", 20)
    with qtbot.waitSignal(dlg.saved, timeout=1000):
        assert dlg.save_values(dlg.current_values()) is False
    assert tomllib.loads(path.read_text(encoding="utf-8"))["therapy"]["heat_minutes"] == 20
    assert dlg.error_text() == (
        "Settings were saved, but starting at login could not be changed: Permission denied"
    )
    assert dlg.isVisible()


# -- issue 17: calls and pauses in typing ---------------------------------------------------


def test_calls_and_the_pause_in_typing_are_set_and_saved_in_the_dialog(
    qtbot: QtBot, dialog: SettingsDialog, path: Path
) -> None:
    calls = widget(dialog, "breaks.respect_calls")
    pause = widget(dialog, "breaks.wait_for_pause_seconds")
    assert isinstance(calls, QCheckBox) and calls.isChecked()
    assert calls.text() == "Hold breaks during calls"
    assert "never sound or images" in calls.toolTip()
    assert isinstance(pause, QSpinBox)
    assert (pause.value(), pause.minimum(), pause.maximum()) == (5, 0, 30)
    assert "one minute at most" in pause.toolTip()
    # Nothing said about detection unless the app says it cannot detect calls here.
    assert dialog.findChild(QLabel, "breaks.respect_calls.unavailable") is None

    calls.setChecked(False)
    pause.setValue(0)
    with qtbot.waitSignal(dialog.saved, timeout=1000) as saved:
        click(qtbot, dialog, QDialogButtonBox.StandardButton.Save)
    new: Settings = saved.args[0]
    assert (new.breaks.respect_calls, new.breaks.wait_for_pause_seconds) == (False, 0)
    on_disk = tomllib.loads(path.read_text(encoding="utf-8"))["breaks"]
    assert (on_disk["respect_calls"], on_disk["wait_for_pause_seconds"]) == (False, 0)


def test_where_calls_cannot_be_detected_the_dialog_says_so(
    qtbot: QtBot, loaded: Settings, path: Path
) -> None:
    reason = "Calls cannot be detected here: no PulseAudio or PipeWire server answers."
    dlg = SettingsDialog(loaded, path, calls_available=reason)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    note = dlg.findChild(QLabel, "breaks.respect_calls.unavailable")
    assert note is not None and note.text() == reason
    [page] = [i for i in range(dlg.tabs.count()) if dlg.tabs.widget(i).isAncestorOf(note)]
    dlg.tabs.setCurrentIndex(page)
    qtbot.waitUntil(note.isVisible, timeout=1000)  # on screen, on the breaks page
    assert reason in widget(dlg, "breaks.respect_calls").accessibleDescription()


def test_the_safety_profile_is_in_ice_and_heat_with_its_hint_and_saves(
    qtbot: QtBot, dialog: SettingsDialog, path: Path
) -> None:
    ice_tab = next(
        i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i) == "Ice and heat"
    )
    dialog.tabs.setCurrentIndex(ice_tab)
    box = widget(dialog, "therapy.reduced_skin_feeling")
    assert isinstance(box, QCheckBox) and box.isVisible()
    assert box.text() == "Reduced feeling in my skin" and not box.isChecked()
    assert "at most 10 minutes" in box.toolTip()
    assert dialog.findChild(QWidget, "therapy.safety_asked") is None  # bookkeeping
    # On its box: the widget is wider than its text in the form.
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked()
    with qtbot.waitSignal(dialog.saved, timeout=1000) as saved:
        click(qtbot, dialog, QDialogButtonBox.StandardButton.Save)
    assert saved.args[0].therapy.reduced_skin_feeling is True
    on_disk = tomllib.loads(path.read_text(encoding="utf-8"))
    assert on_disk["therapy"]["reduced_skin_feeling"] is True
