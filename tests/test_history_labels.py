"""The History window's words for ice rows: a 10 on · 10 off · 10 on session's start and
switches, and a round stopped because the skin went numb, as the engine records them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QLocale, Qt

from fakes import Rig, at
from neckcare_desktop.core.history import EventKind
from neckcare_desktop.core.history_notes import NoteCode, parse_row_note
from neckcare_desktop.core.therapy import TherapyKind
from neckcare_desktop.ui.history.event_model import (
    COL_DETAILS,
    COL_EVENT,
    FILTERS,
    EventTableModel,
)

ICE = TherapyKind.ICE
Table = list[tuple[str, str, str | None]]
ReadTable = Callable[..., Table]


@pytest.fixture
def table(qapp: object, rig: Rig) -> ReadTable:
    """The History table as read now, with the window's filter ``show`` ("therapy" or
    "spasms"): (event, details, tooltip) per row, oldest first."""

    def read(show: str) -> Table:
        model = EventTableModel(rig.history, lambda: QLocale(QLocale.Language.English))
        model.set_kinds(FILTERS[show])
        rows = []
        for r in reversed(range(model.rowCount())):
            event = model.data(model.index(r, COL_EVENT))
            details = model.data(model.index(r, COL_DETAILS))
            tip = model.data(model.index(r, COL_EVENT), Qt.ItemDataRole.ToolTipRole)
            rows.append((event, details, tip))
        return rows

    return read


def test_an_intermittent_session_reads_as_on_off_on(rig: Rig, table: ReadTable):
    rig.engine.start_therapy(ICE, intermittent=True)
    rig.to(at(9, 30))
    assert table("therapy") == [
        ("Ice started (10 on · 10 off · 10 on)", "20 min planned", "10 on · 10 off · 10 on"),
        ("Ice taken off", "", "ice taken off"),
        ("Ice put back on", "", "ice put back on"),
        ("Ice completed", "20 min planned, 20 min taken", None),
    ]
    assert "therapy_switched" not in str(table("therapy"))


def test_ice_stopped_because_the_skin_went_numb_says_so(rig: Rig, table: ReadTable):
    rig.engine.start_therapy(ICE, 15)
    rig.to(at(9, 6))
    rig.engine.stop_therapy(skin_numb=True)
    assert table("therapy")[-1] == (
        "Ice stopped early (skin went numb)",
        "15 min planned, 6 min taken",
        "skin went numb",
    )


def test_a_plain_round_stopped_early_keeps_its_sentence(rig: Rig, table: ReadTable):
    rig.engine.start_therapy(ICE, 15)
    rig.to(at(9, 6))
    rig.engine.stop_therapy()
    assert [row[0] for row in table("therapy")] == ["Ice started", "Ice stopped early"]


@pytest.mark.parametrize("note", ["on", "off", "intermittent 600/600/600", "skin went numb"])
def test_a_persons_own_spasm_note_is_shown_as_written(rig: Rig, table: ReadTable, note: str):
    """A spasm note "on" is the person's word, not an ice switch."""
    rig.history.log_episode(at(9, 1), 5, note=note)
    [(event, details, tip)] = table("spasms")
    assert (event, details, tip) == ("Neck spasm started", f"pain 5 of 10, {note}", note)


def test_on_and_off_are_switch_notes_only_on_switch_rows() -> None:
    assert parse_row_note(EventKind.THERAPY_SWITCHED, "off").code is NoteCode.SWITCHED_OFF
    assert parse_row_note(EventKind.THERAPY_SWITCHED, "on").code is NoteCode.SWITCHED_ON
    for kind in (EventKind.SPASM_LOGGED, EventKind.THERAPY_STARTED, EventKind.BREAK_POSTPONED):
        assert parse_row_note(kind, "on") is None
    # Codes that are not short words still read on the rows that carry them.
    parsed = parse_row_note(EventKind.THERAPY_STARTED, "intermittent 600/600/600")
    assert parsed is not None and parsed.params == {"parts": "600/600/600"}
    assert parse_row_note(EventKind.SPASM_RESOLVED, "asleep") is None


def test_a_switch_row_from_a_later_version_reads_as_a_switch(rig: Rig, table: ReadTable):
    """An unknown note (or subject) falls back to a sentence, never the stored kind."""
    rig.history.record(EventKind.THERAPY_SWITCHED, at(9, 1), subject="ice", note="half")
    rig.history.record(EventKind.THERAPY_SWITCHED, at(9, 2), subject="cold pack", note="off")
    assert table("therapy") == [
        ("Therapy switched", "", "half"),
        ("Therapy switched", "", "ice taken off"),
    ]
