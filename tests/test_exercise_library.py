"""The person's exercise file: its format, its errors, the gentle-movement rule.

A physiotherapist's file must either come in whole or not at all, with an error that
says which line to fix; a move that strains a sore neck (rolls, circles, pressure) is
refused in English and in Spanish, naming the exercise.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neckcare_desktop.core.exercise_format import ExerciseFileError
from neckcare_desktop.core.exercise_library import (
    ExerciseDraft,
    ExerciseLibrary,
    RemoveExercise,
    SaveExercise,
    SwitchExercise,
    changed_library,
    parse_exercises,
    render_exercises,
)
from neckcare_desktop.core.exercise_safety import unsafe_move
from neckcare_desktop.core.stretches import default_stretches

BUILTINS = default_stretches()

GOOD = textwrap.dedent(
    """\
    # From my physiotherapist, December
    switched_off = ["chin-tuck"]

    [[exercise]]
    name = "Wall angels"
    steps = ["Stand with your back against a wall.", "Slide your arms slowly up and down."]
    hold_seconds = 3
    repetitions = 8
    area = "upper_back"
    picture = "wall-angels.png"

    [exercise.es]
    name = "Ángeles en la pared"
    steps = ["De pie, con la espalda contra la pared.", "Desliza los brazos despacio."]

    [[exercise]]
    id = "palming"
    name = "Palming"
    steps = "Cover your closed eyes with your palms and breathe slowly."
    hold_seconds = 20
    area = "eyes"
    kinds = ["micro", "posture"]
    """
)


def parse(text: str, **kwargs: object) -> ExerciseLibrary:
    return parse_exercises(text, BUILTINS, **kwargs)  # type: ignore[arg-type]


def error(text: str, **kwargs: object) -> ExerciseFileError:
    with pytest.raises(ExerciseFileError) as info:
        parse(text, **kwargs)
    return info.value


# -- a good file ----------------------------------------------------------------------------


def test_a_good_file_gives_every_field_and_the_switches() -> None:
    library = parse(GOOD, picture_exists=lambda name: name == "wall-angels.png", image_root="/x")
    angels, palming = library.own
    assert angels.id == "wall-angels"  # from the name when the file gives none
    assert angels.title == "Wall angels"
    assert angels.steps == (
        "Stand with your back against a wall.",
        "Slide your arms slowly up and down.",
    )
    assert (angels.hold_seconds, angels.repetitions, angels.area) == (3, 8, "upper_back")
    assert angels.kinds == frozenset({"posture"})
    assert (angels.image, angels.image_root) == ("wall-angels.png", "/x")
    assert angels.stop_if_hurts and not angels.builtin
    assert palming.steps == ("Cover your closed eyes with your palms and breathe slowly.",)
    assert palming.kinds == frozenset({"micro", "posture"})
    assert library.switched_off == frozenset({"chin-tuck"})
    active = {s.id for s in library.active()}
    assert "chin-tuck" not in active
    assert {"wall-angels", "palming", "shoulder-blade-squeeze"} <= active
    assert len(library.all()) == len(BUILTINS) + 2


def test_another_language_is_shown_in_that_language_and_english_elsewhere() -> None:
    angels = parse(GOOD).own[0]
    assert angels.title_text("es_ES") == "Ángeles en la pared"
    assert angels.steps_text("es")[0] == "De pie, con la espalda contra la pared."
    assert angels.title_text("en_GB") == "Wall angels"
    assert angels.title_text("de_DE") == "Wall angels"
    assert angels.how_text("es").startswith("De pie")


def test_what_the_app_writes_reads_back_the_same() -> None:
    library = parse(GOOD)
    assert parse(render_exercises(library)) == library


@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
    ).filter(lambda t: t.strip() and unsafe_move([t]) is None)
)
def test_any_name_survives_writing_and_reading(name: str) -> None:
    draft = ExerciseDraft(name=name, steps=('Say "hi" \\ slowly.',), hold_seconds=0,
                          repetitions=2, area="shoulders")  # fmt: skip
    library = changed_library(ExerciseLibrary(tuple(BUILTINS)), SaveExercise(draft))
    again = parse(render_exercises(library))
    assert again.own[0].title == " ".join(name.split()) or again.own[0].title == name.strip()
    assert again.own[0].steps == ('Say "hi" \\ slowly.',)


# -- bad files: the line, the exercise, what to change -------------------------------------


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("repetitions = 8", "repetitions = 0"), 8, "repetitions"),
        (("hold_seconds = 3", "hold_seconds = -1"), 7, "hold_seconds"),
        (("hold_seconds = 3", 'hold_seconds = "3"'), 7, "hold_seconds"),
        (('area = "upper_back"', 'area = "back"'), 9, "area"),
        (('area = "eyes"', 'area = "eye"'), 21, "area"),
        (("hold_seconds = 20", "hold_secs = 20"), 20, "hold_secs"),
        (('kinds = ["micro", "posture"]', 'kinds = ["lunch"]'), 22, "kinds"),
        (('picture = "wall-angels.png"', 'picture = "../secret.png"'), 10, "picture"),
        (('picture = "wall-angels.png"', 'picture = "wall-angels.gif"'), 10, "picture"),
        (('name = "Ángeles en la pared"', "nombre = 1"), 13, "nombre"),
    ],
)
def test_a_bad_field_names_its_line_and_exercise(
    change: tuple[str, str], line: int, words: str
) -> None:
    bad = GOOD.replace(*change)
    assert bad != GOOD
    problem = error(bad)
    assert problem.line == line
    assert f"Line {line}:" in str(problem)
    assert words in str(problem)
    assert problem.name in ("Wall angels", "Palming")
    assert f"“{problem.name}”" in str(problem)


def test_a_missing_field_names_the_entry_line() -> None:
    problem = error(GOOD.replace('area = "eyes"\n', ""))
    assert (problem.line, problem.name) == (16, "Palming")
    assert "“area” is missing" in str(problem)


def test_broken_toml_says_its_line() -> None:
    problem = error(GOOD.replace('name = "Palming"', 'name = "Palming'))
    assert problem.line == 18
    assert "not a valid TOML file" in str(problem)


def test_a_picture_that_is_not_there_is_named() -> None:
    problem = error(GOOD, picture_exists=lambda _name: False)
    assert problem.line == 10
    assert "wall-angels.png" in str(problem)


def test_ids_must_be_unique_and_not_a_built_ins() -> None:
    twice = GOOD.replace('id = "palming"', 'id = "wall-angels"')
    assert error(twice).line == 16
    assert "earlier exercise" in str(error(twice))
    builtin = GOOD.replace('id = "palming"', 'id = "chin-tuck"')
    assert "built-in" in str(error(builtin))


def test_half_bad_file_brings_nothing() -> None:
    """The first entry is fine, the second is not: the import is refused whole."""
    mine = ExerciseLibrary(tuple(BUILTINS))
    with pytest.raises(ExerciseFileError):
        mine = mine.imported(parse(GOOD.replace('area = "eyes"', 'area = "feet"')))
    assert mine.own == ()


def test_an_import_replaces_an_exercise_of_the_same_id_and_keeps_the_rest() -> None:
    mine = changed_library(
        ExerciseLibrary(tuple(BUILTINS)),
        SaveExercise(ExerciseDraft("Palming", ("Old words.",), 10, 1, "eyes")),
    )
    mine = changed_library(
        mine, SaveExercise(ExerciseDraft("Walk to the window", ("Walk.",), 0, 1, "whole_body"))
    )
    merged = mine.imported(parse(GOOD))
    assert [o.id for o in merged.own] == ["palming", "walk-to-the-window", "wall-angels"]
    assert merged.find("palming").steps[0].startswith("Cover your closed eyes")  # type: ignore[union-attr]
    assert not merged.is_on("chin-tuck")


# -- the gentle-movement rule -----------------------------------------------------------------


UNSAFE = [
    "Slowly rotate your neck in a large circle.",
    "Do five neck rolls each way.",
    "Roll your neck gently from side to side.",
    "Circle your head slowly.",
    "Make circles with your head.",
    "Press hard on the tight spot.",
    "Apply deep pressure to the muscle.",
    "Rueda el cuello despacio.",
    "Haz círculos con la cabeza.",
    "Gira el cuello en círculo.",
    "Aplica presión fuerte con los dedos.",
    "Presiona fuerte el músculo.",
]
GENTLE = [
    "Keep your head still and level. Slowly roll just your shoulders up, back and down.",
    "Slowly draw your chin straight back, as if making a double chin.",
    "Turn your head slowly to one side, only as far as is comfortable.",
    "Gira la cabeza despacio hacia un lado.",
    "Press your palms together lightly.",
    "Presiona suavemente las palmas.",
]


@pytest.mark.parametrize("text", UNSAFE)
def test_unsafe_moves_are_found(text: str) -> None:
    assert unsafe_move([text])


@pytest.mark.parametrize("text", GENTLE)
def test_gentle_moves_pass(text: str) -> None:
    assert unsafe_move([text]) is None


@pytest.mark.parametrize(
    ("text", "line"), [("Do neck rolls", 6), ("Haz círculos con la cabeza", 14)]
)
def test_a_file_asking_for_an_unsafe_move_is_refused_naming_the_exercise(
    text: str, line: int
) -> None:
    where = "Slide your arms slowly up and down." if text.startswith("Do") else "Desliza"
    problem = error(GOOD.replace(where, text + " " + where))
    assert problem.name == "Wall angels"
    assert problem.line == line  # the steps (in English, or in the Spanish table)
    assert "NeckCare does not suggest" in str(problem)
    assert "“Wall angels”" in str(problem)


SPANISH_FILE = textwrap.dedent(
    """\
    # Ejercicios de mi fisioterapeuta
    switched_off = []

    # Para el cuello

    [[exercise]]
    name = "Cuello suelto"
    steps = ["Siéntate con la espalda recta.", "Haz círculos con el cuello, despacio."]
    area = "neck"
    """
)
ENGLISH_FILE = textwrap.dedent(
    """\
    [[exercise]]
    name = "Loosen up"
    steps = ["Do five Neck circles each way."]
    area = "neck"
    """
)


@pytest.mark.parametrize(
    ("text", "line", "quoted"),
    [
        (SPANISH_FILE, 8, "“círculos con el cuello”"),
        (ENGLISH_FILE, 3, "“Neck circles”"),
        # A list of steps over several lines: the line of the step itself.
        (
            ENGLISH_FILE.replace(
                'steps = ["Do five', 'steps = [\n    "Sit tall.",\n    "Then do five'
            ),
            5,
            "“Neck circles”",
        ),
        # The name, and a step of another language's table.
        (ENGLISH_FILE.replace("Loosen up", "Rolling neck circles"), 2, "“neck circles”"),
        (
            ENGLISH_FILE.replace("Neck circles", "shoulder rolls")
            + '\n[exercise.es]\nname = "Suelto"\nsteps = ["Rueda el cuello."]\n',
            8,
            "“Rueda el cuello”",
        ),
    ],
)
def test_an_unsafe_move_names_its_own_line_and_quotes_it_as_written(
    text: str, line: int, quoted: str
) -> None:
    """Before: the exercise's [[exercise]] line, and the words without accents or
    capitals ("circulos con el cuello")."""
    problem = error(text)
    assert problem.line == line
    assert str(problem).startswith(f"Line {line}: Exercise")
    assert f"NeckCare does not suggest {quoted}:" in str(problem)


def test_an_unsafe_edit_is_refused_too() -> None:
    library = ExerciseLibrary(tuple(BUILTINS))
    draft = ExerciseDraft("Loosen up", ("Circle your head five times.",), 0, 5, "neck")
    with pytest.raises(ExerciseFileError, match="Loosen up"):
        changed_library(library, SaveExercise(draft))


# -- the library's changes --------------------------------------------------------------------


def test_built_ins_are_switched_off_but_never_edited_or_removed() -> None:
    library = ExerciseLibrary(tuple(BUILTINS))
    off = changed_library(library, SwitchExercise("chin-tuck", False))
    assert "chin-tuck" not in {s.id for s in off.active()}
    assert changed_library(off, SwitchExercise("chin-tuck", True)).is_on("chin-tuck")
    draft = ExerciseDraft("Chin tuck", ("Different.",), 5, 5, "neck")
    with pytest.raises(ExerciseFileError, match="built-in"):
        changed_library(library, SaveExercise(draft, replacing="chin-tuck"))
    with pytest.raises(ExerciseFileError, match="built-in"):
        changed_library(library, RemoveExercise("chin-tuck"))


def test_own_exercises_are_added_edited_and_removed() -> None:
    library = ExerciseLibrary(tuple(BUILTINS))
    draft = ExerciseDraft("Shoulder shrugs", ("Lift your shoulders.", "Let them drop."), 2, 6,
                          "shoulders")  # fmt: skip
    added = changed_library(library, SaveExercise(draft))
    (own,) = added.own
    assert own.id == "shoulder-shrugs" and own.seconds == 36
    edited = changed_library(
        added,
        SaveExercise(
            ExerciseDraft("Shoulder lifts", ("Lift.",), 2, 4, "shoulders"),
            replacing="shoulder-shrugs",
        ),
    )
    assert [(o.id, o.title, o.repetitions) for o in edited.own] == [
        ("shoulder-shrugs", "Shoulder lifts", 4)
    ]
    same_name = changed_library(
        edited, SaveExercise(ExerciseDraft("Shoulder shrugs", ("x",), 0, 1, "shoulders"))
    )
    assert [o.id for o in same_name.own] == ["shoulder-shrugs", "shoulder-shrugs-2"]
    assert changed_library(same_name, RemoveExercise("shoulder-shrugs")).own[0].id == (
        "shoulder-shrugs-2"
    )


def test_the_documented_example_reads_as_documented() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs" / "exercises.md"
    example = docs.read_text(encoding="utf-8").split("```toml\n", 1)[1].split("```", 1)[0]
    library = parse(example)
    angels, palming = library.own
    assert (angels.id, angels.hold_seconds, angels.repetitions, angels.seconds) == (
        "wall-angels", 3, 8, 60,
    )  # fmt: skip
    assert angels.title_text("es") == "Ángeles en la pared"
    assert palming.id == "palming" and palming.kinds == frozenset({"micro", "posture"})
    assert library.switched_off == frozenset({"chin-tuck"})
    # Every built-in id the page lists is one.
    listed = docs.read_text(encoding="utf-8").split("The built-in ids are:", 1)[1]
    assert {s.id for s in BUILTINS} <= set(re.findall(r"`([a-z0-9-]+)`", listed))
