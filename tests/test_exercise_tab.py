"""Settings → Exercises: switch, add, edit, import; the app checks and writes, at once.

The tab itself writes nothing; what the person sees is the saved file taking effect (the
next break draws from it) or a refusal in full, with what they typed still there. A file
from a physiotherapist comes in whole (its pictures beside it) or not at all.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from neckcare_desktop.core.breaks import BreakKind
from neckcare_desktop.core.exercise_library import SwitchExercise, parse_exercises
from neckcare_desktop.core.stretches import default_stretches
from neckcare_desktop.ui import exercises_tab
from neckcare_desktop.ui.exercises_tab import ExercisesTab
from neckcare_desktop.window_registry import SETTINGS
from pictures import png

SENT = textwrap.dedent(
    """\
    [[exercise]]
    id = "wall-angels"
    name = "Wall angels"
    steps = ["Stand with your back against a wall.", "Slide your arms slowly up and down."]
    hold_seconds = 3
    repetitions = 8
    area = "upper_back"
    picture = "wall-angels.png"

    [[exercise]]
    name = "Seated twist"
    steps = ["Sit tall and turn your upper body gently to one side."]
    repetitions = 4
    area = "upper_back"
    """
)


def open_tab(app) -> ExercisesTab:
    app.controller.show_settings()
    dialog = app.windows.get(SETTINGS)
    tab = dialog.exercises_tab
    assert tab is not None
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)  # Exercises: the last tab
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Exercises"
    return tab


def saved(app) -> str:
    return (app.paths.config_dir / "exercises.toml").read_text(encoding="utf-8")


def saved_library(app):
    return parse_exercises(saved(app), default_stretches())


def test_switching_a_built_in_off_saves_it_and_breaks_leave_it_out(make_app, qtbot):
    app = make_app(manual=True)
    tab = open_tab(app)
    assert tab.list.topLevelItemCount() == len(default_stretches())
    item = tab.item_for("chin-tuck")
    item.setCheckState(0, Qt.CheckState.Unchecked)
    assert saved_library(app).switched_off == frozenset({"chin-tuck"})
    pool = app.engine.stretches.pool("posture")
    assert "chin-tuck" not in {s.id for s in pool}
    # Built-ins cannot be edited or removed.
    tab.list.setCurrentItem(tab.item_for("chin-tuck"))
    assert not tab.edit_button.isEnabled() and not tab.remove_button.isEnabled()
    tab.item_for("chin-tuck").setCheckState(0, Qt.CheckState.Checked)
    assert saved_library(app).switched_off == frozenset()


def test_adding_an_own_exercise_puts_it_in_the_next_break(make_app, qtbot):
    app = make_app(manual=True)
    tab = open_tab(app)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert tab.form.isVisible()
    qtbot.keyClicks(tab.name_edit, "Shoulder shrugs")
    tab.steps_edit.setPlainText("Lift your shoulders to your ears.\nLet them drop slowly.")
    tab.hold_spin.setValue(2)
    tab.reps_spin.setValue(6)
    tab.area_combo.setCurrentIndex(tab.area_combo.findData("shoulders"))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert not tab.form.isVisible()
    (own,) = saved_library(app).own
    assert (own.id, own.steps[1], own.repetitions) == (
        "shoulder-shrugs",
        "Let them drop slowly.",
        6,
    )
    assert tab.item_for("shoulder-shrugs").text(0).startswith("Shoulder shrugs")
    assert "shoulder-shrugs" in {s.id for s in app.engine.stretches.pool("posture")}

    # Editing it keeps its id; the form shows what it was.
    tab.list.setCurrentItem(tab.item_for("shoulder-shrugs"))
    assert tab.edit_button.isEnabled()
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    assert tab.name_edit.text() == "Shoulder shrugs"
    tab.reps_spin.setValue(4)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert saved_library(app).own[0].repetitions == 4


def test_an_unsafe_exercise_is_refused_and_what_was_typed_stays(make_app, qtbot):
    app = make_app(manual=True)
    tab = open_tab(app)
    tab.add_button.click()
    tab.name_edit.setText("Loosen the neck")
    tab.steps_edit.setPlainText("Slowly rotate your neck in a large circle.")
    tab.save_button.click()
    assert tab.message.isVisible()
    assert "Loosen the neck" in tab.message.text()
    assert "NeckCare does not suggest" in tab.message.text()
    assert tab.form.isVisible() and tab.name_edit.text() == "Loosen the neck"
    assert not (app.paths.config_dir / "exercises.toml").exists()


def small_dialog(app, qtbot, height: int = 420) -> tuple[ExercisesTab, QScrollArea]:
    """Settings → Exercises in a small window (a 1280×800 screen at 150 %, and less)."""
    tab = open_tab(app)
    dialog = app.windows.get(SETTINGS)
    dialog.resize(560, height)
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.height() <= height)
    area = tab.parentWidget().parentWidget()
    assert isinstance(area, QScrollArea) and area.widget() is tab
    return tab, area


def in_sight(widget: QWidget, area: QScrollArea) -> bool:
    """``widget`` is shown whole inside the scroll area's visible part."""
    viewport = area.viewport()
    where = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
    return (
        widget.isVisible()
        and not widget.visibleRegion().isEmpty()
        and viewport.rect().contains(where)
    )


