"""What the report for a clinician holds: the figures of a range of days, read from history.

The report is a record the person shows a physiotherapist or doctor: each spasm with its
pain over time, what may have set it off and the warning signs ticked, ice and heat rounds
per day, breaks taken of breaks due per week, and the notes the person wrote. Nothing here
relates one figure to another: facts side by side, never "breaks reduce your pain".

Design notes (the WHY):

* **Aggregates come from SQL** (:meth:`HistoryStore.daily_rounds`, ``daily_adherence``):
  90 days of a ten-year, 500,000-event history read 90 days of the relevant kinds through
  the day index, never the whole file. Spasm episodes are few (a heavy history has about
  one a fortnight) and are read whole, with their pain updates.
* **Days are local days as recorded**, as in the History window, so the report and the
  window's charts agree; the range ``[start, end)`` is turned into those days.
* **A spasm belongs to the report when it overlaps the range**: one that started before
  the range and was still going in it matters as much as one that started inside it.
* **Ice stopped because the skin went numb is said** (per row, :attr:`RoundsCount.ice_numb`):
  a clinician needs to see it. It is a fact the person recorded ("My skin is numb" ends the
  round as ``therapy_stopped_early`` with :data:`NoteCode.SKIN_NUMB`), said without advice.
  Such a round still counts as a round, with the minutes the pack was on.
* **Minutes are rounded once, from the exact seconds**, for a row as for the total (see
  :class:`RoundsCount`); a round of less than a minute is never written "0 min" (the
  renderer says "under 1 min").
* **Words are in the person's language when built** (trigger and warning-sign labels go
  through core.i18n), so the rendering only lays them out.
* **Later sections plug in** through :func:`default_sections` (issue 19: exercises done):
  a builder returns a :class:`ReportSection` (a titled table, already in words) or None,
  and the PDF renders it after the breaks without knowing what it is about.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Literal

from neckcare_desktop.core.history.events import EventKind
from neckcare_desktop.core.history.habits import Rounds, whole_minutes
from neckcare_desktop.core.history_notes import NoteCode, parse_row_note
from neckcare_desktop.core.spasm_vocabulary import trigger_label, warning_sign_label

if TYPE_CHECKING:
    from neckcare_desktop.core.history import Episode, HistoryStore

#: What ``neckcare report`` and the History window cover when not told otherwise.
DEFAULT_DAYS = 30
#: How far back an episode that overlaps the range may have started (the spasm log
#: refuses starts older than a year; open episodes are read whatever their age).
_LOOKBACK = timedelta(days=366)


@dataclass(frozen=True)
class ReportRange:
    """``[start, end)``; both timezone-aware. Days are ``first_day`` to ``last_day``."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        for name, value in (("start", self.start), ("end", self.end)):
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"{name} must be timezone-aware, got {value!r}")
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        # Half-open: an end at midnight belongs to the day before.
        return (self.end - timedelta(microseconds=1)).date()

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


def last_days(now: datetime, days: int = DEFAULT_DAYS) -> ReportRange:
    """The ``days`` local days up to and including today (``now``'s day), midnight to
    midnight in ``now``'s zone."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    tz = now.tzinfo
    if tz is None:
        raise ValueError(f"now must be timezone-aware, got {now!r}")
    today = now.date()
    start = datetime.combine(today - timedelta(days=days - 1), time(0), tzinfo=tz)
    end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=tz)
    return ReportRange(start, end)


@dataclass(frozen=True)
class PainValue:
    """One pain score (0-10) as logged: at the start of the spasm, or a later update."""

    at: datetime
    pain: int


@dataclass(frozen=True)
class SpasmEntry:
    """One spasm as the report shows it; labels are in the person's language."""

    started_at: datetime
    #: Every value logged, oldest first; the first is the one logged with the spasm.
    pain: tuple[PainValue, ...]
    triggers: tuple[str, ...]
    warning_signs: tuple[str, ...]
    resolved_at: datetime | None
    note: str | None

    @property
    def worst_pain(self) -> int:
        return max(p.pain for p in self.pain)


#: How a table groups days: one row per day, per week (Monday to Sunday), month or year.
Period = Literal["day", "week", "month", "year"]
PERIODS: tuple[Period, ...] = ("day", "week", "month", "year")


@dataclass(frozen=True)
class RoundsCount:
    """Ice and heat rounds of one local day, or summed over a period (``rounds_by``).

    Seconds are kept exact and rounded to whole minutes once, where they are shown, so
    a week's minutes are its seconds rounded (as the History window's totals line does),
    not the sum of seven rounded days.
    """

    first_day: date
    last_day: date
    ice_rounds: int = 0
    ice_seconds: int = 0
    heat_rounds: int = 0
    heat_seconds: int = 0
    #: Ice rounds the person stopped because the skin went numb (counted in ice_rounds).
    ice_numb: int = 0

    @property
    def ice_minutes(self) -> int:
        return whole_minutes(self.ice_seconds)

    @property
    def heat_minutes(self) -> int:
        return whole_minutes(self.heat_seconds)


