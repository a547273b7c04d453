"""Working hours: when break reminders may run, at both edges, overnight and across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TEST_TZ
from fakes import BERLIN, berlin, make_rig, tweak
from neckcare_desktop.core import events as ev
from neckcare_desktop.core.breaks import BreakKind, BreakPhase
from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.history import HistoryStore
from neckcare_desktop.core.settings import WorkingHoursSettings, default_settings
from neckcare_desktop.core.working_hours import WorkingHours

OFFICE = WorkingHours.from_settings(WorkingHoursSettings(enabled=True))  # Mon-Fri 09:00-17:30
NIGHTS = WorkingHours.from_settings(
    WorkingHoursSettings(True, "mon,tue,wed,thu,fri", "22:00", "06:00")
)
#: 2 March 2026 is a Monday.
MON, TUE, FRI, SAT, SUN = (date(2026, 3, d) for d in (2, 3, 6, 7, 8))


def local(day: date, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm, ss), tzinfo=TEST_TZ)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(local(MON, 9))


# -- the rules ---------------------------------------------------------------------------


def test_defaults_come_from_the_settings():
    assert WorkingHours(True, frozenset(range(5)), time(9, 0), time(17, 30)) == OFFICE
    off = WorkingHours.from_settings(WorkingHoursSettings())
    assert not off.enabled


@pytest.mark.parametrize(
    ("when", "inside"),
    [
        (local(MON, 8, 59, 59), False),
        (local(MON, 9), True),
        (local(MON, 12), True),
        (local(MON, 17, 29, 59), True),
        (local(MON, 17, 30), False),  # the end is not inside
        (local(FRI, 17), True),
        (local(SAT, 12), False),
        (local(SUN, 12), False),
    ],
)
def test_office_hours_inside_and_outside(clock, when, inside):
    assert OFFICE.is_within(when, clock) is inside


def test_next_start_and_current_end(clock):
    assert OFFICE.next_start(local(MON, 7), clock) == local(MON, 9)
    assert OFFICE.next_start(local(MON, 9), clock) == local(TUE, 9)  # already started
    assert OFFICE.next_start(local(MON, 18), clock) == local(TUE, 9)
    assert OFFICE.next_start(local(FRI, 17, 30), clock) == local(MON + timedelta(7), 9)
    assert OFFICE.next_start(local(SAT, 10), clock) == local(MON + timedelta(7), 9)
    assert OFFICE.current_end(local(MON, 10), clock) == local(MON, 17, 30)
    assert OFFICE.current_end(local(MON, 18), clock) is None
    assert OFFICE.current_end(local(SAT, 10), clock) is None


def test_off_means_always(clock):
    always = WorkingHours.always()
    assert always.is_within(local(SUN, 3), clock)
    assert always.next_start(local(SUN, 3), clock) is None
    assert always.current_end(local(SUN, 3), clock) is None
    disabled = WorkingHours(False, frozenset({0}), time(9), time(17))
    assert disabled.is_within(local(SAT, 3), clock)


@pytest.mark.parametrize(
    ("when", "inside"),
    [
        (local(MON, 21, 59, 59), False),
        (local(MON, 22), True),
        (local(MON, 23, 59), True),
        (local(TUE, 0, 0), True),  # Monday's night runs past midnight
        (local(TUE, 5, 59, 59), True),
        (local(TUE, 6), False),
        (local(TUE, 12), False),
        (local(SAT, 3), True),  # Friday's night ends on Saturday morning
        (local(SAT, 22, 30), False),  # Saturday is no working day
        (local(MON, 3), False),  # Sunday's night is not worked either
    ],
)
def test_hours_across_midnight(clock, when, inside):
    assert NIGHTS.is_within(when, clock) is inside


def test_hours_across_midnight_edges(clock):
    assert NIGHTS.current_end(local(MON, 23), clock) == local(TUE, 6)
    assert NIGHTS.current_end(local(TUE, 1), clock) == local(TUE, 6)
    assert NIGHTS.next_start(local(TUE, 6), clock) == local(TUE, 22)
    assert NIGHTS.next_start(local(SAT, 6), clock) == local(MON + timedelta(7), 22)


def test_next_morning_is_the_next_working_days_start(clock):
    assert OFFICE.next_morning(local(MON, 10), clock) == local(TUE, 9)
    assert OFFICE.next_morning(local(MON, 7), clock) == local(TUE, 9)  # "tomorrow"
    assert OFFICE.next_morning(local(FRI, 10), clock) == local(MON + timedelta(7), 9)
    assert OFFICE.next_morning(local(SAT, 10), clock) == local(MON + timedelta(7), 9)
    off = WorkingHours.from_settings(WorkingHoursSettings(start="07:45"))
    assert off.next_morning(local(FRI, 10), clock) == local(SAT, 7, 45)  # off: any day


# -- DST ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "wall"),
    [
        (berlin(2026, 3, 29, 1, 30), 1, (3, 30)),  # 02:00 CET becomes 03:00 CEST
        (berlin(2026, 3, 29, 1, 30), 24, (2, 30)),
        (berlin(2026, 10, 25, 2, 30), 1, (2, 30)),  # 03:00 CEST becomes 02:00 CET
        (berlin(2026, 10, 25, 1, 30), 2, (2, 30)),
    ],
)
def test_manual_clock_advance_keeps_real_durations(start, hours, wall):
    clock = ManualClock(start)
    before_utc = clock.now().timestamp()
    clock.advance(timedelta(hours=hours))
    assert clock.now().timestamp() - before_utc == hours * 3600
    assert clock.monotonic() == hours * 3600
    assert clock.now().astimezone(BERLIN).timetuple()[3:5] == wall
    # Arithmetic on what now() returns is real time too, as with the system clock.
    later = clock.now() + timedelta(minutes=20)
    assert later.timestamp() - clock.now().timestamp() == 1200


def test_manual_clock_at_gives_the_offset_of_that_day():
    clock = ManualClock(berlin(2026, 3, 27, 12))
    assert clock.at(date(2026, 3, 27), time(9)).utcoffset() == timedelta(hours=1)
    assert clock.at(date(2026, 3, 30), time(9)).utcoffset() == timedelta(hours=2)
    assert clock.at(date(2026, 3, 30), time(9)) == berlin(2026, 3, 30, 9)


@pytest.mark.parametrize(
    ("friday", "monday"),
    [((2026, 3, 27), (2026, 3, 30)), ((2026, 10, 23), (2026, 10, 26))],
)
def test_office_hours_follow_the_wall_clock_across_dst(friday, monday):
    clock = ManualClock(berlin(*friday, 17))
    assert OFFICE.current_end(clock.now(), clock) == berlin(*friday, 17, 30)
    start = OFFICE.next_start(clock.now(), clock)
    assert start == berlin(*monday, 9)
    assert start.astimezone(BERLIN).hour == 9


def test_night_hours_over_a_dst_change_end_at_0600_on_the_wall():
    nights = WorkingHours.from_settings(
        WorkingHoursSettings(True, "mon,tue,wed,thu,fri,sat,sun", "22:00", "06:00")
    )
    clock = ManualClock(berlin(2026, 3, 28, 23))
    end = nights.current_end(clock.now(), clock)
    assert end == berlin(2026, 3, 29, 6)
    assert end - clock.now() == timedelta(hours=6)  # one hour of the night is skipped
    clock = ManualClock(berlin(2026, 10, 24, 23))
    end = nights.current_end(clock.now(), clock)
    assert end == berlin(2026, 10, 25, 6)
    assert end - clock.now() == timedelta(hours=8)  # one hour is lived twice


# -- property: working hours, DST and the micro/posture gap together ---------------------

#: Days around both 2026 changes, plus any day of the year.
DST_DAYS = [date(2026, 3, d) for d in range(26, 31)] + [date(2026, 10, d) for d in range(23, 27)]
DAYS = st.one_of(
    st.sampled_from([date(2026, 3, 29), date(2026, 10, 25)]),
    st.sampled_from(DST_DAYS),
    st.dates(date(2026, 1, 1), date(2026, 12, 30)),
)
QUARTER_HOURS = st.integers(0, 24 * 4 - 1).map(lambda q: time(q // 4, q % 4 * 15))
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def wall_start(day: date, clock_time: time) -> datetime:
    """``clock_time`` on the Berlin wall that day.

    A time the spring change skips (02:00-03:00) means the instant an hour later on the
    wall, as mktime() and ManualClock.at() read it; a time the autumn change repeats means
    its first occurrence.
    """
    return datetime.combine(day, clock_time, tzinfo=BERLIN)


def wall_inside(when: datetime, hours: WorkingHours) -> bool:
    """An independent reading of the rules: spans laid out on the Berlin wall clock."""
    today = when.astimezone(BERLIN).date()
    moment = when.timestamp()  # Python compares times in a DST gap by wall clock otherwise
    for day in (today - timedelta(days=1), today):
        if day.weekday() not in hours.days:
            continue
        end_day = day + timedelta(days=1) if hours.end <= hours.start else day
        begin = wall_start(day, hours.start).timestamp()
        if begin <= moment < wall_start(end_day, hours.end).timestamp():
            return True
    return False


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    day=DAYS,
    start=QUARTER_HOURS,
    end=QUARTER_HOURS,
    days=st.sets(st.sampled_from(WEEKDAYS), min_size=1),
    micro_every=st.integers(5, 120),
    posture_every=st.integers(15, 240),
    answer=st.sampled_from(["start", "skip", "postpone"]),
)
def test_breaks_run_only_in_working_hours_and_keep_the_gap_across_dst(
    day: date,
    start: time,
    end: time,
    days: set[str],
    micro_every: int,
    posture_every: int,
    answer: str,
):
    if start == end:
        end = time((start.hour + 8) % 24, start.minute)
    s = tweak(
        default_settings(),
        **{
            "working_hours.enabled": True,
            "working_hours.start": start.strftime("%H:%M"),
            "working_hours.end": end.strftime("%H:%M"),
            "working_hours.days": ",".join(d for d in WEEKDAYS if d in days),
            "breaks.micro.interval_minutes": micro_every,
            "breaks.posture.interval_minutes": posture_every,
            "hydration.enabled": False,
        },
    )
    hours = WorkingHours.from_settings(s.working_hours)
    first = datetime.combine(day - timedelta(days=1), time(12), tzinfo=BERLIN)
    clock = ManualClock(first)
    with HistoryStore(":memory:") as store:
        rig = make_rig(clock, store, s)
        engine = rig.engine
        gap = engine.breaks.config.gap
        problems: list[str] = []
        resumed: list[datetime] = []  # when reminders started again
        fired: list[datetime] = []
        #: Every moment a break's count (re)started: a due time is one interval after one.
        anchors: set[datetime] = {clock.now()}
        intervals = {m * 60 for m in (micro_every, posture_every, 5)}  # real seconds

        def check(event: ev.EngineEvent) -> None:
            if isinstance(event, ev.BreakFinished):
                anchors.add(clock.now())
            if not isinstance(event, ev.BreakDue):
                return
            now, brk = clock.now(), event.brk
            fired.append(now)
            # Timestamps: Python subtracts two ZoneInfo times on the wall clock.
            if not any(brk.due_at.timestamp() - a.timestamp() in intervals for a in anchors):
                problems.append(f"{brk.kind} due {brk.due_at} is no real interval after a reset")
            if not wall_inside(now, hours):
                problems.append(f"{brk.kind} due at {now:%a %H:%M %Z} outside working hours")
            posture = engine.breaks.next_posture_due()
            if (
                brk.kind is BreakKind.MICRO
                and posture is not None
                and posture.timestamp() - now.timestamp() <= gap.total_seconds()
            ):
                problems.append(f"micro at {now} within {gap} of posture at {posture}")
            if brk.due_at != now:
                problems.append(f"{brk.kind} due {brk.due_at} fired late at {now}")

        engine.subscribe(check)
        limit = first + timedelta(days=3)
        while True:
            job = rig.sched.next_job()
            if job is None or job.when > limit:
                break
            was_off = engine.status().off_hours
            rig.to(max(job.when, clock.now()))
            if was_off and not engine.status().off_hours:
                resumed.append(clock.now())
                anchors.add(clock.now())
            assert not problems, problems
            active = engine.breaks.active
            if active is None or active.phase is not BreakPhase.DUE:
                continue
            if answer == "postpone" and engine.breaks.can_postpone():
                engine.postpone_break()
                anchors.add(clock.now())
            elif answer == "skip":
                engine.skip_break()
            else:
                engine.start_break()
        assert not problems, problems
        # The micro-break comes first unless it falls within 2 minutes of the posture break.
        first_after = timedelta(
            minutes=micro_every if micro_every < posture_every - 2 else posture_every
        )
        for moment in resumed:
            wall = moment.astimezone(BERLIN)
            assert moment.timestamp() == wall_start(wall.date(), start).timestamp(), wall
            span_end = wall_start(wall.date() + timedelta(days=end <= start), end).astimezone(UTC)
            in_span = [t for t in fired if moment <= t < span_end]
            # A fresh start each time: the first break a full interval after the start.
            if moment + first_after < span_end and moment + first_after <= limit:
                assert in_span and in_span[0] == moment + first_after, (wall, in_span[:1])
            else:
                assert in_span == []
