"""Keyboard and screen-reader use: every control has a name, every window works by keyboard.

Walks every window the app has, offscreen, and checks what a screen reader or a keyboard
user depends on: accessible names on every control, a default button, Escape closing the
windows that may be closed, and buttons that answer to the keyboard.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTextEdit,
    QWidget,
)

from neckcare_desktop.core.breaks import BreakKind
from neckcare_desktop.core.stretches import default_stretches
from neckcare_desktop.core.therapy import FinishedSession, TherapyKind, TherapySession
from neckcare_desktop.ui.break_window import BreakWindow
from neckcare_desktop.ui.therapy_alert import TherapyAlert
from neckcare_desktop.window_registry import HISTORY, SETTINGS, SPASM

CONTROLS = (
    QAbstractButton,
    QAbstractSpinBox,
    QAbstractSlider,
    QComboBox,
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QTableView,
)


def nameless_controls(window: QWidget) -> list[str]:
    """Visible controls a screen reader could only call "button" or "edit"."""
    missing = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(window):
            continue
        if (
            type(widget).__name__.startswith("Q")
            and widget.parent() is not None
            and isinstance(
                widget.parent(), (QAbstractSpinBox, QComboBox, QDateTimeEdit, QAbstractSlider)
            )
        ):
            continue  # the inner line edit of a spin box or combo box
        if widget.objectName().startswith("qt_"):
            continue  # Qt's own internal pieces (scroll bar buttons, calendar parts)
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName().strip() or text.replace("&", "").strip()):
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


@pytest.fixture
def app(make_app):
    return make_app()


def test_status_window_controls_have_names_and_work_by_keyboard(app, qtbot):
    app.controller.show_status_window()
    window = app.windows.status
    assert nameless_controls(window) == []
    button = window.buttons["start_ice"]
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert app.engine.therapy.active is not None
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()  # not the only way back: the tray is there


def test_break_window_is_named_has_a_default_and_answers_the_keyboard(qtbot):
    stretch = next(s for s in default_stretches() if "posture" in s.kinds)
    answers = []
    window = BreakWindow(BreakKind.POSTURE, stretch, 300, 5, lambda: 300.0)
    qtbot.addWidget(window)
    window.start_requested.connect(lambda: answers.append("start"))
    window.present()
    assert nameless_controls(window) == []
    assert window.start_button.isDefault()
    window.postpone_button.setFocus()
    qtbot.keyClick(window.postpone_button, Qt.Key.Key_Space)
    window.start_button.setFocus()
    qtbot.keyClick(window.start_button, Qt.Key.Key_Return)
    assert "start" in answers


def test_therapy_alert_has_focus_on_its_one_button(qtbot):
    now = __import__("datetime").datetime.now().astimezone()
    session = TherapySession(TherapyKind.ICE, now - timedelta(minutes=15), 900, now)
    alert = TherapyAlert(FinishedSession(session, now, 900, True), "Take the ice pack off now.")
    qtbot.addWidget(alert)
    alert.present()
    assert nameless_controls(alert) == []
    assert alert.ok_button.isDefault()
    with qtbot.waitSignal(alert.acknowledged):
        qtbot.keyClick(alert.ok_button, Qt.Key.Key_Return)


@pytest.mark.parametrize("opener", ["show_settings", "show_history", "log_spasm"])
def test_other_windows_have_named_controls_and_close_on_escape(app, qtbot, opener):
    getattr(app.controller, opener)()
    window = {
        "show_settings": lambda: app.windows.get(SETTINGS),
        "show_history": lambda: app.windows.get(HISTORY),
        "log_spasm": lambda: app.windows.get(SPASM),
    }[opener]()
    assert window is not None and window.isVisible()
    assert nameless_controls(window) == []
    if opener != "show_history":
        defaults = [b for b in window.findChildren(QPushButton) if b.isDefault()]
        assert defaults, "Enter must do the obvious thing"
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)


def test_see_someone_message_is_named_and_dismissible(app, qtbot):
    from neckcare_desktop.ui.see_someone import SeeSomeoneMessage

    message = SeeSomeoneMessage(["You logged 3 spasms in the last 30 days."])
    qtbot.addWidget(message)
    message.show()
    assert nameless_controls(message) == []
    qtbot.keyClick(message, Qt.Key.Key_Escape)
    assert not message.isVisible()


def test_quit_question_reads_whole_and_starts_on_the_safe_answer(app, qtbot):
    from PySide6.QtWidgets import QMessageBox

    from neckcare_desktop.prompts import QUIT

    app.actions.start_ice.trigger()
    app.actions.quit.trigger()
    box = app.prompts.question(QUIT)
    assert nameless_controls(box) == []
    no = box.button(QMessageBox.StandardButton.No)
    assert box.defaultButton() is no and no.isDefault()
    assert box.focusWidget() is no  # a stray Space or Enter keeps NeckCare running
    assert "no alert will tell you to take it off" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert not box.isVisible()
    assert app.engine.therapy.active is not None


def test_safety_check_is_named_starts_on_start_and_escape_cancels(qtbot):
    from neckcare_desktop.ui.safety_check import SafetyAnswers, SafetyCheck

    check = SafetyCheck(TherapyKind.ICE, SafetyAnswers())
    qtbot.addWidget(check)
    cancelled = []
    check.cancelled.connect(lambda: cancelled.append(True))
    check.present()
    assert nameless_controls(check) == []
    assert check.accessibleName() == "Safety check — NeckCare"
    assert [box.accessibleName() for box in check.boxes.values()] == [
        "Reduced feeling in my skin",
        "Circulation problems",
        "Sensitive to cold",
        "Diabetes or nerve damage (neuropathy)",
    ]
    assert check.start_button.isDefault()
    # A tick box answers to Space, as anywhere.
    box = check.boxes["cold_sensitivity"]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert check.answers().cold_sensitivity
    qtbot.keyClick(check, Qt.Key.Key_Escape)
    assert cancelled == [True] and not check.isVisible()


def test_switch_alert_has_focus_on_its_one_button(qtbot):
    from neckcare_desktop.ui.therapy_alert import SwitchAlert

    now = __import__("datetime").datetime.now().astimezone()
    session = TherapySession(
        TherapyKind.ICE, now - timedelta(minutes=10), 1200, now + timedelta(minutes=20)
    )
    alert = SwitchAlert(session, False, "Take the ice off now.", part=2)
    qtbot.addWidget(alert)
    alert.present()
    assert nameless_controls(alert) == []
    assert alert.accessibleName() == "Take the ice off — NeckCare"
    assert alert.ok_button.isDefault() and alert.ok_button.accessibleName() == "Done"
    with qtbot.waitSignal(alert.acknowledged):
        qtbot.keyClick(alert.ok_button, Qt.Key.Key_Return)
