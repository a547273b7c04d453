"""The running app: builds the engine and the views, and turns clicks into engine intents.

Views render engine state and forward intents; the engine decides. This module is the only
place where both sides meet, which keeps each of them testable on its own.
"""

from __future__ import annotations

import logging
import math
import sqlite3
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QFileSystemWatcher,
    QLocale,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon, QWidget

from neckcare_desktop import __version__
from neckcare_desktop.core import events as ev
from neckcare_desktop.core import guidance
from neckcare_desktop.core.breaks import BreakKind, BreakPhase, BreakStateError
from neckcare_desktop.core.clock import Clock, SystemClock
from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.history_recovery import open_history
from neckcare_desktop.core.i18n import weekday_short
from neckcare_desktop.core.ipc_protocol import Request
from neckcare_desktop.core.settings import Settings, load_settings, parse_days
from neckcare_desktop.core.stretches import StretchRotation, default_stretches
from neckcare_desktop.core.therapy import (
    RestPeriodActive,
    TherapyError,
    TherapyKind,
    TherapySession,
)
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.paths import AppPaths
from neckcare_desktop.platform.notifier import Notifier
from neckcare_desktop.platform.single_instance import (
    CommandRefused,
)
from neckcare_desktop.platform.sound import SoundPlayer
from neckcare_desktop.platform.tray_presence import default_tray_presence
from neckcare_desktop.presence import PresenceWatcher
from neckcare_desktop.prompts import ICE_DURING_REST, QUIT, Prompts, quit_warning
from neckcare_desktop.resources import resource_path
from neckcare_desktop.scheduling import QtJobScheduler
from neckcare_desktop.ui.actions import AppActions
from neckcare_desktop.ui.tray import TrayIcon

if TYPE_CHECKING:
    from neckcare_desktop.core.status import Status
    from neckcare_desktop.ui.break_window import BreakWindow
    from neckcare_desktop.ui.status_window import StatusWindow
    from neckcare_desktop.ui.therapy_alert import TherapyAlert
    from neckcare_desktop.ui.tray_icon import TrayIconState

logger = logging.getLogger(__name__)

#: Logged once the tray icon (or the fallback window) is visible; the benchmark waits for it.
READY_MARKER = "neckcare ready"

#: Notifications that stand for something going on, withdrawn when it is dealt with.
TAG_WARNING = "break-warning"
TAG_BREAK = "break"
TAG_THERAPY = "therapy"


def _alert_tag(alert: object) -> str:
    return f"therapy-end-{id(alert)}"


def load_icon(name: str) -> QIcon:
    try:
        return QIcon(str(resource_path("icons", name)))
    except FileNotFoundError:
        logger.warning("icon %s not found; using a theme icon", name)
        return QIcon.fromTheme("preferences-desktop")


