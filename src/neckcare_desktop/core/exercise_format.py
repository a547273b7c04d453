"""The format of a person's exercise file, one entry at a time (see docs/exercises.md).

Every problem is an :class:`ExerciseFileError` that says the line it is on (found in the
text: TOML's parser only knows its own syntax errors' lines), the exercise and what to
change, in the person's language. The gentle-movement rule (core.exercise_safety) is
part of reading an entry, so no path into the library skips it.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any, Final

from neckcare_desktop.core.exercise_safety import find_unsafe_move, plain_text
from neckcare_desktop.core.i18n import translate
from neckcare_desktop.core.stretches import (
    AREAS,
    KINDS,
    MAX_HOLD_SECONDS,
    MAX_REPETITIONS,
    MAX_SECONDS,
    Stretch,
)

#: Pictures an exercise may show: drawn by Qt's SVG renderer or image reader.
PICTURE_SUFFIXES: Final = (".svg", ".png")
FIELDS: Final = (
    "id",
    "name",
    "steps",
    "hold_seconds",
    "repetitions",
    "area",
    "picture",
    "kinds",
    "seconds",
)
_VARIANT_FIELDS: Final = ("name", "steps")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z]{2})?$")
_HEADER = re.compile(r"^\s*\[\[\s*exercise\s*\]\]")


class ExerciseFileError(ValueError):
    """A problem with an exercise, said for the person: the line (when there is a file),
    the exercise and what to change. ``str()`` is the whole sentence, translated.
    ``field``: the field to change ("steps", "hold_seconds", …), when it is one."""

    def __init__(
        self,
        problem: str,
        *,
        line: int | None = None,
        name: str | None = None,
        field: str | None = None,
    ) -> None:
        self.problem = problem
        self.line = line
        self.name = name
        self.field = field
        text = problem
        if name:
            text = translate("Exercises", "Exercise “{name}”: {problem}").format(
                name=name, problem=problem
            )
        if line is not None:
            text = translate("Exercises", "Line {line}: {problem}").format(line=line, problem=text)
        super().__init__(text)


def builtin_id_problem(exercise_id: str) -> str:
    return translate(
        "Exercises",
        "the id “{id}” belongs to a built-in exercise: choose another one.",
    ).format(id=exercise_id)


def slug(name: str) -> str:
    """An id from a name: "Wall angels" → "wall-angels" (letters of any language kept)."""
    text = re.sub(r"[^\w]+", "-", name.casefold()).strip("-_")
    return text or "exercise"


def free_id(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def default_seconds(hold_seconds: int, repetitions: int) -> int:
    """How long an exercise takes when its author did not say: each repetition its hold
    and a few seconds to move and breathe, and never less than 20 seconds."""
    return min(MAX_SECONDS, max(20, repetitions * (hold_seconds + 4)))


class Lines:
    """Where entries and fields are in the file's text, for errors that name the line."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers = [i for i, line in enumerate(self.lines) if _HEADER.match(line)]

    def entry(self, index: int) -> int | None:
        return self.headers[index] + 1 if index < len(self.headers) else None

    def field(self, index: int, name: str, table: str | None = None) -> int | None:
        start = self.entry(index)
        if start is None:
            return None
        end = self.headers[index + 1] if index + 1 < len(self.headers) else len(self.lines)
        key = re.compile(rf'^\s*"?{re.escape(name)}"?\s*=')
        in_table = table is None
        for number in range(start, end):
            line = self.lines[number]
            if table is not None and re.match(
                rf"^\s*\[\s*exercise\s*\.\s*\"?{re.escape(table)}\"?\s*\]", line
            ):
                in_table = True
                continue
            if table is None and line.lstrip().startswith("["):
                break  # a variant table follows: the entry's own fields are above it
            if in_table and key.match(line):
                return number + 1
        return start

    def words(self, index: int, words: str, name: str, table: str | None = None) -> int | None:
        """The line of the entry's field ``name`` holding ``words`` (capitals and accents
        aside): a list of steps may run over several lines. The field's own line when
        the words are not there as such (written with escapes, or across two lines)."""
        start = self.field(index, name, table)
        if start is None:
            return None
        end = self.headers[index + 1] if index + 1 < len(self.headers) else len(self.lines)
        wanted = plain_text(words)
        return next(
            (n + 1 for n in range(start - 1, end) if wanted in plain_text(self.lines[n])),
            start,
        )


def problem_text(kind: str, **values: object) -> str:
    texts = {
        "missing": translate("Exercises", "“{field}” is missing."),
        "text": translate("Exercises", "“{field}” must be text."),
        "steps": translate(
            "Exercises",
            '“steps” must be a list of sentences, like steps = ["Sit tall.", '
            '"Breathe out slowly."].',
        ),
        "whole": translate("Exercises", "“{field}” must be a whole number from {low} to {high}."),
        "area": translate("Exercises", "“area” must be one of: {areas}."),
        "kinds": translate("Exercises", "“kinds” must be a list of “micro” and/or “posture”."),
        "unknown": translate(
            "Exercises", "“{field}” is not a field NeckCare knows (a typo?). Known: {known}."
        ),
        "duplicate": translate(
            "Exercises", "the id “{id}” is used by an earlier exercise in this file."
        ),
        "picture": translate(
            "Exercises", "“picture” must be an SVG or PNG file next to the exercises file."
        ),
        "picture_missing": translate(
            "Exercises", "the picture “{file}” was not found next to the exercises file."
        ),
        "unsafe": translate(
            "Exercises",
            "NeckCare does not suggest “{words}”: neck rolls, circles with the head and "
            "hard pressure can strain a sore neck. Leave this exercise out, or ask your "
            "physiotherapist for a gentler version.",
        ),
    }
    return texts[kind].format(**values)


