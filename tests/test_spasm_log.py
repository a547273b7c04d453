"""core.spasm_log: the spasm intents write the history and answer with an event."""

from __future__ import annotations

from datetime import timedelta

import pytest

from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.spasm_log import (
    LogSpasm,
    ResolveSpasm,
    SpasmLog,
    SpasmNotSaved,
    UpdatePain,
)


@pytest.fixture
def spasms(store: HistoryStore, clock: ManualClock) -> SpasmLog:
    return SpasmLog(store, clock.now)


def test_logging_a_spasm_stores_it_and_says_what_was_ticked(
    spasms: SpasmLog, store: HistoryStore, clock: ManualClock
) -> None:
    started = clock.now() - timedelta(hours=2)
    saved = spasms.handle(LogSpasm(started, 6, ("stress",), ("headache",), "woke up with it"))
    assert saved.episode.started_at == started
    assert saved.episode.note == "woke up with it"
    assert saved.warning_signs == ("headache",)
    assert not saved.resolved
    assert store.open_episodes() == [saved.episode]
    assert store.last_event(EventKind.SPASM_LOGGED).episode_id == saved.episode.id


def test_a_new_pain_score_then_resolving_with_one(
    spasms: SpasmLog, store: HistoryStore, clock: ManualClock
) -> None:
    episode = spasms.handle(LogSpasm(clock.now(), 6)).episode
    clock.advance(timedelta(hours=1))
    assert spasms.handle(UpdatePain(episode.id, 4)).episode.latest_pain == 4
    clock.advance(timedelta(hours=1))
    saved = spasms.handle(ResolveSpasm(episode.id, pain=1))
    assert saved.resolved
    assert saved.episode.resolved_at == clock.now()
    assert saved.episode.latest_pain == 1  # the typed score was saved first
    assert store.open_episodes() == []


def test_warning_signs_are_reported_when_ticked_not_again_at_updates(
    spasms: SpasmLog, clock: ManualClock
) -> None:
    """A red flag says "seek care promptly" once, when ticked: a later pain score or
    marking the spasm resolved does not bring it (or the calm reason) back."""
    logged = spasms.handle(LogSpasm(clock.now(), 6, (), ("fever_stiff_neck", "headache")))
    assert logged.warning_signs == ("headache", "fever_stiff_neck")
    clock.advance(timedelta(hours=1))
    updated = spasms.handle(UpdatePain(logged.episode.id, 5))
    assert updated.warning_signs == ()
    assert updated.episode.warning_signs == ("headache", "fever_stiff_neck")  # still stored
    clock.advance(timedelta(hours=1))
    assert spasms.handle(ResolveSpasm(logged.episode.id, pain=2)).warning_signs == ()


def test_refusals_say_why_and_store_nothing(
    spasms: SpasmLog, store: HistoryStore, clock: ManualClock
) -> None:
    with pytest.raises(SpasmNotSaved, match="future"):
        spasms.handle(LogSpasm(clock.now() + timedelta(hours=1), 5))
    assert store.open_episodes() == []
    store.close()
    with pytest.raises(SpasmNotSaved, match="closed"):
        spasms.handle(LogSpasm(clock.now(), 5))
