"""The app's actions, created once and shared by the tray menu and the status window.

Sharing the same ``QAction`` objects means the fallback window (no system tray) can never
drift from the tray menu: same labels, same enabled state, same handlers.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from neckcare_desktop.core.pause import PAUSE_CHOICES


class AppActions(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # self.tr written out each time: pyside6-lupdate misses the context of an alias.
        self.status = QAction(self.tr("NeckCare"), self)
        self.status.setEnabled(False)  # a label: the live status line
        self.start_ice = QAction(self.tr("Start ice"), self)
        #: 10 min on, 10 off, 10 on: one session with an alert at each switch.
        self.start_ice_intermittent = QAction(self.tr("Ice 10 on · 10 off · 10 on"), self)
        self.start_heat = QAction(self.tr("Start heat"), self)
        self.stop_timer = QAction(self.tr("Stop timer"), self)
        #: Ends the ice round at once; shown only while ice is on.
        self.skin_numb = QAction(self.tr("My skin is numb"), self)
        self.skin_numb.setVisible(False)
        self.skin_numb.setEnabled(False)
        self.log_spasm = QAction(self.tr("Log a spasm…"), self)
        self.update_spasm = QAction(self.tr("Update spasm…"), self)
        self.take_break = QAction(self.tr("Take a break now"), self)
        self.pause_30 = QAction(self.tr("30 minutes"), self)
        self.pause_60 = QAction(self.tr("1 hour"), self)
        self.pause_120 = QAction(self.tr("2 hours"), self)
        self.pause_tomorrow = QAction(self.tr("Until tomorrow morning"), self)
        self.resume = QAction(self.tr("Resume reminders"), self)
        self.history = QAction(self.tr("History…"), self)
        self.settings = QAction(self.tr("Settings…"), self)
        self.quit = QAction(self.tr("Quit"), self)
        for name in (
            "start_ice",
            "start_ice_intermittent",
            "start_heat",
            "stop_timer",
            "skin_numb",
            "take_break",
            "log_spasm",
            "update_spasm",
            "pause_30",
            "pause_60",
            "pause_120",
            "pause_tomorrow",
            "resume",
            "history",
            "settings",
            "quit",
        ):
            getattr(self, name).setObjectName(f"action_{name}")

        #: The "Pause reminders" submenu, by pause choice, in core's order.
        by_choice = {
            "30": self.pause_30,
            "60": self.pause_60,
            "120": self.pause_120,
            "tomorrow": self.pause_tomorrow,
        }
        assert set(by_choice) == set(PAUSE_CHOICES), "a pause choice without a menu entry"
        self.pause_choices: dict[str, QAction] = {c: by_choice[c] for c in PAUSE_CHOICES}

    @property
    def pause_actions(self) -> tuple[QAction, ...]:
        return tuple(self.pause_choices.values())