def _name_of(entry: dict[str, Any]) -> str | None:
    name = entry.get("name")
    return name.strip() if isinstance(name, str) and name.strip() else None


def top_line(lines: Lines, key: str) -> int | None:
    pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*[=.\]]|^\s*\[+\s*{re.escape(key)}\b')
    return next((i + 1 for i, line in enumerate(lines.lines) if pattern.match(line)), None)


def parse_entry(
    entry: object,
    index: int,
    lines: Lines,
    picture_exists: Any,
    image_root: str | None,
) -> Stretch:
    line = lines.entry(index)
    if not isinstance(entry, dict):
        raise ExerciseFileError(problem_text("missing", field="name"), line=line)
    name = _name_of(entry)

    def fail(problem: str, at: str | None = None, table: str | None = None) -> ExerciseFileError:
        where = lines.field(index, at, table) if at else line
        return ExerciseFileError(problem, line=where, name=name, field=at)

    variants: list[tuple[str, str, tuple[str, ...]]] = []
    tables: list[str] = []  # each variant's table as the file names it ("es", "es-MX")
    for key, value in entry.items():
        if key in FIELDS:
            continue
        if isinstance(value, dict) and _LANGUAGE.match(key):
            variants.append(_variant(key, value, fail))
            tables.append(key)
            continue
        raise fail(problem_text("unknown", field=key, known=", ".join(FIELDS)), key)
    for required in ("name", "steps", "area"):
        if required not in entry:
            missing = problem_text("missing", field=required)
            raise ExerciseFileError(missing, line=line, name=name, field=required)
    if name is None:
        raise fail(problem_text("text", field="name"), "name")
    steps = _steps(entry["steps"], lambda: fail(problem_text("steps"), "steps"))
    raw_id = entry.get("id", slug(name))
    if not isinstance(raw_id, str) or not raw_id.strip():
        raise fail(problem_text("text", field="id"), "id")
    hold = _whole(entry, "hold_seconds", 0, MAX_HOLD_SECONDS, 0, fail)
    reps = _whole(entry, "repetitions", 1, MAX_REPETITIONS, 1, fail)
    seconds = _whole(entry, "seconds", 5, MAX_SECONDS, default_seconds(hold, reps), fail)
    area = entry["area"]
    if area not in AREAS:
        raise fail(problem_text("area", areas=", ".join(AREAS)), "area")
    kinds = entry.get("kinds", ["posture"])
    if (
        not isinstance(kinds, list)
        or not kinds
        or not all(isinstance(k, str) and k in KINDS for k in kinds)
    ):
        raise fail(problem_text("kinds"), "kinds")
    picture = _picture(entry.get("picture"), picture_exists, fail)
    # Each text with the field (and language table) it was written in.
    texts: list[tuple[str, str, str | None]] = [(name, "name", None)]
    texts += [(step, "steps", None) for step in steps]
    for key, (_code, variant_name, variant_steps) in zip(tables, variants, strict=True):
        texts += [(variant_name, "name", key)]
        texts += [(step, "steps", key) for step in variant_steps]
    unsafe = find_unsafe_move(text for text, _field, _table in texts)
    if unsafe is not None:
        _text, at, in_table = texts[unsafe.index]
        raise ExerciseFileError(
            problem_text("unsafe", words=unsafe.words),
            line=lines.words(index, unsafe.words, at, in_table),
            name=name,
            field=at,
        )
    return Stretch(
        id=slug(raw_id),
        title=name,
        how=" ".join(steps),
        seconds=seconds,
        kinds=frozenset(kinds),
        stop_if_hurts=area != "eyes",
        image=picture,
        area=area,
        hold_seconds=hold,
        repetitions=reps,
        steps=steps,
        builtin=False,
        image_root=image_root if picture else None,
        variants=tuple(variants),
    )


def _steps(value: object, fail: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]  # one sentence is one step: forgiving, and unambiguous
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(s, str) and s.strip() for s in value)
    ):
        raise fail()
    return tuple(" ".join(s.split()) for s in value)


def _whole(entry: dict[str, Any], name: str, low: int, high: int, default: int, fail: Any) -> int:
    value = entry.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise fail(problem_text("whole", field=name, low=low, high=high), name)
    return value


def _picture(value: object, picture_exists: Any, fail: Any) -> str | None:
    if value is None:
        return None
    path = PurePosixPath(value) if isinstance(value, str) else None
    if (
        path is None
        or not isinstance(value, str)
        or "\\" in value
        or len(path.parts) != 1  # next to the file: a plain file name
        or value.startswith((".", "~"))
        or path.suffix.lower() not in PICTURE_SUFFIXES
    ):
        raise fail(problem_text("picture"), "picture")
    if picture_exists is not None and not picture_exists(value):
        raise fail(problem_text("picture_missing", file=value), "picture")
    return value


def _variant(language: str, table: dict[str, Any], fail: Any) -> tuple[str, str, tuple[str, ...]]:
    for key in table:
        if key not in _VARIANT_FIELDS:
            known = ", ".join(_VARIANT_FIELDS)
            raise fail(problem_text("unknown", field=key, known=known), key, language)
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail(problem_text("text", field=f"{language}.name"), "name", language)
    steps = _steps(table.get("steps"), lambda: fail(problem_text("steps"), "steps", language))
    code = language.replace("-", "_").split("_")[0].lower()
    return (code, name.strip(), steps)
