"""The app's actions, created once and shared by the tray menu and the status window.

Sharing the same ``QAction`` objects means the fallback window (no system tray) can never
drift from the tray menu: same labels, same enabled state, same handlers.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction


class AppActions(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        tr = self.tr
        self.status = QAction(tr("NeckCare"), self)
        self.status.setEnabled(False)  # a label: the live status line
        self.start_ice = QAction(tr("Start ice"), self)
        self.start_heat = QAction(tr("Start heat"), self)
        self.stop_timer = QAction(tr("Stop timer"), self)
        self.log_spasm = QAction(tr("Log a spasm…"), self)
        self.update_spasm = QAction(tr("Update spasm…"), self)
        self.take_break = QAction(tr("Take a break now"), self)
        self.pause_30 = QAction(tr("30 minutes"), self)
        self.pause_60 = QAction(tr("1 hour"), self)
        self.pause_120 = QAction(tr("2 hours"), self)
        self.pause_tomorrow = QAction(tr("Until tomorrow morning"), self)
        self.resume = QAction(tr("Resume reminders"), self)
        self.history = QAction(tr("History…"), self)
        self.settings = QAction(tr("Settings…"), self)
        self.quit = QAction(tr("Quit"), self)
        for name in (
            "start_ice",
            "start_heat",
            "stop_timer",
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

    @property
    def pause_actions(self) -> tuple[QAction, ...]:
        return (self.pause_30, self.pause_60, self.pause_120, self.pause_tomorrow)
