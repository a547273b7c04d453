"""A fullscreen window on the X display: presentations, video calls, games.

With a window manager only the active window (``_NET_ACTIVE_WINDOW``) counts; without one,
every mapped top-level window that is fullscreen or covers the screen. Windows of this
process (``_NET_WM_PID``) never count: our own break window must not hold itself back.
"""

from __future__ import annotations

import os
from typing import Final

from neckcare_desktop.core.i18n import translate
from neckcare_desktop.platform.backends import BackendUnavailable
from neckcare_desktop.platform.dnd.base import INACTIVE, DndReading
from neckcare_desktop.platform.x11 import XDisplay

_IS_VIEWABLE: Final = 2
_INPUT_ONLY: Final = 2


class X11FullscreenBackend:
    """A fullscreen window on the X display (presentations, video calls, games).

    ``own_pid`` is the process whose windows never count (default: this one).
    """

    name = "x11-fullscreen"

    def __init__(self, display: str | None = None, own_pid: int | None = None) -> None:
        self._display_name = display
        self._own_pid = os.getpid() if own_pid is None else own_pid
        self._x: XDisplay | None = None
        self._broken: str | None = None

    def _connect(self) -> XDisplay:
        if self._broken:
            raise BackendUnavailable(self._broken, permanent=True)
        if self._x is None:
            try:
                self._x = XDisplay(self._display_name)
            except BackendUnavailable as exc:
                if exc.permanent:
                    self._broken = exc.reason
                raise
        return self._x

    def read(self) -> DndReading:
        x = self._connect()
        active = x.property(x.root, "_NET_ACTIVE_WINDOW")
        if active is not None and active.format == 32:
            # A window manager keeps track of the active window: trust it alone, so a
            # fullscreen video left in the background does not hold breaks back forever.
            wid = int(active.value[0]) if active.value else 0
            if wid and self._fullscreen(x, wid) and not self._ours(x, wid):
                return DndReading(True, self._reason(x, wid))
            return INACTIVE
        # No window manager (bare X servers, kiosks): look at every mapped top-level window,
        # topmost first.
        screen = x.attributes(x.root)
        for wid in reversed(x.children(x.root)):
            attrs = x.attributes(wid)
            if attrs is None or attrs.map_state != _IS_VIEWABLE or attrs.c_class == _INPUT_ONLY:
                continue
            covers = screen is not None and (
                attrs.x <= 0
                and attrs.y <= 0
                and attrs.x + attrs.width >= screen.width
                and attrs.y + attrs.height >= screen.height
            )
            if (covers or self._fullscreen(x, wid)) and not self._ours(x, wid):
                return DndReading(True, self._reason(x, wid))
        return INACTIVE

    @staticmethod
    def _fullscreen(x: XDisplay, wid: int) -> bool:
        state = x.property(wid, "_NET_WM_STATE")
        if state is None or state.format != 32:
            return False
        return x.atom("_NET_WM_STATE_FULLSCREEN") in state.value

    def _ours(self, x: XDisplay, wid: int) -> bool:
        pid = x.property(wid, "_NET_WM_PID")
        return pid is not None and pid.format == 32 and list(pid.value[:1]) == [self._own_pid]

    @staticmethod
    def _reason(x: XDisplay, wid: int) -> str:
        title = x.text_property(wid, "_NET_WM_NAME") or x.text_property(wid, "WM_NAME")
        if title:
            return translate("DoNotDisturb", "fullscreen window: {title}").format(title=repr(title))
        return translate("DoNotDisturb", "fullscreen window")

    def close(self) -> None:
        if self._x is not None:
            self._x.close()
            self._x = None
