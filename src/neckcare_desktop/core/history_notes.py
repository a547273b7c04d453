"""The notes NeckCare writes into history itself: one code each, one English text each.

History keeps a note as English text (the file and the CSV export read the same whatever
language the app shows, and files written by earlier versions hold exactly these texts).
The text is therefore a stored format, not a message: it is built here and only here
(``note_text``), and read back here (``parse_note``) into a code and its parameters, so the
History window renders and translates a note by its code instead of matching English
sentences. Rewording a text here would make old files unreadable: add a code instead.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime

from neckcare_desktop.core.history.events import SPASM_KINDS, EventKind


class NoteCode(enum.StrEnum):
    """Every note NeckCare writes (the values are identifiers, never stored)."""

    #: A running break ended by the person (break_completed when shortened, else skipped).
    ENDED_EARLY = "ended_early"
    #: A posture break postponed from its warning notification, before it came due.
    FROM_WARNING = "from_warning"
    #: A break postponed from its window; ``n``: how many times it has been postponed.
    POSTPONE = "postpone"
    #: A natural break: the computer was asleep for it.
    ASLEEP = "asleep"
    #: A natural break: the wall clock moved ahead over it (or it could not be told).
    CLOCK_MOVED_AHEAD = "clock_moved_ahead"
    #: A break that was running when NeckCare crashed (core.break_recovery).
    STOPPED_DURING_BREAK = "stopped_during_break"
    #: A break that was running when NeckCare quit.
    QUIT_DURING_BREAK = "quit_during_break"
    #: A therapy overrun found at start; ``when``: the planned end (ISO, seconds).
    NOT_RUNNING_AT_END = "not_running_at_end"
    #: A therapy end alert that came late; ``when``: the planned end (ISO, seconds).
    ALERT_CAME_LATE = "alert_came_late"
    #: Watchdog: an ice or heat end passed without its alert; ``kind``, ``when``.
    WATCHDOG_THERAPY = "watchdog_therapy"
    #: Watchdog: no break was planned; ``minutes`` for how long, ``state`` what it found.
    WATCHDOG_BREAK = "watchdog_break"
    #: A therapy_started row of an intermittent ice session; ``parts``: its nominal
    #: seconds, on/off/on, e.g. "600/600/600" (a restart rebuilds the session from it).
    INTERMITTENT = "intermittent"
    #: A therapy_switched row: the ice came off (the "off" part starts).
    SWITCHED_OFF = "switched_off"
    #: A therapy_switched row: the ice went back on.
    SWITCHED_ON = "switched_on"
    #: A therapy_stopped_early row: the person stopped ice because the skin went numb.
    SKIN_NUMB = "skin_numb"


#: The stored text of each code; ``{name}`` is a parameter. Never reword one (see above).
TEMPLATES: dict[NoteCode, str] = {
    NoteCode.ENDED_EARLY: "ended early",
    NoteCode.FROM_WARNING: "from warning",
    NoteCode.POSTPONE: "postpone {n}",
    NoteCode.ASLEEP: "asleep",
    NoteCode.CLOCK_MOVED_AHEAD: "clock moved ahead",
    NoteCode.STOPPED_DURING_BREAK: "NeckCare stopped unexpectedly during the break",
    NoteCode.QUIT_DURING_BREAK: "NeckCare quit during the break",
    NoteCode.NOT_RUNNING_AT_END: "NeckCare was not running at the planned end {when}",
    NoteCode.ALERT_CAME_LATE: (
        "the alert came late: the computer was asleep or the clock moved at the planned end {when}"
    ),
    NoteCode.WATCHDOG_THERAPY: "{kind} planned to end {when}, no alert yet",
    NoteCode.WATCHDOG_BREAK: "no break planned for {minutes} min; {state}",
    NoteCode.INTERMITTENT: "intermittent {parts}",
    NoteCode.SWITCHED_OFF: "off",
    NoteCode.SWITCHED_ON: "on",
    NoteCode.SKIN_NUMB: "skin went numb",
}

#: What each parameter may hold, so that every text written parses back to what made it.
_PARAMS: dict[str, str] = {
    "n": r"\d+",
    "minutes": r"\d+",
    "when": r"\S+",
    "kind": r"\w+",
    "state": r".+",
    "parts": r"\d+(?:/\d+)*",
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    last = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[last : match.start()]))
        name = match[1]
        parts.append(f"(?P<{name}>{_PARAMS[name]})")
        last = match.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts), re.DOTALL)


_PATTERNS: dict[NoteCode, re.Pattern[str]] = {
    code: _pattern(template) for code, template in TEMPLATES.items()
}


@dataclass(frozen=True)
class ParsedNote:
    """A note read back: its code and its parameters, as the stored text has them."""

    code: NoteCode
    params: dict[str, str] = field(default_factory=dict)


def params_of(code: NoteCode) -> tuple[str, ...]:
    """The parameter names ``note_text`` needs for ``code``."""
    return tuple(_PLACEHOLDER.findall(TEMPLATES[code]))


def when_text(when: datetime) -> str:
    """A time in a note: ISO 8601 to the second, with its UTC offset when it has one."""
    return when.isoformat(timespec="seconds")


def note_text(code: NoteCode, **params: object) -> str:
    """The English text stored for ``code``; a datetime parameter is written by when_text.

    Raises ValueError for a missing, extra or malformed parameter: every text written
    must read back (``parse_note``) to the same code and parameters.
    """
    names = params_of(code)
    if set(params) != set(names):
        raise ValueError(f"note {code}: needs {sorted(names)}, got {sorted(params)}")
    values: dict[str, str] = {}
    for name, value in params.items():
        text = when_text(value) if isinstance(value, datetime) else str(value)
        if not re.fullmatch(_PARAMS[name], text, re.DOTALL):
            raise ValueError(f"note {code}: {name}={text!r} does not fit {_PARAMS[name]}")
        values[name] = text
    return TEMPLATES[code].format(**values)


def parts_text(parts: tuple[int, ...]) -> str:
    """The ``parts`` parameter of :data:`NoteCode.INTERMITTENT`: "600/600/600"."""
    return "/".join(str(p) for p in parts)


def parse_parts(text: str) -> tuple[int, ...]:
    """The parts back from :func:`parts_text` (a parsed note's ``parts``)."""
    return tuple(int(p) for p in text.split("/"))


#: Codes whose text is too short to be told from any note on another row ("on", "off"):
#: each is read as its code only on the kind of row NeckCare writes it on.
ONLY_ON_ROWS: dict[NoteCode, EventKind] = {
    NoteCode.SWITCHED_OFF: EventKind.THERAPY_SWITCHED,
    NoteCode.SWITCHED_ON: EventKind.THERAPY_SWITCHED,
}


def parse_row_note(kind: EventKind, text: str | None) -> ParsedNote | None:
    """:func:`parse_note` for the note of a row of ``kind``: None for a person's own note
    on a spasm row, and for a code NeckCare writes only on another kind of row (a spasm
    note reading "on" is no ice switch)."""
    if kind in SPASM_KINDS:
        return None
    parsed = parse_note(text)
    if parsed is None:
        return None
    only = ONLY_ON_ROWS.get(parsed.code)
    return None if only is not None and only != kind else parsed


def parse_note(text: str | None) -> ParsedNote | None:
    """The code and parameters of a note NeckCare wrote; None for any other text (a
    person's own note on a spasm, or a note from a later version)."""
    if not text:
        return None
    for code, pattern in _PATTERNS.items():
        if match := pattern.fullmatch(text):
            return ParsedNote(code, match.groupdict())
    return None
