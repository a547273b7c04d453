"""The spasm log dialog: quick to fill in, problems explained inline, saved to the store."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QDate, QDateTime, QLocale, QPoint, Qt, QTime
from PySide6.QtWidgets import QLabel, QMessageBox

from neckcare_desktop.core.clock import ManualClock
from neckcare_desktop.core.history import EventKind, HistoryStore
from neckcare_desktop.core.spasm_log import SpasmIntent, SpasmLog, SpasmNotSaved
from neckcare_desktop.ui.spasm_dialog import START_NOW, SpasmDialog

ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


@pytest.fixture(autouse=True)
def _no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems must be shown inline; a message box would fail the test, not block it."""

    def refuse(*args, **kwargs):
        raise AssertionError("the spasm dialog must not open a message box")

    for name in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, refuse)


def _answer_through_core(dialog: SpasmDialog, store: HistoryStore, clock: ManualClock) -> None:
    """What the app does with the dialog's intents: core's spasm log writes, the dialog is
    told how it went (the dialog itself writes nothing)."""
    spasms = SpasmLog(store, clock.now)

    def answer(intent: SpasmIntent) -> None:
        try:
            saved = spasms.handle(intent)
        except SpasmNotSaved as exc:
            dialog.show_not_saved(str(exc))
            return
        dialog.show_saved(saved)

    dialog.submitted.connect(answer)


@pytest.fixture
def dialog(qtbot, store: HistoryStore, clock: ManualClock) -> SpasmDialog:
    d = SpasmDialog(store, clock.now)
    _answer_through_core(d, store, clock)
    d.setLocale(ENGLISH)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def _save(dialog: SpasmDialog, qtbot) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def _type_pain(dialog: SpasmDialog, qtbot, text: str) -> None:
    dialog.pain.edit.clear()
    qtbot.keyClicks(dialog.pain.edit, text)


def _shown(label: QLabel) -> str:
    """The inline message, or "" when the label is hidden."""
    return label.text() if label.isVisibleTo(label.window()) else ""


# ----------------------------------------------------------------------------- opening


def test_dialog_is_non_modal_and_ready_for_a_quick_entry(dialog: SpasmDialog) -> None:
    assert not dialog.isModal()
    assert dialog.windowTitle() == "Log a neck spasm — NeckCare"
    assert dialog.start_choice() == START_NOW
    assert dialog.pain.text() == ""
    assert not any(b.isChecked() for b in dialog.trigger_boxes.values())
    assert not any(b.isChecked() for b in dialog.sign_boxes.values())
    assert _shown(dialog.pain_error) == _shown(dialog.start_error) == ""
    assert len(dialog.trigger_boxes) == 7
    assert [b.text() for b in dialog.sign_boxes.values()] == [
        "Headache",
        "Dizziness",
        "Changes in vision",
        "Numbness or tingling in the arms",
        "Fever with a stiff neck",
        "A severe or unusual headache",
        "Weakness or numbness in an arm",
    ]
    assert _shown(dialog.seek_care_label) == ""


def test_controls_have_accessible_names(dialog: SpasmDialog) -> None:
    widgets = [
        dialog,
        dialog.now_radio,
        dialog.today_radio,
        dialog.yesterday_radio,
        dialog.on_radio,
        dialog.today_time,
        dialog.yesterday_time,
        dialog.on_datetime,
        dialog.pain.slider,
        dialog.pain.edit,
        dialog.note_edit,
        dialog.save_button,
        dialog.cancel_button,
        dialog.pain_error,
        dialog.start_error,
        *dialog.trigger_boxes.values(),
        *dialog.sign_boxes.values(),
    ]
    for widget in widgets:
        assert widget.accessibleName(), widget


def test_escape_closes_without_saving(dialog: SpasmDialog, store: HistoryStore, qtbot) -> None:
    with qtbot.assertNotEmitted(dialog.saved):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert store.open_episodes() == []


def test_slider_and_text_follow_each_other(dialog: SpasmDialog, qtbot) -> None:
    dialog.pain.slider.setValue(7)
    assert dialog.pain.text() == "7"
    assert dialog.pain.meaning.text() == "severe"
    _type_pain(dialog, qtbot, "3")
    assert dialog.pain.slider.value() == 3
    assert dialog.pain.meaning.text() == "mild"
    _type_pain(dialog, qtbot, "0")
    assert dialog.pain.meaning.text() == "no pain"


# ----------------------------------------------------------------------------- validation