class NeckCareApp(QObject):
    """Owns the engine, the scheduler and every window of one running NeckCare."""

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
        if settings is None:
            result = load_settings(paths.settings_file, self.clock.now())
            settings = result.settings
            self.settings_problems = list(result.problems)
        opened = open_history(paths.history_file, self.clock.now())
        self.history = opened.store
        self.history_problem = opened.problem
        self.scheduler = QtJobScheduler(self)
        try:
            rotation: StretchRotation | None = StretchRotation(default_stretches())
        except Exception:  # a broken list must not keep the timers from running
            logger.exception("could not load the stretch suggestions")
            rotation = None
        self.presence = presence or default_presence(self.clock, self.scale, self)
        self.engine = Engine(
            settings,
            self.history,
            self.scheduler,
            self.clock,
            scale=self.scale,
            stretches=rotation,
            presence=self.presence,
        )
        self.engine.subscribe(self._on_engine_event)

        self.actions = AppActions(self)
        self._connect_actions()
        self.icon = load_icon("neckcare.svg")
        self.prompts = Prompts(self.icon, self)
        if tray_available is None:
            tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        #: The tray icon while a tray host is there; None while the fallback window serves.
        self.tray: TrayIcon | None = None
        if tray_available:
            self._adopt_tray(tray_icon)
        # The tray can go (a panel restart) and come (a panel started after us).
        self.tray_presence = default_tray_presence(bool(tray_available), self)
        self.tray_presence.changed.connect(self._on_tray_presence)
        # Built on first use: it costs fonts and layout, and most days nobody opens it.
        self._status_window: StatusWindow | None = None
        self._status_lines: tuple[str, ...] = ()
        self._phase_unreadable = False
        #: Error boxes on screen (kept here so that they stay until answered).
        self._error_boxes: list[QMessageBox] = []
        self._last_message: tuple[str, str] | None = None
        self.notifier = Notifier(
            self._tray_notify if self.tray else None, default_notification_server(self), self
        )
        self.sound = SoundPlayer()
        self._apply_sound_settings(settings)

        self.break_window: BreakWindow | None = None
        #: Copies of the break window on the other screens ("on every screen" setting).
        self._extra_break_windows: list[BreakWindow] = []
        #: A pre-break warning is showing: clicking the notification postpones that break.
        self._warning_shown = False
        self.alerts: list[TherapyAlert] = []
        self._history_window: QWidget | None = None
        self._settings_dialog: QWidget | None = None
        self._spasm_dialog: QWidget | None = None
        self._see_someone: QWidget | None = None

        self._settings_watcher = QFileSystemWatcher(self)
        self._settings_watcher.addPath(str(paths.config_dir))
        if paths.settings_file.exists():
            self._settings_watcher.addPath(str(paths.settings_file))
        self._settings_watcher.fileChanged.connect(self._on_settings_file_changed)
        self._settings_watcher.directoryChanged.connect(self._on_settings_file_changed)
        self._last_settings_bytes = _read_bytes(paths.settings_file)

        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(self.refresh_status)

    # -- life cycle ----------------------------------------------------------------------

    @property
    def status_window(self) -> StatusWindow:
        if self._status_window is None:
            from neckcare_desktop.ui.status_window import StatusWindow

            window = StatusWindow(self.actions, fallback=self.tray is None)
            window.setWindowIcon(self.icon)
            window.set_status(self._status_lines)
            if self._last_message is not None:
                window.show_message(*self._last_message)
            self._status_window = window
        return self._status_window

    def _show_in_status(self, title: str, text: str) -> None:
        # With its time: "Ice time is up" seen an hour later must read as past news.
        title = self.tr("{time} {title}").format(
            time=QLocale().toString(self.clock.now().time(), QLocale.FormatType.ShortFormat),
            title=title,
        )
        self._last_message = (title, text)
        if self._status_window is not None:
            self._status_window.show_message(title, text)

    def start(self, *, announce_ready: bool = True) -> None:
        self.engine.start()
        self.presence.attach(self.engine)
        self.presence.polled.connect(self.refresh_status)
        # The idle poll runs on its own QTimer, outside the scheduler whose lost job the
        # watchdog looks for: a bug that leaves no break planned heals within a poll.
        self.presence.polled.connect(self.engine.watchdog_check)
        if self.tray is not None:
            self.tray.show()
        else:
            logger.warning("no system tray available: showing NeckCare in a window instead")
            self.status_window.present()
        for problem in self.settings_problems:
            logger.warning("settings: %s", problem)
        if self.history_problem:
            self.notify(self.tr("History file"), self.history_problem, warning=True)
        if self.settings_problems:
            self.notify(
                self.tr("Settings file has problems"),
                "\n".join(self.settings_problems),
                warning=True,
            )
        if announce_ready:
            logger.info(
                "%s (version %s, tray=%s)", READY_MARKER, __version__, self.tray is not None
            )
        _give_back_memory()
        if self._should_ask_autostart():
            QTimer.singleShot(0, self.ask_autostart)

    def _should_ask_autostart(self) -> bool:
        """First run only: asked once is asked for good (remembered in the state file, not
        the person's settings), and never because the settings file is broken or unread."""
        from neckcare_desktop.core.app_state import legacy_autostart_asked, load_state, remember

        if load_state(self.paths.state_file).autostart_asked:
            return False
        if self.engine.settings.app.autostart_asked or legacy_autostart_asked(
            self.paths.settings_file
        ):
            try:  # migrate: an older NeckCare kept this in settings.toml
                remember(self.paths.state_file, autostart_asked=True)
            except OSError as exc:
                logger.warning("could not save the app state: %s", exc)
            return False
        # Defaults because of a typo are not a first run: ask at a start that read the file.
        return not self.settings_problems

    def ask_autostart(self) -> None:
        """First run: offer to start with the session (yes by default), and ask only once."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Start NeckCare when you log in?"),
            self.tr(
                "NeckCare can start by itself when you log in, so reminders and any ice or "
                "heat timer carry on after a restart. You can change this later in Settings."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowIcon(self.icon)
        yes = box.button(QMessageBox.StandardButton.Yes)
        # Only a click counts as an answer: a box closed by quitting asks again next time.
        box.buttonClicked.connect(lambda button: self.answer_autostart(button is yes))
        self._autostart_box = box
        box.show()

    def answer_autostart(self, enable: bool) -> None:
        from neckcare_desktop.core.app_state import remember
        from neckcare_desktop.core.settings import with_value
        from neckcare_desktop.platform.autostart import default_backend, launch_command

        backend = default_backend()
        try:
            if enable:
                backend.enable(launch_command())
            else:
                backend.disable()
        except OSError as exc:
            self.notify(self.tr("Start at login"), str(exc), warning=True)
        # App state, not a setting: the person's settings file is not written for it.
        try:
            remember(self.paths.state_file, autostart_asked=True)
        except OSError as exc:
            logger.warning("could not save the autostart answer: %s", exc)
        self.engine.apply_settings(with_value(self.engine.settings, "app.autostart_asked", True))

    def shutdown(self) -> None:
        self.prompts.close_all()
        self._status_timer.stop()
        # A change to the settings file from now on is nobody's business: no late notice.
        self._settings_watcher.blockSignals(True)
        self.presence.stop()
        self.engine.shutdown()  # records "quit" only if the app had started
        self.scheduler.shutdown()
        if self.tray is not None:
            self.tray.hide()
        for widget in (
            self.break_window,
            *self._extra_break_windows,
            self._history_window,
            self._settings_dialog,
            *self.alerts,
        ):
            if widget is not None:
                widget.deleteLater()
        if self._status_window is not None:
            self._status_window.set_fallback(False)  # so that it may close
            self._status_window.close()
            self._status_window.deleteLater()
        self.history.close()

    # -- actions -------------------------------------------------------------------------

    def _connect_actions(self) -> None:
        a = self.actions
        a.start_ice.triggered.connect(lambda: self.start_therapy(TherapyKind.ICE))
        a.start_heat.triggered.connect(lambda: self.start_therapy(TherapyKind.HEAT))
        a.stop_timer.triggered.connect(self.stop_therapy)
        a.take_break.triggered.connect(self.take_break_now)
        a.log_spasm.triggered.connect(self.log_spasm)
        a.update_spasm.triggered.connect(self.update_spasm)
        a.pause_30.triggered.connect(lambda: self.pause("30"))
        a.pause_60.triggered.connect(lambda: self.pause("60"))
        a.pause_120.triggered.connect(lambda: self.pause("120"))
        a.pause_tomorrow.triggered.connect(lambda: self.pause("tomorrow"))
        a.resume.triggered.connect(self.resume)
        a.history.triggered.connect(lambda: self.show_history())  # not with `checked` as days
        a.settings.triggered.connect(self.show_settings)
        # Tray menu, fallback window and status window all quit through this action.
        a.quit.triggered.connect(self.request_quit)

    def start_therapy(self, kind: TherapyKind, minutes: int | None = None) -> bool:
        """Start ice or heat; True if it runs now (during the skin's rest it asks first)."""
        try:
            self.engine.start_therapy(kind, minutes)
        except RestPeriodActive as exc:
            self.prompts.ask(
                ICE_DURING_REST,
                self.tr("Ice again so soon?"),
                str(exc),
                lambda yes: yes and self._start_during_rest(kind, minutes),
                parent=self._prompt_parent(),
            )
            return False
        except TherapyError as exc:
            self._cannot_start(kind, exc)
            return False
        return True

    def _start_during_rest(self, kind: TherapyKind, minutes: int | None) -> None:
        """Yes to "Ice again so soon?": the state may have moved on while the box waited."""
        try:
            self.engine.start_therapy(kind, minutes, confirm_during_rest=True)
        except TherapyError as exc:  # e.g. `neckcare heat` arrived meanwhile: say so, calmly
            self._cannot_start(kind, exc)

    def _cannot_start(self, kind: TherapyKind, exc: TherapyError) -> None:
        self.show_error(
            self.tr("Cannot start ice")
            if kind is TherapyKind.ICE
            else self.tr("Cannot start heat"),
            str(exc),
        )

    def request_quit(self) -> None:
        """Quit, but while ice or heat runs ask first: without the app, no alert would come."""
        status = self.engine.status()
        warning = quit_warning(status)
        if warning is None:
            self.quit_requested.emit()
            return
        asked_about = status.therapy
        self.prompts.ask(
            QUIT,
            self.tr("Quit NeckCare?"),
            warning + " " + self.tr("Quit anyway?"),
            lambda yes: yes and self._quit_answered(asked_about),
            parent=self._prompt_parent(),
        )

    def _refresh_quit_question(self, status: Status) -> None:
        """An open quit question says what quitting costs now: the minutes left, or, once
        the timer has ended, nothing more than "Quit NeckCare?"."""
        box = self.prompts.question(QUIT)
        if box is None:
            return
        warning = quit_warning(status)
        text = (
            self.tr("Quit NeckCare?")
            if warning is None
            else warning + " " + self.tr("Quit anyway?")
        )
        if box.text() != text:
            box.setText(text)

    def _quit_answered(self, asked_about: TherapySession | None) -> None:
        """Yes, quit: unless the other kind of timer started while the question waited."""
        running = self.engine.therapy.active
        if running is not None and asked_about is not None and running.kind != asked_about.kind:
            self.request_quit()  # the yes was about ice, and heat runs now (or the reverse)
            return
        self.quit_requested.emit()  # the same timer, or it ended meanwhile: just quit

    def _prompt_parent(self) -> QWidget | None:
        """The status window when it is on screen (the question belongs to it), else none."""
        window = self._status_window
        return window if window is not None and window.isVisible() else None

    def stop_therapy(self) -> None:
        try:
            finished = self.engine.stop_therapy()
        except TherapyError as exc:
            self.show_error(self.tr("Nothing to stop"), str(exc))
            return
        self._announce_stop(finished)

    def _announce_stop(self, finished) -> str:
        """Say how a stopped round went, in the place of its "Ice started" notification
        (however it was stopped: menu, window or command line); returns the sentence."""
        ice = finished.session.kind is TherapyKind.ICE
        if finished.cancelled:  # history calls it "started by mistake", so do we
            message = (
                self.tr("Ice cancelled: it was on for less than 2 minutes.")
                if ice
                else self.tr("Heat cancelled: it was on for less than 2 minutes.")
            )
        else:
            message = (
                self.tr("Ice stopped after {minutes} min.")
                if ice
                else self.tr("Heat stopped after {minutes} min.")
            ).format(minutes=round(finished.actual_seconds / 60))
        self.notify(
            self.tr("Ice stopped") if ice else self.tr("Heat stopped"), message, tag=TAG_THERAPY
        )
        return message

    def take_break_now(self) -> None:
        self.engine.take_break_now()

    def pause(self, choice: str) -> None:
        until = self.engine.pause(choice)
        self.notify(
            self.tr("Reminders paused"),
            self.tr("Break reminders are paused until %1. Ice and heat timers still work.").replace(
                "%1", until.strftime("%H:%M")
            ),
        )

    def resume(self) -> None:
        self.engine.resume()

    # -- windows -------------------------------------------------------------------------

    def show_status_window(self) -> None:
        self.status_window.present()
        self.refresh_status()  # after present(): a visible window keeps its countdown live

    def show_history(self, days: int | None = None) -> int:
        """Open History, on the range nearest to ``days`` when given; returns the range shown."""
        from neckcare_desktop.ui.history_window import (  # loaded on first use
            HistoryWindow,
            nearest_range,
        )

        if self._history_window is None:
            self._history_window = HistoryWindow(
                self.history,
                self.clock.now,
                days_off=self._days_off,
                test_mode=self.paths.demo,
            )
            self._history_window.setWindowIcon(self.icon)
        if days is not None:
            self._history_window.set_range_days(nearest_range(days))
        self._history_window.show()
        self._history_window.raise_()
        self._history_window.activateWindow()
        return self._history_window.range_days

    def _days_off(self) -> frozenset[int]:
        """Weekdays without reminders (working hours on): neutral for the History streak."""
        hours = self.engine.settings.working_hours
        if not hours.enabled:
            return frozenset()
        return frozenset(range(7)) - parse_days(hours.days)

    def show_settings(self) -> None:
        from neckcare_desktop.ui.settings_dialog import SettingsDialog  # loaded on first use

        if self._settings_dialog is not None and self._settings_dialog.isVisible():
            self._settings_dialog.raise_()
            self._settings_dialog.activateWindow()
            return
        from neckcare_desktop.platform.autostart import default_backend, launch_command

        dialog = SettingsDialog(
            self.engine.settings,
            self.paths.settings_file,
            autostart=default_backend(),
            launch_command=launch_command(),
        )
        dialog.saved.connect(self.apply_settings)
        self._keep("_settings_dialog", dialog).show()

    def _keep(self, attribute: str, window: QWidget) -> QWidget:
        """Hold ``window`` in ``attribute`` until it closes (it deletes itself then)."""
        window.setWindowIcon(self.icon)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda *_: self._forget_window(attribute, window))
        setattr(self, attribute, window)
        return window

    def _forget_window(self, attribute: str, window: QWidget) -> None:
        # An older window of the same kind is deleted only after its successor was kept:
        # forgetting unconditionally would lose the current one (two spasm dialogs open).
        if getattr(self, attribute) is window:
            setattr(self, attribute, None)

    def apply_settings(self, settings: Settings) -> None:
        self.engine.apply_settings(settings)
        self._show_break_choices()  # e.g. strict mode on: no Skip on the open break window
        self._apply_sound_settings(settings)
        self._last_settings_bytes = _read_bytes(self.paths.settings_file)

    def _on_settings_file_changed(self, _path: str = "") -> None:
        """The file was edited, replaced or deleted while running: follow it safely.

        A valid new file is applied at once; a broken one is copied aside and reported,
        and the settings in use stay as they are; a deleted file changes nothing (the
        next save from Settings… writes it again).
        """
        path = self.paths.settings_file
        if path.exists() and str(path) not in self._settings_watcher.files():
            self._settings_watcher.addPath(str(path))  # editors replace files on save
        data = _read_bytes(path)
        if data == self._last_settings_bytes:
            return
        self._last_settings_bytes = data
        if data is None:
            logger.warning("settings file %s disappeared; keeping the settings in use", path)
            return
        result = load_settings(path, self.clock.now(), while_running=True)
        if result.problems:
            self.notify(
                self.tr("Settings file has problems"),
                "\n".join(_first_and_last(result.problems, self.tr("…and {n} more.")))
                + "\n"
                + self.tr("NeckCare keeps the settings it was using."),
                warning=True,
            )
            return
        logger.info("settings file changed on disk; applying it")
        self.engine.apply_settings(result.settings)
        self._show_break_choices()
        self._apply_sound_settings(result.settings)

    def _apply_sound_settings(self, settings: Settings) -> None:
        self.sound.enabled = settings.notifications.sound
        if hasattr(self.sound, "volume"):
            self.sound.volume = settings.notifications.volume / 100

    def play(self, cue: str) -> None:
        """Sounds stay quiet during do-not-disturb, except the end of ice or heat."""
        if (
            cue != "therapy-end"
            and self.engine.settings.breaks.respect_fullscreen
            and self.presence.do_not_disturb() is not None
        ):
            return
        self.sound.play(cue)

    # -- spasm log and guidance ----------------------------------------------------------

    def log_spasm(self) -> None:
        if self._raise_spasm_dialog():
            return
        from neckcare_desktop.ui.spasm_dialog import SpasmDialog  # loaded on first use

        self._open_spasm_dialog(SpasmDialog(self.history, self.clock.now, at=self.clock.at))

    def update_spasm(self) -> None:
        if self._raise_spasm_dialog():
            return
        from neckcare_desktop.ui.spasm_dialog import SpasmDialog

        episode = self.history.latest_unresolved_episode()
        if episode is None:
            self.show_error(self.tr("No open spasm"), self.tr("There is no spasm to update."))
            return
        self._open_spasm_dialog(
            SpasmDialog.for_update(self.history, episode.id, self.clock.now, at=self.clock.at)
        )

    def _raise_spasm_dialog(self) -> bool:
        """A spasm form already open comes forward as it is: what was typed stays."""
        dialog = self._spasm_dialog
        if dialog is None or not dialog.isVisible():
            return False
        dialog.raise_()
        dialog.activateWindow()
        return True

    def _open_spasm_dialog(self, dialog: QWidget) -> None:
        dialog.saved.connect(self._on_spasm_saved)
        self._keep("_spasm_dialog", dialog).show()

    def _on_spasm_saved(self, episode) -> None:
        self.refresh_status()
        if self._history_window is not None and self._history_window.isVisible():
            self._history_window.refresh()
        self.check_see_someone(getattr(episode, "warning_signs", ()))

    def check_see_someone(self, warning_signs=()) -> None:
        """A calm suggestion to see a professional when spasms keep coming back."""
        if not self.engine.settings.guidance.see_someone:
            return
        now = self.clock.now()
        try:
            reasons = guidance.see_someone_reasons(
                self.history.episodes_between(now - timedelta(days=30), now + timedelta(seconds=1)),
                self.history.open_episodes(),
                now,
                warning_signs,
            )
        except Exception:  # history trouble must not turn into an alarm
            logger.exception("could not check the spasm history for guidance")
            return
        if not reasons:
            return
        from neckcare_desktop.ui.see_someone import SeeSomeoneMessage

        if self._see_someone is not None:
            self._see_someone.close()
        message = SeeSomeoneMessage(reasons)
        message.dont_show_again.connect(self._stop_see_someone)
        self._keep("_see_someone", message).show()

    def _stop_see_someone(self) -> None:
        from neckcare_desktop.core.settings import save_settings, with_value

        settings = with_value(self.engine.settings, "guidance.see_someone", False)
        try:
            save_settings(settings, self.paths.settings_file)
        except OSError as exc:
            logger.warning("could not save the guidance setting: %s", exc)
        self.apply_settings(settings)

    def _phase(self):
        from neckcare_desktop.core.history import HistoryError

        try:
            phase = guidance.phase(self.history.latest_unresolved_episode(), self.clock.now())
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

    # -- commands from other neckcare processes -----------------------------------------

    def handle_request(self, request: Request) -> object:
        """Answer one command from the ``neckcare`` CLI. Must return quickly: no dialogs."""
        cmd, args = request.cmd, request.args
        try:
            if cmd == "show":
                self.show_status_window()
                return {"shown": True}
            if cmd in ("ice", "heat"):
                kind = TherapyKind(cmd)
                minutes = args.get("minutes")
                try:
                    self.engine.start_therapy(
                        kind, minutes, confirm_during_rest=bool(args.get("anyway"))
                    )
                except RestPeriodActive as exc:
                    # The menu's "Ice again so soon?", as a terminal can ask it: the reason,
                    # and the command that confirms.
                    left = self.scale.app_seconds(exc.rest_until - self.clock.now())
                    again = "neckcare ice" + ("" if minutes is None else f" --minutes {minutes}")
                    raise CommandRefused(
                        self.tr(
                            "Your skin is still resting after the last ice round: ice again in "
                            "{minutes} min. To start another round anyway: {command}"
                        ).format(minutes=max(1, math.ceil(left / 60)), command=again + " --anyway")
                    ) from exc
                return self.engine.status().to_json()
            if cmd == "stop":
                finished = self.engine.stop_therapy()
                message = self._announce_stop(finished)
                return {
                    "kind": finished.session.kind.value,
                    "actual_seconds": finished.actual_seconds,
                    "cancelled": finished.cancelled,
                    "message": message,
                }
            if cmd == "break":
                active = self.engine.breaks.active
                if active is not None and active.phase is BreakPhase.RUNNING:
                    left = max(0.0, self._break_remaining())
                    return {
                        **self.engine.status().to_json(),
                        "message": (
                            self.tr("A posture break is already running: {minutes} min left.")
                            if active.kind is BreakKind.POSTURE
                            else self.tr("A micro-break is already running: {seconds} s left.")
                        ).format(minutes=max(1, math.ceil(left / 60)), seconds=round(left)),
                    }
                self.engine.take_break_now()
                return self.engine.status().to_json()
            if cmd == "pause":
                until = self.engine.pause(args["choice"])
                return {"paused_until": until.strftime("%Y-%m-%d %H:%M")}
            if cmd == "resume":
                before = self.engine.status()
                if before.paused_until is None:
                    return {
                        **before.to_json(),
                        "message": self.tr("Break reminders are not paused; nothing to resume."),
                    }
                if before.off_hours:  # resuming cannot bring reminders outside working hours
                    until = before.paused_until
                    when = until.strftime("%H:%M")
                    if until.date() != self.clock.now().date():
                        when = self.tr("{weekday} {time}").format(
                            weekday=weekday_short(until), time=when
                        )
                    return {
                        **before.to_json(),
                        "message": self.tr(
                            "Nothing to resume: it is outside your working hours; break "
                            "reminders start again at {when}."
                        ).format(when=when),
                    }
                self.engine.resume()
                return self.engine.status().to_json()
            if cmd == "status":
                result = self.engine.status().to_json()
                phase = self._phase()
                result["phase"] = phase
                advice = guidance.status_line(phase)
                if advice:
                    result["status"] = [*result["status"], advice]
                return result
            if cmd == "history":
                asked = args.get("days")
                shown = self.show_history(asked)
                if asked is None or asked == shown:
                    message = self.tr("History opened on the last {days} days.")
                else:  # the window offers 7, 30 or 90 days: say which one it chose
                    message = self.tr(
                        "History opened on the last {days} days (the nearest it shows to {asked})."
                    )
                return {
                    "shown": True,
                    "days": shown,
                    "message": message.format(days=shown, asked=asked),
                }
            if cmd == "quit":
                warning = quit_warning(self.engine.status())
                if warning is not None and not args.get("force"):
                    raise CommandRefused(
                        warning + " " + self.tr("To quit anyway: neckcare quit --force")
                    )
                # Reply first; quit once the answer is on its way.
                QTimer.singleShot(0, self.quit_requested.emit)
                return {"quitting": True}
        except TherapyError as exc:
            raise CommandRefused(str(exc)) from exc
        except BreakStateError as exc:
            raise CommandRefused(
                self.tr("No break can be changed now: {reason}.").format(reason=exc)
            ) from exc
        raise CommandRefused(
            self.tr("NeckCare does not know the command {command}.").format(command=repr(cmd))
        )

    # -- prompts (tests replace these) ---------------------------------------------------

    def show_error(self, title: str, text: str) -> None:
        self._show_in_status(title, text)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text)
        box.setWindowIcon(self.icon)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Without a reference PySide6 deletes a parentless box as this method returns:
        # the person would never see why nothing happened.
        self._error_boxes.append(box)
        box.finished.connect(lambda *_: self._error_boxes.remove(box))
        box.show()

    def notify(
        self,
        title: str,
        text: str,
        *,
        warning: bool = False,
        critical: bool = False,
        actions: Sequence[tuple[str, str]] = (),
        on_action: Callable[[str], None] | None = None,
        tag: str | None = None,
    ) -> None:
        """The status window shows it; the notification server (or the balloon) too.

        ``critical``: the end of ice or heat, which must get through. ``actions``:
        ``(key, label)`` buttons where the server has them; ``on_action`` gets the key.
        ``tag``: what it is about, so that it can leave once dealt with (``withdraw``).
        """
        self._show_in_status(title, text)
        self.notifier.notify(
            title,
            text,
            warning=warning,
            critical=critical,
            actions=actions,
            on_action=on_action,
            tag=tag,
        )

    def withdraw(self, *tags: str) -> None:
        for tag in tags:
            self.notifier.withdraw(tag)

    def _tray_notify(self, title: str, text: str, warning: bool) -> bool:
        return self.tray is not None and self.tray.notify(title, text, warning=warning)

    # -- the tray comes and goes ---------------------------------------------------------

    def _adopt_tray(self, existing: QSystemTrayIcon | None = None) -> TrayIcon:
        """Build the tray icon and its menu (around ``existing``, shown at start-up)."""
        tray = TrayIcon(self.actions, self.icon, self, existing=existing)
        tray.status_requested.connect(self.show_status_window)
        tray.menu.aboutToShow.connect(self.refresh_status)
        tray.tray.messageClicked.connect(self._on_message_clicked)
        self.tray = tray
        notifier = getattr(self, "notifier", None)  # not yet built during __init__
        if notifier is not None:
            notifier.tray_notify = self._tray_notify
        return tray

    def _on_tray_presence(self, available: bool) -> None:
        """A tray host appeared or went away: dock the icon, or show the fallback window.

        The icon is dropped with its tray and built again for the next one, so ``self.tray
        is None`` keeps meaning "no tray: the window is the way in" everywhere.
        """
        if available and self.tray is None:
            logger.info("a system tray appeared: NeckCare's icon goes there")
            self._adopt_tray().show()
            self.refresh_status()
            window = self._status_window
            if window is not None and window.fallback:
                window.set_fallback(False)
                window.hide()
        elif not available and self.tray is not None:
            logger.info("the system tray went away: showing NeckCare in a window instead")
            tray, self.tray = self.tray, None
            self.notifier.tray_notify = None
            tray.hide()
            tray.deleteLater()
            window = self.status_window
            window.set_fallback(True)
            window.present()

    # -- engine events -------------------------------------------------------------------

    def _on_engine_event(self, event: ev.EngineEvent) -> None:
        if isinstance(event, ev.StateChanged):
            self.refresh_status()
        elif isinstance(event, ev.BreakDue):
            self._warning_shown = False
            self._show_break(
                event.brk.kind,
                event.stretch,
                event.nominal_seconds,
                running=False,
                can_postpone=event.can_postpone,
                can_skip=event.can_skip,
            )
            from neckcare_desktop.ui.break_window import duration_text  # loaded just above

            length = duration_text(event.nominal_seconds)
            if event.brk.kind is BreakKind.MICRO:
                what = self.tr("Micro-break")
                text = self.tr(
                    "Look at something far away for {duration} and let your shoulders drop."
                ).format(duration=length)
            else:
                what = self.tr("Posture break")
                text = self.tr("Stand up, walk a little and stretch gently for {duration}.").format(
                    duration=length
                )
            self.withdraw(TAG_WARNING)
            self.notify(what, text, tag=TAG_BREAK)
        elif isinstance(event, ev.BreakStarted):
            self.withdraw(TAG_WARNING, TAG_BREAK)
            self._show_break(
                event.brk.kind,
                event.stretch,
                event.nominal_seconds,
                running=True,
                can_skip=event.can_end_early,
            )
            self.play("break-start")
        elif isinstance(event, ev.BreakFinished):
            self._close_break_window()
            if event.completed:
                self.play("break-end")
                self.notify(
                    self.tr("Break over"), self.tr("Welcome back. Nice work."), tag=TAG_BREAK
                )
            else:
                self.withdraw(TAG_BREAK)
        elif isinstance(event, ev.BreakWithdrawn):
            self._close_break_window()
            self.withdraw(TAG_WARNING, TAG_BREAK)
        elif isinstance(event, ev.TherapyStarted):
            self.notify(
                self.tr("Ice started")
                if event.session.kind is TherapyKind.ICE
                else self.tr("Heat started"),
                event.advice,
                tag=TAG_THERAPY,
            )
        elif isinstance(event, ev.TherapyEnded):
            self._show_alert(event)
        elif isinstance(event, ev.Notice):
            self.notify(event.title, event.text, warning=event.warning)
        elif isinstance(event, ev.BreakWarning):
            self._warn_of_break(event)

    def _show_break(
        self,
        kind: BreakKind,
        stretch,
        nominal_seconds: int,
        *,
        running: bool,
        can_postpone: bool = True,
        can_skip: bool = True,
    ) -> None:
        window = self.break_window
        if window is None or window.kind is not kind or not window.isVisible():
            self._close_break_window()
            windows = []
            screens = self._break_screens()
            from neckcare_desktop.ui.break_window import BreakWindow  # first break: load it

            for screen in screens:
                w = BreakWindow(
                    kind,
                    stretch,
                    nominal_seconds,
                    self.engine.settings.breaks.postpone_minutes,
                    self._break_remaining,
                    can_postpone=can_postpone,
                    can_skip=can_skip,
                )
                w.setWindowIcon(self.icon)
                w.start_requested.connect(self._on_break_start)
                w.postpone_requested.connect(self._on_break_postpone)
                w.skip_requested.connect(self._on_break_skip)
                w.present(screen)
                windows.append(w)
            window, self._extra_break_windows = windows[0], windows[1:]
            self.break_window = window
            for alert in self.alerts:  # the ice alert must never hide behind a break
                alert.raise_()
        if running:
            for w in (window, *self._extra_break_windows):
                if not w.running:
                    w.set_running(self._tick_interval_ms(), can_end_early=can_skip)

    def _break_screens(self) -> list:
        """The pointer's screen first; every other screen too with "on every screen"."""
        from neckcare_desktop.ui.placement import pointer_screen

        first = pointer_screen()
        screens = [first]
        if self.engine.settings.breaks.all_screens:
            screens += [sc for sc in QApplication.screens() if sc is not first]
        return screens

    def _tick_interval_ms(self) -> int:
        return max(50, round(1000 / self.scale.factor))

    def _break_remaining(self) -> float:
        active = self.engine.breaks.active
        if active is None or active.ends_at is None:
            return 0.0
        return self.scale.app_seconds(active.ends_at - self.clock.now())

    def _close_break_window(self) -> None:
        windows = [w for w in (self.break_window, *self._extra_break_windows) if w is not None]
        self.break_window, self._extra_break_windows = None, []
        for window in windows:
            window.finish()
            window.deleteLater()

    def _warn_of_break(self, event: ev.BreakWarning) -> None:
        """The pre-break warning; where it can say so, it offers to postpone that break.

        A notification server with actions gets a "Postpone N min" button; Qt's balloon
        reports a click on it (``messageClicked``); anything else can only inform.
        """
        minutes = str(self.engine.settings.breaks.postpone_minutes)
        from neckcare_desktop.ui.break_window import duration_text

        # Nominal seconds, measured when the job ran: a job a moment late says 299 for the
        # 300 the person set, who reads "5 minutes" (and "1 min 30 s" for such a setting).
        seconds = event.seconds_before
        configured = self.engine.settings.breaks.warning_seconds
        if abs(seconds - configured) <= 5:
            seconds = configured
        length = (
            duration_text(seconds)
            if seconds < 60 or seconds % 60 == 0
            else self.tr("{minutes} min {seconds} s").format(
                minutes=seconds // 60, seconds=seconds % 60
            )
        )
        text = self.tr("Posture break in {duration}.").format(duration=length)
        actions: list[tuple[str, str]] = []
        if event.can_postpone and self.notifier.server_takes_actions():
            label = QCoreApplication.translate("BreakWindow", "Postpone %1 min")
            actions.append(("postpone", label.replace("%1", minutes)))
        elif event.can_postpone and self.notifier.balloon_is_the_route():
            text += " " + self.tr("Click here to postpone it %1 min.").replace("%1", minutes)
        self._warning_shown = event.can_postpone
        self.notify(
            self.tr("Break coming up"),
            text,
            actions=actions,
            on_action=self._on_warning_action,
            tag=TAG_WARNING,
        )

    def _on_warning_action(self, key: str) -> None:
        """The notification server's "Postpone" button on the pre-break warning."""
        if key == "postpone":
            self._on_message_clicked()

    def _on_message_clicked(self) -> None:
        """A click on the pre-break warning postpones the break it announced."""
        if not self._warning_shown:
            return
        self._warning_shown = False
        moved = self.engine.postpone_upcoming()
        if moved is not None:
            minutes = self.engine.settings.breaks.postpone_minutes
            self.notify(  # in the warning's place: its Postpone is used up
                self.tr("Break postponed"),
                self.tr("Your posture break moved %1 min later.").replace("%1", str(minutes)),
                tag=TAG_WARNING,
            )

    def _on_break_start(self) -> None:
        if not self._guarded(self.engine.start_break):
            self._show_break_choices()

    def _on_break_postpone(self) -> None:
        if self._guarded(self.engine.postpone_break):
            self._close_break_window()
        else:
            self._show_break_choices()

    def _on_break_skip(self) -> None:
        # Only a skip that happened closes the window: a refused one (strict mode switched
        # on while it was open) would leave the break due with nothing on screen.
        if self._guarded(self.engine.skip_break):
            self._close_break_window()
        else:
            self._show_break_choices()

    def _show_break_choices(self) -> None:
        """Bring open break windows in line with what the engine allows for the break now."""
        windows = [w for w in (self.break_window, *self._extra_break_windows) if w is not None]
        if not windows:
            return
        active = self.engine.breaks.active
        if active is None:  # the break is over (clicked late): nothing left to answer
            self._close_break_window()
            return
        can_postpone = self.engine.breaks.can_postpone(active)
        can_skip = self.engine.breaks.can_skip()
        for window in windows:
            window.set_choices(can_postpone, can_skip)

    def _guarded(self, intent) -> bool:
        """Run a break intent that may have been overtaken by time (window clicked late)."""
        try:
            intent()
        except BreakStateError as exc:
            logger.info("break intent ignored: %s", exc)
            return False
        return True

    def _show_alert(self, event: ev.TherapyEnded) -> None:
        from neckcare_desktop.ui.therapy_alert import TherapyAlert  # loaded on first alert

        alert = TherapyAlert(event.finished, event.advice)
        alert.setWindowIcon(self.icon)
        alert.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.alerts.append(alert)
        alert.destroyed.connect(lambda *_: self._forget_alert(alert))
        alert.present(self.alerts)  # cascaded from alerts still waiting
        self.play("therapy-end")
        self.withdraw(TAG_THERAPY)  # "Ice started" is over
        self.notify(alert.heading.text(), event.advice, critical=True, tag=_alert_tag(alert))

    def _forget_alert(self, alert: TherapyAlert) -> None:
        # Confirmed: the critical notification, which has no timeout, goes with it.
        self.withdraw(_alert_tag(alert))
        if alert in self.alerts:
            self.alerts.remove(alert)

    # -- status --------------------------------------------------------------------------

    def refresh_status(self) -> None:
        status = self.engine.status()
        self._refresh_quit_question(status)
        phase = self._phase()
        advice = guidance.status_line(phase)
        lines = status.lines if advice is None else (*status.lines, advice)
        a = self.actions
        a.update_spasm.setEnabled(phase is not None)
        a.status.setText(status.summary)
        therapy_running = status.therapy is not None
        a.start_ice.setEnabled(not therapy_running)
        a.start_heat.setEnabled(not therapy_running)
        a.stop_timer.setEnabled(therapy_running)
        rest = status.ice_rest_remaining_seconds
        a.start_ice.setText(
            self.tr("Start ice")
            if rest is None or therapy_running
            else self.tr("Start ice (rest: %1 min left)").replace(
                "%1", str(max(1, math.ceil(rest / 60)))
            )
        )
        paused = status.paused_until is not None
        a.resume.setEnabled(paused)
        running_break = (
            status.active_break is not None and status.active_break.phase is BreakPhase.RUNNING
        )
        a.take_break.setEnabled(not running_break)
        if self.tray is not None:
            self.tray.set_status(lines)
            self.tray.set_icon(self._tray_icon_for(status))
            self.tray.set_heat_first(phase is not None and not guidance.prefer_ice(phase))
        self._status_lines = lines
        if self._status_window is not None:
            self._status_window.set_status(lines)
        self._schedule_status_refresh(status)

    def _tray_icon_for(self, status) -> QIcon:
        """The plain icon when nothing is going on; the rendered, state-telling one else."""
        postponed = self.engine.breaks.any_postponed()
        if (
            status.therapy is None
            and status.active_break is None
            and not postponed
            and status.paused_until is None
        ):
            return self.icon
        from neckcare_desktop.ui.tray_icon import tray_qicon  # QtSvg painting, first use

        return tray_qicon(self._icon_state(status))

    def _icon_state(self, status) -> TrayIconState:
        from neckcare_desktop.ui.tray_icon import TrayIconState, panel_is_dark

        session = status.therapy
        fraction, minutes = 0.0, None
        if session is not None and status.therapy_remaining_seconds is not None:
            left = status.therapy_remaining_seconds
            fraction = left / max(1, session.planned_seconds)
            minutes = max(1, math.ceil(left / 60)) if left > 0 else 0
        postponed = self.engine.breaks.any_postponed()
        return TrayIconState(
            therapy_kind=session.kind.value if session is not None else None,
            therapy_fraction_left=fraction,
            minutes_left=minutes,
            break_pending=status.active_break is not None or postponed,
            paused=status.paused_until is not None,
            dark_panel=panel_is_dark(QApplication.palette()),
        )

    def _schedule_status_refresh(self, status) -> None:
        """Keep a countdown live only where one is watched; otherwise ride on the idle poll.

        The tray icon shows a therapy timer's minutes, and an open status window its
        countdowns: those get a wake-up at each whole-minute boundary. With nothing but the
        next break ahead, the "Next break in N min" of the tooltip is refreshed by the
        presence poll (at most 30 s apart, see :mod:`neckcare_desktop.presence`) and the
        menu by opening it, so the idle process has no timer of its own for it.
        """
        self._status_timer.stop()
        window = self._status_window
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
        ms = max(200, math.ceil(app_seconds * 1000 / self.scale.factor) + 50)
        self._status_timer.start(ms)


