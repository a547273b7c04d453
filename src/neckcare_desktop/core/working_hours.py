"""When break reminders may run: the person's working days and hours.

Hours may run past midnight (start 22:00, end 06:00): the night then belongs to the day it
started on. All arithmetic goes through the clock's ``at()`` so a DST change moves the
boundaries with the wall clock, as a person expects ("from 09:00" means 09:00 on the wall).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from neckcare_desktop.core.clock import Clock
from neckcare_desktop.core.settings import WorkingHoursSettings, parse_days, parse_hhmm


@dataclass(frozen=True)
class WorkingHours:
    enabled: bool
    days: frozenset[int]  # 0 = Monday
    start: time
    end: time

    @classmethod
    def from_settings(cls, s: WorkingHoursSettings) -> WorkingHours:
        return cls(s.enabled, parse_days(s.days), parse_hhmm(s.start), parse_hhmm(s.end))

    @classmethod
    def always(cls) -> WorkingHours:
        return cls(False, frozenset(range(7)), time(0, 0), time(0, 0))

    @property
    def _overnight(self) -> bool:
        return self.end <= self.start

    def _span(self, day: date, clock: Clock) -> tuple[datetime, datetime]:
        """The working span that starts on ``day`` (it may end the next day)."""
        begin = clock.at(day, self.start)
        end_day = day + timedelta(days=1) if self._overnight else day
        return begin, clock.at(end_day, self.end)

    def _spans_around(
        self, now: datetime, clock: Clock, days: int
    ) -> list[tuple[datetime, datetime]]:
        today = now.date()
        spans = []
        for offset in range(-1, days):
            day = today + timedelta(days=offset)
            if day.weekday() in self.days:
                spans.append(self._span(day, clock))
        return spans

    def is_within(self, now: datetime, clock: Clock) -> bool:
        if not self.enabled:
            return True
        return any(begin <= now < end for begin, end in self._spans_around(now, clock, 1))

    def next_start(self, now: datetime, clock: Clock) -> datetime | None:
        """The next moment reminders start again, or None when they always run."""
        if not self.enabled or not self.days:
            return None
        for begin, _ in self._spans_around(now, clock, 8):
            if begin > now:
                return begin
        return None  # pragma: no cover - some day within a week is always a working day

    def current_end(self, now: datetime, clock: Clock) -> datetime | None:
        """When the working span we are in ends (None outside, or when always on)."""
        if not self.enabled:
            return None
        for begin, end in self._spans_around(now, clock, 1):
            if begin <= now < end:
                return end
        return None

    def next_morning(self, now: datetime, clock: Clock) -> datetime:
        """ "Until tomorrow morning": the start of working hours on the next working day
        (or simply tomorrow at the start time when working hours are off)."""
        if self.enabled:
            for begin, _ in self._spans_around(now, clock, 8):
                if begin.date() > now.date():
                    return begin
        return clock.at(now.date() + timedelta(days=1), self.start)
