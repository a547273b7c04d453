"""Days and times in the clinician report, written as the rest of the app writes them.

Short weekday and month names come from core.i18n ("Dates" context), never ``strftime``
(Qt sets the C locale from the environment, which could put a name in one language into a
sentence in another); the patterns are translated (context "Report") so a language can
reorder them. Times are the wall-clock time recorded, never converted.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from neckcare_desktop.core.i18n import month_short, translate, weekday_short

if TYPE_CHECKING:
    from neckcare_desktop.core.report import Period


def day_text(day: date) -> str:
    """ "3 Nov 2026", as the app's guidance writes a day."""
    return translate("Dates", "{day} {month} {year}").format(
        day=day.day, month=month_short(day), year=day.year
    )


def short_day(day: date) -> str:
    """ "Mon 3 Nov"."""
    return translate("Report", "{weekday} {day} {month}").format(
        weekday=weekday_short(day), day=day.day, month=month_short(day)
    )


def moment_text(at: datetime, with_year: bool = False) -> str:
    """ "Mon 3 Nov 09:14" (or "Mon 3 Nov 2025 09:14"), in the wall-clock time it was
    recorded with."""
    day = short_day(at.date())
    if with_year:
        day = translate("Report", "{day} {year}").format(day=day, year=at.year)
    return f"{day} {at.hour:02d}:{at.minute:02d}"


def short_moment(at: datetime) -> str:
    """ "3 Nov 14:00": a pain update inside a table cell, kept on one line (no-break
    spaces) so a wrapped cell never splits a value from its time."""
    return f"{at.day}\u00a0{month_short(at.date())}\u00a0{at.hour:02d}:{at.minute:02d}"


def period_text(first: date, last: date, period: Period) -> str:
    """A row's days: "Mon 3 Nov", "Mon 2 Nov – Sun 8 Nov", "Nov 2026", "2026" (a month or
    year cut by the range is written as its days)."""
    if first == last:
        return short_day(first)
    whole_month = first.day == 1 and (last + timedelta(days=1)).day == 1
    if period == "month" and whole_month:
        return translate("Report", "{month} {year}").format(
            month=month_short(first), year=first.year
        )
    if period == "year" and (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return str(first.year)
    if period in ("month", "year"):
        first_text, last_text = day_text(first), day_text(last)
    else:
        first_text, last_text = short_day(first), short_day(last)
    return translate("Report", "{first} – {last}").format(first=first_text, last=last_text)