def test_empty_pain_is_explained_inline(dialog: SpasmDialog, store: HistoryStore, qtbot) -> None:
    with qtbot.assertNotEmitted(dialog.saved):
        _save(dialog, qtbot)

    assert dialog.isVisible()
    assert _shown(dialog.pain_error) == (
        "Choose how strong the pain is, from 0 (no pain) to 10 (worst)."
    )
    assert dialog.pain.edit.hasFocus()
    assert store.open_episodes() == []


@pytest.mark.parametrize("typed", ["11", "-1", "abc", "7.5"])
def test_pain_outside_0_to_10_is_explained_inline(
    dialog: SpasmDialog, store: HistoryStore, qtbot, typed: str
) -> None:
    _type_pain(dialog, qtbot, typed)
    with qtbot.assertNotEmitted(dialog.saved):
        _save(dialog, qtbot)

    assert _shown(dialog.pain_error) == (
        f'The pain score must be a whole number from 0 to 10; "{typed}" is not.'
    )
    assert store.open_episodes() == []


def test_fixing_the_pain_clears_its_message(dialog: SpasmDialog, qtbot) -> None:
    _save(dialog, qtbot)
    assert _shown(dialog.pain_error)
    _type_pain(dialog, qtbot, "5")
    assert _shown(dialog.pain_error) == ""


def test_start_in_the_future_is_explained_inline(
    dialog: SpasmDialog, store: HistoryStore, qtbot
) -> None:
    dialog.today_time.setTime(QTime(9, 30))  # now is 09:00; also picks "earlier today"
    _type_pain(dialog, qtbot, "6")
    with qtbot.assertNotEmitted(dialog.saved):
        _save(dialog, qtbot)

    assert dialog.today_radio.isChecked()
    assert _shown(dialog.start_error) == (
        "The start, Mon 2 Mar 09:30, is later than now. Choose a time that has already passed."
    )
    assert _shown(dialog.pain_error) == ""
    assert dialog.today_time.hasFocus()
    assert store.open_episodes() == []


def test_start_more_than_a_year_ago_is_explained_inline(dialog: SpasmDialog, qtbot) -> None:
    dialog.on_datetime.setDateTime(QDateTime(QDate(2024, 12, 1), QTime(8, 0)))
    _save(dialog, qtbot)

    assert dialog.on_radio.isChecked()
    assert "Sun 1 Dec 2024 08:00, is more than a year ago" in _shown(dialog.start_error)
    # Every problem at once, so nothing surprises on the second try.
    assert _shown(dialog.pain_error).startswith("Choose how strong the pain is")


# ----------------------------------------------------------------------------- saving


def test_saving_stores_the_episode_and_emits_it(
    dialog: SpasmDialog, store: HistoryStore, clock: ManualClock, qtbot
) -> None:
    dialog.today_time.setTime(QTime(7, 30))
    dialog.pain.slider.setValue(6)
    dialog.trigger_boxes["screen_posture"].setChecked(True)
    dialog.trigger_boxes["stress"].setChecked(True)
    dialog.sign_boxes["headache"].setChecked(True)
    qtbot.keyClicks(dialog.note_edit, "Deadline week")

    with qtbot.waitSignal(dialog.saved, timeout=1000) as blocker:
        _save(dialog, qtbot)

    (episode,) = blocker.args
    assert episode.started_at == clock.now().replace(hour=7, minute=30)
    assert episode.started_at.utcoffset() == timedelta(hours=1)
    assert episode.pain == 6
    assert episode.triggers == ("screen_posture", "stress")
    assert episode.warning_signs == ("headache",)
    assert episode.note == "Deadline week"
    assert store.open_episodes() == [episode]
    assert store.last_event(EventKind.SPASM_LOGGED).episode_id == episode.id
    assert not dialog.isVisible()


def test_just_now_and_yesterday(qtbot, store: HistoryStore, clock: ManualClock) -> None:
    first = SpasmDialog(store, clock.now)
    _answer_through_core(first, store, clock)
    qtbot.addWidget(first)
    first.show()
    first.pain.set_value(4)
    with qtbot.waitSignal(first.saved) as blocker:
        first.save()
    assert blocker.args[0].started_at == clock.now()

    second = SpasmDialog(store, clock.now)
    _answer_through_core(second, store, clock)
    qtbot.addWidget(second)
    second.show()
    second.yesterday_time.setTime(QTime(22, 15))
    second.pain.set_value(8)
    with qtbot.waitSignal(second.saved) as blocker:
        second.save()
    assert blocker.args[0].started_at == datetime(2026, 3, 1, 22, 15, tzinfo=clock.now().tzinfo)


