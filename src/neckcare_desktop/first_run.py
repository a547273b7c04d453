"""The first-run question: start NeckCare when the person logs in?

Asked once (remembered in the app-state file, not the person's settings), yes by
default, and never because the settings file is broken or unread.
"""

from __future__ import annotations

import contextlib
import logging

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMessageBox

from neckcare_desktop.core.engine import Engine
from neckcare_desktop.core.settings import with_value
from neckcare_desktop.notices import Notices
from neckcare_desktop.paths import AppPaths

logger = logging.getLogger(__name__)


class FirstRun(QObject):
    """Offers to start with the session, on the first start that read the settings."""

    def __init__(
        self,
        engine: Engine,
        paths: AppPaths,
        notices: Notices,
        icon: QIcon,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._paths = paths
        self._notices = notices
        self._icon = icon
        #: The question while it is on screen.
        self.box: QMessageBox | None = None

    def should_ask(self, settings_problems: list[str]) -> bool:
        """First run only: asked once is asked for good, and never because the settings
        file is broken or unread."""
        from neckcare_desktop.core.app_state import legacy_autostart_asked, load_state, remember

        if load_state(self._paths.state_file).autostart_asked:
            return False
        if self._engine.settings.app.autostart_asked or legacy_autostart_asked(
            self._paths.settings_file
        ):
            try:  # migrate: an older NeckCare kept this in settings.toml
                remember(self._paths.state_file, autostart_asked=True)
            except OSError as exc:
                logger.warning("could not save the app state: %s", exc)
            return False
        # Defaults because of a typo are not a first run: ask at a start that read the file.
        return not settings_problems

    def ask(self) -> None:
        """Offer to start with the session (yes by default)."""
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
        box.setWindowIcon(self._icon)
        yes = box.button(QMessageBox.StandardButton.Yes)
        # Only a click counts as an answer: a box closed by quitting asks again next time.
        box.buttonClicked.connect(lambda button: self.answer(button is yes))
        self.box = box
        # A QMessageBox is application-modal by default: left unanswered it would block
        # the break window's buttons and the ice alert's Done. It waits beside them.
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()

    def close(self) -> None:
        """Quitting: the question goes, unanswered (it is asked again at the next start)."""
        box, self.box = self.box, None
        if box is not None:
            with contextlib.suppress(RuntimeError):  # already deleted: it was answered
                box.close()

    def answer(self, enable: bool) -> None:
        from neckcare_desktop.core.app_state import remember
        from neckcare_desktop.platform.autostart import default_backend, launch_command

        backend = default_backend()
        try:
            if enable:
                backend.enable(launch_command())
            else:
                backend.disable()
        except OSError as exc:
            self._notices.notify(self.tr("Start at login"), str(exc), warning=True)
        # App state, not a setting: the person's settings file is not written for it.
        try:
            remember(self._paths.state_file, autostart_asked=True)
        except OSError as exc:
            logger.warning("could not save the autostart answer: %s", exc)
        self._engine.apply_settings(with_value(self._engine.settings, "app.autostart_asked", True))
