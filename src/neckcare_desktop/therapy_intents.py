"""Ice and heat intents: start (after the first-use safety check), stop, "My skin is numb".

The controller's therapy half (see :mod:`neckcare_desktop.controller`). The first time ice
or heat is started (core's :func:`~neckcare_desktop.core.therapy.needs_safety_check`),
the safety check (:mod:`neckcare_desktop.ui.safety_check`) is asked first and the round
starts once it is answered, with the caps the answers give; Cancel starts nothing. A round
started from the command line cannot wait for a window: it starts at once and the check
follows, and a "yes" then shortens the running round (core does that in
``apply_settings``). The answers are saved like any settings change, through
:mod:`neckcare_desktop.settings_saving`.

No question here runs a nested event loop (see :mod:`neckcare_desktop.prompts`): each
answer looks at the state again when it comes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from neckcare_desktop.core import events as ev
from neckcare_desktop.core.app_state import load_state, remember
from neckcare_desktop.core.settings import Settings, with_value
from neckcare_desktop.core.settings_safety import safety_answers_yes
from neckcare_desktop.core.therapy import (
    RestPeriodActive,
    TherapyError,
    TherapyKind,
    needs_safety_check,
)
from neckcare_desktop.notices import TAG_THERAPY, Notices
from neckcare_desktop.prompts import ICE_DURING_REST, Prompts
from neckcare_desktop.settings_saving import save_setting_change
from neckcare_desktop.window_registry import WindowRegistry

if TYPE_CHECKING:
    from pathlib import Path

    from neckcare_desktop.core.engine import Engine
    from neckcare_desktop.core.therapy import FinishedSession
    from neckcare_desktop.paths import AppPaths
    from neckcare_desktop.ui.actions import AppActions
    from neckcare_desktop.ui.safety_check import SafetyAnswers, SafetyCheck

logger = logging.getLogger(__name__)

#: The safety check's place in the window registry (one at a time).
SAFETY_CHECK = "safety_check"


def keep_safety_answers(state_file: Path, settings: Settings) -> None:
    """Keep a copy of the safety answers of ``settings`` (applied after a good read or a
    save of the settings file, or the safety check answered) in the app state file, for a
    start whose settings file cannot give them. Written only when it changes; a failure
    to write is logged, never in the way."""
    answers = safety_answers_yes(settings)
    if not (answers or settings.therapy.safety_asked):
        return  # nothing answered, nothing to keep (and no state file made for it)
    try:
        if load_state(state_file).therapy_safety_answers != answers:
            remember(state_file, therapy_safety_answers=answers)
    except OSError as exc:
        logger.warning("could not keep a copy of the safety answers: %s", exc)


def numb_title() -> str:
    """The title of what to do after ice made the skin numb (menu and command line)."""
    return QCoreApplication.translate("TherapyIntents", "Ice stopped: your skin is numb")


def numb_advice() -> str:
    """What to do after ice made the skin numb (menu and command line)."""
    return QCoreApplication.translate(
        "TherapyIntents",
        "Leave the ice off and let your skin warm up slowly at room temperature, "
        "without heat. If the feeling does not come back, get it checked.",
    )


@dataclass(frozen=True)
class StartWish:
    """What the person asked to start, kept while a question about it waits."""

    kind: TherapyKind
    minutes: int | None = None
    intermittent: bool = False


class TherapyIntents(QObject):
    """Starts and stops ice and heat for the menu, the status window and the controller.

    The sentences that were the controller's before they moved here keep its translation
    context ("AppController"), so their translations still apply.
    """

    def __init__(
        self,
        engine: Engine,
        paths: AppPaths,
        *,
        prompts: Prompts,
        windows: WindowRegistry,
        notices: Notices,
        show_error: Callable[[str, str], None],
        apply_settings: Callable[[Settings], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self._paths = paths
        self._prompts = prompts
        self._windows = windows
        self._notices = notices
        self._show_error = show_error
        self._apply_settings = apply_settings

    def connect_actions(self, a: AppActions) -> None:
        a.start_ice.triggered.connect(lambda: self.start(TherapyKind.ICE))
        a.start_ice_intermittent.triggered.connect(
            lambda: self.start(TherapyKind.ICE, intermittent=True)
        )
        a.start_heat.triggered.connect(lambda: self.start(TherapyKind.HEAT))
        a.stop_timer.triggered.connect(self.stop)
        a.skin_numb.triggered.connect(self.skin_numb)

    def on_engine_event(self, event: ev.EngineEvent) -> None:
        # A round that started without the check (``neckcare ice``): ask now, about it.
        if isinstance(event, ev.TherapyStarted) and needs_safety_check(self.engine.settings):
            self._ask_safety(StartWish(event.session.kind), running=True)

    # -- starting ------------------------------------------------------------------------

    def start(
        self, kind: TherapyKind, minutes: int | None = None, *, intermittent: bool = False
    ) -> bool:
        """Start ice or heat; True if it runs now (first use and the skin's rest ask first)."""
        wish = StartWish(kind, minutes, intermittent)
        if needs_safety_check(self.engine.settings) and self.engine.therapy.active is None:
            self._ask_safety(wish, running=False)
            return False
        return self._start(wish)

    def _start(self, wish: StartWish) -> bool:
        try:
            self._engine_start(wish, confirm_during_rest=False)
        except RestPeriodActive as exc:

            def answered(yes: bool) -> None:
                if yes:
                    self._start_during_rest(wish)

            self._prompts.ask(
                ICE_DURING_REST,
                QCoreApplication.translate("AppController", "Ice again so soon?"),
                str(exc),
                answered,
                parent=self._windows.status_on_screen(),
            )
            return False
        except TherapyError as exc:
            self._cannot_start(wish.kind, exc)
            return False
        return True

    def _engine_start(self, wish: StartWish, *, confirm_during_rest: bool) -> None:
        self.engine.start_therapy(
            wish.kind,
            wish.minutes,
            confirm_during_rest=confirm_during_rest,
            intermittent=wish.intermittent,
        )

    def _start_during_rest(self, wish: StartWish) -> None:
        """Yes to "Ice again so soon?": the state may have moved on while the box waited."""
        try:
            self._engine_start(wish, confirm_during_rest=True)
        except TherapyError as exc:  # e.g. `neckcare heat` arrived meanwhile: say so, calmly
            self._cannot_start(wish.kind, exc)

    def _cannot_start(self, kind: TherapyKind, exc: TherapyError) -> None:
        self._show_error(
            QCoreApplication.translate("AppController", "Cannot start ice")
            if kind is TherapyKind.ICE
            else QCoreApplication.translate("AppController", "Cannot start heat"),
            str(exc),
        )

    # -- the first-use safety check ------------------------------------------------------

    def safety_check(self) -> SafetyCheck | None:
        """The safety check on screen, if any."""
        from neckcare_desktop.ui.safety_check import SafetyCheck

        dialog = self._windows.get(SAFETY_CHECK)
        return dialog if isinstance(dialog, SafetyCheck) and dialog.isVisible() else None

    def close_safety_check(self) -> None:
        """Quitting: the check goes unanswered (closed, it saves and starts nothing)."""
        dialog = self.safety_check()
        if dialog is not None:
            dialog.reject()

    def _ask_safety(self, wish: StartWish, *, running: bool) -> None:
        from neckcare_desktop.ui.safety_check import SafetyAnswers, SafetyCheck

        open_check = self.safety_check()
        if open_check is not None:
            # Asked already: a round that started meanwhile makes it about that round.
            if running and not open_check.running:
                open_check.set_running(wish.kind)
            open_check.raise_()
            open_check.activateWindow()
            return
        t = self.engine.settings.therapy
        dialog = SafetyCheck(
            wish.kind,
            SafetyAnswers(
                reduced_skin_feeling=t.reduced_skin_feeling,
                circulation_problems=t.circulation_problems,
                cold_sensitivity=t.cold_sensitivity,
                diabetes_or_neuropathy=t.diabetes_or_neuropathy,
            ),
            running=running,
        )
        # A check about a round that is already on starts nothing when answered, even if
        # that round has ended meanwhile.
        dialog.answered.connect(
            lambda answers: self._safety_answered(wish, answers, start=not dialog.running)
        )
        self._windows.keep(SAFETY_CHECK, dialog)
        dialog.present()

    def _safety_answered(self, wish: StartWish, answers: SafetyAnswers, *, start: bool) -> None:
        """Save the answers (they apply at once, shortening a running round), then start
        what was asked for (``start``), unless a round started meanwhile."""
        settings = self.engine.settings
        for name, value in vars(answers).items():
            settings = with_value(settings, f"therapy.{name}", value)
        settings = with_value(settings, "therapy.safety_asked", True)
        # The answers are the person's settings (Settings → Ice and heat); "asked" is the
        # app's own note, kept in the state file (settings.toml never holds it).
        problem = save_setting_change(settings, self._paths.settings_file)
        if problem is None:
            try:
                remember(self._paths.state_file, therapy_safety_asked=True)
            except OSError as exc:
                logger.warning("could not save the app state: %s", exc)
                problem = exc
        # Applied whatever the disk said: the answers protect the skin in this run even
        # if they could not be kept (then they are asked again after a restart).
        self._apply_settings(settings)
        if problem is not None:
            self._notices.warn(
                self.tr("Your answers could not be saved"),
                self.tr(
                    "They apply until NeckCare quits; you will be asked again next time. %1"
                ).replace("%1", str(problem)),
            )
        if start and self.engine.therapy.active is None:
            self._start(wish)

    # -- stopping ------------------------------------------------------------------------

    def stop(self) -> None:
        try:
            finished = self.engine.stop_therapy()
        except TherapyError as exc:
            self._show_error(
                QCoreApplication.translate("AppController", "Nothing to stop"), str(exc)
            )
            return
        self.announce_stop(finished)

    def skin_numb(self) -> None:
        """ "My skin is numb": ice off at once, recorded with the reason, and what to do."""
        active = self.engine.therapy.active
        if active is None or active.kind is not TherapyKind.ICE:
            return  # the round ended while the menu was open: nothing to stop
        try:
            self.engine.stop_therapy(skin_numb=True)
        except TherapyError as exc:
            self._show_error(
                QCoreApplication.translate("AppController", "Nothing to stop"), str(exc)
            )
            return
        self._notices.withdraw(TAG_THERAPY)  # "Ice started" is over
        self._notices.show_info(numb_title(), numb_advice())

    def announce_stop(self, finished: FinishedSession) -> str:
        """Say how a stopped round went, in the place of its "Ice started" notification
        (however it was stopped: menu, window or command line); returns the sentence."""
        ice = finished.session.kind is TherapyKind.ICE
        if finished.cancelled:  # history calls it "started by mistake", so do we
            message = (
                QCoreApplication.translate(
                    "AppController", "Ice cancelled: it was on for less than 2 minutes."
                )
                if ice
                else QCoreApplication.translate(
                    "AppController", "Heat cancelled: it was on for less than 2 minutes."
                )
            )
        else:
            message = (
                QCoreApplication.translate("AppController", "Ice stopped after {minutes} min.")
                if ice
                else QCoreApplication.translate(
                    "AppController", "Heat stopped after {minutes} min."
                )
            ).format(minutes=round(finished.actual_seconds / 60))
        if finished.skin_numb:  # `neckcare stop --numb`: what to do now, as the menu says
            message = f"{message} {numb_advice()}"
            title = numb_title()
        elif ice:
            title = QCoreApplication.translate("AppController", "Ice stopped")
        else:
            title = QCoreApplication.translate("AppController", "Heat stopped")
        self._notices.notify(title, message, tag=TAG_THERAPY)
        return message
