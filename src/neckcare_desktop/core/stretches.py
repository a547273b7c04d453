"""Stretch and movement suggestions shown during breaks, and a fair way to rotate them.

The list lives in ``resources/stretches.toml`` so wording can be reviewed and changed
without touching code. Because people read these while already in pain, the loader is
strict: a typo'd field or a wrong type fails loudly at start-up (naming the entry and
the field) instead of showing a half-empty suggestion during a break. Each entry may name
an illustration (``image``); the shipped list must have one for every entry, and the file
must exist, because a picture of the movement is easier to follow than words when
someone is tired or in pain, and a missing file would otherwise only show up mid-break.

Rotation uses a shuffle-bag per break kind: every suggestion is shown once before any
repeats, and the same one never appears twice in a row. Pure random picks feel
repetitive ("chin tuck again?") and people stop reading them.
"""

from __future__ import annotations

import logging
import random
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Final

from neckcare_desktop.core.i18n import translate

logger = logging.getLogger(__name__)

#: Break kinds a suggestion can belong to: short eye/posture resets and longer breaks.
KINDS: Final = frozenset({"micro", "posture"})

#: No single suggestion should take longer than a generous posture break.
MAX_SECONDS: Final = 30 * 60

#: The body areas an exercise can work. "neck" matters most: in the acute phase after a
#: spasm (the first 48 hours) no neck exercise is suggested.
AREAS: Final = ("eyes", "neck", "shoulders", "upper_back", "whole_body")
#: Left out of every break while a logged spasm is in its acute phase.
NECK: Final = "neck"

_REQUIRED_FIELDS: Final = (
    "id",
    "title",
    "how",
    "seconds",
    "kinds",
    "stop_if_hurts",
    # Required, not defaulted: an entry without it could be a neck movement shown in the
    # acute phase.
    "area",
)
#: Optional for hand-written lists; ``load_stretches(..., require_images=True)`` (used for
#: the shipped list) makes it mandatory.
_OPTIONAL_FIELDS: Final = ("image", "hold_seconds", "repetitions")
#: Limits for a hold and a number of repetitions (built-in or the person's own).
MAX_HOLD_SECONDS: Final = 120
MAX_REPETITIONS: Final = 50
_KNOWN_FIELDS: Final = _REQUIRED_FIELDS + _OPTIONAL_FIELDS

#: Illustrations are drawn with Qt's SVG renderer, so only SVG files are accepted.
IMAGE_SUFFIX: Final = ".svg"


class StretchListError(ValueError):
    """The stretch list is malformed; the message names the entry and the field at fault."""

    def __init__(
        self,
        message: str,
        *,
        index: int | None = None,
        stretch_id: str | None = None,
        field: str | None = None,
        source: str | None = None,
    ) -> None:
        self.index = index
        self.stretch_id = stretch_id
        self.field = field
        self.source = source
        self.reason = message
        where = ""
        if index is not None:
            where = f"stretch #{index}"
            if stretch_id:
                where += f" (id {stretch_id!r})"
        if field is not None:
            where = f"{where}: field {field!r}" if where else f"field {field!r}"
        text = f"{where}: {message}" if where else message
        super().__init__(f"{source}: {text}" if source else text)


