"""The exercises a person owns: the built-in ones, their own, and which are switched on.

The built-ins ship in ``resources/stretches.toml`` and are never edited, only switched
off. The person's own live in ``exercises.toml`` in the config folder (next to
``settings.toml``), in the format ``docs/exercises.md`` describes; the same file says
which exercises are switched off (``switched_off = ["chin-tuck"]``), so everything about
the person's exercises is in one file they can back up or hand on.

A file a physiotherapist sent is read whole before anything changes: every problem is
reported with the line it is on (TOML's own errors carry one; a field's line is found in
the text), and one bad entry means nothing is imported. Every entry also passes the
gentle-movement rule (core.exercise_safety). Pure: reading a file is the caller's
business, and so is writing one (the app writes atomically with core.atomic_file).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

from neckcare_desktop.core.exercise_format import (
    ExerciseFileError,
    Lines,
    builtin_id_problem,
    free_id,
    parse_entry,
    problem_text,
    top_line,
)
from neckcare_desktop.core.i18n import translate
from neckcare_desktop.core.stretches import Stretch

#: The person's exercises, in the config folder.
EXERCISES_FILE_NAME: Final = "exercises.toml"


@dataclass(frozen=True)
class ExerciseLibrary:
    """Built-in exercises, the person's own, and the ids switched off."""

    builtins: tuple[Stretch, ...]
    own: tuple[Stretch, ...] = ()
    switched_off: frozenset[str] = frozenset()
    #: Pictures to copy next to the file when saving: (from, to file name).
    pictures_to_copy: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def all(self) -> tuple[Stretch, ...]:
        return self.builtins + self.own

    def active(self) -> list[Stretch]:
        """The exercises breaks draw from: every one not switched off."""
        return [s for s in self.all() if s.id not in self.switched_off]

    def find(self, exercise_id: str) -> Stretch | None:
        return next((s for s in self.all() if s.id == exercise_id), None)

    def is_on(self, exercise_id: str) -> bool:
        return exercise_id not in self.switched_off

    def switched(self, exercise_id: str, on: bool) -> ExerciseLibrary:
        if self.find(exercise_id) is None:
            raise KeyError(exercise_id)
        off = self.switched_off - {exercise_id} if on else self.switched_off | {exercise_id}
        return replace(self, switched_off=frozenset(off), pictures_to_copy=())

    def with_own(self, exercise: Stretch, replacing: str | None = None) -> ExerciseLibrary:
        """``exercise`` added, or in place of the person's own ``replacing``."""
        if any(b.id == exercise.id for b in self.builtins):
            raise ExerciseFileError(builtin_id_problem(exercise.id), name=exercise.title)
        if replacing is not None and all(o.id != replacing for o in self.own):
            raise KeyError(replacing)
        taken = {o.id for o in self.own if o.id != replacing}
        exercise = replace(exercise, id=free_id(exercise.id, taken))
        own = [exercise if o.id == replacing else o for o in self.own]
        if replacing is None:
            own.append(exercise)
        off = self.switched_off - {replacing} if replacing else self.switched_off
        return replace(self, own=tuple(own), switched_off=frozenset(off), pictures_to_copy=())

    def without_own(self, exercise_id: str) -> ExerciseLibrary:
        own = tuple(o for o in self.own if o.id != exercise_id)
        return replace(self, own=own, switched_off=self.switched_off - {exercise_id})

    def imported(self, other: ExerciseLibrary) -> ExerciseLibrary:
        """The person's own plus every exercise of ``other`` (read from a sent file): one
        with the id of one of theirs replaces it (an updated prescription)."""
        incoming = {o.id: o for o in other.own}
        own = tuple(incoming.pop(o.id, o) for o in self.own) + tuple(incoming.values())
        off = (self.switched_off - {o.id for o in other.own}) | {
            i for i in other.switched_off if self.find(i) is not None or i in incoming
        }
        return ExerciseLibrary(self.builtins, own, frozenset(off), other.pictures_to_copy)


# -- reading ----------------------------------------------------------------------------


