"""The person's language: which one, and loading its translations into Qt and into core.

NeckCare's texts are compiled into ``resources/translations/neckcare_<lang>.qm`` (see
``tools/update_translations.py``); Qt's own texts (the Save, Cancel, Yes and No of
standard buttons) come from Qt's ``qtbase_<lang>.qm``. Both are installed on the
application, and :func:`neckcare_desktop.core.i18n.install` connects core's texts to the
same translators.

The language is chosen once, before any window exists: ``app.language = "auto"`` follows
the system (the first of its preferred languages that NeckCare ships, else English), and
any other value is an explicit choice made in Settings. A change in Settings takes effect
at the next start, which the Settings dialog says next to the field.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from neckcare_desktop.core import i18n
from neckcare_desktop.resources import resource_path

logger = logging.getLogger(__name__)

#: The language the texts are written in; it needs no translation file.
SOURCE_LANGUAGE = "en"

#: Translators installed by :func:`install`, kept alive here (Qt does not own them).
_installed: list[QTranslator] = []
_previous_default_locale: QLocale | None = None


def translations_dir() -> Path | None:
    """Where ``neckcare_<lang>.qm`` files live, or None if none are installed."""
    try:
        return resource_path("translations")
    except FileNotFoundError:
        logger.warning("no translations folder; NeckCare is shown in English")
        return None


def available_languages() -> tuple[str, ...]:
    """English plus every language with a compiled ``neckcare_<lang>.qm``, sorted."""
    folder = translations_dir()
    shipped = (
        set()
        if folder is None
        else {p.stem.removeprefix("neckcare_") for p in folder.glob("neckcare_*.qm")}
    )
    return (SOURCE_LANGUAGE, *sorted(shipped - {SOURCE_LANGUAGE}))


def _language_code(tag: str) -> str:
    """ "es-ES" / "es_ES.UTF-8" -> "es"."""
    return tag.replace("-", "_").split("_")[0].split(".")[0].lower()


def choose_language(setting: str, system: QLocale | None = None) -> str:
    """The language to show for ``app.language`` = ``setting`` on this system.

    "auto" takes the system's preferred languages in order and picks the first that
    NeckCare ships (English included, so an English-first system stays English even if
    Spanish is second); anything else is used if shipped, else English.
    """
    available = available_languages()
    if setting != "auto":
        if setting in available:
            return setting
        logger.warning("no %r translation is installed; using English", setting)
        return SOURCE_LANGUAGE
    system = system if system is not None else QLocale.system()
    for tag in [*system.uiLanguages(), system.name()]:
        code = _language_code(tag)
        if code in available:
            return code
    return SOURCE_LANGUAGE


def uninstall() -> None:
    """Remove what :func:`install` put in place: English again, the old default locale."""
    global _previous_default_locale
    app = QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            QCoreApplication.removeTranslator(translator)
    if _previous_default_locale is not None:
        QLocale.setDefault(_previous_default_locale)
        _previous_default_locale = None
    i18n.install(None)


def install(language: str) -> list[QTranslator]:
    """Show NeckCare (and Qt's standard texts) in ``language`` from now on.

    Call it before building any window: widgets translate their texts when they are
    built. Needs the QApplication to exist. Returns the installed translators (none for
    English). Dates and numbers follow the language too, unless the system locale
    already speaks it (then its own conventions, e.g. es_MX, are kept).
    """
    global _previous_default_locale
    uninstall()
    system = QLocale.system()
    # The "C" locale (LANG=C) has no conventions of its own to respect, and English is
    # what it shows anyway: leave it.
    if (_language_code(system.name()) != language and system.language() != QLocale.Language.C) or (
        language != SOURCE_LANGUAGE and system.language() == QLocale.Language.C
    ):
        _previous_default_locale = QLocale()
        QLocale.setDefault(QLocale(language))
    if language != SOURCE_LANGUAGE:
        folder = translations_dir()
        own = QTranslator()
        if folder is not None and own.load(f"neckcare_{language}", str(folder)):
            _add(own)
        else:
            logger.warning("could not load neckcare_%s.qm from %s", language, folder)
        qt = QTranslator()
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(f"qtbase_{language}", qt_dir):
            _add(qt)
        else:
            logger.info("no qtbase_%s.qm in %s; Qt's own buttons stay in English", language, qt_dir)
    # Core's texts go through Qt's translators too (identity for English, but installed
    # either way so there is one path for every language).
    i18n.install(QCoreApplication.translate)
    logger.info("language: %s", language)
    return list(_installed)


def _add(translator: QTranslator) -> None:
    QCoreApplication.installTranslator(translator)
    _installed.append(translator)


def apply_setting(setting: str) -> str:
    """Choose the language for ``app.language`` = ``setting`` and install it; returns it."""
    language = choose_language(setting)
    install(language)
    return language
