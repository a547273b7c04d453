"""The gentle-movement rule for exercises a person adds or imports.

NeckCare is for people whose necks already hurt. Some break apps ship moves the advice
for sore necks warns against (one peer's default list says "slowly rotate your neck in
a large circle"); a file someone downloads or types in could ask for the same. Every
exercise of the person's own is checked against this list, in English and in Spanish,
before it is saved: neck rolls and circles with the head, and hard or deep pressure, are
refused with a sentence naming the exercise. The rule looks for the moves themselves,
not for single words: "slow shoulder rolls with your head still" stays allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

_HEAD = r"(?:head|neck)"
_HEAD_ES = r"(?:cabeza|cuello)"

#: (pattern, what it asks for): matched against lower-case text without accents.
UNSAFE_MOVES: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern), what)
    for pattern, what in (
        # English
        (rf"\b{_HEAD}[ -]?(?:roll|rolls|rolling|circle|circles|circling)\b", "neck roll"),
        (rf"\broll(?:s|ing)?\s+(?:your|the|one's)\s+{_HEAD}\b", "roll your neck"),
        (rf"\bcircl(?:e|es|ing)\s+(?:your|the)\s+{_HEAD}\b", "circle your head"),
        (rf"\bcircles?\s+with\s+(?:your|the)\s+{_HEAD}\b", "circles with your head"),
        (
            rf"\b(?:rotat|turn|swing|mov)\w*\s+(?:your|the)\s+{_HEAD}\s+(?:\w+\s+){{0,3}}"
            r"(?:in\s+)?(?:a\s+)?(?:\w+\s+)?circles?\b",
            "rotate your neck in a circle",
        ),
        (rf"\bfull\s+{_HEAD}\s+(?:rotation|circle)s?\b", "neck circle"),
        (r"\bpress(?:ing|es)?\s+(?:\w+\s+)?(?:hard|firmly|forcefully)\b", "press hard"),
        (r"\b(?:deep|strong|hard|firm|heavy)\s+pressure\b", "deep pressure"),
        (r"\bcrack(?:ing)?\s+(?:your|the)\s+(?:neck|back)\b", "crack your neck"),
        # Spanish (accents removed before matching: "circulos", "presion")
        (rf"\b(?:rodar|ruede|rueda|ruedes)\s+(?:el|la|tu|su)\s+{_HEAD_ES}\b", "rodar el cuello"),
        (
            rf"\b(?:rotar|rote|rota|girar|gire|gira|mover|mueve|mueva)\s+(?:el|la|tu|su)\s+"
            rf"{_HEAD_ES}\s+(?:\w+\s+){{0,2}}en\s+(?:un\s+)?circulos?\b",
            "gira el cuello en circulo",
        ),
        (
            rf"\bcirculos?\s+(?:con|de)\s+(?:la\s+|el\s+|tu\s+|su\s+)?{_HEAD_ES}\b",
            "circulos con la cabeza",
        ),
        (
            rf"\brotacion(?:es)?\s+(?:completa\s+)?(?:de|del)\s+(?:la\s+|el\s+)?{_HEAD_ES}\b",
            "rotacion del cuello",
        ),
        (r"\bpresion\s+(?:fuerte|profunda|intensa|firme)\b", "presion fuerte"),
        (
            r"\b(?:presiona|presione|presionar|aprieta|apriete|apretar)\s+(?:\w+\s+)?(?:fuerte|con\s+fuerza)\b",
            "presiona fuerte",
        ),
        (rf"\b(?:crujir|cruje|truena|tronar)\s+(?:el|tu|su)\s+{_HEAD_ES}\b", "crujir el cuello"),
    )
)


def _plain_with_places(text: str) -> tuple[str, list[int]]:
    """``text`` in lower case, accents off, one space between words ("Círculos  con la
    CABEZA" → "circulos con la cabeza"), and for each of its characters the index of the
    character of ``text`` it came from: what matched can be quoted as it was written."""
    # Loaded here, not at start: only an exercise file of the person's own needs it, and
    # every module loaded at start stays in a running tray's memory.
    import unicodedata

    chars: list[str] = []
    places: list[int] = []
    space = False
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", char.casefold()):
            if unicodedata.combining(part):
                continue
            if part.isspace():
                space = bool(chars)
                continue
            if space:
                chars.append(" ")
                places.append(index)
                space = False
            chars.append(part)
            places.append(index)
    return "".join(chars), places


def plain_text(text: str) -> str:
    """Lower case, accents off, one space between words: what the moves are matched in."""
    return _plain_with_places(text)[0]


@dataclass(frozen=True)
class UnsafeMove:
    """Words asking for a move NeckCare does not suggest, as the person wrote them."""

    #: Which of the texts checked holds them (0: the first).
    index: int
    words: str


def find_unsafe_move(texts: Iterable[str]) -> UnsafeMove | None:
    """The first text of ``texts`` asking for a neck roll, a circle or pressure, and the
    words that do (accents and capitals as written); None when every text is gentle."""
    import unicodedata

    for number, text in enumerate(texts):
        plain, places = _plain_with_places(text)
        for pattern, _what in UNSAFE_MOVES:
            found = pattern.search(plain)
            if found:
                start, end = places[found.start()], places[found.end() - 1] + 1
                while end < len(text) and unicodedata.combining(text[end]):
                    end += 1  # an accent written as a character of its own
                return UnsafeMove(number, text[start:end])
    return None


def unsafe_move(texts: Iterable[str]) -> str | None:
    """The words in ``texts`` that ask for a neck roll, a circle or pressure, as written;
    None when every text is gentle."""
    found = find_unsafe_move(texts)
    return None if found is None else found.words
