"""Translation for code that cannot import Qt: one hook, installed by the app at start.

``core`` has no Qt and therefore no ``tr()``, yet much of what people read comes from here:
status lines, advice, refusals, settings labels and problems. Every such text goes
through :func:`translate`, which is the identity until the app installs
``QCoreApplication.translate`` with :func:`install`. So core stays pure (and its tests
stay in English), while the running app shows the person's language.

Rules that keep this working:

* Translate the *template*, then format it::

      translate("Engine", "Next break in {minutes} min").format(minutes=n)

  never an f-string: ``pyside6-lupdate`` only extracts literal strings, and a translator
  needs the whole sentence with its placeholders to reorder words.
* Write the call exactly as ``translate("Context", "literal")`` (adjacent literals may be
  split over lines): that is the form ``pyside6-lupdate`` recognizes.
* Texts defined at import time (tables, constants) are marked with
  :func:`QT_TRANSLATE_NOOP`, which returns its text unchanged so the English value stays
  usable, and are translated with :func:`translate` where they are shown, with the same
  context.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

logger = logging.getLogger(__name__)

Translator = Callable[[str, str], str]


def _identity(context: str, text: str) -> str:
    return text


_translator: Translator = _identity


def install(fn: Translator | None) -> None:
    """Route every :func:`translate` call through ``fn``; None restores plain English."""
    global _translator
    _translator = fn if fn is not None else _identity


def translate(context: str, text: str) -> str:
    """``text`` in the person's language (``text`` itself when there is no translation).

    A translator that fails or answers with nothing must never cost the person a
    message, so both fall back to the English text.
    """
    try:
        result = _translator(context, text)
    except Exception:  # a broken translation must not break a reminder
        logger.exception("translating %r in %s failed", text, context)
        return text
    return result if result else text


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for extraction by ``pyside6-lupdate`` without translating it yet."""
    return text


#: Short weekday and month names, in English unless translated (context "Dates").
#: Not ``strftime("%a")``: Qt sets the C locale from the environment, which could put a
#: name in one language into a sentence in another.
WEEKDAYS_SHORT: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("Dates", "Mon"),
    QT_TRANSLATE_NOOP("Dates", "Tue"),
    QT_TRANSLATE_NOOP("Dates", "Wed"),
    QT_TRANSLATE_NOOP("Dates", "Thu"),
    QT_TRANSLATE_NOOP("Dates", "Fri"),
    QT_TRANSLATE_NOOP("Dates", "Sat"),
    QT_TRANSLATE_NOOP("Dates", "Sun"),
)
MONTHS_SHORT: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("Dates", "Jan"),
    QT_TRANSLATE_NOOP("Dates", "Feb"),
    QT_TRANSLATE_NOOP("Dates", "Mar"),
    QT_TRANSLATE_NOOP("Dates", "Apr"),
    QT_TRANSLATE_NOOP("Dates", "May"),
    QT_TRANSLATE_NOOP("Dates", "Jun"),
    QT_TRANSLATE_NOOP("Dates", "Jul"),
    QT_TRANSLATE_NOOP("Dates", "Aug"),
    QT_TRANSLATE_NOOP("Dates", "Sep"),
    QT_TRANSLATE_NOOP("Dates", "Oct"),
    QT_TRANSLATE_NOOP("Dates", "Nov"),
    QT_TRANSLATE_NOOP("Dates", "Dec"),
)


def weekday_short(day: date) -> str:
    """ "Mon" … "Sun", translated."""
    return translate("Dates", WEEKDAYS_SHORT[day.weekday()])


def month_short(day: date) -> str:
    """ "Jan" … "Dec", translated."""
    return translate("Dates", MONTHS_SHORT[day.month - 1])


def join_words(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c" (the "and" translated)."""
    if len(words) <= 1:
        return "".join(words)
    return translate("Text", "{first} and {last}").format(
        first=", ".join(words[:-1]), last=words[-1]
    )
