"""A running ice or heat session, and the skin's rest after ice, survive any restart.

Two sources say what was going on when NeckCare last ran:

* the **history** rows (``therapy_started`` and the row that ended it), the record;
* a tiny **state file**, ``therapy-state.json`` in the data folder, rewritten atomically
  (temporary file, fsync, rename) at every change: start, stop, end, cancel, clock shift.

Why both: the history file can be unreadable exactly when it matters. Another program
holding ``BEGIN EXCLUSIVE`` on a rollback-journal database blocks every reader; a
read-only folder can stop SQLite from opening a WAL database at all; a damaged file is
moved aside. The state file is a separate, plain file that no database lock touches. The
history in turn covers a missing state file (first run of this version, a deleted file)
and a state file that could not be rewritten (disk full: the old copy stays).

At start-up :func:`recover` reads both and takes the safe side: a session that either
source says is running, and that the other does not say has ended, is resumed (an alert
too many beats a missed one); the rest after ice runs from the later of the two ends, and
never from a time after "now" (the clock may have been set back). The session is the last
one *started*, in write order, not the one with the newest time stamp.

An intermittent ice session ("10 on · 10 off · 10 on") comes back whole: its parts are in
the state file and in its ``therapy_started`` row's note (core.history_notes), and the
switches already said are the ``therapy_switched`` rows after it (and a count in the
file; of two counts the lower one wins, so a switch is said again rather than never).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from neckcare_desktop.core import events as ev
from neckcare_desktop.core.atomic_file import write_atomically
from neckcare_desktop.core.history import (
    THERAPY_KINDS,
    EventKind,
    HistoryError,
    HistoryStore,
)
from neckcare_desktop.core.history_notes import NoteCode, parse_note, parse_parts
from neckcare_desktop.core.i18n import translate
from neckcare_desktop.core.therapy import TherapyKind, TherapySession
from neckcare_desktop.core.therapy_session import display_minutes
from neckcare_desktop.core.timescale import TimeScale

logger = logging.getLogger(__name__)

STATE_FILE_NAME = "therapy-state.json"
STATE_FORMAT = 1
#: Therapy rows read at start-up (newest first, in write order): hours of sessions, more
#: than the longest rest after ice can span.
RECENT_ROWS = 200
#: Rows that end a session; a cancelled round ends one too but starts no rest.
ENDING_KINDS = frozenset(THERAPY_KINDS - {EventKind.THERAPY_STARTED})
REST_KINDS = frozenset(ENDING_KINDS - {EventKind.THERAPY_CANCELLED})
#: What start-up reads: the sessions' rows and the switches inside intermittent ones (a
#: switch row neither starts nor ends a session, so it is not in THERAPY_KINDS).
READ_KINDS = frozenset(THERAPY_KINDS | {EventKind.THERAPY_SWITCHED})


@dataclass(frozen=True)
class TherapyMemory:
    """What must outlive the process: the running session and the last ice end."""

    active: TherapySession | None = None
    #: When the last ice round that starts a rest ended.
    last_ice_end: datetime | None = None
    #: :attr:`TherapySession.key` of the session that ended last ("that one is over").
    last_ended: datetime | None = None
    #: The last part of the running intermittent session that was announced (0: none
    #: since the start); a switch that passed while NeckCare was not running is later.
    announced_part: int = 0


@dataclass(frozen=True)
class HistoryView:
    """The same, as the history rows tell it."""

    active: TherapySession | None
    last_ice_end: datetime | None
    #: Keys (recorded start times) of sessions the history knows have ended.
    ended: frozenset[datetime]
    #: Switch rows written since the running session started.
    announced_part: int = 0


# -- what a restart says -------------------------------------------------------------------


def resumed_notice(session: TherapySession, now: datetime, scale: TimeScale) -> ev.Notice:
    """What a restart says about the ice or heat timer it carries on with.

    An intermittent session says what the person needs now: the part running, how long it
    has left and what comes next (not the whole session's time, which counts the time
    off). The minutes are rounded as the status line and the tray tooltip round them.
    """
    if session.intermittent:
        part = session.part_at(now, scale)
        minutes = display_minutes(scale.app_seconds(part.ends_at - now))
        last = part.index >= len(session.parts) - 1
        if last:
            text = translate(
                "Engine",
                "NeckCare restarted during your ice session: ice is on for {minutes} more "
                "min, then the session is done.",
            )
        elif part.on:
            text = translate(
                "Engine",
                "NeckCare restarted during your ice session: ice is on for {minutes} more "
                "min, then off for {next} min.",
            )
        else:
            text = translate(
                "Engine",
                "NeckCare restarted during your ice session: ice is off for {minutes} more "
                "min, then back on for {next} min.",
            )
        following = 0 if last else session.parts[part.index + 1]
        return ev.Notice(
            translate("Engine", "Ice session resumed"),
            text.format(minutes=minutes, next=display_minutes(following)),
        )
    minutes = display_minutes(scale.app_seconds(session.ends_at - now))
    if session.kind is TherapyKind.ICE:
        return ev.Notice(
            translate("Engine", "Ice timer resumed"),
            translate("Engine", "NeckCare restarted while ice was on: {minutes} min left.").format(
                minutes=minutes
            ),
        )
    return ev.Notice(
        translate("Engine", "Heat timer resumed"),
        translate("Engine", "NeckCare restarted while heat was on: {minutes} min left.").format(
            minutes=minutes
        ),
    )


# -- the state file ------------------------------------------------------------------------


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat()


def _when(value: Any) -> datetime | None:
    if value is None:
        return None
    when = datetime.fromisoformat(str(value))
    if when.tzinfo is None:
        raise ValueError(f"naive time {value!r}")
    return when


class TherapyStateFile:
    """``therapy-state.json``: written whole or not at all, never half."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._warned = False

    @classmethod
    def beside(cls, history: HistoryStore) -> TherapyStateFile | None:
        """The state file in the history's data folder (None for a history without one)."""
        folder = getattr(history, "folder", None)
        return None if folder is None else cls(Path(folder) / STATE_FILE_NAME)

    def load(self) -> TherapyMemory | None:
        """The saved state, or None when there is none or it cannot be read."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            logger.warning("could not read %s: %s", self.path, exc)
            return None
        try:
            if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
                raise ValueError("not a format-1 therapy state")
            active = None
            if data.get("active") is not None:
                a = data["active"]
                started, ends = _when(a["started_at"]), _when(a["ends_at"])
                assert started is not None and ends is not None
                planned = int(a["planned_seconds"])
                if planned <= 0:
                    raise ValueError(f"planned_seconds {planned}")
                # Files from before intermittent sessions have no parts: a plain round.
                parts = tuple(int(p) for p in a.get("parts") or ())
                if any(p <= 0 for p in parts):
                    raise ValueError(f"parts {parts}")
                active = TherapySession(
                    TherapyKind(a["kind"]),
                    started,
                    planned,
                    ends,
                    _when(a.get("recorded_at")),
                    parts,
                )
            return TherapyMemory(
                active,
                _when(data.get("last_ice_end")),
                _when(data.get("last_ended")),
                int(data.get("announced_part") or 0),
            )
        except (KeyError, TypeError, ValueError, AssertionError) as exc:
            logger.warning("ignoring %s, which makes no sense: %s", self.path, exc)
            return None

    def save(self, memory: TherapyMemory) -> bool:
        """Replace the file atomically; False (logged once) when the disk refuses."""
        a = memory.active
        data = {
            "format": STATE_FORMAT,
            "active": None
            if a is None
            else {
                "kind": a.kind.value,
                "started_at": _iso(a.started_at),
                "planned_seconds": a.planned_seconds,
                "ends_at": _iso(a.ends_at),
                "recorded_at": _iso(a.key),
                "parts": list(a.parts),
            },
            "last_ice_end": _iso(memory.last_ice_end),
            "last_ended": _iso(memory.last_ended),
            "announced_part": memory.announced_part,
        }
        try:  # a reboot right after must find the new state, whole
            write_atomically(self.path, json.dumps(data).encode("utf-8"))
        except OSError as exc:
            if not self._warned:
                self._warned = True
                logger.warning("could not save the therapy state to %s: %s", self.path, exc)
            return False
        self._warned = False
        return True


# -- the history ---------------------------------------------------------------------------


def read_history(history: HistoryStore, scale: TimeScale) -> HistoryView | None:
    """The therapy state as the history rows tell it; None when they cannot be read."""
    try:
        rows = history.latest_inserted(READ_KINDS, limit=RECENT_ROWS)
    except (sqlite3.Error, HistoryError, OSError) as exc:
        logger.warning("could not read the last therapy sessions from history: %s", exc)
        return None
    rows.reverse()  # oldest first, in write order
    active: TherapySession | None = None
    last_ice_end: datetime | None = None
    ended: set[datetime] = set()
    announced = 0
    for row in rows:
        if row.kind is EventKind.THERAPY_SWITCHED:
            if active is not None and active.intermittent:
                announced += 1
            continue
        if row.kind is EventKind.THERAPY_STARTED:
            try:
                kind = TherapyKind(row.subject or "")
            except ValueError:
                logger.warning("unknown therapy %r in history; not resumed", row.subject)
                active = None
                continue
            planned = row.planned_seconds or 0
            parsed = parse_note(row.note)
            parts = (
                parse_parts(parsed.params["parts"])
                if parsed is not None and parsed.code is NoteCode.INTERMITTENT
                else ()
            )
            span = sum(parts) if parts else planned
            active = TherapySession(kind, row.at, planned, row.at + scale.real(span), row.at, parts)
            announced = 0
            continue
        if active is not None:
            ended.add(active.key)
            active = None
        if row.kind in REST_KINDS and row.subject == TherapyKind.ICE.value:
            last_ice_end = row.at
    if active is not None and active.planned_seconds <= 0:
        logger.warning("therapy session in history has no planned length; not resumed")
        active = None
    return HistoryView(active, last_ice_end, frozenset(ended), announced if active else 0)


# -- both ------------------------------------------------------------------------------------


def reconcile(
    view: HistoryView | None, saved: TherapyMemory | None, now: datetime, scale: TimeScale
) -> TherapyMemory:
    """One state from both sources, on the safe side (see the module's docstring)."""
    from_history = view.active if view is not None else None
    from_file = saved.active if saved is not None else None
    announced = 0
    if from_history is not None and from_file is not None and from_file.key == from_history.key:
        # The same session in both: the file's times include clock shifts made while it ran.
        active: TherapySession | None = from_file
        # A switch either source missed is announced again (one alert too many, never
        # one too few).
        assert view is not None and saved is not None
        announced = min(view.announced_part, saved.announced_part)
    else:
        if from_history is not None and saved is not None and saved.last_ended == from_history.key:
            from_history = None  # the state file saw it end (its end row was never written)
        if from_file is not None and view is not None and from_file.key in view.ended:
            from_file = None  # the history saw it end (the file could not be rewritten)
        if from_history is not None and from_file is not None:
            # Two different sessions: the one started later is the one that may be on now.
            active = from_file if from_file.key > from_history.key else from_history
        else:
            active = from_history or from_file
        if active is not None and active is from_file:
            announced = saved.announced_part if saved is not None else 0
        elif active is not None and view is not None:
            announced = view.announced_part
    if active is not None:
        # Whatever the clock did meanwhile, a resumed round never has more time left than
        # its planned length (a round resumed after the clock was set back an hour).
        longest = now + scale.real(active.span_seconds)
        if active.ends_at > longest:
            logger.info("resumed %s ends at the latest a full round from now", active.kind)
            active = active.with_end(longest)
    ends = [
        when
        for when in (
            view.last_ice_end if view is not None else None,
            saved.last_ice_end if saved is not None else None,
        )
        if when is not None
    ]
    last_ice_end = min(max(ends), now) if ends else None
    last_ended = saved.last_ended if saved is not None else None
    return TherapyMemory(active, last_ice_end, last_ended, announced if active else 0)


def recover(
    history: HistoryStore, state: TherapyStateFile | None, now: datetime, scale: TimeScale
) -> TherapyMemory:
    """What the therapy timer must carry on with after a start."""
    view = read_history(history, scale)
    saved = state.load() if state is not None else None
    if view is None and saved is None:
        logger.warning("neither history nor a therapy state file could be read")
    return reconcile(view, saved, now, scale)
