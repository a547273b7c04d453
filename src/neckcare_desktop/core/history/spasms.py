"""Neck spasm episodes: what one is, what makes an entry valid, and keeping the log.

Why episodes have their own tables (``episodes`` and ``pain_updates``, schema 2) *and*
events: each change also writes an event (with ``episode_id`` and ``pain``) in the same
transaction, so the timeline and the episode log can never disagree.

The words (triggers, warning signs) are core.spasm_vocabulary's; only their keys are
stored here.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from neckcare_desktop.core.history.events import (
    EventKind,
    EventRecording,
    require_aware,
    utc_range,
)
from neckcare_desktop.core.i18n import translate
from neckcare_desktop.core.spasm_vocabulary import TRIGGERS, WARNING_SIGNS

logger = logging.getLogger(__name__)

MIN_PAIN = 0
MAX_PAIN = 10
#: The spasm log is for recent episodes; an older start date is almost surely a typo.
MAX_EPISODE_AGE = timedelta(days=365)


@dataclass(frozen=True)
class PainUpdate:
    """A later pain score for an open episode."""

    id: int
    at: datetime
    pain: int


@dataclass(frozen=True)
class Episode:
    """One neck spasm, from when it started until the person marks it resolved.

    ``pain`` is the score logged at the start; ``updates`` are later scores, oldest first.
    """

    id: int
    started_at: datetime
    pain: int
    triggers: tuple[str, ...]
    warning_signs: tuple[str, ...]
    note: str | None
    resolved_at: datetime | None = None
    updates: tuple[PainUpdate, ...] = field(default=())

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def latest_pain(self) -> int:
        """The most recent score: what "how is it now" should show."""
        return self.updates[-1].pain if self.updates else self.pain

    @property
    def peak_pain(self) -> int:
        """The worst score reported for this episode: what the chart plots."""
        return max([self.pain, *(u.pain for u in self.updates)])


class EpisodeProblem(StrEnum):
    """Why a spasm entry cannot be saved; the UI words each one in the person's language."""

    PAIN_MISSING = "pain_missing"
    PAIN_OUT_OF_RANGE = "pain_out_of_range"
    START_IN_FUTURE = "start_in_future"
    START_TOO_OLD = "start_too_old"


def episode_problems(
    started_at: datetime | None, pain: int | None, now: datetime
) -> list[EpisodeProblem]:
    """Everything wrong with a spasm entry, in form order; empty when it can be saved.

    One rule set for the dialog (which shows each problem inline) and the store (which
    refuses to write a bad row), so the two can never disagree.
    """
    problems: list[EpisodeProblem] = []
    if started_at is not None:
        require_aware("started_at", started_at)
        if started_at > now:
            problems.append(EpisodeProblem.START_IN_FUTURE)
        elif started_at < now - MAX_EPISODE_AGE:
            problems.append(EpisodeProblem.START_TOO_OLD)
    problems.extend(pain_problems(pain))
    return problems


def pain_problems(pain: int | None) -> list[EpisodeProblem]:
    """Whether ``pain`` is a whole number from 0 to 10 (the numeric rating scale)."""
    if pain is None:
        return [EpisodeProblem.PAIN_MISSING]
    if isinstance(pain, bool) or not isinstance(pain, int) or not MIN_PAIN <= pain <= MAX_PAIN:
        return [EpisodeProblem.PAIN_OUT_OF_RANGE]
    return []


def _join_keys(name: str, keys: Iterable[str], known: Collection[str]) -> str:
    """Validate and store a set of vocabulary keys as a stable, comma-separated list."""
    chosen = list(dict.fromkeys(keys))  # de-duplicated, order kept
    unknown = [k for k in chosen if k not in known]
    if unknown:
        raise ValueError(f"unknown {name}: {', '.join(map(repr, unknown))}")
    # Vocabulary order, not click order: the same choice always reads the same in the CSV.
    return ",".join(k for k in known if k in chosen)


def _split_keys(text: str | None) -> tuple[str, ...]:
    # Unknown keys (from a newer version) are kept: they are the person's data.
    return tuple(k for k in (text or "").split(",") if k)


_EPISODE_COLUMNS = "id, started_at, pain, triggers, warning_signs, note, resolved_at"