@dataclass(frozen=True)
class Stretch:
    """One suggestion. ``kinds`` says which breaks it suits ("micro", "posture").

    ``image`` is the illustration's path relative to the folder holding the list (for
    the shipped list: relative to ``resources/``), always with ``/`` separators so the
    same file works on every platform; ``None`` when the entry has no picture.
    """

    id: str
    title: str
    how: str
    seconds: int
    kinds: frozenset[str]
    stop_if_hurts: bool
    image: str | None = None
    #: One of :data:`AREAS`.
    area: str = "whole_body"
    #: Seconds to hold each repetition (0: a movement, nothing to hold).
    hold_seconds: int = 0
    repetitions: int = 1
    #: The person's own exercises (core.exercise_library): their steps, in their words.
    #: Built-in ones have none; their ``how`` is translated instead.
    steps: tuple[str, ...] = ()
    #: Shipped with NeckCare (can be switched off, never edited).
    builtin: bool = True
    #: The folder ``image`` is relative to; None for ``resources/`` (the built-ins).
    image_root: str | None = None
    #: The person's own exercise in other languages: (language, name, steps).
    variants: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    # The TOML holds English; core/stretch_texts.py marks every title and how-to for
    # translation (tools/update_translations.py generates it), so these find them. An
    # exercise of the person's own is in the words they wrote, or a variant they wrote
    # for the language NeckCare speaks.

    def _variant(self, language: str | None) -> tuple[str, str, tuple[str, ...]] | None:
        if language is None:
            return None
        code = language.replace("-", "_").split("_")[0].lower()
        return next((v for v in self.variants if v[0] == code), None)

    def title_text(self, language: str | None = None) -> str:
        """The title in the person's language."""
        if not self.builtin:
            variant = self._variant(language)
            return variant[1] if variant else self.title
        return translate("Stretch", self.title)

    def steps_text(self, language: str | None = None) -> tuple[str, ...]:
        """The steps to follow, one sentence or more each, in the person's language."""
        if not self.builtin:
            variant = self._variant(language)
            return variant[2] if variant else self.steps
        return (self.how_text(),)

    def how_text(self, language: str | None = None) -> str:
        """The instructions in the person's language."""
        if not self.builtin:
            return " ".join(self.steps_text(language))
        return translate("Stretch", self.how)


def _text(entry: dict[str, Any], field: str, index: int, sid: str | None) -> str:
    value = entry[field]
    if not isinstance(value, str) or not value.strip():
        raise StretchListError(
            f"must be a non-empty string, got {value!r}", index=index, stretch_id=sid, field=field
        )
    return value.strip()


def _parse_entry(entry: object, index: int) -> Stretch:
    """Validate one ``[[stretch]]`` table; ``index`` is 1-based as people count entries."""
    if not isinstance(entry, dict):
        raise StretchListError(f"must be a table, got {type(entry).__name__}", index=index)
    raw_id = entry.get("id")
    sid = raw_id if isinstance(raw_id, str) and raw_id.strip() else None

    for field in _REQUIRED_FIELDS:
        if field not in entry:
            raise StretchListError("is missing", index=index, stretch_id=sid, field=field)
    unknown = sorted(set(entry) - set(_KNOWN_FIELDS))
    if unknown:
        # Catches typos like "stop_if_hurt" that would otherwise silently drop a warning.
        raise StretchListError(
            f"is not a known field (expected {', '.join(_KNOWN_FIELDS)})",
            index=index,
            stretch_id=sid,
            field=unknown[0],
        )

    stretch_id = _text(entry, "id", index, sid)
    title = _text(entry, "title", index, sid)
    how = _text(entry, "how", index, sid)

    seconds = entry["seconds"]
    # bool is an int subclass; "seconds = true" is a mistake, not one second.
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 < seconds <= MAX_SECONDS:
        raise StretchListError(
            f"must be a whole number of seconds between 1 and {MAX_SECONDS}, got {seconds!r}",
            index=index,
            stretch_id=sid,
            field="seconds",
        )

    kinds = entry["kinds"]
    if (
        not isinstance(kinds, list)
        or not kinds
        or not all(isinstance(k, str) and k in KINDS for k in kinds)
    ):
        raise StretchListError(
            f"must be a non-empty list drawn from {sorted(KINDS)}, got {kinds!r}",
            index=index,
            stretch_id=sid,
            field="kinds",
        )

    stop_if_hurts = entry["stop_if_hurts"]
    if not isinstance(stop_if_hurts, bool):
        raise StretchListError(
            f"must be true or false, got {stop_if_hurts!r}",
            index=index,
            stretch_id=sid,
            field="stop_if_hurts",
        )

    image = _image(entry, index, sid) if "image" in entry else None

    hold = _whole(entry, "hold_seconds", 0, MAX_HOLD_SECONDS, 0, index, sid)
    repetitions = _whole(entry, "repetitions", 1, MAX_REPETITIONS, 1, index, sid)

    area = entry["area"]
    if area not in AREAS:
        raise StretchListError(
            f"must be one of {', '.join(AREAS)}, got {area!r}",
            index=index,
            stretch_id=sid,
            field="area",
        )

    return Stretch(
        id=stretch_id,
        title=title,
        how=how,
        seconds=seconds,
        kinds=frozenset(kinds),
        stop_if_hurts=stop_if_hurts,
        image=image,
        area=area,
        hold_seconds=hold,
        repetitions=repetitions,
    )


