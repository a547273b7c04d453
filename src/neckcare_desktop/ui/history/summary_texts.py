"""The History window's summary lines in words: the range's totals, the streak, and the
"Pain and habits" view's facts.

The numbers come from core (``core.history`` totals and habits, ``core.streaks``); this only
says them, in the person's language and with the locale's digit grouping. The totals line
says what the charts show, for everyone who cannot see them. The pain-and-habits lines say
each fact on its own: none of them relates pain to breaks or to ice and heat.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale, QObject, QTime

from neckcare_desktop.core.history import DaySummary
from neckcare_desktop.core.history.habits import HabitDays, Rounds, whole_minutes
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

    # ------------------------------------------------------------ pain and habits

    def day_text(self, day: date) -> str:
        """ "Tue 3 Mar" in the person's language."""
        return self._locale().toString(QDate(day.year, day.month, day.day), "ddd d MMM")

    def moment_text(self, at: datetime) -> str:
        """ "Tue 3 Mar 14:30", the local time as recorded."""
        moment = QDateTime(QDate(at.year, at.month, at.day), QTime(at.hour, at.minute))
        return self._locale().toString(moment, "ddd d MMM HH:mm")

    def pain_text(self, habits: HabitDays) -> str:
        """How much pain was logged, on how many days; the rest is said to be no data."""
        days = len(habits.days)
        values = [p.pain for p in habits.pain]
        if not values:
            return self.tr("Pain: none logged in these {days} days (no data).").format(days=days)
        with_pain = len({p.at.date() for p in habits.pain})
        if len(values) == 1:
            return self.tr(
                "Pain: 1 value logged, {pain} of 10, on 1 of {days} days; no pain logged "
                "(no data) on {without} days."
            ).format(pain=values[0], days=days, without=days - 1)
        return self.tr(
            "Pain: {n} values logged on {with_pain} of {days} days, from {low} to {high} "
            "of 10; no pain logged (no data) on {without} days."
        ).format(
            n=self._number(len(values)),
            with_pain=with_pain,
            days=days,
            low=min(values),
            high=max(values),
            without=days - with_pain,
        )

    def adherence_text(self, habits: HabitDays) -> str:
        """Breaks taken of breaks due over the range, and the days with none recorded."""
        days = len(habits.days)
        if not habits.adherence:
            return self.tr("Breaks: none recorded in these {days} days (no data).").format(
                days=days
            )
        taken = sum(a.taken for a in habits.adherence.values())
        due = sum(a.due for a in habits.adherence.values())
        return self.tr(
            "Breaks: {taken} taken of {due} due, on {with_breaks} days; no breaks recorded "
            "(no data) on {without} days."
        ).format(
            taken=self._number(taken),
            due=self._number(due),
            with_breaks=len(habits.adherence),
            without=days - len(habits.adherence),
        )

    def rounds_text(self, habits: HabitDays) -> str:
        """Ice and heat rounds and minutes over the range."""
        ice = self._sum_rounds(habits, "ice")
        heat = self._sum_rounds(habits, "heat")
        n, m = self._number, self._number
        if ice.number == 0:
            ice_text = self.tr("Ice: none.")
        elif ice.number == 1:
            ice_text = self.tr("Ice: 1 round, {minutes} min.").format(minutes=m(ice.minutes))
        else:
            ice_text = self.tr("Ice: {n} rounds, {minutes} min.").format(
                n=n(ice.number), minutes=m(ice.minutes)
            )
        if heat.number == 0:
            heat_text = self.tr("Heat: none.")
        elif heat.number == 1:
            heat_text = self.tr("Heat: 1 round, {minutes} min.").format(minutes=m(heat.minutes))
        else:
            heat_text = self.tr("Heat: {n} rounds, {minutes} min.").format(
                n=n(heat.number), minutes=m(heat.minutes)
            )
        return f"{ice_text} {heat_text}"

    def habit_day_text(self, habits: HabitDays, day: date) -> str:
        """One day's facts side by side: pain values, breaks, rounds (tooltips, summary)."""
        pain = habits.pain_on(day)
        parts = [
            self.tr("pain {values}").format(values=", ".join(map(str, pain)))
            if pain
            else self.tr("no pain logged")
        ]
        breaks = habits.adherence.get(day)
        parts.append(
            self.tr("{taken} of {due} breaks taken").format(taken=breaks.taken, due=breaks.due)
            if breaks is not None
            else self.tr("no breaks recorded")
        )
        rounds = habits.rounds.get(day, {})
        none = Rounds(0, 0)
        parts.append(self._ice_phrase(rounds.get("ice", none)))
        parts.append(self._heat_phrase(rounds.get("heat", none)))
        return self.tr("{day}: {facts}").format(day=self.day_text(day), facts="; ".join(parts))

    def habits_summary(self, habits: HabitDays) -> str:
        """The whole view in words, for screen readers: the three lines, then each day
        with pain logged, with that day's other facts beside it."""
        lines = [
            self.tr("Last {days} days.").format(days=len(habits.days)),
            self.pain_text(habits),
            self.adherence_text(habits),
            self.rounds_text(habits),
        ]
        pain_days = sorted({p.at.date() for p in habits.pain})
        lines.extend(self.habit_day_text(habits, day) + "." for day in pain_days)
        return "\n".join(lines)

    def _ice_phrase(self, r: Rounds) -> str:
        if r.number == 0:
            return self.tr("no ice")
        if r.number == 1:
            return self.tr("ice 1 round ({minutes} min)").format(minutes=r.minutes)
        return self.tr("ice {n} rounds ({minutes} min)").format(n=r.number, minutes=r.minutes)

    def _heat_phrase(self, r: Rounds) -> str:
        if r.number == 0:
            return self.tr("no heat")
        if r.number == 1:
            return self.tr("heat 1 round ({minutes} min)").format(minutes=r.minutes)
        return self.tr("heat {n} rounds ({minutes} min)").format(n=r.number, minutes=r.minutes)

    @staticmethod
    def _sum_rounds(habits: HabitDays, subject: str) -> Rounds:
        days = [r[subject] for r in habits.rounds.values()]
        seconds = sum(r.seconds for r in days)
        # Rounded once, like the totals line, not the sum of rounded days.
        return Rounds(sum(r.number for r in days), whole_minutes(seconds), seconds)

    def _number(self, n: int) -> str:
        return self._locale().toString(n)
