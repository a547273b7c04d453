"""The app's single-instance windows: at most one of each kind, held while it is open.

History, Settings, the spasm form, the see-someone message and the status window are
each opened again by bringing the open one forward, never by stacking a second one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from neckcare_desktop.ui.status_window import StatusWindow

#: Window kinds.
HISTORY = "history"
SETTINGS = "settings"
SPASM = "spasm"
SEE_SOMEONE = "see_someone"


class WindowRegistry(QObject):
    """Holds one window of each kind; the status window is built on first use."""

    def __init__(
        self,
        icon: QIcon,
        build_status_window: Callable[[], StatusWindow],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._icon = icon
        self._build_status_window = build_status_window
        self._windows: dict[str, QWidget] = {}
        # Built on first use: it costs fonts and layout, and most days nobody opens it.
        self._status: StatusWindow | None = None

    # -- the status window (also the fallback when there is no tray) ---------------------

    @property
    def status(self) -> StatusWindow:
        if self._status is None:
            self._status = self._build_status_window()
            self._status.setWindowIcon(self._icon)
        return self._status

    @property
    def status_if_built(self) -> StatusWindow | None:
        return self._status

    def status_on_screen(self) -> StatusWindow | None:
        """The status window when it is visible (a question asked from it belongs to it)."""
        window = self._status
        return window if window is not None and window.isVisible() else None

    # -- the other single-instance windows ------------------------------------------------

    def get(self, kind: str) -> QWidget | None:
        return self._windows.get(kind)

    def visible(self, kind: str) -> QWidget | None:
        window = self._windows.get(kind)
        return window if window is not None and window.isVisible() else None

    def raise_open(self, kind: str) -> bool:
        """Bring the open window of ``kind`` forward as it is (what was typed stays)."""
        window = self.visible(kind)
        if window is None:
            return False
        window.raise_()
        window.activateWindow()
        return True

    def keep(self, kind: str, window: QWidget) -> QWidget:
        """Hold ``window`` as the one of ``kind`` until it closes (it deletes itself then)."""
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda *_: self._forget(kind, window))
        return self.hold(kind, window)

    def hold(self, kind: str, window: QWidget) -> QWidget:
        """Hold ``window`` for good: closing only hides it (History keeps its range)."""
        window.setWindowIcon(self._icon)
        self._windows[kind] = window
        return window

    def _forget(self, kind: str, window: QWidget) -> None:
        # An older window of the same kind is deleted only after its successor was kept:
        # forgetting unconditionally would lose the current one (two spasm dialogs open).
        if self._windows.get(kind) is window:
            del self._windows[kind]

    def shut_down(self) -> None:
        """Quitting: delete what is held; the fallback status window may close now."""
        for kind in (HISTORY, SETTINGS):
            window = self._windows.pop(kind, None)
            if window is not None:
                window.deleteLater()
        if self._status is not None:
            self._status.set_fallback(False)  # so that it may close
            self._status.close()
            self._status.deleteLater()
            # A late refresh (an engine event during shutdown) then finds no window to
            # write to, rather than a deleted one.
            self._status = None
