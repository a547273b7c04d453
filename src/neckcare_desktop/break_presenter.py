"""Breaks as the person sees them: the break window (on one or every screen), the
pre-break warning and the break notifications, with the break cues.

It shows what the engine's break events say and forwards the window's buttons as intents
(``start_requested`` …); the controller carries them out and tells it what is allowed
now (:meth:`show_choices`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon, QScreen
from PySide6.QtWidgets import QApplication

from neckcare_desktop.core import events as ev
from neckcare_desktop.core.breaks import ActiveBreak, BreakKind
from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.exercise_routine import ExerciseRecord, Routine, RoutineProgress
from neckcare_desktop.core.stretches import Stretch
from neckcare_desktop.core.timescale import TimeScale
from neckcare_desktop.notices import TAG_BREAK, TAG_WARNING, Notices

if TYPE_CHECKING:
    from neckcare_desktop.therapy_alerts import TherapyAlerts
    from neckcare_desktop.ui.break_window import BreakWindow


class BreakPresenter(QObject):
    """Break windows and break notifications, driven by the engine's break events."""

    start_requested = Signal()
    postpone_requested = Signal()
    skip_requested = Signal()
    #: The pre-break warning's Postpone (its button, or a click on the balloon).
    postpone_upcoming_requested = Signal()

    def __init__(
        self,
        engine: Engine,
        notices: Notices,
        alerts: TherapyAlerts,
        icon: QIcon,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._notices = notices
        self._alerts = alerts
        self._icon = icon
        self._scale: TimeScale = engine.scale
        self.window: BreakWindow | None = None
        #: Copies of the break window on the other screens ("on every screen" setting).
        self.extra_windows: list[BreakWindow] = []
        #: A pre-break warning is showing: clicking the notification postpones that break.
        self._warning_shown = False
        #: Wayland: the compositor places windows and decides who gets the keyboard; a
        #: client can neither move itself nor stay on top (see README, GNOME and Wayland).
        self.compositor_places = QGuiApplication.platformName() == "wayland"
        #: The running break's routine, how far it got, and the break (for its seconds).
        self.progress: RoutineProgress | None = None
        self._running: ActiveBreak | None = None
        self._routine_timer = QTimer(self)
        self._routine_timer.timeout.connect(self._routine_tick)

    def on_engine_event(self, event: ev.EngineEvent) -> None:
        if isinstance(event, ev.BreakDue):
            self._warning_shown = False
            self._show(
                event.brk.kind,
                event.stretch,
                event.nominal_seconds,
                running=False,
                can_postpone=event.can_postpone,
                can_skip=event.can_skip,
                routine=self._engine.current_routine(),
            )
            self._announce_due(event)
        elif isinstance(event, ev.BreakStarted):
            self._notices.withdraw(TAG_WARNING, TAG_BREAK)
            self._show(
                event.brk.kind,
                event.stretch,
                event.nominal_seconds,
                running=True,
                can_skip=event.can_end_early,
                routine=self._engine.current_routine(),
            )
            self._start_routine(event.brk, self._engine.current_routine())
            self._notices.play("break-start")
        elif isinstance(event, ev.BreakFinished):
            self._end_routine(event.brk, event.completed)
            self.close()
            if event.completed:
                self._notices.play("break-end")
                self._notices.notify(
                    self.tr("Break over"), self.tr("Welcome back. Nice work."), tag=TAG_BREAK
                )
            else:
                self._notices.withdraw(TAG_BREAK)
        elif isinstance(event, ev.BreakWithdrawn):
            self._end_routine(event.brk, completed=False)
            self.close()
            self._notices.withdraw(TAG_WARNING, TAG_BREAK)
        elif isinstance(event, ev.BreakWarning):
            self._warn(event)

    def _announce_due(self, event: ev.BreakDue) -> None:
        from neckcare_desktop.ui.break_window import duration_text  # loaded by _show

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
        if event.reason:  # e.g. a break a call held: say why it comes now
            text = f"{event.reason}\n{text}"
        self._notices.withdraw(TAG_WARNING)
        self._notices.notify(what, text, tag=TAG_BREAK)

    # -- the break window ----------------------------------------------------------------

    @property
    def windows(self) -> list[BreakWindow]:
        return [w for w in (self.window, *self.extra_windows) if w is not None]

    def _show(
        self,
        kind: BreakKind,
        stretch: Stretch | None,
        nominal_seconds: int,
        *,
        running: bool,
        can_postpone: bool = True,
        can_skip: bool = True,
        routine: Routine | None = None,
    ) -> None:
        window = self.window
        if window is None or window.kind is not kind or not window.isVisible():
            self.close()
            windows = []
            from neckcare_desktop.ui.break_window import BreakWindow  # first break: load it

            for screen in self._screens():
                w = BreakWindow(
                    kind,
                    stretch,
                    nominal_seconds,
                    self._engine.settings.breaks.postpone_minutes,
                    self.remaining,
                    can_postpone=can_postpone,
                    can_skip=can_skip,
                    routine=routine,
                )
                w.setWindowIcon(self._icon)
                w.exercise_next_requested.connect(self.exercise_next)
                w.exercise_done_requested.connect(self.exercise_done)
                w.start_requested.connect(self.start_requested)
                w.postpone_requested.connect(self.postpone_requested)
                w.skip_requested.connect(self.skip_requested)
                self._present(w, screen, asked_for=running)
                windows.append(w)
            window, self.extra_windows = windows[0], windows[1:]
            self.window = window
            self._alerts.raise_all()  # the ice alert must never hide behind a break
        if running:
            for w in (window, *self.extra_windows):
                if not w.running:
                    w.set_running(self._tick_interval_ms(), can_end_early=can_skip)

    def _present(self, window: BreakWindow, screen: QScreen, *, asked_for: bool) -> None:
        """On X11 on ``screen``, in front, without the focus (the window says so to the WM).

        On Wayland the compositor chooses the screen and the place. GNOME gives every new
        window the keyboard focus and ignores "show without activating", so while another
        app has the focus (the person may be typing there) the window is mapped minimized
        and asks for activation: GNOME then says "NeckCare is ready" and our own break
        notification says what is due; one click brings the window. Typing stays where it is.
        A break the person started (``asked_for``: tray, command line) opens in front.
        """
        if not self.compositor_places:
            window.present(screen)
            return
        window.present(screen, place=False, minimized=not (asked_for or self.app_has_focus()))
        window.request_activation()

    @staticmethod
    def app_has_focus() -> bool:
        """One of NeckCare's windows has the keyboard (then Qt can pass on its token)."""
        return QGuiApplication.focusWindow() is not None

    def _screens(self) -> list[QScreen]:
        """The pointer's screen first; every other screen too with "on every screen".

        Not on Wayland: copies cannot be put on the other screens there, the compositor
        would stack them all on one.
        """
        from neckcare_desktop.ui.placement import pointer_screen

        first = pointer_screen() or QApplication.primaryScreen()
        screens = [first]
        if self._engine.settings.breaks.all_screens and not self.compositor_places:
            screens += [sc for sc in QApplication.screens() if sc is not first]
        return screens

    def _tick_interval_ms(self) -> int:
        return max(50, round(1000 / self._scale.factor))

    def remaining(self) -> float:
        """App seconds left in the running break (0 with none)."""
        active = self._engine.breaks.active
        if active is None or active.ends_at is None:
            return 0.0
        return self._scale.app_seconds(active.ends_at - self._engine.clock.now())

    # -- the routine -----------------------------------------------------------------------

    def _elapsed(self) -> float:
        """App seconds since the running break started."""
        brk = self._running
        if brk is None or brk.started_at is None:
            return 0.0
        return self._scale.app_seconds(self._engine.clock.now() - brk.started_at)

    def _start_routine(self, brk: ActiveBreak, routine: Routine | None) -> None:
        same = self._running is not None and self._running.started_at == brk.started_at
        if routine is None or (same and self.progress is not None):
            return  # a break already running was asked for again: it goes on as it was
        self.progress = RoutineProgress(routine)
        self._running = brk
        self._routine_timer.setInterval(self._tick_interval_ms())
        self._routine_timer.start()
        self._routine_tick()

    def _record(self, records: list[ExerciseRecord]) -> None:
        for record in records:  # core records: done, skipped or cut short
            self._engine.record_exercise(record)

    def _routine_tick(self) -> None:
        progress = self.progress
        if progress is None:
            return
        elapsed = self._elapsed()
        self._record(progress.advance_to(elapsed))
        state = progress.state(elapsed)
        for window in self.windows:
            window.show_step(state)

    def exercise_done(self) -> None:
        """The routine's "Done": the exercise showing was done."""
        if self.progress is not None:
            self._record(self.progress.done(self._elapsed()))
            self._routine_tick()

    def exercise_next(self) -> None:
        """The routine's "Next": the exercise showing is left out."""
        if self.progress is not None:
            self._record(self.progress.skip(self._elapsed()))
            self._routine_tick()

    def _end_routine(self, brk: ActiveBreak, completed: bool) -> None:
        progress, self.progress, self._running = self.progress, None, brk
        self._routine_timer.stop()
        if progress is None:
            return
        # A break that ran to its end ran for the whole routine, whatever the timer's lag.
        elapsed = float(progress.routine.seconds) if completed else self._elapsed()
        self._running = None
        self._record(progress.end(elapsed))

    def shut_down(self) -> None:
        """Quitting: the exercise showing is recorded as cut short (the break itself is
        recorded as interrupted by the engine), and the routine's timer stops, so nothing
        is recorded once the history has closed; then the windows close."""
        if self._running is not None:
            self._end_routine(self._running, completed=False)
        self._routine_timer.stop()
        self.close()

    def close(self) -> None:
        windows = self.windows
        self.window, self.extra_windows = None, []
        for window in windows:
            window.finish()
            window.deleteLater()

    def show_choices(self) -> None:
        """Bring open break windows in line with what the engine allows for the break now."""
        windows = self.windows
        if not windows:
            return
        active = self._engine.breaks.active
        if active is None:  # the break is over (clicked late): nothing left to answer
            self.close()
            return
        can_postpone = self._engine.breaks.can_postpone(active)
        can_skip = self._engine.breaks.can_skip()
        for window in windows:
            window.set_choices(can_postpone, can_skip)

    # -- the pre-break warning -----------------------------------------------------------

    def _warn(self, event: ev.BreakWarning) -> None:
        """The pre-break warning; where it can say so, it offers to postpone that break.

        A notification server with actions gets a "Postpone N min" button; Qt's balloon
        reports a click on it (``messageClicked``); anything else can only inform.
        """
        minutes = str(self._engine.settings.breaks.postpone_minutes)
        from neckcare_desktop.ui.break_window import duration_text

        # Nominal seconds, measured when the job ran: a job a moment late says 299 for the
        # 300 the person set, who reads "5 minutes" (and "1 min 30 s" for such a setting).
        seconds = event.seconds_before
        configured = self._engine.settings.breaks.warning_seconds
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
        notifier = self._notices.notifier
        if event.can_postpone and notifier.server_takes_actions():
            label = QCoreApplication.translate("BreakWindow", "Postpone %1 min")
            actions.append(("postpone", label.replace("%1", minutes)))
        elif event.can_postpone and notifier.balloon_is_the_route():
            text += " " + self.tr("Click here to postpone it %1 min.").replace("%1", minutes)
        self._warning_shown = event.can_postpone
        self._notices.notify(
            self.tr("Break coming up"),
            text,
            actions=actions,
            on_action=self._on_warning_action,
            tag=TAG_WARNING,
        )

    def _on_warning_action(self, key: str) -> None:
        """The notification server's "Postpone" button on the pre-break warning."""
        if key == "postpone":
            self.on_message_clicked()

    def on_message_clicked(self) -> None:
        """A click on the pre-break warning postpones the break it announced."""
        if not self._warning_shown:
            return
        self._warning_shown = False
        self.postpone_upcoming_requested.emit()

    def show_postponed(self) -> None:
        minutes = self._engine.settings.breaks.postpone_minutes
        self._notices.notify(  # in the warning's place: its Postpone is used up
            self.tr("Break postponed"),
            self.tr("Your posture break moved %1 min later.").replace("%1", str(minutes)),
            tag=TAG_WARNING,
        )
