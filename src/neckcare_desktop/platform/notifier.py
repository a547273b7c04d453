"""Where a notification goes: the desktop's notification server, else the tray balloon.

Notifications are a courtesy on top of the windows, never the only signal (the status
window shows the last message; a therapy alert has its own window and sound). So the rule
is simple: the notification server whenever there is one (see
:mod:`neckcare_desktop.platform.notifications`), Qt's tray balloon only where there is no
server, and nothing more than the status window where there is neither.

Nothing here waits: a call to the server that fails because there is no server falls
back to the balloon when its answer comes, a few milliseconds later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject

from neckcare_desktop import APP_ID, APP_NAME
from neckcare_desktop.platform.notifications import (
    Notification,
    NotificationServer,
    Sender,
    Urgency,
    means_no_server,
)

logger = logging.getLogger(__name__)

#: ``tray_notify(title, text, warning) -> shown``: Qt's balloon beside the tray icon.
TrayNotify = Callable[[str, str, bool], bool]
#: Called with the key of the action the person chose on a notification.
ActionCallback = Callable[[str], None]


def app_icon() -> str:
    """An absolute path to the shipped icon (works uninstalled), else the theme name."""
    from neckcare_desktop.resources import resource_path

    try:
        return str(resource_path("icons", "hicolor", "64x64", "apps", f"{APP_ID}.png"))
    except FileNotFoundError:
        return APP_ID


def default_sender() -> Sender:
    return Sender(app_name=APP_NAME, app_icon=app_icon(), desktop_entry=APP_ID)


class Notifier(QObject):
    def __init__(
        self,
        tray_notify: TrayNotify | None = None,
        server: NotificationServer | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        #: The balloon; the app sets and clears it as the tray comes and goes.
        self.tray_notify = tray_notify
        self.server = server
        #: The last notification sent, for the status window and for tests.
        self.last: tuple[str, str] | None = None
        #: Where the last one went: "server", "balloon" or "none" (for tests and logs).
        self.last_route: str | None = None
        self._on_action: dict[int, ActionCallback] = {}
        #: Notifications that stand for something still going on ("break-warning", an
        #: alert): their server id once known, so they can leave when it is dealt with.
        self._tagged: dict[str, list[int]] = {}
        self._reported_failure = False
        if server is not None:
            server.action_invoked.connect(self._action_invoked)
            server.closed.connect(self._closed)

    # -- what the person can do with a notification --------------------------------------

    def server_takes_actions(self) -> bool:
        """A notification sent now would show action buttons (and report clicks)."""
        s = self.server
        return s is not None and s.usable and s.present is not False and s.supports("actions")

    def balloon_is_the_route(self) -> bool:
        """A notification sent now would be the tray balloon (a click on it is reported)."""
        s = self.server
        no_server = s is None or not s.usable or s.present is False
        return no_server and self.tray_notify is not None

    # -- sending -------------------------------------------------------------------------

    def notify(
        self,
        title: str,
        text: str,
        *,
        warning: bool = False,
        critical: bool = False,
        actions: Sequence[tuple[str, str]] = (),
        on_action: ActionCallback | None = None,
        tag: str | None = None,
    ) -> bool:
        """Show a notification; True if it went somewhere (or is on its way to the server).

        ``tag`` names what the notification is about; a new one with the same tag takes
        the old one's place, and :meth:`withdraw` takes it off the screen once the person
        has dealt with it (a confirmed alert must not stay behind, asking again).

        ``critical`` is the server's "critical" urgency (the end of ice or heat): it stays
        until dismissed and gets through do-not-disturb on most desktops. ``actions`` are
        ``(key, label)`` pairs, sent only where the server supports actions; ``on_action``
        gets the key clicked.
        """
        self.last = (title, text)
        server = self.server
        slot: list[int] = []
        if tag is not None:
            self.withdraw(tag)
            self._tagged[tag] = slot
        if server is not None and server.usable and server.present is not False:
            note = Notification(
                summary=title,
                body=text,
                urgency=Urgency.CRITICAL if critical else Urgency.NORMAL,
                actions=tuple(actions) if server.supports("actions") else (),
            )

            def sent(notification_id: int | None, error: str | None) -> None:
                if notification_id is not None:
                    if tag is not None and self._tagged.get(tag) is not slot:
                        # Withdrawn (or replaced) before the server even answered.
                        server.close_notification(notification_id)
                        return
                    slot.append(notification_id)
                    if on_action is not None and note.actions:
                        self._on_action[notification_id] = on_action
                    return
                self._server_failed(error or "", title, text, warning or critical)

            if server.send(note, sent):
                self.last_route = "server"
                return True
        return self._balloon(title, text, warning or critical)

    def withdraw(self, tag: str) -> None:
        """Take the notification tagged ``tag`` off the screen, if it is still there."""
        slot = self._tagged.pop(tag, None)
        if slot and self.server is not None:
            self._on_action.pop(slot[0], None)
            self.server.close_notification(slot[0])

    def _balloon(self, title: str, text: str, warning: bool) -> bool:
        if self.tray_notify is not None and self.tray_notify(title, text, warning):
            self.last_route = "balloon"
            return True
        self.last_route = "none"
        return False

    def _server_failed(self, error: str, title: str, text: str, warning: bool) -> None:
        name = error.split(":", 1)[0]
        if means_no_server(name):
            logger.info("no notification server (%s): using the tray balloon", name)
        elif not self._reported_failure:
            # A server that is there but refuses us is a bug worth seeing, once.
            self._reported_failure = True
            logger.warning("the notification server refused a notification: %s", error)
        else:
            logger.info("the notification server refused a notification: %s", error)
        self._balloon(title, text, warning)

    # -- the server's answers ------------------------------------------------------------

    def _action_invoked(self, notification_id: int, key: str) -> None:
        callback = self._on_action.pop(notification_id, None)
        if callback is not None:
            callback(key)

    def _closed(self, notification_id: int, _reason: int) -> None:
        self._on_action.pop(notification_id, None)
        for tag, slot in list(self._tagged.items()):
            if slot and slot[0] == notification_id:
                del self._tagged[tag]  # the person closed it: nothing left to withdraw
