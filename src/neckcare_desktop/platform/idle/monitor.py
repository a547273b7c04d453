"""The idle monitor: asks the backends in turn and keeps using the first that answers.

See :mod:`neckcare_desktop.platform.idle` for why it exists and which backends there are.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Final

from neckcare_desktop.platform.backends import BackendUnavailable, Outcome, start_read
from neckcare_desktop.platform.idle.base import IdleBackend, IdleReading
from neckcare_desktop.platform.idle.choose import default_backends

if TYPE_CHECKING:
    from neckcare_desktop.platform.idle.mutter_watch import IdleWatchListener

logger = logging.getLogger(__name__)

#: A request unanswered for this long is given up (its late answer ignored) and the next
#: request starts afresh. QtDBus ends every call within its timeout, so this only guards
#: against a backend bug leaving the poll without readings for good.
STUCK_REQUEST_S: Final = 30.0


Done = Callable[[IdleReading | None], None]


class IdleMonitor:
    """Idle time from the first backend that answers; cheap to build, polled by the app.

    The backend that answered last is asked first next time; if it stops answering, the
    others are tried again in order. Backends that can never work here (permanent
    :class:`BackendUnavailable`) are not asked again. When nobody answers, the reading is
    None and the app runs breaks on the clock alone; that is said once, at INFO, with the
    reason from every backend, so a bug report shows why.

    :meth:`request` is how the app asks: it never waits. :meth:`read` is the same answer in
    hand, for callers whose backends all answer at once (tests, scripts).
    """

    def __init__(
        self,
        backends: Sequence[IdleBackend] | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._backends: list[IdleBackend] = (
            list(backends) if backends is not None else default_backends()
        )
        self._monotonic = monotonic
        self._current: IdleBackend | None = None
        self._last_answer: IdleBackend | None = None
        self._gone: dict[int, str] = {}  # id(backend) -> permanent reason
        self._tried: list[tuple[str, str]] = []
        self._said_unavailable = False
        self._waiting: list[Done] = []  # callers of the request under way
        self._generation = 0  # of the request under way; a late answer to an older one is dropped
        self._asked_at = 0.0

    @property
    def available(self) -> bool:
        """Whether the latest reading came from a backend (False before the first one)."""
        return self._last_answer is not None

    @property
    def backend_name(self) -> str | None:
        """The backend that gave the latest reading, or None."""
        return self._last_answer.name if self._last_answer is not None else None

    @property
    def tried(self) -> list[tuple[str, str]]:
        """(backend, outcome) for each backend the latest request considered, in order."""
        return list(self._tried)

    @property
    def busy(self) -> bool:
        """A request is waiting for a backend's answer."""
        return bool(self._waiting)

    def _order(self) -> list[IdleBackend]:
        if self._current is None:
            return list(self._backends)
        return [self._current, *(b for b in self._backends if b is not self._current)]

    def read(self) -> IdleReading | None:
        """The current reading, or None when no backend answers (or the answer is still on
        its way from an asynchronous backend). Never raises."""
        box: list[IdleReading | None] = []
        self.request(box.append)
        return box[0] if box else None

    def request(self, done: Done) -> None:
        """Ask for a reading; ``done(reading or None)`` runs once it is known: before this
        returns for backends that answer at once, from the event loop for D-Bus ones.
        Asked again while a request is under way, the new caller shares its answer."""
        self._waiting.append(done)
        if len(self._waiting) > 1:
            if self._monotonic() - self._asked_at < STUCK_REQUEST_S:
                return
            logger.warning(
                "no idle reading after %.0f s; asking again (tried: %s)",
                self._monotonic() - self._asked_at,
                self._summary(self._tried) or "nothing yet",
            )
        self._generation += 1
        self._asked_at = self._monotonic()
        self._tried = []
        self._next(self._generation, self._order(), 0)

    def _next(self, generation: int, order: list[IdleBackend], index: int) -> None:
        while index < len(order):
            backend = order[index]
            gone = self._gone.get(id(backend))
            if gone is None:
                start_read(backend, functools.partial(self._answered, generation, order, index))
                return
            self._tried.append((backend.name, gone))
            index += 1
        self._finish(generation, None)

    def _answered(
        self, generation: int, order: list[IdleBackend], index: int, outcome: Outcome
    ) -> None:
        if generation != self._generation:
            return  # given up on; a newer request is under way or done
        backend = order[index]
        if isinstance(outcome, BackendUnavailable):
            if outcome.permanent:
                self._gone[id(backend)] = outcome.reason
            self._tried.append((backend.name, outcome.reason))
        elif isinstance(outcome, Exception):
            logger.debug("idle backend %s failed", backend.name, exc_info=outcome)
            self._tried.append((backend.name, f"error: {outcome}"))
        elif outcome is None:
            self._tried.append((backend.name, "no answer"))
        else:
            self._tried.append((backend.name, "answered"))
            self._use(backend)
            self._finish(generation, outcome)
            return
        self._next(generation, order, index + 1)

    def _finish(self, generation: int, reading: IdleReading | None) -> None:
        if reading is None:
            self._last_answer = None
            self._current = None
            summary = self._summary(self._tried) or "no backends"
            if not self._said_unavailable:
                self._said_unavailable = True
                logger.info(
                    "idle detection unavailable (tried: %s); breaks work without it", summary
                )
            else:
                logger.debug("idle detection unavailable (tried: %s)", summary)
        self._generation = generation + 1  # answered: nothing more is expected from it
        waiting, self._waiting = self._waiting, []
        for done in waiting:
            try:
                done(reading)
            except Exception:
                logger.exception("handling an idle reading failed")

    @staticmethod
    def _summary(tried: list[tuple[str, str]]) -> str:
        return ", ".join(f"{name}: {why}" for name, why in tried)

    def _use(self, backend: IdleBackend) -> None:
        if backend is not self._current:
            others = [f"{name}: {why}" for name, why in self._tried[:-1]]
            logger.info(
                "idle time from %s%s",
                backend.name,
                f" (not from {', '.join(others)})" if others else "",
            )
        self._current = backend
        self._last_answer = backend

    def watch(self, away_after_seconds: float, listener: IdleWatchListener) -> bool:
        """Have away and back pushed to ``listener`` instead of being polled, where the
        backend in use can (GNOME: :mod:`.mutter_watch`). False means keep polling; so
        does a later ``listener.idle_watch_lost``. Asked again with another length, the
        watch follows it."""
        watch = getattr(self._current, "watch", None)
        if not callable(watch):
            return False
        try:
            return bool(watch(away_after_seconds, listener))
        except Exception:
            logger.exception("watching idle time through %s failed", self.backend_name)
            return False

    def close(self) -> None:
        """Release X connections and private buses; a later request reopens them."""
        for backend in self._backends:
            try:
                backend.close()
            except Exception:
                logger.debug("closing idle backend %s failed", backend.name, exc_info=True)
        self._current = None
        self._last_answer = None
        self._generation += 1  # answers still on their way are not wanted any more
        self._waiting = []
