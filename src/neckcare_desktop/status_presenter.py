"""The status as the person sees it: the tray icon, its tooltip and menu, the status window.

It renders :meth:`Engine.status` (plus the spasm phase guidance) wherever it is shown, and
keeps a countdown live only where one is watched. The tray can come and go (a panel
restart, a panel started after NeckCare): the icon is dropped with its tray and built
again for the next one, so ``tray is None`` always means "no tray: the window is the way
in".
"""

from __future__ import annotations

import logging
import math
import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from neckcare_desktop.core import events as ev
from neckcare_desktop.core import guidance
from neckcare_desktop.core.breaks import BreakPhase
from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.therapy import TherapyKind
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.notices import Notices
from neckcare_desktop.ui.actions import AppActions
from neckcare_desktop.ui.tray import TrayIcon
from neckcare_desktop.window_registry import WindowRegistry

if TYPE_CHECKING:
    from neckcare_desktop.core.history import HistoryStore
    from neckcare_desktop.core.status import Status
    from neckcare_desktop.ui.status_window import StatusWindow
    from neckcare_desktop.ui.tray_icon import TrayIconState

logger = logging.getLogger(__name__)


class StatusPresenter(QObject):
    """Keeps the tray icon, the shared actions and the status window in line with the engine."""

    #: After each refresh, with the status shown (an open quit question follows it).
    refreshed = Signal(object)
    #: A left click on the tray icon.
    status_requested = Signal()
    #: A click on the tray balloon (the pre-break warning's "click to postpone").
    message_clicked = Signal()

    def __init__(
        self,
        engine: Engine,
        history: HistoryStore,
        actions: AppActions,
        windows: WindowRegistry,
        notices: Notices,
        icon: QIcon,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._history = history
        self._actions = actions
        self._windows = windows
        self._notices = notices
        self._icon = icon
        self._scale: TimeScale = engine.scale
        #: The tray icon while a tray host is there; None while the fallback window serves.
        self.tray: TrayIcon | None = None
        #: What the status shows now (a status window built later starts with it).
        self.lines: tuple[str, ...] = ()
        self._phase_unreadable = False
        self._no_suggestion = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.refresh)
        notices.message_shown.connect(self._show_message)

    def on_engine_event(self, event: ev.EngineEvent) -> None:
        if isinstance(event, ev.StateChanged):
            self.refresh()

    def build_window(self) -> StatusWindow:
        """The status window, built on first use with what the status shows now."""
        from neckcare_desktop.ui.status_window import StatusWindow

        window = StatusWindow(self._actions, fallback=self.tray is None)
        window.set_status(self.lines)
        if self._notices.last_message is not None:
            window.show_message(*self._notices.last_message)
        return window

    def _show_message(self, title: str, text: str) -> None:
        window = self._windows.status_if_built
        if window is not None:
            window.show_message(title, text)

    # -- the tray comes and goes ---------------------------------------------------------

    def adopt_tray(self, existing: QSystemTrayIcon | None = None) -> TrayIcon:
        """Build the tray icon and its menu (around ``existing``, shown at start-up)."""
        tray = TrayIcon(self._actions, self._icon, self, existing=existing)
        tray.status_requested.connect(self.status_requested)
        tray.menu.aboutToShow.connect(self._menu_opening)
        tray.tray.messageClicked.connect(self.message_clicked)
        self.tray = tray
        self._notices.notifier.tray_notify = self.tray_notify
        return tray

    def _menu_opening(self) -> None:
        """A click on the tray icon is the person at the computer: the menu must not open
        on "Away…" because the idle poll has not looked since (it looks every few
        seconds to minutes)."""
        if self._engine.status().away:
            self._engine.on_presence(0.0)
        self.refresh()

    def tray_notify(self, title: str, text: str, warning: bool) -> bool:
        return self.tray is not None and self.tray.notify(title, text, warning=warning)

    def on_tray_presence(self, available: bool) -> None:
        """A tray host appeared or went away: dock the icon, or show the fallback window."""
        if available and self.tray is None:
            logger.info("a system tray appeared: NeckCare's icon goes there")
            self.adopt_tray().show()
            self.refresh()
            window = self._windows.status_if_built
            if window is not None and window.fallback:
                window.set_fallback(False)
                window.hide()
        elif not available and self.tray is not None:
            logger.info("the system tray went away: showing NeckCare in a window instead")
            tray, self.tray = self.tray, None
            self._notices.notifier.tray_notify = None
            tray.hide()
            tray.deleteLater()
            window = self._windows.status
            window.set_fallback(True)
            window.present()

    # -- status --------------------------------------------------------------------------

    def phase(self) -> guidance.Phase | None:
        """The open spasm's phase, or None (none open, or the history cannot be read)."""
        from neckcare_desktop.core.history import HistoryError

        try:
            phase = guidance.phase(
                self._history.latest_unresolved_episode(), self._engine.clock.now()
            )
        except (HistoryError, sqlite3.Error) as exc:
            # A locked or unreadable history is a passing state the person was told about
            # once; the status is refreshed every poll, so say it once here too.
            if not self._phase_unreadable:
                logger.info("no spasm guidance while the history cannot be read: %s", exc)
            self._phase_unreadable = True
            return None
        except Exception:
            logger.exception("could not read the latest spasm")
            return None
        self._phase_unreadable = False
        return phase

    def refresh(self) -> None:
        status = self._engine.status()
        self.refreshed.emit(status)
        phase = self.phase()
        advice = guidance.status_line(phase)
        lines = status.lines if advice is None else (*status.lines, advice)
        a = self._actions
        a.update_spasm.setEnabled(phase is not None)
        a.status.setText(status.summary)
        self._refresh_therapy_actions(status)
        a.resume.setEnabled(status.paused_until is not None)
        running_break = (
            status.active_break is not None and status.active_break.phase is BreakPhase.RUNNING
        )
        a.take_break.setEnabled(not running_break)
        if self.tray is not None:
            self.tray.set_status(lines)
            self.tray.set_icon(self.tray_icon_for(status))
            self.tray.set_heat_first(phase is not None and not guidance.prefer_ice(phase))
        self.lines = lines
        window = self._windows.status_if_built
        if window is not None:
            window.set_status(lines)
        self._schedule_refresh(status)

    def _refresh_therapy_actions(self, status: Status) -> None:
        """One timer at a time; "My skin is numb" only while ice is on; "Start ice" says
        the rest left, or the length it would use when that is not the usual one (the
        first days after a spasm, or extra care: 10 min)."""
        a = self._actions
        session = status.therapy
        running = session is not None
        for action in (a.start_ice, a.start_ice_intermittent, a.start_heat):
            action.setEnabled(not running)
        a.stop_timer.setEnabled(running)
        ice_on = session is not None and session.kind is TherapyKind.ICE
        a.skin_numb.setEnabled(ice_on)
        a.skin_numb.setVisible(ice_on)
        rest = status.ice_rest_remaining_seconds
        if rest is not None and not running:
            ice_text = self.tr("Start ice (rest: %1 min left)").replace(
                "%1", str(max(1, math.ceil(rest / 60)))
            )
        else:
            ice_text = self._start_text(TherapyKind.ICE, running)
        _set_text(a.start_ice, ice_text)
        _set_text(a.start_heat, self._start_text(TherapyKind.HEAT, running))

    def _start_text(self, kind: TherapyKind, running: bool) -> str:
        ice = kind is TherapyKind.ICE
        minutes = None if running else self._suggested_minutes(kind)
        usual = self._engine.settings.therapy
        if minutes is None or minutes == (usual.ice_minutes if ice else usual.heat_minutes):
            return self.tr("Start ice") if ice else self.tr("Start heat")
        return (self.tr("Start ice (%1 min)") if ice else self.tr("Start heat (%1 min)")).replace(
            "%1", str(minutes)
        )

    def _suggested_minutes(self, kind: TherapyKind) -> int | None:
        """What Start would use now, or None if it cannot be told (the history is locked:
        the phase comes from the open spasm): then the label says no length at all."""
        try:
            minutes = self._engine.suggested_minutes(kind)
        except Exception as exc:
            if not self._no_suggestion:  # refreshed every poll: say it once
                logger.info("no suggested %s length for the menu: %s", kind.value, exc)
            self._no_suggestion = True
            return None
        self._no_suggestion = False
        return minutes

    def tray_icon_for(self, status: Status) -> QIcon:
        """The plain icon when nothing is going on; the rendered, state-telling one else."""
        postponed = self._engine.breaks.any_postponed()
        if (
            status.therapy is None
            and status.active_break is None
            and not postponed
            and status.paused_until is None
        ):
            return self._icon
        from neckcare_desktop.ui.tray_icon import tray_qicon  # QtSvg painting, first use

        return tray_qicon(self.icon_state(status))

    def icon_state(self, status: Status) -> TrayIconState:
        from neckcare_desktop.ui.tray_icon import TrayIconState, panel_is_dark

        session = status.therapy
        fraction, minutes = 0.0, None
        if session is not None and status.therapy_remaining_seconds is not None:
            left = status.therapy_remaining_seconds
            fraction = left / max(1, session.span_seconds)  # off parts count down too
            minutes = max(1, math.ceil(left / 60)) if left > 0 else 0
        postponed = self._engine.breaks.any_postponed()
        return TrayIconState(
            therapy_kind=session.kind.value if session is not None else None,
            therapy_fraction_left=fraction,
            minutes_left=minutes,
            break_pending=status.active_break is not None or postponed,
            paused=status.paused_until is not None,
            dark_panel=panel_is_dark(QApplication.palette()),
        )

    def _schedule_refresh(self, status: Status) -> None:
        """Keep a countdown live only where one is watched; otherwise ride on the idle poll.

        The tray icon shows a therapy timer's minutes, and an open status window its
        countdowns: those get a wake-up at each whole-minute boundary. With nothing but the
        next break ahead, the "Next break in N min" of the tooltip is refreshed by the
        presence poll (at most 30 s apart, see :mod:`neckcare_desktop.presence`) and the
        menu by opening it, so the idle process has no timer of its own for it.
        """
        self.timer.stop()
        window = self._windows.status_if_built
        watched = window is not None and window.isVisible() and not window.isMinimized()
        countdowns = [
            s
            for s in (
                status.therapy_remaining_seconds,
                status.next_break_in_seconds if watched else None,
                status.ice_rest_remaining_seconds if watched else None,
            )
            if s is not None
        ]
        if not countdowns:
            return
        app_seconds = min((s % 60) or 60 for s in countdowns)
        ms = max(200, math.ceil(app_seconds * 1000 / self._scale.factor) + 50)
        self.timer.start(ms)


def _set_text(action: QAction, text: str) -> None:
    # The status is refreshed on every idle poll: an unchanged text is no change to
    # announce (the tray menu and status window would redraw for nothing).
    if action.text() != text:
        action.setText(text)