@dataclass(frozen=True)
class BreakCount:
    """Breaks taken of breaks due in one period (a week unless asked otherwise), cut to
    the range."""

    first_day: date
    last_day: date
    taken: int
    due: int

    @property
    def percent(self) -> int | None:
        """Taken of due in whole percent; None when no break was due."""
        return None if self.due == 0 else round(100 * self.taken / self.due)


@dataclass(frozen=True)
class NoteEntry:
    """A note the person wrote (today: with a spasm), and when it is about."""

    at: datetime
    text: str


@dataclass(frozen=True)
class ReportSection:
    """A titled table added by a later feature (see :func:`default_sections`), in words."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: One line under the table saying how to read it; may be empty.
    note: str = ""
    #: Each column's share of the page in percent (empty: as Qt finds best).
    widths: tuple[int, ...] = ()
    #: Which columns hold numbers (right-aligned); empty: none.
    numeric: tuple[bool, ...] = ()


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, for ``range``."""

    range: ReportRange
    spasms: tuple[SpasmEntry, ...]
    #: One entry per local day with at least one round (or ice stopped because the skin
    #: went numb), oldest first.
    rounds: tuple[RoundsCount, ...]
    #: One entry per local day with at least one break due, oldest first.
    break_days: tuple[BreakCount, ...]
    notes: tuple[NoteEntry, ...]
    extra_sections: tuple[ReportSection, ...] = field(default=())

    @property
    def ice_rounds(self) -> int:
        return sum(d.ice_rounds for d in self.rounds)

    @property
    def ice_seconds(self) -> int:
        return sum(d.ice_seconds for d in self.rounds)

    @property
    def ice_minutes(self) -> int:
        return whole_minutes(self.ice_seconds)

    @property
    def ice_numb(self) -> int:
        """Ice rounds stopped because the skin went numb, over the whole range."""
        return sum(d.ice_numb for d in self.rounds)

    @property
    def heat_rounds(self) -> int:
        return sum(d.heat_rounds for d in self.rounds)

    @property
    def heat_seconds(self) -> int:
        return sum(d.heat_seconds for d in self.rounds)

    @property
    def heat_minutes(self) -> int:
        return whole_minutes(self.heat_seconds)

    @property
    def break_weeks(self) -> tuple[BreakCount, ...]:
        """Breaks taken of due per week (Monday to Sunday, cut to the range), every week."""
        return self.breaks_by("week")

    def breaks_by(self, period: Period) -> tuple[BreakCount, ...]:
        """Breaks taken of due per ``period``, every period of the range (0 of 0 when none
        was due), oldest first."""
        sums = {p: [0, 0] for p in periods(self.range, period)}
        for day in self.break_days:
            slot = sums[period_of(day.first_day, period, self.range)]
            slot[0] += day.taken
            slot[1] += day.due
        return tuple(BreakCount(first, last, t, d) for (first, last), (t, d) in sums.items())

    def rounds_by(self, period: Period) -> tuple[RoundsCount, ...]:
        """The rounds summed per ``period`` (cut to the range): what a long range shows to
        keep the report to two pages. Periods without rounds are left out."""
        if period == "day":
            return self.rounds
        sums: dict[tuple[date, date], RoundsCount] = {}
        for day in self.rounds:
            key = period_of(day.first_day, period, self.range)
            old = sums.get(key, RoundsCount(*key))
            sums[key] = RoundsCount(
                key[0],
                key[1],
                old.ice_rounds + day.ice_rounds,
                old.ice_seconds + day.ice_seconds,
                old.heat_rounds + day.heat_rounds,
                old.heat_seconds + day.heat_seconds,
                old.ice_numb + day.ice_numb,
            )
        return tuple(sums[k] for k in sorted(sums))


def minutes_add_up(rows: Sequence[RoundsCount]) -> bool:
    """Whether the ice minutes and the heat minutes ``rows`` show add up to those of their
    total. Each figure is its own exact seconds rounded once, and a figure under a minute
    shows no number ("under 1 min"), so two or more rows may not."""
    for seconds in ([r.ice_seconds for r in rows], [r.heat_seconds for r in rows]):
        shown = [s for s in seconds if s]
        if len(shown) <= 1:
            continue  # one row, or none: it is the total
        if any(s < 60 for s in shown):
            return False
        if sum(whole_minutes(s) for s in shown) != whole_minutes(sum(shown)):
            return False
    return True


def period_of(day: date, period: Period, rng: ReportRange) -> tuple[date, date]:
    """The first and last day of the ``period`` holding ``day``, cut to ``rng``."""
    if period == "day":
        return day, day
    if period == "week":
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=6)
    elif period == "month":
        first = day.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    else:
        first, last = date(day.year, 1, 1), date(day.year, 12, 31)
    return max(first, rng.first_day), min(last, rng.last_day)