def _give_back_memory() -> None:
    """Return the heap that start-up used and freed (imports, parsing) to the system.

    glibc keeps freed memory mapped for reuse; an app that then idles all day would hold
    it for nothing. Harmless elsewhere: other C libraries simply lack the call.
    """
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _first_and_last(lines: list[str], more: str, shown: int = 5) -> list[str]:
    """At most ``shown`` lines, saying how many were left out; the last line (where the
    bad file's copy was saved) is always kept."""
    if len(lines) <= shown:
        return list(lines)
    return [*lines[: shown - 1], more.format(n=len(lines) - shown), lines[-1]]


def _read_bytes(path) -> object:
    """What is at the settings path now (None: nothing). Never opens a FIFO or a device,
    so one swapped in while running cannot block the GUI thread."""
    from neckcare_desktop.core.settings_file import file_state

    return file_state(path)


def default_notification_server(parent: QObject):  # -> NotificationServer
    """The desktop's notification server on the session bus (asked asynchronously)."""
    from neckcare_desktop.platform.notifications import NotificationServer
    from neckcare_desktop.platform.notifier import default_sender

    return NotificationServer(default_sender(), parent=parent)


def default_presence(clock: Clock, scale: TimeScale, parent: QObject) -> PresenceWatcher:
    """Idle time and do-not-disturb from this desktop, through ``platform/``."""
    from neckcare_desktop.platform.dnd import DndMonitor
    from neckcare_desktop.platform.idle import IdleMonitor

    # Both are asynchronous sources: the poll asks and the answers arrive through the
    # event loop, so a hung D-Bus service never holds up the GUI thread.
    idle = IdleMonitor()
    dnd = DndMonitor(fallback_reason=QCoreApplication.translate("NeckCareApp", "do not disturb"))
    watcher = PresenceWatcher(idle, dnd, clock, scale, parent)
    watcher.watch_logind()
    return watcher
