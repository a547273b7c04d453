"""History notes: each code's stored text is today's English text and reads back to itself."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neckcare_desktop.core.history_notes import (
    NoteCode,
    ParsedNote,
    note_text,
    params_of,
    parse_note,
)

#: The texts as earlier versions stored them: old history files must read the same.
STORED = [
    ("ended early", NoteCode.ENDED_EARLY, {}),
    ("from warning", NoteCode.FROM_WARNING, {}),
    ("postpone 2", NoteCode.POSTPONE, {"n": "2"}),
    ("asleep", NoteCode.ASLEEP, {}),
    ("clock moved ahead", NoteCode.CLOCK_MOVED_AHEAD, {}),
    (
        "NeckCare stopped unexpectedly during the break",
        NoteCode.STOPPED_DURING_BREAK,
        {},
    ),
    ("NeckCare quit during the break", NoteCode.QUIT_DURING_BREAK, {}),
    (
        "NeckCare was not running at the planned end 2026-02-28T10:00:00+01:00",
        NoteCode.NOT_RUNNING_AT_END,
        {"when": "2026-02-28T10:00:00+01:00"},
    ),
    (
        "the alert came late: the computer was asleep or the clock moved at the planned "
        "end 2026-02-28T10:00:00",
        NoteCode.ALERT_CAME_LATE,
        {"when": "2026-02-28T10:00:00"},
    ),
    (
        "ice planned to end 2026-03-02T10:20:00, no alert yet",
        NoteCode.WATCHDOG_THERAPY,
        {"kind": "ice", "when": "2026-03-02T10:20:00"},
    ),
    (
        "no break planned for 51 min; next due micro=none, posture=none; job none; "
        "held since none; postponed 0/0",
        NoteCode.WATCHDOG_BREAK,
        {
            "minutes": "51",
            "state": "next due micro=none, posture=none; job none; held since none; postponed 0/0",
        },
    ),
    ("intermittent 600/600/600", NoteCode.INTERMITTENT, {"parts": "600/600/600"}),
    ("off", NoteCode.SWITCHED_OFF, {}),
    ("on", NoteCode.SWITCHED_ON, {}),
    ("skin went numb", NoteCode.SKIN_NUMB, {}),
]


@pytest.mark.parametrize(("text", "code", "params"), STORED)
def test_a_stored_note_reads_back_to_its_code_and_is_written_the_same(
    text: str, code: NoteCode, params: dict[str, str]
) -> None:
    assert parse_note(text) == ParsedNote(code, params)
    assert note_text(code, **params) == text


def test_every_code_has_a_stored_example() -> None:
    assert {code for _, code, _ in STORED} == set(NoteCode)


@pytest.mark.parametrize("text", [None, "", "my neck hurt after the meeting", "postpone two"])
def test_other_text_is_no_note_of_neckcares(text: str | None) -> None:
    assert parse_note(text) is None


def test_a_time_is_written_to_the_second_with_its_offset() -> None:
    when = datetime(2026, 2, 28, 10, 0, 0, 123456, tzinfo=timezone(timedelta(hours=1)))
    text = note_text(NoteCode.NOT_RUNNING_AT_END, when=when)
    assert text == "NeckCare was not running at the planned end 2026-02-28T10:00:00+01:00"


def test_a_parameter_that_would_not_read_back_is_refused() -> None:
    with pytest.raises(ValueError):
        note_text(NoteCode.POSTPONE, n="two")
    with pytest.raises(ValueError):
        note_text(NoteCode.POSTPONE)
    with pytest.raises(ValueError):
        note_text(NoteCode.ASLEEP, n=1)
    with pytest.raises(ValueError):
        note_text(NoteCode.NOT_RUNNING_AT_END, when="ten o'clock")


_VALUES = {
    "n": st.integers(min_value=0, max_value=10**6).map(str),
    "minutes": st.integers(min_value=0, max_value=10**6).map(str),
    "when": st.datetimes(timezones=st.none() | st.timezones()).map(
        lambda d: d.isoformat(timespec="seconds")
    ),
    "kind": st.sampled_from(["ice", "heat"]),
    "state": st.text(min_size=1),
    "parts": st.lists(st.integers(min_value=1, max_value=3600), min_size=1, max_size=5).map(
        lambda parts: "/".join(map(str, parts))
    ),
}


@st.composite
def notes(draw: st.DrawFn) -> tuple[NoteCode, dict[str, str]]:
    code = draw(st.sampled_from(list(NoteCode)))
    return code, {name: draw(_VALUES[name]) for name in params_of(code)}


# No deadline: the first time zone drawn loads the time zone database, which takes a while.
@settings(deadline=None)
@given(notes())
def test_every_note_written_reads_back_to_what_made_it(
    note: tuple[NoteCode, dict[str, str]],
) -> None:
    code, params = note
    assert parse_note(note_text(code, **params)) == ParsedNote(code, params)


def test_the_parts_of_an_intermittent_session_read_back() -> None:
    from neckcare_desktop.core.history_notes import parse_parts, parts_text

    text = note_text(NoteCode.INTERMITTENT, parts=parts_text((600, 600, 600)))
    parsed = parse_note(text)
    assert parsed is not None and parse_parts(parsed.params["parts"]) == (600, 600, 600)
