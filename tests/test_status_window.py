"""The status window, which is the whole app where the desktop has no tray: its buttons
must stay whole and readable whatever message it shows."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from neckcare_desktop.ui.actions import AppActions
from neckcare_desktop.ui.status_window import StatusWindow

LONG_PROBLEMS = "\n".join(
    f"/home/person/.config/neckcare-desktop/settings.toml: breaks.setting_{n} = <{n}> is out "
    "of range: allowed 1–120; NeckCare keeps the settings it was using."
    for n in range(5)
)


@pytest.fixture
def window(qtbot) -> StatusWindow:
    actions = AppActions()
    actions.start_ice.setText("Start ice (rest: 32 min left)")
    w = StatusWindow(actions, fallback=True)
    qtbot.addWidget(w)
    w.set_status(("Next break in 20 min", "Ice again in 32 min"))
    w.show()
    qtbot.waitExposed(w)
    return w


def _whole(window: StatusWindow) -> list[str]:
    """Shown buttons shorter or narrower than their own text needs (squeezed or cut)."""
    return [
        name
        for name, b in window.buttons.items()
        if not b.isHidden()
        and (b.height() < b.sizeHint().height() or b.width() < b.sizeHint().width())
    ]


def test_a_long_message_pushes_the_window_larger_never_squeezes_the_buttons(window, qtbot):
    assert _whole(window) == []
    height = window.height()
    window.show_message("Settings file has problems", LONG_PROBLEMS + " " + "more " * 200)
    QApplication.processEvents()
    assert _whole(window) == []
    assert window.height() > height  # grown to show the message, the screen has room
    label, area = window.message_label, window.message_area
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() == 0, timeout=2000)
    assert area.viewport().height() >= label.heightForWidth(area.viewport().width())
    # One problem a line, shown as text: nothing in them is read as markup.
    assert label.text().count("<br>") >= 5
    assert "&lt;3&gt;" in label.text()


def test_a_message_longer_than_the_screen_scrolls_and_the_buttons_stay(window, qtbot):
    window.show_message("Settings file has problems", "A long story. " * 3000)
    QApplication.processEvents()
    assert _whole(window) == []
    assert window.frameGeometry().bottom() <= window.screen().availableGeometry().bottom()
    assert window.message_area.verticalScrollBar().maximum() > 0


def test_switching_to_and_from_the_fallback_shows_and_hides_the_banner(window):
    assert window.banner.isVisible()
    window.set_fallback(False)
    assert not window.fallback and not window.banner.isVisible()
    window.close()
    assert not window.isVisible()  # a plain status view closes; the fallback minimizes
