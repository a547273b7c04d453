"""Phase guidance and "when to see someone": the rules at their edges, and the message."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from conftest import TEST_TZ
from neckcare_desktop.core import guidance
from neckcare_desktop.core.history import Episode
from neckcare_desktop.ui.see_someone import SeeSomeoneMessage

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=TEST_TZ)


def episode(
    started_ago: timedelta,
    *,
    resolved_ago: timedelta | None = None,
    warning_signs: tuple[str, ...] = (),
    id_: int = 1,
) -> Episode:
    return Episode(
        id=id_,
        started_at=NOW - started_ago,
        pain=6,
        triggers=(),
        warning_signs=warning_signs,
        note=None,
        resolved_at=None if resolved_ago is None else NOW - resolved_ago,
    )


# ----------------------------------------------------------------------------- phase


def test_no_episode_means_no_phase() -> None:
    assert guidance.phase(None, NOW) is None
    assert guidance.status_line(None) is None
    assert guidance.prefer_ice(None) is False


@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        (timedelta(0), "acute"),
        (timedelta(hours=47, minutes=59), "acute"),
        (timedelta(hours=47, minutes=59, seconds=59), "acute"),
        (timedelta(hours=48), "lingering"),
        (timedelta(days=20), "lingering"),
        (-timedelta(minutes=5), "acute"),  # a clock set back: treated as just started
    ],
)
def test_phase_boundary_is_48_hours(ago: timedelta, expected: str) -> None:
    assert guidance.phase(episode(ago), NOW) == expected


def test_a_resolved_episode_has_no_phase() -> None:
    assert guidance.phase(episode(timedelta(hours=3), resolved_ago=timedelta(hours=1)), NOW) is None


def test_status_lines_and_preference() -> None:
    assert guidance.status_line("acute") == "acute phase: ice, max 20 min a round"
    assert guidance.status_line("lingering") == "lingering tension: gentle heat may help"
    assert guidance.prefer_ice("acute") is True
    assert guidance.prefer_ice("lingering") is False


# ----------------------------------------------------------------------------- see someone


def _resolved(*agos: timedelta) -> list[Episode]:
    return [
        episode(ago, resolved_ago=ago - timedelta(hours=1), id_=i) for i, ago in enumerate(agos)
    ]


def test_exactly_three_episodes_in_30_days_is_a_reason() -> None:
    recent = _resolved(timedelta(days=1), timedelta(days=10), timedelta(days=29))
    (reason,) = guidance.see_someone_reasons(recent, [], NOW)
    assert "3 neck spasms in the last 30 days" in reason


def test_two_episodes_in_30_days_are_not() -> None:
    recent = _resolved(timedelta(days=1), timedelta(days=10))
    assert guidance.see_someone_reasons(recent, [], NOW) == []


def test_the_30_day_window_is_inclusive_and_enforced() -> None:
    at_edge = _resolved(timedelta(days=1), timedelta(days=2), timedelta(days=30))
    assert len(guidance.see_someone_reasons(at_edge, [], NOW)) == 1
    # A caller passing a slightly wider list still gets the documented rule.
    past_edge = _resolved(timedelta(days=1), timedelta(days=2), timedelta(days=30, minutes=1))
    assert guidance.see_someone_reasons(past_edge, [], NOW) == []


def test_an_episode_unresolved_for_7_days_is_a_reason() -> None:
    open_week = episode(timedelta(days=7))
    (reason,) = guidance.see_someone_reasons([open_week], [open_week], NOW)
    assert "23 Feb 2026" in reason
    assert "7 days" in reason


def test_six_days_23_hours_unresolved_is_not_yet() -> None:
    almost = episode(timedelta(days=7) - timedelta(minutes=1))
    assert guidance.see_someone_reasons([almost], [almost], NOW) == []


def test_an_old_episode_that_was_resolved_is_not_a_reason() -> None:
    done = episode(timedelta(days=12), resolved_ago=timedelta(days=3))
    assert guidance.see_someone_reasons([], [done], NOW) == []


@pytest.mark.parametrize(
    ("signs", "words"),
    [
        (["headache"], "You noted headache with"),
        (["dizziness", "vision_changes"], "dizziness and changes in vision"),
        (
            ["arm_numbness_tingling", "headache", "dizziness"],
            "headache, dizziness and numbness or tingling in the arms",
        ),
    ],
)
def test_a_warning_sign_is_a_reason(signs: list[str], words: str) -> None:
    (reason,) = guidance.see_someone_reasons([], [], NOW, signs)
    assert words in reason


@pytest.mark.expect_log("neckcare_desktop.core.guidance", logging.WARNING, r"unknown warning signs")
def test_unknown_warning_signs_are_ignored() -> None:
    assert guidance.see_someone_reasons([], [], NOW, ["fever"]) == []


def test_all_reasons_together_in_a_stable_order() -> None:
    long_open = episode(timedelta(days=9), id_=9)
    recent = [*_resolved(timedelta(days=1), timedelta(days=2)), long_open]
    reasons = guidance.see_someone_reasons(recent, [long_open], NOW, ["headache"])
    assert len(reasons) == 3
    assert "last 30 days" in reasons[0]
    assert "9 days" in reasons[1]
    assert "headache" in reasons[2]


def test_wording_is_calm_and_names_no_clinic() -> None:
    long_open = episode(timedelta(days=9))
    recent = [*_resolved(timedelta(days=1), timedelta(days=2)), long_open]
    text = " ".join(guidance.see_someone_reasons(recent, [long_open], NOW, ["dizziness"])).lower()
    for alarming in ("urgent", "emergency", "immediately", "danger", "!"):
        assert alarming not in text
    for named in ("clinic", "hospital", "chiropract", "physio", "massage"):
        assert named not in text


# ----------------------------------------------------------------------------- message


REASONS = ["You have logged 3 neck spasms in the last 30 days.", "You noted dizziness."]


@pytest.fixture
def message(qtbot) -> SeeSomeoneMessage:
    m = SeeSomeoneMessage(REASONS)
    qtbot.addWidget(m)
    m.show()
    qtbot.waitExposed(m)
    return m


def test_message_says_why_once_and_is_not_an_alarm(message: SeeSomeoneMessage) -> None:
    assert message.isWindow()
    assert not message.isModal()
    assert not message.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert [label.text() for label in message.reason_labels] == [f"•  {r}" for r in REASONS]
    assert "healthcare professional" in message.heading.text()
    assert "not an alarm" in message.intro.text()
    assert message.dont_show_box.text().replace("&", "") == "Don't show these suggestions"


def test_close_with_box_ticked_asks_once_not_to_show_again(
    message: SeeSomeoneMessage, qtbot
) -> None:
    message.dont_show_box.setChecked(True)
    with qtbot.waitSignal(message.dont_show_again, timeout=1000):
        qtbot.mouseClick(message.close_button, Qt.MouseButton.LeftButton)
    assert not message.isVisible()
    with qtbot.assertNotEmitted(message.dont_show_again):
        message.show()
        message.close()


def test_close_without_box_is_only_a_close(message: SeeSomeoneMessage, qtbot) -> None:
    with qtbot.assertNotEmitted(message.dont_show_again):
        qtbot.keyClick(message, Qt.Key.Key_Escape)
    assert not message.isVisible()


def test_message_controls_have_accessible_names(message: SeeSomeoneMessage) -> None:
    for widget in (message, message.dont_show_box, message.close_button, *message.reason_labels):
        assert widget.accessibleName(), widget
