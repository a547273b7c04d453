"""The tray can come and go: a panel restart, or a panel that starts after NeckCare.

Offscreen there is no tray host, so these tests drive :class:`TrayPresence` by hand; the
real X11 events (trayer killed and started again) are in
``tests/e2e/test_tray_comes_and_goes_e2e.py``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

from neckcare_desktop.platform import tray_presence_xcb
from neckcare_desktop.platform.tray_presence import (
    POLL_MS,
    TrayPresence,
    default_tray_presence,
)

# -- the presence itself -------------------------------------------------------------------


def test_changes_are_reported_once_each(qapp):
    presence = TrayPresence(True, probe=lambda: answers.pop(0))
    answers = [True, False, False, True]
    seen: list[bool] = []
    presence.changed.connect(seen.append)
    for _ in range(4):
        presence.recheck()
    assert seen == [False, True]
    assert presence.available is True


def test_the_fallback_poll_runs_only_while_the_tray_is_missing(qapp, qtbot):
    answers = [False]
    presence = TrayPresence(True, probe=lambda: answers[-1])
    presence.poll_while_missing()
    assert not presence.polling()  # a tray is there: nothing to wait for

    presence.recheck()  # it went
    assert presence.polling()
    assert POLL_MS <= 5_000  # "within a few seconds"
    answers.append(True)
    with qtbot.waitSignal(presence.changed, timeout=POLL_MS + 2_000) as got:
        pass
    assert got.args == [True]
    assert not presence.polling()


def test_offscreen_nothing_is_watched_and_nothing_polls(qapp):
    parent = QObject()
    presence = default_tray_presence(False, parent)
    assert presence.sources == []
    assert not presence.polling()
    assert tray_presence_xcb.native_interface() is None  # not xcb


# -- the app -------------------------------------------------------------------------------


def test_when_the_tray_goes_the_fallback_window_appears(make_app, qtbot, caplog):
    app = make_app(tray=True)
    assert app.windows.status_if_built is None or not app.windows.status_if_built.isVisible()
    with caplog.at_level(logging.INFO, logger="neckcare_desktop.status_presenter"):
        app.tray_presence.set_available(False)

    assert app.tray is None
    window = app.windows.status
    qtbot.waitUntil(window.isVisible)
    assert window.fallback and window.banner.isVisible()
    assert "No system tray" in window.banner.text()
    assert "system tray went away" in caplog.text
    # Closing it must not lose the app: without a tray it is the only way back.
    window.close()
    assert window.isMinimized() or window.isVisible()


def test_when_a_tray_appears_the_icon_docks_and_the_window_goes(make_app, qtbot, expect_log):
    expect_log("neckcare_desktop.app", logging.WARNING, "no system tray available")
    app = make_app(tray=False)
    window = app.windows.status
    qtbot.waitUntil(window.isVisible)

    app.tray_presence.set_available(True)

    assert app.tray is not None and app.tray.is_visible()
    assert not window.isVisible()
    assert not window.fallback and not window.banner.isVisible()
    assert "Next break in" in app.tray.tray.toolTip()  # the live status, not a blank icon
    # The icon's menu and left click work like an icon that was there from the start.
    assert app.tray.menu.actions()[0] is app.actions.status
    app.tray.status_requested.emit()
    qtbot.waitUntil(window.isVisible)
    window.close()  # an ordinary status window again: closing closes it
    assert not window.isVisible()


def test_the_tray_can_go_and_come_back_many_times(make_app, qtbot):
    app = make_app(tray=True)
    for _ in range(3):
        app.tray_presence.set_available(False)
        assert app.tray is None and app.windows.status.isVisible()
        app.tray_presence.set_available(True)
        assert app.tray is not None and not app.windows.status.isVisible()
    # The icons of the trays that went are deleted, not piled up.
    qtbot.waitUntil(
        lambda: len([c for c in app.status.children() if type(c).__name__ == "TrayIcon"]) == 1
    )


def test_the_balloon_follows_the_tray(make_app):
    app = make_app(tray=True)
    assert app.notifier.tray_notify is not None
    app.tray_presence.set_available(False)
    assert app.notifier.tray_notify is None  # no balloon without an icon to point at
    app.tray_presence.set_available(True)
    assert app.notifier.tray_notify is not None


def test_opening_the_tray_menu_is_the_person_back(make_app):
    """The menu opens on what is true now: a click on the tray is input, so it does not
    say "Away…" until the next idle poll; the next break is planned from the return."""
    from datetime import timedelta

    app = make_app(manual=True)
    clock = app.engine.clock
    clock.set(clock.now() + timedelta(minutes=31))
    app.engine.on_presence(30 * 60.0)  # away for half an hour, by the last poll
    assert app.engine.status().away
    app.status.tray.menu.aboutToShow.emit()
    status = app.engine.status()
    assert not status.away and status.next_break is not None
    assert not app.actions.status.text().startswith("Away")