def test_a_refused_save_is_said_in_sight_with_the_step_focused(make_app, qtbot):
    """Before: the refusal appeared below the visible part of the tab (only its top edge
    showed) and pressing Save seemed to do nothing."""
    app = make_app(manual=True)
    tab, area = small_dialog(app, qtbot)
    tab.add_button.click()
    tab.name_edit.setText("Loosen up")
    tab.steps_edit.setPlainText("Sit tall.\nRoll your neck slowly five times.")
    area.ensureWidgetVisible(tab.save_button, 0, 0)
    assert not tab.message.isVisible()
    tab.save_button.click()
    assert "NeckCare does not suggest “Roll your neck”" in tab.message.text()
    qtbot.waitUntil(lambda: in_sight(tab.message, area))
    QApplication.processEvents()
    assert in_sight(tab.message, area)
    assert in_sight(tab.save_button, area)  # right above it
    # The step to change has the focus, its unsafe words selected.
    assert tab.window().focusWidget() is tab.steps_edit
    assert tab.steps_edit.textCursor().selectedText() == "Roll your neck"
    assert tab.steps_edit.toPlainText() == "Sit tall.\nRoll your neck slowly five times."


def test_a_refused_import_is_said_in_sight(make_app, qtbot, tmp_path: Path):
    sent = tmp_path / "half-bad.toml"
    sent.write_text(SENT.replace("repetitions = 4", "repetitions = 400"), encoding="utf-8")
    app = make_app(manual=True)
    tab, area = small_dialog(app, qtbot, height=300)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)
    area.verticalScrollBar().setValue(0)
    tab._choose_file = lambda _parent: str(sent)
    tab.import_button.click()
    assert tab.message.text().startswith("Line 8:")  # the picture is not there
    qtbot.waitUntil(lambda: in_sight(tab.message, area))