def _whole(
    entry: dict[str, Any],
    field: str,
    low: int,
    high: int,
    default: int,
    index: int,
    sid: str | None,
) -> int:
    """An optional whole number in ``[low, high]``."""
    value = entry.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise StretchListError(
            f"must be a whole number from {low} to {high}, got {value!r}",
            index=index,
            stretch_id=sid,
            field=field,
        )
    return value


def _image(entry: dict[str, Any], index: int, sid: str | None) -> str:
    """Check the form of an ``image`` path; whether the file exists is checked on load.

    The path must stay inside the folder holding the list: the list is data, and data
    must not be able to point the app at arbitrary files elsewhere on the disk.
    """
    value = _text(entry, "image", index, sid)
    path = PurePosixPath(value)
    if (
        "\\" in value
        or path.is_absolute()
        or value.startswith("~")
        or ":" in path.parts[0]  # a Windows drive ("C:") or a URL scheme
        or any(part in ("", ".", "..") for part in value.split("/"))
    ):
        raise StretchListError(
            f"must be a relative path inside resources/ like 'stretches/{sid or 'name'}.svg',"
            f" got {value!r}",
            index=index,
            stretch_id=sid,
            field="image",
        )
    if path.suffix.lower() != IMAGE_SUFFIX:
        raise StretchListError(
            f"must be an {IMAGE_SUFFIX} file, got {value!r}",
            index=index,
            stretch_id=sid,
            field="image",
        )
    return value


def parse_stretches(data: dict[str, Any]) -> list[Stretch]:
    """Validate already-decoded TOML data (``{"stretch": [...]}``) into stretches."""
    entries = data.get("stretch")
    if not isinstance(entries, list) or not entries:
        raise StretchListError("expected at least one [[stretch]] table", field="stretch")
    stretches: list[Stretch] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        stretch = _parse_entry(entry, index)
        if stretch.id in seen:
            raise StretchListError(
                "is used by an earlier entry; ids must be unique",
                index=index,
                stretch_id=stretch.id,
                field="id",
            )
        seen.add(stretch.id)
        stretches.append(stretch)
    return stretches


def _check_images(stretches: Sequence[Stretch], root: Path) -> None:
    """Every entry has an illustration and the file is really there under ``root``."""
    for index, stretch in enumerate(stretches, start=1):
        if stretch.image is None:
            raise StretchListError("is missing", index=index, stretch_id=stretch.id, field="image")
        if not (root / stretch.image).is_file():
            raise StretchListError(
                f"file {stretch.image!r} not found in {root}",
                index=index,
                stretch_id=stretch.id,
                field="image",
            )


def load_stretches(path: Path, *, require_images: bool = False) -> list[Stretch]:
    """Read and validate a stretch list file.

    With ``require_images`` every entry must name an illustration that exists relative
    to the list's folder: the shipped list is loaded this way so a forgotten or
    misspelt SVG fails at start-up, not as an empty frame during someone's break.

    Raises ``StretchListError`` for bad TOML or a bad entry, and lets
    ``FileNotFoundError`` through unchanged so a missing file is reported as such.
    """
    with path.open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise StretchListError(f"not valid TOML: {exc}", source=str(path)) from exc
    try:
        stretches = parse_stretches(data)
        if require_images:
            _check_images(stretches, path.parent)
    except StretchListError as exc:
        # Re-raise with the file name so the message says which file to fix.
        raise StretchListError(
            exc.reason,
            index=exc.index,
            stretch_id=exc.stretch_id,
            field=exc.field,
            source=str(path),
        ) from None
    logger.debug("Loaded %d stretches from %s", len(stretches), path)
    return stretches


