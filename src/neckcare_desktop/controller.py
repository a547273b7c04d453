"""The controller: what happens when the person asks for something.

Intents arrive from the tray menu and the status window (the shared actions), from the
app's windows (break window, spasm form, Settings, see-someone) and from the ``neckcare``
command line (through :func:`neckcare_desktop.command_handlers.dispatch`, which uses this
object as its target). Each becomes a call on the engine or a core service; what the
person then sees follows from the events these raise, shown by the presenters.

Questions are asked without a nested event loop (``open()`` + ``finished``, see
:mod:`neckcare_desktop.prompts`): an answer always runs on a fresh stack and looks at the
state again, so a command that arrives while a box waits cannot change state under it.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, QTimer, Signal

from neckcare_desktop.core import guidance
from neckcare_desktop.core.breaks import BreakStateError
from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.pause import PAUSE_CHOICES
from neckcare_desktop.core.rules import days_off, see_someone_reasons
from neckcare_desktop.core.settings import Settings, with_value
from neckcare_desktop.core.spasm_log import SpasmIntent, SpasmLog, SpasmNotSaved, SpasmSaved
from neckcare_desktop.core.therapy import TherapyKind, TherapySession
from neckcare_desktop.notices import Notices
from neckcare_desktop.prompts import QUIT, Prompts, quit_warning
from neckcare_desktop.therapy_intents import TherapyIntents, keep_safety_answers
from neckcare_desktop.window_registry import HISTORY, SEE_SOMEONE, SETTINGS, SPASM, WindowRegistry

if TYPE_CHECKING:
    from collections.abc import Callable

    from neckcare_desktop.break_presenter import BreakPresenter
    from neckcare_desktop.core.clock import Clock
    from neckcare_desktop.core.history import HistoryStore
    from neckcare_desktop.core.status import Status
    from neckcare_desktop.core.therapy import FinishedSession
    from neckcare_desktop.core.timescale import TimeScale
    from neckcare_desktop.paths import AppPaths
    from neckcare_desktop.platform.sound import SoundPlayer
    from neckcare_desktop.settings_watcher import SettingsWatcher
    from neckcare_desktop.status_presenter import StatusPresenter
    from neckcare_desktop.ui.actions import AppActions
    from neckcare_desktop.ui.history.window import HistoryWindow
    from neckcare_desktop.ui.settings_dialog import SettingsDialog
    from neckcare_desktop.ui.spasm_dialog import SpasmDialog

logger = logging.getLogger(__name__)


class AppController(QObject):
    """Turns the person's intents into engine and core-service calls."""

    quit_requested = Signal()

    def __init__(
        self,
        engine: Engine,
        history: HistoryStore,
        paths: AppPaths,
        *,
        actions: AppActions,
        prompts: Prompts,
        windows: WindowRegistry,
        notices: Notices,
        status: StatusPresenter,
        breaks: BreakPresenter,
        settings_watcher: SettingsWatcher,
        describe_calls: Callable[[], str | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.clock: Clock = engine.clock
        self.scale: TimeScale = engine.scale
        self.history = history
        self.paths = paths
        self.prompts = prompts
        self.windows = windows
        self.notices = notices
        self.status = status
        self.breaks = breaks
        self.settings_watcher = settings_watcher
        #: Why calls cannot be detected here (for Settings), or None.
        self._describe_calls = describe_calls
        self.spasm_log = SpasmLog(history, self.clock.now)
        #: Settings' "Test sound" player, kept between clicks: a collected one cuts the cue.
        self._test_player: SoundPlayer | None = None
        #: Ice and heat: starting (after the first-use safety check), stopping, numb skin.
        self.therapy = TherapyIntents(
            engine,
            paths,
            prompts=prompts,
            windows=windows,
            notices=notices,
            # Looked up at each call: tests replace show_error on this object.
            show_error=lambda title, text: self.show_error(title, text),
            apply_settings=self.apply_settings,
            parent=self,
        )
        self._connect(actions)

    def _connect(self, a: AppActions) -> None:
        self.therapy.connect_actions(a)
        a.take_break.triggered.connect(self.take_break_now)
        a.log_spasm.triggered.connect(self.log_spasm)
        a.update_spasm.triggered.connect(self.update_spasm)
        for choice in PAUSE_CHOICES:
            a.pause_choices[choice].triggered.connect(partial(self._pause_from_menu, choice))
        a.resume.triggered.connect(self.resume)
        a.history.triggered.connect(lambda: self.show_history())  # not with `checked` as days
        a.settings.triggered.connect(self.show_settings)
        # Tray menu, fallback window and status window all quit through this action.
        a.quit.triggered.connect(self.request_quit)
        self.status.status_requested.connect(self.show_status_window)
        self.status.message_clicked.connect(self.breaks.on_message_clicked)
        self.status.refreshed.connect(self._refresh_quit_question)
        self.breaks.start_requested.connect(self._on_break_start)
        self.breaks.postpone_requested.connect(self._on_break_postpone)
        self.breaks.skip_requested.connect(self._on_break_skip)
        self.breaks.postpone_upcoming_requested.connect(self._postpone_upcoming)
        self.settings_watcher.changed.connect(self._apply_settings_from_file)

    # -- what command_handlers.dispatch uses besides the engine ---------------------------

    def phase(self) -> guidance.Phase | None:
        return self.status.phase()

    def break_remaining(self) -> float:
        return self.breaks.remaining()

    def quit_soon(self) -> None:
        """Quit once the current answer (to a command) is on its way."""
        QTimer.singleShot(0, self.quit_requested.emit)

    # -- ice and heat (neckcare_desktop.therapy_intents) ----------------------------------

    def start_therapy(
        self, kind: TherapyKind, minutes: int | None = None, *, intermittent: bool = False
    ) -> bool:
        """Start ice or heat; True if it runs now (first use and the skin's rest ask first)."""
        return self.therapy.start(kind, minutes, intermittent=intermittent)

    def stop_therapy(self) -> None:
        self.therapy.stop()

    def announce_stop(self, finished: FinishedSession) -> str:
        """Say how a stopped round went; returns the sentence (``neckcare stop`` prints it)."""
        return self.therapy.announce_stop(finished)

    # -- breaks --------------------------------------------------------------------------

    def take_break_now(self) -> None:
        self.engine.take_break_now()

    def _pause_from_menu(self, choice: str, _checked: bool = False) -> None:
        self.pause(choice)

    def pause(self, choice: str) -> None:
        until = self.engine.pause(choice)
        self.notices.notify(
            self.tr("Reminders paused"),
            self.tr("Break reminders are paused until %1. Ice and heat timers still work.").replace(
                "%1", until.strftime("%H:%M")
            ),
        )

    def resume(self) -> None:
        self.engine.resume()

    def _on_break_start(self) -> None:
        if not self._guarded(self.engine.start_break):
            self.breaks.show_choices()

    def _on_break_postpone(self) -> None:
        if self._guarded(self.engine.postpone_break):
            self.breaks.close()
        else:
            self.breaks.show_choices()

    def _on_break_skip(self) -> None:
        # Only a skip that happened closes the window: a refused one (strict mode switched
        # on while it was open) would leave the break due with nothing on screen.
        if self._guarded(self.engine.skip_break):
            self.breaks.close()
        else:
            self.breaks.show_choices()

    def _postpone_upcoming(self) -> None:
        """The pre-break warning's Postpone: the break it announced moves later."""
        if self.engine.postpone_upcoming() is not None:
            self.breaks.show_postponed()

    def _guarded(self, intent: Callable[[], object]) -> bool:
        """Run a break intent that may have been overtaken by time (window clicked late)."""
        try:
            intent()
        except BreakStateError as exc:
            logger.info("break intent ignored: %s", exc)
            return False
        return True

    # -- quitting ------------------------------------------------------------------------

    def request_quit(self) -> None:
        """Quit, but while ice or heat runs ask first: without the app, no alert would come."""
        status = self.engine.status()
        warning = quit_warning(status)
        if warning is None:
            self.quit_requested.emit()
            return
        asked_about = status.therapy

        def answered(yes: bool) -> None:
            if yes:
                self._quit_answered(asked_about)

        self.prompts.ask(
            QUIT,
            self.tr("Quit NeckCare?"),
            warning + " " + self.tr("Quit anyway?"),
            answered,
            parent=self.windows.status_on_screen(),
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

    # -- windows -------------------------------------------------------------------------

    def show_status_window(self) -> None:
        self.windows.status.present()
        self.status.refresh()  # after present(): a visible window keeps its countdown live

    def show_history(self, days: int | None = None) -> int:
        """Open History, on the range nearest to ``days`` when given; returns the range shown."""
        from neckcare_desktop.history_jobs import HistoryJobs, connect_history_window
        from neckcare_desktop.ui.history.window import (  # loaded (with QtCharts) on first use
            HistoryWindow,
            nearest_range,
        )

        window = self.windows.get(HISTORY)
        if not isinstance(window, HistoryWindow):
            window = HistoryWindow(
                self.history,
                self.clock.now,
                days_off=lambda: days_off(self.engine.settings.working_hours),
                test_mode=self.paths.demo,
            )
            # Export and delete-all run as jobs off the GUI thread; the folder opens through
            # the platform. Parented to the window: they live as long as it asks for jobs.
            connect_history_window(window, HistoryJobs(self.history, window))
            self.windows.hold(HISTORY, window)
        if days is not None:
            window.set_range_days(nearest_range(days))
        window.show()
        window.raise_()
        window.activateWindow()
        return window.range_days

    def show_error(self, title: str, text: str) -> None:
        """A refused intent, explained in a box that stays until answered (tests replace it)."""
        self.notices.show_error(title, text)

    # -- settings ------------------------------------------------------------------------

    def show_settings(self) -> None:
        if self.windows.raise_open(SETTINGS):
            return
        from neckcare_desktop.platform.autostart import default_backend
        from neckcare_desktop.ui.settings_dialog import SettingsDialog  # loaded on first use

        dialog = SettingsDialog(
            self.engine.settings,
            self.paths.settings_file,
            autostart=default_backend(),
            play_test_sound=self._play_test_sound,
            calls_available=self._describe_calls(),
        )
        dialog.settings_submitted.connect(partial(self._save_settings, dialog))
        from neckcare_desktop.exercise_files import connect_exercises_tab  # Exercises tab

        connect_exercises_tab(dialog, self.paths.config_dir, self.engine)
        self.windows.keep(SETTINGS, dialog).show()

    def _play_test_sound(self, volume: float) -> None:
        """Settings' "Test sound": the break-start cue at the dialog's volume."""
        from neckcare_desktop.platform.sound import SoundPlayer

        player = self._test_player
        if player is None:
            player = self._test_player = SoundPlayer()
        player.enabled = True
        player.volume = volume
        player.play("break-start")

    def _save_settings(
        self, dialog: SettingsDialog, settings: Settings, autostart_wish: bool | None
    ) -> None:
        from neckcare_desktop.platform.autostart import default_backend, launch_command
        from neckcare_desktop.settings_saving import save_submitted_settings

        save_submitted_settings(
            dialog,
            settings,
            autostart_wish,
            self.paths.settings_file,
            default_backend(),
            launch_command(),
            on_saved=self.apply_settings,
        )

    def apply_settings(self, settings: Settings) -> None:
        self._apply_settings_from_file(settings)
        self.settings_watcher.remember_current()  # our own write is no change to follow

    def _apply_settings_from_file(self, settings: Settings) -> None:
        """Apply settings read whole from the file (the watcher sends no others), saved
        from Settings…, or changed by an answer; their safety answers are the ones to keep
        (see :func:`~neckcare_desktop.therapy_intents.keep_safety_answers`)."""
        if self.engine.settings.therapy.safety_asked and not settings.therapy.safety_asked:
            # App bookkeeping the file never holds: an edited settings.toml re-read, or
            # Settings saved, must not bring the safety check back.
            settings = with_value(settings, "therapy.safety_asked", True)
        self.engine.apply_settings(settings)
        keep_safety_answers(self.paths.state_file, settings)
        self.breaks.show_choices()  # e.g. strict mode on: no Skip on the open break window
        self.notices.apply_sound_settings(settings)

    # -- spasm log and guidance ----------------------------------------------------------

    def log_spasm(self) -> None:
        if self.windows.raise_open(SPASM):
            return
        from neckcare_desktop.ui.spasm_dialog import SpasmDialog  # loaded on first use

        self._open_spasm_dialog(SpasmDialog(self.history, self.clock.now, at=self.clock.at))

    def update_spasm(self) -> None:
        if self.windows.raise_open(SPASM):
            return
        from neckcare_desktop.ui.spasm_dialog import SpasmDialog

        episode = self.history.latest_unresolved_episode()
        if episode is None:
            self.show_error(self.tr("No open spasm"), self.tr("There is no spasm to update."))
            return
        self._open_spasm_dialog(
            SpasmDialog.for_update(self.history, episode.id, self.clock.now, at=self.clock.at)
        )

    def _open_spasm_dialog(self, dialog: SpasmDialog) -> None:
        dialog.submitted.connect(partial(self._save_spasm, dialog))
        self.windows.keep(SPASM, dialog).show()

    def _save_spasm(self, dialog: SpasmDialog, intent: SpasmIntent) -> None:
        try:
            saved = self.spasm_log.handle(intent)
        except SpasmNotSaved as exc:
            dialog.show_not_saved(str(exc))
            return
        dialog.show_saved(saved)
        self.on_spasm_saved(saved)

    def on_spasm_saved(self, saved: SpasmSaved) -> None:
        """A spasm went into the history: guidance, History and see-someone follow it."""
        self.status.refresh()
        window = self.windows.visible(HISTORY)
        if window is not None:  # only show_history puts one there
            cast("HistoryWindow", window).refresh()
        self.check_see_someone(saved.warning_signs)

    def check_see_someone(self, warning_signs: tuple[str, ...] = ()) -> None:
        """The calm see-someone suggestion, and whatever that setting says, "get care
        promptly" for a red flag ticked: decided before the history is read (trouble there
        cannot hide it), shown last, on top of the calm message (which takes no focus)."""
        advice = guidance.seek_care_promptly(warning_signs)
        try:
            self._suggest_see_someone(warning_signs)
        finally:
            self._show_seek_care(advice)

    def _suggest_see_someone(self, warning_signs: tuple[str, ...]) -> None:
        """A calm suggestion to see a professional when spasms keep coming back."""
        try:
            reasons = see_someone_reasons(
                self.engine.settings, self.history, self.clock.now(), warning_signs
            )
        except Exception:  # history trouble must not turn into an alarm
            logger.exception("could not check the spasm history for guidance")
            return
        if not reasons:
            return
        from neckcare_desktop.ui.see_someone import SeeSomeoneMessage

        old = self.windows.get(SEE_SOMEONE)
        if old is not None:
            old.close()
        message = SeeSomeoneMessage(reasons)
        message.dont_show_again.connect(self._stop_see_someone)
        self.windows.keep(SEE_SOMEONE, message).show()

    def _show_seek_care(self, advice: str | None) -> None:
        if advice is None:
            return
        from neckcare_desktop.ui.see_someone import SeekCareMessage

        old = self.windows.get("seek_care")  # its own window: the calm one may stand beside it
        if old is not None:
            old.close()
        message = SeekCareMessage(advice)
        self.windows.keep("seek_care", message)
        message.present(beside=self.windows.visible(SEE_SOMEONE))

    def _stop_see_someone(self) -> None:
        from neckcare_desktop.core.settings_file import save_settings

        settings = with_value(self.engine.settings, "guidance.see_someone", False)
        try:
            save_settings(settings, self.paths.settings_file)
        except OSError as exc:
            logger.warning("could not save the guidance setting: %s", exc)
        self.apply_settings(settings)
