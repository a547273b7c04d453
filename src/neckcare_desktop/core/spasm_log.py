"""Spasm intents as a core service: log a spasm, give it a new pain score, resolve it.

The spasm dialog only says what the person entered (one of the intents below); this
service writes it to the history and answers with a :class:`SpasmSaved` event, or raises
:class:`SpasmNotSaved` with the reason in words. The app reacts to the event (phase
guidance, the see-someone suggestion), so a spasm is handled the same whichever way it
reached the history.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from neckcare_desktop.core.history import Episode, HistoryError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LogSpasm:
    """A new spasm, as entered in the log form."""

    started_at: datetime
    pain: int
    triggers: tuple[str, ...] = ()
    warning_signs: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class UpdatePain:
    """A new pain score for an open spasm."""

    episode_id: int
    pain: int


@dataclass(frozen=True)
class ResolveSpasm:
    """Mark an open spasm resolved; a pain score typed along with it is saved first."""

    episode_id: int
    pain: int | None = None


SpasmIntent = LogSpasm | UpdatePain | ResolveSpasm


@dataclass(frozen=True)
class SpasmSaved:
    """The history now holds the spasm as ``episode`` (new, updated or resolved)."""

    episode: Episode
    resolved: bool = False
    #: Warning signs ticked with it (a new spasm's; none for a new pain score or for
    #: resolving): a reason to suggest seeing someone, or for a red flag to seek care
    #: promptly, at once. Said when the person ticks them, not again at every later
    #: update, and never on the way out when the spasm is marked resolved.
    warning_signs: tuple[str, ...] = field(default=())


class SpasmNotSaved(Exception):
    """The history refused the intent; ``str()`` is the reason, in words."""


class SpasmStore(Protocol):
    """The history's spasm writes (see :class:`~neckcare_desktop.core.history.HistoryStore`)."""

    def log_episode(
        self,
        started_at: datetime,
        pain: int,
        triggers: Iterable[str] = (),
        warning_signs: Iterable[str] = (),
        note: str | None = None,
        now: datetime | None = None,
    ) -> Episode: ...

    def update_pain(self, episode_id: int, pain: int, at: datetime) -> Episode: ...

    def resolve_episode(self, episode_id: int, at: datetime) -> Episode: ...


class SpasmLog:
    """Carries out spasm intents against the history, at the clock's time."""

    def __init__(self, store: SpasmStore, now: Callable[[], datetime]) -> None:
        self._store = store
        self._now = now

    def handle(self, intent: SpasmIntent) -> SpasmSaved:
        """Write ``intent``; raises :class:`SpasmNotSaved` (nothing half-done is reported
        as saved) when the history or the values refuse it."""
        now = self._now()
        try:
            if isinstance(intent, LogSpasm):
                episode = self._store.log_episode(
                    intent.started_at,
                    intent.pain,
                    intent.triggers,
                    intent.warning_signs,
                    intent.note or None,
                    now,
                )
                return SpasmSaved(episode, warning_signs=episode.warning_signs)
            if isinstance(intent, UpdatePain):
                return SpasmSaved(self._store.update_pain(intent.episode_id, intent.pain, now))
            if intent.pain is not None:
                self._store.update_pain(intent.episode_id, intent.pain, now)
            episode = self._store.resolve_episode(intent.episode_id, now)
            return SpasmSaved(episode, resolved=True)
        except (HistoryError, ValueError) as exc:
            raise SpasmNotSaved(str(exc)) from exc
