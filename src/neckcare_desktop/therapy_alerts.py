"""Ice and heat as the person sees them: "Ice started", and the alert at the end.

The end-of-round alert is a window that stays until the person says the pack is off,
with the one sound that plays even during do-not-disturb and a critical notification
that leaves together with the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIcon

from neckcare_desktop.core import events as ev
from neckcare_desktop.core.therapy import TherapyKind
from neckcare_desktop.notices import TAG_THERAPY, Notices

if TYPE_CHECKING:
    from neckcare_desktop.ui.therapy_alert import TherapyAlert


def _alert_tag(alert: object) -> str:
    return f"therapy-end-{id(alert)}"


class TherapyAlerts(QObject):
    """Therapy notifications and the end-of-round alerts still waiting for an answer."""

    def __init__(self, notices: Notices, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._notices = notices
        self._icon = icon
        #: End-of-round alerts on screen, oldest first.
        self.waiting: list[TherapyAlert] = []

    def on_engine_event(self, event: ev.EngineEvent) -> None:
        if isinstance(event, ev.TherapyStarted):
            self._notices.notify(
                self.tr("Ice started")
                if event.session.kind is TherapyKind.ICE
                else self.tr("Heat started"),
                event.advice,
                tag=TAG_THERAPY,
            )
        elif isinstance(event, ev.TherapyEnded):
            self._show_alert(event)

    def _show_alert(self, event: ev.TherapyEnded) -> None:
        from neckcare_desktop.ui.therapy_alert import TherapyAlert  # loaded on first alert

        alert = TherapyAlert(event.finished, event.advice)
        alert.setWindowIcon(self._icon)
        alert.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.waiting.append(alert)
        alert.destroyed.connect(lambda *_: self._forget(alert))
        alert.present(self.waiting)  # cascaded from alerts still waiting
        self._notices.play("therapy-end")
        self._notices.withdraw(TAG_THERAPY)  # "Ice started" is over
        self._notices.notify(
            alert.heading.text(), event.advice, critical=True, tag=_alert_tag(alert)
        )

    def _forget(self, alert: TherapyAlert) -> None:
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
