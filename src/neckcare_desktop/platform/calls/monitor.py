"""The call monitor: "a microphone or camera is in use by another program", as a Qt signal.

See :mod:`neckcare_desktop.platform.calls` for what is read and why.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QObject, Signal

from neckcare_desktop.core.i18n import translate
from neckcare_desktop.platform.calls.base import CONTEXT, NOT_SUPPORTED, CallBackend
from neckcare_desktop.platform.calls.choose import default_call_backends

logger = logging.getLogger(__name__)


class CallMonitor(QObject):
    """Watches the backends :func:`default_call_backends` picks (or ``backends``).

    ``in_call()`` is True while any backend sees its device in use. ``in_call_changed(bool)``
    is emitted when that answer changes, ``availability_changed()`` when what
    :meth:`describe` says may have changed. Nothing here blocks: backends learn through
    the event loop and answer from what they learnt. Watching starts at construction
    (``start=False`` defers it to :meth:`start`); :meth:`close` ends it.
    """

    in_call_changed = Signal(bool)
    availability_changed = Signal()

    def __init__(
        self,
        backends: Sequence[CallBackend] | None = None,
        parent: QObject | None = None,
        *,
        start: bool = True,
    ) -> None:
        super().__init__(parent)
        self._backends = list(backends) if backends is not None else default_call_backends()
        self._in_call = False
        self._problems: list[str | None] = [None] * len(self._backends)
        self._started = False
        self._closed = False
        if start:
            self.start()

    def start(self) -> None:
        if self._started or self._closed:
            return
        self._started = True
        app = QCoreApplication.instance()
        if app is not None:
            # Child processes (pactl) end with the app even if nobody called close().
            app.aboutToQuit.connect(self.close)
        if not self._backends:
            logger.info("call detection is not available on this system")
        for backend in self._backends:
            logger.debug("call detection: watching the %s (%s)", backend.device, backend.name)
            backend.start(self._on_backend_changed)
        self._on_backend_changed()

    def in_call(self) -> bool:
        return self._in_call

    def in_use(self) -> list[str]:
        """What is in use now: "microphone", "camera" (empty when not in a call)."""
        return sorted({b.device for b in self._backends if b.in_use()})

    def available(self) -> bool:
        """At least one device can be watched here."""
        return any(backend.problem() is None for backend in self._backends)

    def describe(self) -> str | None:
        """A sentence for Settings when detection cannot work (fully or in part), else None."""
        if not self._backends:
            return translate("CallDetection", "Call detection is not available: {reason}.").format(
                reason=translate(CONTEXT, NOT_SUPPORTED)
            )
        broken = [(b.device, b.problem()) for b in self._backends if b.problem() is not None]
        if not broken:
            return None
        device, reason = broken[0]
        text = translate(CONTEXT, reason or "")
        if len(broken) == len(self._backends):
            return translate("CallDetection", "Call detection is not available: {reason}.").format(
                reason=text
            )
        if device == "camera":
            return translate("CallDetection", "Camera use cannot be detected: {reason}.").format(
                reason=text
            )
        return translate("CallDetection", "Microphone use cannot be detected: {reason}.").format(
            reason=text
        )

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for backend in self._backends:
            try:
                backend.close()
            except Exception:
                logger.debug("closing call backend %s failed", backend.name, exc_info=True)

    def _on_backend_changed(self) -> None:
        if self._closed:
            return
        problems = [backend.problem() for backend in self._backends]
        if problems != self._problems:
            self._problems = problems
            self.availability_changed.emit()
        in_call = any(backend.in_use() for backend in self._backends)
        if in_call != self._in_call:
            self._in_call = in_call
            logger.info(
                "call detection: %s",
                f"in a call ({', '.join(self.in_use())} in use)" if in_call else "no call",
            )
            self.in_call_changed.emit(in_call)
