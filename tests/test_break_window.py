"""The break window: the suggestion with its picture, readable and reachable on any screen.

People open this window while their neck hurts, often on a laptop at 200 % scaling: the
picture must really be there, the text must wrap instead of running off the edge, and the
buttons must stay on screen however little room there is. The window keeps its answering
rules (closing it means "not now", strict mode cannot be closed away).
"""

from __future__ import annotations

import json
import logging
import os
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPalette
from PySide6.QtWidgets import QApplication, QBoxLayout, QWidget

from fresh_python import run_json
from neckcare_desktop.core.breaks import BreakKind
from neckcare_desktop.core.exercise_routine import Routine, RoutineProgress, RoutineStep
from neckcare_desktop.core.stretches import Stretch, default_stretches
from neckcare_desktop.ui.break_window import BreakWindow, duration_text, format_countdown

#: A 1280x800 laptop at 200 % scaling, in logical pixels (what widgets are sized in).
LAPTOP_AT_200 = QRect(0, 0, 640, 400)

SHIPPED = {s.id: s for s in default_stretches()}


def longest(kind: str) -> Stretch:
    return max((s for s in SHIPPED.values() if kind in s.kinds), key=lambda s: len(s.how))


@pytest.fixture
def make_window(qtbot):
    def make(
        kind: BreakKind = BreakKind.POSTURE,
        stretch: Stretch | None = SHIPPED["chin-tuck"],
        **kwargs,
    ) -> BreakWindow:
        window = BreakWindow(kind, stretch, 300, 10, lambda: 83.0, **kwargs)
        qtbot.addWidget(window)
        return window

    return make


def ink_pixels(image: QImage) -> tuple[int, int]:
    """(dark figure pixels, warm arrow pixels) in a rendered illustration."""
    dark = warm = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if c.alpha() < 200:
                continue
            if c.lightness() < 110:
                dark += 1
            elif c.red() > 180 and c.green() < 150 and c.blue() < 130:
                warm += 1
    return dark, warm


def inside(inner: QRect, outer: QRect) -> bool:
    return outer.contains(inner.topLeft()) and outer.contains(inner.bottomRight())


def button_rects(window: BreakWindow) -> list[QRect]:
    return [
        QRect(b.mapTo(window, b.rect().topLeft()), b.size())
        for b in (window.start_button, window.postpone_button, window.skip_button)
        if b.isVisibleTo(window)
    ]


# --- content ---------------------------------------------------------------------------


def test_illustration_is_shown_and_not_empty(make_window) -> None:
    window = make_window()
    window.present()

    picture = window.illustration
    assert picture.isVisible()
    assert picture.renderer().isValid()
    assert picture.width() >= 96 and picture.width() == picture.height()
    assert "Chin tuck" in picture.accessibleName()
    dark, warm = ink_pixels(picture.grab().toImage())
    # A figure drawn in dark strokes and an arrow in the accent colour, not a blank card.
    assert dark > 150
    assert warm > 20


@pytest.mark.parametrize("stretch_id", sorted(SHIPPED))
def test_every_shipped_suggestion_comes_with_its_picture(make_window, stretch_id: str) -> None:
    stretch = SHIPPED[stretch_id]
    kind = BreakKind.MICRO if "micro" in stretch.kinds else BreakKind.POSTURE
    window = make_window(kind, stretch)
    assert not window.illustration.isHidden()
    assert window.illustration.renderer().isValid()
    assert window.stretch_title.text() == stretch.title


def test_title_how_to_and_duration_are_shown(make_window) -> None:
    window = make_window(stretch=SHIPPED["doorway-chest-stretch"])
    window.present()
    assert window.stretch_title.text() == "Doorway chest stretch"
    assert window.stretch_how.text() == SHIPPED["doorway-chest-stretch"].how
    assert window.stretch_duration.text() == "Takes about 1 minute"
    for label in (window.heading, window.summary, window.stretch_title, window.stretch_how):
        assert label.wordWrap(), label.objectName()
        assert label.isVisible()


def test_warning_is_added_when_a_list_forgot_it(make_window) -> None:
    stretch = Stretch("tilt", "Tilt", "Tilt slowly.", 30, frozenset({"posture"}), True)
    window = make_window(stretch=stretch)
    assert window.stretch_how.text() == "Tilt slowly. Stop if it hurts."
    # No image in this hand-made entry: the text simply takes the room.
    assert window.illustration.isHidden()


@pytest.mark.expect_log("neckcare_desktop.ui.break_window", logging.WARNING, r"no illustration")
def test_a_missing_picture_does_not_lose_the_break(make_window, caplog) -> None:
    stretch = Stretch(
        "x", "X", "Slowly.", 20, frozenset({"micro"}), False, image="stretches/not-there.svg"
    )
    window = make_window(BreakKind.MICRO, stretch)
    window.present()
    assert window.illustration.isHidden()
    assert window.stretch_how.text() == "Slowly."
    assert "not-there.svg" in caplog.text


