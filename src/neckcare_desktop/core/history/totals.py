"""A range's totals, from the daily summaries: one sum for the History window and the CLI.

``neckcare history`` without a running app once counted rows its own way and left out
breaks taken while away and spasms; both now add up the same :class:`DaySummary` rows
the window's charts come from, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from neckcare_desktop.core.history.habits import whole_minutes
from neckcare_desktop.core.history.queries import DaySummary

__all__ = ["RangeTotals", "range_totals", "whole_minutes"]


@dataclass(frozen=True)
class RangeTotals:
    days: int
    completed: int
    natural: int
    postponed: int
    skipped: int
    ice_seconds: int
    heat_seconds: int
    episodes: int
    #: The worst pain of the spasms that started in the range, or None without any.
    worst_pain: int | None

    @property
    def taken(self) -> int:
        """Breaks that happened: completed (shortened ones included) and while away."""
        return self.completed + self.natural

    @property
    def ice_minutes(self) -> int:
        return whole_minutes(self.ice_seconds)

    @property
    def heat_minutes(self) -> int:
        return whole_minutes(self.heat_seconds)


def range_totals(summaries: Sequence[DaySummary]) -> RangeTotals:
    return RangeTotals(
        days=len(summaries),
        completed=sum(s.completed for s in summaries),
        natural=sum(s.natural for s in summaries),
        postponed=sum(s.postponed for s in summaries),
        skipped=sum(s.skipped for s in summaries),
        ice_seconds=sum(s.ice_seconds for s in summaries),
        heat_seconds=sum(s.heat_seconds for s in summaries),
        episodes=sum(s.episodes for s in summaries),
        worst_pain=max((s.max_pain for s in summaries if s.max_pain is not None), default=None),
    )
