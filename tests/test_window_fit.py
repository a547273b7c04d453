"""Every window fits the screen it opens on, buttons included, at 100 % and 150 % scaling.

A 1280×800 laptop at 150 % is 853×533 logical pixels: before, the spasm dialog's Save
and Cancel were 160 px below the screen and History opened at 1500×1140. The screens are
fake (the offscreen platform reads them from a JSON file) and the scale factor must be set
before the QApplication exists, so each configuration runs in a fresh interpreter
(``window_fit_probe.py``). The rest runs in this process: a validation message moves
nothing under the pointer, and two therapy alerts never cover each other.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from fakes import settle
from fresh_python import run_json
from neckcare_desktop.core.history import HistoryStore
from neckcare_desktop.core.settings import settings_from_dict
from neckcare_desktop.core.therapy import FinishedSession, TherapyKind, TherapySession
from neckcare_desktop.ui.history.window import HistoryWindow
from neckcare_desktop.ui.placement import CASCADE_STEP, cascade_from, fit_to_screen
from neckcare_desktop.ui.settings_dialog import SettingsDialog
from neckcare_desktop.ui.spasm_dialog import START_TODAY, SpasmDialog
from neckcare_desktop.ui.therapy_alert import TherapyAlert

PROBE = Path(__file__).with_name("window_fit_probe.py")
LAPTOP = {"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 800}
#: A smaller second monitor to the right, where the pointer is.
SIDE = {"name": "side", "x": 1280, "y": 0, "width": 1024, "height": 600}

#: Every window the probe opens, with how many primary buttons it reports.
BUTTONS = {
    "spasm": 2,  # Save, Cancel
    "spasm_update": 3,  # Save pain, Mark as resolved, Close
    "settings": 2,  # Save, Cancel
    "history": 3,  # Export CSV…, Open data folder, Delete all history…
    "see_someone": 1,
    "alert_1": 1,
    "alert_2": 1,
    "break": 3,  # Start break, Postpone, Skip
    "safety_check": 2,  # Save (Start ice before a round), Not now (Cancel)
    "switch_alert": 1,  # Done
}


def probe(tmp_path: Path, scale: str, language: str, screens=(LAPTOP,), pointer="") -> Any:
    config = {
        "synchronousWindowSystemEvents": True,
        "windowFrameMargins": True,
        "screens": [{**s, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1} for s in screens],
    }
    config_file = tmp_path / f"screens-{scale}-{language}.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config_file}",
        "QT_SCALE_FACTOR": scale,
    }
    args = [language] + ([f"--pointer-at={pointer}"] if pointer else [])
    code = (
        f"import runpy, sys; sys.argv = {[str(PROBE), *args]!r}; "
        "runpy.run_path(sys.argv[0], run_name='__main__')"
    )
    return run_json(code, env, timeout=120)


def inside(inner: list[int] | QRect, outer: list[int] | QRect) -> bool:
    inner = QRect(*inner) if isinstance(inner, list) else inner
    outer = QRect(*outer) if isinstance(outer, list) else outer
    return outer.contains(inner)


def check_all_fit(out: dict[str, Any], screen: str) -> None:
    assert out["warnings"] == []
    area = out["areas"][screen]
    assert set(out["windows"]) == set(BUTTONS)
    for name, window in out["windows"].items():
        assert window["screen"] == screen, (name, window)
        assert inside(window["frame"], area), (name, window["frame"], area)
        assert len(window["buttons"]) == BUTTONS[name], (name, window["buttons"])
        for text, seen in window["buttons"].items():
            # Whole: the visible part of the button is all of it, and it is on the screen.
            assert seen[2:] == window["button_sizes"][text], (name, text, seen)
            assert inside(seen, area), (name, text, seen, area)
            assert inside(seen, window["frame"]), (name, text, seen)


@pytest.fixture(scope="module")
def module_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("window-fit")


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("scale", ["1", "1.5"])
def test_every_window_fits_a_1280x800_laptop(module_tmp: Path, scale: str, language: str):
    out = probe(module_tmp, scale, language)
    logical = QRect(0, 0, round(1280 / float(scale)), round(800 / float(scale)))
    assert QRect(*out["areas"]["laptop"]).size() == logical.size()
    check_all_fit(out, "laptop")
    windows = out["windows"]
    save_cancel = {"en": {"Save", "Cancel"}, "es": {"Guardar", "Cancelar"}}[language]
    assert set(windows["spasm"]["buttons"]) == save_cancel
    if scale == "1.5":
        # The long ones fill the short screen rather than push their buttons off it.
        assert windows["spasm"]["frame"][3] == logical.height()
        assert windows["history"]["frame"][2:] <= [logical.width(), logical.height()]
    else:
        # At 100 % nothing shrinks: the spasm form shows whole, History at its own size.
        assert 600 < windows["spasm"]["frame"][3] < 800
        assert windows["history"]["frame"][2] > 1000


def test_windows_open_on_the_pointers_smaller_screen_at_150_percent(module_tmp: Path):
    out = probe(module_tmp, "1.5", "en", screens=(LAPTOP, SIDE), pointer="1500,300")
    side = QRect(*out["areas"]["side"])
    assert side.height() == 400  # 600 / 1.5
    check_all_fit(out, "side")


def test_two_therapy_alerts_never_cover_each_other(module_tmp: Path):
    out = probe(module_tmp, "1.5", "en")
    first, second = (QRect(*out["windows"][f"alert_{n}"]["frame"]) for n in (1, 2))
    assert first.topLeft() != second.topLeft()
    # Moved far enough that the first one's title and edge show beside the second.
    assert second.x() - first.x() >= CASCADE_STEP // 2
    assert second.y() - first.y() >= CASCADE_STEP // 2


# ---------------------------------------------------------------------- in this process


def _global(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def _open(qtbot, dialog: QWidget) -> QWidget:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_missing_pain_score_message_moves_nothing(qtbot, store: HistoryStore, clock) -> None:
    dialog = _open(qtbot, SpasmDialog(store, clock.now))
    before = {
        "dialog": dialog.geometry(),
        "save": _global(dialog.save_button),
        "cancel": _global(dialog.cancel_button),
        "pain": _global(dialog.pain.edit),
        "triggers": _global(next(iter(dialog.trigger_boxes.values()))),
    }
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle()  # posted layout requests run: a reflow would show after them

    assert dialog.pain_error.isVisible() and dialog.pain_error.text()
    after = {
        "dialog": dialog.geometry(),
        "save": _global(dialog.save_button),
        "cancel": _global(dialog.cancel_button),
        "pain": _global(dialog.pain.edit),
        "triggers": _global(next(iter(dialog.trigger_boxes.values()))),
    }
    assert after == before


def test_a_start_in_the_future_message_moves_nothing(qtbot, store: HistoryStore, clock) -> None:
    dialog = _open(qtbot, SpasmDialog(store, clock.now))
    dialog.pain.set_value(5)
    dialog.today_time.setTime(dialog.today_time.time().addSecs(3 * 3600))
    assert dialog.start_choice() == START_TODAY
    watched = (dialog.save_button, dialog.today_time, dialog.pain.edit, dialog.note_edit)
    before = [dialog.geometry(), *(_global(w) for w in watched)]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle()

    assert dialog.start_error.isVisible() and "later than now" in dialog.start_error.text()
    # The message is shown whole beside the choices, inside the dialog.
    message = dialog.start_error
    assert message.height() >= message.heightForWidth(message.width())
    assert [dialog.geometry(), *(_global(w) for w in watched)] == before
    assert not store.episodes_between(clock.now() - timedelta(days=2), clock.now())


def test_the_update_dialogs_pain_message_moves_nothing(qtbot, store: HistoryStore, clock):
    episode = store.log_episode(clock.now() - timedelta(hours=3), 6, [], [], None, clock.now())
    dialog = _open(qtbot, SpasmDialog.for_update(store, episode.id, clock.now))
    dialog.pain.edit.setText("11")
    before = (dialog.geometry(), _global(dialog.update_button), _global(dialog.close_button))
    qtbot.mouseClick(dialog.update_button, Qt.MouseButton.LeftButton)
    settle()

    assert dialog.pain_error.isVisible() and '"11"' in dialog.pain_error.text()
    assert (dialog.geometry(), _global(dialog.update_button), _global(dialog.close_button)) == (
        before
    )


def test_a_settings_problem_moves_nothing(qtbot, tmp_path: Path) -> None:
    dialog = _open(qtbot, SettingsDialog(settings_from_dict({}), tmp_path / "settings.toml"))
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    before = (dialog.geometry(), _global(save))
    # Two problems at once: the message takes two lines.
    assert not dialog.save_values({"therapy.ice_minutes": 25, "breaks.micro.interval_minutes": 1})
    settle()

    assert dialog.error_text()  # shown, in the dialog's own words
    assert (dialog.geometry(), _global(save)) == before


def test_a_message_in_a_short_dialog_scrolls_into_view(qtbot, store: HistoryStore, clock):
    """On a short screen the form scrolls; a problem further down is scrolled to."""
    dialog = _open(qtbot, SpasmDialog(store, clock.now))
    dialog.resize(dialog.width(), 260)
    settle()
    bar = dialog.scroll_area.verticalScrollBar()
    bar.setValue(bar.maximum())
    before = dialog.geometry()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    def message_in_view() -> bool:
        viewport = dialog.scroll_area.viewport()
        seen = QRect(viewport.mapToGlobal(QPoint(0, 0)), viewport.size())
        return seen.contains(_global(dialog.pain_error))

    qtbot.waitUntil(message_in_view)
    assert dialog.geometry() == before


def _alert(clock) -> TherapyAlert:
    now = clock.now()
    session = TherapySession(TherapyKind.HEAT, now - timedelta(minutes=15), 900, now)
    return TherapyAlert(FinishedSession(session, now, 900, True), "Take the heat pack off.")


def test_alerts_cascade_and_stay_on_screen(qtbot, clock) -> None:
    alerts: list[TherapyAlert] = []
    for _ in range(3):
        alert = _alert(clock)
        qtbot.addWidget(alert)
        alert.present(alerts)
        alerts.append(alert)
    corners = [a.pos() for a in alerts]
    assert len(set(p.toTuple() for p in corners)) == 3, corners
    area = alerts[0].screen().availableGeometry()
    for alert in alerts:
        assert area.contains(alert.frameGeometry()), (alert.frameGeometry(), area)
    # Once the first is acknowledged, a new one may take its place again.
    alerts[0].acknowledge()
    late = _alert(clock)
    qtbot.addWidget(late)
    late.present(alerts[1:])
    assert late.pos() not in (alerts[1].pos(), alerts[2].pos())


def test_an_alert_deleted_meanwhile_does_not_stop_the_next(qtbot, clock) -> None:
    gone = _alert(clock)
    gone.present()
    shiboken6.delete(gone)  # closed and deleted, still in the app's list for a moment
    alert = _alert(clock)
    qtbot.addWidget(alert)
    alert.present([gone])
    assert alert.isVisible()


def test_cascading_past_the_screen_corner_starts_again_at_the_top(qtbot) -> None:
    area = QApplication.primaryScreen().availableGeometry()
    first, second = QWidget(), QWidget()
    for w in (first, second):
        qtbot.addWidget(w)
        w.resize(300, 200)
    first.show()
    corner = QPoint(area.right() - 310, area.bottom() - 240)
    first.move(corner)
    second.move(first.pos())
    cascade_from(second, [first])
    outer = QRect(second.pos(), second.frameGeometry().size())
    assert second.pos() != first.pos()
    assert area.contains(outer), (outer, area)


def test_history_reopened_stays_where_the_person_put_it(qtbot, store, clock) -> None:
    window = HistoryWindow(store, clock.now)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    area = window.screen().availableGeometry()
    assert area.contains(window.frameGeometry())
    window.resize(500, 400)
    window.move(area.topLeft() + QPoint(40, 30))
    spot = window.pos()
    window.hide()
    window.show()
    assert (window.pos(), window.size().toTuple()) == (spot, (500, 400))
    # Moved half off the screen meanwhile (a monitor unplugged): shown fully again.
    window.hide()
    window.move(area.right() - 100, area.top() + 10)
    window.show()
    assert area.contains(window.frameGeometry())


def test_fit_to_screen_never_grows_a_small_window(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(320, 180)
    fit_to_screen(window)
    assert window.size().toTuple() == (320, 180)
