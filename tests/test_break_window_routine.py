"""The break window while a routine plays: its controls always in sight, and the end of
the routine is not the end of the break.

A person in Spanish at 150 % on a 1280x800 laptop saw "Siguiente" / "Hecho" scrolled out
of sight and "Repetición 2 de 2 · relaja" cut in half, because the whole exercise
scrolled. Only the steps text scrolls now. The same person pressed "Hecho" on the last
exercise and the break ended two minutes early: the finished routine collapsed the
window, which pulled "End break early" up under the pointer, and the next press there
ended the break. The window now keeps its size, and says what to do until the break ends.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from fakes import later
from neckcare_desktop.core.breaks import BreakKind
from neckcare_desktop.core.exercise_routine import Routine, RoutineProgress, RoutineStep
from neckcare_desktop.core.history import EXERCISE_KINDS, EventKind
from neckcare_desktop.core.stretches import default_stretches
from neckcare_desktop.ui.break_window import BreakWindow

#: 1280x800 at 150 % and at 200 %, in logical pixels.
LAPTOP_AT_150 = QRect(0, 0, 853, 533)
LAPTOP_AT_200 = QRect(0, 0, 640, 400)


def longest_spanish_routine() -> Routine:
    """Two posture exercises, the longer Spanish text first, both with repetitions and a
    hold (so the repetition line shows)."""
    posture = [s for s in default_stretches() if "posture" in s.kinds]
    posture.sort(key=lambda s: len(s.how_text("es")), reverse=True)
    steps = tuple(RoutineStep(replace(s, repetitions=2, hold_seconds=10), 60) for s in posture[:2])
    return Routine("posture", steps)


def in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def wholly_shown(widget: QWidget, window: QWidget) -> bool:
    """Visible, inside the window, and not clipped by a scroll area or a neighbour."""
    return (
        widget.isVisible()
        and not widget.visibleRegion().isEmpty()
        and widget.visibleRegion().boundingRect() == widget.rect()
        and window.rect().contains(in_window(widget, window))
    )


@pytest.mark.parametrize("area", [LAPTOP_AT_150, LAPTOP_AT_200], ids=["150%", "200%"])
def test_next_done_and_the_repetition_line_never_scroll(spanish_ui, qtbot, area: QRect) -> None:
    routine = longest_spanish_routine()
    window = BreakWindow(BreakKind.POSTURE, routine.lead, 300, 10, lambda: 200.0, routine=routine)
    qtbot.addWidget(window)
    window.fit_to(area)
    window.show()
    window.set_running(1000)
    window.fit_to(area)
    progress = RoutineProgress(routine)
    window.show_step(progress.state(45.0))  # repetition 2 of 2, relaxing
    QApplication.processEvents()

    view = window.routine_view
    assert view.repetition_label.text() == "Repetición 2 de 2 · relaja"
    assert window.width() <= area.width() and window.height() <= area.height()
    for widget in (view.next_button, view.done_button, window.skip_button, view.repetition_label):
        assert not window.body_area.isAncestorOf(widget), widget.objectName()
        assert wholly_shown(widget, window), widget.objectName()
    label = view.repetition_label
    assert label.height() >= label.sizeHint().height()
    # Only the steps scroll, and only when the window already took all the height it may.
    if window.body_area.verticalScrollBar().isVisible():
        assert window.height() >= window.maximumHeight() - 1
    else:
        how = window.stretch_how
        assert how.height() >= how.heightForWidth(how.width())


def test_the_routine_done_before_the_break_leaves_the_break_running(make_app, qtbot) -> None:
    """Next on the first exercise, Done on the last: the window stays, with its countdown,
    "End break early" where it was and a line saying what to do; the break ends at its
    time as completed, with every exercise recorded."""
    app = make_app(
        manual=True,
        breaks={
            "micro": {"enabled": False},
            "posture": {"interval_minutes": 50, "duration_minutes": 5},
        },
    )
    app.engine.take_break_now(BreakKind.POSTURE)
    window = app.breaks.window
    assert window is not None
    view = window.routine_view
    ids = [step.exercise.id for step in app.engine.current_routine().steps]
    assert len(ids) > 1
    # A few seconds each: every exercise lasts 20 s at least, so none runs out by itself
    # (the routine is drawn at random; its first step may be that short).
    later(app, seconds=5)
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    for _ in ids[1:-1]:
        later(app, seconds=5)
        app.breaks.exercise_done()
    later(app, seconds=5)
    assert view.step_label.text() == f"Exercise {len(ids)} of {len(ids)}"

    size, skip = window.size(), in_window(window.skip_button, window)
    pressed_at = view.done_button.mapTo(window, view.done_button.rect().center())
    qtbot.mouseClick(view.done_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()

    assert app.breaks.window is window and window.isVisible()
    assert window.countdown.isVisible() and window.skip_button.isVisible()
    assert window.stretch_title.text() == "All exercises done"
    assert "until the break ends" in window.stretch_how.text()
    # Nothing moved under the pointer: a second press where "Done" was ends nothing.
    # The window never shrinks (it may grow: the finished screen's text wraps otherwise),
    # so "End break early" never moves up towards where "Done" was.
    assert window.width() >= size.width() and window.height() >= size.height()
    assert in_window(window.skip_button, window).top() >= skip.top()
    target = window.childAt(pressed_at)
    assert not isinstance(target, QPushButton) or target is not window.skip_button
    qtbot.mouseClick(window, Qt.MouseButton.LeftButton, pos=pressed_at)
    assert app.engine.breaks.active is not None

    later(app, minutes=5)
    assert app.breaks.window is None
    (done,) = app.history.recent(kinds=[EventKind.BREAK_COMPLETED])
    assert (done.planned_seconds, done.actual_seconds) == (300, 300)
    assert not done.note
    rows = app.history.recent(limit=100, kinds=EXERCISE_KINDS)[::-1]
    assert [(r.kind, r.subject) for r in rows] == [
        (EventKind.EXERCISE_SKIPPED, ids[0]),
        *[(EventKind.EXERCISE_DONE, i) for i in ids[1:]],
    ]