def periods(rng: ReportRange, period: Period) -> list[tuple[date, date]]:
    """Every ``period`` of ``rng``, oldest first, the first and last cut to the range."""
    found: list[tuple[date, date]] = []
    day = rng.first_day
    while day <= rng.last_day:
        found.append(period_of(day, period, rng))
        day = found[-1][1] + timedelta(days=1)
    return found


#: Builds one extra section from the store for a range, or None when it has nothing to say.
SectionBuilder = Callable[["HistoryStore", ReportRange], "ReportSection | None"]


def default_sections() -> tuple[SectionBuilder, ...]:
    """The sections after the breaks, in order: today the exercises done (issue 19). A
    later feature adds its builder here. (Imported when asked: the builders import this
    module.)"""
    from neckcare_desktop.core.report_exercises import exercises_section

    return (exercises_section,)


def _overlapping_episodes(store: HistoryStore, rng: ReportRange) -> list[Episode]:
    """Spasms that started before the range ends and were not resolved before it began."""
    found = {e.id: e for e in store.episodes_between(rng.start - _LOOKBACK, rng.end)}
    found.update((e.id, e) for e in store.open_episodes() if e.started_at < rng.end)
    return sorted(
        (
            e
            for e in found.values()
            if e.started_at < rng.end and (e.resolved_at is None or e.resolved_at >= rng.start)
        ),
        key=lambda e: (e.started_at, e.id),
    )


def _spasm_entry(episode: Episode) -> SpasmEntry:
    return SpasmEntry(
        started_at=episode.started_at,
        pain=(
            PainValue(episode.started_at, episode.pain),
            *(PainValue(u.at, u.pain) for u in episode.updates),
        ),
        triggers=tuple(trigger_label(k) for k in episode.triggers),
        warning_signs=tuple(warning_sign_label(k) for k in episode.warning_signs),
        resolved_at=episode.resolved_at,
        note=(episode.note or "").strip() or None,
    )


def _break_days(store: HistoryStore, rng: ReportRange) -> tuple[BreakCount, ...]:
    per_day = store.daily_adherence(rng.first_day, rng.last_day)
    return tuple(BreakCount(d, d, a.taken, a.due) for d, a in sorted(per_day.items()))


def _numb_stops(store: HistoryStore, rng: ReportRange) -> Counter[date]:
    """Ice stopped because the skin went numb, per local day of the range.

    Read newest first through the ``(kind, at_utc)`` index, ``therapy_stopped_early`` rows
    only, from the range's end back to its start (a day either side: local days as
    recorded may lie across an offset change): a range read of a few rows, however long
    the history.
    """
    found: Counter[date] = Counter()
    oldest = rng.start - timedelta(days=1)
    before: tuple[float, int] | None = ((rng.end + timedelta(days=1)).timestamp(), 0)
    while before is not None and before[0] >= oldest.timestamp():
        page = store.events_page([EventKind.THERAPY_STOPPED_EARLY], before=before)
        for event in page.events:
            day = event.at.date()
            parsed = parse_row_note(event.kind, event.note)
            if (
                event.subject == "ice"
                and parsed is not None
                and parsed.code is NoteCode.SKIN_NUMB
                and rng.first_day <= day <= rng.last_day
            ):
                found[day] += 1
        before = page.cursor
    return found


def _rounds(store: HistoryStore, rng: ReportRange) -> tuple[RoundsCount, ...]:
    per_day = store.daily_rounds(rng.first_day, rng.last_day)
    numb = _numb_stops(store, rng)
    empty = {"ice": Rounds(0, 0), "heat": Rounds(0, 0)}
    return tuple(
        RoundsCount(
            day,
            day,
            ice_rounds=rounds["ice"].number,
            ice_seconds=rounds["ice"].seconds,
            heat_rounds=rounds["heat"].number,
            heat_seconds=rounds["heat"].seconds,
            ice_numb=numb[day],
        )
        for day, rounds in sorted({**{d: empty for d in numb}, **per_day}.items())
    )


def build_report(
    store: HistoryStore,
    rng: ReportRange,
    extra_sections: Sequence[SectionBuilder] | None = None,
) -> ReportData:
    """The report's figures for ``rng``; raises HistoryError when the history cannot be read.

    ``extra_sections`` default to :func:`default_sections`."""
    if extra_sections is None:
        extra_sections = default_sections()
    spasms = tuple(_spasm_entry(e) for e in _overlapping_episodes(store, rng))
    notes = tuple(NoteEntry(s.started_at, s.note) for s in spasms if s.note)
    extras = tuple(s for s in (build(store, rng) for build in extra_sections) if s is not None)
    return ReportData(
        range=rng,
        spasms=spasms,
        rounds=_rounds(store, rng),
        break_days=_break_days(store, rng),
        notes=notes,
        extra_sections=extras,
    )