def test_without_a_suggestion_there_is_general_advice(make_window) -> None:
    window = make_window(stretch=None)
    window.present()
    assert window.illustration.isHidden()
    assert window.stretch_title.text() == "Move gently"
    assert "Stop if it hurts" in window.stretch_how.text()
    assert window.stretch_duration.isHidden()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(1, "1 second"), (20, "20 seconds"), (45, "45 seconds"), (60, "1 minute"), (300, "5 minutes")],
)
def test_durations_read_naturally(seconds: int, text: str) -> None:
    assert duration_text(seconds) == text


def test_countdown_format() -> None:
    assert format_countdown(83.4) == "1:23"
    assert format_countdown(-3) == "0:00"


# --- fitting the screen -------------------------------------------------------------------


@pytest.mark.parametrize("kind", [BreakKind.MICRO, BreakKind.POSTURE])
def test_fits_a_laptop_at_200_percent_without_scrolling(make_window, kind: BreakKind) -> None:
    window = make_window(kind, longest(kind.value), can_postpone=True, can_skip=True)
    window.fit_to(LAPTOP_AT_200)
    window.show()

    assert window.width() <= LAPTOP_AT_200.width()
    assert window.height() <= LAPTOP_AT_200.height()
    assert not window.body_area.verticalScrollBar().isVisible()
    assert window.illustration.width() >= 96
    for rect in button_rects(window):
        assert inside(rect, window.rect())
    # The whole how-to is visible: its label got the height its wrapped text needs.
    how = window.stretch_how
    assert how.height() >= how.heightForWidth(how.width())


def test_huge_fonts_scroll_the_text_but_never_the_buttons(make_window, qapp, qtbot) -> None:
    normal = QFont(qapp.font())
    big = QFont(normal)
    big.setPointSizeF(normal.pointSizeF() * 2)
    qapp.setFont(big)  # as a person with low vision sets it for every program
    try:
        window = make_window(BreakKind.POSTURE, longest("posture"))
        window.fit_to(LAPTOP_AT_200)
        window.show()

        assert window.width() <= LAPTOP_AT_200.width()
        assert window.height() <= LAPTOP_AT_200.height()
        assert window.illustration.width() == 96  # the picture gave up room first
        qtbot.waitUntil(window.body_area.verticalScrollBar().isVisible, timeout=2000)
        rects = button_rects(window)
        assert len(rects) == 3
        for rect in rects:
            assert inside(rect, window.rect())
    finally:
        qapp.setFont(normal)


def test_a_narrow_screen_puts_the_picture_above_the_text(make_window) -> None:
    window = make_window()
    window.fit_to(QRect(0, 0, 420, 700))
    window.show()
    assert window.width() <= 420
    assert window._body_layout.direction() is QBoxLayout.Direction.TopToBottom
    how_top = window.stretch_how.mapTo(window, window.stretch_how.rect().topLeft()).y()
    assert how_top > window.illustration.mapTo(window, window.illustration.rect().bottomLeft()).y()


def test_every_window_has_the_same_calm_width(make_window) -> None:
    area = QRect(0, 0, 1920, 1080)
    widths = set()
    for stretch in SHIPPED.values():
        kind = BreakKind.MICRO if "micro" in stretch.kinds else BreakKind.POSTURE
        window = make_window(kind, stretch)
        window.fit_to(area)
        widths.add(window.width())
    assert len(widths) == 1
    assert 400 < widths.pop() < 900  # a reading line beside the picture, not the screen


def test_present_places_the_window_fully_on_its_screen(make_window) -> None:
    window = make_window(BreakKind.POSTURE, longest("posture"))
    screen = QApplication.primaryScreen()
    window.present(screen)
    assert window.isVisible()
    assert inside(window.frameGeometry(), screen.availableGeometry())


def test_starting_the_break_keeps_it_on_screen(make_window) -> None:
    window = make_window(BreakKind.POSTURE, longest("posture"))
    window.present()
    window.fit_to(LAPTOP_AT_200)  # as if on a small screen
    window.set_running(1000, can_end_early=True)

    assert window.running
    assert window.countdown.isVisible() and window.countdown.text() == "1:23"
    assert window.start_button.isHidden() and window.postpone_button.isHidden()
    assert window.skip_button.text() == "End break early"
    assert window.height() <= LAPTOP_AT_200.height()
    for rect in button_rects(window):
        assert inside(rect, window.rect())
    window.finish()


