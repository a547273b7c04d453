"""The History window's summary lines in words: the range's totals and the streak.

The numbers come from core (``core.history`` totals, ``core.streaks``); this only says them,
in the person's language and with the locale's digit grouping. The totals line says what
the charts show, for everyone who cannot see them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QLocale, QObject

from neckcare_desktop.core.history import DaySummary
from neckcare_desktop.core.history.totals import range_totals
from neckcare_desktop.core.streaks import Streak


class SummaryTexts(QObject):
    """Says totals and streaks; ``locale`` is asked at each call (it may change)."""

    def __init__(self, locale: Callable[[], QLocale], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._locale = locale

    def totals_text(self, summaries: Sequence[DaySummary]) -> str:
        """One line with the range's totals (the sums ``neckcare history`` prints too)."""
        t = range_totals(summaries)
        completed, natural, taken = t.completed, t.natural, t.taken
        postponed, skipped, episodes, worst = t.postponed, t.skipped, t.episodes, t.worst_pain
        n = self._number
        breaks = (
            self.tr("1 break taken")
            if taken == 1
            else self.tr("{n} breaks taken").format(n=n(taken))
        )
        breaks += " " + self.tr("({completed} completed, {natural} while away)").format(
            completed=n(completed), natural=n(natural)
        )
        parts = [
            breaks,
            self.tr("{n} postponed").format(n=n(postponed)),
            self.tr("{n} skipped").format(n=n(skipped)),
        ]
        care = [
            self.tr("Ice {minutes} min").format(minutes=n(t.ice_minutes)),
            self.tr("Heat {minutes} min").format(minutes=n(t.heat_minutes)),
        ]
        if episodes == 0:
            spasms = self.tr("no spasms logged")
        elif episodes == 1:
            spasms = self.tr("1 spasm (pain {pain})").format(pain=worst)
        else:
            spasms = self.tr("{n} spasms (worst pain {pain})").format(n=n(episodes), pain=worst)
        head = self.tr("Last {days} days:").format(days=len(summaries))
        return f"{head} {', '.join(parts)} · {' · '.join(care)} · {spasms}"

    def streak_text(self, streak: Streak) -> str:
        """The run in words; a run over days off is said to be one of working days."""
        days, goal = streak.days, streak.goal
        if days == 0:
            return self.tr("No streak yet: a day with at least {goal} breaks starts one.").format(
                goal=goal
            )
        if streak.working_days:
            if days == 1:
                text = self.tr("1 working day in a row with at least {goal} breaks")
            else:
                text = self.tr("{n} working days in a row with at least {goal} breaks")
        elif days == 1:
            text = self.tr("1 day in a row with at least {goal} breaks")
        else:
            text = self.tr("{n} days in a row with at least {goal} breaks")
        return text.format(n=self._number(days), goal=goal)

    def _number(self, n: int) -> str:
        return self._locale().toString(n)
