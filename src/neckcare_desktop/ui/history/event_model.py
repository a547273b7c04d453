"""The History window's event table: a model that reads events a page at a time, in words.

Nothing here reads all rows: Qt asks :meth:`EventTableModel.fetchMore` only when the view
scrolls to the last row, and the store's keyset cursor keeps each page an index range
read, so a ten-year history opens as fast as a new one. Notes NeckCare wrote itself are
read back into codes by :mod:`neckcare_desktop.core.history_notes` and said here in the
person's language; a person's own words (a spasm note) are shown as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QTableView, QWidget

from neckcare_desktop.core.history import (
    APP_KINDS,
    BREAK_KINDS,
    EXERCISE_KINDS,
    PAGE_SIZE,
    SPASM_KINDS,
    THERAPY_KINDS,
    Event,
    EventKind,
    HistoryError,
    HistoryStore,
)
from neckcare_desktop.core.history_notes import (
    NoteCode,
    ParsedNote,
    parse_parts,
    parse_row_note,
)

logger = logging.getLogger(__name__)

#: Filter key (stored as combo item data) → kinds shown; None means everything.
FILTERS: dict[str, frozenset[EventKind] | None] = {
    "all": None,
    "breaks": BREAK_KINDS,
    "therapy": THERAPY_KINDS | {EventKind.THERAPY_SWITCHED},  # the switches of a session too
    "spasms": SPASM_KINDS,
    "exercises": EXERCISE_KINDS,  # done, skipped, cut short (the routine's exercises)
    "app": APP_KINDS,
}

COL_TIME, COL_EVENT, COL_DETAILS = range(3)

#: The (invalid) root index: this is a flat table.
_ROOT = QModelIndex()


class EventTableModel(QAbstractTableModel):
    """Events newest first, read from the store a page at a time as the view scrolls.

    Qt asks :meth:`canFetchMore` / :meth:`fetchMore` only when the last row comes into
    view, so opening the window reads one page, and scrolling reads the next; the
    keyset cursor keeps each page an index range read however deep the scroll goes.
    ``fetched_rows`` counts rows read since the last reset (tests check it).
    """

    def __init__(
        self,
        store: HistoryStore,
        locale: Callable[[], QLocale],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._locale = locale
        self._kinds: frozenset[EventKind] | None = None
        self._events: list[Event] = []
        self._cursor: tuple[float, int] | None = None
        self._exhausted = False
        self.fetched_rows = 0
        self.error: str | None = None

    # -- loading

    def set_kinds(self, kinds: Collection[EventKind] | None) -> None:
        """Show only ``kinds`` (None: all) and start again from the newest event."""
        self._kinds = None if kinds is None else frozenset(kinds)
        self.reload()

    def reload(self) -> None:
        """Forget what was read and read the first page again."""
        self.beginResetModel()
        self._events = []
        self._cursor = None
        self._exhausted = False
        self.fetched_rows = 0
        self.error = None
        self.endResetModel()
        # The first page now, not when a (maybe hidden) view asks: the window needs to
        # know at once whether there is anything to show.
        self.fetchMore(QModelIndex())

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if parent.isValid() or self._exhausted:
            return
        try:
            page = self._store.events_page(self._kinds, self._cursor, PAGE_SIZE)
        except HistoryError as exc:
            logger.warning("Could not read history events: %s", exc)
            self.error = str(exc)
            self._exhausted = True
            return
        self._cursor = page.cursor
        self._exhausted = page.cursor is None
        if not page.events:
            return
        first = len(self._events)
        self.beginInsertRows(QModelIndex(), first, first + len(page.events) - 1)
        self._events.extend(page.events)
        self.fetched_rows += len(page.events)
        self.endInsertRows()

    # -- Qt model

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Time"), self.tr("Event"), self.tr("Details"))[section]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._events):
            return None
        event = self._events[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_TIME:
                return self.format_time(event.at)
            if column == COL_EVENT:
                return self.event_text(event)
            return self.details_text(event)
        if role == Qt.ItemDataRole.ToolTipRole and event.note:
            if event.kind in EXERCISE_KINDS:  # the exercise's name (a built-in's translated)
                return QCoreApplication.translate("Stretch", event.note)
            return event.note if event.kind in SPASM_KINDS else self.note_text(event)
        if role == Qt.ItemDataRole.UserRole:
            return event.id
        return None

    def event_at(self, row: int) -> Event:
        return self._events[row]

    # -- text

    def format_time(self, at: datetime) -> str:
        """ "Mon 2 Mar 09:14", in the wall-clock time the event was recorded with.

        The recorded offset is kept rather than converting to today's offset: a break
        taken at 09:14 before a DST change should still read 09:14 afterwards.
        """
        day = self._locale().toString(QDate(at.year, at.month, at.day), "ddd d MMM yyyy")
        return f"{day} {at.hour:02d}:{at.minute:02d}"

    def event_text(self, event: Event) -> str:
        """A human sentence for an event, e.g. "Posture break completed"."""
        kind, subject = event.kind, event.subject
        texts: dict[tuple[EventKind, str | None], str] = {
            (EventKind.BREAK_DUE, "micro"): self.tr("Micro-break due"),
            (EventKind.BREAK_DUE, "posture"): self.tr("Posture break due"),
            (EventKind.BREAK_DUE, None): self.tr("Break due"),
            (EventKind.BREAK_STARTED, "micro"): self.tr("Micro-break started"),
            (EventKind.BREAK_STARTED, "posture"): self.tr("Posture break started"),
            (EventKind.BREAK_STARTED, None): self.tr("Break started"),
            (EventKind.BREAK_COMPLETED, "micro"): self.tr("Micro-break completed"),
            (EventKind.BREAK_COMPLETED, "posture"): self.tr("Posture break completed"),
            (EventKind.BREAK_COMPLETED, None): self.tr("Break completed"),
            (EventKind.BREAK_POSTPONED, "micro"): self.tr("Micro-break postponed"),
            (EventKind.BREAK_POSTPONED, "posture"): self.tr("Posture break postponed"),
            (EventKind.BREAK_POSTPONED, None): self.tr("Break postponed"),
            (EventKind.BREAK_SKIPPED, "micro"): self.tr("Micro-break skipped"),
            (EventKind.BREAK_SKIPPED, "posture"): self.tr("Posture break skipped"),
            (EventKind.BREAK_SKIPPED, None): self.tr("Break skipped"),
            (EventKind.BREAK_NATURAL, "micro"): self.tr("Micro-break taken while away"),
            (EventKind.BREAK_NATURAL, "posture"): self.tr("Posture break taken while away"),
            (EventKind.BREAK_NATURAL, None): self.tr("Break taken while away"),
            (EventKind.BREAK_INTERRUPTED, "micro"): self.tr("Micro-break interrupted"),
            (EventKind.BREAK_INTERRUPTED, "posture"): self.tr("Posture break interrupted"),
            (EventKind.BREAK_INTERRUPTED, None): self.tr("Break interrupted"),
            (EventKind.THERAPY_OVERRUN, "ice"): self.tr("Ice left on past its end"),
            (EventKind.THERAPY_OVERRUN, "heat"): self.tr("Heat left on past its end"),
            (EventKind.THERAPY_OVERRUN, None): self.tr("Therapy left on past its end"),
            (EventKind.HYDRATION_REMINDER, None): self.tr("Reminder to drink water"),
            (EventKind.THERAPY_STARTED, "ice"): self.tr("Ice started"),
            (EventKind.THERAPY_STARTED, "heat"): self.tr("Heat started"),
            (EventKind.THERAPY_STARTED, None): self.tr("Therapy started"),
            (EventKind.THERAPY_COMPLETED, "ice"): self.tr("Ice completed"),
            (EventKind.THERAPY_COMPLETED, "heat"): self.tr("Heat completed"),
            (EventKind.THERAPY_COMPLETED, None): self.tr("Therapy completed"),
            (EventKind.THERAPY_STOPPED_EARLY, "ice"): self.tr("Ice stopped early"),
            (EventKind.THERAPY_STOPPED_EARLY, "heat"): self.tr("Heat stopped early"),
            (EventKind.THERAPY_STOPPED_EARLY, None): self.tr("Therapy stopped early"),
            (EventKind.THERAPY_CANCELLED, "ice"): self.tr("Ice cancelled (stopped within 2 min)"),
            (EventKind.THERAPY_CANCELLED, "heat"): self.tr("Heat cancelled (stopped within 2 min)"),
            (EventKind.THERAPY_CANCELLED, None): self.tr("Therapy cancelled"),
            (EventKind.THERAPY_SWITCHED, None): self.tr("Therapy switched"),
            (EventKind.WATCHDOG_REPAIR, "ice"): self.tr("Lost ice alert raised late"),
            (EventKind.WATCHDOG_REPAIR, "heat"): self.tr("Lost heat alert raised late"),
            (EventKind.WATCHDOG_REPAIR, None): self.tr("Lost break reminder planned again"),
            (EventKind.SPASM_LOGGED, None): self.tr("Neck spasm started"),
            (EventKind.SPASM_PAIN_UPDATED, None): self.tr("Spasm pain updated"),
            (EventKind.SPASM_RESOLVED, None): self.tr("Spasm resolved"),
            (EventKind.APP_STARTED, None): self.tr("NeckCare started"),
            (EventKind.APP_QUIT, None): self.tr("NeckCare quit"),
            (EventKind.EXERCISE_DONE, None): self.tr("Exercise done"),
            (EventKind.EXERCISE_SKIPPED, None): self.tr("Exercise skipped"),
            (EventKind.EXERCISE_CUT_SHORT, None): self.tr("Exercise cut short"),
        }
        if kind in EXERCISE_KINDS and event.note:  # subject: the exercise's id; note: its name
            name = QCoreApplication.translate("Stretch", event.note)
            return self.tr("{event}: {exercise}").format(event=texts[(kind, None)], exercise=name)
        parsed = parse_row_note(kind, event.note)
        code = None if parsed is None else parsed.code
        if kind is EventKind.BREAK_COMPLETED and code is NoteCode.ENDED_EARLY:
            # Ended early after at least half its length (core.breaks.counts_as_taken):
            # taken, and the table says it was shorter; the details give the real length.
            texts = {
                (kind, "micro"): self.tr("Micro-break completed (shortened)"),
                (kind, "posture"): self.tr("Posture break completed (shortened)"),
                (kind, None): self.tr("Break completed (shortened)"),
            }
        elif parsed is not None and subject == "ice":
            # The ice's own rows say what happened; the details keep the minutes.
            texts.update(self._ice_texts(kind, parsed))
        # An unknown subject (from a later version) falls back to the generic sentence.
        return texts.get((kind, subject)) or texts.get((kind, None)) or str(kind)

    def _ice_texts(
        self, kind: EventKind, parsed: ParsedNote
    ) -> dict[tuple[EventKind, str | None], str]:
        """An ice row's sentence by its note: a 10 on · 10 off · 10 on session's start
        and switches, a round stopped because the skin went numb."""
        code = parsed.code
        if kind is EventKind.THERAPY_STARTED and code is NoteCode.INTERMITTENT:
            parts = self.parts_text(parsed.params["parts"])
            return {(kind, "ice"): self.tr("Ice started ({parts})").format(parts=parts)}
        if kind is EventKind.THERAPY_SWITCHED and code is NoteCode.SWITCHED_OFF:
            return {(kind, "ice"): self.tr("Ice taken off")}
        if kind is EventKind.THERAPY_SWITCHED and code is NoteCode.SWITCHED_ON:
            return {(kind, "ice"): self.tr("Ice put back on")}
        if kind is EventKind.THERAPY_STOPPED_EARLY and code is NoteCode.SKIN_NUMB:
            return {(kind, "ice"): self.tr("Ice stopped early (skin went numb)")}
        return {}

    def parts_text(self, parts: str) -> str:
        """ "600/600/600" (nominal seconds, on/off/on) as "10 on · 10 off · 10 on"."""
        said: list[str] = []
        for i, seconds in enumerate(parse_parts(parts)):
            minutes, secs = divmod(seconds, 60)
            length = self._locale().toString(minutes) if secs == 0 else self._duration(seconds)
            on = i % 2 == 0  # a session starts with the ice on, then takes turns
            said.append(
                self.tr("{length} on").format(length=length)
                if on
                else self.tr("{length} off").format(length=length)
            )
        return " · ".join(said)

    def note_text(self, event: Event) -> str:
        """The note of ``event``, NeckCare's own (see core.history_notes) in the person's
        language.

        History keeps notes as written, in English, so the file and the CSV export read
        the same whatever language the app shows; anything else is shown as it is. A
        code is read only on the rows NeckCare writes it on: a spasm note "on" is the
        person's word, not an ice switch.
        """
        note = event.note or ""
        parsed = parse_row_note(event.kind, note)
        if parsed is not None and parsed.code is NoteCode.INTERMITTENT:
            return self.parts_text(parsed.params["parts"])
        text = None if parsed is None else self._note_template(parsed)
        if parsed is None or text is None:
            return note
        return text.format(**parsed.params)

    def _note_template(self, parsed: ParsedNote) -> str | None:
        """The translated text for a note's code, with its parameters as ``{name}``; None
        for a code said as stored (the watchdog's notes never had a translation)."""
        code = parsed.code
        if code is NoteCode.ENDED_EARLY:
            return self.tr("ended early")
        if code is NoteCode.FROM_WARNING:
            return self.tr("from warning")
        if code is NoteCode.POSTPONE:
            return self.tr("postpone {n}")
        if code is NoteCode.ASLEEP:
            return self.tr("asleep")
        if code is NoteCode.CLOCK_MOVED_AHEAD:
            return self.tr("clock moved ahead")
        # core.break_recovery's notes for a break NeckCare's end cut short.
        if code is NoteCode.STOPPED_DURING_BREAK:
            return self.tr("NeckCare stopped unexpectedly during the break")
        if code is NoteCode.QUIT_DURING_BREAK:
            return self.tr("NeckCare quit during the break")
        if code is NoteCode.NOT_RUNNING_AT_END:
            return self.tr("NeckCare was not running at the planned end {when}")
        if code is NoteCode.ALERT_CAME_LATE:
            return self.tr(
                "the alert came late: the computer was asleep or the clock moved at "
                "the planned end {when}"
            )
        # Ice (core.therapy_engine); an intermittent session's parts: see note_text.
        if code is NoteCode.SWITCHED_OFF:
            return self.tr("ice taken off")
        if code is NoteCode.SWITCHED_ON:
            return self.tr("ice put back on")
        if code is NoteCode.SKIN_NUMB:
            return self.tr("skin went numb")
        return None

    def details_text(self, event: Event) -> str:
        """ "15 min planned, 9 min taken", "pain 6 of 10", or whichever part is known."""
        parts = []
        if event.pain is not None:
            parts.append(self.tr("pain {pain} of 10").format(pain=event.pain))
        if event.planned_seconds is not None:
            parts.append(
                self.tr("{duration} planned").format(duration=self._duration(event.planned_seconds))
            )
        if event.actual_seconds is not None:
            parts.append(
                self.tr("{duration} taken").format(duration=self._duration(event.actual_seconds))
            )
        if event.note and event.kind in SPASM_KINDS:
            parts.append(event.note)
        return ", ".join(parts)

    def _duration(self, seconds: int) -> str:
        # Micro-breaks last seconds, therapy lasts minutes: show whichever reads naturally.
        minutes, secs = divmod(seconds, 60)
        if minutes == 0:
            return self.tr("{s} s").format(s=secs)
        if secs == 0:
            return self.tr("{m} min").format(m=self._locale().toString(minutes))
        return self.tr("{m} min {s} s").format(m=self._locale().toString(minutes), s=secs)


class EventTableView(QTableView):
    """The event table; keeps the old QTableWidget ``rowCount()`` (benchmarks use it)."""

    def rowCount(self) -> int:
        model = self.model()
        return 0 if model is None else model.rowCount()
