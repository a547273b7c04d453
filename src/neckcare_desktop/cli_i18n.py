"""The ``neckcare`` command in the person's language, without loading Qt.

The windows speak the language chosen by :mod:`neckcare_desktop.translations` (the
``app.language`` setting, or the system's preferred languages). The command line must
answer ``--help`` and a typo in a few milliseconds, without Qt, so it makes the same
choice here from the same setting and the same environment variables Qt reads, and looks
its texts up in the shipped Qt Linguist source (``neckcare_<lang>.ts``, kept identical to
the ``.qm`` by ``tests/test_translations.py``) with the standard library's XML parser.

What it installs is :func:`neckcare_desktop.core.i18n.install`'s hook, so the CLI's own
texts (context "CLI"), core's refusals (an out-of-range ``NECKCARE_TIME_SCALE``) and
argparse's words (context "argparse", :data:`ARGPARSE_TEXTS`) all come out in one language.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from neckcare_desktop.core import i18n
from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP

logger = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"

#: argparse's own words that a ``neckcare`` user can meet, marked so ``pyside6-lupdate``
#: puts them in the catalogs. argparse looks each up through ``gettext`` by its English
#: text; a Python release that rewords one simply shows that one in English.
ARGPARSE_TEXTS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("argparse", "usage: "),
    QT_TRANSLATE_NOOP("argparse", "positional arguments"),
    QT_TRANSLATE_NOOP("argparse", "options"),
    QT_TRANSLATE_NOOP("argparse", "show this help message and exit"),
    QT_TRANSLATE_NOOP("argparse", "argument %(argument_name)s: %(message)s"),
    QT_TRANSLATE_NOOP("argparse", "ambiguous option: %(option)s could match %(matches)s"),
    QT_TRANSLATE_NOOP("argparse", "expected one argument"),
    QT_TRANSLATE_NOOP("argparse", "ignored explicit argument %r"),
    QT_TRANSLATE_NOOP("argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
    QT_TRANSLATE_NOOP("argparse", "the following arguments are required: %s"),
    QT_TRANSLATE_NOOP("argparse", "unrecognized arguments: %s"),
)


def system_language_tags(environ: Mapping[str, str]) -> list[str]:
    """The system's preferred languages, best first, read as Qt reads them on Unix.

    ``LANGUAGE`` (a colon-separated list) when set, else the messages locale (``LC_ALL``,
    then ``LC_MESSAGES``, then ``LANG``): what ``QLocale.system().uiLanguages()`` answers,
    which ``tests/test_cli_language.py`` checks against Qt itself.
    """
    messages = next((environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(v)), "")
    preferred = environ.get("LANGUAGE", "")
    tags = [t for t in preferred.split(":") if t] if preferred else []
    return tags or ([messages] if messages else [])


def _language_code(tag: str) -> str:
    """ "es-ES" / "es_ES.UTF-8" / "es_ES@euro" -> "es"."""
    return tag.replace("-", "_").split("_")[0].split(".")[0].split("@")[0].lower()


def available_languages() -> tuple[str, ...]:
    """English plus every language with a shipped catalog, as the app counts them."""
    from neckcare_desktop.resources import resource_path

    try:
        folder = resource_path("translations")
    except FileNotFoundError:
        return (SOURCE_LANGUAGE,)
    shipped = {p.stem.removeprefix("neckcare_") for p in folder.glob("neckcare_*.qm")}
    return (SOURCE_LANGUAGE, *sorted(shipped - {SOURCE_LANGUAGE}))


def choose_language(setting: str, environ: Mapping[str, str], available: tuple[str, ...]) -> str:
    """The language for ``app.language`` = ``setting``: the rule of the windows
    (:func:`neckcare_desktop.translations.choose_language`)."""
    if setting != "auto":
        return setting if setting in available else SOURCE_LANGUAGE
    for tag in system_language_tags(environ):
        if (code := _language_code(tag)) in available:
            return code
    return SOURCE_LANGUAGE


def read_catalog(ts_file: Path) -> dict[tuple[str, str], str]:
    """Every finished translation in a Qt Linguist ``.ts`` file, by (context, source)."""
    from xml.etree import ElementTree

    catalog: dict[tuple[str, str], str] = {}
    root = ElementTree.parse(ts_file).getroot()
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            if source is None or translation is None or translation.get("type"):
                continue  # unfinished, vanished or obsolete: the English text is better
            if translation.text:
                catalog[(name, source)] = translation.text
    return catalog


def language_setting() -> str:
    """``app.language`` from the person's settings file ("auto" if unset or unreadable)."""
    from neckcare_desktop.core.settings_file import read_language
    from neckcare_desktop.paths import AppPaths

    return read_language(AppPaths.default().settings_file)


def install(environ: Mapping[str, str] | None = None) -> str:
    """Speak the person's language from now on; returns it ("en" installs nothing).

    Never fails: an unreadable catalog leaves the command in English.
    """
    environ = os.environ if environ is None else environ
    try:
        language = choose_language(language_setting(), environ, available_languages())
    except Exception:  # the language must never cost the person their command
        logger.debug("could not choose the command line's language", exc_info=True)
        return SOURCE_LANGUAGE
    if language == SOURCE_LANGUAGE:
        return language
    from neckcare_desktop.resources import resource_path

    try:
        catalog = read_catalog(resource_path("translations", f"neckcare_{language}.ts"))
    except Exception:  # FileNotFoundError, a damaged file: English rather than nothing
        logger.debug("no %s catalog for the command line", language, exc_info=True)
        return SOURCE_LANGUAGE

    def lookup(context: str, text: str) -> str:
        return catalog.get((context, text), text)

    i18n.install(lookup)
    return language


def uninstall() -> None:
    """English again (what :func:`install` found in a fresh process)."""
    i18n.install(None)


@contextlib.contextmanager
def argparse_texts() -> Iterator[None]:
    """argparse's words ("usage:", "invalid choice", …) through the installed language.

    argparse calls its module-level ``_`` (``gettext.gettext``) when it builds a help text
    or an error; it is pointed at the catalog only while the parser runs.
    """
    original = argparse._  # type: ignore[attr-defined]

    def translated(text: str) -> str:
        result = i18n.translate("argparse", text)
        return result if result != text else original(text)

    argparse._ = translated  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]
