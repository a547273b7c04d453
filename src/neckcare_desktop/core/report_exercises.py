"""The clinician report's exercises section (issue 19): what the breaks' routines did.

A :data:`core.report.SectionBuilder`: per week (per month or year when the range is long,
so the table stays short) the exercises done, the breaks that included at least one, the
ones passed over or cut short, and the exercises done most often: a built-in by its title
in the person's language, the person's own by the name recorded with it
(``core.history.exercises.exercise_name``). Read by
``core.history.exercises.weekly_exercises`` (the History window's Exercises tab reads the
same). No section when no exercise was recorded in the range.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from neckcare_desktop.core.history.exercises import exercise_name, weekly_exercises
from neckcare_desktop.core.i18n import translate
from neckcare_desktop.core.report import (
    PERIODS,
    Period,
    ReportRange,
    ReportSection,
    period_of,
    periods,
)
from neckcare_desktop.core.report_dates import period_text

if TYPE_CHECKING:
    from datetime import date

    from neckcare_desktop.core.history import HistoryStore

#: The table has at most this many rows: weeks, else months, else years.
MAX_ROWS = 16
#: How many of the exercises done most often a row names.
MOST_OFTEN = 2


@dataclass
class _Sums:
    done: Counter[str] = field(default_factory=Counter)
    not_done: int = 0
    breaks: int = 0
    names: dict[str, str] = field(default_factory=dict)


def _period(rng: ReportRange) -> Period:
    for period in PERIODS[1:]:
        if len(periods(rng, period)) <= MAX_ROWS:
            return period
    return "year"


def _header(period: Period) -> str:
    if period == "week":
        return translate("Report", "Week")
    if period == "month":
        return translate("Report", "Month")
    return translate("Report", "Year")


def exercises_section(store: HistoryStore, rng: ReportRange) -> ReportSection | None:
    """The exercises done in ``rng``, or None when none was recorded."""
    weeks = weekly_exercises(store, rng.start, rng.end)
    if not weeks:
        return None
    period = _period(rng)
    sums: dict[tuple[date, date], _Sums] = {}
    for week in weeks:
        key = period_of(max(week.week_start, rng.first_day), period, rng)
        slot = sums.setdefault(key, _Sums())
        slot.done.update(week.done)
        slot.not_done += sum(week.skipped.values()) + sum(week.cut_short.values())
        slot.breaks += week.breaks_with_exercises
        slot.names.update(week.names)
    rows = []
    for (first, last), slot in sorted(sums.items()):
        most = ", ".join(
            translate("Report", "{name} ({times})").format(
                name=exercise_name(exercise, slot.names.get(exercise)), times=times
            )
            for exercise, times in slot.done.most_common(MOST_OFTEN)
        )
        rows.append(
            (
                period_text(first, last, period),
                str(sum(slot.done.values())),
                str(slot.breaks),
                str(slot.not_done),
                most or "—",
            )
        )
    return ReportSection(
        title=translate("Report", "Exercises in the breaks"),
        headers=(
            _header(period),
            translate("Report", "Done"),
            translate("Report", "Breaks with exercises"),
            translate("Report", "Passed over or cut short"),
            translate("Report", "Done most often"),
        ),
        rows=tuple(rows),
        note=translate(
            "Report",
            "Each exercise counts once each time it was done in a break's routine, by the "
            "name it had then.",
        ),
        widths=(28, 10, 16, 18, 28),
        numeric=(False, True, True, True, False),
    )
