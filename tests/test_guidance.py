"""Phase guidance, "when to see someone" and "seek care promptly": the rules at their
edges, the messages, and the app showing them (a red flag even with suggestions off)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel

from conftest import TEST_TZ
from neckcare_desktop.core import guidance
from neckcare_desktop.core.history import Episode, PainUpdate
from neckcare_desktop.core.spasm_vocabulary import RED_FLAGS, WARNING_SIGNS
from neckcare_desktop.ui.see_someone import SeekCareMessage, SeeSomeoneMessage
from neckcare_desktop.window_registry import SEE_SOMEONE, SPASM

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=TEST_TZ)


def episode(
    started_ago: timedelta,
    *,
    resolved_ago: timedelta | None = None,
    warning_signs: tuple[str, ...] = (),
    id_: int = 1,
    pain_after: tuple[tuple[timedelta, int], ...] = (),
) -> Episode:
    """An episode that started ``started_ago``, with a pain score each ``(after, pain)``
    logged ``after`` its start."""
    started_at = NOW - started_ago
    return Episode(
        id=id_,
        started_at=started_at,
        pain=6,
        triggers=(),
        warning_signs=warning_signs,
        note=None,
        resolved_at=None if resolved_ago is None else NOW - resolved_ago,
        updates=tuple(
            PainUpdate(id=i, at=started_at + after, pain=pain)
            for i, (after, pain) in enumerate(pain_after)
        ),
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
    assert guidance.status_line("acute") == "acute phase: ice, about 10 min a round (never over 20)"
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
    assert "physiotherapist" in reason


def test_two_episodes_in_30_days_are_not() -> None:
    recent = _resolved(timedelta(days=1), timedelta(days=10))
    assert guidance.see_someone_reasons(recent, [], NOW) == []


def test_the_30_day_window_is_inclusive_and_enforced() -> None:
    at_edge = _resolved(timedelta(days=1), timedelta(days=2), timedelta(days=30))
    assert len(guidance.see_someone_reasons(at_edge, [], NOW)) == 1
    # A caller passing a slightly wider list still gets the documented rule.
    past_edge = _resolved(timedelta(days=1), timedelta(days=2), timedelta(days=30, minutes=1))
    assert guidance.see_someone_reasons(past_edge, [], NOW) == []


# -- pain that lasts 4 weeks (NICE CKS: over about 4 weeks, see a physiotherapist)

FOUR_WEEKS = timedelta(days=28)
JUST_UNDER = FOUR_WEEKS - timedelta(hours=1)  # 27 days 23 hours


def test_a_spasm_still_open_after_exactly_28_days_is_a_reason() -> None:
    open_4_weeks = episode(FOUR_WEEKS)
    (reason,) = guidance.see_someone_reasons([open_4_weeks], [open_4_weeks], NOW)
    assert "started on 2 Feb 2026" in reason
    assert "not been marked as resolved after 28 days" in reason
    assert "physiotherapist" in reason
    assert "4 weeks" in reason


@pytest.mark.parametrize("ago", [JUST_UNDER, FOUR_WEEKS - timedelta(seconds=1), timedelta(days=7)])
def test_a_spasm_open_for_less_than_28_days_is_not_yet(ago: timedelta) -> None:
    almost = episode(ago)
    assert guidance.see_someone_reasons([almost], [almost], NOW) == []


def test_the_oldest_long_spasm_is_the_one_named() -> None:
    older, newer = episode(timedelta(days=40), id_=1), episode(timedelta(days=29), id_=2)
    (reason,) = guidance.see_someone_reasons([], [newer, older], NOW)
    assert "40 days" in reason


def test_pain_logged_exactly_28_days_after_the_start_counts_even_once_resolved() -> None:
    resolved_later = episode(
        timedelta(days=29),
        resolved_ago=timedelta(hours=2),
        pain_after=((timedelta(days=3), 5), (FOUR_WEEKS, 3)),
    )
    (reason,) = guidance.see_someone_reasons([resolved_later], [], NOW)
    assert "started on 1 Feb 2026 still had pain logged 28 days later" in reason
    assert "physiotherapist" in reason


def test_pain_logged_27_days_23_hours_after_the_start_does_not() -> None:
    resolved = episode(
        timedelta(days=29), resolved_ago=timedelta(hours=2), pain_after=((JUST_UNDER, 4),)
    )
    assert guidance.see_someone_reasons([resolved], [], NOW) == []


def test_a_late_score_of_0_is_no_pain() -> None:
    resolved = episode(
        timedelta(days=29), resolved_ago=timedelta(hours=2), pain_after=((FOUR_WEEKS, 0),)
    )
    assert guidance.see_someone_reasons([resolved], [], NOW) == []


@pytest.mark.parametrize(
    ("logged_ago", "counts"),
    [(timedelta(days=30), True), (timedelta(days=30, minutes=1), False)],
)
def test_late_pain_of_a_resolved_spasm_counts_for_30_days(
    logged_ago: timedelta, counts: bool
) -> None:
    """One long spasm does not bring the suggestion back for ever."""
    long_ago = episode(
        FOUR_WEEKS + logged_ago,
        resolved_ago=logged_ago - timedelta(minutes=1),
        pain_after=((FOUR_WEEKS, 6),),
    )
    assert bool(guidance.see_someone_reasons([long_ago], [], NOW)) is counts


def test_an_open_long_spasm_with_late_pain_is_one_reason_not_two() -> None:
    both = episode(timedelta(days=35), pain_after=((timedelta(days=30), 5),))
    (reason,) = guidance.see_someone_reasons([both], [both], NOW)
    assert "35 days" in reason


def test_an_old_episode_that_was_resolved_is_not_a_reason() -> None:
    done = episode(timedelta(days=40), resolved_ago=timedelta(days=3))
    assert guidance.see_someone_reasons([done], [done], NOW) == []


# -- warning signs: calm ones are reasons, red flags are not (they say "promptly")


@pytest.mark.parametrize(
    ("signs", "words"),
    [
        (["headache"], "You noted headache with"),
        (["dizziness", "vision_changes"], "dizziness and changes in vision"),
        (
            ["arm_numbness_tingling", "headache", "dizziness"],
            "headache, dizziness and numbness or tingling in the arms",
        ),
        (["fever_stiff_neck", "dizziness"], "You noted dizziness with"),
    ],
)
def test_a_calm_warning_sign_is_a_reason(signs: list[str], words: str) -> None:
    (reason,) = guidance.see_someone_reasons([], [], NOW, signs)
    assert words in reason
    assert "healthcare professional" in reason


@pytest.mark.parametrize("flag", sorted(RED_FLAGS))
def test_a_red_flag_is_not_a_calm_reason(flag: str) -> None:
    assert guidance.see_someone_reasons([], [], NOW, [flag]) == []


@pytest.mark.expect_log("neckcare_desktop.core.guidance", logging.WARNING, r"unknown warning signs")
def test_unknown_warning_signs_are_ignored() -> None:
    assert guidance.see_someone_reasons([], [], NOW, ["fever"]) == []
    assert guidance.seek_care_promptly(["fever"]) is None


def test_all_reasons_together_in_a_stable_order() -> None:
    long_open = episode(timedelta(days=29), id_=9)
    recent = [*_resolved(timedelta(days=1), timedelta(days=2)), long_open]
    reasons = guidance.see_someone_reasons(recent, [long_open], NOW, ["headache"])
    assert len(reasons) == 3
    assert "last 30 days" in reasons[0]
    assert "29 days" in reasons[1]
    assert "headache" in reasons[2]


def test_wording_is_calm_and_names_no_clinic() -> None:
    long_open = episode(timedelta(days=29))
    recent = [*_resolved(timedelta(days=1), timedelta(days=2)), long_open]
    text = " ".join(guidance.see_someone_reasons(recent, [long_open], NOW, ["dizziness"])).lower()
    for alarming in ("urgent", "emergency", "immediately", "promptly", "danger", "!"):
        assert alarming not in text
    # A physiotherapist is a profession the evidence names, not a clinic or a brand.
    for named in ("clinic", "hospital", "chiropract", "massage", "osteopath"):
        assert named not in text


# ----------------------------------------------------------------------------- seek care


@pytest.mark.parametrize(
    ("flag", "label"),
    [
        ("fever_stiff_neck", "Fever with a stiff neck"),
        ("severe_headache", "A severe or unusual headache"),
        ("arm_weakness", "Weakness or numbness in an arm"),
    ],
)
def test_each_red_flag_says_to_get_care_promptly(flag: str, label: str) -> None:
    assert WARNING_SIGNS[flag] == label
    assert guidance.seek_care_promptly([flag]) == (
        f"{label} is a reason to get medical care promptly — today, not at your next appointment."
    )


def test_the_red_flags_are_the_three_new_signs_and_the_old_keys_stay() -> None:
    assert {"fever_stiff_neck", "severe_headache", "arm_weakness"} == RED_FLAGS
    assert list(WARNING_SIGNS)[:4] == [
        "headache",
        "dizziness",
        "vision_changes",
        "arm_numbness_tingling",
    ]


@pytest.mark.parametrize(
    "signs", [[], ["headache"], ["dizziness", "vision_changes", "arm_numbness_tingling"]]
)
def test_calm_signs_alone_say_nothing_about_promptly(signs: list[str]) -> None:
    assert guidance.seek_care_promptly(signs) is None


def test_several_red_flags_in_one_sentence_in_vocabulary_order() -> None:
    advice = guidance.seek_care_promptly(["arm_weakness", "headache", "fever_stiff_neck"])
    assert advice == (
        "Fever with a stiff neck and weakness or numbness in an arm: each of these is a reason "
        "to get medical care promptly — today, not at your next appointment."
    )
    every = guidance.seek_care_promptly(sorted(RED_FLAGS))
    assert every is not None
    assert every.startswith(
        "Fever with a stiff neck, a severe or unusual headache and weakness or numbness in an arm:"
    )


def test_seek_care_is_plain_not_alarming_and_diagnoses_nothing() -> None:
    text = (guidance.seek_care_promptly(sorted(RED_FLAGS)) or "").lower()
    assert "promptly" in text and "today" in text
    for word in ("emergency", "danger", "!", "meningitis", "stroke", "clinic", "hospital"):
        assert word not in text


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


ADVICE = (
    "Fever with a stiff neck is a reason to get medical care promptly — today, not at your next "
    "appointment."
)


@pytest.fixture
def seek_care(qtbot) -> SeekCareMessage:
    m = SeekCareMessage(ADVICE)
    qtbot.addWidget(m)
    m.show()
    qtbot.waitExposed(m)
    return m


def test_seek_care_message_is_unmistakable_and_cannot_be_switched_off(
    seek_care: SeekCareMessage,
) -> None:
    assert seek_care.isWindow() and not seek_care.isModal()
    assert seek_care.heading.text() == "Please get medical care promptly"
    assert seek_care.advice_label.text() == ADVICE
    assert seek_care.advice_label.font().bold()
    assert "suggestion" not in seek_care.heading.text().lower()  # not the calm note's heading
    assert not hasattr(seek_care, "dont_show_box")
    texts = " ".join(label.text() for label in seek_care.findChildren(QLabel)).lower()
    for word in ("emergency", "danger", "!", "clinic", "hospital"):
        assert word not in texts


def test_seek_care_message_closes_with_escape_or_its_button(
    seek_care: SeekCareMessage, qtbot
) -> None:
    qtbot.keyClick(seek_care, Qt.Key.Key_Escape)
    assert not seek_care.isVisible()
    seek_care.show()
    qtbot.mouseClick(seek_care.close_button, Qt.MouseButton.LeftButton)
    assert not seek_care.isVisible()
    for widget in (seek_care, seek_care.heading, seek_care.advice_label, seek_care.close_button):
        assert widget.accessibleName(), widget


# ----------------------------------------------------------------------------- in the app


def _seek_care_windows(app) -> list[SeekCareMessage]:
    """The app's visible "seek care" messages (its own window kind, beside the calm one)."""
    shown = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, SeekCareMessage) and w.isVisible() and w is app.windows.get("seek_care")
    ]
    return shown