def test_the_clock_decides_the_offset_of_a_chosen_time(
    qtbot, store: HistoryStore, clock: ManualClock
) -> None:
    calls: list[tuple[date, time]] = []

    def at(day: date, clock_time: time) -> datetime:
        calls.append((day, clock_time))
        return clock.at(day, clock_time)

    d = SpasmDialog(store, clock.now, at=at)
    _answer_through_core(d, store, clock)
    qtbot.addWidget(d)
    d.show()
    d.yesterday_time.setTime(QTime(6, 45))
    d.pain.set_value(5)
    with qtbot.waitSignal(d.saved):
        d.save()
    assert (date(2026, 3, 1), time(6, 45)) in calls


@pytest.mark.expect_log(
    "neckcare_desktop.ui.spasm_dialog", logging.WARNING, r"Could not save the spasm"
)
def test_a_store_error_is_shown_inline(dialog: SpasmDialog, store: HistoryStore, qtbot) -> None:
    store.close()
    _type_pain(dialog, qtbot, "5")
    with qtbot.assertNotEmitted(dialog.saved):
        _save(dialog, qtbot)
    assert _shown(dialog.form_error).startswith("Not saved. The history is closed")
    assert dialog.isVisible()


# ----------------------------------------------------------------------------- red flags


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("fever_stiff_neck", "Fever with a stiff neck"),
        ("severe_headache", "A severe or unusual headache"),
        ("arm_weakness", "Weakness or numbness in an arm"),
    ],
)
def test_ticking_a_red_flag_says_to_get_care_promptly_at_once(
    dialog: SpasmDialog, qtbot, key: str, label: str
) -> None:
    box = dialog.sign_boxes[key]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert dialog.sign_boxes[key].isChecked()
    shown = _shown(dialog.seek_care_label)
    assert shown == (
        f"{label} is a reason to get medical care promptly — today, not at your next appointment."
    )
    # Scrolled into view, whatever the screen: the person sees it next to the box ticked.
    qtbot.waitUntil(lambda: not dialog.seek_care_label.visibleRegion().isEmpty(), timeout=2000)
    box = dialog.sign_boxes[key]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert _shown(dialog.seek_care_label) == ""


def test_two_red_flags_are_named_in_one_message_and_calm_signs_in_none(
    dialog: SpasmDialog, qtbot
) -> None:
    dialog.sign_boxes["dizziness"].setChecked(True)
    dialog.sign_boxes["arm_numbness_tingling"].setChecked(True)
    assert _shown(dialog.seek_care_label) == ""  # a calm sign: the calm suggestion, later
    dialog.sign_boxes["arm_weakness"].setChecked(True)
    dialog.sign_boxes["fever_stiff_neck"].setChecked(True)
    assert _shown(dialog.seek_care_label).startswith(
        "Fever with a stiff neck and weakness or numbness in an arm: each of these is a "
        "reason to get medical care promptly"
    )
    dialog.sign_boxes["fever_stiff_neck"].setChecked(False)
    assert _shown(dialog.seek_care_label).startswith("Weakness or numbness in an arm is a")


def test_a_red_flag_is_saved_with_the_spasm(
    dialog: SpasmDialog, store: HistoryStore, qtbot
) -> None:
    dialog.pain.set_value(7)
    dialog.sign_boxes["severe_headache"].setChecked(True)
    dialog.sign_boxes["headache"].setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=1000) as blocker:
        _save(dialog, qtbot)
    assert blocker.args[0].warning_signs == ("headache", "severe_headache")
    assert store.open_episodes()[0].warning_signs == ("headache", "severe_headache")


def test_the_signs_hint_sits_below_every_box(dialog: SpasmDialog) -> None:
    """Seven boxes in two columns: the hint and the advice come after the last row."""
    boxes = [b.geometry() for b in dialog.sign_boxes.values()]
    hint = next(
        label
        for label in dialog.sign_boxes["headache"].parentWidget().findChildren(QLabel)
        if label.text().startswith("If you tick one")
    )
    assert hint.geometry().top() >= max(b.bottom() for b in boxes)
    assert not any(hint.geometry().intersects(b) for b in boxes)


# ----------------------------------------------------------------------------- update


