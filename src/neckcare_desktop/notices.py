"""What the app tells the person in passing: notifications, sounds and error boxes.

One place decides how a message goes out (the notification server or the tray balloon,
plus the status window's last message) and when a sound may play (core.rules: quiet
during do-not-disturb, except the end of ice or heat).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QLocale, QObject, Qt, QTime, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMessageBox

from neckcare_desktop.core import events as ev
from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.ports import Presence
from neckcare_desktop.core.rules import sound_allowed
from neckcare_desktop.core.settings import Settings
from neckcare_desktop.platform.notifier import Notifier

#: Notifications that stand for something going on, withdrawn when it is dealt with.
TAG_WARNING = "break-warning"
TAG_BREAK = "break"
TAG_THERAPY = "therapy"


class Notices(QObject):
    """Notifications, sounds and error boxes for the rest of the app."""

    #: ``(title, text)`` of the latest message, for the status window.
    message_shown = Signal(str, str)

    def __init__(
        self,
        notifier: Notifier,
        sound: Any,  # a SoundPlayer; tests put a recorder here
        engine: Engine,
        presence: Presence,
        icon: QIcon,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.notifier = notifier
        self.sound = sound
        self._engine = engine
        self._presence = presence
        self._icon = icon
        #: The latest message, titled with its time: the status window shows it when built.
        self.last_message: tuple[str, str] | None = None
        #: Error and advice boxes on screen (kept here so that they stay until answered).
        self.error_boxes: list[QMessageBox] = []

    def on_engine_event(self, event: ev.EngineEvent) -> None:
        if isinstance(event, ev.Notice):
            self.notify(event.title, event.text, warning=event.warning)

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
        self.show_in_status(title, text)
        self.notifier.notify(
            title,
            text,
            warning=warning,
            critical=critical,
            actions=actions,
            on_action=on_action,
            tag=tag,
        )

    def warn(self, title: str, text: str) -> None:
        self.notify(title, text, warning=True)

    def withdraw(self, *tags: str) -> None:
        for tag in tags:
            self.notifier.withdraw(tag)

    def show_in_status(self, title: str, text: str) -> None:
        # With its time: "Ice time is up" seen an hour later must read as past news.
        now = self._engine.clock.now()
        title = self.tr("{time} {title}").format(
            time=QLocale().toString(
                QTime(now.hour, now.minute, now.second), QLocale.FormatType.ShortFormat
            ),
            title=title,
        )
        self.last_message = (title, text)
        self.message_shown.emit(title, text)

    def show_error(self, title: str, text: str) -> None:
        self._box(QMessageBox.Icon.Warning, title, text)

    def _box(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        self.show_in_status(title, text)
        box = QMessageBox(icon, title, text)
        box.setWindowIcon(self._icon)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Without a reference PySide6 deletes a parentless box as this method returns:
        # the person would never see why nothing happened.
        self.error_boxes.append(box)
        box.finished.connect(lambda *_: self.error_boxes.remove(box))
        # A QMessageBox is application-modal by default: left unanswered it would block
        # the break window's buttons and the ice alert's Done. It waits beside them.
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()

    def close_boxes(self) -> None:
        """Quitting: error and advice boxes still open go with the app."""
        for box in list(self.error_boxes):
            box.close()

    def show_info(self, title: str, text: str) -> None:
        """Advice that must be read, in a box that stays until answered (tests replace it)."""
        self._box(QMessageBox.Icon.Information, title, text)

    def play(self, cue: str) -> None:
        """Sounds stay quiet during do-not-disturb, except the end of ice or heat."""
        dnd = self._presence.do_not_disturb
        if sound_allowed(cue, self._engine.settings, lambda: dnd() is not None):
            self.sound.play(cue)

    def apply_sound_settings(self, settings: Settings) -> None:
        self.sound.enabled = settings.notifications.sound
        if hasattr(self.sound, "volume"):
            self.sound.volume = settings.notifications.volume / 100
