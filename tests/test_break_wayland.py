"""The break window where the compositor places windows and hands out the focus (Wayland).

GNOME on Wayland gives every newly mapped window the keyboard focus and ignores Qt's
"show without activating": a break window mapped while the person types in another app
would take their next keystrokes. There the window is mapped minimized and asks for
activation (GNOME answers with "NeckCare is ready"), the break notification says what is
due, and the app never moves the window. The real compositor is in
tests/e2e/test_gnome_break_window.py; here the presenter is told it runs on Wayland.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from fakes import later
from neckcare_desktop.ui.break_window import BreakWindow


@pytest.fixture
def wayland_app(make_app, monkeypatch):
    """An app whose break presenter believes it runs on Wayland; activation requests kept."""
    asked: list[BreakWindow] = []
    monkeypatch.setattr(BreakWindow, "request_activation", lambda self: asked.append(self))

    def make(**settings):
        app = make_app(manual=True, start=False, **settings)
        app.breaks.compositor_places = True
        app.start()
        app.asked = asked
        return app

    return make


def test_a_due_break_on_wayland_takes_no_focus_and_asks_for_attention(
    wayland_app, qtbot, monkeypatch
):
    app = wayland_app(breaks={"micro": {"interval_minutes": 5}})
    # The person works in another app (other tests' windows may hold Qt's focus here).
    monkeypatch.setattr(app.breaks, "app_has_focus", lambda: False)
    later(app, minutes=5)
    window = app.breaks.window
    assert window is not None and window.windowTitle() == "Micro-break — NeckCare"
    # Mapped, but not in front with the keyboard: minimized until the person comes.
    assert window.isMinimized()
    assert app.asked == [window]  # xdg-activation, as far as the compositor allows
    # Never placed by the app: the compositor chooses the screen and the spot.
    assert not window.testAttribute(Qt.WidgetAttribute.WA_Moved)
    # What is due is said where it is seen whatever the window does.
    assert app.notifier.last[0] == "Micro-break"
    # The answers work as everywhere once the person opens it.
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    assert window.running
    assert not window.testAttribute(Qt.WidgetAttribute.WA_Moved)  # the countdown refit
    assert app.engine.breaks.active is not None


def test_on_wayland_a_break_comes_in_front_when_neckcare_has_the_focus(wayland_app, qtbot):
    app = wayland_app(breaks={"micro": {"interval_minutes": 5}})
    app.controller.show_status_window()  # the person is looking at NeckCare
    status = app.windows.status
    status.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is not None)
    later(app, minutes=5)
    window = app.breaks.window
    assert window is not None and window.isVisible() and not window.isMinimized()
    assert app.asked == [window]
    assert not window.testAttribute(Qt.WidgetAttribute.WA_Moved)


def test_on_wayland_a_break_taken_now_opens_in_front(wayland_app, monkeypatch):
    app = wayland_app()
    monkeypatch.setattr(app.breaks, "app_has_focus", lambda: False)
    app.actions.take_break.trigger()  # from the tray menu: the person asked for it
    window = app.breaks.window
    assert window is not None and window.running
    assert window.isVisible() and not window.isMinimized()
    assert not window.testAttribute(Qt.WidgetAttribute.WA_Moved)


def test_on_x11_the_break_window_is_placed_and_shown_as_before(make_app):
    app = make_app(manual=True, breaks={"micro": {"interval_minutes": 5}})
    assert not app.breaks.compositor_places  # offscreen is not Wayland
    later(app, minutes=5)
    window = app.breaks.window
    assert window is not None and window.isVisible() and not window.isMinimized()
    assert window.testAttribute(Qt.WidgetAttribute.WA_Moved)  # centred on its screen