def _tick(qtbot, box: QCheckBox) -> None:
    """A click on the box itself: a short label leaves the middle of its cell unclickable."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def _log_in_the_form(app, qtbot, *signs: str) -> None:
    app.actions.log_spasm.trigger()
    form = app.windows.get(SPASM)
    form.pain.set_value(6)
    for key in signs:
        _tick(qtbot, form.sign_boxes[key])
    with qtbot.waitSignal(form.saved, timeout=1000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("see_someone", [True, False])
def test_a_red_flag_brings_the_seek_care_message_whatever_the_setting(
    make_app, qtbot, see_someone: bool
) -> None:
    app = make_app(guidance={"see_someone": see_someone})
    _log_in_the_form(app, qtbot, "severe_headache")
    qtbot.waitUntil(lambda: len(_seek_care_windows(app)) == 1, timeout=2000)
    (message,) = _seek_care_windows(app)
    assert message.advice_label.text().startswith(
        "A severe or unusual headache is a reason to get medical care promptly"
    )
    assert app.windows.get(SEE_SOMEONE) is None  # a red flag is not a calm reason


def test_with_suggestions_off_a_calm_sign_and_a_red_flag_bring_only_the_red_flag(
    make_app, qtbot
) -> None:
    app = make_app(guidance={"see_someone": False})
    for days in (20, 10):  # with this one, 3 in 30 days: a calm reason, switched off
        now = app.clock.now()
        app.history.log_episode(now - timedelta(days=days), 5, (), (), None, now)
    _log_in_the_form(app, qtbot, "dizziness", "arm_weakness")
    qtbot.waitUntil(lambda: len(_seek_care_windows(app)) == 1, timeout=2000)
    assert app.windows.get(SEE_SOMEONE) is None


def test_with_suggestions_on_both_messages_stand_side_by_side(make_app, qtbot) -> None:
    app = make_app()
    _log_in_the_form(app, qtbot, "dizziness", "fever_stiff_neck")
    qtbot.waitUntil(lambda: len(_seek_care_windows(app)) == 1, timeout=2000)
    calm = app.windows.get(SEE_SOMEONE)
    assert calm is not None and calm.isVisible()
    assert [r for r in calm.reasons if "fever" in r.lower()] == []
    assert any("dizziness" in r for r in calm.reasons)
    # Shown last, down and right of the calm one: neither hides the other.
    (urgent,) = _seek_care_windows(app)
    assert urgent.pos() != calm.pos()
    assert urgent.close_button.hasFocus() or urgent.close_button.isDefault()


def test_a_new_pain_score_does_not_repeat_the_seek_care_message(make_app, qtbot) -> None:
    """Said when the sign is ticked; not again at every update, nor when it is resolved."""
    app = make_app(guidance={"see_someone": False})
    _log_in_the_form(app, qtbot, "arm_weakness")
    qtbot.waitUntil(lambda: len(_seek_care_windows(app)) == 1, timeout=2000)
    _seek_care_windows(app)[0].close()
    qtbot.waitUntil(lambda: _seek_care_windows(app) == [], timeout=2000)
    app.actions.update_spasm.trigger()
    form = app.windows.get(SPASM)
    form.pain.set_value(3)
    with qtbot.waitSignal(form.saved, timeout=1000):
        form.save()
    assert _seek_care_windows(app) == []
