"""Ice and heat as the person sees them: "Ice started", the switches, and the alert at the end.

The end-of-round alert, and each switch of a 10 on · 10 off · 10 on session ("Take the ice
off", "Put the ice back on"), is a window that stays until the person answers, with the one
sound that plays even during do-not-disturb and a critical notification that leaves
together with the window. The halfway reminder (heat: warm, not hot) is a plain
notification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIcon

from neckcare_desktop.core import events as ev
from neckcare_desktop.core.therapy import TherapyKind
from neckcare_desktop.notices import TAG_THERAPY, Notices

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from neckcare_desktop.core.therapy import TherapySession
    from neckcare_desktop.core.timescale import TimeScale
    from neckcare_desktop.ui.therapy_alert import SwitchAlert, TherapyAlert

    AlertWindow = TherapyAlert | SwitchAlert


def _alert_tag(alert: object) -> str:
    return f"therapy-end-{id(alert)}"


class TherapyAlerts(QObject):
    """Therapy notifications and the end-of-round alerts still waiting for an answer."""

    def __init__(
        self,
        notices: Notices,
        icon: QIcon,
        parent: QObject | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        scale: TimeScale | None = None,
        running: Callable[[], TherapySession | None] | None = None,
    ) -> None:
        """``now`` and ``scale``: to say which part of a session a switch begins;
        ``running``: the session on now, so that a stopped one's switch alert goes."""
        super().__init__(parent)
        self._notices = notices
        self._icon = icon
        self._now = now
        self._scale = scale
        self._running = running
        #: Alerts on screen (end of a round, switches), oldest first.
        self.waiting: list[AlertWindow] = []

    def on_engine_event(self, event: ev.EngineEvent) -> None:
        if isinstance(event, ev.TherapyStarted):
            self._notices.notify(
                self.tr("Ice started")
                if event.session.kind is TherapyKind.ICE
                else self.tr("Heat started"),
                event.advice,
                tag=TAG_THERAPY,
            )
        elif isinstance(event, ev.TherapySwitched):
            self._show_switch(event)
        elif isinstance(event, ev.TherapyReminder):
            self._notices.notify(event.title, event.text, tag=TAG_THERAPY)
        elif isinstance(event, ev.TherapyEnded):
            self._show_alert(event)
        elif isinstance(event, ev.StateChanged) and self.waiting:
            self._close_stopped_switches()

    def _show_alert(self, event: ev.TherapyEnded) -> None:
        from neckcare_desktop.ui.therapy_alert import TherapyAlert  # loaded on first alert

        self._close_switches(event.finished.session.key)  # "put it back on" is over too
        self._present(TherapyAlert(event.finished, event.advice), event.advice)

    def _show_switch(self, event: ev.TherapySwitched) -> None:
        from neckcare_desktop.ui.therapy_alert import SwitchAlert

        # An unanswered "Take the ice off" is overtaken by "Put the ice back on": one
        # instruction on screen, the one that holds now.
        self._close_switches(event.session.key)
        self._present(
            SwitchAlert(event.session, event.on, event.advice, part=self._part_number(event)),
            event.advice,
        )

    def _part_number(self, event: ev.TherapySwitched) -> int | None:
        """The number (from 1) of the part that begins with this switch, if it can be told."""
        if self._now is None or self._scale is None:
            return None
        try:
            return event.session.part_at(self._now(), self._scale).index + 1
        except Exception:  # only the alert's detail line: never keep the alert from showing
            return None

    def _close_stopped_switches(self) -> None:
        """ "Put the ice back on" is wrong once the session was stopped (menu, numb skin,
        command line): its switch alerts leave with it."""
        if self._running is None:
            return
        from neckcare_desktop.ui.therapy_alert import SwitchAlert

        running = self._running()
        for alert in list(self.waiting):
            if isinstance(alert, SwitchAlert) and (
                running is None or running.key != alert.session.key
            ):
                alert.acknowledge()

    def _close_switches(self, session_key: datetime) -> None:
        from neckcare_desktop.ui.therapy_alert import SwitchAlert

        for alert in list(self.waiting):
            if isinstance(alert, SwitchAlert) and alert.session.key == session_key:
                alert.acknowledge()

    def _present(self, alert: AlertWindow, advice: str) -> None:
        alert.setWindowIcon(self._icon)
        alert.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.waiting.append(alert)
        # Answered: gone from the list at once (a switch alert closed by the next switch
        # must not count as waiting while Qt deletes it); destroyed: whatever closed it.
        alert.acknowledged.connect(lambda: self._forget(alert))
        alert.destroyed.connect(lambda *_: self._forget(alert))
        alert.present(self.waiting)  # cascaded from alerts still waiting
        self._notices.play("therapy-end")
        self._notices.withdraw(TAG_THERAPY)  # "Ice started" (or the last switch) is over
        self._notices.notify(alert.heading.text(), advice, critical=True, tag=_alert_tag(alert))

    def _forget(self, alert: AlertWindow) -> None:
        # Confirmed: the critical notification, which has no timeout, goes with it.
        self._notices.withdraw(_alert_tag(alert))
        if alert in self.waiting:
            self.waiting.remove(alert)

    def raise_all(self) -> None:
        for alert in self.waiting:
            alert.raise_()

    def shut_down(self) -> None:
        for alert in self.waiting:
            alert.deleteLater()
