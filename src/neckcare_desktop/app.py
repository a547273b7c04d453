"""The composition root: builds the engine, the presenters and the controller, connects
them, starts them and shuts them down. Views render engine state and forward intents; the
controller turns intents into engine calls; presenters show what the engine's events say.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from neckcare_desktop import __version__, desktop_sources
from neckcare_desktop.break_presenter import BreakPresenter
from neckcare_desktop.call_watch import CallWatch
from neckcare_desktop.controller import AppController
from neckcare_desktop.core.clock import Clock, SystemClock
from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.history import open_history
from neckcare_desktop.core.ports import SchedulerPort
from neckcare_desktop.core.settings import Settings
from neckcare_desktop.core.settings_file import load_settings
from neckcare_desktop.core.stretches import StretchRotation
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.first_run import FirstRun
from neckcare_desktop.memory import give_back_memory
from neckcare_desktop.notices import Notices
from neckcare_desktop.paths import AppPaths
from neckcare_desktop.platform.notifier import Notifier
from neckcare_desktop.platform.sound import SoundPlayer
from neckcare_desktop.platform.tray_presence import default_tray_presence
from neckcare_desktop.presence import PresenceWatcher
from neckcare_desktop.prompts import Prompts
from neckcare_desktop.resources import resource_path
from neckcare_desktop.scheduling import QtJobScheduler
from neckcare_desktop.settings_watcher import SettingsWatcher
from neckcare_desktop.status_presenter import StatusPresenter
from neckcare_desktop.therapy_alerts import TherapyAlerts
from neckcare_desktop.therapy_intents import keep_safety_answers
from neckcare_desktop.ui.actions import AppActions
from neckcare_desktop.window_registry import WindowRegistry

if TYPE_CHECKING:
    from neckcare_desktop.core.ipc_protocol import Request
    from neckcare_desktop.platform.quit_signals import QuitOnSignals
    from neckcare_desktop.ui.tray import TrayIcon

logger = logging.getLogger(__name__)

#: Logged once the tray icon (or the fallback window) is visible; the benchmark waits for it.
READY_MARKER = "neckcare ready"


def load_icon(name: str) -> QIcon:
    try:
        return QIcon(str(resource_path("icons", name)))
    except FileNotFoundError:
        logger.warning("icon %s not found; using a theme icon", name)
        return QIcon.fromTheme("preferences-desktop")


def _with_remembered_answers(
    settings: Settings, paths: AppPaths, defaulted: tuple[str, ...] | None = None
) -> tuple[Settings, bool]:
    """The ice and heat safety check, once answered, stays answered: the app state file
    remembers it (settings.toml holds the answers, not that they were asked).

    ``defaulted`` is what the settings file could not give at this start (None: the
    settings were not read from the file). Its safety answers come from the copy in the
    app state file, only ever turning one to "yes", so a typo elsewhere in the file never
    lifts an ice or heat limit the person asked for; a file that gave them all has the
    copy brought up to date instead. Returns the settings and whether the copy filled in
    an answer."""
    from neckcare_desktop.core.app_state import load_state
    from neckcare_desktop.core.settings import with_value
    from neckcare_desktop.core.settings_safety import (
        safety_answers_defaulted,
        with_kept_safety_answers,
    )

    state = load_state(paths.state_file)
    asked = state.therapy_safety_asked
    filled = False
    if defaulted and safety_answers_defaulted(defaulted):
        kept = state.therapy_safety_answers
        if kept is None:
            # Answered under an older NeckCare, which kept no copy: the answers are not
            # known now, so they are asked again rather than taken to be "no".
            if asked and not settings.therapy.safety_asked:
                logger.info("safety answers unknown (settings file not read): asking again")
            asked = False
        else:
            settings = with_kept_safety_answers(settings, kept, defaulted)
            filled = bool(kept)
            if filled:
                logger.info("safety answers kept from the app state file: %s", ", ".join(kept))
    if asked and not settings.therapy.safety_asked:
        settings = with_value(settings, "therapy.safety_asked", True)
    if defaulted == ():  # a good file: the copy follows it
        keep_safety_answers(paths.state_file, settings)
    return settings, filled


def _kept_answers_text(settings: Settings) -> str:
    """Said with the settings file's problems when the safety answers came from the copy:
    "default settings" does not mean the ice limit the person asked for is gone."""
    from neckcare_desktop.core.settings_safety import extra_care_text
    from neckcare_desktop.core.therapy import heat_extra_care, ice_extra_care

    text = QCoreApplication.translate(
        "NeckCareApp", "Your answers to the ice and heat safety questions are kept from before."
    )
    t = settings.therapy
    care = extra_care_text(ice=ice_extra_care(t), heat=heat_extra_care(t))
    return f"{text} {care}" if care else text


class NeckCareApp(QObject):
    """One running NeckCare: the engine, its presenters and the controller, wired."""

    quit_requested = Signal()

    def __init__(
        self,
        paths: AppPaths,
        *,
        clock: Clock | None = None,
        scale: TimeScale | None = None,
        tray_available: bool | None = None,
        settings: Settings | None = None,
        presence: PresenceWatcher | None = None,
        scheduler: SchedulerPort | None = None,
        tray_icon: QSystemTrayIcon | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.scale = scale or TimeScale()
        if self.scale.is_compressed:
            # Test mode: a demo's dozens of breaks never go into the person's real history.
            paths = paths.as_demo()
        self.paths = paths
        self.clock = clock or SystemClock()
        paths.ensure()
        self.settings_problems: list[str] = []
        defaulted: tuple[str, ...] | None = None
        if settings is None:
            result = load_settings(paths.settings_file, self.clock.now())
            settings = result.settings
            self.settings_problems = list(result.problems)
            defaulted = result.defaulted
        settings, answers_kept = _with_remembered_answers(settings, paths, defaulted)
        if answers_kept and self.settings_problems:
            self.settings_problems.append(_kept_answers_text(settings))
        opened = open_history(paths.history_file, self.clock.now())
        self.history = opened.store
        self.history_problem = opened.problem
        self.scheduler = scheduler or QtJobScheduler(self)
        #: A problem with the person's exercises.toml, told once at start (see start()).
        self.exercises_problem: str | None = None
        try:
            from neckcare_desktop.exercise_files import load_at_start  # built-in + own

            exercises, self.exercises_problem = load_at_start(paths.config_dir)
            rotation: StretchRotation | None = StretchRotation(exercises)
        except Exception:  # a broken list must not keep the timers from running
            logger.exception("could not load the stretch suggestions")
            rotation = None
        self.presence = presence or desktop_sources.default_presence(self.clock, self.scale, self)
        self.engine = Engine(
            settings,
            self.history,
            self.scheduler,
            self.clock,
            scale=self.scale,
            stretches=rotation,
            presence=self.presence,
        )
        self.icon = load_icon("neckcare.svg")
        self.actions = AppActions(self)
        self.prompts = Prompts(self.icon, self)
        self.notifier = Notifier(None, desktop_sources.default_notification_server(self), self)
        self.notices = Notices(self.notifier, SoundPlayer(), self.engine, self.presence, self.icon)
        self.notices.apply_sound_settings(settings)
        self.windows = WindowRegistry(self.icon, lambda: self.status.build_window(), self)
        self.status = StatusPresenter(
            self.engine, self.history, self.actions, self.windows, self.notices, self.icon, self
        )
        self.alerts = TherapyAlerts(
            self.notices,
            self.icon,
            self,
            now=self.clock.now,
            scale=self.scale,
            running=lambda: self.engine.therapy.active,
        )
        self.breaks = BreakPresenter(self.engine, self.notices, self.alerts, self.icon, self)
        for presenter in (self.status, self.breaks, self.alerts, self.notices):
            self.engine.subscribe(presenter.on_engine_event)
        # Looked up when built, so tests can replace call detection with none.
        self.calls = CallWatch(
            self.presence, lambda p: desktop_sources.default_call_monitor(p), self
        )
        self.engine.subscribe(lambda _event: self.calls.apply(self.engine.settings))
        self.settings_watcher = SettingsWatcher(paths.settings_file, self.clock, self)
        self.settings_watcher.troubled.connect(self.notices.warn)
        self.controller = AppController(
            self.engine,
            self.history,
            paths,
            actions=self.actions,
            prompts=self.prompts,
            windows=self.windows,
            notices=self.notices,
            status=self.status,
            breaks=self.breaks,
            settings_watcher=self.settings_watcher,
            describe_calls=self.calls.describe,
            parent=self,
        )
        self.controller.quit_requested.connect(self.quit_requested)
        # After the alerts: "Ice started" goes out before a check about that round.
        self.engine.subscribe(self.controller.therapy.on_engine_event)
        self.first_run = FirstRun(self.engine, paths, self.notices, self.icon, self)
        if tray_available is None:
            tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        if tray_available:
            self.status.adopt_tray(tray_icon)
        # The tray can go (a panel restart) and come (a panel started after us).
        self.tray_presence = default_tray_presence(bool(tray_available), self)
        self.tray_presence.changed.connect(self.status.on_tray_presence)
        self._quit_signals: QuitOnSignals | None = None

    @property
    def tray(self) -> TrayIcon | None:
        """The tray icon while a tray host is there; None while the fallback window serves."""
        return self.status.tray

    @property
    def sound(self) -> Any:
        return self.notices.sound

    @sound.setter
    def sound(self, player: Any) -> None:  # tests record cues instead of playing them
        self.notices.sound = player

    # -- life cycle ----------------------------------------------------------------------

    def start(self, *, announce_ready: bool = True) -> None:
        self.engine.start()
        self.presence.attach(self.engine)
        self.calls.apply(self.engine.settings)
        self.presence.polled.connect(self.status.refresh)
        # The idle poll runs on its own QTimer, outside the scheduler whose lost job the
        # watchdog looks for: a bug that leaves no break planned heals within a poll.
        self.presence.polled.connect(self.engine.watchdog_check)
        if self.tray is not None:
            self.tray.show()
        else:
            logger.warning("no system tray available: showing NeckCare in a window instead")
            self.windows.status.present()
        for problem in self.settings_problems:
            logger.warning("settings: %s", problem)
        if self.history_problem:
            self.notices.notify(self.tr("History file"), self.history_problem, warning=True)
        if self.settings_problems:
            self.notices.notify(
                self.tr("Settings file has problems"),
                "\n".join(self.settings_problems),
                warning=True,
            )
        if self.exercises_problem:
            # Their file is left as it is; the built-ins serve until it is fixed.
            self.notices.notify(
                self.tr("Your exercise file has a problem"), self.exercises_problem, warning=True
            )
        if announce_ready:
            logger.info(
                "%s (version %s, tray=%s)", READY_MARKER, __version__, self.tray is not None
            )
        give_back_memory()
        if self.first_run.should_ask(self.settings_problems):
            QTimer.singleShot(0, self.first_run.ask)

    def handle_request(self, request: Request) -> object:
        """Answer one command from the ``neckcare`` CLI (the instance server calls this)."""
        from neckcare_desktop.command_handlers import dispatch

        return dispatch(self.controller, request)

    def quit_on_signals(self, quit_now: Callable[[], None]) -> None:
        """SIGTERM, SIGINT and SIGHUP quit as Quit does; undone by :meth:`shutdown`."""
        from neckcare_desktop.platform.quit_signals import QuitOnSignals

        self._quit_signals = QuitOnSignals(quit_now)

    def shutdown(self) -> None:
        if self._quit_signals is not None:
            self._quit_signals.uninstall()
            self._quit_signals = None
        self.prompts.close_all()
        self.first_run.close()
        self.notices.close_boxes()
        self.controller.therapy.close_safety_check()
        self.status.timer.stop()
        self.settings_watcher.stop()
        self.calls.shut_down()
        self.presence.stop()
        self.breaks.shut_down()  # before the engine records the quit
        self.engine.shutdown()  # records "quit" only if the app had started
        if isinstance(self.scheduler, QtJobScheduler):  # a test's scheduler has no thread
            self.scheduler.shutdown()
        if self.tray is not None:
            self.tray.hide()
        self.alerts.shut_down()
        self.windows.shut_down()
        self.history.close()
