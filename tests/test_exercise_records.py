"""What was done: the running app plays the routine and records each exercise shown.

The person's own file is read at start; a posture break shows its exercises one after
another; "Done", "Next", the end of the break and ending it early each leave one history
row (done, skipped, cut short); the CSV has them, and the weekly query (History, the
clinician's report) counts the exercises done and the breaks that included them.
"""

from __future__ import annotations

import csv
import textwrap
from datetime import timedelta
from itertools import pairwise

from PySide6.QtCore import Qt

from fakes import later
from neckcare_desktop.core.breaks import BreakKind
from neckcare_desktop.core.history import EXERCISE_KINDS, EventKind
from neckcare_desktop.core.history.exercises import weekly_exercises
from neckcare_desktop.core.stretches import default_stretches
from neckcare_desktop.paths import AppPaths

#: Every built-in posture exercise switched off but one, and one of the person's own.
OWN_FILE = textwrap.dedent(
    """\
    switched_off = [{off}]

    [[exercise]]
    id = "towel-stretch"
    name = "Towel chest opener"
    steps = ["Hold a towel behind you with both hands.", "Open your chest gently."]
    hold_seconds = 10
    repetitions = 3
    seconds = 60
    area = "shoulders"
    """
)


def write_own_file(paths: AppPaths) -> None:
    keep = {"shoulder-blade-squeeze"}
    off = [s.id for s in default_stretches() if "posture" in s.kinds and s.id not in keep]
    text = OWN_FILE.format(off=", ".join(f'"{i}"' for i in off))
    (paths.config_dir / "exercises.toml").write_text(text, encoding="utf-8")


def exercise_rows(app) -> list[tuple[str, str | None, int | None]]:
    rows = app.history.recent(limit=1000, kinds=EXERCISE_KINDS)[::-1]
    return [(r.kind.value, r.subject, r.actual_seconds) for r in rows]


def make(make_app, app_paths):
    write_own_file(app_paths)
    return make_app(
        manual=True,
        breaks={
            "micro": {"enabled": False},
            "posture": {"interval_minutes": 50, "duration_minutes": 5},
        },
    )


def test_a_posture_break_plays_own_and_built_in_exercises_and_records_each(
    make_app, app_paths, qtbot
):
    app = make(make_app, app_paths)
    app.engine.take_break_now(BreakKind.POSTURE)
    window = app.breaks.window
    assert window is not None and window.running
    routine = app.engine.current_routine()
    ids = [step.exercise.id for step in routine.steps]
    assert set(ids) == {"towel-stretch", "shoulder-blade-squeeze"}  # only those switched on
    assert routine.seconds == 300
    view = window.routine_view
    assert view.step_label.text() == f"Exercise 1 of {len(ids)}"
    assert window.stretch_title.text() == routine.lead.title
    assert view.done_button.isVisible() and view.next_button.isVisible()

    later(app, seconds=20)
    qtbot.mouseClick(view.done_button, Qt.MouseButton.LeftButton)
    assert view.step_label.text() == f"Exercise 2 of {len(ids)}"
    assert window.stretch_title.text() == routine.steps[1].exercise.title
    later(app, seconds=5)
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    later(app, seconds=10)
    qtbot.mouseClick(window.skip_button, Qt.MouseButton.LeftButton)  # "End break early"
    assert app.breaks.window is None

    assert exercise_rows(app) == [
        ("exercise_done", ids[0], 20),
        ("exercise_skipped", ids[1], 5),
        ("exercise_cut_short", ids[2], 10),
    ]
    # The note keeps the name as it was, for History and the CSV.
    names = {r.subject: r.note for r in app.history.recent(kinds=EXERCISE_KINDS)}
    assert names["towel-stretch"] == "Towel chest opener"


def test_a_break_that_runs_to_its_end_did_every_exercise(make_app, app_paths):
    app = make(make_app, app_paths)
    app.engine.take_break_now(BreakKind.POSTURE)
    ids = [step.exercise.id for step in app.engine.current_routine().steps]
    later(app, minutes=5)
    assert app.breaks.window is None
    assert [row[:2] for row in exercise_rows(app)] == [("exercise_done", i) for i in ids]


def test_the_window_counts_the_hold_and_repetitions(make_app, app_paths):
    app = make(make_app, app_paths)
    app.engine.take_break_now(BreakKind.POSTURE)
    routine = app.engine.current_routine()
    window = app.breaks.window
    if routine.lead.id != "towel-stretch":
        window.routine_view.done_button.click()
    label = window.routine_view.repetition_label
    assert label.isVisible()
    assert label.text().startswith("Repetition 1 of ")
    assert "hold 10 s" in label.text() or "hold 5 s" in label.text()


def test_the_same_exercise_does_not_lead_two_breaks_in_a_row(make_app, app_paths):
    app = make(make_app, app_paths)
    leads = []
    for _ in range(8):
        app.engine.take_break_now(BreakKind.POSTURE)
        leads.append(app.engine.current_routine().lead.id)
        app.engine.skip_break()
        later(app, minutes=1)
    assert all(a != b for a, b in pairwise(leads)), leads


def test_the_csv_and_the_weekly_query_have_the_exercises(make_app, app_paths, tmp_path):
    app = make(make_app, app_paths)
    start = app.clock.now()
    for _ in range(2):  # two breaks, each with one exercise done and one skipped
        app.engine.take_break_now(BreakKind.POSTURE)
        app.breaks.exercise_done()
        app.breaks.exercise_next()
        app.engine.skip_break()
        later(app, minutes=20)
    app.engine.take_break_now(BreakKind.POSTURE)  # a third with only a skip
    app.breaks.exercise_next()
    app.engine.skip_break()

    out = tmp_path / "history.csv"
    app.history.export_csv(out)
    with out.open(encoding="utf-8") as fh:
        kinds = [row["kind"] for row in csv.DictReader(fh)]
    assert kinds.count("exercise_done") == 2
    assert kinds.count("exercise_skipped") == 3
    assert kinds.count("exercise_cut_short") == 3

    (week,) = weekly_exercises(
        app.history, start - timedelta(days=1), app.clock.now() + timedelta(minutes=1)
    )
    assert week.week_start.weekday() == 0
    assert week.total_done == 2
    assert week.breaks_with_exercises == 2
    assert sum(week.skipped.values()) == 3
    assert set(week.names) <= {"towel-stretch", "shoulder-blade-squeeze"}
    assert EventKind.EXERCISE_DONE in EXERCISE_KINDS


def test_quitting_in_a_break_cuts_the_exercise_short_before_the_quit(make_app, app_paths):
    """Quit while a routine plays: the exercise showing is recorded as cut short, before
    the break's interruption and the quit, and the routine's timer stops with the app (it
    used to tick on and try to write into the closed history)."""
    import sqlite3

    app = make(make_app, app_paths)
    app.engine.take_break_now(BreakKind.POSTURE)
    lead = app.engine.current_routine().lead.id
    later(app, seconds=20)
    app.shutdown()
    assert not app.breaks._routine_timer.isActive()
    assert app.breaks.window is None

    conn = sqlite3.connect(app_paths.history_file)
    try:
        rows = conn.execute("SELECT kind, subject FROM events ORDER BY id").fetchall()
    finally:
        conn.close()
    assert rows[-3:] == [
        ("exercise_cut_short", lead),
        ("break_interrupted", "posture"),
        ("app_quit", None),
    ]