class SpasmLog(EventRecording):
    """Logging, updating, resolving and reading spasm episodes."""

    def log_episode(
        self,
        started_at: datetime,
        pain: int,
        triggers: Iterable[str] = (),
        warning_signs: Iterable[str] = (),
        note: str | None = None,
        now: datetime | None = None,
    ) -> Episode:
        """Store a new spasm episode and its ``spasm_logged`` event in one transaction.

        ``now`` (default: ``started_at``) is what "in the future" and "more than a year
        ago" are judged against; the dialog passes the clock's time.
        """
        require_aware("started_at", started_at)
        now = started_at if now is None else now
        require_aware("now", now)
        problems = episode_problems(started_at, pain, now)
        if problems:
            raise ValueError(f"cannot log this episode: {', '.join(problems)}")
        trigger_text = _join_keys("triggers", triggers, TRIGGERS)
        signs_text = _join_keys("warning signs", warning_signs, WARNING_SIGNS)
        note = (note or "").strip() or None
        try:
            with self._transaction() as conn:
                cur = conn.execute(
                    "INSERT INTO episodes (started_at, started_utc, pain, triggers,"
                    " warning_signs, note) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        started_at.isoformat(),
                        started_at.timestamp(),
                        pain,
                        trigger_text,
                        signs_text,
                        note,
                    ),
                )
                episode_id = cur.lastrowid
                assert episode_id is not None
                self._insert_spasm_event(
                    conn, EventKind.SPASM_LOGGED, started_at, episode_id, pain, note
                )
        except sqlite3.Error as exc:
            raise self._sql_failed("save to", exc) from exc
        logger.info("Logged spasm episode #%d (pain %d)", episode_id, pain)
        episode = self.episode(episode_id)
        assert episode is not None
        return episode

    def update_pain(self, episode_id: int, pain: int, at: datetime) -> Episode:
        """Add a later pain score to an open episode (and a ``spasm_pain_updated`` event)."""
        require_aware("at", at)
        if pain_problems(pain):
            raise ValueError(
                translate("History", "pain must be a whole number from 0 to 10, got {pain}").format(
                    pain=repr(pain)
                )
            )
        episode = self._open_episode_or_raise(episode_id, at)
        try:
            with self._transaction() as conn:
                conn.execute(
                    "INSERT INTO pain_updates (episode_id, at, at_utc, pain) VALUES (?, ?, ?, ?)",
                    (episode.id, at.isoformat(), at.timestamp(), pain),
                )
                self._insert_spasm_event(
                    conn, EventKind.SPASM_PAIN_UPDATED, at, episode.id, pain, None
                )
        except sqlite3.Error as exc:
            raise self._sql_failed("save to", exc) from exc
        logger.info("Spasm episode #%d pain now %d", episode.id, pain)
        updated = self.episode(episode.id)
        assert updated is not None
        return updated

    def resolve_episode(self, episode_id: int, at: datetime) -> Episode:
        """Mark an open episode as resolved at ``at`` (and record ``spasm_resolved``)."""
        require_aware("at", at)
        episode = self._open_episode_or_raise(episode_id, at)
        try:
            with self._transaction() as conn:
                conn.execute(
                    "UPDATE episodes SET resolved_at = ?, resolved_utc = ? WHERE id = ?",
                    (at.isoformat(), at.timestamp(), episode.id),
                )
                self._insert_spasm_event(
                    conn, EventKind.SPASM_RESOLVED, at, episode.id, episode.latest_pain, None
                )
        except sqlite3.Error as exc:
            raise self._sql_failed("save to", exc) from exc
        logger.info("Spasm episode #%d resolved", episode.id)
        resolved = self.episode(episode.id)
        assert resolved is not None
        return resolved

    def _open_episode_or_raise(self, episode_id: int, at: datetime) -> Episode:
        episode = self.episode(episode_id)
        if episode is None:
            raise ValueError(
                translate("History", "there is no spasm episode #{id}").format(id=episode_id)
            )
        if not episode.is_open:
            raise ValueError(
                translate("History", "spasm episode #{id} is already resolved").format(
                    id=episode_id
                )
            )
        if at < episode.started_at:
            raise ValueError(
                translate("History", "{when} is before episode #{id} started").format(
                    when=at.isoformat(), id=episode_id
                )
            )
        return episode

    @staticmethod
    def _insert_spasm_event(
        conn: sqlite3.Connection,
        kind: EventKind,
        at: datetime,
        episode_id: int,
        pain: int,
        note: str | None,
    ) -> None:
        conn.execute(
            "INSERT INTO events (at, at_utc, kind, episode_id, pain, note)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (at.isoformat(), at.timestamp(), kind.value, episode_id, pain, note),
        )

    def _episodes(self, where: str, params: Sequence[Any], tail: str = "") -> list[Episode]:
        """Episodes matching ``where``, each with its pain updates (one extra query)."""
        try:
            rows = self._db.execute(
                f"SELECT {_EPISODE_COLUMNS} FROM episodes WHERE {where} {tail}", params
            ).fetchall()
            ids = [row[0] for row in rows]
            updates: dict[int, list[PainUpdate]] = {i: [] for i in ids}
            # Chunked to stay under SQLite's bound-parameter limit on any build.
            for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
                for u_id, episode_id, at, pain in self._db.execute(
                    "SELECT id, episode_id, at, pain FROM pain_updates WHERE episode_id IN "
                    f"({', '.join('?' * len(chunk))}) ORDER BY at_utc, id",
                    chunk,
                ):
                    updates[episode_id].append(
                        PainUpdate(id=u_id, at=datetime.fromisoformat(at), pain=pain)
                    )
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        return [
            Episode(
                id=id_,
                started_at=datetime.fromisoformat(started_at),
                pain=pain,
                triggers=_split_keys(triggers),
                warning_signs=_split_keys(signs),
                note=note,
                resolved_at=None if resolved_at is None else datetime.fromisoformat(resolved_at),
                updates=tuple(updates[id_]),
            )
            for id_, started_at, pain, triggers, signs, note, resolved_at in rows
        ]

    def episode(self, episode_id: int) -> Episode | None:
        """One episode by id, or None."""
        found = self._episodes("id = ?", [episode_id])
        return found[0] if found else None

    def episodes_between(self, start: datetime, end: datetime) -> list[Episode]:
        """Episodes that started in ``[start, end)``, oldest first."""
        lo, hi = utc_range(start, end)
        return self._episodes(
            "started_utc >= ? AND started_utc < ?", [lo, hi], "ORDER BY started_utc, id"
        )

    def open_episodes(self) -> list[Episode]:
        """Episodes not marked resolved yet, oldest first."""
        return self._episodes("resolved_utc IS NULL", [], "ORDER BY started_utc, id")

    def latest_unresolved_episode(self) -> Episode | None:
        """The open episode that started last: the one phase guidance is about."""
        found = self._episodes(
            "resolved_utc IS NULL", [], "ORDER BY started_utc DESC, id DESC LIMIT 1"
        )
        return found[0] if found else None
