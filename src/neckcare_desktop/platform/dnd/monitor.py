"""The do-not-disturb monitor: any backend that says "active" holds breaks back.

See :mod:`neckcare_desktop.platform.dnd` for why it exists and which backends there are.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Sequence
from typing import Final

from neckcare_desktop.platform.backends import BackendUnavailable, Outcome, start_read
from neckcare_desktop.platform.dnd.base import INACTIVE, DndBackend, DndReading
from neckcare_desktop.platform.dnd.choose import default_dnd_backends

logger = logging.getLogger(__name__)

#: A do-not-disturb question unanswered this long (real seconds) is asked again. QtDBus
#: ends every call within seconds; this only guards against a lost question.
STUCK_QUESTION_S: Final = 30.0


class DndMonitor:
    """ "Do not disturb" from all backends: any active one makes the answer active.

    ``read()`` never raises and never waits. Quick local backends are asked each time;
    asynchronous ones (``read_async``) answer from their last reading, and each ``read()``
    or :meth:`refresh` asks them again (one question at a time per backend), so the next
    ``read()`` sees the answer. A backend that fails is logged once (INFO) and counts as
    "not active"; one that can never work here is not asked again.

    As the presence watcher's do-not-disturb source, :meth:`current` gives the reason
    (``fallback_reason`` when a backend gave none) or None.
    """

    def __init__(
        self,
        backends: Sequence[DndBackend] | None = None,
        *,
        fallback_reason: str = "do not disturb",
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._backends: list[DndBackend] = (
            list(backends) if backends is not None else default_dnd_backends()
        )
        self.fallback_reason = fallback_reason
        self._monotonic = monotonic
        self._gone: set[int] = set()
        self._reported: set[int] = set()
        self._said_none = False
        self._cached: dict[int, DndReading] = {}  # id(backend) -> last answer (async ones)
        self._asked: dict[int, float] = {}  # id(backend) -> when the open question was asked

    def read(self) -> DndReading:
        if not self._backends and not self._said_none:
            self._said_none = True
            logger.info("do-not-disturb detection is not available here")
        self.refresh()
        for backend in self._backends:
            if id(backend) in self._gone:
                continue
            if _is_async(backend):
                reading = self._cached.get(id(backend), INACTIVE)
            else:
                start_read(backend, functools.partial(self._store, backend))
                reading = self._cached.pop(id(backend), INACTIVE)
            if reading.active:
                return reading
        return INACTIVE

    def current(self) -> str | None:
        """Why breaks should wait now, or None (never waits; see the class docstring)."""
        reading = self.read()
        if not reading.active:
            return None
        return reading.reason or self.fallback_reason

    def refresh(self) -> None:
        """Ask the asynchronous backends again (their answers arrive later), and start
        the watching ones (GNOME's setting) if they are not watching yet."""
        now = self._monotonic()
        for backend in self._backends:
            key = id(backend)
            if key in self._gone:
                continue
            watch = getattr(backend, "watch", None)
            if callable(watch):
                watch()
            if not _is_async(backend):
                continue
            asked = self._asked.get(key)
            if asked is not None and now - asked < STUCK_QUESTION_S:
                continue  # its answer is on the way
            self._asked[key] = now
            start_read(backend, functools.partial(self._answered, backend))

    def _answered(self, backend: DndBackend, outcome: Outcome) -> None:
        self._asked.pop(id(backend), None)
        self._store(backend, outcome)

    def _store(self, backend: DndBackend, outcome: Outcome) -> None:
        """Keep ``outcome`` as the backend's reading; failures count as "not active"."""
        key = id(backend)
        if isinstance(outcome, DndReading):
            self._cached[key] = outcome
            return
        self._cached[key] = INACTIVE
        if isinstance(outcome, BackendUnavailable):
            if outcome.permanent:
                self._gone.add(key)
            self._cannot_read(backend, outcome.reason)
        else:
            logger.debug("do-not-disturb backend %s failed", backend.name, exc_info=outcome)
            self._cannot_read(backend, f"error: {outcome}")

    def _cannot_read(self, backend: DndBackend, reason: str) -> None:
        if id(backend) in self._reported:
            logger.debug("do-not-disturb: cannot read %s (%s)", backend.name, reason)
            return
        self._reported.add(id(backend))
        logger.info("do-not-disturb: cannot read %s (%s); treating it as off", backend.name, reason)

    def close(self) -> None:
        for backend in self._backends:
            try:
                backend.close()
            except Exception:
                logger.debug(
                    "closing do-not-disturb backend %s failed", backend.name, exc_info=True
                )
        self._asked.clear()


def _is_async(backend: object) -> bool:
    return callable(getattr(backend, "read_async", None))