@pytest.fixture
def open_episode(store: HistoryStore, clock: ManualClock):
    return store.log_episode(
        clock.now() - timedelta(hours=20), 7, ["awkward_sleep"], [], None, clock.now()
    )


@pytest.fixture
def updater(qtbot, store: HistoryStore, clock: ManualClock, open_episode) -> SpasmDialog:
    d = SpasmDialog.for_update(store, open_episode.id, clock.now)
    _answer_through_core(d, store, clock)
    d.setLocale(ENGLISH)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def test_update_dialog_describes_the_episode_and_its_phase(updater: SpasmDialog) -> None:
    assert updater.windowTitle() == "Update a neck spasm — NeckCare"
    assert not updater.isModal()
    assert updater.summary_label.text() == "Spasm since Sun 1 Mar 13:00, pain 7 at the start."
    assert updater.phase_label.text() == "Acute phase: ice, about 10 min a round (never over 20)."
    for widget in (updater.update_button, updater.resolve_button, updater.close_button):
        assert widget.accessibleName()


def test_update_pain_validates_inline_then_saves(
    updater: SpasmDialog, store: HistoryStore, open_episode, qtbot
) -> None:
    with qtbot.assertNotEmitted(updater.saved):
        qtbot.mouseClick(updater.update_button, Qt.MouseButton.LeftButton)
    assert _shown(updater.pain_error).startswith("Choose how strong the pain is")

    _type_pain(updater, qtbot, "12")
    updater.save()
    assert '"12" is not' in _shown(updater.pain_error)

    _type_pain(updater, qtbot, "4")
    with qtbot.waitSignal(updater.saved) as blocker:
        qtbot.mouseClick(updater.update_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].latest_pain == 4
    assert store.episode(open_episode.id).latest_pain == 4
    assert store.episode(open_episode.id).is_open


def test_mark_resolved(
    updater: SpasmDialog, store: HistoryStore, open_episode, clock, qtbot
) -> None:
    _type_pain(updater, qtbot, "1")
    with (
        qtbot.waitSignal(updater.resolved) as resolved,
        qtbot.waitSignal(updater.saved),
    ):
        qtbot.mouseClick(updater.resolve_button, Qt.MouseButton.LeftButton)

    episode = resolved.args[0]
    assert episode.resolved_at == clock.now()
    assert episode.latest_pain == 1  # the typed score was saved first
    assert store.open_episodes() == []
    assert not updater.isVisible()


def test_a_resolved_episode_cannot_be_updated(
    qtbot, store: HistoryStore, clock: ManualClock, open_episode
) -> None:
    store.resolve_episode(open_episode.id, clock.now())
    d = SpasmDialog.for_update(store, open_episode.id, clock.now)
    _answer_through_core(d, store, clock)
    qtbot.addWidget(d)
    assert d.phase_label.text() == "This spasm is already marked as resolved."
    assert not d.update_button.isEnabled()
    assert not d.resolve_button.isEnabled()


def test_lingering_phase_suggests_heat(
    qtbot, store: HistoryStore, clock: ManualClock, open_episode
) -> None:
    clock.advance(timedelta(hours=28))  # 48 h after the start
    d = SpasmDialog.for_update(store, open_episode.id, clock.now)
    _answer_through_core(d, store, clock)
    qtbot.addWidget(d)
    assert d.phase_label.text() == "Lingering tension: gentle heat may help."


@pytest.mark.parametrize(
    ("locale", "shown", "today_time"),
    [
        (QLocale(QLocale.Language.English, QLocale.Country.UnitedStates), "2/28/2026 9:00", "8:00"),
        (QLocale(QLocale.Language.Spanish, QLocale.Country.Spain), "28/2/2026 9:00", "8:00"),
        (QLocale(QLocale.Language.German, QLocale.Country.Germany), "28.02.2026 09:00", "08:00"),
    ],
)
def test_start_time_fields_follow_the_persons_date_and_clock_format(
    qtbot, store: HistoryStore, clock: ManualClock, locale: QLocale, shown: str, today_time: str
) -> None:
    """The order of day and month and the 12/24-hour clock are the locale's; the year is
    always written in full."""
    previous = QLocale()
    QLocale.setDefault(locale)
    try:
        d = SpasmDialog(store, clock.now)
        _answer_through_core(d, store, clock)
        qtbot.addWidget(d)
    finally:
        QLocale.setDefault(previous)
    assert d.on_datetime.text().replace("\u202f", " ").startswith(shown)
    assert d.today_time.text().replace("\u202f", " ").startswith(today_time)