def default_stretches() -> list[Stretch]:
    """Load the stretch list that ships with the app."""
    # Imported here so merely importing this module never touches the filesystem layout.
    from neckcare_desktop.resources import resource_path

    return load_stretches(resource_path("stretches.toml"), require_images=True)


class StretchRotation:
    """Hands out suggestions per break kind from a shuffle-bag.

    Each kind has its own bag holding every suggestion for that kind. A draw takes one
    from the bag; when the bag is empty it is refilled and reshuffled, and if the
    reshuffle would put the just-shown suggestion first it is moved, so nothing is shown
    twice in a row unless it is the only choice. Pass a seeded ``random.Random`` for
    reproducible order (tests, demos).

    ``acute=True`` (the first 48 hours after a logged spasm) leaves out every "neck"
    entry: the draw takes the next non-neck entry from the bag, and the neck ones wait
    there until the phase is over.
    """

    def __init__(self, stretches: Sequence[Stretch], rng: random.Random | None = None) -> None:
        self._rng = rng if rng is not None else random.Random()
        self._pools: dict[str, tuple[Stretch, ...]] = {
            kind: tuple(s for s in stretches if kind in s.kinds) for kind in sorted(KINDS)
        }
        self._bags: dict[str, list[Stretch]] = {kind: [] for kind in self._pools}
        self._last: dict[str, Stretch | None] = {kind: None for kind in self._pools}
        #: The id of the exercise that led the last routine of each kind
        #: (core.exercise_routine): the next routine starts with another one.
        self.leads: dict[str, str] = {}

    def replace(self, stretches: Sequence[Stretch]) -> None:
        """Draw from ``stretches`` from now on (the person switched one off, added one…).

        The bags start again; what was shown last is kept, so it does not come straight
        back.
        """
        self._pools = {
            kind: tuple(s for s in stretches if kind in s.kinds) for kind in sorted(KINDS)
        }
        self._bags = {kind: [] for kind in self._pools}

    def pool(self, kind: str, *, acute: bool = False) -> tuple[Stretch, ...]:
        """The suggestions for ``kind`` (without the neck ones when ``acute``)."""
        self._check_kind(kind)
        return tuple(s for s in self._pools[kind] if not acute or s.area != NECK)

    def available(self, kind: str) -> int:
        """How many distinct suggestions exist for ``kind`` (0 means ``next`` would fail)."""
        self._check_kind(kind)
        return len(self._pools[kind])

    def next(self, kind: str, *, acute: bool = False) -> Stretch:
        """Draw the next suggestion for a "micro" or "posture" break.

        ``acute``: leave out exercises for the neck (area "neck").

        Raises ``ValueError`` for an unknown kind and ``LookupError`` when the list has
        no suggestion for that kind (or, when acute, none that is not for the neck).
        """
        self._check_kind(kind)
        pool = self._pools[kind]
        if acute:
            pool = tuple(s for s in pool if s.area != NECK)
        if not pool:
            raise LookupError(f"no stretch suggestions for {kind!r} breaks")
        bag = self._bags[kind]
        allowed = [i for i, s in enumerate(bag) if not acute or s.area != NECK]
        if not allowed:
            # Neck entries left in the bag are dropped: a new round of every entry starts.
            bag[:] = list(self._pools[kind])
            self._rng.shuffle(bag)
            # We take from the end, so the last allowed entry is the next one shown.
            last = self._last[kind]
            allowed = [i for i, s in enumerate(bag) if not acute or s.area != NECK]
            if len(allowed) > 1 and bag[allowed[-1]] == last:
                swap = allowed[self._rng.randrange(len(allowed) - 1)]
                bag[allowed[-1]], bag[swap] = bag[swap], bag[allowed[-1]]
        choice = bag.pop(allowed[-1])
        self._last[kind] = choice
        return choice

    @staticmethod
    def _check_kind(kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown break kind {kind!r}; expected one of {sorted(KINDS)}")