@pytest.mark.parametrize("name", ["hold_spin", "reps_spin", "area_combo"])
def test_the_wheel_scrolls_past_the_numbers_without_changing_them(make_app, qtbot, name):
    """Before: scrolling the tab with the pointer over "Hold each time" turned 5 s into
    1 s. Without keyboard focus a number (or the body area) ignores the wheel, which
    scrolls the tab instead; once clicked into, the wheel changes it as usual."""
    app = make_app(manual=True)
    tab, area = small_dialog(app, qtbot)
    tab.add_button.click()
    tab.hold_spin.setValue(5)
    tab.reps_spin.setValue(5)
    tab.area_combo.setCurrentIndex(2)
    widget = getattr(tab, name)
    before = widget.currentIndex() if name == "area_combo" else widget.value()
    tab.name_edit.setFocus()
    area.ensureWidgetVisible(widget, 0, 0)

    def wheel(up: bool) -> QWheelEvent:
        middle = QPointF(widget.rect().center())
        return QWheelEvent(
            middle,
            QPointF(widget.mapToGlobal(middle.toPoint())),
            QPoint(0, 0),
            QPoint(0, 120 if up else -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )

    for _ in range(3):
        event = wheel(up=True)
        QApplication.sendEvent(widget, event)
        # Left to the widgets around it: a real wheel event goes on to the scroll area.
        # (Qt hands a sent one to the widget only, so the tab is not seen to scroll here.)
        assert not event.isAccepted()
    after = widget.currentIndex() if name == "area_combo" else widget.value()
    assert after == before
    assert not widget.hasFocus() and tab.window().focusWidget() is tab.name_edit
    assert widget.focusPolicy() == Qt.FocusPolicy.StrongFocus

    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    QApplication.sendEvent(widget, wheel(up=False))
    after = widget.currentIndex() if name == "area_combo" else widget.value()
    assert after != before


def test_import_opens_in_the_home_folder_then_the_last_one(
    make_app, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Before: the file dialog opened in the folder the app was started from."""
    monkeypatch.setattr(exercises_tab._Folder, "last", None)
    sent = tmp_path / "from-physio"
    sent.mkdir()
    (sent / "exercises.toml").write_text(SENT.replace('picture = "wall-angels.png"\n', ""))
    asked: list[str] = []
    answers = iter(["", str(sent / "exercises.toml"), ""])

    def get_open_file_name(_parent, _title, folder, _filter):
        asked.append(folder)
        return next(answers), ""

    monkeypatch.setattr(exercises_tab.QFileDialog, "getOpenFileName", get_open_file_name)
    app = make_app(manual=True)
    tab = open_tab(app)
    tab.import_button.click()  # cancelled
    assert asked == [str(Path.home())]
    assert Path.home() != Path.cwd()
    tab.import_button.click()
    assert [o.id for o in saved_library(app).own] == ["wall-angels", "seated-twist"]
    tab.import_button.click()
    assert asked[1:] == [str(Path.home()), str(sent)]


def test_a_sent_file_is_imported_with_its_picture(make_app, qtbot, tmp_path: Path):
    sent = tmp_path / "from-physio"
    sent.mkdir()
    (sent / "exercises.toml").write_text(SENT, encoding="utf-8")
    (sent / "wall-angels.png").write_bytes(png())
    app = make_app(manual=True)
    tab = open_tab(app)
    tab._choose_file = lambda _parent: str(sent / "exercises.toml")
    tab.import_button.click()
    assert [o.id for o in saved_library(app).own] == ["wall-angels", "seated-twist"]
    assert (app.paths.config_dir / "wall-angels.png").read_bytes() == png()
    assert tab.message.text() == "Exercises imported from exercises.toml: 2."
    assert tab.item_for("seated-twist") is not None

    # The picture shows in the break window, drawn from the config folder.
    app.engine.stretches.replace(
        [s for s in app.engine.stretches.pool("posture") if s.id == "wall-angels"]
    )
    app.engine.take_break_now(BreakKind.POSTURE)
    window = app.breaks.window
    assert window.stretch_title.text() == "Wall angels"
    assert not window.illustration.isHidden()
    assert window.illustration.renderer().isValid()
    image = window.illustration.grab().toImage()
    middle = image.pixelColor(image.width() // 2, image.height() // 2)
    assert middle.red() > 180 and middle.blue() < 100  # the orange PNG, scaled up


def test_a_half_bad_file_brings_nothing_and_names_the_line(make_app, qtbot, tmp_path: Path):
    sent = tmp_path / "half-bad.toml"
    sent.write_text(SENT.replace("repetitions = 4", "repetitions = 400"), encoding="utf-8")
    (tmp_path / "wall-angels.png").write_bytes(png())
    app = make_app(manual=True)
    tab = open_tab(app)
    tab._choose_file = lambda _parent: str(sent)
    tab.import_button.click()
    assert tab.message.isVisible()
    assert tab.message.text().startswith("Line 13: Exercise “Seated twist”:")
    assert "repetitions" in tab.message.text()
    assert not (app.paths.config_dir / "exercises.toml").exists()
    assert not (app.paths.config_dir / "wall-angels.png").exists()
    assert tab.item_for("wall-angels") is None


def test_a_broken_own_file_is_said_in_the_tab_and_breaks_keep_the_built_ins(make_app, app_paths):
    (app_paths.config_dir / "exercises.toml").write_text("[[exercise]\n", encoding="utf-8")
    app = make_app(manual=True)
    assert len(app.engine.stretches.pool("posture")) == len(
        [s for s in default_stretches() if "posture" in s.kinds]
    )
    tab = open_tab(app)
    assert "Line 1" in tab.message.text() and "exercises.toml" in tab.message.text()


def test_importing_one_exercise_reads_right_in_english(make_app, qtbot, tmp_path: Path):
    """Before: "Imported 1 exercise(s) from …" (English has no translation file)."""
    sent = tmp_path / "one.toml"
    sent.write_text(SENT.split("[[exercise]]")[0] + "[[exercise]]" + SENT.split("[[exercise]]")[2])
    app = make_app(manual=True)
    tab = open_tab(app)
    tab._choose_file = lambda _parent: str(sent)
    tab.import_button.click()
    assert [o.id for o in saved_library(app).own] == ["seated-twist"]
    assert tab.message.text() == "Exercises imported from one.toml: 1."
    assert "(s)" not in tab.message.text()


BROKEN = b'# my exercises, by hand\n[[exercise]]\nname = "Wall angels"\nsteps = Stand\n'


def test_a_broken_own_file_at_start_is_told_once_and_left_as_it_is(make_app, app_paths):
    """Bad input gets a clear message and loses nothing: the file, the line, what happens
    meanwhile; the built-ins serve; the file is never written over, whatever the tab does."""
    path = app_paths.config_dir / "exercises.toml"
    path.write_bytes(BROKEN)
    app = make_app(manual=True, start=False)
    told: list[tuple[str, str]] = []
    notify = app.notices.notify

    def recording(title: str, text: str, **kw: object) -> None:
        told.append((title, text))
        notify(title, text, **kw)  # type: ignore[arg-type]

    app.notices.notify = recording  # type: ignore[method-assign]
    app.start()
    problems = [(t, x) for t, x in told if "exercise" in t.lower()]
    assert len(problems) == 1, told
    title, text = problems[0]
    assert title == "Your exercise file has a problem"
    assert text.startswith(f"{path}: Line 4: this is not a valid TOML file"), text
    assert "breaks use the built-in exercises" in text
    assert "NeckCare leaves your file as it is" in text
    assert app.notifier.last == (title, text)  # the notification itself, and the status window
    assert app.notices.last_message is not None and app.notices.last_message[1] == text
    assert len(app.engine.stretches.pool("posture")) == len(
        [s for s in default_stretches() if "posture" in s.kinds]
    )

    # Settings → Exercises says it too, and changes nothing in the file.
    tab = open_tab(app)
    assert tab.message.isVisible() and tab.message.text() == text
    assert not tab.add_button.isEnabled() and not tab.import_button.isEnabled()
    item = tab.item_for("chin-tuck")
    assert item is not None and not item.flags() & Qt.ItemFlag.ItemIsUserCheckable
    tab.intent.emit(SwitchExercise("chin-tuck", False))  # were a switch to get through
    assert "Nothing was changed" in tab.message.text() and "Line 4" in tab.message.text()
    assert path.read_bytes() == BROKEN
    assert sorted(p.name for p in app_paths.config_dir.iterdir() if "exercise" in p.name) == [
        "exercises.toml"
    ]
    app.controller.show_settings()  # opening Settings again says it again, quietly
    assert len([t for t, _ in told if "exercise" in t.lower()]) == 1
    assert path.read_bytes() == BROKEN


def test_an_unreadable_own_file_is_told_too(make_app, app_paths):
    path = app_paths.config_dir / "exercises.toml"
    path.write_bytes(b'name = "\xff\xfe"\n')  # not UTF-8
    app = make_app(manual=True)
    assert app.notifier.last is not None
    title, text = app.notifier.last
    assert title == "Your exercise file has a problem"
    assert str(path) in text and "built-in exercises" in text
    assert path.read_bytes() == b'name = "\xff\xfe"\n'