def routine_window(make_window, *ids: str) -> BreakWindow:
    """A posture break window playing the shipped exercises ``ids``, in that order."""
    steps = tuple(RoutineStep(SHIPPED[i], SHIPPED[i].seconds) for i in ids)
    return make_window(BreakKind.POSTURE, SHIPPED[ids[0]], routine=Routine("posture", steps))


def test_a_running_routine_shows_next_and_done_and_still_fits_the_laptop(make_window) -> None:
    window = routine_window(make_window, "doorway-chest-stretch", "chin-tuck", "stand-and-walk")
    view = window.routine_view
    assert view.step_label.text() == "Exercise 1 of 3"
    assert view.next_button.isHidden() and view.done_button.isHidden()  # not before it runs
    window.present()
    window.fit_to(LAPTOP_AT_200)
    window.set_running(1000, can_end_early=True)
    progress = RoutineProgress(view.routine)
    window.show_step(progress.state(0))
    assert view.next_button.isVisible() and view.done_button.isVisible()
    assert view.repetition_label.text() == "Repetition 1 of 2 · hold 15 s"
    assert window.height() <= LAPTOP_AT_200.height()
    for button in (view.next_button, view.done_button, window.skip_button):
        assert inside(QRect(button.mapTo(window, button.rect().topLeft()), button.size()),
                      window.rect())  # fmt: skip

    progress.done(10)
    window.show_step(progress.state(10))
    assert view.step_label.text() == "Exercise 2 of 3"
    assert window.stretch_title.text() == "Chin tuck"
    assert not window.illustration.isHidden()
    assert window.height() <= LAPTOP_AT_200.height()
    progress.end(20)
    window.show_step(progress.state(20))
    assert window.stretch_title.text() == "All exercises done"
    assert view.next_button.isHidden() and window.illustration.isHidden()
    window.finish()


def test_the_routine_buttons_emit_their_intents(make_window, qtbot) -> None:
    window = routine_window(make_window, "chin-tuck", "stand-and-walk")
    window.set_running(1000)
    with qtbot.waitSignal(window.exercise_done_requested):
        window.routine_view.done_button.click()
    with qtbot.waitSignal(window.exercise_next_requested):
        window.routine_view.next_button.click()
    window.finish()


def test_a_micro_break_shows_one_cue_without_routine_buttons(make_window) -> None:
    cue = SHIPPED["eye-rest-20-20-20"]
    window = make_window(BreakKind.MICRO, cue, routine=Routine("micro", (RoutineStep(cue, 20),)))
    window.set_running(1000)
    assert window.routine_view.step_label.isHidden()
    assert window.routine_view.next_button.isHidden()
    window.finish()


# --- keyboard and looks ------------------------------------------------------------------


def test_tab_goes_straight_through_the_buttons(make_window) -> None:
    """Only the buttons take focus, in this order (the e2e tests Tab to them, too)."""
    window = make_window()
    window.present()
    focusable = [
        w
        for w in window.findChildren(QWidget)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(window)
    ]
    assert set(focusable) == {window.start_button, window.postpone_button, window.skip_button}
    chain, widget = [], window.start_button
    for _ in range(3):
        chain.append(widget)
        widget = widget.nextInFocusChain()
        while widget not in focusable and widget is not window.start_button:
            widget = widget.nextInFocusChain()
    assert chain == [window.start_button, window.postpone_button, window.skip_button]
    assert window.start_button.isDefault()


def test_no_colours_are_hard_coded(make_window) -> None:
    """Dark and high-contrast themes must reach every label: no style sheets, no palettes."""
    window = make_window()
    for widget in [window, *window.findChildren(QWidget)]:
        assert widget.styleSheet() == "", widget.objectName()
        assert not widget.testAttribute(Qt.WidgetAttribute.WA_SetPalette), widget.objectName()