def parse_exercises(
    text: str,
    builtins: Sequence[Stretch],
    *,
    picture_exists: Any = None,
    image_root: str | None = None,
) -> ExerciseLibrary:
    """Read an ``exercises.toml`` text whole; raise ExerciseFileError at its first problem.

    ``picture_exists(name) -> bool`` checks a picture next to the file (None: not
    checked, e.g. a file the app wrote itself). ``image_root``: that folder, for showing.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise ExerciseFileError(
            translate("Exercises", "this is not a valid TOML file ({reason}).").format(
                reason=str(exc)
            ),
            line=int(found.group(1)) if found else (text.count("\n") + 1),
        ) from exc
    lines = Lines(text)
    for key in data:
        if key not in ("exercise", "switched_off"):
            raise ExerciseFileError(
                problem_text("unknown", field=key, known="exercise, switched_off"),
                line=top_line(lines, key),
            )
    off = data.get("switched_off", [])
    if not isinstance(off, list) or not all(isinstance(i, str) for i in off):
        raise ExerciseFileError(
            problem_text("text", field="switched_off"), line=top_line(lines, "switched_off")
        )
    entries = data.get("exercise", [])
    if not isinstance(entries, list):
        raise ExerciseFileError(problem_text("missing", field="[[exercise]]"))
    builtin_ids = {b.id for b in builtins}
    own: list[Stretch] = []
    pictures: list[tuple[str, str]] = []
    for index, entry in enumerate(entries):
        exercise = parse_entry(entry, index, lines, picture_exists, image_root)
        line, name = lines.entry(index), exercise.title
        if exercise.id in builtin_ids:
            raise ExerciseFileError(builtin_id_problem(exercise.id), line=line, name=name)
        if any(o.id == exercise.id for o in own):
            raise ExerciseFileError(problem_text("duplicate", id=exercise.id), line=line, name=name)
        own.append(exercise)
        if exercise.image is not None:
            pictures.append((exercise.image, exercise.image))
    return ExerciseLibrary(tuple(builtins), tuple(own), frozenset(off), tuple(pictures))


# -- writing ----------------------------------------------------------------------------


def _toml_string(text: str) -> str:
    # JSON's string escapes are all valid in a TOML basic string.
    return json.dumps(text, ensure_ascii=False)


def _toml_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(_toml_string(i) for i in items) + "]"


def render_exercises(library: ExerciseLibrary) -> str:
    """The text of ``exercises.toml`` for the person's own exercises and switches."""
    out = [
        "# NeckCare: your exercises (format: docs/exercises.md in NeckCare's sources).",
        "# Built-in exercises are switched off by listing their id in switched_off.",
        "",
        f"switched_off = {_toml_list(sorted(library.switched_off))}",
    ]
    for ex in library.own:
        out += [
            "",
            "[[exercise]]",
            f"id = {_toml_string(ex.id)}",
            f"name = {_toml_string(ex.title)}",
            f"steps = {_toml_list(ex.steps)}",
            f"hold_seconds = {ex.hold_seconds}",
            f"repetitions = {ex.repetitions}",
            f"seconds = {ex.seconds}",
            f"area = {_toml_string(ex.area)}",
            f"kinds = {_toml_list(sorted(ex.kinds))}",
        ]
        if ex.image:
            out.append(f"picture = {_toml_string(ex.image)}")
        for language, name, steps in ex.variants:
            out += [
                "",
                f"[exercise.{language}]",
                f"name = {_toml_string(name)}",
                f"steps = {_toml_list(steps)}",
            ]
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class ExerciseDraft:
    """An exercise as the Settings form has it, before it is checked."""

    name: str
    steps: tuple[str, ...]
    hold_seconds: int
    repetitions: int
    area: str
    kinds: frozenset[str] = frozenset({"posture"})
    picture: str | None = None
    variants: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    exercise_id: str | None = None


def exercise_from_draft(draft: ExerciseDraft, image_root: str | None = None) -> Stretch:
    """Check a draft with the same rules as a file (and the gentle-movement rule)."""
    entry: dict[str, Any] = {
        "name": draft.name,
        "steps": [s for s in draft.steps if s.strip()],
        "hold_seconds": draft.hold_seconds,
        "repetitions": draft.repetitions,
        "area": draft.area,
        "kinds": sorted(draft.kinds),
    }
    if draft.exercise_id:
        entry["id"] = draft.exercise_id
    if draft.picture:
        entry["picture"] = draft.picture
    for language, name, steps in draft.variants:
        entry[language] = {"name": name, "steps": list(steps)}
    return parse_entry(entry, 0, Lines(""), None, image_root)


# -- what the Exercises tab asks for ----------------------------------------------------


@dataclass(frozen=True)
class SwitchExercise:
    exercise_id: str
    on: bool


@dataclass(frozen=True)
class SaveExercise:
    """Add the person's own exercise, or (``replacing``: its id) change one."""

    draft: ExerciseDraft
    replacing: str | None = None


@dataclass(frozen=True)
class RemoveExercise:
    exercise_id: str


@dataclass(frozen=True)
class ImportExercises:
    """A file someone sent (a physiotherapist), to add to the person's own."""

    path: str


ExerciseIntent = SwitchExercise | SaveExercise | RemoveExercise | ImportExercises


def changed_library(library: ExerciseLibrary, intent: ExerciseIntent) -> ExerciseLibrary:
    """The library after a switch, a save or a removal (an import needs its file read:
    see :func:`parse_exercises` and :meth:`ExerciseLibrary.imported`).

    Raises ExerciseFileError for a draft that breaks a rule, and refuses to change a
    built-in exercise (they can only be switched off).
    """
    if isinstance(intent, SwitchExercise):
        return library.switched(intent.exercise_id, intent.on)
    if isinstance(intent, RemoveExercise | SaveExercise):
        target = intent.exercise_id if isinstance(intent, RemoveExercise) else intent.replacing
        if target is not None and any(b.id == target for b in library.builtins):
            raise ExerciseFileError(
                translate(
                    "Exercises",
                    "built-in exercises cannot be changed or removed, only switched off.",
                )
            )
        if isinstance(intent, RemoveExercise):
            return library.without_own(intent.exercise_id)
        existing = library.find(intent.replacing) if intent.replacing else None
        root = existing.image_root if existing is not None else None
        draft = intent.draft
        if intent.replacing is not None:
            draft = replace(draft, exercise_id=intent.replacing)
        return library.with_own(exercise_from_draft(draft, root), intent.replacing)
    raise TypeError(f"not an intent this applies: {intent!r}")
