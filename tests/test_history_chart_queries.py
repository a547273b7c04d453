"""Pain next to habits, the queries: each pain value, adherence and rounds per local day."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.history.habits import Adherence, PainPoint, Rounds, whole_minutes
from neckcare_desktop.core.history.queries import DAY_EXPR
from neckcare_desktop.core.history.totals import whole_minutes as totals_whole_minutes

PLUS1 = timezone(timedelta(hours=1))
PLUS2 = timezone(timedelta(hours=2))
MON = date(2026, 3, 2)


def at(day: date, hour: int, minute: int = 0, tz: timezone = PLUS1) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def rnd(
    store: HistoryStore,
    when: datetime,
    kind: EventKind = EventKind.THERAPY_COMPLETED,
    subject: str = "ice",
    seconds: int = 600,
) -> None:
    store.record(EventKind.THERAPY_STARTED, when - timedelta(seconds=seconds), subject=subject)
    store.record(kind, when, subject=subject, planned_seconds=600, actual_seconds=seconds)


# ----------------------------------------------------------------------------- pain


def test_each_logged_value_in_order_with_its_time(history: HistoryStore) -> None:
    now = at(MON, 20)
    ep = history.log_episode(at(MON, 8), 6, now=now)
    history.update_pain(ep.id, 7, at(MON, 12))
    history.update_pain(ep.id, 4, at(MON + timedelta(days=1), 9))
    history.resolve_episode(ep.id, at(MON + timedelta(days=2), 9))  # not a new value

    points = history.daily_pain(MON, MON + timedelta(days=2))

    assert points == [
        PainPoint(at(MON, 8), 6),
        PainPoint(at(MON, 12), 7),
        PainPoint(at(MON + timedelta(days=1), 9), 4),
    ]
    assert points[0].at.utcoffset() == timedelta(hours=1)  # as recorded


def test_pain_zero_is_a_value_and_a_day_without_pain_is_absent(history: HistoryStore) -> None:
    history.log_episode(at(MON, 8), 0, now=at(MON, 9))
    assert history.daily_pain(MON, MON) == [PainPoint(at(MON, 8), 0)]
    assert history.daily_pain(MON + timedelta(days=1), MON + timedelta(days=5)) == []


def test_pain_day_edges_are_local_days_inclusive(history: HistoryStore) -> None:
    first = history.log_episode(at(MON, 0, 0), 3, now=at(MON, 1))
    history.update_pain(first.id, 5, at(MON, 23, 59))
    history.update_pain(first.id, 6, at(MON + timedelta(days=1), 0, 0))
    history.update_pain(first.id, 2, at(MON - timedelta(days=1), 23, 59) + timedelta(days=3))

    assert [p.pain for p in history.daily_pain(MON, MON)] == [3, 5]
    assert [
        p.pain for p in history.daily_pain(MON + timedelta(days=1), MON + timedelta(days=1))
    ] == [6]
    assert [p.pain for p in history.daily_pain(MON, MON + timedelta(days=2))] == [3, 5, 6, 2]
    # A datetime bound means its day (not a string compared against "2026-03-02T...").
    assert [p.pain for p in history.daily_pain(at(MON, 12), at(MON, 12))] == [3, 5]


def test_a_value_stays_on_its_local_day_after_a_change_of_offset(history: HistoryStore) -> None:
    # 23:30 at +01:00 is 00:30 at +02:00 (the next day there): it stays on Monday.
    history.log_episode(at(MON, 23, 30, PLUS1), 5, now=at(MON, 23, 45, PLUS1))
    # 00:30 at +02:00 on Tuesday is 23:30 UTC Monday: it is a Tuesday value.
    history.log_episode(
        at(MON + timedelta(days=1), 0, 30, PLUS2),
        6,
        now=at(MON, 23, 45, PLUS1) + timedelta(hours=2),
    )

    assert [p.pain for p in history.daily_pain(MON, MON)] == [5]
    assert [
        p.pain for p in history.daily_pain(MON + timedelta(days=1), MON + timedelta(days=1))
    ] == [6]


def test_days_across_a_dst_change_are_whole_local_days(history: HistoryStore) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    sunday = date(2026, 3, 29)  # clocks go forward at 02:00
    before = datetime(2026, 3, 29, 1, 30, tzinfo=berlin)
    after = datetime(2026, 3, 29, 23, 30, tzinfo=berlin)
    ep = history.log_episode(before, 4, now=after)
    history.update_pain(ep.id, 5, after)
    history.record(EventKind.BREAK_COMPLETED, before, subject="micro")
    history.record(EventKind.BREAK_SKIPPED, after, subject="micro")

    assert [p.pain for p in history.daily_pain(sunday, sunday)] == [4, 5]
    assert history.daily_adherence(sunday, sunday) == {sunday: Adherence(1, 2)}


def test_a_reversed_range_is_refused(history: HistoryStore) -> None:
    with pytest.raises(ValueError, match="before"):
        history.daily_pain(MON, MON - timedelta(days=1))


# ----------------------------------------------------------------------------- adherence


def test_adherence_counts_each_break_once_by_how_it_ended(history: HistoryStore) -> None:
    for minute in (0, 10, 20):
        history.record(EventKind.BREAK_COMPLETED, at(MON, 9, minute), subject="micro")
    history.record(EventKind.BREAK_NATURAL, at(MON, 11), subject="posture")
    history.record(EventKind.BREAK_SKIPPED, at(MON, 12), subject="micro")
    # A break postponed twice, then taken: one break (three break_due rows, not three due).
    for minute in (0, 5, 10):
        history.record(EventKind.BREAK_DUE, at(MON, 14, minute), subject="posture")
    history.record(EventKind.BREAK_POSTPONED, at(MON, 14, 1), subject="posture")
    history.record(EventKind.BREAK_POSTPONED, at(MON, 14, 6), subject="posture")
    history.record(EventKind.BREAK_COMPLETED, at(MON, 14, 15), subject="posture")
    # Neither a break taken nor one due.
    history.record(EventKind.BREAK_STARTED, at(MON, 15), subject="micro")
    history.record(EventKind.BREAK_INTERRUPTED, at(MON, 15, 1), subject="micro")

    assert history.daily_adherence(MON, MON) == {MON: Adherence(taken=5, due=6)}


def test_adherence_days_without_breaks_are_absent_not_zero(history: HistoryStore) -> None:
    tue, thu = MON + timedelta(days=1), MON + timedelta(days=3)
    history.record(EventKind.BREAK_SKIPPED, at(tue, 10), subject="micro")
    history.record(EventKind.BREAK_POSTPONED, at(thu, 10), subject="micro")  # not a break
    history.record(EventKind.BREAK_DUE, at(thu, 10), subject="micro")  # not answered

    assert history.daily_adherence(MON, MON + timedelta(days=6)) == {tue: Adherence(0, 1)}


def test_adherence_edges_at_midnight(history: HistoryStore) -> None:
    history.record(EventKind.BREAK_COMPLETED, at(MON, 0, 0), subject="micro")
    history.record(EventKind.BREAK_COMPLETED, at(MON, 23, 59), subject="micro")
    history.record(EventKind.BREAK_SKIPPED, at(MON + timedelta(days=1), 0, 0), subject="micro")
    history.record(EventKind.BREAK_SKIPPED, at(MON - timedelta(days=1), 23, 59), subject="micro")

    assert history.daily_adherence(MON, MON) == {MON: Adherence(2, 2)}
    assert history.daily_adherence(MON - timedelta(days=1), MON + timedelta(days=1)) == {
        MON - timedelta(days=1): Adherence(0, 1),
        MON: Adherence(2, 2),
        MON + timedelta(days=1): Adherence(0, 1),
    }


# ----------------------------------------------------------------------------- rounds


def test_rounds_count_applied_rounds_and_their_minutes(history: HistoryStore) -> None:
    rnd(history, at(MON, 9), seconds=600)
    rnd(history, at(MON, 11), EventKind.THERAPY_STOPPED_EARLY, seconds=389)
    rnd(history, at(MON, 13), EventKind.THERAPY_OVERRUN, seconds=1500)
    rnd(history, at(MON, 15), subject="heat", seconds=900)

    day = history.daily_rounds(MON, MON)

    # 600 + 389 + 1500 = 2489 s: 41 min 29 s, rounded once for the day.
    assert day == {MON: {"ice": Rounds(3, 41, 2489), "heat": Rounds(1, 15, 900)}}


def test_cancelled_and_empty_rounds_do_not_count(history: HistoryStore) -> None:
    rnd(history, at(MON, 9), EventKind.THERAPY_CANCELLED, seconds=40)
    rnd(history, at(MON, 10), EventKind.THERAPY_STOPPED_EARLY, seconds=0)
    history.record(EventKind.THERAPY_STARTED, at(MON, 11), subject="heat")  # still running
    assert history.daily_rounds(MON, MON) == {}

    rnd(history, at(MON, 12), subject="heat", seconds=1200)
    assert history.daily_rounds(MON, MON) == {
        MON: {"ice": Rounds(0, 0), "heat": Rounds(1, 20, 1200)}
    }


def test_an_intermittent_session_counts_once(history: HistoryStore) -> None:
    start = at(MON, 9)
    history.record(EventKind.THERAPY_STARTED, start, subject="ice", planned_seconds=1200)
    history.record(
        EventKind.THERAPY_SWITCHED, start + timedelta(minutes=10), subject="ice", note="off"
    )
    history.record(
        EventKind.THERAPY_SWITCHED, start + timedelta(minutes=20), subject="ice", note="on"
    )
    history.record(
        EventKind.THERAPY_COMPLETED,
        start + timedelta(minutes=30),
        subject="ice",
        planned_seconds=1200,
        actual_seconds=1200,
    )

    assert history.daily_rounds(MON, MON) == {
        MON: {"ice": Rounds(1, 20, 1200), "heat": Rounds(0, 0)}
    }


def test_a_round_belongs_to_the_day_it_ended(history: HistoryStore) -> None:
    history.record(EventKind.THERAPY_STARTED, at(MON, 23, 55), subject="heat")
    rnd(history, at(MON + timedelta(days=1), 0, 5), subject="heat", seconds=600)
    rnd(history, at(MON, 23, 59), seconds=300)

    assert history.daily_rounds(MON, MON + timedelta(days=1)) == {
        MON: {"ice": Rounds(1, 5, 300), "heat": Rounds(0, 0)},
        MON + timedelta(days=1): {"ice": Rounds(0, 0), "heat": Rounds(1, 10, 600)},
    }
    assert history.daily_rounds(MON + timedelta(days=2), MON + timedelta(days=9)) == {}


def test_minutes_round_half_up_like_every_total() -> None:
    assert [whole_minutes(s) for s in (0, 29, 30, 89, 90)] == [0, 0, 1, 1, 2]
    assert totals_whole_minutes is whole_minutes


# ----------------------------------------------------------------------------- cost


def test_each_query_reads_through_the_day_index(store: HistoryStore) -> None:
    from neckcare_desktop.core.history import habits

    assert habits._DAY == DAY_EXPR  # the index serves only this exact spelling
    plan = store.explain_habits(MON - timedelta(days=89), MON)
    searches = [line for line in plan if line.startswith(("SEARCH", "SCAN"))]
    assert len(searches) == 3, plan
    assert all("events_kind_day" in line for line in searches), plan


# ----------------------------------------------------------------------------- with the engine


def test_the_engines_intermittent_session_and_a_cancelled_round_are_one_round(rig) -> None:
    from fakes import at as rig_at
    from neckcare_desktop.core.therapy import TherapyKind

    rig.engine.start_therapy(TherapyKind.ICE, intermittent=True)  # 10 on · 10 off · 10 on
    rig.to(rig_at(9, 30))
    rig.to(rig_at(11, 0))
    rig.engine.start_therapy(TherapyKind.ICE)
    rig.to(rig_at(11, 0, 30))
    assert rig.engine.stop_therapy().cancelled  # started by mistake
    day = rig_at(9, 0).date()

    assert [r.kind for r in rig.rows(EventKind.THERAPY_SWITCHED)] == [
        EventKind.THERAPY_SWITCHED
    ] * 2
    assert rig.history.daily_rounds(day, day) == {
        day: {"ice": Rounds(1, 20, 1200), "heat": Rounds(0, 0)}
    }