def test_a_high_contrast_palette_reaches_the_text(make_window) -> None:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "black"),
        (QPalette.ColorRole.WindowText, "white"),
        (QPalette.ColorRole.Button, "black"),
        (QPalette.ColorRole.ButtonText, "white"),
        (QPalette.ColorRole.Highlight, "yellow"),
    ):
        palette.setColor(role, QColor(colour))
    window = make_window()
    window.setPalette(palette)
    window.present()
    for label in (window.heading, window.stretch_title, window.stretch_how, window.countdown):
        assert label.palette().color(label.foregroundRole()) == QColor("white")
    # The picture keeps its own light card, so its dark strokes still show on black.
    image = window.illustration.grab().toImage()
    corner = image.pixelColor(image.width() // 2, 4)
    assert corner.lightness() > 200


# --- answering ------------------------------------------------------------------------------


def test_buttons_emit_their_intent(make_window, qtbot) -> None:
    window = make_window()
    for button, signal in (
        (window.start_button, window.start_requested),
        (window.postpone_button, window.postpone_requested),
        (window.skip_button, window.skip_requested),
    ):
        with qtbot.waitSignal(signal, timeout=1000):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize(
    ("kwargs", "running", "expected"),
    [
        ({}, False, "postpone_requested"),
        ({"can_postpone": False}, False, "skip_requested"),
        ({"can_postpone": False, "can_skip": False}, False, None),
        ({}, True, "skip_requested"),
    ],
)
def test_closing_means_not_now_unless_the_break_is_not_optional(
    make_window, kwargs: dict[str, bool], running: bool, expected: str | None
) -> None:
    window = make_window(**kwargs)
    window.present()
    if running:
        window.set_running(1000, can_end_early=window.can_skip)
    emitted: list[str] = []
    for name in ("start_requested", "postpone_requested", "skip_requested"):
        getattr(window, name).connect(lambda n=name: emitted.append(n))

    window.close()

    if expected is None:
        assert window.isVisible() and emitted == []
        window.finish()
    else:
        assert not window.isVisible()
        assert emitted == [expected]
    assert not window.running


def test_a_running_strict_break_cannot_be_closed_away(make_window) -> None:
    window = make_window(can_skip=False)
    window.present()
    window.set_running(1000, can_end_early=False)
    window.close()
    assert window.isVisible() and window.running
    assert window.skip_button.isHidden()
    window.finish()
    assert not window.isVisible() and not window.running


def test_limit_notes_explain_missing_buttons(make_window) -> None:
    assert make_window(can_postpone=False).limit_note.text().startswith("Postponed enough")
    assert make_window(can_skip=False).limit_note.text().startswith("Strict mode")
    assert make_window().limit_note.isHidden()


# --- a real second process: 200 % scaling and two screens -------------------------------

_SCREENS_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtGui import QCursor
    from PySide6.QtWidgets import QApplication

    warnings = []
    def handler(kind, context, message):
        harmless = ("does not support", "propagateSizeHints")
        if kind != QtMsgType.QtDebugMsg and not any(h in message for h in harmless):
            warnings.append(message)
    qInstallMessageHandler(handler)

    from neckcare_desktop.core.breaks import BreakKind
    from neckcare_desktop.core.stretches import default_stretches
    from neckcare_desktop.ui.break_window import BreakWindow

    app = QApplication([])
    stretch = max(default_stretches(), key=lambda s: len(s.how))
    left, right = app.screens()
    out = {"warnings": warnings, "windows": {}}

    def rect(r):
        return [r.x(), r.y(), r.width(), r.height()]

    for name, screen in (("pointer", None), ("left", left)):
        if screen is None:
            QCursor.setPos(right.geometry().center())
        window = BreakWindow(BreakKind.POSTURE, stretch, 300, 10, lambda: 60.0)
        window.present(screen)
        app.processEvents()
        buttons = [
            rect(b.geometry().translated(b.mapToGlobal(b.rect().topLeft()) - b.pos()))
            for b in (window.start_button, window.postpone_button, window.skip_button)
        ]
        out["windows"][name] = {
            "frame": rect(window.frameGeometry()),
            "screen": window.screen().name(),
            "illustration": window.illustration.width(),
            "buttons": buttons,
        }
        window.finish()
    out["areas"] = {s.name(): rect(s.availableGeometry()) for s in app.screens()}
    print(json.dumps(out))
    """
)


@pytest.mark.parametrize("scale", ["1", "2"])
def test_opens_fully_on_the_pointer_screen_of_two(tmp_path: Path, scale: str) -> None:
    """Two 1280x800 screens side by side (offscreen), at 100 % and 200 % scaling."""
    config = {
        "synchronousWindowSystemEvents": True,
        "windowFrameMargins": False,
        "screens": [
            {"name": name, "x": x, "y": 0, "width": 1280, "height": 800,
             "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
            for name, x in (("left", 0), ("right", 1280))
        ],
    }  # fmt: skip
    config_file = tmp_path / "screens.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config_file}",
        "QT_SCALE_FACTOR": scale,
    }
    out = run_json(_SCREENS_SCRIPT, env)
    assert out["warnings"] == []

    areas = {name: QRect(*r) for name, r in out["areas"].items()}
    assert areas["left"].width() == 1280 // int(scale)
    for name, expected_screen in (("pointer", "right"), ("left", "left")):
        window = out["windows"][name]
        assert window["screen"] == expected_screen
        area = areas[expected_screen]
        assert inside(QRect(*window["frame"]), area), (window, area)
        for button in window["buttons"]:
            assert inside(QRect(*button), area), (button, area)
        assert window["illustration"] >= 96
