"""The clinician report's figures (core.report): a known history, exact numbers.

``known_history`` is shared with tests/test_report_pdf.py and tests/test_report_cli.py,
which check that the same figures reach the PDF.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from conftest import TEST_TZ
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.report import (
    BreakCount,
    ReportData,
    ReportRange,
    ReportSection,
    RoundsCount,
    build_report,
    last_days,
    period_of,
    periods,
)

#: "Now" for the known history: Monday 2 March 2026, 18:00 (+01:00).
NOW = datetime(2026, 3, 2, 18, 0, tzinfo=TEST_TZ)


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TEST_TZ)


def known_history(store: HistoryStore) -> HistoryStore:
    """Four spasms (one before the range), rounds of ice and heat, breaks on five days.

    The last 30 days up to NOW are 1 Feb - 2 Mar 2026.
    """
    # A: inside the range, with two updates, resolved; a note with a line break.
    a = store.log_episode(
        at(2, 10, 8, 30),
        7,
        ["screen_posture", "stress"],
        ["headache"],
        "Woke up stiff;\nworse turning left",
        now=NOW,
    )
    store.update_pain(a.id, 5, at(2, 11, 12, 0))
    store.update_pain(a.id, 3, at(2, 12, 19, 45))
    store.resolve_episode(a.id, at(2, 13, 10, 0))
    # B: started before the range, resolved inside it: it belongs to the report.
    b = store.log_episode(at(1, 20, 7, 15), 6, ["awkward_sleep"], now=NOW)
    store.resolve_episode(b.id, at(2, 3, 9, 0))
    # C: still open.
    store.log_episode(
        at(2, 28, 21, 10), 8, [], ["arm_numbness_tingling"], "Could not sleep", now=NOW
    )
    # D: over before the range began: not in the report.
    d = store.log_episode(at(1, 5, 9, 0), 4, now=NOW)
    store.resolve_episode(d.id, at(1, 10, 9, 0))

    def therapy(kind: EventKind, when: datetime, subject: str, seconds: int | None) -> None:
        store.record(kind, when, subject=subject, planned_seconds=600, actual_seconds=seconds)

    # Wed 11 Feb: two ice rounds (10 + 7 min), a cancelled one (not counted), one heat.
    therapy(EventKind.THERAPY_COMPLETED, at(2, 11, 10), "ice", 600)
    therapy(EventKind.THERAPY_STOPPED_EARLY, at(2, 11, 15), "ice", 420)
    therapy(EventKind.THERAPY_CANCELLED, at(2, 11, 16), "ice", 60)
    therapy(EventKind.THERAPY_COMPLETED, at(2, 11, 20), "heat", 900)
    # Thu 12 Feb: one intermittent session, 10 on · 10 off · 10 on: one round, 20 min on.
    store.record(EventKind.THERAPY_STARTED, at(2, 12, 9, 0), subject="ice", planned_seconds=1200)
    store.record(EventKind.THERAPY_SWITCHED, at(2, 12, 9, 10), subject="ice", note="off")
    store.record(EventKind.THERAPY_SWITCHED, at(2, 12, 9, 20), subject="ice", note="on")
    therapy(EventKind.THERAPY_COMPLETED, at(2, 12, 9, 30), "ice", 1200)
    # Sat 28 Feb: heat left on past its end, 25 min.
    therapy(EventKind.THERAPY_OVERRUN, at(2, 28, 22), "heat", 1500)
    # Before the range: not counted.
    therapy(EventKind.THERAPY_COMPLETED, at(1, 31, 10), "ice", 600)

    def breaks(when: datetime, **counts: int) -> None:
        kinds = {
            "completed": EventKind.BREAK_COMPLETED,
            "natural": EventKind.BREAK_NATURAL,
            "skipped": EventKind.BREAK_SKIPPED,
            "postponed": EventKind.BREAK_POSTPONED,
        }
        for name, n in counts.items():
            for i in range(n):
                store.record(kinds[name], when + timedelta(minutes=i), subject="micro")

    breaks(at(2, 2, 10), completed=3, natural=1, skipped=1, postponed=2)  # 4 of 5
    breaks(at(2, 10, 11), completed=2, skipped=2)  # 2 of 4
    breaks(at(2, 27, 15), completed=1)  # 1 of 1
    breaks(at(3, 2, 10), skipped=1)  # 0 of 1
    breaks(at(1, 31, 10), completed=5)  # before the range

    # Exercises in two breaks of the week of 23 Feb (issue 19's rows).
    def exercise(kind: EventKind, when: datetime, exercise_id: str, name: str) -> None:
        store.record(kind, when, subject=exercise_id, note=name)

    store.record(EventKind.BREAK_STARTED, at(2, 24, 10), subject="posture")
    exercise(EventKind.EXERCISE_DONE, at(2, 24, 10, 1), "chin_tuck", "Chin tucks")
    exercise(EventKind.EXERCISE_DONE, at(2, 24, 10, 2), "shoulder_rolls", "Shoulder rolls")
    store.record(EventKind.BREAK_STARTED, at(2, 26, 14), subject="posture")
    exercise(EventKind.EXERCISE_DONE, at(2, 26, 14, 1), "chin_tuck", "Chin tucks")
    exercise(EventKind.EXERCISE_SKIPPED, at(2, 26, 14, 2), "neck_turns", "Neck turns")
    return store


@pytest.fixture
def report(history: HistoryStore) -> ReportData:
    return build_report(known_history(history), last_days(NOW, 30))


def test_the_range_is_the_last_30_local_days_up_to_today():
    rng = last_days(NOW, 30)
    assert rng.start == at(2, 1, 0) and rng.end == at(3, 3, 0)
    assert (rng.first_day, rng.last_day, rng.days) == (date(2026, 2, 1), date(2026, 3, 2), 30)
    assert last_days(NOW, 1).days == 1
    with pytest.raises(ValueError):
        last_days(NOW, 0)
    with pytest.raises(ValueError):
        ReportRange(datetime(2026, 3, 1), datetime(2026, 3, 2))  # naive


def test_spasms_that_overlap_the_range_with_every_pain_value(report: ReportData):
    starts = [s.started_at for s in report.spasms]
    assert starts == [at(1, 20, 7, 15), at(2, 10, 8, 30), at(2, 28, 21, 10)]
    before, inside, still_open = report.spasms
    assert [(p.at, p.pain) for p in inside.pain] == [
        (at(2, 10, 8, 30), 7),
        (at(2, 11, 12, 0), 5),
        (at(2, 12, 19, 45), 3),
    ]
    assert inside.triggers == ("Posture at the screen", "Stress")
    assert inside.warning_signs == ("Headache",)
    assert inside.resolved_at == at(2, 13, 10, 0)
    assert inside.worst_pain == 7
    assert before.triggers == ("Awkward sleep",) and before.resolved_at == at(2, 3, 9, 0)
    assert still_open.resolved_at is None
    assert still_open.warning_signs == ("Numbness or tingling in the arms",)


def test_notes_are_the_persons_own_words_with_their_spasm(report: ReportData):
    assert [(n.at, n.text) for n in report.notes] == [
        (at(2, 10, 8, 30), "Woke up stiff;\nworse turning left"),
        (at(2, 28, 21, 10), "Could not sleep"),
    ]


def test_rounds_per_day_leave_out_cancelled_rounds_and_count_a_session_once(
    report: ReportData,
):
    assert report.rounds == (
        RoundsCount(date(2026, 2, 11), date(2026, 2, 11), 2, 1020, 1, 900),
        RoundsCount(date(2026, 2, 12), date(2026, 2, 12), 1, 1200, 0, 0),
        RoundsCount(date(2026, 2, 28), date(2026, 2, 28), 0, 0, 1, 1500),
    )
    assert [(r.ice_minutes, r.heat_minutes) for r in report.rounds] == [(17, 15), (20, 0), (0, 25)]
    assert (report.ice_rounds, report.ice_minutes) == (3, 37)
    assert (report.heat_rounds, report.heat_minutes) == (2, 40)


def test_rounds_per_week_sum_the_days(report: ReportData):
    assert report.rounds_by("week") == (
        RoundsCount(date(2026, 2, 9), date(2026, 2, 15), 3, 2220, 1, 900),
        RoundsCount(date(2026, 2, 23), date(2026, 3, 1), 0, 0, 1, 1500),
    )
    assert report.rounds_by("month") == (
        RoundsCount(date(2026, 2, 1), date(2026, 2, 28), 3, 2220, 2, 2400),
    )


def test_breaks_per_week_taken_of_due_every_week_of_the_range(report: ReportData):
    assert report.break_weeks == (
        BreakCount(date(2026, 2, 1), date(2026, 2, 1), 0, 0),
        BreakCount(date(2026, 2, 2), date(2026, 2, 8), 4, 5),
        BreakCount(date(2026, 2, 9), date(2026, 2, 15), 2, 4),
        BreakCount(date(2026, 2, 16), date(2026, 2, 22), 0, 0),
        BreakCount(date(2026, 2, 23), date(2026, 3, 1), 1, 1),
        BreakCount(date(2026, 3, 2), date(2026, 3, 2), 0, 1),
    )
    assert [w.percent for w in report.break_weeks] == [None, 80, 50, None, 100, 0]


def test_an_empty_history_gives_an_empty_report(history: HistoryStore):
    data = build_report(history, last_days(NOW, 7))
    assert (data.spasms, data.rounds, data.notes) == ((), (), ())
    assert [(w.taken, w.due) for w in data.break_weeks] == [(0, 0), (0, 0)]


def test_exercises_done_per_week(report: ReportData):
    (section,) = report.extra_sections
    assert section.title == "Exercises in the breaks"
    assert section.headers == (
        "Week",
        "Done",
        "Breaks with exercises",
        "Passed over or cut short",
        "Done most often",
    )
    assert section.rows == (
        ("Mon 23 Feb – Sun 1 Mar", "3", "2", "1", "Chin tucks (2), Shoulder rolls (1)"),
    )


def test_no_exercises_no_section(history: HistoryStore):
    assert build_report(history, last_days(NOW, 30)).extra_sections == ()


def test_later_sections_plug_in(history: HistoryStore):
    """Issue 19's exercises (or anything later) add a titled table without core.report
    knowing what it is about; a builder with nothing to say adds nothing."""
    seen: list[ReportRange] = []

    def exercises(store: HistoryStore, rng: ReportRange) -> ReportSection:
        seen.append(rng)
        return ReportSection("Exercises done", ("Week", "Done"), (("Mon 23 Feb", "5"),))

    rng = last_days(NOW, 7)
    data = build_report(history, rng, (exercises, lambda store, rng: None))
    assert seen == [rng]
    assert [s.title for s in data.extra_sections] == ["Exercises done"]


def test_periods_cover_the_range_once():
    rng = ReportRange(at(12, 20, 0, year=2025), at(2, 10, 0))
    weeks = periods(rng, "week")
    assert weeks[0] == (date(2025, 12, 20), date(2025, 12, 21))
    assert weeks[-1] == (date(2026, 2, 9), date(2026, 2, 9))
    days = sum((last - first).days + 1 for first, last in weeks)
    assert days == rng.days == 52
    assert periods(rng, "month") == [
        (date(2025, 12, 20), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 9)),
    ]
    assert period_of(date(2026, 1, 15), "year", rng) == (date(2026, 1, 1), date(2026, 2, 9))


def test_building_reads_aggregates_not_every_event(history: HistoryStore):
    """The per-day reads go through the day index (a heavy history costs its 90 days)."""
    rng = last_days(NOW, 90)
    plan = " ".join(history.explain_habits(rng.first_day, rng.last_day))
    assert "events_kind_day" in plan and "SCAN events" not in plan
